//! The delivery history with its filters, kept in the address (bookmarkable).

use checkout_api::webhooks::{Delivery, DeliveryList, EventsQuery};
use checkout_core::event::EventKind;
use checkout_core::webhook::DeliveryStatus;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::link_to;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::client::{self, query_string};
use crate::format;
use crate::pages::query_value;
use crate::timeline;
use crate::ui::{
    ActionButton, Badge, ErrorBox, FieldErrors, FormError, Load, Loading, Remote, SelectField,
};

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
pub(super) fn EventLog() -> impl IntoView {
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
