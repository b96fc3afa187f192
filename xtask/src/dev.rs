//! `cargo xtask dev`: the worker under wrangler dev, as a newcomer first meets it.
//!
//! The demo merchant's keys and secrets are made once and kept in
//! `.wrangler/dev-state/demo-keys.txt` next to the persisted KV, so that they stay
//! the same from one run to the next.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::{root, Result};
use crate::wrangler::{http, Wrangler};
use crate::{build, tools};

/// The settings wrangler dev runs the worker with (see worker/src/config.rs).
pub fn local_vars(port: u16, keys: &BTreeMap<String, String>) -> Vec<(&'static str, String)> {
    vec![
        ("ADMIN_KEY", keys["admin_key"].clone()),
        ("SECRETS_KEY", keys["secrets_key"].clone()),
        ("DEV_MODE", "true".to_owned()),
        // Both of ETN's services are stood in for by the worker itself: nothing
        // local ever calls the internet.
        (
            "RATES_URL",
            format!("http://127.0.0.1:{port}/__dev/rates.json"),
        ),
        (
            "ETN_POLL_URL",
            format!("http://127.0.0.1:{port}/__dev/etn/check-payment"),
        ),
        // What the cron writes into webhooks (a request uses its own origin).
        ("PUBLIC_URL", format!("http://127.0.0.1:{port}")),
    ]
}

/// Random text from the OS, as hex.
pub fn random_hex(bytes: usize) -> Result<String> {
    use std::io::Read;
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .map_err(|e| e.to_string())?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Fresh demo keys and secrets.
pub fn new_keys() -> Result<BTreeMap<String, String>> {
    Ok(BTreeMap::from([
        ("admin_key".to_owned(), format!("adm_{}", random_hex(20)?)),
        ("secrets_key".to_owned(), random_hex(32)?),
        (
            "merchant_key".to_owned(),
            format!("sk_test_{}", random_hex(16)?),
        ),
        (
            "etn_api_key".to_owned(),
            format!("key_test_{}", random_hex(11)?),
        ),
        (
            "etn_api_secret".to_owned(),
            format!("sec_test_{}", random_hex(24)?),
        ),
        (
            "gateway_secret".to_owned(),
            format!("gws_{}", random_hex(24)?),
        ),
    ]))
}

fn load_or_create_keys(path: &Path) -> Result<BTreeMap<String, String>> {
    if let Ok(text) = std::fs::read_to_string(path) {
        let keys: BTreeMap<String, String> = text
            .lines()
            .filter_map(|l| {
                l.split_once('=')
                    .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            })
            .collect();
        if new_keys()?.keys().all(|k| keys.contains_key(k)) {
            return Ok(keys);
        }
    }
    let keys = new_keys()?;
    std::fs::create_dir_all(path.parent().expect("a file in a folder"))
        .map_err(|e| e.to_string())?;
    let text: String = keys.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    std::fs::write(path, text).map_err(|e| e.to_string())?;
    Ok(keys)
}

/// Creates the demo merchant (once) with the given keys.
pub fn seed(port: u16, keys: &BTreeMap<String, String>) -> Result<String> {
    let body = format!(
        r#"{{"merchant_key":"{}","etn_api_key":"{}","etn_api_secret":"{}","gateway_secret":"{}"}}"#,
        keys["merchant_key"], keys["etn_api_key"], keys["etn_api_secret"], keys["gateway_secret"]
    );
    let auth = format!("Bearer {}", keys["admin_key"]);
    match http(
        port,
        "POST",
        "/__dev/seed",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        &body,
    ) {
        Some((200 | 201, body)) => Ok(json_string(&body, "merchant_id").unwrap_or("?").to_owned()),
        other => Err(format!("seeding the demo merchant failed: {other:?}")),
    }
}

/// Creates a native session of `amount` EUR with the merchant key `key`; its id.
pub fn create_session(port: u16, key: &str, amount: &str) -> Result<String> {
    let auth = format!("Bearer {key}");
    let body = format!(r#"{{"amount":"{amount}","currency":"EUR"}}"#);
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    match http(port, "POST", "/v1/sessions", &headers, &body) {
        Some((201, answer)) => json_string(&answer, "id")
            .map(str::to_owned)
            .ok_or_else(|| format!("no session id in {answer}")),
        other => Err(format!("creating a session failed: {other:?}")),
    }
}

/// Points the merchant's webhooks (of the mode of `key`) at `url`, for
/// `event_type` only.
pub fn set_webhook_endpoint(port: u16, key: &str, url: &str, event_type: &str) -> Result {
    let auth = format!("Bearer {key}");
    let body = format!(r#"{{"url":"{url}","event_types":["{event_type}"]}}"#);
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    match http(port, "PUT", "/api/v2/webhooks/config", &headers, &body) {
        Some((200, _)) => Ok(()),
        other => Err(format!(
            "configuring the webhook endpoint failed: {other:?}"
        )),
    }
}

/// The first string value of `field` in a JSON answer of the worker (whose
/// ids and URLs hold no escapes): xtask reads three fields and has no JSON
/// parser for them.
fn json_string<'a>(body: &'a str, field: &str) -> Option<&'a str> {
    let (_, rest) = body.split_once(&format!("\"{field}\":\""))?;
    rest.split('"').next()
}

/// A one-time dashboard sign-in link for the merchant of `key`.
pub fn dashboard_link(port: u16, key: &str) -> Result<String> {
    let auth = format!("Bearer {key}");
    match http(
        port,
        "POST",
        "/v1/dashboard/links",
        &[("Authorization", &auth)],
        "",
    ) {
        Some((201, body)) => json_string(&body, "url")
            .map(str::to_owned)
            .ok_or_else(|| format!("no url in {body}")),
        other => Err(format!("{other:?}")),
    }
}

/// Where `cargo xtask dev` keeps the worker's state and the demo keys:
/// `.wrangler/dev-state`, or `DEV_STATE` if set.
pub fn state_dir() -> std::path::PathBuf {
    std::env::var_os("DEV_STATE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join(".wrangler/dev-state"))
}

pub fn run() -> Result {
    tools::ensure_build_tools()?;
    build::cli()?;
    build::bundle()?;
    let port: u16 = match std::env::var("PORT") {
        Ok(p) => p
            .parse()
            .map_err(|_| format!("PORT must be a port number, got {p:?}"))?,
        Err(_) => 8787,
    };
    let state = state_dir();
    let keys = load_or_create_keys(&state.join("demo-keys.txt"))?;
    let wrangler = Wrangler::start(port, &state, None, &local_vars(port, &keys))?;
    let merchant_id = seed(port, &keys)?;
    let base = wrangler.base_url();
    println!();
    println!(
        "Edge Checkout is running; KV is persisted in {}.",
        state.display()
    );
    println!("demo shop: {base}/");
    println!("hosted checkout: {base}/pay/<session id> (the demo shop's Buy button opens one)");
    println!("API: {base}/v1/sessions");
    println!("admin key: {}", keys["admin_key"]);
    println!("merchant id: {merchant_id}");
    println!("merchant key: {}", keys["merchant_key"]);
    println!("merchant domain: demo-shop.example");
    println!("etn api key: {}", keys["etn_api_key"]);
    println!("etn api secret: {}", keys["etn_api_secret"]);
    println!("etn webhook url: {base}/webhooks/etn/{merchant_id}");
    println!("gateway webhook secret: {}", keys["gateway_secret"]);
    match dashboard_link(port, &keys["merchant_key"]) {
        Ok(url) => println!("dashboard sign-in: {url}"),
        Err(e) => println!("dashboard sign-in: unavailable ({e})"),
    }
    println!(
        "  (works once, for ten minutes; another: target/release/checkout dashboard-link \
         --url {base} --key {})",
        keys["merchant_key"]
    );
    println!("Press Ctrl-C to stop.");
    wrangler.wait()
}
