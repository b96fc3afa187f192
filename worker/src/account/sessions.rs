//! The sessions table: each session's record, state and events in one row,
//! and what is read from it (a session by id or payment id, listings, the
//! dashboard's filtered summaries and overview figures).
//!
//! A row is written when its session is opened and again when it changes, in
//! the same atomic step as its events, wallet bookings and webhooks
//! (`engine.rs`). Its events are a JSON array in the row: a paid session costs
//! no event rows of its own.
//!
//! Paid totals are kept per UTC day and currency in `daily`, rolled up from
//! the ended sessions as the pending floor moves (`listing.rs`), so that the
//! overview never sums a month of rows and a payment writes no totals row.
//! Amounts are exact decimal text.
//!
//! Sessions made before sessions lived here are in KV. They arrive two ways,
//! each at most once: a request that names one brings its KV record along
//! (`SessionRef::moving`), and the dashboard's import walks the owner's KV
//! index a page at a time (`dashboard/backfill.rs`). Their rows carry
//! `legacy = 1` (their ids hold no payment id) and negative rowids in creation
//! order, so that they list after every session made here.

use checkout_api::dashboard::SessionSummary;
use checkout_core::event::Event;
use checkout_core::ids::SessionId;
use checkout_core::session::{Session, State};
use checkout_core::time::UnixSeconds;
use checkout_core::PaymentId;
use serde::Deserialize;

use super::db::{fail, from_json, int, opt_text, text, to_json, Db, Result};

mod listing;
mod payment_ids;

pub use listing::summary;

use super::protocol::{Backfill, SessionRead, SessionRef, Stored};
use listing::open_states;

/// A session's row.
#[derive(Debug, Clone)]
pub struct Row {
    pub rowid: i64,
    pub stored: Stored,
    /// Everything that happened to the session, oldest first.
    pub events: Vec<Event>,
    /// Its paid notification is still undelivered after 15 minutes.
    pub flagged: bool,
}

impl Row {
    pub fn read(&self) -> SessionRead {
        SessionRead {
            session: self.stored.session.clone(),
            merchant_name: self.stored.merchant_name.clone(),
            notification_failing: self.flagged && self.stored.session.state == State::Paid,
            brand: None,
        }
    }

    /// Adds the events it does not have yet (by id); the ids of those added.
    pub fn add_events(&mut self, events: &[Event]) -> Vec<String> {
        let mut fresh = Vec::new();
        for e in events {
            if !self.events.iter().any(|have| have.id == e.id) {
                self.events.push(e.clone());
                fresh.push(e.id.clone());
            }
        }
        fresh
    }

    /// An event's place among the session's events (1 for the first): the
    /// `sequence` its webhook carries.
    pub fn sequence_of(&self, event_id: &str) -> i64 {
        self.events
            .iter()
            .position(|e| e.id == event_id)
            .map_or(0, |i| i as i64 + 1)
    }
}

#[derive(Deserialize)]
struct RowData {
    row_id: i64,
    id: String,
    record: Option<String>,
    summary: Option<String>,
    events: String,
    flagged: i64,
}

const ROW: &str = "rowid AS row_id, id, record, summary, events, flagged";

#[derive(Deserialize)]
struct StateRow {
    state: String,
}

/// What a listing row is: a session here, or a summary whose record is in KV.
#[allow(clippy::large_enum_variant)] // read one at a time
enum Entry {
    Here(Row),
    Summary(SessionSummary, bool),
}

fn entry(r: RowData) -> Result<Entry> {
    let events = from_json(&r.events)?;
    match (r.record, r.summary) {
        (Some(record), _) => Ok(Entry::Here(Row {
            rowid: r.row_id,
            stored: from_json(&record)?,
            events,
            flagged: r.flagged != 0,
        })),
        (None, Some(summary)) => Ok(Entry::Summary(from_json(&summary)?, r.flagged != 0)),
        (None, None) => Err(fail(format!(
            "session {} has neither record nor summary",
            r.id
        ))),
    }
}

/// Where a session imported from KV goes: below every session made here, in
/// creation order (1,048,576 places per second of creation).
fn imported_rowid_base(created_at: UnixSeconds) -> i64 {
    (created_at.0.clamp(0, 3_999_999_999) - 4_000_000_000) * 1_048_576
}

fn alias_of(s: &Session) -> Option<String> {
    s.public_order_id
        .as_ref()
        .map(|a| a.to_string())
        .or_else(|| s.link_id.as_ref().map(|a| a.to_string()))
}

impl Db {
    fn row_where(
        &self,
        clause: &str,
        bindings: Vec<worker::SqlStorageValue>,
    ) -> Result<Option<Entry>> {
        self.rows::<RowData>(
            &format!("SELECT {ROW} FROM sessions WHERE {clause}"),
            bindings,
        )?
        .into_iter()
        .next()
        .map(entry)
        .transpose()
    }

    /// A session's row, by its id (a routed id carries its payment id; a
    /// legacy one is found by its own index). A legacy row whose record is
    /// still in KV counts as absent.
    pub fn session(&self, id: &SessionId) -> Result<Option<Row>> {
        let found = match id.payment_id() {
            Some(payment_id) => self.row_of_payment(&payment_id, Some(id))?,
            None => self.row_where("legacy = 1 AND id = ?", vec![text(id.as_str())])?,
        };
        Ok(match found {
            Some(Entry::Here(row)) => Some(row),
            _ => None,
        })
    }

    /// The row of the session a command names, moving a legacy session's KV
    /// record in if the table lacks it.
    pub fn session_at(&self, at: &SessionRef, now: UnixSeconds) -> Result<Option<Row>> {
        if let Some(row) = self.session(&at.id)? {
            return Ok(Some(row));
        }
        match &at.moving {
            Some(moving) if moving.session.id == at.id => {
                self.import(moving, now)?;
                self.session(&at.id)
            }
            _ => Ok(None),
        }
    }

    /// Inserts a session's row at `rowid` (`numbered`: the session's number,
    /// see [`Db::next_session_id`]); `false` when the table has that row or
    /// its payment id already.
    fn insert_row(
        &self,
        rowid: i64,
        numbered: bool,
        legacy: bool,
        stored: &Stored,
        events: &[Event],
        now: UnixSeconds,
    ) -> Result<bool> {
        let s = &stored.session;
        let inserted: Vec<super::db::CountRow> = self.rows(
            "INSERT INTO sessions (rowid, id, payment_id, dialect, state, created_at, expires_at,
                                   order_id, alias, legacy, record, events, attention, numbered)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT DO NOTHING RETURNING 1 AS n",
            vec![
                int(rowid),
                text(s.id.as_str()),
                text(s.payment_string.payment_id().as_str()),
                text(s.dialect.as_str()),
                text(s.state.as_str()),
                int(s.created_at),
                int(s.expires_at),
                opt_text(s.order_id.clone()),
                opt_text(alias_of(s)),
                int(i64::from(legacy)),
                text(to_json(stored)?),
                text(to_json(&events)?),
                int(i64::from(s.needs_attention(now))),
                int(i64::from(numbered)),
            ],
        )?;
        Ok(!inserted.is_empty())
    }

    /// Stores a new session, numbered `number` ([`Db::next_session_id`]),
    /// with its first events; `false` when that number is taken.
    pub fn insert_session(
        &self,
        number: i64,
        stored: &Stored,
        events: &[Event],
        now: UnixSeconds,
    ) -> Result<bool> {
        if !self.insert_row(number, true, false, stored, events, now)? {
            return Ok(false);
        }
        let s = &stored.session;
        if s.state == State::Paid {
            self.count_paid(number, s, now)?;
        }
        Ok(true)
    }

    /// Writes a session's row after a step: its record, state and events; the
    /// day's paid totals the first time it is paid.
    pub fn write_session(&self, row: &Row, was: State, now: UnixSeconds) -> Result<()> {
        let s = &row.stored.session;
        self.exec(
            "UPDATE sessions SET state = ?, record = ?, events = ?, attention = ? WHERE rowid = ?",
            vec![
                text(s.state.as_str()),
                text(to_json(&row.stored)?),
                text(to_json(&row.events)?),
                int(i64::from(s.needs_attention(now))),
                int(row.rowid),
            ],
        )?;
        if s.state == State::Paid && was != State::Paid {
            self.count_paid(row.rowid, s, s.updated_at.min(now))?;
        }
        Ok(())
    }

    /// Sets or clears the flag of a paid session whose notification fails.
    pub fn flag_session(&self, id: &SessionId, flagged: bool) -> Result<()> {
        self.exec(
            "UPDATE sessions SET flagged = ? WHERE id = ? AND flagged != ?",
            vec![
                int(i64::from(flagged)),
                text(id.as_str()),
                int(i64::from(flagged)),
            ],
        )
    }

    /// Moves a session from KV into the table (once): a row it has with a
    /// record is newer and stays; a summary-only row gets its record. Its
    /// events recorded before the move (the old events table) come along.
    /// True when the table did not have the record.
    pub fn import(&self, stored: &Stored, now: UnixSeconds) -> Result<bool> {
        let s = &stored.session;
        let legacy_events: Vec<super::db::BodyRow> = self.rows(
            "SELECT body FROM events WHERE session_id = ? ORDER BY created_at, rowid",
            vec![text(s.id.as_str())],
        )?;
        let events = legacy_events
            .iter()
            .map(|r| from_json::<Event>(&r.body))
            .collect::<Result<Vec<_>>>()?;
        let stored_state: Option<State> = self
            .rows::<StateRow>(
                "SELECT state FROM sessions WHERE legacy = 1 AND id = ?",
                vec![text(s.id.as_str())],
            )?
            .first()
            .map(|r| State::from_wire(&r.state).ok_or_else(|| fail("stored session state")))
            .transpose()?;
        match stored_state {
            Some(was) => {
                let updated: Vec<super::db::CountRow> = self.rows(
                    "UPDATE sessions SET state = ?, record = ?, events = ?, summary = NULL,
                         attention = ?
                     WHERE legacy = 1 AND id = ? AND record IS NULL RETURNING rowid AS n",
                    vec![
                        text(s.state.as_str()),
                        text(to_json(stored)?),
                        text(to_json(&events)?),
                        int(i64::from(s.needs_attention(now))),
                        text(s.id.as_str()),
                    ],
                )?;
                if let Some(row) = updated.first() {
                    if s.state == State::Paid && was != State::Paid {
                        self.count_paid(row.n, s, s.updated_at)?;
                    }
                }
                Ok(!updated.is_empty())
            }
            None => {
                let base = imported_rowid_base(s.created_at);
                let rowid = self.count(
                    "SELECT COALESCE(MAX(rowid) + 1, ?) AS n FROM sessions WHERE rowid >= ? AND rowid < ?",
                    vec![int(base), int(base), int(base + 1_048_576)],
                )?;
                let inserted = self.insert_row(rowid, false, true, stored, &events, now)?;
                if inserted && s.state == State::Paid {
                    self.count_paid(rowid, s, s.updated_at.min(now))?;
                }
                if inserted && s.state.is_open() {
                    // The alarm's scan must see it.
                    self.lower_pending_floor(rowid)?;
                }
                Ok(inserted)
            }
        }
    }

    /// How far the import of older sessions has got.
    pub fn backfill(&self) -> Result<Backfill> {
        #[derive(Deserialize)]
        struct BackfillRow {
            cursor: Option<String>,
            done: i64,
        }
        let row: Option<BackfillRow> = self
            .rows("SELECT cursor, done FROM backfill", vec![])?
            .into_iter()
            .next();
        Ok(match row {
            None => Backfill::From(None),
            Some(r) if r.done != 0 => Backfill::Done,
            Some(r) => Backfill::From(r.cursor),
        })
    }

    /// Imports a page of older sessions (those the table lacks), then keeps
    /// `next` as where the import goes on (`None`: finished).
    pub fn import_sessions(
        &self,
        sessions: Vec<Stored>,
        next: Option<&str>,
        now: UnixSeconds,
    ) -> Result<u32> {
        let mut added = 0;
        for stored in &sessions {
            if self.import(stored, now)? {
                added += 1;
            }
        }
        self.exec(
            "INSERT INTO backfill (id, cursor, done) VALUES (1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor, done = excluded.done",
            vec![
                opt_text(next.map(str::to_owned)),
                int(i64::from(next.is_none())),
            ],
        )?;
        Ok(added)
    }

    /// Dev only: forgets the sessions imported from KV, their totals and the
    /// import, as an object made before the table existed. Answers how many
    /// sessions it forgot.
    pub fn forget_sessions(&self) -> Result<i64> {
        let n = self.count(
            "SELECT COUNT(*) AS n FROM sessions WHERE legacy = 1",
            vec![],
        )?;
        for statement in [
            "DELETE FROM sessions WHERE legacy = 1",
            "DELETE FROM daily",
            "DELETE FROM backfill",
        ] {
            self.exec(statement, vec![])?;
        }
        Ok(n)
    }

    /// Dev only: the sessions table as the version before numbering made it
    /// (see [`UnnumberSessions`](super::protocol::UnnumberSessions)).
    pub fn unnumber_sessions(&self) -> Result<i64> {
        for statement in [
            "DROP INDEX IF EXISTS sessions_by_drawn_payment",
            "ALTER TABLE sessions DROP COLUMN numbered",
            "CREATE UNIQUE INDEX sessions_by_payment ON sessions (payment_id)",
        ] {
            self.exec(statement, vec![])?;
        }
        self.count("SELECT COUNT(*) AS n FROM sessions", vec![])
    }

    /// The lowest rowid of a session that may still be pending: every
    /// session below it has ended. Kept by the alarm (`engine.rs`).
    pub fn pending_floor(&self) -> Result<i64> {
        match self.meta(super::db::Meta::PendingFloor)? {
            Some(floor) => Ok(floor),
            None => Ok(self.count("SELECT COALESCE(MIN(rowid), 0) AS n FROM sessions", vec![])?),
        }
    }

    fn lower_pending_floor(&self, rowid: i64) -> Result<()> {
        if self.pending_floor()? > rowid {
            self.set_meta(super::db::Meta::PendingFloor, Some(rowid))?;
        }
        Ok(())
    }

    /// Pending sessions from the floor up: those due to expire at `now`, and
    /// the earliest expiry of the rest. With `move_floor` (the alarm, the
    /// sweep), the floor moves up past every session that has ended: a row
    /// written at most once a run, not once a session.
    pub fn pending_scan(
        &self,
        now: UnixSeconds,
        move_floor: bool,
    ) -> Result<(Vec<Row>, Option<UnixSeconds>)> {
        #[derive(Deserialize)]
        struct Pending {
            row_id: i64,
            expires_at: UnixSeconds,
            state: String,
        }
        let floor = self.pending_floor()?;
        let rows: Vec<Pending> = self.rows(
            "SELECT rowid AS row_id, expires_at, state FROM sessions
             WHERE rowid >= ? AND record IS NOT NULL ORDER BY rowid",
            vec![int(floor)],
        )?;
        let mut due = Vec::new();
        let mut next: Option<UnixSeconds> = None;
        let mut new_floor: Option<i64> = None;
        for r in &rows {
            if !State::from_wire(&r.state).is_some_and(State::is_open) {
                continue;
            }
            if r.expires_at <= now {
                if let Some(Entry::Here(row)) = self.row_where("rowid = ?", vec![int(r.row_id)])? {
                    due.push(row);
                }
                new_floor.get_or_insert(r.row_id);
            } else {
                next = Some(next.map_or(r.expires_at, |n| n.min(r.expires_at)));
                new_floor.get_or_insert(r.row_id);
            }
        }
        let top = rows.last().map_or(floor, |r| r.row_id + 1);
        let new_floor = new_floor.unwrap_or(top);
        if move_floor {
            // The paid totals follow the floor (listing.rs): with it, one row.
            let mut moved = self.roll_up(new_floor, now)?;
            if self.meta(super::db::Meta::PendingFloor)? != Some(new_floor) {
                moved.push((super::db::Meta::PendingFloor, Some(new_floor)));
            }
            self.set_metas(&moved)?;
        }
        Ok((due, next))
    }

    /// Open sessions (for the cron's ETN polls): their ids and the payment id
    /// they wait on (a partially paid one's remainder), soonest expiry first.
    pub fn pending(&self, now: UnixSeconds, limit: u32) -> Result<Vec<(SessionId, PaymentId)>> {
        #[derive(Deserialize)]
        struct Pending {
            id: String,
            payment_id: String,
            /// Only a partially paid session's: its remainder's id is in it.
            record: Option<String>,
        }
        let floor = self.pending_floor()?;
        let rows: Vec<Pending> = self.rows(
            &format!(
                "SELECT id, payment_id, CASE WHEN state = 'pending' THEN NULL ELSE record END AS record
                 FROM sessions
                 WHERE rowid >= ? AND state IN ({}) AND expires_at > ? AND record IS NOT NULL
                 ORDER BY expires_at LIMIT ?",
                open_states()
            ),
            vec![int(floor), int(now), int(i64::from(limit))],
        )?;
        let mut open = Vec::with_capacity(rows.len());
        for r in rows {
            let waits_on = match &r.record {
                Some(record) => from_json::<Stored>(record)?
                    .session
                    .payment_string
                    .payment_id(),
                None => r
                    .payment_id
                    .parse()
                    .map_err(|_| fail("stored sessions.payment_id"))?,
            };
            let id = r.id.parse().map_err(|_| fail("stored sessions.id"))?;
            open.push((id, waits_on));
        }
        Ok(open)
    }
}

/// A listing entry of [`Db::records`].
pub use super::protocol::Listed;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imported_sessions_list_below_every_new_one_in_creation_order() {
        let (a, b) = (
            imported_rowid_base(UnixSeconds(1_700_000_000)),
            imported_rowid_base(UnixSeconds(1_700_000_001)),
        );
        assert!(a < b && b + 1_048_575 < 0, "{a} {b}");
    }
}
