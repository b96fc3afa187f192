//! Wallet ledgers (ewallet-orders-api): what a paid order or a refund may book,
//! decided purely.
//!
//! The invariants, which the worker's storage keeps by applying [`book`] in one
//! strongly consistent step per operation:
//! - one entry per causing event id, so the same operation twice books once;
//! - the balance is the sum of the entries: credits minus debits, exactly;
//! - no debit without a credit: a refund debits only against what its own session
//!   credited, and the refunds of a session never add up to more than that credit;
//! - what a refund asks beyond that is not booked; it is recorded as a
//!   `payment.refund_exceeds` event for a human to look at.
//!
//! A refund that overtakes its payment therefore books nothing (there is no
//! credit yet) and is recorded as exceeding: conservative, never negative.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::event::{event_id, Event, EventKind};
use crate::ids::{MerchantId, SessionId, WalletId};
use crate::mode::Mode;
use crate::time::UnixSeconds;

/// A booking a session transition asks of its wallet (see
/// [`crate::lifecycle::Step::ledger`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum LedgerOp {
    /// The order was paid: credit its price.
    Credit {
        wallet: WalletId,
        session: SessionId,
        /// The `session.paid` event that caused it.
        event_id: String,
        /// In the wallet's currency (an order is in its wallet's currency).
        amount: Decimal,
    },
    /// A refund: give back `share` of the price, within what the session credited.
    Refund {
        wallet: WalletId,
        session: SessionId,
        /// The `payment.refunded` event that caused it.
        event_id: String,
        /// The refunded share of the price, in the wallet's currency.
        share: Decimal,
    },
}

impl LedgerOp {
    /// The wallet the operation books on.
    pub fn wallet(&self) -> &WalletId {
        match self {
            LedgerOp::Credit { wallet, .. } | LedgerOp::Refund { wallet, .. } => wallet,
        }
    }

    /// The session whose credit and refunds it counts against.
    pub fn session(&self) -> &SessionId {
        match self {
            LedgerOp::Credit { session, .. } | LedgerOp::Refund { session, .. } => session,
        }
    }

    /// The id of the event that caused it: the id of its ledger entry.
    pub fn event_id(&self) -> &str {
        match self {
            LedgerOp::Credit { event_id, .. } | LedgerOp::Refund { event_id, .. } => event_id,
        }
    }
}

/// What one session has booked on its wallet so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionBook {
    /// The sum of its credits (its price, once paid).
    pub credited: Decimal,
    /// The sum of its debits, as a positive number.
    pub refunded: Decimal,
}

/// One entry of a wallet's append-only ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    /// The causing event's id: an operation is booked at most once.
    pub id: String,
    pub session_id: SessionId,
    /// Signed, in the wallet's currency: positive credits, negative refunds. Zero
    /// for a refund that found nothing left to give back.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    /// What the operation asked for (the refunded share, or the credit).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub requested: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub created_at: UnixSeconds,
}

/// What [`book`] decided: the entry to append and the events to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub entry: Entry,
    pub events: Vec<Event>,
}

/// Decides what `op` books, given what its session booked so far.
///
/// The caller must have checked that no entry with the op's event id exists, and
/// must write the result in the same atomic step as that check.
pub fn book(
    op: &LedgerOp,
    so_far: SessionBook,
    merchant: &MerchantId,
    mode: Mode,
    currency: &str,
    now: UnixSeconds,
) -> Booking {
    let event = |kind: EventKind, amount: Decimal| Event {
        id: event_id(merchant, op.event_id(), kind),
        kind,
        merchant_id: merchant.clone(),
        mode,
        session_id: Some(op.session().clone()),
        wallet_id: Some(op.wallet().clone()),
        provider: None,
        payment_ref: op.event_id().to_owned(),
        amount: Some(amount.to_string()),
        currency: Some(currency.to_owned()),
        expected_amount: None,
        provider_ref: None,
        etn: None,
        fiat: None,
        created_at: now,
    };
    let entry = |amount: Decimal, requested: Decimal| Entry {
        id: op.event_id().to_owned(),
        session_id: op.session().clone(),
        amount,
        requested,
        created_at: now,
    };
    match op {
        LedgerOp::Credit { amount, .. } => Booking {
            entry: entry(*amount, *amount),
            events: vec![event(EventKind::WalletTopup, *amount)],
        },
        LedgerOp::Refund { share, .. } => {
            let left = (so_far.credited - so_far.refunded).max(Decimal::ZERO);
            let debit = (*share).min(left).max(Decimal::ZERO);
            let excess = *share - debit;
            // A debit of nothing is written as plain 0, not -0.
            let amount = if debit.is_zero() {
                Decimal::ZERO
            } else {
                -debit
            };
            Booking {
                entry: entry(amount, *share),
                events: if excess > Decimal::ZERO {
                    vec![event(EventKind::PaymentRefundExceeds, excess)]
                } else {
                    Vec::new()
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn refund(share: &str, id: &str) -> LedgerOp {
        LedgerOp::Refund {
            wallet: WalletId::from_random([1; 10]),
            session: SessionId::legacy([2; 15]),
            event_id: id.into(),
            share: d(share),
        }
    }

    /// Applies operations in order, as the storage would: once per event id.
    fn run(ops: &[LedgerOp]) -> (Decimal, Vec<Event>) {
        let m = MerchantId::from_random([3; 10]);
        let mut book_so_far = SessionBook::default();
        let mut seen = Vec::new();
        let mut events = Vec::new();
        let mut balance = Decimal::ZERO;
        for op in ops {
            if seen.contains(&op.event_id().to_owned()) {
                continue;
            }
            seen.push(op.event_id().to_owned());
            let b = book(op, book_so_far, &m, Mode::Test, "USD", UnixSeconds(1));
            if b.entry.amount > Decimal::ZERO {
                book_so_far.credited += b.entry.amount;
            } else {
                book_so_far.refunded -= b.entry.amount;
            }
            balance += b.entry.amount;
            events.extend(b.events);
        }
        (balance, events)
    }

    fn credit(amount: &str) -> LedgerOp {
        LedgerOp::Credit {
            wallet: WalletId::from_random([1; 10]),
            session: SessionId::legacy([2; 15]),
            event_id: "evt_paid".into(),
            amount: d(amount),
        }
    }

    #[test]
    fn refunds_never_exceed_the_credit() {
        // The red team's repro: three partial refunds of a paid 10.00 order.
        let (balance, events) = run(&[
            credit("10.00"),
            refund("6.00", "evt_r1"),
            refund("7.00", "evt_r2"),
            refund("9.99", "evt_r3"),
        ]);
        assert_eq!(balance, d("0.00"));
        let exceeded: Vec<_> = events
            .iter()
            .filter(|e| e.kind == EventKind::PaymentRefundExceeds)
            .map(|e| e.amount.clone().unwrap())
            .collect();
        assert_eq!(exceeded, ["3.00", "9.99"]);
        assert_eq!(
            events
                .iter()
                .filter(|e| e.kind == EventKind::WalletTopup)
                .count(),
            1
        );
    }

    #[test]
    fn no_debit_without_a_credit() {
        let (balance, events) = run(&[refund("10.00", "evt_r1")]);
        assert_eq!(balance, Decimal::ZERO);
        assert_eq!(events[0].kind, EventKind::PaymentRefundExceeds);
        assert_eq!(events[0].amount.as_deref(), Some("10.00"));
    }

    #[test]
    fn the_same_operation_books_once() {
        let (balance, _) = run(&[
            credit("10.00"),
            credit("10.00"),
            refund("4.00", "evt_r1"),
            refund("4.00", "evt_r1"),
        ]);
        assert_eq!(balance, d("6.00"));
    }

    #[test]
    fn events_name_their_cause_deterministically() {
        let m = MerchantId::from_random([3; 10]);
        let a = book(
            &credit("1.00"),
            SessionBook::default(),
            &m,
            Mode::Live,
            "USD",
            UnixSeconds(1),
        );
        let b = book(
            &credit("1.00"),
            SessionBook::default(),
            &m,
            Mode::Live,
            "USD",
            UnixSeconds(9),
        );
        assert_eq!(a.events[0].id, b.events[0].id);
        assert_eq!(a.events[0].wallet_id, Some(WalletId::from_random([1; 10])));
    }
}
