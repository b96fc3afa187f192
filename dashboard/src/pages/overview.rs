//! The overview: what was paid today and this month (per currency, exact
//! sums), paid sessions per day over 30 days, sessions still waiting for a
//! payment, sessions that need the merchant's attention (a payment to review,
//! a session partly paid, money to give back), and a red banner when a paid
//! session's notification is failing (the merchant's shop may not know the
//! order was paid).

use checkout_api::dashboard::{Overview as Figures, Total};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::link_to;

use crate::chart::PaidChart;
use crate::client;
use crate::format::plural;
use crate::ui::{self, remote_view, Remote};

#[component]
pub fn Overview() -> impl IntoView {
    ui::enter_page("Overview");
    let figures: Remote<Figures> = Remote::new();
    let load = move || figures.load(client::overview());
    load();
    view! {
        <h1 tabindex="-1">"Overview"</h1>
        {remote_view(figures, "the overview", load, |o| view! { <Figures o=o/> })}
    }
}

#[component]
fn Figures(o: Figures) -> impl IntoView {
    let nothing_yet = o.month.is_empty()
        && o.awaiting == 0
        && o.attention == 0
        && o.daily.iter().all(|d| d.paid == 0);
    view! {
        {(o.failing > 0).then(|| view! {
            <div class="banner-failing" role="alert">
                <strong>{format!(
                    "{} a failing notification.",
                    plural(o.failing, "paid session has", "paid sessions have"),
                )}</strong>
                " Your shop may not know these orders were paid. "
                <A href=link_to("/webhooks?status=failing")>"See the failing deliveries"</A>
            </div>
        })}
        <div class="figures" id="overview-figures">
            <section class="card" aria-labelledby="today-h">
                <h2 id="today-h">"Paid today"</h2>
                <Totals totals=o.today/>
            </section>
            <section class="card" aria-labelledby="month-h">
                <h2 id="month-h">"Paid this month"</h2>
                <Totals totals=o.month/>
            </section>
            <section class="card" aria-labelledby="awaiting-h">
                <h2 id="awaiting-h">"Awaiting payment"</h2>
                <p class="figure">{o.awaiting.to_string()}</p>
                <p class="sub">
                    <A href=link_to("/sessions?status=pending")>{plural(o.awaiting, "session waiting", "sessions waiting")}</A>
                </p>
            </section>
            {(o.attention > 0).then(|| view! {
                <section class="card" aria-labelledby="attention-h">
                    <h2 id="attention-h">"Needs attention"</h2>
                    <p class="figure">{o.attention.to_string()}</p>
                    <p class="sub">
                        <A href=link_to("/attention")>{plural(o.attention, "session to look at", "sessions to look at")}</A>
                    </p>
                </section>
            })}
        </div>
        <section class="card wide" aria-label="Paid sessions per day">
            <PaidChart days=o.daily/>
        </section>
        {nothing_yet.then(|| view! {
            <div class="empty">
                <p>"No sessions yet. Create one with your API key, and it appears here once it is paid."</p>
                <p><A href=link_to("/keys")>"Manage API keys"</A></p>
            </div>
        })}
        <p class="note">"Days are UTC days."</p>
    }
}

/// Sums per currency, exactly as the API wrote them.
#[component]
fn Totals(totals: Vec<Total>) -> impl IntoView {
    if totals.is_empty() {
        return view! { <p class="figure muted">"Nothing yet"</p> }.into_any();
    }
    view! {
        <ul class="totals">
            {totals
                .into_iter()
                .map(|t| view! {
                    <li>
                        <span class="figure">{t.amount}" "<span class="currency">{t.currency}</span></span>
                        <span class="sub">{plural(t.count, "session", "sessions")}</span>
                    </li>
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
