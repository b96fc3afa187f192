//! payment-links-api: `POST /wallet/createPaymentLink` with `x-api-key`.
//!
//! The link's `order_id` (`pl_...`) is the id its webhook will carry, an alias of
//! the session. The webhook's `secret` is
//! base64(HMAC-SHA512(SHA-256(`amount:::order_id:::apiKey`), apiSecret)); it needs
//! the merchant's API key itself, which is stored only as a hash, so it is computed
//! here, while the key is in hand, and kept with the session. The API secret is the
//! merchant's signing secret (`whsec_...`, the whole string as the key).

use checkout_core::session::{Dialect, SessionRequest};
use checkout_core::signature::link;
use checkout_core::validate::FieldError;
use serde_json::json;
use worker::Response;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::json::Object;
use crate::secrets;
use crate::sessions::{self, Create, Ctx};

fn rename(field: &str) -> String {
    match field {
        "return_url" => "redirectUrl".to_owned(),
        "customer_email" => "email".to_owned(),
        "reference" => "ref".to_owned(),
        f => f.to_owned(),
    }
}

/// `POST /wallet/createPaymentLink`
pub async fn create(
    ctx: &Ctx,
    caller: &Caller,
    o: &Object,
    idempotency_key: Option<String>,
) -> ApiResult<Response> {
    let email = o
        .string("email")?
        .filter(|e| !e.is_empty())
        .ok_or_else(|| ApiError::from(FieldError::missing("email")))?;
    let request = SessionRequest {
        amount: o.amount("amount")?,
        currency: o.string("currency")?,
        customer_email: Some(email),
        reference: o.string("ref")?,
        return_url: o.string("redirectUrl")?,
        ..SessionRequest::default()
    };
    let api_secret = secrets::open(ctx.config.secrets_key()?, &caller.merchant.signing_secret)?;
    let sign = |s: &mut checkout_core::session::Session| {
        let order_id = s
            .link_id
            .as_ref()
            .map(|id| id.to_string())
            .unwrap_or_default();
        s.link_signature = Some(link::sign(
            &api_secret,
            &caller.key,
            &order_id,
            &s.price.to_string(),
        ));
        Ok(())
    };
    let mut create = Create::new(request, Dialect::Link, idempotency_key);
    create.rename = rename;
    create.prepare = &sign;
    let created = sessions::create(ctx, caller, create).await?;
    let s = &created.session;
    http::json(
        if created.replayed { 200 } else { 201 },
        &json!({
            "order_id": s.link_id,
            "url": ctx.checkout_url(&s.id),
            "status": s.status_at(ctx.now),
            "amount": s.price.to_string(),
            "currency": s.price.currency().code(),
            "ref": s.reference,
            "expires_at": s.expires_at,
        }),
    )
}
