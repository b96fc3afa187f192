//! Creating and reading sessions: the engine every dialect calls.
//!
//! Creation is idempotent twice over: by `Idempotency-Key` (24 h) and, per
//! merchant, by `order_id`. The same key with the same request returns the first
//! session; with a different request it is a 409.

use checkout_core::ids::{LinkId, PublicOrderId, SessionId, WalletId};
use checkout_core::session::{
    Dialect, OpenError, Opening, Session, SessionRequest, State, Transition,
};
use checkout_core::PaymentId;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::random;
use crate::rates;
use crate::store::{digest, IdempotencyRecord, Store};

/// What every handler works with.
pub struct Ctx {
    pub config: Config,
    pub store: Store,
    /// Unix seconds.
    pub now: i64,
    /// Unix milliseconds, for one-per-second limits.
    pub now_ms: i64,
    /// `scheme://host[:port]` of this worker, for `checkout_url`s.
    pub origin: String,
}

impl Ctx {
    pub fn checkout_url(&self, id: &SessionId) -> String {
        format!("{}/pay/{id}", self.origin)
    }
}

/// A created (or replayed) session.
pub struct Created {
    pub session: Session,
    /// True when an idempotency key or order id returned an earlier session.
    pub replayed: bool,
}

const IDEMPOTENCY_TTL: u64 = 24 * 60 * 60;

/// A request to open a session, as a dialect hands it to [`create`].
pub struct Create<'a> {
    pub request: SessionRequest,
    pub dialect: Dialect,
    pub idempotency_key: Option<String>,
    /// Maps core's field names to the dialect's, for error bodies.
    pub rename: fn(&str) -> String,
    /// The wallet a paid ewallet order credits.
    pub wallet_id: Option<WalletId>,
    /// Last touches before the session is first stored (a dialect's own fields).
    pub prepare: &'a dyn Fn(&mut Session) -> ApiResult<()>,
}

impl Create<'_> {
    pub fn new(
        request: SessionRequest,
        dialect: Dialect,
        idempotency_key: Option<String>,
    ) -> Create<'static> {
        Create {
            request,
            dialect,
            idempotency_key,
            rename: str::to_owned,
            wallet_id: None,
            prepare: &|_| Ok(()),
        }
    }
}

/// Opens a session for `caller`, or returns the one an earlier identical request opened.
pub async fn create(ctx: &Ctx, caller: &Caller, create: Create<'_>) -> ApiResult<Created> {
    let Create {
        request,
        dialect,
        idempotency_key,
        rename,
        wallet_id,
        prepare,
    } = create;
    let merchant = &caller.merchant;
    let fingerprint = digest(&format!(
        "{dialect:?}|{:?}|{wallet_id:?}|{request:?}",
        caller.mode
    ));
    if let Some(key) = &idempotency_key {
        if key.is_empty() || key.len() > 255 {
            return Err(ApiError::bad_request(
                "idempotency_key_invalid",
                "Idempotency-Key must be 1 to 255 characters",
            )
            .field("Idempotency-Key"));
        }
    }
    let scopes = [
        (
            "idem",
            idempotency_key.clone(),
            "idempotency_key_reused",
            "this Idempotency-Key was used with different parameters",
        ),
        (
            "order",
            request.order_id.clone(),
            "order_id_conflict",
            "a session with this order_id already exists with different parameters",
        ),
    ];
    for (scope, key, code, message) in &scopes {
        let Some(key) = key else { continue };
        if let Some(first) = ctx.store.idempotency(scope, &merchant.id, key).await? {
            if first.fingerprint != fingerprint {
                let field = if *scope == "idem" {
                    "Idempotency-Key".to_owned()
                } else {
                    rename("order_id")
                };
                return Err(ApiError::new(409, code, *message).field(field));
            }
            if let Some(session) = ctx.store.session(&first.session_id).await? {
                return Ok(Created {
                    session: refresh(ctx, session).await?,
                    replayed: true,
                });
            }
        }
    }

    let rates = rates::current(&ctx.config, &ctx.store, ctx.now).await?;
    let outlet = merchant
        .outlet_id
        .parse()
        .map_err(|e| ApiError::internal("merchant outlet", e))?;
    let public_order_id =
        (dialect == Dialect::Ewallet).then(|| PublicOrderId::from_random(random::bytes()));
    let session = Session::open(
        request,
        Opening {
            id: SessionId::from_random(random::bytes()),
            merchant_id: merchant.id.clone(),
            mode: caller.mode,
            outlet: &outlet,
            payment_id: PaymentId::from_bytes(random::bytes()),
            rates: &rates,
            now: ctx.now,
            url_policy: ctx.config.url_policy(),
            dialect,
            public_order_id,
            link_id: (dialect == Dialect::Link).then(|| LinkId::from_random(random::bytes())),
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
    let mut session = session;
    prepare(&mut session)?;
    ctx.store.insert_session(&session).await?;
    let record = IdempotencyRecord {
        fingerprint,
        session_id: session.id.clone(),
    };
    if let Some(key) = &idempotency_key {
        ctx.store
            .put_idempotency("idem", &merchant.id, key, &record, Some(IDEMPOTENCY_TTL))
            .await?;
    }
    if let Some(order_id) = &session.order_id {
        ctx.store
            .put_idempotency("order", &merchant.id, order_id, &record, None)
            .await?;
    }
    Ok(Created {
        session,
        replayed: false,
    })
}

/// Brings a session record up to date before anyone sees it: restores `paid` if a
/// stale write covered it (see `confirmation::reconcile`), and writes the expiry of
/// a session that has passed it, recording the `session.expired` event (once: its
/// id is the session's).
pub async fn refresh(ctx: &Ctx, session: Session) -> ApiResult<Session> {
    if session.state != State::Paid && ctx.store.paid_marker(&session.id).await? {
        let repaired = checkout_core::confirmation::reconcile(session, true, ctx.now);
        ctx.store.update_session(&repaired).await?;
        return Ok(repaired);
    }
    if session.state == State::Pending && session.state_at(ctx.now) == State::Expired {
        if let Ok(expired) = session.apply(Transition::Expire, ctx.now) {
            let event = checkout_core::confirmation::expired(&expired, ctx.now);
            if !ctx.store.has_event(&event.id).await? {
                ctx.store.put_event(&event).await?;
            }
            ctx.store.update_session(&expired).await?;
            return Ok(expired);
        }
    }
    Ok(session)
}

/// A session of this merchant, or 404: another merchant's session is
/// indistinguishable from one that does not exist.
pub async fn owned(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Session> {
    let session = find(ctx, id).await?;
    if session.merchant_id != caller.merchant.id {
        return Err(ApiError::not_found("session"));
    }
    Ok(session)
}

/// Any session by id (for public views), refreshed.
pub async fn find(ctx: &Ctx, id: &str) -> ApiResult<Session> {
    let id: SessionId = id.parse().map_err(|_| ApiError::not_found("session"))?;
    let session = ctx
        .store
        .session(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("session"))?;
    refresh(ctx, session).await
}

/// The native API's view of a session (the merchant's own: customer data included).
pub fn view(ctx: &Ctx, s: &Session) -> Value {
    json!({
        "id": s.id,
        "object": "checkout.session",
        "mode": s.mode,
        "status": s.status_at(ctx.now),
        "amount": s.price.to_string(),
        "currency": s.price.currency().code(),
        "etn_amount": s.payment_string.amount().to_string(),
        "payment_string": s.payment_string.to_string(),
        "payment_id": s.payment_string.payment_id().as_str(),
        "deep_link": s.payment_string.deep_link(),
        "checkout_url": ctx.checkout_url(&s.id),
        "order_id": s.order_id,
        "customer_email": s.customer_email,
        "customer": s.customer,
        "items": s.items.iter().map(|i| json!({"name": i.name, "price": i.price.to_string(), "quantity": i.quantity})).collect::<Vec<_>>(),
        "return_url": s.return_url,
        "cancel_url": s.cancel_url,
        "method": s.method,
        "created_at": s.created_at,
        "expires_at": s.expires_at,
    })
}
