//! Commands about wallets (ewallet-orders-api): opening, crediting, reading.

use checkout_core::ids::WalletId;
use checkout_core::ledger::Entry;
use checkout_core::time::UnixSeconds;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Command;
use checkout_api::dashboard::WalletSummary;

command!(
    /// The wallet of a user and currency, created if there is none.
    OpenWallet {
        /// The id to give a new wallet (drawn by the worker's CSPRNG).
        pub candidate: WalletId,
        pub user_id: i64,
        pub currency: String,
        pub now: UnixSeconds,
    }, "open-wallet" => OpenedWallet
);

command!(
    /// A wallet, its balance and its latest entries.
    GetWallet {
        pub id: WalletId,
        pub entries: u32,
    }, "wallet" => WalletState
);

command!(
    /// Every wallet with its balance, newest first.
    ListWallets, "wallets" => Vec<WalletSummary>
);

/// A wallet as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WalletRecord {
    pub id: WalletId,
    pub user_id: i64,
    pub currency: String,
    pub created_at: UnixSeconds,
}

/// What [`OpenWallet`] found or made.
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
