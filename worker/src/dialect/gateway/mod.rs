//! hosted-checkout-gateway-api: `/gateway/session.php`, `me.php`, `status.php`,
//! and the inbound `/api/webhook.php`.
//!
//! Sessions here are created from the merchant's backend for one of its approved
//! domains (exact match: no suffix, no case folding). `method` is for
//! smart-routing merchants; hosted-checkout merchants may send one (real clients
//! send `card`) and it is ignored. A provider slug is never accepted.

pub mod wire;

use checkout_core::ids::SessionId;
use checkout_core::session::Dialect;
use checkout_core::signature::gateway;
use worker::Headers;

use self::wire::{GatewaySession, GatewaySessionRequest, GatewayWebhook, Me, StatusQuery};
use crate::auth::Caller;
use crate::confirmations::{self, Ack};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::idempotency;
use crate::route::{Call, Json, Query, Reply, Signed};
use crate::secret::ExposeSecret;
use crate::sessions::{self, NewSession};
use crate::store::Plan;

/// `POST /gateway/session.php`
pub async fn create_session(
    call: Call,
    caller: Caller,
    Json(body): Json<GatewaySessionRequest>,
) -> ApiResult<Reply<GatewaySession>> {
    if body.provider.as_ref().is_some_and(|p| !p.is_null()) {
        return Err(ApiError::bad_request(
            "provider_not_allowed",
            "do not send provider slugs; use method (smart routing only)",
        )
        .field("provider"));
    }
    let domain = body
        .domain
        .as_deref()
        .filter(|d| !d.is_empty())
        .ok_or_else(|| ApiError::missing("domain"))?;
    // Exact, byte-for-byte: no case folding, no suffix or subdomain matching.
    if !caller.merchant.domains.iter().any(|d| d == domain) {
        return Err(ApiError::new(
            403,
            "domain_not_approved",
            "domain is not an approved domain of this merchant",
        )
        .field("domain"));
    }
    if body.order_id.as_deref().is_none_or(str::is_empty) {
        return Err(ApiError::missing("order_id"));
    }
    let method = match (caller.merchant.plan, &body.method) {
        (Plan::SmartRouting, Some(method)) if !caller.merchant.methods.contains(method) => {
            return Err(ApiError::invalid(
                "method",
                "method_unknown",
                "method is not one of GET /gateway/me.php's methods",
            ))
        }
        (Plan::SmartRouting, method) => method.clone(),
        (Plan::HostedCheckout, _) => None,
    };
    let fingerprint = idempotency::fingerprint(Dialect::Gateway, &body)?;
    let created = sessions::create(
        &call.ctx,
        &caller,
        NewSession::new(
            body.request(method),
            Dialect::Gateway,
            fingerprint,
            call.header("idempotency-key")?,
        ),
    )
    .await?;
    Ok(Reply::ok(GatewaySession::read(&call.ctx, &created.read)))
}

/// `GET /gateway/me.php`
pub async fn me(_call: Call, caller: Caller) -> ApiResult<Reply<Me>> {
    let m = caller.merchant;
    Ok(Reply::ok(Me {
        ok: true,
        merchant_id: m.id,
        name: m.name,
        integration_mode: m.plan,
        methods: m.methods,
        domains: m.domains,
        mode: caller.mode,
    }))
}

/// `GET /gateway/status.php?session_id=...`
pub async fn status(
    call: Call,
    caller: Caller,
    Query(query): Query<StatusQuery>,
) -> ApiResult<Reply<GatewaySession>> {
    let id = query
        .session_id
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::missing("session_id"))?;
    let id: SessionId = id.parse().map_err(|_| ApiError::not_found("session"))?;
    let read = sessions::owned(&call.ctx, &caller, &id).await?;
    Ok(Reply::ok(GatewaySession::read(&call.ctx, &read)))
}

/// `POST /api/webhook.php`
pub async fn webhook(call: Call, body: Signed<GatewayWebhook>) -> ApiResult<Reply<Ack>> {
    let headers = &call.req.headers();
    receive(&call.ctx, &body.bytes, headers)
        .await
        .map(Reply::ok)
}

/// The signature of an inbound gateway webhook: the one value its headers carry.
/// Several headers may be sent; if they disagree the request is refused rather
/// than verified against whichever happens to match.
fn signature_header(headers: &Headers) -> ApiResult<String> {
    let mut values = Vec::new();
    for name in gateway::HEADERS {
        if let Some(v) = headers.get(name)? {
            if !v.trim().is_empty() {
                values.push(v.trim().to_owned());
            }
        }
    }
    let normal = |v: &str| {
        let v = v.to_ascii_lowercase();
        v.strip_prefix(gateway::PREFIX)
            .map(str::to_owned)
            .unwrap_or(v)
    };
    match values.as_slice() {
        [] => Err(ApiError::unauthorized(
            "signature_missing",
            "send the signature in X-Signature, X-Ecomtrade24-Signature or X-Webhook-Signature",
        )),
        [first, rest @ ..] if rest.iter().any(|v| normal(v) != normal(first)) => Err(
            ApiError::bad_request("signature_conflict", "the signature headers disagree"),
        ),
        [first, ..] => Ok(first.clone()),
    }
}

/// Verifies and records an inbound gateway webhook (also the sandbox's way in).
///
/// Nothing is read from the session's account before the signature is
/// verified: the session id names its merchant, whose secret verifies it.
pub async fn receive(ctx: &Ctx, body: &[u8], headers: &Headers) -> ApiResult<Ack> {
    let o: GatewayWebhook = crate::wire::from_json(body)?;
    let session_id = o
        .session_id
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::missing("session_id"))?;
    let not_found = || ApiError::not_found("session").field("session_id");
    let id: SessionId = session_id.parse().map_err(|_| not_found())?;
    // A storage failure here propagates as a retryable 5xx, never as a 404.
    let located = sessions::locate(ctx, &id).await?.ok_or_else(not_found)?;
    let merchant = ctx
        .store
        .merchant(&located.home.merchant)
        .await?
        .ok_or_else(not_found)?;
    let secret = ctx.config.open(&merchant.gateway_secret)?;
    let signature = signature_header(headers)?;
    gateway::verify(secret.expose_secret(), body, &signature).map_err(|e| {
        worker::console_warn!("refused a gateway webhook for {id}: {}", e.code());
        ApiError::unauthorized(e.code(), format!("signature: {e}"))
    })?;
    let confirmation = o.confirmation(&id, ctx.now)?;
    confirmations::record(ctx, located, &confirmation)
        .await
        .map_err(|e| {
            if e.status == 404 {
                e.field("session_id")
            } else {
                e
            }
        })
}
