//! Prefixed random ids (`cs_...`, `mer_...`, `key_...`, `EX-O...`).
//!
//! Each id type is made from random bytes the caller draws from a CSPRNG and is
//! validated when parsed, so that an id that exists has the right shape. The
//! prefix tells a human, and a log reader, what kind of thing it names.

use core::fmt;
use core::str::FromStr;

/// RFC 4648 base32 alphabet, lower case: unambiguous, URL-safe, and case-stable.
pub(crate) const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

pub(crate) fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Why an id was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError {
    /// What kind of id was expected (`"session id"`).
    pub kind: &'static str,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid {}", self.kind)
    }
}

impl std::error::Error for IdError {}

/// What every id type is besides its shape: its text (`as_str`, `AsRef`,
/// `Display`, `Debug`), serde as a string (read back through `FromStr`, so a
/// stored or sent id is checked like any other), and an OpenAPI schema.
macro_rules! text_id {
    ($name:ident, $description:expr) => {
        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some($description))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $bytes:literal, $kind:literal, $alphabet:expr, $encode:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The id's prefix.
            pub const PREFIX: &'static str = $prefix;

            /// A new id from random bytes drawn by the caller.
            pub fn from_random(bytes: [u8; $bytes]) -> $name {
                let encode: fn(&[u8]) -> String = $encode;
                $name(format!("{}{}", $prefix, encode(&bytes)))
            }
        }

        text_id!($name, concat!("A ", $kind, " (`", $prefix, "...`)."));

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let alphabet: &[u8] = $alphabet;
                let encode: fn(&[u8]) -> String = $encode;
                let len = encode(&[0u8; $bytes]).len();
                match s.strip_prefix($prefix) {
                    Some(rest) if rest.len() == len && rest.bytes().all(|b| alphabet.contains(&b)) => Ok($name(s.to_owned())),
                    _ => Err(IdError { kind: $kind }),
                }
            }
        }
    };
}

prefixed_id!(
    /// A merchant. 80 random bits.
    MerchantId, "mer_", 10, "merchant id", BASE32, base32
);
prefixed_id!(
    /// A merchant API key's public id (the key itself is secret). 80 random bits.
    KeyId, "key_", 10, "key id", BASE32, base32
);
prefixed_id!(
    /// An ewallet-orders-api wallet (one per merchant, user and currency).
    WalletId, "wal_", 10, "wallet id", BASE32, base32
);
mod numbering;
mod routed;

pub use numbering::Numbering;
pub use routed::{Home, IdKey, LinkId, PublicOrderId, Route, SessionId};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc_4648_vectors() {
        assert_eq!(base32(b"f"), "my");
        assert_eq!(base32(b"fo"), "mzxq");
        assert_eq!(base32(b"foobar"), "mzxw6ytboi");
    }

    #[test]
    fn ids_round_trip_and_reject_other_shapes() {
        let id = MerchantId::from_random([7; 10]);
        assert_eq!(id.as_str().len(), 4 + 16);
        assert_eq!(id.as_str().parse::<MerchantId>(), Ok(id.clone()));
        assert!("mer_short".parse::<MerchantId>().is_err());
        assert!(id.as_str().to_uppercase().parse::<MerchantId>().is_err());
        assert!(id
            .as_str()
            .replace("mer_", "mex_")
            .parse::<MerchantId>()
            .is_err());
    }
}
