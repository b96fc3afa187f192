//! ewallet-orders-api: wallets and orders under `/api/v1/`, with `EX-O...` public
//! order ids (aliases of sessions) and a branded PDF receipt.
//!
//! Wallets live in the merchant's account object (one per mode), which keeps
//! their ledgers and exact running balances; a test key never sees, and a test
//! order never credits, a live wallet.

pub mod wire;

use checkout_core::ids::{PublicOrderId, WalletId};
use checkout_core::session::{Dialect, SessionRequest, State};
use worker::Response;

use self::wire::{rename, CreateOrder, CreateWallet, Order, Wallet};
use crate::account::protocol::{GetWallet, OpenWallet, Refusal, SessionRead, WalletState};
use crate::account::WALLET_ENTRIES;
use crate::auth::Caller;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::idempotency;
use crate::random;
use crate::receipt;
use crate::route::{Call, Json, Path, Reply};
use crate::sessions::{self, NewSession};

/// `POST /api/v1/wallets`: one wallet per user and currency; asking again returns it.
pub async fn create_wallet(
    call: Call,
    caller: Caller,
    Json(body): Json<CreateWallet>,
) -> ApiResult<Reply<Wallet>> {
    let (user_id, currency) = body.validate()?;
    let opened = caller
        .account(&call.ctx)
        .call(OpenWallet {
            candidate: WalletId::from_random(random::bytes()),
            user_id,
            currency: currency.code().to_owned(),
            now: call.ctx.now,
        })
        .await?;
    let status = if opened.created { 201 } else { 200 };
    Ok(Reply::with_status(status, Wallet::of(opened.wallet)))
}

/// A wallet of the caller's account (merchant and mode), or `None`.
async fn own_wallet(ctx: &Ctx, caller: &Caller, id: WalletId) -> ApiResult<Option<WalletState>> {
    let answer = caller
        .account(ctx)
        .try_call(GetWallet {
            id,
            entries: WALLET_ENTRIES,
        })
        .await?;
    match answer {
        Ok(wallet) => Ok(Some(wallet)),
        Err(Refusal::NotFound(_)) => Ok(None),
        Err(refusal) => Err(refusal.to_api_error()),
    }
}

/// `GET /api/v1/wallets/{id}`
pub async fn get_wallet(
    call: Call,
    caller: Caller,
    Path(id): Path<WalletId>,
) -> ApiResult<Reply<Wallet>> {
    let wallet = own_wallet(&call.ctx, &caller, id)
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
            // Another merchant's or another mode's wallet does not exist
            // here, nor does one whose id is malformed.
            let unknown = || ApiError::invalid("wallet_id", "wallet_unknown", "no such wallet");
            let id: WalletId = id.parse().map_err(|_| unknown())?;
            let wallet = own_wallet(&call.ctx, &caller, id)
                .await?
                .ok_or_else(unknown)?;
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
        Order::read(&call.ctx, &created.read),
    ))
}

/// The order behind a public order id, if it is the caller's: the alias is
/// its session's id in this dialect's spelling (one made before the account
/// objects is found through its KV record).
async fn own_order(ctx: &Ctx, caller: &Caller, alias: &PublicOrderId) -> ApiResult<SessionRead> {
    let not_found = || ApiError::not_found("order");
    let id = match alias.session_id() {
        Some(id) => id,
        None => ctx
            .store
            .alias(alias.as_str())
            .await?
            .ok_or_else(not_found)?,
    };
    let read = sessions::owned(ctx, caller, &id).await.map_err(|e| {
        if e.status == 404 {
            not_found()
        } else {
            e
        }
    })?;
    // The alias must be this session's own (another dialect's session has none).
    if read.session.public_order_id.as_ref() != Some(alias) {
        return Err(not_found());
    }
    Ok(read)
}

/// `GET /api/v1/orders/{public_order_id}`
pub async fn get_order(
    call: Call,
    caller: Caller,
    Path(public_order_id): Path<PublicOrderId>,
) -> ApiResult<Reply<Order>> {
    let read = own_order(&call.ctx, &caller, &public_order_id).await?;
    Ok(Reply::ok(Order::read(&call.ctx, &read)))
}

/// `GET /api/v1/orders/{public_order_id}/receipt.pdf`: for orders that are
/// open (pending, partially paid) or paid.
pub async fn receipt(
    call: Call,
    caller: Caller,
    Path(public_order_id): Path<PublicOrderId>,
) -> ApiResult<Response> {
    let s = own_order(&call.ctx, &caller, &public_order_id)
        .await?
        .session;
    let state = s.state_at(call.ctx.now);
    if !(state.is_open() || state == State::Paid) {
        return Err(ApiError::new(
            409,
            "receipt_unavailable",
            format!(
                "the order is {state}; receipts exist for pending, partially paid and paid orders"
            ),
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
