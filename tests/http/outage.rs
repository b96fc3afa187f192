//! When storage fails, the worker answers a retryable 5xx, never a 404: a payment
//! processor told "not found" may stop retrying, and the payment would be lost.
//! (Its own test binary: the simulated outage is global to the local worker.)

use checkout_e2e::{get, merchant, now, post, python_hmac_sha256, request, GATEWAY_SECRET};
use serde_json::json;

fn outage(on: bool) {
    let res = request(
        "PUT",
        "/__dev/outage",
        &[("Content-Type", "application/json")],
        Some(json!({ "storage": on }).to_string().as_bytes()),
    );
    assert_eq!(res.status, 204, "{}", res.text);
}

#[test]
fn a_storage_failure_is_a_retryable_5xx_never_a_404() {
    let m = merchant("hosted_checkout");
    let s = post(
        "/v1/sessions",
        &m.key,
        &json!({"amount": "10.00", "currency": "EUR"}),
    )
    .json();
    let id = s["id"].as_str().unwrap();
    let body = json!({"event": "payment.succeeded", "session_id": id, "amount": "10.00", "currency": "EUR", "reference": "psp", "timestamp": now()}).to_string();
    let signature = python_hmac_sha256(GATEWAY_SECRET, body.as_bytes());
    let send = || {
        request(
            "POST",
            "/api/webhook.php",
            &[
                ("Content-Type", "application/json"),
                ("X-Signature", &signature),
            ],
            Some(body.as_bytes()),
        )
    };
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
