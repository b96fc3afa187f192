//! The account object's tables: their one definition ([`SCHEMA`]), and the
//! migration that brings an object made by an older version up to date.

use serde::Deserialize;

use super::{Db, Meta, Result};

/// The tables of an object made by this version. Amounts are decimal text,
/// never floats; instants are unix ms in the outbox (`deliveries_0` and `_1`, and the
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
        rolled_at INTEGER,
        -- Which of the delivery history's two tables is written, and since
        -- when (unix ms): outbox/history.rs.
        history_half INTEGER,
        history_since INTEGER)",
    // One row per session (sessions.rs). The rowid is the order of creation;
    // sessions imported from KV get negative rowids in the order they were
    // created, so that they list after every session made here. `numbered`
    // 1: the rowid is the session's number and its payment id that number's
    // (core's ids::Numbering), found without an index; 0: a payment id drawn
    // at random (sessions made before numbering, and those imported from
    // KV), found by sessions_by_drawn_payment (or the full index a large object
    // made before numbering keeps, see `migrate`). (No SQL comment on that last
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
    // The deliveries' two tables and the view that reads them as one are
    // made by `outbox/history.rs` (`Db::migrate_history`).
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

impl Db {
    /// Creates the tables, or brings an older object's up to date. An object
    /// made before numbering with more than `reindex_max` sessions keeps its
    /// full payment-id index (config's `REINDEX_SESSIONS_MAX`).
    pub fn migrate(&self, reindex_max: i64) -> Result<()> {
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
        // the rows before them keep theirs, in a partial index. Making that
        // index writes a row per session; past `reindex_max` sessions the
        // full index stays instead: as correct, it only costs new sessions
        // their index entry.
        let mut keep_full_index = false;
        if sessions
            .first()
            .is_some_and(|t| !v1 && !t.sql.contains("numbered"))
        {
            self.exec(
                "ALTER TABLE sessions ADD COLUMN numbered INTEGER NOT NULL DEFAULT 0",
                vec![],
            )?;
            keep_full_index =
                self.count("SELECT COUNT(*) AS n FROM sessions", vec![])? > reindex_max;
            if !keep_full_index {
                self.exec("DROP INDEX IF EXISTS sessions_by_payment", vec![])?;
            }
        }
        for statement in SCHEMA {
            self.exec(statement, vec![])?;
        }
        let full_index = keep_full_index
            || self.count(
                "SELECT COUNT(*) AS n FROM sqlite_master
                 WHERE type = 'index' AND name = 'sessions_by_payment'",
                vec![],
            )? > 0;
        if !full_index {
            self.exec(
                "CREATE UNIQUE INDEX IF NOT EXISTS sessions_by_drawn_payment ON sessions (payment_id)
                 WHERE numbered = 0",
                vec![],
            )?;
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
            Meta::HistoryHalf,
            Meta::HistorySince,
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
        self.migrate_history()?;
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
}
