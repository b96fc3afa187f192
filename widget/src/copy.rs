//! The copy button: the Clipboard API, or a hidden text area where it is
//! missing or refused; a polite announcement either way.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::glue::{bind, document, then, Kind, NAVIGATOR};
use crate::i18n::Text;
use crate::Page;

/// The copy button, wherever it is: one listener per shadow root, which finds
/// its widget.
pub(crate) fn on_click(page: &mut Page, event: &web_sys::Event) {
    let is_copy = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|t| t.matches(".copy").unwrap_or(false));
    let Some(root) = event.current_target() else {
        return;
    };
    if !is_copy {
        return;
    }
    let root: &JsValue = root.as_ref();
    let Some(w) = page
        .widgets
        .iter()
        .find(|w| JsValue::from(&w.root) == *root)
    else {
        return;
    };
    let (id, text) = (w.id, w.payment.clone());
    let clipboard = NAVIGATOR.with(web_sys::Navigator::clipboard);
    // The Clipboard API exists only in secure contexts; elsewhere, the old way.
    if JsValue::from(&clipboard).is_undefined() {
        if copy_with_textarea(&text) {
            announce_copied(page, id);
        }
        return;
    }
    then(
        &clipboard.write_text(&text),
        &bind(Kind::Copied, id),
        &bind(Kind::CopyRefused, id),
    );
}

pub(crate) fn announce_copied(page: &mut Page, id: u32) {
    let Some(w) = page.by_id(id) else { return };
    if let Ok(Some(live)) = w.root.query_selector(".sr") {
        // Clear first so that a second copy is announced again.
        live.set_text_content(Some(""));
        live.set_text_content(Some(w.lang.text(Text::Copied)));
    }
}

/// `execCommand("copy")` on a hidden text area, where the Clipboard API is
/// missing or refused.
pub(crate) fn copy_with_textarea(value: &str) -> bool {
    let doc = document();
    let (Some(body), Ok(area)) = (doc.body(), doc.create_element("textarea")) else {
        return false;
    };
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("style", "position:fixed;opacity:0");
    area.set_text_content(Some(value));
    let _ = body.append_child(&area);
    area.unchecked_ref::<web_sys::HtmlTextAreaElement>()
        .select();
    let ok = doc
        .unchecked_ref::<web_sys::HtmlDocument>()
        .exec_command("copy")
        .unwrap_or(false);
    area.remove();
    ok
}
