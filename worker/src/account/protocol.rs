//! What the worker asks of a merchant's account object, and what it answers.
//!
//! Every request is one [`Command`]: a serde type whose associated `Answer` is
//! the one type the object answers with, so the client (`client.rs`) and the
//! object (`object.rs`, which hands each command to the module that owns its
//! tables) cannot disagree. A command travels as `POST https://account/{NAME}`
//! with an [`Envelope`]; the answer comes back as a serialised
//! `Result<Answer, Failure>`: a refusal is the client's 4xx with its stable
//! code, a bug a 500, an outage a retryable 503. Integers are carried as JSON
//! integers between two Rust ends (never through JavaScript numbers); those a
//! client sends are bounded at the wire to what a JavaScript number (and so a
//! SQLite binding) keeps exactly (`checkout_core::validate::MAX_SAFE_INTEGER`),
//! and `db.rs` refuses any other as a bug rather than let it round.

use checkout_core::brand::Brand;
use checkout_core::confirmation::Confirmation;
use checkout_core::event::{Event, EventKind};
use checkout_core::ids::{KeyId, MerchantId, SessionId, WalletId};
use checkout_core::ledger::Entry;
use checkout_core::lifecycle::TransitionError;
use checkout_core::policy::PaymentPolicy;
use checkout_core::session::{Acceptance, Mode, Session};
use checkout_core::webhook::{DeliveryStatus, EventFilter};
use checkout_core::PaymentId;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use super::keys::ListedKey;
pub use super::sessions::{Backfill, SessionQuery, Stored, SummaryPage};
pub use super::signins::DashboardSession;
pub use checkout_api::dashboard::{Overview, WalletSummary};
pub use checkout_api::webhooks::{Attempt, Delivery, DisabledReason};

use crate::error::ApiError;
use crate::secret::Sealed;

/// A request to an account object and the type of its answer.
pub trait Command: Serialize + DeserializeOwned {
    /// The path it is sent to (`/create-session`): one per command.
    const NAME: &'static str;
    /// What the object answers when it carries the command out.
    type Answer: Serialize + DeserializeOwned;
}

/// Every request: whose object it is, and the command.
#[derive(Debug, Serialize, Deserialize)]
pub struct Envelope<C> {
    pub merchant: MerchantId,
    pub mode: Mode,
    /// The hash of the API key that made the request, if one did: the object
    /// notes the key's last use (at most hourly), which costs no extra call.
    pub key_used: Option<String>,
    pub command: C,
}

/// Why a command was not carried out.
#[derive(Debug, Serialize, Deserialize)]
pub enum Failure {
    /// The request cannot be carried out as asked: the client's answer.
    Refused(Refusal),
    /// Something that should not happen (stored data that does not read back,
    /// a broken invariant): a 500, logged, never retried by the worker.
    Bug(String),
    /// Storage or the runtime failed: a retryable 503.
    Unavailable(String),
}

impl Failure {
    pub fn bug(message: impl Into<String>) -> Failure {
        Failure::Bug(message.into())
    }
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Failure {
        Failure::Refused(r)
    }
}

impl From<worker::Error> for Failure {
    /// The runtime's own errors (SQL, alarms, fetch set-up): storage failing.
    fn from(e: worker::Error) -> Failure {
        Failure::Unavailable(e.to_string())
    }
}

/// What the object may refuse, each with its own answer to the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Refusal {
    /// No such thing in this account (another merchant's or mode's looks the same).
    NotFound(Thing),
    /// The `Idempotency-Key` was used with other parameters.
    IdempotencyKeyReused,
    /// The `order_id` belongs to another pending or paid session with other
    /// parameters.
    OrderConflict,
    /// The new session's payment id is taken in this account (a 40-bit
    /// collision): the worker draws new ids and tries again.
    PaymentIdTaken,
    /// The session refuses this change (core's `lifecycle`).
    Transition(TransitionError),
    /// A payment link's one webhook was delivered already: never again.
    DeliveredOnce,
    /// A payment link's one webhook is being sent right now: wait for that
    /// attempt's outcome.
    Sending,
    /// No webhook endpoint is configured.
    NoEndpoint,
    /// Too many calls of a limited kind; try again in `retry_after` seconds.
    RateLimited { retry_after: u32, limit: Limit },
    /// A command for local development only.
    DevOnly,
}

/// What a [`Refusal::RateLimited`] limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// `/vendor/check-payment`: one call a second per merchant.
    CheckPayment,
    /// Test sends and redeliveries: [`crate::account::MANUAL_SENDS`] a minute
    /// per merchant and mode.
    ManualSends,
}

/// What a [`Refusal::NotFound`] did not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Thing {
    Session,
    Delivery,
    Wallet,
    Key,
    DashboardSession,
}

impl Thing {
    pub fn name(self) -> &'static str {
        match self {
            Thing::Session => "session",
            Thing::Delivery => "event",
            Thing::Wallet => "wallet",
            Thing::Key => "key",
            Thing::DashboardSession => "dashboard session",
        }
    }
}

impl Refusal {
    /// The answer to the client (a dialect may rename the field).
    pub fn to_api_error(&self) -> ApiError {
        match self {
            Refusal::NotFound(thing) => ApiError::not_found(thing.name()),
            Refusal::IdempotencyKeyReused => ApiError::new(
                409,
                "idempotency_key_reused",
                "this Idempotency-Key was used with different parameters",
            )
            .field("Idempotency-Key"),
            Refusal::OrderConflict => ApiError::new(
                409,
                "order_id_conflict",
                "a session with this order_id already exists with different parameters",
            )
            .field("order_id"),
            Refusal::PaymentIdTaken => {
                ApiError::internal("account", "a payment id was drawn twice in a row")
            }
            Refusal::Transition(e) => crate::sessions::transition_error(*e),
            Refusal::DeliveredOnce => ApiError::new(
                409,
                "one_time_delivered",
                "this payment-link webhook was delivered; its API sends it only once",
            ),
            Refusal::NoEndpoint => ApiError::new(
                409,
                "webhook_not_configured",
                "configure an endpoint first (PUT /api/v2/webhooks/config)",
            ),
            Refusal::Sending => ApiError::new(
                409,
                "delivery_in_progress",
                "this payment-link webhook is being sent right now; its API sends it only once",
            ),
            Refusal::RateLimited { retry_after, limit } => {
                let message = match limit {
                    Limit::CheckPayment => {
                        "at most one check-payment request per second".to_owned()
                    }
                    Limit::ManualSends => format!(
                        "at most {} test sends and redeliveries a minute",
                        crate::account::MANUAL_SENDS
                    ),
                };
                let mut e = ApiError::new(429, "rate_limited", message);
                e.retry_after = Some(*retry_after);
                e
            }
            Refusal::DevOnly => ApiError::not_found("route"),
        }
    }
}

/// Declares a command: its type, its path and its answer.
macro_rules! command {
    ($(#[$doc:meta])* $name:ident { $($body:tt)* }, $path:literal => $answer:ty) => {
        $(#[$doc])*
        #[derive(Debug, Serialize, Deserialize)]
        pub struct $name { $($body)* }
        impl Command for $name {
            const NAME: &'static str = $path;
            type Answer = $answer;
        }
    };
    ($(#[$doc:meta])* $name:ident, $path:literal => $answer:ty) => {
        $(#[$doc])*
        #[derive(Debug, Serialize, Deserialize)]
        pub struct $name;
        impl Command for $name {
            const NAME: &'static str = $path;
            type Answer = $answer;
        }
    };
}

// ---------------------------------------------------------------- sessions

/// The first result of an `Idempotency-Key` or an `order_id`: its hash and the
/// fingerprint of the request that made it (see `idempotency.rs`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claim {
    /// Hex SHA-256 of the key or order id.
    pub hash: String,
    pub fingerprint: String,
}

/// Which session a command is about: by its id, and for an id made before
/// sessions moved into account objects, the record read from KV, which the
/// object keeps from then on ("moved once").
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRef {
    pub id: SessionId,
    /// A legacy session's KV record (already reconciled with its paid
    /// marker), with what its row keeps besides.
    pub moving: Option<Box<Stored>>,
}

impl SessionRef {
    pub fn id(id: SessionId) -> SessionRef {
        SessionRef { id, moving: None }
    }
}

/// A session as the object keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRead {
    pub session: Session,
    /// The merchant's name when the session was opened: what the checkout shows.
    pub merchant_name: String,
    /// A paid session whose notification is still undelivered after 15 minutes.
    pub notification_failing: bool,
    /// The merchant's brand in the session's mode, for the hosted page (read
    /// with the session by `GetSession`; absent elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<Brand>,
}

/// A change core's `lifecycle::transition` decides.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Change {
    Confirm(Confirmation),
    Cancel,
    Expire,
    /// The merchant accepts a session that needs review, or one partially
    /// paid, as paid.
    Accept(Acceptance),
    /// Test mode only: the sandbox expires the session now (to try a late
    /// payment).
    ExpireNow,
}

/// What a change did, once carried out.
#[derive(Debug, Serialize, Deserialize)]
pub struct Applied {
    pub read: SessionRead,
    /// Every event of the step (with the wallet's own), new or not.
    pub events: Vec<Event>,
    /// The ids among them that were new: empty for a duplicate.
    pub fresh: Vec<String>,
}

/// What opening a session did.
#[derive(Debug, Serialize, Deserialize)]
pub struct Created {
    pub read: SessionRead,
    /// True when an Idempotency-Key or order id returned an earlier session.
    pub replayed: bool,
}

command!(
    /// Opens a session (as core's `Session::open` made it), or returns the
    /// one an earlier identical request opened; records `session.created` and
    /// queues its webhook in the same step.
    CreateSession {
        pub session: Session,
        /// This worker's origin, for the URLs the session's webhooks carry.
        pub origin: String,
        pub merchant_name: String,
        pub idempotency: Option<Claim>,
        pub order: Option<Claim>,
        /// Payment links: the API key that asks, which the link's webhook
        /// `secret` covers; used once and kept nowhere.
        pub link_key: Option<KeyInHand>,
    }, "create-session" => Created
);

/// An API key in transit to the account object that signs with it: masked in
/// `Debug`, never stored.
#[derive(Clone, Serialize, Deserialize)]
pub struct KeyInHand(String);

impl KeyInHand {
    pub fn of(key: &crate::secret::SecretString) -> KeyInHand {
        use crate::secret::ExposeSecret;
        KeyInHand(key.expose_secret().to_owned())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for KeyInHand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyInHand(…)")
    }
}

command!(
    /// A session of this account.
    GetSession {
        pub at: SessionRef,
    }, "get-session" => SessionRead
);

command!(
    /// Carries out a change of a session: the transition, its events, wallet
    /// bookings and webhooks, and the live views, in one step.
    ApplyToSession {
        pub at: SessionRef,
        pub change: Change,
    }, "apply" => Applied
);

command!(
    /// Applies a confirmation to the session that holds `payment_id`, if any
    /// (`NotFound` otherwise: the worker looks elsewhere, then records it as
    /// unmatched).
    ConfirmPayment {
        pub payment_id: PaymentId,
        pub confirmation: Confirmation,
    }, "confirm-payment" => Applied
);

command!(
    /// What `/vendor/check-payment` answers about a payment id, at most one
    /// call a second per merchant when `limited` (the live account keeps the
    /// limit).
    CheckPayment {
        pub payment_id: PaymentId,
        pub limited: bool,
    }, "check-payment" => Option<SessionRead>
);

command!(
    /// Records a verified payment that matched no session.
    RecordUnmatched {
        pub event: Event,
    }, "record-unmatched" => Recorded
);

/// What recording an event did.
#[derive(Debug, Serialize, Deserialize)]
pub struct Recorded {
    pub events: Vec<Event>,
    pub fresh: Vec<String>,
}

command!(
    /// Everything recorded about a session, oldest first.
    SessionEvents {
        pub at: SessionRef,
        pub limit: u32,
    }, "session-events" => Vec<Event>
);

command!(
    /// Verified payments that matched no pending session, oldest first.
    UnmatchedEvents {
        pub limit: u32,
    }, "unmatched-events" => Vec<Event>
);

command!(
    /// One page of sessions with their records, newest first (the native
    /// listing). Sessions imported before they moved (no record here yet) come
    /// as ids, for the worker to read from KV.
    ListSessions {
        pub before: Option<i64>,
        pub limit: u32,
    }, "list-sessions" => RecordPage
);

/// A page of [`ListSessions`].
#[derive(Debug, Serialize, Deserialize)]
pub enum Listed {
    Here(Box<SessionRead>),
    /// Still in KV (imported as a summary before the move).
    InKv(SessionId),
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RecordPage {
    pub data: Vec<Listed>,
    pub next_cursor: Option<i64>,
}

command!(
    /// The cron's sweep: sets the alarm again if work is due (a lost alarm
    /// loses nothing) and names pending sessions whose payment ETN should be
    /// asked about.
    Sweep {
        /// At most this many sessions to poll.
        pub polls: u32,
    }, "sweep" => SweepReport
);

/// What a sweep found.
#[derive(Debug, Serialize, Deserialize)]
pub struct SweepReport {
    /// Whether the object exists at all (a merchant's unused mode does not).
    pub exists: bool,
    /// Pending sessions to poll at ETN: their ids and payment ids.
    pub polls: Vec<(SessionId, PaymentId)>,
}

command!(
    /// Dev only: closes the WebSockets following a session as if the server
    /// dropped them (code 1012), the session going on. Answers how many.
    DropLive {
        pub session: SessionId,
    }, "drop-live" => u32
);

command!(
    /// Dev only: nothing, answered. What a call to an account object costs
    /// by itself (the load bench's second baseline).
    Ping, "ping" => ()
);

// ---------------------------------------------------------------- dashboard

command!(
    /// One page of session summaries (the dashboard's listing).
    Summaries {
        pub query: SessionQuery,
    }, "summaries" => SummaryPage
);

command!(
    /// The dashboard overview's figures as of `now`.
    GetOverview {
        pub now: i64,
    }, "overview" => Overview
);

command!(
    /// How far the import of sessions older than the sessions table has got.
    GetBackfill, "backfill" => Backfill
);

command!(
    /// Imports a page of sessions from KV (those the table lacks) and keeps
    /// `next` as where to go on (`None`: finished). Answers how many were new.
    ImportSessions {
        pub sessions: Vec<Stored>,
        pub next: Option<String>,
        pub now: i64,
    }, "import-sessions" => u32
);

command!(
    /// The merchant's payment policy in this mode (the defaults if never set).
    GetPolicy, "policy" => PaymentPolicy
);

command!(
    /// The merchant's brand on the hosted checkout in this mode (none if never set).
    GetBrand, "brand" => Brand
);

command!(
    /// Replaces the brand; pages shown from now on wear it.
    PutBrand {
        pub brand: Brand,
    }, "put-brand" => Brand
);

command!(
    /// Stores an uploaded logo (its media type read from its bytes by core's
    /// `brand::logo_type`), or removes it (`None`). Answers the brand.
    PutLogo {
        pub logo: Option<Logo>,
    }, "put-logo" => Brand
);

command!(
    /// The uploaded logo, if there is one.
    GetLogo, "logo" => Option<Logo>
);

/// An uploaded logo.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Logo {
    pub content_type: String,
    /// The bytes, base64 (standard alphabet).
    pub base64: String,
    /// A hash of the bytes: the image's version in its URL.
    pub version: String,
}

command!(
    /// Replaces the payment policy; sessions opened from now on keep it.
    PutPolicy {
        pub policy: PaymentPolicy,
    }, "put-policy" => PaymentPolicy
);

command!(
    /// Dev only: forgets the sessions table and the import, as an object made
    /// before the table existed. Answers how many sessions it forgot.
    ForgetSessions, "forget-sessions" => i64
);

command!(
    /// Dev only: makes every delivery `days` older, so that tests can watch
    /// the history's retention. Answers how many it aged.
    AgeDeliveries {
        pub days: i64,
    }, "age-deliveries" => i64
);

// ---------------------------------------------------------------- wallets

command!(
    /// The wallet of a user and currency, created if there is none.
    OpenWallet {
        /// The id to give a new wallet (drawn by the worker's CSPRNG).
        pub candidate: WalletId,
        pub user_id: i64,
        pub currency: String,
        pub now: i64,
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
    pub created_at: i64,
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

// ---------------------------------------------------------------- webhooks

command!(
    /// The signing secrets, sealed.
    GetSecrets, "secrets" => Secrets
);

command!(
    /// The webhook endpoint, if one is configured.
    GetEndpoint, "endpoint" => Option<Endpoint>
);

command!(
    /// Creates or replaces the webhook endpoint.
    PutEndpoint {
        pub url: String,
        /// A new signing secret, or `None` to keep the current one.
        pub secret: Option<Sealed>,
        pub filter: EventFilter,
        pub enabled: bool,
    }, "put-endpoint" => Endpoint
);

command!(
    /// Removes the webhook endpoint (the history stays). Answers whether there
    /// was one.
    DeleteEndpoint, "delete-endpoint" => bool
);

command!(
    /// Makes `secret` the signing secret; the previous one keeps signing for
    /// the rotation window.
    Rotate {
        pub secret: Sealed,
    }, "rotate" => Secrets
);

command!(
    /// One page of deliveries, newest first.
    ListDeliveries {
        pub query: DeliveryQuery,
    }, "deliveries" => DeliveryPage
);

command!(
    /// One delivery with its exact bytes and every attempt.
    GetDelivery {
        pub event_id: String,
    }, "delivery" => Delivery
);

command!(
    /// Sends a delivery again now.
    Redeliver {
        pub event_id: String,
    }, "redeliver" => Delivery
);

command!(
    /// Queues every failed delivery created since `since` (unix seconds) again.
    /// Answers how many.
    Recover {
        pub since: i64,
    }, "recover" => u32
);

command!(
    /// Records and sends a `webhook.test` event now.
    SendTest, "send-test" => Delivery
);

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

/// A page of deliveries, newest first.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeliveryPage {
    pub data: Vec<Delivery>,
    /// Pass as `before` for the next page.
    pub next_cursor: Option<i64>,
}

// ---------------------------------------------------------------- keys and sign-ins

command!(
    /// Lists an API key (once, by id).
    AddKey {
        pub key: ListedKey,
    }, "add-key" => ()
);

command!(
    /// The API keys, oldest first.
    ListKeys, "keys" => Vec<ListedKey>
);

command!(
    /// Revokes an API key.
    RevokeKey {
        pub id: KeyId,
        pub now: i64,
    }, "revoke-key" => ListedKey
);

command!(
    /// Spends a dashboard sign-in link and starts the session it signs in.
    /// Answers true for the link's first use only.
    SignIn {
        /// The hex SHA-256 of the link's token.
        pub link: String,
        pub link_expires_at: i64,
        /// The hex SHA-256 of the new session's cookie.
        pub session_hash: String,
        pub session: DashboardSession,
        pub now: i64,
    }, "sign-in" => bool
);

command!(
    /// The dashboard session a cookie's hash names, while it lasts.
    GetDashboardSession {
        pub hash: String,
        pub now: i64,
    }, "dashboard-session" => DashboardSession
);

command!(
    /// Ends a dashboard session. Answers whether there was one.
    SignOut {
        pub hash: String,
    }, "sign-out" => bool
);

command!(
    /// The open dashboard sessions, newest first.
    ListSignIns {
        pub now: i64,
    }, "sign-ins" => Vec<DashboardSession>
);

command!(
    /// Ends dashboard sessions: one (404 if there is no such one), those a
    /// key opened, or all. Answers how many ended.
    EndSignIns {
        pub which: Which,
    }, "end-sign-ins" => u32
);

/// Which dashboard sessions [`EndSignIns`] ends.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    /// The one of this id (`si_...`).
    One(String),
    /// Those opened by links of this key.
    OpenedBy(KeyId),
    All,
}

/// What the webhooks of a session's events carry, as the session was when
/// the events happened: each dialect gets exactly what its document promises.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionSnapshot {
    pub session_id: SessionId,
    pub dialect: checkout_core::session::Dialect,
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
