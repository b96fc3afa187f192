//! The account object: a SQLite-backed Durable Object per merchant and mode.
//!
//! `fetch` takes a [`Command`] (`protocol.rs`) and hands it to the module that
//! owns its tables, through [`Handle`]: sessions (`engine.rs`), wallets,
//! webhooks (`webhooks.rs`), keys and sign-ins. A command's SQL runs with no
//! `await` in between (see `db.rs`); what must wait on the network (a webhook
//! send) runs after the answer. A WebSocket upgrade at `/live/{session}` is a
//! shopper following a session (`live.rs`). `alarm` expires sessions and sends
//! the outbox's due deliveries (`engine.rs`).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use checkout_core::ids::MerchantId;
use checkout_core::session::Mode;
use worker::{
    durable_object, DurableObject, Env, Request, Response, State, WebSocket,
    WebSocketIncomingMessage,
};

use super::db::Db;
use super::outbox::Settings;
use super::protocol::{self as p, Command, Envelope, Failure, Refusal};
use crate::config::Config;
use crate::ctx::Ctx;
use crate::error::ApiError;

#[durable_object]
pub struct AccountObject {
    state: State,
    env: Env,
    /// Whether this instance brought the tables up to date.
    migrated: Cell<bool>,
    /// Whether this instance knows its owner is remembered and its signing
    /// secrets seeded (each checked once an instance, not once a command).
    settled: Cell<bool>,
    /// When the alarm is set to fire (unix ms), as this instance last set or
    /// read it (`None`: not known yet): a session's creation need not ask.
    alarm_at: Cell<Option<Option<i64>>>,
    /// When the test sends and redeliveries of the last minute started (unix
    /// ms): their limit, kept by the one instance of the account (an instance
    /// evicted after being idle starts afresh, having sent nothing lately).
    manual_sends: RefCell<VecDeque<i64>>,
}

/// How many test sends and redeliveries an account makes a minute at most:
/// enough to debug an endpoint by hand, too few to turn the worker into a
/// merchant-driven request flood.
pub const MANUAL_SENDS: usize = 20;

pub fn now_ms() -> i64 {
    worker::Date::now().as_millis() as i64
}

/// What every command runs with.
pub struct Scope<'a> {
    pub object: &'a AccountObject,
    pub db: Db,
    pub merchant: MerchantId,
    pub mode: Mode,
    pub config: Config,
    pub settings: Settings,
    /// Unix ms when the command arrived.
    pub now_ms: i64,
}

impl Scope<'_> {
    /// Unix seconds.
    pub fn now(&self) -> i64 {
        self.now_ms / 1000
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

/// Hands a request to the handler of the command its path names.
macro_rules! dispatch {
    ($object:expr, $req:expr, $name:expr; $($command:ty),* $(,)?) => {
        match $name {
            $(<$command as Command>::NAME => $object.serve::<$command>($req).await,)*
            other => answer::<()>(Err(Failure::bug(format!("no command {other:?}")))),
        }
    };
}

impl DurableObject for AccountObject {
    fn new(state: State, env: Env) -> Self {
        AccountObject {
            state,
            env,
            migrated: Cell::new(false),
            settled: Cell::new(false),
            alarm_at: Cell::new(None),
            manual_sends: RefCell::new(VecDeque::new()),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        let path = req.path();
        let name = path.trim_start_matches('/');
        if let Some(session) = name
            .strip_prefix(super::live::PATH)
            .and_then(|s| s.strip_prefix('/'))
        {
            return super::live::accept(self, &req, session).await;
        }
        dispatch!(self, req, name;
            p::CreateSession, p::GetSession, p::ApplyToSession, p::ConfirmPayment,
            p::CheckPayment, p::RecordUnmatched, p::SessionEvents, p::UnmatchedEvents,
            p::ListSessions, p::Sweep, p::Summaries, p::GetOverview, p::GetBackfill,
            p::ImportSessions, p::ForgetSessions, p::GetPolicy, p::PutPolicy, p::GetBrand, p::PutBrand, p::GetLogo, p::PutLogo, p::OpenWallet, p::GetWallet, p::ListWallets,
            p::GetSecrets, p::GetEndpoint, p::PutEndpoint, p::DeleteEndpoint, p::Rotate,
            p::ListDeliveries, p::GetDelivery, p::Redeliver, p::Recover, p::SendTest,
            p::AddKey, p::ListKeys, p::RevokeKey, p::SignIn, p::GetDashboardSession, p::SignOut,
            p::ListSignIns, p::EndSignIns, p::AgeDeliveries,
            p::DropLive, p::Ping,
        )
    }

    /// Expires what is due and sends what is due (`engine.rs`).
    async fn alarm(&self) -> worker::Result<Response> {
        crate::usage::count(crate::usage::Resource::ObjectRequest);
        // It fired: no alarm is set until this run sets the next one.
        self.alarm_at.set(Some(None));
        if let Err(e) = super::engine::wake(self).await {
            worker::console_error!("account alarm: {e:?}");
        }
        Response::ok("")
    }

    async fn websocket_message(
        &self,
        _ws: WebSocket,
        _message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        // Shoppers only listen; a ping is answered without waking the object
        // (the auto-response set when the socket was accepted).
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        code: usize,
        _reason: String,
        _was_clean: bool,
    ) -> worker::Result<()> {
        let code = if code == 1005 || code == 1006 {
            1000
        } else {
            code
        };
        let _ = ws.close(Some(code as u16), Some("closed"));
        Ok(())
    }
}

/// The answer of a command: 200 with the answer, or the failure with the
/// status it stands for (the body says which failure it is either way).
fn answer<T: serde::Serialize>(result: Result<T, Failure>) -> worker::Result<Response> {
    let status = match &result {
        Ok(_) => 200,
        Err(Failure::Refused(_)) => 400,
        Err(Failure::Bug(_)) => 500,
        Err(Failure::Unavailable(_)) => 503,
    };
    if let Err(Failure::Bug(message) | Failure::Unavailable(message)) = &result {
        worker::console_error!("account: {message}");
    }
    Ok(Response::from_json(&result)?.with_status(status))
}

impl AccountObject {
    /// Another handle on the same object, for work that outlives a request
    /// (`webhooks::send_soon`).
    pub fn detached(state: State, env: Env) -> AccountObject {
        AccountObject {
            state,
            env,
            migrated: Cell::new(true),
            settled: Cell::new(true),
            alarm_at: Cell::new(None),
            manual_sends: RefCell::new(VecDeque::new()),
        }
    }

    /// Counts a test send or redelivery against [`MANUAL_SENDS`] a minute,
    /// or refuses it with how long to wait.
    pub fn manual_send(&self, now_ms: i64) -> Result<(), Refusal> {
        let mut sends = self.manual_sends.borrow_mut();
        while sends.front().is_some_and(|&at| now_ms - at >= 60_000) {
            sends.pop_front();
        }
        if sends.len() >= MANUAL_SENDS {
            let oldest = sends.front().copied().unwrap_or(now_ms);
            let wait = (60_000 - (now_ms - oldest)).max(1000);
            return Err(Refusal::RateLimited {
                retry_after: u32::try_from((wait + 999) / 1000).unwrap_or(60),
                limit: super::protocol::Limit::ManualSends,
            });
        }
        sends.push_back(now_ms);
        Ok(())
    }

    /// When the alarm fires (unix ms), if it is set.
    pub async fn alarm_at(&self) -> Result<Option<i64>, Failure> {
        if let Some(known) = self.alarm_at.get() {
            return Ok(known);
        }
        let at = self.state.storage().get_alarm().await?;
        self.alarm_at.set(Some(at));
        Ok(at)
    }

    /// Sets the alarm to fire at `at` (unix ms): a row written.
    pub async fn set_alarm_at(&self, at: i64) -> Result<(), Failure> {
        self.state
            .storage()
            .set_alarm((at - now_ms()).max(0))
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
        Db::new(self.state.storage().sql())
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
            db.migrate()?;
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

    async fn serve<C: Handle>(&self, mut req: Request) -> worker::Result<Response> {
        crate::usage::count(crate::usage::Resource::ObjectRequest);
        let result = async {
            let envelope: Envelope<C> = req
                .json()
                .await
                .map_err(|e| Failure::bug(format!("{}: {e}", C::NAME)))?;
            let db = self.db();
            if !self.migrated.get() {
                if let Some(empty) = envelope.command.when_empty() {
                    if !db.exists()? {
                        return empty;
                    }
                }
            }
            self.ready(&db)?;
            if !self.settled.get() {
                db.remember_owner(&envelope.merchant, envelope.mode)?;
            }
            let config = Config::from_env(&self.env);
            let scope = Scope {
                object: self,
                settings: Settings::of(&config),
                config,
                merchant: envelope.merchant,
                mode: envelope.mode,
                now_ms: now_ms(),
                db,
            };
            if let Some(hash) = &envelope.key_used {
                scope.db.note_key_use(hash, scope.now())?;
            }
            if !self.settled.get() {
                if !scope.db.has_secrets()? {
                    super::webhooks::seed_secrets(&scope).await?;
                }
                self.settled.set(true);
            }
            envelope.command.handle(&scope).await
        }
        .await;
        answer(result)
    }
}
