//! The sandbox provider: test sessions (made with an `sk_test_` key) can be paid
//! without any external service. It sends a correctly signed gateway webhook for
//! the session through the real verification path of `/api/webhook.php`, or a
//! deliberately wrong one: a duplicate, a wrong amount, a bad signature, a stale
//! timestamp, a refund, a failed payment. It needs no key, and only ever moves
//! test money: a live session is refused, and a test order can only name a test
//! wallet.

use checkout_core::session::Mode;
use checkout_core::signature::gateway;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use worker::{Headers, Response};

use crate::dialect::gateway::wire::GatewayWebhook;
use crate::error::{ApiError, ApiResult, ErrorStyle};
use crate::http;
use crate::route::{Call, MaybeCaller, Query};
use crate::secret::ExposeSecret;
use crate::sessions;
use crate::wire::Amount;

/// What the sandbox can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    Payment,
    Duplicate,
    WrongAmount,
    BadSignature,
    Stale,
    Refund,
    Failed,
}

/// `POST /v1/sessions/{id}/sandbox?scenario=payment&redirect=1`
#[derive(Debug, Deserialize, IntoParams)]
pub struct SandboxQuery {
    /// payment (default), duplicate, wrong_amount, bad_signature, stale, refund, failed.
    pub scenario: Option<String>,
    /// Present: answer 303 back to the hosted page (its button uses this).
    pub redirect: Option<String>,
}

/// What one delivery of the sandbox's webhook got back.
#[derive(Debug, Serialize, ToSchema)]
pub struct SandboxDelivery {
    pub status: u16,
    #[schema(value_type = Object)]
    pub response: serde_json::Value,
}

/// What the sandbox sent and how it was answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct SandboxRun {
    pub scenario: Scenario,
    pub webhook: GatewayWebhook,
    pub deliveries: Vec<SandboxDelivery>,
}

/// `POST /v1/sessions/{id}/sandbox`
pub async fn trigger(
    call: Call,
    MaybeCaller(caller): MaybeCaller,
    Query(query): Query<SandboxQuery>,
) -> ApiResult<Response> {
    let ctx = &call.ctx;
    let scenario: Scenario = match &query.scenario {
        None => Scenario::Payment,
        Some(text) => serde_json::from_value(serde_json::Value::String(text.clone())).map_err(|_| {
            ApiError::bad_request(
                "scenario_unknown",
                "scenario must be one of payment, duplicate, wrong_amount, bad_signature, stale, refund, failed",
            )
            .field("scenario")
        })?,
    };
    // With a key, only the key's own sessions; without one (the hosted page's
    // button), any test session: its id is the capability, and test money is not
    // money.
    let session = match &caller {
        Some(caller) => sessions::owned(ctx, caller, call.param("id")).await?,
        None => sessions::find(ctx, call.param("id")).await?,
    }
    .session;
    if session.mode != Mode::Test {
        return Err(ApiError::new(
            403,
            "not_a_test_session",
            "the sandbox only pays sessions made with an sk_test_ key",
        ));
    }
    let merchant = ctx.store.merchant_of(&session).await?;
    let secret = merchant.gateway_secret.open(ctx.config.secrets_key()?)?;
    // A wrong amount is one minor unit too much: a valid amount, an overpayment.
    let amount = match scenario {
        Scenario::WrongAmount => {
            let unit = Decimal::new(1, session.price.currency().minor_units());
            session
                .price
                .amount()
                .checked_add(unit)
                .ok_or_else(|| ApiError::internal("sandbox", "amount overflow"))?
                .to_string()
        }
        _ => session.price.to_string(),
    };
    let event = match scenario {
        Scenario::Refund => "refund.succeeded",
        Scenario::Failed => "payment.failed",
        _ => "payment.succeeded",
    };
    let webhook = GatewayWebhook {
        event: Some(event.to_owned()),
        session_id: Some(session.id.to_string()),
        amount: Some(Amount(amount)),
        currency: Some(session.price.currency().code().to_owned()),
        reference: Some(format!("sandbox-{}", session.payment_string.payment_id())),
        timestamp: Some(serde_json::Value::from(if scenario == Scenario::Stale {
            ctx.now - 600
        } else {
            ctx.now
        })),
    };
    let body = serde_json::to_string(&webhook).map_err(|e| ApiError::internal("sandbox", e))?;
    let signature = match scenario {
        Scenario::BadSignature => gateway::sign("not-the-secret", body.as_bytes()),
        _ => gateway::sign(secret.expose_secret(), body.as_bytes()),
    };
    let headers = Headers::new();
    headers.set("x-signature", &format!("sha256={signature}"))?;
    let copies = if scenario == Scenario::Duplicate {
        2
    } else {
        1
    };
    let mut deliveries = Vec::new();
    for _ in 0..copies {
        let delivery = match crate::dialect::gateway::receive(ctx, body.as_bytes(), &headers).await
        {
            Ok(ack) => SandboxDelivery {
                status: 200,
                response: serde_json::to_value(ack).unwrap_or_default(),
            },
            Err(e) => SandboxDelivery {
                status: e.status,
                response: serde_json::to_value(e.body(ErrorStyle::Plain)).unwrap_or_default(),
            },
        };
        deliveries.push(delivery);
    }
    if query.redirect.is_some() {
        let url = worker::Url::parse(&ctx.checkout_url(&session.id))
            .map_err(|e| ApiError::internal("url", e))?;
        return Ok(Response::redirect_with_status(url, 303)?);
    }
    http::json(
        200,
        &SandboxRun {
            scenario,
            webhook,
            deliveries,
        },
    )
}
