//! The session engine as the dialects see it: opening a session (idempotently),
//! finding one (for the caller only), and asking its account object to carry
//! out a change. The account object decides and stores (`account/engine.rs`);
//! this module draws the ids, prices the session, and finds the sessions that
//! versions before the account objects left in KV.
//!
//! A session id names its account object (core's `ids::Route`): finding a
//! session costs no lookup, and an id whose tag does not verify is unknown
//! before any storage is asked. An id made before the move is found through
//! its KV record, which travels with the command so that the object keeps the
//! session from then on.

use checkout_core::ids::{Home, IdKey, Route, SessionId, WalletId};
use checkout_core::lifecycle::{self, Transition};
use checkout_core::session::{Dialect, OpenError, Opening, Session, SessionRequest, State};

use crate::account::protocol::{
    Applied, ApplyToSession, Change, Claim, CreateSession, GetSession, KeyInHand, Refusal,
    SessionRead, SessionRef, Stored, Thing,
};
use crate::auth::Caller;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::idempotency::{self, Fingerprint};
use crate::random;
use crate::rates;
use crate::secret::{digest, SecretString};
use crate::store::Owner;

/// A created (or replayed) session.
pub struct Created {
    pub read: SessionRead,
    /// True when an idempotency key or order id returned an earlier session.
    pub replayed: bool,
}

/// A request to open a session, as a dialect hands it to [`create`].
pub struct NewSession {
    pub request: SessionRequest,
    pub dialect: Dialect,
    /// What makes two requests the same (see `idempotency.rs`).
    pub fingerprint: Fingerprint,
    pub idempotency_key: Option<String>,
    /// Maps core's field names to the dialect's, for error bodies.
    pub rename: fn(&str) -> String,
    /// The wallet a paid ewallet order credits.
    pub wallet_id: Option<WalletId>,
    /// Payment links: the API key in hand, which their webhook's `secret`
    /// covers (computed by the account object, the key kept nowhere).
    pub link_key: Option<SecretString>,
}

impl NewSession {
    pub fn new(
        request: SessionRequest,
        dialect: Dialect,
        fingerprint: Fingerprint,
        idempotency_key: Option<String>,
    ) -> NewSession {
        NewSession {
            request,
            dialect,
            fingerprint,
            idempotency_key,
            rename: str::to_owned,
            wallet_id: None,
            link_key: None,
        }
    }
}

/// Opens a session for `caller`, or returns the one an earlier identical
/// request opened: one call to the caller's account object.
pub async fn create(ctx: &Ctx, caller: &Caller, new: NewSession) -> ApiResult<Created> {
    let NewSession {
        request,
        dialect,
        fingerprint,
        idempotency_key,
        rename,
        wallet_id,
        link_key,
    } = new;
    let idempotency_key = idempotency::check_key(idempotency_key)?;
    let claim = |text: &str| Claim {
        hash: digest(text),
        fingerprint: fingerprint.0.clone(),
    };
    let idempotency = idempotency_key.as_deref().map(claim);
    let order = request.order_id.as_deref().map(claim);
    let rates = rates::current(&ctx.config, &ctx.store, ctx.now).await?;
    let key = ctx.config.id_key()?;
    let home = Home {
        merchant: caller.merchant.id.clone(),
        mode: caller.mode,
    };
    let account = caller.account(ctx);
    // A provisional id: the account object gives the session its number,
    // and the id that spells it (`Session::renumber`).
    let id = SessionId::new(key, &home, random::bytes());
    let payment_id = id
        .payment_id()
        .ok_or_else(|| ApiError::internal("session id", "a new id carries no payment id"))?;
    let session = Session::open(
        request,
        Opening {
            public_order_id: (dialect == Dialect::Ewallet)
                .then(|| id.order_alias())
                .flatten(),
            link_id: (dialect == Dialect::Link)
                .then(|| id.link_alias())
                .flatten(),
            id,
            merchant_id: caller.merchant.id.clone(),
            mode: caller.mode,
            outlet: &caller.merchant.outlet_id,
            payment_id,
            rates: &rates,
            now: ctx.now,
            url_policy: ctx.config.url_policy(),
            dialect,
            wallet_id,
        },
    )
    .map_err(|e| open_error(e, rename))?;
    let answer = account
        .try_call(CreateSession {
            session,
            origin: ctx.origin.clone(),
            merchant_name: caller.merchant.name.clone(),
            idempotency,
            order,
            link_key: link_key.as_ref().map(KeyInHand::of),
        })
        .await?;
    match answer {
        Ok(created) => Ok(Created {
            read: created.read,
            replayed: created.replayed,
        }),
        Err(refusal @ Refusal::OrderConflict) => {
            Err(refusal.to_api_error().field(rename("order_id")))
        }
        Err(refusal) => Err(refusal.to_api_error()),
    }
}

fn open_error(e: OpenError, rename: fn(&str) -> String) -> ApiError {
    match e {
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
    }
}

/// Where a session is: its account object, and how to name it there.
pub struct Located {
    pub home: Home,
    pub at: SessionRef,
}

impl Located {
    pub fn owner(&self) -> Owner<'_> {
        Owner {
            merchant: &self.home.merchant,
            mode: self.home.mode,
        }
    }
}

fn owner_of(home: &Home) -> Owner<'_> {
    Owner {
        merchant: &home.merchant,
        mode: home.mode,
    }
}

/// Where the session of an id is: from the id itself (no I/O), or, for an id
/// made before the move, from its KV record (which then travels along to be
/// kept by the object). `None`: no such session (a made-up id among them).
pub async fn locate(ctx: &Ctx, id: &SessionId) -> ApiResult<Option<Located>> {
    locate_with(ctx, ctx.config.id_key()?, id).await
}

async fn locate_with(ctx: &Ctx, key: &IdKey, id: &SessionId) -> ApiResult<Option<Located>> {
    match id.route(key) {
        Ok(Route::Home(home)) => Ok(Some(Located {
            home,
            at: SessionRef::id(id.clone()),
        })),
        Err(_) => Ok(None),
        Ok(Route::Legacy) => {
            let Some(mut session) = ctx.store.session(id).await? else {
                return Ok(None);
            };
            // A stale write that covered `paid` reads as paid (older versions
            // kept a marker no session write touched).
            if session.state != State::Paid && ctx.store.paid_marker(id).await? {
                session = lifecycle::transition(&session, Transition::Reconcile, ctx.now)
                    .map_err(|e| ApiError::internal("reconcile", e))?
                    .session;
            }
            let merchant = ctx.store.merchant_of(&session).await?;
            Ok(Some(Located {
                home: Home {
                    merchant: session.merchant_id.clone(),
                    mode: session.mode,
                },
                at: SessionRef {
                    id: id.clone(),
                    moving: Some(Box::new(Stored {
                        session,
                        origin: ctx.origin.clone(),
                        merchant_name: merchant.name,
                    })),
                },
            }))
        }
    }
}

/// The session at a location, as its object keeps it.
pub async fn read(ctx: &Ctx, located: Located) -> ApiResult<Option<SessionRead>> {
    let Located { home, at } = located;
    let answer = ctx
        .account(owner_of(&home))
        .try_call(GetSession { at })
        .await?;
    match answer {
        Ok(read) => Ok(Some(read)),
        Err(Refusal::NotFound(_)) => Ok(None),
        Err(refusal) => Err(refusal.to_api_error()),
    }
}

/// A session by id, as readers see it.
pub async fn load(ctx: &Ctx, id: &SessionId) -> ApiResult<Option<SessionRead>> {
    match locate(ctx, id).await? {
        Some(located) => read(ctx, located).await,
        None => Ok(None),
    }
}

/// A session by its id's text, or 404 (a malformed id is an unknown one).
pub async fn find(ctx: &Ctx, id: &SessionId) -> ApiResult<SessionRead> {
    load(ctx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("session"))
}

/// Where a session of the caller (same merchant, same mode) is, or 404:
/// another merchant's or another mode's session is indistinguishable from one
/// that does not exist, and no object but the caller's is asked.
pub async fn locate_owned(ctx: &Ctx, caller: &Caller, id: &SessionId) -> ApiResult<Located> {
    let not_found = || ApiError::not_found("session");
    let located = locate(ctx, id).await?.ok_or_else(not_found)?;
    if located.owner() != caller.owner() {
        return Err(not_found());
    }
    Ok(located)
}

/// A session of the caller, or 404.
pub async fn owned(ctx: &Ctx, caller: &Caller, id: &SessionId) -> ApiResult<SessionRead> {
    let located = locate_owned(ctx, caller, id).await?;
    let answer = caller
        .account(ctx)
        .try_call(GetSession { at: located.at })
        .await?;
    answer.map_err(|refusal| refusal.to_api_error())
}

/// Asks a session's account object to carry out a change (core decides it
/// there, atomically with its events, bookings and webhooks).
pub async fn apply(ctx: &Ctx, located: Located, change: Change) -> ApiResult<Applied> {
    let Located { home, at } = located;
    ctx.account(owner_of(&home))
        .call(ApplyToSession { at, change })
        .await
}

/// What a paid session's REST resource says of its webhook: `failing` while
/// the `session.paid` notification is undelivered after 15 minutes.
pub fn notification(read: &SessionRead) -> Option<&'static str> {
    read.notification_failing.then_some("failing")
}

/// Whether a refusal means "no such session here".
pub fn not_found(refusal: &Refusal) -> bool {
    matches!(refusal, Refusal::NotFound(Thing::Session))
}
