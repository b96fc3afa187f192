//! What the merchant dashboard reads beyond the merchant API: sign-in, the
//! overview's figures, sessions of every dialect with filters, one session's
//! whole story, and wallets (`/v1/dashboard/...`).

use checkout_core::event::Event;
use checkout_core::ids::{KeyId, SessionId, WalletId};
use checkout_core::ledger::Entry;
use checkout_core::policy::PaymentPolicy;
use checkout_core::session::{Acceptance, Dialect, Mode, Payment, State};
use checkout_core::time::UnixSeconds;
use serde::{Deserialize, Serialize};

use crate::webhooks::Delivery;

/// `POST /v1/dashboard/links`: with a merchant key, a link into that key's
/// merchant and mode (the body may be empty); with the admin key, `merchant_id`
/// is required.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateSignInLink {
    /// The merchant to sign into (admin key only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<String>,
    /// `test` or `live` (admin key only; default `test`). A merchant key signs
    /// into its own mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Seconds the link stays valid, 1 to 600 (default 600).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
}

/// A one-time sign-in link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInLink {
    /// Open it within ten minutes; it works once.
    pub url: String,
    /// Unix seconds.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub expires_at: UnixSeconds,
}

/// `GET /v1/dashboard/me`: who is signed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = DashboardMe))]
pub struct Me {
    pub merchant_id: String,
    pub merchant_name: String,
    /// The data this sign-in sees: a test sign-in sees test data only.
    pub mode: Mode,
    /// Send as `X-CSRF-Token` with every state-changing request.
    pub csrf_token: String,
    /// Unix seconds when the sign-in ends.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub expires_at: UnixSeconds,
}

/// What signing out did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedOut {
    pub signed_out: bool,
}

/// A dashboard sign-in that is still open (`GET /v1/dashboard/signins`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInView {
    /// `si_...`: names it to end it (`DELETE /v1/dashboard/signins/{id}`).
    pub id: String,
    /// The key whose link opened it (`key_...`); `None` when the admin key made
    /// the link. Revoking that key ends the sign-in.
    pub key_id: Option<KeyId>,
    /// Unix seconds.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub created_at: UnixSeconds,
    /// When it was last used (unix seconds, to five minutes).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub last_seen_at: UnixSeconds,
    /// Unix seconds.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub expires_at: UnixSeconds,
    /// Whether it is the sign-in asking.
    pub current: bool,
}

/// The open sign-ins of a merchant in one mode, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInList {
    pub data: Vec<SignInView>,
}

/// What ending sign-ins did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInsEnded {
    /// How many sign-ins ended.
    pub ended: u32,
}

/// Paid sessions in one currency over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Total {
    pub currency: String,
    /// The exact sum of the sessions' prices.
    pub amount: String,
    pub count: u64,
}

/// Paid sessions on one UTC day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Day {
    /// Unix seconds of the day's start (00:00 UTC).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub day: UnixSeconds,
    pub paid: u64,
}

/// `GET /v1/dashboard/overview`: days are UTC days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    pub today: Vec<Total>,
    pub month: Vec<Total>,
    /// The last 30 days, oldest first, today last.
    pub daily: Vec<Day>,
    /// Sessions still waiting for a payment.
    pub awaiting: u64,
    /// Paid sessions whose notification is still undelivered after 15 minutes.
    pub failing: u64,
    /// Sessions that need the merchant's attention: a payment to review, a
    /// session partially paid, money to give back.
    #[serde(default)]
    pub attention: u64,
}

/// A session in a listing: any dialect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionSummary {
    pub id: SessionId,
    pub dialect: Dialect,
    /// As of now: a pending session past its expiry is `expired`.
    pub state: State,
    /// What the session's own API calls that state (payment links say
    /// `fulfilled` and `timed_out`).
    pub status: String,
    /// The price, exactly as requested.
    pub amount: String,
    pub currency: String,
    pub etn_amount: String,
    pub order_id: Option<String>,
    /// The ETN payment id inside the payment string.
    pub payment_id: String,
    /// `EX-O...` (ewallet orders) or `pl_...` (payment links).
    pub alias: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub created_at: UnixSeconds,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub expires_at: UnixSeconds,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub paid_at: Option<UnixSeconds>,
    /// A paid session whose notification is still undelivered after 15 minutes.
    pub notification_failing: bool,
    /// What its payments add up to, in ETN.
    #[serde(default)]
    pub etn_received: Option<String>,
    /// What the merchant should give back (an overpayment, a duplicate
    /// payment, what an expired or cancelled session received), in ETN and
    /// in the session's currency; `None`: nothing.
    #[serde(default)]
    pub give_back: Option<GiveBack>,
    /// Paid after it expired, within the late window.
    #[serde(default)]
    pub late: bool,
    /// Accepted as paid by the merchant: `key_...` or `dashboard`.
    #[serde(default)]
    pub accepted_by: Option<String>,
}

/// An amount to give back, in both units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GiveBack {
    /// ETN, two decimals.
    pub etn: String,
    /// In the session's currency.
    pub amount: String,
}

/// `GET /v1/dashboard/sessions?status=&dialect=&from=&to=&q=&limit=&cursor=`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct SessionsQuery {
    /// pending, partially_paid, paid, needs_review, expired or cancelled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `1`: only sessions that need attention (a payment to review, a
    /// session partially paid, money to give back).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attention: Option<String>,
    /// native, gateway, ewallet or link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialect: Option<String>,
    /// Created on or after this UTC day (`2026-11-01`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Created on or before this UTC day (`2026-11-30`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// An order id, a payment id, a session id or an alias, exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// 1 to 100 (default 20).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// A page of sessions, newest first.
pub type SessionPage = crate::page::Page<SessionSummary>;

impl crate::page::Listable for SessionSummary {
    const PAGE: &'static str = "SessionPage";
}

/// `GET /v1/dashboard/sessions/{id}`: a session and everything that happened to
/// it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionDetail {
    pub session: SessionSummary,
    /// `etn-it-{outlet}/{payment id}/{ETN amount}`: what the QR code holds.
    pub payment_string: String,
    /// The Electroneum app link that pays it.
    pub deep_link: String,
    /// The hosted checkout page.
    pub checkout_url: String,
    /// Everything recorded, oldest first: creation, the providers'
    /// confirmations, state changes, wallet bookings.
    pub events: Vec<Event>,
    /// Each webhook sent about it, with every attempt, oldest first.
    pub deliveries: Vec<Delivery>,
    /// Every verified payment it received, oldest first.
    #[serde(default)]
    pub payments: Vec<Payment>,
    /// The ETN it asks in all, and what is still due (two decimals).
    #[serde(default)]
    pub etn_due: Option<String>,
    /// Who accepted it as paid, and when.
    #[serde(default)]
    pub accepted: Option<Acceptance>,
    /// The payment policy it keeps (the merchant's when it was created).
    #[serde(default)]
    pub policy: PaymentPolicy,
}

/// A wallet (ewallet-orders-api) with its balance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalletSummary {
    pub id: WalletId,
    pub user_id: i64,
    pub currency: String,
    /// Exact decimal text.
    pub balance: String,
    /// How many ledger entries it has.
    pub entries: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub created_at: UnixSeconds,
}

/// `GET /v1/dashboard/wallets`, by creation, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalletList {
    pub data: Vec<WalletSummary>,
}

/// `GET /v1/dashboard/wallets/{id}`: a wallet and its latest entries, newest
/// first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalletDetail {
    pub wallet: WalletSummary,
    pub entries: Vec<Entry>,
}

/// `PUT /v1/payment-policy` as the dashboard's settings form sends it: each
/// value as the merchant typed it (the API validates and names the field at
/// fault); an absent field is 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentPolicyForm {
    /// 0 to 10, at most two decimals (`"2.5"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub underpayment_tolerance_percent: Option<String>,
    /// 0 to 1440, a whole number (`"30"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_window_minutes: Option<String>,
    /// 0 to 100, at most two decimals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_max_rate_change_percent: Option<String>,
}
