//! The Edge Checkout Cloudflare Worker.
//!
//! Requests flow one way: route (this file) → dialect adapter (`dialect/`) →
//! core (pure decisions) → store (`store.rs`, KV). Every answer to a bad request
//! is a JSON error with a stable code (`error.rs`); nothing a client sends can
//! make the worker answer 500.

mod admin;
mod auth;
mod checkout;
mod config;
mod confirmations;
mod cron;
mod dev;
mod dialect;
mod error;
mod http;
mod json;
mod openapi;
mod random;
mod rates;
mod receipt;
mod sandbox;
mod secrets;
mod sessions;
mod store;

use worker::{
    event, Context, Date, Env, Method, Request, Response, ScheduleContext, ScheduledEvent,
};

use crate::config::Config;
use crate::dialect::{etn, ewallet, gateway, links, native};
use crate::error::{ApiError, ApiResult};
use crate::sessions::Ctx;
use crate::store::Store;

#[event(fetch)]
async fn fetch(mut req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    Ok(match route(&mut req, &env).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    })
}

/// The cron trigger: ETN polls and expiry (see `cron.rs`).
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    if let Err(e) = cron::run(&env).await {
        worker::console_error!("cron failed: {} {}", e.code, e.message);
    }
}

fn not_allowed(allow: &str) -> ApiResult<Response> {
    let r = ApiError::new(
        405,
        "method_not_allowed",
        format!("this route accepts {allow}"),
    )
    .into_response();
    r.headers().set("allow", allow)?;
    Ok(r)
}

fn idempotency_key(req: &Request) -> ApiResult<Option<String>> {
    Ok(req.headers().get("idempotency-key")?)
}

fn query(req: &Request, name: &str) -> ApiResult<Option<String>> {
    Ok(req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned()))
}

/// The one route table: path first, then method, so that a known path with the
/// wrong method is a 405 and an unknown path a 404.
async fn route(req: &mut Request, env: &Env) -> ApiResult<Response> {
    let url = req.url()?;
    let path = url.path().to_owned();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let ctx = Ctx {
        config: Config::from_env(env),
        store: Store::new(env)?,
        now: (Date::now().as_millis() / 1000) as i64,
        now_ms: Date::now().as_millis() as i64,
        origin: url.origin().ascii_serialization(),
    };
    let method = req.method();
    use Method::{Delete, Get, Options, Post, Put};
    match segments.as_slice() {
        ["health"] => match method {
            Get => health(&ctx).await,
            _ => not_allowed("GET"),
        },
        // The cheapest route there is: the baseline of `cargo xtask bench`.
        ["health", "live"] => match method {
            Get => http::json(200, &serde_json::json!({ "status": "ok" })),
            _ => not_allowed("GET"),
        },
        ["v1", "sessions"] => match method {
            Post => {
                let caller = auth::merchant(req, &ctx.store).await?;
                let (_, body) = http::json_body(req).await?;
                native::create(&ctx, &caller, &body, idempotency_key(req)?).await
            }
            Get => {
                let caller = auth::merchant(req, &ctx.store).await?;
                native::list(
                    &ctx,
                    &caller,
                    query(req, "limit")?.as_deref(),
                    query(req, "cursor")?,
                )
                .await
            }
            _ => not_allowed("GET, POST"),
        },
        ["v1", "sessions", id, "public"] => match method {
            Get => checkout::public_view(&ctx, req, id).await,
            Options => checkout::preflight(),
            _ => not_allowed("GET, OPTIONS"),
        },
        ["v1", "sessions", id] => match method {
            Get => native::get(&ctx, &auth::merchant(req, &ctx.store).await?, id).await,
            _ => not_allowed("GET"),
        },
        ["v1", "sessions", id, "events"] => match method {
            Get => native::events(&ctx, &auth::merchant(req, &ctx.store).await?, id).await,
            _ => not_allowed("GET"),
        },
        ["v1", "sessions", id, "sandbox"] => match method {
            Post => {
                sandbox::trigger(
                    &ctx,
                    id,
                    query(req, "scenario")?,
                    query(req, "redirect")?.is_some(),
                )
                .await
            }
            _ => not_allowed("POST"),
        },
        ["v1", "payments", "unmatched"] => match method {
            Get => native::unmatched(&ctx, &auth::merchant(req, &ctx.store).await?).await,
            _ => not_allowed("GET"),
        },
        ["v1", "sessions", id, "cancel"] => match method {
            Post => native::cancel(&ctx, &auth::merchant(req, &ctx.store).await?, id).await,
            _ => not_allowed("POST"),
        },
        ["v1", "admin", "merchants"] => match method {
            Post => {
                auth::admin(req, &ctx.config)?;
                let (_, body) = http::json_body(req).await?;
                admin::post_merchant(&ctx.config, &ctx.store, &body, ctx.now).await
            }
            _ => not_allowed("POST"),
        },
        ["v1", "admin", "merchants", id] => match method {
            Get => {
                auth::admin(req, &ctx.config)?;
                admin::get_merchant(&ctx.config, &ctx.store, id).await
            }
            _ => not_allowed("GET"),
        },
        ["v1", "admin", "merchants", id, "keys"] => match method {
            Post => {
                auth::admin(req, &ctx.config)?;
                let body = http::body_bytes(req).await?;
                let object = if body.iter().all(u8::is_ascii_whitespace) {
                    None
                } else {
                    Some(json::Object::parse(&body)?)
                };
                admin::post_key(&ctx.store, id, object.as_ref(), ctx.now).await
            }
            Get => {
                auth::admin(req, &ctx.config)?;
                admin::list_keys(&ctx.store, id).await
            }
            _ => not_allowed("GET, POST"),
        },
        ["v1", "admin", "merchants", id, "keys", key_id] => match method {
            Delete => {
                auth::admin(req, &ctx.config)?;
                admin::revoke_key(&ctx.store, id, key_id, ctx.now).await
            }
            _ => not_allowed("DELETE"),
        },
        ["gateway", "session.php"] => match method {
            Post => {
                let caller = auth::merchant(req, &ctx.store).await?;
                let (_, body) = http::json_body(req).await?;
                gateway::create_session(&ctx, &caller, &body, idempotency_key(req)?).await
            }
            _ => not_allowed("POST"),
        },
        ["gateway", "me.php"] => match method {
            Get => gateway::me(&auth::merchant(req, &ctx.store).await?),
            _ => not_allowed("GET"),
        },
        ["gateway", "status.php"] => match method {
            Get => {
                gateway::status(
                    &ctx,
                    &auth::merchant(req, &ctx.store).await?,
                    query(req, "session_id")?,
                )
                .await
            }
            _ => not_allowed("GET"),
        },
        ["api", "v1", "wallets"] => match method {
            Post => {
                let caller = auth::merchant(req, &ctx.store).await?;
                let (_, body) = http::json_body(req).await?;
                ewallet::create_wallet(&ctx, &caller, &body).await
            }
            _ => not_allowed("POST"),
        },
        ["api", "v1", "wallets", id] => match method {
            Get => ewallet::get_wallet(&ctx, &auth::merchant(req, &ctx.store).await?, id).await,
            _ => not_allowed("GET"),
        },
        ["api", "v1", "orders"] => match method {
            Post => {
                let caller = auth::merchant(req, &ctx.store).await?;
                let (_, body) = http::json_body(req).await?;
                ewallet::create_order(&ctx, &caller, &body, idempotency_key(req)?).await
            }
            _ => not_allowed("POST"),
        },
        ["api", "v1", "orders", id] => match method {
            Get => ewallet::get_order(&ctx, &auth::merchant(req, &ctx.store).await?, id).await,
            _ => not_allowed("GET"),
        },
        ["api", "v1", "orders", id, "receipt.pdf"] => match method {
            Get => ewallet::receipt(&ctx, &auth::merchant(req, &ctx.store).await?, id).await,
            _ => not_allowed("GET"),
        },
        ["wallet", "createPaymentLink"] => match method {
            Post => {
                let caller = auth::merchant(req, &ctx.store).await?;
                let (_, body) = http::json_body(req).await?;
                links::create(&ctx, &caller, &body, idempotency_key(req)?).await
            }
            _ => not_allowed("POST"),
        },
        ["webhooks", "etn", merchant_id] => match method {
            Post => etn::webhook(&ctx, req, merchant_id).await,
            _ => not_allowed("POST"),
        },
        ["api", "webhook.php"] => match method {
            Post => gateway::webhook(&ctx, req).await,
            _ => not_allowed("POST"),
        },
        ["vendor", "check-payment"] => match method {
            Post => etn::check_payment(&ctx, req).await,
            _ => not_allowed("POST"),
        },
        ["openapi.json"] => match method {
            Get => openapi::document(&ctx),
            _ => not_allowed("GET"),
        },
        ["pay", id] => match method {
            Get => checkout::page(&ctx, id).await,
            _ => not_allowed("GET"),
        },
        ["__dev", rest @ ..] if ctx.config.dev => match (rest, method) {
            (["rates.json"], Get) => dev::rates(&ctx).await,
            (["rates.json"], Put) => dev::put_rates(&ctx, http::body_bytes(req).await?).await,
            (["seed"], Post) => {
                auth::admin(req, &ctx.config)?;
                let (_, body) = http::json_body(req).await?;
                dev::seed(&ctx, &body).await
            }
            (["etn", "check-payment"], Post) => dev::etn_check_payment(&ctx, req).await,
            (["etn", "payments", payment_id], Put) => {
                let (_, body) = http::json_body(req).await?;
                dev::etn_mark_paid(&ctx, payment_id, &body).await
            }
            (["demo-session"], Post) => dev::demo_session(&ctx, query(req, "amount")?).await,
            _ => Err(ApiError::not_found("route")),
        },
        _ => Err(ApiError::new(
            404,
            "not_found",
            format!("no route for {path}"),
        )),
    }
}

/// Liveness, including a real read of the KV binding so that a missing or broken
/// binding shows here rather than on the first checkout.
async fn health(ctx: &Ctx) -> ApiResult<Response> {
    let kv_ok = ctx
        .store
        .get_json::<serde_json::Value>("health-probe")
        .await
        .is_ok();
    let body = serde_json::json!({
        "status": if kv_ok { "ok" } else { "degraded" },
        "kv": if kv_ok { "ok" } else { "unavailable" },
        "version": env!("CARGO_PKG_VERSION"),
    });
    http::json(if kv_ok { 200 } else { 503 }, &body)
}
