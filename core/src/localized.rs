//! Prices written the local way: `1.249,95 €` in German, `€1,249.95` in English,
//! `₹12,34,567.50` in Hindi.
//!
//! The hosted checkout page (rendered by the Worker) writes prices with
//! [`money`]; the browser widget writes ETN amounts with [`etn`] or [`number`].
//! Both run in wasm without `Intl` or ICU, so the data they need is a small
//! table generated from CLDR (`localized/cldr.rs`, written by
//! `node core/cldr/generate.mjs` from Node's own `Intl`, whose ICU and CLDR
//! versions the file's header names). The output is meant to be exactly what
//! `new Intl.NumberFormat(tag, {style: "currency", currency, minimumFractionDigits: d,
//! maximumFractionDigits: d}).format(x)` gives, character for character, including
//! the no-break spaces (U+00A0, U+202F) and bidi marks (U+200E, U+200F) ICU puts
//! in; the oracle test `tests/http/prices.rs` compares the two for every locale,
//! currency and a spread of amounts.
//!
//! What is modelled, per locale: the decimal and group separators; the grouping
//! sizes (3 everywhere, then 2 in Hindi's `12,34,567`); the minimum grouping
//! digits (2 in es, it, pl, hu, ...: `1234,50` but `12.345,50`, as CLDR and `Intl`
//! say); the currency pattern (symbol before or after the number, the text
//! around it, and the space ICU adds between a letter-ending symbol and a digit:
//! `€1.00` but `ETN 1.00`); the minus sign and where it goes.
//!
//! Deliberate limits:
//! - **Latin digits (0-9) in every locale.** Of the supported locales only Persian
//!   (`fa`) defaults to other digits (`۱٬۲۳۴٫۵۰`); it is written as
//!   `fa-u-nu-latn` is (`1,234.50`), with that numbering system's separators, so a
//!   price reads the same as the Latin-digit amounts in payment strings and QR codes.
//! - **Exact tags only.** A tag is matched ASCII-case-insensitively against the 42
//!   supported ones ([`locales`]); anything else, regional variants included, is
//!   written as `en`. Regional variants are not guessed from their language,
//!   because they often format differently (`pt-PT` is `1249,95 €` where `pt` is
//!   `€ 1.249,95`; `de-CH` groups with `’`); callers negotiate the language first.
//! - **Rounding is half away from zero** (half-up for the non-negative amounts
//!   prices are), `Intl`'s default `halfExpand`, and the rule the rest of core
//!   rounds ETN with: `0.125` EUR is `0.13`, `2.5` JPY is `3`.
//! - **Amounts are meant to be `>= 0`.** A negative amount is still written the
//!   way `Intl` writes it (`-€5.00`, `€ -5,00` in Dutch, `−5,00 kr` in Swedish
//!   with U+2212), except that an amount which rounds to zero never carries a sign
//!   (`Intl` writes `-€0.00` for `-0.001`; a price never should).
//!
//! The separators and patterns (`cldr::LOCALES`) and the currency symbols
//! (`cldr::SYMBOLS`) are separate tables, and only [`money`] reads the symbols:
//! the widget, which calls [`number`] and [`etn`] only, does not carry the
//! symbol table in its wasm.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::Currency;

// Generated data: formatted by its generator, not by rustfmt.
#[rustfmt::skip]
mod cldr;

/// How a locale writes numbers, from CLDR (one row of [`cldr::LOCALES`]).
struct Locale {
    /// The BCP-47 tag, as listed in [`locales`].
    tag: &'static str,
    /// The decimal separator (`.` or `,`).
    decimal: &'static str,
    /// The group separator (`,`, `.`, U+00A0, U+202F).
    group: &'static str,
    /// What is written before a negative number: `-`, U+2212, or either after a
    /// left-to-right mark (ar, he, ur, fa), so that it stays left of the digits.
    minus: &'static str,
    /// Digits in the lowest group (3).
    primary: u8,
    /// Digits in each higher group (3; 2 in Indian grouping).
    secondary: u8,
    /// Digits above the lowest group needed before grouping at all (1 or 2).
    min_grouping: u8,
    /// How a currency amount is written.
    currency: CurrencyPattern,
}

/// `lead symbol mid number tail` or `lead number mid symbol tail`.
struct CurrencyPattern {
    /// Whether the symbol comes before the number.
    symbol_first: bool,
    /// Text before everything (a bidi mark in ar, he, fa).
    lead: &'static str,
    /// Text between symbol and number when the symbol's character touching the
    /// number is a symbol or a space (`€`, `$`): often nothing (`€1.00`).
    mid_symbol: &'static str,
    /// Text between symbol and number otherwise (`ETN`, `Kč`, `د.ك.`): ICU's
    /// currency spacing adds a no-break space where the pattern has none.
    mid_word: &'static str,
    /// Text after everything.
    tail: &'static str,
    /// Where the minus sign goes: 0 before `lead`, 1 after it, 3 after `mid`
    /// (Dutch `€ -5,00`).
    minus_at: u8,
}

/// The 42 supported BCP-47 tags, `en` (the fallback) first.
pub fn locales() -> impl Iterator<Item = &'static str> {
    cldr::LOCALES.iter().map(|l| l.tag)
}

/// The index of `tag` in the tables; 0 (`en`) when it is not supported.
fn index(tag: &str) -> usize {
    cldr::LOCALES
        .iter()
        .position(|l| l.tag.eq_ignore_ascii_case(tag))
        .unwrap_or(0)
}

/// `amount` in `currency`, written the way `tag`'s locale writes prices:
/// `money("de", 249.95, GBP)` is `"249,95 £"` (with U+00A0), `money("en", ...)`
/// is `"£249.95"`.
///
/// Always exactly the currency's minor units as decimals (JPY 0, KWD 3, BTC 8),
/// rounded half away from zero or padded with zeros. The symbol is the locale's
/// CLDR symbol (`£`, `JP¥`, `₹`), or the ISO code where CLDR has none for that
/// locale (`JPY` in Spanish, and always `ETN` and `BTC`). See the module
/// documentation for digits, unknown tags and negative amounts.
pub fn money(tag: &str, amount: Decimal, currency: Currency) -> String {
    let i = index(tag);
    let code = currency.code();
    let symbol = cldr::SYMBOLS[i]
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, s)| s);
    let pattern = &cldr::LOCALES[i].currency;
    let touching = if pattern.symbol_first {
        symbol.chars().next_back()
    } else {
        symbol.chars().next()
    };
    let mid = match touching {
        Some(c) if cldr::SYMBOL_EDGES.contains(c) => pattern.mid_symbol,
        _ => pattern.mid_word,
    };
    currency_amount(
        &cldr::LOCALES[i],
        symbol,
        mid,
        amount,
        currency.minor_units(),
    )
}

/// An ETN amount (2 decimals) written as `tag`'s locale writes a currency without
/// a symbol: `"ETN 5,000.00"` in English, `"5.000,00 ETN"` in German, the same as
/// [`money`] with [`Currency::ETN`].
///
/// CLDR knows no symbol for ETN in any locale (the generator checks), so this
/// needs the patterns but not the symbol table: the widget can afford it.
pub fn etn(tag: &str, amount: Decimal) -> String {
    let locale = &cldr::LOCALES[index(tag)];
    // "ETN" begins and ends with a letter.
    let mid = locale.currency.mid_word;
    currency_amount(locale, "ETN", mid, amount, Currency::ETN.minor_units())
}

/// The bare number, with `tag`'s separators and grouping and exactly `decimals`
/// decimals (rounded half away from zero, or padded): `number("de", 1234.5, 2)` is
/// `"1.234,50"`, `number("hi", 1234567, 0)` is `"12,34,567"`. What `Intl.NumberFormat`
/// writes with `minimumFractionDigits` and `maximumFractionDigits` set to `decimals`.
///
/// The widget's function: it reads no currency data at all.
pub fn number(tag: &str, amount: Decimal, decimals: u32) -> String {
    let locale = &cldr::LOCALES[index(tag)];
    let (negative, digits) = grouped(locale, amount, decimals);
    if negative {
        let mut out = String::with_capacity(locale.minus.len() + digits.len());
        out.push_str(locale.minus);
        out.push_str(&digits);
        out
    } else {
        digits
    }
}

/// Assembles `lead`, symbol, `mid`, the number and `tail` in the locale's order,
/// with the minus sign where the locale puts it.
fn currency_amount(
    locale: &Locale,
    symbol: &str,
    mid: &str,
    amount: Decimal,
    decimals: u32,
) -> String {
    let (negative, digits) = grouped(locale, amount, decimals);
    assemble(locale, symbol, mid, negative, &digits)
}

/// The pieces of a currency amount in the locale's order.
fn assemble(locale: &Locale, symbol: &str, mid: &str, negative: bool, digits: &str) -> String {
    let p = &locale.currency;
    let (first, second) = if p.symbol_first {
        (symbol, digits)
    } else {
        (digits, symbol)
    };
    let minus = if negative { locale.minus } else { "" };
    let mut out = String::new();
    for (at, piece) in [p.lead, first, mid, second, p.tail].into_iter().enumerate() {
        if at == usize::from(p.minus_at) {
            out.push_str(minus);
        }
        out.push_str(piece);
    }
    out
}

/// An amount of ETN cents as [`etn`] writes it, with no decimal arithmetic:
/// the widget's way (its amounts are whole cents, and `Decimal` would cost its
/// download several kilobytes). Reads only [`PACKED`].
pub fn etn_cents(tag: &str, cents: u64) -> String {
    let p = &PACKED[packed_index(tag)];
    let digits = cents_digits(p, cents);
    let (mut a, mut b, mut c) = ([0u8; 4], [0u8; 4], [0u8; 4]);
    let lead = char_str(p.lead, &mut a);
    let mut mid = String::from(char_str(p.mid_word[0], &mut b));
    mid.push_str(char_str(p.mid_word[1], &mut c));
    let (first, second) = if p.symbol_first {
        ("ETN", digits.as_str())
    } else {
        (digits.as_str(), "ETN")
    };
    let mut out = String::with_capacity(digits.len() + 12);
    for piece in [lead, first, &mid, second] {
        out.push_str(piece);
    }
    out
}

/// An amount of cents as [`number`] writes it with two decimals, with no
/// decimal arithmetic (the widget's way). Reads only [`PACKED`].
pub fn number_cents(tag: &str, cents: u64) -> String {
    cents_digits(&PACKED[packed_index(tag)], cents)
}

fn cents_digits(p: &Packed, cents: u64) -> String {
    let mut plain = Vec::with_capacity(24);
    let mut m = cents;
    loop {
        plain.push(b'0' + (m % 10) as u8);
        m /= 10;
        if m == 0 {
            break;
        }
    }
    while plain.len() < 3 {
        plain.push(b'0');
    }
    plain.reverse();
    let (int, frac) = plain.split_at(plain.len() - 2);
    // ASCII digits only.
    let text = |b: &[u8]| b.iter().map(|&d| char::from(d)).collect::<String>();
    let (mut a, mut b) = ([0u8; 4], [0u8; 4]);
    let separators = Separators {
        decimal: char_str(p.decimal, &mut a),
        group: char_str(p.group, &mut b),
        primary: p.primary,
        secondary: p.secondary,
        min_grouping: p.min_grouping,
    };
    group_digits(separators, &text(int), &text(frac), 2)
}

/// A char as text; `'\0'` (none) as nothing.
fn char_str(c: char, buf: &mut [u8; 4]) -> &str {
    if c == '\0' {
        ""
    } else {
        c.encode_utf8(buf)
    }
}

/// What the cents writers read of a locale: its tag, separators and ETN's
/// (symbol-less) currency pattern, as bytes and chars. Packed at compile time
/// from [`cldr::LOCALES`], the one table, so that the widget links no table of
/// string pointers (about 1 KB of its gzip).
#[derive(Clone, Copy)]
struct Packed {
    tag: [u8; 8],
    decimal: char,
    group: char,
    primary: u8,
    secondary: u8,
    min_grouping: u8,
    symbol_first: bool,
    lead: char,
    mid_word: [char; 2],
}

/// The `n`th char of `s` (`'\0'` past its end), in a const context.
const fn nth_char(s: &str, n: usize) -> char {
    let b = s.as_bytes();
    let mut i = 0;
    let mut k = 0;
    while i < b.len() {
        let len = if b[i] < 0x80 {
            1
        } else if b[i] < 0xe0 {
            2
        } else if b[i] < 0xf0 {
            3
        } else {
            4
        };
        if k == n {
            let mut c = match len {
                1 => b[i] as u32,
                2 => (b[i] & 0x1f) as u32,
                3 => (b[i] & 0x0f) as u32,
                _ => (b[i] & 0x07) as u32,
            };
            let mut j = 1;
            while j < len {
                c = (c << 6) | (b[i + j] & 0x3f) as u32;
                j += 1;
            }
            return match char::from_u32(c) {
                Some(c) => c,
                None => '\0',
            };
        }
        i += len;
        k += 1;
    }
    '\0'
}

const fn pack(l: &Locale) -> Packed {
    let mut tag = [0u8; 8];
    let t = l.tag.as_bytes();
    let mut i = 0;
    while i < t.len() && i < 8 {
        tag[i] = t[i];
        i += 1;
    }
    Packed {
        tag,
        decimal: nth_char(l.decimal, 0),
        group: nth_char(l.group, 0),
        primary: l.primary,
        secondary: l.secondary,
        min_grouping: l.min_grouping,
        symbol_first: l.currency.symbol_first,
        lead: nth_char(l.currency.lead, 0),
        mid_word: [
            nth_char(l.currency.mid_word, 0),
            nth_char(l.currency.mid_word, 1),
        ],
    }
}

const PACKED: [Packed; cldr::LOCALES.len()] = {
    let mut out = [pack(&cldr::LOCALES[0]); cldr::LOCALES.len()];
    let mut i = 1;
    while i < out.len() {
        out[i] = pack(&cldr::LOCALES[i]);
        i += 1;
    }
    out
};

/// The index of `tag` in [`PACKED`]; 0 (`en`) when it is not supported.
fn packed_index(tag: &str) -> usize {
    PACKED
        .iter()
        .position(|p| {
            let len = p.tag.iter().position(|&b| b == 0).unwrap_or(8);
            p.tag[..len].eq_ignore_ascii_case(tag.as_bytes())
        })
        .unwrap_or(0)
}

/// `d`'s absolute value as plain digits with exactly its scale (`1234.50`),
/// as `Display` writes it, but without `core::fmt`: the widget links this
/// file, and formatting machinery costs it about 15 KB of gzip.
fn plain_digits(d: Decimal) -> String {
    let scale = d.scale() as usize;
    let mut m = d.mantissa().unsigned_abs();
    let mut digits = Vec::with_capacity(32);
    loop {
        digits.push(b'0' + (m % 10) as u8);
        m /= 10;
        if m == 0 {
            break;
        }
    }
    // At least one digit before the point.
    while digits.len() <= scale {
        digits.push(b'0');
    }
    digits.reverse();
    let mut out = String::with_capacity(digits.len() + 1);
    for (i, &b) in digits.iter().enumerate() {
        if i == digits.len() - scale {
            out.push('.');
        }
        out.push(char::from(b));
    }
    out
}

/// Whether the rounded amount is negative (and not zero), and its absolute value
/// with the locale's separators and grouping.
fn grouped(locale: &Locale, amount: Decimal, decimals: u32) -> (bool, String) {
    // A Decimal holds at most 28 decimals: asking for more only pads.
    let rounded =
        amount.round_dp_with_strategy(decimals.min(28), RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    // Plain digits, with exactly the value's scale (<= decimals).
    let plain = plain_digits(rounded);
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    (
        negative,
        group_digits(locale.separators(), int, frac, decimals),
    )
}

/// How a locale separates digits.
#[derive(Clone, Copy)]
struct Separators<'a> {
    decimal: &'a str,
    group: &'a str,
    primary: u8,
    secondary: u8,
    min_grouping: u8,
}

impl Locale {
    fn separators(&self) -> Separators<'static> {
        Separators {
            decimal: self.decimal,
            group: self.group,
            primary: self.primary,
            secondary: self.secondary,
            min_grouping: self.min_grouping,
        }
    }
}

/// Plain digits (`int`, and `frac` of at most `decimals`) with the locale's
/// separators and grouping, padded to `decimals`.
fn group_digits(locale: Separators<'_>, int: &str, frac: &str, decimals: u32) -> String {
    let n = int.len();
    let (primary, secondary) = (
        usize::from(locale.primary),
        usize::from(locale.secondary).max(1),
    );
    let group = primary > 0 && n >= primary + usize::from(locale.min_grouping);
    let mut out = String::with_capacity(n + frac.len() + n / 2 * locale.group.len() + 8);
    for (i, digit) in int.char_indices() {
        let left = n - i; // digits from here to the decimal point
        if group && i > 0 && left >= primary && (left - primary).is_multiple_of(secondary) {
            out.push_str(locale.group);
        }
        out.push(digit);
    }
    if decimals > 0 {
        out.push_str(locale.decimal);
        out.push_str(frac);
        out.extend(core::iter::repeat_n('0', decimals as usize - frac.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_are_written_as_decimals_are() {
        for tag in locales() {
            for cents in [0u64, 5, 99, 100, 123_456, 123_456_789, 9_999_999_999_999] {
                let d = Decimal::new(cents as i64, 2);
                assert_eq!(etn_cents(tag, cents), etn(tag, d), "{tag} {cents}");
                assert_eq!(number_cents(tag, cents), number(tag, d, 2), "{tag} {cents}");
            }
        }
    }

    #[test]
    fn plain_digits_are_what_display_writes() {
        for text in [
            "0",
            "0.00",
            "1234.50",
            "0.05",
            "-12.345",
            "79228162514264337593543950335",
            "1e-28",
        ] {
            let d: Decimal = if text == "1e-28" {
                Decimal::new(1, 28)
            } else {
                text.parse().unwrap()
            };
            assert_eq!(plain_digits(d), d.abs().to_string(), "{text}");
        }
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn c(code: &str) -> Currency {
        Currency::from_code(code).unwrap()
    }

    /// For every locale, frozen from Node 20's `Intl` (ICU 78.2, CLDR 48.0):
    /// EUR 1249.95, JPY 1250 and GBP 249.95.
    const EVERY_LOCALE: &[(&str, &str, &str, &str)] = &[
        ("en", "€1,249.95", "¥1,250", "£249.95"),
        ("de", "1.249,95\u{a0}€", "1.250\u{a0}¥", "249,95\u{a0}£"),
        ("es", "1249,95\u{a0}€", "1250\u{a0}JPY", "249,95\u{a0}GBP"),
        (
            "fr",
            "1\u{202f}249,95\u{a0}€",
            "1\u{202f}250\u{a0}JPY",
            "249,95\u{a0}£GB",
        ),
        ("it", "1249,95\u{a0}€", "1250\u{a0}JPY", "249,95\u{a0}£"),
        ("nl", "€\u{a0}1.249,95", "JP¥\u{a0}1.250", "£\u{a0}249,95"),
        (
            "pt-BR",
            "€\u{a0}1.249,95",
            "JP¥\u{a0}1.250",
            "£\u{a0}249,95",
        ),
        ("pt", "€\u{a0}1.249,95", "JP¥\u{a0}1.250", "£\u{a0}249,95"),
        (
            "ro",
            "1.249,95\u{a0}EUR",
            "1.250\u{a0}JPY",
            "249,95\u{a0}GBP",
        ),
        (
            "ru",
            "1\u{a0}249,95\u{a0}€",
            "1\u{a0}250\u{a0}¥",
            "249,95\u{a0}£",
        ),
        ("tr", "€1.249,95", "¥1.250", "£249,95"),
        ("hi", "€1,249.95", "JP¥1,250", "£249.95"),
        ("id", "€1.249,95", "JP¥1.250", "£249,95"),
        ("ja", "€1,249.95", "￥1,250", "£249.95"),
        ("km", "1,249.95€", "1,250\u{a0}JP¥", "249.95£"),
        ("ko", "€1,249.95", "JP¥1,250", "£249.95"),
        ("th", "€1,249.95", "¥1,250", "£249.95"),
        ("ur", "€1,249.95", "JP¥1,250", "£249.95"),
        ("vi", "1.249,95\u{a0}€", "1.250\u{a0}¥", "249,95\u{a0}£"),
        ("zh", "€1,249.95", "JP¥1,250", "£249.95"),
        ("zh-Hant", "€1,249.95", "¥1,250", "£249.95"),
        ("ms", "€1,249.95", "JP¥1,250", "£249.95"),
        ("fil", "€1,249.95", "¥1,250", "£249.95"),
        (
            "ar",
            "\u{200f}1,249.95\u{a0}€",
            "\u{200f}1,250\u{a0}JP¥",
            "\u{200f}249.95\u{a0}UK£",
        ),
        (
            "he",
            "\u{200f}1,249.95\u{a0}\u{200f}€",
            "\u{200f}1,250\u{a0}\u{200f}¥",
            "\u{200f}249.95\u{a0}\u{200f}£",
        ),
        (
            "fa",
            "\u{200e}€\u{a0}1,249.95",
            "\u{200e}¥\u{a0}1,250",
            "\u{200e}£\u{a0}249.95",
        ),
        ("bg", "1249,95\u{a0}€", "1250\u{a0}JPY", "249,95\u{a0}GBP"),
        (
            "cs",
            "1\u{a0}249,95\u{a0}€",
            "1\u{a0}250\u{a0}JP¥",
            "249,95\u{a0}£",
        ),
        ("el", "1.249,95\u{a0}€", "1.250\u{a0}JP¥", "249,95\u{a0}£"),
        ("hr", "1.249,95\u{a0}€", "1.250\u{a0}JPY", "249,95\u{a0}GBP"),
        ("hu", "1249,95\u{a0}EUR", "1250\u{a0}¥", "249,95\u{a0}GBP"),
        ("pl", "1249,95\u{a0}€", "1250\u{a0}JPY", "249,95\u{a0}GBP"),
        (
            "sk",
            "1\u{a0}249,95\u{a0}€",
            "1\u{a0}250\u{a0}JPY",
            "249,95\u{a0}GBP",
        ),
        ("sl", "1249,95\u{a0}€", "1250\u{a0}¥", "249,95\u{a0}GBP"),
        (
            "uk",
            "1\u{a0}249,95\u{a0}EUR",
            "1\u{a0}250\u{a0}¥",
            "249,95\u{a0}GBP",
        ),
        ("da", "1.249,95\u{a0}€", "1.250\u{a0}JP¥", "249,95\u{a0}£"),
        ("et", "1249,95\u{a0}€", "1250\u{a0}¥", "249,95\u{a0}£"),
        (
            "fi",
            "1\u{a0}249,95\u{a0}€",
            "1\u{a0}250\u{a0}¥",
            "249,95\u{a0}£",
        ),
        (
            "lt",
            "1\u{a0}249,95\u{a0}€",
            "1\u{a0}250\u{a0}JPY",
            "249,95\u{a0}GBP",
        ),
        ("lv", "1249,95\u{a0}€", "1250\u{a0}¥", "249,95\u{a0}£"),
        (
            "nb",
            "1\u{a0}249,95\u{a0}€",
            "1\u{a0}250\u{a0}JPY",
            "249,95\u{a0}£",
        ),
        (
            "sv",
            "1\u{a0}249,95\u{a0}€",
            "1\u{a0}250\u{a0}JPY",
            "249,95\u{a0}GBP",
        ),
    ];

    /// For every locale, frozen from Node: ETN 5000.
    const ETN_EVERY_LOCALE: &[(&str, &str)] = &[
        ("en", "ETN\u{a0}5,000.00"),
        ("de", "5.000,00\u{a0}ETN"),
        ("es", "5000,00\u{a0}ETN"),
        ("fr", "5\u{202f}000,00\u{a0}ETN"),
        ("it", "5000,00\u{a0}ETN"),
        ("nl", "ETN\u{a0}5.000,00"),
        ("pt-BR", "ETN\u{a0}5.000,00"),
        ("pt", "ETN\u{a0}5.000,00"),
        ("ro", "5.000,00\u{a0}ETN"),
        ("ru", "5\u{a0}000,00\u{a0}ETN"),
        ("tr", "ETN\u{a0}5.000,00"),
        ("hi", "ETN\u{a0}5,000.00"),
        ("id", "ETN\u{a0}5.000,00"),
        ("ja", "ETN\u{a0}5,000.00"),
        ("km", "5,000.00\u{a0}ETN"),
        ("ko", "ETN\u{a0}5,000.00"),
        ("th", "ETN\u{a0}5,000.00"),
        ("ur", "ETN\u{a0}5,000.00"),
        ("vi", "5.000,00\u{a0}ETN"),
        ("zh", "ETN\u{a0}5,000.00"),
        ("zh-Hant", "ETN\u{a0}5,000.00"),
        ("ms", "ETN\u{a0}5,000.00"),
        ("fil", "ETN\u{a0}5,000.00"),
        ("ar", "\u{200f}5,000.00\u{a0}ETN"),
        ("he", "\u{200f}5,000.00\u{a0}\u{200f}ETN"),
        ("fa", "\u{200e}ETN\u{a0}5,000.00"),
        ("bg", "5000,00\u{a0}ETN"),
        ("cs", "5\u{a0}000,00\u{a0}ETN"),
        ("el", "5.000,00\u{a0}ETN"),
        ("hr", "5.000,00\u{a0}ETN"),
        ("hu", "5000,00\u{a0}ETN"),
        ("pl", "5000,00\u{a0}ETN"),
        ("sk", "5\u{a0}000,00\u{a0}ETN"),
        ("sl", "5000,00\u{a0}ETN"),
        ("uk", "5\u{a0}000,00\u{a0}ETN"),
        ("da", "5.000,00\u{a0}ETN"),
        ("et", "5000,00\u{a0}ETN"),
        ("fi", "5\u{a0}000,00\u{a0}ETN"),
        ("lt", "5\u{a0}000,00\u{a0}ETN"),
        ("lv", "5000,00\u{a0}ETN"),
        ("nb", "5\u{a0}000,00\u{a0}ETN"),
        ("sv", "5\u{a0}000,00\u{a0}ETN"),
    ];

    #[test]
    fn every_locale_is_covered_once_with_en_first() {
        let tags: Vec<_> = locales().collect();
        assert_eq!(tags.len(), 42);
        assert_eq!(tags[0], "en");
        assert_eq!(cldr::SYMBOLS.len(), tags.len());
        let frozen: Vec<_> = EVERY_LOCALE.iter().map(|r| r.0).collect();
        assert_eq!(frozen, tags);
        let frozen: Vec<_> = ETN_EVERY_LOCALE.iter().map(|r| r.0).collect();
        assert_eq!(frozen, tags);
    }

    #[test]
    fn every_locale_matches_intl() {
        for &(tag, eur, jpy, gbp) in EVERY_LOCALE {
            assert_eq!(money(tag, d("1249.95"), c("EUR")), eur, "{tag} EUR");
            assert_eq!(money(tag, d("1250"), c("JPY")), jpy, "{tag} JPY");
            assert_eq!(money(tag, d("249.95"), c("GBP")), gbp, "{tag} GBP");
        }
    }

    #[test]
    fn etn_in_every_locale_matches_intl_and_money() {
        for &(tag, expected) in ETN_EVERY_LOCALE {
            assert_eq!(etn(tag, d("5000")), expected, "{tag}");
            assert_eq!(money(tag, d("5000"), Currency::ETN), expected, "{tag}");
        }
    }

    #[test]
    fn the_examples_of_the_brief() {
        assert_eq!(money("de", d("249.95"), c("GBP")), "249,95\u{a0}£");
        assert_eq!(money("en", d("249.95"), c("GBP")), "£249.95");
        assert_eq!(money("ja", d("1250"), c("JPY")), "￥1,250");
        assert_eq!(money("hi", d("1234567.5"), c("INR")), "₹12,34,567.50");
        assert_eq!(etn("de", d("5000")), "5.000,00\u{a0}ETN");
        assert_eq!(etn("en", d("5000")), "ETN\u{a0}5,000.00");
    }

    #[test]
    fn minor_units_are_always_written_in_full() {
        assert_eq!(money("en", d("1234.5"), c("KWD")), "KWD\u{a0}1,234.500");
        assert_eq!(
            money("ar", d("1234.5"), c("KWD")),
            "\u{200f}1,234.500\u{a0}\u{62f}.\u{643}.\u{200f}"
        );
        assert_eq!(
            money("en", d("0.00012345"), c("BTC")),
            "BTC\u{a0}0.00012345"
        );
        assert_eq!(
            money("de", d("1234.5"), c("BTC")),
            "1.234,50000000\u{a0}BTC"
        );
        assert_eq!(money("en", d("7"), c("EUR")), "€7.00");
    }

    #[test]
    fn zero() {
        assert_eq!(money("fr", Decimal::ZERO, c("EUR")), "0,00\u{a0}€");
        assert_eq!(money("ja", Decimal::ZERO, c("JPY")), "￥0");
        assert_eq!(etn("en", Decimal::ZERO), "ETN\u{a0}0.00");
        assert_eq!(number("en", Decimal::ZERO, 0), "0");
    }

    #[test]
    fn rounding_is_half_away_from_zero_like_intl() {
        // Half-even would give 0.12, 2, 1.000 and 0.12.
        assert_eq!(money("en", d("0.125"), c("EUR")), "€0.13");
        assert_eq!(money("en", d("2.5"), c("JPY")), "¥3");
        assert_eq!(money("en", d("1.0005"), c("KWD")), "KWD\u{a0}1.001");
        assert_eq!(etn("en", d("0.125")), "ETN\u{a0}0.13");
        assert_eq!(money("en", d("0.1249999"), c("EUR")), "€0.12");
        assert_eq!(number("en", d("999.995"), 2), "1,000.00");
        assert_eq!(money("es", d("9999.995"), c("EUR")), "10.000,00\u{a0}€");
    }

    #[test]
    fn unknown_tags_are_written_as_english() {
        for tag in [
            "",
            "xx",
            "de-CH",
            "pt-PT",
            "zh-TW",
            "en-US",
            "i-klingon",
            "de_DE",
        ] {
            assert_eq!(money(tag, d("1249.95"), c("EUR")), "€1,249.95", "{tag:?}");
            assert_eq!(etn(tag, d("5000")), "ETN\u{a0}5,000.00", "{tag:?}");
            assert_eq!(number(tag, d("1234.5"), 2), "1,234.50", "{tag:?}");
        }
        // Case does not matter in BCP-47 tags.
        assert_eq!(money("PT-br", d("1"), c("EUR")), "€\u{a0}1,00");
        assert_eq!(money("ZH-HANT", d("1"), c("TWD")), "$1.00");
    }

    #[test]
    fn number_for_a_few_locales() {
        // Frozen from Node: 1234.5 and 12345.5 with 2 decimals, 1234567 with 0,
        // -9876543.21 with 3.
        let cases: &[(&str, &str, &str, &str, &str)] = &[
            ("en", "1,234.50", "12,345.50", "1,234,567", "-9,876,543.210"),
            ("de", "1.234,50", "12.345,50", "1.234.567", "-9.876.543,210"),
            (
                "fr",
                "1\u{202f}234,50",
                "12\u{202f}345,50",
                "1\u{202f}234\u{202f}567",
                "-9\u{202f}876\u{202f}543,210",
            ),
            ("es", "1234,50", "12.345,50", "1.234.567", "-9.876.543,210"),
            ("hi", "1,234.50", "12,345.50", "12,34,567", "-98,76,543.210"),
            (
                "ar",
                "1,234.50",
                "12,345.50",
                "1,234,567",
                "\u{200e}-9,876,543.210",
            ),
            (
                "fa",
                "1,234.50",
                "12,345.50",
                "1,234,567",
                "\u{200e}−9,876,543.210",
            ),
            (
                "sv",
                "1\u{a0}234,50",
                "12\u{a0}345,50",
                "1\u{a0}234\u{a0}567",
                "−9\u{a0}876\u{a0}543,210",
            ),
            (
                "pl",
                "1234,50",
                "12\u{a0}345,50",
                "1\u{a0}234\u{a0}567",
                "-9\u{a0}876\u{a0}543,210",
            ),
        ];
        for &(tag, a, b, e, f) in cases {
            assert_eq!(number(tag, d("1234.5"), 2), a, "{tag}");
            assert_eq!(number(tag, d("12345.5"), 2), b, "{tag}");
            assert_eq!(number(tag, d("1234567"), 0), e, "{tag}");
            assert_eq!(number(tag, d("-9876543.21"), 3), f, "{tag}");
        }
        // Grouping edges: one digit above the first group, Indian groups of two.
        assert_eq!(number("en", d("999"), 0), "999");
        assert_eq!(number("en", d("1000"), 0), "1,000");
        assert_eq!(number("es", d("9999"), 0), "9999");
        assert_eq!(number("hi", d("123456789012"), 0), "1,23,45,67,89,012");
        // More decimals than a Decimal holds: padded.
        assert_eq!(number("en", d("1.5"), 30), format!("1.5{}", "0".repeat(29)));
    }

    #[test]
    fn negative_amounts_are_written_as_intl_writes_them() {
        // Frozen from Node.
        assert_eq!(money("en", d("-5"), c("EUR")), "-€5.00");
        assert_eq!(money("nl", d("-1234.5"), c("EUR")), "€\u{a0}-1.234,50");
        assert_eq!(
            money("he", d("-5"), c("ILS")),
            "\u{200f}\u{200e}-5.00\u{a0}\u{200f}₪"
        );
        assert_eq!(
            money("ar", d("-5"), c("SAR")),
            "\u{200f}\u{200e}-5.00\u{a0}\u{631}.\u{633}.\u{200f}"
        );
        assert_eq!(money("sv", d("-5"), c("SEK")), "−5,00\u{a0}kr");
        assert_eq!(
            money("fa", d("-5"), c("EUR")),
            "\u{200e}−\u{200e}€\u{a0}5.00"
        );
        assert_eq!(etn("de", d("-5")), "-5,00\u{a0}ETN");
        // Unlike Intl ("-€0.00"), what rounds to zero has no sign.
        assert_eq!(money("en", d("-0.001"), c("EUR")), "€0.00");
        assert_eq!(number("en", d("-0.4"), 0), "0");
    }

    #[test]
    fn currencies_without_a_symbol_are_written_as_their_code() {
        assert_eq!(money("en", d("1"), c("BTC")), "BTC\u{a0}1.00000000");
        assert_eq!(money("es", d("1"), c("USD")), "1,00\u{a0}US$");
        assert_eq!(money("bg", d("1"), c("USD")), "1,00\u{a0}щ.д.");
        assert_eq!(money("km", d("1"), c("KHR")), "1.00៛");
    }

    #[test]
    fn symbol_tables_list_only_symbols_that_differ_from_the_code() {
        for (tag, symbols) in locales().zip(cldr::SYMBOLS.iter()) {
            for (code, symbol) in symbols.iter() {
                assert!(Currency::from_code(code).is_ok(), "{tag} {code}");
                assert_ne!(code, symbol, "{tag}");
                assert_ne!(*code, "ETN", "{tag}: etn() assumes ETN has no symbol");
            }
        }
    }
}
