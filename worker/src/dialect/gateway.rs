//! hosted-checkout-gateway-api: `/gateway/session.php`, `me.php`, `status.php`.
//!
//! Sessions here are created from the merchant's backend for one of its approved
//! domains (exact match: no suffix, no case folding). `method` is for
//! smart-routing merchants only, and a provider slug is never accepted.

use checkout_core::confirmation::{Confirmation, Provider};
use checkout_core::session::{Dialect, SessionRequest};
use serde_json::json;
use worker::{Request, Response};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::json::Object;
use crate::secrets;
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

/// The signature of an inbound gateway webhook: the one value its headers carry.
/// Several headers may be sent; if they disagree the request is refused rather
/// than verified against whichever happens to match.
fn signature_header(req: &Request) -> ApiResult<String> {
    let mut values = Vec::new();
    for name in checkout_core::signature::gateway::HEADERS {
        if let Some(v) = req.headers().get(name)? {
            if !v.trim().is_empty() {
                values.push(v.trim().to_owned());
            }
        }
    }
    let normal = |v: &str| {
        let v = v.to_ascii_lowercase();
        v.strip_prefix(checkout_core::signature::gateway::PREFIX)
            .map(str::to_owned)
            .unwrap_or(v)
    };
    match values.as_slice() {
        [] => Err(ApiError::new(
            401,
            "signature_missing",
            "send the signature in X-Signature, X-Ecomtrade24-Signature or X-Webhook-Signature",
        )),
        [first, rest @ ..] if rest.iter().any(|v| normal(v) != normal(first)) => Err(
            ApiError::bad_request("signature_conflict", "the signature headers disagree"),
        ),
        [first, ..] => Ok(first.clone()),
    }
}

/// `POST /api/webhook.php`: a payment processor (or the sandbox) reports on a
/// session; verified with the session's merchant's gateway webhook secret.
pub async fn webhook(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body = http::body_bytes(req).await?;
    let o = Object::parse(&body)?;
    let session_id = o
        .string("session_id")?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing("session_id"))?;
    let session = sessions::find(ctx, &session_id)
        .await
        .map_err(|_| ApiError::not_found("session").field("session_id"))?;
    let merchant = ctx
        .store
        .merchant(&session.merchant_id)
        .await?
        .ok_or_else(|| ApiError::not_found("merchant"))?;
    let secret = secrets::open(ctx.config.secrets_key()?, &merchant.gateway_secret)?;
    let signature = signature_header(req)?;
    checkout_core::signature::gateway::verify(&secret, &body, &signature).map_err(|e| {
        worker::console_warn!("refused a gateway webhook for {}: {}", session.id, e.code());
        ApiError::new(401, e.code(), format!("signature: {e}"))
    })?;
    let ts = match o.integer("timestamp") {
        Ok(Some(ts)) => ts,
        _ => o
            .string("timestamp")
            .ok()
            .flatten()
            .and_then(|t| checkout_core::time::parse_iso8601(&t))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "timestamp_invalid",
                    "timestamp must be unix seconds or ISO 8601",
                )
                .field("timestamp")
            })?,
    };
    checkout_core::signature::Tolerance::DEFAULT
        .check(ts, ctx.now)
        .map_err(|e| {
            ApiError::bad_request(e.code(), format!("timestamp: {e}")).field("timestamp")
        })?;
    let event = o.string("event")?.unwrap_or_default();
    let kind = crate::confirmations::gateway_kind(&event).ok_or_else(|| {
        ApiError::bad_request(
            "event_unknown",
            "event must be payment.succeeded, payment.failed or refund.succeeded",
        )
        .field("event")
    })?;
    let currency_text = o.string("currency")?.ok_or_else(|| missing("currency"))?;
    let currency = checkout_core::Currency::from_code(&currency_text)
        .map_err(|e| ApiError::new(422, e.code(), e.to_string()).field("currency"))?;
    let confirmation = Confirmation {
        provider: Provider::Gateway,
        kind,
        payment_ref: session.id.to_string(),
        amount: o.amount("amount")?.ok_or_else(|| missing("amount"))?,
        currency,
        provider_ref: o.string("reference")?,
    };
    let recorded =
        crate::confirmations::record(ctx, &merchant.id, Some(session), &confirmation).await?;
    http::json(200, &recorded.to_json())
}
