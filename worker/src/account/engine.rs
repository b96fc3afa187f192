//! The session engine inside the account object: opening a session, carrying
//! out the changes core decides (a confirmation, a cancel, an expiry), and the
//! alarm that expires sessions and sends webhooks.
//!
//! Each command's change is one atomic step: the session's row (record, state,
//! events), its wallet bookings, its webhooks' deliveries and the lookups that
//! make creation idempotent (`idempotency` and `orders`, unique per account by
//! their primary keys) are written with no `await` in between. Only then is the
//! answer given; the first attempt of each new webhook is sent right after it
//! (`webhooks.rs`), and the shoppers following the session get its new public
//! view (`live.rs`).

use checkout_core::confirmation::{Confirmation, Kind, Provider};
use checkout_core::event::{Event, EventKind};
use checkout_core::ids::SessionId;
use checkout_core::lifecycle::{self, Circumstances, Step, Transition};
use checkout_core::session::{Session, State};
use checkout_core::time::{UnixMillis, UnixSeconds};
use checkout_core::{EtnAmount, PaymentId};

use super::alarm::{schedule, schedule_expiry};
use super::claims::{ClaimKind, ClaimRow};
use super::db::{int, text, Db, Meta, Result};
use super::object::{unavailable, AccountObject, Handle, Scope};
use super::protocol::Stored;
use super::protocol::{
    Applied, ApplyToSession, Change, CheckPayment, ConfirmPayment, CreateSession, Created, Failure,
    GetBackfill, GetOverview, GetSession, ImportSessions, ListSessions, RecordPage,
    RecordUnmatched, Recorded, Refusal, SessionEvents, SessionRead, SessionRef, Summaries, Sweep,
    SweepReport, Thing, UnmatchedEvents,
};
use super::sessions::Row;
use crate::store::{Key, Owner, Store};

/// Whether an earlier session still holds its order id: a session that
/// expired or was cancelled frees it, so a shopper who abandoned checkout can
/// get a fresh session for the same order (the old one stays readable by id,
/// and what it received is on the merchant's Needs attention page).
fn holds_order(session: &Session, now: UnixSeconds) -> bool {
    !matches!(session.state_at(now), State::Expired | State::Cancelled)
}

/// A claim kept in KV by a version before sessions moved here: its session
/// is moved in, so that the step below decides with it as with any other.
async fn legacy_claim(scope: &Scope<'_>, kind: ClaimKind, hash: &str) -> Result<Option<ClaimRow>> {
    let db = &scope.db;
    let store = Store::new(scope.env()).map_err(unavailable)?;
    let owner = Owner {
        merchant: &scope.merchant,
        mode: scope.mode,
    };
    let legacy = match db.meta(Meta::LegacyKv)? {
        Some(flag) => flag != 0,
        None => {
            // Checked once per account: did this owner have sessions in KV?
            let had = store
                .has_legacy_sessions(owner)
                .await
                .map_err(unavailable)?;
            db.set_meta(Meta::LegacyKv, Some(i64::from(had)))?;
            had
        }
    };
    if !legacy {
        return Ok(None);
    }
    let key = match kind {
        ClaimKind::Idempotency => Key::Idempotency { owner, hash },
        ClaimKind::Order => Key::Order { owner, hash },
    };
    let Some(record) = store.idempotency(key).await.map_err(unavailable)? else {
        return Ok(None);
    };
    if db.session(&record.session_id)?.is_none() {
        let Some(session) = store
            .session(&record.session_id)
            .await
            .map_err(unavailable)?
        else {
            return Ok(None);
        };
        let origin = scope.config.public_url.clone().unwrap_or_default();
        db.import(
            &Stored {
                session,
                origin,
                merchant_name: String::new(),
            },
            scope.now(),
        )?;
    }
    Ok(Some(ClaimRow {
        session_id: record.session_id.to_string(),
        fingerprint: record.fingerprint,
        // KV let it expire; what it still has is within its lifetime.
        created_at: scope.now(),
    }))
}

impl Handle for CreateSession {
    async fn handle(self, scope: &Scope<'_>) -> Result<Created> {
        let now = scope.now();
        let claims = [
            (ClaimKind::Idempotency, self.idempotency.as_ref()),
            (ClaimKind::Order, self.order.as_ref()),
        ];
        // What an older version kept in KV is read first: after this, no await
        // until the step is written.
        let mut legacy = Vec::new();
        for (kind, claim) in claims {
            if let Some(claim) = claim {
                if scope.db.claim(kind, &claim.hash)?.is_none() {
                    if let Some(row) = legacy_claim(scope, kind, &claim.hash).await? {
                        legacy.push((kind, row));
                    }
                }
            }
        }
        let db = &scope.db;
        for (kind, claim) in claims {
            let Some(claim) = claim else { continue };
            let found = match db.claim(kind, &claim.hash)? {
                Some(found) => Some(found),
                None => legacy
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, r)| r.clone()),
            };
            let Some(found) = found else { continue };
            if found.created_at.plus(kind.ttl()) <= now {
                continue;
            }
            let Ok(id) = found.session_id.parse::<SessionId>() else {
                continue;
            };
            let Some(row) = db.session(&id)? else {
                continue;
            };
            if kind == ClaimKind::Order && !holds_order(&row.stored.session, now) {
                continue;
            }
            if found.fingerprint != claim.fingerprint {
                return Err(kind.conflict().into());
            }
            return Ok(Created {
                read: row.read(),
                replayed: true,
            });
        }
        // The session's id as the worker drew it is provisional: here it gets
        // its number in this account, which its payment id spells (so that a
        // payment finds its row with no index to write).
        let mut session = self.session;
        let (number, id) = db.next_session_id(crate::random::bytes())?;
        session.renumber(id);
        if let Some(key) = &self.link_key {
            // payment-links-api: base64(HMAC-SHA512(SHA-256(amount:::order_id:::apiKey),
            // apiSecret)), the API secret being this account's signing secret.
            let secret = super::webhooks::open_secrets(scope)?;
            let order_id = session
                .link_id
                .as_ref()
                .map(|id| id.to_string())
                .unwrap_or_default();
            session.link_signature = Some(checkout_core::signature::link::sign(
                crate::secret::ExposeSecret::expose_secret(&secret.current),
                key.expose(),
                &order_id,
                &session.price.to_string(),
            ));
        }
        // The session keeps the policy in force now, as it keeps its rate.
        session.policy = db.policy()?;
        let stored = Stored {
            session,
            origin: self.origin,
            merchant_name: self.merchant_name,
        };
        let created = lifecycle::created(&stored.session, now);
        if !db.insert_session(number, &stored, std::slice::from_ref(&created), now)? {
            return Err(Refusal::PaymentIdTaken.into());
        }
        for (kind, claim) in claims {
            if let Some(claim) = claim {
                db.put_claim(kind, claim, &stored.session.id, now)?;
            }
        }
        // The row as just written (not read back: it is all here).
        let row = Row {
            rowid: number,
            stored,
            events: vec![created.clone()],
            flagged: false,
        };
        let queued = super::webhooks::queue_events(scope, Some(&row), &[created])?;
        super::webhooks::send_soon(scope.object, queued);
        schedule_expiry(scope, row.stored.session.expires_at).await?;
        Ok(Created {
            read: row.read(),
            replayed: false,
        })
    }
}

/// The row of the session a command names, or `NotFound`.
fn row_at(scope: &Scope<'_>, at: &SessionRef) -> Result<Row> {
    scope
        .db
        .session_at(at, scope.now())?
        .ok_or_else(|| Refusal::NotFound(Thing::Session).into())
}

impl Handle for GetSession {
    async fn handle(self, scope: &Scope<'_>) -> Result<SessionRead> {
        let mut read = row_at(scope, &self.at)?.read();
        // The page that reads a session shows it in the merchant's brand.
        read.brand = Some(scope.db.brand()?);
        Ok(read)
    }
}

impl Handle for ApplyToSession {
    async fn handle(self, scope: &Scope<'_>) -> Result<Applied> {
        change_session(
            scope,
            |db| db.session_at(&self.at, scope.now()),
            &self.change,
        )
        .await
    }
}

impl Handle for ConfirmPayment {
    fn when_empty(&self) -> Option<Result<Applied>> {
        Some(Err(Refusal::NotFound(Thing::Session).into()))
    }

    async fn handle(self, scope: &Scope<'_>) -> Result<Applied> {
        let change = Change::Confirm(self.confirmation);
        change_session(scope, |db| db.session_of_payment(&self.payment_id), &change).await
    }
}

/// Finds a session (with `find`) and carries out a change to it. A late ETN
/// payment's outcome depends on the rate now, read first; the session is
/// then read again, so that nothing another request did while the rate was
/// awaited is lost (from there on, no `await` until the step is written).
async fn change_session(
    scope: &Scope<'_>,
    find: impl Fn(&Db) -> Result<Option<Row>>,
    change: &Change,
) -> Result<Applied> {
    let not_found = || Failure::from(Refusal::NotFound(Thing::Session));
    let row = find(&scope.db)?.ok_or_else(not_found)?;
    let etn_now = match change {
        Change::Confirm(c) => etn_now(scope, &row.stored.session, c).await?,
        _ => None,
    };
    let row = match etn_now {
        Some(_) => find(&scope.db)?.ok_or_else(not_found)?,
        None => row,
    };
    carry_out(scope, row, change, etn_now)
}

/// What the session's price costs in ETN now, if a payment's outcome depends
/// on it: an ETN payment after the expiry, within the late window (see
/// core's `lifecycle`). Rates that cannot be had are a retryable failure:
/// the provider tries again rather than the payment be judged without them.
async fn etn_now(
    scope: &Scope<'_>,
    session: &Session,
    c: &Confirmation,
) -> Result<Option<EtnAmount>> {
    let now = scope.now();
    let late = session.state_at(now) == State::Expired
        && c.kind == Kind::Payment
        && c.provider == Provider::Etn
        && session
            .policy
            .late_until(session.expires_at)
            .is_some_and(|until| now <= until);
    if !late {
        return Ok(None);
    }
    let store = Store::new(scope.env()).map_err(unavailable)?;
    let rates = crate::rates::current(&scope.config, &store, now)
        .await
        .map_err(unavailable)?;
    Ok(rates.to_etn(&session.price).ok())
}

/// How many payment ids are drawn for a remainder before giving up (40
/// random bits: a collision in one account is rare, two in a row never).
const DRAWS: usize = 3;

/// Decides a change: core's transition, with a fresh payment id for what a
/// partial payment leaves (drawn again if this account has it already).
fn decide(
    scope: &Scope<'_>,
    before: &Session,
    change: &Change,
    etn_now: Option<EtnAmount>,
) -> Result<Step> {
    let now = scope.now();
    for _ in 0..DRAWS {
        let circumstances = Circumstances {
            next_payment_id: PaymentId::from_bytes(crate::random::bytes()),
            etn_now,
        };
        let transition = match change {
            Change::Confirm(c) => Transition::Confirm(c, &circumstances),
            Change::Cancel => Transition::Cancel,
            Change::Expire => Transition::Expire,
            Change::Accept(acceptance) => Transition::Accept(acceptance),
            Change::ExpireNow => Transition::ExpireNow,
        };
        let step = lifecycle::transition(before, transition, now).map_err(Refusal::Transition)?;
        let remainder = step.session.payment_string.payment_id();
        if remainder == before.payment_string.payment_id()
            || !scope.db.payment_id_taken(&remainder)?
        {
            return Ok(step);
        }
    }
    Err(Failure::bug(
        "every payment id drawn for a remainder was taken",
    ))
}

/// Carries out a change core decides, in one step: the transition, the wallet
/// bookings it asks for (their events too), the session's row, the payment id
/// of a remainder, the webhooks of the events that are new, and the public
/// view pushed to its shoppers.
fn carry_out(
    scope: &Scope<'_>,
    mut row: Row,
    change: &Change,
    etn_now: Option<EtnAmount>,
) -> Result<Applied> {
    let now = scope.now();
    let db = &scope.db;
    let before = row.stored.session.clone();
    let step = decide(scope, &before, change, etn_now)?;
    if let Some(recorded) = &step.repeated {
        // The same payment again: what it caused then, nothing new.
        let Change::Confirm(c) = change else {
            return Err(Failure::bug("only a payment repeats"));
        };
        let events = row
            .events
            .iter()
            .filter(|e| lifecycle::caused_by(e, c, recorded))
            .cloned()
            .collect();
        return Ok(Applied {
            read: row.read(),
            events,
            fresh: Vec::new(),
        });
    }
    let mut events = step.events;
    for op in &step.ledger {
        events.extend(db.book(&scope.merchant, scope.mode, op, now)?);
    }
    let remainder = step.session.payment_string.payment_id();
    if remainder != before.payment_string.payment_id() {
        db.add_remainder(&remainder, &before.id)?;
    }
    row.stored.session = step.session;
    let fresh = row.add_events(&events);
    if step.changed || !fresh.is_empty() {
        db.write_session(&row, before.state, now)?;
    }
    let new: Vec<Event> = events
        .iter()
        .filter(|e| fresh.contains(&e.id))
        .cloned()
        .collect();
    for e in new.iter().filter(|e| e.kind == EventKind::PaymentUnmatched) {
        db.insert_unmatched(e)?;
    }
    let queued = super::webhooks::queue_events(scope, Some(&row), &new)?;
    super::webhooks::send_soon(scope.object, queued);
    if step.changed {
        super::live::push(scope.object, &row, now);
    }
    Ok(Applied {
        read: row.read(),
        events,
        fresh,
    })
}

impl Db {
    /// Keeps a payment that no session took (unknown, or no longer pending).
    pub fn insert_unmatched(&self, e: &Event) -> Result<bool> {
        let inserted: Vec<super::db::CountRow> = self.rows(
            "INSERT INTO unmatched (id, created_at, body) VALUES (?, ?, ?)
             ON CONFLICT (id) DO NOTHING RETURNING 1 AS n",
            vec![
                text(e.id.as_str()),
                int(e.created_at),
                text(super::db::to_json(e)?),
            ],
        )?;
        Ok(!inserted.is_empty())
    }

    /// Payments no session took, oldest first: those kept here, and those an
    /// older version kept among its events.
    pub fn unmatched(&self, limit: u32) -> Result<Vec<Event>> {
        let here: Vec<super::db::BodyRow> = self.rows(
            "SELECT body FROM unmatched ORDER BY created_at LIMIT ?",
            vec![int(i64::from(limit))],
        )?;
        let before: Vec<super::db::BodyRow> = self.rows(
            "SELECT body FROM events WHERE kind = ? OR (session_id IS NULL AND kind NOT IN (?, ?))
             ORDER BY created_at, rowid LIMIT ?",
            vec![
                text(EventKind::PaymentUnmatched.as_str()),
                text(EventKind::WalletTopup.as_str()),
                text(EventKind::WebhookTest.as_str()),
                int(i64::from(limit)),
            ],
        )?;
        let mut all = before
            .iter()
            .chain(here.iter())
            .map(|r| super::db::from_json::<Event>(&r.body))
            .collect::<Result<Vec<_>>>()?;
        all.sort_by_key(|e| e.created_at);
        all.dedup_by(|a, b| a.id == b.id);
        all.truncate(limit as usize);
        Ok(all)
    }
}

impl Handle for RecordUnmatched {
    async fn handle(self, scope: &Scope<'_>) -> Result<Recorded> {
        let fresh = if scope.db.insert_unmatched(&self.event)? {
            let queued =
                super::webhooks::queue_events(scope, None, std::slice::from_ref(&self.event))?;
            super::webhooks::send_soon(scope.object, queued);
            vec![self.event.id.clone()]
        } else {
            Vec::new()
        };
        Ok(Recorded {
            events: vec![self.event],
            fresh,
        })
    }
}

impl Handle for CheckPayment {
    /// A look-up in an unused account creates nothing; the one that keeps
    /// the limit does (its merchant signed the request).
    fn when_empty(&self) -> Option<Result<Option<SessionRead>>> {
        (!self.limited).then_some(Ok(None))
    }

    async fn handle(self, scope: &Scope<'_>) -> Result<Option<SessionRead>> {
        if self.limited {
            let last = scope.db.meta(Meta::LastCheck)?.map(UnixMillis);
            if last.is_some_and(|last| scope.now_ms.since(last) < 1000) {
                return Err(Refusal::RateLimited {
                    retry_after: 1,
                    limit: super::protocol::Limit::CheckPayment,
                }
                .into());
            }
            scope.db.set_meta(Meta::LastCheck, Some(scope.now_ms))?;
        }
        Ok(scope
            .db
            .session_of_payment(&self.payment_id)?
            .map(|row| row.read()))
    }
}

impl Handle for SessionEvents {
    async fn handle(self, scope: &Scope<'_>) -> Result<Vec<Event>> {
        let mut events = row_at(scope, &self.at)?.events;
        events.truncate(self.limit as usize);
        Ok(events)
    }
}

impl Handle for UnmatchedEvents {
    fn when_empty(&self) -> Option<Result<Vec<Event>>> {
        Some(Ok(Vec::new()))
    }

    async fn handle(self, scope: &Scope<'_>) -> Result<Vec<Event>> {
        scope.db.unmatched(self.limit)
    }
}

impl Handle for ListSessions {
    async fn handle(self, scope: &Scope<'_>) -> Result<RecordPage> {
        let (data, next_cursor) = scope.db.records(self.before, self.limit)?;
        Ok(RecordPage { data, next_cursor })
    }
}

impl Handle for Summaries {
    async fn handle(self, scope: &Scope<'_>) -> Result<super::protocol::SummaryPage> {
        scope.db.summaries(&self.query)
    }
}

impl Handle for GetOverview {
    async fn handle(self, scope: &Scope<'_>) -> Result<super::protocol::Overview> {
        scope.db.overview(self.now)
    }
}

impl Handle for GetBackfill {
    async fn handle(self, scope: &Scope<'_>) -> Result<super::protocol::Backfill> {
        scope.db.backfill()
    }
}

impl Handle for ImportSessions {
    async fn handle(self, scope: &Scope<'_>) -> Result<u32> {
        let added = scope
            .db
            .import_sessions(self.sessions, self.next.as_deref(), self.now)?;
        schedule(scope.object, &scope.db).await?;
        Ok(added)
    }
}

impl Handle for Sweep {
    fn when_empty(&self) -> Option<Result<SweepReport>> {
        Some(Ok(SweepReport {
            exists: false,
            polls: Vec::new(),
        }))
    }

    async fn handle(self, scope: &Scope<'_>) -> Result<SweepReport> {
        expire_due(scope.object, &scope.db).await?;
        scope.db.recover_unsent(scope.now_ms)?;
        // An account the alarm never wakes still forgets old deliveries.
        scope.db.forget_old(scope.now_ms)?;
        schedule(scope.object, &scope.db).await?;
        Ok(SweepReport {
            exists: true,
            polls: scope.db.pending(scope.now(), self.polls)?,
        })
    }
}

/// Expires every pending session whose time is up, each in its own step.
async fn expire_due(object: &AccountObject, db: &Db) -> Result<()> {
    let now = super::object::now_ms().to_seconds();
    let (due, _) = db.pending_scan(now, true)?;
    if due.is_empty() {
        return Ok(());
    }
    let scope = object.alarm_scope()?;
    for row in due {
        let id = row.stored.session.id.clone();
        if let Err(e) = carry_out(&scope, row, &Change::Expire, None) {
            worker::console_error!("expiring {id}: {e:?}");
        }
    }
    Ok(())
}

/// The alarm: sessions whose time is up expire, paid notifications that still
/// fail are flagged, due webhooks are sent; then the next alarm is set.
pub async fn wake(object: &AccountObject) -> Result<()> {
    let db = object.db();
    if !db.exists()? {
        return Ok(());
    }
    object.ready(&db)?;
    expire_due(object, &db).await?;
    db.recover_unsent(super::object::now_ms())?;
    super::webhooks::send_due(object, &db).await?;
    schedule(object, &db).await
}
