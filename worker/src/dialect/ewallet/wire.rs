//! Wire types of ewallet-orders-api, shaped like its seed: `customer_details`,
//! `redirect_url`, `webhook_url`, `EX-O...` public order ids.

use checkout_core::ids::{PublicOrderId, WalletId};
use checkout_core::ledger::Entry;
use checkout_core::session::{Customer, Session, SessionRequest};
use checkout_core::time::UnixSeconds;
use checkout_core::validate::MAX_SAFE_INTEGER;
use checkout_core::Currency;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::account::protocol::WalletState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire::{Amount, Int, Item, ItemRequestWire, Price};

/// Core's field names → this dialect's, for error bodies.
pub fn rename(field: &str) -> String {
    match field {
        "return_url" => "redirect_url".to_owned(),
        "customer_email" => "customer_details.email".to_owned(),
        f => match f.strip_prefix("customer.") {
            Some(rest) => format!("customer_details.{rest}"),
            None => f.to_owned(),
        },
    }
}

/// `POST /api/v1/wallets`
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct CreateWallet {
    /// Internal id of the user in your dashboard (a positive integer).
    pub user_id: Option<Int>,
    /// ISO 4217: one wallet per user and currency.
    pub currency: Option<String>,
}

impl CreateWallet {
    /// The user and currency, validated.
    pub fn validate(&self) -> ApiResult<(i64, Currency)> {
        let user_id = self.user_id.ok_or_else(|| ApiError::missing("user_id"))?.0;
        if !(1..=MAX_SAFE_INTEGER).contains(&user_id) {
            return Err(ApiError::invalid(
                "user_id",
                "user_id_invalid",
                "user_id must be a positive integer below 2^53",
            ));
        }
        let currency = self
            .currency
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| ApiError::missing("currency"))?;
        let currency = Currency::from_code(currency)
            .map_err(|e| ApiError::invalid("currency", e.code(), e.to_string()))?;
        Ok((user_id, currency))
    }
}

/// A wallet: its balance is the exact sum of its ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct Wallet {
    pub wallet_id: WalletId,
    pub user_id: i64,
    pub currency: String,
    /// In the wallet's currency, with its minor units (`"10.00"`, JPY `"0"`).
    pub balance: String,
    /// The latest entries (at most 100), oldest first: positive credits (paid
    /// orders), negative refunds.
    pub ledger: Vec<Entry>,
    /// How many entries the ledger holds in all.
    pub ledger_entries: u64,
    #[schema(value_type = i64)]
    pub created_at: UnixSeconds,
}

impl Wallet {
    pub fn of(state: WalletState) -> Wallet {
        let mut balance = state.balance;
        balance.rescale(
            Currency::from_code(&state.record.currency)
                .map(|c| c.minor_units())
                .unwrap_or(2),
        );
        Wallet {
            wallet_id: state.record.id,
            user_id: state.record.user_id,
            currency: state.record.currency,
            balance: balance.to_string(),
            ledger: state.entries,
            ledger_entries: state.entry_count,
            created_at: state.record.created_at,
        }
    }
}

/// `POST /api/v1/orders`
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct CreateOrder {
    pub amount: Option<Amount>,
    /// Must match the wallet's currency when `wallet_id` is given.
    pub currency: Option<String>,
    pub order_id: Option<String>,
    /// name, surname, email and phone are required.
    pub customer_details: Option<Customer>,
    pub items: Option<Vec<ItemRequestWire>>,
    /// Where the buyer goes after paying (required).
    pub redirect_url: Option<String>,
    /// Where this order's `order.paid` webhook goes (overrides your webhook URL).
    pub webhook_url: Option<String>,
    /// A wallet of yours that the paid order credits.
    pub wallet_id: Option<String>,
}

/// The core request: the seed's required fields are checked here, the rest by
/// core (with this dialect's field names, see [`rename`]).
impl TryFrom<&CreateOrder> for SessionRequest {
    type Error = ApiError;

    fn try_from(order: &CreateOrder) -> ApiResult<SessionRequest> {
        let details = order
            .customer_details
            .clone()
            .ok_or_else(|| ApiError::missing("customer_details"))?;
        for (name, value) in [
            ("name", &details.name),
            ("surname", &details.surname),
            ("email", &details.email),
            ("phone", &details.phone),
        ] {
            if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                return Err(ApiError::missing(&format!("customer_details.{name}")));
            }
        }
        if order.redirect_url.as_deref().is_none_or(str::is_empty) {
            return Err(ApiError::missing("redirect_url"));
        }
        Ok(SessionRequest {
            amount: order.amount.clone().map(|a| a.0),
            currency: order.currency.clone(),
            order_id: order.order_id.clone(),
            customer_email: details.email.clone(),
            customer: Some(details),
            items: order
                .items
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            return_url: order.redirect_url.clone(),
            webhook_url: order.webhook_url.clone(),
            ..SessionRequest::default()
        })
    }
}

/// An order: what creating and reading one answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Order {
    pub public_order_id: Option<PublicOrderId>,
    /// pending, paid, expired or cancelled.
    pub status: &'static str,
    #[serde(flatten)]
    pub price: Price,
    pub customer_details: Option<Customer>,
    pub items: Vec<Item>,
    pub redirect_url: Option<String>,
    pub webhook_url: Option<String>,
    pub wallet_id: Option<WalletId>,
    pub checkout_url: String,
    #[schema(value_type = i64)]
    pub created_at: UnixSeconds,
    #[schema(value_type = i64)]
    pub expires_at: UnixSeconds,
    /// `failing` when the order is paid but its webhook is still undelivered
    /// after 15 minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification: Option<&'static str>,
}

impl Order {
    /// The view of a session as its account object keeps it, with what its
    /// webhook says (`notification`).
    pub fn read(ctx: &Ctx, read: &crate::account::protocol::SessionRead) -> Order {
        Order {
            notification: crate::sessions::notification(read),
            ..Order::of(ctx, &read.session)
        }
    }

    pub fn of(ctx: &Ctx, s: &Session) -> Order {
        Order {
            public_order_id: s.public_order_id.clone(),
            status: s.status_at(ctx.now),
            price: Price::of(s),
            customer_details: s.customer.clone(),
            items: Item::of(s),
            redirect_url: s.return_url.clone(),
            webhook_url: s.webhook_url.clone(),
            wallet_id: s.wallet_id.clone(),
            checkout_url: ctx.checkout_url(&s.id),
            created_at: s.created_at,
            expires_at: s.expires_at,
            notification: None,
        }
    }
}
