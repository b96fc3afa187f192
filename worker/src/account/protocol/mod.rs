//! What the worker asks of a merchant's account object, and what it answers.
//!
//! Every request is one [`Command`]: a serde type whose associated `Answer` is
//! the one type the object answers with, so the client (`client.rs`) and the
//! object (`object.rs`, which hands each command to the module that owns its
//! tables) cannot disagree. A command travels over RPC as its `NAME` and the
//! JSON of its [`Envelope`] (the object's `command` method, `dispatch.rs`);
//! the answer comes back as a serialised
//! `Result<Answer, Failure>`: a refusal is the client's 4xx with its stable
//! code, a bug a 500, an outage a retryable 503. Integers are carried as JSON
//! integers between two Rust ends (never through JavaScript numbers); those a
//! client sends are bounded at the wire to what a JavaScript number (and so a
//! SQLite binding) keeps exactly (`checkout_core::validate::MAX_SAFE_INTEGER`),
//! and `db.rs` refuses any other as a bug rather than let it round.

use checkout_core::ids::MerchantId;
use checkout_core::lifecycle::TransitionError;
use checkout_core::session::Mode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use checkout_api::dashboard::Overview;
pub use checkout_api::webhooks::{Attempt, Delivery, DisabledReason};

use crate::error::ApiError;

/// A request to an account object and the type of its answer.
pub trait Command: Serialize + DeserializeOwned {
    /// Its name (`create-session`), by which the object finds its handler:
    /// one per command.
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
            Refusal::Transition(e) => ApiError::from(*e),
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

/// Declares a command: its type, its name and its answer.
macro_rules! command {
    ($(#[$doc:meta])* $name:ident { $($body:tt)* }, $named:literal => $answer:ty) => {
        $(#[$doc])*
        #[derive(Debug, Serialize, Deserialize)]
        pub struct $name { $($body)* }
        impl Command for $name {
            const NAME: &'static str = $named;
            type Answer = $answer;
        }
    };
    ($(#[$doc:meta])* $name:ident, $named:literal => $answer:ty) => {
        $(#[$doc])*
        #[derive(Debug, Serialize, Deserialize)]
        pub struct $name;
        impl Command for $name {
            const NAME: &'static str = $named;
            type Answer = $answer;
        }
    };
}

mod dashboard;
mod keys;
mod sessions;
mod wallets;
mod webhooks;

pub use dashboard::*;
pub use keys::*;
pub use sessions::*;
pub use wallets::*;
pub use webhooks::*;
