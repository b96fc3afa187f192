//! The one place where a session's state changes.
//!
//! Creation aside ([`Session::open`]), everything that happens to a session goes
//! through [`transition`]: a provider's confirmation, the merchant's cancel or
//! acceptance, the expiry, and the repair of a stale write. It is a pure
//! function from (session, what happened, now) to a [`Step`]: the session to
//! store, the events to record and the wallet bookings to make. The worker
//! only carries them out.
//!
//! ```text
//!   pending ──part──▶ partially_paid ──rest──▶ paid ◀── (tolerance, late window, accept)
//!      │                    │                   ▲
//!      ├──cancel────────────┴──▶ cancelled      │
//!      └──expiry────────────┴──▶ expired ──late payment──▶ needs_review ──accept──┘
//! ```
//!
//! A payment is identified by its provider and the provider's reference: every
//! verified payment adds to what the session received, and the same payment
//! again changes nothing. What it does depends on what is received then: in
//! full (or more) pays; short by no more than the merchant's tolerance pays
//! and records the shortfall; less opens the session for the rest under a new
//! payment id. After the expiry, a payment pays only within the late window
//! and the rate limit of the merchant's policy; otherwise the merchant decides.
//! A payment on a paid session is a duplicate: recorded, never paid or
//! credited twice. Every event's id is derived from what happened (see
//! [`crate::event`]), so running the same transition twice, from the same or a
//! stale copy, yields the same ids.

use core::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::confirmation::{Confirmation, Kind, Provider};
use crate::event::{event_id, Event, EventKind};
use crate::ledger::LedgerOp;
use crate::session::{Acceptance, Payment, Session, State};
use crate::time::UnixSeconds;
use crate::{Currency, EtnAmount, Money, PaymentId, PaymentString};

/// Something that happens to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition<'a> {
    /// A provider's verified confirmation (payment, refund or failure), and
    /// what its outcome may depend on besides the session.
    Confirm(&'a Confirmation, &'a Circumstances),
    /// The merchant cancels it.
    Cancel,
    /// Its expiry has passed. Reading a session never writes: an expiry is
    /// applied by an explicit call (the account object's alarm).
    Expire,
    /// Test mode only: the sandbox expires an open session now, so that a
    /// late payment can be tried without waiting for it.
    ExpireNow,
    /// The merchant accepts a session that needs review, or one partially
    /// paid, as paid.
    Accept(&'a Acceptance),
    /// A `session.paid` was recorded for it (an older version's paid marker)
    /// but the record says otherwise: a stale writer covered `paid`.
    Reconcile,
}

/// What a payment's outcome may depend on besides the session: drawn or read
/// by the caller (core draws nothing and reads no clock or rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Circumstances {
    /// The payment id of what is left to pay, should this payment leave
    /// something (drawn from a CSPRNG by the caller).
    pub next_payment_id: PaymentId,
    /// What the session's price costs in ETN now: a late ETN payment pays only
    /// if the rate moved no more than the policy allows. `None`: not known
    /// (then such a payment is the merchant's to decide).
    pub etn_now: Option<EtnAmount>,
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
    /// The payment was one the session had already received: the reference
    /// it was recorded under (its events are those it caused then:
    /// [`caused_by`] finds them).
    pub repeated: Option<String>,
}

/// A transition the session does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TransitionError {
    /// Cancel, expire or accept of a session in a state that does not allow it.
    Ended {
        /// The state it is in (at the time of the transition).
        state: State,
    },
    /// Something only test mode allows, asked of a live session.
    LiveSession,
    /// Expire before the session's expiry.
    NotDue {
        /// When it will be due.
        expires_at: UnixSeconds,
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
            TransitionError::LiveSession => "not_a_test_session",
            TransitionError::NotDue { .. } => "session_not_due",
            TransitionError::Currency { .. } => "currency_mismatch",
        }
    }
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionError::Ended { state } => {
                write!(f, "the session is {state} and cannot do that")
            }
            TransitionError::LiveSession => {
                write!(f, "only a test session can do that")
            }
            TransitionError::NotDue { expires_at } => {
                write!(f, "the session does not expire before {}", expires_at.0)
            }
            TransitionError::Currency { expected } => {
                write!(f, "currency must be the session's ({expected})")
            }
        }
    }
}

impl std::error::Error for TransitionError {}

/// The event that records a session's creation (once: its id is the session's).
pub fn created(session: &Session, now: UnixSeconds) -> Event {
    session_event(session, EventKind::SessionCreated, now)
}

/// An event about the session itself (created, paid, expired, cancelled):
/// once per session, keyed by its id.
fn session_event(session: &Session, kind: EventKind, now: UnixSeconds) -> Event {
    Event {
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
        etn: None,
        fiat: None,
        created_at: now,
    }
}

/// Whether `event` was caused by the payment `c`, recorded under `reference`
/// (to name a repeated payment's events again: see [`Step::repeated`]).
pub fn caused_by(event: &Event, c: &Confirmation, reference: &str) -> bool {
    event.provider == Some(c.provider) && event.provider_ref.as_deref() == Some(reference)
}

/// Whether `c` is the payment `p` again. A payment is its provider and the
/// provider's reference. ETN's check-payment poll learns no reference, only
/// that a payment id was paid and how much (ETN pays a payment id once): a
/// payment without one is the payment recorded for the same payment id and
/// amount, and so is a webhook's of a payment first learnt by a poll.
fn same_payment(p: &Payment, c: &Confirmation, reference: &str) -> bool {
    if p.provider != c.provider {
        return false;
    }
    if p.reference == reference {
        return true;
    }
    let unreferenced = |r: &str| r == format!("{}:{}", p.paid_to, p.amount.normalize());
    c.provider == Provider::Etn
        && p.paid_to == c.payment_ref
        && p.amount == c.amount.amount()
        && (c.provider_ref.is_none() || unreferenced(&p.reference))
}

/// Applies `transition` to `session` at `now`.
///
/// - a payment adds to what the session received; in full pays it (and
///   credits its wallet, if it names one), with `payment.overpaid` for any
///   excess; short within the policy's tolerance pays it with
///   `payment.underpaid`; shorter leaves it `partially_paid` with a new payment
///   id for the rest (`payment.partial`);
/// - after the expiry a payment pays (marked late) only within the policy's
///   late window and rate limit, else the session `needs_review`;
/// - a payment on a paid session is `payment.duplicate`, on a cancelled one
///   `payment.unmatched`; the same payment again changes nothing;
/// - refunds and failures are recorded and never change the state, so the
///   final state is the same whatever order a refund and its payment arrive
///   in; a refund asks the wallet to give back the refunded share of the price;
/// - cancel ends an open session, expire an open session that is due; accept
///   pays one that needs review or is partially paid (and still open).
pub fn transition(
    session: &Session,
    t: Transition<'_>,
    now: UnixSeconds,
) -> Result<Step, TransitionError> {
    match t {
        Transition::Confirm(c, circumstances) => confirm(session, c, circumstances, now),
        Transition::Cancel => end(session, State::Cancelled, now),
        Transition::Expire => end(session, State::Expired, now),
        Transition::ExpireNow => {
            if session.mode != crate::session::Mode::Test {
                return Err(TransitionError::LiveSession);
            }
            let due = Session {
                expires_at: session.expires_at.min(now),
                ..session.clone()
            };
            end(&due, State::Expired, now)
        }
        Transition::Accept(acceptance) => accept(session, acceptance, now),
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
        repeated: None,
    }
}

fn moved(
    session: &Session,
    state: State,
    now: UnixSeconds,
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
        repeated: None,
    }
}

/// Cancel or expire: only an open session ends, and an expiry only when due.
fn end(session: &Session, to: State, now: UnixSeconds) -> Result<Step, TransitionError> {
    let state = session.state_at(now);
    let allowed = match to {
        // Past its expiry a session can no longer be cancelled: it is expired.
        State::Cancelled => state.is_open(),
        _ => session.state.is_open(),
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
    let event = session_event(session, kind, now);
    Ok(moved(session, to, now, vec![event], Vec::new()))
}

/// The merchant's decision: a session that needs review, or one partially
/// paid and still open, is paid (its wallet credited once).
fn accept(
    session: &Session,
    acceptance: &Acceptance,
    now: UnixSeconds,
) -> Result<Step, TransitionError> {
    let state = session.state_at(now);
    if !matches!(state, State::NeedsReview | State::PartiallyPaid) {
        return Err(TransitionError::Ended { state });
    }
    let paid = session_event(session, EventKind::SessionPaid, now);
    let ledger = credit(session, &paid);
    let mut step = moved(session, State::Paid, now, vec![paid], ledger);
    step.session.accepted = Some(acceptance.clone());
    Ok(step)
}

/// Rounds to a currency's minor units, half away from zero.
fn to_units(value: Decimal, currency: Currency) -> Decimal {
    value.round_dp_with_strategy(
        currency.minor_units(),
        RoundingStrategy::MidpointAwayFromZero,
    )
}

/// A payment's worth in ETN and in the session's currency, at the session's
/// own rate (its price for its ETN amount).
fn worth(session: &Session, c: &Confirmation) -> (Decimal, Decimal) {
    let (etn_due, price) = (session.etn_due().value(), session.price.amount());
    let amount = c.amount.amount();
    // Every amount is at most MAX_AMOUNT, so these cannot overflow; were they
    // to, the payment would count for nothing rather than panic.
    let scaled = |value: Decimal, to: Decimal, from: Decimal| {
        value
            .checked_mul(to)
            .and_then(|v| v.checked_div(from))
            .unwrap_or(Decimal::ZERO)
    };
    match c.provider {
        Provider::Etn => (
            amount,
            to_units(scaled(amount, price, etn_due), session.price.currency()),
        ),
        Provider::Gateway => (
            to_units(scaled(amount, etn_due, price), Currency::ETN),
            amount,
        ),
    }
}

fn confirm(
    session: &Session,
    c: &Confirmation,
    circumstances: &Circumstances,
    now: UnixSeconds,
) -> Result<Step, TransitionError> {
    let want = session.expected(c.provider);
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
        Kind::Payment => pay(session, c, circumstances, now),
    })
}

/// A payment: added to what the session received, then what follows from the
/// state it finds the session in.
fn pay(
    session: &Session,
    c: &Confirmation,
    circumstances: &Circumstances,
    now: UnixSeconds,
) -> Step {
    let reference = c.reference();
    let received_before = session
        .payments
        .iter()
        .find(|p| same_payment(p, c, &reference))
        .map(|p| p.reference.clone());
    // A session paid before payments were recorded, and the payment that paid
    // it again (its exact amount, naming it).
    let paid_before_payments = session.state == State::Paid
        && session.payments.is_empty()
        && c.amount.amount() == session.expected(c.provider).amount()
        && match c.provider {
            Provider::Etn => session.holds_payment_id_text(&c.payment_ref),
            Provider::Gateway => session.id.as_str() == c.payment_ref,
        };
    if let Some(recorded) =
        received_before.or_else(|| paid_before_payments.then(|| reference.clone()))
    {
        return Step {
            repeated: Some(recorded),
            ..unchanged(session, Vec::new())
        };
    }
    let (etn, fiat) = worth(session, c);
    let payment = Payment {
        provider: c.provider,
        reference,
        paid_to: c.payment_ref.clone(),
        amount: c.amount.amount(),
        currency: c.amount.currency(),
        etn,
        fiat,
        at: now,
    };
    let mut next = session.clone();
    next.payments.push(payment);
    next.updated_at = now;
    let event = |kind, etn: Decimal, fiat: Decimal| {
        let mut e = c.event(&session.merchant_id, session.mode, Some(session), kind, now);
        e.etn = Some(etn.to_string());
        e.fiat = Some(fiat.to_string());
        e
    };
    let recorded = |next: Session, events: Vec<Event>| Step {
        session: next,
        changed: true,
        events,
        ledger: Vec::new(),
        repeated: None,
    };
    match session.state_at(now) {
        State::Paid => recorded(next, vec![event(EventKind::PaymentDuplicate, etn, fiat)]),
        State::Cancelled => recorded(next, vec![event(EventKind::PaymentUnmatched, etn, fiat)]),
        State::NeedsReview => recorded(next, vec![event(EventKind::SessionNeedsReview, etn, fiat)]),
        State::Pending | State::PartiallyPaid => settle(next, c, circumstances, false, now),
        State::Expired => {
            let in_window = session
                .policy
                .late_until(session.expires_at)
                .is_some_and(|until| now <= until);
            let rate_holds = match c.provider {
                // Paid in the session's own currency: the rate does not matter.
                Provider::Gateway => true,
                Provider::Etn => circumstances
                    .etn_now
                    .is_some_and(|now_etn| rate_moved_within(session, now_etn)),
            };
            let mut step = if in_window && rate_holds {
                settle(next, c, circumstances, true, now)
            } else {
                let mut step =
                    recorded(next, vec![event(EventKind::SessionNeedsReview, etn, fiat)]);
                step.session.state = State::NeedsReview;
                step
            };
            if session.state.is_open() {
                // Its expiry was not written yet: it happened first.
                let expired = session_event(session, EventKind::SessionExpired, now);
                step.events.insert(0, expired);
            }
            step
        }
    }
}

/// Whether what the session's price costs in ETN now is within the policy's
/// rate limit of what it cost when the session opened.
fn rate_moved_within(session: &Session, etn_now: EtnAmount) -> bool {
    let then = session.etn_due().value();
    let limit = session.policy.late_max_rate_change_percent;
    let change = (etn_now.value() - then).abs();
    // change / then <= limit / 100, without dividing.
    change
        .checked_mul(Decimal::ONE_HUNDRED)
        .zip(then.checked_mul(limit))
        .is_some_and(|(change, allowed)| change <= allowed)
}

/// What a payment that found the session open (or, `late`, expired within
/// the late window) does with what the session has received now.
fn settle(
    mut next: Session,
    c: &Confirmation,
    circumstances: &Circumstances,
    late: bool,
    now: UnixSeconds,
) -> Step {
    let tally = next.tally();
    let before = next.clone();
    let event = |kind, (etn, fiat): (Decimal, Decimal)| {
        let mut e = c.event(&before.merchant_id, before.mode, Some(&before), kind, now);
        e.etn = Some(etn.to_string());
        e.fiat = Some(fiat.to_string());
        e
    };
    let tolerance = next.policy.underpayment_tolerance_percent;
    let tolerated = tolerance > Decimal::ZERO && tally.within(tolerance);
    let (state, events, ledger) = if tally.in_full() || tolerated {
        next.late = late;
        let mut paid = session_event(&next, EventKind::SessionPaid, now);
        // The payment that completed it.
        paid.provider = Some(c.provider);
        paid.provider_ref = Some(c.reference());
        paid.amount = Some(c.amount.to_string());
        paid.currency = Some(c.amount.currency().code().to_owned());
        let ledger = credit(&next, &paid);
        let mut events = vec![paid];
        if !tally.in_full() {
            events.push(event(EventKind::PaymentUnderpaid, tally.short()));
        } else if tally.excess() != (Decimal::ZERO, Decimal::ZERO) {
            events.push(event(EventKind::PaymentOverpaid, tally.excess()));
        }
        (State::Paid, events, ledger)
    } else if late {
        // Short, after the expiry: the merchant decides.
        let events = vec![event(EventKind::SessionNeedsReview, tally.received())];
        (State::NeedsReview, events, Vec::new())
    } else {
        // Short: open for the rest, under a new payment id (the earlier ones
        // still pay it). What is left is at least a cent of ETN, however
        // little a gateway payment left uncovered.
        let (rest, _) = tally.short();
        let rest = EtnAmount::round_from(rest.max(Decimal::new(1, 2)))
            .unwrap_or(next.payment_string.amount());
        let current = next.payment_string.payment_id();
        if !next.earlier_payment_ids.contains(&current) {
            next.earlier_payment_ids.push(current);
        }
        next.payment_string = PaymentString::new(
            next.payment_string.vendor().clone(),
            circumstances.next_payment_id,
            rest,
        );
        let events = vec![event(EventKind::PaymentPartial, tally.received())];
        (State::PartiallyPaid, events, Vec::new())
    };
    next.state = state;
    Step {
        session: next,
        changed: true,
        events,
        ledger,
        repeated: None,
    }
}

/// A paid order credits its wallet with its price (once: the booking is keyed
/// by the session's one `session.paid`).
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
        .map(|share| to_units(share, price.currency()))
        .unwrap_or(price.amount())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::confirmation::tests::etn;
    use crate::ids::WalletId;
    use crate::policy::PaymentPolicy;
    use crate::session::tests::{open, request};

    fn session() -> Session {
        open(request()).unwrap()
    }

    /// The test session asks 49.95 USD, 19980.00 ETN.
    const DUE: &str = "19980.00";

    fn next_id() -> PaymentId {
        PaymentId::from_bytes([0xab, 0xcd, 0xef, 0x01, 0x23])
    }

    fn around(etn_now: Option<&str>) -> Circumstances {
        Circumstances {
            next_payment_id: next_id(),
            etn_now: etn_now.map(|e| e.parse().unwrap()),
        }
    }

    fn confirm(s: &Session, c: &Confirmation, now: UnixSeconds) -> Result<Step, TransitionError> {
        transition(s, Transition::Confirm(c, &around(None)), now)
    }

    /// An ETN payment of `amount` with its own reference.
    fn paid(amount: &str, reference: &str) -> Confirmation {
        Confirmation {
            provider_ref: Some(reference.into()),
            ..etn(Kind::Payment, amount)
        }
    }

    fn gateway(s: &Session, amount: &str, reference: &str) -> Confirmation {
        Confirmation {
            provider: Provider::Gateway,
            kind: Kind::Payment,
            payment_ref: s.id.to_string(),
            amount: Money::parse(amount, s.price.currency()).unwrap(),
            provider_ref: Some(reference.into()),
        }
    }

    fn kinds(step: &Step) -> Vec<EventKind> {
        step.events.iter().map(|e| e.kind).collect()
    }

    fn with_policy(tolerance: &str, late_minutes: u32, rate: &str) -> Session {
        let mut s = session();
        s.policy = PaymentPolicy {
            underpayment_tolerance_percent: tolerance.parse().unwrap(),
            late_window_minutes: late_minutes,
            late_max_rate_change_percent: rate.parse().unwrap(),
        };
        s
    }

    #[test]
    fn the_expected_amount_pays_once() {
        let s = session();
        let d = confirm(&s, &etn(Kind::Payment, DUE), UnixSeconds(1_010)).unwrap();
        assert!(d.changed);
        assert_eq!(d.session.state, State::Paid);
        assert_eq!(kinds(&d), [EventKind::SessionPaid]);
        assert_eq!(d.events[0].mode, s.mode);
        assert_eq!(
            d.session.tally().received(),
            ("19980.00".parse().unwrap(), "49.95".parse().unwrap())
        );
        // Numerically equal amounts are the same amount.
        assert_eq!(
            confirm(&s, &etn(Kind::Payment, "19980"), UnixSeconds(1_010))
                .unwrap()
                .session
                .state,
            State::Paid
        );
        // The same payment again changes nothing; its events are those it caused.
        let again = confirm(&d.session, &etn(Kind::Payment, DUE), UnixSeconds(1_020)).unwrap();
        assert!(!again.changed && again.repeated.is_some() && again.events.is_empty());
        let recorded = again.repeated.unwrap();
        assert!(caused_by(&d.events[0], &etn(Kind::Payment, DUE), &recorded));
    }

    #[test]
    fn a_polled_payment_and_its_webhook_are_one_payment_in_either_order() {
        let s = session();
        // What ETN's check-payment poll learns: the payment id, the amount, no ref.
        let polled = Confirmation {
            provider_ref: None,
            ..etn(Kind::Payment, DUE)
        };
        let hooked = etn(Kind::Payment, DUE);
        for (first, second) in [(&polled, &hooked), (&hooked, &polled)] {
            let one = confirm(&s, first, UnixSeconds(1_010)).unwrap();
            assert_eq!(one.session.state, State::Paid);
            let two = confirm(&one.session, second, UnixSeconds(1_020)).unwrap();
            assert!(two.repeated.is_some() && !two.changed, "{first:?}");
            assert_eq!(two.session.payments.len(), 1);
        }
        // A second webhook with another ref is another payment: a duplicate.
        let settled = confirm(&s, &hooked, UnixSeconds(1_010)).unwrap().session;
        let again = confirm(&settled, &paid(DUE, "another"), UnixSeconds(1_020)).unwrap();
        assert_eq!(kinds(&again), [EventKind::PaymentDuplicate]);
    }

    #[test]
    fn a_split_payment_opens_the_session_for_the_rest_under_a_new_payment_id() {
        let s = session();
        let first = s.payment_string.payment_id();
        let part = confirm(&s, &paid("8000.00", "ref-1"), UnixSeconds(1_010)).unwrap();
        assert_eq!(part.session.state, State::PartiallyPaid);
        assert_eq!(kinds(&part), [EventKind::PaymentPartial]);
        let rest = &part.session.payment_string;
        assert_eq!(
            (rest.payment_id(), rest.amount().value()),
            (next_id(), "11980.00".parse().unwrap())
        );
        assert_eq!(part.session.etn_due().value(), DUE.parse().unwrap());
        // Both ids pay it; what is due did not change.
        assert!(part.session.holds_payment_id(first) && part.session.holds_payment_id(next_id()));
        assert_eq!(part.events[0].etn.as_deref(), Some("8000.00"));
        // Still open: it expires as a pending session does, and can be cancelled.
        assert_eq!(
            part.session.state_at(part.session.expires_at),
            State::Expired
        );
        let rest = confirm(
            &part.session,
            &paid("11980.00", "ref-2"),
            UnixSeconds(1_020),
        )
        .unwrap();
        assert_eq!(rest.session.state, State::Paid);
        assert_eq!(kinds(&rest), [EventKind::SessionPaid]);
        assert_eq!(
            rest.session.tally().excess(),
            (Decimal::ZERO, Decimal::ZERO)
        );
        // The first half again is a repeat, not a duplicate payment.
        assert!(
            confirm(&rest.session, &paid("8000.00", "ref-1"), UnixSeconds(1_030))
                .unwrap()
                .repeated
                .is_some()
        );
    }

    #[test]
    fn two_halves_in_either_order_pay_once() {
        let s = session();
        let (a, b) = (paid("9990.00", "a"), paid("9990.00", "b"));
        for order in [[&a, &b], [&b, &a]] {
            let one = confirm(&s, order[0], UnixSeconds(1_010)).unwrap();
            let two = confirm(&one.session, order[1], UnixSeconds(1_011)).unwrap();
            assert_eq!(two.session.state, State::Paid);
            let all: Vec<EventKind> = one
                .events
                .iter()
                .chain(&two.events)
                .map(|e| e.kind)
                .collect();
            assert_eq!(
                all.iter().filter(|k| **k == EventKind::SessionPaid).count(),
                1
            );
        }
    }

    #[test]
    fn an_overpayment_pays_and_records_the_excess_in_both_units() {
        let s = session();
        let over = confirm(&s, &paid("20000.00", "big"), UnixSeconds(1_010)).unwrap();
        assert_eq!(over.session.state, State::Paid);
        assert_eq!(
            kinds(&over),
            [EventKind::SessionPaid, EventKind::PaymentOverpaid]
        );
        // 20 ETN over, at 49.95 USD for 19980 ETN: 0.05 USD.
        let e = &over.events[1];
        assert_eq!(
            (e.etn.as_deref(), e.fiat.as_deref()),
            (Some("20.00"), Some("0.05"))
        );
        assert_eq!(
            over.session.tally().excess(),
            ("20.00".parse().unwrap(), "0.05".parse().unwrap())
        );
    }

    #[test]
    fn a_payment_on_a_paid_session_is_a_duplicate_never_a_second_credit() {
        let mut s = session();
        s.wallet_id = Some(WalletId::from_random([9; 10]));
        let paid_by_etn = confirm(&s, &etn(Kind::Payment, DUE), UnixSeconds(1_010)).unwrap();
        assert_eq!(paid_by_etn.ledger.len(), 1);
        // Another provider, any amount.
        let again = confirm(
            &paid_by_etn.session,
            &gateway(&s, "0.01", "psp-9"),
            UnixSeconds(1_020),
        )
        .unwrap();
        assert_eq!(kinds(&again), [EventKind::PaymentDuplicate]);
        assert!(again.ledger.is_empty());
        assert_eq!(again.session.state, State::Paid);
        assert_eq!(again.events[0].fiat.as_deref(), Some("0.01"));
        // ... and the other way round.
        let by_gateway = confirm(&s, &gateway(&s, "49.95", "psp-1"), UnixSeconds(1_010)).unwrap();
        let then_etn = confirm(
            &by_gateway.session,
            &paid("0.01", "etn-2"),
            UnixSeconds(1_020),
        )
        .unwrap();
        assert_eq!(kinds(&then_etn), [EventKind::PaymentDuplicate]);
        assert!(then_etn.ledger.is_empty());
    }

    #[test]
    fn within_the_tolerance_a_short_payment_pays_and_records_the_shortfall() {
        let s = with_policy("1", 0, "0");
        // 19780.20 is 99% of 19980: within.
        let short = confirm(&s, &paid("19780.20", "short"), UnixSeconds(1_010)).unwrap();
        assert_eq!(short.session.state, State::Paid);
        assert_eq!(
            kinds(&short),
            [EventKind::SessionPaid, EventKind::PaymentUnderpaid]
        );
        assert_eq!(short.events[1].etn.as_deref(), Some("199.80"));
        // A cent less is a partial payment.
        let shorter = confirm(&s, &paid("19780.19", "shorter"), UnixSeconds(1_010)).unwrap();
        assert_eq!(shorter.session.state, State::PartiallyPaid);
        // Without a tolerance, any shortfall is partial.
        let strict = confirm(&session(), &paid("19979.99", "x"), UnixSeconds(1_010)).unwrap();
        assert_eq!(strict.session.state, State::PartiallyPaid);
    }

    #[test]
    fn a_late_payment_pays_within_the_window_and_the_rate_limit_else_needs_review() {
        let s = with_policy("0", 30, "5");
        let late = s.expires_at.plus(60);
        let after_window = s.expires_at.plus(31 * 60);
        // In the session's own currency the rate does not matter.
        let g = transition(
            &s,
            Transition::Confirm(&gateway(&s, "49.95", "g"), &around(None)),
            late,
        )
        .unwrap();
        assert_eq!((g.session.state, g.session.late), (State::Paid, true));
        // ETN: the price costs 20500 ETN now (2.6% more): within 5%.
        let c = paid(DUE, "e");
        let ok = transition(&s, Transition::Confirm(&c, &around(Some("20500.00"))), late).unwrap();
        assert_eq!((ok.session.state, ok.session.late), (State::Paid, true));
        // 21200 ETN (6.1% more), an unknown rate, or past the window: the merchant decides.
        for (etn_now, at) in [
            (Some("21200.00"), late),
            (None, late),
            (Some(DUE), after_window),
        ] {
            let step = transition(&s, Transition::Confirm(&c, &around(etn_now)), at).unwrap();
            assert_eq!(step.session.state, State::NeedsReview, "{etn_now:?} {at:?}");
            // The expiry no alarm had written yet comes first.
            assert_eq!(
                kinds(&step),
                [EventKind::SessionExpired, EventKind::SessionNeedsReview]
            );
        }
        // Once the expiry is written, a late payment adds only its own events.
        let expired = transition(&s, Transition::Expire, late).unwrap().session;
        let step = transition(&expired, Transition::Confirm(&c, &around(None)), late).unwrap();
        assert_eq!(kinds(&step), [EventKind::SessionNeedsReview]);
        assert_eq!(step.events[0].etn.as_deref(), Some("19980.00"));
        // Without a late window every late payment needs review; so does a short one within it.
        let strict = confirm(&session(), &etn(Kind::Payment, DUE), session().expires_at).unwrap();
        assert_eq!(strict.session.state, State::NeedsReview);
        let short = transition(
            &s,
            Transition::Confirm(&paid("100.00", "s"), &around(Some(DUE))),
            late,
        )
        .unwrap();
        assert_eq!(short.session.state, State::NeedsReview);
    }

    #[test]
    fn the_sandbox_expires_test_sessions_now_and_never_live_ones() {
        let s = session();
        assert_eq!(s.mode, crate::session::Mode::Test);
        let now = s.created_at.plus(5);
        let step = transition(&s, Transition::ExpireNow, now).unwrap();
        assert_eq!(step.session.state, State::Expired);
        assert_eq!(step.session.expires_at, now);
        assert_eq!(kinds(&step), [EventKind::SessionExpired]);
        let live = Session {
            mode: crate::session::Mode::Live,
            ..s
        };
        assert_eq!(
            transition(&live, Transition::ExpireNow, now),
            Err(TransitionError::LiveSession)
        );
    }

    #[test]
    fn the_merchant_accepts_what_needs_review_or_is_partially_paid() {
        let mut s = session();
        s.wallet_id = Some(WalletId::from_random([9; 10]));
        let by = Acceptance {
            by: "key_x".into(),
            signed_in_at: None,
            at: UnixSeconds(2_000),
        };
        let review = confirm(&s, &etn(Kind::Payment, DUE), s.expires_at)
            .unwrap()
            .session;
        let accepted = transition(&review, Transition::Accept(&by), UnixSeconds(2_000)).unwrap();
        assert_eq!(accepted.session.state, State::Paid);
        assert_eq!(accepted.session.accepted, Some(by.clone()));
        assert_eq!(kinds(&accepted), [EventKind::SessionPaid]);
        assert_eq!(accepted.ledger.len(), 1);
        let partial = confirm(&s, &paid("100.00", "p"), UnixSeconds(1_010))
            .unwrap()
            .session;
        assert_eq!(
            transition(&partial, Transition::Accept(&by), UnixSeconds(1_020))
                .unwrap()
                .session
                .state,
            State::Paid
        );
        // Anything else is refused.
        for other in [s.clone(), accepted.session.clone()] {
            assert!(matches!(
                transition(&other, Transition::Accept(&by), UnixSeconds(1_020)),
                Err(TransitionError::Ended { .. })
            ));
        }
        // A partially paid session past its expiry is expired: not accepted.
        assert_eq!(
            transition(&partial, Transition::Accept(&by), partial.expires_at),
            Err(TransitionError::Ended {
                state: State::Expired
            })
        );
    }

    #[test]
    fn payments_in_two_currencies_add_up_without_a_false_excess() {
        let s = session();
        // Half in ETN, half in USD: 9990 ETN is 24.975 USD. 24.97 more is half
        // a cent short (2 ETN): open for the rest, never rounded up to paid.
        let half = confirm(&s, &paid("9990.00", "e"), UnixSeconds(1_010))
            .unwrap()
            .session;
        let short = confirm(&half, &gateway(&s, "24.97", "g"), UnixSeconds(1_020)).unwrap();
        assert_eq!(short.session.state, State::PartiallyPaid);
        assert_eq!(short.session.payment_string.amount().to_string(), "2.00");
        // 24.98 (the gateway's nearest) pays; half a cent over is no excess.
        let rest = confirm(&half, &gateway(&s, "24.98", "g"), UnixSeconds(1_020)).unwrap();
        assert_eq!(rest.session.state, State::Paid);
        assert_eq!(kinds(&rest), [EventKind::SessionPaid]);
        assert_eq!(
            rest.session.tally().excess(),
            (Decimal::ZERO, Decimal::ZERO)
        );
    }

    #[test]
    fn payments_after_a_cancel_are_unmatched_and_kept() {
        let s = session();
        let cancelled = transition(&s, Transition::Cancel, UnixSeconds(1_005))
            .unwrap()
            .session;
        let d = confirm(&cancelled, &etn(Kind::Payment, DUE), UnixSeconds(1_010)).unwrap();
        assert_eq!(kinds(&d), [EventKind::PaymentUnmatched]);
        assert_eq!(d.session.state, State::Cancelled);
        assert_eq!(d.session.payments.len(), 1);
        // A partially paid session can be cancelled too (the merchant gives it back).
        let partial = confirm(&s, &paid("100.00", "p"), UnixSeconds(1_010))
            .unwrap()
            .session;
        assert_eq!(
            transition(&partial, Transition::Cancel, UnixSeconds(1_020))
                .unwrap()
                .session
                .state,
            State::Cancelled
        );
    }

    #[test]
    fn a_session_paid_before_payments_were_recorded_knows_its_payment_again() {
        let mut old = session();
        old.state = State::Paid;
        old.etn_total = None;
        let again = confirm(&old, &etn(Kind::Payment, DUE), UnixSeconds(1_010)).unwrap();
        assert!(again.repeated.is_some() && !again.changed);
        // Its old records name no provider reference: the same amount to the
        // same payment id is taken for that payment. Another amount is a
        // duplicate.
        let other = confirm(&old, &paid("100.00", "new"), UnixSeconds(1_010)).unwrap();
        assert_eq!(kinds(&other), [EventKind::PaymentDuplicate]);
    }

    #[test]
    fn refund_before_payment_ends_in_the_same_state_as_after() {
        let s = session();
        let pay = etn(Kind::Payment, DUE);
        let refund = etn(Kind::Refund, DUE);
        let run = |order: [&Confirmation; 2]| {
            let mut current = s.clone();
            let mut ids = Vec::new();
            for c in order {
                let d = confirm(&current, c, UnixSeconds(1_010)).unwrap();
                ids.extend(d.events.iter().map(|e| e.id.clone()));
                current = d.session;
            }
            ids.sort();
            (current.state, ids)
        };
        assert_eq!(run([&pay, &refund]), run([&refund, &pay]));
        assert_eq!(run([&pay, &refund]).0, State::Paid);
    }

    /// Two copies of the same confirmation decided from the same session agree
    /// on state and event ids.
    #[test]
    fn two_copies_agree_on_state_and_event_ids() {
        let s = session();
        let a = confirm(&s, &etn(Kind::Payment, DUE), UnixSeconds(1_010)).unwrap();
        let b = confirm(&s, &etn(Kind::Payment, DUE), UnixSeconds(1_011)).unwrap();
        let ids = |s: &Step| s.events.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert_eq!(
            (a.session.state, b.session.state),
            (State::Paid, State::Paid)
        );
    }

    /// Older versions kept sessions in KV, where a stale cancel or expiry could
    /// be written over paid; their paid marker repairs it.
    #[test]
    fn a_stale_cancel_written_over_paid_is_reconciled() {
        let stale = session();
        let overwritten = transition(&stale, Transition::Cancel, UnixSeconds(1_011))
            .unwrap()
            .session;
        let repaired = transition(&overwritten, Transition::Reconcile, UnixSeconds(1_020)).unwrap();
        assert_eq!(
            (repaired.changed, repaired.session.state),
            (true, State::Paid)
        );
        assert!(repaired.events.is_empty());
        let paid = confirm(&stale, &etn(Kind::Payment, DUE), UnixSeconds(1_010)).unwrap();
        assert!(
            !transition(&paid.session, Transition::Reconcile, UnixSeconds(1_030))
                .unwrap()
                .changed
        );
    }

    #[test]
    fn states_only_move_forward() {
        let s = session();
        let cancelled = transition(&s, Transition::Cancel, UnixSeconds(1_001)).unwrap();
        assert_eq!(cancelled.session.state, State::Cancelled);
        assert_eq!(cancelled.events[0].kind, EventKind::SessionCancelled);
        assert_eq!(
            transition(&cancelled.session, Transition::Cancel, UnixSeconds(1_002)),
            Err(TransitionError::Ended {
                state: State::Cancelled
            })
        );
        assert!(transition(&cancelled.session, Transition::Expire, UnixSeconds(99_999)).is_err());
        // Past its expiry an open session reads as expired and can no longer be cancelled.
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
            transition(&s, Transition::Expire, late.minus(1)),
            Err(TransitionError::NotDue { expires_at: late })
        );
        // Expiring twice names the same event.
        assert_eq!(
            transition(&s, Transition::Expire, late.plus(50))
                .unwrap()
                .events[0]
                .id,
            expired.events[0].id
        );
    }

    #[test]
    fn each_payment_and_each_partial_refund_is_kept() {
        let s = session();
        let id = |c: &Confirmation| {
            confirm(&s, c, UnixSeconds(1_010)).unwrap().events[0]
                .id
                .clone()
        };
        // Payments by their reference: two references, two payments.
        assert_ne!(id(&paid("100.00", "a")), id(&paid("100.00", "b")));
        // Without a reference, by what they named and their amount.
        let unref = |amount: &str| Confirmation {
            provider_ref: None,
            ..etn(Kind::Payment, amount)
        };
        assert_ne!(id(&unref("100.00")), id(&unref("200.00")));
        assert_eq!(id(&unref("100.00")), id(&unref("100.0")));
        assert_ne!(
            id(&etn(Kind::Refund, "100.00")),
            id(&etn(Kind::Refund, "200.00"))
        );
    }

    #[test]
    fn gateway_payments_are_in_the_sessions_currency() {
        let s = session();
        let c = gateway(&s, "49.95", "psp");
        assert_eq!(
            confirm(&s, &c, UnixSeconds(1_010)).unwrap().session.state,
            State::Paid
        );
        let eur = Confirmation {
            amount: Money::parse("49.95", Currency::EUR).unwrap(),
            ..c
        };
        assert_eq!(
            confirm(&s, &eur, UnixSeconds(1_010)),
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
        let settled = confirm(&s, &etn(Kind::Payment, DUE), UnixSeconds(1_010)).unwrap();
        assert_eq!(
            settled.ledger,
            vec![LedgerOp::Credit {
                wallet: wallet.clone(),
                session: s.id.clone(),
                event_id: settled.events[0].id.clone(),
                amount: s.price.amount(),
            }]
        );
        // A refund of a quarter of the ETN gives back a quarter of the price,
        // rounded half away from zero: 49.95 / 4 = 12.4875 → 12.49.
        let refund = confirm(
            &settled.session,
            &etn(Kind::Refund, "4995.00"),
            UnixSeconds(1_020),
        )
        .unwrap();
        match &refund.ledger[..] {
            [LedgerOp::Refund { share, .. }] => assert_eq!(share.to_string(), "12.49"),
            other => panic!("{other:?}"),
        }
        // The largest amount the wire admits cannot overflow the arithmetic.
        let huge = etn(Kind::Refund, "999999999999");
        match &confirm(&settled.session, &huge, UnixSeconds(1_030))
            .unwrap()
            .ledger[..]
        {
            [LedgerOp::Refund { share, .. }] => assert!(*share > s.price.amount(), "{share}"),
            other => panic!("{other:?}"),
        }
        // A partial payment books nothing; sessions without a wallet book nothing.
        assert!(confirm(&s, &paid("100.00", "p"), UnixSeconds(1_010))
            .unwrap()
            .ledger
            .is_empty());
        assert!(
            confirm(&session(), &etn(Kind::Payment, DUE), UnixSeconds(1_010))
                .unwrap()
                .ledger
                .is_empty()
        );
    }
}
