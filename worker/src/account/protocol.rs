//! What the worker asks of a merchant's account object, and what it answers: one
//! serde type per direction, shared by the client (`client.rs`) and the object
//! (`object.rs`), so the two cannot disagree.

use checkout_core::event::{Event, EventKind};
use checkout_core::ids::{MerchantId, SessionId, WalletId};
use checkout_core::ledger::{Entry, LedgerOp};
use checkout_core::session::{Dialect, Mode};
use checkout_core::webhook::{DeliveryStatus, EventFilter};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use super::keys::ListedKey;
pub use super::sessions::{Backfill, SessionQuery, SummaryPage};
pub use super::signins::DashboardSession;
pub use checkout_api::webhooks::{Attempt, Delivery, DisabledReason};

use checkout_api::dashboard::SessionSummary;

use crate::secret::Sealed;

/// Every request to an account object: whose it is, and the command.
#[derive(Debug, Serialize, Deserialize)]
pub struct Envelope {
    pub merchant: MerchantId,
    pub mode: Mode,
    pub command: Command,
}

/// A request to the object.
// A message built once and serialised at once: its variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Records events (each once, by id), makes the wallet bookings a transition
    /// asked for, and queues a webhook delivery for each new event the merchant
    /// receives, in one atomic step. Answers [`Recorded`].
    Record {
        events: Vec<Event>,
        ledger: Vec<LedgerOp>,
        /// What the webhooks of the session's events carry.
        session: Option<SessionSnapshot>,
        now: i64,
    },
    /// Recorded events, oldest first. Answers `Vec<Event>`.
    Events { filter: EventQuery, limit: u32 },
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
    /// The signing secrets. Answers [`Secrets`].
    SigningSecret,
    /// The webhook endpoint. Answers `Option<Endpoint>`.
    GetEndpoint,
    /// Creates or replaces the webhook endpoint. Answers `Endpoint`.
    PutEndpoint {
        url: String,
        /// A new signing secret, or `None` to keep the current one.
        secret: Option<Sealed>,
        filter: EventFilter,
        enabled: bool,
    },
    /// Removes the webhook endpoint (the history stays). Answers `bool` (whether
    /// there was one).
    DeleteEndpoint,
    /// Makes `secret` the signing secret; the previous one keeps signing for the
    /// rotation window. Answers `Endpoint`.
    Rotate { secret: Sealed },
    /// One page of deliveries, newest first. Answers [`DeliveryPage`].
    Deliveries(DeliveryQuery),
    /// One delivery with its exact bytes and every attempt. Answers
    /// `Option<Delivery>`.
    Delivery { event_id: String },
    /// Sends a delivery again now. Answers `Option<Delivery>`.
    Redeliver { event_id: String },
    /// Queues every failed delivery created since `since` (unix seconds) again.
    /// Answers `u32` (how many).
    Recover { since: i64 },
    /// Records and sends a `webhook.test` event now. Answers `Delivery`.
    SendTest,
    /// Sets the alarm again if work is due (the cron's sweep). Answers
    /// `Option<i64>` (the next due instant, ms).
    Rearm,
    /// One page of session summaries. Answers [`SummaryPage`].
    Sessions(SessionQuery),
    /// The dashboard overview's figures as of `now`. Answers `Overview`.
    Overview { now: i64 },
    /// How far the import of sessions older than the sessions table has got.
    /// Answers [`Backfill`].
    Backfill,
    /// Imports a page of older sessions (those the table lacks) and keeps
    /// `next` as where to go on (`None`: finished). Answers `u32` (how many
    /// were new).
    ImportSessions {
        summaries: Vec<SessionSummary>,
        next: Option<String>,
        now: i64,
    },
    /// Dev only (refused elsewhere): forgets the sessions table and the import,
    /// as an object made before the table existed. Answers `i64` (how many
    /// sessions it forgot).
    ForgetSessions,
    /// Every wallet with its balance. Answers `Vec<WalletSummary>`.
    Wallets,
    /// Lists an API key (once, by id). Answers `()`.
    AddKey(ListedKey),
    /// The API keys, oldest first. Answers `Vec<ListedKey>`.
    Keys,
    /// Revokes an API key. Answers `Option<ListedKey>` (none: no such key).
    RevokeKey { id: String, now: i64 },
    /// Spends a dashboard sign-in link and starts the session it signs in.
    /// Answers `bool`: true for the link's first use only.
    SignIn {
        /// The hex SHA-256 of the link's token.
        link: String,
        link_expires_at: i64,
        /// The hex SHA-256 of the new session's cookie.
        session_hash: String,
        session: DashboardSession,
        now: i64,
    },
    /// The dashboard session a cookie's hash names, while it lasts. Answers
    /// `Option<DashboardSession>`.
    DashboardSession { hash: String, now: i64 },
    /// Ends a dashboard session. Answers `bool` (whether there was one).
    SignOut { hash: String },
}

/// Which deliveries to list, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeliveryQuery {
    pub status: Option<DeliveryStatus>,
    pub kind: Option<EventKind>,
    /// Only one session's.
    pub session: Option<SessionId>,
    /// The `next_cursor` of the previous page.
    pub before: Option<i64>,
    pub limit: u32,
}

/// Which events to list.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventQuery {
    /// Everything that happened to one session.
    Session(SessionId),
    /// Verified payments that matched no pending session.
    Unmatched,
}

/// What a session's webhooks carry, as the worker saw the session when the
/// events happened: each dialect gets exactly what its document promises.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionSnapshot {
    pub session_id: SessionId,
    /// What the dashboard lists (the state as written, not as of a later time).
    pub summary: SessionSummary,
    pub dialect: Dialect,
    /// The dialect's REST resource of the session: the envelope's `data`.
    pub view: serde_json::Value,
    /// The session's own webhook URL (ewallet orders), overriding the endpoint's.
    pub webhook_url: Option<String>,
    /// ewallet-orders-api: what `order.paid` carries.
    pub order: Option<OrderFacts>,
    /// payment-links-api: what its one webhook carries.
    pub link: Option<LinkFacts>,
}

/// The fields of an ewallet `order.paid` webhook.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrderFacts {
    pub order_id: String,
    /// The amount text, as the order was created (the signature covers it).
    pub amount: String,
    pub currency: String,
}

/// The fields of a payment-links webhook.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkFacts {
    pub order_id: String,
    /// base64(HMAC-SHA512(SHA-256(`amount:::order_id:::apiKey`), apiSecret)).
    pub secret: String,
    pub amount: String,
    pub reference: Option<String>,
    pub currency: String,
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

/// The signing secrets, sealed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Secrets {
    pub current: Sealed,
    pub previous: Option<Sealed>,
    /// Unix ms until which `previous` signs too.
    pub previous_until: Option<i64>,
}

/// The webhook endpoint, as stored (its signing secrets are kept apart: they
/// exist before any endpoint does).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Endpoint {
    pub url: String,
    pub filter: EventFilter,
    pub enabled: bool,
    pub disabled_reason: Option<DisabledReason>,
    /// Unix ms of the first failure since the last success.
    pub failing_since: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A page of deliveries, newest first.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeliveryPage {
    pub data: Vec<Delivery>,
    /// Pass as `before` for the next page.
    pub next_cursor: Option<i64>,
}
