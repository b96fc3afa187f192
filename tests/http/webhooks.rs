//! Payment confirmations, end to end in workerd with real KV: ETN webhooks, gateway
//! webhooks, ETN polls by the cron, the sandbox, expiry, wallets. Every signature a
//! test sends is computed by Python's hmac, not by the code under test.

use std::thread;
use std::time::Duration;

use checkout_e2e::{
    get, iso8601, merchant, now, post, python_hmac_sha256, request, sweep, unique, wallet_order,
    Merchant, Reply, ETN_API_KEY, ETN_API_SECRET, GATEWAY_SECRET,
};
use serde_json::{json, Value};

fn session(m: &Merchant, extra: Value) -> Value {
    let mut body =
        json!({"amount": "10.00", "currency": "EUR", "order_id": format!("W-{}", unique())});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let res = post("/v1/sessions", &m.key, &body);
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

fn etn_body(payment_id: &str, amount: Value, event: &str, ts: i64) -> String {
    json!({
        "event": event, "payment_id": payment_id, "amount": amount, "key": ETN_API_KEY,
        "timestamp": iso8601(ts, 1), "customer": "customer@example.com", "ref": "1234567890abc",
    })
    .to_string()
}

fn send_etn(m: &Merchant, body: &str, signature: Option<&str>) -> Reply {
    let sig = signature
        .map(str::to_owned)
        .unwrap_or_else(|| python_hmac_sha256(ETN_API_SECRET, body.as_bytes()));
    request(
        "POST",
        &format!("/webhooks/etn/{}", m.id),
        &[
            ("Content-Type", "application/json"),
            ("ETN-SIGNATURE", &sig),
            ("User-Agent", "Electroneum/0.1.0"),
        ],
        Some(body.as_bytes()),
    )
}

fn gateway_body(session_id: &str, event: &str, amount: &str, currency: &str, ts: i64) -> String {
    json!({"event": event, "session_id": session_id, "amount": amount, "currency": currency, "reference": "psp-1", "timestamp": ts}).to_string()
}

fn send_gateway(body: &str, headers: &[(&str, &str)]) -> Reply {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    request("POST", "/api/webhook.php", &all, Some(body.as_bytes()))
}

fn status(m: &Merchant, id: &str) -> String {
    get(&format!("/v1/sessions/{id}"), Some(&m.key)).json()["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// What happened to a session after its creation (which is always its first
/// event), in order.
fn event_types(m: &Merchant, id: &str) -> Vec<String> {
    let events = get(&format!("/v1/sessions/{id}/events"), Some(&m.key)).json();
    let mut types: Vec<String> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        types.first().map(String::as_str),
        Some("session.created"),
        "{types:?}"
    );
    types.remove(0);
    types
}

#[test]
fn an_etn_webhook_pays_and_its_duplicate_changes_nothing() {
    let m = merchant("hosted_checkout");
    let s = session(&m, json!({}));
    let (id, pid) = (s["id"].as_str().unwrap(), s["payment_id"].as_str().unwrap());
    assert_eq!(s["etn_amount"], "5000.00");
    let body = etn_body(pid, json!("5000.00"), "payment", now());
    let first = send_etn(&m, &body, None);
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        (
            first.json()["duplicate"].as_bool(),
            first.json()["status"].as_str()
        ),
        (Some(false), Some("paid"))
    );
    assert_eq!(status(&m, id), "paid");
    let again = send_etn(&m, &body, None);
    assert_eq!(
        (again.status, again.json()["duplicate"].as_bool()),
        (200, Some(true))
    );
    assert_eq!(again.json()["events"], first.json()["events"]);
    assert_eq!(event_types(&m, id), ["session.paid"]);
    // The public view and the hosted page follow.
    assert_eq!(
        get(&format!("/v1/sessions/{id}/public"), None).json()["status"],
        "paid"
    );
    assert!(get(&format!("/pay/{id}"), None)
        .text
        .contains("Paid. Thank you!"));
    // Our own check-payment endpoint says so too (signed as vendor-php would).
    let poll =
        json!({"payment_id": pid, "vendor_address": format!("etn-it-{}", m.outlet)}).to_string();
    let sig = python_hmac_sha256(ETN_API_SECRET, poll.as_bytes());
    let res = request(
        "POST",
        "/vendor/check-payment",
        &[
            ("Content-Type", "application/json"),
            ("ETN-SIGNATURE", &sig),
        ],
        Some(poll.as_bytes()),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["status"], 1);
    assert_eq!(res.json()["amount"], "5000.00");
}

#[test]
fn amounts_may_be_numbers_and_hex_either_case() {
    let m = merchant("hosted_checkout");
    let s = session(&m, json!({}));
    let body = etn_body(
        s["payment_id"].as_str().unwrap(),
        json!(5000.0),
        "payment",
        now(),
    );
    let sig = python_hmac_sha256(ETN_API_SECRET, body.as_bytes()).to_uppercase();
    assert_eq!(send_etn(&m, &body, Some(&sig)).status, 200);
    assert_eq!(status(&m, s["id"].as_str().unwrap()), "paid");
}

#[test]
fn bad_etn_webhooks_are_refused_and_change_nothing() {
    let m = merchant("hosted_checkout");
    let s = session(&m, json!({}));
    let (id, pid) = (s["id"].as_str().unwrap(), s["payment_id"].as_str().unwrap());
    let good = etn_body(pid, json!("5000.00"), "payment", now());
    let cases: Vec<(String, Option<String>, u16, &str)> = vec![
        (good.clone(), Some(String::new()), 401, "signature_missing"),
        (good.clone(), Some("abc".into()), 401, "signature_malformed"),
        (
            good.clone(),
            Some("z".repeat(64)),
            401,
            "signature_malformed",
        ),
        (
            good.clone(),
            Some(python_hmac_sha256("wrong secret", good.as_bytes())),
            401,
            "signature_mismatch",
        ),
        (
            good.replace("payment_id", "payment_jd"),
            Some(python_hmac_sha256(ETN_API_SECRET, good.as_bytes())),
            401,
            "signature_mismatch",
        ),
        (
            etn_body(pid, json!("5000.00"), "payment", now() - 301),
            None,
            400,
            "timestamp_stale",
        ),
        (
            etn_body(pid, json!("5000.00"), "payment", now() + 400),
            None,
            400,
            "timestamp_future",
        ),
        (
            good.replace(ETN_API_KEY, "key_live_someone_else_000000000"),
            None,
            401,
            "key_mismatch",
        ),
        (
            etn_body(pid, json!("5000.00"), "chargeback", now()),
            None,
            400,
            "event_unknown",
        ),
        (
            etn_body("7CE25B4DC0", json!("5000.00"), "payment", now()),
            None,
            400,
            "payment_id_not_hex",
        ),
        (
            etn_body(pid, json!("5,000.00"), "payment", now()),
            None,
            400,
            "amount_invalid",
        ),
        (
            etn_body(pid, json!(true), "payment", now()),
            None,
            400,
            "invalid_type",
        ),
        ("{not json".to_owned(), None, 400, "invalid_json"),
        (
            good.replace("timestamp", "tstamp"),
            None,
            400,
            "missing_field",
        ),
        (
            good.replace(&iso8601(now(), 1)[..10], "2018-13-45"),
            None,
            400,
            "timestamp_invalid",
        ),
    ];
    for (body, signature, want_status, want_code) in cases {
        let res = send_etn(&m, &body, signature.as_deref());
        assert_eq!(
            (res.status, res.code().as_str()),
            (want_status, want_code),
            "{body}: {}",
            res.text
        );
    }
    let unknown = request(
        "POST",
        "/webhooks/etn/mer_aaaaaaaaaaaaaaaa",
        &[("ETN-SIGNATURE", "00")],
        Some(good.as_bytes()),
    );
    assert_eq!(unknown.status, 404);
    assert_eq!(status(&m, id), "pending");
    assert!(event_types(&m, id).is_empty());
}

#[test]
fn a_short_payment_leaves_the_rest_to_pay_and_more_than_the_rest_is_recorded_as_excess() {
    let m = merchant("hosted_checkout");
    let s = session(&m, json!({}));
    let (id, pid) = (s["id"].as_str().unwrap(), s["payment_id"].as_str().unwrap());
    let mut short: Value =
        serde_json::from_str(&etn_body(pid, json!("4999.99"), "payment", now())).unwrap();
    short["ref"] = json!("short-1");
    let res = send_etn(&m, &short.to_string(), None);
    assert_eq!(
        (res.status, res.json()["status"].as_str()),
        (200, Some("partially_paid")),
        "{}",
        res.text
    );
    let view = get(&format!("/v1/sessions/{id}"), Some(&m.key)).json();
    let rest = view["payment_id"].as_str().unwrap();
    assert_ne!(rest, pid, "the rest is asked under a new payment id");
    assert_eq!(
        (
            view["etn_received"].as_str(),
            view["etn_due"].as_str(),
            view["etn_amount"].as_str()
        ),
        (Some("4999.99"), Some("0.01"), Some("5000.00"))
    );
    assert!(view["payment_string"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/{rest}/0.01")));
    // 10 ETN more than the cent left pays it, and records the excess in both units.
    let mut over: Value =
        serde_json::from_str(&etn_body(rest, json!("10.00"), "payment", now())).unwrap();
    over["ref"] = json!("over-1");
    let res = send_etn(&m, &over.to_string(), None);
    assert_eq!(res.json()["status"], "paid", "{}", res.text);
    assert_eq!(
        event_types(&m, id),
        ["payment.partial", "session.paid", "payment.overpaid"]
    );
    let events = get(&format!("/v1/sessions/{id}/events"), Some(&m.key)).json();
    let overpaid = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "payment.overpaid")
        .unwrap()
        .clone();
    assert_eq!(
        (overpaid["etn"].as_str(), overpaid["fiat"].as_str()),
        (Some("9.99"), Some("0.02"))
    );
    let view = get(&format!("/v1/sessions/{id}"), Some(&m.key)).json();
    assert_eq!(
        (
            view["etn_excess"].as_str(),
            view["amount_excess"].as_str(),
            view["etn_due"].as_str()
        ),
        (Some("9.99"), Some("0.02"), Some("0.00"))
    );
    assert_eq!(view["payments"].as_array().unwrap().len(), 2);
}

#[test]
fn payments_without_a_pending_session_are_kept_as_unmatched() {
    let m = merchant("hosted_checkout");
    // A payment string the merchant made itself: no session at all.
    let res = send_etn(
        &m,
        &etn_body("0123456789", json!("12.00"), "payment", now()),
        None,
    );
    assert_eq!(
        (res.status, res.json()["session_id"].is_null()),
        (200, true)
    );
    // A payment for a cancelled session.
    let s = session(&m, json!({}));
    let id = s["id"].as_str().unwrap();
    post(&format!("/v1/sessions/{id}/cancel"), &m.key, &json!({}));
    let res = send_etn(
        &m,
        &etn_body(
            s["payment_id"].as_str().unwrap(),
            json!("5000.00"),
            "payment",
            now(),
        ),
        None,
    );
    assert_eq!(res.status, 200);
    assert_eq!(status(&m, id), "cancelled");
    let refs = |key: &str| -> Vec<String> {
        get("/v1/payments/unmatched", Some(key)).json()["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["payment_ref"].as_str().unwrap().to_owned())
            .collect()
    };
    // A payment that matched no session is live money: only a live key sees it.
    // The late payment for the (test) session belongs to test mode.
    let live = checkout_e2e::issue_key(&m.id, "live");
    let (test_refs, live_refs) = (refs(&m.key), refs(&live));
    let late = s["payment_id"].as_str().unwrap().to_owned();
    assert!(
        live_refs.contains(&"0123456789".to_owned()),
        "{live_refs:?}"
    );
    assert!(!live_refs.contains(&late), "{live_refs:?}");
    assert!(test_refs.contains(&late), "{test_refs:?}");
    assert!(
        !test_refs.contains(&"0123456789".to_owned()),
        "{test_refs:?}"
    );
    // Another merchant sees none of them.
    assert!(get(
        "/v1/payments/unmatched",
        Some(&merchant("hosted_checkout").key)
    )
    .json()["data"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn fifty_concurrent_copies_make_one_transition_and_credit_the_wallet_once() {
    let m = merchant("hosted_checkout");
    let (wallet_id, session_id) = wallet_order(&m.key, 9, "10.00");
    let s = get(&format!("/v1/sessions/{session_id}"), Some(&m.key)).json();
    let body = etn_body(
        s["payment_id"].as_str().unwrap(),
        json!("5000.00"),
        "payment",
        now(),
    );
    let sig = python_hmac_sha256(ETN_API_SECRET, body.as_bytes());
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let (body, sig, id) = (body.clone(), sig.clone(), m.id.clone());
            thread::spawn(move || {
                request(
                    "POST",
                    &format!("/webhooks/etn/{id}"),
                    &[
                        ("Content-Type", "application/json"),
                        ("ETN-SIGNATURE", &sig),
                    ],
                    Some(body.as_bytes()),
                )
            })
        })
        .collect();
    let replies: Vec<Reply> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(
        replies.iter().all(|r| r.status == 200),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let ids: std::collections::BTreeSet<String> = replies
        .iter()
        .map(|r| r.json()["events"][0]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 1, "one event id for every copy");
    assert_eq!(status(&m, &session_id), "paid");
    // One payment, one top-up of its wallet.
    assert_eq!(
        event_types(&m, &session_id),
        ["session.paid", "wallet.topup"]
    );
    let w = get(&format!("/api/v1/wallets/{wallet_id}"), Some(&m.key)).json();
    assert_eq!(w["balance"], "10.00");
    assert_eq!(w["ledger"].as_array().unwrap().len(), 1);
}

#[test]
fn gateway_webhooks_in_every_header_and_a_refund_before_its_payment() {
    let m = merchant("hosted_checkout");
    let (wallet_id, id) = wallet_order(&m.key, 11, "10.00");
    // The refund arrives first; the payment after it.
    let refund = gateway_body(&id, "refund.succeeded", "10.00", "EUR", now());
    let sig = python_hmac_sha256(GATEWAY_SECRET, refund.as_bytes());
    assert_eq!(
        send_gateway(&refund, &[("X-Webhook-Signature", &sig)]).status,
        200
    );
    assert_eq!(status(&m, &id), "pending");
    let pay = gateway_body(&id, "payment.succeeded", "10.00", "EUR", now());
    let sig = python_hmac_sha256(GATEWAY_SECRET, pay.as_bytes());
    let res = send_gateway(
        &pay,
        &[("X-Ecomtrade24-Signature", &format!("sha256={sig}"))],
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(status(&m, &id), "paid");
    // The same payment in another header is a duplicate.
    let res = send_gateway(&pay, &[("X-Signature", &sig.to_uppercase())]);
    assert_eq!(
        (res.status, res.json()["duplicate"].as_bool()),
        (200, Some(true))
    );
    let mut kinds = event_types(&m, &id);
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "payment.refund_exceeds",
            "payment.refunded",
            "session.paid",
            "wallet.topup"
        ]
    );
    // A refund debits only against what its session credited: one that overtakes
    // its payment finds no credit, books nothing and is recorded as exceeding it.
    // The state is the same in either order; the wallet never goes negative.
    let w = get(&format!("/api/v1/wallets/{wallet_id}"), Some(&m.key)).json();
    assert_eq!(
        (w["balance"].as_str(), w["ledger"].as_array().unwrap().len()),
        (Some("10.00"), 2)
    );
}

/// Header name and value pairs.
type Headers = Vec<(&'static str, String)>;

#[test]
fn bad_gateway_webhooks_are_refused() {
    let m = merchant("hosted_checkout");
    let id = session(&m, json!({}))["id"].as_str().unwrap().to_owned();
    let body = gateway_body(&id, "payment.succeeded", "10.00", "EUR", now());
    let sig = python_hmac_sha256(GATEWAY_SECRET, body.as_bytes());
    let other = python_hmac_sha256("other", body.as_bytes());
    let cases: Vec<(String, Headers, u16, &str)> = vec![
        (body.clone(), vec![], 401, "signature_missing"),
        (
            body.clone(),
            vec![("X-Signature", "".into())],
            401,
            "signature_missing",
        ),
        (
            body.clone(),
            vec![("X-Signature", other.clone())],
            401,
            "signature_mismatch",
        ),
        (
            body.clone(),
            vec![("X-Signature", "sha256=".into())],
            401,
            "signature_malformed",
        ),
        (
            body.clone(),
            vec![
                ("X-Signature", sig.clone()),
                ("X-Webhook-Signature", other.clone()),
            ],
            400,
            "signature_conflict",
        ),
        (
            gateway_body(&id, "payment.succeeded", "10.00", "EUR", now() - 400),
            vec![],
            400,
            "timestamp_stale",
        ),
        (
            gateway_body(&id, "payment.succeeded", "10.00", "USD", now()),
            vec![],
            422,
            "currency_mismatch",
        ),
        (
            gateway_body(&id, "payment.disputed", "10.00", "EUR", now()),
            vec![],
            400,
            "event_unknown",
        ),
        (
            gateway_body(
                "cs_aaaaaaaaaaaaaaaaaaaaaaaa",
                "payment.succeeded",
                "10.00",
                "EUR",
                now(),
            ),
            vec![],
            404,
            "not_found",
        ),
        ("[]".into(), vec![], 400, "invalid_json"),
    ];
    for (body, headers, want_status, want_code) in cases {
        let mut headers: Headers = headers;
        if headers.is_empty() && want_code != "signature_missing" {
            headers.push((
                "X-Signature",
                python_hmac_sha256(GATEWAY_SECRET, body.as_bytes()),
            ));
        }
        let refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = send_gateway(&body, &refs);
        assert_eq!(
            (res.status, res.code().as_str()),
            (want_status, want_code),
            "{body} {headers:?}: {}",
            res.text
        );
    }
    // Oversized bodies are refused before anything else.
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(70 * 1024));
    let res = send_gateway(&big, &[("X-Signature", "00")]);
    assert_eq!(
        (res.status, res.code().as_str()),
        (413, "payload_too_large")
    );
    let res = request(
        "POST",
        &format!("/webhooks/etn/{}", m.id),
        &[("ETN-SIGNATURE", "00")],
        Some(big.as_bytes()),
    );
    assert_eq!(
        (res.status, res.code().as_str()),
        (413, "payload_too_large")
    );
    // Agreeing headers are fine.
    let res = send_gateway(
        &body,
        &[
            ("X-Signature", &sig),
            ("X-Webhook-Signature", &format!("sha256={sig}")),
        ],
    );
    assert_eq!(res.status, 200, "{}", res.text);
    // A failed payment is recorded and changes nothing.
    let id2 = session(&m, json!({}))["id"].as_str().unwrap().to_owned();
    let failed = gateway_body(&id2, "payment.failed", "10.00", "EUR", now());
    assert_eq!(
        send_gateway(
            &failed,
            &[(
                "X-Signature",
                &python_hmac_sha256(GATEWAY_SECRET, failed.as_bytes())
            )]
        )
        .status,
        200
    );
    assert_eq!(
        (status(&m, &id2), event_types(&m, &id2)),
        ("pending".to_owned(), vec!["payment.failed".to_owned()])
    );
}

#[test]
fn a_refused_late_retry_is_recovered_by_the_etn_poll() {
    let m = merchant("hosted_checkout");
    // Expiring soonest, this session is among the first the cron polls.
    let s = session(&m, json!({"expires_in": 120}));
    let (id, pid) = (s["id"].as_str().unwrap(), s["payment_id"].as_str().unwrap());
    // ETN's hourly retry of a webhook our worker missed: outside the window.
    let late = send_etn(
        &m,
        &etn_body(pid, json!("5000.00"), "payment", now() - 3600),
        None,
    );
    assert_eq!(
        (late.status, late.code().as_str()),
        (400, "timestamp_stale")
    );
    assert_eq!(status(&m, id), "pending");
    // ETN's check-payment API (the local stand-in) knows the payment was made.
    let mark = request(
        "PUT",
        &format!("/__dev/etn/payments/{pid}"),
        &[("Content-Type", "application/json")],
        Some(br#"{"amount":"5000.00"}"#),
    );
    assert_eq!(mark.status, 204);
    sweep(&m.key);
    assert_eq!(status(&m, id), "paid");
    // The poll's event is the one a webhook would have made.
    let again = send_etn(&m, &etn_body(pid, json!("5000.00"), "payment", now()), None);
    assert_eq!(again.json()["duplicate"], true);
}

#[test]
fn the_sandbox_pays_test_sessions_only() {
    let m = merchant("hosted_checkout");
    let id = session(&m, json!({}))["id"].as_str().unwrap().to_owned();
    for (scenario, status_code) in [("bad_signature", 401), ("stale", 400), ("failed", 200)] {
        let res = post(
            &format!("/v1/sessions/{id}/sandbox?scenario={scenario}"),
            &m.key,
            &json!({}),
        );
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(
            res.json()["deliveries"][0]["status"],
            status_code,
            "{scenario}: {}",
            res.text
        );
        assert_eq!(status(&m, &id), "pending", "{scenario}");
    }
    // A provider's retry is the same payment: recorded once.
    let res = post(
        &format!("/v1/sessions/{id}/sandbox?scenario=resend"),
        &m.key,
        &json!({}),
    );
    let deliveries = res.json()["deliveries"].clone();
    assert_eq!(
        (
            deliveries[0]["status"].as_u64(),
            deliveries[1]["status"].as_u64()
        ),
        (Some(200), Some(200))
    );
    assert_eq!(deliveries[1]["response"]["duplicate"], true);
    assert_eq!(status(&m, &id), "paid");
    // A doubled payment is recorded as such, never paid twice.
    let res = post(
        &format!("/v1/sessions/{id}/sandbox?scenario=duplicate"),
        &m.key,
        &json!({}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let types = event_types(&m, &id);
    assert_eq!(
        types.iter().filter(|t| *t == "session.paid").count(),
        1,
        "{types:?}"
    );
    assert!(types.contains(&"payment.duplicate".to_owned()), "{types:?}");
    // One minor unit too much pays, with the excess recorded.
    let over = session(&m, json!({}))["id"].as_str().unwrap().to_owned();
    post(
        &format!("/v1/sessions/{over}/sandbox?scenario=wrong_amount"),
        &m.key,
        &json!({}),
    );
    assert_eq!(event_types(&m, &over), ["session.paid", "payment.overpaid"]);
    let res = post(
        &format!("/v1/sessions/{id}/sandbox?scenario=refund"),
        &m.key,
        &json!({}),
    );
    assert_eq!(res.json()["deliveries"][0]["status"], 200);
    assert!(event_types(&m, &id).contains(&"payment.refunded".to_owned()));
    assert_eq!(
        post(
            &format!("/v1/sessions/{id}/sandbox?scenario=nope"),
            &m.key,
            &json!({})
        )
        .code(),
        "scenario_unknown"
    );
    // A live session never gets a sandbox.
    let live_key = post(
        &format!("/v1/admin/merchants/{}/keys", m.id),
        &checkout_e2e::admin_key(),
        &json!({"mode": "live"}),
    )
    .json()["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let live = post(
        "/v1/sessions",
        &live_key,
        &json!({"amount": "10.00", "currency": "EUR"}),
    )
    .json();
    let live_id = live["id"].as_str().unwrap();
    // A test key does not see live sessions at all; without a key (the hosted
    // page's button) the sandbox refuses a live session.
    let res = post(
        &format!("/v1/sessions/{live_id}/sandbox"),
        &m.key,
        &json!({}),
    );
    assert_eq!((res.status, res.code().as_str()), (404, "not_found"));
    let res = request(
        "POST",
        &format!("/v1/sessions/{live_id}/sandbox"),
        &[],
        None,
    );
    assert_eq!(
        (res.status, res.code().as_str()),
        (403, "not_a_test_session")
    );
    assert!(!get(&format!("/pay/{live_id}"), None)
        .text
        .contains("Simulate payment"));
    assert!(get(
        &format!("/pay/{}", session(&m, json!({}))["id"].as_str().unwrap()),
        None
    )
    .text
    .contains("Simulate payment"));
}

#[test]
fn check_payment_is_signed_and_limited_to_one_request_per_second() {
    let m = merchant("hosted_checkout");
    let s = session(&m, json!({}));
    let body =
        json!({"payment_id": s["payment_id"], "vendor_address": format!("etn-it-{}", m.outlet)})
            .to_string();
    let send = |sig: &str| {
        request(
            "POST",
            "/vendor/check-payment",
            &[("Content-Type", "application/json"), ("ETN-SIGNATURE", sig)],
            Some(body.as_bytes()),
        )
    };
    let bad = send(&python_hmac_sha256("wrong", body.as_bytes()));
    assert_eq!(bad.status, 401);
    thread::sleep(Duration::from_millis(1100));
    let sig = python_hmac_sha256(ETN_API_SECRET, body.as_bytes());
    let first = send(&sig);
    // Another test may have polled this outlet within the second: wait and retry once.
    let first = if first.status == 429 {
        thread::sleep(Duration::from_millis(1100));
        send(&sig)
    } else {
        first
    };
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.json()["status"], 0);
    assert!(first.json()["message"].is_string());
    let second = send(&sig);
    assert_eq!(
        (second.status, second.header("retry-after").as_str()),
        (429, "1")
    );
    let unknown =
        json!({"payment_id": "0000000000", "vendor_address": "etn-it-fffffffffffff"}).to_string();
    let res = request(
        "POST",
        "/vendor/check-payment",
        &[("ETN-SIGNATURE", "00")],
        Some(unknown.as_bytes()),
    );
    assert_eq!((res.status, res.json()["status"].as_i64()), (200, Some(0)));
}

#[test]
fn the_alarm_expires_overdue_sessions_on_time() {
    let m = merchant("hosted_checkout");
    let s = session(&m, json!({"expires_in": 60}));
    let id = s["id"].as_str().unwrap();
    let expires_at = s["expires_at"].as_i64().unwrap();
    // Nothing reads or touches the session until after its expiry: the
    // account object's alarm records it when it is due.
    let wait = expires_at - now() + 3;
    thread::sleep(Duration::from_secs(wait.max(0) as u64));
    let events = get(&format!("/v1/sessions/{id}/events"), Some(&m.key)).json();
    let expired = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "session.expired")
        .expect("an expiry event, recorded by the alarm");
    let at = expired["created_at"].as_i64().unwrap();
    assert!(
        (expires_at..=expires_at + 2).contains(&at),
        "expired at {at}, due at {expires_at}"
    );
    assert_eq!(status(&m, id), "expired");
    // An unauthenticated webhook naming it writes nothing.
    let before = event_types(&m, id);
    let unsigned = gateway_body(id, "payment.succeeded", "10.00", "EUR", now());
    let res = send_gateway(&unsigned, &[("X-Signature", &"0".repeat(64))]);
    assert_eq!(
        (res.status, res.code().as_str()),
        (401, "signature_mismatch")
    );
    assert_eq!(event_types(&m, id), before);
    // A payment that arrives now, with no late window in the merchant's
    // policy, is the merchant's to decide.
    let res = send_etn(
        &m,
        &etn_body(
            s["payment_id"].as_str().unwrap(),
            json!("5000.00"),
            "payment",
            now(),
        ),
        None,
    );
    assert_eq!(
        (res.status, res.json()["events"][0]["type"].as_str()),
        (200, Some("session.needs_review"))
    );
    assert_eq!(status(&m, id), "needs_review");
}

#[test]
fn checkout_trigger_pays_a_test_session_from_the_command_line() {
    let cli = std::env::var("CHECKOUT_CLI").expect("CHECKOUT_CLI is set by `cargo xtask test`");
    let m = merchant("hosted_checkout");
    let id = session(&m, json!({}))["id"].as_str().unwrap().to_owned();
    let run = |extra: &[&str]| {
        std::process::Command::new(&cli)
            .args(["trigger", &id, "--url", &checkout_e2e::base_url()])
            .args(extra)
            .output()
            .unwrap()
    };
    let stale = run(&["--stale"]);
    assert!(stale.status.success());
    assert!(String::from_utf8_lossy(&stale.stdout).contains("timestamp_stale"));
    assert_eq!(status(&m, &id), "pending");
    let paid = run(&[]);
    assert!(
        paid.status.success(),
        "{}",
        String::from_utf8_lossy(&paid.stderr)
    );
    assert_eq!(status(&m, &id), "paid");
    let usage = run(&["--stale", "--refund"]);
    assert_eq!(usage.status.code(), Some(2));
}
