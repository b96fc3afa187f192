//! The webhooks the worker sends merchants, end to end: the real account object
//! and KV in workerd, a real HTTP receiver on loopback, and every signature checked
//! by an independent verifier (the Standard Webhooks reference library, Python's
//! hmac, PHP's hash_hmac). The worker runs with webhook time compressed 20,000
//! times (`WEBHOOK_TIME_SCALE`), so three days of retries take seconds.

use std::time::Duration;

use checkout_api::endpoint::{
    DELETE_WEBHOOK_CONFIG, GET_WEBHOOK_CONFIG, PUT_WEBHOOK_CONFIG, RECOVER_WEBHOOKS,
    REDELIVER_WEBHOOK_EVENT, ROTATE_WEBHOOK_SECRET, SEND_TEST_WEBHOOK, WEBHOOK_EVENT,
    WEBHOOK_EVENTS,
};
use checkout_e2e::receiver::{php, standard_webhooks_verify, Answer, Receiver};
use checkout_e2e::{
    call, get, issue_key, merchant, post, python_hmac_sha256, request, unique, Merchant, Reply,
};
use serde_json::{json, Value};

const SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const WAIT: Duration = Duration::from_secs(20);

fn put_config(key: &str, body: &Value) -> Reply {
    call(PUT_WEBHOOK_CONFIG, &[], Some(key), Some(body))
}

/// A merchant whose test endpoint is `receiver`, signing with [`SECRET`].
fn configured(receiver: &Receiver, event_types: Value) -> Merchant {
    let m = merchant("hosted_checkout");
    let res = put_config(
        &m.key,
        &json!({"url": receiver.url, "secret": SECRET, "event_types": event_types, "enabled": true}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    m
}

fn native_session(m: &Merchant) -> String {
    let res = post(
        "/v1/sessions",
        &m.key,
        &json!({"amount": "10.00", "currency": "EUR", "order_id": format!("N-{}", unique())}),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()["id"].as_str().unwrap().to_owned()
}

fn pay(session: &str) {
    let res = request(
        "POST",
        &format!("/v1/sessions/{session}/sandbox?scenario=payment"),
        &[],
        None,
    );
    assert_eq!(res.status, 200, "{}", res.text);
}

fn history(key: &str, query: &str) -> Value {
    let res = get(&format!("{}{query}", WEBHOOK_EVENTS.path), Some(key));
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

/// Waits until the delivery of `event_id` reaches `status` in the history.
fn wait_status(key: &str, event_id: &str, status: &str) -> Value {
    let started = std::time::Instant::now();
    loop {
        let res = call(WEBHOOK_EVENT, &[event_id], Some(key), None);
        if res.status == 200 && res.json()["status"] == status {
            return res.json();
        }
        assert!(
            started.elapsed() < WAIT,
            "{event_id} never became {status}: {}",
            res.text
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_paid_native_session_is_delivered_once_with_every_signature_valid() {
    let receiver = Receiver::start();
    let m = configured(&receiver, json!(["all"]));
    let id = native_session(&m);
    pay(&id);
    receiver.wait_for(2, WAIT);
    let paid = receiver.of_kind("session.paid");
    assert_eq!(paid.len(), 1, "delivered once");
    let hook = &paid[0];
    // Every header verifies with an independent verifier.
    standard_webhooks_verify(SECRET, hook).unwrap();
    let hex = python_hmac_sha256(SECRET, &hook.body);
    assert_eq!(hook.header("x-webhook-signature"), hex);
    assert_eq!(hook.header("x-signature"), hex);
    assert_eq!(
        hook.header("x-ecomtrade24-signature"),
        format!("sha256={hex}")
    );
    // The envelope: the event's id, type and place; `data` is the REST resource.
    let body = hook.json();
    assert_eq!(body["id"], hook.header("webhook-id"));
    assert_eq!(body["type"], "session.paid");
    assert_eq!(body["sequence"], 2, "after session.created");
    let rest = get(&format!("/v1/sessions/{id}"), Some(&m.key)).json();
    assert_eq!(body["data"], rest);
    // Serialised once, compactly: the exact bytes are in the history too.
    let stored = call(
        WEBHOOK_EVENT,
        &[body["id"].as_str().unwrap()],
        Some(&m.key),
        None,
    )
    .json();
    assert_eq!(
        stored["body"].as_str().unwrap().as_bytes(),
        hook.body.as_slice()
    );
    assert_eq!(stored["status"], "delivered");
    assert_eq!(stored["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(stored["attempts"][0]["status"], 200);
    assert_eq!(stored["attempts"][0]["trigger"], "auto");
    // A provider's retry of the payment is a duplicate: nothing new is sent.
    pay(&id);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(receiver.of_kind("session.paid").len(), 1);
}

#[test]
fn a_gateway_session_carries_its_status_resource() {
    let receiver = Receiver::start();
    let m = configured(&receiver, json!(["session.paid"]));
    let res = post(
        "/gateway/session.php",
        &m.key,
        &json!({"domain": m.domain, "amount": "10.00", "currency": "EUR", "order_id": format!("G-{}", unique())}),
    );
    let id = res.json()["session_id"].as_str().unwrap().to_owned();
    pay(&id);
    let hook = &receiver.wait_for(1, WAIT)[0];
    // Only the subscribed type: no session.created.
    assert_eq!(hook.json()["type"], "session.paid");
    let status = get(
        &format!("/gateway/status.php?session_id={id}"),
        Some(&m.key),
    )
    .json();
    assert_eq!(hook.json()["data"], status);
    assert_eq!(hook.json()["data"]["ok"], true);
}

#[test]
fn an_ewallet_order_sends_only_the_seeds_order_paid_to_its_own_url_and_everything_to_the_endpoint()
{
    let merchant_url = Receiver::start();
    let order_url = Receiver::start();
    let m = configured(&merchant_url, json!(["all"]));
    let res = post(
        "/api/v1/orders",
        &m.key,
        &json!({
            "amount": 149.98, "currency": "EUR", "redirect_url": "https://shop.example/ok", "webhook_url": order_url.url,
            "customer_details": {"name": "Inga", "surname": "Berzina", "email": "inga@inbox.lv", "phone": "+3712000000"},
        }),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    let order = res.json();
    let session = order["checkout_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    pay(&session);
    let paid = order_url.first_of_kind("order.paid", WAIT);
    let body = paid.json();
    assert_eq!(body["order_id"], order["public_order_id"]);
    assert_eq!(body["amount"], "149.98");
    assert_eq!(body["currency"], "EUR");
    assert_eq!(body["status"], "success");
    assert!(body["timestamp"].is_i64());
    // The seed's verification, in PHP: hash_hmac('sha256', $order_id . $amount, $app_key).
    let expected = php(
        "echo hash_hmac('sha256', $argv[1] . $argv[2], $argv[3]);",
        &[body["order_id"].as_str().unwrap(), "149.98", SECRET],
    );
    assert_eq!(body["signature"], expected);
    standard_webhooks_verify(SECRET, &paid).unwrap();
    // The order's own URL gets what the seed promises there, and nothing
    // else (no session.created in our envelope, which its receiver could not
    // verify); the merchant's endpoint still gets every event it subscribed
    // to, in our envelope.
    let endpoint = merchant_url.wait_for(2, WAIT);
    let mut types: Vec<String> = endpoint
        .iter()
        .map(|h| h.json()["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    types.sort();
    assert_eq!(types, ["session.created", "session.paid"]);
    for hook in &endpoint {
        standard_webhooks_verify(SECRET, hook).unwrap();
    }
    std::thread::sleep(Duration::from_millis(500));
    let own: Vec<Value> = order_url.received().iter().map(|h| h.json()).collect();
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(own[0]["event"], "order.paid");
}

#[test]
fn a_payment_link_is_notified_once_with_the_seeds_secret() {
    let receiver = Receiver::start();
    let m = configured(&receiver, json!(["session.paid", "session.expired"]));
    let res = request(
        "POST",
        "/wallet/createPaymentLink",
        &[("x-api-key", &m.key), ("Content-Type", "application/json")],
        Some(json!({"amount": "25.00", "currency": "EUR", "email": "payer@example.com", "ref": "user-7"}).to_string().as_bytes()),
    );
    let link = res.json();
    let session = link["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    pay(&session);
    let hook = receiver.wait_for(1, WAIT)[0].clone();
    let body = hook.json();
    assert_eq!(
        (
            body["order_id"].as_str(),
            body["status"].as_str(),
            body["amount"].as_str(),
            body["ref"].as_str(),
            body["currency"].as_str()
        ),
        (
            link["order_id"].as_str(),
            Some("fulfilled"),
            Some("25.00"),
            Some("user-7"),
            Some("EUR")
        )
    );
    // The seed's PHP verification, with the API key and the API secret (the
    // signing secret).
    let expected = php(
        "$s = hash('sha256', $argv[1] . ':::' . $argv[2] . ':::' . $argv[3], true); echo base64_encode(hash_hmac('sha512', $s, $argv[4], true));",
        &["25.00", body["order_id"].as_str().unwrap(), &m.key, SECRET],
    );
    assert_eq!(body["secret"], expected);
    // ONE TIME: once answered 2xx, never sent again, not even on request.
    let event_id = history(&m.key, "?type=session.paid")["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let again = call(REDELIVER_WEBHOOK_EVENT, &[&event_id], Some(&m.key), None);
    assert_eq!(
        (again.status, again.code().as_str()),
        (409, "one_time_delivered")
    );
    let recovered = call(
        RECOVER_WEBHOOKS,
        &[],
        Some(&m.key),
        Some(&json!({"since": 0})),
    );
    assert_eq!(recovered.json()["recovered"], 0);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(receiver.received().len(), 1);
}

#[test]
fn a_receiver_down_for_three_attempts_gets_it_when_up_and_the_history_shows_all() {
    let receiver = Receiver::start();
    receiver.answer(|n| {
        if n < 3 {
            Answer::Status(503)
        } else {
            Answer::Status(200)
        }
    });
    let m = configured(&receiver, json!(["session.paid"]));
    let id = native_session(&m);
    pay(&id);
    let got = receiver.wait_for(4, WAIT);
    // The same event each time, signed afresh each time.
    let ids: Vec<String> = got.iter().map(|r| r.header("webhook-id")).collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "{ids:?}");
    for hook in &got {
        standard_webhooks_verify(SECRET, hook).unwrap();
        assert_eq!(hook.body, got[0].body, "the same bytes");
    }
    let delivery = wait_status(&m.key, &ids[0], "delivered");
    let attempts = delivery["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 4);
    for a in &attempts[..3] {
        assert_eq!(
            (a["status"].as_u64(), a["error"].as_str()),
            (Some(503), Some("status"))
        );
        assert!(a["response"].as_str().unwrap().contains("answer 503"));
        assert!(a["duration_ms"].is_i64());
    }
    assert_eq!(attempts[3]["status"], 200);
    // Failing deliveries are listed by status too.
    assert!(history(&m.key, "?status=delivered")["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == ids[0].as_str()));
}

#[test]
fn a_410_stops_the_endpoint_and_new_events_are_held_until_it_is_enabled() {
    let receiver = Receiver::start();
    receiver.answer(|_| Answer::Status(410));
    let m = configured(&receiver, json!(["all"]));
    let first = native_session(&m);
    let created = history(&m.key, "")["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    wait_status(&m.key, &created, "failed");
    let config = call(GET_WEBHOOK_CONFIG, &[], Some(&m.key), None).json();
    assert_eq!(
        (
            config["enabled"].as_bool(),
            config["disabled_reason"].as_str()
        ),
        (Some(false), Some("gone"))
    );
    // While disabled, new events are held, in order of creation.
    receiver.answer(|_| Answer::Status(200));
    let later: Vec<String> = (0..3).map(|_| native_session(&m)).collect();
    std::thread::sleep(Duration::from_millis(300));
    let before = receiver.received().len();
    let held = history(&m.key, "?status=held")["data"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(held, 3);
    // Enabled again: the held events go out, in the order they were created.
    let res = put_config(
        &m.key,
        &json!({"url": receiver.url, "event_types": ["all"], "enabled": true}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let got = receiver.wait_for(before + 3, WAIT);
    let order: Vec<String> = got[before..]
        .iter()
        .map(|r| r.json()["data"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(order, later);
    assert!(!order.contains(&first));
}

#[test]
fn redeliver_recover_and_a_test_event() {
    let receiver = Receiver::start();
    receiver.answer(|_| Answer::Status(500));
    let m = configured(&receiver, json!(["session.created"]));
    let id = native_session(&m);
    let event = history(&m.key, "")["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // All nine retries fail (time is compressed): given up.
    let failed = wait_status(&m.key, &event, "failed");
    assert_eq!(
        failed["attempts"].as_array().unwrap().len(),
        10,
        "the first and nine retries"
    );
    receiver.answer(|_| Answer::Status(200));
    // Redeliver one now.
    let res = call(
        REDELIVER_WEBHOOK_EVENT,
        &[&event],
        Some(&m.key),
        Some(&json!({})),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["status"], "delivered");
    let last = res.json()["attempts"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (last["trigger"].as_str(), last["status"].as_u64()),
        (Some("manual"), Some(200))
    );
    // Recover every failed one since a time (ISO 8601 or unix seconds).
    receiver.answer(|_| Answer::Status(500));
    let second = native_session(&m);
    let second_event = history(&m.key, "")["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    wait_status(&m.key, &second_event, "failed");
    receiver.answer(|_| Answer::Status(200));
    let res = call(
        RECOVER_WEBHOOKS,
        &[],
        Some(&m.key),
        Some(&json!({"since": "2020-01-01T00:00:00Z"})),
    );
    assert_eq!(
        (res.status, res.json()["recovered"].as_u64()),
        (200, Some(1)),
        "{}",
        res.text
    );
    wait_status(&m.key, &second_event, "delivered");
    assert!(receiver
        .received()
        .iter()
        .any(|r| r.json()["data"]["id"] == second.as_str()));
    // A test event, sent now, verifiable like any other.
    let res = call(SEND_TEST_WEBHOOK, &[], Some(&m.key), Some(&json!({})));
    assert_eq!(res.status, 200, "{}", res.text);
    let test = res.json();
    assert_eq!(
        (test["type"].as_str(), test["status"].as_str()),
        (Some("webhook.test"), Some("delivered"))
    );
    assert_eq!(test["attempts"][0]["trigger"], "test");
    let hook = receiver.of_kind("webhook.test").pop().unwrap();
    standard_webhooks_verify(SECRET, &hook).unwrap();
    assert!(id.starts_with("cs_"));
}

#[test]
fn the_history_filters_by_status_and_type_and_pages_newest_first() {
    let receiver = Receiver::start();
    let m = configured(&receiver, json!(["all"]));
    let ids: Vec<String> = (0..3).map(|_| native_session(&m)).collect();
    pay(&ids[0]);
    receiver.wait_for(4, WAIT);
    let all = history(&m.key, "?limit=2");
    assert_eq!(all["data"].as_array().unwrap().len(), 2);
    assert_eq!(all["has_more"], true);
    assert_eq!(all["data"][0]["type"], "session.paid", "newest first");
    let next = history(
        &m.key,
        &format!("?limit=2&cursor={}", all["next_cursor"].as_str().unwrap()),
    );
    assert_eq!(next["data"].as_array().unwrap().len(), 2);
    assert_eq!(
        (next["has_more"].as_bool(), next["next_cursor"].as_str()),
        (Some(false), None)
    );
    let mut seen: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .chain(next["data"].as_array().unwrap())
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4, "every delivery once across the pages");
    let created = history(&m.key, "?type=session.created");
    assert_eq!(created["data"].as_array().unwrap().len(), 3);
    assert!(history(&m.key, "?status=failed")["data"]
        .as_array()
        .unwrap()
        .is_empty());
    for (query, code, field) in [
        ("?status=lost", "status_invalid", "status"),
        ("?type=card_state", "type_invalid", "type"),
        ("?limit=0", "limit_invalid", "limit"),
        ("?cursor=x", "cursor_invalid", "cursor"),
    ] {
        let res = get(&format!("{}{query}", WEBHOOK_EVENTS.path), Some(&m.key));
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (400, code, field),
            "{query}"
        );
    }
}

#[test]
fn rotating_signs_with_both_secrets_for_the_window_then_with_one() {
    let receiver = Receiver::start();
    let m = configured(&receiver, json!(["session.created"]));
    let rotated = call(ROTATE_WEBHOOK_SECRET, &[], Some(&m.key), Some(&json!({})));
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let new = rotated.json()["secret"].as_str().unwrap().to_owned();
    assert!(new.starts_with("whsec_") && new != SECRET);
    native_session(&m);
    let hook = receiver.wait_for(1, WAIT)[0].clone();
    assert_eq!(hook.header("webhook-signature").split(' ').count(), 2);
    standard_webhooks_verify(&new, &hook).unwrap();
    standard_webhooks_verify(SECRET, &hook).unwrap();
    assert_eq!(
        hook.header("x-webhook-signature"),
        python_hmac_sha256(&new, &hook.body)
    );
    assert_eq!(
        hook.header("x-webhook-signature-previous"),
        python_hmac_sha256(SECRET, &hook.body)
    );
    // The config shows the new secret, masked, and when the old one stops.
    let config = call(GET_WEBHOOK_CONFIG, &[], Some(&m.key), None).json();
    assert_eq!(config["secret"], format!("…{}", &new[new.len() - 4..]));
    let until = config["previous_secret_expires_at"].as_i64().unwrap();
    // After the window (24 h, compressed to 43 s), only the new secret signs.
    std::thread::sleep(Duration::from_secs(
        (until - checkout_e2e::now() + 2).max(0) as u64,
    ));
    native_session(&m);
    let hook = receiver.wait_for(2, WAIT)[1].clone();
    assert_eq!(hook.header("webhook-signature").split(' ').count(), 1);
    standard_webhooks_verify(&new, &hook).unwrap();
    assert!(standard_webhooks_verify(SECRET, &hook).is_err());
    assert!(hook.header("x-webhook-signature-previous").is_empty());
}

#[test]
fn a_paid_session_whose_webhook_keeps_failing_is_flagged_until_delivered() {
    let receiver = Receiver::start();
    receiver.answer(|_| Answer::Status(500));
    let m = configured(&receiver, json!(["session.paid"]));
    let id = native_session(&m);
    pay(&id);
    // 15 minutes, compressed: the session's REST resource says so.
    let started = std::time::Instant::now();
    loop {
        let s = get(&format!("/v1/sessions/{id}"), Some(&m.key)).json();
        if s["notification"] == "failing" {
            break;
        }
        assert!(started.elapsed() < WAIT, "never flagged: {s}");
        std::thread::sleep(Duration::from_millis(100));
    }
    receiver.answer(|_| Answer::Status(200));
    let event = history(&m.key, "?type=session.paid")["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        REDELIVER_WEBHOOK_EVENT,
        &[&event],
        Some(&m.key),
        Some(&json!({})),
    );
    let s = get(&format!("/v1/sessions/{id}"), Some(&m.key)).json();
    assert!(s["notification"].is_null(), "{s}");
}

#[test]
fn redirects_are_not_followed_and_timeouts_are_classified() {
    let receiver = Receiver::start();
    receiver.answer(|n| match n {
        0 => Answer::Redirect,
        1 => Answer::Slow(Duration::from_secs(12), 200),
        _ => Answer::Status(200),
    });
    let m = configured(&receiver, json!(["session.created"]));
    native_session(&m);
    let event = history(&m.key, "")["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let delivered = wait_status(&m.key, &event, "delivered");
    let errors: Vec<Value> = delivered["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["error"].clone())
        .collect();
    assert_eq!(errors, [json!("redirect"), json!("timeout"), Value::Null]);
    assert_eq!(delivered["attempts"][0]["status"], 302);
}

#[test]
fn each_mode_has_its_own_endpoint() {
    let test_receiver = Receiver::start();
    let live_receiver = Receiver::start();
    let m = configured(&test_receiver, json!(["session.created"]));
    let live = issue_key(&m.id, "live");
    assert_eq!(call(GET_WEBHOOK_CONFIG, &[], Some(&live), None).status, 404);
    let res = put_config(
        &live,
        &json!({"url": live_receiver.url, "event_types": ["session.created"]}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let live_session = post(
        "/v1/sessions",
        &live,
        &json!({"amount": "10.00", "currency": "EUR"}),
    )
    .json();
    live_receiver.wait_for(1, WAIT);
    std::thread::sleep(Duration::from_millis(300));
    assert!(test_receiver
        .received()
        .iter()
        .all(|r| r.json()["data"]["id"] != live_session["id"]));
    assert!(history(&m.key, "")["data"].as_array().unwrap().is_empty());
}

#[test]
fn every_bad_config_input_gets_a_4xx_naming_the_field() {
    let m = merchant("hosted_checkout");
    let base = json!({"url": "https://hooks.shop.example/in", "event_types": ["all"]});
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (json!({"url": null}), 400, "missing_field", "url"),
        (
            json!({"url": "http://hooks.shop.example/in"}),
            422,
            "url_not_https",
            "url",
        ),
        (
            json!({"url": "https://169.254.169.254/latest"}),
            422,
            "url_not_public",
            "url",
        ),
        (
            json!({"url": "https://10.1.2.3/hook"}),
            422,
            "url_not_public",
            "url",
        ),
        (
            json!({"url": "https://[::ffff:127.0.0.1]/hook"}),
            422,
            "url_not_public",
            "url",
        ),
        (
            json!({"url": "ftp://hooks.shop.example/"}),
            422,
            "url_invalid",
            "url",
        ),
        (json!({"url": 12}), 400, "invalid_type", "url"),
        (
            json!({"event_types": ["session.paid", "card_transaction"]}),
            422,
            "event_type_unknown",
            "event_types[1]",
        ),
        (
            json!({"event_types": "all"}),
            400,
            "invalid_type",
            "event_types",
        ),
        (
            json!({"secret": "x".repeat(10 * 1024)}),
            422,
            "too_long",
            "secret",
        ),
        (
            json!({"secret": "not-a-whsec-secret-at-all"}),
            422,
            "secret_invalid",
            "secret",
        ),
        (json!({"enabled": "yes"}), 400, "invalid_type", "enabled"),
    ];
    for (patch, status, code, field) in cases {
        let mut body = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        let res = put_config(&m.key, &body);
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (status, code, field),
            "{patch}: {}",
            res.text
        );
    }
    // The seed's account_topup is ours as wallet.topup.
    let res = put_config(
        &m.key,
        &json!({"url": "https://hooks.shop.example/in", "event_types": ["account_topup"]}),
    );
    assert_eq!(res.json()["event_types"], json!(["wallet.topup"]));
    // Without a key, nothing.
    assert_eq!(call(GET_WEBHOOK_CONFIG, &[], None, None).status, 401);
    // A test event needs an endpoint; deleting twice is a 404.
    let other = merchant("hosted_checkout");
    assert_eq!(
        call(SEND_TEST_WEBHOOK, &[], Some(&other.key), Some(&json!({}))).code(),
        "webhook_not_configured"
    );
    let delete = |key: &str| call(DELETE_WEBHOOK_CONFIG, &[], Some(key), None);
    assert_eq!(delete(&m.key).status, 200);
    assert_eq!(delete(&m.key).status, 404);
}

#[test]
fn checkout_listen_verifies_what_the_worker_sends() {
    let cli = std::env::var("CHECKOUT_CLI").expect("CHECKOUT_CLI is set by `cargo xtask test`");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(&cli)
        .args([
            "listen",
            "--once",
            "--port",
            &port.to_string(),
            "--secret",
            SECRET,
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let m = merchant("hosted_checkout");
    let res = put_config(
        &m.key,
        &json!({"url": format!("http://127.0.0.1:{port}/"), "secret": SECRET, "event_types": ["session.created"]}),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    native_session(&m);
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    for check in [
        "webhook-signature (Standard Webhooks): valid",
        "x-webhook-signature: valid",
        "x-signature: valid",
        "x-ecomtrade24-signature: valid",
    ] {
        assert!(text.contains(check), "{check} missing from {text}");
    }
}
