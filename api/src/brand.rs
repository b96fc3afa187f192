//! The merchant's brand on the hosted checkout (`/v1/brand`), as the API
//! and the dashboard's settings write it. What is stored and answered is
//! core's `Brand`.

use serde::{Deserialize, Serialize};

pub use checkout_core::brand::Brand;

/// `PUT /v1/brand`: the whole brand (an absent field is unset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PutBrand {
    /// The name the checkout shows, 1 to 80 characters (the account's name
    /// when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// An https URL of the logo, on a public host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// `#rrggbb`: the pay button's colour, behind white text (it must pass
    /// WCAG AA: a contrast of 4.5:1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent_color: Option<String>,
}

impl From<PutBrand> for checkout_core::brand::BrandRequest {
    fn from(w: PutBrand) -> Self {
        checkout_core::brand::BrandRequest {
            display_name: w.display_name,
            logo_url: w.logo_url,
            accent_color: w.accent_color,
        }
    }
}
