//! The account object's SQLite tables, and what reads and writes them: events,
//! wallets and their ledgers here; the webhook endpoint in `endpoint.rs`,
//! deliveries and attempts in `outbox.rs`.
//!
//! Every method is synchronous: a command's SQL runs with no `await` in between,
//! so it is one atomic step (no other request to the object interleaves, and a
//! crash leaves all of it or none).

use checkout_core::event::{Event, EventKind};
use checkout_core::ids::{MerchantId, WalletId};
use checkout_core::ledger::{self, Entry, LedgerOp, SessionBook};
use checkout_core::session::Mode;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::{SqlStorage, SqlStorageValue};

use checkout_api::dashboard::WalletSummary;

use super::protocol::{EventQuery, OpenedWallet, WalletRecord, WalletState};

/// The tables, created on first use. Amounts are decimal text, never floats;
/// instants are unix ms in the outbox, unix seconds elsewhere (as in core).
pub const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS events (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        session_id TEXT,
        created_at INTEGER NOT NULL,
        body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS events_by_session ON events (session_id)",
    "CREATE INDEX IF NOT EXISTS events_by_kind ON events (kind)",
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
        delivered_at INTEGER)",
    "CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_at)",
    "CREATE INDEX IF NOT EXISTS deliveries_by_status ON deliveries (status, created_at)",
    "CREATE INDEX IF NOT EXISTS deliveries_by_session ON deliveries (session_id)",
    "CREATE TABLE IF NOT EXISTS attempts (
        event_id TEXT NOT NULL,
        n INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (event_id, n))",
    "CREATE TABLE IF NOT EXISTS meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        merchant TEXT NOT NULL,
        mode TEXT NOT NULL,
        due_marked INTEGER)",
    "CREATE TABLE IF NOT EXISTS sequences (
        session_id TEXT PRIMARY KEY,
        last INTEGER NOT NULL)",
    // What the dashboard lists and counts (sessions.rs).
    "CREATE TABLE IF NOT EXISTS sessions (
        id TEXT PRIMARY KEY,
        dialect TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        paid_at INTEGER,
        order_id TEXT,
        payment_id TEXT NOT NULL,
        alias TEXT,
        body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sessions_by_state ON sessions (state, expires_at)",
    "CREATE INDEX IF NOT EXISTS sessions_by_order ON sessions (order_id)",
    "CREATE INDEX IF NOT EXISTS sessions_by_payment ON sessions (payment_id)",
    "CREATE INDEX IF NOT EXISTS sessions_by_alias ON sessions (alias)",
    // Listings are newest first by creation (imported older sessions come
    // after every session the table recorded as it happened).
    "CREATE INDEX IF NOT EXISTS sessions_by_created ON sessions (created_at)",
    "CREATE TABLE IF NOT EXISTS daily (
        day INTEGER NOT NULL,
        currency TEXT NOT NULL,
        paid INTEGER NOT NULL,
        total TEXT NOT NULL,
        PRIMARY KEY (day, currency))",
    // How far the import of sessions older than the sessions table has got
    // (sessions.rs): no row, not begun; `done` 1, finished.
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
    // Dashboard sign-in links already used (signins.rs).
    "CREATE TABLE IF NOT EXISTS signins (
        hash TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL)",
    // Signed-in dashboards, by the hash of their cookie (signins.rs).
    "CREATE TABLE IF NOT EXISTS dashboard_sessions (
        hash TEXT PRIMARY KEY,
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL)",
];

pub type Result<T> = worker::Result<T>;

/// A failure inside the object (answered 500; the worker turns it into a 503).
pub fn fail(message: impl Into<String>) -> worker::Error {
    worker::Error::RustError(message.into())
}

pub fn text(value: impl Into<String>) -> SqlStorageValue {
    SqlStorageValue::String(value.into())
}

pub fn int(value: i64) -> SqlStorageValue {
    SqlStorageValue::Integer(value)
}

pub fn opt_text(value: Option<impl Into<String>>) -> SqlStorageValue {
    value.map_or(SqlStorageValue::Null, text)
}

pub fn opt_int(value: Option<i64>) -> SqlStorageValue {
    value.map_or(SqlStorageValue::Null, int)
}

fn decimal(text: &str) -> Result<Decimal> {
    text.parse()
        .map_err(|_| fail(format!("stored amount {text:?} is not a decimal")))
}

pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| fail(e.to_string()))
}

pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| fail(e.to_string()))
}

#[derive(Deserialize)]
pub struct BodyRow {
    pub body: String,
}

#[derive(Deserialize)]
pub struct CountRow {
    pub n: i64,
}

#[derive(Deserialize)]
struct WalletRow {
    id: String,
    user_id: i64,
    currency: String,
    created_at: i64,
    balance: String,
}

#[derive(Deserialize)]
struct EntryRow {
    id: String,
    session_id: String,
    amount: String,
    requested: String,
    created_at: i64,
}

/// The object's SQL.
pub struct Db(pub SqlStorage);

impl Db {
    pub fn migrate(&self) -> Result<()> {
        for statement in SCHEMA {
            self.0.exec(statement, None)?;
        }
        Ok(())
    }

    pub fn rows<T: DeserializeOwned>(
        &self,
        query: &str,
        bindings: Vec<SqlStorageValue>,
    ) -> Result<Vec<T>> {
        self.0.exec(query, bindings)?.to_array()
    }

    pub fn exec(&self, query: &str, bindings: Vec<SqlStorageValue>) -> Result<()> {
        self.0.exec(query, bindings)?;
        Ok(())
    }

    pub fn count(&self, query: &str, bindings: Vec<SqlStorageValue>) -> Result<i64> {
        Ok(self
            .rows::<CountRow>(query, bindings)?
            .first()
            .map_or(0, |r| r.n))
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

    /// The due instant the cron's index shows for this object, if any.
    pub fn due_marked(&self) -> Result<Option<i64>> {
        #[derive(Deserialize)]
        struct Due {
            due_marked: Option<i64>,
        }
        let rows: Vec<Due> = self.rows("SELECT due_marked FROM meta WHERE id = 1", vec![])?;
        Ok(rows.first().and_then(|d| d.due_marked))
    }

    pub fn set_due_marked(&self, at: Option<i64>) -> Result<()> {
        self.exec(
            "UPDATE meta SET due_marked = ? WHERE id = 1",
            vec![opt_int(at)],
        )
    }

    /// Inserts an event unless its id exists; true when it was new.
    pub fn insert_event(&self, e: &Event) -> Result<bool> {
        let inserted: Vec<CountRow> = self.rows(
            "INSERT INTO events (id, kind, session_id, created_at, body) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (id) DO NOTHING RETURNING 1 AS n",
            vec![
                text(e.id.clone()),
                text(e.kind.as_str()),
                opt_text(e.session_id.as_ref().map(|s| s.as_str())),
                int(e.created_at),
                text(to_json(e)?),
            ],
        )?;
        Ok(!inserted.is_empty())
    }

    /// Books one ledger operation, once per causing event: the events it adds.
    pub fn book(
        &self,
        merchant: &MerchantId,
        mode: Mode,
        op: &LedgerOp,
        now: i64,
    ) -> Result<Vec<Event>> {
        if self.count(
            "SELECT COUNT(*) AS n FROM ledger WHERE id = ?",
            vec![text(op.event_id())],
        )? > 0
        {
            // Booked already: a retry or a concurrent copy. Its events exist too.
            return Ok(Vec::new());
        }
        let Some(wallet) = self.wallet_row(op.wallet())? else {
            worker::console_error!("ledger: {} is not a wallet of this account", op.wallet());
            return Ok(Vec::new());
        };
        let mut so_far = SessionBook::default();
        let entries: Vec<EntryRow> = self.rows(
            "SELECT id, session_id, amount, requested, created_at FROM ledger
             WHERE wallet_id = ? AND session_id = ?",
            vec![text(op.wallet().as_str()), text(op.session().as_str())],
        )?;
        for entry in &entries {
            let amount = decimal(&entry.amount)?;
            if amount > Decimal::ZERO {
                so_far.credited += amount;
            } else {
                so_far.refunded -= amount;
            }
        }
        let booking = ledger::book(op, so_far, merchant, mode, &wallet.currency, now);
        let balance = decimal(&wallet.balance)?
            .checked_add(booking.entry.amount)
            .ok_or_else(|| fail("wallet balance overflow"))?;
        self.exec(
            "INSERT INTO ledger (id, wallet_id, session_id, amount, requested, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
            vec![
                text(booking.entry.id.clone()),
                text(op.wallet().as_str()),
                text(booking.entry.session_id.as_str()),
                text(booking.entry.amount.to_string()),
                text(booking.entry.requested.to_string()),
                int(booking.entry.created_at),
            ],
        )?;
        self.exec(
            "UPDATE wallets SET balance = ? WHERE id = ?",
            vec![text(balance.to_string()), text(op.wallet().as_str())],
        )?;
        Ok(booking.events)
    }

    pub fn events(&self, query: &EventQuery, limit: u32) -> Result<Vec<Event>> {
        let rows: Vec<BodyRow> = match query {
            EventQuery::Session(session) => self.rows(
                "SELECT body FROM events WHERE session_id = ? ORDER BY created_at, rowid LIMIT ?",
                vec![text(session.as_str()), int(limit.into())],
            )?,
            EventQuery::Unmatched => self.rows(
                "SELECT body FROM events WHERE kind = ? OR (session_id IS NULL AND kind NOT IN (?, ?))
                 ORDER BY created_at, rowid LIMIT ?",
                vec![
                    text(EventKind::PaymentUnmatched.as_str()),
                    text(EventKind::WalletTopup.as_str()),
                    text(EventKind::WebhookTest.as_str()),
                    int(limit.into()),
                ],
            )?,
        };
        rows.iter().map(|r| from_json(&r.body)).collect()
    }

    fn wallet_row(&self, id: &WalletId) -> Result<Option<WalletRow>> {
        Ok(self
            .rows::<WalletRow>(
                "SELECT id, user_id, currency, created_at, balance FROM wallets WHERE id = ?",
                vec![text(id.as_str())],
            )?
            .into_iter()
            .next())
    }

    pub fn open_wallet(
        &self,
        candidate: WalletId,
        user_id: i64,
        currency: &str,
        now: i64,
    ) -> Result<OpenedWallet> {
        let created: Vec<CountRow> = self.rows(
            "INSERT INTO wallets (id, user_id, currency, created_at, balance) VALUES (?, ?, ?, ?, '0')
             ON CONFLICT (user_id, currency) DO NOTHING RETURNING 1 AS n",
            vec![text(candidate.as_str()), int(user_id), text(currency), int(now)],
        )?;
        let row: Option<WalletRow> = self
            .rows(
                "SELECT id, user_id, currency, created_at, balance FROM wallets
                 WHERE user_id = ? AND currency = ?",
                vec![int(user_id), text(currency)],
            )?
            .into_iter()
            .next();
        let row = row.ok_or_else(|| fail("wallet vanished"))?;
        let id: WalletId = row
            .id
            .parse()
            .map_err(|_| fail("stored wallet id is malformed"))?;
        let wallet = self
            .wallet(&id, 0)?
            .ok_or_else(|| fail("wallet vanished"))?;
        Ok(OpenedWallet {
            wallet,
            created: !created.is_empty(),
        })
    }

    /// Every wallet with its balance, newest first.
    pub fn wallets(&self) -> Result<Vec<WalletSummary>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            user_id: i64,
            currency: String,
            created_at: i64,
            balance: String,
            entries: i64,
        }
        let rows: Vec<Row> = self.rows(
            "SELECT w.id, w.user_id, w.currency, w.created_at, w.balance,
                    (SELECT COUNT(*) FROM ledger l WHERE l.wallet_id = w.id) AS entries
             FROM wallets w ORDER BY w.created_at DESC, w.rowid DESC LIMIT 1000",
            vec![],
        )?;
        rows.into_iter()
            .map(|r| {
                Ok(WalletSummary {
                    id: r.id.parse().map_err(|_| fail("stored wallet id"))?,
                    user_id: r.user_id,
                    currency: r.currency,
                    balance: r.balance,
                    entries: u64::try_from(r.entries).unwrap_or(0),
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    pub fn wallet(&self, id: &WalletId, entries: u32) -> Result<Option<WalletState>> {
        let Some(row) = self.wallet_row(id)? else {
            return Ok(None);
        };
        let mut latest: Vec<EntryRow> = self.rows(
            "SELECT id, session_id, amount, requested, created_at FROM ledger
             WHERE wallet_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
            vec![text(id.as_str()), int(entries.into())],
        )?;
        latest.reverse();
        let count = self.count(
            "SELECT COUNT(*) AS n FROM ledger WHERE wallet_id = ?",
            vec![text(id.as_str())],
        )?;
        let entries = latest
            .into_iter()
            .map(|e| {
                Ok(Entry {
                    id: e.id,
                    session_id: e
                        .session_id
                        .parse()
                        .map_err(|_| fail("stored session id"))?,
                    amount: decimal(&e.amount)?,
                    requested: decimal(&e.requested)?,
                    created_at: e.created_at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(WalletState {
            record: WalletRecord {
                id: id.clone(),
                user_id: row.user_id,
                currency: row.currency,
                created_at: row.created_at,
            },
            balance: decimal(&row.balance)?,
            entries,
            entry_count: count.max(0) as u64,
        }))
    }
}
