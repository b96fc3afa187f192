//! Standard Webhooks v1: the signature Edge Checkout puts on every webhook it sends.
//!
//! Three headers: `webhook-id`, `webhook-timestamp` (unix seconds) and
//! `webhook-signature`, a space-separated list of `v1,<base64>` entries so that a
//! secret can be rotated. Each entry is base64 HMAC-SHA256 over
//! `{id}.{timestamp}.{body}`, keyed by the base64-decoded bytes after `whsec_`.
//! The receiver accepts the message if any `v1` entry matches and the timestamp is
//! within the tolerance, both ways.

use core::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use hmac::Mac;

use super::{hmac_sha256, SignatureError, Tolerance};
use crate::time::UnixSeconds;

/// Header names, lower case as the specification writes them.
pub const ID_HEADER: &str = "webhook-id";
/// See [`ID_HEADER`].
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// See [`ID_HEADER`].
pub const SIGNATURE_HEADER: &str = "webhook-signature";

const SECRET_PREFIX: &str = "whsec_";

/// A signing secret: `whsec_` followed by base64 of the key bytes.
///
/// Its `Debug` form hides the key so that it never reaches a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

/// Why a `whsec_` secret was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretError {
    /// It does not start with `whsec_`.
    Prefix,
    /// What follows `whsec_` is not base64 of 16 to 64 bytes.
    Encoding,
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretError::Prefix => f.write_str("signing secret must start with whsec_"),
            SecretError::Encoding => {
                f.write_str("signing secret must be whsec_ followed by base64 of 16 to 64 bytes")
            }
        }
    }
}

impl std::error::Error for SecretError {}

impl Secret {
    /// Parses `whsec_...`.
    pub fn parse(text: &str) -> Result<Secret, SecretError> {
        let encoded = text
            .strip_prefix(SECRET_PREFIX)
            .ok_or(SecretError::Prefix)?;
        let bytes = STANDARD
            .decode(encoded)
            .map_err(|_| SecretError::Encoding)?;
        if !(16..=64).contains(&bytes.len()) {
            return Err(SecretError::Encoding);
        }
        Ok(Secret(bytes))
    }

    /// A secret made from random bytes that the caller drew.
    pub fn from_bytes(bytes: [u8; 32]) -> Secret {
        Secret(bytes.to_vec())
    }

    /// The `whsec_...` text, to show the merchant once.
    pub fn expose(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.0))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(whsec_…)")
    }
}

/// One `v1,<base64>` signature of a message.
pub fn sign(secret: &Secret, id: &str, timestamp: UnixSeconds, body: &[u8]) -> String {
    let ts = timestamp.0.to_string();
    let mac = hmac_sha256(&secret.0, &[id.as_bytes(), b".", ts.as_bytes(), b".", body]);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The three headers of a signed message, in order.
pub fn headers(
    secret: &Secret,
    id: &str,
    timestamp: UnixSeconds,
    body: &[u8],
) -> [(&'static str, String); 3] {
    [
        (ID_HEADER, id.to_owned()),
        (TIMESTAMP_HEADER, timestamp.0.to_string()),
        (SIGNATURE_HEADER, sign(secret, id, timestamp, body)),
    ]
}

/// Verifies a received message from its three header values.
///
/// The timestamp is checked first (a stale message is refused whatever its
/// signature), then every `v1` entry is tried; entries of other versions are
/// ignored, as the specification requires.
pub fn verify(
    secret: &Secret,
    id: &str,
    timestamp: &str,
    signatures: &str,
    body: &[u8],
    now: UnixSeconds,
    tolerance: Tolerance,
) -> Result<(), SignatureError> {
    if id.trim().is_empty() || timestamp.trim().is_empty() || signatures.trim().is_empty() {
        return Err(SignatureError::Missing);
    }
    let timestamp = timestamp.trim();
    let ts = UnixSeconds(timestamp.parse().map_err(|_| SignatureError::Malformed)?);
    tolerance.check(ts, now)?;
    let mut saw_v1 = false;
    for entry in signatures.split(' ').filter(|e| !e.is_empty()) {
        let Some(encoded) = entry.strip_prefix("v1,") else {
            continue;
        };
        saw_v1 = true;
        let Ok(bytes) = STANDARD.decode(encoded) else {
            continue;
        };
        // The signed text is the header as sent, not the number re-printed.
        let mac = hmac_sha256(
            &secret.0,
            &[id.as_bytes(), b".", timestamp.as_bytes(), b".", body],
        );
        if mac.verify_slice(&bytes).is_ok() {
            return Ok(());
        }
    }
    Err(if saw_v1 {
        SignatureError::Mismatch
    } else {
        SignatureError::Malformed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of the Standard Webhooks specification and reference libraries.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: UnixSeconds = UnixSeconds(1614265330);
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn matches_the_specification_example() {
        let secret = Secret::parse(SECRET).unwrap();
        assert_eq!(sign(&secret, ID, TS, BODY), SIG);
        assert_eq!(
            verify(&secret, ID, "1614265330", SIG, BODY, TS, Tolerance::DEFAULT),
            Ok(())
        );
    }

    #[test]
    fn accepts_any_matching_entry_and_skips_other_versions() {
        let secret = Secret::parse(SECRET).unwrap();
        let list = format!("v1a,abc v1,Zm9v {SIG}");
        assert_eq!(
            verify(
                &secret,
                ID,
                "1614265330",
                &list,
                BODY,
                TS,
                Tolerance::DEFAULT
            ),
            Ok(())
        );
        assert_eq!(
            verify(
                &secret,
                ID,
                "1614265330",
                "v2,abc",
                BODY,
                TS,
                Tolerance::DEFAULT
            ),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(
                &secret,
                ID,
                "1614265330",
                "v1,Zm9v",
                BODY,
                TS,
                Tolerance::DEFAULT
            ),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn checks_the_timestamp_both_ways() {
        let secret = Secret::parse(SECRET).unwrap();
        let check = |now| {
            verify(
                &secret,
                ID,
                "1614265330",
                SIG,
                BODY,
                now,
                Tolerance::DEFAULT,
            )
        };
        assert_eq!(check(TS.plus(301)), Err(SignatureError::Stale { age: 301 }));
        assert_eq!(
            check(TS.minus(301)),
            Err(SignatureError::Future { ahead: 301 })
        );
        assert_eq!(check(TS.plus(300)), Ok(()));
        assert_eq!(
            verify(&secret, ID, "soon", SIG, BODY, TS, Tolerance::DEFAULT),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(&secret, ID, "", SIG, BODY, TS, Tolerance::DEFAULT),
            Err(SignatureError::Missing)
        );
    }

    #[test]
    fn secrets_need_the_prefix_and_real_bytes() {
        assert_eq!(
            Secret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            Err(SecretError::Prefix)
        );
        assert_eq!(Secret::parse("whsec_!!!"), Err(SecretError::Encoding));
        assert_eq!(Secret::parse("whsec_YWJj"), Err(SecretError::Encoding));
        assert_eq!(Secret::parse(SECRET).unwrap().expose(), SECRET);
        assert_eq!(
            format!("{:?}", Secret::parse(SECRET).unwrap()),
            "Secret(whsec_…)"
        );
    }
}
