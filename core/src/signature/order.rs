//! ewallet-orders-api `order.paid` webhooks: `hash_hmac('sha256', $order_id .
//! $amount, $app_key)`.
//!
//! The amount is the exact string of the payload (`"149.98"`, `"150.00"`), never a
//! re-formatted number: `150.00` and `150` sign differently.

use super::{sign_hex_sha256, verify_hex_sha256, SignatureError};

/// The signature of an order's id and amount with the app key.
pub fn sign(app_key: &str, order_id: &str, amount: &str) -> String {
    sign_hex_sha256(
        app_key.as_bytes(),
        &[order_id.as_bytes(), amount.as_bytes()],
    )
}

/// Checks the payload's `signature` field.
pub fn verify(
    app_key: &str,
    order_id: &str,
    amount: &str,
    signature: &str,
) -> Result<(), SignatureError> {
    verify_hex_sha256(
        app_key.as_bytes(),
        &[order_id.as_bytes(), amount.as_bytes()],
        signature,
    )
}
