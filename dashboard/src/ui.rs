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

/// The errors a form shows on its inputs: the API's answer, whose `field`
/// names one (`url`, `event_types[2]`), and the form's own checks, made before
/// anything is sent.
#[derive(Clone, Copy)]
pub struct FieldErrors {
    pub api: Signal<Option<ApiError>>,
    pub local: RwSignal<Option<(String, String)>>,
}

impl FieldErrors {
    pub fn new(api: impl Into<Signal<Option<ApiError>>>) -> Self {
        FieldErrors {
            api: api.into(),
            local: RwSignal::new(None),
        }
    }

    /// The message for `field` (tracked). A list field matches its items:
    /// `event_types` claims `event_types[2]`.
    pub fn message(&self, field: &str) -> Option<String> {
        if let Some((f, message)) = self.local.get() {
            return (f == field).then_some(message);
        }
        let error = self.api.get()?;
        claims(field, error.field()?).then(|| match &error {
            ApiError::Api { message, .. } => message.clone(),
            other => other.message(),
        })
    }

    /// A problem the form found itself, shown on `field`.
    pub fn refuse(&self, field: &str, message: &str) {
        self.local.set(Some((field.to_owned(), message.to_owned())));
    }

    pub fn clear(&self) {
        self.local.set(None);
    }
}

/// Whether the input named `field` is the one the API named.
pub fn claims(field: &str, named: &str) -> bool {
    named == field
        || named
            .strip_prefix(field)
            .is_some_and(|rest| rest.starts_with('['))
}

/// The error under an input; `id` is what the input's `aria-describedby`
/// names, so that a screen reader reads the error with the input.
#[component]
pub fn FieldError(errors: FieldErrors, field: &'static str, id: String) -> impl IntoView {
    move || {
        errors
            .message(field)
            .map(|message| view! { <p class="field-error" id=id.clone()>{message}</p> })
    }
}

/// An API error that no input of the form claims, shown as an alert.
#[component]
pub fn FormError(errors: FieldErrors, fields: &'static [&'static str]) -> impl IntoView {
    move || {
        let e = errors.api.get()?;
        let claimed = e
            .field()
            .is_some_and(|named| fields.iter().any(|f| claims(f, named)));
        (!claimed).then(|| view! { <ErrorBox error=e/> })
    }
}

/// A labelled input with its help and its error, wired for screen readers
/// (`aria-invalid`, `aria-describedby`).
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    /// The API's name for this input (`url`), which its errors carry.
    field: &'static str,
    value: RwSignal<String>,
    errors: FieldErrors,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] help: &'static str,
    /// The keyboard a phone shows (`decimal`, `numeric`): a number typed as
    /// text keeps what was typed (`2.50`) for the API to judge.
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let described = if help.is_empty() {
        error_id.clone()
    } else {
        format!("{help_id} {error_id}")
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=field
                type=kind
                inputmode=inputmode
                placeholder=placeholder
                autocomplete="off"
                spellcheck="false"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || errors.message(field).is_some().to_string()
                aria-describedby=described
            />
            {(!help.is_empty()).then(|| view! { <p class="help" id=help_id>{help}</p> })}
            <FieldError errors=errors field=field id=error_id/>
        </div>
    }
}

/// A labelled select of `(value, text)` options, with its error.
#[component]
pub fn SelectField(
    id: &'static str,
    label: &'static str,
    field: &'static str,
    value: RwSignal<String>,
    errors: FieldErrors,
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                name=field
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || errors.message(field).is_some().to_string()
                aria-describedby=error_id.clone()
            >
                {options
                    .into_iter()
                    .map(|(v, text)| view! { <option value=v>{text}</option> })
                    .collect_view()}
            </select>
            <FieldError errors=errors field=field id=error_id.clone()/>
        </div>
    }
}

/// A button for an action that takes a while: disabled, `aria-busy` and a
/// spinner with `busy_label` while it runs.
#[component]
pub fn ActionButton(
    label: &'static str,
    busy_label: &'static str,
    busy: RwSignal<bool>,
    /// `secondary`, `danger`, `small`...
    #[prop(optional)]
    class: &'static str,
    /// Disabled for another reason than running.
    #[prop(optional, into)]
    disabled: Option<Signal<bool>>,
    /// A form's submit button (no `on_click`).
    #[prop(optional)]
    submit: bool,
    #[prop(optional)] on_click: Option<Callback<()>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    view! {
        <button
            type=if submit { "submit" } else { "button" }
            class=class
            id=id
            disabled=move || busy.get() || disabled.is_some_and(|d| d.get())
            aria-busy=move || busy.get().to_string()
            on:click=move |_| {
                if let Some(f) = on_click {
                    f.run(());
                }
            }
        >
            {move || {
                if busy.get() {
                    view! { <span class="spinner" aria-hidden="true"></span>{busy_label} }.into_any()
                } else {
                    label.into_any()
                }
            }}
        </button>
    }
}

/// A button whose action asks first: `label` opens a confirmation (`question`,
/// then `yes` or Cancel) in its place, with focus on `yes`, and back on the
/// button after Cancel; a failure shows under it. `class` styles both buttons
/// (`danger small`); Cancel is `secondary`, as small. One component for every
/// such step (revoking a key, accepting a payment, deleting the webhook, ending
/// a sign-in), so that each costs the wasm only its words: the dashboard's
/// download has a budget.
#[component]
pub fn ConfirmButton(
    /// The button's id; `yes` is `{id}-yes`.
    #[prop(into)]
    id: String,
    label: &'static str,
    /// Which thing it acts on, when `label` alone does not say
    /// (`End sign-in from key_…`).
    #[prop(optional_no_strip)]
    aria_label: Option<String>,
    class: &'static str,
    /// Names the confirmation for screen readers (`Confirm revoking`).
    group: &'static str,
    #[prop(into)] question: String,
    yes: &'static str,
    busy_label: &'static str,
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    on_yes: Callback<()>,
    /// Whether the confirmation is open, when `on_yes` closes it itself (a
    /// section that stays on the page after the action).
    #[prop(optional)]
    confirming: Option<RwSignal<bool>>,
    /// Disabled for another reason than running (nothing to act on).
    #[prop(optional, into)]
    disabled: Option<Signal<bool>>,
) -> impl IntoView {
    let confirming = confirming.unwrap_or_else(|| RwSignal::new(false));
    let yes_id = format!("{id}-yes");
    let cancel_class = if class.split(' ').any(|c| c == "small") {
        "secondary small"
    } else {
        "secondary"
    };
    let step = move || {
        if confirming.get() {
            let id = id.clone();
            view! {
                <div class="confirm" role="group" aria-label=group>
                    <p>{question.clone()}</p>
                    <ActionButton label=yes busy_label=busy_label busy=busy class=class id=yes_id.clone() on_click=on_yes/>
                    <button type="button" class=cancel_class
                        on:click=move |_| {
                            confirming.set(false);
                            error.set(None);
                            focus_soon(&id);
                        }>
                        "Cancel"
                    </button>
                </div>
            }
            .into_any()
        } else {
            let yes_id = yes_id.clone();
            view! {
                <button type="button" class=class id=id.clone() aria-label=aria_label.clone()
                    disabled=move || disabled.is_some_and(|d| d.get())
                    on:click=move |_| {
                        confirming.set(true);
                        focus_soon(&yes_id);
                    }>
                    {label}
                </button>
            }
            .into_any()
        }
    };
    view! {
        {step}
        <ErrorSlot error=error/>
    }
}

/// A write the page makes (accept, save): `busy` while it runs (for an
/// [`ActionButton`]), its failure in `error` (for an [`ErrorSlot`] or
/// [`FieldErrors`]), then `done` with the answer. Like Leptos's `Action`,
/// without its need for `Send` futures, which the browser's `fetch` is not.
#[derive(Clone, Copy)]
pub struct Act {
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
}

impl Act {
    pub fn new() -> Self {
        Act {
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Starts `request`; clears the last failure first. A component gone by
    /// the time it answers is not an error: its signals ignore the write.
    pub fn run<T: 'static>(
        &self,
        request: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        let this = *self;
        this.busy.set(true);
        this.error.set(None);
        spawn_local(async move {
            match request.await {
                Ok(value) => done(value),
                Err(e) => this.error.set(Some(e)),
            }
            this.busy.set(false);
        });
    }
}

impl Default for Act {
    fn default() -> Self {
        Self::new()
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
