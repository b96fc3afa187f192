//! Exact amounts of money.
//!
//! Amounts travel as text (`"149.98"`) and are parsed once, here, into a
//! [`rust_decimal::Decimal`]. The parser is deliberately strict: a checkout that
//! guesses what `"1,234"` or `"1e3"` meant charges somebody the wrong price.

use core::fmt;

use rust_decimal::Decimal;

use crate::Currency;

/// The largest amount accepted in any currency, in major units.
///
/// Far above any real checkout (the ETN cap is €500) yet small enough that no
/// conversion can overflow a `Decimal`.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(3_567_587_327, 232, 0, false, 0); // 999_999_999_999

/// Why an amount was refused. Each case names one mistake a caller can fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    /// Nothing, or only whitespace.
    Empty,
    /// A leading `-` (or a negative number).
    Negative,
    /// The amount is zero (`"0"`, `"0.00"`).
    Zero,
    /// Scientific notation such as `"1e3"` or `"2.5E-1"`.
    Exponent,
    /// A grouping character such as `"1,234.56"`, `"1 234"`, `"1_234"` or `"1'234"`.
    ThousandsSeparator,
    /// More decimals than the currency has minor units (`"9.999"` in USD, `"5.5"` in JPY).
    TooManyDecimals {
        /// The most decimals the currency allows.
        max: u32,
    },
    /// Above [`MAX_AMOUNT`].
    TooLarge,
    /// Anything else that is not a plain decimal number (`"abc"`, `"1.2.3"`, `".5"`, `"+5"`).
    Malformed,
}

impl AmountError {
    /// A stable machine-readable code for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            AmountError::Empty => "amount_missing",
            AmountError::Negative => "amount_negative",
            AmountError::Zero => "amount_zero",
            AmountError::Exponent => "amount_exponent",
            AmountError::ThousandsSeparator => "amount_thousands_separator",
            AmountError::TooManyDecimals { .. } => "amount_too_many_decimals",
            AmountError::TooLarge => "amount_too_large",
            AmountError::Malformed => "amount_malformed",
        }
    }
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::Empty => f.write_str("amount is empty"),
            AmountError::Negative => f.write_str("amount must not be negative"),
            AmountError::Zero => f.write_str("amount must be greater than zero"),
            AmountError::Exponent => f.write_str("amount must not use exponent notation"),
            AmountError::ThousandsSeparator => {
                f.write_str("amount must not contain thousands separators")
            }
            AmountError::TooManyDecimals { max: 0 } => {
                f.write_str("amount must be a whole number in this currency")
            }
            AmountError::TooManyDecimals { max } => {
                write!(f, "amount has more than {max} decimals")
            }
            AmountError::TooLarge => f.write_str("amount is too large"),
            AmountError::Malformed => {
                f.write_str("amount must be a plain decimal number like 149.98")
            }
        }
    }
}

impl std::error::Error for AmountError {}

/// Parses a plain positive decimal with at most `max_decimals` decimals.
///
/// Accepted: `"149.98"`, `"150"`, `"150.0"`, `"0.5"`. Refused, each with its own
/// error: see [`AmountError`]. Trailing zeros are kept (`"150.00"` has scale 2), so
/// the text can be reproduced exactly.
pub(crate) fn parse_decimal(text: &str, max_decimals: u32) -> Result<Decimal, AmountError> {
    let (int, frac) = check_text(text, max_decimals)?;
    let digits = match frac {
        Some(frac) => format!("{int}.{frac}"),
        None => int.to_owned(),
    };
    let value = Decimal::from_str_exact(&digits).map_err(|_| AmountError::Malformed)?;
    if value > MAX_AMOUNT {
        return Err(AmountError::TooLarge);
    }
    Ok(value)
}

/// Every check of [`parse_decimal`] that needs no arithmetic, so that code which
/// only validates amounts (the widget) carries no decimal library. Returns the
/// integer digits without leading zeros (`"0"` at least) and the fraction digits.
pub(crate) fn check_text(
    text: &str,
    max_decimals: u32,
) -> Result<(&str, Option<&str>), AmountError> {
    if text.trim().is_empty() {
        return Err(AmountError::Empty);
    }
    let bytes = text.as_bytes();
    if bytes[0] == b'-' {
        return Err(AmountError::Negative);
    }
    if bytes.iter().any(|b| matches!(b, b'e' | b'E'))
        && bytes
            .iter()
            .all(|b| b.is_ascii_digit() || b"eE.+-".contains(b))
    {
        return Err(AmountError::Exponent);
    }
    // Only digits, points and grouping characters: a grouped number, not a typo.
    let grouping = |b: &u8| matches!(b, b',' | b'_' | b' ' | b'\'');
    if bytes.iter().any(grouping)
        && bytes
            .iter()
            .all(|b| b.is_ascii_digit() || *b == b'.' || grouping(b))
    {
        return Err(AmountError::ThousandsSeparator);
    }
    let (int, frac) = match text.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (text, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return Err(AmountError::Malformed);
    }
    let decimals = frac.map_or(0, |f| f.len());
    if decimals > max_decimals as usize {
        return Err(AmountError::TooManyDecimals { max: max_decimals });
    }
    let int = int.trim_start_matches('0');
    let fraction_is_zero = frac.is_none_or(|f| f.bytes().all(|b| b == b'0'));
    // MAX_AMOUNT is twelve nines: more digits, or twelve nines and a fraction, is over.
    if int.len() > 12 || (int == "999999999999" && !fraction_is_zero) {
        return Err(AmountError::TooLarge);
    }
    if int.is_empty() && fraction_is_zero {
        return Err(AmountError::Zero);
    }
    Ok((if int.is_empty() { "0" } else { int }, frac))
}

/// A positive amount in a known currency, never with more decimals than the
/// currency allows.
///
/// The original scale is kept: `Money::parse("150.00", usd)` prints as `150.00`,
/// which matters wherever a signature covers the amount text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// Parses the amount text of an API request in the given currency.
    ///
    /// ```
    /// use checkout_core::{AmountError, Currency, Money};
    /// let usd = Currency::from_code("USD").unwrap();
    /// assert_eq!(Money::parse("149.98", usd).unwrap().to_string(), "149.98");
    /// assert_eq!(Money::parse("1,149.98", usd), Err(AmountError::ThousandsSeparator));
    /// assert_eq!(Money::parse("9.999", usd), Err(AmountError::TooManyDecimals { max: 2 }));
    /// ```
    pub fn parse(text: &str, currency: Currency) -> Result<Money, AmountError> {
        parse_decimal(text, currency.minor_units()).map(|amount| Money { amount, currency })
    }

    /// Builds an amount from a decimal that is already known to be valid.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Money, AmountError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(AmountError::Negative);
        }
        if amount.is_zero() {
            return Err(AmountError::Zero);
        }
        if amount.scale() > currency.minor_units() {
            let normalized = amount.normalize();
            if normalized.scale() > currency.minor_units() {
                return Err(AmountError::TooManyDecimals {
                    max: currency.minor_units(),
                });
            }
            return Money::new(normalized, currency);
        }
        if amount > MAX_AMOUNT {
            return Err(AmountError::TooLarge);
        }
        Ok(Money { amount, currency })
    }

    /// The amount in major units, exactly as parsed.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency of the amount.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The amount written with exactly the currency's minor units (`150` → `"150.00"` in USD).
    pub fn to_canonical_string(&self) -> String {
        let mut d = self.amount;
        d.rescale(self.currency.minor_units());
        d.to_string()
    }
}

impl fmt::Display for Money {
    /// The amount as parsed, without the currency (`"149.98"`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.amount, f)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency.code())
    }
}

/// Stored and sent as `{"amount": "149.98", "currency": "USD"}`: text, never a float.
impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Money", 2)?;
        st.serialize_field("amount", &self.amount.to_string())?;
        st.serialize_field("currency", self.currency.code())?;
        st.end()
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Wire {
            amount: String,
            currency: String,
        }
        let wire = Wire::deserialize(d)?;
        let currency = Currency::from_code(&wire.currency).map_err(serde::de::Error::custom)?;
        Money::parse(&wire.amount, currency).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::from_code("USD").unwrap()
    }

    #[test]
    fn max_amount_constant_is_what_it_says() {
        assert_eq!(MAX_AMOUNT.to_string(), "999999999999");
    }

    #[test]
    fn keeps_the_scale_it_was_given() {
        assert_eq!(Money::parse("150.00", usd()).unwrap().to_string(), "150.00");
        assert_eq!(Money::parse("150", usd()).unwrap().to_string(), "150");
        assert_eq!(
            Money::parse("150", usd()).unwrap().to_canonical_string(),
            "150.00"
        );
        assert_eq!(Money::parse("007.5", usd()).unwrap().to_string(), "7.5");
        assert_eq!(
            Money::parse(&format!("{}1.00", "0".repeat(40)), usd())
                .unwrap()
                .to_string(),
            "1.00"
        );
    }

    #[test]
    fn each_mistake_has_its_own_error() {
        let cases = [
            ("", AmountError::Empty),
            ("  ", AmountError::Empty),
            ("-1.00", AmountError::Negative),
            ("-0", AmountError::Negative),
            ("0", AmountError::Zero),
            ("0.00", AmountError::Zero),
            ("1e3", AmountError::Exponent),
            ("2.5E-1", AmountError::Exponent),
            ("1,234.56", AmountError::ThousandsSeparator),
            ("1 234", AmountError::ThousandsSeparator),
            ("1_234", AmountError::ThousandsSeparator),
            ("1'234", AmountError::ThousandsSeparator),
            ("9.999", AmountError::TooManyDecimals { max: 2 }),
            ("1000000000000", AmountError::TooLarge),
            ("99999999999999999999999999999999", AmountError::TooLarge),
            ("abc", AmountError::Malformed),
            ("YOUR_AMOUNT_HERE", AmountError::Malformed),
            ("1,5x", AmountError::Malformed),
            ("1.2.3", AmountError::Malformed),
            (".5", AmountError::Malformed),
            ("5.", AmountError::Malformed),
            ("+5", AmountError::Malformed),
            ("0x10", AmountError::Malformed),
            ("١٢", AmountError::Malformed),
            ("NaN", AmountError::Malformed),
            ("Infinity", AmountError::Malformed),
            ("1.5e", AmountError::Exponent),
        ];
        for (text, want) in cases {
            assert_eq!(Money::parse(text, usd()), Err(want), "{text:?}");
        }
    }

    #[test]
    fn minor_units_follow_the_currency() {
        let jpy = Currency::from_code("JPY").unwrap();
        assert_eq!(
            Money::parse("5.5", jpy),
            Err(AmountError::TooManyDecimals { max: 0 })
        );
        assert!(Money::parse("500", jpy).is_ok());
        let kwd = Currency::from_code("KWD").unwrap();
        assert_eq!(Money::parse("1.234", kwd).unwrap().to_string(), "1.234");
    }

    #[test]
    fn new_normalises_trailing_zeros_but_not_real_decimals() {
        let d: Decimal = "12.3400".parse().unwrap();
        assert_eq!(Money::new(d, usd()).unwrap().to_string(), "12.34");
        let d: Decimal = "12.345".parse().unwrap();
        assert_eq!(
            Money::new(d, usd()),
            Err(AmountError::TooManyDecimals { max: 2 })
        );
    }
}
