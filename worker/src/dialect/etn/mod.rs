//! etn-vendor-api, both directions:
//! - `POST /webhooks/etn/{merchant_id}`: ETN's signed webhooks to a merchant;
//! - `POST /vendor/check-payment`: the poll contract, served to merchants;
//! - the cron's polls of ETN's own check-payment API ([`poll`]).
//!
//! A webhook is accepted only with a valid `ETN-SIGNATURE` (HMAC-SHA256 of the raw
//! body with the merchant's ETN API secret), a `timestamp` within five minutes
//! either way, and the merchant's own ETN API `key`.

pub mod wire;

use checkout_core::ids::MerchantId;
use checkout_core::session::{Mode, State};
use checkout_core::signature::{etn, SignatureError};
use checkout_core::{PaymentId, VendorAddress};
use worker::{Headers, Method, Request, RequestInit};

use self::wire::{CheckPayment, CheckPaymentAnswer, EtnWebhook};
use crate::account::protocol::CheckPayment as PaymentCheck;
use crate::confirmations::{self, Ack};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::route::{Call, Path, Reply, Signed};
use crate::secret::{secret_eq, ExposeSecret};
use crate::sessions;
use crate::store::{MerchantRecord, Owner};
use crate::wire::Amount;

fn signature_error(e: SignatureError) -> ApiError {
    worker::console_warn!("refused an ETN-signed request: {}", e.code());
    ApiError::unauthorized(e.code(), format!("ETN-SIGNATURE: {e}")).field("ETN-SIGNATURE")
}

/// A field parsed into one of core's payment types, or a 400 naming it.
fn parsed<T>(value: Option<&str>, name: &str) -> ApiResult<T>
where
    T: std::str::FromStr<Err = checkout_core::PaymentStringError>,
{
    value
        .unwrap_or_default()
        .parse()
        .map_err(|e: checkout_core::PaymentStringError| {
            ApiError::bad_request(e.code(), e.to_string()).field(name)
        })
}

/// `POST /webhooks/etn/{merchant_id}`
pub async fn webhook(
    call: Call,
    body: Signed<EtnWebhook>,
    Path(merchant_id): Path<MerchantId>,
) -> ApiResult<Reply<Ack>> {
    let ctx = &call.ctx;
    let merchant = ctx
        .store
        .merchant(&merchant_id)
        .await?
        .ok_or_else(|| ApiError::not_found("merchant"))?;
    let key = ctx.config.secrets_key()?;
    let secret = merchant.etn_api_secret.open(key)?;
    let signature = call.header("etn-signature")?.unwrap_or_default();
    etn::verify(secret.expose_secret(), &body.bytes, &signature).map_err(signature_error)?;

    let o = body.parse()?;
    o.check_time(ctx.now)?;
    let api_key = merchant.etn_api_key.open(key)?;
    if !secret_eq(
        o.key.as_deref().unwrap_or_default(),
        api_key.expose_secret(),
    ) {
        worker::console_warn!("refused an ETN webhook for {}: key mismatch", merchant.id);
        return Err(ApiError::unauthorized(
            "key_mismatch",
            "key is not this merchant's ETN API key",
        )
        .field("key"));
    }
    let (payment_id, confirmation) = o.confirmation()?;
    confirmations::record_payment(ctx, &merchant, &payment_id, &confirmation)
        .await
        .map(Reply::ok)
}

/// `POST /vendor/check-payment`: `{payment_id, vendor_address}` signed with the
/// merchant's ETN API secret; `{"status": 1, "amount"}` when paid, `{"status": 0,
/// "message"}` when not. At most one request per second per merchant.
pub async fn check_payment(
    call: Call,
    body: Signed<CheckPayment>,
) -> ApiResult<Reply<CheckPaymentAnswer>> {
    let ctx = &call.ctx;
    let o = body.parse()?;
    let Some(merchant) = signed_by_vendor(&call, &o, &body.bytes).await? else {
        return Ok(Reply::ok(CheckPaymentAnswer::not_paid(
            "Vendor address unknown",
        )));
    };
    let payment_id: PaymentId = parsed(o.payment_id.as_deref(), "payment_id")?;
    let session = session_of_payment(ctx, &merchant, &payment_id).await?;
    Ok(Reply::ok(match session {
        Some(s) if s.state == State::Paid => {
            CheckPaymentAnswer::paid(s.payment_string.amount().to_string())
        }
        Some(_) => CheckPaymentAnswer::not_paid("Payment not sent by customer"),
        None => CheckPaymentAnswer::not_paid("Payment id unknown"),
    }))
}

/// The session of a merchant's payment id, for the poll contract: the live
/// account keeps the one-a-second limit (exact, wherever the calls come
/// from), then the test account and the KV records of older versions are asked.
async fn session_of_payment(
    ctx: &Ctx,
    merchant: &MerchantRecord,
    payment_id: &PaymentId,
) -> ApiResult<Option<checkout_core::session::Session>> {
    for mode in confirmations::PAYMENT_MODES {
        let owner = Owner {
            merchant: &merchant.id,
            mode,
        };
        let found = ctx
            .account(owner)
            .call(PaymentCheck {
                payment_id: *payment_id,
                limited: mode == Mode::Live,
            })
            .await?;
        if let Some(read) = found {
            return Ok(Some(read.session));
        }
    }
    match ctx
        .store
        .session_of_payment(&merchant.id, payment_id)
        .await?
    {
        Some(id) => Ok(sessions::load(ctx, &id).await?.map(|read| read.session)),
        None => Ok(None),
    }
}

/// The merchant whose ETN outlet a check-payment request names, once its
/// `ETN-SIGNATURE` verified with that merchant's ETN API secret; `None` for an
/// outlet nobody has (answered as ETN does, with status 0).
pub async fn signed_by_vendor(
    call: &Call,
    request: &CheckPayment,
    bytes: &[u8],
) -> ApiResult<Option<MerchantRecord>> {
    let ctx = &call.ctx;
    let vendor: VendorAddress = parsed(request.vendor_address.as_deref(), "vendor_address")?;
    let Some(merchant) = ctx.store.merchant_by_outlet(vendor.outlet()).await? else {
        return Ok(None);
    };
    let secret = ctx.config.open(&merchant.etn_api_secret)?;
    let signature = call.header("etn-signature")?.unwrap_or_default();
    etn::verify(secret.expose_secret(), bytes, &signature).map_err(signature_error)?;
    Ok(Some(merchant))
}

/// Asks ETN's check-payment API (`ETN_POLL_URL`) whether a payment was made, as the
/// seed describes: JSON `{payment_id, vendor_address}` in that order, signed in
/// `ETN-SIGNATURE`. `Some(amount)` when paid.
pub async fn poll(
    ctx: &Ctx,
    merchant: &MerchantRecord,
    payment_id: &PaymentId,
) -> ApiResult<Option<Amount>> {
    let body = serde_json::to_string(&CheckPayment {
        payment_id: Some(payment_id.to_string()),
        vendor_address: Some(VendorAddress::new(merchant.outlet_id.clone()).to_string()),
    })
    .map_err(|e| ApiError::internal("etn poll", e))?;
    let secret = ctx.config.open(&merchant.etn_api_secret)?;
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set(
        "etn-signature",
        &etn::sign(secret.expose_secret(), body.as_bytes()),
    )?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    let request = Request::new_with_init(&ctx.config.etn_poll_url, &init)?;
    let mut response = worker::Fetch::Request(request).send().await?;
    if response.status_code() != 200 {
        return Err(ApiError::infrastructure(
            "etn poll",
            format!("check-payment answered {}", response.status_code()),
        ));
    }
    let text = response.text().await?;
    let answer: CheckPaymentAnswer = crate::wire::from_json(text.as_bytes())?;
    Ok(match answer.status {
        Some(status) if status.0 == 1 => answer.amount,
        _ => None,
    })
}
