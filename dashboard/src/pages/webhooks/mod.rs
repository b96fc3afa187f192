//! Settings → Webhooks, as webhook-forwarding-api's merchant dashboard
//! describes it: the endpoint form (URL, signing secret, event types or "all",
//! delivery enabled), a test event, recovering failed deliveries, and the event
//! log with status and type filters. An event's page shows the exact bytes
//! sent, every attempt, a redeliver button, and, when the receiver refused a
//! delivery as unauthenticated (400/401), what was signed and with which
//! headers, so that a merchant can see why their verification fails.

use checkout_api::webhooks::WebhookConfig;
use checkout_core::time::UnixMillis;
use leptos::prelude::*;

use crate::ui::{self, Remote};

mod endpoint;
mod event;
mod log;
mod operations;

use endpoint::Endpoint;
pub use event::EventPage;
use log::EventLog;
use operations::Operations;

/// The browser's clock: the recovery form's default, and how soon a
/// delivery's next attempt is.
fn now() -> UnixMillis {
    UnixMillis(js_sys::Date::now() as i64)
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
