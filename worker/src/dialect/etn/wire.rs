//! Wire types of etn-vendor-api, both directions: ETN's signed webhook to us, and
//! the check-payment poll (which we serve to merchants and make to ETN).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire::{Amount, Int};

/// ETN's webhook, signed in `ETN-SIGNATURE` (hex HMAC-SHA256 of the raw body
/// with the merchant's ETN API secret).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EtnWebhook {
    /// `payment` or `refund`.
    pub event: Option<String>,
    /// 10 lowercase hex characters.
    pub payment_id: Option<String>,
    /// In ETN.
    pub amount: Option<Amount>,
    /// The merchant's ETN API key.
    pub key: Option<String>,
    /// ISO 8601, within five minutes of now.
    pub timestamp: Option<String>,
    pub customer: Option<String>,
    /// ETN's reference of the transaction.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
}

/// A check-payment request: `{payment_id, vendor_address}`, signed in
/// `ETN-SIGNATURE` with the merchant's ETN API secret.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckPayment {
    pub payment_id: Option<String>,
    /// `etn-it-` + the outlet id.
    pub vendor_address: Option<String>,
}

/// A check-payment answer: `status` 1 with the `amount` paid, or 0 with a
/// `message`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckPaymentAnswer {
    pub status: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl CheckPaymentAnswer {
    pub fn paid(amount: String) -> CheckPaymentAnswer {
        CheckPaymentAnswer {
            status: Some(Int(1)),
            amount: Some(Amount(amount)),
            message: None,
        }
    }

    pub fn not_paid(message: &str) -> CheckPaymentAnswer {
        CheckPaymentAnswer {
            status: Some(Int(0)),
            amount: None,
            message: Some(message.to_owned()),
        }
    }
}
