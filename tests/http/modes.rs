//! Test money never touches live money: every object belongs to one mode, and
//! wallet ledgers book nothing a real payment does not justify. Each test here is
//! the repro of a red-team finding, run against the real worker.

use std::thread;

use checkout_e2e::{
    get, issue_key, merchant, now, order_body, order_for, post, post_with, python_hmac_sha256,
    request, signed_gateway, unique, wallet, Merchant,
};
use serde_json::{json, Value};

/// An ewallet order of 10.00 EUR crediting `wallet`: its session id.
fn wallet_order(key: &str, wallet: &str) -> String {
    order_for(key, wallet, "10.00")
}

fn balance(key: &str, wallet: &str) -> String {
    let res = get(&format!("/api/v1/wallets/{wallet}"), Some(key));
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["balance"].as_str().unwrap().to_owned()
}

/// A signed gateway webhook for a session (Python computes the signature).
fn gateway(session: &str, event: &str, amount: &str) -> checkout_e2e::Reply {
    let body = json!({"event": event, "session_id": session, "amount": amount, "currency": "EUR", "reference": format!("psp-{}", unique()), "timestamp": now()}).to_string();
    signed_gateway(&body)
}

fn sandbox(session: &str, scenario: &str) -> checkout_e2e::Reply {
    request(
        "POST",
        &format!("/v1/sessions/{session}/sandbox?scenario={scenario}"),
        &[],
        None,
    )
}

fn live(m: &Merchant) -> String {
    issue_key(&m.id, "live")
}

/// Finding 1: a test order named a live wallet, and the keyless sandbox paid it,
/// crediting live money without limit.
#[test]
fn test_money_never_credits_a_live_wallet() {
    let m = merchant("hosted_checkout");
    let live_key = live(&m);
    let w = wallet(&live_key, 501);
    let res = post(
        "/api/v1/orders",
        &m.key,
        &order_body(json!({ "wallet_id": w })),
    );
    assert_eq!(
        (res.status, res.code().as_str(), res.field().as_str()),
        (422, "wallet_unknown", "wallet_id"),
        "{}",
        res.text
    );
    // A test wallet of the same user is another wallet, and the test key cannot
    // read the live one.
    let test_wallet = wallet(&m.key, 501);
    assert_ne!(test_wallet, w);
    assert_eq!(
        get(&format!("/api/v1/wallets/{w}"), Some(&m.key)).status,
        404
    );
    let order = wallet_order(&m.key, &test_wallet);
    for _ in 0..3 {
        assert_eq!(sandbox(&order, "payment").status, 200);
    }
    assert_eq!(balance(&m.key, &test_wallet), "10.00");
    assert_eq!(balance(&live_key, &w), "0.00");
    // The sandbox never pays a live session, with or without a key.
    let live_order = wallet_order(&live_key, &w);
    let res = sandbox(&live_order, "payment");
    assert_eq!(
        (res.status, res.code().as_str()),
        (403, "not_a_test_session")
    );
    assert_eq!(balance(&live_key, &w), "0.00");
}

/// Finding 2: a test key read, listed and cancelled live sessions.
#[test]
fn keys_of_one_mode_never_see_or_change_the_others_objects() {
    let m = merchant("hosted_checkout");
    let live_key = live(&m);
    let body =
        json!({"amount": "10.00", "currency": "EUR", "customer_email": "private@example.com"});
    let live_session = post("/v1/sessions", &live_key, &body).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let test_session = post("/v1/sessions", &m.key, &body).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (key, other) in [(&m.key, &live_session), (&live_key, &test_session)] {
        let unknown = get("/v1/sessions/cs_aaaaaaaaaaaaaaaaaaaaaaaa", Some(key));
        for (method, path) in [
            ("GET", format!("/v1/sessions/{other}")),
            ("GET", format!("/v1/sessions/{other}/events")),
            ("POST", format!("/v1/sessions/{other}/cancel")),
            ("POST", format!("/v1/sessions/{other}/sandbox")),
            ("GET", format!("/gateway/status.php?session_id={other}")),
        ] {
            let res = request(
                method,
                &path,
                &[("Authorization", &format!("Bearer {key}"))],
                None,
            );
            assert_eq!(res.status, 404, "{method} {path}: {}", res.text);
            assert!(!res.text.contains("private@example.com"));
            assert_eq!(res.code(), unknown.code());
        }
        let list = get("/v1/sessions?limit=100", Some(key));
        assert!(!list.text.contains(other.as_str()), "{}", list.text);
    }
    for (key, id) in [(&live_key, &live_session), (&m.key, &test_session)] {
        let own = get(&format!("/v1/sessions/{id}"), Some(key)).json();
        assert_eq!(own["status"], "pending", "{own}");
    }
    // Orders, their receipts and wallets too.
    let live_wallet = wallet(&live_key, 550);
    let live_order = post(
        "/api/v1/orders",
        &live_key,
        &order_body(json!({ "wallet_id": live_wallet })),
    )
    .json();
    let public_id = live_order["public_order_id"].as_str().unwrap();
    for path in [
        format!("/api/v1/orders/{public_id}"),
        format!("/api/v1/orders/{public_id}/receipt.pdf"),
        format!("/api/v1/wallets/{live_wallet}"),
    ] {
        let res = get(&path, Some(&m.key));
        assert_eq!(res.status, 404, "{path}: {}", res.text);
        assert!(!res.text.contains("Berzina"));
        assert_eq!(get(&path, Some(&live_key)).status, 200, "{path}");
    }
}

/// Finding 3: test order ids and Idempotency-Keys blocked live checkouts.
#[test]
fn order_ids_and_idempotency_keys_are_per_mode() {
    let m = merchant("hosted_checkout");
    let live_key = live(&m);
    let body = json!({"amount": "10.00", "currency": "EUR", "order_id": format!("X-{}", unique())});
    let idem = format!("idem-{}", unique());
    let test = post_with("/v1/sessions", &m.key, &body, &[("Idempotency-Key", &idem)]);
    let live = post_with(
        "/v1/sessions",
        &live_key,
        &body,
        &[("Idempotency-Key", &idem)],
    );
    assert_eq!((test.status, live.status), (201, 201), "{}", live.text);
    assert_ne!(test.json()["id"], live.json()["id"]);
    assert_eq!(live.json()["mode"], "live");
    // Within a mode they still work as before.
    let again = post_with(
        "/v1/sessions",
        &live_key,
        &body,
        &[("Idempotency-Key", &idem)],
    );
    assert_eq!(
        (again.status, again.json()["id"].clone()),
        (200, live.json()["id"].clone())
    );
}

/// Finding 4: refunds debited wallets without a credit, and beyond it.
#[test]
fn refunds_debit_only_what_their_session_credited() {
    let m = merchant("hosted_checkout");
    // A sandbox refund of a pending order: nothing was credited, nothing is debited.
    let w = wallet(&m.key, 601);
    let pending = wallet_order(&m.key, &w);
    assert_eq!(sandbox(&pending, "refund").status, 200);
    assert_eq!(balance(&m.key, &w), "0.00");
    let kinds = event_types(&m.key, &pending);
    assert!(
        kinds.contains(&"payment.refund_exceeds".to_owned()),
        "{kinds:?}"
    );
    // Three signed partial refunds of a paid 10.00 order: 6.00 is booked, 4.00 of
    // 7.00, nothing of 9.99; what exceeds is recorded, not booked.
    let w = wallet(&m.key, 602);
    let paid = wallet_order(&m.key, &w);
    assert_eq!(gateway(&paid, "payment.succeeded", "10.00").status, 200);
    for amount in ["6.00", "7.00", "9.99"] {
        let res = gateway(&paid, "refund.succeeded", amount);
        assert_eq!(res.status, 200, "{}", res.text);
    }
    assert_eq!(balance(&m.key, &w), "0.00");
    let wallet_view = get(&format!("/api/v1/wallets/{w}"), Some(&m.key)).json();
    let amounts: Vec<&str> = wallet_view["ledger"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, ["10.00", "-6.00", "-4.00", "0"]);
    let exceeded: Vec<String> = events(&m.key, &paid)
        .iter()
        .filter(|e| e["type"] == "payment.refund_exceeds")
        .map(|e| e["amount"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(exceeded, ["3.00", "9.99"]);
}

/// Finding 5: a verified refund of 79228162514264337593543950335 ETN overflowed
/// the refund arithmetic and crashed the request on every retry.
#[test]
fn a_refund_too_large_for_any_session_is_refused_cleanly() {
    let m = merchant("hosted_checkout");
    let w = wallet(&m.key, 701);
    let paid = wallet_order(&m.key, &w);
    assert_eq!(gateway(&paid, "payment.succeeded", "10.00").status, 200);
    let s = get(&format!("/v1/sessions/{paid}"), Some(&m.key)).json();
    let body = json!({
        "event": "refund", "payment_id": s["payment_id"], "amount": "79228162514264337593543950335",
        "key": checkout_e2e::ETN_API_KEY, "timestamp": checkout_e2e::iso8601(now(), 0), "ref": "r",
    })
    .to_string();
    let sig = python_hmac_sha256(checkout_e2e::ETN_API_SECRET, body.as_bytes());
    for _ in 0..2 {
        let res = request(
            "POST",
            &format!("/webhooks/etn/{}", m.id),
            &[
                ("Content-Type", "application/json"),
                ("ETN-SIGNATURE", &sig),
            ],
            Some(body.as_bytes()),
        );
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (422, "amount_too_large", "amount"),
            "{}",
            res.text
        );
    }
    assert_eq!(balance(&m.key, &w), "10.00");
    // A sane refund afterwards is booked as usual.
    assert_eq!(gateway(&paid, "refund.succeeded", "2.50").status, 200);
    assert_eq!(balance(&m.key, &w), "7.50");
}

/// Finding 6: an order could never get a fresh session once its session ended.
#[test]
fn an_ended_session_frees_its_order_id() {
    let m = merchant("hosted_checkout");
    let body = json!({"amount": "10.00", "currency": "EUR", "order_id": format!("R-{}", unique())});
    let first = post("/v1/sessions", &m.key, &body).json();
    let first_id = first["id"].as_str().unwrap();
    assert_eq!(
        post(
            &format!("/v1/sessions/{first_id}/cancel"),
            &m.key,
            &json!({})
        )
        .status,
        200
    );
    let retry = post("/v1/sessions", &m.key, &body);
    assert_eq!(retry.status, 201, "{}", retry.text);
    let second_id = retry.json()["id"].as_str().unwrap().to_owned();
    assert_ne!(second_id, first_id);
    // The old session stays readable, as it ended.
    assert_eq!(
        get(&format!("/v1/sessions/{first_id}"), Some(&m.key)).json()["status"],
        "cancelled"
    );
    // A changed amount is fine once the order is free, but not while it is held.
    let mut changed = body.clone();
    changed["amount"] = json!("12.00");
    let res = post("/v1/sessions", &m.key, &changed);
    assert_eq!(
        (res.status, res.code().as_str()),
        (409, "order_id_conflict")
    );
    // A paid order keeps its session: never a second charge.
    assert_eq!(sandbox(&second_id, "payment").status, 200);
    let again = post("/v1/sessions", &m.key, &body);
    assert_eq!(
        (again.status, again.json()["id"].as_str()),
        (200, Some(second_id.as_str()))
    );
    assert_eq!(again.json()["status"], "paid");
}

fn events(key: &str, session: &str) -> Vec<Value> {
    get(&format!("/v1/sessions/{session}/events"), Some(key)).json()["data"]
        .as_array()
        .unwrap()
        .clone()
}

fn event_types(key: &str, session: &str) -> Vec<String> {
    events(key, session)
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

/// The ledger's invariants under concurrent duplicate webhooks: 20 copies of the
/// payment and 10 of each of three partial refunds, all at once, in no order.
#[test]
fn ledger_invariants_hold_under_concurrent_duplicate_webhooks() {
    let m = merchant("hosted_checkout");
    let w = wallet(&m.key, 801);
    let order = wallet_order(&m.key, &w);
    let mut jobs: Vec<(&str, &str)> = vec![("payment.succeeded", "10.00"); 20];
    for amount in ["6.00", "7.00", "9.99"] {
        jobs.extend(vec![("refund.succeeded", amount); 10]);
    }
    // Interleave refunds and payments.
    jobs.sort_by_key(|(event, amount)| (amount.len() + event.len()) % 3);
    let threads: Vec<_> = jobs
        .into_iter()
        .map(|(event, amount)| {
            let order = order.clone();
            thread::spawn(move || {
                let body = json!({"event": event, "session_id": order, "amount": amount, "currency": "EUR", "reference": "psp", "timestamp": now()}).to_string();
                let res = signed_gateway(&body);
                (res.status, res.text)
            })
        })
        .collect();
    for t in threads {
        let (status, text) = t.join().unwrap();
        assert_eq!(status, 200, "{text}");
    }
    let view = get(&format!("/api/v1/wallets/{w}"), Some(&m.key)).json();
    let entries = view["ledger"].as_array().unwrap();
    let cents = |text: &str| -> i64 {
        let (units, fraction) = text
            .trim_start_matches('-')
            .split_once('.')
            .unwrap_or((text.trim_start_matches('-'), "0"));
        let value = units.parse::<i64>().unwrap() * 100
            + format!("{fraction:0<2}")[..2].parse::<i64>().unwrap();
        if text.starts_with('-') {
            -value
        } else {
            value
        }
    };
    let amounts: Vec<i64> = entries
        .iter()
        .map(|e| cents(e["amount"].as_str().unwrap()))
        .collect();
    // One credit (the payment, booked once), at most one entry per refund.
    assert_eq!(amounts.iter().filter(|a| **a > 0).count(), 1, "{amounts:?}");
    assert_eq!(entries.len(), 4, "{amounts:?}");
    let credits: i64 = amounts.iter().filter(|a| **a > 0).sum();
    let debits: i64 = -amounts.iter().filter(|a| **a < 0).sum::<i64>();
    assert_eq!(credits, 1000);
    // Refunds never exceed the credit, and the balance is credits minus debits.
    assert!(debits <= credits, "{amounts:?}");
    assert_eq!(cents(view["balance"].as_str().unwrap()), credits - debits);
    assert!(credits - debits >= 0);
}
