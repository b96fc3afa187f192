//! Shoppers following a session live. The hosted page and the widget open a
//! WebSocket at `GET /v1/sessions/{id}/live`; the worker hands the upgrade to
//! the session's account object, which accepts it with the hibernation API (a
//! shopper waiting on the QR code costs nothing while nothing happens), tags it
//! with the session id, sends the public view at once, and sends it again on
//! every change of the session, closing the socket once the session has ended.
//! A ping gets its pong from the runtime without waking the object.

use checkout_core::ids::SessionId;
use checkout_core::time::UnixSeconds;
use worker::{Request, Response, WebSocketPair, WebSocketRequestResponsePair};

use super::object::{now_ms, AccountObject, Handle, Scope};
use super::protocol::{DropLive, Failure, Ping, Refusal};
use super::sessions::Row;
use crate::checkout::PublicSession;

/// The object's path for an upgrade: `/live/{session id}`.
pub const PATH: &str = "live";

/// Whose object the worker meant (the object checks it is its own).
pub const OWNER_HEADER: &str = "x-account-owner";

/// What a client may send to learn the connection is alive, and its answer.
pub const PING: &str = "ping";
pub const PONG: &str = "pong";

/// The close code of a socket whose session ended: the client does not
/// reconnect.
pub const ENDED: u16 = 4000;

/// The public view of a session as of `now`, as the socket carries it.
fn view(row: &Row, now: UnixSeconds) -> String {
    let view = PublicSession::at(
        now,
        &row.stored.session,
        Some(row.stored.merchant_name.clone()),
    );
    serde_json::to_string(&view).unwrap_or_default()
}

fn not_found() -> worker::Result<Response> {
    Response::error("no such session", 404)
}

/// Accepts a shopper's WebSocket for `session` and sends the view at once.
pub async fn accept(
    object: &AccountObject,
    req: &Request,
    session: &str,
) -> worker::Result<Response> {
    crate::usage::count(crate::usage::Resource::ObjectRequest);
    let Ok(id) = session.parse::<SessionId>() else {
        return not_found();
    };
    if !req
        .headers()
        .get("upgrade")?
        .is_some_and(|u| u.eq_ignore_ascii_case("websocket"))
    {
        return Response::error("expected a WebSocket upgrade", 426);
    }
    let db = object.db();
    if !db.exists().unwrap_or(false) {
        return not_found();
    }
    if object.ready(&db).is_err() {
        return Response::error("storage unavailable", 503);
    }
    let row = match db.session(&id) {
        Ok(Some(row)) => row,
        Ok(None) => return not_found(),
        Err(_) => return Response::error("storage unavailable", 503),
    };
    let pair = WebSocketPair::new()?;
    object
        .state()
        .accept_websocket_with_tags(&pair.server, &[id.as_str()]);
    if let Ok(auto) = WebSocketRequestResponsePair::new(PING, PONG) {
        object.state().set_websocket_auto_response(&auto);
    }
    let now = now_ms().to_seconds();
    pair.server.send_with_str(view(&row, now))?;
    if row.stored.session.settled_at(now) {
        let _ = pair.server.close(Some(ENDED), Some("session ended"));
    }
    Response::from_websocket(pair.client)
}

/// Sends a session's new view to everyone following it; closes their sockets
/// once it has settled (paid, cancelled, or expired past the time a late
/// payment is still looked for: core's `Session::settled_at`).
pub fn push(object: &AccountObject, row: &Row, now: UnixSeconds) {
    let sockets = object
        .state()
        .get_websockets_with_tag(row.stored.session.id.as_str());
    if sockets.is_empty() {
        return;
    }
    let text = view(row, now);
    let ended = row.stored.session.settled_at(now);
    for ws in sockets {
        if ws.send_with_str(&text).is_ok() && ended {
            let _ = ws.close(Some(ENDED), Some("session ended"));
        }
    }
}

impl Handle for Ping {
    async fn handle(self, scope: &Scope<'_>) -> Result<(), Failure> {
        if !scope.config.dev {
            return Err(Refusal::DevOnly.into());
        }
        Ok(())
    }
}

impl Handle for DropLive {
    async fn handle(self, scope: &Scope<'_>) -> Result<u32, Failure> {
        if !scope.config.dev {
            return Err(Refusal::DevOnly.into());
        }
        let sockets = scope.state().get_websockets_with_tag(self.session.as_str());
        for ws in &sockets {
            let _ = ws.close(Some(1012), Some("dropped (dev)"));
        }
        Ok(sockets.len() as u32)
    }
}
