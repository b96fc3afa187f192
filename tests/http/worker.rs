//! The worker's plumbing, as a client sees it, in workerd with real local KV.

use checkout_e2e::{get, request};

#[test]
fn health_reports_ok_with_a_working_kv_binding() {
    let res = get("/health", None);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), "application/json");
    assert_eq!(res.json()["status"], "ok");
    assert_eq!(res.json()["kv"], "ok");
}

#[test]
fn unknown_routes_get_a_json_404_and_wrong_methods_a_json_405() {
    let res = get("/no/such/route", None);
    assert_eq!((res.status, res.code().as_str()), (404, "not_found"));
    let res = request("DELETE", "/v1/sessions", &[], None);
    assert_eq!(
        (res.status, res.code().as_str()),
        (405, "method_not_allowed")
    );
    assert_eq!(res.header("allow"), "GET, HEAD, POST");
    let res = request("PUT", "/health", &[], None);
    assert_eq!(res.status, 405);
}

#[test]
fn dev_routes_exist_under_wrangler_dev() {
    let res = get("/__dev/rates.json", None);
    assert_eq!(res.status, 200);
    assert!(res.json()["price_eur"].is_string() || res.json()["price_eur"].is_number());
}

#[test]
fn the_widget_and_pages_are_served_with_the_right_content_types() {
    let res = get("/widget.js", None);
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").contains("javascript"));
    let res = get("/widget_bg.wasm", None);
    assert_eq!(
        (res.status, res.header("content-type").as_str()),
        (200, "application/wasm")
    );
    let res = get("/", None);
    assert_eq!(res.status, 200);
    assert!(res.text.contains("Demo Shop"));
}

#[test]
fn the_demo_shop_buy_button_redirects_to_a_hosted_checkout() {
    let res = request("POST", "/__dev/demo-session?amount=19.99", &[], None);
    assert_eq!(res.status, 303, "{}", res.text);
    let location = res.header("location");
    let path = location
        .split_once("/pay/")
        .map(|(_, id)| format!("/pay/{id}"))
        .expect("a /pay/ URL");
    let page = get(&path, None);
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("Demo Shop") && page.text.contains("€19.99"),
        "{}",
        page.text
    );
}
