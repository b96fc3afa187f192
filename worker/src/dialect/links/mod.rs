//! payment-links-api: `POST /wallet/createPaymentLink` with `x-api-key`.
//!
//! The link's `order_id` (`pl_...`) is the id its webhook will carry, an alias of
//! the session. The webhook's `secret` is
//! base64(HMAC-SHA512(SHA-256(`amount:::order_id:::apiKey`), apiSecret)); it needs
//! the merchant's API key itself, which is stored only as a hash, so it is computed
//! here, while the key is in hand, and kept with the session. The API secret is the
//! merchant's signing secret (`whsec_...`, the whole string as the key).
//!
//! Answers are 200, created or replayed alike: integrations written for the real
//! service (a WHMCS module among them) treat any other status as a failure.

pub mod wire;

use checkout_core::session::{Dialect, Session, SessionRequest};
use checkout_core::signature::link;

use self::wire::{rename, CreateLink, PaymentLink};
use crate::account::protocol::GetSecrets;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::idempotency;
use crate::route::{Call, Json, Reply};
use crate::secret::ExposeSecret;
use crate::sessions::{self, NewSession};

/// `POST /wallet/createPaymentLink`
pub async fn create(
    call: Call,
    caller: Caller,
    Json(body): Json<CreateLink>,
) -> ApiResult<Reply<PaymentLink>> {
    let request = SessionRequest::try_from(&body)?;
    // The signing secret of this key's mode (rotations included) is the API secret.
    let api_secret = caller
        .account(&call.ctx)
        .call(GetSecrets)
        .await?
        .current
        .open(call.ctx.config.secrets_key()?)?;
    let sign = |s: &mut Session| {
        let order_id = s.link_id.as_ref().map(|id| id.as_str()).unwrap_or_default();
        s.link_signature = Some(link::sign(
            api_secret.expose_secret(),
            caller.api_key()?.expose_secret(),
            order_id,
            &s.price.to_string(),
        ));
        Ok(())
    };
    let mut new = NewSession::new(
        request,
        Dialect::Link,
        idempotency::fingerprint(Dialect::Link, &body)?,
        call.header("idempotency-key")?,
    );
    new.rename = rename;
    new.prepare = &sign;
    let created = sessions::create(&call.ctx, &caller, new).await?;
    Ok(Reply::ok(PaymentLink::of(&call.ctx, &created.read.session)))
}
