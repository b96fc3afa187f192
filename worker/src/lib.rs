//! The Edge Checkout Cloudflare Worker.
//!
//! Requests flow one way: route → dialect adapter → core (pure decisions) → store
//! (KV) → events → delivery. This first cut serves only liveness; later modules add
//! the dialects of the seed APIs.

use serde::Serialize;
use worker::*;

/// The KV namespace binding every record lives in (see wrangler.toml).
pub const KV_BINDING: &str = "CHECKOUT_KV";

#[derive(Serialize)]
struct Health {
    status: &'static str,
    kv: &'static str,
    version: &'static str,
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    Router::new()
        .get_async("/health", |_req, ctx| async move { health(&ctx.env).await })
        .or_else_any_method("/*path", |_req, _ctx| not_found())
        .run(req, env)
        .await
}

/// Liveness, including a real read of the KV binding so that a missing or broken
/// binding shows here rather than on the first checkout.
async fn health(env: &Env) -> Result<Response> {
    let kv_ok = match env.kv(KV_BINDING) {
        Ok(kv) => kv.get("health-probe").text().await.is_ok(),
        Err(_) => false,
    };
    let body = Health {
        status: if kv_ok { "ok" } else { "degraded" },
        kv: if kv_ok { "ok" } else { "unavailable" },
        version: env!("CARGO_PKG_VERSION"),
    };
    Ok(Response::from_json(&body)?.with_status(if kv_ok { 200 } else { 503 }))
}

fn not_found() -> Result<Response> {
    let body = serde_json::json!({
        "error": { "code": "not_found", "message": "no such route", "field": null }
    });
    Ok(Response::from_json(&body)?.with_status(404))
}
