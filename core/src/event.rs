//! What happened to a session, a payment or a wallet: the events that are recorded
//! and told to the merchant.
//!
//! Every event's id is derived from what happened (merchant, payment reference,
//! kind), never drawn at random: a duplicate webhook, a poll answer for the same
//! payment, or two copies processed at two edge locations from stale reads all
//! produce the same id, so recording an event twice is recording it once, and the
//! merchant can dedupe on it.

use core::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::{MerchantId, SessionId, WalletId};
use crate::mode::Mode;
use crate::provider::Provider;
use crate::time::UnixSeconds;

/// The kinds of event, with their wire names (`session.paid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    /// A session was opened.
    #[serde(rename = "session.created")]
    SessionCreated,
    /// The expected amount arrived: the session is paid.
    #[serde(rename = "session.paid")]
    SessionPaid,
    /// The session expired unpaid.
    #[serde(rename = "session.expired")]
    SessionExpired,
    /// The merchant cancelled the session.
    #[serde(rename = "session.cancelled")]
    SessionCancelled,
    /// A payment fell short of what was due, within the merchant's tolerance:
    /// the session is paid, the event carries the shortfall.
    #[serde(rename = "payment.underpaid")]
    PaymentUnderpaid,
    /// More than was due arrived: the session is paid, the event carries the
    /// excess (to give back).
    #[serde(rename = "payment.overpaid")]
    PaymentOverpaid,
    /// Part of what was due arrived: the session is open for the rest, under a
    /// new payment id.
    #[serde(rename = "payment.partial")]
    PaymentPartial,
    /// A payment arrived for a session already paid (another provider, or
    /// another reference): recorded, never a second `session.paid` or credit.
    #[serde(rename = "payment.duplicate")]
    PaymentDuplicate,
    /// Money arrived that the payment policy does not accept by itself (after
    /// the expiry, outside the late window or past the rate limit): the
    /// merchant decides (`POST /v1/sessions/{id}/accept`).
    #[serde(rename = "session.needs_review")]
    SessionNeedsReview,
    /// A verified payment for a session that is no longer pending (or none at all).
    #[serde(rename = "payment.unmatched")]
    PaymentUnmatched,
    /// A payment attempt failed.
    #[serde(rename = "payment.failed")]
    PaymentFailed,
    /// Money was refunded against a payment.
    #[serde(rename = "payment.refunded")]
    PaymentRefunded,
    /// A refund asked to give back more than its session credited to a wallet; the
    /// excess was not booked (see [`crate::ledger`]).
    #[serde(rename = "payment.refund_exceeds")]
    PaymentRefundExceeds,
    /// A paid order credited a wallet.
    #[serde(rename = "wallet.topup")]
    WalletTopup,
    /// A test event a merchant asked for (`POST /api/v2/webhooks/test`).
    #[serde(rename = "webhook.test")]
    WebhookTest,
}

impl EventKind {
    /// Every kind, in a stable order (documentation, filters, tests).
    pub const ALL: [EventKind; 15] = [
        EventKind::SessionCreated,
        EventKind::SessionPaid,
        EventKind::SessionExpired,
        EventKind::SessionCancelled,
        EventKind::SessionNeedsReview,
        EventKind::PaymentPartial,
        EventKind::PaymentUnderpaid,
        EventKind::PaymentOverpaid,
        EventKind::PaymentDuplicate,
        EventKind::PaymentUnmatched,
        EventKind::PaymentFailed,
        EventKind::PaymentRefunded,
        EventKind::PaymentRefundExceeds,
        EventKind::WalletTopup,
        EventKind::WebhookTest,
    ];

    /// The event's wire name (`session.paid`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::SessionCreated => "session.created",
            EventKind::SessionPaid => "session.paid",
            EventKind::SessionExpired => "session.expired",
            EventKind::SessionCancelled => "session.cancelled",
            EventKind::PaymentUnderpaid => "payment.underpaid",
            EventKind::PaymentOverpaid => "payment.overpaid",
            EventKind::PaymentPartial => "payment.partial",
            EventKind::PaymentDuplicate => "payment.duplicate",
            EventKind::SessionNeedsReview => "session.needs_review",
            EventKind::PaymentUnmatched => "payment.unmatched",
            EventKind::PaymentFailed => "payment.failed",
            EventKind::PaymentRefunded => "payment.refunded",
            EventKind::PaymentRefundExceeds => "payment.refund_exceeds",
            EventKind::WalletTopup => "wallet.topup",
            EventKind::WebhookTest => "webhook.test",
        }
    }

    /// The kind of a wire name, if it is one.
    pub fn from_wire(text: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// `evt_` + 24 hex characters, derived by [`event_id`].
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub merchant_id: MerchantId,
    /// Test or live: an event belongs to the mode of its session (a payment that
    /// matched no session is live money).
    pub mode: Mode,
    /// The session, when the event concerns one.
    pub session_id: Option<SessionId>,
    /// The wallet, for wallet ledger events.
    #[serde(default)]
    pub wallet_id: Option<WalletId>,
    pub provider: Option<Provider>,
    /// The ETN payment id or gateway session id the provider named.
    pub payment_ref: String,
    /// The amount the provider reported, exactly as written; for wallet events,
    /// the amount booked (or, for `payment.refund_exceeds`, not booked).
    pub amount: Option<String>,
    pub currency: Option<String>,
    /// What the session expected (under- and overpayments, refunds).
    pub expected_amount: Option<String>,
    pub provider_ref: Option<String>,
    /// In ETN (two decimals): the payment's worth, or for `payment.overpaid`
    /// the excess, for `payment.underpaid` the shortfall.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etn: Option<String>,
    /// The same in the session's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiat: Option<String>,
    /// Unix seconds when it was first decided.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub created_at: UnixSeconds,
}

/// The id of the event of `kind` for one payment (or session) of one merchant:
/// `evt_` + the first 12 bytes of SHA-256(merchant ‖ 0 ‖ key ‖ 0 ‖ kind), in hex.
pub fn event_id(merchant: &MerchantId, key: &str, kind: EventKind) -> String {
    let digest = Sha256::new()
        .chain_update(merchant.as_str())
        .chain_update([0])
        .chain_update(key)
        .chain_update([0])
        .chain_update(kind.as_str())
        .finalize();
    format!("evt_{}", hex::encode(&digest[..12]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_depend_on_merchant_key_and_kind_only() {
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
    fn event_ids_are_those_already_stored() {
        // Ids of recorded events must never change: a provider's retry of an old
        // payment must still be recognised. The expected value is Python's
        // hashlib over the documented layout.
        let m: MerchantId = "mer_aebagbafaebagbaf".parse().unwrap();
        assert_eq!(
            event_id(&m, "7ce25b4dc0", EventKind::SessionPaid),
            "evt_f77491213d5bd94d540a9709"
        );
    }

    #[test]
    fn wire_names_round_trip() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_wire(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(EventKind::from_wire("order.paid"), None);
    }
}
