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

use checkout_core::session::{Dialect, SessionRequest};

use self::wire::{rename, CreateLink, PaymentLink};
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::idempotency;
use crate::route::{Call, Json, Reply};
use crate::sessions::{self, NewSession};

/// `POST /wallet/createPaymentLink`
pub async fn create(
    call: Call,
    caller: Caller,
    Json(body): Json<CreateLink>,
) -> ApiResult<Reply<PaymentLink>> {
    let request = SessionRequest::try_from(&body)?;
    let mut new = NewSession::new(
        request,
        Dialect::Link,
        idempotency::fingerprint(Dialect::Link, &body)?,
        call.header("idempotency-key")?,
    );
    new.rename = rename;
    // The link's webhook `secret` is computed by the account object as it
    // stores the session, with its signing secret (the API secret) and the key
    // in hand (kept nowhere).
    new.link_key = Some(caller.api_key()?.clone());
    let created = sessions::create(&call.ctx, &caller, new).await?;
    Ok(Reply::ok(PaymentLink::of(&call.ctx, &created.read.session)))
}
