//! The account object's SQLite tables: their one definition, their migration,
//! and the helpers every table module uses (`sessions.rs`, `wallets.rs`,
//! `outbox.rs`, `endpoint.rs`, `keys.rs`, `signins.rs`).
//!
//! Every method is synchronous: a command's SQL runs with no `await` in between,
//! so it is one atomic step (no other request to the object interleaves, and a
//! crash leaves all of it or none).
//!
//! The free plan allows 100,000 SQLite rows written a day, and an index entry
//! counts as a row: tables are shaped so that a paid session writes few. A
//! session's events live in its own row (written anyway when it changes), its
//! first payment id is drawn with its id (one index finds it by either), and
//! lookups that only some sessions need (Idempotency-Keys, order ids) are
//! tables of their own without a rowid (one row each).

use std::cell::{Cell, OnceCell};

use checkout_core::ids::{Home, IdKey, MerchantId, Numbering};
use checkout_core::session::Mode;
use checkout_core::time::{UnixMillis, UnixSeconds};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::{SqlStorage, SqlStorageValue};

use super::protocol::Failure;

/// The tables of an object made by this version. Amounts are decimal text,
/// never floats; instants are unix ms in the outbox (`deliveries`, and the
/// JSON of `endpoint` and `secrets`) and in `meta`'s `due_marked` and
/// `last_check_ms`, unix seconds elsewhere (as in core): the Rust side holds
/// each as `UnixMillis` or `UnixSeconds`, which bind and read as that integer.
const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        merchant TEXT NOT NULL,
        mode TEXT NOT NULL,
        due_marked INTEGER,
        -- The lowest rowid of a session that may still be pending (alarm.rs).
        pending_floor INTEGER,
        -- Whether this owner had sessions in KV before they moved here (1),
        -- checked once (NULL: not yet).
        legacy_kv INTEGER,
        -- The last /vendor/check-payment call (unix ms): one a second.
        last_check_ms INTEGER,
        -- The lowest rowid of a delivery whose first attempt may be in
        -- flight (outbox.rs).
        sending_floor INTEGER,
        -- Paid sessions below this rowid are counted in daily; those at or
        -- above it are added up as the overview reads (sessions/listing.rs).
        -- NULL: 1.
        rolled_floor INTEGER,
        -- When the totals were last rolled up (unix seconds).
        rolled_at INTEGER)",
    // One row per session (sessions.rs). The rowid is the order of creation;
    // sessions imported from KV get negative rowids in the order they were
    // created, so that they list after every session made here. `numbered`
    // 1: the rowid is the session's number and its payment id that number's
    // (core's ids::Numbering), found without an index; 0: a payment id drawn
    // at random (sessions made before numbering, and those imported from
    // KV), found by sessions_by_drawn_payment. (No SQL comment on that last
    // column: SQLite's DROP COLUMN, which the dev route that undoes
    // numbering runs, trips over one.)
    "CREATE TABLE IF NOT EXISTS sessions (
        id TEXT NOT NULL,
        payment_id TEXT NOT NULL,
        dialect TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        order_id TEXT,
        alias TEXT,
        legacy INTEGER NOT NULL DEFAULT 0,
        record TEXT,
        summary TEXT,
        events TEXT NOT NULL DEFAULT '[]',
        flagged INTEGER NOT NULL DEFAULT 0,
        -- The merchant has something to look at (core's
        -- Session::needs_attention): the dashboard's Needs attention page.
        attention INTEGER NOT NULL DEFAULT 0,
        numbered INTEGER NOT NULL DEFAULT 0)",
    "CREATE UNIQUE INDEX IF NOT EXISTS sessions_by_drawn_payment ON sessions (payment_id)
        WHERE numbered = 0",
    // Only the few sessions that need attention are in this index.
    "CREATE INDEX IF NOT EXISTS sessions_attention ON sessions (created_at) WHERE attention = 1",
    // The payment ids of what was left to pay after a partial payment (the
    // first one is the session's own, in its row).
    "CREATE TABLE IF NOT EXISTS payment_ids (
        payment_id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL) WITHOUT ROWID",
    // The merchant's payment policy in this mode (core's PaymentPolicy).
    "CREATE TABLE IF NOT EXISTS policy (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL)",
    // The merchant's brand on the hosted checkout (brand.rs).
    "CREATE TABLE IF NOT EXISTS brand (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL)",
    // An uploaded logo: its media type and its bytes, base64.
    "CREATE TABLE IF NOT EXISTS logo (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        content_type TEXT NOT NULL,
        body TEXT NOT NULL)",
    // Ids made before sessions lived here carry no payment id to find them by.
    "CREATE INDEX IF NOT EXISTS sessions_by_legacy_id ON sessions (id) WHERE legacy = 1",
    "CREATE TABLE IF NOT EXISTS idempotency (
        hash TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        created_at INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS orders (
        hash TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        created_at INTEGER NOT NULL) WITHOUT ROWID",
    // Payments that matched no session, and payments a session no longer took.
    "CREATE TABLE IF NOT EXISTS unmatched (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        body TEXT NOT NULL) WITHOUT ROWID",
    // Events of sessions recorded before they moved here (read, never written).
    "CREATE TABLE IF NOT EXISTS events (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        session_id TEXT,
        created_at INTEGER NOT NULL,
        body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS events_by_session ON events (session_id)",
    "CREATE TABLE IF NOT EXISTS wallets (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL,
        currency TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        balance TEXT NOT NULL,
        UNIQUE (user_id, currency))",
    "CREATE TABLE IF NOT EXISTS ledger (
        id TEXT PRIMARY KEY,
        wallet_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        amount TEXT NOT NULL,
        requested TEXT NOT NULL,
        created_at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ledger_by_wallet ON ledger (wallet_id, session_id)",
    "CREATE TABLE IF NOT EXISTS endpoint (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS secrets (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS deliveries (
        event_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        session_id TEXT,
        sequence INTEGER NOT NULL,
        url TEXT,
        body TEXT NOT NULL,
        one_time INTEGER NOT NULL,
        status TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER,
        ordered INTEGER NOT NULL DEFAULT 0,
        flag_at INTEGER,
        flagged INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        attempt_log TEXT,
        sending_until INTEGER)",
    // Only what is still to be sent: a delivered webhook leaves the index.
    "CREATE INDEX IF NOT EXISTS deliveries_next ON deliveries (next_at) WHERE next_at IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS deliveries_held ON deliveries (created_at) WHERE status = 'held'",
    "CREATE TABLE IF NOT EXISTS attempts (
        event_id TEXT NOT NULL,
        n INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (event_id, n)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS daily (
        day INTEGER NOT NULL,
        currency TEXT NOT NULL,
        paid INTEGER NOT NULL,
        total TEXT NOT NULL,
        PRIMARY KEY (day, currency)) WITHOUT ROWID",
    // How far the import of sessions from KV has got (sessions.rs): no row,
    // not begun; `done` 1, finished.
    "CREATE TABLE IF NOT EXISTS backfill (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        cursor TEXT,
        done INTEGER NOT NULL)",
    // The merchant's API keys in this mode (keys.rs).
    "CREATE TABLE IF NOT EXISTS keys (
        id TEXT PRIMARY KEY,
        preview TEXT NOT NULL,
        hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER)",
    // When each key was last used (unix seconds), noted at most hourly.
    "CREATE TABLE IF NOT EXISTS key_use (
        hash TEXT PRIMARY KEY,
        used_at INTEGER NOT NULL) WITHOUT ROWID",
    // Dashboard sign-in links already used (signins.rs).
    "CREATE TABLE IF NOT EXISTS signins (
        hash TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL)",
    // Signed-in dashboards, by the hash of their cookie (signins.rs).
    "CREATE TABLE IF NOT EXISTS dashboard_sessions (
        hash TEXT PRIMARY KEY,
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        id TEXT NOT NULL DEFAULT '',
        key_id TEXT,
        last_seen_at INTEGER NOT NULL DEFAULT 0)",
];

/// Objects made before sessions moved here kept a summary of each session
/// (its record was in KV): that table becomes the new one, each row marked
/// legacy with its record still to come from KV, listed in creation order
/// below every session made here. Indexes the new shape no longer needs go.
const MIGRATE_V1: &[&str] = &[
    "ALTER TABLE sessions RENAME TO sessions_v1",
    "DROP INDEX IF EXISTS sessions_by_state",
    "DROP INDEX IF EXISTS sessions_by_order",
    "DROP INDEX IF EXISTS sessions_by_payment",
    "DROP INDEX IF EXISTS sessions_by_alias",
    "DROP INDEX IF EXISTS sessions_by_created",
    "DROP INDEX IF EXISTS deliveries_due",
    "DROP INDEX IF EXISTS deliveries_by_status",
    "DROP INDEX IF EXISTS deliveries_by_session",
    "DROP INDEX IF EXISTS events_by_kind",
];

/// Copies the v1 summaries into the new table (after [`SCHEMA`] made it).
const COPY_V1: &[&str] = &[
    "INSERT INTO sessions (rowid, id, payment_id, dialect, state, created_at, expires_at,
                           order_id, alias, legacy, record, summary, events, flagged)
     SELECT (created_at - 4000000000) * 1048576 + (rowid % 1048576), id, payment_id, dialect,
            state, created_at, expires_at, order_id, alias, 1, NULL, body, '[]',
            EXISTS (SELECT 1 FROM deliveries d WHERE d.session_id = s.id AND d.flagged = 1
                    AND d.status != 'delivered')
     FROM sessions_v1 s",
    "DROP TABLE sessions_v1",
];

pub type Result<T> = std::result::Result<T, Failure>;

/// A broken invariant or stored data that does not read back: a bug.
pub fn fail(message: impl Into<String>) -> Failure {
    Failure::bug(message)
}

pub fn text(value: impl Into<String>) -> SqlStorageValue {
    SqlStorageValue::String(value.into())
}

/// What binds as an SQL integer: a count, or an instant as the integer it
/// holds, in its own unit (the column's: see [`SCHEMA`]), exactly as before
/// instants had types.
pub trait Integer {
    fn integer(self) -> i64;
}

impl Integer for i64 {
    fn integer(self) -> i64 {
        self
    }
}

impl Integer for UnixSeconds {
    fn integer(self) -> i64 {
        self.0
    }
}

impl Integer for UnixMillis {
    fn integer(self) -> i64 {
        self.0
    }
}

/// An integer for SQL. Workers hand bindings to SQLite as JavaScript numbers:
/// past 2^53 they would silently round, so a statement with such a binding is
/// refused before it runs (`checked`; the wire refuses them before that, see
/// `checkout_core::validate::MAX_SAFE_INTEGER`).
pub fn int(value: impl Integer) -> SqlStorageValue {
    SqlStorageValue::Integer(value.integer())
}

pub fn opt_text(value: Option<impl Into<String>>) -> SqlStorageValue {
    value.map_or(SqlStorageValue::Null, text)
}

pub fn opt_int<T: Integer>(value: Option<T>) -> SqlStorageValue {
    value.map_or(SqlStorageValue::Null, int)
}

use checkout_core::validate::MAX_SAFE_INTEGER as JS_SAFE;

fn checked(bindings: &[SqlStorageValue]) -> Result<()> {
    for b in bindings {
        if let SqlStorageValue::Integer(i) = b {
            if !(-JS_SAFE..=JS_SAFE).contains(i) {
                return Err(fail(format!("{i} does not fit a JavaScript number")));
            }
        }
    }
    Ok(())
}

pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| fail(e.to_string()))
}

pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| fail(format!("stored JSON: {e}")))
}

#[derive(Deserialize)]
pub struct BodyRow {
    pub body: String,
}

#[derive(Deserialize)]
pub struct CountRow {
    pub n: i64,
}

/// The object's SQL, and how many rows it wrote (for the budget bench).
pub struct Db {
    sql: SqlStorage,
    written: Cell<u64>,
    /// The deployment's id key, from which the session numbering is derived.
    id_key: Option<IdKey>,
    numbering: OnceCell<Numbering>,
}

impl Db {
    pub fn new(sql: SqlStorage, id_key: Option<IdKey>) -> Db {
        Db {
            sql,
            written: Cell::new(0),
            id_key,
            numbering: OnceCell::new(),
        }
    }

    /// How this account's sessions are numbered (their payment ids are their
    /// numbers, permuted: see `sessions.rs`).
    pub fn numbering(&self) -> Result<&Numbering> {
        if let Some(numbering) = self.numbering.get() {
            return Ok(numbering);
        }
        let key = self.id_key.as_ref().ok_or_else(|| {
            Failure::Unavailable("SECRETS_KEY is not set: sessions cannot be numbered".into())
        })?;
        let (merchant, mode) = self.owner()?;
        Ok(self
            .numbering
            .get_or_init(|| Numbering::new(key, &Home { merchant, mode })))
    }

    /// Whether this object has ever stored anything (its tables exist).
    pub fn exists(&self) -> Result<bool> {
        Ok(self.count(
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
            vec![],
        )? > 0)
    }

    /// Creates the tables, or brings an older object's up to date.
    pub fn migrate(&self) -> Result<()> {
        #[derive(Deserialize)]
        struct Sql {
            sql: String,
        }
        let sessions: Vec<Sql> = self.rows(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sessions'",
            vec![],
        )?;
        let v1 = sessions.first().is_some_and(|t| !t.sql.contains("record"));
        if v1 {
            for statement in MIGRATE_V1 {
                self.exec(statement, vec![])?;
            }
        }
        // A column the sessions table gained since schema v2 (before the
        // schema's index on it is made).
        if sessions
            .first()
            .is_some_and(|t| !v1 && !t.sql.contains("attention"))
        {
            self.exec(
                "ALTER TABLE sessions ADD COLUMN attention INTEGER NOT NULL DEFAULT 0",
                vec![],
            )?;
        }
        // Numbered sessions (schema v4) need no index of their payment ids:
        // the rows before them keep theirs, in a partial index.
        if sessions
            .first()
            .is_some_and(|t| !v1 && !t.sql.contains("numbered"))
        {
            for statement in [
                "ALTER TABLE sessions ADD COLUMN numbered INTEGER NOT NULL DEFAULT 0",
                "DROP INDEX IF EXISTS sessions_by_payment",
            ] {
                self.exec(statement, vec![])?;
            }
        }
        for statement in SCHEMA {
            self.exec(statement, vec![])?;
        }
        // Columns the meta row gained since the first version.
        let meta: Vec<Sql> = self.rows(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
            vec![],
        )?;
        for column in [
            Meta::PendingFloor,
            Meta::LegacyKv,
            Meta::LastCheck,
            Meta::SendingFloor,
            Meta::RolledFloor,
            Meta::RolledAt,
        ] {
            if meta.first().is_some_and(|t| !t.sql.contains(column.name())) {
                self.exec(
                    &format!("ALTER TABLE meta ADD COLUMN {} INTEGER", column.name()),
                    vec![],
                )?;
                if matches!(column, Meta::RolledFloor) {
                    // Every session so far was counted in daily when paid.
                    self.exec(
                        "UPDATE meta SET rolled_floor = (SELECT MAX(COALESCE(MAX(rowid), 0), 0) + 1
                                                         FROM sessions)",
                        vec![],
                    )?;
                }
            }
        }
        let deliveries: Vec<Sql> = self.rows(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'deliveries'",
            vec![],
        )?;
        for (column, declaration) in [("attempt_log", "TEXT"), ("sending_until", "INTEGER")] {
            if deliveries.first().is_some_and(|t| !t.sql.contains(column)) {
                self.exec(
                    &format!("ALTER TABLE deliveries ADD COLUMN {column} {declaration}"),
                    vec![],
                )?;
            }
        }
        // Sign-ins gained an id, their key and when they were last seen: one
        // from before has no key (it ends with "end all").
        let signed_in: Vec<Sql> = self.rows(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'dashboard_sessions'",
            vec![],
        )?;
        if signed_in
            .first()
            .is_some_and(|t| !t.sql.contains("last_seen_at"))
        {
            for statement in [
                "ALTER TABLE dashboard_sessions ADD COLUMN id TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE dashboard_sessions ADD COLUMN key_id TEXT",
                "ALTER TABLE dashboard_sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0",
                "UPDATE dashboard_sessions SET id = 'si_' || substr(hash, 1, 16), last_seen_at = created_at",
            ] {
                self.exec(statement, vec![])?;
            }
        }
        if v1 {
            for statement in COPY_V1 {
                self.exec(statement, vec![])?;
            }
        }
        Ok(())
    }

    pub fn rows<T: DeserializeOwned>(
        &self,
        query: &str,
        bindings: Vec<SqlStorageValue>,
    ) -> Result<Vec<T>> {
        checked(&bindings)?;
        let cursor = self.sql.exec(query, bindings)?;
        let rows = cursor
            .to_array()
            .map_err(|e| fail(format!("a row does not read back: {e}")))?;
        self.note(cursor.rows_written());
        Ok(rows)
    }

    pub fn exec(&self, query: &str, bindings: Vec<SqlStorageValue>) -> Result<()> {
        checked(&bindings)?;
        let cursor = self.sql.exec(query, bindings)?;
        for row in cursor.raw() {
            row?;
        }
        self.note(cursor.rows_written());
        Ok(())
    }

    pub fn count(&self, query: &str, bindings: Vec<SqlStorageValue>) -> Result<i64> {
        Ok(self
            .rows::<CountRow>(query, bindings)?
            .first()
            .map_or(0, |r| r.n))
    }

    fn note(&self, rows: usize) {
        self.written.set(self.written.get() + rows as u64);
        crate::usage::add(crate::usage::Resource::RowsWritten, rows as u64);
    }

    /// Rows written through this handle so far.
    pub fn written(&self) -> u64 {
        self.written.get()
    }

    /// Remembers whose object this is (its alarm has no request to say so).
    pub fn remember_owner(&self, merchant: &MerchantId, mode: Mode) -> Result<()> {
        self.exec(
            "INSERT INTO meta (id, merchant, mode) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING",
            vec![text(merchant.as_str()), text(mode.as_str())],
        )
    }

    /// Whose object this is.
    pub fn owner(&self) -> Result<(MerchantId, Mode)> {
        #[derive(Deserialize)]
        struct Meta {
            merchant: String,
            mode: String,
        }
        let rows: Vec<Meta> = self.rows("SELECT merchant, mode FROM meta WHERE id = 1", vec![])?;
        let meta = rows
            .first()
            .ok_or_else(|| fail("the account does not know its owner"))?;
        let merchant = meta
            .merchant
            .parse()
            .map_err(|_| fail("stored merchant id"))?;
        let mode = Mode::from_wire(&meta.mode).ok_or_else(|| fail("stored mode"))?;
        Ok((merchant, mode))
    }

    /// An integer of the meta row.
    pub fn meta(&self, column: Meta) -> Result<Option<i64>> {
        #[derive(Deserialize)]
        struct Value {
            v: Option<i64>,
        }
        let rows: Vec<Value> = self.rows(
            &format!("SELECT {} AS v FROM meta WHERE id = 1", column.name()),
            vec![],
        )?;
        Ok(rows.first().and_then(|r| r.v))
    }

    pub fn set_meta<T: Integer>(&self, column: Meta, value: Option<T>) -> Result<()> {
        self.set_metas(&[(column, value.map(Integer::integer))])
    }

    /// Sets several integers of the meta row in one statement (one row
    /// written, however many).
    pub fn set_metas(&self, values: &[(Meta, Option<i64>)]) -> Result<()> {
        if values.is_empty() {
            return Ok(());
        }
        let columns: Vec<String> = values
            .iter()
            .map(|(column, _)| format!("{} = ?", column.name()))
            .collect();
        self.exec(
            &format!("UPDATE meta SET {} WHERE id = 1", columns.join(", ")),
            values.iter().map(|(_, value)| opt_int(*value)).collect(),
        )
    }
}

/// The integer columns of the meta row.
#[derive(Debug, Clone, Copy)]
pub enum Meta {
    /// When the cron's index last showed this object due (unix ms).
    DueMarked,
    /// The lowest rowid of a session that may still be pending.
    PendingFloor,
    /// Whether this owner had sessions in KV (1) or not (0); NULL: unknown.
    LegacyKv,
    /// The last `/vendor/check-payment` call (unix ms).
    LastCheck,
    /// The lowest rowid of a delivery whose first attempt may be in flight.
    SendingFloor,
    /// Paid sessions below this rowid are in the daily totals.
    RolledFloor,
    /// When the daily totals were last rolled up (unix seconds).
    RolledAt,
}

impl Meta {
    fn name(self) -> &'static str {
        match self {
            Meta::DueMarked => "due_marked",
            Meta::PendingFloor => "pending_floor",
            Meta::LegacyKv => "legacy_kv",
            Meta::LastCheck => "last_check_ms",
            Meta::SendingFloor => "sending_floor",
            Meta::RolledFloor => "rolled_floor",
            Meta::RolledAt => "rolled_at",
        }
    }
}

/// How many rows to ask for a page of `limit`: one more, to know whether
/// another page follows.
pub fn probe(limit: u32) -> i64 {
    i64::from(limit) + 1
}

/// A page of rows asked [`probe`]`(limit)` at a time, newest first: the first
/// `limit`, and the cursor of the last of them when one more came.
pub fn paged<T>(mut rows: Vec<T>, limit: u32, cursor: impl Fn(&T) -> i64) -> (Vec<T>, Option<i64>) {
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = if more { rows.last().map(cursor) } else { None };
    (rows, next)
}
