//! Merchant secrets at rest: AES-256-GCM under the deployer's `SECRETS_KEY`.
//!
//! Verifying a provider's HMAC needs the secret itself, so it cannot be hashed;
//! sealed, a copy of the KV namespace alone reveals nothing. A sealed value is
//! `v1:` + base64(12-byte nonce ‖ ciphertext ‖ tag).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::error::{ApiError, ApiResult};
use crate::random;

const PREFIX: &str = "v1:";

/// Encrypts a secret with a fresh random nonce.
pub fn seal(key: &[u8; 32], plaintext: &str) -> String {
    let cipher = Aes256Gcm::new(key.into());
    let nonce = random::bytes::<12>();
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes())
        .expect("AES-GCM encrypts any length");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    format!("{PREFIX}{}", STANDARD.encode(out))
}

/// Decrypts a sealed secret; fails if the key changed or the value was tampered with.
pub fn open(key: &[u8; 32], sealed: &str) -> ApiResult<String> {
    let fail = || ApiError::internal("secrets", "a sealed secret does not open with SECRETS_KEY");
    let bytes = sealed
        .strip_prefix(PREFIX)
        .and_then(|b| STANDARD.decode(b).ok())
        .ok_or_else(fail)?;
    if bytes.len() < 12 + 16 {
        return Err(fail());
    }
    let (nonce, ciphertext) = bytes.split_at(12);
    let plain = Aes256Gcm::new(key.into())
        .decrypt(Nonce::from_slice(nonce), ciphertext)
        .map_err(|_| fail())?;
    String::from_utf8(plain).map_err(|_| fail())
}

/// What an API may show of a secret: its last four characters.
pub fn mask(secret: &str) -> String {
    let tail: String = secret
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("…{tail}")
}
