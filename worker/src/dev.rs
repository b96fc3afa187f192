//! Routes that exist only under `wrangler dev` (`DEV_MODE=true`): the rates
//! fixture the worker serves itself, the demo merchant, and the demo shop's
//! "Buy" button. In a deployed worker they answer 404 like any unknown route.

use checkout_core::session::{Dialect, Mode, SessionRequest};
use serde::{Deserialize, Serialize};
use serde_json::json;
use worker::{Response, Url};

use crate::admin::{self, NewMerchant};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::json::Object;
use crate::sessions::{self, Create, Ctx};
use crate::store::Plan;

/// The rates the worker serves itself in local dev: shaped like the real feed.
pub const RATES_FIXTURE: &str = include_str!("rates_fixture.json");

pub const DEMO_DOMAIN: &str = "demo-shop.example";
const DEMO_OUTLET: &str = "0demo0shop000";

#[derive(Serialize, Deserialize)]
struct Demo {
    merchant_id: checkout_core::ids::MerchantId,
}

/// `GET /__dev/rates.json`; an empty fixture answers 503, as a feed that is down.
pub async fn rates(ctx: &Ctx) -> ApiResult<Response> {
    let body = ctx
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
pub async fn put_rates(ctx: &Ctx, body: Vec<u8>) -> ApiResult<Response> {
    let text = String::from_utf8(body)
        .map_err(|_| ApiError::bad_request("invalid_body", "fixture must be UTF-8"))?;
    ctx.store.put_dev_rates_fixture(&text).await?;
    Ok(Response::empty()?.with_status(204))
}

/// `POST /__dev/seed` (admin key): creates the demo merchant with the keys and
/// secrets `cargo xtask dev` chose, once; later calls return the same merchant.
pub async fn seed(ctx: &Ctx, o: &Object) -> ApiResult<Response> {
    let field = |name: &str| -> ApiResult<String> {
        o.string(name)?.filter(|v| !v.is_empty()).ok_or_else(|| {
            ApiError::bad_request("missing_field", format!("{name} is required")).field(name)
        })
    };
    let merchant_key = field("merchant_key")?;
    if let Some(demo) = ctx.store.get_json::<Demo>("dev:demo").await? {
        return http::json(
            200,
            &json!({ "merchant_id": demo.merchant_id, "created": false, "domain": DEMO_DOMAIN }),
        );
    }
    let new = NewMerchant {
        name: "Demo Shop".to_owned(),
        domains: vec![DEMO_DOMAIN.to_owned()],
        outlet_id: DEMO_OUTLET.to_owned(),
        plan: Plan::HostedCheckout,
        methods: vec!["etn".to_owned()],
        etn_api_key: field("etn_api_key")?,
        etn_api_secret: field("etn_api_secret")?,
        gateway_secret: Some(field("gateway_secret")?),
    };
    let created = admin::create_merchant(&ctx.config, &ctx.store, new, ctx.now).await?;
    admin::issue_key(
        &ctx.store,
        &created.record.id,
        Mode::Test,
        Some(merchant_key),
        ctx.now,
    )
    .await?;
    ctx.store
        .put_json(
            "dev:demo",
            &Demo {
                merchant_id: created.record.id.clone(),
            },
        )
        .await?;
    http::json(
        201,
        &json!({ "merchant_id": created.record.id, "created": true, "domain": DEMO_DOMAIN }),
    )
}

/// `POST /__dev/demo-session`: the demo shop's "Buy" button. Creates a test
/// session for the demo merchant and redirects to its hosted checkout.
pub async fn demo_session(ctx: &Ctx, amount: Option<String>) -> ApiResult<Response> {
    let demo = ctx
        .store
        .get_json::<Demo>("dev:demo")
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
        mode: Mode::Test,
        key: String::new(),
    };
    let request = SessionRequest {
        amount: Some(amount.unwrap_or_else(|| "19.99".to_owned())),
        currency: Some("EUR".to_owned()),
        return_url: Some(format!("{}/demo/thanks.html", ctx.origin)),
        cancel_url: Some(format!("{}/", ctx.origin)),
        ..SessionRequest::default()
    };
    let created =
        sessions::create(ctx, &caller, Create::new(request, Dialect::Native, None)).await?;
    let url = Url::parse(&ctx.checkout_url(&created.session.id))
        .map_err(|e| ApiError::internal("url", e))?;
    Ok(Response::redirect_with_status(url, 303)?)
}

/// `POST /__dev/etn/check-payment`: a local stand-in for ETN's check-payment API,
/// following the seed's contract (signed request, `status` 0/1, `message`,
/// `amount`), so that the cron's polls never leave the machine.
pub async fn etn_check_payment(ctx: &Ctx, req: &mut worker::Request) -> ApiResult<Response> {
    let body = http::body_bytes(req).await?;
    let o = Object::parse(&body)?;
    let outlet = o
        .string("vendor_address")?
        .unwrap_or_default()
        .trim_start_matches("etn-it-")
        .to_owned();
    let Some(merchant) = ctx.store.merchant_by_outlet(&outlet).await? else {
        return http::json(
            200,
            &json!({"status": 0, "message": "Vendor address unknown"}),
        );
    };
    let secret = crate::secrets::open(ctx.config.secrets_key()?, &merchant.etn_api_secret)?;
    let signature = req.headers().get("etn-signature")?.unwrap_or_default();
    if checkout_core::signature::etn::verify(&secret, &body, &signature).is_err() {
        return Err(ApiError::new(
            401,
            "signature_mismatch",
            "invalid signature",
        ));
    }
    let payment_id = o.string("payment_id")?.unwrap_or_default();
    match ctx
        .store
        .get_json::<String>(&format!(
            "dev:etn-paid:{}",
            crate::store::digest(&payment_id)
        ))
        .await?
    {
        Some(amount) => http::json(200, &json!({"status": 1, "amount": amount})),
        None => http::json(
            200,
            &json!({"status": 0, "message": "Payment not sent by customer"}),
        ),
    }
}

/// `PUT /__dev/etn/payments/{payment_id}` with `{"amount": "..."}`: tells the
/// stand-in that the customer paid.
pub async fn etn_mark_paid(ctx: &Ctx, payment_id: &str, o: &Object) -> ApiResult<Response> {
    let amount = o.amount("amount")?.ok_or_else(|| {
        ApiError::bad_request("missing_field", "amount is required").field("amount")
    })?;
    ctx.store
        .put_json(
            &format!("dev:etn-paid:{}", crate::store::digest(payment_id)),
            &amount,
        )
        .await?;
    Ok(Response::empty()?.with_status(204))
}
