//! What the shopper sees: the hosted checkout page `/pay/{id}` and the public
//! session view `/v1/sessions/{id}/public` that the widget polls.
//!
//! Both expose no secrets and no customer data. The public view is open to any
//! origin (CORS) and answers `If-None-Match` with 304, so polling is cheap.

use checkout_core::ids::{LinkId, PublicOrderId, SessionId};
use checkout_core::qr::Qr;
use checkout_core::session::{Mode, Session, State};
use serde::Serialize;
use utoipa::ToSchema;
use worker::Response;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::http::{self, escape};
use crate::route::Call;
use crate::secret::digest;
use crate::sessions;
use crate::store::Owner;

/// What anyone may see of a session: no secrets, no customer data. The widget
/// polls it; its `status` is core's `State` (pending, partially_paid, paid,
/// needs_review, expired, cancelled).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSession {
    pub id: SessionId,
    pub status: State,
    pub merchant_name: Option<String>,
    pub amount: String,
    pub currency: String,
    /// What the session asks in ETN in all.
    pub etn_amount: String,
    /// What its payments add up to, in ETN.
    pub etn_received: String,
    /// What is still to pay, in ETN: the payment string's amount while the
    /// session is open, `0.00` once paid.
    pub etn_due: String,
    /// What was paid beyond what was due (the merchant gives it back).
    pub etn_excess: String,
    /// Paid after it expired, within the merchant's late window.
    pub late: bool,
    /// Nothing more will happen that a shopper waits for: paid, cancelled,
    /// or expired long enough that no late payment is looked for (pages stop
    /// following it).
    pub ended: bool,
    /// What pays what is left: after a partial payment, the remainder under
    /// a new payment id.
    pub payment_string: String,
    pub deep_link: String,
    pub expires_at: i64,
    /// Only once paid: where the widget sends the shopper.
    pub return_url: Option<String>,
    pub cancel_url: Option<String>,
    pub mode: Mode,
}

impl PublicSession {
    /// The view of a session as of `now` (unix seconds).
    pub fn at(now: i64, s: &Session, merchant_name: Option<String>) -> PublicSession {
        let state = s.state_at(now);
        let tally = s.tally();
        PublicSession {
            id: s.id.clone(),
            status: state,
            merchant_name,
            amount: s.price.to_string(),
            currency: s.price.currency().code().to_owned(),
            etn_amount: s.etn_due().to_string(),
            etn_received: tally.received().0.to_string(),
            etn_due: s.still_due(now).0.to_string(),
            etn_excess: tally.excess().0.to_string(),
            late: s.late,
            ended: s.settled_at(now),
            payment_string: s.payment_string.to_string(),
            deep_link: s.payment_string.deep_link(),
            expires_at: s.expires_at,
            return_url: if state == State::Paid {
                s.return_url.clone()
            } else {
                None
            },
            cancel_url: s.cancel_url.clone(),
            mode: s.mode,
        }
    }
}

/// `GET /v1/sessions/{id}/public`
pub async fn public_view(call: Call) -> ApiResult<Response> {
    let ctx = &call.ctx;
    let read = sessions::find(ctx, call.param("id")).await?;
    let view = PublicSession::at(ctx.now, &read.session, Some(read.merchant_name));
    let body = serde_json::to_string(&view).map_err(|e| ApiError::internal("public view", e))?;
    let etag = format!("\"{}\"", &digest(&body)[..32]);
    let not_modified = call.header("if-none-match")?.is_some_and(|v| {
        v.split(',')
            .any(|tag| tag.trim().trim_start_matches("W/") == etag)
    });
    let response = if not_modified {
        Response::empty()?.with_status(304)
    } else {
        let r = Response::ok(body)?;
        r.headers().set("content-type", "application/json")?;
        r
    };
    response.headers().set("etag", &etag)?;
    response.headers().set("cache-control", "no-cache")?;
    Ok(http::cors(response))
}

/// `GET /v1/sessions/{id}/live`: a WebSocket that carries the public view at
/// once and again on every change of the session (the widget's live mode and
/// the hosted page). The session's account object accepts it and keeps it
/// hibernating while nothing happens; the socket closes (code 4000) once the
/// session has ended. Without an upgrade it is a 426.
pub async fn live(call: Call) -> ApiResult<Response> {
    let ctx = &call.ctx;
    let upgrade = call.header("upgrade")?;
    if !upgrade.is_some_and(|u| u.eq_ignore_ascii_case("websocket")) {
        return Err(ApiError::new(
            426,
            "upgrade_required",
            "open this route as a WebSocket (Upgrade: websocket)",
        ));
    }
    let not_found = || ApiError::not_found("session");
    let id: SessionId = call.param("id").parse().map_err(|_| not_found())?;
    let located = sessions::locate(ctx, &id).await?.ok_or_else(not_found)?;
    if located.at.moving.is_some() {
        // A session older versions left in KV moves into its object first.
        let owner = Owner {
            merchant: &located.home.merchant,
            mode: located.home.mode,
        };
        ctx.account(owner)
            .call(crate::account::protocol::GetSession {
                at: located.at.clone(),
            })
            .await?;
    }
    let response = ctx.account(located.owner()).live(&id).await?;
    if response.status_code() == 404 {
        return Err(not_found());
    }
    Ok(response)
}

/// `OPTIONS` preflight for the public view.
pub async fn preflight(_call: Call) -> ApiResult<Response> {
    let r = Response::empty()?.with_status(204);
    r.headers().set("access-control-max-age", "86400")?;
    Ok(http::cors(r))
}

/// `GET /pay/{id}`: the hosted checkout page. An alias (`EX-O...`, `pl_...`)
/// redirects to the canonical `/pay/cs_...`.
pub async fn page(call: Call) -> ApiResult<Response> {
    let ctx = &call.ctx;
    let id = call.param("id");
    // An alias is its session's id in a dialect's spelling; one made before
    // the account objects is found through its KV record.
    let alias = match (id.parse::<PublicOrderId>(), id.parse::<LinkId>()) {
        (Ok(order), _) => Some(order.session_id().ok_or(id)),
        (_, Ok(link)) => Some(link.session_id().ok_or(id)),
        _ => None,
    };
    let canonical = match alias {
        Some(Ok(session)) => Some(session),
        Some(Err(legacy)) => ctx.store.alias(legacy).await?,
        None => None,
    };
    if let Some(canonical) = canonical {
        let url = worker::Url::parse(&ctx.checkout_url(&canonical))
            .map_err(|e| ApiError::internal("url", e))?;
        return Ok(Response::redirect_with_status(url, 302)?);
    }
    let read = match sessions::find(ctx, id).await {
        Ok(read) => read,
        Err(e) if e.status == 404 => return http::html(404, not_found_page()),
        Err(e) => return Err(e),
    };
    http::html(200, render(ctx, &read.session, &read.merchant_name)?)
}

fn shell(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"data:,\">\
         <title>{title}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>"
    )
}

const STYLE: &str = "body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#111}\
main{max-width:420px;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}\
h1{font-size:1.25rem;margin:0 0 .25rem}.amount{font-size:1.5rem;font-weight:700;margin:.5rem 0 0}\
.etn{color:#444;margin:0 0 1rem}.qr{display:block;max-width:300px;margin:0 auto}.qr svg{width:100%;height:auto;display:block}\
.pay{display:block;text-align:center;margin:1rem 0;padding:.75rem;border-radius:8px;background:#0b57d0;color:#fff;text-decoration:none;font-weight:600}\
.status{padding:.5rem .75rem;border-radius:6px;background:#eef;margin:0 0 1rem}.cancel{color:#444}\
code{word-break:break-all;font-size:.85rem}\
.sandbox{font:inherit;width:100%;padding:.6rem;border:2px dashed #b06000;border-radius:8px;background:#fff8e1;color:#5f3b00;cursor:pointer}";

fn render(ctx: &Ctx, s: &Session, merchant_name: &str) -> ApiResult<String> {
    let state = s.state_at(ctx.now);
    let link = s.payment_string.deep_link();
    let qr = Qr::encode(&link)
        .map_err(|e| ApiError::internal("qr", e))?
        .to_svg();
    let label = format!(
        "QR code to pay {} ETN to outlet {}, payment {}",
        s.payment_string.amount(),
        s.payment_string.vendor().outlet().as_str(),
        s.payment_string.payment_id().as_str()
    );
    let qr = qr.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", escape(&label)),
        1,
    );
    // Until a session settles (open, needing review, or expired recently
    // enough that a late payment may still come) the widget tells its state:
    // it follows it live (status, what is still due, the QR code of the
    // remainder, the countdown, the redirect once paid). Without JavaScript
    // the same words, QR code and link still work.
    let sentence = status_sentence(s, state, merchant_name);
    let status = format!(
        "<p class=\"status\" role=\"status\" data-state=\"{state}\">{}</p>",
        escape(&sentence)
    );
    let followed = !s.settled_at(ctx.now);
    let (status, payment) = if followed {
        let qr = if state.is_open() {
            format!(
                "<a class=\"qr\" href=\"{link}\" tabindex=\"-1\">{qr}</a>\
                 <a class=\"pay\" href=\"{link}\">Pay with Electroneum</a>\
                 <p>Payment code: <code>{code}</code></p>",
                link = escape(&link),
                code = escape(&s.payment_string.to_string()),
            )
        } else {
            String::new()
        };
        (
            String::new(),
            format!(
                "<div class=\"widget\" data-checkout-session=\"{id}\"></div>\
                 <noscript>{status}{qr}</noscript>\
                 <script src=\"/widget.js\" defer></script>",
                id = s.id,
            ),
        )
    } else {
        (status, String::new())
    };
    let cancel = match &s.cancel_url {
        Some(url) if state.is_open() => {
            format!(
                "<p><a class=\"cancel\" href=\"{}\">Cancel and return to {}</a></p>",
                escape(url),
                escape(merchant_name)
            )
        }
        _ => String::new(),
    };
    // The sandbox pays test sessions only; live sessions never show this control.
    let sandbox = if s.mode == Mode::Test && state.is_open() {
        format!(
            "<form method=\"post\" action=\"/v1/sessions/{}/sandbox?scenario=payment&amp;redirect=1\">\
             <button class=\"sandbox\" type=\"submit\">Simulate payment (test mode)</button></form>",
            s.id
        )
    } else {
        String::new()
    };
    let test_badge = if s.mode == Mode::Test {
        " <small>(test mode)</small>"
    } else {
        ""
    };
    let body = format!(
        "<h1>{merchant}{test_badge}</h1>\
         <p class=\"amount\" data-testid=\"fiat\">{amount} {currency}</p>\
         <p class=\"etn\" data-testid=\"etn\">{etn} ETN</p>\
         {status}{payment}{sandbox}{cancel}",
        merchant = escape(merchant_name),
        amount = escape(&s.price.to_string()),
        currency = s.price.currency().code(),
        etn = s.etn_due(),
    );
    Ok(shell(
        &format!("Pay {} – {}", s.price, escape(merchant_name)),
        &body,
    ))
}

/// What the hosted page says of a session in `state`, in words: what is
/// still due, that a late payment waits for the merchant, that an excess or
/// what an unpaid session received will be refunded.
fn status_sentence(s: &Session, state: State, merchant_name: &str) -> String {
    let tally = s.tally();
    let (received, _) = tally.received();
    let total = s.etn_due();
    match state {
        State::Pending => "Waiting for payment".to_owned(),
        State::PartiallyPaid => format!(
            "Received {received} of {total} ETN. Still due: {} ETN.",
            s.payment_string.amount()
        ),
        State::NeedsReview => format!(
            "Your payment of {received} ETN arrived after this checkout expired. \
             {merchant_name} will confirm it."
        ),
        State::Paid => {
            let (excess, _) = tally.excess();
            if excess > rust_decimal::Decimal::ZERO {
                format!(
                    "Paid. Thank you! You paid {excess} ETN more than was due: \
                     {merchant_name} will refund it."
                )
            } else {
                "Paid. Thank you!".to_owned()
            }
        }
        State::Expired | State::Cancelled => {
            let ended = if state == State::Expired {
                "This checkout has expired."
            } else {
                "This checkout was cancelled."
            };
            if s.payments.is_empty() {
                ended.to_owned()
            } else {
                format!("{ended} {merchant_name} will refund the {received} ETN received.")
            }
        }
    }
}

fn not_found_page() -> String {
    shell(
        "Checkout not found",
        "<h1>Checkout not found</h1><p>This checkout link is not valid.</p>",
    )
}
