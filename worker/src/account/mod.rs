//! A merchant's account: one SQLite-backed Durable Object per merchant and mode,
//! the home of everything that must be consistent.
//!
//! KV cannot hold what must never be lost or counted twice: it allows one write
//! per second per key, shows writes elsewhere a minute late and has no queries.
//! The account object owns, in tables (`db.rs`):
//! - the merchant's **sessions** (`sessions.rs`): each session's record, state
//!   and events in one row, found by its id or payment id; the Idempotency-Keys
//!   and order ids that make creation idempotent; every change carried out in
//!   one atomic step by the session engine (`engine.rs`), and pushed to the
//!   shoppers following it over WebSockets (`live.rs`); expiry is its alarm;
//! - its **wallets** and their **ledgers** (`wallets.rs`), with a running
//!   balance kept in the same step as every entry;
//! - its **webhook endpoint** and signing secrets (`endpoint.rs`), and the
//!   **outbox** (`outbox.rs`, `webhooks.rs`): a delivery for every event the
//!   merchant receives, queued in the step that records the event, and every
//!   attempt;
//! - its **payment policy** (`policy.rs`), which each new session keeps;
//! - its **API keys** and when each was last used (`keys.rs`), and the
//!   dashboard's **sign-ins** (`signins.rs`).
//!
//! The worker talks to it with typed commands (`protocol/`, `client.rs`);
//! `dispatch.rs` hands each to the module that owns its tables. Test and live
//! are two objects (`mer_...:test`, `mer_...:live`): test data cannot reach a
//! live query by any id.

mod alarm;
mod brand;
mod claims;
mod client;
mod db;
mod dev;
mod dispatch;
mod endpoint;
mod engine;
mod keys;
pub mod live;
mod object;
mod outbox;
mod payload;
mod policy;
pub mod protocol;
mod sessions;
mod signins;
mod snapshot;
mod wallets;
mod webhooks;

pub use client::{Account, Accounts, WALLET_ENTRIES};
pub use object::{AccountObject, MANUAL_SENDS};
pub use protocol::ListedKey;
pub use sessions::summary;
