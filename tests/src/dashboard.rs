//! Signing in to the dashboard over HTTP, as a browser does: a one-time link
//! from a key, its page, its button, the cookie and the CSRF token.

use checkout_api::endpoint::{Endpoint, Method, DASHBOARD_ME};
use serde_json::{json, Value};

use crate::{call_raw, post, request, Reply};

/// A signed-in dashboard: its cookie and CSRF token.
pub struct Dashboard {
    pub cookie: String,
    pub csrf: String,
}

impl Dashboard {
    /// The dashboard a sign-in's answer (the 303 that sets the cookie) opened.
    pub fn from_sign_in(opened: &Reply) -> Dashboard {
        let cookie = cookie_of(opened);
        let me = call_raw(
            DASHBOARD_ME,
            &[],
            &[("Cookie", &format!("ec_dash={cookie}"))],
            None,
        );
        assert_eq!(me.status, 200, "{}", me.text);
        Dashboard {
            cookie,
            csrf: me.json()["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    pub fn cookie_header(&self) -> String {
        format!("ec_dash={}", self.cookie)
    }

    pub fn get(&self, path: &str) -> Reply {
        request("GET", path, &[("Cookie", &self.cookie_header())], None)
    }

    /// A state-changing request, with the CSRF token.
    pub fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let cookie = self.cookie_header();
        let mut headers = vec![
            ("Cookie", cookie.as_str()),
            ("X-CSRF-Token", self.csrf.as_str()),
        ];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let body = body.map(|b| b.to_string());
        request(method, path, &headers, body.as_deref().map(str::as_bytes))
    }

    /// A route by its constant, as [`Dashboard::get`] (a GET, with the cookie)
    /// or [`Dashboard::send`] (anything else, with the CSRF token too) sends it.
    pub fn call(&self, endpoint: Endpoint, params: &[&str], body: Option<&Value>) -> Reply {
        let path = endpoint.path_with(params);
        match endpoint.method {
            Method::Get => {
                assert!(body.is_none(), "a GET carries no body");
                self.get(&path)
            }
            method => self.send(method.as_str(), &path, body),
        }
    }
}

pub fn link(key: &str, body: &Value) -> Reply {
    post("/v1/dashboard/links", key, body)
}

/// A fresh sign-in link's URL for the merchant of `key`.
pub fn fresh_link(key: &str) -> String {
    let made = link(key, &json!({}));
    assert_eq!(made.status, 201, "{}", made.text);
    made.json()["url"].as_str().unwrap().to_owned()
}

/// The token of a sign-in URL.
pub fn token_of(url: &str) -> &str {
    url.split_once("token=").expect("a token in the URL").1
}

/// The path and query of a sign-in URL.
pub fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest[rest.find('/').unwrap()..].to_owned()
}

/// Opens a sign-in link as a browser does: its page (a GET, which spends
/// nothing), then the page's button (a POST of the form's token).
pub fn open(url: &str) -> Reply {
    let page = request("GET", &path_of(url), &[], None);
    if page.status != 200 {
        return page;
    }
    spend(form_token(&page.text), &[])
}

/// The token in the sign-in page's form (which must post to the sign-in page).
pub fn form_token(page: &str) -> &str {
    assert!(
        page.contains("<form method=\"post\" action=\"/dashboard/signin\">"),
        "{page}"
    );
    let start = page.find("name=\"token\" value=\"").expect("a token field") + 20;
    &page[start..start + page[start..].find('"').unwrap()]
}

/// The sign-in form's POST, as the page's button sends it.
pub fn spend(token: &str, headers: &[(&str, &str)]) -> Reply {
    post_form(&format!("token={token}"), headers)
}

/// A POST of a form body to the sign-in page.
pub fn post_form(body: &str, headers: &[(&str, &str)]) -> Reply {
    let mut all = vec![("Content-Type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    request("POST", "/dashboard/signin", &all, Some(body.as_bytes()))
}

pub fn cookie_of(reply: &Reply) -> String {
    let set = reply.header("set-cookie");
    set.strip_prefix("ec_dash=")
        .and_then(|v| v.split(';').next())
        .unwrap_or_else(|| panic!("no ec_dash cookie in {set:?}"))
        .to_owned()
}

pub fn sign_in(key: &str) -> Dashboard {
    let opened = open(&fresh_link(key));
    assert_eq!(opened.status, 303, "{}", opened.text);
    Dashboard::from_sign_in(&opened)
}
