//! Payment links (payment-links-api): the sessions of the `link` dialect, with
//! their own status words (`fulfilled`, `timed_out`) and `pl_` ids.

use leptos::prelude::*;

use crate::pages::sessions::SessionList;
use crate::ui;

/// `/dashboard/links`
#[component]
pub fn Links() -> impl IntoView {
    ui::enter_page("Payment links");
    view! {
        <h1 tabindex="-1">"Payment links"</h1>
        <p class="lead">"Links made with "<code>"POST /wallet/createPaymentLink"</code>", newest first."</p>
        <SessionList path="/links" links=true/>
    }
}
