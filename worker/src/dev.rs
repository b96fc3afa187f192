//! Routes that exist only under `wrangler dev` (`DEV_MODE=true`): the rates
//! fixture the worker serves itself, the demo merchant, the demo shop's "Buy"
//! button, and a stand-in for ETN's check-payment API. In a deployed worker they
//! answer 404 like any unknown route, and they are not in the OpenAPI document.

use checkout_core::ids::{MerchantId, SessionId};
use checkout_core::session::{Dialect, Mode, OpenError, Opening, Session, SessionRequest};
use checkout_core::time::UnixSeconds;
use checkout_core::{OutletId, PaymentId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use worker::{Response, Url};

use crate::account::protocol::{ForgetSessions, UnnumberSessions};
use crate::admin::wire::IssuedKey;
use crate::admin::{self, wire::secret, wire::NewMerchant};
use crate::auth::{Admin, Caller};
use crate::dialect::etn::{
    self,
    wire::{CheckPayment, CheckPaymentAnswer},
};
use crate::error::{ApiError, ApiResult};
use crate::idempotency::Fingerprint;
use crate::keys;
use crate::route::{Call, Json, Path, Reply, Signed};
use crate::sessions::{self, NewSession};
use crate::store::{ApiKeyRecord, IdempotencyRecord, Key, KeyListEntry, Plan};
use crate::wire::Amount;

/// `PUT /__dev/outage` with `{"storage": true}`: every KV read fails until it is
/// turned off, so tests can watch the worker answer a retryable 5xx (never a 404)
/// when storage fails; `{"listing": true}` fails KV listings only (reads still
/// work, so a request gets as far as its listing). Local workerd runs one
/// isolate, so the switches hold across requests.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Outage {
    pub storage: Option<bool>,
    pub listing: Option<bool>,
}

pub async fn outage(_call: Call, Json(body): Json<Outage>) -> ApiResult<Response> {
    crate::outage::set(body.storage.unwrap_or(false), body.listing.unwrap_or(false));
    Ok(Response::empty()?.with_status(204))
}

/// `POST /__dev/forget-dashboard-sessions` with a merchant key: the key's
/// account object forgets its sessions table, totals and import, as one made
/// before the table existed, so that tests can watch the import of older
/// sessions (`dashboard/backfill.rs`). Answers how many sessions it forgot.
#[derive(Debug, Serialize, ToSchema)]
pub struct Forgotten {
    pub forgotten: i64,
}

pub async fn forget_dashboard_sessions(call: Call, caller: Caller) -> ApiResult<Reply<Forgotten>> {
    let forgotten = caller.account(&call.ctx).call(ForgetSessions).await?;
    Ok(Reply::ok(Forgotten { forgotten }))
}

/// `POST /__dev/unnumber-sessions` with a merchant key: the key's account
/// object puts its tables back in the shape the version before numbered
/// sessions made (every session's payment id drawn at random and in one
/// index; the delivery history in one table), so that tests can watch an
/// upgraded object keep finding its sessions by id and payment id, go on
/// numbering new ones, and keep its history. Answers how many sessions the
/// table has.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unnumbered {
    pub sessions: i64,
}

pub async fn unnumber_sessions(call: Call, caller: Caller) -> ApiResult<Reply<Unnumbered>> {
    let sessions = caller.account(&call.ctx).call(UnnumberSessions).await?;
    Ok(Reply::ok(Unnumbered { sessions }))
}

/// `POST /__dev/age-deliveries?days=N` with a merchant key: the key's
/// account's deliveries become `N` days older (the history's retention, in
/// tests). Answers how many it aged.
#[derive(Debug, Serialize, ToSchema)]
pub struct Aged {
    pub aged: i64,
}

pub async fn age_deliveries(call: Call, caller: Caller) -> ApiResult<Reply<Aged>> {
    let days = call
        .req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "days")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .filter(|d| (0..=3650).contains(d))
        .ok_or_else(|| ApiError::invalid("days", "days_invalid", "days: 0 to 3650"))?;
    let aged = caller
        .account(&call.ctx)
        .call(crate::account::protocol::AgeDeliveries { days })
        .await?;
    Ok(Reply::ok(Aged { aged }))
}

/// `POST /__dev/legacy-session[?paid=1]` with a merchant key and a native
/// session request: opens a session (paid already, with `paid=1`) as versions before the account objects did (an
/// id of the old shape, its record, listing, payment id, pending entry and
/// order record in KV, nothing in the account object), so that tests can
/// watch it keep working and move into its account object. Answers the
/// session as stored.
pub async fn legacy_session(
    call: Call,
    caller: Caller,
    Json(session): Json<crate::dialect::native::wire::CreateSession>,
) -> ApiResult<Reply<LegacySession>> {
    let ctx = &call.ctx;
    let paid = call
        .req
        .url()?
        .query_pairs()
        .any(|(k, v)| k == "paid" && v == "1");
    let fingerprint = crate::idempotency::fingerprint(Dialect::Native, &session)?;
    let rates = crate::rates::current(&ctx.config, &ctx.store, ctx.now).await?;
    let mut session = Session::open(
        session.into(),
        Opening {
            id: SessionId::legacy(crate::random::bytes()),
            merchant_id: caller.merchant.id.clone(),
            mode: caller.mode,
            outlet: &caller.merchant.outlet_id,
            payment_id: PaymentId::from_bytes(crate::random::bytes()),
            rates: &rates,
            now: ctx.now,
            url_policy: ctx.config.url_policy(),
            dialect: Dialect::Native,
            public_order_id: None,
            link_id: None,
            wallet_id: None,
        },
    )
    .map_err(|e| match e {
        OpenError::Field(f) => ApiError::from(f),
        OpenError::RatesUnavailable(why) => ApiError::internal("rates", why),
    })?;
    if paid {
        session.state = checkout_core::session::State::Paid;
    }
    ctx.store.put_legacy_session(&session).await?;
    if let Some(order_id) = &session.order_id {
        let owner = caller.owner();
        ctx.store
            .put_idempotency(
                Key::Order {
                    owner,
                    hash: &crate::secret::digest(order_id),
                },
                &IdempotencyRecord {
                    fingerprint: fingerprint.0,
                    session_id: session.id.clone(),
                },
                crate::store::ORDER_TTL,
            )
            .await?;
    }
    Ok(Reply::with_status(
        201,
        LegacySession {
            id: session.id.to_string(),
            payment_id: session.payment_string.payment_id().to_string(),
            payment_string: session.payment_string.to_string(),
            etn_amount: session.payment_string.amount().to_string(),
            expires_at: session.expires_at,
        },
    ))
}

/// A session opened the old way.
#[derive(Debug, Serialize, ToSchema)]
pub struct LegacySession {
    pub id: String,
    pub payment_id: String,
    pub payment_string: String,
    pub etn_amount: String,
    #[schema(value_type = i64)]
    pub expires_at: UnixSeconds,
}

/// `POST /__dev/sweep` with a merchant key: the cron's work for the key's
/// merchant alone, now (its account objects swept, ETN polled for their
/// pending sessions), so that a test can watch it among many merchants.
pub async fn sweep(call: Call, caller: Caller) -> ApiResult<Response> {
    let mut budget = crate::cron::SUBREQUESTS;
    crate::cron::sweep(
        &call.ctx,
        std::slice::from_ref(&caller.merchant.id),
        &mut budget,
    )
    .await;
    Ok(Response::empty()?.with_status(204))
}

/// `POST /__dev/sessions/{id}/drop-live`: the session's account object closes
/// the WebSockets following it as a restarting server would (code 1012), so
/// that tests can watch the widget open its socket again.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dropped {
    pub dropped: u32,
}

pub async fn drop_live(call: Call, Path(id): Path<SessionId>) -> ApiResult<Reply<Dropped>> {
    let ctx = &call.ctx;
    let not_found = || ApiError::not_found("session");
    let located = crate::sessions::locate(ctx, &id)
        .await?
        .ok_or_else(not_found)?;
    let dropped = ctx
        .account(located.owner())
        .call(crate::account::protocol::DropLive { session: id })
        .await?;
    Ok(Reply::ok(Dropped { dropped }))
}

/// `GET /__dev/object?merchant=mer_...`: a call to the merchant's test
/// account object that does nothing (no KV read either): what any route that
/// needs its account object pays at least (the load bench's second baseline).
pub async fn object_baseline(call: Call) -> ApiResult<Response> {
    let merchant: MerchantId = call
        .req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "merchant")
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| ApiError::missing("merchant"))?;
    let owner = crate::store::Owner {
        merchant: &merchant,
        mode: Mode::Test,
    };
    call.ctx
        .account(owner)
        .call(crate::account::protocol::Ping)
        .await?;
    Ok(Response::empty()?.with_status(204))
}

/// `GET /__dev/usage`: what this isolate has spent of the plan's daily limits
/// since the last reset (see `usage.rs`).
pub async fn usage(_call: Call) -> ApiResult<Reply<crate::usage::Usage>> {
    Ok(Reply::ok(crate::usage::snapshot()))
}

/// `DELETE /__dev/usage`: starts counting afresh.
pub async fn reset_usage(_call: Call) -> ApiResult<Reply<crate::usage::Usage>> {
    crate::usage::reset();
    Ok(Reply::ok(crate::usage::snapshot()))
}

/// `POST /__dev/legacy-key` with a merchant key: issues a key in the key's mode
/// as an older version did (its record, and an entry in the merchant's KV key
/// list, which no account object has seen), so that tests can watch that list
/// move into the account objects (`keys.rs`). Answers the key, shown once.
pub async fn legacy_key(call: Call, caller: Caller) -> ApiResult<Reply<IssuedKey>> {
    let store = &call.ctx.store;
    let merchant = &caller.merchant.id;
    let (meta, key, hash) = keys::mint(caller.mode, None, call.ctx.now);
    store
        .put_api_key(
            &hash,
            &ApiKeyRecord {
                key_id: meta.id.clone(),
                merchant_id: merchant.clone(),
                mode: caller.mode,
                revoked: false,
            },
        )
        .await?;
    let mut list = store.key_list(merchant).await?;
    list.push(KeyListEntry {
        meta: meta.clone(),
        hash,
    });
    store.put_key_list(merchant, &list).await?;
    Ok(crate::keys::issued(meta, &key))
}

/// The rates the worker serves itself in local dev: shaped like the real feed.
pub const RATES_FIXTURE: &str = include_str!("rates_fixture.json");

pub const DEMO_DOMAIN: &str = "demo-shop.example";
/// The demo merchant's ETN outlet: hexadecimal, as ETN issues them.
const DEMO_OUTLET: &str = "0dec0ffee0000";

#[derive(Serialize, Deserialize)]
struct Demo {
    merchant_id: MerchantId,
}

/// `GET /__dev/rates.json`; an empty fixture answers 503, as a feed that is down.
pub async fn rates(call: Call) -> ApiResult<Response> {
    let body = call
        .ctx
        .store
        .dev_rates_fixture()
        .await?
        .unwrap_or_else(|| RATES_FIXTURE.to_owned());
    if body.is_empty() {
        return Err(ApiError::unavailable(
            "feed_down",
            "the rates fixture is switched off",
            30,
        ));
    }
    let r = Response::ok(body)?;
    r.headers().set("content-type", "application/json")?;
    Ok(r)
}

/// `PUT /__dev/rates.json`: replaces the fixture (tests change prices or take the feed down).
pub async fn put_rates(mut call: Call) -> ApiResult<Response> {
    let body = call.body().await?;
    let text = String::from_utf8(body)
        .map_err(|_| ApiError::bad_request("invalid_body", "fixture must be UTF-8"))?;
    call.ctx.store.put_dev_rates_fixture(&text).await?;
    Ok(Response::empty()?.with_status(204))
}

/// `POST /__dev/seed`: the demo merchant's keys and secrets, chosen by `cargo xtask dev`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Seed {
    pub merchant_key: Option<String>,
    pub etn_api_key: Option<String>,
    pub etn_api_secret: Option<String>,
    pub gateway_secret: Option<String>,
}

/// What seeding answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Seeded {
    pub merchant_id: MerchantId,
    pub created: bool,
    pub domain: &'static str,
}

/// `POST /__dev/seed` (admin key): creates the demo merchant once; later calls
/// return the same merchant.
pub async fn seed(call: Call, _admin: Admin, Json(body): Json<Seed>) -> ApiResult<Reply<Seeded>> {
    let ctx = &call.ctx;
    let merchant_key = secret("merchant_key", body.merchant_key.as_deref())?;
    if let Some(demo) = ctx.store.dev_get::<Demo>(Key::DevDemo).await? {
        return Ok(Reply::ok(Seeded {
            merchant_id: demo.merchant_id,
            created: false,
            domain: DEMO_DOMAIN,
        }));
    }
    let new = NewMerchant {
        name: "Demo Shop".to_owned(),
        domains: vec![DEMO_DOMAIN.to_owned()],
        outlet_id: DEMO_OUTLET
            .parse::<OutletId>()
            .map_err(|e| ApiError::internal("demo outlet", e))?,
        plan: Plan::HostedCheckout,
        methods: vec!["etn".to_owned()],
        etn_api_key: secret("etn_api_key", body.etn_api_key.as_deref())?,
        etn_api_secret: secret("etn_api_secret", body.etn_api_secret.as_deref())?,
        gateway_secret: Some(secret("gateway_secret", body.gateway_secret.as_deref())?),
    };
    let created = admin::create_merchant(&ctx.config, &ctx.store, new, ctx.now).await?;
    crate::keys::issue(
        ctx,
        &created.record.id,
        Mode::Test,
        Some(merchant_key),
        ctx.now,
    )
    .await?;
    ctx.store
        .dev_put(
            Key::DevDemo,
            &Demo {
                merchant_id: created.record.id.clone(),
            },
        )
        .await?;
    Ok(Reply::with_status(
        201,
        Seeded {
            merchant_id: created.record.id,
            created: true,
            domain: DEMO_DOMAIN,
        },
    ))
}

/// `POST /__dev/demo-session?amount=19.99`: the demo shop's "Buy" button. Creates
/// a test session for the demo merchant and redirects to its hosted checkout.
pub async fn demo_session(call: Call) -> ApiResult<Response> {
    let ctx = &call.ctx;
    let demo = ctx
        .store
        .dev_get::<Demo>(Key::DevDemo)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                409,
                "not_seeded",
                "run `cargo xtask dev` to seed the demo merchant",
            )
        })?;
    let merchant = ctx
        .store
        .merchant(&demo.merchant_id)
        .await?
        .ok_or_else(|| ApiError::not_found("merchant"))?;
    let caller = Caller {
        merchant,
        key_hash: None,
        mode: Mode::Test,
        credential: crate::auth::Credential::Dashboard {
            signed_in_at: ctx.now,
            sign_in: None,
        },
    };
    let amount = call
        .req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "amount")
        .map(|(_, v)| v.into_owned());
    let request = SessionRequest {
        amount: Some(amount.unwrap_or_else(|| "19.99".to_owned())),
        currency: Some("EUR".to_owned()),
        return_url: Some(format!("{}/demo/thanks.html", ctx.origin)),
        cancel_url: Some(format!("{}/", ctx.origin)),
        ..SessionRequest::default()
    };
    // No idempotency here: every press of the button is a new checkout.
    let fingerprint = Fingerprint(String::new());
    let created = sessions::create(
        ctx,
        &caller,
        NewSession::new(request, Dialect::Native, fingerprint, None),
    )
    .await?;
    let url = Url::parse(&ctx.checkout_url(&created.read.session.id))
        .map_err(|e| ApiError::internal("url", e))?;
    Ok(Response::redirect_with_status(url, 303)?)
}

/// `POST /__dev/etn/check-payment`: a local stand-in for ETN's check-payment API,
/// following the seed's contract (signed request, `status` 0/1, `message`,
/// `amount`), so that the cron's polls never leave the machine.
pub async fn etn_check_payment(
    call: Call,
    body: Signed<CheckPayment>,
) -> ApiResult<Reply<CheckPaymentAnswer>> {
    let ctx = &call.ctx;
    let o = body.parse()?;
    if etn::signed_by_vendor(&call, &o, &body.bytes)
        .await?
        .is_none()
    {
        return Ok(Reply::ok(CheckPaymentAnswer::not_paid(
            "Vendor address unknown",
        )));
    }
    let payment_id = o.payment_id.unwrap_or_default();
    Ok(Reply::ok(
        match ctx
            .store
            .dev_get::<String>(Key::DevEtnPaid(&payment_id))
            .await?
        {
            Some(amount) => CheckPaymentAnswer::paid(amount),
            None => CheckPaymentAnswer::not_paid("Payment not sent by customer"),
        },
    ))
}

/// `PUT /__dev/etn/payments/{payment_id}` with `{"amount": "..."}`: tells the
/// stand-in that the customer paid.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkPaid {
    pub amount: Option<Amount>,
}

pub async fn etn_mark_paid(
    call: Call,
    Json(body): Json<MarkPaid>,
    Path(payment_id): Path<PaymentId>,
) -> ApiResult<Response> {
    let amount = body.amount.ok_or_else(|| ApiError::missing("amount"))?;
    call.ctx
        .store
        .dev_put(Key::DevEtnPaid(payment_id.as_str()), &amount.0)
        .await?;
    Ok(Response::empty()?.with_status(204))
}
