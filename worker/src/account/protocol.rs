//! What the worker asks of a merchant's account object, and what it answers: one
//! serde type per direction, shared by the client (`client.rs`) and the object
//! (`object.rs`), so the two cannot disagree.

use checkout_core::event::Event;
use checkout_core::ids::{MerchantId, SessionId, WalletId};
use checkout_core::ledger::{Entry, LedgerOp};
use checkout_core::session::Mode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A request to the object.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Records events (each once, by id) and makes the wallet bookings a
    /// transition asked for, in one atomic step. Answers [`Recorded`].
    Record {
        merchant: MerchantId,
        mode: Mode,
        events: Vec<Event>,
        ledger: Vec<LedgerOp>,
        now: i64,
    },
    /// Recorded events, oldest first. Answers `Vec<Event>`.
    Events { filter: EventFilter, limit: u32 },
    /// The wallet of a user and currency, created if there is none. Answers
    /// [`OpenedWallet`].
    OpenWallet {
        /// The id to give a new wallet (drawn by the worker's CSPRNG).
        candidate: WalletId,
        user_id: i64,
        currency: String,
        now: i64,
    },
    /// A wallet, its balance and its latest entries. Answers `Option<WalletState>`.
    Wallet { id: WalletId, entries: u32 },
}

/// Which events to list.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventFilter {
    /// Everything that happened to one session.
    Session(SessionId),
    /// Verified payments that matched no pending session.
    Unmatched,
}

/// What [`Command::Record`] did.
#[derive(Debug, Serialize, Deserialize)]
pub struct Recorded {
    /// Every event of the step, including those the wallet bookings added
    /// (`wallet.topup`, `payment.refund_exceeds`).
    pub events: Vec<Event>,
    /// The ids among them that were new: empty for a duplicate.
    pub fresh: Vec<String>,
}

/// A wallet as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WalletRecord {
    pub id: WalletId,
    pub user_id: i64,
    pub currency: String,
    pub created_at: i64,
}

/// What [`Command::OpenWallet`] found or made.
#[derive(Debug, Serialize, Deserialize)]
pub struct OpenedWallet {
    pub wallet: WalletState,
    /// False when the user already had a wallet in this currency.
    pub created: bool,
}

/// A wallet with its running balance (exact: kept in the same atomic step as
/// every entry) and its latest entries, oldest first.
#[derive(Debug, Serialize, Deserialize)]
pub struct WalletState {
    pub record: WalletRecord,
    pub balance: Decimal,
    pub entries: Vec<Entry>,
    /// How many entries the ledger holds in all.
    pub entry_count: u64,
}
