//! ETN payment strings: `{vendor-address}/{payment-id}/{amount}`.
//!
//! Each part is its own type, validated once when parsed, so that a payment string
//! that exists is one the Electroneum app will accept. Formatting reproduces the
//! parsed text exactly (`parse(s).to_string() == s`).
//!
//! The browser widget links this module, and every byte it links is a byte a
//! shopper downloads: parsing, [`PaymentString::write_to`],
//! [`PaymentString::deep_link`] and [`PaymentStringError::message`] never go
//! through `core::fmt` (numbers are written by [`push_decimal`]). `Display` is
//! built on the same writers, for the CLI and the worker.

use core::fmt;
use core::str::FromStr;

use rust_decimal::Decimal;

use crate::money::{check_text, AmountError};
use crate::{Currency, Money};

/// What the ETN widget puts before the payment string, in its QR code and its link.
pub const ETN_DEEP_LINK_PREFIX: &str = "https://link.electroneum.com/jWEpM5HcxP?vendor=";

const VENDOR_PREFIX: &str = "etn-it-";
const OUTLET_LEN: usize = 13;
const PAYMENT_ID_LEN: usize = 10;

/// Why a payment string, or one of its parts, was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentStringError {
    /// Not three parts separated by `/` (`"a/b"`, `"a/b/c/d"`).
    Segments {
        /// How many `/`-separated parts there were.
        found: usize,
    },
    /// The vendor address does not start with `etn-it-`.
    VendorPrefix,
    /// The outlet id is not 13 characters long.
    OutletLength {
        /// The length found, in characters.
        found: usize,
    },
    /// The outlet id has a character other than `0-9` and `a-f`.
    OutletCharacters,
    /// The payment id is not 10 characters long.
    PaymentIdLength {
        /// The length found, in characters.
        found: usize,
    },
    /// The payment id has a character other than `0-9` and `a-f` (upper case included).
    PaymentIdNotHex,
    /// The amount is not a valid ETN amount.
    Amount(AmountError),
    /// The amount does not have exactly two decimals (`"12.5"`, `"12"`).
    AmountScale,
    /// The amount has a leading zero (`"0234.56"`): it would not print back as written.
    AmountLeadingZero,
}

impl PaymentStringError {
    /// A stable machine-readable code for API error bodies and console messages.
    pub fn code(&self) -> &'static str {
        match self {
            PaymentStringError::Segments { .. } => "payment_string_segments",
            PaymentStringError::VendorPrefix => "vendor_address_prefix",
            PaymentStringError::OutletLength { .. } => "outlet_id_length",
            PaymentStringError::OutletCharacters => "outlet_id_characters",
            PaymentStringError::PaymentIdLength { .. } => "payment_id_length",
            PaymentStringError::PaymentIdNotHex => "payment_id_not_hex",
            PaymentStringError::Amount(e) => e.code(),
            PaymentStringError::AmountScale => "amount_not_two_decimals",
            PaymentStringError::AmountLeadingZero => "amount_leading_zero",
        }
    }

    /// What is wrong, in English, without formatting: the same sentence as
    /// `Display` less the counts, for code that must not link `core::fmt` (the
    /// widget). Every refused amount gets one sentence saying what a valid one is.
    pub fn message(&self) -> &'static str {
        match self {
            PaymentStringError::Segments { .. } => {
                "payment string must be vendor-address/payment-id/amount"
            }
            PaymentStringError::VendorPrefix => "vendor address must start with \"etn-it-\"",
            PaymentStringError::OutletLength { .. } => "outlet id must be 13 characters",
            PaymentStringError::OutletCharacters => {
                "outlet id may only contain 0-9 and a-f (lowercase hexadecimal)"
            }
            PaymentStringError::PaymentIdLength { .. } => {
                "payment id must be 10 hexadecimal characters"
            }
            PaymentStringError::PaymentIdNotHex => {
                "payment id must be lowercase hexadecimal (0-9, a-f)"
            }
            PaymentStringError::Amount(_)
            | PaymentStringError::AmountScale
            | PaymentStringError::AmountLeadingZero => {
                "ETN amount must be a plain positive number with two decimals, like 1234.56"
            }
        }
    }
}

impl fmt::Display for PaymentStringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaymentStringError::Segments { found } => write!(
                f,
                "payment string must be vendor-address/payment-id/amount, found {found} part(s)"
            ),
            PaymentStringError::VendorPrefix => {
                f.write_str("vendor address must start with \"etn-it-\"")
            }
            PaymentStringError::OutletLength { found } => {
                write!(f, "outlet id must be 13 characters, found {found}")
            }
            PaymentStringError::OutletCharacters => {
                f.write_str("outlet id may only contain 0-9 and a-f (lowercase hexadecimal)")
            }
            PaymentStringError::PaymentIdLength { found } => {
                write!(
                    f,
                    "payment id must be 10 hexadecimal characters, found {found}"
                )
            }
            PaymentStringError::PaymentIdNotHex => {
                f.write_str("payment id must be lowercase hexadecimal (0-9, a-f)")
            }
            PaymentStringError::Amount(e) => write!(f, "ETN {e}"),
            PaymentStringError::AmountScale => {
                f.write_str("ETN amount must have exactly two decimals, like 1234.56")
            }
            PaymentStringError::AmountLeadingZero => {
                f.write_str("ETN amount must not start with a zero, like 0234.56")
            }
        }
    }
}

impl std::error::Error for PaymentStringError {}

/// The characters of `s` (bytes that start one), for the lengths errors
/// report: a plain loop, where `chars().count()` brings 1 KB of fast path to the
/// widget.
fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xc0 != 0x80).count()
}

/// The 13-character id of an ETN vendor outlet (`0abc123def456`): lowercase
/// hexadecimal, as ETN issues them (Electroneum's vendor-php refuses others).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OutletId(String);

impl FromStr for OutletId {
    type Err = PaymentStringError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let found = char_count(s);
        if found != OUTLET_LEN {
            return Err(PaymentStringError::OutletLength { found });
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(PaymentStringError::OutletCharacters);
        }
        Ok(OutletId(s.to_owned()))
    }
}

impl OutletId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl serde::Serialize for OutletId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for OutletId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// `etn-it-` followed by an [`OutletId`]: where an ETN payment goes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VendorAddress(OutletId);

impl VendorAddress {
    /// The address of an outlet.
    pub fn new(outlet: OutletId) -> VendorAddress {
        VendorAddress(outlet)
    }

    /// The outlet this address belongs to.
    pub fn outlet(&self) -> &OutletId {
        &self.0
    }
}

impl FromStr for VendorAddress {
    type Err = PaymentStringError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let outlet = s
            .strip_prefix(VENDOR_PREFIX)
            .ok_or(PaymentStringError::VendorPrefix)?;
        Ok(VendorAddress(outlet.parse()?))
    }
}

/// Ten lowercase hex characters identifying one payment to one vendor.
///
/// Made from five random bytes that the caller draws from a CSPRNG, as the seed's
/// `bin2hex(random_bytes(5))` does; core itself never draws randomness.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PaymentId([u8; PAYMENT_ID_LEN]);

impl PaymentId {
    /// The payment id whose hex spelling is `bytes`.
    pub fn from_bytes(bytes: [u8; 5]) -> PaymentId {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; PAYMENT_ID_LEN];
        for (i, b) in bytes.iter().enumerate() {
            out[2 * i] = HEX[(b >> 4) as usize];
            out[2 * i + 1] = HEX[(b & 0x0f) as usize];
        }
        PaymentId(out)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever stored, so this never falls back; no
        // panic path either (its message formatting would cost the widget).
        core::str::from_utf8(&self.0).unwrap_or("")
    }
}

/// Stored and sent as its 10 hex characters.
impl serde::Serialize for PaymentId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for PaymentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for PaymentId {
    type Err = PaymentStringError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let found = char_count(s);
        if found != PAYMENT_ID_LEN {
            return Err(PaymentStringError::PaymentIdLength { found });
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(PaymentStringError::PaymentIdNotHex);
        }
        let mut out = [0u8; PAYMENT_ID_LEN];
        out.copy_from_slice(s.as_bytes());
        Ok(PaymentId(out))
    }
}

/// A positive amount of ETN with exactly two decimals (`"1234.56"`).
///
/// Held as a whole number of hundredths: validating and printing one needs no
/// decimal arithmetic (the widget carries none), and [`EtnAmount::value`] gives
/// the exact `Decimal` where arithmetic is needed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EtnAmount(u64);

impl EtnAmount {
    /// Rounds a decimal to cents, half away from zero (PHP's `number_format`).
    ///
    /// Returns `Zero` when the result would be `0.00`, since no payment can be for
    /// nothing.
    pub fn round_from(value: Decimal) -> Result<EtnAmount, AmountError> {
        let rounded =
            value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        let mut money = Money::new(rounded, Currency::ETN)?.amount();
        money.rescale(2);
        // A valid Money is positive and at most MAX_AMOUNT, so its cents fit in u64.
        let cents = u64::try_from(money.mantissa()).map_err(|_| AmountError::TooLarge)?;
        Ok(EtnAmount(cents))
    }

    /// The amount in hundredths of an ETN.
    pub fn cents(&self) -> u64 {
        self.0
    }

    /// The amount in ETN.
    pub fn value(&self) -> Decimal {
        Decimal::new(self.0 as i64, 2)
    }

    /// The amount as money, for arithmetic with rates.
    pub fn to_money(&self) -> Money {
        Money::new(self.value(), Currency::ETN).expect("an EtnAmount is always valid money")
    }
}

impl FromStr for EtnAmount {
    type Err = PaymentStringError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (int, frac) = check_text(s, 2).map_err(PaymentStringError::Amount)?;
        if s.starts_with('0') && !s.starts_with("0.") {
            return Err(PaymentStringError::AmountLeadingZero);
        }
        let frac = frac
            .filter(|f| f.len() == 2)
            .ok_or(PaymentStringError::AmountScale)?;
        // check_text leaves only ASCII digits, at most twelve before the point and
        // two after: the cents fit in u64 and no digit can be anything else.
        let cents = int
            .bytes()
            .chain(frac.bytes())
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
        Ok(EtnAmount(cents))
    }
}

/// Stored and sent as its text (`"1234.56"`).
impl serde::Serialize for EtnAmount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut text = String::new();
        self.write_to(&mut text);
        s.serialize_str(&text)
    }
}

impl<'de> serde::Deserialize<'de> for EtnAmount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl EtnAmount {
    /// Appends the amount as text (`1234.56`), without `core::fmt`.
    pub fn write_to(&self, out: &mut String) {
        push_decimal(out, self.0 / 100);
        out.push('.');
        let cents = (self.0 % 100) as u8;
        out.push(char::from(b'0' + cents / 10));
        out.push(char::from(b'0' + cents % 10));
    }
}

/// Appends `n` in decimal, without `core::fmt` (which costs the widget about a
/// fifth of its size).
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// The whole `{vendor-address}/{payment-id}/{amount}` string that the ETN app pays.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PaymentString {
    vendor: VendorAddress,
    payment_id: PaymentId,
    amount: EtnAmount,
}

impl PaymentString {
    /// Assembles a payment string from parts that are valid by construction.
    pub fn new(vendor: VendorAddress, payment_id: PaymentId, amount: EtnAmount) -> PaymentString {
        PaymentString {
            vendor,
            payment_id,
            amount,
        }
    }

    /// Where the payment goes.
    pub fn vendor(&self) -> &VendorAddress {
        &self.vendor
    }

    /// Which payment this is.
    pub fn payment_id(&self) -> PaymentId {
        self.payment_id
    }

    /// How much ETN to pay.
    pub fn amount(&self) -> EtnAmount {
        self.amount
    }

    /// The link the ETN widget encodes and opens: the prefix followed by the payment
    /// string as it is (its characters need no percent-encoding).
    pub fn deep_link(&self) -> String {
        let mut link = String::with_capacity(ETN_DEEP_LINK_PREFIX.len() + 48);
        link.push_str(ETN_DEEP_LINK_PREFIX);
        self.write_to(&mut link);
        link
    }

    /// Appends the payment string as text, without `core::fmt`; `Display` prints
    /// the same.
    pub fn write_to(&self, out: &mut String) {
        out.push_str(VENDOR_PREFIX);
        out.push_str(self.vendor.outlet().as_str());
        out.push('/');
        out.push_str(self.payment_id.as_str());
        out.push('/');
        self.amount.write_to(out);
    }
}

impl FromStr for PaymentString {
    type Err = PaymentStringError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split('/');
        let (Some(vendor), Some(payment_id), Some(amount), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            let found = s.bytes().filter(|&b| b == b'/').count() + 1;
            return Err(PaymentStringError::Segments { found });
        };
        Ok(PaymentString {
            vendor: vendor.parse()?,
            payment_id: payment_id.parse()?,
            amount: amount.parse()?,
        })
    }
}

macro_rules! display_as_text {
    ($($ty:ty => |$v:ident, $f:ident| $body:expr;)*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, $f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let $v = self;
                $body
            }
        }
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($ty), self.to_string())
            }
        }
    )*};
}

display_as_text! {
    OutletId => |v, f| f.write_str(&v.0);
    VendorAddress => |v, f| write!(f, "{VENDOR_PREFIX}{}", v.0);
    PaymentId => |v, f| f.write_str(v.as_str());
    EtnAmount => |v, f| { let mut s = String::new(); v.write_to(&mut s); f.write_str(&s) };
    PaymentString => |v, f| { let mut s = String::new(); v.write_to(&mut s); f.write_str(&s) };
}

impl serde::Serialize for PaymentString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PaymentString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_EXAMPLE: &str = "etn-it-0abc123def456/7ce25b4dc0/1234.56";

    #[test]
    fn the_seed_example_round_trips() {
        let p: PaymentString = SEED_EXAMPLE.parse().unwrap();
        assert_eq!(p.to_string(), SEED_EXAMPLE);
        assert_eq!(p.vendor().outlet().as_str(), "0abc123def456");
        assert_eq!(p.payment_id().as_str(), "7ce25b4dc0");
        assert_eq!(p.amount().to_string(), "1234.56");
        assert_eq!(
            p.deep_link(),
            "https://link.electroneum.com/jWEpM5HcxP?vendor=etn-it-0abc123def456/7ce25b4dc0/1234.56"
        );
    }

    #[test]
    fn writers_match_display_and_need_no_fmt() {
        for text in [
            SEED_EXAMPLE,
            "etn-it-0abc123def456/0000000000/0.01",
            "etn-it-fffffffffffff/ffffffffff/999999999999.00",
            "etn-it-0abc123def456/7ce25b4dc0/10.50",
        ] {
            let p: PaymentString = text.parse().unwrap();
            let mut written = String::new();
            p.write_to(&mut written);
            assert_eq!(written, text);
            assert_eq!(p.to_string(), text);
            assert_eq!(p.deep_link(), format!("{ETN_DEEP_LINK_PREFIX}{text}"));
        }
        for n in [0u64, 7, 10, 99, 100, 12345, u64::MAX] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn every_error_has_a_message_without_formatting() {
        for bad in [
            "x",
            "btc-it-0abc123def456/7ce25b4dc0/1.00",
            "etn-it-0abc/7ce25b4dc0/1.00",
            "etn-it-0abc123DEF456/7ce25b4dc0/1.00",
            "etn-it-0abc123def456/7ce/1.00",
            "etn-it-0abc123def456/7ce25b4dcg/1.00",
            "etn-it-0abc123def456/7ce25b4dc0/1,00",
            "etn-it-0abc123def456/7ce25b4dc0/1.0",
            "etn-it-0abc123def456/7ce25b4dc0/01.00",
        ] {
            let err = bad.parse::<PaymentString>().unwrap_err();
            assert!(!err.message().is_empty(), "{bad}");
            // The message is the Display text up to any count.
            let display = err.to_string();
            let stem = err.message().split(',').next().unwrap();
            assert!(
                display.starts_with(stem) || err.code().starts_with("amount"),
                "{display} / {stem}"
            );
        }
    }

    #[test]
    fn payment_id_is_the_hex_of_its_bytes() {
        assert_eq!(
            PaymentId::from_bytes([0x7c, 0xe2, 0x5b, 0x4d, 0xc0]).as_str(),
            "7ce25b4dc0"
        );
        assert_eq!(PaymentId::from_bytes([0; 5]).as_str(), "0000000000");
        assert_eq!(PaymentId::from_bytes([0xff; 5]).as_str(), "ffffffffff");
    }

    #[test]
    fn each_bad_part_is_named() {
        use PaymentStringError as E;
        let cases = [
            ("etn-it-0abc123def456/7ce25b4dc0", E::Segments { found: 2 }),
            (
                "etn-it-0abc123def456/7ce25b4dc0/1234.56/",
                E::Segments { found: 4 },
            ),
            (
                "etn-it-0abc123def456//7ce25b4dc0/1234.56",
                E::Segments { found: 4 },
            ),
            ("", E::Segments { found: 1 }),
            ("btc-it-0abc123def456/7ce25b4dc0/1234.56", E::VendorPrefix),
            ("ETN-IT-0abc123def456/7ce25b4dc0/1234.56", E::VendorPrefix),
            (
                "etn-it-0abc123def45/7ce25b4dc0/1234.56",
                E::OutletLength { found: 12 },
            ),
            (
                "etn-it-0abc123def4567/7ce25b4dc0/1234.56",
                E::OutletLength { found: 14 },
            ),
            (
                "etn-it-0abc123DEF456/7ce25b4dc0/1234.56",
                E::OutletCharacters,
            ),
            (
                "etn-it-<script>alert/7ce25b4dc0/1234.56",
                E::OutletCharacters,
            ),
            (
                "etn-it-0abc123def456/7ce25b4dc/1234.56",
                E::PaymentIdLength { found: 9 },
            ),
            (
                "etn-it-0abc123def456/7ce25b4dcg/1234.56",
                E::PaymentIdNotHex,
            ),
            (
                "etn-it-0abc123def456/7CE25B4DC0/1234.56",
                E::PaymentIdNotHex,
            ),
            (
                "etn-it-0abc123def456/7ce25b4dc0/1234.567",
                E::Amount(AmountError::TooManyDecimals { max: 2 }),
            ),
            (
                "etn-it-0abc123def456/7ce25b4dc0/1,234.56",
                E::Amount(AmountError::ThousandsSeparator),
            ),
            ("etn-it-0abc123def456/7ce25b4dc0/1234.5", E::AmountScale),
            ("etn-it-0abc123def456/7ce25b4dc0/1234", E::AmountScale),
            (
                "etn-it-0abc123def456/7ce25b4dc0/0.00",
                E::Amount(AmountError::Zero),
            ),
            (
                "etn-it-0abc123def456/7ce25b4dc0/-1.00",
                E::Amount(AmountError::Negative),
            ),
            (
                "etn-it-0abc123def456/7ce25b4dc0/1e3",
                E::Amount(AmountError::Exponent),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(text.parse::<PaymentString>(), Err(want), "{text:?}");
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let r = |s: &str| EtnAmount::round_from(s.parse().unwrap()).map(|a| a.to_string());
        assert_eq!(r("0.125").unwrap(), "0.13");
        assert_eq!(r("0.135").unwrap(), "0.14");
        assert_eq!(r("0.124999").unwrap(), "0.12");
        assert_eq!(r("2").unwrap(), "2.00");
        assert_eq!(r("0.004"), Err(AmountError::Zero));
        assert_eq!(r("0.005").unwrap(), "0.01");
    }
}
