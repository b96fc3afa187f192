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

mod heap;
mod i18n;
mod poll;
mod style;

use std::cell::{Cell, OnceCell, UnsafeCell};

use checkout_core::qr::Qr;
use checkout_core::session::State;
use checkout_core::PaymentString;
use i18n::{Lang, Text};
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

pub use i18n::{choose as choose_language, find as find_language};
pub use poll::{Outcome, Schedule};

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static HEAP: heap::Classes = heap::Classes::new();

/// The attribute the ETN widget reads; kept so that ETN markup works unchanged.
pub const VENDOR_ATTRIBUTE: &str = "data-etn-vendor";
/// A live checkout session (`cs_...`).
pub const SESSION_ATTRIBUTE: &str = "data-checkout-session";
const LANG_ATTRIBUTE: &str = "data-etn-lang";
const MOUNTED_ATTRIBUTE: &str = "data-edge-checkout-mounted";
const SELECTOR: &str = "[data-etn-vendor],[data-checkout-session]";

/// What a bound callback reports; the first argument of [`dispatch`].
#[derive(Clone, Copy)]
#[repr(u32)]
enum Kind {
    Visibility,
    Mutations,
    Mount,
    Unmount,
    Click,
    /// The poll chain `key` is due.
    Tick,
    /// The public view answered (value: the Response).
    Response,
    /// Its body parsed (value: the JSON).
    Json,
    /// The request or the parsing failed.
    Failed,
    /// The countdowns' one-second interval.
    Second,
    Copied,
    /// The Clipboard API refused: try the old way.
    CopyRefused,
    /// Time to follow the return URL of widget `key`.
    Redirect,
    /// Widget `key`'s socket brought a view (value: the MessageEvent).
    Message,
    /// Widget `key`'s socket closed (value: the CloseEvent).
    Closed,
    /// Time for widget `key` to open its socket again.
    Reconnect,
}

const KINDS: [Kind; 16] = [
    Kind::Visibility,
    Kind::Mutations,
    Kind::Mount,
    Kind::Unmount,
    Kind::Click,
    Kind::Tick,
    Kind::Response,
    Kind::Json,
    Kind::Failed,
    Kind::Second,
    Kind::Copied,
    Kind::CopyRefused,
    Kind::Redirect,
    Kind::Message,
    Kind::Closed,
    Kind::Reconnect,
];

/// A live session's state: its socket, and polling while there is none.
struct Live {
    session: String,
    /// The WebSocket that pushes the session's view, while one is open or
    /// opening.
    socket: Option<Socket>,
    /// Whether the socket has brought a view since it was opened: then no
    /// poll chain runs.
    pushed: bool,
    /// Sockets that closed or failed in a row (the reconnect backs off).
    drops: u32,
    /// The current poll chain; callbacks of older chains find no widget and stop.
    chain: u32,
    schedule: Schedule,
    etag: Option<String>,
    /// Whether the first poll has run (a hidden tab polls once, never again).
    polled: bool,
    /// The session ended: no more polls, not even when the tab comes back.
    ended: bool,
    expires_at: f64,
    return_url: Option<String>,
    /// The countdown line while an open session (pending, partially paid)
    /// is shown.
    countdown: Option<Element>,
}

impl Drop for Live {
    /// A widget that goes (unmounted, or removed from the page) closes its
    /// socket: nothing stays open for a page that no longer shows it.
    fn drop(&mut self) {
        if let Some(socket) = self.socket.take() {
            socket.close();
        }
    }
}

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

/// The page's state. wasm32 here has one thread, and the state is only touched
/// from [`dispatch`] and the exported entry points, which JS never re-enters
/// while one of them runs (`busy`). Plain statics rather than `thread_local!`,
/// whose access checks cost the widget about 1 KB.
struct Global {
    page: UnsafeCell<Option<Page>>,
    busy: Cell<bool>,
    /// The one Rust callback of the page, made on first use and never dropped
    /// (it is one, whatever the page does).
    dispatch: OnceCell<Callback>,
}
// SAFETY: wasm32-unknown-unknown without threads: one thread touches it.
unsafe impl Sync for Global {}
static GLOBAL: Global = Global {
    page: UnsafeCell::new(None),
    busy: Cell::new(false),
    dispatch: OnceCell::new(),
};

/// The few browser functions the widget calls beyond web-sys's element
/// methods, declared here with plain signatures: each import costs glue in
/// `widget.js`, and these need no `window` lookup.
#[wasm_bindgen]
extern "C" {
    /// A JS function: the dispatcher, or the dispatcher bound to arguments.
    type Callback;
    #[wasm_bindgen(method, js_name = bind)]
    fn bind2(this: &Callback, context: &JsValue, kind: u32, key: u32) -> Callback;
    #[wasm_bindgen(method, js_name = bind)]
    fn bind3(this: &Callback, context: &JsValue, kind: u32, key: u32, value: &JsValue) -> Callback;
    /// A promise, as far as the widget uses one.
    type Thenable;
    #[wasm_bindgen(method, js_name = then)]
    fn then2(this: &Thenable, ok: &Callback, failed: &Callback);
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Callback, ms: u32) -> i32;
    #[wasm_bindgen(js_name = setInterval)]
    fn set_interval(callback: &Callback, ms: u32) -> i32;
    #[wasm_bindgen(js_name = clearInterval)]
    fn clear_interval(id: i32);
    #[wasm_bindgen(js_name = fetch)]
    fn fetch(url: &str, init: &web_sys::RequestInit) -> Promise;
    /// The browser's WebSocket, as far as the widget uses one.
    #[wasm_bindgen(js_name = WebSocket)]
    type Socket;
    #[wasm_bindgen(catch, constructor, js_class = WebSocket)]
    fn open(url: &str) -> Result<Socket, JsValue>;
    #[wasm_bindgen(method, js_name = addEventListener)]
    fn listen(this: &Socket, kind: &str, callback: &Callback);
    #[wasm_bindgen(method)]
    fn close(this: &Socket);
    #[wasm_bindgen(js_namespace = JSON, catch)]
    fn parse(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = location, js_name = assign)]
    fn location_assign(url: &str);
    // The page's globals, read directly: no `window` lookup (web_sys::window()
    // tries four names for the global object).
    #[wasm_bindgen(thread_local_v2, js_name = document)]
    static DOCUMENT: Document;
    #[wasm_bindgen(thread_local_v2, js_name = navigator)]
    static NAVIGATOR: web_sys::Navigator;
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: js_sys::Object;
}

fn then(promise: &Promise, ok: &Callback, failed: &Callback) {
    promise.unchecked_ref::<Thenable>().then2(ok, failed);
}

/// `dispatch` bound to a kind and a key, as a JS function.
fn bind(kind: Kind, key: u32) -> Callback {
    dispatcher().bind2(&JsValue::NULL, kind as u32, key)
}

fn dispatcher() -> &'static Callback {
    GLOBAL.dispatch.get_or_init(|| {
        Closure::<dyn FnMut(u32, u32, JsValue)>::new(|kind: u32, key: u32, value: JsValue| {
            if let Some(&kind) = KINDS.get(kind as usize) {
                dispatch(kind, key, value);
            }
        })
        .into_js_value()
        .unchecked_into()
    })
}

/// Runs `f` on the page's state. A call that arrives while another runs (a
/// page listener reacting synchronously to our DOM changes and calling
/// `EdgeCheckout.mount`) is queued for later rather than run inside it.
fn with_page<R>(f: impl FnOnce(&mut Page) -> R) -> Option<R> {
    if GLOBAL.busy.replace(true) {
        return None;
    }
    // SAFETY: one thread, and `busy` guarantees a single live reference.
    let page = unsafe { (*GLOBAL.page.get()).get_or_insert_with(Page::default) };
    let result = f(page);
    GLOBAL.busy.set(false);
    Some(result)
}

fn document() -> Document {
    DOCUMENT.with(Document::clone)
}

fn hidden() -> bool {
    DOCUMENT.with(Document::hidden)
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

fn with_page_later(kind: Kind, key: u32, value: JsValue) {
    set_timeout(
        &dispatcher().bind3(&JsValue::NULL, kind as u32, key, &value),
        0,
    );
}

/// Mounts every widget element of the page.
fn mount_within(doc: &Document) {
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

fn mount_in(page: &mut Page, el: &Element) {
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
        if session.parse::<checkout_core::ids::SessionId>().is_err() {
            console_error("data-checkout-session is not a session id: ", &session);
            render_error(&widget, "not a checkout session id");
        } else {
            render_status(&widget, "waiting", widget.lang.text(Text::Waiting));
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
                expires_at: 0.0,
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

fn unmount_in(page: &mut Page, el: &Element) {
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
fn on_mutations(page: &mut Page, records: &js_sys::Array) {
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

fn language(page: &mut Page, el: &Element) -> Lang {
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
        let mut text = String::from("Edge Checkout: unknown data-etn-lang \"");
        text.push_str(&attribute.unwrap_or_default());
        text.push_str("\"; using English");
        web_sys::console::warn_1(&text.into());
    }
    lang
}

fn console_error(what: &str, detail: &str) {
    let mut text = String::from("Edge Checkout: ");
    text.push_str(what);
    text.push_str(detail);
    web_sys::console::error_1(&text.into());
}

/// Appends `text` escaped for HTML text and attribute values. Bytes, not
/// chars: the four specials are ASCII, so the pieces between them are whole
/// UTF-8, and no char decoding is linked for this.
fn esc(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(text.get(start..i).unwrap_or(""));
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or(""));
}

/// The start of every card: the style, then the card in the widget's language.
fn open_card(lang: Lang, class: &str, extra: &str) -> String {
    let mut html = String::with_capacity(6000);
    html.push_str("<style>");
    html.push_str(style::CSS);
    html.push_str("</style><div class=\"");
    html.push_str(class);
    html.push_str("\" lang=\"");
    html.push_str(lang.tag());
    html.push_str(if lang.rtl() {
        "\" dir=\"rtl\""
    } else {
        "\" dir=\"ltr\""
    });
    html.push_str(extra);
    html.push('>');
    html
}

fn push_status(html: &mut String, state: &str, sentence: &str) {
    html.push_str("<p class=\"status\" role=\"status\" data-state=\"");
    html.push_str(state);
    html.push_str("\">");
    esc(html, sentence);
    html.push_str("</p>");
}

/// A card with only a status line (loading, retrying, in review, ended).
fn render_status(widget: &Widget, state: &str, sentence: &str) {
    let mut html = open_card(widget.lang, "card", "");
    push_status(&mut html, state, sentence);
    html.push_str("</div>");
    widget.root.set_inner_html(&html);
}

/// An accessible error instead of a QR code. Text only: what the page wrote in
/// the attribute never reaches the markup.
fn render_error(widget: &Widget, detail: &str) {
    let mut html = open_card(widget.lang, "error", " role=\"alert\"");
    esc(&mut html, widget.lang.text(Text::Invalid));
    html.push_str(" (");
    esc(&mut html, detail);
    html.push_str(")</div>");
    widget.root.set_inner_html(&html);
}

/// `template` with each `{name}` slot replaced by the value `slots` pairs with
/// that name (a name it lacks is left bare; the i18n tests check that every
/// language has exactly its English sentence's slots).
fn fill(template: &str, slots: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 40);
    // The braces are ASCII, so every piece between them is whole UTF-8.
    let (mut text, mut slot) = (0, None);
    for (i, b) in template.bytes().enumerate() {
        match (b, slot) {
            (b'{', _) => {
                out.push_str(template.get(text..i).unwrap_or(""));
                text = i;
                slot = Some(i + 1);
            }
            (b'}', Some(start)) => {
                let name = template.get(start..i).unwrap_or("");
                out.push_str(
                    slots
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map_or(name, |(_, value)| value),
                );
                slot = None;
                text = i + 1;
            }
            _ => {}
        }
    }
    out.push_str(template.get(text..).unwrap_or(""));
    out
}

/// An ETN amount (a plain decimal) written the way `lang` writes numbers
/// (CLDR's separators and grouping, as the hosted page writes them); text
/// that is not a decimal is kept as it is.
fn local(lang: Lang, amount: &str) -> String {
    match amount.parse::<checkout_core::Decimal>() {
        Ok(value) => checkout_core::localized::number(lang.tag(), value, 2),
        Err(_) => amount.to_owned(),
    }
}

/// The QR code's accessible name: the sentence with its slots filled.
fn qr_label(lang: Lang, payment: &PaymentString) -> String {
    let mut amount = String::new();
    payment.amount().write_to(&mut amount);
    let amount = local(lang, &amount);
    fill(
        lang.text(Text::QrLabel),
        &[
            ("amount", &amount),
            ("outlet", payment.vendor().outlet().as_str()),
            ("id", payment.payment_id().as_str()),
        ],
    )
}

/// Whether `text` is a plain decimal (`8000.00`, `12`): digits, and at most
/// one dot with digits on both sides. An amount of the public view that is not
/// is treated as absent, never put in a sentence.
fn plain_decimal(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match text.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(text),
    }
}

/// Whether a plain decimal is more than zero: any digit but 0 (no floats).
fn more_than_zero(amount: &str) -> bool {
    amount.bytes().any(|b| matches!(b, b'1'..=b'9'))
}

/// The payment card; live widgets pass their status line (its `data-state`
/// and sentence) and the expiry, and get a countdown line.
fn render_payment(widget: &mut Widget, payment: &PaymentString, status: Option<(&str, &str, f64)>) {
    let lang = widget.lang;
    let link = payment.deep_link();
    let Ok(qr) = Qr::encode(&link) else {
        return render_error(widget, "too long for a QR code");
    };
    let mut attributes = String::from("role=\"img\" aria-label=\"");
    esc(&mut attributes, &qr_label(lang, payment));
    attributes.push('"');
    let mut html = open_card(lang, "card", "");
    if let Some((state, sentence, expires_at)) = status {
        push_status(&mut html, state, sentence);
        html.push_str("<p class=\"countdown\">");
        push_countdown_text(&mut html, lang, expires_at);
        html.push_str("</p>");
    }
    html.push_str("<a class=\"qr\" tabindex=\"-1\" href=\"");
    esc(&mut html, &link);
    html.push_str("\">");
    html.push_str(&qr.svg_with(&attributes));
    html.push_str("</a><p class=\"caption\">");
    esc(&mut html, lang.text(Text::Caption));
    html.push_str("</p><p class=\"amount\">");
    // Written the way the language writes ETN amounts (the hosted page's way).
    esc(
        &mut html,
        &checkout_core::localized::etn(lang.tag(), payment.amount().value()),
    );
    html.push_str("</p><a class=\"pay\" href=\"");
    esc(&mut html, &link);
    html.push_str("\">");
    esc(&mut html, lang.text(Text::Pay));
    html.push_str("</a><button class=\"copy\" type=\"button\">");
    esc(&mut html, lang.text(Text::Copy));
    html.push_str("</button><p class=\"sr\" aria-live=\"polite\"></p></div>");
    widget.root.set_inner_html(&html);
    widget.payment.clear();
    payment.write_to(&mut widget.payment);
}

fn push_countdown_text(out: &mut String, lang: Lang, expires_at: f64) {
    esc(out, lang.text(Text::ExpiresIn));
    out.push(' ');
    let remaining = ((expires_at * 1000.0 - js_sys::Date::now()) / 1000.0).ceil() as i64;
    i18n::push_countdown(out, remaining);
}

/// The copy button, wherever it is: one listener per shadow root, which finds
/// its widget.
fn on_click(page: &mut Page, event: &web_sys::Event) {
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

fn announce_copied(page: &mut Page, id: u32) {
    let Some(w) = page.by_id(id) else { return };
    if let Ok(Some(live)) = w.root.query_selector(".sr") {
        // Clear first so that a second copy is announced again.
        live.set_text_content(Some(""));
        live.set_text_content(Some(w.lang.text(Text::Copied)));
    }
}

/// `execCommand("copy")` on a hidden text area, where the Clipboard API is
/// missing or refused.
fn copy_with_textarea(value: &str) -> bool {
    let doc = document();
    let (Some(body), Ok(area)) = (doc.body(), doc.create_element("textarea")) else {
        return false;
    };
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("style", "position:fixed;opacity:0;top:0;left:0");
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

/// The tab came back: every live widget that has not ended starts a new poll
/// chain (older chains stop when they find their number gone).
fn on_visible(page: &mut Page) {
    if hidden() {
        return;
    }
    let mut chains = Vec::new();
    let mut sockets = Vec::new();
    for i in 0..page.widgets.len() {
        let chain = page.next_serial();
        let id = page.widgets[i].id;
        if let Some(live) = page.widgets[i]
            .live
            .as_mut()
            .filter(|l| !l.ended && !l.pushed)
        {
            live.chain = chain;
            live.schedule = Schedule::default();
            chains.push(chain);
            if live.socket.is_none() {
                sockets.push(id);
            }
        }
    }
    for id in sockets {
        connect(page, id);
    }
    for chain in chains {
        tick(page, chain);
    }
}

/// The most a reconnect waits (ms).
const MAX_RECONNECT_MS: u32 = 60_000;

/// Opens widget `id`'s socket to the worker it came from
/// (`/v1/sessions/{id}/live`), unless one is open or the session ended; true
/// when one is opening. A browser without WebSockets, or a page that forbids
/// them, polls instead.
fn connect(page: &mut Page, id: u32) -> bool {
    let mut url = String::new();
    let origin = page.origin.as_str();
    match origin.strip_prefix("https://") {
        Some(host) => {
            url.push_str("wss://");
            url.push_str(host);
        }
        None => {
            url.push_str("ws://");
            url.push_str(origin.strip_prefix("http://").unwrap_or(origin));
        }
    }
    let Some(live) = page.by_id(id).and_then(|w| w.live.as_mut()) else {
        return false;
    };
    if live.ended || live.socket.is_some() {
        return false;
    }
    url.push_str("/v1/sessions/");
    url.push_str(&live.session);
    url.push_str("/live");
    let Ok(socket) = Socket::open(&url) else {
        return false;
    };
    socket.listen("message", &bind(Kind::Message, id));
    socket.listen("close", &bind(Kind::Closed, id));
    live.socket = Some(socket);
    live.pushed = false;
    true
}

/// A view pushed by the socket: the poll chain stops (the socket brings every
/// change from now on).
fn on_message(page: &mut Page, id: u32, event: &JsValue) {
    let chain = page.next_serial();
    let Some(w) = page.by_id(id) else { return };
    let Some(live) = w.live.as_mut() else { return };
    let view = Reflect::get(event, &"data".into())
        .ok()
        .and_then(|d| d.as_string())
        .and_then(|text| parse(&text).ok());
    let Some(view) = view else { return };
    live.pushed = true;
    live.drops = 0;
    live.chain = chain;
    show(page, chain, &view);
}

/// The socket closed: unless the session ended, poll at once (a change may
/// have come while it was down) and open it again after a growing wait.
fn on_closed(page: &mut Page, id: u32, _event: &JsValue) {
    let chain = page.next_serial();
    let Some(live) = page.by_id(id).and_then(|w| w.live.as_mut()) else {
        return;
    };
    live.socket = None;
    if live.ended {
        return;
    }
    let polling = !live.pushed;
    live.pushed = false;
    live.drops = live.drops.saturating_add(1);
    let wait = 1_000u32
        .saturating_mul(1 << live.drops.min(6))
        .min(MAX_RECONNECT_MS);
    if !polling {
        live.chain = chain;
        live.schedule = Schedule::default();
        tick(page, chain);
    }
    set_timeout(&bind(Kind::Reconnect, id), wait);
}

/// One poll of the public view, with `If-None-Match`.
fn tick(page: &mut Page, chain: u32) {
    let origin = page.origin.clone();
    let Some(live) = page.by_chain(chain).and_then(|w| w.live.as_mut()) else {
        return;
    };
    // The first poll always runs, so that a widget mounted in a hidden tab is not blank.
    if hidden() && live.polled {
        return;
    }
    live.polled = true;
    let mut url = origin;
    url.push_str("/v1/sessions/");
    url.push_str(&live.session);
    url.push_str("/public");
    let init = web_sys::RequestInit::new();
    if let Some(etag) = &live.etag {
        let headers = js_sys::Object::new();
        let _ = Reflect::set(&headers, &"If-None-Match".into(), &etag.into());
        init.set_headers(&headers);
    }
    then(
        &fetch(&url, &init),
        &bind(Kind::Response, chain),
        &bind(Kind::Failed, chain),
    );
}

fn on_response(page: &mut Page, chain: u32, response: &web_sys::Response) {
    let json = bind(Kind::Json, chain);
    let failed = bind(Kind::Failed, chain);
    let Some(live) = page.by_chain(chain).and_then(|w| w.live.as_mut()) else {
        return;
    };
    if let Ok(Some(etag)) = response.headers().get("etag") {
        live.etag = Some(etag);
    }
    match response.status() {
        304 => schedule(page, chain, Outcome::NotModified),
        200 => match response.json() {
            Ok(body) => then(&body, &json, &failed),
            Err(_) => on_failed(page, chain),
        },
        _ => on_failed(page, chain),
    }
}

fn on_failed(page: &mut Page, chain: u32) {
    let Some(w) = page.by_chain(chain) else {
        return;
    };
    if let Some(live) = w.live.as_mut() {
        live.countdown = None;
    }
    render_status(w, "retrying", w.lang.text(Text::Retrying));
    schedule(page, chain, Outcome::Failed);
}

/// The next poll of a chain, after the delay its schedule gives.
fn schedule(page: &mut Page, chain: u32, outcome: Outcome) {
    let next = bind(Kind::Tick, chain);
    let Some(live) = page.by_chain(chain).and_then(|w| w.live.as_mut()) else {
        return;
    };
    let delay = live.schedule.next(outcome);
    set_timeout(&next, delay);
}

fn text_field(json: &JsValue, name: &str) -> Option<String> {
    Reflect::get(json, &name.into()).ok()?.as_string()
}

/// An ETN amount of the view (`etn_received`...), if it is a plain decimal.
fn amount_field(json: &JsValue, name: &str) -> Option<String> {
    text_field(json, name).filter(|a| plain_decimal(a))
}

/// A new public view from a poll: render it, and go on polling unless the
/// session ended or its socket pushes views now.
fn on_json(page: &mut Page, chain: u32, json: &JsValue) {
    if show(page, chain, json) {
        schedule(page, chain, Outcome::Changed);
    }
}

/// Renders a public view (from a poll or the socket) in the widget of
/// `chain`; true while the session goes on. Open sessions (pending, partially
/// paid) show the payment card of what is still due, with a countdown; a
/// payment in review shows a status line and goes on (the merchant may accept
/// it: then it is paid); paid, expired and cancelled end it, unless the view
/// says `"ended": false` (an expired session a late payment may still reach).
fn show(page: &mut Page, chain: u32, json: &JsValue) -> bool {
    let status = text_field(json, "status").and_then(|s| State::from_wire(&s));
    let payment: Option<PaymentString> =
        text_field(json, "payment_string").and_then(|p| p.parse().ok());
    let expires_at = Reflect::get(json, &"expires_at".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let return_url = text_field(json, "return_url")
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let received = amount_field(json, "etn_received");
    let followed = Reflect::get(json, &"ended".into())
        .ok()
        .and_then(|v| v.as_bool())
        == Some(false);
    let Some(w) = page.by_chain(chain) else {
        return false;
    };
    let (id, lang) = (w.id, w.lang);
    // Whether the payment card, with its countdown, is shown.
    let mut open = false;
    let ended = match (status, payment) {
        (Some(state), Some(payment)) if state.is_open() => {
            // What is due is the payment string's amount: the one under the QR code.
            let mut due = String::new();
            payment.amount().write_to(&mut due);
            let sentence = match (state, received, amount_field(json, "etn_amount")) {
                (State::PartiallyPaid, Some(received), Some(total)) => fill(
                    lang.text(Text::PartiallyPaid),
                    &[
                        ("received", &local(lang, &received)),
                        ("total", &local(lang, &total)),
                        ("due", &local(lang, &due)),
                    ],
                ),
                _ => lang.text(Text::Waiting).to_owned(),
            };
            render_payment(w, &payment, Some((state.as_str(), &sentence, expires_at)));
            open = true;
            false
        }
        (Some(State::Paid), _) => {
            let sentence = match amount_field(json, "etn_excess").filter(|e| more_than_zero(e)) {
                Some(excess) => fill(
                    lang.text(Text::PaidOver),
                    &[("excess", &local(lang, &excess))],
                ),
                None => lang.text(Text::Paid).to_owned(),
            };
            render_status(w, "paid", &sentence);
            if let Some(live) = w.live.as_mut() {
                live.return_url = return_url;
                if live.return_url.is_some() {
                    set_timeout(&bind(Kind::Redirect, id), 1500);
                }
            }
            true
        }
        (Some(State::NeedsReview), _) => {
            render_status(w, "needs_review", lang.text(Text::NeedsReview));
            false
        }
        (Some(State::Expired | State::Cancelled), _) => {
            let sentence = match received.filter(|r| more_than_zero(r)) {
                Some(received) => fill(
                    lang.text(Text::EndedRefund),
                    &[("received", &local(lang, &received))],
                ),
                None => lang.text(Text::Expired).to_owned(),
            };
            render_status(w, "expired", &sentence);
            true
        }
        // Open without a payment string, or a status this widget does not know.
        _ => {
            render_status(w, "retrying", lang.text(Text::Retrying));
            false
        }
    };
    let ended = ended && !followed;
    let countdown = if open {
        w.root.query_selector(".countdown").ok().flatten()
    } else {
        None
    };
    if let Some(live) = w.live.as_mut() {
        live.ended = ended;
        live.expires_at = expires_at;
        live.countdown = countdown;
    }
    if !open {
        stop_interval_if_idle(page);
    } else if page.interval.is_none() {
        page.interval = Some(set_interval(&bind(Kind::Second, 0), 1000));
    }
    !ended
}

/// Renders `view` in the live widget of `el` as a poll would; true while its
/// session goes on (false also when `el` is no live widget, or its session
/// ended). A hook for the component tests: not exported to JS, so the shipped
/// widget carries none of it.
#[doc(hidden)]
pub fn show_view(el: &Element, view: &JsValue) -> bool {
    with_page(|page| {
        let chain = page.widgets[page.index_of(el)?].live.as_ref()?.chain;
        Some(show(page, chain, view))
    })
    .flatten()
    .unwrap_or(false)
}

/// Every second: each shown countdown.
fn on_second(page: &mut Page) {
    for w in &page.widgets {
        if let Some((line, expires_at)) = w
            .live
            .as_ref()
            .and_then(|l| Some((l.countdown.as_ref()?, l.expires_at)))
        {
            let mut text = String::new();
            push_countdown_text(&mut text, w.lang, expires_at);
            line.set_text_content(Some(&text));
        }
    }
    stop_interval_if_idle(page);
}

fn stop_interval_if_idle(page: &mut Page) {
    let busy = page
        .widgets
        .iter()
        .any(|w| w.live.as_ref().is_some_and(|l| l.countdown.is_some()));
    if !busy {
        if let Some(id) = page.interval.take() {
            clear_interval(id);
        }
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
    fn escaping_leaves_no_markup() {
        let mut out = String::new();
        esc(&mut out, "<img src=x onerror=\"a&b\">");
        assert_eq!(out, "&lt;img src=x onerror=&quot;a&amp;b&quot;&gt;");
    }

    #[test]
    fn qr_labels_fill_every_slot() {
        let payment: PaymentString = "etn-it-0abc123def456/7ce25b4dc0/1234.56".parse().unwrap();
        assert_eq!(
            qr_label(i18n::ENGLISH, &payment),
            "QR code to pay 1,234.56 ETN to outlet 0abc123def456, payment 7ce25b4dc0"
        );
        // Written the way each language writes numbers (CLDR).
        assert!(qr_label(i18n::find("de").unwrap(), &payment).contains("1.234,56"));
        let ur = i18n::find("ur").unwrap();
        let label = qr_label(ur, &payment);
        assert!(
            label.contains("1,234.56") && label.contains("0abc123def456") && !label.contains('{')
        );
    }

    #[test]
    fn slots_are_filled_by_name_wherever_they_are() {
        let slots = [
            ("received", "8000.00"),
            ("total", "19980.00"),
            ("due", "11980.00"),
        ];
        assert_eq!(
            fill(i18n::ENGLISH.text(Text::PartiallyPaid), &slots),
            "Received 8000.00 of 19980.00 ETN. Still due: 11980.00 ETN."
        );
        // Another language's order, the slot at either end, twice, or alone.
        assert_eq!(fill("{due}/{received}", &slots), "11980.00/8000.00");
        assert_eq!(fill("{due}{due}", &slots), "11980.0011980.00");
        assert_eq!(fill("{total}", &slots), "19980.00");
        assert_eq!(fill("", &slots), "");
        assert_eq!(fill("no slot", &[]), "no slot");
        // Non-ASCII text around slots stays whole.
        assert_eq!(
            fill("已收到 {total} ETN 中的 {received} ETN。", &slots),
            "已收到 19980.00 ETN 中的 8000.00 ETN。"
        );
        // A slot without a value keeps its bare name; stray braces stay text.
        assert_eq!(fill("a {other} b", &slots), "a other b");
        assert_eq!(fill("a } b {due", &slots), "a } b {due");
        assert_eq!(fill("a{b{due}", &slots), "a{b11980.00");
        // Values are put in as they are: the markup escapes them later.
        assert_eq!(fill("{x}", &[("x", "<b>")]), "<b>");
        let excess = fill(i18n::ENGLISH.text(Text::PaidOver), &[("excess", "0.05")]);
        assert_eq!(
            excess,
            "Paid. You paid 0.05 ETN more than was due: the merchant will refund it."
        );
        let refund = fill(
            i18n::ENGLISH.text(Text::EndedRefund),
            &[("received", "8000.00")],
        );
        assert_eq!(
            refund,
            "This checkout has ended. The merchant will refund the 8000.00 ETN received."
        );
    }

    #[test]
    fn amounts_are_plain_decimals_or_absent() {
        for good in ["0", "0.00", "8000.00", "11980.00", "12", "0.5"] {
            assert!(plain_decimal(good), "{good}");
        }
        for bad in [
            "", ".", "1.", ".5", "1.2.3", "-1.00", "+1", "1e3", "1,000.00", " 1.00", "1.00 ",
            "NaN", "١٢", "1.0<b>", "0x10",
        ] {
            assert!(!plain_decimal(bad), "{bad:?}");
        }
        for zero in ["0", "0.00", "000.0"] {
            assert!(!more_than_zero(zero), "{zero}");
        }
        for more in ["0.01", "1", "10.00", "0.10"] {
            assert!(more_than_zero(more), "{more}");
        }
    }
}
