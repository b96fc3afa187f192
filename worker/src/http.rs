//! HTTP plumbing shared by every route: body limits, content types, JSON and HTML
//! answers, CORS.

use serde::Serialize;
use worker::{Headers, Method, Request, Response};

use crate::error::{ApiError, ApiResult};

/// Largest request body accepted, in bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// The request's method, read as sent: `None` for a method the worker does not
/// serve (`PROPFIND`, `TRACE`, `get` in lower case...). workers-rs reads any
/// method it does not know as GET, which would serve `PROPFIND /v1/keys` as
/// a listing; the router asks here instead.
pub fn method(req: &Request) -> Option<Method> {
    Some(match req.inner().method().as_str() {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        "OPTIONS" => Method::Options,
        _ => return None,
    })
}

/// The answer to a `HEAD`: the `GET` answer's status and headers, no body.
pub fn without_body(response: Response) -> ApiResult<Response> {
    let status = response.status_code();
    let headers = response.headers().clone();
    Ok(Response::empty()?.with_status(status).with_headers(headers))
}

/// A 405 naming what the path accepts (`Allow`), with `HEAD` wherever `GET` is.
pub fn method_not_allowed(
    mut allowed: Vec<Method>,
    style: crate::error::ErrorStyle,
) -> worker::Result<Response> {
    if allowed.contains(&Method::Get) {
        allowed.push(Method::Head);
    }
    let mut names: Vec<&str> = allowed.iter().map(|m| m.as_ref()).collect();
    names.sort_unstable();
    names.dedup();
    let allow = names.join(", ");
    let response = ApiError::new(
        405,
        "method_not_allowed",
        format!("this route accepts {allow}"),
    )
    .into_response(style)?;
    response.headers().set("allow", &allow)?;
    Ok(response)
}

/// Refuses a body that is not declared as JSON (415).
pub fn require_json(req: &Request) -> ApiResult<()> {
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media != "application/json" {
        return Err(ApiError::new(
            415,
            "unsupported_media_type",
            "send the body as Content-Type: application/json",
        ));
    }
    Ok(())
}

/// The raw body, refusing more than [`MAX_BODY`] bytes.
pub async fn body_bytes(req: &mut Request) -> ApiResult<Vec<u8>> {
    body_within(req, MAX_BODY).await
}

/// The raw body, refusing more than `limit` bytes (413) before reading it: a
/// larger `Content-Length` is refused unread, and a body without one (chunked)
/// is read only until it passes the limit, so no client makes the worker hold
/// more than `limit` bytes of its body.
pub async fn body_within(req: &mut Request, limit: usize) -> ApiResult<Vec<u8>> {
    use futures_util::StreamExt;
    let declared = req.headers().get("content-length")?;
    if let Some(declared) = declared {
        match declared.trim().parse::<u64>() {
            Ok(n) if n > limit as u64 => return Err(too_large(limit)),
            Ok(_) => {}
            Err(_) => {
                return Err(ApiError::new(
                    400,
                    "content_length_invalid",
                    "Content-Length is not a number",
                ))
            }
        }
    }
    if req.inner().body().is_none() {
        return Ok(Vec::new());
    }
    let mut stream = req.stream()?;
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        413,
        "payload_too_large",
        format!("request body is larger than {limit} bytes"),
    )
}

/// A JSON answer.
pub fn json<T: Serialize>(status: u16, value: &T) -> ApiResult<Response> {
    let body = serde_json::to_string(value).map_err(|e| ApiError::internal("serialise", e))?;
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::ok(body)?
        .with_status(status)
        .with_headers(headers))
}

/// The Content-Security-Policy of the pages the worker renders (the hosted
/// checkout): scripts only from this origin (the widget, whose wasm needs
/// `'wasm-unsafe-eval'`), no framing (clickjacking); inline styles are allowed
/// for the page's own `<style>` and the widget's shadow-root styles.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The dashboard's: the same, without any inline style either.
pub const DASHBOARD_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
     manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The headers every page carries: its CSP, no MIME sniffing, no framing (also
/// for browsers without CSP 2), and no `Referer` (sign-in URLs carry a token,
/// checkout URLs a session id).
pub fn secure(headers: &Headers, csp: &str) -> ApiResult<()> {
    headers.set("content-security-policy", csp)?;
    headers.set("x-content-type-options", "nosniff")?;
    headers.set("x-frame-options", "DENY")?;
    headers.set("referrer-policy", "no-referrer")?;
    Ok(())
}

/// An HTML page the worker renders, under `csp`.
pub fn html_with(status: u16, body: String, csp: &str) -> ApiResult<Response> {
    let headers = Headers::new();
    headers.set("content-type", "text/html; charset=utf-8")?;
    headers.set("cache-control", "no-store")?;
    secure(&headers, csp)?;
    Ok(Response::ok(body)?
        .with_status(status)
        .with_headers(headers))
}

/// An HTML page of the hosted checkout.
pub fn html(status: u16, body: String) -> ApiResult<Response> {
    html_with(status, body, PAGE_CSP)
}

/// Lets any origin read the response (the public session view, the widget).
pub fn cors(response: Response) -> Response {
    let headers = response.headers().clone();
    let _ = headers.set("access-control-allow-origin", "*");
    let _ = headers.set("access-control-allow-methods", "GET, OPTIONS");
    let _ = headers.set("access-control-allow-headers", "If-None-Match");
    let _ = headers.set("access-control-expose-headers", "ETag");
    response.with_headers(headers)
}

/// Escapes text for HTML element content and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
