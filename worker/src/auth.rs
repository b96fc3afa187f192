//! Who is calling: the admin (the "legacy static key" of ewallet-orders-api) or a
//! merchant (an `sk_test_` / `sk_live_` key, as `Authorization: Bearer` or
//! `x-api-key`, or the dashboard's sign-in cookie: see `dashboard/signin.rs`).
//!
//! Merchant keys are stored only as SHA-256 hashes; a key is looked up by its hash,
//! so no comparison against stored key material happens at all. The admin key is
//! compared in constant time.

use checkout_core::ids::{KeyId, MerchantId};
use checkout_core::session::{Acceptance, Mode};
use checkout_core::time::UnixSeconds;
use worker::{Method, Request};

use crate::account::protocol::{DashboardSession, GetDashboardSession};
use crate::config::Config;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::secret::{digest, secret_eq, ExposeSecret, SecretString};
use crate::store::{MerchantRecord, Owner, Store};

/// How a merchant proved who it is.
pub enum Credential {
    /// An API key, as presented: payment links sign with it while it is in hand,
    /// since only its hash is stored. Never logged, never stored.
    Key {
        key: SecretString,
        /// Which key it is (what a merchant's decisions are recorded by).
        id: KeyId,
    },
    /// The dashboard's sign-in cookie.
    Dashboard {
        /// When that sign-in began.
        signed_in_at: UnixSeconds,
        /// Which sign-in (`si_...`; `None` for the dev demo shop's button).
        sign_in: Option<String>,
    },
}

/// A merchant authenticated by one of its keys or a dashboard sign-in.
pub struct Caller {
    pub merchant: MerchantRecord,
    /// The hash of the API key, when a key authenticated the request: the
    /// account object notes the key's use with the first command it gets.
    pub key_hash: Option<String>,
    /// The key's (or the sign-in's) mode: what it creates is in this mode, and it
    /// sees nothing else.
    pub mode: Mode,
    pub credential: Credential,
}

impl Caller {
    /// The merchant and mode this key acts for.
    pub fn owner(&self) -> Owner<'_> {
        Owner {
            merchant: &self.merchant.id,
            mode: self.mode,
        }
    }

    /// The API key itself, for the routes that sign with it (payment links): 403
    /// from a dashboard sign-in, which has no key in hand.
    pub fn api_key(&self) -> ApiResult<&SecretString> {
        match &self.credential {
            Credential::Key { key, .. } => Ok(key),
            Credential::Dashboard { .. } => Err(ApiError::new(
                403,
                "api_key_required",
                "this route signs with your API key: call it with the key",
            )),
        }
    }

    /// Who decided, as a session's acceptance records it: the key's id, or
    /// `dashboard` with when its sign-in began.
    pub fn acceptance(&self, now: UnixSeconds) -> Acceptance {
        let (by, signed_in_at) = match &self.credential {
            Credential::Key { id, .. } => (id.to_string(), None),
            Credential::Dashboard { signed_in_at, .. } => {
                ("dashboard".to_owned(), Some(*signed_in_at))
            }
        };
        Acceptance {
            by,
            signed_in_at,
            at: now,
        }
    }

    /// The key that authenticated the request, if a key did.
    pub fn key_id(&self) -> Option<&KeyId> {
        match &self.credential {
            Credential::Key { id, .. } => Some(id),
            Credential::Dashboard { .. } => None,
        }
    }

    /// The dashboard sign-in that authenticated the request, if one did.
    pub fn sign_in(&self) -> Option<&str> {
        match &self.credential {
            Credential::Dashboard { sign_in, .. } => sign_in.as_deref(),
            Credential::Key { .. } => None,
        }
    }

    /// The caller's account (its merchant, in its mode), noting the key's use.
    pub fn account<'a>(&'a self, ctx: &'a crate::ctx::Ctx) -> crate::account::Account<'a> {
        ctx.account(self.owner()).used_by(self.key_hash.as_deref())
    }
}

/// The admin, authenticated by `ADMIN_KEY`.
pub struct Admin;

/// Whether the request carries a key at all (then it must be a valid one).
pub fn presents_key(req: &Request) -> ApiResult<bool> {
    Ok(req.headers().has("authorization")? || req.headers().has("x-api-key")?)
}

/// The key the request carries, trimmed.
pub fn presented_key(req: &Request) -> ApiResult<Option<String>> {
    if let Some(auth) = req.headers().get("authorization")? {
        let token = auth
            .strip_prefix("Bearer ")
            .or_else(|| auth.strip_prefix("bearer "))
            .ok_or_else(|| {
                ApiError::unauthorized("unauthorized", "Authorization must be `Bearer <key>`")
            })?;
        return Ok(Some(token.trim().to_owned()));
    }
    Ok(req.headers().get("x-api-key")?.map(|k| k.trim().to_owned()))
}

/// Authenticates a merchant key (its use is noted by the account object the
/// request then calls, see [`Caller::account`]).
pub async fn merchant(req: &Request, store: &Store) -> ApiResult<Caller> {
    let key = presented_key(req)?
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "missing_api_key",
                "send your API key as `Authorization: Bearer sk_...`",
            )
        })?;
    let invalid = || ApiError::unauthorized("invalid_api_key", "the API key is not valid");
    if key.len() > 128 || Mode::of_key(&key).is_none() {
        return Err(invalid());
    }
    let hash = digest(&key);
    let record = store.api_key(&hash).await?.ok_or_else(invalid)?;
    if record.revoked {
        return Err(ApiError::unauthorized(
            "api_key_revoked",
            "the API key has been revoked",
        ));
    }
    let merchant = store
        .merchant(&record.merchant_id)
        .await?
        .ok_or_else(invalid)?;
    Ok(Caller {
        merchant,
        key_hash: Some(hash),
        mode: record.mode,
        credential: Credential::Key {
            key: SecretString::from(key),
            id: record.key_id,
        },
    })
}

/// Authenticates the admin key.
pub fn admin(req: &Request, config: &Config) -> ApiResult<Admin> {
    let Some(expected) = &config.admin_key else {
        return Err(ApiError::unavailable(
            "not_configured",
            "ADMIN_KEY is not set (wrangler secret put ADMIN_KEY)",
            60,
        ));
    };
    let presented = presented_key(req)?
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "missing_api_key",
                "send the admin key as `Authorization: Bearer ...`",
            )
        })?;
    if secret_eq(&presented, expected.expose_secret()) {
        Ok(Admin)
    } else {
        Err(ApiError::unauthorized(
            "invalid_api_key",
            "the admin key is not valid",
        ))
    }
}

/// The dashboard's session cookie's name.
pub const COOKIE: &str = "ec_dash";

/// The header that carries the dashboard session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What every session cookie starts with, before the account object it names
/// (`ds_{merchant}:{mode}:{random}`).
pub const COOKIE_PREFIX: &str = "ds_";

/// The merchant and mode whose account object keeps the session a cookie
/// names; `None` for a cookie we did not make.
fn cookie_owner(cookie: &str) -> Option<(MerchantId, Mode)> {
    let (owner, _random) = cookie.strip_prefix(COOKIE_PREFIX)?.rsplit_once(':')?;
    Owner::parse(owner)
}

/// The value of one cookie of a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A signed-in dashboard: the merchant it acts for, and its session.
pub struct SignedIn {
    pub caller: Caller,
    pub session: DashboardSession,
    /// The hash of the cookie: the session's key.
    pub hash: String,
}

impl SignedIn {
    /// The sign-in the request's cookie names, if it is valid; a state-changing
    /// method must also carry its CSRF token (403 otherwise).
    pub async fn from_cookie(ctx: &Ctx, req: &Request) -> ApiResult<Option<SignedIn>> {
        let Some(signed_in) = session_of(ctx, req).await? else {
            return Ok(None);
        };
        let safe = matches!(req.method(), Method::Get | Method::Head);
        if !safe {
            let sent = req.headers().get(CSRF_HEADER)?.unwrap_or_default();
            if !secret_eq(&sent, &signed_in.session.csrf_token) {
                return Err(ApiError::new(
                    403,
                    "csrf_token_invalid",
                    "send the X-CSRF-Token that GET /v1/dashboard/me gives",
                ));
            }
        }
        Ok(Some(signed_in))
    }
}

/// The sign-in a request's cookie names, without the CSRF check (for pages).
pub async fn session_of(ctx: &Ctx, req: &Request) -> ApiResult<Option<SignedIn>> {
    let header = req.headers().get("cookie")?.unwrap_or_default();
    let Some(cookie) = cookie_value(&header, COOKIE).filter(|c| c.len() <= 200) else {
        return Ok(None);
    };
    let Some((merchant_id, mode)) = cookie_owner(cookie) else {
        return Ok(None);
    };
    // The merchant first: a cookie naming one that does not exist asks no
    // account object (it would make one), and is no sign-in.
    let Some(merchant) = ctx.store.merchant(&merchant_id).await? else {
        return Ok(None);
    };
    let hash = digest(cookie);
    let owner = Owner {
        merchant: &merchant_id,
        mode,
    };
    let found = ctx
        .account(owner)
        .try_call(GetDashboardSession {
            hash: hash.clone(),
            now: ctx.now,
        })
        .await?;
    let Ok(session) = found else {
        return Ok(None);
    };
    Ok(Some(SignedIn {
        caller: Caller {
            merchant,
            key_hash: None,
            mode,
            credential: Credential::Dashboard {
                signed_in_at: session.created_at,
                sign_in: Some(session.id.clone()),
            },
        },
        session,
        hash,
    }))
}
