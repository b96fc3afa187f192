//! Verified payment confirmations: what a provider told us, after the edge that
//! received it checked its signature, timestamp and credentials.
//!
//! What a confirmation does to a session is decided by
//! [`crate::lifecycle::transition`]; a confirmation that matches no session is
//! recorded by [`unmatched`], so that no verified payment is ever lost.

use serde::{Deserialize, Serialize};

use crate::event::{event_id, Event, EventKind};
use crate::ids::MerchantId;
use crate::session::{Mode, Session};
use crate::time::UnixSeconds;
use crate::Money;

pub use crate::provider::Provider;

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub provider: Provider,
    pub kind: Kind,
    /// What the provider calls the payment: the ETN payment id, or the gateway
    /// session id. Refunds carry the reference of the payment they refund.
    pub payment_ref: String,
    /// The amount as the provider wrote it, parsed strictly at the wire (so it is
    /// positive, has no more decimals than its currency and is at most
    /// [`crate::MAX_AMOUNT`]: arithmetic on it cannot overflow). ETN amounts are
    /// in ETN, gateway amounts in the session's currency.
    pub amount: Money,
    /// The provider's own reference, if any (ETN `ref`, gateway `reference`).
    pub provider_ref: Option<String>,
}

impl Confirmation {
    /// What identifies the payment: the provider's own reference, or, without
    /// one, what it named and its amount, normalised (`100.0` is `100.00`).
    pub fn reference(&self) -> String {
        match self.provider_ref.as_deref().filter(|r| !r.is_empty()) {
            Some(r) => r.to_owned(),
            None => format!("{}:{}", self.payment_ref, self.amount.amount().normalize()),
        }
    }

    /// What an event's id is derived from: for what a payment caused, the
    /// provider and the payment's reference (each payment once, whatever it
    /// caused); for refunds and failures, what they named and their amount,
    /// so that each distinct one is kept while an exact duplicate maps to the
    /// same id.
    fn event_key(&self, kind: EventKind) -> String {
        match kind {
            EventKind::PaymentRefunded | EventKind::PaymentFailed => {
                format!("{}:{}", self.payment_ref, self.amount.amount().normalize())
            }
            _ => format!("{}:{}", self.provider.as_str(), self.reference()),
        }
    }

    /// The event of `kind` this confirmation records, against `session` if any.
    pub(crate) fn event(
        &self,
        merchant: &MerchantId,
        mode: Mode,
        session: Option<&Session>,
        kind: EventKind,
        now: UnixSeconds,
    ) -> Event {
        Event {
            id: event_id(merchant, &self.event_key(kind), kind),
            kind,
            merchant_id: merchant.clone(),
            mode,
            session_id: session.map(|s| s.id.clone()),
            wallet_id: None,
            provider: Some(self.provider),
            payment_ref: self.payment_ref.clone(),
            amount: Some(self.amount.to_string()),
            currency: Some(self.amount.currency().code().to_owned()),
            expected_amount: session.map(|s| s.expected(self.provider).to_string()),
            provider_ref: Some(self.reference()),
            etn: None,
            fiat: None,
            created_at: now,
        }
    }
}

/// A verified confirmation with no session to apply to (merchants may make their
/// own payment strings): recorded, never lost. It is live money: test sessions
/// are paid by the sandbox, which always names its session.
pub fn unmatched(merchant: &MerchantId, c: &Confirmation, now: UnixSeconds) -> Event {
    let kind = match c.kind {
        Kind::Payment => EventKind::PaymentUnmatched,
        Kind::Refund => EventKind::PaymentRefunded,
        Kind::Failure => EventKind::PaymentFailed,
    };
    c.event(merchant, Mode::Live, None, kind, now)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Currency;

    /// An ETN confirmation for the shared test session's payment id.
    pub(crate) fn etn(kind: Kind, amount: &str) -> Confirmation {
        Confirmation {
            provider: Provider::Etn,
            kind,
            payment_ref: "7ce25b4dc0".into(),
            amount: Money::parse(amount, Currency::ETN).unwrap(),
            provider_ref: Some("1234567890abc".into()),
        }
    }

    #[test]
    fn unmatched_payments_are_live_and_keep_their_amount() {
        let m = MerchantId::from_random([2; 10]);
        let e = unmatched(&m, &etn(Kind::Payment, "12.50"), UnixSeconds(7));
        assert_eq!(
            (e.kind, e.mode, e.amount.as_deref(), e.session_id),
            (EventKind::PaymentUnmatched, Mode::Live, Some("12.50"), None)
        );
        let refund = unmatched(&m, &etn(Kind::Refund, "12.50"), UnixSeconds(7));
        assert_eq!(refund.kind, EventKind::PaymentRefunded);
        // The provider's reference names the payment: a resend is the same one.
        assert_eq!(
            e.id,
            unmatched(&m, &etn(Kind::Payment, "12.51"), UnixSeconds(9)).id
        );
        let other = Confirmation {
            provider_ref: Some("other".into()),
            ..etn(Kind::Payment, "12.50")
        };
        assert_ne!(e.id, unmatched(&m, &other, UnixSeconds(9)).id);
        // Without one, what it named and its amount do, normalised.
        let bare = |amount| Confirmation {
            provider_ref: None,
            ..etn(Kind::Payment, amount)
        };
        let id = unmatched(&m, &bare("12.50"), UnixSeconds(9)).id;
        assert_eq!(id, unmatched(&m, &bare("12.5"), UnixSeconds(9)).id);
        assert_ne!(id, unmatched(&m, &bare("12.51"), UnixSeconds(9)).id);
    }
}
