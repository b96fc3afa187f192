//! What every handler (and the cron) works with, built the same way for both.

use checkout_core::ids::SessionId;
use checkout_core::time::{UnixMillis, UnixSeconds};
use worker::{Date, Env};

use crate::account::{Account, Accounts};
use crate::config::Config;
use crate::error::ApiResult;
use crate::store::{Owner, Store};

pub struct Ctx {
    pub config: Config,
    pub store: Store,
    pub accounts: Accounts,
    /// The invocation's time, in the seconds of core and the session model.
    pub now: UnixSeconds,
    /// The same instant to the millisecond, for one-per-second limits.
    pub now_ms: UnixMillis,
    /// `scheme://host[:port]` of this worker, for `checkout_url`s: the request's
    /// own origin, or `PUBLIC_URL` for the cron.
    pub origin: String,
}

impl Ctx {
    /// The context of one invocation; `origin` is the request's, if there is one.
    pub fn new(env: &Env, origin: Option<String>) -> ApiResult<Ctx> {
        let config = Config::from_env(env);
        let now_ms = UnixMillis(Date::now().as_millis() as i64);
        let origin = origin
            .or_else(|| config.public_url.clone())
            .unwrap_or_default();
        Ok(Ctx {
            store: Store::new(env)?,
            accounts: Accounts::new(env)?,
            config,
            now: now_ms.to_seconds(),
            now_ms,
            origin,
        })
    }

    /// The hosted checkout page of a session.
    pub fn checkout_url(&self, id: &SessionId) -> String {
        format!("{}/pay/{id}", self.origin)
    }

    /// A merchant's account in one mode.
    pub fn account<'a>(&'a self, owner: Owner<'a>) -> Account<'a> {
        self.accounts.of(owner)
    }
}
