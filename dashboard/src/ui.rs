//! The pieces every page shares: a value loaded from the API with its loading,
//! error and refreshing states; the loading, error and empty messages; status
//! badges; copy buttons; field errors; the document title.
//!
//! Every state a page can be in is visible and announced: loading is a
//! `role=status` line, a failure a `role=alert` box with a way to try again, a
//! long action a busy button with a spinner.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::client::ApiError;

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
    /// was started meanwhile.
    pub fn load(&self, request: impl Future<Output = Result<T, ApiError>> + 'static) {
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
            {(!signed_out && !error.is_not_found())
                .then(|| retry)
                .flatten()
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
            said.set(if ok { "Copied".into() } else { "Copy failed: select the text and copy it".into() });
        });
    };
    view! {
        <span class="copy">
            <button type="button" class="secondary small" aria-label=aria on:click=copy>"Copy"</button>
            <span class="copy-said" role="status">{move || said.get()}</span>
        </span>
    }
}

/// The error under an input, when the API (or the form's own check) named that
/// input. Its id is what the input's `aria-describedby` points at.
pub fn field_error(
    error: Signal<Option<ApiError>>,
    local: RwSignal<Option<(String, String)>>,
    field: &'static str,
    id: &'static str,
) -> impl IntoView {
    move || {
        message_for(error, local, field).map(|message| {
            view! { <p class="field-error" id=id>{message}</p> }
        })
    }
}

/// The message for `field` (an API field is matched by its name or, for lists,
/// its name with an index: `event_types[2]`).
pub fn message_for(
    error: Signal<Option<ApiError>>,
    local: RwSignal<Option<(String, String)>>,
    field: &str,
) -> Option<String> {
    if let Some((f, message)) = local.get() {
        return (f == field).then_some(message);
    }
    let error = error.get()?;
    let named = error.field()?;
    let matches = named == field
        || named
            .strip_prefix(field)
            .is_some_and(|rest| rest.starts_with('['));
    matches.then(|| match &error {
        ApiError::Api { message, .. } => message.clone(),
        other => other.message(),
    })
}

/// An API error no field of the form claims, shown above the form's buttons.
pub fn form_error(
    error: Signal<Option<ApiError>>,
    fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        let e = error.get()?;
        let claimed = e.field().is_some_and(|named| {
            fields
                .iter()
                .any(|f| named == *f || named.strip_prefix(f).is_some_and(|r| r.starts_with('[')))
        });
        (!claimed).then(|| view! { <ErrorBox error=e/> })
    }
}

/// Names the page in the browser tab and in the history list.
pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{title} · Edge Checkout"));
    }
}

/// Moves focus to the page's heading after a navigation inside the app: a
/// screen reader then reads the new page's name, where it would otherwise hear
/// nothing change (a full page load starts at the top anyway).
pub fn focus_heading() {
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
