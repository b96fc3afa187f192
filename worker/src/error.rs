//! The one error type of the worker, and its JSON shape:
//! `{"error": {"code": "...", "message": "...", "field": "..." | null}}`.
//!
//! Every failure a client can cause is a 4xx with a stable code; anything else is
//! logged in full (never with secrets) and answered as a bare 500.

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

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(404, "not_found", format!("{what} not found"))
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(401, "unauthorized", message)
    }

    /// Something on our side failed: the details go to the log, not the client.
    pub fn internal(context: &str, detail: impl std::fmt::Display) -> ApiError {
        worker::console_error!("internal error: {context}: {detail}");
        ApiError::new(500, "internal_error", "internal error")
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

    pub fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "code": self.code, "message": self.message, "field": self.field }
        });
        let headers = Headers::new();
        let _ = headers.set("content-type", "application/json");
        let _ = headers.set("cache-control", "no-store");
        if let Some(seconds) = self.retry_after {
            let _ = headers.set("retry-after", &seconds.to_string());
        }
        Response::ok(body.to_string())
            .map(|r| r.with_status(self.status).with_headers(headers))
            .unwrap_or_else(|_| Response::empty().unwrap().with_status(500))
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

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        ApiError::internal("runtime", e)
    }
}

impl From<worker::kv::KvError> for ApiError {
    fn from(e: worker::kv::KvError) -> Self {
        ApiError::internal("kv", e)
    }
}
