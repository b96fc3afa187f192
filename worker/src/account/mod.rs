//! A merchant's account: one SQLite-backed Durable Object per merchant and mode,
//! the strongly consistent half of the worker's storage.
//!
//! KV cannot hold what must never be lost or counted twice: it allows one write
//! per second per key, shows writes elsewhere a minute late and has no queries.
//! The account object owns, in tables:
//! - the merchant's **events**, each recorded once under its deterministic id (a
//!   provider's retry is a no-op here too);
//! - its **wallets** and their **ledgers**, with a running balance kept in the
//!   same atomic step as every entry (core's `ledger` decides what may be booked);
//! - its **webhook endpoint** and signing secrets, and the **outbox**: a delivery
//!   for every event the merchant receives, queued in the step that records the
//!   event, and every attempt, sent by the object's alarm;
//! - a **summary of every session**, written in the step that records the
//!   session's events, and paid totals per day: what the dashboard lists and
//!   counts, which KV cannot query;
//! - the dashboard **sign-in links already used** (a link works once).
//!
//! Test and live are two objects (`mer_...:test`, `mer_...:live`): test data
//! cannot reach a live query by any id.

mod client;
mod db;
mod endpoint;
mod keys;
mod object;
mod outbox;
mod payload;
pub mod protocol;
mod sessions;
mod signins;

pub use client::{Account, Accounts};
pub use keys::ListedKey;
pub use object::AccountObject;
