//! The bytes a webhook carries: each dialect gets exactly what its document
//! promises, serialised once, compactly, and stored (every attempt signs these
//! same bytes afresh).
//!
//! - an ewallet order's own `webhook_url`, when it is paid: the seed's
//!   `order.paid` body (`event`, `order_id`, `amount` as a plain string,
//!   `currency`, `status`, `timestamp`, `signature` = hex HMAC-SHA256 of
//!   `order_id . amount` with the merchant's app key, which is its signing
//!   secret), and nothing else;
//! - payment links, when paid or timed out: the seed's body (`order_id`,
//!   `secret`, `amount`, `ref`, `status` fulfilled | timed_out, `currency`),
//!   sent until the first 2xx and never again after it (the seed's "ONE TIME");
//! - everything else, to the merchant's endpoint: an envelope `{id, type, created_at, sequence, data}` whose
//!   `data` is the session's REST resource in its dialect (`GET /v1/sessions/{id}`
//!   for native sessions, `GET /gateway/status.php` for gateway sessions, the
//!   order or link for the others), or the event itself when no session is
//!   concerned (an unmatched payment, a test).

use checkout_core::event::{Event, EventKind};
use checkout_core::session::Dialect;
use checkout_core::signature::order;
use checkout_core::time::UnixSeconds;
use serde::Serialize;

use super::db::{fail, Result};
use super::protocol::SessionSnapshot;
use crate::secret::{ExposeSecret, SecretString};

/// The envelope of every webhook but the two the seeds define themselves.
#[derive(Serialize)]
struct Envelope<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: EventKind,
    /// Unix seconds when the event happened.
    created_at: UnixSeconds,
    /// The event's place among its session's events: a receiver drops an older
    /// event that arrives after a newer one.
    sequence: i64,
    /// For an event a payment caused: that payment, and the amounts the
    /// event is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    payment: Option<PaymentOf<'a>>,
    data: &'a serde_json::Value,
}

/// The payment behind an event, in the envelope.
#[derive(Serialize)]
struct PaymentOf<'a> {
    /// `etn` or `gateway`.
    provider: &'static str,
    /// The provider's reference.
    reference: Option<&'a str>,
    /// As the provider wrote it, in `currency`.
    amount: Option<&'a str>,
    currency: Option<&'a str>,
    /// What the event is about, in ETN and in the session's currency: the
    /// excess (`payment.overpaid`), the shortfall (`payment.underpaid`), what
    /// was received in all (`payment.partial`, `session.needs_review`), this
    /// payment's worth (`payment.duplicate`, `payment.unmatched`).
    #[serde(skip_serializing_if = "Option::is_none")]
    etn: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fiat: Option<&'a str>,
}

impl<'a> PaymentOf<'a> {
    fn of(event: &'a Event) -> Option<PaymentOf<'a>> {
        Some(PaymentOf {
            provider: event.provider?.as_str(),
            reference: event.provider_ref.as_deref(),
            amount: event.amount.as_deref(),
            currency: event.currency.as_deref(),
            etn: event.etn.as_deref(),
            fiat: event.fiat.as_deref(),
        })
    }
}

/// ewallet-orders-api's `order.paid`.
#[derive(Serialize)]
struct OrderPaid<'a> {
    event: &'static str,
    order_id: &'a str,
    amount: &'a str,
    currency: &'a str,
    status: &'static str,
    timestamp: UnixSeconds,
    signature: String,
}

/// payment-links-api's webhook.
#[derive(Serialize)]
struct LinkNotice<'a> {
    order_id: &'a str,
    secret: &'a str,
    amount: &'a str,
    #[serde(rename = "ref")]
    reference: Option<&'a str>,
    status: &'static str,
    currency: &'a str,
}

/// A webhook body, and whether the seed allows it only one success.
pub struct Body {
    pub bytes: String,
    pub one_time: bool,
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| fail(e.to_string()))
}

/// The body of `event`'s webhook to the merchant's endpoint: a payment
/// link's seed notice when it is paid or timed out, our envelope otherwise.
pub fn to_endpoint(
    event: &Event,
    sequence: i64,
    session: Option<&SessionSnapshot>,
) -> Result<Body> {
    let dialect = session.map(|s| s.dialect);
    if let (Some(Dialect::Link), Some(l)) = (dialect, session.and_then(|s| s.link.as_ref())) {
        let status = match event.kind {
            EventKind::SessionPaid => Some("fulfilled"),
            EventKind::SessionExpired => Some("timed_out"),
            _ => None,
        };
        if let Some(status) = status {
            return Ok(Body {
                bytes: json(&LinkNotice {
                    order_id: &l.order_id,
                    secret: &l.secret,
                    amount: &l.amount,
                    reference: l.reference.as_deref(),
                    status,
                    currency: &l.currency,
                })?,
                one_time: true,
            });
        }
    }
    let event_data;
    let data = match session {
        Some(s) => &s.view,
        None => {
            event_data = serde_json::to_value(event).map_err(|e| fail(e.to_string()))?;
            &event_data
        }
    };
    Ok(Body {
        bytes: json(&Envelope {
            id: &event.id,
            kind: event.kind,
            created_at: event.created_at,
            sequence,
            payment: PaymentOf::of(event),
            data,
        })?,
        one_time: false,
    })
}

/// The body of `event`'s webhook to a session's own URL (an ewallet order's
/// `webhook_url`), if the seed sends it one: `order.paid` when the order is
/// paid, nothing else (a receiver written from the seed verifies only that).
pub fn to_own_url(
    event: &Event,
    session: &SessionSnapshot,
    signing_secret: &SecretString,
) -> Result<Option<Body>> {
    let (Dialect::Ewallet, EventKind::SessionPaid, Some(o)) =
        (session.dialect, event.kind, session.order.as_ref())
    else {
        return Ok(None);
    };
    Ok(Some(Body {
        bytes: json(&OrderPaid {
            event: "order.paid",
            order_id: &o.order_id,
            amount: &o.amount,
            currency: &o.currency,
            status: "success",
            timestamp: event.created_at,
            signature: order::sign(signing_secret.expose_secret(), &o.order_id, &o.amount),
        })?,
        one_time: false,
    }))
}
