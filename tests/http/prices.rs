//! `checkout_core::localized` against an independent oracle: Node's own `Intl`
//! (ICU with full CLDR data), run once for every locale, every currency and a
//! spread of amounts. No worker is involved: this runs with a plain
//! `cargo test -p checkout-e2e --test prices`.
//!
//! All cases go to ONE `node` process (JSON on stdin, JSON on stdout), so the
//! whole comparison takes well under a second or two. Amounts are rounded to the
//! currency's decimals here first and passed as strings, which Node reads with
//! `Number()`: every value used is close enough to its double that `Intl`'s own
//! rounding never comes into play (98765432.1 with 8 decimals is the double
//! 98765432.099999994..., which ICU writes by its shortest representation,
//! `98765432.1`, and then pads).

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

use checkout_core::localized::{etn, locales, money, number};
use checkout_core::Currency;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Value};

/// The checkout's languages, written out here rather than read from the module
/// under test.
const TAGS: [&str; 42] = [
    "en", "de", "es", "fr", "it", "nl", "pt-BR", "pt", "ro", "ru", "tr", "hi", "id", "ja", "km",
    "ko", "th", "ur", "vi", "zh", "zh-Hant", "ms", "fil", "ar", "he", "fa", "bg", "cs", "el", "hr",
    "hu", "pl", "sk", "sl", "uk", "da", "et", "fi", "lt", "lv", "nb", "sv",
];

/// The amounts of the brief, and two negative ones (prices are never negative,
/// but the module claims to write them as `Intl` does).
const AMOUNTS: [&str; 8] = [
    "0",
    "0.5",
    "7",
    "1234.5",
    "1234567.891",
    "98765432.1",
    "-7",
    "-1234.5",
];

/// Formats every case with `Intl`. Each case is `[tag, currency or null, decimals,
/// amount]`. Locales whose default digits are not Latin are asked for with
/// `-u-nu-latn` (the module writes Latin digits everywhere); the answer says which.
const ORACLE: &str = r#"
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const latin = (tag) => new Intl.NumberFormat(tag).resolvedOptions().numberingSystem === "latn";
const nonLatin = [...new Set(cases.map((c) => c[0]))].filter((t) => !latin(t));
const formats = new Map();
const out = cases.map(([tag, currency, d, x]) => {
  const key = `${tag}|${currency}|${d}`;
  let f = formats.get(key);
  if (!f) {
    const options = { minimumFractionDigits: d, maximumFractionDigits: d };
    if (currency) Object.assign(options, { style: "currency", currency });
    f = new Intl.NumberFormat(latin(tag) ? tag : `${tag}-u-nu-latn`, options);
    formats.set(key, f);
  }
  return f.format(Number(x));
});
process.stdout.write(JSON.stringify({ icu: process.versions.icu, cldr: process.versions.cldr, nonLatin, out }));
"#;

fn rounded(amount: &str, decimals: u32) -> Decimal {
    let x: Decimal = amount.parse().unwrap();
    x.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

fn ask_node(cases: &[Value]) -> Value {
    let mut child = Command::new("node")
        .args(["-e", ORACLE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node (with full ICU, Node 20+) must be on PATH for this test");
    let input = serde_json::to_vec(cases).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "node failed: {}", output.status);
    serde_json::from_slice(&output.stdout).expect("node's answer is JSON")
}

#[test]
fn money_etn_and_number_agree_with_intl_everywhere() {
    // The module supports exactly these tags.
    let supported: BTreeSet<_> = locales().collect();
    assert_eq!(supported, TAGS.into_iter().collect::<BTreeSet<_>>());

    let mut ours = Vec::new();
    let mut asked = Vec::new();
    let mut push = |what: String, mine: String, case: Value| {
        ours.push((what, mine));
        asked.push(case);
    };
    let decimals: BTreeSet<u32> = Currency::all().map(|c| c.minor_units()).collect();
    for tag in TAGS {
        for amount in AMOUNTS {
            for currency in Currency::all() {
                let d = currency.minor_units();
                let x = rounded(amount, d);
                push(
                    format!("money({tag:?}, {x}, {currency})"),
                    money(tag, x, currency),
                    json!([tag, currency.code(), d, x.to_string()]),
                );
            }
            let x = rounded(amount, 2);
            push(
                format!("etn({tag:?}, {x})"),
                etn(tag, x),
                json!([tag, "ETN", 2, x.to_string()]),
            );
            for &d in &decimals {
                let x = rounded(amount, d);
                push(
                    format!("number({tag:?}, {x}, {d})"),
                    number(tag, x, d),
                    json!([tag, null, d, x.to_string()]),
                );
            }
        }
    }

    let answer = ask_node(&asked);
    let intl = answer["out"].as_array().expect("one answer per case");
    assert_eq!(intl.len(), ours.len());
    // Debug escapes the no-break spaces and bidi marks (`\u{a0}`, `\u{200f}`).
    let mismatches: Vec<String> = ours
        .iter()
        .zip(intl)
        .filter(|((_, mine), theirs)| theirs.as_str() != Some(mine.as_str()))
        .map(|((what, mine), theirs)| match theirs.as_str() {
            Some(theirs) => format!("{what}: ours {mine:?}, Intl {theirs:?}"),
            None => format!("{what}: ours {mine:?}, Intl {theirs}"),
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ from Intl (ICU {}, CLDR {}):\n{}",
        mismatches.len(),
        ours.len(),
        answer["icu"],
        answer["cldr"],
        mismatches.join("\n")
    );

    // Only Persian needed `-u-nu-latn`; every other locale was compared with
    // `Intl`'s own defaults, digits included.
    assert_eq!(answer["nonLatin"], json!(["fa"]));
}
