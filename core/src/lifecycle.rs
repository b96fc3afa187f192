//! The one place where a session's state changes.
//!
//! Creation aside ([`Session::open`]), everything that happens to a session goes
//! through [`transition`]: a provider's confirmation, the merchant's cancel, the
//! expiry, and the repair of a stale write. It is a pure function from (session,
//! what happened, now) to a [`Step`]: the session to store, the events to record
//! and the wallet bookings to make. The worker only carries them out.
//!
//! States only move forward: `pending → paid | expired | cancelled`. Every event's
//! id is derived from what happened (see [`crate::event`]), so running the same
//! transition twice, from the same or a stale copy, yields the same ids.

use core::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::confirmation::{Confirmation, Kind, Provider};
use crate::event::{event_id, Event, EventKind};
use crate::ledger::LedgerOp;
use crate::session::{Session, State};
use crate::{Currency, Money};

/// Something that happens to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition<'a> {
    /// A provider's verified confirmation (payment, refund or failure).
    Confirm(&'a Confirmation),
    /// The merchant cancels it.
    Cancel,
    /// Its expiry has passed. Reading a session never writes: an expiry is
    /// applied by an explicit call (the cron, or a write that finds it due).
    Expire,
    /// A `session.paid` was recorded for it (the paid marker) but the record says
    /// otherwise: a stale writer covered `paid`. KV is last-writer-wins, so a
    /// location that read the session as pending can write cancelled or expired
    /// over paid; the marker is a key no session write touches.
    Reconcile,
}

/// What a transition decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The session to store (unchanged if nothing moved).
    pub session: Session,
    /// Whether `session` differs from the input and must be written.
    pub changed: bool,
    /// Events to record (and tell the merchant about).
    pub events: Vec<Event>,
    /// What the session's wallet must book (ewallet orders that name one).
    pub ledger: Vec<LedgerOp>,
}

/// A transition the session does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TransitionError {
    /// Cancel or expire of a session that has already ended in `state`.
    Ended {
        /// The state it ended in (at the time of the transition).
        state: State,
    },
    /// Expire before the session's expiry.
    NotDue {
        /// When it will be due (unix seconds).
        expires_at: i64,
    },
    /// A confirmation in another currency than the session expects from its
    /// provider (ETN for ETN, the session's own currency for the gateway).
    Currency {
        /// The currency the session expects.
        expected: Currency,
    },
}

impl TransitionError {
    /// A stable machine-readable code for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            TransitionError::Ended { .. } => "session_not_pending",
            TransitionError::NotDue { .. } => "session_not_due",
            TransitionError::Currency { .. } => "currency_mismatch",
        }
    }
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionError::Ended { state } => {
                write!(f, "the session is {state} and can no longer change")
            }
            TransitionError::NotDue { expires_at } => {
                write!(f, "the session does not expire before {expires_at}")
            }
            TransitionError::Currency { expected } => {
                write!(f, "currency must be the session's ({expected})")
            }
        }
    }
}

impl std::error::Error for TransitionError {}

/// What a session expects from a provider: its ETN amount from ETN, its own
/// price from the gateway.
pub fn expected(session: &Session, provider: Provider) -> Money {
    match provider {
        Provider::Etn => session.payment_string.amount().to_money(),
        Provider::Gateway => session.price,
    }
}

/// The event that records a session's creation (once: its id is the session's).
pub fn created(session: &Session, now: i64) -> Event {
    Event {
        id: event_id(
            &session.merchant_id,
            session.id.as_str(),
            EventKind::SessionCreated,
        ),
        kind: EventKind::SessionCreated,
        merchant_id: session.merchant_id.clone(),
        mode: session.mode,
        session_id: Some(session.id.clone()),
        wallet_id: session.wallet_id.clone(),
        provider: None,
        payment_ref: session.payment_string.payment_id().to_string(),
        amount: None,
        currency: None,
        expected_amount: Some(session.price.to_string()),
        provider_ref: None,
        created_at: now,
    }
}

/// Applies `transition` to `session` at `now`.
///
/// - a payment of exactly the expected amount to a pending session pays it (and
///   credits its wallet, if it names one);
/// - a different amount is recorded as under- or overpaid and changes nothing;
/// - a payment to a session that is no longer pending is recorded as unmatched,
///   except the very payment that paid it, which is a duplicate;
/// - refunds and failures are recorded and never change the state, so the final
///   state is the same whatever order a refund and its payment arrive in; a
///   refund asks the wallet to give back the refunded share of the price;
/// - cancel and expire move a pending session to their state and record it.
pub fn transition(session: &Session, t: Transition<'_>, now: i64) -> Result<Step, TransitionError> {
    match t {
        Transition::Confirm(c) => confirm(session, c, now),
        Transition::Cancel => end(session, State::Cancelled, now),
        Transition::Expire => end(session, State::Expired, now),
        Transition::Reconcile => Ok(if session.state == State::Paid {
            unchanged(session, Vec::new())
        } else {
            moved(session, State::Paid, now, Vec::new(), Vec::new())
        }),
    }
}

fn unchanged(session: &Session, events: Vec<Event>) -> Step {
    Step {
        session: session.clone(),
        changed: false,
        events,
        ledger: Vec::new(),
    }
}

fn moved(
    session: &Session,
    state: State,
    now: i64,
    events: Vec<Event>,
    ledger: Vec<LedgerOp>,
) -> Step {
    Step {
        session: Session {
            state,
            updated_at: now,
            ..session.clone()
        },
        changed: true,
        events,
        ledger,
    }
}

/// Cancel or expire: only a pending session ends, and an expiry only when due.
fn end(session: &Session, to: State, now: i64) -> Result<Step, TransitionError> {
    let state = session.state_at(now);
    let allowed = match to {
        // Past its expiry a session can no longer be cancelled: it is expired.
        State::Cancelled => state == State::Pending,
        _ => session.state == State::Pending,
    };
    if !allowed {
        return Err(TransitionError::Ended { state });
    }
    if to == State::Expired && state != State::Expired {
        return Err(TransitionError::NotDue {
            expires_at: session.expires_at,
        });
    }
    let kind = match to {
        State::Cancelled => EventKind::SessionCancelled,
        _ => EventKind::SessionExpired,
    };
    let event = Event {
        id: event_id(&session.merchant_id, session.id.as_str(), kind),
        kind,
        merchant_id: session.merchant_id.clone(),
        mode: session.mode,
        session_id: Some(session.id.clone()),
        wallet_id: session.wallet_id.clone(),
        provider: None,
        payment_ref: session.payment_string.payment_id().to_string(),
        amount: None,
        currency: None,
        expected_amount: Some(session.price.to_string()),
        provider_ref: None,
        created_at: now,
    };
    Ok(moved(session, to, now, vec![event], Vec::new()))
}

fn confirm(session: &Session, c: &Confirmation, now: i64) -> Result<Step, TransitionError> {
    let want = expected(session, c.provider);
    if c.amount.currency() != want.currency() {
        return Err(TransitionError::Currency {
            expected: want.currency(),
        });
    }
    let event = |kind| c.event(&session.merchant_id, session.mode, Some(session), kind, now);
    let amount = c.amount.amount();
    Ok(match c.kind {
        Kind::Refund => {
            let e = event(EventKind::PaymentRefunded);
            let ledger = session
                .wallet_id
                .iter()
                .map(|wallet| LedgerOp::Refund {
                    wallet: wallet.clone(),
                    session: session.id.clone(),
                    event_id: e.id.clone(),
                    share: refunded_share(session.price, amount, want.amount()),
                })
                .collect();
            Step {
                ledger,
                ..unchanged(session, vec![e])
            }
        }
        Kind::Failure => unchanged(session, vec![event(EventKind::PaymentFailed)]),
        Kind::Payment => match session.state_at(now) {
            State::Pending if amount == want.amount() => {
                let e = event(EventKind::SessionPaid);
                let ledger = credit(session, &e);
                moved(session, State::Paid, now, vec![e], ledger)
            }
            State::Pending if amount < want.amount() => {
                unchanged(session, vec![event(EventKind::PaymentUnderpaid)])
            }
            State::Pending => unchanged(session, vec![event(EventKind::PaymentOverpaid)]),
            // The payment that paid it, again: the same event, and the same credit
            // (booked once), so a retry after a partial failure completes it.
            State::Paid if paid_by(session, c) => {
                let e = event(EventKind::SessionPaid);
                Step {
                    ledger: credit(session, &e),
                    ..unchanged(session, vec![e])
                }
            }
            _ => unchanged(session, vec![event(EventKind::PaymentUnmatched)]),
        },
    })
}

/// A paid order credits its wallet with its price.
fn credit(session: &Session, paid: &Event) -> Vec<LedgerOp> {
    session
        .wallet_id
        .iter()
        .map(|wallet| LedgerOp::Credit {
            wallet: wallet.clone(),
            session: session.id.clone(),
            event_id: paid.id.clone(),
            amount: session.price.amount(),
        })
        .collect()
}

/// The part of the price a refund gives back: price × refunded / expected (an ETN
/// refund is in ETN, a gateway refund in the price's currency), rounded half away
/// from zero to the price's minor units. Not capped here: the wallet ledger books
/// at most what the session credited and records the rest as an anomaly.
///
/// Every input is at most [`crate::MAX_AMOUNT`] and `expected` is positive, so the
/// checked arithmetic cannot fail; if it ever did, the whole price is asked for,
/// which the ledger caps just the same.
fn refunded_share(price: Money, refunded: Decimal, expected: Decimal) -> Decimal {
    price
        .amount()
        .checked_mul(refunded)
        .and_then(|p| p.checked_div(expected))
        .map(|share| {
            share.round_dp_with_strategy(
                price.currency().minor_units(),
                RoundingStrategy::MidpointAwayFromZero,
            )
        })
        .unwrap_or(price.amount())
}

/// Whether a paid session was paid by this payment reference (a duplicate).
fn paid_by(session: &Session, c: &Confirmation) -> bool {
    match c.provider {
        Provider::Etn => session.payment_string.payment_id().as_str() == c.payment_ref,
        Provider::Gateway => session.id.as_str() == c.payment_ref,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::confirmation::tests::etn;
    use crate::ids::WalletId;
    use crate::session::tests::{open, request};

    fn session() -> Session {
        open(request()).unwrap()
    }

    fn confirm(s: &Session, c: &Confirmation, now: i64) -> Result<Step, TransitionError> {
        transition(s, Transition::Confirm(c), now)
    }

    #[test]
    fn the_expected_amount_pays_once() {
        let s = session();
        let d = confirm(&s, &etn(Kind::Payment, "19980.00"), 1_010).unwrap();
        assert!(d.changed);
        assert_eq!(d.session.state, State::Paid);
        assert_eq!(d.events.len(), 1);
        assert_eq!(d.events[0].kind, EventKind::SessionPaid);
        assert_eq!(d.events[0].mode, s.mode);
        // Numerically equal amounts are the same amount.
        assert_eq!(
            confirm(&s, &etn(Kind::Payment, "19980"), 1_010)
                .unwrap()
                .session
                .state,
            State::Paid
        );
        // A duplicate changes nothing and names the same event.
        let again = confirm(&d.session, &etn(Kind::Payment, "19980.00"), 1_020).unwrap();
        assert!(!again.changed);
        assert_eq!(again.events[0].id, d.events[0].id);
    }

    #[test]
    fn wrong_amounts_are_recorded_not_paid() {
        let s = session();
        let under = confirm(&s, &etn(Kind::Payment, "19979.99"), 1_010).unwrap();
        assert_eq!(
            (under.changed, under.events[0].kind),
            (false, EventKind::PaymentUnderpaid)
        );
        assert_eq!(under.events[0].expected_amount.as_deref(), Some("19980.00"));
        let over = confirm(&s, &etn(Kind::Payment, "20000.00"), 1_010).unwrap();
        assert_eq!(
            (over.changed, over.events[0].kind),
            (false, EventKind::PaymentOverpaid)
        );
    }

    #[test]
    fn payments_after_the_end_are_unmatched() {
        let s = session();
        let d = confirm(&s, &etn(Kind::Payment, "19980.00"), s.expires_at).unwrap();
        assert_eq!(
            (d.changed, d.events[0].kind),
            (false, EventKind::PaymentUnmatched)
        );
        let cancelled = transition(&s, Transition::Cancel, 1_005).unwrap().session;
        let d = confirm(&cancelled, &etn(Kind::Payment, "19980.00"), 1_010).unwrap();
        assert_eq!(d.events[0].kind, EventKind::PaymentUnmatched);
        assert_eq!(d.session.state, State::Cancelled);
    }

    #[test]
    fn refund_before_payment_ends_in_the_same_state_as_after() {
        let s = session();
        let pay = etn(Kind::Payment, "19980.00");
        let refund = etn(Kind::Refund, "19980.00");
        let run = |order: [&Confirmation; 2]| {
            let mut current = s.clone();
            let mut ids = Vec::new();
            for c in order {
                let d = confirm(&current, c, 1_010).unwrap();
                ids.extend(d.events.iter().map(|e| e.id.clone()));
                current = d.session;
            }
            ids.sort();
            (current.state, ids)
        };
        assert_eq!(run([&pay, &refund]), run([&refund, &pay]));
        assert_eq!(run([&pay, &refund]).0, State::Paid);
    }

    /// Two edge locations each read the same stale (pending) session and process
    /// a copy of the same confirmation; their writes interleave in either order.
    #[test]
    fn two_stale_readers_agree_on_state_and_event_ids() {
        let stale = session();
        let a = confirm(&stale, &etn(Kind::Payment, "19980.00"), 1_010).unwrap();
        let b = confirm(&stale, &etn(Kind::Payment, "19980.00"), 1_011).unwrap();
        let ids = |s: &Step| s.events.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        // Last writer wins in KV: either way the stored state is paid.
        for last in [&a.session, &b.session] {
            assert_eq!(last.state, State::Paid);
        }
        // A third copy that reads either written value changes nothing more.
        for seen in [&a.session, &b.session] {
            let c = confirm(seen, &etn(Kind::Payment, "19980.00"), 1_012).unwrap();
            assert!(!c.changed);
            assert_eq!(c.events[0].id, a.events[0].id);
        }
    }

    /// Location A reads the session as pending; a payment is applied at location B;
    /// A, still seeing pending, cancels (or expires) it and its write lands last.
    #[test]
    fn a_stale_cancel_written_over_paid_is_reconciled() {
        let stale = session();
        let paid = confirm(&stale, &etn(Kind::Payment, "19980.00"), 1_010).unwrap();
        assert!(paid.events.iter().any(|e| e.kind == EventKind::SessionPaid));
        let overwritten = transition(&stale, Transition::Cancel, 1_011)
            .unwrap()
            .session;
        assert_eq!(overwritten.state, State::Cancelled);
        let repaired = transition(&overwritten, Transition::Reconcile, 1_020).unwrap();
        assert_eq!(
            (repaired.changed, repaired.session.state),
            (true, State::Paid)
        );
        assert!(repaired.events.is_empty());
        let expired_over_paid = transition(&stale, Transition::Expire, stale.expires_at)
            .unwrap()
            .session;
        let repaired = transition(&expired_over_paid, Transition::Reconcile, 9_999).unwrap();
        assert_eq!(repaired.session.state, State::Paid);
        // Reconciling a paid session changes nothing.
        assert!(
            !transition(&paid.session, Transition::Reconcile, 1_030)
                .unwrap()
                .changed
        );
    }

    #[test]
    fn states_only_move_forward() {
        let s = session();
        let cancelled = transition(&s, Transition::Cancel, 1_001).unwrap();
        assert_eq!(cancelled.session.state, State::Cancelled);
        assert_eq!(cancelled.events[0].kind, EventKind::SessionCancelled);
        assert_eq!(
            transition(&cancelled.session, Transition::Cancel, 1_002),
            Err(TransitionError::Ended {
                state: State::Cancelled
            })
        );
        assert!(transition(&cancelled.session, Transition::Expire, 99_999).is_err());
        // Past expiry a pending session reads as expired and can no longer be cancelled.
        let late = s.expires_at;
        assert_eq!(
            transition(&s, Transition::Cancel, late),
            Err(TransitionError::Ended {
                state: State::Expired
            })
        );
        let expired = transition(&s, Transition::Expire, late).unwrap();
        assert_eq!(expired.session.state, State::Expired);
        assert_eq!(expired.events[0].kind, EventKind::SessionExpired);
        assert_eq!(
            transition(&s, Transition::Expire, late - 1),
            Err(TransitionError::NotDue { expires_at: late })
        );
        // Expiring twice names the same event.
        assert_eq!(
            transition(&s, Transition::Expire, late + 50)
                .unwrap()
                .events[0]
                .id,
            expired.events[0].id
        );
    }

    #[test]
    fn distinct_wrong_amounts_and_partial_refunds_are_all_kept() {
        let s = session();
        let id = |c: &Confirmation| confirm(&s, c, 1_010).unwrap().events[0].id.clone();
        assert_ne!(
            id(&etn(Kind::Payment, "100.00")),
            id(&etn(Kind::Payment, "200.00"))
        );
        assert_eq!(
            id(&etn(Kind::Payment, "100.00")),
            id(&etn(Kind::Payment, "100.0"))
        );
        assert_ne!(
            id(&etn(Kind::Refund, "100.00")),
            id(&etn(Kind::Refund, "200.00"))
        );
        assert_eq!(
            id(&etn(Kind::Payment, "19980.00")),
            id(&etn(Kind::Payment, "19980"))
        );
    }

    #[test]
    fn gateway_payments_are_in_the_sessions_currency() {
        let s = session();
        let c = Confirmation {
            provider: Provider::Gateway,
            kind: Kind::Payment,
            payment_ref: s.id.to_string(),
            amount: Money::parse("49.95", Currency::from_code("USD").unwrap()).unwrap(),
            provider_ref: None,
        };
        assert_eq!(confirm(&s, &c, 1_010).unwrap().session.state, State::Paid);
        let eur = Confirmation {
            amount: Money::parse("49.95", Currency::EUR).unwrap(),
            ..c
        };
        assert_eq!(
            confirm(&s, &eur, 1_010),
            Err(TransitionError::Currency {
                expected: Currency::from_code("USD").unwrap()
            })
        );
    }

    #[test]
    fn wallet_orders_book_credits_and_refund_shares() {
        let mut s = session();
        let wallet = WalletId::from_random([9; 10]);
        s.wallet_id = Some(wallet.clone());
        let paid = confirm(&s, &etn(Kind::Payment, "19980.00"), 1_010).unwrap();
        assert_eq!(
            paid.ledger,
            vec![LedgerOp::Credit {
                wallet: wallet.clone(),
                session: s.id.clone(),
                event_id: paid.events[0].id.clone(),
                amount: s.price.amount(),
            }]
        );
        // A refund of a quarter of the ETN gives back a quarter of the price,
        // rounded half away from zero: 49.95 / 4 = 12.4875 → 12.49.
        let refund = confirm(&paid.session, &etn(Kind::Refund, "4995.00"), 1_020).unwrap();
        match &refund.ledger[..] {
            [LedgerOp::Refund { share, .. }] => assert_eq!(share.to_string(), "12.49"),
            other => panic!("{other:?}"),
        }
        // The largest amount the wire admits cannot overflow the arithmetic.
        let huge = etn(Kind::Refund, "999999999999");
        match &confirm(&paid.session, &huge, 1_030).unwrap().ledger[..] {
            [LedgerOp::Refund { share, .. }] => {
                assert!(*share > s.price.amount(), "{share}")
            }
            other => panic!("{other:?}"),
        }
        // Sessions without a wallet book nothing.
        assert!(confirm(&session(), &etn(Kind::Payment, "19980.00"), 1_010)
            .unwrap()
            .ledger
            .is_empty());
    }
}
