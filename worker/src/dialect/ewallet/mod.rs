//! ewallet-orders-api: wallets and orders under `/api/v1/`, with `EX-O...` public
//! order ids (aliases of sessions) and a branded PDF receipt.
//!
//! Wallets live in the merchant's account object (one per mode), which keeps
//! their ledgers and exact running balances; a test key never sees, and a test
//! order never credits, a live wallet.

pub mod wire;

use checkout_core::ids::{PublicOrderId, WalletId};
use checkout_core::session::{Dialect, Session, SessionRequest, State};
use worker::Response;

use self::wire::{rename, CreateOrder, CreateWallet, Order, Wallet};
use crate::account::protocol::WalletState;
use crate::auth::Caller;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::idempotency;
use crate::receipt;
use crate::route::{Call, Json, Reply};
use crate::sessions::{self, NewSession};

/// `POST /api/v1/wallets`: one wallet per user and currency; asking again returns it.
pub async fn create_wallet(
    call: Call,
    caller: Caller,
    Json(body): Json<CreateWallet>,
) -> ApiResult<Reply<Wallet>> {
    let (user_id, currency) = body.validate()?;
    let opened = call
        .ctx
        .account(caller.owner())
        .open_wallet(user_id, currency.code(), call.ctx.now)
        .await?;
    let status = if opened.created { 201 } else { 200 };
    Ok(Reply::with_status(status, Wallet::of(opened.wallet)))
}

/// A wallet of the caller's account (merchant and mode), or `None`.
async fn own_wallet(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Option<WalletState>> {
    match id.parse::<WalletId>() {
        Ok(id) => ctx.account(caller.owner()).wallet(&id).await,
        Err(_) => Ok(None),
    }
}

/// `GET /api/v1/wallets/{id}`
pub async fn get_wallet(call: Call, caller: Caller) -> ApiResult<Reply<Wallet>> {
    let wallet = own_wallet(&call.ctx, &caller, call.param("id"))
        .await?
        .ok_or_else(|| ApiError::not_found("wallet"))?;
    Ok(Reply::ok(Wallet::of(wallet)))
}

/// `POST /api/v1/orders`
pub async fn create_order(
    call: Call,
    caller: Caller,
    Json(body): Json<CreateOrder>,
) -> ApiResult<Reply<Order>> {
    let request = SessionRequest::try_from(&body)?;
    let wallet_id = match &body.wallet_id {
        None => None,
        Some(id) => {
            // Another merchant's or another mode's wallet does not exist here.
            let wallet = own_wallet(&call.ctx, &caller, id).await?.ok_or_else(|| {
                ApiError::invalid("wallet_id", "wallet_unknown", "no such wallet")
            })?;
            if body.currency.as_deref() != Some(wallet.record.currency.as_str()) {
                return Err(ApiError::invalid(
                    "currency",
                    "currency_mismatch",
                    format!(
                        "currency must match the wallet's, {}",
                        wallet.record.currency
                    ),
                ));
            }
            Some(wallet.record.id)
        }
    };
    let mut new = NewSession::new(
        request,
        Dialect::Ewallet,
        idempotency::fingerprint(Dialect::Ewallet, &body)?,
        call.header("idempotency-key")?,
    );
    new.rename = rename;
    new.wallet_id = wallet_id;
    let created = sessions::create(&call.ctx, &caller, new).await?;
    let status = if created.replayed { 200 } else { 201 };
    Ok(Reply::with_status(
        status,
        Order::of(&call.ctx, &created.session),
    ))
}

/// The order behind a public order id, if it is the caller's.
async fn own_order(ctx: &Ctx, caller: &Caller, public_order_id: &str) -> ApiResult<Session> {
    let not_found = || ApiError::not_found("order");
    let alias: PublicOrderId = public_order_id.parse().map_err(|_| not_found())?;
    let id = ctx
        .store
        .alias(alias.as_str())
        .await?
        .ok_or_else(not_found)?;
    let session = sessions::load(ctx, &id).await?.ok_or_else(not_found)?;
    // The alias must be this session's own, and the session the caller's.
    if session.public_order_id.as_ref() != Some(&alias) || !caller.owns(&session) {
        return Err(not_found());
    }
    Ok(session)
}

/// `GET /api/v1/orders/{public_order_id}`
pub async fn get_order(call: Call, caller: Caller) -> ApiResult<Reply<Order>> {
    let session = own_order(&call.ctx, &caller, call.param("public_order_id")).await?;
    let mut view = Order::of(&call.ctx, &session);
    view.notification = sessions::notification(&call.ctx, &session).await?;
    Ok(Reply::ok(view))
}

/// `GET /api/v1/orders/{public_order_id}/receipt.pdf`: for pending or paid orders.
pub async fn receipt(call: Call, caller: Caller) -> ApiResult<Response> {
    let public_order_id = call.param("public_order_id");
    let s = own_order(&call.ctx, &caller, public_order_id).await?;
    let state = s.state_at(call.ctx.now);
    if !matches!(state, State::Pending | State::Paid) {
        return Err(ApiError::new(
            409,
            "receipt_unavailable",
            format!("the order is {state}; receipts exist for pending and paid orders"),
        ));
    }
    let pdf = receipt::render(&s, &caller.merchant.name, call.ctx.now);
    let r = Response::from_bytes(pdf)?;
    r.headers().set("content-type", "application/pdf")?;
    r.headers().set(
        "content-disposition",
        &format!("inline; filename=\"receipt-{public_order_id}.pdf\""),
    )?;
    r.headers().set("cache-control", "no-store")?;
    Ok(r)
}
