//! hosted-checkout-gateway-api webhooks: `hash_hmac('sha256', $rawPayload,
//! $merchantWebhookSecret)`, compared with `hash_equals`.
//!
//! The signature may arrive in any of three headers, with or without a `sha256=`
//! prefix, in either hex case.

use super::{sign_hex_sha256, verify_hex_sha256, SignatureError};

/// The headers that may carry the signature, in the order a receiver looks at them.
pub const HEADERS: [&str; 3] = [
    "X-Signature",
    "X-Ecomtrade24-Signature",
    "X-Webhook-Signature",
];

/// The optional prefix of the header value.
pub const PREFIX: &str = "sha256=";

/// The signature of `body` with the gateway webhook secret, without prefix.
pub fn sign(secret: &str, body: &[u8]) -> String {
    sign_hex_sha256(secret.as_bytes(), &[body])
}

/// Checks one header value (`sha256=` optional) against `body`.
pub fn verify(secret: &str, body: &[u8], signature: &str) -> Result<(), SignatureError> {
    let signature = signature.trim();
    let hex = match signature.get(..PREFIX.len()) {
        Some(p) if p.eq_ignore_ascii_case(PREFIX) => &signature[PREFIX.len()..],
        _ => signature,
    };
    if hex.is_empty() && !signature.is_empty() {
        return Err(SignatureError::Malformed);
    }
    verify_hex_sha256(secret.as_bytes(), &[body], hex)
}
