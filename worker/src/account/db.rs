//! The account object's SQLite access: the helpers every table module uses
//! (`sessions.rs`, `wallets.rs`, `outbox.rs`, `endpoint.rs`, `keys.rs`,
//! `signins.rs`); the tables' one definition and migration are in
//! `db/schema.rs`.
//!
//! Every method is synchronous: a command's SQL runs with no `await` in between,
//! so it is one atomic step (no other request to the object interleaves, and a
//! crash leaves all of it or none).
//!
//! The free plan allows 100,000 SQLite rows written a day, and an index entry
//! counts as a row: tables are shaped so that a paid session writes few. A
//! session's events live in its own row (written anyway when it changes), its
//! payment id is its number in the account, permuted (found with no index),
//! and lookups that only some sessions need (Idempotency-Keys, order ids) are
//! tables of their own without a rowid (one row each).

use std::cell::{Cell, OnceCell};

use checkout_core::ids::{Home, IdKey, MerchantId, Numbering};
use checkout_core::session::Mode;
use checkout_core::time::{UnixMillis, UnixSeconds};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::{SqlStorage, SqlStorageValue};

use super::protocol::Failure;

mod schema;

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

    /// Remembers whose object this is (its alarm has no request to say so),
    /// and, in a new object, when its delivery history began
    /// (`outbox/history.rs`).
    pub fn remember_owner(
        &self,
        merchant: &MerchantId,
        mode: Mode,
        now_ms: UnixMillis,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO meta (id, merchant, mode, history_since) VALUES (1, ?, ?, ?)
             ON CONFLICT (id) DO NOTHING",
            vec![text(merchant.as_str()), text(mode.as_str()), int(now_ms)],
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
    /// Which of the delivery history's two tables is written (0 or 1;
    /// NULL: 0).
    HistoryHalf,
    /// When that table began to be written (unix ms).
    HistorySince,
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
            Meta::HistoryHalf => "history_half",
            Meta::HistorySince => "history_since",
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
