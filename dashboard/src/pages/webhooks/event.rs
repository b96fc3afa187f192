//! One event's page: the exact bytes sent, every attempt, a redeliver
//! button, and for a receiver that refused it as unauthenticated, what was
//! signed and with which headers.

use std::time::Duration;

use checkout_api::webhooks::{Attempt, Delivery};
use checkout_core::event::EventKind;
use checkout_core::webhook::AttemptError;
use checkout_core::webhook::DeliveryStatus;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::link_to;

use crate::client::{self};
use crate::format;
use crate::timeline;
use crate::ui::{
    self, Act, ActionButton, Badge, CopyButton, ErrorBox, ErrorSlot, Load, Loading, NoSuch, Remote,
    Said,
};

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
            .is_none_or(|t| t.since(super::now()) < 60_000);
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
    act: Act,
    said: RwSignal<String>,
}

impl Redelivery {
    fn new() -> Self {
        Redelivery {
            act: Act::new(),
            said: RwSignal::new(String::new()),
        }
    }
}

#[component]
fn EventDetail(d: Delivery, detail: Remote<Delivery>, redelivery: Redelivery) -> impl IntoView {
    ui::set_title(&format!("Webhook {}", d.kind));
    let Redelivery {
        act: redelivering,
        said: redelivered,
    } = redelivery;
    let id = d.id.clone();
    let redeliver = Callback::new(move |()| {
        let id = id.clone();
        redelivered.set(String::new());
        redelivering.run(async move { client::redeliver(&id).await }, move |d| {
            detail.set(d);
            redelivered.set("Redelivery sent; its attempt is listed below.".into());
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
            <dt>"Delivered"</dt><dd>{d.delivered_at.map(format::utc_ms).unwrap_or_else(|| "not yet".into())}</dd>
            {d.one_time.then(|| view! { <dt>"Once only"</dt><dd>"Payment links webhooks stop after the first 2xx."</dd> })}
        </dl>
        <div class="actions">
            <ActionButton label="Redeliver" busy_label="Redelivering…" busy=redelivering.busy on_click=redeliver/>
            <Said text=redelivered/>
        </div>
        <ErrorSlot error=redelivering.error/>
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
fn standard_signed_content(id: &str, timestamp: &str, body: &str) -> String {
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
