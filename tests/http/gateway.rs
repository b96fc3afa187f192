//! hosted-checkout-gateway-api: session.php, me.php, status.php, as its seed
//! describes them.

use checkout_e2e::{get, merchant, post, unique, Merchant};
use serde_json::{json, Value};

fn session_body(m: &Merchant) -> Value {
    json!({
        "domain": m.domain,
        "amount": "49.95",
        "currency": "USD",
        "order_id": format!("ORDER-{}", unique()),
        "return_url": format!("https://{}/success", m.domain),
        "cancel_url": format!("https://{}/cancel", m.domain),
        "customer_email": "buyer@example.com",
    })
}

#[test]
fn the_seed_flow_session_then_status() {
    let m = merchant("hosted_checkout");
    let body = session_body(&m);
    let res = post("/gateway/session.php", &m.key, &body);
    assert_eq!(res.status, 200, "{}", res.text);
    let s = res.json();
    let id = s["session_id"].as_str().unwrap();
    assert!(id.starts_with("cs_"));
    assert_eq!(s["status"], "pending");
    assert!(s["checkout_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/pay/{id}")));

    let status = get(
        &format!("/gateway/status.php?session_id={id}"),
        Some(&m.key),
    );
    assert_eq!(status.status, 200);
    let st = status.json();
    assert_eq!(st["session_id"], id);
    assert_eq!(st["order_id"], body["order_id"]);
    assert_eq!(st["status"], "pending");
    assert_eq!(
        (st["amount"].as_str(), st["currency"].as_str()),
        (Some("49.95"), Some("USD"))
    );
    assert!(st["payment_string"]
        .as_str()
        .unwrap()
        .ends_with("/19980.00"));
    // One view of a gateway session: creation and status answer the same thing,
    // with "ok": true, which real clients test.
    assert_eq!(s["ok"], true);
    assert_eq!(st, s);
}

#[test]
fn real_clients_may_send_email_instead_of_customer_email() {
    let m = merchant("hosted_checkout");
    let mut body = session_body(&m);
    body.as_object_mut().unwrap().remove("customer_email");
    body["email"] = json!("buyer@example.com");
    let res = post("/gateway/session.php", &m.key, &body);
    assert_eq!(res.status, 200, "{}", res.text);
    let id = res.json()["session_id"].as_str().unwrap().to_owned();
    let session = get(&format!("/v1/sessions/{id}"), Some(&m.key)).json();
    assert_eq!(session["customer_email"], "buyer@example.com");
    body["email"] = json!("not-an-email");
    body["order_id"] = json!(format!("ORDER-{}", unique()));
    let res = post("/gateway/session.php", &m.key, &body);
    assert_eq!(
        (res.status, res.code().as_str(), res.json()["ok"].as_bool()),
        (422, "email_invalid", Some(false))
    );
}

#[test]
fn me_reports_the_integration_mode_and_methods() {
    let hosted = merchant("hosted_checkout");
    let me = get("/gateway/me.php", Some(&hosted.key)).json();
    assert_eq!(me["integration_mode"], "hosted_checkout");
    assert_eq!(me["methods"], json!(["etn", "card"]));
    let smart = merchant("smart_routing");
    assert_eq!(
        get("/gateway/me.php", Some(&smart.key)).json()["integration_mode"],
        "smart_routing"
    );
}

#[test]
fn domains_must_match_exactly() {
    let m = merchant("hosted_checkout");
    for domain in [
        m.domain.to_uppercase(),
        format!("www.{}", m.domain),
        format!("evil{}", m.domain),
        format!("{}.evil.example", m.domain),
        format!("{}.", m.domain),
        format!(" {}", m.domain),
        "other.example".to_owned(),
    ] {
        let mut body = session_body(&m);
        body["domain"] = json!(domain);
        let res = post("/gateway/session.php", &m.key, &body);
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (403, "domain_not_approved", "domain"),
            "{domain:?}"
        );
    }
}

#[test]
fn required_fields_methods_and_provider_slugs() {
    let hosted = merchant("hosted_checkout");
    for field in ["domain", "amount", "currency", "order_id"] {
        let mut body = session_body(&hosted);
        body.as_object_mut().unwrap().remove(field);
        let res = post("/gateway/session.php", &hosted.key, &body);
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (400, "missing_field", field),
            "{}",
            res.text
        );
    }
    let mut body = session_body(&hosted);
    body["provider"] = json!("stripe");
    let res = post("/gateway/session.php", &hosted.key, &body);
    assert_eq!(
        (res.status, res.code().as_str(), res.field().as_str()),
        (400, "provider_not_allowed", "provider")
    );
    // Real clients send a method in hosted-checkout mode too: accepted, ignored.
    let mut body = session_body(&hosted);
    body["method"] = json!("card");
    let res = post("/gateway/session.php", &hosted.key, &body);
    assert_eq!(
        (res.status, res.json()["ok"].as_bool()),
        (200, Some(true)),
        "{}",
        res.text
    );
    let id = res.json()["session_id"].as_str().unwrap().to_owned();
    let read = get(&format!("/v1/sessions/{id}"), Some(&hosted.key)).json();
    assert!(read["method"].is_null(), "{read}");

    let smart = merchant("smart_routing");
    let mut body = session_body(&smart);
    body["method"] = json!("card");
    assert_eq!(post("/gateway/session.php", &smart.key, &body).status, 200);
    let mut body = session_body(&smart);
    body["method"] = json!("stripe");
    let res = post("/gateway/session.php", &smart.key, &body);
    assert_eq!((res.status, res.code().as_str()), (422, "method_unknown"));
    // Failures carry "ok": false, as clients of this API test it.
    assert_eq!(res.json()["ok"], false);
}

#[test]
fn status_needs_a_session_id_of_ones_own() {
    let m = merchant("hosted_checkout");
    let res = get("/gateway/status.php", Some(&m.key));
    assert_eq!(
        (res.status, res.code().as_str(), res.field().as_str()),
        (400, "missing_field", "session_id")
    );
    let res = get("/gateway/status.php?session_id=nope", Some(&m.key));
    assert_eq!(res.status, 404);
}
