//! `/openapi.json` documents every route the worker answers, and every route it
//! documents is answered.

use checkout_e2e::{get, request};

#[test]
fn every_route_is_documented_and_every_documented_route_answers() {
    let res = get("/openapi.json", None);
    assert_eq!(res.status, 200);
    let doc = res.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let routes = [
        ("get", "/health"),
        ("get", "/health/live"),
        ("get", "/openapi.json"),
        ("post", "/v1/sessions"),
        ("get", "/v1/sessions"),
        ("get", "/v1/sessions/{id}"),
        ("post", "/v1/sessions/{id}/cancel"),
        ("get", "/v1/sessions/{id}/events"),
        ("get", "/v1/sessions/{id}/public"),
        ("options", "/v1/sessions/{id}/public"),
        ("post", "/v1/sessions/{id}/sandbox"),
        ("get", "/v1/payments/unmatched"),
        ("post", "/v1/admin/merchants"),
        ("get", "/v1/admin/merchants/{id}"),
        ("post", "/v1/admin/merchants/{id}/keys"),
        ("get", "/v1/admin/merchants/{id}/keys"),
        ("delete", "/v1/admin/merchants/{id}/keys/{key_id}"),
        ("post", "/gateway/session.php"),
        ("get", "/gateway/me.php"),
        ("get", "/gateway/status.php"),
        ("post", "/api/webhook.php"),
        ("post", "/api/v1/wallets"),
        ("get", "/api/v1/wallets/{id}"),
        ("post", "/api/v1/orders"),
        ("get", "/api/v1/orders/{public_order_id}"),
        ("get", "/api/v1/orders/{public_order_id}/receipt.pdf"),
        ("post", "/wallet/createPaymentLink"),
        ("post", "/webhooks/etn/{merchant_id}"),
        ("post", "/vendor/check-payment"),
        ("get", "/pay/{id}"),
        ("put", "/api/v2/webhooks/config"),
        ("get", "/api/v2/webhooks/config"),
        ("delete", "/api/v2/webhooks/config"),
        ("post", "/api/v2/webhooks/config/rotate"),
        ("get", "/api/v2/webhooks/events"),
        ("get", "/api/v2/webhooks/events/{id}"),
        ("post", "/api/v2/webhooks/events/{id}/redeliver"),
        ("post", "/api/v2/webhooks/recover"),
        ("post", "/api/v2/webhooks/test"),
    ];
    for (method, path) in routes {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not documented");
        assert!(op["summary"].is_string(), "{method} {path} has no summary");
    }
    // Every documented route is one the worker answers (never "no route").
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let concrete = path.replace('{', "x").replace('}', "");
            let res = request(&method.to_ascii_uppercase(), &concrete, &[], None);
            assert!(
                !(res.status == 404 && res.text.contains("no route for")),
                "{method} {path} is documented but not answered"
            );
            assert!(res.status != 405, "{method} {path}: 405");
        }
    }
    // Request bodies are the wire types, with their exact field names.
    let order = &doc["components"]["schemas"]["CreateOrder"]["properties"];
    for field in [
        "customer_details",
        "redirect_url",
        "webhook_url",
        "wallet_id",
    ] {
        assert!(order[field].is_object(), "CreateOrder.{field}");
    }
    let link = &doc["components"]["schemas"]["CreateLink"]["properties"];
    for field in ["ref", "redirectUrl", "email"] {
        assert!(link[field].is_object(), "CreateLink.{field}");
    }
    // Every $ref points at something that exists.
    let text = res.text;
    for reference in text.split("\"$ref\":\"#/components/").skip(1) {
        let path: Vec<&str> = reference.split('"').next().unwrap().split('/').collect();
        assert!(
            doc["components"][path[0]][path[1]].is_object(),
            "dangling $ref {path:?}"
        );
    }
}
