//! The native API, `/v1/sessions`: JSON in and out, field names as core's.

use checkout_core::session::{Customer, Dialect, ItemRequest, SessionRequest, Transition};
use serde_json::json;
use worker::Response;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::json::Object;
use crate::sessions::{self, Create, Ctx};

/// Reads the customer object of the native API and ewallet orders alike.
pub fn customer(o: &Object) -> ApiResult<Customer> {
    Ok(Customer {
        name: o.string("name")?,
        surname: o.string("surname")?,
        email: o.string("email")?,
        phone: o.string("phone")?,
        address_line1: o.string("address_line1")?,
        city: o.string("city")?,
        postal_code: o.string("postal_code")?,
        country: o.string("country")?,
    })
}

/// Reads line items (`name`, `price`, `quantity`).
pub fn items(o: &Object) -> ApiResult<Vec<ItemRequest>> {
    o.objects("items")?
        .iter()
        .map(|i| {
            Ok(ItemRequest {
                name: i.string("name")?,
                price: i.amount("price")?,
                quantity: i.integer("quantity")?,
            })
        })
        .collect()
}

fn request(o: &Object) -> ApiResult<SessionRequest> {
    Ok(SessionRequest {
        amount: o.amount("amount")?,
        currency: o.string("currency")?,
        order_id: o.string("order_id")?,
        customer_email: o.string("customer_email")?,
        customer: o.object("customer")?.map(|c| customer(&c)).transpose()?,
        items: items(o)?,
        return_url: o.string("return_url")?,
        cancel_url: o.string("cancel_url")?,
        expires_in: o.integer("expires_in")?,
        method: None,
        webhook_url: None,
        reference: None,
    })
}

/// `POST /v1/sessions`
pub async fn create(
    ctx: &Ctx,
    caller: &Caller,
    body: &Object,
    idempotency_key: Option<String>,
) -> ApiResult<Response> {
    let created = sessions::create(
        ctx,
        caller,
        Create::new(request(body)?, Dialect::Native, idempotency_key),
    )
    .await?;
    let response = http::json(
        if created.replayed { 200 } else { 201 },
        &sessions::view(ctx, &created.session),
    )?;
    if created.replayed {
        response.headers().set("idempotent-replayed", "true")?;
    }
    Ok(response)
}

/// `GET /v1/sessions/{id}`
pub async fn get(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Response> {
    let session = sessions::owned(ctx, caller, id).await?;
    http::json(200, &sessions::view(ctx, &session))
}

/// `POST /v1/sessions/{id}/cancel`
pub async fn cancel(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Response> {
    let session = sessions::owned(ctx, caller, id).await?;
    let cancelled = session.apply(Transition::Cancel, ctx.now).map_err(|e| {
        ApiError::new(
            409,
            "session_not_pending",
            format!("the session is {} and can no longer be cancelled", e.state),
        )
    })?;
    ctx.store.update_session(&cancelled).await?;
    http::json(200, &sessions::view(ctx, &cancelled))
}

/// `GET /v1/sessions?limit=20&cursor=...`: newest first.
pub async fn list(
    ctx: &Ctx,
    caller: &Caller,
    limit: Option<&str>,
    cursor: Option<String>,
) -> ApiResult<Response> {
    let limit = match limit {
        None => 20,
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request("limit_invalid", "limit must be between 1 and 100")
                    .field("limit")
            })?,
    };
    let (ids, next) = ctx
        .store
        .session_page(&caller.merchant.id, limit, cursor)
        .await?;
    let mut data = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(session) = ctx.store.session(&id).await? {
            data.push(sessions::view(ctx, &sessions::refresh(ctx, session).await?));
        }
    }
    http::json(
        200,
        &json!({ "object": "list", "data": data, "has_more": next.is_some(), "next_cursor": next }),
    )
}

/// `GET /v1/sessions/{id}/events`: what happened to a session, oldest first
/// (payments, wrong amounts, refunds, expiry).
pub async fn events(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Response> {
    let session = sessions::owned(ctx, caller, id).await?;
    let events = ctx
        .store
        .events(&format!("sevt:{}:", session.id), 1000)
        .await?;
    http::json(200, &json!({ "object": "list", "data": events }))
}

/// `GET /v1/payments/unmatched`: verified payments that matched no pending session
/// (unknown payment ids, late or repeated payments), kept so that none is lost.
pub async fn unmatched(ctx: &Ctx, caller: &Caller) -> ApiResult<Response> {
    let events = ctx
        .store
        .events(&format!("unmatched:{}:", caller.merchant.id), 1000)
        .await?;
    http::json(200, &json!({ "object": "list", "data": events }))
}
