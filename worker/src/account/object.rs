//! The account object: a SQLite-backed Durable Object per merchant and mode,
//! and what every command's handler runs with ([`Scope`], [`Handle`]).
//!
//! The handlers (sessions in `engine.rs`, wallets, webhooks, keys, sign-ins)
//! depend on this module; the runtime's entry points, which hand each command
//! to its handler, are in `dispatch.rs`, which nothing depends on.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use checkout_core::ids::MerchantId;
use checkout_core::session::Mode;
use checkout_core::time::{UnixMillis, UnixSeconds};
use worker::{durable_object, Env, State};

use super::db::Db;
use super::outbox::Settings;
use super::protocol::{Command, Failure, Refusal};
use crate::config::Config;
use crate::ctx::Ctx;
use crate::error::ApiError;

#[durable_object]
pub struct AccountObject {
    pub(super) state: State,
    pub(super) env: Env,
    /// Whether this instance brought the tables up to date.
    pub(super) migrated: Cell<bool>,
    /// Whether this instance knows its owner is remembered and its signing
    /// secrets seeded (each checked once an instance, not once a command).
    pub(super) settled: Cell<bool>,
    /// When the alarm is set to fire, as this instance last set or read it
    /// (`None`: not known yet): a session's creation need not ask.
    pub(super) alarm_at: Cell<Option<Option<UnixMillis>>>,
    /// The deployment's id key (`SECRETS_KEY`), read once an instance: the
    /// table's session numbering is derived from it.
    pub(super) id_key: std::cell::OnceCell<Option<checkout_core::ids::IdKey>>,
    /// When the test sends and redeliveries of the last minute started: their
    /// limit, kept by the one instance of the account (an instance evicted
    /// after being idle starts afresh, having sent nothing lately).
    pub(super) manual_sends: RefCell<VecDeque<UnixMillis>>,
}

/// How many test sends and redeliveries an account makes a minute at most:
/// enough to debug an endpoint by hand, too few to turn the worker into a
/// merchant-driven request flood.
pub const MANUAL_SENDS: usize = 20;

/// The runtime's clock (in a Durable Object it moves on during a request, as
/// I/O completes).
pub fn now_ms() -> UnixMillis {
    UnixMillis(worker::Date::now().as_millis() as i64)
}

/// What every command runs with.
pub struct Scope<'a> {
    pub object: &'a AccountObject,
    pub db: Db,
    pub merchant: MerchantId,
    pub mode: Mode,
    pub config: Config,
    pub settings: Settings,
    /// When the command arrived.
    pub now_ms: UnixMillis,
}

impl Scope<'_> {
    /// When the command arrived, in the seconds of core and the session model.
    pub fn now(&self) -> UnixSeconds {
        self.now_ms.to_seconds()
    }

    /// A context for the dialects' views (webhook bodies, checkout URLs).
    pub fn ctx(&self, origin: &str) -> Result<Ctx, Failure> {
        Ctx::new(&self.object.env, Some(origin.to_owned())).map_err(unavailable)
    }

    pub fn env(&self) -> &Env {
        &self.object.env
    }

    pub fn state(&self) -> &State {
        &self.object.state
    }
}

/// An API error of the worker's own helpers, inside the object.
pub fn unavailable(e: ApiError) -> Failure {
    if e.status >= 500 && e.status != 503 {
        Failure::Bug(e.message)
    } else {
        Failure::Unavailable(format!("{}: {}", e.code, e.message))
    }
}

/// A command the object carries out: each implemented beside the tables it
/// touches, so the dispatcher holds no SQL and no rule.
#[allow(async_fn_in_trait)] // one thread: Send is never needed
pub trait Handle: Command {
    /// The answer of an object that never stored anything, if the command has
    /// one that needs no storage (a look-up in an unused mode): it then
    /// creates nothing. `None`: the tables are made and the command runs.
    fn when_empty(&self) -> Option<Result<Self::Answer, Failure>> {
        None
    }

    async fn handle(self, scope: &Scope<'_>) -> Result<Self::Answer, Failure>;
}

impl AccountObject {
    /// The object as the runtime starts it: nothing known yet.
    pub fn fresh(state: State, env: Env) -> AccountObject {
        AccountObject {
            state,
            env,
            migrated: Cell::new(false),
            settled: Cell::new(false),
            alarm_at: Cell::new(None),
            id_key: std::cell::OnceCell::new(),
            manual_sends: RefCell::new(VecDeque::new()),
        }
    }

    /// Another handle on the same object, for work that outlives a request
    /// (`webhooks::send_soon`).
    pub fn detached(state: State, env: Env) -> AccountObject {
        AccountObject {
            state,
            env,
            migrated: Cell::new(true),
            settled: Cell::new(true),
            alarm_at: Cell::new(None),
            id_key: std::cell::OnceCell::new(),
            manual_sends: RefCell::new(VecDeque::new()),
        }
    }

    /// Counts a test send or redelivery against [`MANUAL_SENDS`] a minute,
    /// or refuses it with how long to wait.
    pub fn manual_send(&self, now_ms: UnixMillis) -> Result<(), Refusal> {
        let mut sends = self.manual_sends.borrow_mut();
        while sends.front().is_some_and(|&at| now_ms.since(at) >= 60_000) {
            sends.pop_front();
        }
        if sends.len() >= MANUAL_SENDS {
            let oldest = sends.front().copied().unwrap_or(now_ms);
            // Milliseconds to wait, rounded up to the seconds of Retry-After.
            let wait = (60_000 - now_ms.since(oldest)).max(1000);
            return Err(Refusal::RateLimited {
                retry_after: u32::try_from((wait + 999) / 1000).unwrap_or(60),
                limit: super::protocol::Limit::ManualSends,
            });
        }
        sends.push_back(now_ms);
        Ok(())
    }

    /// When the alarm fires, if it is set.
    pub async fn alarm_at(&self) -> Result<Option<UnixMillis>, Failure> {
        if let Some(known) = self.alarm_at.get() {
            return Ok(known);
        }
        let at = self.state.storage().get_alarm().await?.map(UnixMillis);
        self.alarm_at.set(Some(at));
        Ok(at)
    }

    /// Sets the alarm to fire at `at`: a row written.
    pub async fn set_alarm_at(&self, at: UnixMillis) -> Result<(), Failure> {
        self.state
            .storage()
            .set_alarm(at.since(now_ms()).max(0))
            .await?;
        crate::usage::count(crate::usage::Resource::RowsWritten);
        self.alarm_at.set(Some(Some(at)));
        Ok(())
    }

    /// No alarm: nothing is due.
    pub async fn delete_alarm(&self) -> Result<(), Failure> {
        self.state.storage().delete_alarm().await?;
        self.alarm_at.set(Some(None));
        Ok(())
    }

    pub fn db(&self) -> Db {
        let id_key = self
            .id_key
            .get_or_init(|| Config::from_env(&self.env).id_key().ok().cloned());
        Db::new(self.state.storage().sql(), id_key.clone())
    }

    pub fn env(&self) -> &Env {
        &self.env
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// Brings the tables up to date, once per instance.
    pub fn ready(&self, db: &Db) -> Result<(), Failure> {
        if !self.migrated.get() {
            db.migrate(Config::from_env(&self.env).reindex_sessions_max)?;
            self.migrated.set(true);
        }
        Ok(())
    }

    /// The scope of work that no request brought (the alarm, a send after
    /// an answer): whose object this is comes from its meta row.
    pub fn alarm_scope(&self) -> Result<Scope<'_>, Failure> {
        let db = self.db();
        self.ready(&db)?;
        let (merchant, mode) = db.owner()?;
        let config = Config::from_env(&self.env);
        Ok(Scope {
            object: self,
            settings: Settings::of(&config),
            config,
            merchant,
            mode,
            now_ms: now_ms(),
            db,
        })
    }
}
