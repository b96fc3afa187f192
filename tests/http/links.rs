//! payment-links-api: `POST /wallet/createPaymentLink` with `x-api-key`.

use checkout_e2e::{get, merchant, request, unique};
use serde_json::{json, Value};

fn create(key: &str, body: &Value) -> checkout_e2e::Reply {
    request(
        "POST",
        "/wallet/createPaymentLink",
        &[("x-api-key", key), ("Content-Type", "application/json")],
        Some(body.to_string().as_bytes()),
    )
}

fn body() -> Value {
    json!({"amount": "25.00", "currency": "USD", "email": "payer@example.com", "ref": format!("user-{}", unique()), "redirectUrl": "https://yourwebsite.com?kazawallet=success"})
}

#[test]
fn creates_a_link_whose_order_id_opens_the_checkout() {
    let m = merchant("hosted_checkout");
    let res = create(&m.key, &body());
    // 200, not 201: integrations written for the real service (a WHMCS module
    // among them) treat any other status as a failure.
    assert_eq!(res.status, 200, "{}", res.text);
    let link = res.json();
    let order_id = link["order_id"].as_str().unwrap();
    assert!(order_id.starts_with("pl_"), "{order_id}");
    let url = link["url"].as_str().unwrap();
    assert!(url.contains("/pay/cs_"));
    // Integrations read either name.
    assert_eq!(link["paymentLink"], url);
    assert_eq!(link["amount"], "25.00");
    let page = get(&format!("/pay/{order_id}"), None);
    assert_eq!((page.status, page.header("location").as_str()), (302, url));
    // The computed webhook secret never leaves the worker.
    let session_id = url.rsplit('/').next().unwrap();
    let session = get(&format!("/v1/sessions/{session_id}"), Some(&m.key));
    assert!(!session.text.contains("link_signature") && !session.text.contains(&m.key));
}

#[test]
fn link_fields_are_validated_with_the_seeds_names() {
    let m = merchant("hosted_checkout");
    for (key, value, status, code) in [
        ("email", Value::Null, 400, "missing_field"),
        ("email", json!("payer"), 422, "email_invalid"),
        (
            "redirectUrl",
            json!("http://yourwebsite.com"),
            422,
            "url_not_https",
        ),
        ("amount", json!("YOUR_AMOUNT_HERE"), 422, "amount_malformed"),
        ("currency", Value::Null, 400, "missing_field"),
        ("ref", json!("r".repeat(129)), 422, "too_long"),
    ] {
        let mut b = body();
        if value.is_null() {
            b.as_object_mut().unwrap().remove(key);
        } else {
            b[key] = value;
        }
        let res = create(&m.key, &b);
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (status, code, key),
            "{}",
            res.text
        );
    }
    assert_eq!(create("wrong", &body()).status, 401);
}
