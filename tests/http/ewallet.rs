//! ewallet-orders-api: wallets, orders with `EX-O...` ids, the PDF receipt.

use std::io::Write;
use std::process::{Command, Stdio};

use checkout_e2e::{get, merchant, post, request, Merchant};
use serde_json::{json, Value};

fn order_body() -> Value {
    json!({
        "amount": 149.98,
        "currency": "USD",
        "redirect_url": "https://example.com/success",
        "webhook_url": "https://your-api.com/webhooks",
        "customer_details": {"name": "Inga", "surname": "Berzina", "email": "inga@inbox.lv", "phone": "+3712000000", "country": "LV"},
        "items": [{"name": "Wallet Kit", "price": 99.99, "quantity": 1}, {"name": "Card sleeve", "price": "49.99", "quantity": 1}],
    })
}

fn create_order(m: &Merchant, body: &Value) -> Value {
    let res = post("/api/v1/orders", &m.key, body);
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

/// Text of a PDF as poppler's pdftotext reads it: an independent PDF parser.
fn pdf_text(pdf: &[u8]) -> String {
    let mut child = Command::new("pdftotext")
        .args(["-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) is installed by `cargo xtask test`");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "pdftotext could not parse the receipt"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn get_bytes(path: &str, key: &str) -> (u16, String, Vec<u8>) {
    let mut res = checkout_e2e::agent()
        .get(format!("{}{path}", checkout_e2e::base_url()))
        .header("Authorization", &format!("Bearer {key}"))
        .call()
        .unwrap();
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (
        res.status().as_u16(),
        content_type,
        res.body_mut().read_to_vec().unwrap(),
    )
}

#[test]
fn wallets_are_one_per_user_and_currency() {
    let m = merchant("hosted_checkout");
    let first = post(
        "/api/v1/wallets",
        &m.key,
        &json!({"user_id": 42, "currency": "EUR"}),
    );
    assert_eq!(first.status, 201, "{}", first.text);
    let w = first.json();
    assert!(w["wallet_id"].as_str().unwrap().starts_with("wal_"));
    assert_eq!(
        (
            w["user_id"].as_i64(),
            w["currency"].as_str(),
            w["balance"].as_str()
        ),
        (Some(42), Some("EUR"), Some("0.00"))
    );
    let again = post(
        "/api/v1/wallets",
        &m.key,
        &json!({"user_id": 42, "currency": "EUR"}),
    );
    assert_eq!(
        (again.status, again.json()["wallet_id"].clone()),
        (200, w["wallet_id"].clone())
    );
    let jpy = post(
        "/api/v1/wallets",
        &m.key,
        &json!({"user_id": 42, "currency": "JPY"}),
    )
    .json();
    assert_ne!(jpy["wallet_id"], w["wallet_id"]);
    assert_eq!(jpy["balance"], "0");
    let id = w["wallet_id"].as_str().unwrap();
    assert_eq!(
        get(&format!("/api/v1/wallets/{id}"), Some(&m.key)).json()["wallet_id"],
        id
    );
    let other = merchant("hosted_checkout");
    assert_eq!(
        get(&format!("/api/v1/wallets/{id}"), Some(&other.key)).status,
        404
    );
    for (body, status, code, field) in [
        (json!({"currency": "EUR"}), 400, "missing_field", "user_id"),
        (
            json!({"user_id": 0, "currency": "EUR"}),
            422,
            "user_id_invalid",
            "user_id",
        ),
        (
            json!({"user_id": "abc", "currency": "EUR"}),
            400,
            "invalid_type",
            "user_id",
        ),
        (
            json!({"user_id": 1.5, "currency": "EUR"}),
            400,
            "invalid_type",
            "user_id",
        ),
        (json!({"user_id": 1}), 400, "missing_field", "currency"),
        (
            json!({"user_id": 1, "currency": "EURO"}),
            422,
            "currency_malformed",
            "currency",
        ),
    ] {
        let res = post("/api/v1/wallets", &m.key, &body);
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (status, code, field),
            "{body}"
        );
    }
}

#[test]
fn orders_answer_public_ids_that_resolve_to_the_session() {
    let m = merchant("hosted_checkout");
    let o = create_order(&m, &order_body());
    let public_id = o["public_order_id"].as_str().unwrap();
    // EX-O, the mode, and its session id's 40 characters (the merchant, 80
    // random bits, the tag): it names its account object.
    assert!(
        public_id.starts_with("EX-OT") && public_id.len() == 45,
        "{public_id}"
    );
    assert_eq!(o["status"], "pending");
    let checkout_url = o["checkout_url"].as_str().unwrap();
    assert!(checkout_url.contains("/pay/cs_"));
    // 149.98 USD at 0.0025 USD per ETN.
    assert_eq!(o["etn_amount"], "59992.00");

    let read = get(&format!("/api/v1/orders/{public_id}"), Some(&m.key)).json();
    assert_eq!(read["amount"], "149.98");
    assert_eq!(read["customer_details"]["surname"], "Berzina");
    assert_eq!(read["items"][0]["price"], "99.99");
    assert_eq!(read["webhook_url"], "https://your-api.com/webhooks");

    // The alias opens the same hosted checkout.
    let page = get(&format!("/pay/{public_id}"), None);
    assert_eq!(page.status, 302);
    assert_eq!(page.header("location"), checkout_url);

    let other = merchant("hosted_checkout");
    assert_eq!(
        get(&format!("/api/v1/orders/{public_id}"), Some(&other.key)).status,
        404
    );
    assert_eq!(get("/api/v1/orders/EX-OAAAAAAAA", Some(&m.key)).status, 404);
    assert_eq!(
        get("/api/v1/orders/EX-OAAAAAAAAAAAAAAAA", Some(&m.key)).status,
        404
    );
    assert_eq!(get("/api/v1/orders/nonsense", Some(&m.key)).status, 404);
}

/// Sets the value at a JSON pointer (`/customer_details/name`), or removes it when `value` is null.
fn patch(body: &mut Value, pointer: &str, value: &Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = body.pointer_mut(parent).unwrap();
    match parent {
        Value::Object(map) if value.is_null() => {
            map.remove(key);
        }
        Value::Object(map) => {
            map.insert(key.to_owned(), value.clone());
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value.clone(),
        _ => panic!("cannot patch {pointer}"),
    }
}

#[test]
fn order_fields_are_validated_with_the_seeds_names() {
    let m = merchant("hosted_checkout");
    let cases = [
        (
            "/customer_details/name",
            Value::Null,
            400,
            "missing_field",
            "customer_details.name",
        ),
        (
            "/customer_details/surname",
            Value::Null,
            400,
            "missing_field",
            "customer_details.surname",
        ),
        (
            "/customer_details/email",
            Value::Null,
            400,
            "missing_field",
            "customer_details.email",
        ),
        (
            "/customer_details/phone",
            Value::Null,
            400,
            "missing_field",
            "customer_details.phone",
        ),
        (
            "/customer_details/phone",
            json!("  "),
            400,
            "missing_field",
            "customer_details.phone",
        ),
        (
            "/customer_details",
            Value::Null,
            400,
            "missing_field",
            "customer_details",
        ),
        (
            "/customer_details/email",
            json!("inga-at-inbox"),
            422,
            "email_invalid",
            "customer_details.email",
        ),
        (
            "/customer_details/country",
            json!("LVA"),
            422,
            "country_invalid",
            "customer_details.country",
        ),
        (
            "/customer_details/postal_code",
            json!("x".repeat(21)),
            422,
            "too_long",
            "customer_details.postal_code",
        ),
        (
            "/redirect_url",
            Value::Null,
            400,
            "missing_field",
            "redirect_url",
        ),
        (
            "/redirect_url",
            json!("http://example.com/success"),
            422,
            "url_not_https",
            "redirect_url",
        ),
        (
            "/webhook_url",
            json!("ftp://your-api.com/"),
            422,
            "url_invalid",
            "webhook_url",
        ),
        (
            "/amount",
            json!("149,98"),
            422,
            "amount_thousands_separator",
            "amount",
        ),
        (
            "/items/1/quantity",
            json!(-1),
            422,
            "quantity_out_of_range",
            "items[1].quantity",
        ),
        (
            "/wallet_id",
            json!("wal_aaaaaaaaaaaaaaaa"),
            422,
            "wallet_unknown",
            "wallet_id",
        ),
    ];
    for (pointer, value, status, code, field) in cases {
        let mut body = order_body();
        patch(&mut body, pointer, &value);
        let res = post("/api/v1/orders", &m.key, &body);
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (status, code, field),
            "{pointer}: {}",
            res.text
        );
    }
    // The order currency must match the wallet's.
    let wallet = post(
        "/api/v1/wallets",
        &m.key,
        &json!({"user_id": 7, "currency": "EUR"}),
    )
    .json();
    let mut body = order_body();
    body["wallet_id"] = wallet["wallet_id"].clone();
    let res = post("/api/v1/orders", &m.key, &body);
    assert_eq!(
        (res.status, res.code().as_str(), res.field().as_str()),
        (422, "currency_mismatch", "currency")
    );
    body["currency"] = json!("EUR");
    body["amount"] = json!("20.00");
    body["items"] = json!([]);
    assert_eq!(post("/api/v1/orders", &m.key, &body).status, 201);
}

#[test]
fn the_receipt_is_a_pdf_with_the_order_id_and_amount() {
    let m = merchant("hosted_checkout");
    let o = create_order(&m, &order_body());
    let public_id = o["public_order_id"].as_str().unwrap();
    let (status, content_type, pdf) =
        get_bytes(&format!("/api/v1/orders/{public_id}/receipt.pdf"), &m.key);
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    for expected in [
        public_id,
        "149.98 USD",
        "59992.00 ETN",
        "Test Shop <b>&</b>",
        "Inga Berzina",
        "Wallet Kit",
        "Pending payment",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the receipt:\n{text}"
        );
    }
    std::fs::write(
        std::env::var("ARTIFACTS").unwrap_or_else(|_| "../artifacts".into()) + "/receipt.pdf",
        &pdf,
    )
    .ok();
    // Another merchant cannot fetch it; a cancelled order has none.
    let other = merchant("hosted_checkout");
    assert_eq!(
        get_bytes(
            &format!("/api/v1/orders/{public_id}/receipt.pdf"),
            &other.key
        )
        .0,
        404
    );
    let session_id = o["checkout_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        post(
            &format!("/v1/sessions/{session_id}/cancel"),
            &m.key,
            &json!({})
        )
        .status,
        200
    );
    let res = request(
        "GET",
        &format!("/api/v1/orders/{public_id}/receipt.pdf"),
        &[("Authorization", &format!("Bearer {}", m.key))],
        None,
    );
    assert_eq!(
        (res.status, res.code().as_str()),
        (409, "receipt_unavailable")
    );
}
