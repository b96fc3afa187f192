//! The sandbox provider: test sessions (made with an `sk_test_` key) can be paid
//! without any external service. It sends correctly signed gateway webhooks for
//! the session through the real verification path of `/api/webhook.php`, or
//! deliberately awkward ones: the same webhook twice (a provider's retry), a
//! second payment of a paid session, a payment short or over by a percentage,
//! a payment split in parts, a late payment (the session expired first), a
//! wrong amount, a bad signature, a stale timestamp, a refund, a failed
//! payment. It needs no key, and only ever moves test money: a live session
//! is refused, and a test order can only name a test wallet.

use checkout_core::ids::SessionId;
use checkout_core::session::{Mode, Session};
use checkout_core::signature::gateway;
use checkout_core::time::UnixSeconds;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use worker::{Headers, Response};

use crate::account::protocol::Change;
use crate::ctx::Ctx;
use crate::dialect::gateway::wire::{GatewayEvent, GatewayWebhook};
use crate::error::{ApiError, ApiResult, ErrorStyle};
use crate::http;
use crate::route::{Call, MaybeCaller, Path, Query};
use crate::secret::{ExposeSecret, SecretString};
use crate::sessions;
use crate::wire::Amount;

/// What the sandbox can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// What is still due, once.
    Payment,
    /// The same payment webhook twice: a provider's retry, recorded once.
    Resend,
    /// What is due, then a second payment under a new reference: a doubled
    /// payment (`payment.duplicate`, never paid or credited twice).
    Duplicate,
    /// One minor unit more than the price.
    WrongAmount,
    /// `percent` less than what is due.
    Underpaid,
    /// `percent` more than what is due.
    Overpaid,
    /// What is due in `parts` payments, each under its own reference.
    Split,
    /// The session expires now, then what was due arrives.
    Late,
    /// The session expires now, and nothing is sent: to try a late payment
    /// through another path (an ETN webhook, the ETN poll).
    Expire,
    BadSignature,
    Stale,
    Refund,
    Failed,
}

/// Every scenario's wire name, for the error that lists them.
const SCENARIOS: &str = "payment, resend, duplicate, wrong_amount, underpaid, overpaid, split, \
                         late, expire, bad_signature, stale, refund, failed";

/// `POST /v1/sessions/{id}/sandbox?scenario=payment&redirect=1`
#[derive(Debug, Deserialize, IntoParams)]
pub struct SandboxQuery {
    /// payment (default), resend, duplicate, wrong_amount, underpaid, overpaid,
    /// split, late, expire, bad_signature, stale, refund, failed.
    pub scenario: Option<String>,
    /// underpaid and overpaid: by how much, in percent of what is due (0.01
    /// to 99.99 short, 0.01 to 1000 over; default 10).
    pub percent: Option<String>,
    /// split: in how many payments, 2 to 10 (default 2).
    pub parts: Option<String>,
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
    /// The first webhook sent (none for `expire`).
    pub webhook: Option<GatewayWebhook>,
    /// Every webhook sent, in order.
    pub webhooks: Vec<GatewayWebhook>,
    /// What each one was answered, in the same order.
    pub deliveries: Vec<SandboxDelivery>,
}

/// A percentage for `underpaid` and `overpaid`: a plain decimal with at most
/// two decimals, above 0 and at most `max`.
fn percent(text: Option<&str>, max: Decimal) -> ApiResult<Decimal> {
    let Some(text) = text else {
        return Ok(Decimal::TEN);
    };
    text.parse::<Decimal>()
        .ok()
        .filter(|p| {
            !text.contains(['e', 'E', '-', '+'])
                && p.scale() <= 2
                && *p > Decimal::ZERO
                && *p <= max
        })
        .ok_or_else(|| {
            ApiError::bad_request(
                "percent_invalid",
                format!(
                    "percent must be a decimal above 0 and at most {max}, two decimals at most"
                ),
            )
            .field("percent")
        })
}

/// The number of parts of a `split`: 2 to 10.
fn parts(text: Option<&str>) -> ApiResult<u32> {
    let Some(text) = text else { return Ok(2) };
    text.parse::<u32>()
        .ok()
        .filter(|n| (2..=10).contains(n))
        .ok_or_else(|| {
            ApiError::bad_request("parts_invalid", "parts must be a whole number from 2 to 10")
                .field("parts")
        })
}

/// What a test session still asks, in its own currency: what its payments
/// leave of the price while it is open, the whole price otherwise.
fn still_due(session: &Session, now: UnixSeconds) -> Decimal {
    if session.state_at(now).is_open() && !session.payments.is_empty() {
        session.tally().short().1
    } else {
        session.price.amount()
    }
}

/// `amount × factor`, rounded down to the currency's minor units, at least one.
fn share(amount: Decimal, factor: Decimal, minor_units: u32) -> ApiResult<Decimal> {
    let unit = Decimal::new(1, minor_units);
    let value = amount
        .checked_mul(factor)
        .ok_or_else(|| ApiError::internal("sandbox", "amount overflow"))?
        .round_dp_with_strategy(minor_units, RoundingStrategy::ToZero);
    Ok(value.max(unit))
}

/// One payment the sandbox sends: its event, amount and reference.
struct Send {
    event: GatewayEvent,
    amount: Decimal,
    reference: String,
}

/// `POST /v1/sessions/{id}/sandbox`
pub async fn trigger(
    call: Call,
    MaybeCaller(caller): MaybeCaller,
    Query(query): Query<SandboxQuery>,
    Path(id): Path<SessionId>,
) -> ApiResult<Response> {
    let ctx = &call.ctx;
    let scenario: Scenario = match &query.scenario {
        None => Scenario::Payment,
        Some(text) => {
            serde_json::from_value(serde_json::Value::String(text.clone())).map_err(|_| {
                ApiError::bad_request(
                    "scenario_unknown",
                    format!("scenario must be one of {SCENARIOS}"),
                )
                .field("scenario")
            })?
        }
    };
    let percent = match scenario {
        Scenario::Underpaid => percent(query.percent.as_deref(), Decimal::new(9999, 2))?,
        Scenario::Overpaid => percent(query.percent.as_deref(), Decimal::ONE_THOUSAND)?,
        _ => Decimal::ZERO,
    };
    let parts = match scenario {
        Scenario::Split => parts(query.parts.as_deref())?,
        _ => 1,
    };
    // With a key, only the key's own sessions; without one (the hosted page's
    // button), any test session: its id is the capability, and test money is not
    // money.
    let mut session = match &caller {
        Some(caller) => sessions::owned(ctx, caller, &id).await?,
        None => sessions::find(ctx, &id).await?,
    }
    .session;
    if session.mode != Mode::Test {
        return Err(ApiError::new(
            403,
            "not_a_test_session",
            "the sandbox only pays sessions made with an sk_test_ key",
        ));
    }
    let expires = matches!(scenario, Scenario::Late | Scenario::Expire);
    if expires && session.state_at(ctx.now).is_open() {
        let located = sessions::locate(ctx, &session.id)
            .await?
            .ok_or_else(|| ApiError::not_found("session"))?;
        session = sessions::apply(ctx, located, Change::ExpireNow)
            .await?
            .read
            .session;
    }
    let merchant = ctx.store.merchant_of(&session).await?;
    let secret = ctx.config.open(&merchant.gateway_secret)?;
    let minor_units = session.price.currency().minor_units();
    let due = still_due(&session, ctx.now);
    let reference = format!("sandbox-{}", session.payment_string.payment_id());
    let pay = |amount: Decimal, reference: String| Send {
        event: GatewayEvent::PaymentSucceeded,
        amount,
        reference,
    };
    let hundred = Decimal::ONE_HUNDRED;
    let sends: Vec<Send> = match scenario {
        Scenario::Payment | Scenario::Late | Scenario::BadSignature | Scenario::Stale => {
            vec![pay(due, reference)]
        }
        Scenario::Resend => vec![pay(due, reference.clone()), pay(due, reference)],
        Scenario::Duplicate => vec![
            pay(due, reference.clone()),
            pay(
                session.price.amount(),
                format!(
                    "{reference}-again-{}",
                    hex::encode(crate::random::bytes::<4>())
                ),
            ),
        ],
        Scenario::WrongAmount => {
            let unit = Decimal::new(1, minor_units);
            let over = session
                .price
                .amount()
                .checked_add(unit)
                .ok_or_else(|| ApiError::internal("sandbox", "amount overflow"))?;
            vec![pay(over, reference)]
        }
        Scenario::Underpaid => {
            let factor = (hundred - percent) / hundred;
            vec![pay(share(due, factor, minor_units)?, reference)]
        }
        Scenario::Overpaid => {
            let factor = (hundred + percent) / hundred;
            vec![pay(share(due, factor, minor_units)?, reference)]
        }
        Scenario::Split => {
            let part = share(due, Decimal::ONE / Decimal::from(parts), minor_units)?;
            let mut left = due;
            let mut sends = Vec::new();
            for i in 1..=parts {
                let amount = if i == parts { left } else { part.min(left) };
                left -= amount;
                if amount > Decimal::ZERO {
                    sends.push(pay(amount, format!("{reference}-{i}-of-{parts}")));
                }
            }
            sends
        }
        Scenario::Expire => Vec::new(),
        Scenario::Refund => vec![Send {
            event: GatewayEvent::RefundSucceeded,
            amount: session.price.amount(),
            reference,
        }],
        Scenario::Failed => vec![Send {
            event: GatewayEvent::PaymentFailed,
            amount: session.price.amount(),
            reference,
        }],
    };
    let mut webhooks = Vec::new();
    let mut deliveries = Vec::new();
    for send in sends {
        let (webhook, delivery) = deliver(ctx, &session, &secret, scenario, send).await?;
        webhooks.push(webhook);
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
            webhook: webhooks.first().cloned(),
            webhooks,
            deliveries,
        },
    )
}

/// Signs one gateway webhook as the scenario asks and hands it to the real
/// verification path; what it answered.
async fn deliver(
    ctx: &Ctx,
    session: &Session,
    secret: &SecretString,
    scenario: Scenario,
    send: Send,
) -> ApiResult<(GatewayWebhook, SandboxDelivery)> {
    let webhook = GatewayWebhook {
        event: Some(send.event),
        session_id: Some(session.id.to_string()),
        amount: Some(Amount(send.amount.to_string())),
        currency: Some(session.price.currency().code().to_owned()),
        reference: Some(send.reference),
        timestamp: Some(serde_json::Value::from(
            if scenario == Scenario::Stale {
                ctx.now.minus(600)
            } else {
                ctx.now
            }
            .0,
        )),
    };
    let body = serde_json::to_string(&webhook).map_err(|e| ApiError::internal("sandbox", e))?;
    let signature = match scenario {
        Scenario::BadSignature => gateway::sign("not-the-secret", body.as_bytes()),
        _ => gateway::sign(secret.expose_secret(), body.as_bytes()),
    };
    let headers = Headers::new();
    headers.set("x-signature", &format!("sha256={signature}"))?;
    let delivery = match crate::dialect::gateway::receive(ctx, body.as_bytes(), &headers).await {
        Ok(ack) => SandboxDelivery {
            status: 200,
            response: serde_json::to_value(ack).unwrap_or_default(),
        },
        Err(e) => SandboxDelivery {
            status: e.status,
            response: serde_json::to_value(e.body(ErrorStyle::Plain)).unwrap_or_default(),
        },
    };
    Ok((webhook, delivery))
}
