//! Serving the dashboard under `/dashboard/` (wrangler.toml sends these paths to
//! the worker before the static assets):
//!
//! - `/dashboard/signin`: the sign-in page, rendered here; with `?token=` it
//!   opens a one-time link, sets the cookie and sends the browser on to the app;
//! - a file (`/dashboard/dashboard.js`, `.wasm`, `.css`): the built asset;
//! - any other path is a page of the single-page app: its `index.html` when the
//!   browser is signed in, else a redirect to the sign-in page.
//!
//! Every answer carries the dashboard's Content-Security-Policy (no inline script
//! or style, no framing), `nosniff` and `Referrer-Policy: no-referrer`.

use worker::{Env, Headers, Method, Request, Response};

use super::signin::{self, SIGNIN_PATH};
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

/// Serves one request for a dashboard path.
pub async fn serve(req: Request, env: &Env, ctx: &Ctx) -> ApiResult<Response> {
    if !matches!(req.method(), Method::Get | Method::Head) {
        return Err(ApiError::new(
            405,
            "method_not_allowed",
            "dashboard pages accept GET",
        ));
    }
    let url = req.url()?;
    let path = url.path();
    if path == SIGNIN_PATH {
        let token = url
            .query_pairs()
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned());
        // Only a GET spends a link: a HEAD (a link preview) shows the page.
        let token = token.filter(|_| req.method() == Method::Get);
        return sign_in(ctx, token.as_deref()).await;
    }
    if is_file_name(path.rsplit('/').next().unwrap_or_default()) {
        return asset(env, req).await;
    }
    if signin::session_of(ctx, &req).await?.is_none() {
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

/// `/dashboard/signin[?token=...]`
async fn sign_in(ctx: &Ctx, token: Option<&str>) -> ApiResult<Response> {
    let Some(token) = token else {
        return page(ctx, 200, None);
    };
    match signin::open_link(ctx, token).await {
        Ok(cookie) => redirect(
            &format!("{BASE}/"),
            Some(signin::set_cookie(ctx, Some(&cookie))),
        ),
        Err(e) if e.status == 401 => page(ctx, 401, Some(&e.message)),
        Err(e) => Err(e),
    }
}

/// The sign-in page: how to get a link, and why the last one failed.
fn page(ctx: &Ctx, status: u16, error: Option<&str>) -> ApiResult<Response> {
    let alert = error
        .map(|e| format!("<p class=\"alert error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Sign in – Edge Checkout</title>\
         <link rel=\"stylesheet\" href=\"{BASE}/dashboard.css\"></head>\
         <body><main class=\"signin\"><h1>Sign in to your dashboard</h1>{alert}\
         <p>The dashboard opens with a one-time link, valid for ten minutes.</p>\
         <p>Get one with your API key:</p>\
         <pre><code>checkout dashboard-link --key sk_test_...</code></pre>\
         <p>or from the API:</p>\
         <pre><code>curl -X POST {origin}/v1/dashboard/links -H \"Authorization: Bearer sk_test_...\"</code></pre>\
         <p>A test key signs into test data, a live key into live data.</p>\
         </main></body></html>",
        origin = escape(&ctx.origin),
    );
    http::html_with(status, body, DASHBOARD_CSP)
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
