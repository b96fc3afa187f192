//! When storage fails, the worker answers a retryable 5xx, never a 404: a payment
//! processor told "not found" may stop retrying, and the payment would be lost.
//! (Its own test binary, its tests one at a time: the simulated outage is global
//! to the local worker.)

use checkout_e2e::{get, merchant, now, post, request, signed_gateway};
use serde_json::json;

/// The switch is one for the whole worker: the tests here take turns.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Switches the simulated outage: `{"storage": true}` fails every KV read
/// and every call to an account object; `{}` ends it.
fn switch(outage: serde_json::Value) {
    let res = request(
        "PUT",
        "/__dev/outage",
        &[("Content-Type", "application/json")],
        Some(outage.to_string().as_bytes()),
    );
    assert_eq!(res.status, 204, "{}", res.text);
}

fn outage(on: bool) {
    switch(json!({ "storage": on }));
}

#[test]
fn a_storage_failure_is_a_retryable_5xx_never_a_404() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let m = merchant("hosted_checkout");
    let s = post(
        "/v1/sessions",
        &m.key,
        &json!({"amount": "10.00", "currency": "EUR"}),
    )
    .json();
    let id = s["id"].as_str().unwrap();
    let body = json!({"event": "payment.succeeded", "session_id": id, "amount": "10.00", "currency": "EUR", "reference": "psp", "timestamp": now()}).to_string();
    let send = || signed_gateway(&body);
    outage(true);
    let during = [
        send(),
        get(&format!("/v1/sessions/{id}"), Some(&m.key)),
        get(&format!("/v1/sessions/{id}/public"), None),
        get("/health", None),
    ];
    outage(false);
    for res in &during {
        assert_eq!(res.status, 503, "{}", res.text);
        assert!(!res.header("retry-after").is_empty());
    }
    assert_eq!(during[0].code(), "temporarily_unavailable");
    // The processor's retry, once storage is back, pays the session.
    let res = send();
    assert_eq!(
        (res.status, res.json()["status"].as_str()),
        (200, Some("paid")),
        "{}",
        res.text
    );
}

#[test]
fn a_storage_failure_while_listing_is_a_retryable_5xx_and_a_bad_cursor_a_400() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let m = merchant("hosted_checkout");
    for _ in 0..2 {
        let res = post(
            "/v1/sessions",
            &m.key,
            &json!({"amount": "10.00", "currency": "EUR"}),
        );
        assert_eq!(res.status, 201, "{}", res.text);
    }
    let first = get("/v1/sessions?limit=1", Some(&m.key));
    assert_eq!(first.status, 200, "{}", first.text);
    let cursor = first.json()["next_cursor"].as_str().unwrap().to_owned();
    outage(true);
    let during = [
        get(
            &format!("/v1/sessions?limit=1&cursor={cursor}"),
            Some(&m.key),
        ),
        get("/v1/sessions", Some(&m.key)),
    ];
    outage(false);
    // Not the client's mistake (a 400 would tell it to stop): storage's.
    for res in &during {
        assert_eq!(res.status, 503, "{}", res.text);
        assert!(!res.header("retry-after").is_empty());
    }
    // A cursor this API never gives is the client's: decided without storage.
    let bogus = get("/v1/sessions?cursor=not-a-real-cursor", Some(&m.key));
    assert_eq!(
        (bogus.status, bogus.code().as_str(), bogus.field().as_str()),
        (400, "cursor_invalid", "cursor")
    );
    let second = get(
        &format!("/v1/sessions?limit=1&cursor={cursor}"),
        Some(&m.key),
    );
    assert_eq!(second.status, 200, "{}", second.text);
    assert_eq!(second.json()["data"].as_array().unwrap().len(), 1);
}
