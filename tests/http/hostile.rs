//! Hostile input, route by route: every route of `/openapi.json` gets ids and keys
//! of every wrong shape, empty, malformed, oversized and deeply nested bodies, and
//! a wrong type in each field of its request schema. The answer is always a 4xx
//! with a JSON error naming what is wrong; never a 5xx.

use checkout_e2e::{admin_key, get, merchant, request, Reply};
use serde_json::{json, Value};

/// Path parameters of every wrong shape.
const BAD_IDS: &[&str] = &[
    "x",
    "cs_",
    "cs_AAAAAAAAAAAAAAAAAAAAAAAA",
    "cs_aaaaaaaaaaaaaaaaaaaaaaaa",
    "mer_aaaaaaaaaaaaaaaa",
    "EX-OAAAAAAAAAAAAAAAA",
    "wal_aaaaaaaaaaaaaaaa",
    "%00",
    "%C3%A9t%C3%A9",
    "..%2F..%2Fetc%2Fpasswd",
    "'%20OR%201=1",
];

/// Authorization headers of every wrong shape.
fn bad_keys() -> Vec<Vec<(&'static str, String)>> {
    vec![
        vec![],
        vec![("Authorization", "Bearer".to_owned())],
        vec![("Authorization", "Bearer ".to_owned())],
        vec![("Authorization", "Basic c2tfdGVzdF86".to_owned())],
        vec![(
            "Authorization",
            format!("Bearer sk_test_{}", "a".repeat(2000)),
        )],
        vec![("Authorization", "Bearer sk_live_%00".to_owned())],
        vec![("x-api-key", "sk_test_invented000000000000000000".to_owned())],
        vec![("x-api-key", "pk_test_123".to_owned())],
    ]
}

fn assert_clean_4xx(res: &Reply, what: &str) {
    assert!(
        (400..500).contains(&res.status),
        "{what}: {} {}",
        res.status,
        res.text
    );
    if res.header("content-type").starts_with("application/json") {
        assert!(
            !res.code().is_empty(),
            "{what}: no error code in {}",
            res.text
        );
    }
}

/// A value of the wrong type for a property schema.
fn wrong_value(property: &Value, doc: &Value) -> Value {
    let resolved = match property["$ref"].as_str() {
        Some(r) => doc["components"]["schemas"][r.rsplit('/').next().unwrap()].clone(),
        None => property.clone(),
    };
    let text = resolved.to_string();
    if text.contains("oneOf") || text.contains("\"number\"") || text.contains("\"integer\"") {
        if text.contains("\"string\"") {
            json!(true)
        } else {
            json!("not a number")
        }
    } else if text.contains("\"array\"")
        || text.contains("\"object\"")
        || resolved["properties"].is_object()
    {
        json!("not a structure")
    } else if text.contains("\"string\"") {
        json!({"nested": [1, 2, 3]})
    } else {
        json!([true])
    }
}

#[test]
fn no_input_makes_any_route_answer_5xx() {
    let m = merchant("hosted_checkout");
    let doc = get("/openapi.json", None).json();
    let mut routes = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = method.to_ascii_uppercase();
            routes += 1;
            let security = op["security"].to_string();
            let key = if security.contains("adminKey") {
                Some(admin_key())
            } else if security.contains("merchantKey") {
                Some(m.key.clone())
            } else {
                None
            };
            let auth = key.as_ref().map(|k| format!("Bearer {k}"));
            let mut headers: Vec<(&str, &str)> = vec![("Content-Type", "application/json")];
            if let Some(auth) = &auth {
                headers.push(("Authorization", auth));
            }
            let fill = |id: &str| -> String {
                path.split('/')
                    .map(|s| if s.starts_with('{') { id } else { s })
                    .collect::<Vec<_>>()
                    .join("/")
            };
            let has_body = !op["requestBody"].is_null();
            let body: Option<&[u8]> = has_body.then_some(b"{}");
            // Ids of every wrong shape, and hostile query strings.
            let answers_anything = method == "OPTIONS" || !path.contains('{');
            for id in BAD_IDS {
                let p = fill(id);
                let res = request(&method, &p, &headers, body);
                if answers_anything {
                    assert!(
                        res.status < 500,
                        "{method} {p}: {} {}",
                        res.status,
                        res.text
                    );
                } else {
                    assert_clean_4xx(&res, &format!("{method} {p}"));
                }
                let q = format!("{p}?limit=%FF&cursor=%00&session_id=..%2Fx&scenario=%27&redirect");
                let res = request(&method, &q, &headers, body);
                assert!(
                    res.status < 500,
                    "{method} {q}: {} {}",
                    res.status,
                    res.text
                );
            }
            let target = fill(BAD_IDS[3]);
            // Keys of every wrong shape.
            if key.is_some() {
                for bad in bad_keys() {
                    let mut h: Vec<(&str, &str)> = vec![("Content-Type", "application/json")];
                    h.extend(bad.iter().map(|(k, v)| (*k, v.as_str())));
                    let res = request(&method, &target, &h, body);
                    assert_eq!(
                        res.status, 401,
                        "{method} {target} with {bad:?}: {}",
                        res.text
                    );
                    assert!(!res.code().is_empty());
                }
            }
            if !has_body {
                continue;
            }
            // Bodies of every wrong shape.
            let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
            let res = request(&method, &target, &headers, Some(big.as_bytes()));
            assert_eq!(
                (res.status, res.code().as_str()),
                (413, "payload_too_large"),
                "{method} {target} with 2 MB"
            );
            let deep = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
            for bad in [
                b"".as_slice(),
                b"null",
                b"[]",
                b"[1,2]",
                b"{",
                b"{\"amount\":}",
                &[0xff, 0xfe, 0xfd],
                deep.as_bytes(),
            ] {
                let res = request(&method, &target, &headers, Some(bad));
                let what = format!(
                    "{method} {target} with {:?}",
                    String::from_utf8_lossy(&bad[..bad.len().min(20)])
                );
                assert!(res.status < 500, "{what}: {} {}", res.status, res.text);
            }
            // A wrong type in each field of the request schema.
            let schema = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned();
            let properties = doc["components"]["schemas"][&schema]["properties"].clone();
            for (name, property) in properties.as_object().into_iter().flatten() {
                let body = json!({ name.as_str(): wrong_value(property, &doc) }).to_string();
                let res = request(&method, &target, &headers, Some(body.as_bytes()));
                let what = format!("{method} {target} with {body}");
                assert_clean_4xx(&res, &what);
                if matches!(res.status, 400 | 422) {
                    assert!(
                        !res.field().is_empty() || res.code() == "invalid_json",
                        "{what}: no field named in {}",
                        res.text
                    );
                }
                if res.code() == "invalid_type" {
                    assert!(
                        res.field().starts_with(name.as_str()),
                        "{what}: names {} instead",
                        res.field()
                    );
                }
            }
        }
    }
    assert!(routes >= 30, "only {routes} routes documented");
}
