//! Secrets, typed: held in memory as [`SecretString`] (masked in `Debug`, revealed
//! only by an explicit `expose_secret()` where used) and at rest as [`Sealed`]
//! (AES-256-GCM under the deployer's `SECRETS_KEY`).
//!
//! Verifying a provider's HMAC needs the secret itself, so it cannot be hashed;
//! sealed, a copy of the KV namespace alone reveals nothing. A sealed value is
//! `v1:` + base64(12-byte nonce ‖ ciphertext ‖ tag).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
pub use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::random;

const PREFIX: &str = "v1:";

/// The shortest merchant secret accepted: the masked view shows four characters,
/// which must never be most of the secret.
pub const MIN_SECRET_LEN: usize = 16;

/// The key that seals merchant secrets, derived from `SECRETS_KEY`.
#[derive(Clone)]
pub struct SealingKey([u8; 32]);

impl SealingKey {
    /// Any length of secret text becomes a 256-bit AES key.
    pub fn derive(text: &str) -> SealingKey {
        SealingKey(Sha256::digest(text.as_bytes()).into())
    }
}

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(…)")
    }
}

/// A merchant secret as stored: sealed, so printing it reveals nothing.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sealed(String);

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealed(…)")
    }
}

impl Sealed {
    /// Encrypts a secret with a fresh random nonce.
    pub fn seal(key: &SealingKey, secret: &SecretString) -> ApiResult<Sealed> {
        let cipher = Aes256Gcm::new((&key.0).into());
        let nonce = random::bytes::<12>();
        let sealed = cipher
            .encrypt(Nonce::from_slice(&nonce), secret.expose_secret().as_bytes())
            .map_err(|_| ApiError::internal("secrets", "AES-GCM refused to seal"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(Sealed(format!("{PREFIX}{}", STANDARD.encode(out))))
    }

    /// Decrypts; fails if `SECRETS_KEY` changed or the value was tampered with.
    pub fn open(&self, key: &SealingKey) -> ApiResult<SecretString> {
        let fail =
            || ApiError::internal("secrets", "a sealed secret does not open with SECRETS_KEY");
        let bytes = self
            .0
            .strip_prefix(PREFIX)
            .and_then(|b| STANDARD.decode(b).ok())
            .filter(|b| b.len() >= 12 + 16)
            .ok_or_else(fail)?;
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = Aes256Gcm::new((&key.0).into())
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| fail())?;
        String::from_utf8(plain)
            .map(SecretString::from)
            .map_err(|_| fail())
    }
}

/// What an API may show of a secret: its last four characters.
pub fn mask(secret: &SecretString) -> String {
    let chars: Vec<char> = secret.expose_secret().chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("…{tail}")
}

/// Compares two secrets in constant time: both are hashed first, so neither the
/// position of the first difference nor the lengths leak through timing.
pub fn secret_eq(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Hex SHA-256: the stored form of API keys and of client-chosen text used in
/// storage keys (Idempotency-Key, order_id), which must be bounded and opaque.
pub fn digest(text: &str) -> String {
    digest_bytes(text.as_bytes())
}

/// Hex SHA-256 of bytes.
pub fn digest_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
