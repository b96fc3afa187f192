//! One module per page of the navigation bar; each page owns its loads, its
//! forms and its empty and error states.

pub mod attention;
pub mod keys;
pub mod links;
pub mod overview;
pub mod sessions;
pub mod settings;
pub mod wallets;
pub mod webhooks;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::link_to;

use crate::ui;

/// An address inside /dashboard/ that names no page.
#[component]
pub fn NotFound() -> impl IntoView {
    ui::enter_page("Not found");
    view! {
        <h1 tabindex="-1">"Page not found"</h1>
        <div class="empty">
            <p>"There is no dashboard page at this address."</p>
            <p><A href=link_to("/")>"Go to the overview"</A></p>
        </div>
    }
}

/// A value from the query string, if present and not empty.
pub fn query_value(map: &leptos_router::params::ParamsMap, name: &str) -> Option<String> {
    map.get(name).filter(|v| !v.is_empty())
}
