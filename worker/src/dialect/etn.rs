//! etn-vendor-api, both directions:
//! - `POST /webhooks/etn/{merchant_id}`: ETN's signed webhooks to a merchant;
//! - `POST /vendor/check-payment`: the poll contract, served to merchants;
//! - the cron's polls of ETN's own check-payment API (`poll`).
//!
//! A webhook is accepted only with a valid `ETN-SIGNATURE` (HMAC-SHA256 of the raw
//! body with the merchant's ETN API secret), a `timestamp` within five minutes
//! either way, and the merchant's own ETN API `key`.

use checkout_core::confirmation::{Confirmation, Provider};
use checkout_core::ids::MerchantId;
use checkout_core::signature::{etn, SignatureError, Tolerance};
use checkout_core::time::parse_iso8601;
use checkout_core::{Currency, PaymentId, VendorAddress};
use serde_json::json;
use worker::{Headers, Method, Request, RequestInit, Response};

use crate::confirmations::{self, etn_kind};
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::json::Object;
use crate::secrets;
use crate::sessions::Ctx;
use crate::store::MerchantRecord;

fn signature_error(e: SignatureError) -> ApiError {
    worker::console_warn!("refused an ETN-signed request: {}", e.code());
    ApiError::new(401, e.code(), format!("ETN-SIGNATURE: {e}")).field("ETN-SIGNATURE")
}

/// A field parsed into one of core's payment types, or a 400 naming it.
fn parsed<T>(o: &Object, name: &str) -> ApiResult<T>
where
    T: std::str::FromStr<Err = checkout_core::PaymentStringError>,
{
    o.string(name)?
        .unwrap_or_default()
        .parse()
        .map_err(|e: checkout_core::PaymentStringError| {
            ApiError::bad_request(e.code(), e.to_string()).field(name)
        })
}

/// `POST /webhooks/etn/{merchant_id}`
pub async fn webhook(ctx: &Ctx, req: &mut Request, merchant_id: &str) -> ApiResult<Response> {
    let not_found = || ApiError::not_found("merchant");
    let id: MerchantId = merchant_id.parse().map_err(|_| not_found())?;
    let merchant = ctx.store.merchant(&id).await?.ok_or_else(not_found)?;
    let body = http::body_bytes(req).await?;
    let key = ctx.config.secrets_key()?;
    let secret = secrets::open(key, &merchant.etn_api_secret)?;
    let signature = req.headers().get("etn-signature")?.unwrap_or_default();
    etn::verify(&secret, &body, &signature).map_err(signature_error)?;

    let o = Object::parse(&body)?;
    let timestamp = o.string("timestamp")?.ok_or_else(|| {
        ApiError::bad_request("missing_field", "timestamp is required").field("timestamp")
    })?;
    let ts = parse_iso8601(&timestamp).ok_or_else(|| {
        ApiError::bad_request("timestamp_invalid", "timestamp must be ISO 8601").field("timestamp")
    })?;
    Tolerance::DEFAULT.check(ts, ctx.now).map_err(|e| {
        worker::console_warn!("refused an ETN webhook: {}", e.code());
        ApiError::bad_request(e.code(), format!("timestamp: {e}")).field("timestamp")
    })?;
    let api_key = o.string("key")?.unwrap_or_default();
    if !crate::auth::secret_eq(&api_key, &secrets::open(key, &merchant.etn_api_key)?) {
        worker::console_warn!("refused an ETN webhook for {}: key mismatch", merchant.id);
        return Err(ApiError::new(
            401,
            "key_mismatch",
            "key is not this merchant's ETN API key",
        )
        .field("key"));
    }
    let event = o.string("event")?.unwrap_or_default();
    let kind = etn_kind(&event).ok_or_else(|| {
        ApiError::bad_request("event_unknown", "event must be payment or refund").field("event")
    })?;
    let payment_id: PaymentId = parsed(&o, "payment_id")?;
    let amount = o.amount("amount")?.ok_or_else(|| {
        ApiError::bad_request("missing_field", "amount is required").field("amount")
    })?;
    let confirmation = Confirmation {
        provider: Provider::Etn,
        kind,
        payment_ref: payment_id.to_string(),
        amount,
        currency: Currency::ETN,
        provider_ref: o.string("ref")?,
    };
    apply(ctx, &merchant, &confirmation).await
}

/// Applies an ETN confirmation (webhook or poll) to the session of its payment id.
pub async fn apply(ctx: &Ctx, merchant: &MerchantRecord, c: &Confirmation) -> ApiResult<Response> {
    let session = ctx
        .store
        .session_for_payment(&merchant.id, &c.payment_ref)
        .await?;
    let recorded = confirmations::record(ctx, &merchant.id, session, c).await?;
    http::json(200, &recorded.to_json())
}

/// `POST /vendor/check-payment`: `{payment_id, vendor_address}` signed with the
/// merchant's ETN API secret; `{"status": 1, "amount"}` when paid, `{"status": 0,
/// "message"}` when not. At most one request per second per merchant.
pub async fn check_payment(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body = http::body_bytes(req).await?;
    let o = Object::parse(&body)?;
    let vendor: VendorAddress = parsed(&o, "vendor_address")?;
    let merchant = match ctx
        .store
        .merchant_by_outlet(vendor.outlet().as_str())
        .await?
    {
        Some(m) => m,
        None => {
            return http::json(
                200,
                &json!({"status": 0, "message": "Vendor address unknown"}),
            )
        }
    };
    let secret = secrets::open(ctx.config.secrets_key()?, &merchant.etn_api_secret)?;
    let signature = req.headers().get("etn-signature")?.unwrap_or_default();
    etn::verify(&secret, &body, &signature).map_err(signature_error)?;
    if let Some(wait) = ctx
        .store
        .rate_limit(&format!("check:{}", merchant.id), ctx.now_ms)
        .await?
    {
        let mut e = ApiError::new(
            429,
            "rate_limited",
            "at most one check-payment request per second",
        );
        e.retry_after = Some(wait);
        return Err(e);
    }
    let payment_id: PaymentId = parsed(&o, "payment_id")?;
    let session = ctx
        .store
        .session_for_payment(&merchant.id, payment_id.as_str())
        .await?;
    match session {
        Some(s) if s.state == checkout_core::session::State::Paid => http::json(
            200,
            &json!({"status": 1, "amount": s.payment_string.amount().to_string()}),
        ),
        Some(_) => http::json(
            200,
            &json!({"status": 0, "message": "Payment not sent by customer"}),
        ),
        None => http::json(200, &json!({"status": 0, "message": "Payment id unknown"})),
    }
}

/// Asks ETN's check-payment API (`ETN_POLL_URL`) whether a payment was made, as the
/// seed describes: JSON `{payment_id, vendor_address}` in that order, signed in
/// `ETN-SIGNATURE`. `Some(amount)` when paid.
pub async fn poll(
    ctx: &Ctx,
    merchant: &MerchantRecord,
    payment_id: &str,
) -> ApiResult<Option<String>> {
    let body = json!({"payment_id": payment_id, "vendor_address": format!("etn-it-{}", merchant.outlet_id)}).to_string();
    let secret = secrets::open(ctx.config.secrets_key()?, &merchant.etn_api_secret)?;
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("etn-signature", &etn::sign(&secret, body.as_bytes()))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    let request = Request::new_with_init(&ctx.config.etn_poll_url, &init)?;
    let mut response = worker::Fetch::Request(request).send().await?;
    if response.status_code() != 200 {
        return Err(ApiError::internal(
            "etn poll",
            format!("check-payment answered {}", response.status_code()),
        ));
    }
    let text = response.text().await?;
    let answer = Object::parse(text.as_bytes())?;
    Ok(match answer.integer("status")? {
        Some(1) => answer.amount("amount")?,
        _ => None,
    })
}
