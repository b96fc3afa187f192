//! Wire types of the webhook-forwarding-api (`/api/v2/webhooks/...`): the
//! merchant's endpoint configuration and its delivery history.

use checkout_core::event::EventKind;
use checkout_core::webhook::{parse_event_types, DeliveryStatus, EventFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::account::protocol::{Delivery, DisabledReason};
use crate::error::{ApiError, ApiResult};

/// `PUT /api/v2/webhooks/config`
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct WebhookConfigRequest {
    /// Your publicly reachable HTTPS endpoint.
    pub url: Option<String>,
    /// A signing secret (`whsec_` + base64 of 16 to 64 bytes), or none to keep the
    /// current one (the merchant's `whsec_...`, until rotated).
    #[serde(alias = "signing_secret")]
    pub secret: Option<String>,
    /// `["all"]` (the default) or some of: session.created, session.paid,
    /// session.expired, session.cancelled, payment.refunded, payment.underpaid,
    /// payment.overpaid, payment.unmatched, payment.failed,
    /// payment.refund_exceeds, wallet.topup (also as `account_topup`).
    pub event_types: Option<Vec<String>>,
    /// Pause or resume delivery without deleting the configuration (default true).
    pub enabled: Option<bool>,
}

impl WebhookConfigRequest {
    /// The event types, parsed: 422 naming the one this API does not send.
    pub fn filter(&self) -> ApiResult<EventFilter> {
        parse_event_types(self.event_types.as_deref().unwrap_or_default()).map_err(|e| {
            ApiError::invalid(
                &format!("event_types[{}]", e.index),
                "event_type_unknown",
                e.to_string(),
            )
        })
    }
}

/// The endpoint configuration, as answered: the secret masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookConfig {
    pub url: String,
    /// The signing secret's last four characters (`…abcd`).
    pub secret: String,
    pub event_types: Vec<&'static str>,
    pub enabled: bool,
    pub disabled_reason: Option<DisabledReason>,
    /// Until when (unix seconds) the previous secret signs too, after a rotation.
    pub previous_secret_expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// `POST /api/v2/webhooks/config/rotate`
#[derive(Debug, Serialize, ToSchema)]
pub struct RotatedSecret {
    /// The new signing secret, shown this once.
    pub secret: String,
    /// Until when (unix seconds) the previous secret signs every request too.
    pub previous_secret_expires_at: Option<i64>,
}

/// `DELETE /api/v2/webhooks/config`
#[derive(Debug, Serialize, ToSchema)]
pub struct Deleted {
    pub deleted: bool,
}

/// `GET /api/v2/webhooks/events?status=failing&type=session.paid&limit=20&cursor=...`
#[derive(Debug, Deserialize, IntoParams)]
pub struct EventsQuery {
    /// delivered, pending, failing, failed or held.
    pub status: Option<String>,
    /// An event type (`session.paid`).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// 1 to 100 (default 20).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl EventsQuery {
    pub fn status(&self) -> ApiResult<Option<DeliveryStatus>> {
        self.status
            .as_deref()
            .map(|s| {
                DeliveryStatus::from_wire(s).ok_or_else(|| {
                    ApiError::bad_request(
                        "status_invalid",
                        "status must be delivered, pending, failing, failed or held",
                    )
                    .field("status")
                })
            })
            .transpose()
    }

    pub fn kind(&self) -> ApiResult<Option<EventKind>> {
        self.kind
            .as_deref()
            .map(|k| {
                let kind = match k {
                    "account_topup" => Some(EventKind::WalletTopup),
                    other => EventKind::from_wire(other),
                };
                kind.ok_or_else(|| {
                    ApiError::bad_request("type_invalid", "type is not an event type").field("type")
                })
            })
            .transpose()
    }

    pub fn limit(&self) -> ApiResult<u32> {
        match self.limit.as_deref() {
            None => Ok(20),
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=100).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request("limit_invalid", "limit must be between 1 and 100")
                        .field("limit")
                }),
        }
    }

    pub fn cursor(&self) -> ApiResult<Option<i64>> {
        self.cursor
            .as_deref()
            .map(|c| {
                c.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    ApiError::bad_request("cursor_invalid", "cursor is not one this API returned")
                        .field("cursor")
                })
            })
            .transpose()
    }
}

/// A page of the delivery history, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    /// Always `list`.
    pub object: &'static str,
    pub data: Vec<Delivery>,
    pub has_more: bool,
    pub next_cursor: Option<String>,
}

/// `POST /api/v2/webhooks/recover`
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct RecoverRequest {
    /// Unix seconds, or ISO 8601: every failed delivery created since then is sent
    /// again.
    #[schema(value_type = Option<String>)]
    pub since: Option<serde_json::Value>,
}

impl RecoverRequest {
    pub fn since(&self) -> ApiResult<i64> {
        let parsed = match &self.since {
            None | Some(serde_json::Value::Null) => return Err(ApiError::missing("since")),
            Some(serde_json::Value::Number(n)) => n.as_i64(),
            Some(serde_json::Value::String(s)) => s
                .parse()
                .ok()
                .or_else(|| checkout_core::time::parse_iso8601(s)),
            Some(_) => None,
        };
        parsed.filter(|t| *t >= 0).ok_or_else(|| {
            ApiError::invalid(
                "since",
                "timestamp_invalid",
                "since must be unix seconds or ISO 8601",
            )
        })
    }
}

/// What recovering did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recovered {
    /// How many failed deliveries are queued again.
    pub recovered: u32,
}
