//! Wallets (ewallet-orders-api): each wallet's balance, and its ledger entries
//! (credits from paid orders, refunds), exactly as the API wrote them.

use checkout_api::dashboard::{WalletDetail, WalletList};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::link_to;

use crate::client;
use crate::format;
use crate::ui::{self, remote_view, ErrorBox, Load, Loading, NoSuch, Remote};

/// `/dashboard/wallets`
#[component]
pub fn Wallets() -> impl IntoView {
    ui::enter_page("Wallets");
    let list: Remote<WalletList> = Remote::new();
    let load = move || list.load(client::wallets());
    load();
    view! {
        <h1 tabindex="-1">"Wallets"</h1>
        {remote_view(list, "wallets", load, |l| {
            if l.data.is_empty() {
                return view! {
                    <div class="empty">
                        <p>"No wallets yet. Wallets are made with "<code>"POST /api/v1/wallets"</code>" (eWallet orders API)."</p>
                    </div>
                }
                .into_any();
            }
            view! {
                <table class="rows">
                    <thead>
                        <tr>
                            <th scope="col">"Wallet"</th>
                            <th scope="col">"User id"</th>
                            <th scope="col">"Balance"</th>
                            <th scope="col">"Entries"</th>
                            <th scope="col">"Created (UTC)"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {l.data.into_iter().map(|w| {
                            let href = link_to(&format!("/wallets/{}", w.id));
                            view! {
                                <tr>
                                    <td data-label="Wallet"><A href=href><code>{w.id.to_string()}</code></A></td>
                                    <td data-label="User id">{w.user_id.to_string()}</td>
                                    <td data-label="Balance" class="num">{format!("{} {}", w.balance, w.currency)}</td>
                                    <td data-label="Entries" class="num">{w.entries.to_string()}</td>
                                    <td data-label="Created">{format::utc(w.created_at)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        })}
    }
}

/// `/dashboard/wallets/{id}`
#[component]
pub fn WalletPage() -> impl IntoView {
    ui::enter_page("Wallet");
    let (id, detail, reload) =
        Remote::<WalletDetail>::by_route_id(|id| async move { client::wallet(&id).await });
    view! {
        <p class="crumbs"><A href=link_to("/wallets")>"Wallets"</A>" / "<span>{move || id.get()}</span></p>
        <h1 tabindex="-1">"Wallet"</h1>
        {move || match detail.state.get() {
            Load::Loading => view! { <Loading what="the wallet"/> }.into_any(),
            Load::Failed(e) if e.is_not_found() => view! {
                <NoSuch what="wallet" id=id.get_untracked() back="/wallets" back_text="Back to the wallets" in_what="data"/>
            }
            .into_any(),
            Load::Failed(e) => view! { <ErrorBox error=e retry=Callback::new(move |()| reload())/> }.into_any(),
            Load::Ready(d) => {
                let w = d.wallet;
                view! {
                    <div class="detail-head">
                        <p class="amount">{format!("{} {}", w.balance, w.currency)}</p>
                        <span class="sub">"balance"</span>
                    </div>
                    <dl class="facts card">
                        <dt>"Wallet id"</dt><dd><code>{w.id.to_string()}</code></dd>
                        <dt>"User id"</dt><dd>{w.user_id.to_string()}</dd>
                        <dt>"Created"</dt><dd>{format::utc(w.created_at)}</dd>
                        <dt>"Entries"</dt><dd>{w.entries.to_string()}</dd>
                    </dl>
                    <h2>"Ledger, newest first"</h2>
                    {if d.entries.is_empty() {
                        view! { <div class="empty"><p>"No entries yet: a paid order credits this wallet."</p></div> }.into_any()
                    } else {
                        let currency = w.currency.clone();
                        view! {
                            <table class="rows">
                                <thead>
                                    <tr>
                                        <th scope="col">"When (UTC)"</th>
                                        <th scope="col">"Amount"</th>
                                        <th scope="col">"Asked"</th>
                                        <th scope="col">"Session"</th>
                                        <th scope="col">"Entry id"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {d.entries.into_iter().map(|e| {
                                        let href = link_to(&format!("/sessions/{}", e.session_id));
                                        view! {
                                            <tr>
                                                <td data-label="When">{format::utc(e.created_at)}</td>
                                                <td data-label="Amount" class="num">{format!("{} {currency}", e.amount)}</td>
                                                <td data-label="Asked" class="num">{e.requested.to_string()}</td>
                                                <td data-label="Session"><A href=href><code>{e.session_id.to_string()}</code></A></td>
                                                <td data-label="Entry id"><code>{e.id}</code></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                        .into_any()
                    }}
                }
                .into_any()
            }
        }}
    }
}
