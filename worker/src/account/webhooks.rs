//! The merchant's webhooks, inside the account object: queuing a delivery for
//! each new event in the step that records it, sending it (the first attempt
//! right after the command's answer, retries by the alarm), and the commands
//! of the webhook-forwarding API (endpoint, secrets, history, redeliver,
//! recover, test). The tables are `endpoint.rs`'s and `outbox.rs`'s.

use checkout_core::event::{Event, EventKind};
use checkout_core::ids::MerchantId;
use checkout_core::session::Mode;
use checkout_core::time::UnixSeconds;
use checkout_core::webhook::{Outcome, Trigger};

use super::db::{Db, Result};
use super::endpoint::Open;
use super::object::{now_ms, unavailable, AccountObject, Handle, Scope};
use super::outbox::{self, Row as Delivery, Start};
use super::protocol::{
    DeleteEndpoint, Endpoint, Failure, GetDelivery, GetEndpoint, GetSecrets, ListDeliveries,
    PutEndpoint, Recover, Redeliver, Refusal, Rotate, Secrets, SendTest, Thing,
};
use super::sessions::Row;
use crate::random;
use crate::store::Store;

/// Seeds the account's signing secrets with the merchant's own (read once
/// from its KV record, the first time the object is used).
pub async fn seed_secrets(scope: &Scope<'_>) -> Result<()> {
    let store = Store::new(scope.env()).map_err(unavailable)?;
    let merchant = store
        .merchant(&scope.merchant)
        .await
        .map_err(unavailable)?
        .ok_or_else(|| Failure::bug("the account's merchant does not exist"))?;
    scope
        .db
        .seed_secrets(merchant.signing_secret_of(scope.mode).clone())
}

pub fn open_secrets(scope: &Scope<'_>) -> Result<Open> {
    let key = scope.config.secrets_key().map_err(unavailable)?;
    scope.db.open_secrets(key, scope.now_ms)
}

/// Queues a delivery of each event the merchant receives (in the caller's
/// step); the ids to send right after the answer.
pub fn queue_events(scope: &Scope<'_>, row: Option<&Row>, events: &[Event]) -> Result<Vec<String>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let endpoint = scope.db.endpoint()?;
    let snapshot = match row {
        Some(row) if endpoint.is_some() || row.stored.session.webhook_url.is_some() => {
            let ctx = scope.ctx(&row.stored.origin)?;
            Some(super::snapshot::snapshot(&ctx, &row.stored.session).map_err(unavailable)?)
        }
        _ => None,
    };
    if endpoint.is_none() && snapshot.as_ref().is_none_or(|s| s.webhook_url.is_none()) {
        return Ok(Vec::new());
    }
    let secrets = open_secrets(scope)?;
    let mut queued = Vec::new();
    for e in events {
        let sequence = row.map_or(1, |r| r.sequence_of(&e.id));
        queued.extend(scope.db.queue(
            e,
            sequence,
            snapshot.as_ref(),
            endpoint.as_ref(),
            &secrets.current,
            scope.now_ms,
        )?);
    }
    Ok(queued)
}

/// Sends the first attempt of each queued delivery once the command has
/// answered. Each was queued leased (as if the alarm had claimed it), so a
/// crash in the middle loses nothing: the alarm or the cron's sweep finds it
/// due when the lease runs out.
pub fn send_soon(object: &AccountObject, event_ids: Vec<String>) {
    if event_ids.is_empty() {
        return;
    }
    let raw: &wasm_bindgen::JsValue = object.state().as_raw().as_ref();
    let state = worker::State::from(wasm_bindgen::JsCast::unchecked_into::<
        worker::worker_sys::DurableObjectState,
    >(raw.clone()));
    let env = object.env().clone();
    object.state().wait_until(async move {
        let object = AccountObject::detached(state, env);
        let db = object.db();
        for id in &event_ids {
            if let Err(e) = attempt(&object, &db, id, Trigger::Auto, true).await {
                worker::console_error!("outbox: {e:?}");
            }
        }
        if let Err(e) = super::alarm::schedule(&object, &db).await {
            worker::console_error!("outbox: scheduling: {e:?}");
        }
    });
}

/// The alarm's part: flags paid sessions whose notification still fails, then
/// sends what is due, concurrently, except deliveries released from hold,
/// which go one at a time in creation order.
pub async fn send_due(object: &AccountObject, db: &Db) -> Result<()> {
    let now = now_ms();
    let scale = crate::config::Config::from_env(object.env()).webhook_time_scale;
    for session in db.flags_due(now, scale)? {
        db.flag_session(&session, true)?;
    }
    db.forget_old(now)?;
    let batch = db.claim_due(now)?;
    let (ordered, rest): (Vec<Delivery>, Vec<Delivery>) =
        batch.into_iter().partition(|r| r.ordered != 0);
    for row in &ordered {
        attempt(object, db, &row.event_id, Trigger::Auto, false).await?;
    }
    let sends = rest
        .iter()
        .map(|row| attempt(object, db, &row.event_id, Trigger::Auto, false));
    for result in futures_util::future::join_all(sends).await {
        result?;
    }
    Ok(())
}

/// One attempt of a delivery, recorded with what follows from it. Whether it
/// may go at all is decided first, in the object (`Db::start_attempt`, or for
/// the `first` attempt of one just queued, `outbox::first_attempt`): an automatic
/// attempt that may not (a one-time delivery sent or being sent) is skipped;
/// a manual one is refused with the reason.
async fn attempt(
    object: &AccountObject,
    db: &Db,
    event_id: &str,
    trigger: Trigger,
    first: bool,
) -> Result<()> {
    let config = crate::config::Config::from_env(object.env());
    let settings = outbox::Settings::of(&config);
    let endpoint = db.endpoint()?;
    let Some(row) = db.delivery_row(event_id)? else {
        return Err(Refusal::NotFound(Thing::Delivery).into());
    };
    let Some(url) = outbox::url_of(&row, endpoint.as_ref()) else {
        return outbox::hold(db, &row);
    };
    let now = now_ms();
    let key = config.secrets_key().map_err(unavailable)?;
    let secrets = db.open_secrets(key, now)?;
    // No await since the row was read: it is the row as it is now.
    let start = if first {
        outbox::first_attempt(row)
    } else {
        db.start_attempt(event_id, now)?
    };
    let (row, n) = match start {
        Start::Go(row, n) => (row, n),
        Start::Refused(_) if trigger == Trigger::Auto => return Ok(()),
        Start::Refused(refusal) => return Err(refusal.into()),
    };
    crate::usage::count(crate::usage::Resource::Subrequest);
    let (attempt, outcome) = outbox::send(&url, &row, &secrets, &settings, trigger, n, now).await;
    // Settled against the row as it is now: a concurrent command may have
    // changed it while the request was in flight.
    let current = db.delivery_row(event_id)?.unwrap_or(*row);
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
        db.flag_session(&session, false)?;
    }
    if outcome != Outcome::Delivered {
        worker::console_warn!("webhook {event_id} to {url}: {:?}", attempt.error);
    }
    Ok(())
}

/// The event of a test delivery: its id is random, since every test is new.
fn test_event(merchant: &MerchantId, mode: Mode, now: UnixSeconds) -> Event {
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
        etn: None,
        fiat: None,
        created_at: now,
    }
}

fn delivery(db: &Db, event_id: &str) -> Result<super::protocol::Delivery> {
    db.delivery(event_id)?
        .ok_or_else(|| Refusal::NotFound(Thing::Delivery).into())
}

impl Handle for GetSecrets {
    async fn handle(self, scope: &Scope<'_>) -> Result<Secrets> {
        scope.db.secrets()
    }
}

impl Handle for GetEndpoint {
    async fn handle(self, scope: &Scope<'_>) -> Result<Option<Endpoint>> {
        scope.db.endpoint()
    }
}

impl Handle for PutEndpoint {
    async fn handle(self, scope: &Scope<'_>) -> Result<Endpoint> {
        let db = &scope.db;
        let now = scope.now_ms;
        if let Some(secret) = self.secret {
            db.replace_secret(secret)?;
        }
        let old = db.endpoint()?;
        let endpoint = Endpoint {
            url: self.url,
            filter: self.filter,
            enabled: self.enabled,
            disabled_reason: (!self.enabled).then_some(super::protocol::DisabledReason::Manual),
            failing_since: None,
            created_at: old.as_ref().map_or(now, |e| e.created_at),
            updated_at: now,
        };
        db.put_endpoint(&endpoint)?;
        if self.enabled {
            db.release_held(now)?;
        } else {
            db.hold_queued()?;
        }
        super::alarm::schedule(scope.object, db).await?;
        Ok(endpoint)
    }
}

impl Handle for DeleteEndpoint {
    async fn handle(self, scope: &Scope<'_>) -> Result<bool> {
        let existed = scope.db.delete_endpoint()?;
        scope.db.hold_queued()?;
        Ok(existed)
    }
}

impl Handle for Rotate {
    async fn handle(self, scope: &Scope<'_>) -> Result<Secrets> {
        scope
            .db
            .rotate_secret(self.secret, scope.now_ms, scope.settings.scale)
    }
}

impl Handle for ListDeliveries {
    async fn handle(self, scope: &Scope<'_>) -> Result<super::protocol::DeliveryPage> {
        scope.db.deliveries(&self.query)
    }
}

impl Handle for GetDelivery {
    async fn handle(self, scope: &Scope<'_>) -> Result<super::protocol::Delivery> {
        delivery(&scope.db, &self.event_id)
    }
}

impl Handle for Redeliver {
    async fn handle(self, scope: &Scope<'_>) -> Result<super::protocol::Delivery> {
        let db = &scope.db;
        if db.delivery_row(&self.event_id)?.is_none() {
            return Err(Refusal::NotFound(Thing::Delivery).into());
        }
        scope.object.manual_send(scope.now_ms)?;
        attempt(scope.object, db, &self.event_id, Trigger::Manual, false).await?;
        delivery(db, &self.event_id)
    }
}

impl Handle for Recover {
    async fn handle(self, scope: &Scope<'_>) -> Result<u32> {
        let n = scope.db.recover(self.since.to_millis(), scope.now_ms)?;
        super::alarm::schedule(scope.object, &scope.db).await?;
        Ok(n)
    }
}

impl Handle for SendTest {
    async fn handle(self, scope: &Scope<'_>) -> Result<super::protocol::Delivery> {
        let db = &scope.db;
        let endpoint = db.endpoint()?.ok_or(Refusal::NoEndpoint)?;
        scope.object.manual_send(scope.now_ms)?;
        let event = test_event(&scope.merchant, scope.mode, scope.now());
        let secrets = open_secrets(scope)?;
        db.queue(
            &event,
            1,
            None,
            Some(&endpoint),
            &secrets.current,
            scope.now_ms,
        )?;
        // Sent now, not after the answer: the merchant is waiting for it.
        attempt(scope.object, db, &event.id, Trigger::Test, true).await?;
        delivery(db, &event.id)
    }
}
