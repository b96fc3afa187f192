//! Buttons that act: a busy button with a spinner while its action runs, a
//! button that asks first, and [`Act`], the state of one write (busy, its
//! failure, its answer) that every page's write goes through.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{focus_soon, ErrorSlot};
use crate::client::ApiError;

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
