//! The drop-in checkout widget.
//!
//! A site owner adds one classic `<script src="https://WORKER/widget.js">` and
//! either ETN's markup, `<div data-etn-vendor="etn-it-.../7ce25b4dc0/1234.56"
//! data-etn-lang="fr">`, or a live checkout, `<div data-checkout-session="cs_...">`.
//! Each element gets a shadow root with a QR code of the ETN deep link, a pay
//! link, the amount and a copy button; live widgets also poll the worker they
//! were served from and follow the session until it is paid or expires.
//!
//! Elements present at load, added later (a MutationObserver watches), or handed
//! to `window.EdgeCheckout.mount(el)` are mounted once; `unmount(el)` stops and
//! clears one, and so does removing it from the page. Validation is core's: a
//! payment string core refuses shows an error in place of the QR code.
//!
//! Built for size, because every byte is time before a shopper on a slow phone
//! sees a QR code:
//! - plain web-sys, no UI framework; each card is one string of markup set at
//!   once, made only of validated parts and our own words, all escaped;
//! - no `core::fmt` on any path (core's fmt-free writers, [`esc`], no `format!`);
//! - one JS callback for the whole page: a single `Closure` made at boot, bound
//!   to an event kind and a key (`Function.prototype.bind`) for each listener,
//!   timer and promise. Nothing is leaked per render or per widget: a widget's
//!   state is one entry in a list, dropped on unmount, and the bound functions
//!   are ordinary JS garbage.
//!
//! Layout: `glue.rs` (the browser functions, the page's state, the one
//! callback and its event kinds), `mount.rs` (which elements are widgets),
//! `render.rs` (the cards' markup), `live.rs` (following a session: WebSocket,
//! polling, what each view shows), `copy.rs` (the copy button), beside
//! `i18n.rs`, `poll.rs`, `style.rs` and the allocator (`heap.rs`). This file
//! holds the page's state and `dispatch`, which hands each event to them.

mod copy;
mod glue;
mod heap;
mod i18n;
mod live;
mod mount;
mod poll;
mod render;
mod style;

use i18n::Lang;
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, ShadowRoot};

pub use i18n::{choose as choose_language, find as find_language};
pub use live::show_view;
pub use mount::{mount, mounted_count, unmount};
pub use poll::{Outcome, Schedule};

use copy::{announce_copied, copy_with_textarea, on_click};
use glue::{
    bind, document, location_assign, with_page, with_page_later, Callback, Kind, GLOBAL_THIS,
};
use live::{
    connect, on_closed, on_failed, on_json, on_message, on_response, on_second, on_visible, tick,
    Live,
};
use mount::{mount_in, mount_within, on_mutations, unmount_in};

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static HEAP: heap::Classes = heap::Classes::new();

/// The attribute the ETN widget reads; kept so that ETN markup works unchanged.
pub const VENDOR_ATTRIBUTE: &str = "data-etn-vendor";
/// A live checkout session (`cs_...`); the language (`data-etn-lang`); what the
/// widget writes once it shows its session.
pub use checkout_core::embed::{LANG_ATTRIBUTE, SESSION_ATTRIBUTE, SHOWN_ATTRIBUTE};
const MOUNTED_ATTRIBUTE: &str = "data-edge-checkout-mounted";
const SELECTOR: &str = "[data-etn-vendor],[data-checkout-session]";

/// One mounted widget.
struct Widget {
    id: u32,
    host: Element,
    root: ShadowRoot,
    lang: Lang,
    /// The payment string shown, for the copy button.
    payment: String,
    live: Option<Live>,
}

#[derive(Default)]
struct Page {
    /// Where the worker is: the origin of the script's own URL.
    origin: String,
    browser_languages: Vec<String>,
    widgets: Vec<Widget>,
    /// Ids for widgets and poll chains, never reused.
    serial: u32,
    warned_language: bool,
    /// `dispatch` bound to `Kind::Click`: one listener function for every shadow
    /// root, so that mounting again never adds a second listener.
    click: Option<Callback>,
    /// The countdowns' interval, while some countdown is shown.
    interval: Option<i32>,
}

impl Page {
    fn next_serial(&mut self) -> u32 {
        self.serial += 1;
        self.serial
    }

    fn click_listener(&mut self) -> &Function {
        self.click
            .get_or_insert_with(|| bind(Kind::Click, 0))
            .unchecked_ref()
    }

    fn index_of(&self, host: &Element) -> Option<usize> {
        self.widgets.iter().position(|w| w.host == *host)
    }

    fn by_id(&mut self, id: u32) -> Option<&mut Widget> {
        self.widgets.iter_mut().find(|w| w.id == id)
    }

    fn by_chain(&mut self, chain: u32) -> Option<&mut Widget> {
        self.widgets.iter_mut().find(|w| {
            w.live
                .as_ref()
                .is_some_and(|l| l.chain == chain && !l.ended)
        })
    }
}

/// Starts the widget. The bootstrap in `widget.js` passes the script's own URL,
/// captured while the script first ran (`document.currentScript`).
#[wasm_bindgen]
pub fn boot(script_src: String) {
    let doc = document();
    with_page(|page| {
        page.origin = origin_of(&script_src).to_owned();
        let api = js_sys::Object::new();
        let _ = Reflect::set(&api, &"mount".into(), &bind(Kind::Mount, 0));
        let _ = Reflect::set(&api, &"unmount".into(), &bind(Kind::Unmount, 0));
        let _ = Reflect::set(&api, &"version".into(), &env!("CARGO_PKG_VERSION").into());
        let _ = GLOBAL_THIS.with(|g| Reflect::set(g, &"EdgeCheckout".into(), &api));
        let visibility = bind(Kind::Visibility, 0);
        let _ =
            doc.add_event_listener_with_callback("visibilitychange", visibility.unchecked_ref());
        // Elements already parsed mount now; the observer mounts the rest as the
        // parser (or the page) adds them, so there is no waiting for
        // DOMContentLoaded.
        if let Some(target) = doc.document_element() {
            let callback = bind(Kind::Mutations, 0);
            if let Ok(observer) = web_sys::MutationObserver::new(callback.unchecked_ref()) {
                let init = web_sys::MutationObserverInit::new();
                init.set_child_list(true);
                init.set_subtree(true);
                let _ = observer.observe_with_options(&target, &init);
            }
        }
    });
    mount_within(&doc);
}

/// `https://host:port` of an absolute URL (the script's own): up to the first
/// `/`, `?` or `#` after the `//` of the scheme.
fn origin_of(url: &str) -> &str {
    let bytes = url.as_bytes();
    let host = (0..bytes.len())
        .find(|&i| bytes[i..].starts_with(b"//"))
        .map_or(0, |i| i + 2);
    let end = (host..bytes.len())
        .find(|&i| matches!(bytes[i], b'/' | b'?' | b'#'))
        .unwrap_or(bytes.len());
    url.get(..end).unwrap_or("")
}

/// Everything the callbacks report, with the page's state in hand.
fn dispatch(kind: Kind, key: u32, value: JsValue) {
    let ran = with_page(|page| match kind {
        Kind::Visibility => on_visible(page),
        Kind::Mutations => on_mutations(page, value.unchecked_ref()),
        Kind::Mount => {
            if let Some(el) = value.dyn_ref::<Element>() {
                mount_in(page, el);
            }
        }
        Kind::Unmount => {
            if let Some(el) = value.dyn_ref::<Element>() {
                unmount_in(page, el);
            }
        }
        Kind::Click => on_click(page, value.unchecked_ref()),
        Kind::Tick => tick(page, key),
        Kind::Response => on_response(page, key, value.unchecked_ref()),
        Kind::Json => on_json(page, key, &value),
        Kind::Failed => on_failed(page, key),
        Kind::Second => on_second(page),
        Kind::Copied => announce_copied(page, key),
        Kind::CopyRefused => {
            if let Some(w) = page.by_id(key) {
                if copy_with_textarea(&w.payment) {
                    announce_copied(page, key);
                }
            }
        }
        Kind::Redirect => {
            if let Some(url) = page
                .by_id(key)
                .and_then(|w| w.live.as_mut()?.return_url.take())
            {
                location_assign(&url);
            }
        }
        Kind::Message => on_message(page, key, &value),
        Kind::Closed => on_closed(page, key, &value),
        Kind::Reconnect => {
            connect(page, key);
        }
    });
    if ran.is_none() {
        // Re-entered: run it once the current call is over.
        with_page_later(kind, key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_of_a_script_url() {
        assert_eq!(
            origin_of("https://pay.example:8443/v/0.1.0/widget.js?x=1"),
            "https://pay.example:8443"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8787/widget.js"),
            "http://127.0.0.1:8787"
        );
        assert_eq!(origin_of("https://pay.example"), "https://pay.example");
    }

    #[test]
    fn the_selector_finds_both_markups_by_their_attributes() {
        assert_eq!(
            SELECTOR,
            format!("[{VENDOR_ATTRIBUTE}],[{SESSION_ATTRIBUTE}]")
        );
    }
}
