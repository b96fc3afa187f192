//! webhook-forwarding-api: the merchant's webhook endpoint (`/api/v2/webhooks/config`)
//! and delivery history (`/api/v2/webhooks/events`), with our own operations:
//! rotate the secret, send a test event, redeliver one event, recover every
//! failed one since a time. Each key configures its own mode's endpoint.
//!
//! The endpoint, the outbox and every attempt live in the merchant's account
//! object (`account/`); these handlers validate and translate.

pub mod wire;

use checkout_core::signature::standard;
use checkout_core::time::UnixMillis;
use checkout_core::validate;

use self::wire::{
    delivery_query, event_filter, recover_since, Deleted, DeliveryList, EventsQuery,
    RecoverRequest, Recovered, RotatedSecret, WebhookConfig, WebhookConfigRequest,
};
use crate::account::protocol::{
    DeleteEndpoint, Delivery, Endpoint, GetDelivery, GetEndpoint, GetSecrets, ListDeliveries,
    PutEndpoint, Recover, Redeliver, Rotate, Secrets, SendTest,
};
use crate::auth::Caller;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::random;
use crate::route::{Call, DeliveryId, Json, Path, Query, Reply};
use crate::secret::{mask, Sealed, SecretString};

/// Longest signing secret accepted (a `whsec_` of 64 bytes is 94 characters).
const MAX_SECRET: usize = 256;

fn not_configured() -> ApiError {
    ApiError::not_found("webhook config")
}

/// The configuration as answered: the secret masked.
fn view(ctx: &Ctx, endpoint: Endpoint, secrets: &Secrets) -> ApiResult<WebhookConfig> {
    let current = ctx.config.open(&secrets.current)?;
    Ok(WebhookConfig {
        url: endpoint.url,
        secret: mask(&current),
        event_types: endpoint
            .filter
            .names()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        enabled: endpoint.enabled,
        disabled_reason: endpoint.disabled_reason,
        previous_secret_expires_at: secrets
            .previous_until
            .filter(|until| *until > ctx.now_ms)
            .map(UnixMillis::to_seconds),
        created_at: endpoint.created_at.to_seconds(),
        updated_at: endpoint.updated_at.to_seconds(),
    })
}

/// `PUT /api/v2/webhooks/config`
pub async fn put_config(
    call: Call,
    caller: Caller,
    Json(body): Json<WebhookConfigRequest>,
) -> ApiResult<Reply<WebhookConfig>> {
    let ctx = &call.ctx;
    let url = body
        .url
        .as_deref()
        .ok_or_else(|| ApiError::missing("url"))?;
    validate::url("url", url, ctx.config.url_policy())?;
    let secret = match body.secret.as_deref() {
        None => None,
        Some(s) if s.len() > MAX_SECRET => {
            return Err(ApiError::invalid(
                "secret",
                "too_long",
                format!("secret is longer than {MAX_SECRET} characters"),
            ))
        }
        Some(s) => {
            standard::Secret::parse(s)
                .map_err(|e| ApiError::invalid("secret", "secret_invalid", e.to_string()))?;
            Some(Sealed::seal(
                ctx.config.secrets_key()?,
                &SecretString::from(s.to_owned()),
            )?)
        }
    };
    let filter = event_filter(&body)?;
    let account = caller.account(ctx);
    let endpoint = account
        .call(PutEndpoint {
            url: url.to_owned(),
            secret,
            filter,
            enabled: body.enabled.unwrap_or(true),
        })
        .await?;
    let secrets = account.call(GetSecrets).await?;
    Ok(Reply::ok(view(ctx, endpoint, &secrets)?))
}

/// `GET /api/v2/webhooks/config`
pub async fn get_config(call: Call, caller: Caller) -> ApiResult<Reply<WebhookConfig>> {
    let account = caller.account(&call.ctx);
    let endpoint = account
        .call(GetEndpoint)
        .await?
        .ok_or_else(not_configured)?;
    let secrets = account.call(GetSecrets).await?;
    Ok(Reply::ok(view(&call.ctx, endpoint, &secrets)?))
}

/// `DELETE /api/v2/webhooks/config`: the history stays; queued deliveries wait.
pub async fn delete_config(call: Call, caller: Caller) -> ApiResult<Reply<Deleted>> {
    if !caller.account(&call.ctx).call(DeleteEndpoint).await? {
        return Err(not_configured());
    }
    Ok(Reply::ok(Deleted { deleted: true }))
}

/// `POST /api/v2/webhooks/config/rotate`: a new secret, shown once; the previous
/// one signs every request too for 24 hours.
pub async fn rotate(call: Call, caller: Caller) -> ApiResult<Reply<RotatedSecret>> {
    let ctx = &call.ctx;
    let secret = standard::Secret::from_bytes(random::bytes::<32>()).expose();
    let sealed = Sealed::seal(
        ctx.config.secrets_key()?,
        &SecretString::from(secret.clone()),
    )?;
    let secrets = caller.account(ctx).call(Rotate { secret: sealed }).await?;
    Ok(Reply::ok(RotatedSecret {
        secret,
        previous_secret_expires_at: secrets.previous_until.map(UnixMillis::to_seconds),
    }))
}

/// `GET /api/v2/webhooks/events`: newest first, each with every attempt.
pub async fn events(
    call: Call,
    caller: Caller,
    Query(query): Query<EventsQuery>,
) -> ApiResult<Reply<DeliveryList>> {
    let page = caller
        .account(&call.ctx)
        .call(ListDeliveries {
            query: delivery_query(&query)?,
        })
        .await?;
    Ok(Reply::ok(DeliveryList::new(page.data, page.next_cursor)))
}

/// `GET /api/v2/webhooks/events/{id}`: one delivery with the exact bytes sent.
pub async fn event(
    call: Call,
    caller: Caller,
    Path(id): Path<DeliveryId>,
) -> ApiResult<Reply<Delivery>> {
    let delivery = caller
        .account(&call.ctx)
        .call(GetDelivery {
            event_id: id.as_str().to_owned(),
        })
        .await?;
    Ok(Reply::ok(delivery))
}

/// `POST /api/v2/webhooks/events/{id}/redeliver`: sends it again now. A payment
/// link's webhook, once answered 2xx, is never sent again (its seed says so).
pub async fn redeliver(
    call: Call,
    caller: Caller,
    Path(id): Path<DeliveryId>,
) -> ApiResult<Reply<Delivery>> {
    let delivery = caller
        .account(&call.ctx)
        .call(Redeliver {
            event_id: id.as_str().to_owned(),
        })
        .await?;
    Ok(Reply::ok(delivery))
}

/// `POST /api/v2/webhooks/recover`: every failed delivery since a time, again.
pub async fn recover(
    call: Call,
    caller: Caller,
    Json(body): Json<RecoverRequest>,
) -> ApiResult<Reply<Recovered>> {
    let recovered = caller
        .account(&call.ctx)
        .call(Recover {
            since: recover_since(&body)?,
        })
        .await?;
    Ok(Reply::ok(Recovered { recovered }))
}

/// `POST /api/v2/webhooks/test`: a real `webhook.test` event, sent now.
pub async fn test(call: Call, caller: Caller) -> ApiResult<Reply<Delivery>> {
    let delivery = caller.account(&call.ctx).call(SendTest).await?;
    Ok(Reply::ok(delivery))
}
