//! The JS glue: the few browser functions the widget calls, declared with
//! plain signatures; the page's state and its one Rust callback, bound to an
//! event [`Kind`] and a key for every listener, timer and promise.

use std::cell::{Cell, OnceCell, UnsafeCell};

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Document;

use crate::Page;

/// Declares [`Kind`] and [`KINDS`] from one list, so that the table the
/// dispatcher reads a kind from (by its number) cannot disagree with the enum.
macro_rules! kinds {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// What a bound callback reports; the first argument of `dispatch`.
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        #[repr(u32)]
        pub(crate) enum Kind {
            $($(#[$doc])* $name,)*
        }

        /// Every kind, in the enum's order: `KINDS[k as usize] == k`.
        pub(crate) const KINDS: &[Kind] = &[$(Kind::$name,)*];
    };
}

kinds! {
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

// The dispatcher finds a kind by its number: each must be at its own place.
const _: () = {
    let mut i = 0;
    while i < KINDS.len() {
        assert!(KINDS[i] as usize == i);
        i += 1;
    }
};
/// The page's state. wasm32 here has one thread, and the state is only touched
/// from [`dispatch`] and the exported entry points, which JS never re-enters
/// while one of them runs (`busy`). Plain statics rather than `thread_local!`,
/// whose access checks cost the widget about 1 KB.
pub(crate) struct Global {
    page: UnsafeCell<Option<Page>>,
    busy: Cell<bool>,
    /// The one Rust callback of the page, made on first use and never dropped
    /// (it is one, whatever the page does).
    dispatch: OnceCell<Callback>,
}

// SAFETY: wasm32-unknown-unknown without threads: one thread touches it.
unsafe impl Sync for Global {}

pub(crate) static GLOBAL: Global = Global {
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
    pub(crate) type Callback;
    #[wasm_bindgen(method, js_name = bind)]
    pub(crate) fn bind2(this: &Callback, context: &JsValue, kind: u32, key: u32) -> Callback;
    #[wasm_bindgen(method, js_name = bind)]
    pub(crate) fn bind3(
        this: &Callback,
        context: &JsValue,
        kind: u32,
        key: u32,
        value: &JsValue,
    ) -> Callback;
    /// A promise, as far as the widget uses one.
    pub(crate) type Thenable;
    #[wasm_bindgen(method, js_name = then)]
    pub(crate) fn then2(this: &Thenable, ok: &Callback, failed: &Callback);
    #[wasm_bindgen(js_name = setTimeout)]
    pub(crate) fn set_timeout(callback: &Callback, ms: u32) -> i32;
    #[wasm_bindgen(js_name = setInterval)]
    pub(crate) fn set_interval(callback: &Callback, ms: u32) -> i32;
    #[wasm_bindgen(js_name = clearInterval)]
    pub(crate) fn clear_interval(id: i32);
    #[wasm_bindgen(js_name = fetch)]
    pub(crate) fn fetch(url: &str, init: &web_sys::RequestInit) -> Promise;
    /// The browser's WebSocket, as far as the widget uses one.
    #[wasm_bindgen(js_name = WebSocket)]
    pub(crate) type Socket;
    #[wasm_bindgen(catch, constructor, js_class = WebSocket)]
    pub(crate) fn open(url: &str) -> Result<Socket, JsValue>;
    #[wasm_bindgen(method, js_name = addEventListener)]
    pub(crate) fn listen(this: &Socket, kind: &str, callback: &Callback);
    #[wasm_bindgen(method)]
    pub(crate) fn close(this: &Socket);
    #[wasm_bindgen(js_namespace = JSON, catch)]
    pub(crate) fn parse(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = location, js_name = assign)]
    pub(crate) fn location_assign(url: &str);
    // The page's globals, read directly: no `window` lookup (web_sys::window()
    // tries four names for the global object).
    #[wasm_bindgen(thread_local_v2, js_name = document)]
    pub(crate) static DOCUMENT: Document;
    #[wasm_bindgen(thread_local_v2, js_name = navigator)]
    pub(crate) static NAVIGATOR: web_sys::Navigator;
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    pub(crate) static GLOBAL_THIS: js_sys::Object;
}

pub(crate) fn then(promise: &Promise, ok: &Callback, failed: &Callback) {
    promise.unchecked_ref::<Thenable>().then2(ok, failed);
}

/// `dispatch` bound to a kind and a key, as a JS function.
pub(crate) fn bind(kind: Kind, key: u32) -> Callback {
    dispatcher().bind2(&JsValue::NULL, kind as u32, key)
}

pub(crate) fn dispatcher() -> &'static Callback {
    GLOBAL.dispatch.get_or_init(|| {
        Closure::<dyn FnMut(u32, u32, JsValue)>::new(|kind: u32, key: u32, value: JsValue| {
            if let Some(&kind) = KINDS.get(kind as usize) {
                crate::dispatch(kind, key, value);
            }
        })
        .into_js_value()
        .unchecked_into()
    })
}

/// Runs `f` on the page's state. A call that arrives while another runs (a
/// page listener reacting synchronously to our DOM changes and calling
/// `EdgeCheckout.mount`) is queued for later rather than run inside it.
pub(crate) fn with_page<R>(f: impl FnOnce(&mut Page) -> R) -> Option<R> {
    if GLOBAL.busy.replace(true) {
        return None;
    }
    // SAFETY: one thread, and `busy` guarantees a single live reference.
    let page = unsafe { (*GLOBAL.page.get()).get_or_insert_with(Page::default) };
    let result = f(page);
    GLOBAL.busy.set(false);
    Some(result)
}

pub(crate) fn document() -> Document {
    DOCUMENT.with(Document::clone)
}

pub(crate) fn hidden() -> bool {
    DOCUMENT.with(Document::hidden)
}

pub(crate) fn with_page_later(kind: Kind, key: u32, value: JsValue) {
    set_timeout(
        &dispatcher().bind3(&JsValue::NULL, kind as u32, key, &value),
        0,
    );
}

#[cfg(test)]
mod tests {
    use super::{Kind, KINDS};

    #[test]
    fn every_kind_is_found_by_its_number() {
        for (i, kind) in KINDS.iter().enumerate() {
            assert_eq!(*kind as usize, i, "{kind:?}");
        }
        assert_eq!(KINDS.len(), Kind::Reconnect as usize + 1);
    }
}
