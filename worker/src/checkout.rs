//! What the widget sees of a session: the public view
//! `/v1/sessions/{id}/public` it polls, and the WebSocket `/live` it follows.
//! (The hosted page itself is `hosted.rs`.)
//!
//! Both expose no secrets and no customer data. The public view is open to any
//! origin (CORS) and answers `If-None-Match` with 304, so polling is cheap.

use checkout_core::ids::SessionId;
use checkout_core::session::{Mode, Session, State};
use checkout_core::time::UnixSeconds;
use serde::Serialize;
use utoipa::ToSchema;
use worker::Response;

use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::route::{Call, Path};
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
    #[schema(value_type = i64)]
    pub expires_at: UnixSeconds,
    /// Only once paid: where the widget sends the shopper.
    pub return_url: Option<String>,
    pub cancel_url: Option<String>,
    pub mode: Mode,
}

impl PublicSession {
    /// The view of a session as of `now`.
    pub fn at(now: UnixSeconds, s: &Session, merchant_name: Option<String>) -> PublicSession {
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
pub async fn public_view(call: Call, Path(id): Path<SessionId>) -> ApiResult<Response> {
    let ctx = &call.ctx;
    let read = sessions::find(ctx, &id).await?;
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
pub async fn live(call: Call, Path(id): Path<SessionId>) -> ApiResult<Response> {
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
pub async fn preflight(_call: Call, Path(_id): Path<SessionId>) -> ApiResult<Response> {
    let r = Response::empty()?.with_status(204);
    r.headers().set("access-control-max-age", "86400")?;
    Ok(http::cors(r))
}
