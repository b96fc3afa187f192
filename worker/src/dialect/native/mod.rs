//! The native API, `/v1/sessions`: JSON in and out, field names as core's.

pub mod wire;

use checkout_core::lifecycle::Transition;
use checkout_core::session::Dialect;

use self::wire::{CreateSession, EventList, ListQuery, SessionList, SessionView};
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::idempotency;
use crate::route::{Call, Json, Query, Reply};
use crate::sessions::{self, NewSession};
use crate::wire::page_limit;

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
    let view = SessionView::of(&call.ctx, &created.session);
    Ok(if created.replayed {
        Reply::ok(view).header("idempotent-replayed", "true")
    } else {
        Reply::with_status(201, view)
    })
}

/// `GET /v1/sessions/{id}`
pub async fn get(call: Call, caller: Caller) -> ApiResult<Reply<SessionView>> {
    let session = sessions::owned(&call.ctx, &caller, call.param("id")).await?;
    let mut view = SessionView::of(&call.ctx, &session);
    view.notification = sessions::notification(&call.ctx, &session).await?;
    Ok(Reply::ok(view))
}

/// `POST /v1/sessions/{id}/cancel`
pub async fn cancel(call: Call, caller: Caller) -> ApiResult<Reply<SessionView>> {
    let session = sessions::owned(&call.ctx, &caller, call.param("id")).await?;
    let applied = sessions::apply(&call.ctx, &session, Transition::Cancel).await?;
    Ok(Reply::ok(SessionView::of(&call.ctx, &applied.session)))
}

/// `GET /v1/sessions?limit=20&cursor=...`: newest first.
pub async fn list(
    call: Call,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> ApiResult<Reply<SessionList>> {
    let limit = u64::from(page_limit(query.limit.as_deref())?);
    let (ids, next) = call
        .ctx
        .store
        .session_page(caller.owner(), limit, query.cursor)
        .await?;
    let mut data = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(session) = sessions::load(&call.ctx, &id).await? {
            let mut view = SessionView::of(&call.ctx, &session);
            view.notification = sessions::notification(&call.ctx, &session).await?;
            data.push(view);
        }
    }
    Ok(Reply::ok(SessionList {
        object: "list",
        data,
        has_more: next.is_some(),
        next_cursor: next,
    }))
}

/// `GET /v1/sessions/{id}/events`: what happened to a session, oldest first
/// (creation aside: payments, wrong amounts, refunds, wallet bookings, its end).
pub async fn events(call: Call, caller: Caller) -> ApiResult<Reply<EventList>> {
    let session = sessions::owned(&call.ctx, &caller, call.param("id")).await?;
    let events = call
        .ctx
        .account(caller.owner())
        .session_events(&session.id, MAX_EVENTS)
        .await?;
    Ok(Reply::ok(EventList::new(events)))
}

/// `GET /v1/payments/unmatched`: verified payments that matched no pending session
/// (unknown payment ids, late or repeated payments), kept so that none is lost.
pub async fn unmatched(call: Call, caller: Caller) -> ApiResult<Reply<EventList>> {
    let events = call
        .ctx
        .account(caller.owner())
        .unmatched(MAX_EVENTS)
        .await?;
    Ok(Reply::ok(EventList::new(events)))
}
