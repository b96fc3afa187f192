//! Wire types of the webhook-forwarding-api (`/api/v2/webhooks/...`): the
//! merchant's endpoint configuration and its delivery history. The types are
//! `checkout_api::webhooks` (the dashboard reads them too); what a request may
//! hold is decided here.

use checkout_core::event::EventKind;
use checkout_core::ids::SessionId;
use checkout_core::time::UnixSeconds;
use checkout_core::validate::MAX_UNIX_SECONDS;
use checkout_core::webhook::{parse_event_types, DeliveryStatus, EventFilter};

pub use checkout_api::webhooks::{
    Deleted, DeliveryList, EventsQuery, RecoverRequest, Recovered, RotatedSecret, WebhookConfig,
    WebhookConfigRequest,
};

use crate::account::protocol::DeliveryQuery;
use crate::error::{ApiError, ApiResult};
use crate::wire::{page_cursor, page_limit};

/// The event types of a configuration: 422 naming the one this API does not send.
pub fn event_filter(request: &WebhookConfigRequest) -> ApiResult<EventFilter> {
    parse_event_types(request.event_types.as_deref().unwrap_or_default()).map_err(|e| {
        ApiError::invalid(
            &format!("event_types[{}]", e.index),
            "event_type_unknown",
            e.to_string(),
        )
    })
}

/// Which deliveries a history request asks for.
pub fn delivery_query(q: &EventsQuery) -> ApiResult<DeliveryQuery> {
    {
        let status = q
            .status
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
            .transpose()?;
        let kind = q
            .kind
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
            .transpose()?;
        let session = q
            .session
            .as_deref()
            .map(|s| {
                s.parse::<SessionId>().map_err(|_| {
                    ApiError::bad_request("session_invalid", "session is not a session id")
                        .field("session")
                })
            })
            .transpose()?;
        let before = page_cursor(q.cursor.as_deref())?;
        Ok(DeliveryQuery {
            status,
            kind,
            session,
            before,
            limit: page_limit(q.limit.as_deref())?,
        })
    }
}

/// Since when to recover: unix seconds or ISO 8601.
pub fn recover_since(request: &RecoverRequest) -> ApiResult<UnixSeconds> {
    let parsed = match &request.since {
        None | Some(serde_json::Value::Null) => return Err(ApiError::missing("since")),
        Some(value) => crate::wire::seconds_or_iso8601(value),
    };
    parsed
        .filter(|t| (0..=MAX_UNIX_SECONDS).contains(&t.0))
        .ok_or_else(|| {
            ApiError::invalid(
                "since",
                "timestamp_invalid",
                "since must be unix seconds (up to year 9999) or ISO 8601",
            )
        })
}
