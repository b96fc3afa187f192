//! Wire types of hosted-checkout-gateway-api, shaped like its seed. Every answer
//! carries `"ok": true` (errors `"ok": false`): real clients of this API test it.

use checkout_core::ids::{MerchantId, SessionId};
use checkout_core::session::{Mode, Session, SessionRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ctx::Ctx;
use crate::store::Plan;
use crate::wire::{Amount, Price};

/// `POST /gateway/session.php`
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct GatewaySessionRequest {
    /// One of the merchant's approved domains, exactly.
    pub domain: Option<String>,
    pub amount: Option<Amount>,
    pub currency: Option<String>,
    pub order_id: Option<String>,
    pub return_url: Option<String>,
    pub cancel_url: Option<String>,
    /// Also accepted as `email`.
    #[serde(alias = "email")]
    pub customer_email: Option<String>,
    /// Smart routing: one of `GET /gateway/me.php`'s methods. Hosted checkout:
    /// accepted and ignored (real clients send `card`).
    pub method: Option<String>,
    /// Refused with 400: the seed forbids provider slugs in session payloads.
    #[schema(value_type = Option<String>)]
    pub provider: Option<serde_json::Value>,
}

impl GatewaySessionRequest {
    /// The core request; `method` only for smart-routing merchants.
    pub fn request(&self, method: Option<String>) -> SessionRequest {
        SessionRequest {
            amount: self.amount.clone().map(|a| a.0),
            currency: self.currency.clone(),
            order_id: self.order_id.clone(),
            customer_email: self.customer_email.clone(),
            return_url: self.return_url.clone(),
            cancel_url: self.cancel_url.clone(),
            method,
            ..SessionRequest::default()
        }
    }
}

/// A gateway session: what `session.php` and `status.php` answer, and the `data`
/// of its webhooks.
#[derive(Debug, Serialize, ToSchema)]
pub struct GatewaySession {
    /// Always `true`.
    pub ok: bool,
    pub session_id: SessionId,
    pub order_id: Option<String>,
    /// pending, paid, expired or cancelled.
    pub status: &'static str,
    #[serde(flatten)]
    pub price: Price,
    pub checkout_url: String,
    pub expires_at: i64,
    /// `failing` when the session is paid but its webhook is still undelivered
    /// after 15 minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification: Option<&'static str>,
}

impl GatewaySession {
    /// The view of a session as its account object keeps it, with what its
    /// webhook says (`notification`).
    pub fn read(ctx: &Ctx, read: &crate::account::protocol::SessionRead) -> GatewaySession {
        GatewaySession {
            notification: crate::sessions::notification(read),
            ..GatewaySession::of(ctx, &read.session)
        }
    }

    pub fn of(ctx: &Ctx, s: &Session) -> GatewaySession {
        GatewaySession {
            ok: true,
            session_id: s.id.clone(),
            order_id: s.order_id.clone(),
            status: s.status_at(ctx.now),
            price: Price::of(s),
            checkout_url: ctx.checkout_url(&s.id),
            expires_at: s.expires_at,
            notification: None,
        }
    }
}

/// `GET /gateway/me.php`
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// Always `true`.
    pub ok: bool,
    pub merchant_id: MerchantId,
    pub name: String,
    pub integration_mode: Plan,
    pub methods: Vec<String>,
    pub domains: Vec<String>,
    pub mode: Mode,
}

/// `GET /gateway/status.php?session_id=...`
#[derive(Debug, Deserialize, IntoParams)]
pub struct StatusQuery {
    pub session_id: Option<String>,
}

/// `POST /api/webhook.php`: a payment processor (or the sandbox) reports on a
/// session. Signed in `X-Signature`, `X-Ecomtrade24-Signature` or
/// `X-Webhook-Signature` (hex HMAC-SHA256 of the raw body, `sha256=` optional).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GatewayWebhook {
    /// `payment.succeeded`, `payment.failed` or `refund.succeeded`.
    pub event: Option<String>,
    pub session_id: Option<String>,
    pub amount: Option<Amount>,
    pub currency: Option<String>,
    /// The processor's own reference.
    pub reference: Option<String>,
    /// Unix seconds, or ISO 8601; within five minutes of now.
    #[schema(value_type = Option<String>)]
    pub timestamp: Option<serde_json::Value>,
}
