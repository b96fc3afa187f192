//! Settings → Webhooks, as webhook-forwarding-api's merchant dashboard
//! describes it: the endpoint form (URL, signing secret, event types or "all",
//! delivery enabled), a test event, recovering failed deliveries, and the event
//! log with status and type filters. An event's page shows the exact bytes
//! sent, every attempt, a redeliver button, and, when the receiver refused a
//! delivery as unauthenticated (400/401), what was signed and with which
//! headers, so that a merchant can see why their verification fails.

use std::collections::BTreeSet;
use std::time::Duration;

use checkout_api::webhooks::{
    Attempt, Delivery, DeliveryList, DisabledReason, EventsQuery, RecoverRequest, RotatedSecret,
    WebhookConfig, WebhookConfigRequest,
};
use checkout_core::event::EventKind;
use checkout_core::webhook::AttemptError;
use checkout_core::webhook::DeliveryStatus;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::link_to;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::client::{self, query_string, ApiError};
use crate::format;
use crate::pages::query_value;
use crate::timeline;
use crate::ui::{
    self, ActionButton, Badge, ConfirmButton, CopyButton, ErrorBox, ErrorSlot, FieldError,
    FieldErrors, FormError, Load, Loading, NoSuch, Remote, Said, SelectField, TextField,
};

/// The event types a configuration can choose (the test event always goes).
fn configurable_kinds() -> impl Iterator<Item = EventKind> {
    EventKind::ALL
        .into_iter()
        .filter(|k| *k != EventKind::WebhookTest)
}

/// `/dashboard/webhooks`
#[component]
pub fn Webhooks() -> impl IntoView {
    ui::enter_page("Webhooks");
    let config: Remote<Option<WebhookConfig>> = Remote::new();
    view! {
        <p class="crumbs">"Settings / Webhooks"</p>
        <h1 tabindex="-1">"Webhooks"</h1>
        <p class="lead">
            "We POST every event to your endpoint, signed with your signing secret, and retry for three days until it answers 2xx within 10 seconds."
        </p>
        <Endpoint config=config/>
        <Operations config=config/>
        <EventLog/>
    }
}

/// The endpoint form, filled from the saved configuration.
#[component]
fn Endpoint(config: Remote<Option<WebhookConfig>>) -> impl IntoView {
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
    let saving = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(String::new());
    let errors = FieldErrors::new(error);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(String::new());
        error.set(None);
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
        saving.set(true);
        leptos::task::spawn_local(async move {
            match client::save_webhook_config(&request).await {
                Ok(c) => {
                    let c = Some(c);
                    fill(&c);
                    config.set(c);
                    saved.set(if created {
                        "Webhook created.".into()
                    } else {
                        "Saved.".into()
                    });
                }
                Err(e) => error.set(Some(e)),
            }
            saving.set(false);
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
                        <ActionButton label="Create webhook" busy_label="Creating…" busy=saving submit=true/>
                    }>
                        <ActionButton label="Save" busy_label="Saving…" busy=saving submit=true/>
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

/// Rotate the secret, send a test event, recover failed deliveries, delete.
#[component]
fn Operations(config: Remote<Option<WebhookConfig>>) -> impl IntoView {
    let configured = Signal::derive(move || config.value().flatten().is_some());
    let unconfigured = Signal::derive(move || !configured.get());

    let rotated = RwSignal::new(None::<RotatedSecret>);
    let rotating = RwSignal::new(false);
    let rotate_error = RwSignal::new(None::<ApiError>);
    let rotate = Callback::new(move |()| {
        rotating.set(true);
        rotate_error.set(None);
        leptos::task::spawn_local(async move {
            match client::rotate_secret().await {
                Ok(r) => {
                    rotated.set(Some(r));
                    if let Ok(c) = client::webhook_config().await {
                        config.set(c);
                    }
                }
                Err(e) => rotate_error.set(Some(e)),
            }
            rotating.set(false);
        });
    });

    let tested = RwSignal::new(None::<Delivery>);
    let testing = RwSignal::new(false);
    let test_error = RwSignal::new(None::<ApiError>);
    let test = Callback::new(move |()| {
        testing.set(true);
        test_error.set(None);
        tested.set(None);
        leptos::task::spawn_local(async move {
            match client::send_test_event().await {
                Ok(d) => tested.set(Some(d)),
                Err(e) => test_error.set(Some(e)),
            }
            testing.set(false);
        });
    });

    let since = RwSignal::new(format::datetime_input(now_secs() - 86_400));
    let recovering = RwSignal::new(false);
    let recovered = RwSignal::new(String::new());
    let recover_error = RwSignal::new(None::<ApiError>);
    let recover_errors = FieldErrors::new(recover_error);
    let recover = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        recovered.set(String::new());
        recover_error.set(None);
        let Some(secs) = format::parse_datetime(since.get_untracked().trim()) else {
            recover_errors.refuse("since", "Enter a date and time (UTC).");
            return;
        };
        recover_errors.clear();
        recovering.set(true);
        leptos::task::spawn_local(async move {
            let request = RecoverRequest {
                since: Some(serde_json::Value::from(secs)),
            };
            match client::recover(&request).await {
                Ok(r) => recovered.set(format!(
                    "{} queued again.",
                    format::plural(
                        u64::from(r.recovered),
                        "failed delivery",
                        "failed deliveries"
                    )
                )),
                Err(e) => recover_error.set(Some(e)),
            }
            recovering.set(false);
        });
    };

    let confirming_delete = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let delete_error = RwSignal::new(None::<ApiError>);
    let delete = Callback::new(move |()| {
        deleting.set(true);
        delete_error.set(None);
        leptos::task::spawn_local(async move {
            match client::delete_webhook_config().await {
                Ok(_) => {
                    confirming_delete.set(false);
                    // Reload, so that the form empties too.
                    config.load(client::webhook_config());
                }
                Err(e) => delete_error.set(Some(e)),
            }
            deleting.set(false);
        });
    });
    view! {
        <section class="card wide" aria-labelledby="ops-h">
            <h2 id="ops-h">"Test and recover"</h2>
            <div class="ops">
                <div class="op">
                    <h3>"Send a test event"</h3>
                    <p class="help">"A "<code>"webhook.test"</code>" event to your endpoint, signed like every other."</p>
                    <ActionButton label="Send test event" busy_label="Sending…" busy=testing disabled=unconfigured on_click=test/>
                    <ErrorSlot error=test_error/>
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
                    <ActionButton label="Rotate secret" busy_label="Rotating…" busy=rotating class="secondary" disabled=unconfigured on_click=rotate/>
                    <ErrorSlot error=rotate_error/>
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
                    <ActionButton label="Recover failed since" busy_label="Recovering…" busy=recovering class="secondary" submit=true/>
                    <p><Said text=recovered/></p>
                </form>
                <div class="op">
                    <h3>"Delete the webhook"</h3>
                    <p class="help">"Stops delivery and forgets the URL and secret. Events keep being recorded and are held."</p>
                    <ConfirmButton id="delete-webhook" label="Delete webhook" class="danger" group="Confirm deleting the webhook"
                        question="Delete the webhook configuration? This cannot be undone." yes="Yes, delete" busy_label="Deleting…"
                        busy=deleting error=delete_error on_yes=delete confirming=confirming_delete disabled=unconfigured/>
                </div>
            </div>
        </section>
    }
}

fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

fn events_query(map: &leptos_router::params::ParamsMap) -> EventsQuery {
    EventsQuery {
        status: query_value(map, "status"),
        kind: query_value(map, "type"),
        session: query_value(map, "session"),
        limit: None,
        cursor: query_value(map, "cursor"),
    }
}

/// The delivery history with its filters (in the address: bookmarkable).
#[component]
fn EventLog() -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let list: Remote<DeliveryList> = Remote::new();
    Effect::new(move |_| {
        let q = events_query(&query.get());
        list.load(async move { client::events(&q).await });
    });
    let reload = move || {
        let q = events_query(&query.get_untracked());
        list.load(async move { client::events(&q).await });
    };
    let status = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    Effect::new(move |_| {
        let now = events_query(&query.get());
        status.set(now.status.unwrap_or_default());
        kind.set(now.kind.unwrap_or_default());
    });
    let apply = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let some = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.is_empty());
            let mut q = events_query(&query.get_untracked());
            q.status = some(status);
            q.kind = some(kind);
            q.cursor = None;
            navigate(
                &format!("/webhooks{}", query_string(&q)),
                Default::default(),
            );
        }
    };
    let clear = move |_| navigate("/webhooks", Default::default());
    let errors = FieldErrors::new(Signal::derive(move || match list.state.get() {
        Load::Failed(e) if e.field().is_some() => Some(e),
        _ => None,
    }));
    let mut statuses = vec![("", "Any")];
    statuses.extend(
        DeliveryStatus::ALL
            .into_iter()
            .map(|s| (s.as_str(), s.as_str())),
    );
    let mut types = vec![("", "Any")];
    types.extend(EventKind::ALL.into_iter().map(|k| (k.as_str(), k.as_str())));
    view! {
        <section class="card wide" aria-labelledby="log-h">
            <h2 id="log-h">"Event log"</h2>
            <form class="filters" role="search" aria-label="Filter the event log" on:submit=apply>
                <SelectField id="log-status" label="Status" field="status" value=status errors=errors options=statuses/>
                <SelectField id="log-type" label="Event type" field="type" value=kind errors=errors options=types/>
                <div class="actions">
                    <button type="submit">"Apply"</button>
                    <button type="button" class="secondary" on:click=clear>"Clear"</button>
                    <ActionButton label="Refresh" busy_label="Refreshing…" busy=list.busy class="secondary"
                        on_click=Callback::new(move |()| reload())/>
                </div>
                <FormError errors=errors fields=&["status", "type"]/>
            </form>
            <div class="list" aria-busy=move || list.busy.get().to_string()>
                {move || match list.state.get() {
                    Load::Loading => view! { <Loading what="the event log"/> }.into_any(),
                    Load::Failed(e) if e.field().is_some() => view! { <p class="empty">"Fix the filter above to see events."</p> }.into_any(),
                    Load::Failed(e) => view! { <ErrorBox error=e retry=Callback::new(move |()| reload())/> }.into_any(),
                    Load::Ready(l) if l.data.is_empty() => {
                        let filtered = { let q = events_query(&query.get_untracked()); q.status.is_some() || q.kind.is_some() };
                        view! {
                            <div class="empty">
                                {if filtered {
                                    view! { <p>"No events match these filters."</p> }.into_any()
                                } else {
                                    view! { <p>"No events yet. Send a test event, or create a session: each event appears here with every delivery attempt."</p> }.into_any()
                                }}
                            </div>
                        }
                        .into_any()
                    }
                    Load::Ready(l) => {
                        let next = l.next_cursor.clone().filter(|_| l.has_more).map(|cursor| {
                            let mut q = events_query(&query.get_untracked());
                            q.cursor = Some(cursor);
                            link_to(&format!("/webhooks{}", query_string(&q)))
                        });
                        let first = query.get_untracked().get("cursor").map(|_| {
                            let mut q = events_query(&query.get_untracked());
                            q.cursor = None;
                            link_to(&format!("/webhooks{}", query_string(&q)))
                        });
                        view! {
                            <DeliveryTable rows=l.data/>
                            <nav class="pager" aria-label="Event log pages">
                                {first.map(|href| view! { <A href=href>"← First page"</A> })}
                                {next.map(|href| view! { <A href=href>"Next page →"</A> })}
                            </nav>
                        }
                        .into_any()
                    }
                }}
            </div>
        </section>
    }
}

#[component]
fn DeliveryTable(rows: Vec<Delivery>) -> impl IntoView {
    view! {
        <table class="rows events">
            <thead>
                <tr>
                    <th scope="col">"Created (UTC)"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Attempts"</th>
                    <th scope="col">"Session"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|d| {
                    let href = link_to(&format!("/webhooks/events/{}", d.id));
                    let attempts = match d.attempts.last() {
                        Some(a) => format!("{} · last {}", d.attempts.len(), timeline::attempt_outcome(a)),
                        None => "none yet".into(),
                    };
                    view! {
                        <tr>
                            <td data-label="Created"><A href=href>{format::utc(d.created_at)}</A></td>
                            <td data-label="Type"><code>{d.kind.as_str()}</code></td>
                            <td data-label="Status"><Badge status=d.status.as_str()/></td>
                            <td data-label="Attempts">{attempts}</td>
                            <td data-label="Session">{d.session_id.map(|s| {
                                let href = link_to(&format!("/sessions/{s}"));
                                view! { <A href=href><code>{s.to_string()}</code></A> }
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Whether a delivery still has attempts to come (the page then refreshes
/// itself, so that a merchant watching it sees each attempt arrive).
fn in_flight(d: &Delivery) -> bool {
    matches!(d.status, DeliveryStatus::Pending | DeliveryStatus::Failing)
}

/// `/dashboard/webhooks/events/{id}`
#[component]
pub fn EventPage() -> impl IntoView {
    ui::enter_page("Webhook event");
    let (id, detail, reload) =
        Remote::<Delivery>::by_route_id(|id| async move { client::event(&id).await });
    let redelivery = Redelivery::new();
    // Refresh while attempts are still to come: every 2 s when the next one is
    // due within a minute, else every 30 s.
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let Load::Ready(d) = detail.state.get() else {
            return;
        };
        if detail.busy.get() || !in_flight(&d) {
            return;
        }
        let soon = d
            .next_attempt_at
            .is_none_or(|t| t - (js_sys::Date::now() as i64) < 60_000);
        let wait = Duration::from_millis(if soon { 2000 } else { 30_000 });
        if let Some(old) = timer.get_value() {
            old.clear();
        }
        timer.set_value(set_timeout_with_handle(reload, wait).ok());
    });
    on_cleanup(move || {
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
    });
    view! {
        <p class="crumbs"><A href=link_to("/webhooks")>"Webhooks"</A>" / "<span>"Event"</span></p>
        <h1 tabindex="-1">"Webhook event"</h1>
        {move || match detail.state.get() {
            Load::Loading => view! { <Loading what="the event"/> }.into_any(),
            Load::Failed(e) if e.is_not_found() => view! {
                <NoSuch what="event" id=id.get_untracked() back="/webhooks" back_text="Back to the event log" in_what="webhook history"/>
            }
            .into_any(),
            Load::Failed(e) => view! { <ErrorBox error=e retry=Callback::new(move |()| reload())/> }.into_any(),
            Load::Ready(d) => view! { <EventDetail d=d detail=detail redelivery=redelivery/> }.into_any(),
        }}
    }
}

/// The redeliver button's state. It lives with the page, not with the detail
/// under it, because the detail is drawn again each time the event is read
/// (after a redelivery, and while attempts are due), and "Redelivery sent"
/// must outlive that.
#[derive(Clone, Copy)]
struct Redelivery {
    busy: RwSignal<bool>,
    said: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
}

impl Redelivery {
    fn new() -> Self {
        Redelivery {
            busy: RwSignal::new(false),
            said: RwSignal::new(String::new()),
            error: RwSignal::new(None),
        }
    }
}

#[component]
fn EventDetail(d: Delivery, detail: Remote<Delivery>, redelivery: Redelivery) -> impl IntoView {
    ui::set_title(&format!("Webhook {}", d.kind));
    let Redelivery {
        busy: redelivering,
        said: redelivered,
        error,
    } = redelivery;
    let id = d.id.clone();
    let redeliver = Callback::new(move |()| {
        let id = id.clone();
        redelivering.set(true);
        redelivered.set(String::new());
        error.set(None);
        leptos::task::spawn_local(async move {
            match client::redeliver(&id).await {
                Ok(d) => {
                    detail.set(d);
                    redelivered.set("Redelivery sent; its attempt is listed below.".into());
                }
                Err(e) => error.set(Some(e)),
            }
            redelivering.set(false);
        });
    });
    let body = d.body.clone().unwrap_or_default();
    let live = in_flight(&d);
    let refused: Vec<Attempt> = d
        .attempts
        .iter()
        .filter(|a| matches!(a.status, Some(400 | 401 | 403)))
        .cloned()
        .collect();
    let attempts = d.attempts.clone();
    view! {
        <div class="detail-head">
            <p class="amount"><code>{d.kind.as_str()}</code></p>
            <Badge status=d.status.as_str()/>
            {live.then(|| view! { <span class="sub live"><span class="spinner" aria-hidden="true"></span>"more attempts to come; this page refreshes itself"</span> })}
        </div>
        <dl class="facts card">
            <dt>"Event id"</dt><dd><code>{d.id.clone()}</code></dd>
            <dt>"Session"</dt>
            <dd>{match d.session_id.clone() {
                Some(s) => { let href = link_to(&format!("/sessions/{s}")); view! { <A href=href><code>{s.to_string()}</code></A> }.into_any() }
                None => view! { "—" }.into_any(),
            }}</dd>
            <dt>"Sent to"</dt><dd>{d.url.clone().unwrap_or_else(|| "no endpoint configured (held)".into())}</dd>
            <dt>"Created"</dt><dd>{format::utc(d.created_at)}</dd>
            <dt>"Next attempt"</dt><dd>{d.next_attempt_at.map(format::utc_ms).unwrap_or_else(|| "none scheduled".into())}</dd>
            <dt>"Delivered"</dt><dd>{d.delivered_at.map(format::utc).unwrap_or_else(|| "not yet".into())}</dd>
            {d.one_time.then(|| view! { <dt>"Once only"</dt><dd>"Payment links webhooks stop after the first 2xx."</dd> })}
        </dl>
        <div class="actions">
            <ActionButton label="Redeliver" busy_label="Redelivering…" busy=redelivering on_click=redeliver/>
            <Said text=redelivered/>
        </div>
        <ErrorSlot error=error/>
        <section class="card wide" aria-labelledby="attempts-h">
            <h2 id="attempts-h">{format!("Attempts ({})", attempts.len())}</h2>
            {if attempts.is_empty() {
                view! { <p class="empty">"No attempt yet."</p> }.into_any()
            } else {
                view! {
                    <table class="rows attempts">
                        <thead>
                            <tr>
                                <th scope="col">"#"</th>
                                <th scope="col">"When (UTC)"</th>
                                <th scope="col">"Result"</th>
                                <th scope="col">"Duration"</th>
                                <th scope="col">"Trigger"</th>
                                <th scope="col">"Response"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {attempts.into_iter().map(attempt_row).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
        {(!refused.is_empty()).then(|| view! { <VerifyHelp attempts=refused body=body.clone() kind=d.kind/> })}
        <section class="card wide" aria-labelledby="body-h">
            <h2 id="body-h">"Body: the exact bytes sent"</h2>
            {if body.is_empty() {
                view! { <p class="empty">"The body is not available."</p> }.into_any()
            } else {
                view! {
                    <pre class="body" tabindex="0" aria-labelledby="body-h"><code>{body.clone()}</code></pre>
                    <CopyButton text=body.clone() label="the body"/>
                }
                .into_any()
            }}
        </section>
    }
}

fn attempt_row(a: Attempt) -> impl IntoView {
    let ok = timeline::attempt_succeeded(&a);
    let mut result = timeline::attempt_outcome(&a);
    // A status says what `AttemptError::Status` would; other errors with a
    // status (a redirect) say more.
    if let (Some(_), Some(e)) = (a.status, a.error.filter(|e| *e != AttemptError::Status)) {
        result.push_str(&format!(" ({})", timeline::error_text(e)));
    }
    view! {
        <tr class:failure=!ok>
            <td data-label="#">{a.n.to_string()}</td>
            <td data-label="When">{format::utc_ms(a.at)}</td>
            <td data-label="Result">
                {(!ok).then(|| view! { <span class="sr-only">"Failed: "</span> })}
                <span class=if ok { "ok" } else { "bad" }>{result}</span>
            </td>
            <td data-label="Duration">{format::duration(a.duration_ms)}</td>
            <td data-label="Trigger">{timeline::trigger_text(a.trigger)}</td>
            <td data-label="Response">
                {match a.response.filter(|r| !r.is_empty()) {
                    Some(r) => view! {
                        <details><summary>"Response excerpt"</summary><pre class="excerpt"><code>{r}</code></pre></details>
                    }.into_any(),
                    None => view! { <span class="muted">"—"</span> }.into_any(),
                }}
            </td>
        </tr>
    }
}

/// The value of a header of an attempt, by name in any case.
fn header<'a>(a: &'a Attempt, name: &str) -> Option<&'a str> {
    a.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The exact string Standard Webhooks signs for one attempt:
/// `{webhook-id}.{webhook-timestamp}.{body}`.
pub fn standard_signed_content(id: &str, timestamp: &str, body: &str) -> String {
    format!("{id}.{timestamp}.{body}")
}

/// For refused attempts (400/401/403): what was signed and which headers
/// carried the signatures, with the usual reasons a verification fails.
#[component]
fn VerifyHelp(attempts: Vec<Attempt>, body: String, kind: EventKind) -> impl IntoView {
    let last = attempts.last().cloned();
    view! {
        <section class="card wide verify" aria-labelledby="verify-h">
            <h2 id="verify-h">"Why your endpoint may have refused it"</h2>
            <p>{format!(
                "Your endpoint answered {} to {}. That usually means its signature check failed. Here is what we signed, so that you can compare with what your code computes.",
                attempts.iter().filter_map(|a| a.status).map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
                format::plural(attempts.len() as u64, "attempt", "attempts"),
            )}</p>
            {last.map(|a| {
                let id = header(&a, "webhook-id").unwrap_or_default().to_owned();
                let ts = header(&a, "webhook-timestamp").unwrap_or_default().to_owned();
                let signed = standard_signed_content(&id, &ts, &body);
                let headers = a.headers.clone();
                view! {
                    <h3>{format!("Signature headers of attempt {}", a.n)}</h3>
                    <table class="rows headers">
                        <thead><tr><th scope="col">"Header"</th><th scope="col">"Value"</th></tr></thead>
                        <tbody>
                            {headers.into_iter().map(|(n, v)| view! {
                                <tr><td data-label="Header"><code>{n}</code></td><td data-label="Value"><code class="wrap">{v}</code></td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h3>"What each signature covers"</h3>
                    <ul class="explain">
                        <li>
                            <code>"webhook-signature"</code>" (Standard Webhooks): "<code>"v1,"</code>" + base64 of HMAC-SHA256 over "
                            <code>"webhook-id.webhook-timestamp.body"</code>", keyed with the base64-decoded bytes after "<code>"whsec_"</code>
                            ". During a rotation it lists one signature per secret, separated by spaces. The signed string for this attempt:"
                        </li>
                    </ul>
                    <pre class="body" tabindex="0" aria-label="Signed content of the webhook-signature header"><code>{signed.clone()}</code></pre>
                    <CopyButton text=signed label="the signed content"/>
                    <ul class="explain">
                        <li>
                            <code>"x-webhook-signature"</code>" and "<code>"x-signature"</code>": hex HMAC-SHA256 of the body bytes alone (below), keyed with the whole "
                            <code>"whsec_…"</code>" string as text; "<code>"x-ecomtrade24-signature"</code>" is the same with a "<code>"sha256="</code>" prefix."
                        </li>
                        {(kind == EventKind::SessionPaid).then(|| view! {
                            <li>"eWallet "<code>"order.paid"</code>" webhooks also carry their own signature over "<code>"order_id . amount"</code>" in the body."</li>
                        })}
                    </ul>
                    <h3>"Common causes"</h3>
                    <ul class="explain">
                        <li>"Verifying re-serialised JSON: parse after verifying, and verify the raw bytes exactly as received."</li>
                        <li>"The wrong secret: after a rotation, the new secret signs; the previous one also signs until its window ends."</li>
                        <li>"A clock more than 5 minutes off: Standard Webhooks libraries refuse old timestamps."</li>
                    </ul>
                }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::standard_signed_content;

    #[test]
    fn standard_webhooks_sign_id_timestamp_and_body_joined_by_dots() {
        assert_eq!(
            standard_signed_content("evt_1", "1700000000", "{\"a\":1}"),
            "evt_1.1700000000.{\"a\":1}"
        );
    }
}
