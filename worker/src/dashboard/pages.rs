//! Serving the dashboard under `/dashboard/` (wrangler.toml sends these paths to
//! the worker before the static assets):
//!
//! - `/dashboard/signin`: the sign-in page, rendered here; with `?token=` it
//!   shows whom a one-time link signs in as and a button, whose POST spends the
//!   link, sets the cookie and sends the browser on to the app;
//! - a file (`/dashboard/dashboard.js`, `.wasm`, `.css`): the built asset;
//! - any other path is a page of the single-page app: its `index.html` when the
//!   browser is signed in, else a redirect to the sign-in page.
//!
//! Every answer carries the dashboard's Content-Security-Policy (no inline script
//! or style, no framing), `nosniff` and `Referrer-Policy: no-referrer`.

use checkout_core::session::Mode;
use worker::{Env, Headers, Method, Request, Response};

use super::signin::{self, SIGNIN_PATH, TOKEN_FIELD};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::http::{self, escape, DASHBOARD_CSP};

/// The static assets binding (wrangler.toml `[assets] binding`).
const ASSETS: &str = "ASSETS";

/// Where the app's files are, in the assets.
pub const BASE: &str = "/dashboard";

/// Whether a path is the dashboard's.
pub fn owns(path: &str) -> bool {
    path == BASE || path.starts_with("/dashboard/")
}

/// The methods a dashboard path accepts (`HEAD` too, wherever `GET` is).
pub fn methods(path: &str) -> Vec<Method> {
    if path == SIGNIN_PATH {
        vec![Method::Get, Method::Post]
    } else {
        vec![Method::Get]
    }
}

/// Serves one request for a dashboard path (`method` as the router read it).
pub async fn serve(req: Request, method: Method, env: &Env, ctx: &Ctx) -> ApiResult<Response> {
    let url = req.url()?;
    let path = url.path();
    if path == SIGNIN_PATH {
        return match method {
            Method::Post => spend_link(req, ctx).await,
            Method::Get | Method::Head => {
                let token = url
                    .query_pairs()
                    .find(|(k, _)| k == TOKEN_FIELD)
                    .map(|(_, v)| v.into_owned());
                show_link(ctx, token.as_deref()).await
            }
            _ => Err(ApiError::new(
                405,
                "method_not_allowed",
                "the sign-in page accepts GET and POST",
            )),
        };
    }
    if !matches!(method, Method::Get | Method::Head) {
        return Err(ApiError::new(
            405,
            "method_not_allowed",
            "dashboard pages accept GET",
        ));
    }
    if is_file_name(path.rsplit('/').next().unwrap_or_default()) {
        return asset(env, req).await;
    }
    if crate::auth::session_of(ctx, &req).await?.is_none() {
        return redirect(SIGNIN_PATH, None);
    }
    // The app's shell, whatever the path: the router in the browser reads it.
    let assets = env.assets(ASSETS)?;
    let shell = assets
        .fetch(
            format!("{}{BASE}/", url.origin().ascii_serialization()),
            None,
        )
        .await?;
    if shell.status_code() != 200 {
        return Err(ApiError::unavailable(
            "dashboard_not_built",
            "the dashboard's files are missing (cargo xtask build)",
            60,
        ));
    }
    secured(shell, "no-store")
}

/// Whether the last segment of a path names one of the built files
/// (`dashboard_bg.wasm`), rather than a page of the app whose id happens to
/// hold a dot (`/dashboard/sessions/..%2Fkeys` is the app's, which answers
/// "no such session").
fn is_file_name(segment: &str) -> bool {
    let Some((stem, extension)) = segment.rsplit_once('.') else {
        return false;
    };
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
    };
    plain(stem) && plain(extension) && !stem.starts_with('.') && !segment.contains("..")
}

/// A failure under `/dashboard/`, with the dashboard's headers.
pub fn error(e: ApiError) -> worker::Result<Response> {
    let response = e.into_response(crate::error::ErrorStyle::Plain)?;
    let headers = response.headers().clone();
    let _ = http::secure(&headers, DASHBOARD_CSP);
    Ok(response.with_headers(headers))
}

/// A built file, with the dashboard's headers; revalidated on every use (the
/// names carry no hash).
async fn asset(env: &Env, req: Request) -> ApiResult<Response> {
    let response = env.assets(ASSETS)?.fetch_request(req).await?;
    secured(response, "no-cache")
}

/// The same response with the dashboard's security headers added (a fetched
/// response's own headers cannot be changed).
fn secured(response: Response, cache: &str) -> ApiResult<Response> {
    let headers = Headers::new();
    for (name, value) in response.headers().entries() {
        headers.set(&name, &value)?;
    }
    headers.set("cache-control", cache)?;
    http::secure(&headers, DASHBOARD_CSP)?;
    Ok(response.with_headers(headers))
}

fn redirect(location: &str, cookie: Option<String>) -> ApiResult<Response> {
    let headers = Headers::new();
    headers.set("location", location)?;
    headers.set("cache-control", "no-store")?;
    if let Some(cookie) = cookie {
        headers.set("set-cookie", &cookie)?;
    }
    http::secure(&headers, DASHBOARD_CSP)?;
    Ok(Response::empty()?.with_status(303).with_headers(headers))
}

/// `GET /dashboard/signin[?token=...]`: how to get a link; with a link, whom it
/// signs in as and the button that spends it. Spends nothing: chat previews and
/// mail scanners fetch links before their reader does.
async fn show_link(ctx: &Ctx, token: Option<&str>) -> ApiResult<Response> {
    let Some(token) = token else {
        return page(ctx, 200, None);
    };
    match signin::preview_link(ctx, token).await {
        Ok((merchant, mode)) => {
            let data = match mode {
                Mode::Test => "test data",
                Mode::Live => "live data",
            };
            let body = signin_document(&format!(
                "<p>This link signs you in to <strong>{merchant}</strong>, {data}.</p>\
                 <form method=\"post\" action=\"{SIGNIN_PATH}\">\
                 <input type=\"hidden\" name=\"{TOKEN_FIELD}\" value=\"{token}\">\
                 <button type=\"submit\">Continue to the dashboard</button></form>\
                 <p>The link works once.</p>",
                merchant = escape(&merchant),
                token = escape(token),
            ));
            http::html_with(200, body, DASHBOARD_CSP)
        }
        Err(e) if e.status == 401 => page(ctx, 401, Some(&e.message)),
        Err(e) => Err(e),
    }
}

/// Why a sign-in from another site is refused.
const CROSS_SITE: &str = "This sign-in came from another site. Open your sign-in link again.";

/// Why a sign-in form without a token is refused.
const NO_TOKEN: &str = "This sign-in form carries no link. Open your sign-in link again.";

/// The most a sign-in form may send (its one field is a 47-character token).
const FORM_LIMIT: usize = 1024;

/// Why a sign-in form that large is refused.
const TOO_LARGE: &str = "This sign-in form is too large. Open your sign-in link again.";

/// `POST /dashboard/signin` (the button of [`show_link`]): spends the link,
/// sets the cookie and goes on to the app. Only from this site's own page:
/// another site may not sign a browser into an account of its choosing.
async fn spend_link(mut req: Request, ctx: &Ctx) -> ApiResult<Response> {
    if from_another_site(&req, ctx)? {
        return page(ctx, 403, Some(CROSS_SITE));
    }
    let body = match http::body_within(&mut req, FORM_LIMIT).await {
        Ok(body) => body,
        Err(e) if e.status == 413 => return page(ctx, 413, Some(TOO_LARGE)),
        Err(e) => return Err(e),
    };
    let token = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == TOKEN_FIELD)
        .map(|(_, v)| v.into_owned())
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return page(ctx, 400, Some(NO_TOKEN));
    };
    match signin::open_link(ctx, &token).await {
        Ok(cookie) => redirect(
            &format!("{BASE}/"),
            Some(signin::set_cookie(ctx, Some(&cookie))),
        ),
        Err(e) if e.status == 401 => page(ctx, 401, Some(&e.message)),
        Err(e) => Err(e),
    }
}

/// Whether a browser says the request came from another site: `Sec-Fetch-Site`
/// other than same-origin, or an `Origin` other than ours. (`Origin: null` is
/// what our own page sends under `Referrer-Policy: no-referrer`; a client that
/// is not a browser sends neither.)
fn from_another_site(req: &Request, ctx: &Ctx) -> ApiResult<bool> {
    let headers = req.headers();
    let site = headers.get("sec-fetch-site")?;
    let origin = headers.get("origin")?;
    Ok(site.is_some_and(|s| s != "same-origin")
        || origin.is_some_and(|o| o != "null" && o != ctx.origin))
}

/// The sign-in page: how to get a link, and why the last one failed.
fn page(ctx: &Ctx, status: u16, error: Option<&str>) -> ApiResult<Response> {
    let alert = error
        .map(|e| format!("<p class=\"alert error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    let body = signin_document(&format!(
        "{alert}<p>The dashboard opens with a one-time link, valid for ten minutes.</p>\
         <p>Get one with your API key:</p>\
         <pre><code>checkout dashboard-link --key sk_test_...</code></pre>\
         <p>or from the API:</p>\
         <pre><code>curl -X POST {origin}/v1/dashboard/links -H \"Authorization: Bearer sk_test_...\"</code></pre>\
         <p>A test key signs into test data, a live key into live data.</p>",
        origin = escape(&ctx.origin),
    ));
    http::html_with(status, body, DASHBOARD_CSP)
}

/// The sign-in pages' document around `content` (already escaped): the
/// dashboard's stylesheet, no script.
fn signin_document(content: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Sign in – Edge Checkout</title>\
         <link rel=\"stylesheet\" href=\"{BASE}/dashboard.css\"></head>\
         <body><main class=\"signin\"><h1>Sign in to your dashboard</h1>{content}\
         </main></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::{is_file_name, owns};

    #[test]
    fn only_plain_file_names_are_assets() {
        assert!(is_file_name("dashboard_bg.wasm"));
        assert!(is_file_name("dashboard.css"));
        assert!(!is_file_name("sessions"));
        assert!(!is_file_name("cs_abc"));
        assert!(!is_file_name("..%2Fkeys"));
        assert!(!is_file_name(".env"));
        assert!(!is_file_name("a..b"));
        assert!(!is_file_name("x."));
    }

    #[test]
    fn only_dashboard_paths_are_the_dashboards() {
        assert!(owns("/dashboard"));
        assert!(owns("/dashboard/"));
        assert!(owns("/dashboard/sessions/ses_1"));
        assert!(!owns("/dashboards"));
        assert!(!owns("/v1/dashboard/me"));
    }
}
