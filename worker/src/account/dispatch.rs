//! The runtime's entry points of the account object: `command`, called by
//! the worker over RPC (`client.rs`), takes a [`Command`] (`protocol/`) and
//! hands it to the module that owns its tables, through [`Handle`]: sessions
//! (`engine.rs`), wallets, webhooks (`webhooks.rs`), keys and sign-ins. A
//! command's SQL runs with no `await` in between (see `db.rs`); what must wait
//! on the network (a webhook send) runs after the answer. `fetch` takes only
//! WebSocket upgrades at `/live/{session}`: a shopper following a session
//! (`live.rs`). `alarm` expires sessions and sends the
//! outbox's due deliveries (`engine.rs`). The top of the account's layers:
//! nothing imports it.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use worker::{DurableObject, Env, Request, Response, State, WebSocket, WebSocketIncomingMessage};

use super::object::{now_ms, AccountObject, Handle, Scope};
use super::outbox::Settings;
use super::protocol::{self as p, Command, Envelope, Failure};
use crate::config::Config;

/// Hands an envelope to the handler of the command `name` names.
macro_rules! dispatch {
    ($object:expr, $envelope:expr, $name:expr; $($command:ty),* $(,)?) => {
        match $name {
            $(<$command as Command>::NAME => $object.serve::<$command>($envelope).await,)*
            other => answer::<()>(Err(Failure::bug(format!("no command {other:?}")))),
        }
    };
}

/// The account object's RPC methods. The runtime exposes them because the
/// worker's entry module (`worker/entry.js`) makes the class a subclass of
/// its `DurableObject`: a call costs well under half of an HTTP request to
/// the object (`fetch`), which every session route pays once.
#[wasm_bindgen(
    wasm_bindgen = ::worker::wasm_bindgen,
    wasm_bindgen_futures = ::worker::wasm_bindgen_futures
)]
impl AccountObject {
    /// Runs the command `name` on its envelope (JSON of [`Envelope`]) and
    /// answers the JSON of its `Result<Answer, Failure>` (`client.rs` reads
    /// it). A command's failure is in the answer: the call rejects only when
    /// the runtime fails (which the worker answers as a retryable 503).
    #[wasm_bindgen(js_name = command)]
    pub async fn command(&self, name: String, envelope: String) -> Result<JsValue, JsValue> {
        let answer = dispatch!(self, envelope, name.as_str();
            p::CreateSession, p::GetSession, p::ApplyToSession, p::ConfirmPayment,
            p::CheckPayment, p::RecordUnmatched, p::SessionEvents, p::UnmatchedEvents,
            p::ListSessions, p::Sweep, p::Summaries, p::GetOverview, p::GetBackfill,
            p::ImportSessions, p::ForgetSessions, p::UnnumberSessions, p::GetPolicy, p::PutPolicy, p::GetBrand, p::PutBrand, p::GetLogo, p::PutLogo, p::OpenWallet, p::GetWallet, p::ListWallets,
            p::GetSecrets, p::GetEndpoint, p::PutEndpoint, p::DeleteEndpoint, p::Rotate,
            p::ListDeliveries, p::GetDelivery, p::Redeliver, p::Recover, p::SendTest,
            p::AddKey, p::ListKeys, p::RevokeKey, p::SignIn, p::GetDashboardSession, p::SignOut,
            p::ListSignIns, p::EndSignIns, p::AgeDeliveries,
            p::DropLive, p::Ping,
        );
        Ok(JsValue::from_str(&answer))
    }
}

impl DurableObject for AccountObject {
    fn new(state: State, env: Env) -> Self {
        AccountObject::fresh(state, env)
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
        Response::error(
            format!("the account object takes commands over RPC, not at {path}"),
            404,
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

/// The answer of a command as the worker reads it: the JSON of its result
/// (a bug or an outage also logged here, where it happened).
fn answer<T: serde::Serialize>(result: Result<T, Failure>) -> String {
    if let Err(Failure::Bug(message) | Failure::Unavailable(message)) = &result {
        worker::console_error!("account: {message}");
    }
    serde_json::to_string(&result).unwrap_or_else(|e| {
        let failure: Result<(), Failure> = Err(Failure::bug(format!("answer: {e}")));
        serde_json::to_string(&failure).unwrap_or_default()
    })
}

impl AccountObject {
    async fn serve<C: Handle>(&self, envelope: String) -> String {
        crate::usage::count(crate::usage::Resource::ObjectRequest);
        let result = async {
            let envelope: Envelope<C> = serde_json::from_str(&envelope)
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
                db.remember_owner(&envelope.merchant, envelope.mode, now_ms())?;
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
