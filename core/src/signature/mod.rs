//! Every signature scheme Edge Checkout speaks, in one place.
//!
//! Each scheme is a module with `sign` and `verify` over the exact bytes that were
//! received or will be sent: never over re-serialised JSON. Verifying recomputes the
//! MAC and compares it in constant time (`Mac::verify_slice`). Hex is accepted in
//! either case. All schemes share one error type, [`SignatureError`].
//!
//! | scheme | header | formula |
//! |---|---|---|
//! | [`etn`] | `ETN-SIGNATURE` | hex HMAC-SHA256(api secret, raw body) |
//! | [`gateway`] | `X-Signature`, `X-Ecomtrade24-Signature`, `X-Webhook-Signature` (`sha256=` optional) | hex HMAC-SHA256(webhook secret, raw body) |
//! | [`order`] | `signature` field | hex HMAC-SHA256(app key, order_id . amount) |
//! | [`link`] | `secret` field | base64 HMAC-SHA512(api secret, SHA-256(`amount:::order_id:::apiKey`)) |
//! | [`forwarding`] | `X-Webhook-Signature` | hex HMAC-SHA256(signing secret, raw body) |
//! | [`standard`] | `webhook-id`, `webhook-timestamp`, `webhook-signature` | `v1,` base64 HMAC-SHA256(secret bytes, `id.timestamp.body`) |

use core::fmt;
use core::str::FromStr;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::time::UnixSeconds;

pub mod etn;
pub mod forwarding;
pub mod gateway;
pub mod link;
pub mod order;
pub mod standard;

/// Why a signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// No signature (or no timestamp) was sent, or it was empty.
    Missing,
    /// The signature is not in the scheme's format: wrong length or alphabet,
    /// undecodable base64, an unparsable timestamp.
    Malformed,
    /// Well-formed, but not the signature of this message with this secret.
    Mismatch,
    /// Signed longer ago than the tolerance allows: a possible replay.
    Stale {
        /// How many seconds old the timestamp is.
        age: i64,
    },
    /// Signed further in the future than the tolerance allows.
    Future {
        /// How many seconds ahead of `now` the timestamp is.
        ahead: i64,
    },
}

impl SignatureError {
    /// A stable machine-readable code for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            SignatureError::Missing => "signature_missing",
            SignatureError::Malformed => "signature_malformed",
            SignatureError::Mismatch => "signature_mismatch",
            SignatureError::Stale { .. } => "timestamp_stale",
            SignatureError::Future { .. } => "timestamp_future",
        }
    }
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Missing => f.write_str("signature missing"),
            SignatureError::Malformed => f.write_str("signature malformed"),
            SignatureError::Mismatch => f.write_str("signature mismatch"),
            SignatureError::Stale { age } => {
                write!(f, "timestamp is {age} s old, outside the replay window")
            }
            SignatureError::Future { ahead } => write!(f, "timestamp is {ahead} s in the future"),
        }
    }
}

impl std::error::Error for SignatureError {}

/// How far a signed timestamp may be from `now`, in seconds, either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tolerance {
    /// Seconds into the past that are still accepted.
    pub past: i64,
    /// Seconds into the future that are still accepted (clock skew).
    pub future: i64,
}

impl Tolerance {
    /// Five minutes either way: the ETN seed's advice and Standard Webhooks' default.
    pub const DEFAULT: Tolerance = Tolerance {
        past: 300,
        future: 300,
    };

    /// Checks a signed timestamp against `now`. The bounds are inclusive.
    pub fn check(&self, timestamp: UnixSeconds, now: UnixSeconds) -> Result<(), SignatureError> {
        let age = now.since(timestamp);
        if age > self.past {
            return Err(SignatureError::Stale { age });
        }
        let ahead = age.saturating_neg();
        if ahead > self.future {
            return Err(SignatureError::Future { ahead });
        }
        Ok(())
    }
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance::DEFAULT
    }
}

/// The signature schemes, by the names the CLI and docs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// [`etn`]
    Etn,
    /// [`gateway`]
    Gateway,
    /// [`order`]
    Order,
    /// [`link`]
    Link,
    /// [`forwarding`]
    Forwarding,
    /// [`standard`]
    Standard,
}

impl Scheme {
    /// Every scheme, in the order of the module table above.
    pub const ALL: [Scheme; 6] = [
        Scheme::Etn,
        Scheme::Gateway,
        Scheme::Order,
        Scheme::Link,
        Scheme::Forwarding,
        Scheme::Standard,
    ];

    /// The scheme's name (`"etn"`, `"standard"`...).
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Etn => "etn",
            Scheme::Gateway => "gateway",
            Scheme::Order => "order",
            Scheme::Link => "link",
            Scheme::Forwarding => "forwarding",
            Scheme::Standard => "standard",
        }
    }
}

impl FromStr for Scheme {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scheme::ALL
            .into_iter()
            .find(|scheme| scheme.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Scheme::ALL.iter().map(|s| s.name()).collect();
                format!("unknown scheme {s:?}; expected one of {}", names.join(", "))
            })
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// HMAC-SHA256 over the concatenation of `parts`.
fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac
}

/// Lowercase hex of HMAC-SHA256, as PHP's `hash_hmac('sha256', ...)` prints it.
fn sign_hex_sha256(key: &[u8], parts: &[&[u8]]) -> String {
    to_hex(&hmac_sha256(key, parts).finalize().into_bytes())
}

/// Verifies a hex HMAC-SHA256 (either case) in constant time.
fn verify_hex_sha256(key: &[u8], parts: &[&[u8]], signature: &str) -> Result<(), SignatureError> {
    let signature = signature.trim();
    if signature.is_empty() {
        return Err(SignatureError::Missing);
    }
    let bytes = from_hex(signature, 32).ok_or(SignatureError::Malformed)?;
    hmac_sha256(key, parts)
        .verify_slice(&bytes)
        .map_err(|_| SignatureError::Mismatch)
}

/// Lowercase hex (the project's one hex codec is the `hex` crate).
fn to_hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Decodes exactly `len` bytes of hex, upper or lower case.
fn from_hex(text: &str, len: usize) -> Option<Vec<u8>> {
    if text.len() != len * 2 {
        return None;
    }
    hex::decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_is_inclusive_both_ways() {
        let t = Tolerance::DEFAULT;
        assert_eq!(t.check(UnixSeconds(1000), UnixSeconds(1300)), Ok(()));
        assert_eq!(
            t.check(UnixSeconds(1000), UnixSeconds(1301)),
            Err(SignatureError::Stale { age: 301 })
        );
        assert_eq!(t.check(UnixSeconds(1300), UnixSeconds(1000)), Ok(()));
        assert_eq!(
            t.check(UnixSeconds(1301), UnixSeconds(1000)),
            Err(SignatureError::Future { ahead: 301 })
        );
        assert_eq!(
            t.check(UnixSeconds(i64::MIN), UnixSeconds(i64::MAX)),
            Err(SignatureError::Stale { age: i64::MAX })
        );
        assert!(matches!(
            t.check(UnixSeconds(i64::MAX), UnixSeconds(i64::MIN)),
            Err(SignatureError::Future { .. })
        ));
    }

    #[test]
    fn hex_decoding_accepts_either_case_and_nothing_else() {
        assert_eq!(from_hex("0aFf", 2), Some(vec![0x0a, 0xff]));
        assert_eq!(from_hex("0aF", 2), None);
        assert_eq!(from_hex("0g00", 2), None);
        assert_eq!(from_hex("+1ff", 2), None);
        assert_eq!(from_hex("é0", 1), None);
    }

    #[test]
    fn scheme_names_round_trip() {
        for scheme in Scheme::ALL {
            assert_eq!(scheme.name().parse::<Scheme>(), Ok(scheme));
        }
        assert!("ETN".parse::<Scheme>().is_err());
    }
}
