//! The Edge Checkout Cloudflare Worker.
//!
//! Requests flow one way: the route table (`routes.rs`) → a dialect's wire types
//! (`dialect/*/wire.rs`) → the session engine (`sessions.rs`), which opens
//! sessions with core (`Session::open`) and sends typed commands to the
//! merchant's account object (`account/`), where core decides each change
//! (`lifecycle::transition`) and the session, its events, wallet bookings and
//! webhooks are stored in one step → the outbox, which delivers the webhooks,
//! and the shoppers' live views. KV keeps what the edge reads and rarely
//! writes: merchants, keys, rates (`store.rs`, every key defined there). Every
//! answer to a bad request is a JSON error with a stable code (`error.rs`);
//! nothing a client sends can make the worker answer 500. Imports go the same
//! way, top to bottom, with no cycle (docs/design.md, "The layers"; checked
//! by `xtask/src/layers.rs`).

mod account;
mod admin;
mod auth;
mod checkout;
mod config;
mod confirmations;
mod cron;
mod ctx;
mod dashboard;
mod dev;
mod dialect;
mod error;
mod forwarding;
mod hosted;
mod http;
mod idempotency;
mod keys;
mod openapi;
mod outage;
mod random;
mod rates;
mod receipt;
mod route;
mod routes;
mod sandbox;
mod secret;
mod sessions;
mod store;
mod usage;
mod wire;

use worker::{event, Context, Env, Request, Response, ScheduleContext, ScheduledEvent};

/// The Durable Object class of merchants' accounts (bound as `ACCOUNT`).
pub use account::AccountObject;

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    routes::handle(req, &env).await
}

/// The cron trigger: expiry and ETN polls (see `cron.rs`).
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    if let Err(e) = cron::run(&env).await {
        worker::console_error!("cron failed: {} {}", e.code, e.message);
    }
}
