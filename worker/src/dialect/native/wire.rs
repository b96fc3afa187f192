//! Wire types of the native API (`/v1/sessions`): field names are core's.

use checkout_core::event::Event;
use checkout_core::ids::SessionId;
use checkout_core::policy::PolicyRequest;
use checkout_core::session::{Customer, Mode, Session, SessionRequest};
use checkout_core::time::UnixSeconds;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ctx::Ctx;
use crate::wire::{Amount, Balance, Int, Item, ItemRequestWire, Price};

/// `POST /v1/sessions`
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct CreateSession {
    pub amount: Option<Amount>,
    /// ISO 4217, upper case.
    pub currency: Option<String>,
    /// Your order reference: creating again with the same order_id returns the
    /// same session while it is pending or paid.
    pub order_id: Option<String>,
    pub customer_email: Option<String>,
    pub customer: Option<Customer>,
    pub items: Option<Vec<ItemRequestWire>>,
    pub return_url: Option<String>,
    pub cancel_url: Option<String>,
    /// Seconds, 60 to 86400 (default 1800).
    pub expires_in: Option<Int>,
    /// The shopper's language on the hosted checkout (`de`, `pt-BR`, `ja`,
    /// `ar`...; 42 languages): without it the page follows the browser's
    /// `Accept-Language`; `?lang=` on the page overrides both.
    pub locale: Option<String>,
}

impl From<CreateSession> for SessionRequest {
    fn from(w: CreateSession) -> SessionRequest {
        SessionRequest {
            amount: w.amount.map(|a| a.0),
            currency: w.currency,
            order_id: w.order_id,
            customer_email: w.customer_email,
            customer: w.customer,
            items: w
                .items
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            return_url: w.return_url,
            cancel_url: w.cancel_url,
            expires_in: w.expires_in.map(|i| i.0),
            locale: w.locale,
            ..SessionRequest::default()
        }
    }
}

/// A checkout session: the one view of a native session, answered by every
/// native route and sent as the `data` of its webhooks.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: SessionId,
    /// Always `checkout.session`.
    pub object: &'static str,
    pub mode: Mode,
    /// pending, partially_paid, paid, needs_review, expired or cancelled.
    pub status: &'static str,
    #[serde(flatten)]
    pub price: Price,
    #[serde(flatten)]
    pub balance: Balance,
    /// The ETN payment id inside the payment string.
    pub payment_id: String,
    /// The Electroneum app link that pays the payment string.
    pub deep_link: String,
    pub checkout_url: String,
    pub order_id: Option<String>,
    pub customer_email: Option<String>,
    pub customer: Option<Customer>,
    pub items: Vec<Item>,
    pub return_url: Option<String>,
    pub cancel_url: Option<String>,
    pub method: Option<String>,
    /// The hosted checkout's language, as given at creation.
    pub locale: Option<String>,
    #[schema(value_type = i64)]
    pub created_at: UnixSeconds,
    #[schema(value_type = i64)]
    pub expires_at: UnixSeconds,
    /// `failing` when the session is paid but its webhook is still undelivered
    /// after 15 minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification: Option<&'static str>,
}

impl SessionView {
    /// The view of a session as its account object keeps it, with what its
    /// webhook says (`notification`).
    pub fn read(ctx: &Ctx, read: &crate::account::protocol::SessionRead) -> SessionView {
        SessionView {
            notification: crate::sessions::notification(read),
            ..SessionView::of(ctx, &read.session)
        }
    }

    pub fn of(ctx: &Ctx, s: &Session) -> SessionView {
        SessionView {
            id: s.id.clone(),
            object: "checkout.session",
            mode: s.mode,
            status: s.status_at(ctx.now),
            price: Price::of(s),
            balance: Balance::of(s, ctx.now),
            payment_id: s.payment_string.payment_id().to_string(),
            deep_link: s.payment_string.deep_link(),
            checkout_url: ctx.checkout_url(&s.id),
            order_id: s.order_id.clone(),
            customer_email: s.customer_email.clone(),
            customer: s.customer.clone(),
            items: Item::of(s),
            return_url: s.return_url.clone(),
            cancel_url: s.cancel_url.clone(),
            method: s.method.clone(),
            locale: s.locale.clone(),
            created_at: s.created_at,
            expires_at: s.expires_at,
            notification: None,
        }
    }
}

/// `GET /v1/sessions`: one page, newest first.
pub type SessionList = checkout_api::page::Page<SessionView>;

impl checkout_api::page::Listable for SessionView {
    const PAGE: &'static str = "SessionList";
}

/// `GET /v1/sessions?limit=20&cursor=...`
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// 1 to 100 (default 20).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Events, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventList {
    /// Always `list`.
    pub object: &'static str,
    pub data: Vec<Event>,
}

impl EventList {
    pub fn new(data: Vec<Event>) -> EventList {
        EventList {
            object: "list",
            data,
        }
    }
}

/// `PUT /v1/payment-policy`: the whole policy (an absent field is 0).
/// Percentages are decimal strings (numbers are accepted too).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct PutPaymentPolicy {
    /// 0 to 10, at most two decimals (`"2.5"`).
    #[schema(value_type = Option<String>)]
    pub underpayment_tolerance_percent: Option<Amount>,
    /// 0 to 1440.
    pub late_window_minutes: Option<Int>,
    /// 0 to 100, at most two decimals.
    #[schema(value_type = Option<String>)]
    pub late_max_rate_change_percent: Option<Amount>,
}

impl From<PutPaymentPolicy> for PolicyRequest {
    fn from(w: PutPaymentPolicy) -> PolicyRequest {
        PolicyRequest {
            underpayment_tolerance_percent: w.underpayment_tolerance_percent.map(|a| a.0),
            late_window_minutes: w.late_window_minutes.map(|i| i.0),
            late_max_rate_change_percent: w.late_max_rate_change_percent.map(|a| a.0),
        }
    }
}
