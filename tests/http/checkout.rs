//! What shoppers and the widget see: the public session view and the hosted page.

use checkout_e2e::{get, merchant, post, request, unique};
use serde_json::json;

fn session(key: &str) -> serde_json::Value {
    let res = post(
        "/v1/sessions",
        key,
        &json!({
            "amount": "10.00", "currency": "EUR", "order_id": format!("P-{}", unique()),
            "customer_email": "private@example.com",
            "customer": {"name": "Inga", "surname": "Berzina", "phone": "+3712000000"},
            "return_url": "https://shop.example/thanks", "cancel_url": "https://shop.example/cart",
        }),
    );
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

#[test]
fn the_public_view_has_no_secrets_or_customer_data_and_is_cors_open() {
    let m = merchant("hosted_checkout");
    let s = session(&m.key);
    let id = s["id"].as_str().unwrap();
    let res = get(&format!("/v1/sessions/{id}/public"), None);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("access-control-allow-origin"), "*");
    let v = res.json();
    assert_eq!(v["status"], "pending");
    assert_eq!(v["etn_amount"], "5000.00");
    assert_eq!(v["payment_string"], s["payment_string"]);
    assert_eq!(v["merchant_name"], "Test Shop <b>&</b>");
    for private in [
        "private@example.com",
        "Inga",
        "Berzina",
        "+3712000000",
        "sec_live",
        "key_live",
        "whsec_",
        "gw-secret",
    ] {
        assert!(
            !res.text.contains(private),
            "{private} leaked into {}",
            res.text
        );
    }
    // Not paid yet: no return URL to jump to.
    assert!(v["return_url"].is_null());
}

#[test]
fn the_public_view_supports_conditional_requests() {
    let m = merchant("hosted_checkout");
    let id = session(&m.key)["id"].as_str().unwrap().to_owned();
    let first = get(&format!("/v1/sessions/{id}/public"), None);
    let etag = first.header("etag");
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    let again = request(
        "GET",
        &format!("/v1/sessions/{id}/public"),
        &[("If-None-Match", &etag)],
        None,
    );
    assert_eq!(again.status, 304);
    assert!(again.text.is_empty());
    assert_eq!(again.header("access-control-allow-origin"), "*");
    // A change of state changes the ETag.
    post(&format!("/v1/sessions/{id}/cancel"), &m.key, &json!({}));
    let after = request(
        "GET",
        &format!("/v1/sessions/{id}/public"),
        &[("If-None-Match", &etag)],
        None,
    );
    assert_eq!(after.status, 200);
    assert_eq!(after.json()["status"], "cancelled");
    let preflight = request(
        "OPTIONS",
        &format!("/v1/sessions/{id}/public"),
        &[("Origin", "https://elsewhere.example")],
        None,
    );
    assert_eq!(
        (
            preflight.status,
            preflight.header("access-control-allow-origin").as_str()
        ),
        (204, "*")
    );
    assert_eq!(
        get("/v1/sessions/cs_aaaaaaaaaaaaaaaaaaaaaaaa/public", None).status,
        404
    );
}

#[test]
fn the_hosted_page_shows_merchant_amounts_qr_and_cancel_link_escaped() {
    let m = merchant("hosted_checkout");
    let s = session(&m.key);
    let page = get(&format!("/pay/{}", s["id"].as_str().unwrap()), None);
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    let html = page.text;
    assert!(
        html.contains("Test Shop &lt;b&gt;&amp;&lt;/b&gt;"),
        "merchant name must be escaped"
    );
    assert!(!html.contains("<b>&</b>"));
    assert!(html.contains("10.00 EUR") && html.contains("5000.00 ETN"));
    assert!(html.contains("<svg role=\"img\""));
    assert!(html.contains(&format!("href=\"{}\"", s["deep_link"].as_str().unwrap())));
    assert!(html.contains("href=\"https://shop.example/cart\""));
    assert!(!html.contains("private@example.com"));
    let missing = get("/pay/cs_aaaaaaaaaaaaaaaaaaaaaaaa", None);
    assert_eq!(missing.status, 404);
    assert!(missing.text.contains("Checkout not found"));
}
