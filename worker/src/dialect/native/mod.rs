//! The native API, `/v1/sessions`: JSON in and out, field names as core's.

pub mod wire;

use checkout_api::brand::{Brand, PutBrand};
use checkout_core::ids::SessionId;
use checkout_core::policy::PaymentPolicy;
use checkout_core::session::Dialect;
use futures_util::future::try_join_all;

use self::wire::{CreateSession, EventList, ListQuery, PutPaymentPolicy, SessionList, SessionView};
use crate::account::protocol::{
    Change, GetBrand, GetPolicy, ListSessions, Listed, PutPolicy, SessionEvents, UnmatchedEvents,
};
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::idempotency;
use crate::route::{Call, Json, Path, Query, Reply};
use crate::sessions::{self, NewSession};
use crate::wire::{page_limit, session_cursor};

/// Most events a listing returns.
const MAX_EVENTS: u32 = 1000;

/// `POST /v1/sessions`
pub async fn create(
    call: Call,
    caller: Caller,
    Json(body): Json<CreateSession>,
) -> ApiResult<Reply<SessionView>> {
    let key = call.header("idempotency-key")?;
    let fingerprint = idempotency::fingerprint(Dialect::Native, &body)?;
    let created = sessions::create(
        &call.ctx,
        &caller,
        NewSession::new(body.into(), Dialect::Native, fingerprint, key),
    )
    .await?;
    let view = SessionView::read(&call.ctx, &created.read);
    Ok(if created.replayed {
        Reply::ok(view).header("idempotent-replayed", "true")
    } else {
        Reply::with_status(201, view)
    })
}

/// `GET /v1/sessions/{id}`
pub async fn get(
    call: Call,
    caller: Caller,
    Path(id): Path<SessionId>,
) -> ApiResult<Reply<SessionView>> {
    let read = sessions::owned(&call.ctx, &caller, &id).await?;
    Ok(Reply::ok(SessionView::read(&call.ctx, &read)))
}

/// `POST /v1/sessions/{id}/cancel`
pub async fn cancel(
    call: Call,
    caller: Caller,
    Path(id): Path<SessionId>,
) -> ApiResult<Reply<SessionView>> {
    let located = sessions::locate_owned(&call.ctx, &caller, &id).await?;
    let applied = sessions::apply(&call.ctx, located, Change::Cancel).await?;
    Ok(Reply::ok(SessionView::read(&call.ctx, &applied.read)))
}

/// `POST /v1/sessions/{id}/accept`: the merchant accepts a session that needs
/// review, or one partially paid, as paid (recorded with the key or dashboard
/// sign-in that decided; its order's wallet credited, its webhooks sent).
pub async fn accept(
    call: Call,
    caller: Caller,
    Path(id): Path<SessionId>,
) -> ApiResult<Reply<SessionView>> {
    let located = sessions::locate_owned(&call.ctx, &caller, &id).await?;
    let change = Change::Accept(caller.acceptance(call.ctx.now));
    let applied = sessions::apply(&call.ctx, located, change).await?;
    Ok(Reply::ok(SessionView::read(&call.ctx, &applied.read)))
}

/// `GET /v1/brand`: how this key's mode's hosted checkout looks.
pub async fn get_brand(call: Call, caller: Caller) -> ApiResult<Reply<Brand>> {
    let brand = caller.account(&call.ctx).call(GetBrand).await?;
    Ok(Reply::ok(brand))
}

/// `PUT /v1/brand`: replaces it (a bad field is a 422 naming it).
pub async fn put_brand(
    call: Call,
    caller: Caller,
    Json(body): Json<PutBrand>,
) -> ApiResult<Reply<Brand>> {
    let brand = Brand::from_request(body.into(), call.ctx.config.url_policy())?;
    let brand = caller
        .account(&call.ctx)
        .call(crate::account::protocol::PutBrand { brand })
        .await?;
    Ok(Reply::ok(brand))
}

/// `PUT /v1/brand/logo`: uploads the logo (the body is the image: PNG, JPEG,
/// GIF or WebP, at most 48 KB; its type is read from its bytes, SVG refused).
pub async fn put_logo(mut call: Call, caller: Caller) -> ApiResult<Reply<Brand>> {
    use base64::Engine;
    let bytes = call.body().await?;
    let content_type = checkout_core::brand::logo_type(&bytes).map_err(|e| {
        let status = if e.code == "logo_too_large" { 413 } else { 415 };
        let mut api = crate::error::ApiError::from(e);
        if api.status != 400 {
            api.status = status;
        }
        api
    })?;
    let logo = crate::account::protocol::Logo {
        content_type: content_type.to_owned(),
        base64: base64::engine::general_purpose::STANDARD.encode(&bytes),
        version: crate::secret::digest_bytes(&bytes)[..16].to_owned(),
    };
    let brand = caller
        .account(&call.ctx)
        .call(crate::account::protocol::PutLogo { logo: Some(logo) })
        .await?;
    Ok(Reply::ok(brand))
}

/// `DELETE /v1/brand/logo`: removes the uploaded logo.
pub async fn delete_logo(call: Call, caller: Caller) -> ApiResult<Reply<Brand>> {
    let brand = caller
        .account(&call.ctx)
        .call(crate::account::protocol::PutLogo { logo: None })
        .await?;
    Ok(Reply::ok(brand))
}

/// `GET /v1/payment-policy`: what this key's mode accepts by itself.
pub async fn get_policy(call: Call, caller: Caller) -> ApiResult<Reply<PaymentPolicy>> {
    let policy = caller.account(&call.ctx).call(GetPolicy).await?;
    Ok(Reply::ok(policy))
}

/// `PUT /v1/payment-policy`: replaces it; sessions created from now on keep
/// the new one (those open already keep theirs).
pub async fn put_policy(
    call: Call,
    caller: Caller,
    Json(body): Json<PutPaymentPolicy>,
) -> ApiResult<Reply<PaymentPolicy>> {
    let policy = PaymentPolicy::from_request(&body.into())?;
    let policy = caller.account(&call.ctx).call(PutPolicy { policy }).await?;
    Ok(Reply::ok(policy))
}

/// `GET /v1/sessions?limit=20&cursor=...`: newest first.
pub async fn list(
    call: Call,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> ApiResult<Reply<SessionList>> {
    let ctx = &call.ctx;
    let limit = page_limit(query.limit.as_deref())?;
    let before = session_cursor(query.cursor.as_deref())?;
    // Sessions older versions kept in KV are listed once imported.
    crate::dashboard::backfill::catch_up(ctx, caller.owner()).await;
    let page = caller
        .account(ctx)
        .call(ListSessions { before, limit })
        .await?;
    // Sessions an older version kept in KV are read at once, not one after
    // another (a page may hold up to `limit` of them).
    let reads = try_join_all(page.data.into_iter().map(|entry| async move {
        match entry {
            Listed::Here(read) => Ok(Some(*read)),
            Listed::InKv(id) => sessions::load(ctx, &id).await,
        }
    }))
    .await?;
    let data = reads
        .iter()
        .flatten()
        .map(|read| SessionView::read(ctx, read))
        .collect();
    Ok(Reply::ok(SessionList::new(data, page.next_cursor)))
}

/// `GET /v1/sessions/{id}/events`: what happened to a session, oldest first
/// (creation aside: payments, wrong amounts, refunds, wallet bookings, its end).
pub async fn events(
    call: Call,
    caller: Caller,
    Path(id): Path<SessionId>,
) -> ApiResult<Reply<EventList>> {
    let located = sessions::locate_owned(&call.ctx, &caller, &id).await?;
    let events = caller
        .account(&call.ctx)
        .call(SessionEvents {
            at: located.at,
            limit: MAX_EVENTS,
        })
        .await?;
    Ok(Reply::ok(EventList::new(events)))
}

/// `GET /v1/payments/unmatched`: verified payments that matched no pending session
/// (unknown payment ids, late or repeated payments), kept so that none is lost.
pub async fn unmatched(call: Call, caller: Caller) -> ApiResult<Reply<EventList>> {
    let events = caller
        .account(&call.ctx)
        .call(UnmatchedEvents { limit: MAX_EVENTS })
        .await?;
    Ok(Reply::ok(EventList::new(events)))
}
