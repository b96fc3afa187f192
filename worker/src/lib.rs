//! The Edge Checkout Cloudflare Worker.
//!
//! Requests flow one way: the route table (`routes.rs`) → a dialect's wire types
//! (`dialect/*/wire.rs`) → core, which decides (`Session::open`,
//! `lifecycle::transition`) → storage: KV for sessions and their indexes
//! (`store.rs`, every key defined there), and the merchant's account object for
//! what must be strongly consistent (`account/`: events, wallet ledgers). Every
//! answer to a bad request is a JSON error with a stable code (`error.rs`);
//! nothing a client sends can make the worker answer 500.

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
mod http;
mod idempotency;
mod keys;
mod openapi;
mod random;
mod rates;
mod receipt;
mod route;
mod routes;
mod sandbox;
mod secret;
mod sessions;
mod store;
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
