//! The outbox: one delivery per event a merchant receives, every attempt kept.
//!
//! A delivery is queued in the same atomic step that records its event ("stored
//! before acknowledged"). The object's single alarm is the earliest due attempt
//! (or the earliest paid session to flag); the alarm sends what is due
//! concurrently, each with a 10 s timeout and redirects not followed, records
//! every attempt, and schedules what failed (core's `webhook::next_attempt`). A
//! claimed delivery carries a lease rather than nothing, so a crash in the middle
//! of a send loses nothing: when the lease runs out the delivery is due again.

use checkout_core::event::{Event, EventKind};
use checkout_core::ids::SessionId;
use checkout_core::time::UnixMillis;
use checkout_core::validate::UrlPolicy;
use checkout_core::webhook::{
    self, next_attempt, scaled_ms, DeliveryStatus, Next, Outcome, Trigger, FAILING_AFTER,
    TIMEOUT_MS,
};
use serde::de::IgnoredAny;
use serde::Deserialize;

use super::db::{
    fail, from_json, int, opt_int, opt_text, paged, probe, text, to_json, BodyRow, Db, Result,
};
use super::payload;
use super::protocol::{
    Attempt, Delivery, DeliveryPage, DeliveryQuery, DisabledReason, Endpoint, Refusal,
    SessionSnapshot, Thing,
};
use crate::config::Config;

mod history;
mod send;

use crate::secret::SecretString;
pub use send::send;

/// How much longer than a send a claimed delivery stays claimed (ms).
const LEASE_MS: i64 = TIMEOUT_MS + 60_000;
/// The most deliveries one alarm sends (the free plan allows 50 subrequests).
pub const BATCH: u32 = 20;

/// What the outbox's timing and URL checks depend on.
pub struct Settings {
    /// 1.0 in production; tests compress the schedule (`WEBHOOK_TIME_SCALE`).
    pub scale: f64,
    pub policy: UrlPolicy,
}

impl Settings {
    pub fn of(config: &Config) -> Settings {
        Settings {
            scale: config.webhook_time_scale,
            policy: config.url_policy(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Row {
    pub event_id: String,
    pub kind: String,
    pub session_id: Option<String>,
    pub sequence: i64,
    pub url: Option<String>,
    pub body: String,
    pub one_time: i64,
    pub status: String,
    pub failures: i64,
    pub attempts: i64,
    pub next_at: Option<UnixMillis>,
    pub ordered: i64,
    pub flagged: i64,
    pub created_at: UnixMillis,
    pub delivered_at: Option<UnixMillis>,
    /// Attempts recorded in the row itself (older ones are in `attempts`).
    pub attempt_log: Option<String>,
    /// While a send of it is in flight: until when it counts as being sent
    /// (a crash mid-send frees it then).
    pub sending_until: Option<UnixMillis>,
}

use history::{COLUMNS, NEXT_ROWID};

impl Row {
    fn status(&self) -> DeliveryStatus {
        DeliveryStatus::from_wire(&self.status).unwrap_or(DeliveryStatus::Pending)
    }

    fn to_delivery(
        &self,
        attempts: Vec<Attempt>,
        with_body: bool,
        endpoint: Option<&Endpoint>,
    ) -> Result<Delivery> {
        Ok(Delivery {
            id: self.event_id.clone(),
            kind: EventKind::from_wire(&self.kind).ok_or_else(|| fail("stored event kind"))?,
            session_id: self.session_id.as_deref().and_then(|s| s.parse().ok()),
            sequence: self.sequence,
            status: self.status(),
            url: self.url.clone().or_else(|| endpoint.map(|e| e.url.clone())),
            created_at: self.created_at.to_seconds(),
            next_attempt_at: match self.status() {
                DeliveryStatus::Pending | DeliveryStatus::Failing => self.next_at,
                _ => None,
            },
            delivered_at: self.delivered_at,
            one_time: self.one_time != 0,
            body: with_body.then(|| self.body.clone()),
            attempts,
        })
    }
}

/// The id of the delivery of an event to a session's own URL (the event's own
/// id names its delivery to the endpoint).
pub fn own_url_delivery(event_id: &str) -> String {
    format!("{event_id}{OWN_URL_SUFFIX}")
}

const OWN_URL_SUFFIX: &str = ".order_paid";

/// What deciding to send an attempt of a delivery can answer.
pub enum Start {
    /// Send it: the row as it was, and this attempt's number (each attempt
    /// has its own, so that concurrent ones are all recorded).
    Go(Box<Row>, u32),
    /// Not now, or never (a one-time delivery delivered or being sent).
    Refused(Refusal),
}

impl Db {
    /// Queues the deliveries of a new event: to the merchant's endpoint, if
    /// its filter takes the event (held while the endpoint is disabled), and
    /// to the session's own URL, if the seed sends that URL something for
    /// the event (an ewallet order's `order.paid`, and only that). The ids of
    /// those to send now. Their first attempt is the sender's that runs right
    /// after the command answers (`webhooks::send_soon`): the rows wait
    /// `pending` with no due time, so they cost no entry in the due index;
    /// should that send never settle (the object crashed),
    /// [`Db::recover_unsent`] makes them due.
    pub fn queue(
        &self,
        event: &Event,
        sequence: i64,
        session: Option<&SessionSnapshot>,
        endpoint: Option<&Endpoint>,
        secret: &SecretString,
        now_ms: UnixMillis,
    ) -> Result<Vec<String>> {
        let mut to_send = Vec::new();
        let takes =
            |e: &&Endpoint| event.kind == EventKind::WebhookTest || e.filter.accepts(event.kind);
        if let Some(e) = endpoint.filter(takes) {
            let body = payload::to_endpoint(event, sequence, session)?;
            if self.insert(&event.id, event, sequence, None, body, !e.enabled, now_ms)? && e.enabled
            {
                to_send.push(event.id.clone());
            }
        }
        if let Some(session) = session {
            if let (Some(url), Some(body)) = (
                session.webhook_url.clone(),
                payload::to_own_url(event, session, secret)?,
            ) {
                let id = own_url_delivery(&event.id);
                if self.insert(&id, event, sequence, Some(url), body, false, now_ms)? {
                    to_send.push(id);
                }
            }
        }
        Ok(to_send)
    }

    /// Inserts one delivery (once: true if it is new). One that is not held
    /// is inserted as its first attempt started (numbered 1, leased): the
    /// sender that runs after the command sends it without writing the row
    /// again ([`first_attempt`]), and no other send of a one-time
    /// delivery starts meanwhile.
    #[allow(clippy::too_many_arguments)]
    fn insert(
        &self,
        id: &str,
        event: &Event,
        sequence: i64,
        url: Option<String>,
        body: payload::Body,
        held: bool,
        now_ms: UnixMillis,
    ) -> Result<bool> {
        // Into the history's table being written, numbered after every
        // delivery in either table; once: not if either has it.
        let (table, older) = self.history_tables()?;
        let inserted: Vec<super::db::CountRow> = self.rows(
            &format!(
                "INSERT INTO {table} (rowid, event_id, kind, session_id, sequence, url, body, one_time,
                     status, next_at, created_at, attempts, sending_until)
                 SELECT {NEXT_ROWID}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
                 WHERE NOT EXISTS (SELECT 1 FROM {older} WHERE event_id = ?)
                 ON CONFLICT (event_id) DO NOTHING RETURNING 1 AS n"
            ),
            vec![
                text(id),
                text(event.kind.as_str()),
                opt_text(event.session_id.as_ref().map(|s| s.as_str())),
                int(sequence),
                opt_text(url),
                text(body.bytes),
                int(i64::from(body.one_time)),
                text(if held { "held" } else { "pending" }),
                opt_int(None::<UnixMillis>),
                int(now_ms),
                int(i64::from(!held)),
                opt_int((!held).then_some(now_ms.plus(LEASE_MS))),
                text(id),
            ],
        )?;
        Ok(!inserted.is_empty())
    }

    /// Decides whether an attempt of a delivery goes now, and numbers it.
    /// Decided here, in one synchronous step of the object (no other command
    /// runs between the read and the write), for every trigger alike: a
    /// one-time delivery (a payment link's) goes only while it has not been
    /// delivered and no other send of it is in flight, however many
    /// redeliveries, retries and alarms ask at once.
    pub fn start_attempt(&self, event_id: &str, now_ms: UnixMillis) -> Result<Start> {
        let Some(row) = self.delivery_row(event_id)? else {
            return Ok(Start::Refused(Refusal::NotFound(Thing::Delivery)));
        };
        if row.one_time != 0 {
            if row.status == DeliveryStatus::Delivered.as_str() {
                return Ok(Start::Refused(Refusal::DeliveredOnce));
            }
            if row.sending_until.is_some_and(|until| until > now_ms) {
                return Ok(Start::Refused(Refusal::Sending));
            }
        }
        let numbered: Vec<super::db::CountRow> = self.change_deliveries(
            "UPDATE {table} SET attempts = attempts + 1, sending_until = ?
             WHERE event_id = ? RETURNING attempts AS n",
            vec![int(now_ms.plus(LEASE_MS)), text(event_id)],
        )?;
        let n = numbered.first().map_or(row.attempts + 1, |r| r.n);
        Ok(Start::Go(
            Box::new(row),
            u32::try_from(n).unwrap_or(u32::MAX),
        ))
    }

    /// First attempts that never settled (the object stopped while sending):
    /// due now. Looked for from a floor, since every delivery below it has
    /// settled or is due by the index; the floor moves up past them (a row
    /// written once a run, not once a delivery).
    pub fn recover_unsent(&self, now_ms: UnixMillis) -> Result<u32> {
        #[derive(Deserialize)]
        struct Unsent {
            row_id: i64,
            created_at: UnixMillis,
        }
        let floor = self.meta(super::db::Meta::SendingFloor)?.unwrap_or(0);
        let rows: Vec<Unsent> = self.rows(
            "SELECT row_id, created_at FROM deliveries
             WHERE row_id >= ? AND status = 'pending' AND next_at IS NULL ORDER BY row_id",
            vec![int(floor)],
        )?;
        let mut recovered = 0;
        let mut lowest_in_flight = None;
        for r in &rows {
            if now_ms.since(r.created_at) >= LEASE_MS {
                self.change_deliveries::<IgnoredAny>(
                    "UPDATE {table} SET next_at = ? WHERE rowid = ?",
                    vec![int(now_ms), int(r.row_id)],
                )?;
                recovered += 1;
            } else {
                lowest_in_flight.get_or_insert(r.row_id);
            }
        }
        let top = self.count(&format!("SELECT {NEXT_ROWID} AS n"), vec![])?;
        let new_floor = lowest_in_flight.unwrap_or(top);
        if Some(new_floor) != self.meta(super::db::Meta::SendingFloor)? {
            self.set_meta(super::db::Meta::SendingFloor, Some(new_floor))?;
        }
        Ok(recovered)
    }

    /// When the alarm should next fire for the outbox: the earliest due
    /// attempt, or the earliest paid notification to flag.
    pub fn next_wake(&self, scale: f64) -> Result<Option<UnixMillis>> {
        #[derive(Deserialize)]
        struct Wake {
            at: Option<UnixMillis>,
        }
        let rows: Vec<Wake> = self.rows(
            "SELECT MIN(at) AS at FROM (
                SELECT next_at AS at FROM deliveries WHERE next_at IS NOT NULL
                  AND status IN ('pending', 'failing')
                UNION ALL
                SELECT created_at + ? AS at FROM deliveries WHERE next_at IS NOT NULL
                  AND kind = 'session.paid' AND flagged = 0 AND status != 'delivered'
                UNION ALL
                SELECT created_at + ? AS at FROM deliveries WHERE status = 'held'
                  AND kind = 'session.paid' AND flagged = 0)",
            vec![
                int(scaled_ms(FAILING_AFTER, scale)),
                int(scaled_ms(FAILING_AFTER, scale)),
            ],
        )?;
        Ok(rows.first().and_then(|w| w.at))
    }

    /// Takes what is due now (oldest first, at most [`BATCH`]) and leases it.
    pub fn claim_due(&self, now_ms: UnixMillis) -> Result<Vec<Row>> {
        let rows: Vec<Row> = self.rows(
            &format!(
                "SELECT {COLUMNS} FROM deliveries
                 WHERE status IN ('pending', 'failing') AND next_at IS NOT NULL AND next_at <= ?
                 ORDER BY ordered DESC, created_at, row_id LIMIT ?"
            ),
            vec![int(now_ms), int(i64::from(BATCH))],
        )?;
        for row in &rows {
            self.change_deliveries::<IgnoredAny>(
                "UPDATE {table} SET next_at = ? WHERE event_id = ?",
                vec![int(now_ms.plus(LEASE_MS)), text(row.event_id.clone())],
            )?;
        }
        Ok(rows)
    }

    /// Paid sessions whose notification is still undelivered after
    /// `FAILING_AFTER`: their deliveries marked flagged; their session ids,
    /// for the sessions table to show.
    pub fn flags_due(&self, now_ms: UnixMillis, scale: f64) -> Result<Vec<SessionId>> {
        #[derive(Deserialize)]
        struct Flag {
            event_id: String,
            session_id: Option<String>,
        }
        let since = now_ms.minus(scaled_ms(FAILING_AFTER, scale));
        let rows: Vec<Flag> = self.rows(
            "SELECT event_id, session_id FROM deliveries WHERE next_at IS NOT NULL
               AND kind = 'session.paid' AND flagged = 0 AND status != 'delivered' AND created_at <= ?
             UNION ALL
             SELECT event_id, session_id FROM deliveries WHERE status = 'held'
               AND kind = 'session.paid' AND flagged = 0 AND created_at <= ?",
            vec![int(since), int(since)],
        )?;
        let mut sessions = Vec::new();
        for row in rows {
            self.change_deliveries::<IgnoredAny>(
                "UPDATE {table} SET flagged = 1 WHERE event_id = ?",
                vec![text(row.event_id)],
            )?;
            sessions.extend(row.session_id.and_then(|s| s.parse().ok()));
        }
        Ok(sessions)
    }

    pub fn delivery_row(&self, event_id: &str) -> Result<Option<Row>> {
        Ok(self
            .rows::<Row>(
                &format!("SELECT {COLUMNS} FROM deliveries WHERE event_id = ?"),
                vec![text(event_id)],
            )?
            .into_iter()
            .next())
    }

    /// A delivery's attempts: those an older version kept in `attempts`,
    /// then those in the row.
    fn attempts_of(&self, row: &Row) -> Result<Vec<Attempt>> {
        let rows: Vec<BodyRow> = if row.attempts > 0 && row.attempt_log.is_none() {
            self.rows(
                "SELECT body FROM attempts WHERE event_id = ? ORDER BY n",
                vec![text(row.event_id.as_str())],
            )?
        } else {
            Vec::new()
        };
        let mut all = rows
            .iter()
            .map(|r| from_json(&r.body))
            .collect::<Result<Vec<Attempt>>>()?;
        if let Some(log) = &row.attempt_log {
            all.extend(from_json::<Vec<Attempt>>(log)?);
        }
        Ok(all)
    }

    /// Records an attempt and what follows from it; the session to unflag, if a
    /// flagged paid notification was finally delivered.
    pub fn settle(
        &self,
        row: &Row,
        attempt: &Attempt,
        outcome: Outcome,
        now_ms: UnixMillis,
        jitter: u16,
        scale: f64,
    ) -> Result<Option<SessionId>> {
        // The attempt goes into the row's log (older rows keep theirs in
        // `attempts` and get a log of their later ones).
        let mut log: Vec<Attempt> = match &row.attempt_log {
            Some(log) => from_json(log)?,
            None => Vec::new(),
        };
        // Every attempt has its own number (`start_attempt`): concurrent
        // ones are all kept, in the order they started.
        if !log.iter().any(|a| a.n == attempt.n) {
            log.push(attempt.clone());
            log.sort_by_key(|a| a.n);
        }
        let to_endpoint = row.url.is_none();
        let endpoint = if to_endpoint { self.endpoint()? } else { None };
        let (status, next_at, failures, delivered_at) = match (outcome, attempt.trigger) {
            (Outcome::Delivered, _) => ("delivered", None, row.failures, Some(now_ms)),
            // Another attempt delivered it meanwhile: this one is only recorded.
            _ if row.status() == DeliveryStatus::Delivered => {
                ("delivered", None, row.failures, row.delivered_at)
            }
            // Tests are sent once; a manual resend does not restart the schedule.
            (_, Trigger::Test) => ("failed", None, row.failures, row.delivered_at),
            (_, Trigger::Manual) => (
                row.status.as_str(),
                row.next_at.filter(|_| {
                    matches!(
                        row.status(),
                        DeliveryStatus::Pending | DeliveryStatus::Failing
                    )
                }),
                row.failures,
                row.delivered_at,
            ),
            (Outcome::Gone, Trigger::Auto) => ("failed", None, row.failures + 1, None),
            (Outcome::Failed { .. }, Trigger::Auto) => {
                let failures = row.failures + 1;
                match next_attempt(failures as u32, outcome, now_ms, jitter, scale) {
                    Next::RetryAt(at) => ("failing", Some(at), failures, None),
                    Next::GiveUp => ("failed", None, failures, None),
                }
            }
        };
        self.change_deliveries::<IgnoredAny>(
            "UPDATE {table} SET status = ?, next_at = ?, failures = ?, attempts = ?, delivered_at = ?,
                 attempt_log = ?, ordered = CASE WHEN ? = 'delivered' OR ? = 'failed' THEN 0 ELSE ordered END,
                 sending_until = NULL
             WHERE event_id = ?",
            vec![
                text(status),
                opt_int(next_at),
                int(failures),
                int(i64::from(attempt.n).max(row.attempts)),
                opt_int(delivered_at),
                text(to_json(&log)?),
                text(status),
                text(status),
                text(row.event_id.clone()),
            ],
        )?;
        // The endpoint's health: 410 stops it; five days of failures only, too.
        if let Some(mut e) = endpoint {
            match outcome {
                // Written only when it was failing: a success costs no row.
                Outcome::Delivered if e.failing_since.is_some() => {
                    e.failing_since = None;
                    self.put_endpoint(&e)?
                }
                Outcome::Delivered => {}
                Outcome::Gone => self.disable_endpoint(DisabledReason::Gone, now_ms)?,
                Outcome::Failed { .. } => {
                    let since = *e.failing_since.get_or_insert(now_ms);
                    if now_ms.since(since) >= scaled_ms(webhook::DISABLE_AFTER, scale) {
                        self.disable_endpoint(DisabledReason::Failing, now_ms)?;
                    } else {
                        self.put_endpoint(&e)?;
                    }
                }
            }
        }
        let unflag = (outcome == Outcome::Delivered && row.flagged != 0)
            .then(|| row.session_id.as_deref().and_then(|s| s.parse().ok()))
            .flatten();
        Ok(unflag)
    }

    /// One page of deliveries, newest first.
    pub fn deliveries(&self, query: &DeliveryQuery) -> Result<DeliveryPage> {
        let endpoint = self.endpoint()?;
        let status = query.status.map(|s| s.as_str());
        let kind = query.kind.map(|k| k.as_str());
        let session = query.session.as_ref().map(|s| s.as_str());
        let limit = query.limit;
        let rows: Vec<RowWithId> = self.rows(
            &format!(
                "SELECT row_id, {COLUMNS} FROM deliveries
                 WHERE (? IS NULL OR status = ?) AND (? IS NULL OR kind = ?)
                   AND (? IS NULL OR session_id = ?) AND (? IS NULL OR row_id < ?)
                 ORDER BY row_id DESC LIMIT ?"
            ),
            vec![
                opt_text(status),
                opt_text(status),
                opt_text(kind),
                opt_text(kind),
                opt_text(session),
                opt_text(session),
                opt_int(query.before),
                opt_int(query.before),
                int(probe(limit)),
            ],
        )?;
        let (rows, next_cursor) = paged(rows, limit, |r| r.row_id);
        let data = rows
            .iter()
            .map(|r| {
                r.row
                    .to_delivery(self.attempts_of(&r.row)?, false, endpoint.as_ref())
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(DeliveryPage { data, next_cursor })
    }

    /// One delivery with its bytes and attempts.
    pub fn delivery(&self, event_id: &str) -> Result<Option<Delivery>> {
        let endpoint = self.endpoint()?;
        match self.delivery_row(event_id)? {
            Some(row) => Ok(Some(row.to_delivery(
                self.attempts_of(&row)?,
                true,
                endpoint.as_ref(),
            )?)),
            None => Ok(None),
        }
    }

    /// Queues every failed delivery created since `since_ms` again, schedule
    /// afresh. One-time deliveries that once succeeded never go again.
    pub fn recover(&self, since_ms: UnixMillis, now_ms: UnixMillis) -> Result<u32> {
        let n = self.count(
            "SELECT COUNT(*) AS n FROM deliveries WHERE status = 'failed' AND created_at >= ?",
            vec![int(since_ms)],
        )?;
        self.change_deliveries::<IgnoredAny>(
            "UPDATE {table} SET status = 'pending', next_at = ?, failures = 0
             WHERE status = 'failed' AND created_at >= ?",
            vec![int(now_ms), int(since_ms)],
        )?;
        Ok(n.max(0) as u32)
    }
}

#[derive(Deserialize)]
struct RowWithId {
    row_id: i64,
    #[serde(flatten)]
    row: Row,
}

/// The first attempt of a delivery just queued, as its row was read: started
/// when it was inserted (numbered 1, leased), so nothing is written or read
/// again. It does not go if it is one-time and another send delivered it
/// meanwhile.
pub fn first_attempt(row: Row) -> Start {
    if row.one_time != 0 && row.status == DeliveryStatus::Delivered.as_str() {
        return Start::Refused(Refusal::DeliveredOnce);
    }
    Start::Go(Box::new(row), 1)
}

/// The URL a delivery goes to: its session's own, or the endpoint's.
pub fn url_of(row: &Row, endpoint: Option<&Endpoint>) -> Option<String> {
    row.url.clone().or_else(|| endpoint.map(|e| e.url.clone()))
}

/// A due delivery whose endpoint has gone (deleted): it waits, held.
pub fn hold(db: &Db, row: &Row) -> Result<()> {
    db.change_deliveries::<IgnoredAny>(
        "UPDATE {table} SET status = 'held', next_at = NULL WHERE event_id = ?",
        vec![text(row.event_id.clone())],
    )?;
    Ok(())
}
