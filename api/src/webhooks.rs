//! webhook-forwarding-api (`/api/v2/webhooks/...`): the merchant's endpoint
//! configuration and the delivery history, with every attempt.

use checkout_core::event::EventKind;
use checkout_core::ids::SessionId;
use checkout_core::time::{UnixMillis, UnixSeconds};
use checkout_core::webhook::{AttemptError, DeliveryStatus, Trigger};
use serde::{Deserialize, Serialize};

/// `PUT /api/v2/webhooks/config`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookConfigRequest {
    /// Your publicly reachable HTTPS endpoint.
    pub url: Option<String>,
    /// A signing secret (`whsec_` + base64 of 16 to 64 bytes), or none to keep the
    /// current one (the merchant's `whsec_...`, until rotated).
    #[serde(alias = "signing_secret", skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// `["all"]` (the default) or some of: session.created, session.paid,
    /// session.expired, session.cancelled, session.needs_review,
    /// payment.partial, payment.duplicate, payment.refunded, payment.underpaid,
    /// payment.overpaid, payment.unmatched, payment.failed,
    /// payment.refund_exceeds, wallet.topup (also as `account_topup`).
    pub event_types: Option<Vec<String>>,
    /// Pause or resume delivery without deleting the configuration (default true).
    pub enabled: Option<bool>,
}

/// Why an endpoint was disabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DisabledReason {
    /// The merchant turned delivery off.
    Manual,
    /// The receiver answered 410 Gone.
    Gone,
    /// Nothing but failures for five days.
    Failing,
}

/// The endpoint configuration, as answered: the secret masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookConfig {
    pub url: String,
    /// The signing secret's last four characters (`…abcd`).
    pub secret: String,
    /// `["all"]` or the event types, sorted.
    pub event_types: Vec<String>,
    pub enabled: bool,
    pub disabled_reason: Option<DisabledReason>,
    /// Until when (unix seconds) the previous secret signs too, after a rotation.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub previous_secret_expires_at: Option<UnixSeconds>,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub created_at: UnixSeconds,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub updated_at: UnixSeconds,
}

/// `POST /api/v2/webhooks/config/rotate`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RotatedSecret {
    /// The new signing secret, shown this once.
    pub secret: String,
    /// Until when (unix seconds) the previous secret signs every request too.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub previous_secret_expires_at: Option<UnixSeconds>,
}

/// `DELETE /api/v2/webhooks/config`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deleted {
    pub deleted: bool,
}

/// `GET /api/v2/webhooks/events?status=failing&type=session.paid&session=...&limit=20&cursor=...`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct EventsQuery {
    /// delivered, pending, failing, failed or held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// An event type (`session.paid`).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(rename = "type"))]
    pub kind: Option<String>,
    /// Only the deliveries of one session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// 1 to 100 (default 20).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// One attempt to deliver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attempt {
    /// 1 for the first.
    pub n: u32,
    /// Unix ms.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub at: UnixMillis,
    pub trigger: Trigger,
    pub url: String,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    pub duration_ms: i64,
    /// The first 2 KB of the receiver's answer.
    pub response: Option<String>,
    pub error: Option<AttemptError>,
    /// The signature headers this attempt carried (no secret: HMACs only), to
    /// show a merchant what was signed when their verification fails.
    pub headers: Vec<(String, String)>,
}

/// A delivery of one event to the merchant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    /// The event's id (the `webhook-id` header).
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub session_id: Option<SessionId>,
    /// The event's place among its session's events.
    pub sequence: i64,
    pub status: DeliveryStatus,
    /// Where it goes: the session's own webhook URL, or the endpoint's.
    pub url: Option<String>,
    /// Unix seconds.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub created_at: UnixSeconds,
    /// Unix ms of the next scheduled attempt.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub next_attempt_at: Option<UnixMillis>,
    /// Unix ms of the last attempt that delivered it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub delivered_at: Option<UnixMillis>,
    /// payment-links-api: sent until the first 2xx, never again after it.
    pub one_time: bool,
    /// The exact bytes sent, as text (only when one delivery is read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub attempts: Vec<Attempt>,
}

/// A page of the delivery history, newest first.
pub type DeliveryList = crate::page::Page<Delivery>;

impl crate::page::Listable for Delivery {
    const PAGE: &'static str = "DeliveryList";
}

/// `POST /api/v2/webhooks/recover`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoverRequest {
    /// Unix seconds, or ISO 8601: every failed delivery created since then is sent
    /// again.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub since: Option<serde_json::Value>,
}

/// What recovering did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recovered {
    /// How many failed deliveries are queued again.
    pub recovered: u32,
}
