//! The session engine every dialect calls: creating (idempotently), finding (for
//! the caller only), and carrying out transitions core decides.
//!
//! Reading never writes. A session is read together with its paid marker and
//! shown reconciled (a stale write that covered `paid` reads as paid); its expiry
//! shows in `state_at(now)` and is written by the cron, an explicit transition.

use checkout_core::event::{Event, EventKind};
use checkout_core::ids::{LinkId, MerchantId, PublicOrderId, SessionId, WalletId};
use checkout_core::lifecycle::{self, Transition, TransitionError};
use checkout_core::session::{Dialect, OpenError, Opening, Session, SessionRequest, State};
use checkout_core::PaymentId;

use crate::auth::Caller;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::idempotency::{self, Fingerprint};
use crate::random;
use crate::rates;
use crate::secret::digest;
use crate::store::{owner_of, IdempotencyRecord, Key, IDEMPOTENCY_TTL, ORDER_TTL};

/// A created (or replayed) session.
pub struct Created {
    pub session: Session,
    /// True when an idempotency key or order id returned an earlier session.
    pub replayed: bool,
}

/// A request to open a session, as a dialect hands it to [`create`].
pub struct NewSession<'a> {
    pub request: SessionRequest,
    pub dialect: Dialect,
    /// What makes two requests the same (see `idempotency.rs`).
    pub fingerprint: Fingerprint,
    pub idempotency_key: Option<String>,
    /// Maps core's field names to the dialect's, for error bodies.
    pub rename: fn(&str) -> String,
    /// The wallet a paid ewallet order credits.
    pub wallet_id: Option<WalletId>,
    /// Last touches before the session is first stored (a dialect's own fields).
    pub prepare: &'a dyn Fn(&mut Session) -> ApiResult<()>,
}

impl<'a> NewSession<'a> {
    pub fn new(
        request: SessionRequest,
        dialect: Dialect,
        fingerprint: Fingerprint,
        idempotency_key: Option<String>,
    ) -> NewSession<'a> {
        NewSession {
            request,
            dialect,
            fingerprint,
            idempotency_key,
            rename: str::to_owned,
            wallet_id: None,
            prepare: &|_| Ok(()),
        }
    }
}

/// Whether an earlier session still holds its order id: a session that ended
/// unpaid frees it, so a shopper who abandoned checkout can get a fresh session
/// for the same order (the old one stays readable by id).
fn holds_order(session: &Session, now: i64) -> bool {
    matches!(session.state_at(now), State::Pending | State::Paid)
}

/// Opens a session for `caller`, or returns the one an earlier identical request opened.
pub async fn create(ctx: &Ctx, caller: &Caller, new: NewSession<'_>) -> ApiResult<Created> {
    let NewSession {
        request,
        dialect,
        fingerprint,
        idempotency_key,
        rename,
        wallet_id,
        prepare,
    } = new;
    let idempotency_key = idempotency::check_key(idempotency_key)?;
    let owner = caller.owner();
    let key_hash = idempotency_key.as_deref().map(digest);
    let order_hash = request.order_id.as_deref().map(digest);
    let scopes = [
        key_hash.as_deref().map(|hash| {
            (
                Key::Idempotency { owner, hash },
                "idempotency_key_reused",
                "this Idempotency-Key was used with different parameters",
                "Idempotency-Key".to_owned(),
            )
        }),
        order_hash.as_deref().map(|hash| {
            (
                Key::Order { owner, hash },
                "order_id_conflict",
                "a session with this order_id already exists with different parameters",
                rename("order_id"),
            )
        }),
    ];
    for (key, code, message, field) in scopes.into_iter().flatten() {
        let Some(first) = ctx.store.idempotency(key).await? else {
            continue;
        };
        let Some(session) = load(ctx, &first.session_id).await? else {
            continue;
        };
        if matches!(key, Key::Order { .. }) && !holds_order(&session, ctx.now) {
            continue;
        }
        if first.fingerprint != fingerprint.0 {
            return Err(ApiError::new(409, code, message).field(field));
        }
        return Ok(Created {
            session,
            replayed: true,
        });
    }

    let rates = rates::current(&ctx.config, &ctx.store, ctx.now).await?;
    let (public_order_id, link_id) = match dialect {
        Dialect::Ewallet => (
            Some(fresh_alias(ctx, PublicOrderId::from_random).await?),
            None,
        ),
        Dialect::Link => (None, Some(fresh_alias(ctx, LinkId::from_random).await?)),
        _ => (None, None),
    };
    let mut session = Session::open(
        request,
        Opening {
            id: SessionId::from_random(random::bytes()),
            merchant_id: caller.merchant.id.clone(),
            mode: caller.mode,
            outlet: &caller.merchant.outlet_id,
            payment_id: PaymentId::from_bytes(random::bytes()),
            rates: &rates,
            now: ctx.now,
            url_policy: ctx.config.url_policy(),
            dialect,
            public_order_id,
            link_id,
            wallet_id,
        },
    )
    .map_err(|e| match e {
        OpenError::Field(mut f) => {
            f.field = rename(&f.field);
            ApiError::from(f)
        }
        OpenError::RatesUnavailable(why) => {
            worker::console_warn!("rates cannot price this request: {why}");
            ApiError::unavailable(
                "rates_unavailable",
                format!("no usable exchange rate right now: {why}"),
                30,
            )
        }
    })?;
    prepare(&mut session)?;
    ctx.store.insert_session(&session).await?;
    // Recorded (and queued for the merchant's webhook) before the answer.
    let created = lifecycle::created(&session, ctx.now);
    let snapshot = crate::dialect::snapshot(ctx, &session)?;
    ctx.account(owner)
        .record(vec![created], Vec::new(), Some(snapshot), ctx.now)
        .await?;
    let record = IdempotencyRecord {
        fingerprint: fingerprint.0,
        session_id: session.id.clone(),
    };
    if let Some(hash) = &key_hash {
        ctx.store
            .put_idempotency(Key::Idempotency { owner, hash }, &record, IDEMPOTENCY_TTL)
            .await?;
    }
    if let Some(hash) = &order_hash {
        ctx.store
            .put_idempotency(Key::Order { owner, hash }, &record, ORDER_TTL)
            .await?;
    }
    Ok(Created {
        session,
        replayed: false,
    })
}

/// A public alias (`EX-O...`, `pl_...`) no session holds yet: 80 random bits make
/// a collision negligible, and checking before writing means that even one would
/// never send a shopper to another merchant's checkout.
async fn fresh_alias<T: AsRef<str>, const N: usize>(
    ctx: &Ctx,
    make: fn([u8; N]) -> T,
) -> ApiResult<T> {
    for _ in 0..3 {
        let alias = make(random::bytes());
        if ctx.store.alias(alias.as_ref()).await?.is_none() {
            return Ok(alias);
        }
    }
    Err(ApiError::internal(
        "alias",
        "three random aliases were all taken",
    ))
}

/// A session by id, as readers must see it: a stale write that covered `paid` is
/// shown as paid (core's `Transition::Reconcile`). Nothing is written; the cron
/// repairs the record.
pub async fn load(ctx: &Ctx, id: &SessionId) -> ApiResult<Option<Session>> {
    let Some(session) = ctx.store.session(id).await? else {
        return Ok(None);
    };
    if session.state != State::Paid && ctx.store.paid_marker(id).await? {
        let step = lifecycle::transition(&session, Transition::Reconcile, ctx.now)
            .map_err(|e| ApiError::internal("reconcile", e))?;
        return Ok(Some(step.session));
    }
    Ok(Some(session))
}

/// The session of a merchant's ETN payment id, if any, as readers see it.
pub async fn of_payment(
    ctx: &Ctx,
    merchant: &MerchantId,
    payment_id: &PaymentId,
) -> ApiResult<Option<Session>> {
    match ctx.store.session_of_payment(merchant, payment_id).await? {
        Some(id) => load(ctx, &id).await,
        None => Ok(None),
    }
}

/// A session by its id's text, or 404 (a malformed id is an unknown one).
pub async fn find(ctx: &Ctx, id: &str) -> ApiResult<Session> {
    let id: SessionId = id.parse().map_err(|_| ApiError::not_found("session"))?;
    load(ctx, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("session"))
}

/// A session of the caller (same merchant, same mode), or 404: another merchant's
/// or another mode's session is indistinguishable from one that does not exist.
pub async fn owned(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Session> {
    let session = find(ctx, id).await?;
    if !caller.owns(&session) {
        return Err(ApiError::not_found("session"));
    }
    Ok(session)
}

/// What a paid session's REST resource says of its webhook: `failing` while the
/// `session.paid` notification is undelivered after 15 minutes (its account
/// object raises and clears the flag), so that a merchant polling us learns it.
pub async fn notification(ctx: &Ctx, session: &Session) -> ApiResult<Option<&'static str>> {
    if session.state != State::Paid {
        return Ok(None);
    }
    Ok(ctx.store.notice(&session.id).await?.then_some("failing"))
}

/// What a transition did, once carried out.
pub struct Applied {
    pub session: Session,
    /// Every event of the step (with the wallet's own), new or not.
    pub events: Vec<Event>,
    /// The ids among them that were new: empty for a duplicate.
    pub fresh: Vec<String>,
}

/// Carries out a transition core decides, in an order that loses nothing: the
/// events and wallet bookings first (recorded once each, under deterministic ids,
/// in the merchant's account), then the paid marker, then the session. A failure
/// in between is answered 5xx; the retry redoes the same writes under the same
/// ids, and a session write that never happened is repaired by the cron.
pub async fn apply(ctx: &Ctx, session: &Session, t: Transition<'_>) -> ApiResult<Applied> {
    let step = lifecycle::transition(session, t, ctx.now).map_err(transition_error)?;
    let paid_now = step.changed && step.events.iter().any(|e| e.kind == EventKind::SessionPaid);
    let paid_event = step
        .events
        .iter()
        .find(|e| e.kind == EventKind::SessionPaid)
        .map(|e| e.id.clone());
    let snapshot = crate::dialect::snapshot(ctx, &step.session)?;
    let recorded = ctx
        .account(owner_of(session))
        .record(step.events, step.ledger, Some(snapshot), ctx.now)
        .await?;
    if let (true, Some(event)) = (paid_now, paid_event) {
        ctx.store.put_paid_marker(&step.session.id, &event).await?;
    }
    if step.changed {
        ctx.store.update_session(&step.session).await?;
    }
    Ok(Applied {
        session: step.session,
        events: recorded.events,
        fresh: recorded.fresh,
    })
}

/// The answer to a transition the session refuses.
pub fn transition_error(e: TransitionError) -> ApiError {
    match e {
        TransitionError::Ended { .. } | TransitionError::NotDue { .. } => {
            ApiError::new(409, e.code(), e.to_string())
        }
        TransitionError::Currency { .. } => {
            ApiError::new(422, e.code(), e.to_string()).field("currency")
        }
    }
}
