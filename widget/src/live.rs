//! Live mode: a session followed over a WebSocket to its account object,
//! polling the public view as the fallback (no WebSocket, a dropped one), and
//! what each view shows.

use checkout_core::session::State;
use checkout_core::time::UnixSeconds;
use checkout_core::{EtnAmount, PaymentString};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::glue::{
    bind, clear_interval, fetch, hidden, parse, set_interval, set_timeout, then, with_page, Kind,
    Socket,
};
use crate::i18n::Text;
use crate::poll::{Outcome, Schedule};
use crate::render::{fill, local, push_countdown_text, render_payment, render_status};
use crate::Page;

/// A live session's state: its socket, and polling while there is none.
pub(crate) struct Live {
    pub(crate) session: String,
    /// The WebSocket that pushes the session's view, while one is open or
    /// opening.
    pub(crate) socket: Option<Socket>,
    /// Whether the socket has brought a view since it was opened: then no
    /// poll chain runs.
    pub(crate) pushed: bool,
    /// Sockets that closed or failed in a row (the reconnect backs off).
    pub(crate) drops: u32,
    /// The current poll chain; callbacks of older chains find no widget and stop.
    pub(crate) chain: u32,
    pub(crate) schedule: Schedule,
    pub(crate) etag: Option<String>,
    /// Whether the first poll has run (a hidden tab polls once, never again).
    pub(crate) polled: bool,
    /// The session ended: no more polls, not even when the tab comes back.
    pub(crate) ended: bool,
    pub(crate) expires_at: UnixSeconds,
    pub(crate) return_url: Option<String>,
    /// The countdown line while an open session (pending, partially paid)
    /// is shown.
    pub(crate) countdown: Option<Element>,
}

impl Drop for Live {
    /// A widget that goes (unmounted, or removed from the page) closes its
    /// socket: nothing stays open for a page that no longer shows it.
    fn drop(&mut self) {
        if let Some(socket) = self.socket.take() {
            socket.close();
        }
    }
}

/// The tab came back: every live widget that has not ended starts a new poll
/// chain (older chains stop when they find their number gone).
pub(crate) fn on_visible(page: &mut Page) {
    if hidden() {
        return;
    }
    let mut chains = Vec::new();
    let mut sockets = Vec::new();
    for i in 0..page.widgets.len() {
        let chain = page.next_serial();
        let id = page.widgets[i].id;
        if let Some(live) = page.widgets[i]
            .live
            .as_mut()
            .filter(|l| !l.ended && !l.pushed)
        {
            live.chain = chain;
            live.schedule = Schedule::default();
            chains.push(chain);
            if live.socket.is_none() {
                sockets.push(id);
            }
        }
    }
    for id in sockets {
        connect(page, id);
    }
    for chain in chains {
        tick(page, chain);
    }
}

/// The most a reconnect waits (ms).
pub(crate) const MAX_RECONNECT_MS: u32 = 60_000;

/// Opens widget `id`'s socket to the worker it came from
/// (`/v1/sessions/{id}/live`), unless one is open or the session ended; true
/// when one is opening. A browser without WebSockets, or a page that forbids
/// them, polls instead.
pub(crate) fn connect(page: &mut Page, id: u32) -> bool {
    let mut url = String::new();
    let origin = page.origin.as_str();
    match origin.strip_prefix("https://") {
        Some(host) => {
            url.push_str("wss://");
            url.push_str(host);
        }
        None => {
            url.push_str("ws://");
            url.push_str(origin.strip_prefix("http://").unwrap_or(origin));
        }
    }
    let Some(live) = page.by_id(id).and_then(|w| w.live.as_mut()) else {
        return false;
    };
    if live.ended || live.socket.is_some() {
        return false;
    }
    url.push_str("/v1/sessions/");
    url.push_str(&live.session);
    url.push_str("/live");
    let Ok(socket) = Socket::open(&url) else {
        return false;
    };
    socket.listen("message", &bind(Kind::Message, id));
    socket.listen("close", &bind(Kind::Closed, id));
    live.socket = Some(socket);
    live.pushed = false;
    true
}

/// A view pushed by the socket: the poll chain stops (the socket brings every
/// change from now on).
pub(crate) fn on_message(page: &mut Page, id: u32, event: &JsValue) {
    let chain = page.next_serial();
    let Some(w) = page.by_id(id) else { return };
    let Some(live) = w.live.as_mut() else { return };
    let view = Reflect::get(event, &"data".into())
        .ok()
        .and_then(|d| d.as_string())
        .and_then(|text| parse(&text).ok());
    let Some(view) = view else { return };
    live.pushed = true;
    live.drops = 0;
    live.chain = chain;
    show(page, chain, &view);
}

/// The socket closed: unless the session ended, poll at once (a change may
/// have come while it was down) and open it again after a growing wait.
pub(crate) fn on_closed(page: &mut Page, id: u32, _event: &JsValue) {
    let chain = page.next_serial();
    let Some(live) = page.by_id(id).and_then(|w| w.live.as_mut()) else {
        return;
    };
    live.socket = None;
    if live.ended {
        return;
    }
    let polling = !live.pushed;
    live.pushed = false;
    live.drops = live.drops.saturating_add(1);
    let wait = 1_000u32
        .saturating_mul(1 << live.drops.min(6))
        .min(MAX_RECONNECT_MS);
    if !polling {
        live.chain = chain;
        live.schedule = Schedule::default();
        tick(page, chain);
    }
    set_timeout(&bind(Kind::Reconnect, id), wait);
}

/// One poll of the public view, with `If-None-Match`.
pub(crate) fn tick(page: &mut Page, chain: u32) {
    let origin = page.origin.clone();
    let Some(live) = page.by_chain(chain).and_then(|w| w.live.as_mut()) else {
        return;
    };
    // The first poll always runs, so that a widget mounted in a hidden tab is not blank.
    if hidden() && live.polled {
        return;
    }
    live.polled = true;
    let mut url = origin;
    url.push_str("/v1/sessions/");
    url.push_str(&live.session);
    url.push_str("/public");
    let init = web_sys::RequestInit::new();
    if let Some(etag) = &live.etag {
        let headers = js_sys::Object::new();
        let _ = Reflect::set(&headers, &"If-None-Match".into(), &etag.into());
        init.set_headers(&headers);
    }
    then(
        &fetch(&url, &init),
        &bind(Kind::Response, chain),
        &bind(Kind::Failed, chain),
    );
}

pub(crate) fn on_response(page: &mut Page, chain: u32, response: &web_sys::Response) {
    let json = bind(Kind::Json, chain);
    let failed = bind(Kind::Failed, chain);
    let Some(live) = page.by_chain(chain).and_then(|w| w.live.as_mut()) else {
        return;
    };
    if let Ok(Some(etag)) = response.headers().get("etag") {
        live.etag = Some(etag);
    }
    match response.status() {
        304 => schedule(page, chain, Outcome::NotModified),
        200 => match response.json() {
            Ok(body) => then(&body, &json, &failed),
            Err(_) => on_failed(page, chain),
        },
        _ => on_failed(page, chain),
    }
}

pub(crate) fn on_failed(page: &mut Page, chain: u32) {
    let Some(w) = page.by_chain(chain) else {
        return;
    };
    if let Some(live) = w.live.as_mut() {
        live.countdown = None;
    }
    render_status(w, "retrying", w.lang.text(Text::Retrying));
    schedule(page, chain, Outcome::Failed);
}

/// The next poll of a chain, after the delay its schedule gives.
pub(crate) fn schedule(page: &mut Page, chain: u32, outcome: Outcome) {
    let next = bind(Kind::Tick, chain);
    let Some(live) = page.by_chain(chain).and_then(|w| w.live.as_mut()) else {
        return;
    };
    let delay = live.schedule.next(outcome);
    set_timeout(&next, delay);
}

pub(crate) fn text_field(json: &JsValue, name: &str) -> Option<String> {
    Reflect::get(json, &name.into()).ok()?.as_string()
}

/// An ETN amount of the view (`etn_received`...), if it is a plain decimal.
pub(crate) fn amount_field(json: &JsValue, name: &str) -> Option<EtnAmount> {
    text_field(json, name)?.parse().ok()
}

/// A new public view from a poll: render it, and go on polling unless the
/// session ended or its socket pushes views now.
pub(crate) fn on_json(page: &mut Page, chain: u32, json: &JsValue) {
    if show(page, chain, json) {
        schedule(page, chain, Outcome::Changed);
    }
}

/// Renders a public view (from a poll or the socket) in the widget of
/// `chain`; true while the session goes on. Open sessions (pending, partially
/// paid) show the payment card of what is still due, with a countdown; a
/// payment in review shows a status line and goes on (the merchant may accept
/// it: then it is paid); paid, expired and cancelled end it, unless the view
/// says `"ended": false` (an expired session a late payment may still reach).
pub(crate) fn show(page: &mut Page, chain: u32, json: &JsValue) -> bool {
    let status = text_field(json, "status").and_then(|s| State::from_wire(&s));
    let payment: Option<PaymentString> =
        text_field(json, "payment_string").and_then(|p| p.parse().ok());
    let expires_at = Reflect::get(json, &"expires_at".into())
        .ok()
        .and_then(|v| v.as_f64())
        .map_or(UnixSeconds(0), |t| UnixSeconds(t as i64));
    let return_url = text_field(json, "return_url")
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let received = amount_field(json, "etn_received");
    let followed = Reflect::get(json, &"ended".into())
        .ok()
        .and_then(|v| v.as_bool())
        == Some(false);
    let Some(w) = page.by_chain(chain) else {
        return false;
    };
    let (id, lang) = (w.id, w.lang);
    // Whether the payment card, with its countdown, is shown.
    let mut open = false;
    let ended = match (status, payment) {
        (Some(state), Some(payment)) if state.is_open() => {
            // What is due is the payment string's amount: the one under the QR code.
            let due = payment.amount();
            let sentence = match (state, received, amount_field(json, "etn_amount")) {
                (State::PartiallyPaid, Some(received), Some(total)) => fill(
                    lang.text(Text::PartiallyPaid),
                    &[
                        ("received", &local(lang, received)),
                        ("total", &local(lang, total)),
                        ("due", &local(lang, due)),
                    ],
                ),
                _ => lang.text(Text::Waiting).to_owned(),
            };
            render_payment(w, &payment, Some((state.as_str(), &sentence, expires_at)));
            open = true;
            false
        }
        (Some(State::Paid), _) => {
            let sentence = match amount_field(json, "etn_excess").filter(|e| e.cents() > 0) {
                Some(excess) => fill(
                    lang.text(Text::PaidOver),
                    &[("excess", &local(lang, excess))],
                ),
                None => lang.text(Text::Paid).to_owned(),
            };
            render_status(w, "paid", &sentence);
            if let Some(live) = w.live.as_mut() {
                live.return_url = return_url;
                if live.return_url.is_some() {
                    set_timeout(&bind(Kind::Redirect, id), 1500);
                }
            }
            true
        }
        (Some(State::NeedsReview), _) => {
            render_status(w, "needs_review", lang.text(Text::NeedsReview));
            false
        }
        (Some(State::Expired | State::Cancelled), _) => {
            let sentence = match received.filter(|r| r.cents() > 0) {
                Some(received) => fill(
                    lang.text(Text::EndedRefund),
                    &[("received", &local(lang, received))],
                ),
                None => lang.text(Text::Expired).to_owned(),
            };
            render_status(w, "expired", &sentence);
            true
        }
        // Open without a payment string, or a status this widget does not know.
        _ => {
            render_status(w, "retrying", lang.text(Text::Retrying));
            false
        }
    };
    let ended = ended && !followed;
    let countdown = if open {
        w.root.query_selector(".countdown").ok().flatten()
    } else {
        None
    };
    if let Some(live) = w.live.as_mut() {
        live.ended = ended;
        live.expires_at = expires_at;
        live.countdown = countdown;
    }
    if !open {
        stop_interval_if_idle(page);
    } else if page.interval.is_none() {
        page.interval = Some(set_interval(&bind(Kind::Second, 0), 1000));
    }
    !ended
}

/// Renders `view` in the live widget of `el` as a poll would; true while its
/// session goes on (false also when `el` is no live widget, or its session
/// ended). A hook for the component tests: not exported to JS, so the shipped
/// widget carries none of it.
#[doc(hidden)]
pub fn show_view(el: &Element, view: &JsValue) -> bool {
    with_page(|page| {
        let chain = page.widgets[page.index_of(el)?].live.as_ref()?.chain;
        Some(show(page, chain, view))
    })
    .flatten()
    .unwrap_or(false)
}

/// Every second: each shown countdown.
pub(crate) fn on_second(page: &mut Page) {
    for w in &page.widgets {
        if let Some((line, expires_at)) = w
            .live
            .as_ref()
            .and_then(|l| Some((l.countdown.as_ref()?, l.expires_at)))
        {
            let mut text = String::new();
            push_countdown_text(&mut text, w.lang, expires_at);
            line.set_text_content(Some(&text));
        }
    }
    stop_interval_if_idle(page);
}

pub(crate) fn stop_interval_if_idle(page: &mut Page) {
    let busy = page
        .widgets
        .iter()
        .any(|w| w.live.as_ref().is_some_and(|l| l.countdown.is_some()));
    if !busy {
        if let Some(id) = page.interval.take() {
            clear_interval(id);
        }
    }
}
