//! Commands about webhooks: the endpoint, its secrets, deliveries; and what a
//! session's webhooks carry.

use checkout_core::event::EventKind;
use checkout_core::ids::SessionId;
use checkout_core::time::{UnixMillis, UnixSeconds};
use checkout_core::webhook::{DeliveryStatus, EventFilter};
use serde::{Deserialize, Serialize};

use super::Command;
use crate::secret::Sealed;
use checkout_api::webhooks::{Delivery, DisabledReason};

command!(
    /// The signing secrets, sealed.
    GetSecrets, "secrets" => Secrets
);

command!(
    /// The webhook endpoint, if one is configured.
    GetEndpoint, "endpoint" => Option<Endpoint>
);

command!(
    /// Creates or replaces the webhook endpoint.
    PutEndpoint {
        pub url: String,
        /// A new signing secret, or `None` to keep the current one.
        pub secret: Option<Sealed>,
        pub filter: EventFilter,
        pub enabled: bool,
    }, "put-endpoint" => Endpoint
);

command!(
    /// Removes the webhook endpoint (the history stays). Answers whether there
    /// was one.
    DeleteEndpoint, "delete-endpoint" => bool
);

command!(
    /// Makes `secret` the signing secret; the previous one keeps signing for
    /// the rotation window.
    Rotate {
        pub secret: Sealed,
    }, "rotate" => Secrets
);

command!(
    /// One page of deliveries, newest first.
    ListDeliveries {
        pub query: DeliveryQuery,
    }, "deliveries" => DeliveryPage
);

command!(
    /// One delivery with its exact bytes and every attempt.
    GetDelivery {
        pub event_id: String,
    }, "delivery" => Delivery
);

command!(
    /// Sends a delivery again now.
    Redeliver {
        pub event_id: String,
    }, "redeliver" => Delivery
);

command!(
    /// Queues every failed delivery created since `since` again.
    /// Answers how many.
    Recover {
        pub since: UnixSeconds,
    }, "recover" => u32
);

command!(
    /// Records and sends a `webhook.test` event now.
    SendTest, "send-test" => Delivery
);

/// The signing secrets, sealed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Secrets {
    pub current: Sealed,
    pub previous: Option<Sealed>,
    /// Until when `previous` signs too (stored in unix ms).
    pub previous_until: Option<UnixMillis>,
}

/// The webhook endpoint, as stored (its signing secrets are kept apart: they
/// exist before any endpoint does).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Endpoint {
    pub url: String,
    pub filter: EventFilter,
    pub enabled: bool,
    pub disabled_reason: Option<DisabledReason>,
    /// The first failure since the last success (stored in unix ms).
    pub failing_since: Option<UnixMillis>,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

/// Which deliveries to list, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeliveryQuery {
    pub status: Option<DeliveryStatus>,
    pub kind: Option<EventKind>,
    /// Only one session's.
    pub session: Option<SessionId>,
    /// The `next_cursor` of the previous page.
    pub before: Option<i64>,
    pub limit: u32,
}

/// A page of deliveries, newest first.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeliveryPage {
    pub data: Vec<Delivery>,
    /// Pass as `before` for the next page.
    pub next_cursor: Option<i64>,
}

/// What the webhooks of a session's events carry, as the session was when
/// the events happened: each dialect gets exactly what its document promises.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionSnapshot {
    pub session_id: SessionId,
    pub dialect: checkout_core::session::Dialect,
    /// The dialect's REST resource of the session: the envelope's `data`.
    pub view: serde_json::Value,
    /// The session's own webhook URL (ewallet orders), overriding the endpoint's.
    pub webhook_url: Option<String>,
    /// ewallet-orders-api: what `order.paid` carries.
    pub order: Option<OrderFacts>,
    /// payment-links-api: what its one webhook carries.
    pub link: Option<LinkFacts>,
}

/// The fields of an ewallet `order.paid` webhook.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrderFacts {
    pub order_id: String,
    /// The amount text, as the order was created (the signature covers it).
    pub amount: String,
    pub currency: String,
}

/// The fields of a payment-links webhook.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkFacts {
    pub order_id: String,
    /// base64(HMAC-SHA512(SHA-256(`amount:::order_id:::apiKey`), apiSecret)).
    pub secret: String,
    pub amount: String,
    pub reference: Option<String>,
    pub currency: String,
}
