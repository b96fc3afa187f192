//! The sandbox provider: test sessions (made with an `sk_test_` key) can be paid
//! without any external service. It sends a correctly signed gateway webhook for
//! the session through the real verification path of `/api/webhook.php`, or a
//! deliberately wrong one: a duplicate, a wrong amount, a bad signature, a stale
//! timestamp, a refund, a failed payment.

use checkout_core::session::Mode;
use checkout_core::signature::gateway;
use serde_json::{json, Value};
use worker::{Headers, Method, Request, RequestInit, Response};

use crate::dialect;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::secrets;
use crate::sessions::{self, Ctx};

const SCENARIOS: &[&str] = &[
    "payment",
    "duplicate",
    "wrong_amount",
    "bad_signature",
    "stale",
    "refund",
    "failed",
];

/// `POST /v1/sessions/{id}/sandbox?scenario=...` (`payment` if absent). With
/// `redirect=1` (the hosted page's button) it answers 303 back to the page.
pub async fn trigger(
    ctx: &Ctx,
    id: &str,
    scenario: Option<String>,
    redirect: bool,
) -> ApiResult<Response> {
    let scenario = scenario.unwrap_or_else(|| "payment".to_owned());
    if !SCENARIOS.contains(&scenario.as_str()) {
        return Err(ApiError::bad_request(
            "scenario_unknown",
            format!("scenario must be one of {}", SCENARIOS.join(", ")),
        )
        .field("scenario"));
    }
    let session = sessions::find(ctx, id).await?;
    if session.mode != Mode::Test {
        return Err(ApiError::new(
            403,
            "not_a_test_session",
            "the sandbox only pays sessions made with an sk_test_ key",
        ));
    }
    let merchant = ctx
        .store
        .merchant(&session.merchant_id)
        .await?
        .ok_or_else(|| ApiError::not_found("merchant"))?;
    let secret = secrets::open(ctx.config.secrets_key()?, &merchant.gateway_secret)?;
    let amount = match scenario.as_str() {
        "wrong_amount" => format!("{}1", session.price),
        _ => session.price.to_string(),
    };
    let event = match scenario.as_str() {
        "refund" => "refund.succeeded",
        "failed" => "payment.failed",
        _ => "payment.succeeded",
    };
    let timestamp = if scenario == "stale" {
        ctx.now - 600
    } else {
        ctx.now
    };
    let body = json!({
        "event": event,
        "session_id": session.id,
        "amount": amount,
        "currency": session.price.currency().code(),
        "reference": format!("sandbox-{}", session.payment_string.payment_id()),
        "timestamp": timestamp,
    })
    .to_string();
    let signature = if scenario == "bad_signature" {
        gateway::sign("not-the-secret", body.as_bytes())
    } else {
        gateway::sign(&secret, body.as_bytes())
    };
    let copies = if scenario == "duplicate" { 2 } else { 1 };
    let mut deliveries: Vec<Value> = Vec::new();
    for _ in 0..copies {
        let headers = Headers::new();
        headers.set("content-type", "application/json")?;
        headers.set("x-signature", &format!("sha256={signature}"))?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(body.clone().into()));
        let mut request =
            Request::new_with_init(&format!("{}/api/webhook.php", origin_or_local(ctx)), &init)?;
        let (status, answer) = match dialect::gateway::webhook(ctx, &mut request).await {
            Ok(mut r) => (r.status_code(), r.text().await.unwrap_or_default()),
            Err(e) => {
                let status = e.status;
                let mut r = e.into_response();
                (status, r.text().await.unwrap_or_default())
            }
        };
        deliveries.push(json!({"status": status, "response": serde_json::from_str::<Value>(&answer).unwrap_or(Value::Null)}));
    }
    if redirect {
        let url = worker::Url::parse(&ctx.checkout_url(&session.id))
            .map_err(|e| ApiError::internal("url", e))?;
        return Ok(Response::redirect_with_status(url, 303)?);
    }
    http::json(
        200,
        &json!({"scenario": scenario, "webhook": serde_json::from_str::<Value>(&body).unwrap_or(Value::Null), "deliveries": deliveries}),
    )
}

fn origin_or_local(ctx: &Ctx) -> &str {
    if ctx.origin.is_empty() {
        "http://localhost"
    } else {
        &ctx.origin
    }
}
