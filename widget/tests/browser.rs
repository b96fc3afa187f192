//! Component tests in headless Chromium (wasm-bindgen-test-runner + chromedriver).
#![cfg(target_arch = "wasm32")]

use checkout_widget::{mount, mounted_count, unmount, SESSION_ATTRIBUTE, VENDOR_ATTRIBUTE};
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
        label.contains("1234.56")
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
        "1234.56 ETN"
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
