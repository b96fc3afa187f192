//! One session's whole story as one list: what the worker recorded (creation,
//! the providers' confirmations, state changes, wallet bookings), each webhook
//! it queued about the session, and every attempt to deliver each one.
//!
//! The API answers these as three nested lists (events; deliveries with their
//! attempts) because that is how they are stored. A merchant asking "why did my
//! shop not mark order 1042 paid?" wants them interleaved in the order they
//! happened: paid at 12:00:01, webhook queued, attempt 1 answered 500, attempt 2
//! answered 200. [`merge`] does that, without I/O, so it is tested natively.

use checkout_api::dashboard::SessionSummary;
use checkout_api::webhooks::{Attempt, Delivery};
use checkout_core::confirmation::Provider;
use checkout_core::event::{Event, EventKind};
use checkout_core::time::UnixMillis;
use checkout_core::webhook::{AttemptError, DeliveryStatus, Trigger};

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// To the millisecond (events and deliveries are recorded to the second).
    pub at_ms: UnixMillis,
    pub what: What,
}

/// What happened.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// Something the worker recorded about the session.
    Event(Event),
    /// The session was created, as the summary says, when no `session.created`
    /// event is in the record (sessions older than that event).
    Created,
    /// A webhook about the session was queued for delivery.
    Queued {
        delivery: String,
        kind: EventKind,
        url: Option<String>,
        status: DeliveryStatus,
    },
    /// One attempt to deliver that webhook.
    Attempt {
        delivery: String,
        kind: EventKind,
        attempt: Attempt,
    },
}

impl What {
    /// Equal times sort cause before effect: the event, then the webhook it
    /// queued, then the attempts to send it.
    fn rank(&self) -> u8 {
        match self {
            What::Created => 0,
            What::Event(_) => 1,
            What::Queued { .. } => 2,
            What::Attempt { .. } => 3,
        }
    }
}

/// Interleaves events, deliveries and attempts by time, oldest first. Ties keep
/// cause before effect (see [`What::rank`]), then the order the API gave
/// (events in sequence, attempts by number).
pub fn merge(session: &SessionSummary, events: &[Event], deliveries: &[Delivery]) -> Vec<Item> {
    let mut items = Vec::with_capacity(events.len() + deliveries.len() * 3 + 1);
    if !events.iter().any(|e| e.kind == EventKind::SessionCreated) {
        items.push(Item {
            at_ms: session.created_at.to_millis(),
            what: What::Created,
        });
    }
    for event in events {
        items.push(Item {
            at_ms: event.created_at.to_millis(),
            what: What::Event(event.clone()),
        });
    }
    for delivery in deliveries {
        items.push(Item {
            at_ms: delivery.created_at.to_millis(),
            what: What::Queued {
                delivery: delivery.id.clone(),
                kind: delivery.kind,
                url: delivery.url.clone(),
                status: delivery.status,
            },
        });
        let mut attempts: Vec<&Attempt> = delivery.attempts.iter().collect();
        attempts.sort_by_key(|a| a.n);
        for attempt in attempts {
            items.push(Item {
                // An attempt cannot precede its delivery's record, even when the
                // delivery's second-resolution time rounds down past it.
                at_ms: attempt.at.max(delivery.created_at.to_millis()),
                what: What::Attempt {
                    delivery: delivery.id.clone(),
                    kind: delivery.kind,
                    attempt: attempt.clone(),
                },
            });
        }
    }
    // A stable sort keeps the API's own order among equals.
    items.sort_by_key(|item| (item.at_ms, item.what.rank()));
    items
}

/// The line's headline, in words.
pub fn title(item: &Item) -> String {
    match &item.what {
        What::Created => "Session created".into(),
        What::Event(event) => event_title(event),
        What::Queued { kind, .. } => format!("Webhook {kind} queued"),
        What::Attempt { kind, attempt, .. } => {
            let outcome = attempt_outcome(attempt);
            format!("Webhook {kind}, attempt {}: {outcome}", attempt.n)
        }
    }
}

/// Whether the line reports something going wrong (drawn in the error colour).
pub fn is_failure(item: &Item) -> bool {
    match &item.what {
        What::Attempt { attempt, .. } => !attempt_succeeded(attempt),
        What::Event(event) => matches!(
            event.kind,
            EventKind::PaymentFailed
                | EventKind::PaymentUnderpaid
                | EventKind::PaymentUnmatched
                | EventKind::PaymentRefundExceeds
        ),
        _ => false,
    }
}

/// A 2xx answer.
pub fn attempt_succeeded(attempt: &Attempt) -> bool {
    attempt.status.is_some_and(|s| (200..300).contains(&s))
}

/// `HTTP 200`, `HTTP 500`, `timed out` ...
pub fn attempt_outcome(attempt: &Attempt) -> String {
    match (attempt.status, attempt.error) {
        (Some(status), _) => format!("HTTP {status}"),
        (None, Some(error)) => error_text(error).into(),
        (None, None) => "no answer".into(),
    }
}

/// What an attempt error means, for a merchant.
pub fn error_text(error: AttemptError) -> &'static str {
    match error {
        AttemptError::Timeout => "timed out (no answer within 10 s)",
        AttemptError::Connect => "could not connect",
        AttemptError::Tls => "TLS failed",
        AttemptError::Redirect => "redirected (redirects are not followed)",
        AttemptError::BlockedUrl => "URL not allowed",
        AttemptError::Status => "error status",
    }
}

/// `scheduled`, `redeliver`, `test`.
pub fn trigger_text(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::Auto => "scheduled",
        Trigger::Manual => "manual",
        Trigger::Test => "test",
    }
}

fn provider_name(provider: Provider) -> &'static str {
    match provider {
        Provider::Etn => "ETN",
        Provider::Gateway => "the payment gateway",
    }
}

fn event_title(event: &Event) -> String {
    let what = match event.kind {
        EventKind::SessionCreated => "Session created",
        EventKind::SessionPaid => "Paid",
        EventKind::SessionExpired => "Expired unpaid",
        EventKind::SessionCancelled => "Cancelled",
        EventKind::PaymentUnderpaid => "Underpaid (within the tolerance)",
        EventKind::PaymentOverpaid => "Overpaid",
        EventKind::PaymentPartial => "Partial payment",
        EventKind::PaymentDuplicate => "Duplicate payment (not paid twice)",
        EventKind::SessionNeedsReview => "Needs review",
        EventKind::PaymentUnmatched => "Payment for a session no longer pending",
        EventKind::PaymentFailed => "Payment failed",
        EventKind::PaymentRefunded => "Refunded",
        EventKind::PaymentRefundExceeds => "Refund larger than the credit (excess not booked)",
        EventKind::WalletTopup => "Wallet credited",
        EventKind::WebhookTest => "Test event",
    };
    let mut text = what.to_owned();
    if let (Some(amount), Some(currency)) = (&event.amount, &event.currency) {
        text.push_str(&format!(": {amount} {currency}"));
    }
    if let Some(expected) = &event.expected_amount {
        text.push_str(&format!(" (expected {expected})"));
    }
    if let Some(provider) = event.provider {
        text.push_str(&format!(", confirmed by {}", provider_name(provider)));
    }
    let about = match event.kind {
        EventKind::PaymentOverpaid => Some("to give back"),
        EventKind::PaymentUnderpaid => Some("short"),
        EventKind::PaymentPartial | EventKind::SessionNeedsReview => Some("received in all"),
        EventKind::PaymentDuplicate => Some("to give back"),
        _ => None,
    };
    if let (Some(about), Some(etn)) = (about, &event.etn) {
        text.push_str(&format!("; {etn} ETN {about}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkout_core::ids::{MerchantId, SessionId};
    use checkout_core::session::{Dialect, Mode, State};
    use checkout_core::time::UnixSeconds;

    fn session() -> SessionSummary {
        SessionSummary {
            id: SessionId::legacy([1; 15]),
            dialect: Dialect::Native,
            state: State::Paid,
            status: "paid".into(),
            amount: "10.00".into(),
            currency: "EUR".into(),
            etn_amount: "500.00".into(),
            order_id: Some("1042".into()),
            payment_id: "7ce25b4dc0".into(),
            alias: None,
            created_at: UnixSeconds(1000),
            expires_at: UnixSeconds(2000),
            paid_at: Some(UnixSeconds(1010)),
            notification_failing: false,
            etn_received: None,
            give_back: None,
            late: false,
            accepted_by: None,
        }
    }

    fn event(kind: EventKind, at: i64, provider: Option<Provider>) -> Event {
        Event {
            id: format!("evt_{kind}"),
            kind,
            merchant_id: MerchantId::from_random([7; 10]),
            mode: Mode::Test,
            session_id: None,
            wallet_id: None,
            provider,
            payment_ref: "7ce25b4dc0".into(),
            amount: provider.map(|_| "500.00".into()),
            currency: provider.map(|_| "ETN".into()),
            expected_amount: None,
            provider_ref: None,
            etn: None,
            fiat: None,
            created_at: UnixSeconds(at),
        }
    }

    fn attempt(n: u32, at: i64, status: Option<u16>, error: Option<AttemptError>) -> Attempt {
        Attempt {
            n,
            at: UnixMillis(at),
            trigger: Trigger::Auto,
            url: "http://127.0.0.1:9/hook".into(),
            status,
            duration_ms: 12,
            response: None,
            error,
            headers: vec![],
        }
    }

    fn delivery(id: &str, kind: EventKind, at: i64, attempts: Vec<Attempt>) -> Delivery {
        Delivery {
            id: id.into(),
            kind,
            session_id: None,
            sequence: 1,
            status: DeliveryStatus::Delivered,
            url: Some("http://127.0.0.1:9/hook".into()),
            created_at: UnixSeconds(at),
            next_attempt_at: None,
            delivered_at: None,
            one_time: false,
            body: None,
            attempts,
        }
    }

    fn titles(items: &[Item]) -> Vec<String> {
        items.iter().map(title).collect()
    }

    #[test]
    fn interleaves_events_deliveries_and_attempts_by_time() {
        let events = [
            event(EventKind::SessionCreated, 1000, None),
            event(EventKind::SessionPaid, 1010, Some(Provider::Etn)),
        ];
        // Attempts listed out of order, one of them at the delivery's own second.
        let deliveries = [
            delivery(
                "evt_paid",
                EventKind::SessionPaid,
                1010,
                vec![
                    attempt(2, 1_012_500, Some(200), None),
                    attempt(1, 1_010_400, None, Some(AttemptError::Timeout)),
                ],
            ),
            delivery(
                "evt_created",
                EventKind::SessionCreated,
                1000,
                vec![attempt(1, 1_000_100, Some(204), None)],
            ),
        ];
        let items = merge(&session(), &events, &deliveries);
        assert_eq!(
            titles(&items),
            [
                "Session created",
                "Webhook session.created queued",
                "Webhook session.created, attempt 1: HTTP 204",
                "Paid: 500.00 ETN, confirmed by ETN",
                "Webhook session.paid queued",
                "Webhook session.paid, attempt 1: timed out (no answer within 10 s)",
                "Webhook session.paid, attempt 2: HTTP 200",
            ]
        );
        let failures: Vec<bool> = items.iter().map(is_failure).collect();
        assert_eq!(failures, [false, false, false, false, false, true, false]);
    }

    #[test]
    fn a_session_without_a_creation_event_still_starts_with_its_creation() {
        let items = merge(&session(), &[], &[]);
        assert_eq!(titles(&items), ["Session created"]);
        assert_eq!(items[0].at_ms, UnixMillis(1_000_000));
    }

    #[test]
    fn an_attempt_never_precedes_its_own_delivery() {
        // Recorded at 1010 s; the attempt's clock read 1009.999 s.
        let deliveries = [delivery(
            "evt_paid",
            EventKind::SessionPaid,
            1010,
            vec![attempt(1, 1_009_999, Some(500), Some(AttemptError::Status))],
        )];
        let items = merge(&session(), &[], &deliveries);
        assert_eq!(
            titles(&items)[1..],
            [
                "Webhook session.paid queued",
                "Webhook session.paid, attempt 1: HTTP 500"
            ]
        );
        assert!(is_failure(&items[2]));
    }

    #[test]
    fn equal_times_keep_cause_before_effect_and_api_order() {
        let events = [
            event(EventKind::PaymentUnderpaid, 1005, Some(Provider::Gateway)),
            event(EventKind::SessionCreated, 1005, None),
        ];
        let items = merge(&session(), &events, &[]);
        // Both at 1005: the API's order stays.
        assert_eq!(
            titles(&items),
            [
                "Underpaid (within the tolerance): 500.00 ETN, confirmed by the payment gateway",
                "Session created"
            ]
        );
    }
}
