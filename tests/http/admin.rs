//! The admin API: merchants and keys, behind ADMIN_KEY.

use checkout_e2e::{admin_key, get, merchant, post, request, unique};
use serde_json::json;

#[test]
fn creating_a_merchant_shows_generated_secrets_once_then_only_masked() {
    let m = merchant("hosted_checkout");
    let signing = m.created["signing_secret"].as_str().unwrap();
    assert!(signing.starts_with("whsec_"), "{signing}");
    assert_eq!(m.created["gateway_webhook_secret"], "gw-secret-for-tests");
    let shown = get(&format!("/v1/admin/merchants/{}", m.id), Some(&admin_key()));
    assert_eq!(shown.status, 200);
    let v = shown.json();
    assert_eq!(v["etn_api_secret"], "…mlkj");
    assert_eq!(
        v["signing_secret"],
        format!("…{}", &signing[signing.len() - 4..])
    );
    assert!(
        !shown.text.contains("zxyxwvutsrqponmlkjihgfedcba"),
        "a secret leaked: {}",
        shown.text
    );
    assert!(!shown.text.contains(signing));
    assert_eq!(v["domains"][0], m.domain.as_str());
}

#[test]
fn an_outlet_belongs_to_one_merchant() {
    let m = merchant("hosted_checkout");
    let res = post(
        "/v1/admin/merchants",
        &admin_key(),
        &json!({"name": "Copycat", "domains": ["copy.example"], "etn_outlet_id": m.outlet,
                "etn_api_key": "key_live_copycat_0000", "etn_api_secret": "sec_live_copycat_0000"}),
    );
    assert_eq!(
        (res.status, res.code().as_str(), res.field().as_str()),
        (409, "outlet_taken", "etn_outlet_id")
    );
}

#[test]
fn admin_routes_need_the_admin_key() {
    let body = json!({"name": "x"});
    assert_eq!(post("/v1/admin/merchants", "wrong", &body).status, 401);
    let m = merchant("hosted_checkout");
    // A merchant key is not an admin key.
    assert_eq!(
        post("/v1/admin/merchants", &m.key, &body).code(),
        "invalid_api_key"
    );
    assert_eq!(
        request(
            "POST",
            "/v1/admin/merchants",
            &[("Content-Type", "application/json")],
            Some(b"{}")
        )
        .code(),
        "missing_api_key"
    );
}

#[test]
fn bad_merchant_fields_are_named() {
    let base = json!({
        "name": "Shop", "domains": ["ok.example"], "etn_outlet_id": checkout_e2e::outlet_id(),
        "etn_api_key": "key_live_0000000000", "etn_api_secret": "sec_live_0000000000",
    });
    let with = |key: &str, value: serde_json::Value| {
        let mut body = base.clone();
        if value.is_null() {
            body.as_object_mut().unwrap().remove(key);
        } else {
            body[key] = value;
        }
        post("/v1/admin/merchants", &admin_key(), &body)
    };
    let cases = [
        ("name", json!(null), 400, "missing_field", "name"),
        ("name", json!("x".repeat(101)), 422, "too_long", "name"),
        (
            "domains",
            json!(["Shop.Example"]),
            422,
            "domain_invalid",
            "domains[0]",
        ),
        (
            "domains",
            json!(["https://shop.example"]),
            422,
            "domain_invalid",
            "domains[0]",
        ),
        ("domains", json!([]), 400, "missing_field", "domains"),
        (
            "domains",
            json!("ok.example"),
            400,
            "invalid_type",
            "domains",
        ),
        (
            "etn_outlet_id",
            json!("short"),
            422,
            "outlet_id_length",
            "etn_outlet_id",
        ),
        (
            "etn_outlet_id",
            json!(null),
            400,
            "missing_field",
            "etn_outlet_id",
        ),
        (
            "etn_api_secret",
            json!(null),
            400,
            "missing_field",
            "etn_api_secret",
        ),
        ("etn_api_key", json!(12), 400, "invalid_type", "etn_api_key"),
        // A secret its masked view (last four characters) would nearly reveal.
        (
            "etn_api_secret",
            json!("s"),
            422,
            "secret_too_short",
            "etn_api_secret",
        ),
        (
            "gateway_webhook_secret",
            json!("short-secret"),
            422,
            "secret_too_short",
            "gateway_webhook_secret",
        ),
        (
            "etn_outlet_id",
            json!("0abc123def45z"),
            422,
            "outlet_id_characters",
            "etn_outlet_id",
        ),
        ("plan", json!("gold"), 422, "plan_invalid", "plan"),
    ];
    for (key, value, status, code, field) in cases {
        let res = with(key, value.clone());
        assert_eq!(
            (res.status, res.code().as_str(), res.field().as_str()),
            (status, code, field),
            "{key}={value}: {}",
            res.text
        );
    }
}

#[test]
fn keys_are_shown_once_listed_by_preview_and_revocable() {
    let m = merchant("hosted_checkout");
    assert!(m.key.starts_with("sk_test_"));
    let live = post(
        &format!("/v1/admin/merchants/{}/keys", m.id),
        &admin_key(),
        &json!({"mode": "live"}),
    );
    assert_eq!(live.status, 201);
    let live_key = live.json()["key"].as_str().unwrap().to_owned();
    assert!(live_key.starts_with("sk_live_"));
    // Both keys work, as Bearer and as x-api-key.
    assert_eq!(
        get("/gateway/me.php", Some(&live_key)).json()["mode"],
        "live"
    );
    let via_header = request("GET", "/gateway/me.php", &[("x-api-key", &m.key)], None);
    assert_eq!(via_header.json()["mode"], "test");

    let list = get(
        &format!("/v1/admin/merchants/{}/keys", m.id),
        Some(&admin_key()),
    );
    assert_eq!(list.json()["data"].as_array().unwrap().len(), 2);
    assert!(
        !list.text.contains(&live_key) && !list.text.contains(&m.key),
        "keys must never be listed"
    );

    let key_id = live.json()["id"].as_str().unwrap().to_owned();
    let revoked = request(
        "DELETE",
        &format!("/v1/admin/merchants/{}/keys/{key_id}", m.id),
        &[("Authorization", &format!("Bearer {}", admin_key()))],
        None,
    );
    assert_eq!(revoked.status, 200);
    assert!(revoked.json()["revoked_at"].is_number());
    let res = get("/gateway/me.php", Some(&live_key));
    assert_eq!((res.status, res.code().as_str()), (401, "api_key_revoked"));
    // The other key still works.
    assert_eq!(get("/gateway/me.php", Some(&m.key)).status, 200);
}

#[test]
fn unknown_merchants_and_keys_are_404() {
    let admin = admin_key();
    assert_eq!(
        get("/v1/admin/merchants/mer_aaaaaaaaaaaaaaaa", Some(&admin)).status,
        404
    );
    assert_eq!(
        get("/v1/admin/merchants/not-an-id", Some(&admin)).status,
        404
    );
    let m = merchant("hosted_checkout");
    let res = request(
        "DELETE",
        &format!("/v1/admin/merchants/{}/keys/key_{}", m.id, unique()),
        &[("Authorization", &format!("Bearer {admin}"))],
        None,
    );
    assert_eq!(res.status, 404);
}

#[test]
fn invented_keys_are_refused() {
    for key in [
        "sk_test_invented",
        "sk_live_",
        "pk_test_123",
        &"sk_test_".repeat(40),
    ] {
        let res = get("/gateway/me.php", Some(key));
        assert_eq!(
            (res.status, res.code().as_str()),
            (401, "invalid_api_key"),
            "{key}"
        );
    }
    assert_eq!(get("/gateway/me.php", None).code(), "missing_api_key");
    let res = request(
        "GET",
        "/gateway/me.php",
        &[("Authorization", "Basic abc")],
        None,
    );
    assert_eq!(res.status, 401);
}
