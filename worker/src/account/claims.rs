//! What makes creating a session idempotent: the first result of an
//! `Idempotency-Key` and of a merchant's `order_id`, each in its own table
//! (`idempotency`, `orders`), unique per account by its primary key. The
//! engine (`engine.rs`) reads and writes them in the step that opens a session.

use checkout_core::ids::SessionId;
use checkout_core::time::UnixSeconds;
use serde::Deserialize;

use super::db::{int, text, Db, Result};
use super::protocol::{Claim, Refusal};
use crate::store::{IDEMPOTENCY_TTL, ORDER_TTL};

/// The two kinds of first result that make creation idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    /// An `Idempotency-Key` (24 hours).
    Idempotency,
    /// A merchant's `order_id` (30 days, while its session is pending or paid).
    Order,
}

impl ClaimKind {
    pub fn table(self) -> &'static str {
        match self {
            ClaimKind::Idempotency => "idempotency",
            ClaimKind::Order => "orders",
        }
    }

    /// How long it holds, in seconds.
    pub fn ttl(self) -> i64 {
        match self {
            ClaimKind::Idempotency => IDEMPOTENCY_TTL as i64,
            ClaimKind::Order => ORDER_TTL as i64,
        }
    }

    pub fn conflict(self) -> Refusal {
        match self {
            ClaimKind::Idempotency => Refusal::IdempotencyKeyReused,
            ClaimKind::Order => Refusal::OrderConflict,
        }
    }
}

/// A first result, as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct ClaimRow {
    pub session_id: String,
    pub fingerprint: String,
    pub created_at: UnixSeconds,
}

impl Db {
    /// The first result of a key or order id (by its hash), if any.
    pub fn claim(&self, kind: ClaimKind, hash: &str) -> Result<Option<ClaimRow>> {
        Ok(self
            .rows(
                &format!(
                    "SELECT session_id, fingerprint, created_at FROM {} WHERE hash = ?",
                    kind.table()
                ),
                vec![text(hash)],
            )?
            .into_iter()
            .next())
    }

    /// Makes `session` the first result of a key or order id (an order id
    /// freed by a session that ended unpaid, or a key past its 24 hours, is
    /// taken over).
    pub fn put_claim(
        &self,
        kind: ClaimKind,
        claim: &Claim,
        session: &SessionId,
        now: UnixSeconds,
    ) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO {} (hash, session_id, fingerprint, created_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (hash) DO UPDATE SET session_id = excluded.session_id,
                     fingerprint = excluded.fingerprint, created_at = excluded.created_at",
                kind.table()
            ),
            vec![
                text(claim.hash.as_str()),
                text(session.as_str()),
                text(claim.fingerprint.as_str()),
                int(now),
            ],
        )
    }
}
