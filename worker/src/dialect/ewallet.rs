//! ewallet-orders-api: wallets and orders under `/api/v1/`, with `EX-O...` public
//! order ids (aliases of sessions) and a branded PDF receipt.
//!
//! Field names are the seed's: `customer_details` (name, surname, email and phone
//! required; address fields optional; `country` ISO 3166-1 alpha-2),
//! `redirect_url` (required), `webhook_url`, `items`.

use checkout_core::ids::{PublicOrderId, WalletId};
use checkout_core::session::{Dialect, Session, SessionRequest, State};
use checkout_core::validate::FieldError;
use checkout_core::Currency;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use worker::Response;

use crate::auth::Caller;
use crate::dialect::native::{customer, items};
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::json::Object;
use crate::random;
use crate::receipt;
use crate::sessions::{self, Create, Ctx};
use crate::store::WalletRecord;

/// Core's field names → this dialect's.
fn rename(field: &str) -> String {
    match field {
        "return_url" => "redirect_url".to_owned(),
        "customer_email" => "customer_details.email".to_owned(),
        f => match f.strip_prefix("customer.") {
            Some(rest) => format!("customer_details.{rest}"),
            None => f.to_owned(),
        },
    }
}

/// A wallet with its balance, which is always the sum of its ledger entries.
async fn wallet_view(ctx: &Ctx, w: &WalletRecord) -> ApiResult<Value> {
    let ledger = ctx.store.ledger(&w.id).await?;
    let mut balance = Decimal::ZERO;
    for entry in &ledger {
        balance +=
            Decimal::from_str_exact(&entry.amount).map_err(|e| ApiError::internal("ledger", e))?;
    }
    balance.rescale(
        Currency::from_code(&w.currency)
            .map(|c| c.minor_units())
            .unwrap_or(2),
    );
    Ok(json!({
        "wallet_id": w.id,
        "user_id": w.user_id,
        "currency": w.currency,
        "balance": balance.to_string(),
        "ledger": ledger,
        "created_at": w.created_at,
    }))
}

/// `POST /api/v1/wallets`: one wallet per user and currency; asking again returns it.
pub async fn create_wallet(ctx: &Ctx, caller: &Caller, o: &Object) -> ApiResult<Response> {
    let user_id = o
        .integer("user_id")?
        .ok_or_else(|| ApiError::from(FieldError::missing("user_id")))?;
    if user_id < 1 {
        return Err(FieldError::new(
            "user_id",
            "user_id_invalid",
            "user_id must be a positive integer",
        )
        .into());
    }
    let currency = o
        .string("currency")?
        .filter(|c| !c.is_empty())
        .ok_or_else(|| ApiError::from(FieldError::missing("currency")))?;
    Currency::from_code(&currency)
        .map_err(|e| ApiError::from(FieldError::new("currency", e.code(), e.to_string())))?;
    let merchant = &caller.merchant.id;
    if let Some(id) = ctx
        .store
        .wallet_of_user(merchant, user_id, &currency)
        .await?
    {
        if let Some(existing) = ctx.store.wallet(&id).await? {
            return http::json(200, &wallet_view(ctx, &existing).await?);
        }
    }
    let wallet = WalletRecord {
        id: WalletId::from_random(random::bytes()),
        merchant_id: merchant.clone(),
        user_id,
        currency,
        created_at: ctx.now,
    };
    ctx.store.insert_wallet(&wallet).await?;
    http::json(201, &wallet_view(ctx, &wallet).await?)
}

async fn own_wallet(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<WalletRecord> {
    let id: WalletId = id.parse().map_err(|_| ApiError::not_found("wallet"))?;
    match ctx.store.wallet(&id).await? {
        Some(w) if w.merchant_id == caller.merchant.id => Ok(w),
        _ => Err(ApiError::not_found("wallet")),
    }
}

/// `GET /api/v1/wallets/{id}`
pub async fn get_wallet(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Response> {
    http::json(
        200,
        &wallet_view(ctx, &own_wallet(ctx, caller, id).await?).await?,
    )
}

/// `POST /api/v1/orders`
pub async fn create_order(
    ctx: &Ctx,
    caller: &Caller,
    o: &Object,
    idempotency_key: Option<String>,
) -> ApiResult<Response> {
    let details = o
        .object("customer_details")?
        .ok_or_else(|| ApiError::from(FieldError::missing("customer_details")))?;
    for required in ["name", "surname", "email", "phone"] {
        if details
            .string(required)?
            .is_none_or(|v| v.trim().is_empty())
        {
            return Err(FieldError::missing(&format!("customer_details.{required}")).into());
        }
    }
    let redirect_url = o
        .string("redirect_url")?
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ApiError::from(FieldError::missing("redirect_url")))?;
    let customer = customer(&details)?;
    let wallet_id = match o.string("wallet_id")? {
        None => None,
        Some(id) => {
            let wallet = own_wallet(ctx, caller, &id).await.map_err(|_| {
                ApiError::from(FieldError::new(
                    "wallet_id",
                    "wallet_unknown",
                    "no such wallet",
                ))
            })?;
            if o.string("currency")?.as_deref() != Some(wallet.currency.as_str()) {
                return Err(FieldError::new(
                    "currency",
                    "currency_mismatch",
                    format!("currency must match the wallet's, {}", wallet.currency),
                )
                .into());
            }
            Some(wallet.id)
        }
    };
    let request = SessionRequest {
        amount: o.amount("amount")?,
        currency: o.string("currency")?,
        order_id: o.string("order_id")?,
        customer_email: customer.email.clone(),
        customer: Some(customer),
        items: items(o)?,
        return_url: Some(redirect_url),
        webhook_url: o.string("webhook_url")?,
        ..SessionRequest::default()
    };
    let mut create = Create::new(request, Dialect::Ewallet, idempotency_key);
    create.rename = rename;
    create.wallet_id = wallet_id;
    let created = sessions::create(ctx, caller, create).await?;
    let s = &created.session;
    http::json(
        if created.replayed { 200 } else { 201 },
        &json!({
            "public_order_id": s.public_order_id,
            "status": s.state_at(ctx.now),
            "checkout_url": ctx.checkout_url(&s.id),
            "amount": s.price.to_string(),
            "currency": s.price.currency().code(),
            "etn_amount": s.payment_string.amount().to_string(),
            "expires_at": s.expires_at,
        }),
    )
}

/// The order behind a public order id, if it is this merchant's.
async fn own_order(ctx: &Ctx, caller: &Caller, public_order_id: &str) -> ApiResult<Session> {
    let not_found = || ApiError::not_found("order");
    let alias: PublicOrderId = public_order_id.parse().map_err(|_| not_found())?;
    let id = ctx
        .store
        .alias(alias.as_str())
        .await?
        .ok_or_else(not_found)?;
    sessions::owned(ctx, caller, id.as_str())
        .await
        .map_err(|_| not_found())
}

/// `GET /api/v1/orders/{public_order_id}`
pub async fn get_order(ctx: &Ctx, caller: &Caller, public_order_id: &str) -> ApiResult<Response> {
    let s = own_order(ctx, caller, public_order_id).await?;
    http::json(
        200,
        &json!({
            "public_order_id": s.public_order_id,
            "status": s.state_at(ctx.now),
            "amount": s.price.to_string(),
            "currency": s.price.currency().code(),
            "etn_amount": s.payment_string.amount().to_string(),
            "payment_string": s.payment_string.to_string(),
            "customer_details": s.customer,
            "items": s.items.iter().map(|i| json!({"name": i.name, "price": i.price.to_string(), "quantity": i.quantity})).collect::<Vec<_>>(),
            "redirect_url": s.return_url,
            "webhook_url": s.webhook_url,
            "wallet_id": s.wallet_id,
            "checkout_url": ctx.checkout_url(&s.id),
            "created_at": s.created_at,
            "expires_at": s.expires_at,
        }),
    )
}

/// `GET /api/v1/orders/{public_order_id}/receipt.pdf`: for pending or paid orders.
pub async fn receipt(ctx: &Ctx, caller: &Caller, public_order_id: &str) -> ApiResult<Response> {
    let s = own_order(ctx, caller, public_order_id).await?;
    let state = s.state_at(ctx.now);
    if !matches!(state, State::Pending | State::Paid) {
        return Err(ApiError::new(
            409,
            "receipt_unavailable",
            format!("the order is {state}; receipts exist for pending and paid orders"),
        ));
    }
    let pdf = receipt::render(&s, &caller.merchant.name, ctx.now);
    let r = Response::from_bytes(pdf)?;
    r.headers().set("content-type", "application/pdf")?;
    r.headers().set(
        "content-disposition",
        &format!("inline; filename=\"receipt-{public_order_id}.pdf\""),
    )?;
    r.headers().set("cache-control", "no-store")?;
    Ok(r)
}
