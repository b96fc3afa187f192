//! The error body every route answers with:
//! `{"error": {"code": "...", "message": "...", "field": "..." | null}}`.

use serde::{Deserialize, Serialize};

/// A failed request's body (the hosted-checkout-gateway-api adds `"ok": false`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// `false` on the hosted-checkout-gateway-api routes, whose clients test `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok: Option<bool>,
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// A stable machine-readable code (`amount_negative`).
    pub code: String,
    /// A sentence for the developer reading the response.
    pub message: String,
    /// The offending field, in the API's own spelling (`customer_details.email`).
    #[serde(default)]
    pub field: Option<String>,
}
