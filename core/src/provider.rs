//! Who confirmed a payment: ETN or the card gateway. A leaf that sessions
//! (each payment records its provider), events and confirmations name.

use serde::{Deserialize, Serialize};

/// Who confirmed a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// An ETN webhook or an answer of ETN's check-payment API.
    Etn,
    /// A gateway webhook (`/api/webhook.php`), including the sandbox.
    Gateway,
}

impl Provider {
    /// The provider's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Etn => "etn",
            Provider::Gateway => "gateway",
        }
    }
}
