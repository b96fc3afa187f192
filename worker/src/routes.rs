//! The one route table, and the dispatcher that serves it.
//!
//! Each route is one declaration: method, path, API, summary, and a handler whose
//! arguments say what it needs (`Caller` for a merchant key, `Admin`, `Json<T>`,
//! `Query<T>`, `Signed<T>`); see `route.rs`. The path is matched first, then the
//! method, so a known path with a wrong method is a JSON 405 with `Allow`, an
//! unknown path a JSON 404. `/openapi.json` is generated from this table.

use serde::Serialize;
use utoipa::ToSchema;
use worker::{Env, Method, Request, Response};

use checkout_api::endpoint as at;

use crate::admin;
use crate::checkout;
use crate::ctx::Ctx;
use crate::dashboard::{pages, reads, signin};
use crate::dev;
use crate::dialect::{etn, ewallet, gateway, links, native};
use crate::error::{ApiError, ApiResult, ErrorStyle};
use crate::forwarding;
use crate::hosted;
use crate::http;
use crate::keys;
use crate::openapi;
use crate::route::{Api, Call, Reply, Route};
use crate::sandbox;

/// Every route of the worker.
pub fn table() -> Vec<Route> {
    use Method::{Delete, Get, Options, Post, Put};
    vec![
        // Meta
        Route::at(Get, "/health", Api::Meta, "Liveness, including a read of the KV binding")
            .errors(&[503])
            .to(health),
        Route::at(Get, "/health/live", Api::Meta, "Liveness of the isolate alone (no storage): the benchmark baseline")
            .to(health_live),
        Route::at(Get, "/openapi.json", Api::Meta, "This document")
            .content("application/json")
            .to(openapi_document),
        // The native API
        Route::at(Post, "/v1/sessions", Api::Native, "Create a checkout session (Idempotency-Key supported)")
            .status(201)
            .errors(&[409])
            .to(native::create),
        Route::at(Get, "/v1/sessions", Api::Native, "List your sessions (this key's mode), newest first")
            .to(native::list),
        Route::at(Get, "/v1/sessions/{id}", Api::Native, "Read a session")
            .to(native::get),
        Route::at(Post, "/v1/sessions/{id}/cancel", Api::Native, "Cancel a pending session")
            .errors(&[409])
            .to(native::cancel),
        Route::endpoint(at::ACCEPT_SESSION, Api::Native, "Accept a session that needs review, or one partially paid, as paid (recorded with the key or dashboard sign-in that decided)")
            .errors(&[409])
            .to(native::accept),
        Route::endpoint(at::GET_BRAND, Api::Native, "How the hosted checkout of this key's mode looks: display name, logo URL, accent colour")
            .to(native::get_brand),
        Route::endpoint(at::PUT_BRAND, Api::Native, "Replace the brand (an accent colour must pass WCAG AA behind white text; a logo is an https URL)")
            .errors(&[422])
            .to(native::put_brand),
        Route::at(Put, "/v1/brand/logo", Api::Native, "Upload the checkout's logo: the body is the image (PNG, JPEG, GIF or WebP, at most 48 KB; the type is read from the bytes; SVG is refused)")
            .errors(&[413, 415])
            .to(native::put_logo),
        Route::at(Delete, "/v1/brand/logo", Api::Native, "Remove the uploaded logo")
            .to(native::delete_logo),
        Route::endpoint(at::GET_PAYMENT_POLICY, Api::Native, "The payment policy of this key's mode: underpayment tolerance, late window, rate limit of late payments")
            .to(native::get_policy),
        Route::endpoint(at::PUT_PAYMENT_POLICY, Api::Native, "Replace the payment policy (sessions created from now on keep it)")
            .errors(&[422])
            .to(native::put_policy),
        Route::at(Get, "/v1/sessions/{id}/events", Api::Native, "Everything recorded about a session, oldest first")
            .to(native::events),
        Route::at(Get, "/v1/payments/unmatched", Api::Native, "Verified payments that matched no pending session")
            .to(native::unmatched),
        // What shoppers and the widget see
        Route::at(Get, "/v1/sessions/{id}/public", Api::Checkout, "The public view the widget polls (CORS open, ETag / If-None-Match; no secrets, no customer data)")
            .responds::<checkout::PublicSession>()
            .to(checkout::public_view),
        Route::at(Get, "/v1/sessions/{id}/live", Api::Checkout, "A WebSocket that sends the public view at once and on every change of the session; closed (code 4000) once it has ended (the widget and the hosted page follow sessions with it)")
            .status(101)
            .errors(&[426])
            .to(checkout::live),
        Route::at(Options, "/v1/sessions/{id}/public", Api::Checkout, "CORS preflight of the public view")
            .status(204)
            .to(checkout::preflight),
        Route::at(Get, "/pay/{id}", Api::Checkout, "The hosted checkout page, in the shopper's language (?lang=, the session's locale, Accept-Language); aliases EX-O... and pl_... redirect to it")
            .content("text/html")
            .to(hosted::page),
        Route::at(Get, "/pay/{id}/languages", Api::Checkout, "Every language the hosted checkout speaks, each a link to it in that language")
            .content("text/html")
            .to(hosted::languages),
        Route::at(Get, "/pay/{id}/logo", Api::Checkout, "The logo the merchant uploaded, as the checkout shows it (404 without one)")
            .content("image/png")
            .to(hosted::logo),
        Route::at(Get, "/pay/{id}/receipt.pdf", Api::Checkout, "The receipt of a paid checkout, for the shopper (409 before it is paid)")
            .content("application/pdf")
            .errors(&[409])
            .to(hosted::receipt),
        Route::at(Post, "/v1/sessions/{id}/sandbox", Api::Checkout, "Pay a test session with a signed sandbox webhook (test sessions only; no key)")
            .responds::<sandbox::SandboxRun>()
            .errors(&[400, 403])
            .to(sandbox::trigger),
        // The admin API
        Route::at(Post, "/v1/admin/merchants", Api::Admin, "Create a merchant; generated secrets are shown once")
            .status(201)
            .errors(&[409])
            .to(admin::post_merchant),
        Route::at(Get, "/v1/admin/merchants/{id}", Api::Admin, "Read a merchant, secrets masked")
            .to(admin::get_merchant),
        Route::at(Post, "/v1/admin/merchants/{id}/keys", Api::Admin, "Issue an API key (shown once)")
            .status(201)
            .to(admin::post_key),
        Route::at(Get, "/v1/admin/merchants/{id}/keys", Api::Admin, "List a merchant's keys by preview")
            .to(admin::list_keys),
        Route::at(Delete, "/v1/admin/merchants/{id}/keys/{key_id}", Api::Admin, "Revoke a key (the dashboard sign-ins its links opened end with it)")
            .to(admin::revoke_key),
        Route::at(Put, "/v1/admin/merchants/{id}/brand", Api::Admin, "Set a merchant's brand on the hosted checkout, test and live")
            .errors(&[422])
            .to(admin::put_brand),
        Route::at(Delete, "/v1/admin/merchants/{id}/signins", Api::Admin, "End every dashboard sign-in of a merchant, test and live")
            .to(admin::end_sign_ins),
        // hosted-checkout-gateway-api
        Route::at(Post, "/gateway/session.php", Api::Gateway, "Create a session for an approved domain")
            .errors(&[403, 409])
            .to(gateway::create_session),
        Route::at(Get, "/gateway/me.php", Api::Gateway, "Integration mode and payment methods")
            .to(gateway::me),
        Route::at(Get, "/gateway/status.php", Api::Gateway, "A session's status")
            .to(gateway::status),
        Route::at(Post, "/api/webhook.php", Api::Gateway, "A payment processor's signed webhook about a session")
            .errors(&[422])
            .to(gateway::webhook),
        // ewallet-orders-api
        Route::at(Post, "/api/v1/wallets", Api::Ewallet, "Create (or find) a user's wallet in a currency")
            .status(201)
            .to(ewallet::create_wallet),
        Route::at(Get, "/api/v1/wallets/{id}", Api::Ewallet, "Read a wallet: balance and latest ledger entries")
            .to(ewallet::get_wallet),
        Route::at(Post, "/api/v1/orders", Api::Ewallet, "Create an order (Idempotency-Key supported)")
            .status(201)
            .errors(&[409])
            .to(ewallet::create_order),
        Route::at(Get, "/api/v1/orders/{public_order_id}", Api::Ewallet, "Read an order")
            .to(ewallet::get_order),
        Route::at(Get, "/api/v1/orders/{public_order_id}/receipt.pdf", Api::Ewallet, "The branded PDF receipt of an order that is pending, partially paid or paid")
            .content("application/pdf")
            .errors(&[409])
            .to(ewallet::receipt),
        // payment-links-api
        Route::at(Post, "/wallet/createPaymentLink", Api::Links, "Create a payment link (x-api-key)")
            .errors(&[409])
            .to(links::create),
        // etn-vendor-api
        Route::at(Post, "/webhooks/etn/{merchant_id}", Api::Etn, "ETN's signed payment and refund webhooks for one merchant")
            .errors(&[422])
            .to(etn::webhook),
        Route::at(Post, "/vendor/check-payment", Api::Etn, "Whether a payment was made (ETN's poll contract, signed with your ETN API secret)")
            .errors(&[429])
            .to(etn::check_payment),
        // webhook-forwarding-api, and our webhook operations
        Route::endpoint(at::PUT_WEBHOOK_CONFIG, Api::Webhooks, "Set your webhook endpoint (url, signing secret, event types, delivery enabled)")
            .to(forwarding::put_config),
        Route::endpoint(at::GET_WEBHOOK_CONFIG, Api::Webhooks, "Read your webhook endpoint (secret masked)")
            .to(forwarding::get_config),
        Route::endpoint(at::DELETE_WEBHOOK_CONFIG, Api::Webhooks, "Remove your webhook endpoint (the history stays)")
            .to(forwarding::delete_config),
        Route::endpoint(at::ROTATE_WEBHOOK_SECRET, Api::Webhooks, "Rotate the signing secret; the previous one signs too for 24 hours")
            .to(forwarding::rotate),
        Route::endpoint(at::WEBHOOK_EVENTS, Api::Webhooks, "Delivery history, newest first, with every attempt")
            .to(forwarding::events),
        Route::endpoint(at::WEBHOOK_EVENT, Api::Webhooks, "One delivery: the exact bytes sent and every attempt")
            .to(forwarding::event),
        Route::endpoint(at::REDELIVER_WEBHOOK_EVENT, Api::Webhooks, "Send one event again now")
            .errors(&[409])
            .to(forwarding::redeliver),
        Route::endpoint(at::RECOVER_WEBHOOKS, Api::Webhooks, "Send every failed event since a time again")
            .to(forwarding::recover),
        Route::endpoint(at::SEND_TEST_WEBHOOK, Api::Webhooks, "Send a real test event now")
            .errors(&[409])
            .to(forwarding::test),
        // The merchant's own API keys
        Route::endpoint(at::LIST_KEYS, Api::Keys, "Your API keys in this key's mode, by preview, with when each was last used")
            .to(keys::get_keys),
        Route::endpoint(at::CREATE_KEY, Api::Keys, "Issue an API key in this key's mode (shown once)")
            .status(201)
            .to(keys::post_key),
        Route::endpoint(at::REVOKE_KEY, Api::Keys, "Revoke one of your keys (the dashboard sign-ins its links opened end with it)")
            .to(keys::delete_key),
        // The dashboard's sign-in and reads
        Route::at(Post, "/v1/dashboard/links", Api::Dashboard, "A one-time dashboard sign-in link, valid 10 minutes (a merchant key for itself, or the admin key for merchant_id)")
            .status(201)
            .to(signin::create_link),
        Route::endpoint(at::DASHBOARD_ME, Api::Dashboard, "Who is signed in, and the CSRF token for state-changing requests")
            .to(signin::me),
        Route::endpoint(at::DASHBOARD_SIGN_OUT, Api::Dashboard, "Sign out: the sign-in is revoked and its cookie cleared")
            .to(signin::sign_out),
        Route::endpoint(at::DASHBOARD_SIGN_INS, Api::Dashboard, "The open dashboard sign-ins of this mode: when each began, from which key, when it was last seen")
            .to(signin::list_sign_ins),
        Route::endpoint(at::DASHBOARD_END_SIGN_IN, Api::Dashboard, "End one dashboard sign-in")
            .to(signin::end_sign_in),
        Route::endpoint(at::DASHBOARD_END_SIGN_INS, Api::Dashboard, "End every dashboard sign-in of this mode (yours too)")
            .to(signin::end_sign_ins),
        Route::endpoint(at::DASHBOARD_OVERVIEW, Api::Dashboard, "Paid totals today and this month per currency, paid sessions per day for 30 days (UTC), sessions awaiting payment, failing notifications")
            .to(reads::overview),
        Route::endpoint(at::DASHBOARD_SESSIONS, Api::Dashboard, "Sessions of every dialect, newest first, filtered by status, dialect, dates or an exact id")
            .to(reads::sessions),
        Route::endpoint(at::DASHBOARD_SESSION, Api::Dashboard, "A session with every event and every webhook delivery about it")
            .to(reads::session),
        Route::endpoint(at::DASHBOARD_WALLETS, Api::Dashboard, "Wallets (ewallet-orders-api) with their balances, newest first")
            .to(reads::wallets),
        Route::endpoint(at::DASHBOARD_WALLET, Api::Dashboard, "A wallet and its latest ledger entries, newest first")
            .to(reads::wallet),
        // Local development only
        Route::at(Get, "/__dev/rates.json", Api::Dev, "The rates fixture").to(dev::rates),
        Route::at(Put, "/__dev/rates.json", Api::Dev, "Replace the rates fixture").to(dev::put_rates),
        Route::at(Post, "/__dev/seed", Api::Dev, "Seed the demo merchant").to(dev::seed),
        Route::at(Put, "/__dev/outage", Api::Dev, "Simulate a storage outage").to(dev::outage),
        Route::at(Post, "/__dev/forget-dashboard-sessions", Api::Dev, "Forget the dashboard's sessions table").to(dev::forget_dashboard_sessions),
        Route::at(Post, "/__dev/age-deliveries", Api::Dev, "Make the key's deliveries N days older").to(dev::age_deliveries),
        Route::at(Post, "/__dev/legacy-key", Api::Dev, "Issue a key as an older version did").to(dev::legacy_key),
        Route::at(Post, "/__dev/unnumber-sessions", Api::Dev, "Put the sessions table back as before sessions were numbered").to(dev::unnumber_sessions),
        Route::at(Post, "/__dev/legacy-session", Api::Dev, "Open a session as an older version did (in KV)").to(dev::legacy_session),
        Route::at(Post, "/__dev/sessions/{id}/drop-live", Api::Dev, "Drop the WebSockets following a session").to(dev::drop_live),
        Route::at(Post, "/__dev/sweep", Api::Dev, "The cron's sweep and ETN polls for the key's merchant, now").to(dev::sweep),
        Route::at(Get, "/__dev/object", Api::Dev, "A call to an account object that does nothing (a load baseline)").to(dev::object_baseline),
        Route::at(Get, "/__dev/usage", Api::Dev, "What this isolate spent of the plan's limits").to(dev::usage),
        Route::at(Delete, "/__dev/usage", Api::Dev, "Count the plan's limits afresh").to(dev::reset_usage),
        Route::at(Post, "/__dev/demo-session", Api::Dev, "The demo shop's Buy button").to(dev::demo_session),
        Route::at(Get, "/__dev/routes", Api::Dev, "Every route of the table (the OpenAPI test's list)").to(route_list),
        Route::at(Post, "/__dev/etn/check-payment", Api::Dev, "A stand-in for ETN's check-payment API").to(dev::etn_check_payment),
        Route::at(Put, "/__dev/etn/payments/{payment_id}", Api::Dev, "Tell the stand-in a payment was made").to(dev::etn_mark_paid),
    ]
}

/// Serves one request from the table.
/// `GET /openapi.json`: the document of this table.
async fn openapi_document(call: Call) -> ApiResult<Response> {
    let doc = openapi::build(&table(), &call.ctx.origin);
    let text = doc
        .to_json()
        .map_err(|e| ApiError::internal("openapi", e))?;
    let response = Response::ok(text)?;
    response.headers().set("content-type", "application/json")?;
    response.headers().set("cache-control", "no-cache")?;
    Ok(http::cors(response))
}

pub async fn handle(req: Request, env: &Env) -> worker::Result<Response> {
    let url = req.url()?;
    if !url.path().starts_with("/__dev/usage") {
        crate::usage::count(crate::usage::Resource::WorkerRequest);
    }
    let path = url.path().to_owned();
    let ctx = match Ctx::new(env, Some(url.origin().ascii_serialization())) {
        Ok(ctx) => ctx,
        Err(e) => return e.into_response(ErrorStyle::Plain),
    };
    let Some(method) = http::method(&req) else {
        // A method no route serves: 405 with what the path does accept.
        let allowed = if pages::owns(&path) {
            pages::methods(&path)
        } else {
            table()
                .iter()
                .filter(|r| (ctx.config.dev || !r.dev_only) && r.matches(&path).is_some())
                .map(|r| r.method.clone())
                .collect()
        };
        return if allowed.is_empty() {
            not_found(&path)
        } else {
            http::method_not_allowed(allowed, ErrorStyle::Plain)
        };
    };
    let head = method == Method::Head;
    // HEAD is served as GET, without the body.
    let wanted = if head { Method::Get } else { method.clone() };
    if pages::owns(&path) {
        let allowed = pages::methods(&path);
        if !allowed.contains(&wanted) {
            return http::method_not_allowed(allowed, ErrorStyle::Plain);
        }
        let served = match pages::serve(req, method, env, &ctx).await {
            Ok(response) => Ok(response),
            Err(e) => pages::error(e),
        };
        return if head { served.and_then(strip) } else { served };
    }
    let routes = table();
    let mut candidates: Vec<_> = routes
        .iter()
        .filter(|r| ctx.config.dev || !r.dev_only)
        .filter_map(|r| r.matches(&path).map(|params| (r, params)))
        .collect();
    match candidates.iter().position(|(r, _)| r.method == wanted) {
        Some(i) => {
            let (route, params) = candidates.swap_remove(i);
            let served = match (route.handler)(Call::new(ctx, req, params)).await {
                Ok(response) => Ok(response),
                Err(e) => e.into_response(route.api.error_style()),
            };
            if head {
                served.and_then(strip)
            } else {
                served
            }
        }
        None if candidates.is_empty() => not_found(&path),
        None => http::method_not_allowed(
            candidates.iter().map(|(r, _)| r.method.clone()).collect(),
            candidates[0].0.api.error_style(),
        ),
    }
}

fn not_found(path: &str) -> worker::Result<Response> {
    ApiError::new(404, "not_found", format!("no route for {path}")).into_response(ErrorStyle::Plain)
}

/// A `HEAD` answer: the `GET` answer without its body.
fn strip(response: Response) -> worker::Result<Response> {
    http::without_body(response).or_else(|e| e.into_response(ErrorStyle::Plain))
}

/// What `/health` answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` when storage does not answer.
    pub status: &'static str,
    /// `ok` or `unavailable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kv: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<&'static str>,
}

/// Liveness, including a real read of the KV binding, so that a missing or broken
/// binding shows here rather than on the first checkout.
async fn health(call: Call) -> ApiResult<Reply<Health>> {
    let kv_ok = call.ctx.store.probe().await;
    let reply = Reply::with_status(
        if kv_ok { 200 } else { 503 },
        Health {
            status: if kv_ok { "ok" } else { "degraded" },
            kv: Some(if kv_ok { "ok" } else { "unavailable" }),
            version: Some(env!("CARGO_PKG_VERSION")),
        },
    );
    Ok(if kv_ok {
        reply
    } else {
        reply.header("retry-after", "5")
    })
}

/// One route of the table, as `GET /__dev/routes` lists it.
#[derive(Serialize, ToSchema)]
struct Listed {
    method: String,
    path: &'static str,
    /// Served only under `wrangler dev`, and never documented.
    dev_only: bool,
}

/// `GET /__dev/routes` (dev only): the table itself, so that the end-to-end
/// OpenAPI test checks the served document against the table, not a copy.
async fn route_list(_call: Call) -> ApiResult<Reply<Vec<Listed>>> {
    Ok(Reply::ok(
        table()
            .iter()
            .map(|r| Listed {
                method: r.method.to_string().to_ascii_lowercase(),
                path: r.path,
                dev_only: r.dev_only,
            })
            .collect(),
    ))
}

/// The cheapest route there is: the baseline of `cargo xtask bench`.
async fn health_live(_call: Call) -> ApiResult<Reply<Health>> {
    Ok(Reply::ok(Health {
        status: "ok",
        kv: None,
        version: None,
    }))
}
