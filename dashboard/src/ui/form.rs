//! A form's inputs and the errors they show: each input labelled, with its
//! help and its error wired for screen readers, the error being the API's
//! answer when its `field` names the input, or the form's own check.

use leptos::prelude::*;

use super::ErrorBox;
use crate::client::ApiError;

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
