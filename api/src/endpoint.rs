//! The routes more than one crate names: the worker's route table serves each
//! at its method and path, and the dashboard's client and the end-to-end tests
//! call it there. One constant per route, so that they cannot disagree about a
//! path or a method (the routes no other crate of ours calls are written once,
//! in the worker's table). What each constant says is pinned by this module's
//! tests, against the documented API written out.

/// An HTTP method of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A route: its method, and its path with `{name}` for each parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
}

impl Endpoint {
    const fn new(method: Method, path: &'static str) -> Endpoint {
        Endpoint { method, path }
    }

    /// The path with its parameters filled in order by `params`, each
    /// percent-encoded (everything but RFC 3986's unreserved characters, and
    /// a lone `.` or `..`), so that no value can reach another route through
    /// `../` or `?`. A parameter `params` lacks is left empty.
    pub fn path_with(&self, params: &[&str]) -> String {
        let mut out = String::with_capacity(self.path.len() + 40);
        let mut rest = self.path;
        let mut values = params.iter();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
            out.push_str(&encode(values.next().copied().unwrap_or("")));
            rest = &rest[close..];
        }
        out.push_str(rest);
        out
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters: safe in a
/// query value and in a path segment.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    // A lone `.` or `..` segment would still be resolved by the URL parser.
    match out.as_str() {
        "." => "%2E".into(),
        ".." => "%2E%2E".into(),
        _ => out,
    }
}

use Method::{Delete, Get, Post, Put};

// The native API, as the dashboard calls it.
pub const ACCEPT_SESSION: Endpoint = Endpoint::new(Post, "/v1/sessions/{id}/accept");
pub const GET_BRAND: Endpoint = Endpoint::new(Get, "/v1/brand");
pub const PUT_BRAND: Endpoint = Endpoint::new(Put, "/v1/brand");
pub const GET_PAYMENT_POLICY: Endpoint = Endpoint::new(Get, "/v1/payment-policy");
pub const PUT_PAYMENT_POLICY: Endpoint = Endpoint::new(Put, "/v1/payment-policy");

// Keys.
pub const LIST_KEYS: Endpoint = Endpoint::new(Get, "/v1/keys");
pub const CREATE_KEY: Endpoint = Endpoint::new(Post, "/v1/keys");
pub const REVOKE_KEY: Endpoint = Endpoint::new(Delete, "/v1/keys/{id}");

// The dashboard's own reads and its sign-ins.
pub const DASHBOARD_ME: Endpoint = Endpoint::new(Get, "/v1/dashboard/me");
pub const DASHBOARD_SIGN_OUT: Endpoint = Endpoint::new(Post, "/v1/dashboard/signout");
pub const DASHBOARD_SIGN_INS: Endpoint = Endpoint::new(Get, "/v1/dashboard/signins");
pub const DASHBOARD_END_SIGN_IN: Endpoint = Endpoint::new(Delete, "/v1/dashboard/signins/{id}");
pub const DASHBOARD_END_SIGN_INS: Endpoint = Endpoint::new(Delete, "/v1/dashboard/signins");
pub const DASHBOARD_OVERVIEW: Endpoint = Endpoint::new(Get, "/v1/dashboard/overview");
pub const DASHBOARD_SESSIONS: Endpoint = Endpoint::new(Get, "/v1/dashboard/sessions");
pub const DASHBOARD_SESSION: Endpoint = Endpoint::new(Get, "/v1/dashboard/sessions/{id}");
pub const DASHBOARD_WALLETS: Endpoint = Endpoint::new(Get, "/v1/dashboard/wallets");
pub const DASHBOARD_WALLET: Endpoint = Endpoint::new(Get, "/v1/dashboard/wallets/{id}");

// webhook-forwarding-api and our webhook operations.
pub const GET_WEBHOOK_CONFIG: Endpoint = Endpoint::new(Get, "/api/v2/webhooks/config");
pub const PUT_WEBHOOK_CONFIG: Endpoint = Endpoint::new(Put, "/api/v2/webhooks/config");
pub const DELETE_WEBHOOK_CONFIG: Endpoint = Endpoint::new(Delete, "/api/v2/webhooks/config");
pub const ROTATE_WEBHOOK_SECRET: Endpoint = Endpoint::new(Post, "/api/v2/webhooks/config/rotate");
pub const WEBHOOK_EVENTS: Endpoint = Endpoint::new(Get, "/api/v2/webhooks/events");
pub const WEBHOOK_EVENT: Endpoint = Endpoint::new(Get, "/api/v2/webhooks/events/{id}");
pub const REDELIVER_WEBHOOK_EVENT: Endpoint =
    Endpoint::new(Post, "/api/v2/webhooks/events/{id}/redeliver");
pub const RECOVER_WEBHOOKS: Endpoint = Endpoint::new(Post, "/api/v2/webhooks/recover");
pub const SEND_TEST_WEBHOOK: Endpoint = Endpoint::new(Post, "/api/v2/webhooks/test");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_filled_in_order_and_encoded() {
        assert_eq!(
            REDELIVER_WEBHOOK_EVENT.path_with(&["evt 1/../x"]),
            "/api/v2/webhooks/events/evt%201%2F..%2Fx/redeliver"
        );
        assert_eq!(REVOKE_KEY.path_with(&[".."]), "/v1/keys/%2E%2E");
        assert_eq!(LIST_KEYS.path_with(&[]), "/v1/keys");
        assert_eq!(DASHBOARD_SESSION.path_with(&[]), "/v1/dashboard/sessions/");
    }

    /// The public contract, written out: the one deliberate repeat of every
    /// constant's method and path. It is the independent oracle of the
    /// documented API (the webhook-forwarding API's seed paths,
    /// `/api/v2/webhooks/...`, and our own routes as the README documents
    /// them): the worker, the dashboard and the end-to-end tests all follow
    /// the constants, so a constant changed by accident fails only here.
    #[test]
    fn every_route_is_at_its_documented_method_and_path() {
        let documented = [
            (ACCEPT_SESSION, "POST", "/v1/sessions/{id}/accept"),
            (GET_BRAND, "GET", "/v1/brand"),
            (PUT_BRAND, "PUT", "/v1/brand"),
            (GET_PAYMENT_POLICY, "GET", "/v1/payment-policy"),
            (PUT_PAYMENT_POLICY, "PUT", "/v1/payment-policy"),
            (LIST_KEYS, "GET", "/v1/keys"),
            (CREATE_KEY, "POST", "/v1/keys"),
            (REVOKE_KEY, "DELETE", "/v1/keys/{id}"),
            (DASHBOARD_ME, "GET", "/v1/dashboard/me"),
            (DASHBOARD_SIGN_OUT, "POST", "/v1/dashboard/signout"),
            (DASHBOARD_SIGN_INS, "GET", "/v1/dashboard/signins"),
            (
                DASHBOARD_END_SIGN_IN,
                "DELETE",
                "/v1/dashboard/signins/{id}",
            ),
            (DASHBOARD_END_SIGN_INS, "DELETE", "/v1/dashboard/signins"),
            (DASHBOARD_OVERVIEW, "GET", "/v1/dashboard/overview"),
            (DASHBOARD_SESSIONS, "GET", "/v1/dashboard/sessions"),
            (DASHBOARD_SESSION, "GET", "/v1/dashboard/sessions/{id}"),
            (DASHBOARD_WALLETS, "GET", "/v1/dashboard/wallets"),
            (DASHBOARD_WALLET, "GET", "/v1/dashboard/wallets/{id}"),
            (GET_WEBHOOK_CONFIG, "GET", "/api/v2/webhooks/config"),
            (PUT_WEBHOOK_CONFIG, "PUT", "/api/v2/webhooks/config"),
            (DELETE_WEBHOOK_CONFIG, "DELETE", "/api/v2/webhooks/config"),
            (
                ROTATE_WEBHOOK_SECRET,
                "POST",
                "/api/v2/webhooks/config/rotate",
            ),
            (WEBHOOK_EVENTS, "GET", "/api/v2/webhooks/events"),
            (WEBHOOK_EVENT, "GET", "/api/v2/webhooks/events/{id}"),
            (
                REDELIVER_WEBHOOK_EVENT,
                "POST",
                "/api/v2/webhooks/events/{id}/redeliver",
            ),
            (RECOVER_WEBHOOKS, "POST", "/api/v2/webhooks/recover"),
            (SEND_TEST_WEBHOOK, "POST", "/api/v2/webhooks/test"),
        ];
        for (endpoint, method, path) in documented {
            assert_eq!(
                (endpoint.method.as_str(), endpoint.path),
                (method, path),
                "a route of the documented API moved"
            );
        }
        // Every constant is in the list: a new route is pinned when it is added.
        let declared = include_str!("endpoint.rs")
            .lines()
            .filter(|line| line.starts_with("pub const "))
            .count();
        assert_eq!(documented.len(), declared, "a constant is not pinned above");
    }
}
