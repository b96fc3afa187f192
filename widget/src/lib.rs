//! The drop-in checkout widget.
//!
//! A site owner adds one classic `<script src=".../widget.js">` and a
//! `<div data-etn-vendor="etn-it-.../7ce25b4dc0/1234.56">`; the widget replaces the
//! div's content with a QR code of the ETN deep link, a pay link and the amount,
//! inside a shadow root so that the page's CSS and the widget's cannot meet.
//!
//! Validation is core's: a payment string that core refuses shows an error in
//! place of the QR code, and never a QR code for money that cannot be paid.

use checkout_core::qr::Qr;
use checkout_core::PaymentString;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, ShadowRootInit, ShadowRootMode};

/// The attribute the ETN widget reads; kept so that ETN markup works unchanged.
pub const VENDOR_ATTRIBUTE: &str = "data-etn-vendor";
const MOUNTED_ATTRIBUTE: &str = "data-edge-checkout-mounted";

const STYLE: &str = ":host{display:block;max-width:400px;min-width:160px;font:14px/1.4 system-ui,sans-serif}\
.card{display:flex;flex-direction:column;align-items:center;gap:8px;padding:12px;border-radius:8px;background:#fff;color:#111}\
.qr{display:block;width:100%;max-width:280px}.qr svg{display:block;width:100%;height:auto}\
.amount{font-size:1.2em;font-weight:600}.pay{color:#0b57d0}\
.error{padding:12px;border:2px solid #b3261e;border-radius:8px;color:#b3261e;background:#fff}";

/// Entry point: mounts every widget already in the page, or once the page is parsed.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.ready_state() == "loading" {
        let on_ready = Closure::once_into_js(move || mount_all(&document));
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            let _ =
                doc.add_event_listener_with_callback("DOMContentLoaded", on_ready.unchecked_ref());
        }
    } else {
        mount_all(&document);
    }
}

fn mount_all(document: &Document) {
    let Ok(nodes) = document.query_selector_all(&format!("[{VENDOR_ATTRIBUTE}]")) else {
        return;
    };
    for i in 0..nodes.length() {
        if let Some(el) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            mount(&el);
        }
    }
}

/// Renders the widget into `el`, once; a second call on the same element does nothing.
pub fn mount(el: &Element) {
    if el.has_attribute(MOUNTED_ATTRIBUTE) {
        return;
    }
    let _ = el.set_attribute(MOUNTED_ATTRIBUTE, "");
    let Some(document) = el.owner_document() else {
        return;
    };
    let root = match el.shadow_root() {
        Some(root) => root,
        None => {
            let init = ShadowRootInit::new(ShadowRootMode::Open);
            match el.attach_shadow(&init) {
                Ok(root) => root,
                Err(_) => return,
            }
        }
    };
    root.set_inner_html("");
    let style = create(&document, "style");
    style.set_text_content(Some(STYLE));
    let _ = root.append_child(&style);
    let text = el.get_attribute(VENDOR_ATTRIBUTE).unwrap_or_default();
    let content = match text.parse::<PaymentString>() {
        Ok(payment) => render_payment(&document, &payment),
        Err(err) => {
            web_sys::console::error_1(
                &format!(
                    "Edge Checkout: invalid data-etn-vendor ({}): {err}",
                    err.code()
                )
                .into(),
            );
            render_error(&document, &format!("This payment code is invalid: {err}."))
        }
    };
    let _ = root.append_child(&content);
}

fn create(document: &Document, tag: &str) -> Element {
    document
        .create_element(tag)
        .expect("creating a standard element cannot fail")
}

fn render_payment(document: &Document, payment: &PaymentString) -> Element {
    let link = payment.deep_link();
    let card = create(document, "div");
    card.set_class_name("card");
    let qr_link = create(document, "a");
    qr_link.set_class_name("qr");
    let _ = qr_link.set_attribute("href", &link);
    let _ = qr_link.set_attribute("tabindex", "-1");
    match Qr::encode(&link) {
        // The SVG is made by core from validated text: it holds no page input.
        Ok(qr) => qr_link.set_inner_html(&qr.to_svg()),
        Err(_) => return render_error(document, "This payment code is too long for a QR code."),
    }
    if let Some(svg) = qr_link.first_element_child() {
        let _ = svg.set_attribute("role", "img");
        let label = format!(
            "QR code to pay {} ETN to outlet {}, payment {}",
            payment.amount(),
            payment.vendor().outlet().as_str(),
            payment.payment_id().as_str()
        );
        let _ = svg.set_attribute("aria-label", &label);
    }
    let amount = create(document, "div");
    amount.set_class_name("amount");
    amount.set_text_content(Some(&format!("{} ETN", payment.amount())));
    let pay = create(document, "a");
    pay.set_class_name("pay");
    let _ = pay.set_attribute("href", &link);
    pay.set_text_content(Some("Pay with Electroneum"));
    for child in [&qr_link, &amount, &pay] {
        let _ = card.append_child(child);
    }
    card
}

fn render_error(document: &Document, message: &str) -> Element {
    let error = create(document, "div");
    error.set_class_name("error");
    let _ = error.set_attribute("role", "alert");
    // Text only: the attribute's content must never become markup.
    error.set_text_content(Some(message));
    error
}
