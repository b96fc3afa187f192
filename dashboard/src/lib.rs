//! The merchant dashboard: a Leptos single-page app (client-side rendering,
//! leptos_router) served by the worker under `/dashboard/`.
//!
//! It talks to the worker only through the public HTTP API ([`client`]), signed
//! in by the `ec_dash` cookie a one-time link set; it shows exactly what the API
//! answers (amounts as the API's decimal strings, times in UTC). One module per
//! page; pure logic ([`timeline`], [`format`], [`review`], [`chart`]'s
//! geometry, the client's encoding) is tested natively with `cargo test`.
//!
//! Built by `cargo xtask build` without trunk: cargo for wasm32, wasm-bindgen
//! `--target web`, wasm-opt -Oz; `dashboard/static/` holds the HTML shell, the
//! stylesheet and the boot module.

pub mod chart;
pub mod client;
pub mod format;
mod pages;
pub mod review;
pub mod timeline;
pub mod ui;

use checkout_api::dashboard::Me;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::client::ApiError;
use crate::ui::{link_to, ErrorBox, Load, Loading, Remote};

/// Where the router lives; every link inside the app is relative to it.
pub const BASE: &str = "/dashboard";

/// Runs when the module is instantiated (boot.js calls `init`).
#[wasm_bindgen(start)]
pub fn start() {
    // The HTML shell's "Loading the dashboard…" line, shown while the wasm
    // downloads; the app has its own loading states from here on.
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}

/// Signs in (reads `me`), then shows the dashboard; a missing or ended sign-in
/// goes to the sign-in page.
#[component]
pub fn App() -> impl IntoView {
    let me: Remote<Me> = Remote::new();
    let load = move || me.load(client::me());
    load();
    move || match me.state.get() {
        Load::Loading => {
            view! { <div class="boot"><Loading what="your dashboard"/></div> }.into_any()
        }
        Load::Failed(error) => view! {
            <main class="boot" id="main">
                <h1>"Edge Checkout dashboard"</h1>
                <ErrorBox error=error.clone() retry=Callback::new(move |()| load())/>
                {(error == ApiError::SignedOut).then(|| view! {
                    <p><a href=client::SIGN_IN>"Go to the sign-in page"</a></p>
                })}
            </main>
        }
        .into_any(),
        Load::Ready(me) => view! { <Shell me=me/> }.into_any(),
    }
}

/// The signed-in merchant, for any page that needs it.
#[derive(Clone)]
pub struct SignedIn(pub Me);

/// The navigation bar and the page under it.
#[component]
fn Shell(me: Me) -> impl IntoView {
    let mode = me.mode.as_str();
    let name = me.merchant_name.clone();
    provide_context(SignedIn(me));
    view! {
        <Router base=BASE>
            <a class="skip" href="#main">"Skip to content"</a>
            <header class="top">
                <div class="brand">
                    <span class="logo" aria-hidden="true"></span>
                    <span class="brand-name">"Edge Checkout"</span>
                    <span class="merchant">{name}</span>
                    <span class=format!("badge mode mode-{mode}") title="The data this sign-in sees">
                        {format!("{mode} mode")}
                    </span>
                </div>
                <nav aria-label="Main">
                    <ul>
                        <li><A href=link_to("/") exact=true>"Overview"</A></li>
                        <li><A href=link_to("/sessions")>"Sessions"</A></li>
                        <li><A href=link_to("/attention")>"Needs attention"</A></li>
                        <li><A href=link_to("/links")>"Payment links"</A></li>
                        <li><A href=link_to("/wallets")>"Wallets"</A></li>
                        <li><A href=link_to("/webhooks")>"Webhooks"</A></li>
                        <li><A href=link_to("/keys")>"API keys"</A></li>
                        <li><A href=link_to("/settings")>"Settings"</A></li>
                    </ul>
                </nav>
                <div class="tools">
                    <ThemeToggle/>
                    <SignOut/>
                </div>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    <Route path=path!("/") view=pages::overview::Overview/>
                    <Route path=path!("/sessions") view=pages::sessions::Sessions/>
                    <Route path=path!("/sessions/:id") view=pages::sessions::SessionPage/>
                    <Route path=path!("/attention") view=pages::attention::Attention/>
                    <Route path=path!("/links") view=pages::links::Links/>
                    <Route path=path!("/wallets") view=pages::wallets::Wallets/>
                    <Route path=path!("/wallets/:id") view=pages::wallets::WalletPage/>
                    <Route path=path!("/webhooks") view=pages::webhooks::Webhooks/>
                    <Route path=path!("/webhooks/events/:id") view=pages::webhooks::EventPage/>
                    <Route path=path!("/keys") view=pages::keys::Keys/>
                    <Route path=path!("/settings") view=pages::settings::Settings/>
                </Routes>
            </main>
        </Router>
    }
}

/// The stored choice of theme (`dark`/`light`), or none to follow the system.
/// boot.js applies it before the app starts, so that the page does not flash.
const THEME_KEY: &str = "ec-theme";

fn stored_theme() -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(THEME_KEY)
        .ok()?
}

fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Switches between the light and dark theme (a class on `<html>` that the
/// stylesheet reads), and remembers the choice.
#[component]
fn ThemeToggle() -> impl IntoView {
    let dark = RwSignal::new(match stored_theme().as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => system_dark(),
    });
    let toggle = move |_| {
        let now_dark = !dark.get_untracked();
        dark.set(now_dark);
        let theme = if now_dark { "dark" } else { "light" };
        if let Some(window) = web_sys::window() {
            if let Some(root) = window.document().and_then(|d| d.document_element()) {
                let _ = root.class_list().remove_2("dark", "light");
                let _ = root.class_list().add_1(theme);
            }
            if let Ok(Some(storage)) = window.local_storage() {
                let _ = storage.set_item(THEME_KEY, theme);
            }
        }
    };
    view! {
        <button
            type="button"
            class="secondary small theme"
            aria-pressed=move || dark.get().to_string()
            on:click=toggle
        >
            "Dark theme"
        </button>
    }
}

/// Ends the sign-in (the worker clears the cookie), then shows the sign-in page.
#[component]
fn SignOut() -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let sign_out = Callback::new(move |()| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match client::sign_out().await {
                Ok(_) | Err(ApiError::SignedOut) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().assign(client::SIGN_IN);
                    }
                }
                Err(e) => {
                    busy.set(false);
                    error.set(Some(e));
                }
            }
        });
    });
    view! {
        <ui::ActionButton label="Sign out" busy_label="Signing out…" busy=busy class="secondary small" on_click=sign_out/>
        <div class="toast"><ui::ErrorSlot error=error/></div>
    }
}
