//! The one error type of the worker, and its JSON shape:
//! `{"error": {"code": "...", "message": "...", "field": "..." | null}}`.
//!
//! Every failure a client can cause is a 4xx with a stable code and, where one
//! field is to blame, that field in the client's own spelling. Infrastructure
//! failures (KV, Durable Objects, the runtime) are logged in full, never with
//! secrets, and answered as a 503 with `Retry-After`: retryable, so that a payment
//! processor retries rather than gives up. Only a bug is a bare 500.

use checkout_core::lifecycle::TransitionError;
use checkout_core::validate::FieldError;
use worker::{Headers, Response};

/// A failed request, ready to be answered.
#[derive(Debug)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// Seconds for a `Retry-After` header (429, 503).
    pub retry_after: Option<u32>,
}

pub type ApiResult<T> = Result<T, ApiError>;

pub use checkout_api::error::{ErrorBody, ErrorDetail};

/// How a route's errors are shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    Plain,
    /// hosted-checkout-gateway-api: real clients test `ok`.
    Gateway,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(400, code, message)
    }

    /// A required field is absent (400 `missing_field`).
    pub fn missing(field: &str) -> ApiError {
        FieldError::missing(field).into()
    }

    /// A field's value is not acceptable (422).
    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(422, code, message).field(field)
    }

    /// Not found, or not the caller's: the two are indistinguishable.
    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(404, "not_found", format!("{what} not found"))
    }

    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(401, code, message)
    }

    /// A bug on our side: the details go to the log, not the client.
    pub fn internal(context: &str, detail: impl std::fmt::Display) -> ApiError {
        worker::console_error!("internal error: {context}: {detail}");
        ApiError::new(500, "internal_error", "internal error")
    }

    /// Storage or the runtime failed: retryable, never a 404 (a payment processor
    /// that is told 404 may stop retrying).
    pub fn infrastructure(context: &str, detail: impl std::fmt::Display) -> ApiError {
        worker::console_error!("infrastructure error: {context}: {detail}");
        ApiError::unavailable(
            "temporarily_unavailable",
            "storage is temporarily unavailable; retry shortly",
            5,
        )
    }

    pub fn unavailable(
        code: &'static str,
        message: impl Into<String>,
        retry_after: u32,
    ) -> ApiError {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(503, code, message)
        }
    }

    /// The JSON body of this error.
    pub fn body(&self, style: ErrorStyle) -> ErrorBody {
        ErrorBody {
            ok: (style == ErrorStyle::Gateway).then_some(false),
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message.clone(),
                field: self.field.clone(),
            },
        }
    }

    pub fn into_response(self, style: ErrorStyle) -> worker::Result<Response> {
        let text = serde_json::to_string(&self.body(style)).unwrap_or_else(|_| "{}".to_owned());
        let headers = Headers::new();
        let _ = headers.set("content-type", "application/json");
        let _ = headers.set("cache-control", "no-store");
        if let Some(seconds) = self.retry_after {
            let _ = headers.set("retry-after", &seconds.to_string());
        }
        Ok(Response::ok(text)?
            .with_status(self.status)
            .with_headers(headers))
    }
}

impl From<FieldError> for ApiError {
    /// A field that fails validation: 422 when the JSON was fine but a value is not
    /// acceptable, 400 when the field is missing.
    fn from(e: FieldError) -> Self {
        let status = if e.code == "missing_field" { 400 } else { 422 };
        ApiError {
            status,
            code: e.code,
            message: e.message,
            field: Some(e.field),
            retry_after: None,
        }
    }
}

/// A transition the session refuses: a conflict with its state (409), a
/// currency it does not take (422), live money in the sandbox (403).
impl From<TransitionError> for ApiError {
    fn from(e: TransitionError) -> ApiError {
        match e {
            TransitionError::Ended { .. } | TransitionError::NotDue { .. } => {
                ApiError::new(409, e.code(), e.to_string())
            }
            TransitionError::Currency { .. } => {
                ApiError::new(422, e.code(), e.to_string()).field("currency")
            }
            TransitionError::LiveSession => ApiError::new(403, e.code(), e.to_string()),
        }
    }
}

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        ApiError::infrastructure("runtime", e)
    }
}

impl From<worker::kv::KvError> for ApiError {
    fn from(e: worker::kv::KvError) -> Self {
        ApiError::infrastructure("kv", e)
    }
}
