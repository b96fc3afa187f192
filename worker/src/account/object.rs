//! The account object: a SQLite-backed Durable Object per merchant and mode.
//!
//! It answers [`Command`]s from the worker. Each command runs its SQL without an
//! `await` in between, so it is one atomic step: no other request to the object
//! interleaves, and a crash leaves all of it or none. That is what makes a
//! wallet's running balance exact and its refunds bounded by its credits even
//! under concurrent duplicate webhooks (see core's `ledger`).

use checkout_core::event::{Event, EventKind};
use checkout_core::ids::{MerchantId, WalletId};
use checkout_core::ledger::{self, Entry, LedgerOp, SessionBook};
use checkout_core::session::Mode;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{
    durable_object, DurableObject, Env, Request, Response, SqlStorage, SqlStorageValue, State,
};

use super::protocol::{Command, EventFilter, OpenedWallet, Recorded, WalletRecord, WalletState};

/// The tables, created on first use. Amounts are decimal text, never floats.
const SCHEMA: &[&str] = &[
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
];

#[durable_object(fetch)]
pub struct AccountObject {
    state: State,
}

impl DurableObject for AccountObject {
    fn new(state: State, _env: Env) -> Self {
        let sql = state.storage().sql();
        for statement in SCHEMA {
            if let Err(e) = sql.exec(statement, None) {
                worker::console_error!("account schema: {e}");
            }
        }
        AccountObject { state }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let command: Command = req.json().await?;
        // From here on nothing awaits: the command is one atomic step.
        let db = Db(self.state.storage().sql());
        let answer = match command {
            Command::Record {
                merchant,
                mode,
                events,
                ledger,
                now,
            } => to_json(&db.record(&merchant, mode, events, &ledger, now)?),
            Command::Events { filter, limit } => to_json(&db.events(&filter, limit)?),
            Command::OpenWallet {
                candidate,
                user_id,
                currency,
                now,
            } => to_json(&db.open_wallet(candidate, user_id, &currency, now)?),
            Command::Wallet { id, entries } => to_json(&db.wallet(&id, entries)?),
        };
        Response::from_json(&answer?)
    }
}

fn to_json<T: Serialize>(value: &T) -> worker::Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| worker::Error::RustError(e.to_string()))
}

fn text(value: impl Into<String>) -> SqlStorageValue {
    SqlStorageValue::String(value.into())
}

fn decimal(text: &str) -> worker::Result<Decimal> {
    text.parse()
        .map_err(|_| worker::Error::RustError(format!("stored amount {text:?} is not a decimal")))
}

#[derive(Deserialize)]
struct BodyRow {
    body: String,
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

#[derive(Deserialize)]
struct CountRow {
    n: i64,
}

/// The object's SQL, one method per command.
struct Db(SqlStorage);

impl Db {
    fn rows<T: DeserializeOwned>(
        &self,
        query: &str,
        bindings: Vec<SqlStorageValue>,
    ) -> worker::Result<Vec<T>> {
        self.0.exec(query, bindings)?.to_array()
    }

    /// Inserts an event unless its id exists; true when it was new.
    fn insert_event(&self, e: &Event) -> worker::Result<bool> {
        let body = serde_json::to_string(e).map_err(|e| worker::Error::RustError(e.to_string()))?;
        let inserted: Vec<BodyRow> = self.rows(
            "INSERT INTO events (id, kind, session_id, created_at, body) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (id) DO NOTHING RETURNING body",
            vec![
                text(e.id.clone()),
                text(e.kind.as_str()),
                e.session_id
                    .as_ref()
                    .map_or(SqlStorageValue::Null, |s| text(s.as_str())),
                SqlStorageValue::Integer(e.created_at),
                text(body),
            ],
        )?;
        Ok(!inserted.is_empty())
    }

    fn record(
        &self,
        merchant: &MerchantId,
        mode: Mode,
        mut events: Vec<Event>,
        ops: &[LedgerOp],
        now: i64,
    ) -> worker::Result<Recorded> {
        for op in ops {
            events.extend(self.book(merchant, mode, op, now)?);
        }
        let mut fresh = Vec::new();
        for e in &events {
            if self.insert_event(e)? {
                fresh.push(e.id.clone());
            }
        }
        Ok(Recorded { events, fresh })
    }

    /// Books one ledger operation, once per causing event: the events it adds.
    fn book(
        &self,
        merchant: &MerchantId,
        mode: Mode,
        op: &LedgerOp,
        now: i64,
    ) -> worker::Result<Vec<Event>> {
        let existing: Vec<CountRow> = self.rows(
            "SELECT COUNT(*) AS n FROM ledger WHERE id = ?",
            vec![text(op.event_id())],
        )?;
        if existing.first().is_some_and(|r| r.n > 0) {
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
            .ok_or_else(|| worker::Error::RustError("wallet balance overflow".into()))?;
        self.0.exec(
            "INSERT INTO ledger (id, wallet_id, session_id, amount, requested, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
            vec![
                text(booking.entry.id.clone()),
                text(op.wallet().as_str()),
                text(booking.entry.session_id.as_str()),
                text(booking.entry.amount.to_string()),
                text(booking.entry.requested.to_string()),
                SqlStorageValue::Integer(booking.entry.created_at),
            ],
        )?;
        self.0.exec(
            "UPDATE wallets SET balance = ? WHERE id = ?",
            vec![text(balance.to_string()), text(op.wallet().as_str())],
        )?;
        Ok(booking.events)
    }

    fn events(&self, filter: &EventFilter, limit: u32) -> worker::Result<Vec<Event>> {
        let rows: Vec<BodyRow> = match filter {
            EventFilter::Session(session) => self.rows(
                "SELECT body FROM events WHERE session_id = ? ORDER BY created_at, rowid LIMIT ?",
                vec![
                    text(session.as_str()),
                    SqlStorageValue::Integer(limit.into()),
                ],
            )?,
            EventFilter::Unmatched => self.rows(
                "SELECT body FROM events WHERE kind = ? OR (session_id IS NULL AND kind != ?)
                 ORDER BY created_at, rowid LIMIT ?",
                vec![
                    text(EventKind::PaymentUnmatched.as_str()),
                    text(EventKind::WalletTopup.as_str()),
                    SqlStorageValue::Integer(limit.into()),
                ],
            )?,
        };
        rows.iter()
            .map(|r| {
                serde_json::from_str(&r.body).map_err(|e| worker::Error::RustError(e.to_string()))
            })
            .collect()
    }

    fn wallet_row(&self, id: &WalletId) -> worker::Result<Option<WalletRow>> {
        Ok(self
            .rows::<WalletRow>(
                "SELECT id, user_id, currency, created_at, balance FROM wallets WHERE id = ?",
                vec![text(id.as_str())],
            )?
            .into_iter()
            .next())
    }

    fn open_wallet(
        &self,
        candidate: WalletId,
        user_id: i64,
        currency: &str,
        now: i64,
    ) -> worker::Result<OpenedWallet> {
        let created: Vec<CountRow> = self.rows(
            "INSERT INTO wallets (id, user_id, currency, created_at, balance) VALUES (?, ?, ?, ?, '0')
             ON CONFLICT (user_id, currency) DO NOTHING RETURNING 1 AS n",
            vec![
                text(candidate.as_str()),
                SqlStorageValue::Integer(user_id),
                text(currency),
                SqlStorageValue::Integer(now),
            ],
        )?;
        let row: Option<WalletRow> = self
            .rows(
                "SELECT id, user_id, currency, created_at, balance FROM wallets
                 WHERE user_id = ? AND currency = ?",
                vec![SqlStorageValue::Integer(user_id), text(currency)],
            )?
            .into_iter()
            .next();
        let row = row.ok_or_else(|| worker::Error::RustError("wallet vanished".into()))?;
        let id: WalletId = row
            .id
            .parse()
            .map_err(|_| worker::Error::RustError("stored wallet id is malformed".into()))?;
        let wallet = self
            .wallet(&id, 0)?
            .ok_or_else(|| worker::Error::RustError("wallet vanished".into()))?;
        Ok(OpenedWallet {
            wallet,
            created: !created.is_empty(),
        })
    }

    fn wallet(&self, id: &WalletId, entries: u32) -> worker::Result<Option<WalletState>> {
        let Some(row) = self.wallet_row(id)? else {
            return Ok(None);
        };
        let mut latest: Vec<EntryRow> = self.rows(
            "SELECT id, session_id, amount, requested, created_at FROM ledger
             WHERE wallet_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
            vec![text(id.as_str()), SqlStorageValue::Integer(entries.into())],
        )?;
        latest.reverse();
        let count: Vec<CountRow> = self.rows(
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
                        .map_err(|_| worker::Error::RustError("stored session id".into()))?,
                    amount: decimal(&e.amount)?,
                    requested: decimal(&e.requested)?,
                    created_at: e.created_at,
                })
            })
            .collect::<worker::Result<Vec<_>>>()?;
        Ok(Some(WalletState {
            record: WalletRecord {
                id: id.clone(),
                user_id: row.user_id,
                currency: row.currency,
                created_at: row.created_at,
            },
            balance: decimal(&row.balance)?,
            entries,
            entry_count: count.first().map_or(0, |c| c.n.max(0) as u64),
        }))
    }
}
