//! A session's home is its merchant's account object: ids that name it,
//! creation and confirmations decided there atomically (however many copies
//! arrive at once), sessions an older version kept in KV that keep working and
//! move in, and integers no JavaScript number would keep refused at the wire.

use std::thread;

use std::time::Duration;

use checkout_api::endpoint::{PUT_WEBHOOK_CONFIG, RECOVER_WEBHOOKS, WEBHOOK_EVENTS};
use checkout_e2e::receiver::Receiver;
use checkout_e2e::{
    call, call_raw, get, merchant, now, post, post_with, python_hmac_sha256, request,
    signed_gateway, unique, ETN_API_KEY, ETN_API_SECRET,
};
use serde_json::{json, Value};

fn native(order_id: &str) -> Value {
    json!({"amount": "10.00", "currency": "EUR", "order_id": order_id})
}

/// A signed gateway webhook paying `id` with `amount` EUR.
fn gateway_payment(id: &str, amount: &str, reference: &str) -> checkout_e2e::Reply {
    let body = json!({
        "event": "payment.succeeded", "session_id": id, "amount": amount,
        "currency": "EUR", "reference": reference, "timestamp": now(),
    })
    .to_string();
    signed_gateway(&body)
}

/// The ids in a listing's `data`, in its order.
fn ids(listing: &Value) -> Vec<String> {
    listing["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The ids of the account's sessions, newest first.
fn listed_ids(key: &str) -> Vec<String> {
    ids(&get("/v1/sessions?limit=100", Some(key)).json())
}

fn event_types(key: &str, id: &str) -> Vec<String> {
    let events = get(&format!("/v1/sessions/{id}/events"), Some(key));
    assert_eq!(events.status, 200, "{}", events.text);
    events.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn fifty_creations_at_once_with_one_idempotency_key_make_one_session() {
    let m = merchant("hosted_checkout");
    let key = format!("idem-{}", unique());
    let body = native(&format!("A-{}", unique()));
    let answers: Vec<(u16, String)> = thread::scope(|s| {
        let runs: Vec<_> = (0..50)
            .map(|_| {
                s.spawn(|| {
                    let res =
                        post_with("/v1/sessions", &m.key, &body, &[("Idempotency-Key", &key)]);
                    (
                        res.status,
                        res.json()["id"].as_str().unwrap_or("").to_owned(),
                    )
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let created = answers.iter().filter(|(status, _)| *status == 201).count();
    assert_eq!(created, 1, "{answers:?}");
    assert!(answers
        .iter()
        .all(|(status, _)| *status == 200 || *status == 201));
    let first = &answers[0].1;
    assert!(answers.iter().all(|(_, id)| id == first), "{answers:?}");
    // One session in the listing, not fifty.
    let list = get("/v1/sessions?limit=100", Some(&m.key)).json();
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
}

#[test]
fn fifty_creations_at_once_with_one_order_id_make_one_session() {
    let m = merchant("hosted_checkout");
    let body = native(&format!("B-{}", unique()));
    let ids: Vec<String> = thread::scope(|s| {
        let runs: Vec<_> = (0..50)
            .map(|_| {
                s.spawn(|| {
                    let res = post("/v1/sessions", &m.key, &body);
                    assert!(res.status == 200 || res.status == 201, "{}", res.text);
                    res.json()["id"].as_str().unwrap().to_owned()
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    // The same order id with another amount is a conflict, not a second session.
    let mut other = body.clone();
    other["amount"] = json!("11.00");
    let conflict = post("/v1/sessions", &m.key, &other);
    assert_eq!(
        (
            conflict.status,
            conflict.code().as_str(),
            conflict.field().as_str()
        ),
        (409, "order_id_conflict", "order_id")
    );
}

#[test]
fn copies_of_one_confirmation_at_once_are_applied_once() {
    let m = merchant("hosted_checkout");
    let s = post("/v1/sessions", &m.key, &native(&format!("C-{}", unique()))).json();
    let id = s["id"].as_str().unwrap().to_owned();
    let answers: Vec<Value> = thread::scope(|scope| {
        let runs: Vec<_> = (0..20)
            .map(|_| scope.spawn(|| gateway_payment(&id, "10.00", "psp-1").json()))
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let fresh = answers.iter().filter(|a| a["duplicate"] == false).count();
    assert_eq!(fresh, 1, "{answers:?}");
    assert!(answers.iter().all(|a| a["status"] == "paid"), "{answers:?}");
    let types = event_types(&m.key, &id);
    assert_eq!(
        types.iter().filter(|t| *t == "session.paid").count(),
        1,
        "{types:?}"
    );
}

#[test]
fn a_session_id_names_its_account_and_an_altered_one_is_unknown_everywhere() {
    let m = merchant("hosted_checkout");
    let s = post("/v1/sessions", &m.key, &native(&format!("D-{}", unique()))).json();
    let id = s["id"].as_str().unwrap();
    // cs_test_, the merchant's 16 characters, 80 random bits, an 8-character tag.
    assert!(id.starts_with("cs_test_") && id.len() == 48, "{id}");
    assert_eq!(&id[8..24], &m.id["mer_".len()..]);
    // Its first payment id is drawn with it.
    assert_eq!(s["payment_id"].as_str().unwrap().len(), 10);
    // One character of the tag changed: no such session, before any storage.
    let last = id.chars().last().unwrap();
    let forged = format!(
        "{}{}",
        &id[..id.len() - 1],
        if last == 'a' { 'b' } else { 'a' }
    );
    assert_eq!(
        get(&format!("/v1/sessions/{forged}/public"), None).status,
        404
    );
    assert_eq!(get(&format!("/pay/{forged}"), None).status, 404);
    assert_eq!(
        get(&format!("/v1/sessions/{forged}"), Some(&m.key)).status,
        404
    );
    let live = request(
        "GET",
        &format!("/v1/sessions/{forged}/live"),
        &[
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Version", "13"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ],
        None,
    );
    assert_eq!(live.status, 404, "{}", live.text);
    let paid = gateway_payment(&forged, "10.00", "psp-forged");
    assert_eq!((paid.status, paid.field().as_str()), (404, "session_id"));
    // Without an upgrade, the live route says what it wants.
    let plain = get(&format!("/v1/sessions/{id}/live"), None);
    assert_eq!(
        (plain.status, plain.code().as_str()),
        (426, "upgrade_required")
    );
}

/// A session opened as versions before the account objects did (in KV only).
fn legacy(key: &str, body: Value) -> Value {
    let res = post("/__dev/legacy-session", key, &body);
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

#[test]
fn a_session_an_older_version_kept_in_kv_keeps_working_and_moves_in() {
    let m = merchant("hosted_checkout");
    let order_id = format!("L-{}", unique());
    let body = native(&order_id);
    let old = legacy(&m.key, body.clone());
    let id = old["id"].as_str().unwrap().to_owned();
    // An id of the old shape: cs_ and 24 characters.
    assert!(id.starts_with("cs_") && id.len() == 27, "{id}");

    let read = get(&format!("/v1/sessions/{id}"), Some(&m.key));
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(
        (
            read.json()["status"].as_str(),
            read.json()["payment_id"].as_str()
        ),
        (Some("pending"), old["payment_id"].as_str())
    );
    assert_eq!(get(&format!("/v1/sessions/{id}/public"), None).status, 200);
    assert!(get(&format!("/pay/{id}"), None)
        .text
        .contains(old["etn_amount"].as_str().unwrap()));
    // Its order id still holds: the same request is the same session, another is a conflict.
    let again = post("/v1/sessions", &m.key, &body);
    assert_eq!(
        (again.status, again.json()["id"].as_str()),
        (200, Some(id.as_str()))
    );
    let mut other = body.clone();
    other["amount"] = json!("12.00");
    assert_eq!(post("/v1/sessions", &m.key, &other).status, 409);
    // It is listed with the sessions made since.
    let fresh = post("/v1/sessions", &m.key, &native(&format!("N-{}", unique()))).json();
    let listed = listed_ids(&m.key);
    assert_eq!(listed, [fresh["id"].as_str().unwrap(), id.as_str()]);
    // A verified payment pays it, once; its events are kept with it.
    assert_eq!(
        gateway_payment(&id, "10.00", "psp-old").json()["status"],
        "paid"
    );
    assert_eq!(
        gateway_payment(&id, "10.00", "psp-old").json()["duplicate"],
        true
    );
    assert_eq!(
        get(&format!("/v1/sessions/{id}"), Some(&m.key)).json()["status"],
        "paid"
    );
    assert!(event_types(&m.key, &id).contains(&"session.paid".to_owned()));

    // Another, paid by ETN through its payment id alone.
    let other = legacy(&m.key, native(&format!("E-{}", unique())));
    let other_id = other["id"].as_str().unwrap();
    let res = etn_payment(&m.id, &other, "etn-old");
    assert_eq!(
        (res.status, res.json()["status"].as_str()),
        (200, Some("paid")),
        "{}",
        res.text
    );
    assert_eq!(
        get(&format!("/v1/sessions/{other_id}"), Some(&m.key)).json()["status"],
        "paid"
    );
}

/// A signed ETN webhook paying `session` (its `payment_id` and `etn_amount`)
/// through its payment id alone.
fn etn_payment(merchant: &str, session: &Value, reference: &str) -> checkout_e2e::Reply {
    let etn = json!({
        "event": "payment", "payment_id": session["payment_id"], "amount": session["etn_amount"],
        "key": ETN_API_KEY, "timestamp": checkout_e2e::iso8601(now(), 0), "ref": reference,
    })
    .to_string();
    let signature = python_hmac_sha256(ETN_API_SECRET, etn.as_bytes());
    request(
        "POST",
        &format!("/webhooks/etn/{merchant}"),
        &[
            ("Content-Type", "application/json"),
            ("ETN-SIGNATURE", &signature),
        ],
        Some(etn.as_bytes()),
    )
}

/// The ids of the account's webhook deliveries, newest first.
fn delivery_ids(key: &str) -> Vec<String> {
    let res = call(WEBHOOK_EVENTS, &[], Some(key), None);
    assert_eq!(res.status, 200, "{}", res.text);
    ids(&res.json())
}

/// Sessions made before numbering, `before` of them, in an account upgraded
/// to it (a dev route puts its tables back as that version left them, its
/// delivery history in one table): each is still found by its id and by its
/// payment id, new ones are numbered after them, and the history keeps what
/// it had, listed below what comes after.
fn sessions_made_before_numbering_keep_being_found(before: usize) {
    let m = merchant("hosted_checkout");
    let receiver = Receiver::start();
    let res = call(
        PUT_WEBHOOK_CONFIG,
        &[],
        Some(&m.key),
        Some(&json!({"url": receiver.url, "event_types": ["session.created", "session.paid"]})),
    );
    assert_eq!(res.status, 200, "{}", res.text);
    let create = |prefix: &str| {
        let res = post(
            "/v1/sessions",
            &m.key,
            &native(&format!("{prefix}-{}", unique())),
        );
        assert_eq!(res.status, 201, "{}", res.text);
        res.json()
    };
    let old: Vec<Value> = (0..before).map(|i| create(&format!("U{i}"))).collect();
    let pid = |s: &Value| s["payment_id"].as_str().unwrap().to_owned();
    receiver.wait_for(before, Duration::from_secs(20));
    let history = delivery_ids(&m.key);
    assert_eq!(history.len(), before);
    let res = post("/__dev/unnumber-sessions", &m.key, &json!({}));
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["sessions"], before, "{}", res.text);

    // Found by id, on every route that names one.
    for s in &old {
        let id = s["id"].as_str().unwrap();
        let read = get(&format!("/v1/sessions/{id}"), Some(&m.key));
        assert_eq!(
            (read.status, read.json()["payment_id"].as_str()),
            (200, Some(pid(s).as_str())),
            "{}",
            read.text
        );
        assert_eq!(get(&format!("/v1/sessions/{id}/public"), None).status, 200);
    }
    // Found by payment id: ETN pays the first through it alone.
    let paid = etn_payment(&m.id, &old[0], "etn-before-numbering");
    assert_eq!(
        (paid.status, paid.json()["status"].as_str()),
        (200, Some("paid")),
        "{}",
        paid.text
    );
    let status = |s: &Value| {
        let id = s["id"].as_str().unwrap();
        get(&format!("/v1/sessions/{id}"), Some(&m.key)).json()["status"].clone()
    };
    assert_eq!(status(&old[0]), "paid");
    assert_eq!(status(&old[1]), "pending");
    // New sessions are numbered after them and found the new way; the old
    // ones list below them.
    let new = create("N");
    assert!(!old.iter().any(|s| pid(s) == pid(&new)));
    let paid = etn_payment(&m.id, &new, "etn-after-numbering");
    assert_eq!(paid.json()["status"], "paid", "{}", paid.text);
    let listed = listed_ids(&m.key);
    let expected: Vec<String> = std::iter::once(&new)
        .chain(old.iter().rev())
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, expected);
    // The history: the two payments' and the new session's deliveries, then
    // what it had before the upgrade.
    receiver.wait_for(before + 3, Duration::from_secs(20));
    let now_listed = delivery_ids(&m.key);
    assert_eq!(now_listed.len(), before + 3, "{now_listed:?}");
    assert_eq!(now_listed[3..], history[..]);
}

#[test]
fn sessions_made_before_numbering_keep_being_found_after_the_upgrade() {
    // Two: their payment ids move to a partial index.
    sessions_made_before_numbering_keep_being_found(2);
}

#[test]
fn a_large_account_made_before_numbering_keeps_its_full_payment_id_index() {
    // More than REINDEX_SESSIONS_MAX (2 under `cargo xtask test`): the full
    // index stays, and everything works as above.
    sessions_made_before_numbering_keep_being_found(4);
}

#[test]
fn integers_past_what_javascript_keeps_are_refused_naming_the_field() {
    let m = merchant("hosted_checkout");
    let big = "9007199254740993";
    let wallet = request(
        "POST",
        "/api/v1/wallets",
        &[
            ("Authorization", &format!("Bearer {}", m.key)),
            ("Content-Type", "application/json"),
        ],
        Some(format!(r#"{{"user_id": {big}, "currency": "EUR"}}"#).as_bytes()),
    );
    assert_eq!(
        (wallet.status, wallet.field().as_str()),
        (422, "user_id"),
        "{}",
        wallet.text
    );
    let since = call_raw(
        RECOVER_WEBHOOKS,
        &[],
        &[
            ("Authorization", &format!("Bearer {}", m.key)),
            ("Content-Type", "application/json"),
        ],
        Some(format!(r#"{{"since": {big}}}"#).as_bytes()),
    );
    assert_eq!(
        (since.status, since.field().as_str()),
        (422, "since"),
        "{}",
        since.text
    );
    for path in [
        format!("/v1/sessions?cursor={big}"),
        format!("{}?cursor={big}", WEBHOOK_EVENTS.path),
    ] {
        let res = get(&path, Some(&m.key));
        assert_eq!(
            (res.status, res.field().as_str()),
            (400, "cursor"),
            "{path}: {}",
            res.text
        );
    }
}
