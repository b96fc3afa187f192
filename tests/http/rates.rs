//! The rates cache: refresh after RATES_TTL (3 s under `cargo xtask test`), a
//! stale copy while the feed is down (up to RATES_MAX_STALE, 8 s), then 503 with
//! Retry-After. In its own test binary: it changes the worker's rates fixture,
//! and puts the original back.

use std::thread::sleep;
use std::time::Duration;

use checkout_e2e::{get, merchant, post, request, unique};
use serde_json::json;

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
