//! One attempt of a delivery over HTTP: the stored bytes signed afresh, sent
//! with redirects not followed, bounded in time (`TIMEOUT_MS` for the whole
//! attempt, `READ_MS` for the answer) and in what is read of the answer
//! (`EXCERPT`: the rest is cancelled, never read), and what came of it.

use std::time::Duration;

use checkout_core::time::UnixMillis;
use checkout_core::validate;
use checkout_core::webhook::{
    self, classify, AttemptError, Outcome, Trigger, EXCERPT, READ_MS, TIMEOUT_MS,
};
use futures_util::future::{select, Either};
use worker::{
    AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
};

use super::{Row, Settings};
use crate::account::endpoint::Open;
use crate::account::protocol::Attempt;

/// `Retry-After` in seconds (an HTTP date is not worth a calendar parser here).
fn retry_after(headers: &Headers) -> Option<i64> {
    headers
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse().ok())
}

/// What a failed fetch was, from the runtime's error text.
fn fetch_error(message: &str) -> AttemptError {
    let m = message.to_ascii_lowercase();
    if m.contains("tls") || m.contains("ssl") || m.contains("certificate") {
        AttemptError::Tls
    } else {
        AttemptError::Connect
    }
}

/// The first [`EXCERPT`] bytes of an answer (cut at a character), read
/// chunk by chunk; dropping the stream cancels what is left, so an endpoint
/// answering 200 MB costs no more than one answering 2 KB.
async fn excerpt(response: &mut worker::Response) -> Option<String> {
    use futures_util::StreamExt;
    let mut stream = response.stream().ok()?;
    let mut bytes = Vec::new();
    while bytes.len() < EXCERPT {
        match stream.next().await {
            Some(Ok(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    drop(stream);
    bytes.truncate(EXCERPT);
    Some(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            // A character cut at the end is left out; invalid bytes inside show as U+FFFD.
            if cut_character(&bytes[valid..]) {
                bytes.truncate(valid);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
    })
}

/// Whether bytes that are not UTF-8 are only the start of one character.
fn cut_character(rest: &[u8]) -> bool {
    rest.len() < 4
        && std::str::from_utf8(rest)
            .err()
            .is_some_and(|e| e.error_len().is_none())
}

/// Sends attempt `n` of a delivery: the stored bytes, signed afresh at
/// `now_ms`, to `url`.
pub async fn send(
    url: &str,
    row: &Row,
    secrets: &Open,
    settings: &Settings,
    trigger: Trigger,
    n: u32,
    now_ms: UnixMillis,
) -> (Attempt, Outcome) {
    let mut attempt = Attempt {
        n,
        at: now_ms,
        trigger,
        url: url.to_owned(),
        status: None,
        duration_ms: 0,
        response: None,
        error: None,
        headers: Vec::new(),
    };
    let blocked = |mut a: Attempt| {
        a.error = Some(AttemptError::BlockedUrl);
        (
            a,
            Outcome::Failed {
                error: AttemptError::BlockedUrl,
                retry_after: None,
                overloaded: false,
            },
        )
    };
    // Checked again at every send: the policy (or the URL) may have changed.
    if validate::url("url", url, settings.policy).is_err() {
        return blocked(attempt);
    }
    let signed = match webhook::signature_headers(
        &secrets.signers(),
        &row.event_id,
        now_ms.to_seconds(),
        row.body.as_bytes(),
    ) {
        Ok(h) => h,
        Err(e) => {
            worker::console_error!("outbox: signing secret: {e}");
            attempt.error = Some(AttemptError::Connect);
            return (
                attempt,
                Outcome::Failed {
                    error: AttemptError::Connect,
                    retry_after: None,
                    overloaded: false,
                },
            );
        }
    };
    let result: worker::Result<_> = async {
        let headers = Headers::new();
        headers.set("content-type", "application/json")?;
        headers.set(
            "user-agent",
            concat!("EdgeCheckout-Webhooks/", env!("CARGO_PKG_VERSION")),
        )?;
        for (name, value) in &signed {
            headers.set(name, value)?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_redirect(RequestRedirect::Manual)
            .with_body(Some(row.body.clone().into()));
        Request::new_with_init(url, &init)
    }
    .await;
    attempt.headers = signed
        .iter()
        .map(|(n, v)| ((*n).to_owned(), v.clone()))
        .collect();
    let request = match result {
        Ok(r) => r,
        Err(_) => return blocked(attempt),
    };
    let controller = AbortController::default();
    let signal = controller.signal();
    let clock = || UnixMillis(worker::Date::now().as_millis() as i64);
    let started = clock();
    let fetch = Fetch::Request(request);
    let sending = std::pin::pin!(fetch.send_with_signal(&signal));
    let timeout = std::pin::pin!(Delay::from(Duration::from_millis(TIMEOUT_MS as u64)));
    let (status, error, after) = match select(sending, timeout).await {
        Either::Left((Ok(mut response), timeout)) => {
            let status = response.status_code();
            let after = retry_after(response.headers());
            // The start of the answer, within what is left of the 10 s and
            // at most `READ_MS` more; the rest is cancelled unread.
            let window = std::pin::pin!(Delay::from(Duration::from_millis(READ_MS as u64)));
            let reading = std::pin::pin!(excerpt(&mut response));
            if let Either::Left((text, _)) = select(reading, select(timeout, window)).await {
                attempt.response = text;
            }
            controller.abort();
            (Some(status), None, after)
        }
        Either::Left((Err(e), _)) => (None, Some(fetch_error(&e.to_string())), None),
        Either::Right(_) => {
            controller.abort();
            (None, Some(AttemptError::Timeout), None)
        }
    };
    attempt.duration_ms = clock().since(started);
    attempt.status = status;
    let outcome = classify(status, error, after);
    attempt.error = match outcome {
        Outcome::Delivered => None,
        Outcome::Gone => Some(AttemptError::Status),
        Outcome::Failed { error, .. } => Some(error),
    };
    (attempt, outcome)
}
