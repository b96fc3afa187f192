//! hosted-checkout-gateway-api: `/gateway/session.php`, `me.php`, `status.php`.
//!
//! Sessions here are created from the merchant's backend for one of its approved
//! domains (exact match: no suffix, no case folding). `method` is for
//! smart-routing merchants only, and a provider slug is never accepted.

use checkout_core::session::{Dialect, SessionRequest};
use serde_json::json;
use worker::Response;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::json::Object;
use crate::sessions::{self, Create, Ctx};
use crate::store::Plan;

fn integration_mode(plan: Plan) -> &'static str {
    match plan {
        Plan::HostedCheckout => "hosted_checkout",
        Plan::SmartRouting => "smart_routing",
    }
}

/// `POST /gateway/session.php`
pub async fn create_session(
    ctx: &Ctx,
    caller: &Caller,
    o: &Object,
    idempotency_key: Option<String>,
) -> ApiResult<Response> {
    if o.has("provider") {
        return Err(ApiError::bad_request(
            "provider_not_allowed",
            "do not send provider slugs; use method (smart routing only)",
        )
        .field("provider"));
    }
    let domain = o
        .string("domain")?
        .filter(|d| !d.is_empty())
        .ok_or_else(|| missing("domain"))?;
    // Exact, byte-for-byte: no case folding, no suffix or subdomain matching.
    if !caller.merchant.domains.contains(&domain) {
        return Err(ApiError::new(
            403,
            "domain_not_approved",
            "domain is not an approved domain of this merchant",
        )
        .field("domain"));
    }
    let order_id = o
        .string("order_id")?
        .filter(|d| !d.is_empty())
        .ok_or_else(|| missing("order_id"))?;
    let method = o.string("method")?;
    if let Some(method) = &method {
        if caller.merchant.plan != Plan::SmartRouting {
            return Err(ApiError::bad_request(
                "method_not_allowed",
                "method is only accepted for smart routing; omit it",
            )
            .field("method"));
        }
        if !caller.merchant.methods.contains(method) {
            return Err(ApiError::new(
                422,
                "method_unknown",
                "method is not one of GET /gateway/me.php's methods",
            )
            .field("method"));
        }
    }
    let request = SessionRequest {
        amount: o.amount("amount")?,
        currency: o.string("currency")?,
        order_id: Some(order_id),
        customer_email: o.string("customer_email")?,
        return_url: o.string("return_url")?,
        cancel_url: o.string("cancel_url")?,
        method,
        ..SessionRequest::default()
    };
    let created = sessions::create(
        ctx,
        caller,
        Create::new(request, Dialect::Gateway, idempotency_key),
    )
    .await?;
    let s = &created.session;
    http::json(
        200,
        &json!({
            "session_id": s.id,
            "checkout_url": ctx.checkout_url(&s.id),
            "status": s.state_at(ctx.now),
            "order_id": s.order_id,
            "amount": s.price.to_string(),
            "currency": s.price.currency().code(),
            "expires_at": s.expires_at,
        }),
    )
}

fn missing(field: &str) -> ApiError {
    ApiError::bad_request("missing_field", format!("{field} is required")).field(field)
}

/// `GET /gateway/me.php`
pub fn me(caller: &Caller) -> ApiResult<Response> {
    let m = &caller.merchant;
    http::json(
        200,
        &json!({
            "merchant_id": m.id,
            "name": m.name,
            "integration_mode": integration_mode(m.plan),
            "methods": m.methods,
            "domains": m.domains,
            "mode": caller.mode,
        }),
    )
}

/// `GET /gateway/status.php?session_id=...`
pub async fn status(ctx: &Ctx, caller: &Caller, session_id: Option<String>) -> ApiResult<Response> {
    let id = session_id
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing("session_id"))?;
    let s = sessions::owned(ctx, caller, &id).await?;
    http::json(
        200,
        &json!({
            "session_id": s.id,
            "order_id": s.order_id,
            "status": s.state_at(ctx.now),
            "amount": s.price.to_string(),
            "currency": s.price.currency().code(),
            "etn_amount": s.payment_string.amount().to_string(),
            "payment_string": s.payment_string.to_string(),
            "checkout_url": ctx.checkout_url(&s.id),
            "expires_at": s.expires_at,
        }),
    )
}
