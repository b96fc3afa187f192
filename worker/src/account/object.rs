//! The account object: a SQLite-backed Durable Object per merchant and mode.
//!
//! `fetch` answers [`Command`]s from the worker; each command's SQL runs with no
//! `await` in between (see `db.rs`), and only what must wait on the network (a
//! redelivery, a test event, setting the alarm) awaits after it. `alarm` sends
//! the outbox's due deliveries (see `outbox.rs`).

use checkout_core::event::{Event, EventKind};
use checkout_core::ids::MerchantId;
use checkout_core::session::Mode;
use checkout_core::webhook::{Outcome, Trigger};
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use super::db::{fail, Db, Result};
use super::endpoint::Open;
use super::outbox::{self, Row, Settings};
use super::protocol::{Command, Endpoint, Envelope, Recorded};
use crate::config::Config;
use crate::random;
use crate::store::{Owner, Store};

#[durable_object]
pub struct AccountObject {
    state: State,
    env: Env,
}

fn now_ms() -> i64 {
    worker::Date::now().as_millis() as i64
}

impl DurableObject for AccountObject {
    fn new(state: State, env: Env) -> Self {
        if let Err(e) = Db(state.storage().sql()).migrate() {
            worker::console_error!("account schema: {e}");
        }
        AccountObject { state, env }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let Envelope {
            merchant,
            mode,
            command,
        } = req.json().await?;
        let config = Config::from_env(&self.env);
        let settings = settings(&config);
        let db = self.db();
        // The object remembers whose it is, for its alarm, and starts with the
        // merchant's signing secret (read once from its record).
        db.remember_owner(&merchant, mode)?;
        if !db.has_secrets()? {
            let store = Store::new(&self.env).map_err(|e| fail(e.message))?;
            let merchant = store
                .merchant(&merchant)
                .await
                .map_err(|e| fail(e.message))?
                .ok_or_else(|| fail("the account's merchant does not exist"))?;
            db.seed_secrets(merchant.signing_secret)?;
        }
        let answer = match command {
            Command::Record {
                events,
                ledger,
                session,
                now,
            } => {
                let recorded = self.record(
                    &db,
                    (&merchant, mode),
                    events,
                    &ledger,
                    session.as_ref(),
                    now,
                    &config,
                    &settings,
                )?;
                self.schedule(&db).await?;
                json(&recorded)
            }
            Command::Events { filter, limit } => json(&db.events(&filter, limit)?),
            Command::OpenWallet {
                candidate,
                user_id,
                currency,
                now,
            } => json(&db.open_wallet(candidate, user_id, &currency, now)?),
            Command::Wallet { id, entries } => json(&db.wallet(&id, entries)?),
            Command::SigningSecret => json(&db.secrets()?),
            Command::GetEndpoint => json(&db.endpoint()?),
            Command::PutEndpoint {
                url,
                secret,
                filter,
                enabled,
            } => {
                let now = now_ms();
                if let Some(secret) = secret {
                    db.replace_secret(secret)?;
                }
                let old = db.endpoint()?;
                let endpoint = Endpoint {
                    url,
                    filter,
                    enabled,
                    disabled_reason: (!enabled).then_some(super::protocol::DisabledReason::Manual),
                    failing_since: None,
                    created_at: old.as_ref().map_or(now, |e| e.created_at),
                    updated_at: now,
                };
                db.put_endpoint(&endpoint)?;
                if enabled {
                    db.release_held(now)?;
                } else {
                    db.hold_queued()?;
                }
                self.schedule(&db).await?;
                json(&endpoint)
            }
            Command::DeleteEndpoint => {
                let existed = db.delete_endpoint()?;
                db.hold_queued()?;
                json(&existed)
            }
            Command::Rotate { secret } => {
                db.rotate_secret(secret, now_ms(), settings.scale)?;
                json(&db.endpoint()?)
            }
            Command::Deliveries(query) => json(&db.deliveries(&query)?),
            Command::Delivery { event_id } => json(&db.delivery(&event_id)?),
            Command::Redeliver { event_id } => {
                let Some(row) = db.delivery_row(&event_id)? else {
                    return Response::from_json(&serde_json::Value::Null);
                };
                self.attempt(&db, &row, &config, &settings, Trigger::Manual)
                    .await?;
                json(&db.delivery(&event_id)?)
            }
            Command::Recover { since } => {
                let n = db.recover(since.saturating_mul(1000), now_ms())?;
                self.schedule(&db).await?;
                json(&n)
            }
            Command::SendTest => {
                let now = now_ms();
                let event = test_event(&merchant, mode, now / 1000);
                db.insert_event(&event)?;
                let secrets =
                    db.open_secrets(config.secrets_key().map_err(|e| fail(e.message))?, now)?;
                let endpoint = db.endpoint()?;
                if endpoint.is_none() {
                    return Response::from_json(&serde_json::Value::Null);
                }
                db.queue(
                    &event,
                    None,
                    endpoint.as_ref(),
                    &secrets.current,
                    now,
                    settings.scale,
                )?;
                // Sent now, not by the alarm: the merchant is waiting for the answer.
                db.exec(
                    "UPDATE deliveries SET next_at = NULL WHERE event_id = ?",
                    vec![super::db::text(event.id.clone())],
                )?;
                if let Some(row) = db.delivery_row(&event.id)? {
                    self.attempt(&db, &row, &config, &settings, Trigger::Test)
                        .await?;
                }
                json(&db.delivery(&event.id)?)
            }
            Command::Rearm => {
                self.schedule(&db).await?;
                json(&db.next_wake()?)
            }
            Command::Sessions(query) => json(&db.sessions(&query)?),
            Command::Overview { now } => json(&db.overview(now)?),
            Command::Backfill => json(&db.backfill()?),
            Command::ImportSessions {
                summaries,
                next,
                now,
            } => json(&db.import_sessions(&summaries, next.as_deref(), now)?),
            Command::ForgetSessions => {
                if !Config::from_env(&self.env).dev {
                    return Err(fail("forgetting sessions is for local dev only"));
                }
                json(&db.forget_sessions()?)
            }
            Command::Wallets => json(&db.wallets()?),
            Command::AddKey(key) => json(&db.add_key(&key)?),
            Command::Keys => json(&db.keys()?),
            Command::RevokeKey { id, now } => json(&db.revoke_key(&id, now)?),
            Command::SignIn {
                link,
                link_expires_at,
                session_hash,
                session,
                now,
            } => json(&db.sign_in(&link, link_expires_at, &session_hash, &session, now)?),
            Command::DashboardSession { hash, now } => json(&db.dashboard_session(&hash, now)?),
            Command::SignOut { hash } => json(&db.sign_out(&hash)?),
        };
        Response::from_json(&answer?)
    }

    /// Sends what is due: flags first (KV), then the batch, concurrently, except
    /// deliveries released from hold, which go one at a time in creation order.
    async fn alarm(&self) -> worker::Result<Response> {
        let config = Config::from_env(&self.env);
        let settings = settings(&config);
        let db = self.db();
        let now = now_ms();
        let store = Store::new(&self.env).map_err(|e| fail(e.message))?;
        for session in db.flags_due(now)? {
            store
                .put_notice(&session)
                .await
                .map_err(|e| fail(e.message))?;
        }
        let batch = db.claim_due(now)?;
        let (ordered, rest): (Vec<Row>, Vec<Row>) = batch.into_iter().partition(|r| r.ordered != 0);
        for row in &ordered {
            self.attempt(&db, row, &config, &settings, Trigger::Auto)
                .await?;
        }
        let sends = rest
            .iter()
            .map(|row| self.attempt(&db, row, &config, &settings, Trigger::Auto));
        for result in futures_util::future::join_all(sends).await {
            result?;
        }
        self.schedule(&db).await?;
        Response::ok("")
    }
}

fn settings(config: &Config) -> Settings {
    Settings {
        scale: config.webhook_time_scale,
        policy: config.url_policy(),
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| fail(e.to_string()))
}

/// The event of a test delivery: its id is random, since every test is new.
fn test_event(merchant: &MerchantId, mode: Mode, now: i64) -> Event {
    Event {
        id: format!("evt_{}", hex::encode(random::bytes::<12>())),
        kind: EventKind::WebhookTest,
        merchant_id: merchant.clone(),
        mode,
        session_id: None,
        wallet_id: None,
        provider: None,
        payment_ref: String::new(),
        amount: None,
        currency: None,
        expected_amount: None,
        provider_ref: None,
        created_at: now,
    }
}

impl AccountObject {
    fn db(&self) -> Db {
        Db(self.state.storage().sql())
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        db: &Db,
        (merchant, mode): (&MerchantId, Mode),
        mut events: Vec<Event>,
        ledger: &[checkout_core::ledger::LedgerOp],
        session: Option<&super::protocol::SessionSnapshot>,
        now: i64,
        config: &Config,
        settings: &Settings,
    ) -> Result<Recorded> {
        for op in ledger {
            events.extend(db.book(merchant, mode, op, now)?);
        }
        let endpoint = db.endpoint()?;
        let secrets =
            db.open_secrets(config.secrets_key().map_err(|e| fail(e.message))?, now_ms())?;
        if let Some(snapshot) = session {
            db.upsert_session(&snapshot.summary, now)?;
        }
        let mut fresh = Vec::new();
        for e in &events {
            if db.insert_event(e)? {
                fresh.push(e.id.clone());
                db.queue(
                    e,
                    session,
                    endpoint.as_ref(),
                    &secrets.current,
                    now_ms(),
                    settings.scale,
                )?;
            }
        }
        Ok(Recorded { events, fresh })
    }

    /// One attempt of a delivery, recorded with what follows from it.
    async fn attempt(
        &self,
        db: &Db,
        row: &Row,
        config: &Config,
        settings: &Settings,
        trigger: Trigger,
    ) -> Result<()> {
        let endpoint = db.endpoint()?;
        let Some(url) = outbox::url_of(row, endpoint.as_ref()) else {
            return outbox::hold(db, row);
        };
        let now = now_ms();
        let secrets: Open =
            db.open_secrets(config.secrets_key().map_err(|e| fail(e.message))?, now)?;
        let (attempt, outcome) = outbox::send(&url, row, &secrets, settings, trigger, now).await;
        // Settled against the row as it is now: a concurrent command may have
        // changed it while the request was in flight.
        let current = db
            .delivery_row(&row.event_id)?
            .unwrap_or_else(|| row.clone());
        let jitter = u16::from_le_bytes(random::bytes::<2>());
        let unflag = db.settle(
            &current,
            &attempt,
            outcome,
            now_ms(),
            jitter,
            settings.scale,
        )?;
        if let Some(session) = unflag {
            let store = Store::new(&self.env).map_err(|e| fail(e.message))?;
            store
                .delete_notice(&session)
                .await
                .map_err(|e| fail(e.message))?;
        }
        if outcome != Outcome::Delivered {
            worker::console_warn!("webhook {} to {url}: {:?}", row.event_id, attempt.error);
        }
        Ok(())
    }

    /// Sets the alarm to the next due instant, and keeps the cron's due index
    /// (`due:{merchant}:{mode}` in KV) true: present while work is queued, so a
    /// lost alarm is found by the sweep.
    async fn schedule(&self, db: &Db) -> Result<()> {
        let next = db.next_wake()?;
        let storage = self.state.storage();
        match next {
            Some(at) => {
                let current = storage.get_alarm().await?;
                if current.is_none_or(|c| c > at) {
                    storage.set_alarm((at - now_ms()).max(0)).await?;
                }
            }
            None => storage.delete_alarm().await?,
        }
        let (merchant, mode) = db.owner()?;
        let owner = Owner {
            merchant: &merchant,
            mode,
        };
        let marked = db.due_marked()?;
        let now = now_ms();
        let store = Store::new(&self.env).map_err(|e| fail(e.message))?;
        match (next, marked) {
            (Some(at), marked) if marked.is_none_or(|m| m < now) => {
                store
                    .put_due(owner, at)
                    .await
                    .map_err(|e| fail(e.message))?;
                db.set_due_marked(Some(at))?;
            }
            (None, Some(_)) => {
                store.delete_due(owner).await.map_err(|e| fail(e.message))?;
                db.set_due_marked(None)?;
            }
            _ => {}
        }
        Ok(())
    }
}
