//! The worker's routes, as a client sees them, in workerd with real local KV.

use checkout_e2e::get;

#[test]
fn health_reports_ok_with_a_working_kv_binding() {
    let mut res = get("/health");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let body: serde_json::Value = res.body_mut().read_json().unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["kv"], "ok");
}

#[test]
fn unknown_routes_get_a_json_404() {
    let mut res = get("/no/such/route");
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.body_mut().read_json().unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

#[test]
fn the_widget_is_served_with_the_right_content_types() {
    let res = get("/widget.js");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    let res = get("/widget_bg.wasm");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/wasm");
}
