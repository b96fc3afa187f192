//! Currencies and their minor units.
//!
//! The table covers every fiat currency of the ETN rates feed (`price_xxx` keys),
//! a few common three-decimal and zero-decimal currencies, Bitcoin (which the feed
//! quotes with 8 decimals) and ETN itself. A [`Currency`] can only be obtained from
//! this table, so its minor units are always known.

use core::fmt;
use core::str::FromStr;

/// A currency known to Edge Checkout, with the number of decimals its amounts may carry.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    minor_units: u32,
}

/// Stored and sent as its code (`"EUR"`).
impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code)
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = <String as serde::Deserialize>::deserialize(d)?;
        Currency::from_code(&code).map_err(serde::de::Error::custom)
    }
}

/// `(code, minor units)`, sorted by code so that look-ups can binary-search.
const TABLE: &[(&str, u32)] = &[
    ("AED", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("BDT", 2),
    ("BHD", 3),
    ("BRL", 2),
    ("BTC", 8),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EGP", 2),
    ("ETN", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("GHS", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KHR", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("LKR", 2),
    ("MAD", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("NGN", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PEN", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("RON", 2),
    ("RUB", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TND", 3),
    ("TRY", 2),
    ("TWD", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("VES", 2),
    ("VND", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("ZAR", 2),
];

/// Why a currency code was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurrencyError {
    /// The code is not three ASCII letters (`"US"`, `"usd "`, `"€"`).
    Malformed,
    /// Three letters, but not a currency this product can price (`"XYZ"`).
    Unsupported(String),
}

impl CurrencyError {
    /// A stable machine-readable code for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            CurrencyError::Malformed => "currency_malformed",
            CurrencyError::Unsupported(_) => "currency_unsupported",
        }
    }
}

impl fmt::Display for CurrencyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CurrencyError::Malformed => {
                f.write_str("currency must be a three-letter upper-case ISO 4217 code")
            }
            CurrencyError::Unsupported(code) => write!(f, "currency {code} is not supported"),
        }
    }
}

impl std::error::Error for CurrencyError {}

impl Currency {
    /// The currency payment strings are denominated in.
    pub const ETN: Currency = Currency {
        code: "ETN",
        minor_units: 2,
    };
    /// The currency of the ETN spending cap.
    pub const EUR: Currency = Currency {
        code: "EUR",
        minor_units: 2,
    };

    /// Looks up an upper-case ISO 4217 code. Lower case is refused rather than
    /// normalised: an API that echoes the caller's currency must echo what it stores.
    pub fn from_code(code: &str) -> Result<Currency, CurrencyError> {
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(CurrencyError::Malformed);
        }
        TABLE
            .binary_search_by(|(c, _)| (*c).cmp(code))
            .map(|i| Currency {
                code: TABLE[i].0,
                minor_units: TABLE[i].1,
            })
            .map_err(|_| CurrencyError::Unsupported(code.to_owned()))
    }

    /// The ISO 4217 code, upper case.
    pub fn code(self) -> &'static str {
        self.code
    }

    /// How many decimals an amount in this currency may have (0 for JPY, 3 for KWD).
    pub fn minor_units(self) -> u32 {
        self.minor_units
    }

    /// Every supported currency, in code order.
    pub fn all() -> impl Iterator<Item = Currency> {
        TABLE
            .iter()
            .map(|&(code, minor_units)| Currency { code, minor_units })
    }
}

impl FromStr for Currency {
    type Err = CurrencyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique_so_binary_search_finds_everything() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        for (code, units) in TABLE {
            assert_eq!(Currency::from_code(code).unwrap().minor_units(), *units);
        }
    }

    #[test]
    fn zero_and_three_decimal_currencies() {
        assert_eq!(Currency::from_code("JPY").unwrap().minor_units(), 0);
        assert_eq!(Currency::from_code("KWD").unwrap().minor_units(), 3);
        assert_eq!(Currency::from_code("BTC").unwrap().minor_units(), 8);
    }

    #[test]
    fn refuses_malformed_and_unknown_codes() {
        assert_eq!(Currency::from_code("usd"), Err(CurrencyError::Malformed));
        assert_eq!(Currency::from_code("US"), Err(CurrencyError::Malformed));
        assert_eq!(Currency::from_code("U$D"), Err(CurrencyError::Malformed));
        assert_eq!(Currency::from_code("€€€"), Err(CurrencyError::Malformed));
        assert_eq!(
            Currency::from_code("XYZ"),
            Err(CurrencyError::Unsupported("XYZ".into()))
        );
    }
}
