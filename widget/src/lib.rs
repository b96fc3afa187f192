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
//! clears one. Validation is core's: a payment string core refuses shows an error
//! in place of the QR code, never a QR code for it.
//!
//! Plain web-sys rather than a UI framework: the widget is a few elements that
//! change a few times, and the size budget is better spent elsewhere.

mod i18n;
mod poll;
mod style;

use std::cell::RefCell;
use std::rc::Rc;

use checkout_core::qr::Qr;
use checkout_core::PaymentString;
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

pub use i18n::{choose as choose_language, find as find_language};
pub use poll::{Outcome, Schedule};

/// The attribute the ETN widget reads; kept so that ETN markup works unchanged.
pub const VENDOR_ATTRIBUTE: &str = "data-etn-vendor";
/// A live checkout session (`cs_...`).
pub const SESSION_ATTRIBUTE: &str = "data-checkout-session";
const LANG_ATTRIBUTE: &str = "data-etn-lang";
const MOUNTED_ATTRIBUTE: &str = "data-edge-checkout-mounted";
const SELECTOR: &str = "[data-etn-vendor],[data-checkout-session]";

/// A live widget: its element, whether it was unmounted, which polling chain is
/// the current one (a tab coming back starts a new chain; older ones end), and
/// its countdown timer.
struct Live {
    element: Element,
    stopped: bool,
    generation: u32,
    countdown: Option<i32>,
}

#[derive(Default)]
struct Globals {
    /// Where the worker is: the origin of the script's own URL.
    origin: String,
    live: Vec<Rc<RefCell<Live>>>,
    warned_language: bool,
}

thread_local! {
    static GLOBALS: RefCell<Globals> = RefCell::new(Globals::default());
}

fn window() -> web_sys::Window {
    web_sys::window().expect("the widget runs in a page")
}

fn document() -> Document {
    window().document().expect("a page has a document")
}

/// Starts the widget. The bootstrap in `widget.js` passes the script's own URL,
/// captured while the script first ran (`document.currentScript`).
#[wasm_bindgen]
pub fn boot(script_src: String) {
    let origin = web_sys::Url::new(&script_src)
        .map(|u| u.origin())
        .unwrap_or_default();
    GLOBALS.with(|g| g.borrow_mut().origin = origin);
    expose_api();
    let doc = document();
    if doc.ready_state() == "loading" {
        let on_ready = Closure::once_into_js(move || {
            mount_all(&document());
            observe(&document());
        });
        let _ = doc.add_event_listener_with_callback("DOMContentLoaded", on_ready.unchecked_ref());
    } else {
        mount_all(&doc);
        observe(&doc);
    }
    let on_visible = Closure::<dyn FnMut()>::new(|| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            let live: Vec<_> = GLOBALS.with(|g| g.borrow().live.clone());
            for widget in live {
                let generation = {
                    let mut w = widget.borrow_mut();
                    w.generation += 1;
                    w.generation
                };
                wasm_bindgen_futures::spawn_local(tick(
                    widget,
                    generation,
                    Schedule::default(),
                    None,
                ));
            }
        }
    });
    let _ = doc
        .add_event_listener_with_callback("visibilitychange", on_visible.as_ref().unchecked_ref());
    on_visible.forget();
}

/// `window.EdgeCheckout = { mount(el), unmount(el), version }` for frameworks.
fn expose_api() {
    let api = js_sys::Object::new();
    let mount_fn = Closure::<dyn Fn(JsValue)>::new(|el: JsValue| {
        if let Ok(el) = el.dyn_into::<Element>() {
            mount(&el);
        }
    });
    let unmount_fn = Closure::<dyn Fn(JsValue)>::new(|el: JsValue| {
        if let Ok(el) = el.dyn_into::<Element>() {
            unmount(&el);
        }
    });
    let _ = Reflect::set(&api, &"mount".into(), mount_fn.as_ref());
    let _ = Reflect::set(&api, &"unmount".into(), unmount_fn.as_ref());
    let _ = Reflect::set(&api, &"version".into(), &env!("CARGO_PKG_VERSION").into());
    mount_fn.forget();
    unmount_fn.forget();
    let _ = Reflect::set(&window(), &"EdgeCheckout".into(), &api);
}

fn mount_all(root: &Document) {
    if let Ok(nodes) = root.query_selector_all(SELECTOR) {
        for i in 0..nodes.length() {
            if let Some(el) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                mount(&el);
            }
        }
    }
}

/// Mounts elements added to the page later, and stops those removed.
fn observe(doc: &Document) {
    let callback = Closure::<dyn Fn(js_sys::Array)>::new(|records: js_sys::Array| {
        for record in records.iter() {
            let Ok(record) = record.dyn_into::<web_sys::MutationRecord>() else {
                continue;
            };
            let added = record.added_nodes();
            for i in 0..added.length() {
                let Some(el) = added.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                    continue;
                };
                if el.matches(SELECTOR).unwrap_or(false) {
                    mount(&el);
                }
                if let Ok(inner) = el.query_selector_all(SELECTOR) {
                    for j in 0..inner.length() {
                        if let Some(child) =
                            inner.item(j).and_then(|n| n.dyn_into::<Element>().ok())
                        {
                            mount(&child);
                        }
                    }
                }
            }
            let removed = record.removed_nodes();
            for i in 0..removed.length() {
                if let Some(el) = removed.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    if !el.is_connected() {
                        stop(&el);
                    }
                }
            }
        }
    });
    if let (Ok(observer), Some(target)) = (
        web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()),
        doc.document_element(),
    ) {
        let init = web_sys::MutationObserverInit::new();
        init.set_child_list(true);
        init.set_subtree(true);
        let _ = observer.observe_with_options(&target, &init);
    }
    callback.forget();
}

/// Renders the widget into `el`, once; a second call on the same element does nothing.
pub fn mount(el: &Element) {
    if el.has_attribute(MOUNTED_ATTRIBUTE) {
        return;
    }
    let _ = el.set_attribute(MOUNTED_ATTRIBUTE, "");
    let Some(root) = shadow(el) else { return };
    let words = language(el);
    if let Some(session) = el.get_attribute(SESSION_ATTRIBUTE) {
        let live = Rc::new(RefCell::new(Live {
            element: el.clone(),
            stopped: false,
            generation: 0,
            countdown: None,
        }));
        GLOBALS.with(|g| g.borrow_mut().live.push(live.clone()));
        render_status(&root, words, "waiting", words.waiting);
        if !valid_session_id(&session) {
            web_sys::console::error_1(
                &format!("Edge Checkout: data-checkout-session is not a session id: \"{session}\"")
                    .into(),
            );
        }
        wasm_bindgen_futures::spawn_local(tick(live, 0, Schedule::default(), None));
        return;
    }
    let text = el.get_attribute(VENDOR_ATTRIBUTE).unwrap_or_default();
    match text.parse::<PaymentString>() {
        Ok(payment) => render_payment(&root, words, &payment, None),
        Err(err) => {
            web_sys::console::error_1(
                &format!(
                    "Edge Checkout: invalid data-etn-vendor ({}): {err}",
                    err.code()
                )
                .into(),
            );
            render_error(&root, words, &err.to_string());
        }
    }
}

/// Stops and clears a widget; it can be mounted again.
pub fn unmount(el: &Element) {
    stop(el);
    if let Some(root) = el.shadow_root() {
        root.set_inner_html("");
    }
    let _ = el.remove_attribute(MOUNTED_ATTRIBUTE);
}

fn stop(el: &Element) {
    GLOBALS.with(|g| {
        g.borrow_mut().live.retain(|w| {
            let same = w.borrow().element == *el;
            if same {
                let mut w = w.borrow_mut();
                w.stopped = true;
                if let Some(id) = w.countdown.take() {
                    window().clear_interval_with_handle(id);
                }
            }
            !same
        })
    });
}

fn valid_session_id(id: &str) -> bool {
    id.parse::<checkout_core::ids::SessionId>().is_ok()
}

fn shadow(el: &Element) -> Option<ShadowRoot> {
    match el.shadow_root() {
        Some(root) => Some(root),
        None => el
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .ok(),
    }
}

fn language(el: &Element) -> &'static i18n::Words {
    let browser: Vec<String> = window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect();
    let attribute = el.get_attribute(LANG_ATTRIBUTE);
    let (words, unknown) = i18n::choose(attribute.as_deref(), &browser);
    if unknown {
        let first = GLOBALS.with(|g| !std::mem::replace(&mut g.borrow_mut().warned_language, true));
        if first {
            web_sys::console::warn_1(
                &format!(
                    "Edge Checkout: unknown data-etn-lang \"{}\"; using English",
                    attribute.unwrap_or_default()
                )
                .into(),
            );
        }
    }
    words
}

fn create(tag: &str, class: &str) -> Element {
    let el = document()
        .create_element(tag)
        .expect("creating a standard element cannot fail");
    if !class.is_empty() {
        el.set_class_name(class);
    }
    el
}

fn text(tag: &str, class: &str, content: &str) -> Element {
    let el = create(tag, class);
    el.set_text_content(Some(content));
    el
}

/// Replaces the shadow root's content with the style and one card.
fn replace(root: &ShadowRoot, words: &i18n::Words, card: &Element) {
    root.set_inner_html("");
    let _ = root.append_child(&text("style", "", style::CSS));
    let _ = card.set_attribute("lang", words.tag);
    let _ = card.set_attribute("dir", if words.rtl { "rtl" } else { "ltr" });
    let _ = root.append_child(card);
}

/// Live state, shown above the payment: (state name, sentence).
struct Status<'a> {
    state: &'a str,
    sentence: String,
    countdown: Option<String>,
}

fn render_payment(
    root: &ShadowRoot,
    words: &i18n::Words,
    payment: &PaymentString,
    status: Option<Status>,
) {
    let link = payment.deep_link();
    let card = create("div", "card");
    if let Some(status) = &status {
        let p = text("p", "status", &status.sentence);
        let _ = p.set_attribute("role", "status");
        let _ = p.set_attribute("data-state", status.state);
        let _ = card.append_child(&p);
        if let Some(countdown) = &status.countdown {
            let _ = card.append_child(&text("p", "countdown", countdown));
        }
    }
    let qr_link = create("a", "qr");
    let _ = qr_link.set_attribute("href", &link);
    let _ = qr_link.set_attribute("tabindex", "-1");
    match Qr::encode(&link) {
        // The SVG is made by core from a validated payment string: no page input.
        Ok(qr) => qr_link.set_inner_html(&qr.to_svg()),
        Err(_) => return render_error(root, words, "too long for a QR code"),
    }
    if let Some(svg) = qr_link.first_element_child() {
        let label = words
            .qr_label
            .replace("{amount}", &payment.amount().to_string())
            .replace("{outlet}", payment.vendor().outlet().as_str())
            .replace("{id}", payment.payment_id().as_str());
        let _ = svg.set_attribute("role", "img");
        let _ = svg.set_attribute("aria-label", &label);
    }
    let pay = text("a", "pay", words.pay);
    let _ = pay.set_attribute("href", &link);
    let copy = text("button", "copy", words.copy);
    let _ = copy.set_attribute("type", "button");
    let announce = create("p", "sr");
    let _ = announce.set_attribute("aria-live", "polite");
    let payment_text = payment.to_string();
    let copied = words.copied;
    let target = announce.clone();
    let on_click = Closure::<dyn Fn()>::new(move || copy_text(&payment_text, &target, copied));
    let _ = copy.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    for child in [
        &qr_link,
        &text("p", "caption", words.caption),
        &text("p", "amount", &format!("{} ETN", payment.amount())),
        &pay,
        &copy,
        &announce,
    ] {
        let _ = card.append_child(child);
    }
    replace(root, words, &card);
}

/// Copies with the Clipboard API, or the older `execCommand` where that is
/// refused, then announces it through the live region.
fn copy_text(value: &str, announce: &Element, copied: &'static str) {
    let announce = announce.clone();
    let value = value.to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        let navigator = window().navigator();
        let clipboard = Reflect::get(&navigator, &"clipboard".into()).unwrap_or(JsValue::UNDEFINED);
        let write = Reflect::get(&clipboard, &"writeText".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok());
        let mut ok = false;
        if let Some(write) = write {
            if let Ok(promise) = write.call1(&clipboard, &value.clone().into()) {
                ok = JsFuture::from(js_sys::Promise::from(promise)).await.is_ok();
            }
        }
        if !ok {
            ok = copy_with_textarea(&value);
        }
        if ok {
            // Clear first so that a second copy is announced again.
            announce.set_text_content(Some(""));
            announce.set_text_content(Some(copied));
        }
    });
}

fn copy_with_textarea(value: &str) -> bool {
    let doc = document();
    let Some(body) = doc.body() else { return false };
    let area = create("textarea", "");
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("style", "position:fixed;opacity:0;top:0;left:0");
    area.set_text_content(Some(value));
    let _ = body.append_child(&area);
    if let Ok(select) = Reflect::get(&area, &"select".into()).and_then(|f| f.dyn_into::<Function>())
    {
        let _ = select.call0(&area);
    }
    let ok = Reflect::get(&doc, &"execCommand".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call1(&doc, &"copy".into()).ok())
        .and_then(|r| r.as_bool())
        .unwrap_or(false);
    let _ = body.remove_child(&area);
    ok
}

fn render_error(root: &ShadowRoot, words: &i18n::Words, detail: &str) {
    let error = create("div", "error");
    let _ = error.set_attribute("role", "alert");
    // Text only: the attribute's content must never become markup.
    error.set_text_content(Some(&format!("{} ({detail})", words.invalid)));
    replace(root, words, &error);
}

/// A card with only a status line (loading, retrying, ended without a payment string).
fn render_status(root: &ShadowRoot, words: &i18n::Words, state: &str, sentence: &str) {
    let card = create("div", "card");
    let p = text("p", "status", sentence);
    let _ = p.set_attribute("role", "status");
    let _ = p.set_attribute("data-state", state);
    let _ = card.append_child(&p);
    replace(root, words, &card);
}

/// What the public session view says.
struct View {
    status: String,
    payment: Option<PaymentString>,
    expires_at: f64,
    return_url: Option<String>,
}

fn field(obj: &JsValue, name: &str) -> Option<String> {
    Reflect::get(obj, &name.into())
        .ok()
        .and_then(|v| v.as_string())
}

fn read_view(json: &JsValue) -> View {
    View {
        status: field(json, "status").unwrap_or_default(),
        payment: field(json, "payment_string").and_then(|p| p.parse().ok()),
        expires_at: Reflect::get(json, &"expires_at".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0),
        return_url: field(json, "return_url")
            .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
    }
}

/// Whether a polling chain should go on: the widget is mounted, the chain is the
/// current one, and the tab is visible (a hidden tab does not poll; coming back
/// starts a new chain).
fn current(widget: &Rc<RefCell<Live>>, generation: u32) -> bool {
    let w = widget.borrow();
    !w.stopped && w.generation == generation
}

/// One poll of the public view, then the next one on the schedule.
async fn tick(
    widget: Rc<RefCell<Live>>,
    generation: u32,
    mut schedule: Schedule,
    etag: Option<String>,
) {
    let hidden = document().visibility_state() != web_sys::VisibilityState::Visible;
    // The first poll always runs, so that a widget mounted in a hidden tab is not blank.
    if !current(&widget, generation) || (hidden && etag.is_some()) {
        return;
    }
    let el = widget.borrow().element.clone();
    let Some(root) = el.shadow_root() else { return };
    let words = language(&el);
    let session = el.get_attribute(SESSION_ATTRIBUTE).unwrap_or_default();
    let origin = GLOBALS.with(|g| g.borrow().origin.clone());
    let url = format!(
        "{origin}/v1/sessions/{}/public",
        js_sys::encode_uri_component(&session)
    );
    let (outcome, new_etag, view) = fetch_view(&url, etag.as_deref()).await;
    if !current(&widget, generation) {
        return;
    }
    let etag = new_etag.or(etag);
    match (&outcome, view) {
        // A session that ended stops the schedule.
        (Outcome::Changed, Some(view)) if show(&root, words, &view, &widget) => return,
        (Outcome::Failed, _) => render_status(&root, words, "retrying", words.retrying),
        _ => {}
    }
    let delay = schedule.next(outcome);
    let next = Closure::once_into_js(move || {
        wasm_bindgen_futures::spawn_local(tick(widget, generation, schedule, etag))
    });
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(next.unchecked_ref(), delay as i32);
}

/// Renders a view; `true` when the session has ended (and the widget stopped).
fn show(
    root: &ShadowRoot,
    words: &'static i18n::Words,
    view: &View,
    widget: &Rc<RefCell<Live>>,
) -> bool {
    match (view.status.as_str(), &view.payment) {
        ("pending", Some(payment)) => {
            let remaining =
                ((view.expires_at * 1000.0 - js_sys::Date::now()) / 1000.0).ceil() as i64;
            let status = Status {
                state: "pending",
                sentence: words.waiting.to_owned(),
                countdown: Some(format!(
                    "{} {}",
                    words.expires_in,
                    i18n::countdown(remaining)
                )),
            };
            render_payment(root, words, payment, Some(status));
            start_countdown(root.clone(), words, view.expires_at, widget.clone());
            false
        }
        ("paid" | "fulfilled", _) => {
            end_session(widget);
            render_status(root, words, "paid", words.paid);
            if let Some(url) = &view.return_url {
                let url = url.clone();
                let go = Closure::once_into_js(move || {
                    let _ = window().location().assign(&url);
                });
                let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
                    go.unchecked_ref(),
                    1500,
                );
            }
            true
        }
        ("expired" | "timed_out" | "cancelled", _) => {
            end_session(widget);
            render_status(root, words, "expired", words.expired);
            true
        }
        _ => {
            render_status(root, words, "retrying", words.retrying);
            false
        }
    }
}

/// Updates the countdown line every second while the card is shown.
fn start_countdown(
    root: ShadowRoot,
    words: &'static i18n::Words,
    expires_at: f64,
    widget: Rc<RefCell<Live>>,
) {
    let Ok(Some(line)) = root.query_selector(".countdown") else {
        return;
    };
    let step = Closure::<dyn FnMut()>::new(move || {
        let remaining = ((expires_at * 1000.0 - js_sys::Date::now()) / 1000.0).ceil() as i64;
        line.set_text_content(Some(&format!(
            "{} {}",
            words.expires_in,
            i18n::countdown(remaining)
        )));
    });
    let id = window()
        .set_interval_with_callback_and_timeout_and_arguments_0(step.as_ref().unchecked_ref(), 1000)
        .ok();
    step.forget();
    if let Some(old) = std::mem::replace(&mut widget.borrow_mut().countdown, id) {
        window().clear_interval_with_handle(old);
    }
}

/// The session ended: no countdown, and no more polls, not even when the tab
/// comes back.
fn end_session(widget: &Rc<RefCell<Live>>) {
    let mut w = widget.borrow_mut();
    w.stopped = true;
    if let Some(id) = w.countdown.take() {
        window().clear_interval_with_handle(id);
    }
}

/// GET the public view with `If-None-Match`: (outcome, ETag, parsed body).
async fn fetch_view(url: &str, etag: Option<&str>) -> (Outcome, Option<String>, Option<View>) {
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    let Ok(request) = web_sys::Request::new_with_str_and_init(url, &init) else {
        return (Outcome::Failed, None, None);
    };
    if let Some(etag) = etag {
        let _ = request.headers().set("If-None-Match", etag);
    }
    let Ok(response) = JsFuture::from(window().fetch_with_request(&request)).await else {
        return (Outcome::Failed, None, None);
    };
    let Ok(response) = response.dyn_into::<web_sys::Response>() else {
        return (Outcome::Failed, None, None);
    };
    let new_etag = response.headers().get("etag").ok().flatten();
    match response.status() {
        304 => (Outcome::NotModified, new_etag, None),
        200 => {
            let Ok(json) = response.json() else {
                return (Outcome::Failed, None, None);
            };
            match JsFuture::from(json).await {
                Ok(json) => (Outcome::Changed, new_etag, Some(read_view(&json))),
                Err(_) => (Outcome::Failed, None, None),
            }
        }
        _ => (Outcome::Failed, None, None),
    }
}
