//! Helpers for end-to-end tests of the worker running in workerd.
//!
//! `cargo xtask test` starts `wrangler dev` with a fresh on-disk KV and passes its
//! URL in `CHECKOUT_BASE_URL` and the admin key in `CHECKOUT_ADMIN_KEY`; these
//! tests never start a runtime of their own and never mock one.

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

/// GET with an optional bearer key.
pub fn get(path: &str, key: Option<&str>) -> Reply {
    let auth = key.map(|k| format!("Bearer {k}"));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    request("GET", path, &headers, None)
}

/// POST a JSON body with a bearer key.
pub fn post(path: &str, key: &str, body: &Value) -> Reply {
    post_with(path, key, body, &[])
}

/// POST a JSON body with a bearer key and extra headers.
pub fn post_with(path: &str, key: &str, body: &Value, extra: &[(&str, &str)]) -> Reply {
    let auth = format!("Bearer {key}");
    let mut headers = vec![
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    headers.extend_from_slice(extra);
    request("POST", path, &headers, Some(body.to_string().as_bytes()))
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
    pub key: String,
    pub domain: String,
    pub created: Value,
}

/// Creates a merchant (`plan`: hosted_checkout or smart_routing) and a test key.
pub fn merchant(plan: &str) -> Merchant {
    let domain = format!("shop-{}.example", unique());
    let created = post(
        "/v1/admin/merchants",
        &admin_key(),
        &json!({
            "name": "Test Shop <b>&</b>",
            "domains": [domain],
            "etn_outlet_id": "0abc123def456",
            "etn_api_key": "key_live_1234567890abcdefghijklm",
            "etn_api_secret": "sec_live_zxyxwvutsrqponmlkjihgfedcba0987654321zxyxwvutsrqponmlkj",
            "gateway_webhook_secret": "gw-secret-for-tests",
            "plan": plan,
            "methods": ["etn", "card"],
        }),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let key = post(
        &format!("/v1/admin/merchants/{id}/keys"),
        &admin_key(),
        &json!({"mode": "test"}),
    );
    assert_eq!(key.status, 201, "{}", key.text);
    Merchant {
        id,
        key: key.json()["key"].as_str().unwrap().to_owned(),
        domain,
        created: created.json(),
    }
}
