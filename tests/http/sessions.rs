//! The native API (`/v1/sessions`): create, read, list, cancel; idempotency; key
//! isolation; every kind of bad input.

use checkout_e2e::{get, merchant, post, post_with, request, unique};
use serde_json::{json, Value};

fn order() -> Value {
    json!({
        "amount": "49.95",
        "currency": "USD",
        "order_id": format!("ORDER-{}", unique()),
        "return_url": "https://shop.example/success",
        "cancel_url": "https://shop.example/cancel",
        "customer_email": "buyer@example.com",
        "items": [{"name": "Wallet Kit", "price": 49.95, "quantity": 1}],
    })
}

#[test]
fn creates_reads_and_cancels_a_session() {
    let m = merchant("hosted_checkout");
    let res = post("/v1/sessions", &m.key, &order());
    assert_eq!(res.status, 201, "{}", res.text);
    let s = res.json();
    let id = s["id"].as_str().unwrap();
    assert!(id.starts_with("cs_"));
    assert_eq!(s["status"], "pending");
    assert_eq!(s["mode"], "test");
    // The dev fixture prices 1 ETN at 0.0025 USD: 49.95 / 0.0025 = 19980.00.
    assert_eq!(s["etn_amount"], "19980.00");
    let payment = s["payment_string"].as_str().unwrap();
    assert!(
        payment.starts_with(&format!("etn-it-{}/", m.outlet)) && payment.ends_with("/19980.00"),
        "{payment}"
    );
    assert_eq!(
        s["deep_link"],
        format!("https://link.electroneum.com/jWEpM5HcxP?vendor={payment}")
    );
    assert!(s["checkout_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/pay/{id}")));
    assert_eq!(s["items"][0]["price"], "49.95");
    assert_eq!(
        s["expires_at"].as_i64().unwrap() - s["created_at"].as_i64().unwrap(),
        1800
    );

    let read = get(&format!("/v1/sessions/{id}"), Some(&m.key));
    assert_eq!(read.json(), s);

    let cancelled = post(&format!("/v1/sessions/{id}/cancel"), &m.key, &json!({}));
    assert_eq!(
        (cancelled.status, cancelled.json()["status"].as_str()),
        (200, Some("cancelled"))
    );
    let again = post(&format!("/v1/sessions/{id}/cancel"), &m.key, &json!({}));
    assert_eq!(
        (again.status, again.code().as_str()),
        (409, "session_not_pending")
    );
    assert_eq!(
        get(&format!("/v1/sessions/{id}"), Some(&m.key)).json()["status"],
        "cancelled"
    );
}

#[test]
fn a_merchant_never_sees_another_merchants_sessions() {
    let a = merchant("hosted_checkout");
    let b = merchant("hosted_checkout");
    let id = post("/v1/sessions", &a.key, &order()).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let theirs = get(&format!("/v1/sessions/{id}"), Some(&b.key));
    let missing = get("/v1/sessions/cs_aaaaaaaaaaaaaaaaaaaaaaaa", Some(&b.key));
    assert_eq!(
        (theirs.status, theirs.text.clone()),
        (
            missing.status,
            missing.text.replace("cs_aaaaaaaaaaaaaaaaaaaaaaaa", &id)
        )
    );
    assert_eq!(theirs.status, 404);
    assert_eq!(
        post(&format!("/v1/sessions/{id}/cancel"), &b.key, &json!({})).status,
        404
    );
    assert_eq!(
        get(
            &format!("/gateway/status.php?session_id={id}"),
            Some(&b.key)
        )
        .status,
        404
    );
    // B's list does not show it either.
    let list = get("/v1/sessions", Some(&b.key));
    assert!(!list.text.contains(&id));
    // And A's session is untouched.
    assert_eq!(
        get(&format!("/v1/sessions/{id}"), Some(&a.key)).json()["status"],
        "pending"
    );
}

#[test]
fn lists_newest_first_with_pagination() {
    let m = merchant("hosted_checkout");
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            post("/v1/sessions", &m.key, &order()).json()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let first = get("/v1/sessions?limit=2", Some(&m.key)).json();
    assert_eq!(first["data"].as_array().unwrap().len(), 2);
    assert_eq!(first["has_more"], true);
    assert_eq!(first["data"][0]["id"], ids[2].as_str());
    assert_eq!(first["data"][1]["id"], ids[1].as_str());
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = get(
        &format!("/v1/sessions?limit=2&cursor={cursor}"),
        Some(&m.key),
    )
    .json();
    assert_eq!(second["data"].as_array().unwrap().len(), 1);
    assert_eq!(second["data"][0]["id"], ids[0].as_str());
    assert_eq!(second["has_more"], false);
    // A cursor KV never issued: Cloudflare's KV refuses it (400 cursor_invalid),
    // local KV answers an empty page. Either way, never a 500.
    let res = get("/v1/sessions?cursor=not-a-real-cursor", Some(&m.key));
    assert!(
        (res.status, res.code().as_str()) == (400, "cursor_invalid")
            || (res.status == 200 && res.json()["data"].as_array().unwrap().is_empty()),
        "{}",
        res.text
    );
    for bad in ["0", "101", "x", "-1"] {
        let res = get(&format!("/v1/sessions?limit={bad}"), Some(&m.key));
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (400, "limit_invalid", "limit"),
            "{bad}"
        );
    }
}

#[test]
fn idempotency_key_returns_the_first_result_and_refuses_other_parameters() {
    let m = merchant("hosted_checkout");
    let key = format!("idem-{}", unique());
    let body = order();
    let first = post_with("/v1/sessions", &m.key, &body, &[("Idempotency-Key", &key)]);
    assert_eq!(first.status, 201);
    let replay = post_with("/v1/sessions", &m.key, &body, &[("Idempotency-Key", &key)]);
    assert_eq!(replay.status, 200);
    assert_eq!(replay.header("idempotent-replayed"), "true");
    assert_eq!(replay.json()["id"], first.json()["id"]);
    let mut other = body.clone();
    other["amount"] = json!("50.00");
    let conflict = post_with("/v1/sessions", &m.key, &other, &[("Idempotency-Key", &key)]);
    assert_eq!(
        (conflict.status, conflict.code().as_str()),
        (409, "idempotency_key_reused")
    );
    // Another merchant may use the same key freely.
    let n = merchant("hosted_checkout");
    assert_eq!(
        post_with("/v1/sessions", &n.key, &other, &[("Idempotency-Key", &key)]).status,
        201
    );
    let long = "k".repeat(256);
    let res = post_with(
        "/v1/sessions",
        &m.key,
        &order(),
        &[("Idempotency-Key", &long)],
    );
    assert_eq!(
        (res.status, res.code().as_str()),
        (400, "idempotency_key_invalid")
    );
}

#[test]
fn the_same_order_id_returns_the_first_session() {
    let m = merchant("hosted_checkout");
    let body = order();
    let first = post("/v1/sessions", &m.key, &body);
    let again = post("/v1/sessions", &m.key, &body);
    assert_eq!(again.json()["id"], first.json()["id"]);
    let mut changed = body.clone();
    changed["amount"] = json!("1.00");
    let res = post("/v1/sessions", &m.key, &changed);
    assert_eq!(
        (res.status, res.code().as_str(), res.field().as_str()),
        (409, "order_id_conflict", "order_id")
    );
}

#[test]
fn every_bad_field_gets_a_4xx_naming_it() {
    let m = merchant("hosted_checkout");
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (json!({"amount": null}), 400, "missing_field", "amount"),
        (json!({"currency": null}), 400, "missing_field", "currency"),
        (json!({"amount": "-5"}), 422, "amount_negative", "amount"),
        (json!({"amount": "0"}), 422, "amount_zero", "amount"),
        (json!({"amount": "1e3"}), 422, "amount_exponent", "amount"),
        (
            json!({"amount": "1,000.00"}),
            422,
            "amount_thousands_separator",
            "amount",
        ),
        (
            json!({"amount": "49.999"}),
            422,
            "amount_too_many_decimals",
            "amount",
        ),
        (
            json!({"amount": "9999999999999"}),
            422,
            "amount_too_large",
            "amount",
        ),
        (json!({"amount": "abc"}), 422, "amount_malformed", "amount"),
        (json!({"amount": true}), 400, "invalid_type", "amount"),
        (
            json!({"amount": "2000.00"}),
            422,
            "amount_over_cap",
            "amount",
        ),
        (
            json!({"currency": "usd"}),
            422,
            "currency_malformed",
            "currency",
        ),
        (
            json!({"currency": "XYZ"}),
            422,
            "currency_unsupported",
            "currency",
        ),
        (json!({"currency": 840}), 400, "invalid_type", "currency"),
        (
            json!({"return_url": "http://shop.example/ok"}),
            422,
            "url_not_https",
            "return_url",
        ),
        (
            json!({"cancel_url": "javascript:alert(1)"}),
            422,
            "url_invalid",
            "cancel_url",
        ),
        (
            json!({"return_url": format!("https://shop.example/{}", "x".repeat(2100))}),
            422,
            "too_long",
            "return_url",
        ),
        (
            json!({"customer_email": "not-an-email"}),
            422,
            "email_invalid",
            "customer_email",
        ),
        (
            json!({"order_id": "x".repeat(129)}),
            422,
            "too_long",
            "order_id",
        ),
        (
            json!({"expires_in": 30}),
            422,
            "expires_in_out_of_range",
            "expires_in",
        ),
        (
            json!({"expires_in": 86401}),
            422,
            "expires_in_out_of_range",
            "expires_in",
        ),
        (
            json!({"expires_in": "soon"}),
            400,
            "invalid_type",
            "expires_in",
        ),
        (
            json!({"items": {"name": "x"}}),
            400,
            "invalid_type",
            "items",
        ),
        (
            json!({"items": [{"name": "x", "price": "1.001"}]}),
            422,
            "amount_too_many_decimals",
            "items[0].price",
        ),
        (
            json!({"items": [{"price": "1.00"}]}),
            400,
            "missing_field",
            "items[0].name",
        ),
        (
            json!({"items": [{"name": "x", "price": "1.00", "quantity": 0}]}),
            422,
            "quantity_out_of_range",
            "items[0].quantity",
        ),
        (
            json!({"customer": {"country": "Latvia"}}),
            422,
            "country_invalid",
            "customer.country",
        ),
        (
            json!({"customer": {"email": "x@"}}),
            422,
            "email_invalid",
            "customer.email",
        ),
        (json!({"customer": "Inga"}), 400, "invalid_type", "customer"),
    ];
    for (patch, status, code, field) in cases {
        let mut body = order();
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        let res = post("/v1/sessions", &m.key, &body);
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (status, code, field),
            "{patch}: {}",
            res.text
        );
    }
}

#[test]
fn malformed_bodies_sizes_and_content_types() {
    let m = merchant("hosted_checkout");
    let auth = format!("Bearer {}", m.key);
    let json_headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    let res = request("POST", "/v1/sessions", &json_headers, Some(b"{not json"));
    assert_eq!((res.status, res.code().as_str()), (400, "invalid_json"));
    let res = request("POST", "/v1/sessions", &json_headers, Some(b"[1,2]"));
    assert_eq!((res.status, res.code().as_str()), (400, "invalid_json"));
    let res = request("POST", "/v1/sessions", &json_headers, Some(&[0xff, 0xfe]));
    assert_eq!((res.status, res.code().as_str()), (400, "invalid_json"));
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(70 * 1024));
    let res = request("POST", "/v1/sessions", &json_headers, Some(big.as_bytes()));
    assert_eq!(
        (res.status, res.code().as_str()),
        (413, "payload_too_large")
    );
    let res = request(
        "POST",
        "/v1/sessions",
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        Some(b"{}"),
    );
    assert_eq!(
        (res.status, res.code().as_str()),
        (415, "unsupported_media_type")
    );
    let res = request(
        "POST",
        "/v1/sessions",
        &[("Authorization", &auth)],
        Some(b"{}"),
    );
    assert_eq!(res.status, 415);
    // Unknown fields are ignored (tolerant reader).
    let mut body = order();
    body["something_new"] = json!({"nested": [1, 2]});
    assert_eq!(post("/v1/sessions", &m.key, &body).status, 201);
    // Amounts may be JSON numbers; their exact text is kept.
    body["amount"] = json!(12.5);
    body["order_id"] = json!(format!("N-{}", unique()));
    let res = post("/v1/sessions", &m.key, &body);
    assert_eq!(
        (res.status, res.json()["amount"].as_str()),
        (201, Some("12.5"))
    );
}
