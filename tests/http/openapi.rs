//! `/openapi.json` documents every route the worker answers, and every route it
//! documents is answered.

use checkout_e2e::{get, request};

#[test]
fn every_route_is_documented_and_every_documented_route_answers() {
    let res = get("/openapi.json", None);
    assert_eq!(res.status, 200);
    let doc = res.json();
    assert_eq!(doc["openapi"], "3.1.0");
    // The route table itself (a dev-only route lists it): every route but
    // the dev-only ones is documented.
    let table = get("/__dev/routes", None);
    assert_eq!(table.status, 200, "{}", table.text);
    let table = table.json();
    let routes: Vec<(String, String)> = table
        .as_array()
        .expect("a list of routes")
        .iter()
        .filter(|r| r["dev_only"] == false)
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_owned(),
                r["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(routes.len() > 60, "{} routes", routes.len());
    assert!(routes.contains(&("post".into(), "/v1/sessions".into())));
    for (method, path) in &routes {
        let op = &doc["paths"][path.as_str()][method.as_str()];
        assert!(op.is_object(), "{method} {path} is not documented");
        assert!(op["summary"].is_string(), "{method} {path} has no summary");
    }
    // Every documented route is one the worker answers (never "no route"),
    // and one of the table.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            assert!(
                routes.contains(&(method.clone(), path.clone())),
                "{method} {path} is documented but not in the table"
            );
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
