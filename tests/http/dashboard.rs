//! The dashboard's server side, over HTTP against workerd: one-time sign-in
//! links, the cookie and its CSRF token, the pages' security headers, the
//! merchant's own keys, and the reads the app makes (filters, a session's whole
//! story, the overview's figures, wallets), each for its own merchant and mode
//! only. The app itself is tested in Chromium (tests/browser/dashboard.test.mjs).

use checkout_api::endpoint::{
    CREATE_KEY, DASHBOARD_ME, DASHBOARD_OVERVIEW, DASHBOARD_SESSION, DASHBOARD_SESSIONS,
    DASHBOARD_SIGN_OUT, DASHBOARD_WALLET, DASHBOARD_WALLETS, LIST_KEYS, PUT_PAYMENT_POLICY,
    PUT_WEBHOOK_CONFIG, REVOKE_KEY, WEBHOOK_EVENTS,
};
use checkout_e2e::dashboard::{
    cookie_of, form_token, fresh_link, link, open, path_of, post_form, sign_in, spend, token_of,
    Dashboard,
};
use checkout_e2e::receiver::Receiver;
use checkout_e2e::{
    admin_key, call, call_raw, get, issue_key, merchant, post, request, unique, wallet_order,
    Merchant,
};
use serde_json::{json, Value};

fn session(m: &Merchant, body: Value) -> Value {
    let res = post("/v1/sessions", &m.key, &body);
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

/// The sandbox's `scenario` for a test session.
fn sandbox(session: &str, scenario: &str) -> checkout_e2e::Reply {
    request(
        "POST",
        &format!("/v1/sessions/{session}/sandbox?scenario={scenario}"),
        &[],
        None,
    )
}

fn pay(session: &str) {
    let res = sandbox(session, "payment");
    assert_eq!(res.status, 200, "{}", res.text);
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_sign_in_link_works_once_and_sets_a_strict_http_only_cookie() {
    let m = merchant("hosted_checkout");
    let made = link(&m.key, &json!({}));
    assert_eq!(made.status, 201, "{}", made.text);
    let body = made.json();
    let url = body["url"].as_str().unwrap();
    assert!(url.contains("/dashboard/signin?token=dl_"), "{url}");
    let ttl = body["expires_at"].as_i64().unwrap() - checkout_e2e::now();
    assert!((590..=601).contains(&ttl), "valid ten minutes, got {ttl} s");

    // A link preview (HEAD) does not spend it, nor do a chat preview's or a
    // mail scanner's GETs: they get the page that asks to continue.
    let preview = request("HEAD", &path_of(url), &[], None);
    assert_eq!(preview.status, 200);
    assert!(preview.header("set-cookie").is_empty());
    for _ in 0..2 {
        let scanned = request("GET", &path_of(url), &[], None);
        assert_eq!(scanned.status, 200, "{}", scanned.text);
        assert!(scanned.header("set-cookie").is_empty());
        // Whom it signs in as (the test merchant's name is hostile markup).
        assert_eq!(m.created["name"], "Test Shop <b>&</b>");
        assert!(
            scanned
                .text
                .contains("<strong>Test Shop &lt;b&gt;&amp;&lt;/b&gt;</strong>, test data"),
            "{}",
            scanned.text
        );
        assert_eq!(form_token(&scanned.text), token_of(url));
    }
    let first = open(url);
    assert_eq!(first.status, 303, "{}", first.text);
    assert_eq!(first.header("location"), "/dashboard/");
    let cookie = first.header("set-cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(
            cookie.contains(attribute),
            "{attribute} missing from {cookie}"
        );
    }
    // Local dev is plain http: a Secure cookie would never come back.
    assert!(!cookie.contains("Secure"), "{cookie}");

    let second = open(url);
    assert_eq!(second.status, 401, "a link works once: {}", second.text);
    assert!(second.text.contains("role=\"alert\""), "{}", second.text);
    assert!(second.text.contains("expired or was already used"));
    assert!(second.header("set-cookie").is_empty());

    let again = spend(token_of(url), &[]);
    assert_eq!(again.status, 401, "{}", again.text);
    assert!(again.header("set-cookie").is_empty());

    let unknown = request("GET", "/dashboard/signin?token=dl_nope", &[], None);
    assert_eq!(unknown.status, 401);
    assert!(!unknown.text.contains("<form"), "{}", unknown.text);
}

#[test]
fn only_the_sign_in_page_itself_spends_a_link() {
    let m = merchant("hosted_checkout");
    let url = fresh_link(&m.key);
    let token = token_of(&url);
    // Another site posting the form (login CSRF) is refused, and spends nothing.
    for headers in [
        [("Sec-Fetch-Site", "cross-site"), ("Origin", "null")],
        [("Sec-Fetch-Site", "same-site"), ("Origin", "null")],
        [("Origin", "https://shop.example"), ("X-Nothing", "")],
    ] {
        let refused = spend(token, &headers);
        assert_eq!(refused.status, 403, "{headers:?}: {}", refused.text);
        assert!(refused.text.contains("role=\"alert\""), "{}", refused.text);
        assert!(refused.text.contains("another site"), "{}", refused.text);
        assert!(refused.header("set-cookie").is_empty());
    }
    // A form without a token, or with an empty one.
    for body in ["", "token=", "other=1"] {
        let res = post_form(body, &[]);
        assert_eq!(res.status, 400, "{body:?}: {}", res.text);
        assert!(res.text.contains("carries no link"), "{}", res.text);
    }
    // One larger than a token's form is refused unread.
    let res = post_form(&format!("token={}", "x".repeat(2000)), &[]);
    assert_eq!(res.status, 413, "{}", res.text);
    assert!(res.text.contains("too large"), "{}", res.text);
    // What Chromium sends for our own page's button (no-referrer: Origin null).
    let ours = spend(
        token,
        &[("Sec-Fetch-Site", "same-origin"), ("Origin", "null")],
    );
    assert_eq!(ours.status, 303, "{}", ours.text);
    assert!(ours.header("set-cookie").starts_with("ec_dash="));
    // Other methods are refused.
    let put = request("PUT", "/dashboard/signin", &[], None);
    assert_eq!(put.status, 405, "{}", put.text);
}

#[test]
fn two_opens_of_one_link_at_once_sign_in_only_one_browser() {
    let m = merchant("hosted_checkout");
    let url = fresh_link(&m.key);
    let opens: Vec<_> = (0..6)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || open(&url).status)
        })
        .collect();
    let statuses: Vec<u16> = opens.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 401),
        "{statuses:?}"
    );
}

#[test]
fn an_expired_link_signs_nobody_in() {
    let m = merchant("hosted_checkout");
    let made = link(&m.key, &json!({"expires_in": 1}));
    assert_eq!(made.status, 201, "{}", made.text);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let opened = open(made.json()["url"].as_str().unwrap());
    assert_eq!(opened.status, 401, "{}", opened.text);
    assert!(opened.header("set-cookie").is_empty());
}

#[test]
fn every_bad_link_request_is_refused_with_the_field() {
    let m = merchant("hosted_checkout");
    let other = merchant("hosted_checkout");
    for (body, status, code, field) in [
        (
            json!({"expires_in": 0}),
            422,
            "expires_in_invalid",
            "expires_in",
        ),
        (
            json!({"expires_in": 601}),
            422,
            "expires_in_invalid",
            "expires_in",
        ),
        (
            json!({"expires_in": "soon"}),
            400,
            "invalid_type",
            "expires_in",
        ),
        (json!({"mode": "prod"}), 422, "mode_invalid", "mode"),
        (json!({"mode": "live"}), 422, "mode_not_allowed", "mode"),
        (
            json!({"merchant_id": other.id}),
            422,
            "merchant_not_allowed",
            "merchant_id",
        ),
    ] {
        let res = link(&m.key, &body);
        assert_eq!(res.status, status, "{body}: {}", res.text);
        assert_eq!(res.code(), code, "{body}");
        assert_eq!(res.field(), field, "{body}");
    }
    // The admin key must say whose dashboard.
    let res = link(&admin_key(), &json!({}));
    assert_eq!((res.status, res.field().as_str()), (400, "merchant_id"));
    let res = link(&admin_key(), &json!({"merchant_id": "mer_doesnotexist00"}));
    assert_eq!(res.status, 404, "{}", res.text);
    // No key, a wrong key, or a dashboard cookie cannot make links.
    let res = request("POST", "/v1/dashboard/links", &[], None);
    assert_eq!(res.status, 401);
    let res = link("sk_test_wrong", &json!({}));
    assert_eq!(res.status, 401);
    let d = sign_in(&m.key);
    let res = d.send("POST", "/v1/dashboard/links", Some(&json!({})));
    assert_eq!(res.status, 401, "{}", res.text);
}

#[test]
fn the_admin_key_signs_into_any_merchant_in_the_mode_it_names() {
    let m = merchant("hosted_checkout");
    let made = link(&admin_key(), &json!({"merchant_id": m.id, "mode": "live"}));
    assert_eq!(made.status, 201, "{}", made.text);
    let opened = open(made.json()["url"].as_str().unwrap());
    let cookie = format!("ec_dash={}", cookie_of(&opened));
    let me = call_raw(DASHBOARD_ME, &[], &[("Cookie", &cookie)], None).json();
    assert_eq!(me["merchant_id"], m.id.as_str());
    assert_eq!(me["mode"], "live");
    assert_eq!(me["merchant_name"], "Test Shop <b>&</b>");
}

#[test]
fn pages_need_a_sign_in_and_carry_strict_security_headers() {
    let anonymous = request("GET", "/dashboard/sessions", &[], None);
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.header("location"), "/dashboard/signin");
    let signin = request("GET", "/dashboard/signin", &[], None);
    assert_eq!(signin.status, 200);
    assert!(signin.text.contains("checkout dashboard-link"));
    let m = merchant("hosted_checkout");
    let d = sign_in(&m.key);
    let pay_page = {
        let s = session(&m, json!({"amount": "1.00", "currency": "EUR"}));
        request(
            "GET",
            &format!("/pay/{}", s["id"].as_str().unwrap()),
            &[],
            None,
        )
    };
    for page in [anonymous, signin, d.get("/dashboard/"), pay_page] {
        let csp = page.header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let scripts = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_else(|| panic!("no script-src in {csp}"));
        assert!(!scripts.contains("unsafe-inline"), "{csp}");
        assert_eq!(page.header("x-content-type-options"), "nosniff");
        assert_eq!(page.header("referrer-policy"), "no-referrer");
        assert_eq!(page.header("x-frame-options"), "DENY");
    }
}

#[test]
fn the_cookie_acts_for_its_merchant_and_changes_nothing_without_the_csrf_token() {
    let m = merchant("hosted_checkout");
    let d = sign_in(&m.key);
    let me = d.call(DASHBOARD_ME, &[], None).json();
    assert_eq!(me["merchant_id"], m.id.as_str());
    assert_eq!(me["mode"], "test");
    // Reads need only the cookie; the merchant API accepts it as it does a key.
    assert_eq!(d.call(WEBHOOK_EVENTS, &[], None).status, 200);
    assert_eq!(d.get("/v1/sessions").status, 200);
    // Writes need the token too.
    let cookie = d.cookie_header();
    let bare = call_raw(CREATE_KEY, &[], &[("Cookie", &cookie)], None);
    assert_eq!(
        (bare.status, bare.code().as_str()),
        (403, "csrf_token_invalid")
    );
    let forged = call_raw(
        CREATE_KEY,
        &[],
        &[("Cookie", &cookie), ("X-CSRF-Token", "guess")],
        None,
    );
    assert_eq!(forged.status, 403);
    assert_eq!(d.call(CREATE_KEY, &[], None).status, 201);
    // A payment link is signed with the API key itself: the dashboard has none.
    let res = d.send(
        "POST",
        "/wallet/createPaymentLink",
        Some(&json!({"amount": "5.00", "currency": "EUR", "email": "payer@example.com"})),
    );
    assert_eq!((res.status, res.code().as_str()), (403, "api_key_required"));
    // Without a cookie the dashboard's own routes say so.
    let res = call(DASHBOARD_ME, &[], None, None);
    assert_eq!((res.status, res.code().as_str()), (401, "not_signed_in"));
    let res = call_raw(DASHBOARD_ME, &[], &[("Cookie", "ec_dash=ds_forged")], None);
    assert_eq!(res.status, 401);
}

#[test]
fn signing_out_revokes_the_cookie() {
    let m = merchant("hosted_checkout");
    let d = sign_in(&m.key);
    let cookie = d.cookie_header();
    let without_token = call_raw(DASHBOARD_SIGN_OUT, &[], &[("Cookie", &cookie)], None);
    assert_eq!(without_token.status, 403);
    let out = d.call(DASHBOARD_SIGN_OUT, &[], None);
    assert_eq!(out.status, 200, "{}", out.text);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(d.call(DASHBOARD_ME, &[], None).status, 401);
    assert_eq!(d.get("/dashboard/").status, 303);
    // Signing out again finds nothing to end.
    assert_eq!(d.call(DASHBOARD_SIGN_OUT, &[], None).status, 401);
}

#[test]
fn a_cookie_signs_in_only_where_it_was_made() {
    let a = merchant("hosted_checkout");
    let b = merchant("hosted_checkout");
    let d = sign_in(&a.key);
    let me = |cookie: &str| {
        call_raw(
            DASHBOARD_ME,
            &[],
            &[("Cookie", &format!("ec_dash={cookie}"))],
            None,
        )
    };
    assert_eq!(me(&d.cookie).status, 200);
    // The cookie names the account object that keeps the session:
    // `ds_{merchant}:{mode}:{random}`. Pointing it at another merchant's, or at
    // the other mode's, finds nothing there.
    let (owner, random) = d.cookie.rsplit_once(':').unwrap();
    assert_eq!(owner, format!("ds_{}:test", a.id));
    for forged in [
        format!("ds_{}:test:{random}", b.id),
        format!("ds_{}:live:{random}", a.id),
        format!("ds_{}:test:{random}x", a.id),
    ] {
        let res = me(&forged);
        assert_eq!(res.status, 401, "{forged}: {}", res.text);
        assert_eq!(res.json()["error"]["code"], "not_signed_in", "{}", res.text);
    }
    // Cookies we never made: refused the same way, never a 500.
    let long = "x".repeat(5000);
    for junk in [
        "ds_",
        "ds_::",
        "ds_mer_nope:test:abc",
        "ds_not a merchant:test:abc",
        &format!("ds_{}:dev:{random}", a.id),
        &format!("ds_{}:test:{long}", a.id),
        "%00%ff",
    ] {
        let res = me(junk);
        assert_eq!(res.status, 401, "{junk}: {}", res.text);
    }
}

#[test]
fn keys_are_issued_once_listed_masked_and_a_revoked_key_is_refused() {
    let m = merchant("hosted_checkout");
    let d = sign_in(&m.key);
    let issued = d.call(CREATE_KEY, &[], None);
    assert_eq!(issued.status, 201, "{}", issued.text);
    let issued = issued.json();
    let key = issued["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("sk_test_"), "{key}");
    assert_eq!(get("/v1/sessions", Some(&key)).status, 200);

    let listed = d.call(LIST_KEYS, &[], None);
    assert_eq!(listed.status, 200);
    assert!(!listed.text.contains(&key), "a listing never shows a key");
    let mine = listed.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == issued["id"])
        .cloned()
        .expect("the new key is listed");
    assert!(key.starts_with(mine["preview"].as_str().unwrap().trim_end_matches('…')));
    assert!(mine["last_used_at"].as_i64().is_some(), "{mine}");

    let revoked = d.call(REVOKE_KEY, &[issued["id"].as_str().unwrap()], None);
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert!(revoked.json()["revoked_at"].as_i64().is_some());
    let refused = get("/v1/sessions", Some(&key));
    assert_eq!(
        (refused.status, refused.code().as_str()),
        (401, "api_key_revoked")
    );
    assert_eq!(d.call(REVOKE_KEY, &["key_doesnotexist0"], None).status, 404);
    // A test sign-in issues test keys only.
    let live = d.call(CREATE_KEY, &[], Some(&json!({"mode": "live"})));
    assert_eq!((live.status, live.field().as_str()), (422, "mode"));
}

#[test]
fn keys_issued_at_the_same_instant_are_all_listed_and_each_can_be_revoked() {
    let m = merchant("hosted_checkout");
    let d = std::sync::Arc::new(sign_in(&m.key));
    let issued: Vec<Value> = (0..8)
        .map(|_| {
            let d = d.clone();
            std::thread::spawn(move || d.call(CREATE_KEY, &[], None))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| {
            let reply = t.join().unwrap();
            assert_eq!(reply.status, 201, "{}", reply.text);
            reply.json()
        })
        .collect();
    let listed = ids(&d.call(LIST_KEYS, &[], None).json());
    for key in &issued {
        let id = key["id"].as_str().unwrap();
        assert!(listed.iter().any(|l| l == id), "{id} is listed: {listed:?}");
        let revoked = d.call(REVOKE_KEY, &[id], None);
        assert_eq!(revoked.status, 200, "{}", revoked.text);
        let refused = get("/v1/sessions", Some(key["key"].as_str().unwrap()));
        assert_eq!(refused.status, 401);
    }
    // A second revocation keeps the first one's time.
    let id = issued[0]["id"].as_str().unwrap();
    let first = d.call(LIST_KEYS, &[], None).json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id)
        .map(|k| k["revoked_at"].clone())
        .unwrap();
    let again = d.call(REVOKE_KEY, &[id], None);
    assert_eq!(again.json()["revoked_at"], first);
}

#[test]
fn sessions_of_every_dialect_are_listed_filtered_searched_and_paged() {
    let m = merchant("hosted_checkout");
    let d = sign_in(&m.key);
    let order_id = format!("ORD-{}", unique());
    let native = session(
        &m,
        json!({"amount": "12.50", "currency": "EUR", "order_id": order_id}),
    );
    let paid = session(&m, json!({"amount": "7.25", "currency": "EUR"}));
    pay(paid["id"].as_str().unwrap());
    let link = request(
        "POST",
        "/wallet/createPaymentLink",
        &[("x-api-key", &m.key), ("Content-Type", "application/json")],
        Some(
            json!({"amount": "5.00", "currency": "EUR", "email": "payer@example.com"})
                .to_string()
                .as_bytes(),
        ),
    );
    assert_eq!(link.status, 200, "{}", link.text);

    let all = d.call(DASHBOARD_SESSIONS, &[], None);
    assert_eq!(all.status, 200, "{}", all.text);
    let all = all.json();
    assert_eq!(all["data"].as_array().unwrap().len(), 3, "{all}");
    assert_eq!(all["data"][2]["id"], native["id"], "newest first");
    assert_eq!(all["data"][0]["dialect"], "link");
    assert_eq!(all["data"][0]["status"], "pending");
    assert_eq!(all["data"][1]["state"], "paid");
    assert!(all["data"][1]["paid_at"].as_i64().is_some());
    assert_eq!(all["data"][2]["amount"], "12.50");

    let by_order = d
        .get(&format!("{}?q={order_id}", DASHBOARD_SESSIONS.path))
        .json();
    assert_eq!(ids(&by_order), vec![native["id"].as_str().unwrap()]);
    let by_payment = d
        .get(&format!(
            "{}?q={}",
            DASHBOARD_SESSIONS.path,
            native["payment_id"].as_str().unwrap()
        ))
        .json();
    assert_eq!(ids(&by_payment), ids(&by_order));
    let paid_only = d
        .get(&format!("{}?status=paid", DASHBOARD_SESSIONS.path))
        .json();
    assert_eq!(ids(&paid_only), vec![paid["id"].as_str().unwrap()]);
    let links = d
        .get(&format!("{}?dialect=link", DASHBOARD_SESSIONS.path))
        .json();
    assert_eq!(links["data"].as_array().unwrap().len(), 1);
    let today = checkout_e2e::iso8601(checkout_e2e::now(), 0)[..10].to_owned();
    let dated = d
        .get(&format!(
            "{}?from={today}&to={today}",
            DASHBOARD_SESSIONS.path
        ))
        .json();
    assert_eq!(dated["data"].as_array().unwrap().len(), 3);
    let before = d
        .get(&format!("{}?to=2020-01-01", DASHBOARD_SESSIONS.path))
        .json();
    assert!(before["data"].as_array().unwrap().is_empty());

    let first = d
        .get(&format!("{}?limit=2", DASHBOARD_SESSIONS.path))
        .json();
    assert_eq!(first["data"].as_array().unwrap().len(), 2);
    assert_eq!(first["has_more"], true);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = d
        .get(&format!(
            "{}?limit=2&cursor={cursor}",
            DASHBOARD_SESSIONS.path
        ))
        .json();
    assert_eq!(ids(&second), vec![native["id"].as_str().unwrap()]);
    assert_eq!(second["has_more"], false);

    for (query, field) in [
        ("status=fulfilled", "status"),
        ("dialect=links", "dialect"),
        ("from=2026-02-30", "from"),
        ("to=yesterday", "to"),
        ("from=2026-11-02&to=2026-11-01", "to"),
        ("limit=500", "limit"),
        ("cursor=abc", "cursor"),
    ] {
        let res = d.get(&format!("{}?{query}", DASHBOARD_SESSIONS.path));
        assert_eq!(res.status, 400, "{query}: {}", res.text);
        assert_eq!(res.field(), field, "{query}");
    }
}

#[test]
fn a_session_page_tells_its_whole_story_with_every_delivery_attempt() {
    let m = merchant("hosted_checkout");
    let d = sign_in(&m.key);
    let receiver = Receiver::start();
    // Fails twice, then takes it: three attempts.
    receiver.answer(|n| checkout_e2e::receiver::Answer::Status(if n < 2 { 500 } else { 200 }));
    let config = d.call(
        PUT_WEBHOOK_CONFIG,
        &[],
        Some(&json!({"url": receiver.url, "event_types": ["session.paid"]})),
    );
    assert_eq!(config.status, 200, "{}", config.text);
    let s = session(&m, json!({"amount": "9.99", "currency": "EUR"}));
    let id = s["id"].as_str().unwrap();
    pay(id);
    receiver.wait_for(3, std::time::Duration::from_secs(30));
    // The third answer is recorded a moment after the receiver sent it.
    let started = std::time::Instant::now();
    let detail = loop {
        let detail = d.call(DASHBOARD_SESSION, &[id], None);
        assert_eq!(detail.status, 200, "{}", detail.text);
        let detail = detail.json();
        if detail["deliveries"][0]["status"] == "delivered" || started.elapsed().as_secs() > 10 {
            break detail;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(detail["session"]["state"], "paid");
    assert_eq!(detail["payment_string"], s["payment_string"]);
    assert!(detail["checkout_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/pay/{id}")));
    let kinds: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["session.created", "session.paid"]);
    let deliveries = detail["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 1, "{detail}");
    assert_eq!(deliveries[0]["status"], "delivered");
    let statuses: Vec<i64> = deliveries[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [500, 500, 200]);
    // The history filters by session too.
    let history = d
        .get(&format!("{}?session={id}", WEBHOOK_EVENTS.path))
        .json();
    assert_eq!(history["data"].as_array().unwrap().len(), 1);
    let bad = d.get(&format!("{}?session=nope", WEBHOOK_EVENTS.path));
    assert_eq!((bad.status, bad.field().as_str()), (400, "session"));
}

#[test]
fn the_overview_counts_paid_totals_per_currency_and_sessions_awaiting() {
    let m = merchant("hosted_checkout");
    let d = sign_in(&m.key);
    for amount in ["10.10", "0.20"] {
        let s = session(&m, json!({"amount": amount, "currency": "EUR"}));
        pay(s["id"].as_str().unwrap());
    }
    let usd = session(&m, json!({"amount": "3.00", "currency": "USD"}));
    pay(usd["id"].as_str().unwrap());
    session(&m, json!({"amount": "1.00", "currency": "EUR"}));
    // Paying again changes nothing: a session is counted once.
    let again = sandbox(usd["id"].as_str().unwrap(), "payment");
    assert!(again.status < 500, "{}", again.text);

    let o = d.call(DASHBOARD_OVERVIEW, &[], None);
    assert_eq!(o.status, 200, "{}", o.text);
    let o = o.json();
    let total = |period: &str, currency: &str| {
        o[period]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["currency"] == currency)
            .map(|t| {
                (
                    t["amount"].as_str().unwrap().to_owned(),
                    t["count"].as_u64().unwrap(),
                )
            })
    };
    assert_eq!(total("today", "EUR"), Some(("10.30".to_owned(), 2)), "{o}");
    assert_eq!(total("today", "USD"), Some(("3.00".to_owned(), 1)));
    assert_eq!(total("month", "EUR"), total("today", "EUR"));
    assert_eq!(o["awaiting"], 1);
    assert_eq!(o["failing"], 0);
    let daily = o["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 30);
    assert_eq!(daily[29]["paid"], 3, "today is last");
    assert_eq!(
        daily[28]["day"].as_i64().unwrap() + 86_400,
        daily[29]["day"].as_i64().unwrap()
    );
}

#[test]
fn the_overview_rolls_paid_totals_up_and_counts_each_session_once() {
    let m = merchant("hosted_checkout");
    let d = sign_in(&m.key);
    let policy = call(
        PUT_PAYMENT_POLICY,
        &[],
        Some(&m.key),
        Some(&json!({"late_window_minutes": 30})),
    );
    assert_eq!(policy.status, 200, "{}", policy.text);
    let run = |s: &Value, scenario: &str| {
        let res = sandbox(s["id"].as_str().unwrap(), scenario);
        assert_eq!(res.status, 200, "{}", res.text);
    };
    let today = || {
        let o = d.call(DASHBOARD_OVERVIEW, &[], None).json();
        let eur = o["today"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["currency"] == "EUR")
            .map(|t| {
                (
                    t["amount"].as_str().unwrap().to_owned(),
                    t["count"].as_u64().unwrap(),
                )
            });
        (eur, o["daily"][29]["paid"].as_u64().unwrap())
    };
    let eur = |amount: &str, n: u64| (Some((amount.to_owned(), n)), n);

    let a = session(&m, json!({"amount": "5.00", "currency": "EUR"}));
    pay(a["id"].as_str().unwrap());
    let b = session(&m, json!({"amount": "2.50", "currency": "EUR"}));
    run(&b, "expire");
    // Still pending: the floor below which sessions have ended stops here.
    let c = session(&m, json!({"amount": "1.25", "currency": "EUR"}));
    // Not rolled up yet: added up as the overview reads.
    assert_eq!(today(), eur("5.00", 1));
    // The sweep moves the floor past the first two and rolls them up.
    checkout_e2e::sweep(&m.key);
    assert_eq!(today(), eur("5.00", 1), "counted once, rolled up");
    // Paid late, below the rolled floor: added to its day at once.
    run(&b, "late");
    assert_eq!(today(), eur("7.50", 2));
    // Above it: added up as read, then by a later roll-up, once.
    pay(c["id"].as_str().unwrap());
    assert_eq!(today(), eur("8.75", 3));
    checkout_e2e::sweep(&m.key);
    assert_eq!(today(), eur("8.75", 3));
    // What was rolled up (and the late payment) is in the daily totals, the
    // rest is read from the sessions: with the totals forgotten (a dev
    // route), only the session paid since the roll-up remains.
    let forgot = post("/__dev/forget-dashboard-sessions", &m.key, &json!({}));
    assert_eq!(forgot.status, 200, "{}", forgot.text);
    assert_eq!(today(), eur("1.25", 1));
}

#[test]
fn wallets_are_listed_with_their_balances_and_entries() {
    let m = merchant("hosted_checkout");
    let d = sign_in(&m.key);
    let (wallet_id, session) = wallet_order(&m.key, 4242, "25.00");
    pay(&session);

    let list = d.call(DASHBOARD_WALLETS, &[], None).json();
    let listed = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == wallet_id.as_str())
        .cloned()
        .expect("the wallet is listed");
    assert_eq!(listed["balance"], "25.00");
    assert_eq!(listed["entries"], 1);
    let one = d.call(DASHBOARD_WALLET, &[&wallet_id], None);
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.json()["entries"][0]["amount"], "25.00");
    assert_eq!(
        d.call(DASHBOARD_WALLET, &["wal_doesnotexist00"], None)
            .status,
        404
    );
}

#[test]
fn a_dashboard_never_sees_another_merchants_or_the_other_modes_data() {
    let a = merchant("hosted_checkout");
    let b = merchant("hosted_checkout");
    let a_session = session(
        &a,
        json!({"amount": "4.00", "currency": "EUR", "order_id": "shared-order"}),
    );
    let a_id = a_session["id"].as_str().unwrap();
    let a_wallet = post(
        "/api/v1/wallets",
        &a.key,
        &json!({"user_id": 1, "currency": "EUR"}),
    )
    .json()["wallet_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let a_keys = sign_in(&a.key).call(LIST_KEYS, &[], None).json();
    let a_key_id = a_keys["data"][0]["id"].as_str().unwrap().to_owned();

    let d = sign_in(&b.key);
    assert_eq!(d.call(DASHBOARD_SESSION, &[a_id], None).status, 404);
    assert_eq!(d.get(&format!("/v1/sessions/{a_id}")).status, 404);
    assert!(ids(&d.call(DASHBOARD_SESSIONS, &[], None).json()).is_empty());
    assert!(ids(&d
        .get(&format!("{}?q=shared-order", DASHBOARD_SESSIONS.path))
        .json())
    .is_empty());
    assert!(ids(&d
        .get(&format!("{}?q={a_id}", DASHBOARD_SESSIONS.path))
        .json())
    .is_empty());
    assert_eq!(d.call(DASHBOARD_WALLET, &[&a_wallet], None).status, 404);
    assert!(!d
        .call(DASHBOARD_WALLETS, &[], None)
        .text
        .contains(&a_wallet));
    assert_eq!(d.call(REVOKE_KEY, &[&a_key_id], None).status, 404);
    assert!(!d.call(LIST_KEYS, &[], None).text.contains(&a_key_id));
    assert_eq!(
        get("/v1/sessions", Some(&a.key)).status,
        200,
        "A's key still works"
    );

    // A live sign-in of A does not see A's test data, nor the reverse.
    let live_key = issue_key(&a.id, "live");
    let live = sign_in(&live_key);
    assert_eq!(live.call(DASHBOARD_ME, &[], None).json()["mode"], "live");
    assert_eq!(live.call(DASHBOARD_SESSION, &[a_id], None).status, 404);
    assert!(ids(&live.call(DASHBOARD_SESSIONS, &[], None).json()).is_empty());
    assert!(!live.call(LIST_KEYS, &[], None).text.contains(&a_key_id));
    let test = sign_in(&a.key);
    let live_key_id = live.call(LIST_KEYS, &[], None).json()["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(test.call(REVOKE_KEY, &[&live_key_id], None).status, 404);
}

#[test]
fn checkout_dashboard_link_prints_a_link_that_signs_in() {
    let m = merchant("hosted_checkout");
    let cli = std::env::var("CHECKOUT_CLI").expect("CHECKOUT_CLI is set by cargo xtask test");
    let out = std::process::Command::new(&cli)
        .args(["dashboard-link", "--url", &checkout_e2e::base_url()])
        .env("CHECKOUT_API_KEY", &m.key)
        .output()
        .expect("the CLI runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let opened = open(&url);
    assert_eq!(opened.status, 303, "{url}: {}", opened.text);

    let refused = std::process::Command::new(&cli)
        .args([
            "dashboard-link",
            "--url",
            &checkout_e2e::base_url(),
            "--key",
            "sk_test_wrong",
        ])
        .output()
        .expect("the CLI runs");
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("401") && stderr.contains("not valid"),
        "{stderr}"
    );
}

#[test]
fn sessions_an_older_version_kept_in_kv_are_imported_listed_and_counted_once() {
    let m = merchant("hosted_checkout");
    let d = sign_in(&m.key);
    // Sessions opened as versions before the account objects did: in KV only.
    let legacy = |query: &str, body: Value| {
        let res = post(&format!("/__dev/legacy-session{query}"), &m.key, &body);
        assert_eq!(res.status, 201, "{}", res.text);
        res.json()
    };
    for amount in ["4.00", "0.50"] {
        legacy("?paid=1", json!({"amount": amount, "currency": "EUR"}));
    }
    // More than one page of the KV index (100 a page).
    for _ in 0..101 {
        legacy("", json!({"amount": "1.00", "currency": "EUR"}));
    }
    let all = |d: &Dashboard| {
        let mut listed = Vec::new();
        let mut path = format!("{}?limit=100", DASHBOARD_SESSIONS.path);
        loop {
            let page = d.get(&path);
            assert_eq!(page.status, 200, "{}", page.text);
            let page = page.json();
            for s in page["data"].as_array().unwrap() {
                listed.push((
                    s["created_at"].as_i64().unwrap(),
                    s["id"].as_str().unwrap().to_owned(),
                ));
            }
            match page["next_cursor"].as_str() {
                Some(c) => path = format!("{}?limit=100&cursor={c}", DASHBOARD_SESSIONS.path),
                None => return listed,
            }
        }
    };
    let figures = |d: &Dashboard| {
        let o = d.call(DASHBOARD_OVERVIEW, &[], None).json();
        (
            o["today"].clone(),
            o["month"].clone(),
            o["awaiting"].clone(),
        )
    };
    let sorted = |mut l: Vec<(i64, String)>| {
        l.sort();
        l
    };
    let newest_first = |l: &[(i64, String)]| l.windows(2).all(|w| w[0].0 >= w[1].0);
    let listed = all(&d);
    assert_eq!(listed.len(), 103);
    assert!(newest_first(&listed));
    let counted = figures(&d);
    assert_eq!(counted.2, 101, "{counted:?}");

    // The account object forgets them all, as one before the import.
    let forgot = post("/__dev/forget-dashboard-sessions", &m.key, &json!({}));
    assert_eq!(forgot.status, 200, "{}", forgot.text);
    assert_eq!(forgot.json()["forgotten"], 103);

    // The next read imports them again from KV: the same sessions, the same
    // totals, the paid ones counted once however often the dashboard is read.
    for _ in 0..2 {
        assert_eq!(figures(&d), counted);
        let again = all(&d);
        assert!(newest_first(&again), "{again:?}");
        assert_eq!(sorted(again), sorted(listed.clone()));
    }
    // A session paid after the import is counted on top of them.
    let late = session(&m, json!({"amount": "2.25", "currency": "EUR"}));
    pay(late["id"].as_str().unwrap());
    let (today, _, _) = figures(&d);
    let eur = today
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["currency"] == "EUR")
        .cloned()
        .unwrap();
    assert_eq!(
        (eur["amount"].as_str(), eur["count"].as_u64()),
        (Some("6.75"), Some(3))
    );
    // and listed first, before the imported ones.
    let first = d
        .get(&format!("{}?limit=1", DASHBOARD_SESSIONS.path))
        .json();
    assert_eq!(ids(&first), [late["id"].as_str().unwrap()]);
}

#[test]
fn keys_an_older_version_listed_in_kv_move_to_the_account_objects_and_stay_revocable() {
    let m = merchant("hosted_checkout");
    // Two keys issued as an older version did: listed in one KV value.
    let legacy: Vec<Value> = (0..2)
        .map(|_| {
            let issued = post("/__dev/legacy-key", &m.key, &json!({}));
            assert_eq!(issued.status, 201, "{}", issued.text);
            issued.json()
        })
        .collect();
    let secret = |k: &Value| k["key"].as_str().unwrap().to_owned();
    let id = |k: &Value| k["id"].as_str().unwrap().to_owned();
    assert_eq!(get("/v1/sessions", Some(&secret(&legacy[0]))).status, 200);

    // Listed with the merchant's own key, once each, however often it is read.
    for _ in 0..2 {
        let list = call(LIST_KEYS, &[], Some(&m.key), None);
        assert_eq!(list.status, 200, "{}", list.text);
        let listed = ids(&list.json());
        assert_eq!(listed.len(), 3, "{listed:?}");
        for k in &legacy {
            assert_eq!(listed.iter().filter(|l| **l == id(k)).count(), 1);
        }
    }
    // Revocable by id, like any key: refused at once, the other still works.
    let revoked = call(REVOKE_KEY, &[&id(&legacy[0])], Some(&m.key), None);
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert_eq!(get("/v1/sessions", Some(&secret(&legacy[0]))).status, 401);
    assert_eq!(get("/v1/sessions", Some(&secret(&legacy[1]))).status, 200);
    // A key issued now is listed next to them.
    let fresh = call(CREATE_KEY, &[], Some(&m.key), Some(&json!({})));
    assert_eq!(fresh.status, 201, "{}", fresh.text);
    let list = call(LIST_KEYS, &[], Some(&m.key), None).json();
    assert_eq!(list["data"].as_array().unwrap().len(), 4, "{list}");
}
