//! `/openapi.json` documents every route of the route table.

use checkout_e2e::get;

#[test]
fn every_route_is_documented() {
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
        ("get", "/v1/sessions/{id}/public"),
        ("post", "/v1/admin/merchants"),
        ("get", "/v1/admin/merchants/{id}"),
        ("post", "/v1/admin/merchants/{id}/keys"),
        ("get", "/v1/admin/merchants/{id}/keys"),
        ("delete", "/v1/admin/merchants/{id}/keys/{key_id}"),
        ("post", "/gateway/session.php"),
        ("get", "/gateway/me.php"),
        ("get", "/gateway/status.php"),
        ("post", "/api/v1/wallets"),
        ("get", "/api/v1/wallets/{id}"),
        ("post", "/api/v1/orders"),
        ("get", "/api/v1/orders/{public_order_id}"),
        ("get", "/api/v1/orders/{public_order_id}/receipt.pdf"),
        ("post", "/wallet/createPaymentLink"),
        ("get", "/pay/{id}"),
    ];
    for (method, path) in routes {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is not documented"
        );
        assert!(
            doc["paths"][path][method]["summary"].is_string(),
            "{method} {path} has no summary"
        );
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
