//! Mounting: the elements present at load, those the page adds later (a
//! MutationObserver watches), `EdgeCheckout.mount(el)` and `unmount(el)`; each
//! widget's language.

use checkout_core::PaymentString;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, ShadowRootInit, ShadowRootMode};

use crate::glue::{bind, set_timeout, with_page, with_page_later, Kind, NAVIGATOR};
use crate::i18n::{self, Lang, Text};
use crate::live::{connect, stop_interval_if_idle, tick, Live};
use crate::poll::{self, Schedule};
use crate::render::{console_error, render_error, render_payment, render_placeholder};
use crate::{
    Page, Widget, LANG_ATTRIBUTE, MOUNTED_ATTRIBUTE, SELECTOR, SESSION_ATTRIBUTE, VENDOR_ATTRIBUTE,
};

/// Mounts every widget element of the page.
pub(crate) fn mount_within(doc: &Document) {
    let Ok(nodes) = doc.query_selector_all(SELECTOR) else {
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
    if with_page(|page| mount_in(page, el)).is_none() {
        with_page_later(Kind::Mount, 0, el.into());
    }
}

/// Stops and clears a widget; it can be mounted again.
pub fn unmount(el: &Element) {
    if with_page(|page| unmount_in(page, el)).is_none() {
        with_page_later(Kind::Unmount, 0, el.into());
    }
}

/// How many widgets are mounted (for tests).
pub fn mounted_count() -> usize {
    with_page(|page| page.widgets.len()).unwrap_or(0)
}

pub(crate) fn mount_in(page: &mut Page, el: &Element) {
    if el.has_attribute(MOUNTED_ATTRIBUTE) {
        return;
    }
    let _ = el.set_attribute(MOUNTED_ATTRIBUTE, "");
    let root = match el.shadow_root() {
        Some(root) => root,
        None => match el.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)) {
            Ok(root) => root,
            Err(_) => return,
        },
    };
    // The same function each time: the DOM keeps one listener per root.
    let _ = root.add_event_listener_with_callback("click", page.click_listener());
    let mut widget = Widget {
        id: page.next_serial(),
        host: el.clone(),
        root,
        lang: language(page, el),
        payment: String::new(),
        live: None,
    };
    if let Some(session) = el.get_attribute(SESSION_ATTRIBUTE) {
        if !looks_like_session(&session) {
            console_error("data-checkout-session is not a session id: ", &session);
            render_error(&widget, "not a checkout session id");
        } else {
            render_placeholder(&widget, "waiting", widget.lang.text(Text::Waiting));
            widget.live = Some(Live {
                session,
                socket: None,
                pushed: false,
                drops: 0,
                chain: page.next_serial(),
                schedule: Schedule::default(),
                etag: None,
                polled: false,
                ended: false,
                expires_at: Default::default(),
                return_url: None,
                countdown: None,
            });
        }
    } else {
        let text = el.get_attribute(VENDOR_ATTRIBUTE).unwrap_or_default();
        match text.parse::<PaymentString>() {
            Ok(payment) => render_payment(&mut widget, &payment, None),
            Err(err) => {
                let mut message = String::from(err.code());
                message.push_str("): ");
                message.push_str(err.message());
                console_error("invalid data-etn-vendor (", &message);
                render_error(&widget, err.message());
            }
        }
    }
    let live = widget.live.as_ref().map(|l| l.chain);
    let id = widget.id;
    page.widgets.push(widget);
    if let Some(chain) = live {
        // The socket brings the view at once; a poll comes only if it has
        // not within the first polling interval (or at once, without one).
        if connect(page, id) {
            set_timeout(&bind(Kind::Tick, chain), poll::FIRST_MS);
        } else {
            tick(page, chain);
        }
    }
}

pub(crate) fn unmount_in(page: &mut Page, el: &Element) {
    if let Some(i) = page.index_of(el) {
        page.widgets.swap_remove(i);
    }
    if let Some(root) = el.shadow_root() {
        root.set_inner_html("");
    }
    let _ = el.remove_attribute(MOUNTED_ATTRIBUTE);
    stop_interval_if_idle(page);
}

/// Mounts what was added; forgets widgets no longer in the page (also those
/// inside a removed container), so that they stop polling and can be collected.
pub(crate) fn on_mutations(page: &mut Page, records: &js_sys::Array) {
    let mut removed = false;
    for record in records.iter() {
        let record: web_sys::MutationRecord = record.unchecked_into();
        let added = record.added_nodes();
        for i in 0..added.length() {
            let Some(el) = added.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            if el.matches(SELECTOR).unwrap_or(false) {
                mount_in(page, &el);
            }
            if el.first_element_child().is_some() {
                if let Ok(inner) = el.query_selector_all(SELECTOR) {
                    for j in 0..inner.length() {
                        if let Some(child) =
                            inner.item(j).and_then(|n| n.dyn_into::<Element>().ok())
                        {
                            mount_in(page, &child);
                        }
                    }
                }
            }
        }
        removed |= record.removed_nodes().length() > 0;
    }
    if removed {
        page.widgets.retain(|w| {
            let connected = w.host.is_connected();
            if !connected {
                let _ = w.host.remove_attribute(MOUNTED_ATTRIBUTE);
            }
            connected
        });
        stop_interval_if_idle(page);
    }
}

pub(crate) fn language(page: &mut Page, el: &Element) -> Lang {
    if page.browser_languages.is_empty() {
        page.browser_languages = NAVIGATOR
            .with(web_sys::Navigator::languages)
            .iter()
            .filter_map(|l| l.as_string())
            .collect();
    }
    let attribute = el.get_attribute(LANG_ATTRIBUTE);
    let (lang, unknown) = i18n::choose(attribute.as_deref(), &page.browser_languages);
    if unknown && !std::mem::replace(&mut page.warned_language, true) {
        let mut text = String::from("Edge Checkout: English for unknown data-etn-lang ");
        text.push_str(&attribute.unwrap_or_default());
        web_sys::console::warn_1(&text.into());
    }
    lang
}

/// Whether `text` has a session id's shape: `cs_`, then 24 to 60 lowercase
/// letters, digits and `_`. The worker checks it for real; this keeps markup
/// and paths out of the URLs the widget asks, at a fraction of the bytes of
/// core's parser.
fn looks_like_session(text: &str) -> bool {
    text.strip_prefix("cs_").is_some_and(|rest| {
        (24..=60).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    })
}
