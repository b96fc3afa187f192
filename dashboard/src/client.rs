//! Typed calls to the public HTTP API: one function per route the dashboard
//! uses, each taking and returning the wire types of `checkout_api`, so that the
//! worker (which writes them) and the app (which reads them) cannot disagree on
//! a field name. No JSON is written by hand here: bodies are serialised request
//! types, query strings are serialised query types.
//!
//! The browser's own `fetch` carries the sign-in cookie (same origin); every
//! state-changing request adds the `X-CSRF-Token` that `GET /v1/dashboard/me`
//! returned. A 401 means the sign-in ended: the page goes to the sign-in page.
//!
//! Plain web-sys rather than gloo-net or reqwest: the dashboard needs `fetch`,
//! a header map and the body text, which web-sys gives directly, and every
//! dependency is wasm the merchant downloads.

use std::cell::RefCell;

use checkout_api::brand::{Brand, PutBrand};
use checkout_api::dashboard::{
    Me, Overview, PaymentPolicyForm, SessionDetail, SessionPage, SessionsQuery, SignInList,
    SignedOut, WalletDetail, WalletList,
};
use checkout_api::error::ErrorBody;
use checkout_api::keys::{IssuedKey, KeyList, KeyMeta};
use checkout_api::webhooks::{
    Deleted, Delivery, DeliveryList, EventsQuery, RecoverRequest, Recovered, RotatedSecret,
    WebhookConfig, WebhookConfigRequest,
};
use checkout_core::policy::PaymentPolicy;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where the worker serves its sign-in page; the app sends a signed-out
/// merchant there.
pub const SIGN_IN: &str = "/dashboard/signin";

/// Why a call failed, in the terms the page shows.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 401: the sign-in ended (or never was). The page is already on its way to
    /// the sign-in page.
    SignedOut,
    /// The API refused, with its error body (`field` names the input at fault).
    Api {
        status: u16,
        code: String,
        message: String,
        field: Option<String>,
    },
    /// No answer at all: offline, or the worker is down.
    Network(String),
    /// An answer the app cannot read (a proxy's HTML page, a version mismatch).
    Unexpected { status: u16, detail: String },
}

impl ApiError {
    /// The HTTP status, if the API answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::SignedOut => Some(401),
            ApiError::Api { status, .. } | ApiError::Unexpected { status, .. } => Some(*status),
            ApiError::Network(_) => None,
        }
    }

    /// The API's stable error code (`not_found`), if it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The offending input's name in the API's own spelling (`url`,
    /// `event_types[1]`), if the API named one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Api { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Whether the thing asked for does not exist (or belongs to someone else:
    /// the API answers both the same way).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// A sentence for the merchant.
    pub fn message(&self) -> String {
        match self {
            ApiError::SignedOut => "Your sign-in has ended. Opening the sign-in page…".into(),
            ApiError::Api { message, code, .. } => format!("{message} ({code})"),
            ApiError::Network(detail) => {
                format!("The dashboard could not reach the server: {detail}. Check your connection and try again.")
            }
            ApiError::Unexpected { status, detail } => {
                format!("The server answered {status} with something the dashboard cannot read: {detail}")
            }
        }
    }
}

/// Reads an answer: a 2xx body as `T`, anything else as the API's error body.
/// Pure, so that it is tested natively.
pub fn decode<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(text).map_err(|e| ApiError::Unexpected {
            status,
            detail: e.to_string(),
        });
    }
    if status == 401 {
        return Err(ApiError::SignedOut);
    }
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => Err(ApiError::Api {
            status,
            code: body.error.code,
            message: body.error.message,
            field: body.error.field,
        }),
        Err(_) => Err(ApiError::Unexpected {
            status,
            detail: text.chars().take(200).collect(),
        }),
    }
}

/// `?a=1&b=x%20y` from a query type's fields (absent ones are skipped by the
/// type's own `skip_serializing_if`), in the type's wire names.
pub fn query_string<Q: Serialize>(query: &Q) -> String {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(query) else {
        return String::new();
    };
    let mut out = String::new();
    for (name, value) in fields {
        let text = match value {
            serde_json::Value::String(s) if !s.is_empty() => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        out.push(if out.is_empty() { '?' } else { '&' });
        out.push_str(&encode(&name));
        out.push('=');
        out.push_str(&encode(&text));
    }
    out
}

pub use checkout_api::endpoint::encode;
use checkout_api::endpoint::{self as at, Endpoint};

thread_local! {
    /// The sign-in's CSRF token, from `me`; sent with every non-GET request.
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Sends the sign-in page's way when a call finds the sign-in gone, or when
/// the page itself ended it.
pub fn go_to_sign_in() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(SIGN_IN);
    }
}

fn js_error(e: JsValue) -> ApiError {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the request failed".into());
    ApiError::Network(text)
}

/// One request: `body` is JSON text made by serde from a request type. Not
/// generic, so that the fetch machinery exists once in the wasm, whatever the
/// answer's type; [`send`] decodes.
async fn fetch_text(
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<(u16, String), ApiError> {
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let headers = web_sys::Headers::new().map_err(js_error)?;
    headers
        .set("Accept", "application/json")
        .map_err(js_error)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    if method != "GET" {
        let token = CSRF.with(|t| t.borrow().clone());
        headers.set("X-CSRF-Token", &token).map_err(js_error)?;
    }
    if let Some(body) = body {
        headers
            .set("Content-Type", "application/json")
            .map_err(js_error)?;
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(js_error)?
        .unchecked_into();
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(js_error)?)
        .await
        .map_err(js_error)?
        .as_string()
        .unwrap_or_default();
    if status == 401 {
        go_to_sign_in();
    }
    Ok((status, text))
}

async fn send<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<T, ApiError> {
    let (status, text) = fetch_text(method, path, body).await?;
    decode(status, &text)
}

/// A call of `endpoint` with its path parameters, without a body.
async fn call<T: DeserializeOwned>(endpoint: Endpoint, params: &[&str]) -> Result<T, ApiError> {
    send(endpoint.method.as_str(), &endpoint.path_with(params), None).await
}

/// A call of `endpoint` with `query` (a query string from [`query_string`]).
async fn call_with_query<T: DeserializeOwned>(
    endpoint: Endpoint,
    query: &str,
) -> Result<T, ApiError> {
    let mut path = endpoint.path_with(&[]);
    path.push_str(query);
    send(endpoint.method.as_str(), &path, None).await
}

/// A call of `endpoint` with `body` serialised as JSON.
async fn call_json<T: DeserializeOwned, B: Serialize>(
    endpoint: Endpoint,
    body: &B,
) -> Result<T, ApiError> {
    send_json(endpoint.method.as_str(), &endpoint.path_with(&[]), body).await
}

/// `method` with `body` serialised as JSON.
async fn send_json<T: DeserializeOwned, B: Serialize>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let text = serde_json::to_string(body).map_err(|e| ApiError::Unexpected {
        status: 0,
        detail: e.to_string(),
    })?;
    send(method, path, Some(text)).await
}

/// Who is signed in; remembers the CSRF token for the calls that follow.
pub async fn me() -> Result<Me, ApiError> {
    let me: Me = call(at::DASHBOARD_ME, &[]).await?;
    CSRF.with(|t| *t.borrow_mut() = me.csrf_token.clone());
    Ok(me)
}

pub async fn sign_out() -> Result<SignedOut, ApiError> {
    call(at::DASHBOARD_SIGN_OUT, &[]).await
}

pub async fn overview() -> Result<Overview, ApiError> {
    call(at::DASHBOARD_OVERVIEW, &[]).await
}

pub async fn sessions(query: &SessionsQuery) -> Result<SessionPage, ApiError> {
    call_with_query(at::DASHBOARD_SESSIONS, &query_string(query)).await
}

pub async fn session(id: &str) -> Result<SessionDetail, ApiError> {
    call(at::DASHBOARD_SESSION, &[id]).await
}

/// Accepts a session that needs review, or one partially paid, as paid
/// (recorded as accepted by `dashboard`). The answer is the native API's
/// session, which is not a shared wire type: the page reads the dashboard's
/// own view again instead.
pub async fn accept(id: &str) -> Result<(), ApiError> {
    let _: IgnoredAny = call(at::ACCEPT_SESSION, &[id]).await?;
    Ok(())
}

/// The payment policy of the sign-in's mode.
pub async fn payment_policy() -> Result<PaymentPolicy, ApiError> {
    call(at::GET_PAYMENT_POLICY, &[]).await
}

/// Replaces the payment policy of the sign-in's mode; answers the stored one.
pub async fn save_payment_policy(form: &PaymentPolicyForm) -> Result<PaymentPolicy, ApiError> {
    call_json(at::PUT_PAYMENT_POLICY, form).await
}

/// The hosted checkout's brand in the sign-in's mode.
pub async fn brand() -> Result<Brand, ApiError> {
    call(at::GET_BRAND, &[]).await
}

/// Replaces the brand of the sign-in's mode (an absent field is unset);
/// answers the stored one.
pub async fn save_brand(form: &PutBrand) -> Result<Brand, ApiError> {
    call_json(at::PUT_BRAND, form).await
}

pub async fn wallets() -> Result<WalletList, ApiError> {
    call(at::DASHBOARD_WALLETS, &[]).await
}

pub async fn wallet(id: &str) -> Result<WalletDetail, ApiError> {
    call(at::DASHBOARD_WALLET, &[id]).await
}

pub async fn keys() -> Result<KeyList, ApiError> {
    call(at::LIST_KEYS, &[]).await
}

/// A new key in the sign-in's mode (empty body: `/v1/keys` takes the mode from
/// the caller).
pub async fn create_key() -> Result<IssuedKey, ApiError> {
    call(at::CREATE_KEY, &[]).await
}

pub async fn revoke_key(id: &str) -> Result<KeyMeta, ApiError> {
    call(at::REVOKE_KEY, &[id]).await
}

/// The open dashboard sign-ins of the sign-in's mode, newest first; the one
/// asking is marked `current`.
pub async fn sign_ins() -> Result<SignInList, ApiError> {
    call(at::DASHBOARD_SIGN_INS, &[]).await
}

/// Ends one sign-in (`Some(id)`: that browser is signed out at once; 404 if
/// it is not open any more), or every one of the sign-in's mode (`None`), this
/// browser's too. The answer (`SignInsEnded`) is read for its status only:
/// the page reads the list again, and decoding a count nobody shows would
/// weigh on the wasm.
pub async fn end_sign_ins(id: Option<&str>) -> Result<(), ApiError> {
    let _: IgnoredAny = match id {
        Some(id) => call(at::DASHBOARD_END_SIGN_IN, &[id]).await?,
        None => call(at::DASHBOARD_END_SIGN_INS, &[]).await?,
    };
    Ok(())
}

/// The endpoint configuration, or `None` when there is none yet (404).
pub async fn webhook_config() -> Result<Option<WebhookConfig>, ApiError> {
    match call(at::GET_WEBHOOK_CONFIG, &[]).await {
        Ok(config) => Ok(Some(config)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn save_webhook_config(
    request: &WebhookConfigRequest,
) -> Result<WebhookConfig, ApiError> {
    call_json(at::PUT_WEBHOOK_CONFIG, request).await
}

pub async fn delete_webhook_config() -> Result<Deleted, ApiError> {
    call(at::DELETE_WEBHOOK_CONFIG, &[]).await
}

pub async fn rotate_secret() -> Result<RotatedSecret, ApiError> {
    call(at::ROTATE_WEBHOOK_SECRET, &[]).await
}

pub async fn events(query: &EventsQuery) -> Result<DeliveryList, ApiError> {
    call_with_query(at::WEBHOOK_EVENTS, &query_string(query)).await
}

pub async fn event(id: &str) -> Result<Delivery, ApiError> {
    call(at::WEBHOOK_EVENT, &[id]).await
}

pub async fn redeliver(id: &str) -> Result<Delivery, ApiError> {
    call(at::REDELIVER_WEBHOOK_EVENT, &[id]).await
}

pub async fn recover(request: &RecoverRequest) -> Result<Recovered, ApiError> {
    call_json(at::RECOVER_WEBHOOKS, request).await
}

pub async fn send_test_event() -> Result<Delivery, ApiError> {
    call(at::SEND_TEST_WEBHOOK, &[]).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_use_the_wire_names_and_skip_absent_fields() {
        let q = EventsQuery {
            status: Some("failing".into()),
            kind: Some("session.paid".into()),
            ..Default::default()
        };
        assert_eq!(query_string(&q), "?status=failing&type=session.paid");
        assert_eq!(query_string(&EventsQuery::default()), "");
        let q = SessionsQuery {
            q: Some("order #7&x=1".into()),
            from: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(query_string(&q), "?q=order%20%237%26x%3D1");
    }

    #[test]
    fn the_policy_form_sends_what_was_typed_as_strings_and_the_policy_reads_back() {
        let form = PaymentPolicyForm {
            underpayment_tolerance_percent: Some("2.5".into()),
            late_window_minutes: Some("30".into()),
            late_max_rate_change_percent: None,
        };
        assert_eq!(
            serde_json::to_string(&form).unwrap(),
            r#"{"underpayment_tolerance_percent":"2.5","late_window_minutes":"30"}"#
        );
        let policy: PaymentPolicy = decode(
            200,
            r#"{"underpayment_tolerance_percent":"2.5","late_window_minutes":30,"late_max_rate_change_percent":"0"}"#,
        )
        .unwrap();
        assert_eq!(policy.underpayment_tolerance_percent.to_string(), "2.5");
        assert_eq!(policy.late_window_minutes, 30);
        // Accept's answer is read for its status only.
        assert!(decode::<IgnoredAny>(200, r#"{"id":"cs_1","status":"paid"}"#).is_ok());
        let refused = decode::<IgnoredAny>(
            409,
            r#"{"error":{"code":"session_not_pending","message":"not pending"}}"#,
        )
        .unwrap_err();
        assert_eq!(refused.code(), Some("session_not_pending"));
    }

    #[test]
    fn the_brand_form_sends_only_the_fields_set_and_the_brand_reads_back() {
        let form = PutBrand {
            accent_color: Some("#1b5e20".into()),
            ..PutBrand::default()
        };
        assert_eq!(
            serde_json::to_string(&form).unwrap(),
            r##"{"accent_color":"#1b5e20"}"##
        );
        let brand: Brand = decode(200, r#"{"display_name":"Nordic Oak"}"#).unwrap();
        assert_eq!(brand.display_name.as_deref(), Some("Nordic Oak"));
        assert_eq!(brand.accent_color, None);
        assert_eq!(decode::<Brand>(200, "{}").unwrap(), Brand::default());
        let refused = decode::<Brand>(
            422,
            r#"{"error":{"code":"color_contrast_too_low","message":"too light","field":"accent_color"}}"#,
        )
        .unwrap_err();
        assert_eq!(refused.field(), Some("accent_color"));
    }

    #[test]
    fn sign_ins_read_with_or_without_the_key_that_opened_them() {
        let list: SignInList = decode(
            200,
            r#"{"data":[
                {"id":"si_1","key_id":"key_aaaaaaaaaaaaaaaa","created_at":10,"last_seen_at":20,"expires_at":30,"current":true},
                {"id":"si_2","key_id":null,"created_at":5,"last_seen_at":5,"expires_at":15,"current":false}
            ]}"#,
        )
        .unwrap();
        assert_eq!(
            list.data[0].key_id.as_ref().map(|k| k.as_str()),
            Some("key_aaaaaaaaaaaaaaaa")
        );
        assert!(list.data[0].current);
        assert_eq!(list.data[1].key_id, None);
        // Ending is read for its status only.
        assert!(decode::<IgnoredAny>(
            404,
            r#"{"error":{"code":"not_found","message":"no such sign-in"}}"#
        )
        .unwrap_err()
        .is_not_found());
    }

    #[test]
    fn path_segments_cannot_escape_their_route() {
        assert_eq!(encode("cs_abc"), "cs_abc");
        assert_eq!(encode("../keys"), "..%2Fkeys");
        assert_eq!(encode(".."), "%2E%2E");
        assert_eq!(encode("a?b#c"), "a%3Fb%23c");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn answers_decode_into_types_or_errors_with_their_field() {
        let ok: Result<checkout_api::webhooks::Recovered, _> = decode(200, r#"{"recovered":3}"#);
        assert_eq!(ok.unwrap().recovered, 3);
        let err = decode::<Recovered>(
            422,
            r#"{"error":{"code":"url_invalid","message":"Use https","field":"url"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("url"));
        assert_eq!(err.code(), Some("url_invalid"));
        assert_eq!(err.status(), Some(422));
        assert_eq!(
            decode::<Recovered>(401, "").unwrap_err(),
            ApiError::SignedOut
        );
        assert!(
            decode::<Recovered>(404, r#"{"error":{"code":"not_found","message":"x"}}"#)
                .unwrap_err()
                .is_not_found()
        );
        assert!(matches!(
            decode::<Recovered>(502, "<html>bad gateway</html>"),
            Err(ApiError::Unexpected { status: 502, .. })
        ));
        assert!(matches!(
            decode::<Recovered>(200, r#"{"recovered":"x"}"#),
            Err(ApiError::Unexpected { status: 200, .. })
        ));
    }
}
