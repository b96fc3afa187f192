//! No merchant reads or changes another's data, by any id: every route that takes
//! an id, walked with a second merchant's key and the first merchant's ids.

use checkout_e2e::{
    get, merchant, now, post, python_hmac_sha256, request, unique, Merchant, Reply, ETN_API_KEY,
    ETN_API_SECRET,
};
use serde_json::{json, Value};

/// Everything merchant A owns, made through the public API.
struct Owned {
    session: String,
    payment_id: String,
    gateway_session: String,
    order: String,
    order_session: String,
    wallet: String,
    link: String,
}

fn make(a: &Merchant) -> Owned {
    let session = post(
        "/v1/sessions",
        &a.key,
        &json!({"amount": "10.00", "currency": "EUR", "customer_email": "secret-buyer@example.com"}),
    )
    .json();
    let gateway = post(
        "/gateway/session.php",
        &a.key,
        &json!({"domain": a.domain, "amount": "10.00", "currency": "EUR", "order_id": format!("G-{}", unique())}),
    )
    .json();
    let wallet = post(
        "/api/v1/wallets",
        &a.key,
        &json!({"user_id": 77, "currency": "EUR"}),
    )
    .json();
    let order = post(
        "/api/v1/orders",
        &a.key,
        &json!({
            "amount": "10.00", "currency": "EUR", "redirect_url": "https://shop.example/ok", "wallet_id": wallet["wallet_id"],
            "customer_details": {"name": "Inga", "surname": "Berzina", "email": "inga@inbox.lv", "phone": "+3712000000"},
        }),
    )
    .json();
    let link = request(
        "POST",
        "/wallet/createPaymentLink",
        &[("x-api-key", &a.key), ("Content-Type", "application/json")],
        Some(
            json!({"amount": "5.00", "currency": "EUR", "email": "payer@example.com"})
                .to_string()
                .as_bytes(),
        ),
    )
    .json();
    let order_session = order["checkout_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    Owned {
        session: session["id"].as_str().unwrap().to_owned(),
        payment_id: session["payment_id"].as_str().unwrap().to_owned(),
        gateway_session: gateway["session_id"].as_str().unwrap().to_owned(),
        order: order["public_order_id"].as_str().unwrap().to_owned(),
        order_session,
        wallet: wallet["wallet_id"].as_str().unwrap().to_owned(),
        link: link["order_id"].as_str().unwrap().to_owned(),
    }
}

/// What A sees of its own objects: must be the same after B's attempts.
fn snapshot(a: &Merchant, o: &Owned) -> Vec<Value> {
    vec![
        get(&format!("/v1/sessions/{}", o.session), Some(&a.key)).json(),
        get(&format!("/v1/sessions/{}/events", o.session), Some(&a.key)).json(),
        get(&format!("/v1/sessions/{}", o.order_session), Some(&a.key)).json(),
        get(&format!("/api/v1/wallets/{}", o.wallet), Some(&a.key)).json(),
        get(&format!("/api/v1/orders/{}", o.order), Some(&a.key)).json(),
        get(
            &format!("/gateway/status.php?session_id={}", o.gateway_session),
            Some(&a.key),
        )
        .json(),
    ]
}

fn as_b(b: &Merchant, method: &str, path: &str, body: Option<&Value>) -> Reply {
    let auth = format!("Bearer {}", b.key);
    let text = body.map(Value::to_string);
    request(
        method,
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        text.as_deref().map(str::as_bytes),
    )
}

#[test]
fn a_merchant_never_reads_or_changes_another_merchants_objects() {
    let a = merchant("hosted_checkout");
    let b = merchant("hosted_checkout");
    let o = make(&a);
    let before = snapshot(&a, &o);
    let secrets = [
        "secret-buyer@example.com",
        "Berzina",
        o.payment_id.as_str(),
        o.wallet.as_str(),
    ];
    for (method, path) in [
        ("GET", format!("/v1/sessions/{}", o.session)),
        ("GET", format!("/v1/sessions/{}/events", o.session)),
        ("POST", format!("/v1/sessions/{}/cancel", o.session)),
        ("POST", format!("/v1/sessions/{}/sandbox", o.session)),
        ("POST", format!("/v1/sessions/{}/cancel", o.order_session)),
        (
            "GET",
            format!("/gateway/status.php?session_id={}", o.gateway_session),
        ),
        (
            "GET",
            format!("/gateway/status.php?session_id={}", o.session),
        ),
        ("GET", format!("/api/v1/orders/{}", o.order)),
        ("GET", format!("/api/v1/orders/{}/receipt.pdf", o.order)),
        ("GET", format!("/api/v1/wallets/{}", o.wallet)),
    ] {
        let res = as_b(&b, method, &path, None);
        assert_eq!(res.status, 404, "{method} {path}: {}", res.text);
        for secret in secrets {
            assert!(
                !res.text.contains(secret),
                "{method} {path} leaked {secret}"
            );
        }
    }
    // Naming A's wallet in B's order is naming no wallet at all.
    let res = as_b(
        &b,
        "POST",
        "/api/v1/orders",
        Some(&json!({
            "amount": "10.00", "currency": "EUR", "redirect_url": "https://shop.example/ok", "wallet_id": o.wallet,
            "customer_details": {"name": "X", "surname": "Y", "email": "x@y.example", "phone": "1"},
        })),
    );
    assert_eq!(
        (res.status, res.code().as_str(), res.field().as_str()),
        (422, "wallet_unknown", "wallet_id")
    );
    // B's lists show nothing of A's.
    for path in ["/v1/sessions?limit=100", "/v1/payments/unmatched"] {
        let res = as_b(&b, "GET", path, None);
        assert_eq!(res.status, 200);
        for id in [
            &o.session,
            &o.gateway_session,
            &o.order_session,
            &o.payment_id,
        ] {
            assert!(!res.text.contains(id.as_str()), "{path} shows {id}");
        }
    }
    // A merchant key is no admin key, for A's merchant or its keys.
    for (method, path) in [
        ("GET", format!("/v1/admin/merchants/{}", a.id)),
        ("GET", format!("/v1/admin/merchants/{}/keys", a.id)),
        ("POST", format!("/v1/admin/merchants/{}/keys", a.id)),
        (
            "DELETE",
            format!("/v1/admin/merchants/{}/keys/key_aaaaaaaaaaaaaaaa", a.id),
        ),
    ] {
        let res = as_b(&b, method, &path, None);
        assert_eq!(
            (res.status, res.code().as_str()),
            (401, "invalid_api_key"),
            "{path}"
        );
    }
    // B's providers cannot reach A's sessions: an ETN webhook signed with B's
    // secret names A's payment id in B's own scope (unmatched there), and a
    // gateway webhook for A's session must carry A's signature.
    let etn = json!({"event": "payment", "payment_id": o.payment_id, "amount": "5000.00", "key": ETN_API_KEY,
        "timestamp": checkout_e2e::iso8601(now(), 0), "ref": "x"})
    .to_string();
    let res = request(
        "POST",
        &format!("/webhooks/etn/{}", b.id),
        &[(
            "ETN-SIGNATURE",
            &python_hmac_sha256(ETN_API_SECRET, etn.as_bytes()),
        )],
        Some(etn.as_bytes()),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.json()["session_id"].is_null());
    let gw = json!({"event": "payment.succeeded", "session_id": o.session, "amount": "10.00", "currency": "EUR", "timestamp": now()}).to_string();
    let res = request(
        "POST",
        "/api/webhook.php",
        &[(
            "X-Signature",
            &python_hmac_sha256("b-secret-is-not-a-secret", gw.as_bytes()),
        )],
        Some(gw.as_bytes()),
    );
    assert_eq!(
        (res.status, res.code().as_str()),
        (401, "signature_mismatch")
    );
    // The link's alias resolves only to its own session, which is A's.
    let page = get(&format!("/pay/{}", o.link), None);
    assert_eq!(page.status, 302);
    assert_eq!(snapshot(&a, &o), before, "A's objects changed");
}
