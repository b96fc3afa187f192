//! Component tests in headless Chromium (wasm-bindgen-test-runner + chromedriver).
#![cfg(target_arch = "wasm32")]

use checkout_widget::{
    mount, mounted_count, show_view, unmount, SESSION_ATTRIBUTE, VENDOR_ATTRIBUTE,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

fn widget(payment_string: &str, lang: Option<&str>) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let el = document.create_element("div").unwrap();
    el.set_attribute(VENDOR_ATTRIBUTE, payment_string).unwrap();
    if let Some(lang) = lang {
        el.set_attribute("data-etn-lang", lang).unwrap();
    }
    document.body().unwrap().append_child(&el).unwrap();
    mount(&el);
    el
}

#[wasm_bindgen_test]
fn renders_qr_link_amount_and_copy_button() {
    let el = widget("etn-it-0abc123def456/7ce25b4dc0/1234.56", Some("en"));
    let root = el.shadow_root().expect("widget renders in a shadow root");
    let svg = root
        .query_selector("svg[role=img]")
        .unwrap()
        .expect("a QR code");
    let label = svg.get_attribute("aria-label").unwrap();
    assert!(
        label.contains("1,234.56")
            && label.contains("0abc123def456")
            && label.contains("7ce25b4dc0"),
        "{label}"
    );
    let pay = root.query_selector("a.pay").unwrap().unwrap();
    assert_eq!(
        pay.get_attribute("href").unwrap(),
        "https://link.electroneum.com/jWEpM5HcxP?vendor=etn-it-0abc123def456/7ce25b4dc0/1234.56"
    );
    assert_eq!(
        root.query_selector(".amount")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "ETN\u{a0}1,234.56"
    );
    assert!(root.query_selector("button.copy").unwrap().is_some());
    assert!(root.query_selector("[aria-live=polite]").unwrap().is_some());
}

#[wasm_bindgen_test]
fn languages_and_direction() {
    let el = widget("etn-it-0abc123def456/7ce25b4dc0/1.00", Some("ur"));
    let card = el
        .shadow_root()
        .unwrap()
        .query_selector(".card")
        .unwrap()
        .unwrap();
    assert_eq!(card.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(card.get_attribute("lang").as_deref(), Some("ur"));
    let el = widget("etn-it-0abc123def456/7ce25b4dc0/1.00", Some("pt-BR"));
    let pay = el
        .shadow_root()
        .unwrap()
        .query_selector("a.pay")
        .unwrap()
        .unwrap();
    assert_eq!(pay.text_content().unwrap(), "Pagar com Electroneum");
}

#[wasm_bindgen_test]
fn bad_input_shows_an_alert_and_no_qr() {
    let el = widget(
        "etn-it-0abc123def456/7ce25b4dc0/<img src=x onerror=alert(1)>",
        None,
    );
    let root = el.shadow_root().unwrap();
    assert!(root.query_selector("svg").unwrap().is_none());
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "attribute text must not become markup"
    );
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an error state");
    assert!(alert.text_content().unwrap().contains("invalid"));
}

#[wasm_bindgen_test]
fn mounting_twice_renders_once() {
    let el = widget("etn-it-0abc123def456/7ce25b4dc0/1.00", None);
    mount(&el);
    assert_eq!(
        el.shadow_root()
            .unwrap()
            .query_selector_all("svg")
            .unwrap()
            .length(),
        1
    );
}

#[wasm_bindgen_test]
fn unmounting_forgets_the_widget_and_mounting_again_renders_again() {
    let el = widget("etn-it-0abc123def456/7ce25b4dc0/2.00", None);
    let count = mounted_count();
    for _ in 0..50 {
        unmount(&el);
        assert_eq!(mounted_count(), count - 1);
        assert!(el
            .shadow_root()
            .unwrap()
            .query_selector("svg")
            .unwrap()
            .is_none());
        mount(&el);
        assert_eq!(mounted_count(), count);
    }
    assert!(el
        .shadow_root()
        .unwrap()
        .query_selector("svg[role=img]")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
fn a_malformed_session_id_is_an_alert_not_a_poll() {
    let document = web_sys::window().unwrap().document().unwrap();
    let el = document.create_element("div").unwrap();
    el.set_attribute(SESSION_ATTRIBUTE, "cs_<b>not an id</b>")
        .unwrap();
    document.body().unwrap().append_child(&el).unwrap();
    mount(&el);
    let root = el.shadow_root().unwrap();
    assert!(root.query_selector("[role=alert]").unwrap().is_some());
    assert!(root.query_selector("b").unwrap().is_none());
}

/// A live widget, fed views through `show_view` (its own polls go to the test
/// server, which knows no session: they only ever answer later).
fn live_widget(lang: &str) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let el = document.create_element("div").unwrap();
    el.set_attribute(SESSION_ATTRIBUTE, "cs_aaaaaaaaaaaaaaaaaaaaaaaa")
        .unwrap();
    el.set_attribute("data-etn-lang", lang).unwrap();
    document.body().unwrap().append_child(&el).unwrap();
    mount(&el);
    el
}

/// A public view: the session's fixed fields, then `fields` (JSON members).
fn view(status: &str, fields: &str) -> JsValue {
    let expires_at = js_sys::Date::now() / 1000.0 + 600.0;
    let text = [
        r#"{"id":"cs_aaaaaaaaaaaaaaaaaaaaaaaa","merchant_name":"Shop","amount":"49.95","#,
        r#""currency":"EUR","deep_link":"https://link.electroneum.com/x","return_url":null,"#,
        r#""cancel_url":null,"mode":"test","etn_amount":"19980.00","late":false,"expires_at":"#,
        &expires_at.floor().to_string(),
        r#","status":""#,
        status,
        r#"""#,
        fields,
        "}",
    ]
    .concat();
    js_sys::JSON::parse(&text).unwrap()
}

fn find(el: &Element, selector: &str) -> Option<Element> {
    el.shadow_root().unwrap().query_selector(selector).unwrap()
}

/// The status line's `data-state` and sentence.
fn status(el: &Element) -> (String, String) {
    let line = find(el, "p.status[role=status]").expect("a status line");
    (
        line.get_attribute("data-state").unwrap(),
        line.text_content().unwrap(),
    )
}

fn text(el: &Element, selector: &str) -> String {
    find(el, selector).unwrap().text_content().unwrap()
}

const FIRST: &str = r#","payment_string":"etn-it-0abc123def456/7ce25b4dc0/19980.00","etn_received":"0.00","etn_due":"19980.00","etn_excess":"0.00""#;
const REST: &str = r#","payment_string":"etn-it-0abc123def456/ab12cd34ef/11980.00","etn_received":"8000.00","etn_due":"11980.00","etn_excess":"0.00""#;

#[wasm_bindgen_test]
fn pending_shows_the_payment_card() {
    let el = live_widget("en");
    assert!(show_view(&el, &view("pending", FIRST)));
    assert_eq!(
        status(&el),
        ("pending".to_owned(), "Waiting for payment…".to_owned())
    );
    assert!(find(&el, "svg[role=img]").is_some());
    assert!(text(&el, ".countdown").starts_with("Expires in "));
    assert_eq!(text(&el, ".amount"), "ETN\u{a0}19,980.00");
    unmount(&el);
}

#[wasm_bindgen_test]
fn partially_paid_shows_the_remainder_and_goes_on() {
    let el = live_widget("en");
    assert!(show_view(&el, &view("pending", FIRST)));
    assert!(show_view(&el, &view("partially_paid", REST)));
    assert_eq!(
        status(&el),
        (
            "partially_paid".to_owned(),
            "Received 8,000.00 of 19,980.00 ETN. Still due: 11,980.00 ETN.".to_owned()
        )
    );
    // The QR code, the link and the amount are the remainder's, under its new id.
    let label = find(&el, "svg[role=img]")
        .expect("a QR code")
        .get_attribute("aria-label")
        .unwrap();
    assert!(
        label.contains("11,980.00") && label.contains("ab12cd34ef"),
        "{label}"
    );
    assert!(find(&el, "a.pay")
        .unwrap()
        .get_attribute("href")
        .unwrap()
        .ends_with("vendor=etn-it-0abc123def456/ab12cd34ef/11980.00"));
    assert_eq!(text(&el, ".amount"), "ETN\u{a0}11,980.00");
    assert!(text(&el, ".countdown").starts_with("Expires in "));
    assert!(find(&el, "button.copy").is_some());
    // And then paid in full.
    assert!(!show_view(
        &el,
        &view("paid", r#","etn_received":"19980.00","etn_excess":"0.00""#)
    ));
    assert_eq!(
        status(&el),
        ("paid".to_owned(), "Paid. Thank you!".to_owned())
    );
    assert!(find(&el, ".countdown").is_none());
    unmount(&el);
}

#[wasm_bindgen_test]
fn partially_paid_in_other_languages() {
    let el = live_widget("fr");
    assert!(show_view(&el, &view("partially_paid", REST)));
    assert_eq!(
        status(&el).1,
        "Reçu 8\u{202f}000,00 sur 19\u{202f}980,00 ETN. Reste à payer : 11\u{202f}980,00 ETN."
    );
    unmount(&el);
    let el = live_widget("ur");
    assert!(show_view(&el, &view("partially_paid", REST)));
    let card = find(&el, ".card").unwrap();
    assert_eq!(card.get_attribute("dir").as_deref(), Some("rtl"));
    let (state, sentence) = status(&el);
    assert_eq!(state, "partially_paid");
    assert!(
        sentence.contains("8,000.00")
            && sentence.contains("19,980.00")
            && sentence.contains("11,980.00"),
        "{sentence}"
    );
    assert!(!sentence.contains('{'), "{sentence}");
    unmount(&el);
}

#[wasm_bindgen_test]
fn an_amount_that_is_not_a_plain_decimal_is_never_shown() {
    let el = live_widget("en");
    let hostile = r#","payment_string":"etn-it-0abc123def456/ab12cd34ef/11980.00","etn_received":"<img src=x onerror=alert(1)>","etn_due":"11980.00""#;
    assert!(show_view(&el, &view("partially_paid", hostile)));
    assert_eq!(
        status(&el),
        (
            "partially_paid".to_owned(),
            "Waiting for payment…".to_owned()
        )
    );
    assert!(find(&el, "img").is_none());
    assert!(find(&el, "svg[role=img]").is_some());
    unmount(&el);
    let el = live_widget("en");
    assert!(!show_view(&el, &view("paid", r#","etn_excess":"1e3""#)));
    assert_eq!(status(&el).1, "Paid. Thank you!");
    unmount(&el);
    let el = live_widget("en");
    assert!(!show_view(
        &el,
        &view("expired", r#","etn_received":"-5.00""#)
    ));
    assert_eq!(status(&el).1, "This payment has expired.");
    unmount(&el);
}

#[wasm_bindgen_test]
fn needs_review_waits_for_the_merchant_then_paid() {
    let el = live_widget("en");
    assert!(show_view(&el, &view("pending", FIRST)));
    assert!(show_view(
        &el,
        &view("needs_review", r#","etn_received":"19980.00","late":true"#)
    ));
    assert_eq!(
        status(&el),
        (
            "needs_review".to_owned(),
            "Your payment arrived after this checkout expired. The merchant will confirm it."
                .to_owned()
        )
    );
    assert!(find(&el, "svg").is_none());
    assert!(find(&el, ".countdown").is_none());
    // Still followed: the merchant accepts it.
    assert!(!show_view(
        &el,
        &view("paid", r#","etn_received":"19980.00","late":true"#)
    ));
    assert_eq!(
        status(&el),
        ("paid".to_owned(), "Paid. Thank you!".to_owned())
    );
    // Ended: nothing renders after that.
    assert!(!show_view(&el, &view("pending", FIRST)));
    assert_eq!(status(&el).0, "paid");
    unmount(&el);
}

#[wasm_bindgen_test]
fn paid_beyond_what_was_due_says_it_is_refunded() {
    let el = live_widget("en");
    assert!(!show_view(
        &el,
        &view(
            "paid",
            r#","etn_received":"19980.05","etn_due":"0.00","etn_excess":"0.05""#
        )
    ));
    assert_eq!(
        status(&el),
        (
            "paid".to_owned(),
            "Paid. You paid 0.05 ETN more than was due: the merchant will refund it.".to_owned()
        )
    );
    unmount(&el);
    let el = live_widget("de");
    assert!(!show_view(&el, &view("paid", r#","etn_excess":"0.00""#)));
    assert_eq!(
        status(&el),
        ("paid".to_owned(), "Bezahlt. Vielen Dank!".to_owned())
    );
    unmount(&el);
}

#[wasm_bindgen_test]
fn ended_with_money_received_says_it_is_refunded() {
    for ended in ["expired", "cancelled"] {
        let el = live_widget("en");
        assert!(!show_view(
            &el,
            &view(ended, r#","etn_received":"8000.00""#)
        ));
        assert_eq!(
            status(&el),
            (
                "expired".to_owned(),
                "This checkout has ended. The merchant will refund the 8,000.00 ETN received."
                    .to_owned()
            )
        );
        unmount(&el);
        let el = live_widget("en");
        assert!(!show_view(&el, &view(ended, r#","etn_received":"0.00""#)));
        assert_eq!(
            status(&el),
            ("expired".to_owned(), "This payment has expired.".to_owned())
        );
        unmount(&el);
    }
}

#[wasm_bindgen_test]
fn an_unknown_status_retries() {
    let el = live_widget("en");
    assert!(show_view(&el, &view("refunded", FIRST)));
    assert_eq!(status(&el).0, "retrying");
    assert!(show_view(&el, &view("pending", FIRST)));
    assert_eq!(status(&el).0, "pending");
    unmount(&el);
}

#[wasm_bindgen_test]
fn an_expired_session_the_view_still_follows_can_turn_paid() {
    let el = live_widget("en");
    assert!(show_view(&el, &view("pending", FIRST)));
    // The late-payment window: expired, but not ended.
    assert!(show_view(
        &el,
        &view("expired", r#","etn_received":"0.00","ended":false"#)
    ));
    assert_eq!(
        status(&el),
        ("expired".to_owned(), "This payment has expired.".to_owned())
    );
    assert!(find(&el, "svg").is_none());
    assert!(show_view(
        &el,
        &view(
            "needs_review",
            r#","etn_received":"19980.00","ended":false"#
        )
    ));
    assert_eq!(status(&el).0, "needs_review");
    assert!(!show_view(
        &el,
        &view(
            "paid",
            r#","etn_received":"19980.00","late":true,"ended":true"#
        )
    ));
    assert_eq!(status(&el).0, "paid");
    unmount(&el);
    // Ended, or saying nothing about it: expired ends as before.
    for ended in [r#","ended":true"#, ""] {
        let el = live_widget("en");
        assert!(!show_view(&el, &view("expired", ended)));
        assert!(!show_view(&el, &view("needs_review", "")));
        assert_eq!(status(&el).0, "expired");
        unmount(&el);
    }
    // An open session is never ended by the flag.
    let el = live_widget("en");
    let first_ended = [FIRST, r#","ended":true"#].concat();
    assert!(show_view(&el, &view("pending", &first_ended)));
    unmount(&el);
}
