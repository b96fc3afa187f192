//! Sessions: the list (filters by status, dialect and creation day; search by
//! order id, payment id, session id or alias; cursor pages), and one session's
//! page with its amount, payment string, QR code, the money it received (each
//! payment, what is still due, what to give back, "Accept as paid" when the
//! merchant decides) and whole timeline.
//!
//! Filters live in the address (`/dashboard/sessions?status=paid&q=1042`), so a
//! filtered list can be bookmarked, shared and reloaded; the form only writes
//! the address, and the list follows it.

use checkout_api::dashboard::{SessionDetail, SessionPage, SessionSummary, SessionsQuery};
use checkout_core::qr::{Qr, QUIET_ZONE};
use checkout_core::session::{Dialect, Payment, State};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::link_to;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::client::{self, query_string, ApiError};
use crate::format;
use crate::pages::attention::AcceptButton;
use crate::pages::query_value;
use crate::review;
use crate::timeline::{self, What};
use crate::ui::{
    self, Badge, CopyButton, ErrorBox, FieldErrors, FormError, Load, Loading, NoSuch, Remote,
    SelectField, TextField,
};

/// `/dashboard/sessions`
#[component]
pub fn Sessions() -> impl IntoView {
    ui::enter_page("Sessions");
    view! {
        <h1 tabindex="-1">"Sessions"</h1>
        <SessionList path="/sessions" links=false/>
    }
}

pub fn dialect_name(d: Dialect) -> &'static str {
    match d {
        Dialect::Native => "native",
        Dialect::Gateway => "gateway",
        Dialect::Ewallet => "ewallet",
        Dialect::Link => "link",
    }
}

/// The query the address asks for.
fn query_from(map: &leptos_router::params::ParamsMap, links: bool) -> SessionsQuery {
    SessionsQuery {
        status: query_value(map, "status"),
        dialect: if links {
            Some("link".into())
        } else {
            query_value(map, "dialect")
        },
        from: query_value(map, "from"),
        to: query_value(map, "to"),
        q: query_value(map, "q"),
        limit: query_value(map, "limit"),
        cursor: query_value(map, "cursor"),
        attention: None,
    }
}

const FILTER_FIELDS: &[&str] = &["status", "dialect", "from", "to", "q", "cursor", "limit"];

/// A state as the status filter names it; payment links have their own words
/// for two of them (the filter's value is the state's wire name either way).
fn status_label(state: State, links: bool) -> &'static str {
    match (state, links) {
        (State::Pending, _) => "Pending",
        (State::PartiallyPaid, _) => "Partially paid",
        (State::Paid, false) => "Paid",
        (State::Paid, true) => "Fulfilled (paid)",
        (State::NeedsReview, _) => "Needs review",
        (State::Expired, false) => "Expired",
        (State::Expired, true) => "Timed out (expired)",
        (State::Cancelled, _) => "Cancelled",
    }
}

/// The status filter's choices: any, then every state in the order of a
/// session's life.
fn status_options(links: bool) -> Vec<(&'static str, &'static str)> {
    std::iter::once(("", "Any"))
        .chain(
            State::ALL
                .into_iter()
                .map(|state| (state.as_str(), status_label(state, links))),
        )
        .collect()
}

/// The filter form and the list it filters; `links` fixes the dialect to
/// payment links and shows their columns.
#[component]
pub fn SessionList(path: &'static str, links: bool) -> impl IntoView {
    let query = use_query_map();
    let page: Remote<SessionPage> = Remote::new();
    Effect::new(move |_| {
        let q = query_from(&query.get(), links);
        page.load(async move { client::sessions(&q).await });
    });
    let reload = move || {
        let q = query_from(&query.get_untracked(), links);
        page.load(async move { client::sessions(&q).await });
    };
    let api_error = Signal::derive(move || match page.state.get() {
        Load::Failed(e) => Some(e),
        _ => None,
    });
    let filtered = move || {
        let q = query_from(&query.get(), links);
        q.status.is_some()
            || (!links && q.dialect.is_some())
            || q.from.is_some()
            || q.to.is_some()
            || q.q.is_some()
    };
    view! {
        <Filters path=path links=links api_error=api_error/>
        <div class="list" aria-busy=move || page.busy.get().to_string()>
            {move || page.busy.get().then(|| view! {
                <p class="updating" role="status"><span class="spinner" aria-hidden="true"></span>"Updating…"</p>
            })}
            {move || match page.state.get() {
                Load::Loading => view! { <Loading what=if links { "payment links" } else { "sessions" }/> }.into_any(),
                Load::Failed(e) if e.field().is_some() => {
                    view! { <p class="empty">"Fix the filter above to see sessions."</p> }.into_any()
                }
                Load::Failed(e) => view! { <ErrorBox error=e retry=Callback::new(move |()| reload())/> }.into_any(),
                Load::Ready(p) if p.data.is_empty() => view! {
                    <div class="empty">
                        {if filtered() {
                            view! { <p>"Nothing matches these filters."</p> <p><A href=link_to(path)>"Clear the filters"</A></p> }.into_any()
                        } else if links {
                            view! { <p>"No payment links yet. Create one with "<code>"POST /wallet/createPaymentLink"</code>"."</p> }.into_any()
                        } else {
                            view! { <p>"No sessions yet. Create one with "<code>"POST /v1/sessions"</code>" and your API key."</p> }.into_any()
                        }}
                    </div>
                }
                .into_any(),
                Load::Ready(p) => {
                    let next = p.next_cursor.clone().filter(|_| p.has_more).map(|cursor| {
                        let mut q = query_from(&query.get_untracked(), links);
                        if links {
                            q.dialect = None;
                        }
                        q.cursor = Some(cursor);
                        link_to(&format!("{path}{}", query_string(&q)))
                    });
                    let first = query.get_untracked().get("cursor").map(|_| {
                        let mut q = query_from(&query.get_untracked(), links);
                        if links {
                            q.dialect = None;
                        }
                        q.cursor = None;
                        link_to(&format!("{path}{}", query_string(&q)))
                    });
                    view! {
                        <SessionTable rows=p.data links=links/>
                        <nav class="pager" aria-label="Pages">
                            {first.map(|href| view! { <A href=href>"← First page"</A> })}
                            {next.map(|href| view! { <A href=href>"Next page →"</A> })}
                        </nav>
                    }
                    .into_any()
                }
            }}
        </div>
    }
}

/// The filter form: it writes the address; the list follows the address.
#[component]
fn Filters(path: &'static str, links: bool, api_error: Signal<Option<ApiError>>) -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let status = RwSignal::new(String::new());
    let dialect = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    // The form shows what the address asks for, also after back and forward.
    Effect::new(move |_| {
        let now = query_from(&query.get(), links);
        status.set(now.status.unwrap_or_default());
        if !links {
            dialect.set(now.dialect.unwrap_or_default());
        }
        from.set(now.from.unwrap_or_default());
        to.set(now.to.unwrap_or_default());
        q.set(now.q.unwrap_or_default());
    });
    // Errors without a field are the list's to show.
    let errors = FieldErrors::new(Signal::derive(move || {
        api_error.get().filter(|e| e.field().is_some())
    }));
    let submit = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let some = |s: RwSignal<String>| {
                Some(s.get_untracked().trim().to_owned()).filter(|v| !v.is_empty())
            };
            let wanted = SessionsQuery {
                status: some(status),
                dialect: if links { None } else { some(dialect) },
                from: some(from),
                to: some(to),
                q: some(q),
                limit: None,
                cursor: None,
                attention: None,
            };
            for (name, value) in [("from", &wanted.from), ("to", &wanted.to)] {
                if value
                    .as_deref()
                    .is_some_and(|v| format::parse_day(v).is_none())
                {
                    errors.refuse(name, "Enter a day as YYYY-MM-DD.");
                    return;
                }
            }
            if let (Some(a), Some(b)) = (&wanted.from, &wanted.to) {
                if format::parse_day(a) > format::parse_day(b) {
                    errors.refuse("to", "The last day comes before the first day.");
                    return;
                }
            }
            errors.clear();
            navigate(
                &format!("{path}{}", query_string(&wanted)),
                Default::default(),
            );
        }
    };
    let clear = move |_| {
        errors.clear();
        navigate(path, Default::default());
    };
    let statuses = status_options(links);
    view! {
        <form class="filters" role="search" aria-label="Filter sessions" on:submit=submit novalidate>
            <TextField id="f-q" label=if links { "Search (order id, payment id or link id)" } else { "Search (order id, payment id, session id or alias)" }
                field="q" value=q errors=errors kind="search"/>
            <SelectField id="f-status" label="Status" field="status" value=status errors=errors options=statuses/>
            {(!links).then(|| view! {
                <SelectField id="f-dialect" label="API" field="dialect" value=dialect errors=errors options=vec![
                    ("", "Any"),
                    ("native", "Native (/v1/sessions)"),
                    ("gateway", "Hosted checkout gateway"),
                    ("ewallet", "eWallet orders"),
                    ("link", "Payment links"),
                ]/>
            })}
            <TextField id="f-from" label="Created from (UTC day)" field="from" value=from errors=errors kind="date"/>
            <TextField id="f-to" label="Created to (UTC day)" field="to" value=to errors=errors kind="date"/>
            <div class="actions">
                <button type="submit">"Apply"</button>
                <button type="button" class="secondary" on:click=clear>"Clear"</button>
            </div>
            <FormError errors=errors fields=FILTER_FIELDS/>
        </form>
    }
}

/// Sessions as a table (a list of cards at phone width, by the stylesheet).
#[component]
fn SessionTable(rows: Vec<SessionSummary>, links: bool) -> impl IntoView {
    view! {
        <table class="rows">
            <thead>
                <tr>
                    <th scope="col">"Created (UTC)"</th>
                    <th scope="col">"Amount"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Order id"</th>
                    <th scope="col">{if links { "Link" } else { "API" }}</th>
                    <th scope="col">"Payment id"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|s| {
                        let href = link_to(&format!("/sessions/{}", s.id));
                        let failing = s.notification_failing;
                        let kind = if links {
                            s.alias.clone().unwrap_or_default()
                        } else {
                            dialect_name(s.dialect).to_owned()
                        };
                        view! {
                            <tr>
                                <td data-label="Created">
                                    <A href=href>{format::utc(s.created_at)}</A>
                                </td>
                                <td data-label="Amount" class="num">{format!("{} {}", s.amount, s.currency)}</td>
                                <td data-label="Status">
                                    <Badge status=s.status.clone()/>
                                    {failing.then(|| view! { " " <Badge status="notification failing"/> })}
                                </td>
                                <td data-label="Order id">{s.order_id.clone().unwrap_or_else(|| "—".into())}</td>
                                <td data-label=if links { "Link" } else { "API" }>{kind}</td>
                                <td data-label="Payment id"><code>{s.payment_id.clone()}</code></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// `/dashboard/sessions/{id}`
#[component]
pub fn SessionPage() -> impl IntoView {
    ui::enter_page("Session");
    let (id, detail, reload) =
        Remote::<SessionDetail>::by_route_id(|id| async move { client::session(&id).await });
    // Said once the merchant accepted it; the page then reads it again (the
    // button is gone, so focus moves to the message).
    let accepted = RwSignal::new(String::new());
    Effect::new(move |_| {
        id.track();
        accepted.set(String::new());
    });
    let on_accepted = Callback::new(move |subject: String| {
        accepted.set(review::accepted_text(&subject));
        reload();
        ui::focus_soon(ACCEPTED_ID);
    });
    view! {
        <p class="crumbs"><A href=link_to("/sessions")>"Sessions"</A>" / "<span>{move || id.get()}</span></p>
        <h1 tabindex="-1">"Session"</h1>
        <div id=ACCEPTED_ID role="status" tabindex="-1">
            {move || Some(accepted.get()).filter(|t| !t.is_empty()).map(|t| view! { <p class="saved">{t}</p> })}
        </div>
        {move || match detail.state.get() {
            Load::Loading => view! { <Loading what="the session"/> }.into_any(),
            Load::Failed(e) if e.is_not_found() => view! {
                <NoSuch what="session" id=id.get_untracked() back="/sessions" back_text="Back to the sessions" in_what="data"/>
            }
            .into_any(),
            Load::Failed(e) => view! { <ErrorBox error=e retry=Callback::new(move |()| reload())/> }.into_any(),
            Load::Ready(d) => view! { <SessionDetailView d=d on_accepted=on_accepted/> }.into_any(),
        }}
    }
}

/// Where the session page says it was accepted.
const ACCEPTED_ID: &str = "accepted-said";

#[component]
fn SessionDetailView(d: SessionDetail, on_accepted: Callback<String>) -> impl IntoView {
    let s = d.session.clone();
    ui::set_title(&format!(
        "Session {}",
        s.order_id.as_deref().unwrap_or(s.id.as_str())
    ));
    let items = timeline::merge(&d.session, &d.events, &d.deliveries);
    let qr_label = format!(
        "QR code that pays {} ETN: the Electroneum app link for payment {}",
        s.etn_amount, s.payment_id
    );
    view! {
        <div class="detail-head">
            <p class="amount">{format!("{} {}", s.amount, s.currency)}</p>
            <Badge status=s.status.clone()/>
            {s.late.then(|| view! { <Badge status="paid late"/> })}
            {s.accepted_by.is_some().then(|| view! { <Badge status="accepted"/> })}
            {s.notification_failing.then(|| view! { <Badge status="notification failing"/> })}
        </div>
        {review::reason(&s).map(|why| {
            let accept = review::can_accept(s.state).then(|| {
                let subject = review::subject(s.order_id.as_deref(), s.id.as_str());
                view! { <AcceptButton id=s.id.to_string() subject=subject on_accepted=on_accepted/> }
            });
            view! {
                <section class="card wide" aria-labelledby="decide-h">
                    <h2 id="decide-h">"Needs your attention"</h2>
                    <p>{why}</p>
                    {accept}
                </section>
            }
        })}
        <div class="detail-grid">
            <section class="card" aria-labelledby="facts-h">
                <h2 id="facts-h">"Details"</h2>
                <dl class="facts">
                    <dt>"Session id"</dt><dd><code>{s.id.to_string()}</code></dd>
                    <dt>"Order id"</dt><dd>{s.order_id.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Payment id"</dt><dd><code>{s.payment_id.clone()}</code></dd>
                    {s.alias.clone().map(|a| view! { <dt>"Alias"</dt><dd><code>{a}</code></dd> })}
                    <dt>"API"</dt><dd>{dialect_name(s.dialect)}</dd>
                    <dt>"Amount in ETN"</dt><dd>{format!("{} ETN", s.etn_amount)}</dd>
                    <dt>"Created"</dt><dd>{format::utc(s.created_at)}</dd>
                    <dt>"Expires"</dt><dd>{format::utc(s.expires_at)}</dd>
                    <dt>"Paid"</dt><dd>{s.paid_at.map(format::utc).unwrap_or_else(|| "not paid".into())}</dd>
                    {s.late.then(|| view! {
                        <dt>"Paid late"</dt><dd>"Yes: after it expired, within the late window"</dd>
                    })}
                    {d.accepted.clone().map(|a| view! {
                        <dt>"Accepted as paid"</dt><dd>{review::acceptance_text(&a)}</dd>
                    })}
                    <dt>"Payment policy"</dt><dd>{review::policy_text(&d.policy)}</dd>
                </dl>
            </section>
            <section class="card" aria-labelledby="pay-h">
                <h2 id="pay-h">"Payment"</h2>
                <QrCode text=d.deep_link.clone() label=qr_label/>
                <p class="label">"Payment string"</p>
                <p class="mono-line"><code id="payment-string">{d.payment_string.clone()}</code></p>
                <CopyButton text=d.payment_string.clone() label="payment string"/>
                <p><a href=d.checkout_url.clone() rel="noopener" target="_blank">"Open the hosted checkout page"</a></p>
            </section>
        </div>
        <Money s=s.clone() etn_due=d.etn_due.clone() payments=d.payments.clone()/>
        <section class="card wide" aria-labelledby="timeline-h">
            <h2 id="timeline-h">"Timeline"</h2>
            <ol class="timeline">
                {items.into_iter().map(timeline_item).collect_view()}
            </ol>
        </section>
    }
}

/// What the session received: in all, still due, to give back, and each
/// payment.
#[component]
fn Money(s: SessionSummary, etn_due: Option<String>, payments: Vec<Payment>) -> impl IntoView {
    // What is due matters while the buyer can still pay, or while the
    // merchant decides.
    let due = etn_due.filter(|_| {
        matches!(
            s.state,
            State::Pending | State::PartiallyPaid | State::NeedsReview
        )
    });
    view! {
        <section class="card wide" aria-labelledby="money-h">
            <h2 id="money-h">"Money received"</h2>
            <dl class="facts">
                <dt>"ETN received"</dt>
                <dd>{s.etn_received.clone().map_or_else(|| "none yet".to_owned(), |e| format!("{e} ETN"))}</dd>
                {due.map(|due| view! { <dt>"ETN still due"</dt><dd>{format!("{due} ETN")}</dd> })}
                <dt>"To give back"</dt>
                <dd>{review::give_back_text(s.give_back.as_ref(), &s.currency)}</dd>
            </dl>
            {if payments.is_empty() {
                view! { <p class="empty">"No payment yet."</p> }.into_any()
            } else {
                view! {
                    <table class="rows payments">
                        <caption class="sr-only">"Payments, oldest first"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"When (UTC)"</th>
                                <th scope="col">"Provider"</th>
                                <th scope="col">"Reference"</th>
                                <th scope="col">"Amount"</th>
                                <th scope="col">"Worth in ETN"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {payments.into_iter().map(payment_row).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

fn payment_row(p: Payment) -> impl IntoView {
    view! {
        <tr>
            <td data-label="When">{format::utc(p.at)}</td>
            <td data-label="Provider">{p.provider.as_str()}</td>
            <td data-label="Reference"><code>{p.reference}</code></td>
            <td data-label="Amount" class="num">{format!("{} {}", p.amount, p.currency.code())}</td>
            <td data-label="Worth in ETN" class="num">{format!("{} ETN", p.etn)}</td>
        </tr>
    }
}

fn timeline_item(item: timeline::Item) -> impl IntoView {
    let failure = timeline::is_failure(&item);
    let title = timeline::title(&item);
    let when = format::utc_ms(item.at_ms);
    let detail = match &item.what {
        What::Queued {
            delivery,
            url,
            status,
            ..
        } => {
            let href = link_to(&format!("/webhooks/events/{delivery}"));
            let to = url
                .clone()
                .map(|u| format!("to {u}"))
                .unwrap_or_else(|| "no endpoint configured".into());
            Some(view! {
                <p class="sub">{to}" · now "<Badge status=status.as_str()/>" · "<A href=href>"delivery details"</A></p>
            }
            .into_any())
        }
        What::Attempt {
            delivery, attempt, ..
        } => {
            let href = link_to(&format!("/webhooks/events/{delivery}"));
            let mut facts = format!(
                "{} · {}",
                timeline::trigger_text(attempt.trigger),
                format::duration(attempt.duration_ms)
            );
            if let (Some(_), Some(e)) = (attempt.status, attempt.error) {
                facts.push_str(&format!(" · {}", timeline::error_text(e)));
            }
            Some(
                view! { <p class="sub">{facts}" · "<A href=href>"attempt details"</A></p> }
                    .into_any(),
            )
        }
        What::Event(e) => e
            .provider_ref
            .clone()
            .map(|r| view! { <p class="sub">"Provider reference "<code>{r}</code></p> }.into_any()),
        What::Created => None,
    };
    view! {
        <li class:failure=failure>
            <span class="dot" aria-hidden="true"></span>
            <p class="when">{when}</p>
            <p class="what">{failure.then(|| view! { <span class="sr-only">"Problem: "</span> })}{title}</p>
            {detail}
        </li>
    }
}

/// A QR code of `text` drawn by core's encoder (the widget's own), as SVG
/// elements: no markup strings, nothing for the CSP to refuse.
#[component]
pub fn QrCode(text: String, label: String) -> impl IntoView {
    match Qr::encode(&text) {
        Ok(qr) => {
            let size = (qr.width() + 2 * QUIET_ZONE).to_string();
            let view_box = format!("0 0 {size} {size}");
            let mut d = String::with_capacity(qr.width() * qr.width());
            qr.write_path(&mut d);
            view! {
                <svg class="qr" viewBox=view_box shape-rendering="crispEdges" role="img" aria-label=label>
                    <rect width=size.clone() height=size fill="#fff"></rect>
                    <path fill="#000" d=d></path>
                </svg>
            }
            .into_any()
        }
        Err(_) => {
            view! { <p class="field-error">"This payment string is too long for a QR code."</p> }
                .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_filter_offers_every_state_by_its_wire_name() {
        for links in [false, true] {
            let options = status_options(links);
            let values: Vec<&str> = options.iter().map(|(v, _)| *v).collect();
            let mut expected = vec![""];
            expected.extend(State::ALL.map(State::as_str));
            assert_eq!(values, expected);
        }
        let labels: Vec<&str> = status_options(false).iter().map(|(_, l)| *l).collect();
        assert!(labels.contains(&"Partially paid") && labels.contains(&"Needs review"));
        // Payment links keep their own words for paid and expired.
        assert!(status_options(true).contains(&("paid", "Fulfilled (paid)")));
        assert!(status_options(true).contains(&("expired", "Timed out (expired)")));
    }
}
