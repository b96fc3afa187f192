//! The endpoint form (URL, signing secret, event types or "all", delivery
//! enabled) and the saved configuration's status.

use std::collections::BTreeSet;

use checkout_api::webhooks::{DisabledReason, WebhookConfig, WebhookConfigRequest};
use checkout_core::event::EventKind;
use leptos::prelude::*;

use crate::client::{self};
use crate::format;
use crate::ui::{
    Act, ActionButton, Badge, ErrorBox, FieldError, FieldErrors, FormError, Load, Loading, Remote,
    Said, TextField,
};

/// The event types a configuration can choose (the test event always goes).
fn configurable_kinds() -> impl Iterator<Item = EventKind> {
    EventKind::ALL
        .into_iter()
        .filter(|k| *k != EventKind::WebhookTest)
}

/// The endpoint form, filled from the saved configuration.
#[component]
pub(super) fn Endpoint(config: Remote<Option<WebhookConfig>>) -> impl IntoView {
    let url = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let all = RwSignal::new(true);
    let kinds = RwSignal::new(BTreeSet::<String>::new());
    let enabled = RwSignal::new(true);
    let fill = move |c: &Option<WebhookConfig>| {
        secret.set(String::new());
        match c {
            Some(c) => {
                url.set(c.url.clone());
                all.set(c.event_types.iter().any(|t| t == "all"));
                kinds.set(
                    c.event_types
                        .iter()
                        .filter(|t| *t != "all")
                        .cloned()
                        .collect(),
                );
                enabled.set(c.enabled);
            }
            None => {
                url.set(String::new());
                all.set(true);
                kinds.set(BTreeSet::new());
                enabled.set(true);
            }
        }
    };
    let load = move || {
        config.load(async move {
            let answer = client::webhook_config().await;
            if let Ok(c) = &answer {
                fill(c);
            }
            answer
        })
    };
    load();
    let saving = Act::new();
    let saved = RwSignal::new(String::new());
    let errors = FieldErrors::new(saving.error);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(String::new());
        saving.error.set(None);
        let target = url.get_untracked().trim().to_owned();
        if target.is_empty() {
            errors.refuse("url", "Enter the URL of your endpoint (https://…).");
            return;
        }
        let chosen: Vec<String> = kinds.get_untracked().into_iter().collect();
        if !all.get_untracked() && chosen.is_empty() {
            errors.refuse(
                "event_types",
                "Choose at least one event type, or All events.",
            );
            return;
        }
        errors.clear();
        let new_secret = secret.get_untracked().trim().to_owned();
        let request = WebhookConfigRequest {
            url: Some(target),
            secret: (!new_secret.is_empty()).then_some(new_secret),
            event_types: Some(if all.get_untracked() {
                vec!["all".into()]
            } else {
                chosen
            }),
            enabled: Some(enabled.get_untracked()),
        };
        let created = config.value().flatten().is_none();
        let request = async move { client::save_webhook_config(&request).await };
        saving.run(request, move |c| {
            let c = Some(c);
            fill(&c);
            config.set(c);
            saved.set(if created {
                "Webhook created.".into()
            } else {
                "Saved.".into()
            });
        });
    };
    let configured = Signal::derive(move || config.value().flatten().is_some());
    view! {
        <section class="card wide" aria-labelledby="endpoint-h">
            <h2 id="endpoint-h">"Endpoint"</h2>
            {move || match config.state.get() {
                Load::Loading => view! { <Loading what="the webhook configuration"/> }.into_any(),
                Load::Failed(e) => view! { <ErrorBox error=e retry=Callback::new(move |()| load())/> }.into_any(),
                Load::Ready(None) => view! { <p class="sub">"No webhook yet: fill in the form and create one."</p> }.into_any(),
                Load::Ready(Some(c)) => view! { <ConfigStatus c=c/> }.into_any(),
            }}
            <form class="stack" on:submit=submit novalidate>
                <TextField id="wh-url" label="Endpoint URL" field="url" value=url errors=errors kind="url"
                    placeholder="https://yourapp.com/webhooks/incoming"/>
                <TextField id="wh-secret" label="Signing secret (optional)" field="secret" value=secret errors=errors
                    placeholder="whsec_…"
                    help="whsec_ followed by base64 of 16 to 64 random bytes. Leave empty to keep the secret you have."/>
                <fieldset class="field" aria-describedby="wh-types-error">
                    <legend>"Event types"</legend>
                    <label class="check">
                        <input type="checkbox" name="all" prop:checked=move || all.get()
                            on:change=move |ev| all.set(event_target_checked(&ev))/>
                        "All events"
                    </label>
                    <div class="kinds">
                        {configurable_kinds().map(|k| view! { <KindBox name=k.as_str() all=all kinds=kinds/> }).collect_view()}
                    </div>
                    <FieldError errors=errors field="event_types" id="wh-types-error".to_owned()/>
                </fieldset>
                <div class="field">
                    <label class="check switch">
                        <input type="checkbox" role="switch" name="enabled" prop:checked=move || enabled.get()
                            on:change=move |ev| enabled.set(event_target_checked(&ev))/>
                        "Delivery enabled"
                    </label>
                    <p class="help">"Turn off to pause delivery without deleting the configuration; events are kept and sent in order later."</p>
                </div>
                <FormError errors=errors fields=&["url", "secret", "event_types"]/>
                <div class="actions">
                    <Show when=move || configured.get() fallback=move || view! {
                        <ActionButton label="Create webhook" busy_label="Creating…" busy=saving.busy submit=true/>
                    }>
                        <ActionButton label="Save" busy_label="Saving…" busy=saving.busy submit=true/>
                    </Show>
                    <Said text=saved class="saved"/>
                </div>
            </form>
        </section>
    }
}

/// One event type's checkbox (all checked and disabled while "All events" is).
#[component]
fn KindBox(
    name: &'static str,
    all: RwSignal<bool>,
    kinds: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" name="event_types" value=name
                disabled=move || all.get()
                prop:checked=move || all.get() || kinds.with(|s| s.contains(name))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    kinds.update(|s| {
                        if on {
                            s.insert(name.to_owned());
                        } else {
                            s.remove(name);
                        }
                    });
                }/>
            <code>{name}</code>
        </label>
    }
}

/// Whether delivery runs, and why not; the secret's last characters.
#[component]
fn ConfigStatus(c: WebhookConfig) -> impl IntoView {
    let (word, why) = match (c.enabled, c.disabled_reason) {
        (true, _) => ("enabled", ""),
        (false, Some(DisabledReason::Gone)) => ("disabled", " Your endpoint answered 410 Gone, which asks us to stop. Save to turn delivery back on."),
        (false, Some(DisabledReason::Failing)) => ("disabled", " Every delivery failed for five days. Fix the endpoint, then save to turn delivery back on; held events are then sent in order."),
        (false, _) => ("paused", " Events are held and sent in order once you enable delivery."),
    };
    let mut facts = format!(
        " Signing secret ends in {}; updated {}.",
        c.secret,
        format::utc(c.updated_at)
    );
    if let Some(t) = c.previous_secret_expires_at {
        facts.push_str(&format!(
            " The previous secret also signs until {}.",
            format::utc(t)
        ));
    }
    view! { <p class="sub">"Delivery "<Badge status=word/>{why}{facts}</p> }
}
