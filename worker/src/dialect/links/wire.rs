//! Wire types of payment-links-api, shaped like its seed (`ref`, `redirectUrl`).

use checkout_core::ids::LinkId;
use checkout_core::session::{Session, SessionRequest};
use checkout_core::time::UnixSeconds;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire::{Amount, Price};

/// Core's field names → this dialect's, for error bodies.
pub fn rename(field: &str) -> String {
    match field {
        "return_url" => "redirectUrl".to_owned(),
        "customer_email" => "email".to_owned(),
        "reference" => "ref".to_owned(),
        f => f.to_owned(),
    }
}

/// `POST /wallet/createPaymentLink`
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct CreateLink {
    pub amount: Option<Amount>,
    pub currency: Option<String>,
    /// The payer's email (required).
    pub email: Option<String>,
    /// Sent back in the webhook, e.g. your user id.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    #[serde(rename = "redirectUrl")]
    pub redirect_url: Option<String>,
}

impl TryFrom<&CreateLink> for SessionRequest {
    type Error = ApiError;

    fn try_from(link: &CreateLink) -> ApiResult<SessionRequest> {
        let email = link
            .email
            .clone()
            .filter(|e| !e.is_empty())
            .ok_or_else(|| ApiError::missing("email"))?;
        Ok(SessionRequest {
            amount: link.amount.clone().map(|a| a.0),
            currency: link.currency.clone(),
            customer_email: Some(email),
            reference: link.reference.clone(),
            return_url: link.redirect_url.clone(),
            ..SessionRequest::default()
        })
    }
}

/// A payment link: what creating one answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentLink {
    /// The link's id: the `order_id` its webhook carries.
    pub order_id: Option<LinkId>,
    /// The link to send the payer to.
    pub url: String,
    /// The same link, under the name some integrations read.
    #[serde(rename = "paymentLink")]
    pub payment_link: String,
    /// pending, fulfilled, timed_out or cancelled.
    pub status: &'static str,
    #[serde(flatten)]
    pub price: Price,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    #[schema(value_type = i64)]
    pub expires_at: UnixSeconds,
}

impl PaymentLink {
    pub fn of(ctx: &Ctx, s: &Session) -> PaymentLink {
        let url = ctx.checkout_url(&s.id);
        PaymentLink {
            order_id: s.link_id.clone(),
            payment_link: url.clone(),
            url,
            status: s.status_at(ctx.now),
            price: Price::of(s),
            reference: s.reference.clone(),
            expires_at: s.expires_at,
        }
    }
}
