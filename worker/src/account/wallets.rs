//! Wallets (ewallet-orders-api) and their ledgers: a running balance kept in
//! the same atomic step as every entry, so it is exact and read in O(1);
//! core's `ledger::book` decides what a booking may do.

use checkout_api::dashboard::WalletSummary;
use checkout_core::event::Event;
use checkout_core::ids::{MerchantId, WalletId};
use checkout_core::ledger::{self, Entry, LedgerOp, SessionBook};
use checkout_core::session::Mode;
use checkout_core::time::UnixSeconds;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::db::{fail, int, text, CountRow, Db, Result};
use super::object::{Handle, Scope};
use super::protocol::{
    GetWallet, ListWallets, OpenWallet, OpenedWallet, Refusal, Thing, WalletRecord, WalletState,
};

fn decimal(text: &str) -> Result<Decimal> {
    text.parse()
        .map_err(|_| fail(format!("stored amount {text:?} is not a decimal")))
}

#[derive(Deserialize)]
struct WalletRow {
    id: String,
    user_id: i64,
    currency: String,
    created_at: UnixSeconds,
    balance: String,
}

#[derive(Deserialize)]
struct EntryRow {
    id: String,
    session_id: String,
    amount: String,
    requested: String,
    created_at: UnixSeconds,
}

impl Db {
    /// Books one ledger operation, once per causing event: the events it adds.
    pub fn book(
        &self,
        merchant: &MerchantId,
        mode: Mode,
        op: &LedgerOp,
        now: UnixSeconds,
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
        now: UnixSeconds,
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
            created_at: UnixSeconds,
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
            vec![text(id.as_str()), int(i64::from(entries))],
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

impl Handle for OpenWallet {
    async fn handle(self, scope: &Scope<'_>) -> Result<OpenedWallet> {
        scope
            .db
            .open_wallet(self.candidate, self.user_id, &self.currency, self.now)
    }
}

impl Handle for GetWallet {
    async fn handle(self, scope: &Scope<'_>) -> Result<WalletState> {
        scope
            .db
            .wallet(&self.id, self.entries)?
            .ok_or_else(|| Refusal::NotFound(Thing::Wallet).into())
    }
}

impl Handle for ListWallets {
    async fn handle(self, scope: &Scope<'_>) -> Result<Vec<WalletSummary>> {
        scope.db.wallets()
    }
}
