//! `X-Webhook-Signature` (webhook-forwarding-api): hex HMAC-SHA256 of the raw body
//! with the merchant's signing secret, used as the HMAC key string as is.

use super::{sign_hex_sha256, verify_hex_sha256, SignatureError};

/// The HTTP header that carries the signature.
pub const HEADER: &str = "X-Webhook-Signature";

/// The signature of `body` with `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    sign_hex_sha256(secret.as_bytes(), &[body])
}

/// Checks `signature` (the header value; empty if absent) against `body`.
pub fn verify(secret: &str, body: &[u8], signature: &str) -> Result<(), SignatureError> {
    verify_hex_sha256(secret.as_bytes(), &[body], signature)
}
