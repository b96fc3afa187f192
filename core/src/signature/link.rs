//! payment-links-api webhooks: the `secret` field is
//! `base64(HMAC-SHA512(SHA-256(amount:::order_id:::apiKey) raw, apiSecret))`.
//!
//! The API key itself is needed, so whoever signs must hold it; the worker computes
//! the signature while the key is in hand, since it stores keys only as hashes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

use super::SignatureError;

fn mac(api_secret: &str, api_key: &str, order_id: &str, amount: &str) -> Hmac<Sha512> {
    let digest = Sha256::new()
        .chain_update(amount)
        .chain_update(":::")
        .chain_update(order_id)
        .chain_update(":::")
        .chain_update(api_key)
        .finalize();
    let mut mac = Hmac::<Sha512>::new_from_slice(api_secret.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(&digest);
    mac
}

/// The webhook's `secret` for one link.
pub fn sign(api_secret: &str, api_key: &str, order_id: &str, amount: &str) -> String {
    STANDARD.encode(
        mac(api_secret, api_key, order_id, amount)
            .finalize()
            .into_bytes(),
    )
}

/// Checks a webhook's `secret` field.
pub fn verify(
    api_secret: &str,
    api_key: &str,
    order_id: &str,
    amount: &str,
    signature: &str,
) -> Result<(), SignatureError> {
    let signature = signature.trim();
    if signature.is_empty() {
        return Err(SignatureError::Missing);
    }
    let bytes = STANDARD
        .decode(signature)
        .map_err(|_| SignatureError::Malformed)?;
    if bytes.len() != 64 {
        return Err(SignatureError::Malformed);
    }
    mac(api_secret, api_key, order_id, amount)
        .verify_slice(&bytes)
        .map_err(|_| SignatureError::Mismatch)
}
