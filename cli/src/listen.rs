//! `checkout listen`: a local webhook receiver for merchants' developers.
//!
//! It prints every webhook it gets, checks every signature it carries with the
//! given secret (Standard Webhooks, the hex HMAC headers, an `order.paid` body's
//! own signature, a payment link's `secret` when given the API key), and answers
//! 200 (or `--status`, to watch the worker retry). When a signature does not
//! verify it shows what was signed, and compares the SHA-256 of the body it got
//! with common re-encodings of it: the usual cause is something between sender
//! and receiver (a framework, a proxy) re-serialising the JSON.

use checkout_core::signature::{
    etn, forwarding, gateway, link, order, standard, SignatureError, Tolerance,
};
use checkout_core::time::UnixSeconds;
use clap::Args;
use serde_json::Value;
use sha2::{Digest, Sha256};

#[derive(Args)]
pub struct ListenArgs {
    /// The port to listen on, on 127.0.0.1.
    #[arg(long, default_value_t = 4242)]
    port: u16,
    /// The signing secret (whsec_...), as the webhook config shows it when set.
    #[arg(long)]
    secret: String,
    /// The HTTP status to answer with (500 makes the worker retry).
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u16).range(100..600))]
    status: u16,
    /// The merchant API key, to check a payment link's `secret` too.
    #[arg(long)]
    api_key: Option<String>,
    /// Exit after the first webhook (exit status 1 if a signature failed).
    #[arg(long)]
    once: bool,
}

/// One check of one signature.
struct Check {
    what: &'static str,
    /// `None`: present but not checkable with what was given.
    valid: Option<bool>,
    detail: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Every signature the request carries, checked.
fn checks(
    headers: &[(String, String)],
    body: &[u8],
    args: &ListenArgs,
    now: UnixSeconds,
) -> Vec<Check> {
    let mut out = Vec::new();
    if let Some(signature) = header(headers, standard::SIGNATURE_HEADER) {
        let id = header(headers, standard::ID_HEADER).unwrap_or_default();
        let ts = header(headers, standard::TIMESTAMP_HEADER).unwrap_or_default();
        let result = standard::Secret::parse(&args.secret)
            .map_err(|e| e.to_string())
            .and_then(|secret| {
                standard::verify(&secret, id, ts, signature, body, now, Tolerance::DEFAULT)
                    .map_err(|e| e.to_string())
            });
        out.push(Check {
            what: "webhook-signature (Standard Webhooks)",
            valid: Some(result.is_ok()),
            detail: match result {
                Ok(()) => String::new(),
                Err(e) => format!(
                    "{e}; signed: \"{id}.{ts}.\" followed by the {} bytes of the body",
                    body.len()
                ),
            },
        });
    }
    for (name, verify) in [
        (
            "x-webhook-signature",
            forwarding::verify as fn(&str, &[u8], &str) -> Result<(), SignatureError>,
        ),
        ("x-signature", gateway::verify),
        ("x-ecomtrade24-signature", gateway::verify),
    ] {
        if let Some(value) = header(headers, name) {
            let result = verify(&args.secret, body, value);
            out.push(Check {
                what: name,
                valid: Some(result.is_ok()),
                detail: result
                    .err()
                    .map(|e| {
                        format!("{e}; signed: the raw body, keyed with the whole secret string")
                    })
                    .unwrap_or_default(),
            });
        }
    }
    if header(headers, "x-webhook-signature-previous").is_some() {
        out.push(Check {
            what: "x-webhook-signature-previous",
            valid: None,
            detail: "signed with the previous secret (a rotation is in progress)".into(),
        });
    }
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let text = |k: &str| json[k].as_str().unwrap_or_default().to_owned();
    if json["event"] == "order.paid" {
        let result = order::verify(
            &args.secret,
            &text("order_id"),
            &text("amount"),
            &text("signature"),
        );
        out.push(Check {
            what: "order.paid signature (body)",
            valid: Some(result.is_ok()),
            detail: result
                .err()
                .map(|e| {
                    format!(
                        "{e}; signed: order_id . amount = \"{}{}\"",
                        text("order_id"),
                        text("amount")
                    )
                })
                .unwrap_or_default(),
        });
    }
    if json["secret"].is_string() && json["order_id"].is_string() {
        out.push(match &args.api_key {
            Some(key) => {
                let result = link::verify(
                    &args.secret,
                    key,
                    &text("order_id"),
                    &text("amount"),
                    &text("secret"),
                );
                Check {
                    what: "payment-link secret (body)",
                    valid: Some(result.is_ok()),
                    detail: result
                        .err()
                        .map(|e| {
                            format!(
                                "{e}; signed: \"{}:::{}:::<api key>\"",
                                text("amount"),
                                text("order_id")
                            )
                        })
                        .unwrap_or_default(),
                }
            }
            None => Check {
                what: "payment-link secret (body)",
                valid: None,
                detail: "pass --api-key to check it".into(),
            },
        });
    }
    out
}

/// Common re-encodings of a JSON body, with their SHA-256, and whether a hex
/// HMAC of the secret over them is what a header carries.
fn reencodings(body: &[u8], headers: &[(String, String)], secret: &str) -> Vec<String> {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return vec!["the body is not JSON".into()];
    };
    let mut sorted = value.clone();
    sort_keys(&mut sorted);
    let text = String::from_utf8_lossy(body);
    let forms = [
        ("compact", serde_json::to_string(&value).unwrap_or_default()),
        (
            "pretty-printed",
            serde_json::to_string_pretty(&value).unwrap_or_default(),
        ),
        (
            "keys sorted",
            serde_json::to_string(&sorted).unwrap_or_default(),
        ),
        (
            "as PHP's json_encode",
            etn::reencode_like_php(&text).unwrap_or_default(),
        ),
    ];
    let carried: Vec<&str> = ["x-webhook-signature", "x-signature"]
        .iter()
        .filter_map(|h| header(headers, h))
        .collect();
    let mut lines = vec![format!(
        "sha256 of the body received ({} bytes): {}",
        body.len(),
        sha256_hex(body)
    )];
    for (name, form) in forms {
        let matches = carried
            .iter()
            .any(|sig| forwarding::verify(secret, form.as_bytes(), sig).is_ok());
        lines.push(format!(
            "sha256 of the body {name}: {}{}",
            sha256_hex(form.as_bytes()),
            if matches {
                "  <- the signature matches THIS form: the JSON was re-serialised on its way; verify the raw bytes"
            } else if form.as_bytes() == body {
                "  (identical to the body received)"
            } else {
                ""
            }
        ));
    }
    lines
}

fn sort_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, mut v) in entries {
                sort_keys(&mut v);
                map.insert(k, v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

/// Listens until interrupted (or the first webhook, with `--once`).
pub fn run(args: &ListenArgs) -> Result<bool, String> {
    let server = tiny_http::Server::http(("127.0.0.1", args.port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
    println!(
        "listening on http://127.0.0.1:{}/ ; answering {}",
        args.port, args.status
    );
    let mut all_valid = true;
    for mut request in server.incoming_requests() {
        let mut body = Vec::new();
        let _ = request.as_reader().read_to_end(&mut body);
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|h| (h.field.to_string(), h.value.to_string()))
            .collect();
        let now = crate::unix_now();
        println!("\n{} {}", request.method(), request.url());
        for (name, value) in &headers {
            let lower = name.to_ascii_lowercase();
            if lower.starts_with("webhook-") || lower.contains("signature") {
                println!("{name}: {value}");
            }
        }
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) => println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default()),
            Err(_) => println!("{}", String::from_utf8_lossy(&body)),
        }
        let checks = checks(&headers, &body, args, now);
        if checks.is_empty() {
            println!("no signature to check");
        }
        let mut failed = false;
        for c in &checks {
            let verdict = match c.valid {
                Some(true) => "valid",
                Some(false) => "INVALID",
                None => "not checked",
            };
            failed |= c.valid == Some(false);
            if c.detail.is_empty() {
                println!("{}: {verdict}", c.what);
            } else {
                println!("{}: {verdict}: {}", c.what, c.detail);
            }
        }
        if failed {
            all_valid = false;
            for line in reencodings(&body, &headers, &args.secret) {
                println!("  {line}");
            }
        }
        let _ =
            request.respond(tiny_http::Response::from_string("ok").with_status_code(args.status));
        if args.once {
            break;
        }
    }
    Ok(all_valid)
}
