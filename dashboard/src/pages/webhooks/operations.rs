//! Rotating the secret, sending a test event, recovering failed deliveries,
//! deleting the webhook.

use checkout_api::webhooks::{Delivery, RecoverRequest, RotatedSecret, WebhookConfig};
use checkout_core::time::DAY;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::link_to;

use crate::client::{self};
use crate::format;
use crate::timeline;
use crate::ui::{
    Act, ActionButton, Badge, ConfirmButton, CopyButton, ErrorSlot, FieldErrors, FormError, Remote,
    Said, TextField,
};

/// Rotate the secret, send a test event, recover failed deliveries, delete.
#[component]
pub(super) fn Operations(config: Remote<Option<WebhookConfig>>) -> impl IntoView {
    let configured = Signal::derive(move || config.value().flatten().is_some());
    let unconfigured = Signal::derive(move || !configured.get());

    let rotated = RwSignal::new(None::<RotatedSecret>);
    let rotating = Act::new();
    let rotate = Callback::new(move |()| {
        rotating.run(client::rotate_secret(), move |r| {
            rotated.set(Some(r));
            // The status line shows the new secret's last characters.
            config.load(client::webhook_config());
        });
    });

    let tested = RwSignal::new(None::<Delivery>);
    let testing = Act::new();
    let test = Callback::new(move |()| {
        tested.set(None);
        testing.run(client::send_test_event(), move |d| tested.set(Some(d)));
    });

    let since = RwSignal::new(format::datetime_input(super::now().to_seconds().minus(DAY)));
    let recovering = Act::new();
    let recovered = RwSignal::new(String::new());
    let recover_errors = FieldErrors::new(recovering.error);
    let recover = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        recovered.set(String::new());
        recovering.error.set(None);
        let Some(secs) = format::parse_datetime(since.get_untracked().trim()) else {
            recover_errors.refuse("since", "Enter a date and time (UTC).");
            return;
        };
        recover_errors.clear();
        let request = RecoverRequest {
            since: Some(serde_json::Value::from(secs.0)),
        };
        let request = async move { client::recover(&request).await };
        recovering.run(request, move |r| {
            recovered.set(format!(
                "{} queued again.",
                format::plural(
                    u64::from(r.recovered),
                    "failed delivery",
                    "failed deliveries"
                )
            ))
        });
    };

    let confirming_delete = RwSignal::new(false);
    let deleting = Act::new();
    let delete = Callback::new(move |()| {
        deleting.run(client::delete_webhook_config(), move |_| {
            confirming_delete.set(false);
            // Reload, so that the form empties too.
            config.load(client::webhook_config());
        });
    });
    view! {
        <section class="card wide" aria-labelledby="ops-h">
            <h2 id="ops-h">"Test and recover"</h2>
            <div class="ops">
                <div class="op">
                    <h3>"Send a test event"</h3>
                    <p class="help">"A "<code>"webhook.test"</code>" event to your endpoint, signed like every other."</p>
                    <ActionButton label="Send test event" busy_label="Sending…" busy=testing.busy disabled=unconfigured on_click=test/>
                    <ErrorSlot error=testing.error/>
                    <div role="status">
                        {move || tested.get().map(|d| {
                            let href = link_to(&format!("/webhooks/events/{}", d.id));
                            let last = d.attempts.last().map(timeline::attempt_outcome).unwrap_or_else(|| "queued".into());
                            view! {
                                <p>"Test event sent: "<Badge status=d.status.as_str()/>" ("{last}"). "
                                    <A href=href>"See the delivery"</A>
                                </p>
                            }
                        })}
                    </div>
                </div>
                <div class="op">
                    <h3>"Rotate the signing secret"</h3>
                    <p class="help">"A new secret signs from now on; the old one also signs for 24 hours, so that you can switch without losing a webhook."</p>
                    <ActionButton label="Rotate secret" busy_label="Rotating…" busy=rotating.busy class="secondary" disabled=unconfigured on_click=rotate/>
                    <ErrorSlot error=rotating.error/>
                    {move || rotated.get().map(|r| view! {
                        <div class="issued" role="status">
                            <p><strong>"Your new signing secret. Copy it now: it will not be shown again."</strong></p>
                            <p class="mono-line"><code id="new-secret">{r.secret.clone()}</code></p>
                            <CopyButton text=r.secret.clone() label="the new signing secret"/>
                            {r.previous_secret_expires_at.map(|t| view! {
                                <p class="help">{format!("The previous secret keeps signing until {}.", format::utc(t))}</p>
                            })}
                        </div>
                    })}
                </div>
                <form class="op" on:submit=recover novalidate>
                    <h3>"Recover failed deliveries"</h3>
                    <TextField id="recover-since" label="Send again every failed delivery since (UTC)" field="since"
                        value=since errors=recover_errors kind="datetime-local"/>
                    <FormError errors=recover_errors fields=&["since"]/>
                    <ActionButton label="Recover failed since" busy_label="Recovering…" busy=recovering.busy class="secondary" submit=true/>
                    <p><Said text=recovered/></p>
                </form>
                <div class="op">
                    <h3>"Delete the webhook"</h3>
                    <p class="help">"Stops delivery and forgets the URL and secret. Events keep being recorded and are held."</p>
                    <ConfirmButton id="delete-webhook" label="Delete webhook" class="danger" group="Confirm deleting the webhook"
                        question="Delete the webhook configuration? This cannot be undone." yes="Yes, delete" busy_label="Deleting…"
                        busy=deleting.busy error=deleting.error on_yes=delete confirming=confirming_delete disabled=unconfigured/>
                </div>
            </div>
        </section>
    }
}
