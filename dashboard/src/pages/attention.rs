//! Needs attention: the sessions whose payments did not fit (a payment to
//! review, a session partly paid, money to give back), newest first, with
//! "Accept as paid" for those the merchant can decide, after a confirmation
//! (accepting sends `session.paid` to the shop and cannot be undone).
//!
//! The page reads the sessions listing with `attention=1`; a session accepted
//! as paid with nothing to give back leaves the list when it is read again.

use checkout_api::dashboard::{SessionPage, SessionSummary, SessionsQuery};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::client::{self, query_string};
use crate::format;
use crate::pages::query_value;
use crate::review;
use crate::ui::{self, link_to, Badge, ConfirmButton, ErrorBox, Load, Loading, Remote};

/// Where the accepted message is, to move focus there once the row it came
/// from is gone.
const ACCEPTED_ID: &str = "accepted-said";

/// The listing the address asks for: `attention=1` and its page.
fn query_from(map: &leptos_router::params::ParamsMap) -> SessionsQuery {
    SessionsQuery {
        attention: Some("1".into()),
        limit: query_value(map, "limit"),
        cursor: query_value(map, "cursor"),
        ..Default::default()
    }
}

/// The page's own address for a cursor (`None`: the first page).
fn page_link(map: &leptos_router::params::ParamsMap, cursor: Option<String>) -> String {
    let q = SessionsQuery {
        limit: query_value(map, "limit"),
        cursor,
        ..Default::default()
    };
    link_to(&format!("/attention{}", query_string(&q)))
}

/// `/dashboard/attention`
#[component]
pub fn Attention() -> impl IntoView {
    ui::enter_page("Needs attention");
    let query = use_query_map();
    let page: Remote<SessionPage> = Remote::new();
    Effect::new(move |_| {
        let q = query_from(&query.get());
        page.load(async move { client::sessions(&q).await });
    });
    let reload = move || {
        let q = query_from(&query.get_untracked());
        page.load(async move { client::sessions(&q).await });
    };
    let accepted = RwSignal::new(String::new());
    let on_accepted = Callback::new(move |subject: String| {
        accepted.set(review::accepted_text(&subject));
        reload();
        ui::focus_soon(ACCEPTED_ID);
    });
    view! {
        <h1 tabindex="-1">"Needs attention"</h1>
        <p class="lead">
            "Payments that did not fit their session: one your payment policy does not accept by itself, a session partly paid, or money to give back to a buyer. Newest first."
        </p>
        <div id=ACCEPTED_ID role="status" tabindex="-1">
            {move || Some(accepted.get()).filter(|t| !t.is_empty()).map(|t| view! { <p class="saved">{t}</p> })}
        </div>
        <div class="list" aria-busy=move || page.busy.get().to_string()>
            {move || page.busy.get().then(|| view! {
                <p class="updating" role="status"><span class="spinner" aria-hidden="true"></span>"Updating…"</p>
            })}
            {move || match page.state.get() {
                Load::Loading => view! { <Loading what="sessions that need attention"/> }.into_any(),
                Load::Failed(e) => view! { <ErrorBox error=e retry=Callback::new(move |()| reload())/> }.into_any(),
                Load::Ready(p) if p.data.is_empty() => view! {
                    <div class="empty">
                        <p>"Nothing needs your attention."</p>
                        <p>"A session appears here when a payment waits for your review, when it is partly paid, or when money should go back to a buyer."</p>
                    </div>
                }
                .into_any(),
                Load::Ready(p) => {
                    let map = query.get_untracked();
                    let next = p.next_cursor.clone().filter(|_| p.has_more).map(|c| page_link(&map, Some(c)));
                    let first = map.get("cursor").map(|_| page_link(&map, None));
                    view! {
                        <AttentionTable rows=p.data on_accepted=on_accepted/>
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

#[component]
fn AttentionTable(rows: Vec<SessionSummary>, on_accepted: Callback<String>) -> impl IntoView {
    view! {
        <table class="rows attention">
            <thead>
                <tr>
                    <th scope="col">"Created (UTC)"</th>
                    <th scope="col">"Order id"</th>
                    <th scope="col">"Amount"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"ETN received"</th>
                    <th scope="col">"To give back"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|s| view! { <AttentionRow s=s on_accepted=on_accepted/> }).collect_view()}
            </tbody>
        </table>
    }
}

/// One session: what happened, what to give back, and the decision if it is
/// the merchant's to make.
#[component]
fn AttentionRow(s: SessionSummary, on_accepted: Callback<String>) -> impl IntoView {
    let href = link_to(&format!("/sessions/{}", s.id));
    let subject = review::subject(s.order_id.as_deref(), s.id.as_str());
    let give_back = review::give_back_text(s.give_back.as_ref(), &s.currency);
    let received = s
        .etn_received
        .clone()
        .map_or_else(|| "—".to_owned(), |etn| format!("{etn} ETN"));
    view! {
        <tr>
            <td data-label="Created"><A href=href>{format::utc(s.created_at)}</A></td>
            <td data-label="Order id">{s.order_id.clone().unwrap_or_else(|| "—".into())}</td>
            <td data-label="Amount" class="num">{format!("{} {}", s.amount, s.currency)}</td>
            <td data-label="Status">
                <div>
                    <Badge status=s.status.clone()/>
                    {s.late.then(|| view! { " " <Badge status="paid late"/> })}
                    {s.accepted_by.is_some().then(|| view! { " " <Badge status="accepted"/> })}
                </div>
            </td>
            <td data-label="ETN received" class="num">{received}</td>
            <td data-label="To give back">{give_back}</td>
            <td class="row-actions">
                {review::can_accept(s.state).then(|| view! {
                    <AcceptButton id=s.id.to_string() subject=subject.clone() on_accepted=on_accepted/>
                })}
            </td>
        </tr>
    }
}

/// "Accept as paid" with its confirmation step, for a session that needs
/// review or is partly paid. Its accessible name says which session
/// (`Accept as paid: order 1042`); a refusal is shown under it as an alert.
#[component]
pub fn AcceptButton(
    /// The session's id.
    id: String,
    /// What the button names: `order 1042` or `session cs_…`
    /// ([`review::subject`]).
    subject: String,
    /// Runs with `subject` once the API accepted: the page reads its data
    /// again and says so.
    on_accepted: Callback<String>,
) -> impl IntoView {
    // Accepted: the button is gone at once, not offered again until the
    // page has read the session back.
    let done = RwSignal::new(false);
    let act = ui::Act::new();
    let open_id = format!("accept-{id}");
    let accept = {
        let subject = subject.clone();
        Callback::new(move |()| {
            let (id, subject) = (id.clone(), subject.clone());
            act.run(async move { client::accept(&id).await }, move |()| {
                done.set(true);
                on_accepted.run(subject);
            });
        })
    };
    let aria = format!("Accept as paid: {subject}");
    let question =
        format!("Accept {subject} as paid? Your shop is told it is paid; this cannot be undone.");
    move || {
        (!done.get()).then(|| {
            view! {
                <ConfirmButton id=open_id.clone() label="Accept as paid" aria_label=Some(aria.clone()) class="small"
                    group="Confirm accepting" question=question.clone() yes="Yes, accept as paid" busy_label="Accepting…"
                    busy=act.busy error=act.error on_yes=accept/>
            }
        })
    }
}
