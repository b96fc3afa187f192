//! Wire types of hosted-checkout-gateway-api, shaped like its seed. Every answer
//! carries `"ok": true` (errors `"ok": false`): real clients of this API test it.

use checkout_core::confirmation::{Confirmation, Kind, Provider};
use checkout_core::ids::{MerchantId, SessionId};
use checkout_core::session::{Mode, Session, SessionRequest};
use checkout_core::signature::Tolerance;
use checkout_core::time::UnixSeconds;
use checkout_core::Currency;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
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
    #[schema(value_type = i64)]
    pub expires_at: UnixSeconds,
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
    pub event: Option<GatewayEvent>,
    pub session_id: Option<String>,
    pub amount: Option<Amount>,
    pub currency: Option<String>,
    /// The processor's own reference.
    pub reference: Option<String>,
    /// Unix seconds, or ISO 8601; within five minutes of now.
    #[schema(value_type = Option<String>)]
    pub timestamp: Option<serde_json::Value>,
}

/// What a gateway webhook reports; any other `event` is [`GatewayEvent::Unknown`]
/// (refused, naming the field, once the signature is verified).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum GatewayEvent {
    #[serde(rename = "payment.succeeded")]
    PaymentSucceeded,
    #[serde(rename = "payment.failed")]
    PaymentFailed,
    #[serde(rename = "refund.succeeded")]
    RefundSucceeded,
    #[serde(other)]
    Unknown,
}

impl GatewayWebhook {
    /// The confirmation a verified webhook makes for `session`: its time
    /// within the replay window of `now`, a known event, the amount in its
    /// currency. Read only after the signature is verified, so that an
    /// unsigned request learns nothing but 401.
    pub fn confirmation(&self, session: &SessionId, now: UnixSeconds) -> ApiResult<Confirmation> {
        let ts = self
            .timestamp
            .as_ref()
            .and_then(crate::wire::seconds_or_iso8601)
            .ok_or_else(|| {
                ApiError::bad_request(
                    "timestamp_invalid",
                    "timestamp must be unix seconds or ISO 8601",
                )
                .field("timestamp")
            })?;
        Tolerance::DEFAULT.check(ts, now).map_err(|e| {
            ApiError::bad_request(e.code(), format!("timestamp: {e}")).field("timestamp")
        })?;
        let kind = match self.event {
            Some(GatewayEvent::PaymentSucceeded) => Kind::Payment,
            Some(GatewayEvent::PaymentFailed) => Kind::Failure,
            Some(GatewayEvent::RefundSucceeded) => Kind::Refund,
            Some(GatewayEvent::Unknown) | None => {
                return Err(ApiError::bad_request(
                    "event_unknown",
                    "event must be payment.succeeded, payment.failed or refund.succeeded",
                )
                .field("event"))
            }
        };
        let currency_text = self
            .currency
            .as_deref()
            .ok_or_else(|| ApiError::missing("currency"))?;
        let currency = Currency::from_code(currency_text)
            .map_err(|e| ApiError::invalid("currency", e.code(), e.to_string()))?;
        let amount = self
            .amount
            .as_ref()
            .ok_or_else(|| ApiError::missing("amount"))?;
        Ok(Confirmation {
            provider: Provider::Gateway,
            kind,
            payment_ref: session.to_string(),
            amount: crate::confirmations::provider_amount(&amount.0, currency)?,
            provider_ref: self.reference.clone(),
        })
    }
}
