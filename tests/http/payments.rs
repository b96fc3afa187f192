//! Payments that don't fit, end to end in workerd with real Durable Objects:
//! split payments paid in parts (the rest under a new payment id), two halves
//! arriving at once, overpayments, payments doubled through the other
//! provider, the underpayment tolerance, late payments held for the merchant
//! and accepted, the payment policy and its validation, and what the shopper's
//! page and the merchant's webhooks say of each. Every signature a test sends
//! is computed by Python's hmac.

use std::thread;
use std::time::Duration;

use checkout_api::endpoint::{
    ACCEPT_SESSION, DASHBOARD_SESSIONS, GET_PAYMENT_POLICY, PUT_PAYMENT_POLICY, PUT_WEBHOOK_CONFIG,
};
use checkout_e2e::receiver::{standard_webhooks_verify, Receiver};
use checkout_e2e::{
    call, call_raw, get, issue_key, merchant, now, post, request, signed_etn_payment,
    signed_gateway, unique, wallet_order, Merchant, Reply,
};
use serde_json::{json, Value};

const SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const WAIT: Duration = Duration::from_secs(20);

/// A native session of `amount` EUR (10.00 EUR is 5000.00 ETN at the test rates).
fn session(key: &str, amount: &str) -> Value {
    let res = post(
        "/v1/sessions",
        key,
        &json!({"amount": amount, "currency": "EUR", "order_id": format!("P-{}", unique())}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

fn text(v: &Value, field: &str) -> String {
    v[field].as_str().unwrap_or_default().to_owned()
}

/// A signed ETN payment webhook: `amount` ETN to `payment_id`, ETN's `ref`.
fn etn(m: &Merchant, payment_id: &str, amount: &str, reference: &str) -> Reply {
    signed_etn_payment(&m.id, payment_id, amount, reference)
}

/// A signed gateway payment of `amount` EUR for a session, with its reference.
fn gateway(session_id: &str, amount: &str, reference: &str) -> Reply {
    signed_gateway(
        &json!({
            "event": "payment.succeeded", "session_id": session_id, "amount": amount,
            "currency": "EUR", "reference": reference, "timestamp": now(),
        })
        .to_string(),
    )
}

fn view(key: &str, id: &str) -> Value {
    let res = get(&format!("/v1/sessions/{id}"), Some(key));
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

/// What happened to a session after its creation, in order.
fn events(key: &str, id: &str) -> Vec<Value> {
    let mut all = get(&format!("/v1/sessions/{id}/events"), Some(key)).json()["data"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(all[0]["type"], "session.created");
    all.remove(0);
    all
}

fn types(key: &str, id: &str) -> Vec<String> {
    events(key, id).iter().map(|e| text(e, "type")).collect()
}

fn sandbox(key: &str, id: &str, query: &str) -> Reply {
    let res = post(
        &format!("/v1/sessions/{id}/sandbox?{query}"),
        key,
        &json!({}),
    );
    assert_eq!(res.status, 200, "{query}: {}", res.text);
    res
}

fn put_policy(key: &str, body: &Value) -> Reply {
    call(PUT_PAYMENT_POLICY, &[], Some(key), Some(body))
}

fn accept(key: &str, id: &str) -> Reply {
    call(ACCEPT_SESSION, &[id], Some(key), Some(&json!({})))
}

fn balance(key: &str, wallet: &str) -> String {
    text(
        &get(&format!("/api/v1/wallets/{wallet}"), Some(key)).json(),
        "balance",
    )
}

fn topups(key: &str, id: &str) -> usize {
    types(key, id)
        .iter()
        .filter(|t| *t == "wallet.topup")
        .count()
}

/// The hosted page's status for a session: its `data-state` and its words
/// (inside `<noscript>` while the widget follows the session).
fn page_status(id: &str) -> (String, String) {
    let html = get(&format!("/pay/{id}"), None).text;
    let start = html
        .find("<p class=\"status\"")
        .unwrap_or_else(|| panic!("no status element: {html}"));
    let tag_end = start + html[start..].find('>').unwrap();
    let tag = &html[start..tag_end];
    let state = tag
        .split("data-state=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let words = html[tag_end + 1..].split("</p>").next().unwrap().to_owned();
    (state, words)
}

#[test]
fn a_split_payment_asks_the_rest_under_a_new_payment_id_and_every_id_still_pays() {
    let m = merchant("hosted_checkout");
    let s = session(&m.key, "10.00");
    let (id, first) = (text(&s, "id"), text(&s, "payment_id"));
    let res = etn(&m, &first, "2000.00", "split-a");
    assert_eq!(res.json()["status"], "partially_paid", "{}", res.text);
    let v = view(&m.key, &id);
    let second = text(&v, "payment_id");
    assert_ne!(second, first);
    assert_eq!(
        (
            text(&v, "status"),
            text(&v, "etn_amount"),
            text(&v, "etn_received"),
            text(&v, "etn_due"),
            text(&v, "amount_received"),
            text(&v, "amount_due"),
        ),
        (
            "partially_paid".into(),
            "5000.00".into(),
            "2000.00".into(),
            "3000.00".into(),
            "4.00".into(),
            "6.00".into()
        )
    );
    assert_eq!(
        text(&v, "payment_string"),
        format!("etn-it-{}/{second}/3000.00", m.outlet)
    );
    // The shopper's page and the public view say what is still due.
    let public = get(&format!("/v1/sessions/{id}/public"), None).json();
    assert_eq!(
        (
            text(&public, "status"),
            text(&public, "etn_received"),
            text(&public, "etn_due")
        ),
        ("partially_paid".into(), "2000.00".into(), "3000.00".into())
    );
    let (state, words) = page_status(&id);
    assert_eq!(state, "partially_paid");
    assert!(
        words.contains("Received 2,000.00 of 5,000.00 ETN") && words.contains("3,000.00 ETN"),
        "{words}"
    );
    // A payment to the first id still counts; the rest moves again.
    assert_eq!(
        etn(&m, &first, "1000.00", "split-b").json()["status"],
        "partially_paid"
    );
    let third = text(&view(&m.key, &id), "payment_id");
    assert!(third != first && third != second);
    assert_eq!(text(&view(&m.key, &id), "etn_due"), "2000.00");
    // The rest pays it, once.
    let res = etn(&m, &third, "2000.00", "split-c");
    assert_eq!(res.json()["status"], "paid", "{}", res.text);
    assert_eq!(
        types(&m.key, &id),
        ["payment.partial", "payment.partial", "session.paid"]
    );
    let v = view(&m.key, &id);
    assert_eq!(
        (text(&v, "etn_due"), text(&v, "etn_excess")),
        ("0.00".into(), "0.00".into())
    );
    let refs: Vec<String> = v["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{}:{}", text(p, "provider"), text(p, "reference")))
        .collect();
    assert_eq!(refs, ["etn:split-a", "etn:split-b", "etn:split-c"]);
    // A copy of a payment already counted changes nothing.
    let again = etn(&m, &first, "2000.00", "split-a");
    assert_eq!(again.json()["duplicate"], true, "{}", again.text);
    // Another merchant cannot reach it by any of its payment ids.
    let other = merchant("hosted_checkout");
    for pid in [&first, &second, &third] {
        let res = etn(&other, pid, "10.00", &format!("x-{pid}"));
        assert!(res.json()["session_id"].is_null(), "{}", res.text);
    }
    assert_eq!(text(&view(&m.key, &id), "etn_received"), "5000.00");
}

#[test]
fn two_halves_arriving_at_once_pay_exactly_once_and_credit_once() {
    let m = merchant("hosted_checkout");
    for round in 0..4 {
        let (wallet, id) = wallet_order(&m.key, 7_000 + round, "10.00");
        let answers: Vec<Value> = (0..2)
            .map(|half| {
                let id = id.clone();
                thread::spawn(move || gateway(&id, "5.00", &format!("half-{half}")).json())
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        let statuses: Vec<String> = answers.iter().map(|a| text(a, "status")).collect();
        assert!(
            statuses.contains(&"paid".to_owned())
                && statuses.contains(&"partially_paid".to_owned()),
            "{answers:?}"
        );
        let t = types(&m.key, &id);
        assert_eq!(
            t.iter().filter(|k| *k == "session.paid").count(),
            1,
            "{t:?}"
        );
        assert_eq!(topups(&m.key, &id), 1, "{t:?}");
        assert_eq!(balance(&m.key, &wallet), "10.00");
    }
}

#[test]
fn a_payment_doubled_through_the_other_provider_is_a_duplicate_and_credits_once() {
    let m = merchant("hosted_checkout");
    let live = issue_key(&m.id, "live");
    for key in [&m.key, &live] {
        // ETN first, then the gateway (a cent, for the same order).
        let (wallet, id) = wallet_order(key, 8_001, "10.00");
        let order = view(key, &id);
        let res = etn(
            &m,
            &text(&order, "payment_id"),
            "5000.00",
            &format!("etn-{id}"),
        );
        assert_eq!(res.json()["status"], "paid", "{}", res.text);
        let res = gateway(&id, "0.01", &format!("gw-{id}"));
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.json()["events"][0]["type"], "payment.duplicate");
        assert_eq!(
            types(key, &id)
                .iter()
                .filter(|t| *t == "session.paid")
                .count(),
            1
        );
        assert_eq!(topups(key, &id), 1);
        assert_eq!(balance(key, &wallet), "10.00");
        let v = view(key, &id);
        assert_eq!(text(&v, "status"), "paid");
        // What to give back: the cent, in both units.
        assert_eq!(
            (text(&v, "amount_excess"), text(&v, "etn_excess")),
            ("0.01".into(), "5.00".into())
        );
        // The gateway first, then ETN.
        let (wallet, id) = wallet_order(key, 8_002, "10.00");
        let pid = text(&view(key, &id), "payment_id");
        assert_eq!(
            gateway(&id, "10.00", &format!("gw-{id}")).json()["status"],
            "paid"
        );
        let res = etn(&m, &pid, "1.00", &format!("etn-{id}"));
        assert_eq!(
            res.json()["events"][0]["type"],
            "payment.duplicate",
            "{}",
            res.text
        );
        assert_eq!(topups(key, &id), 1);
        assert_eq!(balance(key, &wallet), "10.00");
    }
}

#[test]
fn within_the_tolerance_a_short_payment_pays_and_each_session_keeps_its_policy() {
    let m = merchant("hosted_checkout");
    let set = put_policy(
        &m.key,
        &json!({"underpayment_tolerance_percent": "2", "late_window_minutes": 30, "late_max_rate_change_percent": "5"}),
    );
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(
        set.json(),
        json!({"underpayment_tolerance_percent": "2", "late_window_minutes": 30, "late_max_rate_change_percent": "5"})
    );
    let tolerant = session(&m.key, "10.00");
    // The policy changes: the session made before keeps the one it was made with.
    assert_eq!(put_policy(&m.key, &json!({})).status, 200);
    assert_eq!(
        call(GET_PAYMENT_POLICY, &[], Some(&m.key), None).json()["underpayment_tolerance_percent"],
        "0"
    );
    let strict = session(&m.key, "10.00");
    for (s, expected) in [(&tolerant, "paid"), (&strict, "partially_paid")] {
        let res = etn(
            &m,
            &text(s, "payment_id"),
            "4900.00",
            &format!("t-{}", text(s, "id")),
        );
        assert_eq!(res.json()["status"], expected, "{}", res.text);
    }
    let id = text(&tolerant, "id");
    assert_eq!(types(&m.key, &id), ["session.paid", "payment.underpaid"]);
    let short = events(&m.key, &id)[1].clone();
    assert_eq!(
        (text(&short, "etn"), text(&short, "fiat")),
        ("100.00".into(), "0.20".into())
    );
    let v = view(&m.key, &id);
    assert_eq!(
        (text(&v, "etn_due"), text(&v, "amount_received")),
        ("0.00".into(), "9.80".into())
    );
    // Policies are per mode: the live account has its own (the defaults).
    let live = issue_key(&m.id, "live");
    assert_eq!(
        call(GET_PAYMENT_POLICY, &[], Some(&live), None).json(),
        json!({"underpayment_tolerance_percent": "0", "late_window_minutes": 0, "late_max_rate_change_percent": "0"})
    );
}

#[test]
fn each_bad_policy_value_is_refused_naming_its_field() {
    let m = merchant("hosted_checkout");
    for (body, field) in [
        (
            json!({"underpayment_tolerance_percent": "10.01"}),
            "underpayment_tolerance_percent",
        ),
        (
            json!({"underpayment_tolerance_percent": "-1"}),
            "underpayment_tolerance_percent",
        ),
        (
            json!({"underpayment_tolerance_percent": "2.555"}),
            "underpayment_tolerance_percent",
        ),
        (
            json!({"underpayment_tolerance_percent": "1e1"}),
            "underpayment_tolerance_percent",
        ),
        (
            json!({"underpayment_tolerance_percent": 11}),
            "underpayment_tolerance_percent",
        ),
        (json!({"late_window_minutes": 1441}), "late_window_minutes"),
        (json!({"late_window_minutes": -1}), "late_window_minutes"),
        (
            json!({"late_window_minutes": "soon"}),
            "late_window_minutes",
        ),
        (
            json!({"late_window_minutes": 9_007_199_254_740_993_u64}),
            "late_window_minutes",
        ),
        (
            json!({"late_max_rate_change_percent": "100.5"}),
            "late_max_rate_change_percent",
        ),
    ] {
        let res = put_policy(&m.key, &body);
        assert!(
            (400..500).contains(&res.status),
            "{body}: {} {}",
            res.status,
            res.text
        );
        assert_eq!(res.field(), field, "{body}: {}", res.text);
    }
    let res = call_raw(
        PUT_PAYMENT_POLICY,
        &[],
        &[
            ("Authorization", &format!("Bearer {}", m.key)),
            ("Content-Type", "application/json"),
        ],
        Some(b"{not json"),
    );
    assert_eq!(res.status, 400, "{}", res.text);
    // Nothing was stored by any of them.
    assert_eq!(
        call(GET_PAYMENT_POLICY, &[], Some(&m.key), None).json()["late_window_minutes"],
        0
    );
    assert_eq!(call(GET_PAYMENT_POLICY, &[], None, None).status, 401);
    // Numbers are accepted for the decimals, and the bounds are inclusive.
    let res = put_policy(
        &m.key,
        &json!({"underpayment_tolerance_percent": 10, "late_window_minutes": "1440", "late_max_rate_change_percent": "100"}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
}

#[test]
fn a_late_payment_pays_within_the_window_and_otherwise_waits_for_the_merchant() {
    // Within the late window: paid, marked late.
    let m = merchant("hosted_checkout");
    assert_eq!(
        put_policy(&m.key, &json!({"late_window_minutes": 30})).status,
        200
    );
    let s = session(&m.key, "10.00");
    let id = text(&s, "id");
    sandbox(&m.key, &id, "scenario=late");
    let v = view(&m.key, &id);
    assert_eq!(
        (text(&v, "status"), v["late"].as_bool()),
        ("paid".into(), Some(true))
    );
    assert_eq!(types(&m.key, &id), ["session.expired", "session.paid"]);
    assert_eq!(
        get(&format!("/v1/sessions/{id}/public"), None).json()["late"],
        true
    );

    // Without one (the default policy): the session needs review, the shopper is told.
    let m = merchant("hosted_checkout");
    let (wallet, id) = wallet_order(&m.key, 9_001, "10.00");
    let pending = session(&m.key, "10.00");
    sandbox(&m.key, &id, "scenario=late");
    assert_eq!(text(&view(&m.key, &id), "status"), "needs_review");
    assert_eq!(
        types(&m.key, &id),
        ["session.expired", "session.needs_review"]
    );
    let (state, words) = page_status(&id);
    assert_eq!(state, "needs_review");
    assert!(
        words.contains("arrived after this checkout expired") && words.contains("will confirm it"),
        "{words}"
    );
    assert_eq!(balance(&m.key, &wallet), "0.00");
    // The merchant accepts it: paid, recorded with the key that decided, credited once.
    let res = accept(&m.key, &id);
    assert_eq!(res.status, 200, "{}", res.text);
    let v = res.json();
    assert_eq!(text(&v, "status"), "paid");
    assert!(text(&v["accepted"], "by").starts_with("key_"), "{v}");
    assert!(v["accepted"]["accepted_at"].as_i64().unwrap() >= now() - 60);
    assert_eq!(balance(&m.key, &wallet), "10.00");
    assert_eq!(topups(&m.key, &id), 1);
    let (state, _) = page_status(&id);
    assert_eq!(state, "paid");
    // Nothing else can be accepted: paid, pending; nor another merchant's session.
    for target in [&id, &text(&pending, "id")] {
        let res = accept(&m.key, target);
        assert_eq!(
            (res.status, res.code().as_str()),
            (409, "session_not_pending"),
            "{}",
            res.text
        );
    }
    let other = merchant("hosted_checkout");
    assert_eq!(accept(&other.key, &id).status, 404);
    assert_eq!(accept(&m.key, "cs_test_nope").status, 404);
    assert_eq!(balance(&m.key, &wallet), "10.00");
}

#[test]
fn an_accepted_partial_payment_pays_and_webhooks_say_what_happened() {
    let receiver = Receiver::start();
    let m = merchant("hosted_checkout");
    let res = call(
        PUT_WEBHOOK_CONFIG,
        &[],
        Some(&m.key),
        Some(
            &json!({"url": receiver.url, "secret": SECRET, "event_types": ["all"], "enabled": true}),
        ),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let id = text(&session(&m.key, "10.00"), "id");
    // 40 % short: partially paid, the merchant told what arrived.
    sandbox(&m.key, &id, "scenario=underpaid&percent=40");
    let v = view(&m.key, &id);
    assert_eq!(
        (
            text(&v, "status"),
            text(&v, "amount_received"),
            text(&v, "amount_due")
        ),
        ("partially_paid".into(), "6.00".into(), "4.00".into())
    );
    let partial = receiver.first_of_kind("payment.partial", WAIT);
    standard_webhooks_verify(SECRET, &partial).unwrap();
    let body = partial.json();
    assert_eq!(
        (
            body["payment"]["provider"].as_str(),
            body["payment"]["amount"].as_str(),
            body["payment"]["currency"].as_str(),
            body["payment"]["etn"].as_str(),
            body["payment"]["fiat"].as_str(),
        ),
        (
            Some("gateway"),
            Some("6.00"),
            Some("EUR"),
            Some("3000.00"),
            Some("6.00")
        )
    );
    assert_eq!(body["data"]["status"], "partially_paid");
    assert_eq!(body["data"]["etn_due"], "2000.00");
    // Accepted as it is: paid, and session.paid is sent.
    assert_eq!(accept(&m.key, &id).json()["status"], "paid");
    let paid = receiver.first_of_kind("session.paid", WAIT);
    assert_eq!(
        paid.json()["data"]["accepted"]["by"]
            .as_str()
            .map(|b| b.starts_with("key_")),
        Some(true)
    );
    // An overpayment: paid, the excess in both units, the shopper told it is refunded.
    let over = text(&session(&m.key, "10.00"), "id");
    sandbox(&m.key, &over, "scenario=overpaid&percent=10");
    assert_eq!(types(&m.key, &over), ["session.paid", "payment.overpaid"]);
    let hook = receiver.first_of_kind("payment.overpaid", WAIT);
    assert_eq!(
        (
            hook.json()["payment"]["etn"].as_str(),
            hook.json()["payment"]["fiat"].as_str()
        ),
        (Some("500.00"), Some("1.00"))
    );
    let (state, words) = page_status(&over);
    assert_eq!(state, "paid");
    assert!(
        words.contains("500.00 ETN more than was due") && words.contains("will refund it"),
        "{words}"
    );
}

#[test]
fn the_sandbox_splits_and_checks_its_parameters() {
    let m = merchant("hosted_checkout");
    let id = text(&session(&m.key, "10.00"), "id");
    let run = sandbox(&m.key, &id, "scenario=split&parts=3").json();
    let amounts: Vec<String> = run["webhooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| text(w, "amount"))
        .collect();
    assert_eq!(amounts, ["3.33", "3.33", "3.34"]);
    assert_eq!(
        types(&m.key, &id),
        ["payment.partial", "payment.partial", "session.paid"]
    );
    let fresh = text(&session(&m.key, "10.00"), "id");
    for (query, field) in [
        ("scenario=split&parts=1", "parts"),
        ("scenario=split&parts=11", "parts"),
        ("scenario=split&parts=x", "parts"),
        ("scenario=underpaid&percent=100", "percent"),
        ("scenario=underpaid&percent=0", "percent"),
        ("scenario=overpaid&percent=1001", "percent"),
        ("scenario=overpaid&percent=-5", "percent"),
        ("scenario=overpaid&percent=1.234", "percent"),
        ("scenario=later", "scenario"),
    ] {
        let res = post(
            &format!("/v1/sessions/{fresh}/sandbox?{query}"),
            &m.key,
            &json!({}),
        );
        assert_eq!(
            (res.status, res.field()),
            (400, field.to_owned()),
            "{query}: {}",
            res.text
        );
    }
    assert_eq!(text(&view(&m.key, &fresh), "status"), "pending");
    // A paid link is fulfilled; a partially paid one is not (yet).
    let link = request(
        "POST",
        "/wallet/createPaymentLink",
        &[("x-api-key", &m.key), ("Content-Type", "application/json")],
        Some(
            json!({"amount": "10.00", "currency": "EUR", "email": "payer@example.com"})
                .to_string()
                .as_bytes(),
        ),
    )
    .json();
    let link_session = text(&link, "url").rsplit('/').next().unwrap().to_owned();
    sandbox(&m.key, &link_session, "scenario=underpaid&percent=50");
    let summary = get(
        &format!("{}?q={link_session}", DASHBOARD_SESSIONS.path),
        Some(&m.key),
    )
    .json();
    assert_eq!(summary["data"][0]["status"], "partially_paid", "{summary}");
    sandbox(&m.key, &link_session, "scenario=payment");
    let summary = get(
        &format!("{}?q={link_session}", DASHBOARD_SESSIONS.path),
        Some(&m.key),
    )
    .json();
    assert_eq!(summary["data"][0]["status"], "fulfilled", "{summary}");
}
