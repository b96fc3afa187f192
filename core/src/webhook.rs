//! Outbound webhooks, the decisions: which events a merchant receives, the
//! signature headers every attempt carries, how an attempt's outcome is
//! classified, and when a failed delivery is tried again.
//!
//! The schedule after a failure: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h,
//! 24 h (about three days in all, like Stripe's), each ±20 % jitter so that a
//! recovering receiver is not hit by every delivery at once. A timeout or a 429
//! waits at least 60 s; a `Retry-After` is honoured, clamped to [scheduled,
//! 2 × scheduled]. A 410 means "stop": the endpoint is disabled. Every duration
//! takes a `scale` (1.0 in production) so that tests can compress days into
//! seconds.

use core::fmt;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::event::EventKind;
use crate::signature::{forwarding, gateway, standard};
use crate::time::{UnixMillis, UnixSeconds};

/// Seconds to wait after the n-th failed attempt (n = 1 is the first failure).
pub const SCHEDULE: [i64; 9] = [
    5,
    5 * 60,
    30 * 60,
    2 * 3600,
    5 * 3600,
    10 * 3600,
    14 * 3600,
    20 * 3600,
    24 * 3600,
];
/// A timeout or a 429 waits at least this long (seconds).
pub const MIN_WAIT_AFTER_OVERLOAD: i64 = 60;
/// How long an attempt may take before it is abandoned (milliseconds; never scaled).
pub const TIMEOUT_MS: i64 = 10_000;
/// A paid session whose webhook is undelivered this long is flagged (seconds).
pub const FAILING_AFTER: i64 = 15 * 60;
/// An endpoint with nothing but failures for this long is disabled (seconds).
pub const DISABLE_AFTER: i64 = 5 * 24 * 3600;
/// After a rotation, the previous secret signs too, for this long (seconds).
pub const ROTATION_WINDOW: i64 = 24 * 3600;
/// How much of a receiver's answer the history keeps (bytes). No more than
/// this is read: the rest of the answer is cancelled unread.
pub const EXCERPT: usize = 2048;
/// How long the answer's body may take once its status has arrived
/// (milliseconds; never scaled): an endpoint that trickles its answer holds
/// an attempt at most this much longer than its headers took, and never past
/// [`TIMEOUT_MS`] in all.
pub const READ_MS: i64 = 1_000;

/// Scales a duration in seconds to milliseconds (`scale` is 1.0 in production).
pub fn scaled_ms(seconds: i64, scale: f64) -> i64 {
    ((seconds as f64) * 1000.0 * scale).round().max(0.0) as i64
}

/// Which events a merchant's endpoint receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventFilter {
    All,
    Only(BTreeSet<EventKind>),
}

impl EventFilter {
    pub fn accepts(&self, kind: EventKind) -> bool {
        match self {
            EventFilter::All => true,
            EventFilter::Only(kinds) => kinds.contains(&kind),
        }
    }

    /// The names as the API shows them (`["all"]` or the sorted types).
    pub fn names(&self) -> Vec<&'static str> {
        match self {
            EventFilter::All => vec!["all"],
            EventFilter::Only(kinds) => kinds.iter().map(|k| k.as_str()).collect(),
        }
    }
}

/// An event type name the configuration API does not take: its position and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEventType {
    pub index: usize,
    pub name: String,
}

impl fmt::Display for UnknownEventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not an event type this API sends", self.name)
    }
}

/// Parses the event types of a configuration: `all`, our names (`session.paid`),
/// and the webhook-forwarding seed's names where one of ours fits
/// (`account_topup` → `wallet.topup`). Its card and account-transaction types have
/// no equivalent here and are refused by name. An empty list is `all`.
pub fn parse_event_types(names: &[String]) -> Result<EventFilter, UnknownEventType> {
    let mut kinds = BTreeSet::new();
    for (index, name) in names.iter().enumerate() {
        let kind = match name.as_str() {
            "all" | "*" => return Ok(EventFilter::All),
            "account_topup" => Some(EventKind::WalletTopup),
            other => EventKind::from_wire(other).filter(|k| *k != EventKind::WebhookTest),
        };
        match kind {
            Some(kind) => {
                kinds.insert(kind);
            }
            None => {
                return Err(UnknownEventType {
                    index,
                    name: name.clone(),
                })
            }
        }
    }
    Ok(if kinds.is_empty() {
        EventFilter::All
    } else {
        EventFilter::Only(kinds)
    })
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not attempted yet, or due again.
    Pending,
    /// A receiver answered 2xx.
    Delivered,
    /// Attempted and failed; retries are scheduled.
    Failing,
    /// Every retry failed (or the endpoint answered 410): given up.
    Failed,
    /// Kept while the endpoint is disabled or absent; sent once it is enabled.
    Held,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 5] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Delivered,
        DeliveryStatus::Failing,
        DeliveryStatus::Failed,
        DeliveryStatus::Held,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failing => "failing",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Held => "held",
        }
    }

    pub fn from_wire(text: &str) -> Option<DeliveryStatus> {
        DeliveryStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Why an attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttemptError {
    /// No answer within [`TIMEOUT_MS`].
    Timeout,
    /// The connection could not be made (DNS, refused, reset).
    Connect,
    /// TLS failed (certificate, handshake).
    Tls,
    /// A 3xx answer: redirects are not followed.
    Redirect,
    /// The URL is not allowed (not https, or a private address).
    BlockedUrl,
    /// Any other non-2xx status.
    Status,
}

/// What caused an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The schedule.
    Auto,
    /// A redeliver or recover request.
    Manual,
    /// A test event.
    Test,
}

/// How an attempt ended, as far as the schedule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx.
    Delivered,
    /// 410: the receiver asks us to stop.
    Gone,
    /// Anything else that failed; `retry_after` in seconds if the receiver sent one.
    Failed {
        error: AttemptError,
        retry_after: Option<i64>,
        /// A timeout or a 429: the receiver is overloaded.
        overloaded: bool,
    },
}

/// Classifies an HTTP answer (`status`) or a failure to get one (`error`).
pub fn classify(
    status: Option<u16>,
    error: Option<AttemptError>,
    retry_after: Option<i64>,
) -> Outcome {
    match (status, error) {
        (Some(s), _) if (200..300).contains(&s) => Outcome::Delivered,
        (Some(410), _) => Outcome::Gone,
        (Some(s), _) if (300..400).contains(&s) => Outcome::Failed {
            error: AttemptError::Redirect,
            retry_after: None,
            overloaded: false,
        },
        (Some(s), _) => Outcome::Failed {
            error: AttemptError::Status,
            retry_after,
            overloaded: s == 429,
        },
        (None, error) => {
            let error = error.unwrap_or(AttemptError::Connect);
            Outcome::Failed {
                error,
                retry_after: None,
                overloaded: error == AttemptError::Timeout,
            }
        }
    }
}

/// What comes after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Try again at this instant.
    RetryAt(UnixMillis),
    /// The schedule is spent: give up.
    GiveUp,
}

/// When to try again after the `failures`-th failed attempt (1-based), at `now_ms`.
/// `jitter` is a random number the caller drew (any `u16`); it moves the wait by
/// up to ±20 %.
pub fn next_attempt(
    failures: u32,
    outcome: Outcome,
    now_ms: UnixMillis,
    jitter: u16,
    scale: f64,
) -> Next {
    let Some(&base) = SCHEDULE.get(failures.saturating_sub(1) as usize) else {
        return Next::GiveUp;
    };
    // -200 ‰ .. +200 ‰
    let permille = i64::from(jitter % 401) - 200;
    let scheduled = scaled_ms(base, scale) * (1000 + permille) / 1000;
    let wait = match outcome {
        Outcome::Failed {
            retry_after,
            overloaded,
            ..
        } => {
            let floor = if overloaded {
                scheduled.max(scaled_ms(MIN_WAIT_AFTER_OVERLOAD, scale))
            } else {
                scheduled
            };
            match retry_after {
                Some(seconds) => scaled_ms(seconds.max(0), scale).clamp(floor, 2 * floor),
                None => floor,
            }
        }
        Outcome::Delivered | Outcome::Gone => return Next::GiveUp,
    };
    Next::RetryAt(now_ms.plus(wait))
}

/// The signing secrets of an endpoint: the current one, and during the rotation
/// window the previous one too.
pub struct Signers<'a> {
    pub current: &'a str,
    pub previous: Option<&'a str>,
}

/// The headers one attempt carries, signed afresh at `timestamp` over the stored
/// `body` bytes, so that any verifier finds its own:
/// - Standard Webhooks: `webhook-id` (the event id), `webhook-timestamp`,
///   `webhook-signature` (`v1,...`, one entry per secret, space-separated);
/// - hex HMAC-SHA256 of the raw body, keyed with the whole `whsec_...` string as
///   a merchant's `hash_hmac` call would: `X-Webhook-Signature` and `X-Signature`
///   plain, `X-Ecomtrade24-Signature` with the gateway seed's `sha256=` prefix;
///   during a rotation, `X-Webhook-Signature-Previous` with the previous secret.
pub fn signature_headers(
    signers: &Signers<'_>,
    id: &str,
    timestamp: UnixSeconds,
    body: &[u8],
) -> Result<Vec<(&'static str, String)>, standard::SecretError> {
    let mut standard_signatures = Vec::new();
    for secret in [Some(signers.current), signers.previous]
        .into_iter()
        .flatten()
    {
        let parsed = standard::Secret::parse(secret)?;
        standard_signatures.push(standard::sign(&parsed, id, timestamp, body));
    }
    let hex = forwarding::sign(signers.current, body);
    let mut headers = vec![
        (standard::ID_HEADER, id.to_owned()),
        (standard::TIMESTAMP_HEADER, timestamp.0.to_string()),
        (standard::SIGNATURE_HEADER, standard_signatures.join(" ")),
        ("x-webhook-signature", hex.clone()),
        ("x-signature", hex.clone()),
        (
            "x-ecomtrade24-signature",
            format!("{}{hex}", gateway::PREFIX),
        ),
    ];
    if let Some(previous) = signers.previous {
        headers.push((
            "x-webhook-signature-previous",
            forwarding::sign(previous, body),
        ));
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::Tolerance;

    #[test]
    fn the_schedule_spans_about_three_days() {
        let total: i64 = SCHEDULE.iter().sum();
        assert!((70 * 3600..80 * 3600).contains(&total), "{total}");
        let fail = Outcome::Failed {
            error: AttemptError::Status,
            retry_after: None,
            overloaded: false,
        };
        // No jitter at jitter = 200 (permille 0).
        assert_eq!(
            next_attempt(1, fail, UnixMillis(0), 200, 1.0),
            Next::RetryAt(UnixMillis(5_000))
        );
        assert_eq!(
            next_attempt(2, fail, UnixMillis(0), 200, 1.0),
            Next::RetryAt(UnixMillis(300_000))
        );
        assert_eq!(
            next_attempt(9, fail, UnixMillis(0), 200, 1.0),
            Next::RetryAt(UnixMillis(86_400_000))
        );
        assert_eq!(
            next_attempt(10, fail, UnixMillis(0), 200, 1.0),
            Next::GiveUp
        );
        // ±20 % jitter at the extremes.
        assert_eq!(
            next_attempt(2, fail, UnixMillis(0), 0, 1.0),
            Next::RetryAt(UnixMillis(240_000))
        );
        assert_eq!(
            next_attempt(2, fail, UnixMillis(0), 400, 1.0),
            Next::RetryAt(UnixMillis(360_000))
        );
        // Tests compress time.
        assert_eq!(
            next_attempt(2, fail, UnixMillis(0), 200, 0.001),
            Next::RetryAt(UnixMillis(300))
        );
    }

    #[test]
    fn overload_waits_a_minute_and_retry_after_is_clamped() {
        let timeout = classify(None, Some(AttemptError::Timeout), None);
        assert_eq!(
            next_attempt(1, timeout, UnixMillis(0), 200, 1.0),
            Next::RetryAt(UnixMillis(60_000))
        );
        let busy = classify(Some(429), None, Some(3600));
        // scheduled 5 s, floor 60 s, Retry-After 1 h clamped to 2 × 60 s.
        assert_eq!(
            next_attempt(1, busy, UnixMillis(0), 200, 1.0),
            Next::RetryAt(UnixMillis(120_000))
        );
        let soon = classify(Some(503), None, Some(1));
        assert_eq!(
            next_attempt(2, soon, UnixMillis(0), 200, 1.0),
            Next::RetryAt(UnixMillis(300_000))
        );
        let later = classify(Some(503), None, Some(400));
        assert_eq!(
            next_attempt(2, later, UnixMillis(0), 200, 1.0),
            Next::RetryAt(UnixMillis(400_000))
        );
    }

    #[test]
    fn outcomes_are_classified() {
        assert_eq!(classify(Some(204), None, None), Outcome::Delivered);
        assert_eq!(classify(Some(410), None, None), Outcome::Gone);
        assert!(matches!(
            classify(Some(302), None, None),
            Outcome::Failed {
                error: AttemptError::Redirect,
                ..
            }
        ));
        assert!(matches!(
            classify(Some(500), None, None),
            Outcome::Failed {
                error: AttemptError::Status,
                overloaded: false,
                ..
            }
        ));
        assert!(matches!(
            classify(None, Some(AttemptError::Tls), None),
            Outcome::Failed {
                error: AttemptError::Tls,
                ..
            }
        ));
    }

    #[test]
    fn event_types_take_ours_and_the_seeds_where_they_fit() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_event_types(&names(&["all"])), Ok(EventFilter::All));
        assert_eq!(parse_event_types(&[]), Ok(EventFilter::All));
        let f = parse_event_types(&names(&["session.paid", "account_topup"])).unwrap();
        assert!(f.accepts(EventKind::SessionPaid) && f.accepts(EventKind::WalletTopup));
        assert!(!f.accepts(EventKind::SessionExpired));
        assert_eq!(f.names(), ["session.paid", "wallet.topup"]);
        assert_eq!(
            parse_event_types(&names(&["session.paid", "card_transaction"])),
            Err(UnknownEventType {
                index: 1,
                name: "card_transaction".into()
            })
        );
        assert!(parse_event_types(&names(&["webhook.test"])).is_err());
    }

    #[test]
    fn every_header_verifies_with_its_scheme() {
        let secret = standard::Secret::from_bytes([7; 32]).expose();
        let old = standard::Secret::from_bytes([9; 32]).expose();
        let body = br#"{"id":"evt_1"}"#;
        let signers = Signers {
            current: &secret,
            previous: Some(&old),
        };
        let headers = signature_headers(&signers, "evt_1", UnixSeconds(1_000), body).unwrap();
        let get = |name: &str| headers.iter().find(|(n, _)| *n == name).unwrap().1.clone();
        for s in [&secret, &old] {
            standard::verify(
                &standard::Secret::parse(s).unwrap(),
                "evt_1",
                &get("webhook-timestamp"),
                &get("webhook-signature"),
                body,
                UnixSeconds(1_000),
                Tolerance::DEFAULT,
            )
            .unwrap();
        }
        forwarding::verify(&secret, body, &get("x-webhook-signature")).unwrap();
        gateway::verify(&secret, body, &get("x-ecomtrade24-signature")).unwrap();
        forwarding::verify(&old, body, &get("x-webhook-signature-previous")).unwrap();
        assert!(get("x-ecomtrade24-signature").starts_with("sha256="));
    }
}
