//! Helpers for end-to-end tests of the worker running in workerd.
//!
//! `cargo xtask test` starts `wrangler dev` with a fresh on-disk KV and passes its
//! URL in `CHECKOUT_BASE_URL` and the admin key in `CHECKOUT_ADMIN_KEY`; these
//! tests never start a runtime of their own and never mock one.

pub mod dashboard;
pub mod receiver;

use checkout_api::endpoint::Endpoint;
use serde_json::{json, Value};

/// The URL of the worker under test.
///
/// # Panics
/// When `CHECKOUT_BASE_URL` is not set: run the tests with `cargo xtask test`.
pub fn base_url() -> String {
    std::env::var("CHECKOUT_BASE_URL")
        .expect("CHECKOUT_BASE_URL is not set: run end-to-end tests with `cargo xtask test`")
}

/// The admin key the worker under test was started with.
pub fn admin_key() -> String {
    std::env::var("CHECKOUT_ADMIN_KEY")
        .expect("CHECKOUT_ADMIN_KEY is not set: run with `cargo xtask test`")
}

/// An HTTP agent that reports 4xx/5xx as responses, not errors, so tests can
/// assert on them, and that does not follow redirects.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub text: String,
}

impl Reply {
    /// The body as JSON (panics with the body if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// A header's value, or "".
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    /// The `error.code` of a JSON error body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// The `error.field` of a JSON error body.
    pub fn field(&self) -> String {
        self.json()["error"]["field"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }
}

fn read(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut res = result.expect("the worker answers");
    Reply {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        text: res.body_mut().read_to_string().unwrap_or_default(),
    }
}

/// Any request: method, path, headers, raw body.
pub fn request(method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
    let uri = format!("{}{path}", base_url());
    let mut builder = ureq::http::Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let req = builder
        .body(body.map(<[u8]>::to_vec).unwrap_or_default())
        .unwrap();
    read(agent().run(req))
}

/// A route that has a constant in `checkout_api::endpoint` (the worker's route
/// table and the dashboard's client name it by the same one): its method, at
/// its path with `params` filled in, with `headers` and a raw body. [`request`]
/// stays for the routes without a constant and for the paths and methods a
/// test writes out on purpose.
pub fn call_raw(
    endpoint: Endpoint,
    params: &[&str],
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Reply {
    request(
        endpoint.method.as_str(),
        &endpoint.path_with(params),
        headers,
        body,
    )
}

/// A route by its constant, with a bearer `key` if given and a JSON `body` if
/// given: the same request [`get`] and [`post`] send.
pub fn call(endpoint: Endpoint, params: &[&str], key: Option<&str>, body: Option<&Value>) -> Reply {
    send_json(
        endpoint.method.as_str(),
        &endpoint.path_with(params),
        key,
        body,
        &[],
    )
}

/// The one way the helpers send: a bearer `key` if given, a JSON `body` (with
/// its Content-Type) if given, then `extra` headers.
fn send_json(
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&Value>,
    extra: &[(&str, &str)],
) -> Reply {
    let auth = key.map(|k| format!("Bearer {k}"));
    let mut headers: Vec<(&str, &str)> =
        auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    if body.is_some() {
        headers.push(("Content-Type", "application/json"));
    }
    headers.extend_from_slice(extra);
    let body = body.map(Value::to_string);
    request(method, path, &headers, body.as_deref().map(str::as_bytes))
}

/// GET with an optional bearer key.
pub fn get(path: &str, key: Option<&str>) -> Reply {
    send_json("GET", path, key, None, &[])
}

/// POST a JSON body with a bearer key.
pub fn post(path: &str, key: &str, body: &Value) -> Reply {
    post_with(path, key, body, &[])
}

/// POST a JSON body with a bearer key and extra headers.
pub fn post_with(path: &str, key: &str, body: &Value, extra: &[(&str, &str)]) -> Reply {
    send_json("POST", path, Some(key), Some(body), extra)
}

/// A unique suffix for names and domains, so tests never collide.
pub fn unique() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{}{:x}{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A merchant made through the admin API, with one test key.
pub struct Merchant {
    pub id: String,
    /// The merchant's own 13-character ETN outlet id.
    pub outlet: String,
    pub key: String,
    pub domain: String,
    pub created: Value,
}

/// Issues another key of a merchant, in `mode` (`test` or `live`).
pub fn issue_key(merchant_id: &str, mode: &str) -> String {
    let key = post(
        &format!("/v1/admin/merchants/{merchant_id}/keys"),
        &admin_key(),
        &json!({ "mode": mode }),
    );
    assert_eq!(key.status, 201, "{}", key.text);
    key.json()["key"].as_str().unwrap().to_owned()
}

/// Creates a merchant (`plan`: hosted_checkout or smart_routing) and a test key.
pub fn merchant(plan: &str) -> Merchant {
    let domain = format!("shop-{}.example", unique());
    let outlet = outlet_id();
    let created = post(
        "/v1/admin/merchants",
        &admin_key(),
        &json!({
            "name": "Test Shop <b>&</b>",
            "domains": [domain],
            "etn_outlet_id": outlet,
            "etn_api_key": "key_live_1234567890abcdefghijklm",
            "etn_api_secret": "sec_live_zxyxwvutsrqponmlkjihgfedcba0987654321zxyxwvutsrqponmlkj",
            "gateway_webhook_secret": "gw-secret-for-tests",
            "plan": plan,
            "methods": ["etn", "card"],
        }),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    Merchant {
        key: issue_key(&id, "test"),
        id,
        outlet,
        domain,
        created: created.json(),
    }
}

/// Hex HMAC-SHA256 computed by Python's `hmac` module: an independent oracle for
/// the signatures tests send, never the code under test.
pub fn python_hmac_sha256(secret: &str, body: &[u8]) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import hmac,hashlib,sys;print(hmac.new(sys.argv[1].encode(),sys.stdin.buffer.read(),hashlib.sha256).hexdigest(),end='')",
            secret,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 is installed");
    child.stdin.take().unwrap().write_all(body).unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}

/// Posts a gateway webhook `body` to `/api/webhook.php`, signed as the test
/// merchants' payment processor signs (Python computes the signature).
pub fn signed_gateway(body: &str) -> Reply {
    let signature = python_hmac_sha256(GATEWAY_SECRET, body.as_bytes());
    request(
        "POST",
        "/api/webhook.php",
        &[
            ("Content-Type", "application/json"),
            ("X-Signature", &signature),
        ],
        Some(body.as_bytes()),
    )
}

/// Posts a signed ETN payment webhook for merchant `merchant_id`: `amount` ETN
/// to `payment_id`, with ETN's `ref` (Python computes the signature).
pub fn signed_etn_payment(
    merchant_id: &str,
    payment_id: &str,
    amount: &str,
    reference: &str,
) -> Reply {
    let body = json!({
        "event": "payment", "payment_id": payment_id, "amount": amount, "key": ETN_API_KEY,
        "timestamp": iso8601(now(), 1), "customer": "customer@example.com", "ref": reference,
    })
    .to_string();
    let signature = python_hmac_sha256(ETN_API_SECRET, body.as_bytes());
    request(
        "POST",
        &format!("/webhooks/etn/{merchant_id}"),
        &[
            ("Content-Type", "application/json"),
            ("ETN-SIGNATURE", &signature),
        ],
        Some(body.as_bytes()),
    )
}

/// Now as unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A unix time as ISO 8601 with an offset, as ETN writes it
/// (`2018-06-11T11:02:31+01:00`), computed by GNU `date`: an independent oracle
/// for the worker's own calendar arithmetic (core's `time`).
pub fn iso8601(ts: i64, offset_hours: i64) -> String {
    // POSIX zone names count the other way: Etc/GMT-1 is UTC+01:00.
    let zone = format!("Etc/GMT{:+}", -offset_hours);
    let out = std::process::Command::new("date")
        .env("TZ", zone)
        .args(["-d", &format!("@{ts}"), "+%Y-%m-%dT%H:%M:%S%:z"])
        .output()
        .expect("GNU date is installed");
    assert!(out.status.success(), "date failed");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// The ETN API key and secret every test merchant is created with.
pub const ETN_API_KEY: &str = "key_live_1234567890abcdefghijklm";
pub const ETN_API_SECRET: &str = "sec_live_zxyxwvutsrqponmlkjihgfedcba0987654321zxyxwvutsrqponmlkj";
pub const GATEWAY_SECRET: &str = "gw-secret-for-tests";

/// Fires the worker's cron handler (wrangler dev --test-scheduled).
pub fn run_cron() {
    let res = get("/__scheduled?cron=*+*+*+*+*", None);
    assert!(res.status < 300, "cron: {} {}", res.status, res.text);
}

/// The cron's work (its sweep of account objects, its ETN polls) for one
/// merchant, now: the cron itself reaches a window of merchants per run, and
/// the tests make hundreds.
pub fn sweep(key: &str) {
    let res = post("/__dev/sweep", key, &json!({}));
    assert_eq!(res.status, 204, "sweep: {}", res.text);
}

/// A fresh 13-character outlet id, hexadecimal as ETN issues them (an ETN outlet
/// belongs to one merchant).
pub fn outlet_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdef";
    let mut n = unique().bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (0..13)
        .map(|_| {
            let c = ALPHABET[(n % 16) as usize] as char;
            n /= 16;
            if n == 0 {
                n = 0x9e37_79b9_7f4a_7c15;
            }
            c
        })
        .collect()
}

/// An ewallet-orders-api wallet in EUR for `user_id` (made, or the existing one): its id.
pub fn wallet(key: &str, user_id: i64) -> String {
    let res = post(
        "/api/v1/wallets",
        key,
        &json!({"user_id": user_id, "currency": "EUR"}),
    );
    assert!(matches!(res.status, 200 | 201), "{}", res.text);
    res.json()["wallet_id"].as_str().unwrap().to_owned()
}

/// The body of an ewallet-orders-api order of 10.00 EUR, with `extra` fields
/// set over it (`{"wallet_id": ...}`, `{"amount": ...}`).
pub fn order_body(extra: Value) -> Value {
    let mut body = json!({
        "amount": "10.00", "currency": "EUR", "redirect_url": "https://shop.example/ok",
        "customer_details": {"name": "Inga", "surname": "Berzina", "email": "inga@inbox.lv", "phone": "+3712000000"},
    });
    for (k, v) in extra.as_object().expect("extra fields are an object") {
        body[k] = v.clone();
    }
    body
}

/// The session id of an order (the last segment of its `checkout_url`).
pub fn session_of(order: &Value) -> String {
    order["checkout_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

/// An order of `amount` EUR crediting `wallet` once paid: its session id.
pub fn order_for(key: &str, wallet: &str, amount: &str) -> String {
    let order = post(
        "/api/v1/orders",
        key,
        &order_body(json!({"wallet_id": wallet, "amount": amount})),
    );
    assert_eq!(order.status, 201, "{}", order.text);
    session_of(&order.json())
}

/// A wallet for `user_id` and an order of `amount` EUR that credits it once
/// paid: (wallet id, the order's session id).
pub fn wallet_order(key: &str, user_id: i64, amount: &str) -> (String, String) {
    let wallet_id = wallet(key, user_id);
    let session_id = order_for(key, &wallet_id, amount);
    (wallet_id, session_id)
}
