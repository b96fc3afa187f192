//! The pieces every page shares: a value loaded from the API with its loading,
//! error and refreshing states; the loading, error and empty messages; status
//! badges; copy buttons; field errors; the document title.
//!
//! Every state a page can be in is visible and announced: loading is a
//! `role=status` line, a failure a `role=alert` box with a way to try again, a
//! long action a busy button with a spinner.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::client::ApiError;

mod action;
mod form;

pub use action::{Act, ActionButton, ConfirmButton};
pub use form::{claims, FieldError, FieldErrors, FormError, SelectField, TextField};

/// Where a value from the API stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Failed(ApiError),
    Ready(T),
}

/// A value the page loads (and reloads) from the API.
///
/// A reload keeps the value on screen and sets `busy`, so that changing a filter
/// or refreshing does not blank the page; an answer that arrives after a newer
/// request was made is dropped (filters changed twice quickly).
pub struct Remote<T: Send + Sync + 'static> {
    pub state: RwSignal<Load<T>>,
    pub busy: RwSignal<bool>,
    generation: StoredValue<u32>,
}

impl<T: Send + Sync + 'static> Clone for Remote<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Remote<T> {}

impl<T: Clone + Send + Sync + 'static> Remote<T> {
    pub fn new() -> Self {
        Remote {
            state: RwSignal::new(Load::Loading),
            busy: RwSignal::new(false),
            generation: StoredValue::new(0),
        }
    }

    /// Starts `request`; its answer replaces the value unless a newer request
    /// was started meanwhile. The future is boxed at once, so that this runs
    /// as one function per value type, not one per call site.
    pub fn load(&self, request: impl Future<Output = Result<T, ApiError>> + 'static) {
        self.load_boxed(Box::pin(request));
    }

    fn load_boxed(&self, request: Pin<Box<dyn Future<Output = Result<T, ApiError>>>>) {
        let this = *self;
        let generation = this.generation.get_value().wrapping_add(1);
        this.generation.set_value(generation);
        this.busy.set(true);
        if matches!(this.state.get_untracked(), Load::Failed(_)) {
            this.state.set(Load::Loading);
        }
        spawn_local(async move {
            let result = request.await;
            if this.generation.try_get_value() != Some(generation) {
                return;
            }
            this.busy.set(false);
            this.state.set(match result {
                Ok(value) => Load::Ready(value),
                Err(e) => Load::Failed(e),
            });
        });
    }

    /// The value, if loaded (tracked).
    pub fn value(&self) -> Option<T> {
        match self.state.get() {
            Load::Ready(v) => Some(v),
            _ => None,
        }
    }

    /// Replaces the loaded value (after an action answered the new state).
    pub fn set(&self, value: T) {
        self.state.set(Load::Ready(value));
    }

    /// A detail page's record, read by the route's `:id` with `fetch`, and read
    /// again when the id changes (a link from one record to another). Gives the
    /// id, the record and a reload for "Try again" and refreshes.
    pub fn by_route_id<F, Fut>(fetch: F) -> (Memo<String>, Self, impl Fn() + Copy + Send + Sync)
    where
        F: Fn(String) -> Fut + Copy + Send + Sync + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let params = leptos_router::hooks::use_params_map();
        let id = Memo::new(move |_| params.get().get("id").unwrap_or_default());
        let remote = Self::new();
        Effect::new(move |_| remote.load(fetch(id.get())));
        let reload = move || remote.load(fetch(id.get_untracked()));
        (id, remote, reload)
    }
}

impl<T: Clone + Send + Sync + 'static> Default for Remote<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Renders a [`Remote`]: a loading line, an error box with "Try again"
/// (`retry`), or `ready`'s view of the value.
pub fn remote_view<T, V>(
    remote: Remote<T>,
    what: &'static str,
    retry: impl Fn() + Clone + Send + Sync + 'static,
    ready: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || match remote.state.get() {
        Load::Loading => view! { <Loading what=what/> }.into_any(),
        Load::Failed(error) => {
            let retry = retry.clone();
            view! { <ErrorBox error=error retry=Callback::new(move |()| retry())/> }.into_any()
        }
        Load::Ready(value) => ready(value).into_any(),
    }
}

/// A detail page's answer to an id that is not this account's (in this mode),
/// or not anyone's: the API does not say which, and neither does the page.
#[component]
pub fn NoSuch(
    /// `session`, `wallet`, `event`.
    what: &'static str,
    id: String,
    /// Where the list of these is, and its name: `/sessions`, `the sessions`.
    back: &'static str,
    back_text: &'static str,
    /// The end of the sentence: `data`, `webhook history`.
    in_what: &'static str,
) -> impl IntoView {
    let mode = mode_word();
    view! {
        <div class="empty" role="alert">
            <p class="error-title">{format!("No such {what}")}</p>
            <p>{format!("There is no {what} {id} in this account's {mode} {in_what}.")}</p>
            <p><leptos_router::components::A href=link_to(back)>{back_text}</leptos_router::components::A></p>
        </div>
    }
}

/// `test` or `live`: the data this sign-in sees, for sentences.
pub fn mode_word() -> &'static str {
    use_context::<crate::SignedIn>()
        .map_or(checkout_core::session::Mode::Test, |s| s.0.mode)
        .as_str()
}

/// `Loading sessions…`, announced politely.
#[component]
pub fn Loading(what: &'static str) -> impl IntoView {
    view! {
        <p class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {format!("Loading {what}…")}
        </p>
    }
}

/// A failure, announced at once, with a way to try again. A signed-out answer
/// says where the page is going instead.
#[component]
pub fn ErrorBox(error: ApiError, #[prop(optional)] retry: Option<Callback<()>>) -> impl IntoView {
    let signed_out = error == ApiError::SignedOut;
    let heading = if error.is_not_found() {
        "Not found"
    } else if signed_out {
        "Signed out"
    } else {
        "Something went wrong"
    };
    view! {
        <div class="error-box" role="alert">
            <p class="error-title">{heading}</p>
            <p>{error.message()}</p>
            {retry
                .filter(|_| !signed_out && !error.is_not_found())
                .map(|retry| view! {
                    <button type="button" class="secondary" on:click=move |_| retry.run(())>
                        "Try again"
                    </button>
                })}
        </div>
    }
}

/// A page or list with nothing in it, and what to do about it.
#[component]
pub fn Empty(children: Children) -> impl IntoView {
    view! { <div class="empty">{children()}</div> }
}

/// A short coloured label for a status word (`paid`, `failing`...). The colour
/// is decoration: the word itself carries the meaning.
#[component]
pub fn Badge(#[prop(into)] status: String) -> impl IntoView {
    let class = format!("badge badge-{}", status.replace(['_', ' '], "-"));
    view! { <span class=class>{status.replace('_', " ")}</span> }
}

/// A spinner inside a busy button.
pub fn spinner() -> impl IntoView {
    view! { <span class="spinner" aria-hidden="true"></span> }
}

/// A button that copies `text` to the clipboard and says so (to screen readers
/// too, through a live region).
#[component]
pub fn CopyButton(#[prop(into)] text: String, #[prop(into)] label: String) -> impl IntoView {
    let said = RwSignal::new(String::new());
    let aria = format!("Copy {label}");
    let copy = move |_| {
        let text = text.clone();
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&text);
        spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            said.set(if ok {
                "Copied".into()
            } else {
                "Copy failed: select the text and copy it".into()
            });
        });
    };
    view! {
        <span class="copy">
            <button type="button" class="secondary small" aria-label=aria on:click=copy>"Copy"</button>
            <span class="copy-said" role="status">{move || said.get()}</span>
        </span>
    }
}

/// Where an action's failure appears, if it failed.
#[component]
pub fn ErrorSlot(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || error.get().map(|e| view! { <ErrorBox error=e/> })
}

/// A line that screen readers announce when its text changes.
#[component]
pub fn Said(text: RwSignal<String>, #[prop(optional)] class: &'static str) -> impl IntoView {
    view! { <span class=class role="status">{move || text.get()}</span> }
}

/// The address of a dashboard page (`/sessions` → `/dashboard/sessions`), for
/// links. leptos_router 0.8's `<A>` uses an absolute `href` as it is, without
/// the router's base (`use_navigate` does add it: navigate with base-relative
/// paths).
pub fn link_to(path: &str) -> String {
    format!("{}{path}", crate::BASE)
}

/// Names the page in the browser tab and in the history list.
pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{title} · Edge Checkout"));
    }
}

/// What every page does as it appears: names itself in the browser tab and,
/// after a navigation inside the app (not on the page the app opened on), moves
/// focus to its heading, so that a screen reader reads the new page's name
/// where it would otherwise hear nothing change (a full page load starts at
/// the top anyway).
pub fn enter_page(title: &str) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static OPENED: AtomicBool = AtomicBool::new(false);
    set_title(title);
    if OPENED.swap(true, Ordering::Relaxed) {
        // The heading is in the document once this page's view is mounted,
        // which happens after this function returns.
        set_timeout(focus_heading, std::time::Duration::ZERO);
    }
}

/// Moves focus to the element with `id`, if there is one (a confirmation's
/// button that just appeared, a message that replaced a row).
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// [`focus`] once the view being drawn is in the document (after this task).
pub fn focus_soon(id: &str) {
    let id = id.to_owned();
    set_timeout(move || focus(&id), std::time::Duration::ZERO);
}

fn focus_heading() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(Some(h1)) = document.query_selector("main h1") {
        use wasm_bindgen::JsCast;
        if let Some(h1) = h1.dyn_ref::<web_sys::HtmlElement>() {
            let _ = h1.focus();
        }
    }
}
