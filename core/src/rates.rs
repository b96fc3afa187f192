//! ETN exchange rates and the fiat → ETN conversion.
//!
//! The rates feed (`app-value-v2.json`) maps `price_xxx` keys to the price of one
//! ETN in currency `xxx`, as a JSON number or a string. The seed's conversion is
//! `number_format($amount / $rate, 2)`: divide, round to cents half away from zero,
//! add no fee. Here it is done in exact decimals.

use core::fmt;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::value::RawValue;

use crate::{Currency, EtnAmount, Money};

/// The most a single ETN vendor payment may be worth, in euros (inclusive).
pub const ETN_CAP_EUR: Decimal = Decimal::from_parts(500, 0, 0, false, 0);

/// Why rates could not be read or a price could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RatesError {
    /// The feed is not a JSON object.
    Malformed(String),
    /// The feed has no `price_xxx` key for the currency.
    Missing(Currency),
    /// The rate is present but is not a decimal number (`"abc"`, `null`, `true`).
    Invalid(Currency),
    /// The rate is zero or negative.
    NotPositive(Currency),
    /// The converted amount is worth more than €500, the ETN vendor cap.
    OverCap {
        /// What the ETN amount is worth in euros at `price_eur`.
        eur: Decimal,
    },
    /// The converted amount rounds to 0.00 ETN.
    TooSmall,
}

impl RatesError {
    /// A stable machine-readable code for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            RatesError::Malformed(_) => "rates_malformed",
            RatesError::Missing(_) => "rate_missing",
            RatesError::Invalid(_) => "rate_invalid",
            RatesError::NotPositive(_) => "rate_not_positive",
            RatesError::OverCap { .. } => "amount_over_cap",
            RatesError::TooSmall => "amount_too_small",
        }
    }
}

impl fmt::Display for RatesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RatesError::Malformed(why) => write!(f, "rates feed is not valid: {why}"),
            RatesError::Missing(c) => write!(f, "no ETN rate for {c}"),
            RatesError::Invalid(c) => write!(f, "the ETN rate for {c} is not a number"),
            RatesError::NotPositive(c) => write!(f, "the ETN rate for {c} is not positive"),
            RatesError::OverCap { eur } => {
                write!(
                    f,
                    "amount is worth €{eur}, over the €500 limit of ETN vendor payments"
                )
            }
            RatesError::TooSmall => f.write_str("amount is worth less than 0.01 ETN"),
        }
    }
}

impl std::error::Error for RatesError {}

/// A snapshot of the rates feed: price of one ETN per currency.
///
/// Keeps every `price_xxx` entry as raw text and validates a rate only when it is
/// used, so that one odd entry in the feed does not stop payments in every other
/// currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rates {
    raw: BTreeMap<String, String>,
}

impl Rates {
    /// Reads the feed's JSON text.
    pub fn parse(json: &str) -> Result<Rates, RatesError> {
        let map: BTreeMap<String, &RawValue> =
            serde_json::from_str(json).map_err(|e| RatesError::Malformed(e.to_string()))?;
        let raw = map
            .into_iter()
            .filter_map(|(key, value)| {
                let code = key.strip_prefix("price_")?.to_ascii_uppercase();
                Some((code, value.get().to_owned()))
            })
            .collect();
        Ok(Rates { raw })
    }

    /// The price of one ETN in `currency` (1 for ETN itself).
    pub fn rate(&self, currency: Currency) -> Result<Decimal, RatesError> {
        if currency == Currency::ETN {
            return Ok(Decimal::ONE);
        }
        let raw = self
            .raw
            .get(currency.code())
            .ok_or(RatesError::Missing(currency))?;
        // A string holds the number's text; a JSON number is its own text.
        let text = match serde_json::from_str::<String>(raw) {
            Ok(s) => s,
            Err(_) => raw.clone(),
        };
        let text = text.trim();
        let rate = Decimal::from_str_exact(text)
            .or_else(|_| Decimal::from_scientific(text))
            .map_err(|_| RatesError::Invalid(currency))?;
        if rate <= Decimal::ZERO {
            return Err(RatesError::NotPositive(currency));
        }
        Ok(rate)
    }

    /// Converts a price to ETN: `amount / rate`, rounded to cents half away from
    /// zero, no fee; then checks the €500 cap on what that ETN is worth at
    /// `price_eur` (exactly €500 passes).
    ///
    /// ```
    /// # use checkout_core::{Currency, Money, Rates, RatesError};
    /// let rates = Rates::parse(r#"{"price_eur": "0.002", "price_usd": 0.0025}"#).unwrap();
    /// let usd = Currency::from_code("USD").unwrap();
    /// assert_eq!(rates.to_etn(&Money::parse("10", usd).unwrap()).unwrap().to_string(), "4000.00");
    /// assert!(matches!(rates.to_etn(&Money::parse("700", usd).unwrap()), Err(RatesError::OverCap { .. })));
    /// ```
    pub fn to_etn(&self, price: &Money) -> Result<EtnAmount, RatesError> {
        let rate = self.rate(price.currency())?;
        let etn = price
            .amount()
            .checked_div(rate)
            .ok_or(RatesError::OverCap { eur: Decimal::MAX })?;
        let etn = EtnAmount::round_from(etn).map_err(|e| match e {
            crate::AmountError::Zero => RatesError::TooSmall,
            _ => RatesError::OverCap { eur: Decimal::MAX },
        })?;
        let eur = self.eur_value(etn)?;
        if eur > ETN_CAP_EUR {
            return Err(RatesError::OverCap { eur });
        }
        Ok(etn)
    }

    /// What an ETN amount is worth in euros at `price_eur`, unrounded.
    pub fn eur_value(&self, etn: EtnAmount) -> Result<Decimal, RatesError> {
        let price_eur = self.rate(Currency::EUR)?;
        etn.value()
            .checked_mul(price_eur)
            .ok_or(RatesError::OverCap { eur: Decimal::MAX })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(amount: &str, code: &str) -> Money {
        Money::parse(amount, Currency::from_code(code).unwrap()).unwrap()
    }

    #[test]
    fn rates_may_be_numbers_or_strings() {
        let rates =
            Rates::parse(r#"{"price_eur": 0.002, "price_gbp": "0.0017", "other": 1}"#).unwrap();
        assert_eq!(rates.rate(Currency::EUR).unwrap().to_string(), "0.002");
        assert_eq!(
            rates
                .rate(Currency::from_code("GBP").unwrap())
                .unwrap()
                .to_string(),
            "0.0017"
        );
    }

    #[test]
    fn the_seed_php_example() {
        // $amount = 9.95 GBP; $etn = number_format(9.95 / rate, 2, '.', '')
        let rates = Rates::parse(r#"{"price_eur": "0.0021", "price_gbp": "0.0018"}"#).unwrap();
        assert_eq!(
            rates.to_etn(&money("9.95", "GBP")).unwrap().to_string(),
            "5527.78"
        );
    }

    #[test]
    fn halfway_cases_round_away_from_zero() {
        let rates =
            Rates::parse(r#"{"price_eur": "1", "price_usd": "2", "price_jpy": "8"}"#).unwrap();
        // 0.05 / 2 = 0.025 -> 0.03; 0.07 / 2 = 0.035 -> 0.04; 0.01 / 2 = 0.005 -> 0.01
        assert_eq!(
            rates.to_etn(&money("0.05", "USD")).unwrap().to_string(),
            "0.03"
        );
        assert_eq!(
            rates.to_etn(&money("0.07", "USD")).unwrap().to_string(),
            "0.04"
        );
        assert_eq!(
            rates.to_etn(&money("0.01", "USD")).unwrap().to_string(),
            "0.01"
        );
        // 1 / 8 = 0.125 -> 0.13; 3 / 8 = 0.375 -> 0.38
        assert_eq!(
            rates.to_etn(&money("1", "JPY")).unwrap().to_string(),
            "0.13"
        );
        assert_eq!(
            rates.to_etn(&money("3", "JPY")).unwrap().to_string(),
            "0.38"
        );
    }

    #[test]
    fn bad_rates_are_errors() {
        let usd = Currency::from_code("USD").unwrap();
        let rates = Rates::parse(
            r#"{"price_eur": "1", "price_usd": 0, "price_gbp": "-1", "price_jpy": "abc", "price_chf": null, "price_cad": true}"#,
        )
        .unwrap();
        assert_eq!(
            rates.to_etn(&money("1", "USD")),
            Err(RatesError::NotPositive(usd))
        );
        assert!(matches!(
            rates.to_etn(&money("1", "GBP")),
            Err(RatesError::NotPositive(_))
        ));
        assert!(matches!(
            rates.to_etn(&money("1", "JPY")),
            Err(RatesError::Invalid(_))
        ));
        assert!(matches!(
            rates.to_etn(&money("1", "CHF")),
            Err(RatesError::Invalid(_))
        ));
        assert!(matches!(
            rates.to_etn(&money("1", "CAD")),
            Err(RatesError::Invalid(_))
        ));
        assert!(matches!(
            rates.to_etn(&money("1", "SEK")),
            Err(RatesError::Missing(_))
        ));
        assert!(matches!(
            Rates::parse("[1,2]"),
            Err(RatesError::Malformed(_))
        ));
        assert!(matches!(
            Rates::parse("not json"),
            Err(RatesError::Malformed(_))
        ));
    }

    #[test]
    fn cap_is_inclusive_and_measured_in_eur() {
        let rates = Rates::parse(r#"{"price_eur": "0.002", "price_usd": "0.0025"}"#).unwrap();
        // 500 EUR / 0.002 = 250000.00 ETN, worth exactly 500 EUR: allowed.
        assert_eq!(
            rates.to_etn(&money("500", "EUR")).unwrap().to_string(),
            "250000.00"
        );
        // 500.01 EUR is one cent over.
        assert_eq!(
            rates.to_etn(&money("500.01", "EUR")),
            Err(RatesError::OverCap {
                eur: "500.01000".parse().unwrap()
            })
        );
        // 625 USD / 0.0025 = 250000 ETN = 500 EUR: allowed; 625.01 USD is over.
        assert!(rates.to_etn(&money("625", "USD")).is_ok());
        assert!(matches!(
            rates.to_etn(&money("625.01", "USD")),
            Err(RatesError::OverCap { .. })
        ));
        // The cap needs price_eur even for other currencies.
        let no_eur = Rates::parse(r#"{"price_usd": "0.0025"}"#).unwrap();
        assert_eq!(
            no_eur.to_etn(&money("1", "USD")),
            Err(RatesError::Missing(Currency::EUR))
        );
    }

    #[test]
    fn tiny_amounts_are_refused() {
        let rates = Rates::parse(r#"{"price_eur": "1", "price_usd": "1000"}"#).unwrap();
        assert_eq!(rates.to_etn(&money("1", "USD")), Err(RatesError::TooSmall));
    }

    #[test]
    fn etn_prices_convert_at_one() {
        let rates = Rates::parse(r#"{"price_eur": "0.002"}"#).unwrap();
        assert_eq!(
            rates.to_etn(&money("12.5", "ETN")).unwrap().to_string(),
            "12.50"
        );
    }
}
