//! Verified payment confirmations and what they do to a session: the payment
//! state machine.
//!
//! [`decide`] is a pure function from (session, verified confirmation, now) to
//! (new session, events). States only move forward. Every event's id is derived
//! from (merchant, payment reference, kind) alone, so a duplicate webhook, a poll
//! answer for the same payment, or two copies processed at two edge locations
//! from stale reads all produce the same event ids and the same final state:
//! storing an event is idempotent, and a wallet credit keyed by its event id can
//! only be written once.

use core::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::{MerchantId, SessionId};
use crate::session::{Session, State};
use crate::Currency;

/// Who confirmed a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// An ETN webhook or an answer of ETN's check-payment API.
    Etn,
    /// A gateway webhook (`/api/webhook.php`), including the sandbox.
    Gateway,
}

/// What a provider says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Money arrived.
    Payment,
    /// Money went back to the buyer, against an earlier payment.
    Refund,
    /// An attempt failed (gateway `payment.failed`).
    Failure,
}

/// A confirmation whose signature, timestamp and credentials were verified by the
/// edge that received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub provider: Provider,
    pub kind: Kind,
    /// What the provider calls the payment: the ETN payment id, or the gateway
    /// session id. Refunds carry the reference of the payment they refund.
    pub payment_ref: String,
    /// The amount exactly as the provider wrote it.
    pub amount: String,
    /// The amount's currency (ETN for ETN, the session's for the gateway).
    pub currency: Currency,
    /// The provider's own reference, if any (ETN `ref`, gateway `reference`).
    pub provider_ref: Option<String>,
}

/// What happened, as recorded and told to the merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// The expected amount arrived: the session is paid.
    #[serde(rename = "session.paid")]
    SessionPaid,
    /// Less than expected arrived; the session stays pending.
    #[serde(rename = "payment.underpaid")]
    PaymentUnderpaid,
    /// More than expected arrived; the session stays pending until a merchant decides.
    #[serde(rename = "payment.overpaid")]
    PaymentOverpaid,
    /// A verified payment for a session that is no longer pending (or none at all).
    #[serde(rename = "payment.unmatched")]
    PaymentUnmatched,
    /// A payment attempt failed.
    #[serde(rename = "payment.failed")]
    PaymentFailed,
    /// Money was refunded against a payment.
    #[serde(rename = "payment.refunded")]
    PaymentRefunded,
    /// The session expired unpaid.
    #[serde(rename = "session.expired")]
    SessionExpired,
}

impl EventKind {
    /// The event's wire name (`session.paid`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::SessionPaid => "session.paid",
            EventKind::PaymentUnderpaid => "payment.underpaid",
            EventKind::PaymentOverpaid => "payment.overpaid",
            EventKind::PaymentUnmatched => "payment.unmatched",
            EventKind::PaymentFailed => "payment.failed",
            EventKind::PaymentRefunded => "payment.refunded",
            EventKind::SessionExpired => "session.expired",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// `evt_` + 24 hex of SHA-256(merchant, payment reference, kind); for
    /// underpaid, overpaid, unmatched and refund events the reference includes the
    /// amount, so that distinct partial payments and refunds are all kept.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub merchant_id: MerchantId,
    /// The session, when the payment matched one.
    pub session_id: Option<SessionId>,
    pub provider: Option<Provider>,
    pub payment_ref: String,
    pub amount: Option<String>,
    pub currency: Option<String>,
    /// What the session expected, for under- and overpayments.
    pub expected_amount: Option<String>,
    pub provider_ref: Option<String>,
    /// Unix seconds when it was first decided.
    pub created_at: i64,
}

/// The id of the event of `kind` for one payment of one merchant.
pub fn event_id(merchant: &MerchantId, payment_ref: &str, kind: EventKind) -> String {
    let digest = Sha256::new()
        .chain_update(merchant.as_str())
        .chain_update([0])
        .chain_update(payment_ref)
        .chain_update([0])
        .chain_update(kind.as_str())
        .finalize();
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("evt_{hex}")
}

/// What [`decide`] concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The session to store (unchanged if nothing moved).
    pub session: Session,
    /// Whether `session` differs from the input and must be written.
    pub changed: bool,
    /// Events to record (and tell the merchant about).
    pub events: Vec<Event>,
}

/// Why a confirmation cannot be applied at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecideError {
    /// The amount is not a decimal number.
    Amount,
    /// The confirmation is in another currency than the session expects.
    Currency,
}

impl fmt::Display for DecideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecideError::Amount => f.write_str("amount is not a decimal number"),
            DecideError::Currency => f.write_str("currency does not match the session's"),
        }
    }
}

impl std::error::Error for DecideError {}

/// Parses an amount as a provider wrote it (`"1234.56"`, `1234.5`).
pub fn parse_amount(text: &str) -> Result<Decimal, DecideError> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(DecideError::Amount);
    }
    Decimal::from_str_exact(text).map_err(|_| DecideError::Amount)
}

/// What an event's id is derived from: the payment reference, and for events that
/// can happen several times to one payment (partial refunds, several wrong
/// amounts) the amount too, so that each distinct one is kept while an exact
/// duplicate still maps to the same id.
fn event_key(c: &Confirmation, kind: EventKind) -> String {
    match kind {
        EventKind::PaymentUnderpaid
        | EventKind::PaymentOverpaid
        | EventKind::PaymentUnmatched
        | EventKind::PaymentRefunded => {
            let amount = parse_amount(&c.amount)
                .map(|a| a.normalize().to_string())
                .unwrap_or_else(|_| c.amount.clone());
            format!("{}:{amount}", c.payment_ref)
        }
        _ => c.payment_ref.clone(),
    }
}

fn event(
    session: Option<&Session>,
    merchant: &MerchantId,
    c: &Confirmation,
    kind: EventKind,
    now: i64,
) -> Event {
    Event {
        id: event_id(merchant, &event_key(c, kind), kind),
        kind,
        merchant_id: merchant.clone(),
        session_id: session.map(|s| s.id.clone()),
        provider: Some(c.provider),
        payment_ref: c.payment_ref.clone(),
        amount: Some(c.amount.clone()),
        currency: Some(c.currency.code().to_owned()),
        expected_amount: session.map(|s| expected(s, c.provider).0.to_string()),
        provider_ref: c.provider_ref.clone(),
        created_at: now,
    }
}

/// What a session expects from a provider: ETN from ETN, its own price from the gateway.
fn expected(session: &Session, provider: Provider) -> (Decimal, Currency) {
    match provider {
        Provider::Etn => (session.payment_string.amount().value(), Currency::ETN),
        Provider::Gateway => (session.price.amount(), session.price.currency()),
    }
}

/// A verified payment with no session to apply to (merchants may make their own
/// payment strings): recorded, never lost.
pub fn unmatched(merchant: &MerchantId, c: &Confirmation, now: i64) -> Event {
    let kind = match c.kind {
        Kind::Payment => EventKind::PaymentUnmatched,
        Kind::Refund => EventKind::PaymentRefunded,
        Kind::Failure => EventKind::PaymentFailed,
    };
    event(None, merchant, c, kind, now)
}

/// The event that records a session's expiry (once: its id depends on the session).
pub fn expired(session: &Session, now: i64) -> Event {
    Event {
        id: event_id(
            &session.merchant_id,
            session.id.as_str(),
            EventKind::SessionExpired,
        ),
        kind: EventKind::SessionExpired,
        merchant_id: session.merchant_id.clone(),
        session_id: Some(session.id.clone()),
        provider: None,
        payment_ref: session.payment_string.payment_id().to_string(),
        amount: None,
        currency: None,
        expected_amount: Some(session.price.to_string()),
        provider_ref: None,
        created_at: now,
    }
}

/// The payment state machine.
///
/// - a payment of exactly the expected amount to a pending session pays it;
/// - a different amount is recorded as under- or overpaid and changes nothing;
/// - a payment to a session that is no longer pending is recorded as unmatched;
/// - refunds and failures are recorded and never change the state, so the final
///   state is the same whatever order a refund and its payment arrive in.
pub fn decide(session: &Session, c: &Confirmation, now: i64) -> Result<Decision, DecideError> {
    let merchant = &session.merchant_id;
    let amount = parse_amount(&c.amount)?;
    let (want, currency) = expected(session, c.provider);
    if c.currency != currency {
        return Err(DecideError::Currency);
    }
    let unchanged = |events: Vec<Event>| Decision {
        session: session.clone(),
        changed: false,
        events,
    };
    let one = |kind| vec![event(Some(session), merchant, c, kind, now)];
    Ok(match c.kind {
        Kind::Refund => unchanged(one(EventKind::PaymentRefunded)),
        Kind::Failure => unchanged(one(EventKind::PaymentFailed)),
        Kind::Payment => match session.state_at(now) {
            State::Pending if amount == want => Decision {
                session: Session {
                    state: State::Paid,
                    updated_at: now,
                    ..session.clone()
                },
                changed: true,
                events: one(EventKind::SessionPaid),
            },
            State::Pending if amount < want => unchanged(one(EventKind::PaymentUnderpaid)),
            State::Pending => unchanged(one(EventKind::PaymentOverpaid)),
            // The same payment again: the paid event it made has the same id.
            State::Paid if session_paid_by(session, c) => unchanged(one(EventKind::SessionPaid)),
            _ => unchanged(one(EventKind::PaymentUnmatched)),
        },
    })
}

/// Repairs a session record that a stale writer overwrote.
///
/// KV is last-writer-wins: a location that read a session as pending before a
/// payment reached it can later write it as expired or cancelled over `paid`. The
/// `session.paid` event, written under its deterministic id before the session,
/// cannot be overwritten that way; `paid_recorded` says whether it exists. A paid
/// session stays paid.
pub fn reconcile(session: Session, paid_recorded: bool, now: i64) -> Session {
    if paid_recorded && session.state != State::Paid {
        Session {
            state: State::Paid,
            updated_at: now,
            ..session
        }
    } else {
        session
    }
}

/// Whether a paid session was paid by this payment reference (a duplicate).
fn session_paid_by(session: &Session, c: &Confirmation) -> bool {
    match c.provider {
        Provider::Etn => session.payment_string.payment_id().as_str() == c.payment_ref,
        Provider::Gateway => session.id.as_str() == c.payment_ref,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MerchantId;
    use crate::session::Transition;

    fn session() -> Session {
        crate::session::tests::open(crate::session::tests::request()).unwrap()
    }

    fn etn(kind: Kind, amount: &str) -> Confirmation {
        Confirmation {
            provider: Provider::Etn,
            kind,
            payment_ref: "7ce25b4dc0".into(),
            amount: amount.into(),
            currency: Currency::ETN,
            provider_ref: Some("1234567890abc".into()),
        }
    }

    #[test]
    fn the_expected_amount_pays_once() {
        let s = session();
        let d = decide(&s, &etn(Kind::Payment, "19980.00"), 1_010).unwrap();
        assert!(d.changed);
        assert_eq!(d.session.state, State::Paid);
        assert_eq!(d.events.len(), 1);
        assert_eq!(d.events[0].kind, EventKind::SessionPaid);
        // Numerically equal amounts are the same amount.
        assert_eq!(
            decide(&s, &etn(Kind::Payment, "19980"), 1_010)
                .unwrap()
                .session
                .state,
            State::Paid
        );
        // A duplicate changes nothing and names the same event.
        let again = decide(&d.session, &etn(Kind::Payment, "19980.00"), 1_020).unwrap();
        assert!(!again.changed);
        assert_eq!(again.events[0].id, d.events[0].id);
    }

    #[test]
    fn wrong_amounts_are_recorded_not_paid() {
        let s = session();
        let under = decide(&s, &etn(Kind::Payment, "19979.99"), 1_010).unwrap();
        assert_eq!(
            (under.changed, under.events[0].kind),
            (false, EventKind::PaymentUnderpaid)
        );
        assert_eq!(under.events[0].expected_amount.as_deref(), Some("19980.00"));
        let over = decide(&s, &etn(Kind::Payment, "20000.00"), 1_010).unwrap();
        assert_eq!(
            (over.changed, over.events[0].kind),
            (false, EventKind::PaymentOverpaid)
        );
        assert_eq!(
            decide(&s, &etn(Kind::Payment, "1e4"), 1_010),
            Err(DecideError::Amount)
        );
        assert_eq!(
            decide(&s, &etn(Kind::Payment, "-1"), 1_010),
            Err(DecideError::Amount)
        );
    }

    #[test]
    fn payments_after_the_end_are_unmatched() {
        let s = session();
        let expired_at = s.expires_at;
        let d = decide(&s, &etn(Kind::Payment, "19980.00"), expired_at).unwrap();
        assert_eq!(
            (d.changed, d.events[0].kind),
            (false, EventKind::PaymentUnmatched)
        );
        let cancelled = s.apply(Transition::Cancel, 1_005).unwrap();
        let d = decide(&cancelled, &etn(Kind::Payment, "19980.00"), 1_010).unwrap();
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
                let d = decide(&current, c, 1_010).unwrap();
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
        let a = decide(&stale, &etn(Kind::Payment, "19980.00"), 1_010).unwrap();
        let b = decide(&stale, &etn(Kind::Payment, "19980.00"), 1_011).unwrap();
        assert_eq!(
            a.events.iter().map(|e| &e.id).collect::<Vec<_>>(),
            b.events.iter().map(|e| &e.id).collect::<Vec<_>>()
        );
        // Last writer wins in KV: either way the stored state is paid.
        for last in [&a.session, &b.session] {
            assert_eq!(last.state, State::Paid);
        }
        // A third copy that reads either written value changes nothing more.
        for seen in [&a.session, &b.session] {
            let c = decide(seen, &etn(Kind::Payment, "19980.00"), 1_012).unwrap();
            assert!(!c.changed);
            assert_eq!(c.events[0].id, a.events[0].id);
        }
        // A poll answer for the same payment is the same event too.
        let poll = etn(Kind::Payment, "19980.00");
        assert_eq!(
            decide(&stale, &poll, 2_000).unwrap().events[0].id,
            a.events[0].id
        );
    }

    /// Location A reads the session as pending; a payment is applied at location B;
    /// A, still seeing pending, cancels (or expires) it and its write lands last.
    #[test]
    fn a_stale_cancel_written_over_paid_is_repaired() {
        let stale = session();
        let paid = decide(&stale, &etn(Kind::Payment, "19980.00"), 1_010).unwrap();
        let overwritten = stale.apply(Transition::Cancel, 1_011).unwrap();
        assert_eq!(overwritten.state, State::Cancelled);
        // The paid event survives the overwrite, so the reader restores paid.
        assert!(paid.events.iter().any(|e| e.kind == EventKind::SessionPaid));
        assert_eq!(
            reconcile(overwritten.clone(), true, 1_020).state,
            State::Paid
        );
        assert_eq!(reconcile(overwritten, false, 1_020).state, State::Cancelled);
        let expired_over_paid = stale.apply(Transition::Expire, stale.expires_at).unwrap();
        assert_eq!(
            reconcile(expired_over_paid, true, stale.expires_at).state,
            State::Paid
        );
    }

    #[test]
    fn distinct_wrong_amounts_and_partial_refunds_are_all_kept() {
        let s = session();
        let id = |c: &Confirmation| decide(&s, c, 1_010).unwrap().events[0].id.clone();
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
    fn event_ids_depend_on_merchant_payment_and_kind_only() {
        let m = MerchantId::from_random([2; 10]);
        let other = MerchantId::from_random([3; 10]);
        let id = event_id(&m, "7ce25b4dc0", EventKind::SessionPaid);
        assert!(id.starts_with("evt_") && id.len() == 28);
        assert_eq!(id, event_id(&m, "7ce25b4dc0", EventKind::SessionPaid));
        assert_ne!(id, event_id(&other, "7ce25b4dc0", EventKind::SessionPaid));
        assert_ne!(id, event_id(&m, "7ce25b4dc1", EventKind::SessionPaid));
        assert_ne!(id, event_id(&m, "7ce25b4dc0", EventKind::PaymentRefunded));
    }

    #[test]
    fn gateway_payments_are_in_the_sessions_currency() {
        let s = session();
        let c = Confirmation {
            provider: Provider::Gateway,
            kind: Kind::Payment,
            payment_ref: s.id.to_string(),
            amount: "49.95".into(),
            currency: Currency::from_code("USD").unwrap(),
            provider_ref: None,
        };
        assert_eq!(decide(&s, &c, 1_010).unwrap().session.state, State::Paid);
        let eur = Confirmation {
            currency: Currency::EUR,
            ..c
        };
        assert_eq!(decide(&s, &eur, 1_010), Err(DecideError::Currency));
    }
}
