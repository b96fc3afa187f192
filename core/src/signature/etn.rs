//! `ETN-SIGNATURE`: how Electroneum signs its webhooks, and how vendors sign
//! check-payment polls.
//!
//! The signature is `hash_hmac('sha256', $raw_body, $api_secret)`: lowercase hex
//! of HMAC-SHA256 keyed by the vendor's API secret, over the body bytes exactly as
//! sent. The payload's own `timestamp` is checked separately by the receiver.

use super::{sign_hex_sha256, verify_hex_sha256, SignatureError};

/// The HTTP header that carries the signature.
pub const HEADER: &str = "ETN-SIGNATURE";

/// The signature of `body` with `api_secret`.
pub fn sign(api_secret: &str, body: &[u8]) -> String {
    sign_hex_sha256(api_secret.as_bytes(), &[body])
}

/// Checks `signature` (the header value; empty if absent) against `body`.
pub fn verify(api_secret: &str, body: &[u8], signature: &str) -> Result<(), SignatureError> {
    verify_hex_sha256(api_secret.as_bytes(), &[body], signature)
}

/// Re-encodes a JSON body compactly, the way PHP's `json_encode(json_decode($body))`
/// would print it.
///
/// The ETN dashboard's test webhooks show the payload pretty-printed, but sign the
/// compact form; vendor-php decodes and re-encodes before verifying. PHP escapes
/// `/` as `\/` and non-ASCII as `\uXXXX`, and prints floats in their shortest form
/// (`1234.50` becomes `1234.5`, `2.0` becomes `2`).
pub fn reencode_like_php(body: &str) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let mut out = String::with_capacity(body.len());
    write_php_json(&value, &mut out);
    Ok(out)
}

fn write_php_json(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                // PHP prints floats in their shortest round-trip form, without a
                // trailing ".0" (json_encode(2.0) is "2"), as Rust's Display does.
                out.push_str(&f.to_string());
            } else {
                out.push_str(&n.to_string());
            }
        }
        Value::String(s) => write_php_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_php_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_php_string(key, out);
                out.push(':');
                write_php_json(item, out);
            }
            out.push('}');
        }
    }
}

fn write_php_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reencodes_pretty_json_compactly_in_php_style() {
        let pretty = "{\n  \"event\": \"payment\",\n  \"amount\": 1234.50,\n  \"n\": 3,\n  \"ref\": \"a/b\",\n  \"who\": \"Zoë\"\n}";
        assert_eq!(
            reencode_like_php(pretty).unwrap(),
            r#"{"event":"payment","amount":1234.5,"n":3,"ref":"a\/b","who":"Zo\u00eb"}"#
        );
        assert!(reencode_like_php("{").is_err());
    }
}
