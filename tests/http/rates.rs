//! The rates cache: refresh after RATES_TTL (3 s under `cargo xtask test`), a
//! stale copy while the feed is down (up to RATES_MAX_STALE, 8 s), then 503 with
//! Retry-After; and late ETN payments, which pay only while the rate held. In
//! its own test binary: it changes the worker's rates fixture (one test at a
//! time), and puts the original back.

use std::sync::Mutex;
use std::thread::sleep;
use std::time::Duration;

use checkout_api::endpoint::PUT_PAYMENT_POLICY;
use checkout_e2e::{
    call, get, iso8601, merchant, now, post, python_hmac_sha256, request, unique, ETN_API_KEY,
    ETN_API_SECRET,
};
use serde_json::json;

/// The fixture is the worker's, shared: one test changes it at a time.
static FIXTURE: Mutex<()> = Mutex::new(());

/// A little longer than RATES_TTL under `cargo xtask test`.
const TTL: Duration = Duration::from_millis(3200);

fn put_fixture(body: &str) {
    let res = request(
        "PUT",
        "/__dev/rates.json",
        &[("Content-Type", "application/json")],
        Some(body.as_bytes()),
    );
    assert_eq!(res.status, 204);
}

fn etn_for_ten_euros(key: &str) -> (u16, String, String) {
    let res = post(
        "/v1/sessions",
        key,
        &json!({"amount": "10.00", "currency": "EUR", "order_id": format!("R-{}", unique())}),
    );
    let etn = res.json()["etn_amount"].as_str().unwrap_or("").to_owned();
    (res.status, etn, res.header("retry-after"))
}

#[test]
fn rates_refresh_go_stale_and_then_refuse_to_guess() {
    let _fixture = FIXTURE.lock().unwrap_or_else(|e| e.into_inner());
    let original = get("/__dev/rates.json", None).text;
    let m = merchant("hosted_checkout");
    let result = std::panic::catch_unwind(|| {
        put_fixture(r#"{"price_eur": "0.002", "price_usd": "0.0025"}"#);
        sleep(Duration::from_millis(3200));
        assert_eq!(etn_for_ten_euros(&m.key).1, "5000.00");
        // A new price is not seen while the cached copy is fresh...
        put_fixture(r#"{"price_eur": "0.004", "price_usd": "0.005"}"#);
        assert_eq!(etn_for_ten_euros(&m.key).1, "5000.00");
        // ...and is after the TTL.
        sleep(Duration::from_millis(3200));
        assert_eq!(etn_for_ten_euros(&m.key).1, "2500.00");
        // The feed goes down: the stale copy still prices for a while...
        put_fixture("");
        sleep(Duration::from_millis(3200));
        assert_eq!(etn_for_ten_euros(&m.key).1, "2500.00");
        // ...then the worker refuses rather than guess.
        sleep(Duration::from_millis(5500));
        let (status, _, retry_after) = etn_for_ten_euros(&m.key);
        assert_eq!(status, 503);
        assert!(
            retry_after.parse::<u32>().is_ok_and(|s| s > 0),
            "Retry-After: {retry_after:?}"
        );
        // A malformed feed is as good as none.
        put_fixture("{not json");
        assert_eq!(etn_for_ten_euros(&m.key).0, 503);
    });
    put_fixture(&original);
    sleep(Duration::from_millis(3200));
    result.unwrap();
}

/// A signed ETN payment of `amount` ETN to `payment_id`.
fn etn_payment(
    merchant_id: &str,
    payment_id: &str,
    amount: &str,
    reference: &str,
) -> checkout_e2e::Reply {
    let body = json!({
        "event": "payment", "payment_id": payment_id, "amount": amount, "key": ETN_API_KEY,
        "timestamp": iso8601(now(), 0), "customer": "customer@example.com", "ref": reference,
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

#[test]
fn a_late_etn_payment_pays_only_while_the_rate_held_and_waits_for_rates_it_cannot_read() {
    let _fixture = FIXTURE.lock().unwrap_or_else(|e| e.into_inner());
    let original = get("/__dev/rates.json", None).text;
    let m = merchant("hosted_checkout");
    let policy = call(
        PUT_PAYMENT_POLICY,
        &[],
        Some(&m.key),
        Some(&json!({"late_window_minutes": 30, "late_max_rate_change_percent": "5"})),
    );
    assert_eq!(policy.status, 200, "{}", policy.text);
    let result = std::panic::catch_unwind(|| {
        put_fixture(r#"{"price_eur": "0.002", "price_usd": "0.0025"}"#);
        sleep(TTL);
        // Three sessions of 10.00 EUR (5000.00 ETN), expired now by the sandbox.
        let sessions: Vec<(String, String)> = (0..3)
            .map(|_| {
                let s = post(
                    "/v1/sessions",
                    &m.key,
                    &json!({"amount": "10.00", "currency": "EUR", "order_id": format!("L-{}", unique())}),
                )
                .json();
                assert_eq!(s["etn_amount"], "5000.00");
                let id = s["id"].as_str().unwrap().to_owned();
                let res = post(&format!("/v1/sessions/{id}/sandbox?scenario=expire"), &m.key, &json!({}));
                assert_eq!(res.status, 200, "{}", res.text);
                (id, s["payment_id"].as_str().unwrap().to_owned())
            })
            .collect();
        let status = |id: &str| {
            get(&format!("/v1/sessions/{id}"), Some(&m.key)).json()["status"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(status(&sessions[0].0), "expired");
        // The euro buys 2 % more ETN now (5102.04 for the price): within 5 %.
        put_fixture(r#"{"price_eur": "0.00196", "price_usd": "0.0025"}"#);
        sleep(TTL);
        let res = etn_payment(&m.id, &sessions[0].1, "5000.00", "late-1");
        assert_eq!(res.json()["status"], "paid", "{}", res.text);
        let view = get(&format!("/v1/sessions/{}", sessions[0].0), Some(&m.key)).json();
        assert_eq!(view["late"], true);
        // 11 % more (5555.56): the merchant decides.
        put_fixture(r#"{"price_eur": "0.0018", "price_usd": "0.0025"}"#);
        sleep(TTL);
        let res = etn_payment(&m.id, &sessions[1].1, "5000.00", "late-2");
        assert_eq!(res.json()["status"], "needs_review", "{}", res.text);
        // No rate to be had: a retryable 503, and nothing recorded...
        put_fixture("");
        sleep(Duration::from_millis(9000));
        let res = etn_payment(&m.id, &sessions[2].1, "5000.00", "late-3");
        assert_eq!(res.status, 503, "{}", res.text);
        assert_eq!(status(&sessions[2].0), "expired");
        // ...until the provider's retry finds one.
        put_fixture(r#"{"price_eur": "0.002", "price_usd": "0.0025"}"#);
        sleep(TTL);
        let res = etn_payment(&m.id, &sessions[2].1, "5000.00", "late-3");
        assert_eq!(res.json()["status"], "paid", "{}", res.text);
    });
    put_fixture(&original);
    sleep(TTL);
    result.unwrap();
}
