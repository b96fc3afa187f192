//! Idempotent creation, as Stripe does it: replaying a request with the same
//! `Idempotency-Key` returns the first result; the same key with different
//! parameters is a 409. A merchant's `order_id` works the same way while its
//! session is pending or paid (see `store::ORDER_TTL`).
//!
//! "The same parameters" is decided by a fingerprint: hex SHA-256 of
//! `{dialect}\n{canonical JSON of the wire request}`, where canonical JSON is the
//! request's derived serde form with object keys sorted, `null` members dropped
//! and no whitespace; amounts are their exact text, as strings (`12.5` sent as a
//! number or as a string is the same request). Dropping `null`s is what keeps old
//! retries valid when a request type gains an optional field: a client that does
//! not send the new field produces the fingerprint it always did.

use checkout_core::session::Dialect;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::secret::digest;

/// The fingerprint of a creation request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint(pub String);

/// Longest `Idempotency-Key` accepted.
pub const MAX_KEY_LEN: usize = 255;

/// Fingerprints a wire request of a dialect.
pub fn fingerprint<T: Serialize>(dialect: Dialect, request: &T) -> ApiResult<Fingerprint> {
    let value = serde_json::to_value(request).map_err(|e| ApiError::internal("fingerprint", e))?;
    let text = serde_json::to_string(&canonical(value))
        .map_err(|e| ApiError::internal("fingerprint", e))?;
    let dialect =
        serde_json::to_string(&dialect).map_err(|e| ApiError::internal("fingerprint", e))?;
    Ok(Fingerprint(digest(&format!("{dialect}\n{text}"))))
}

/// Sorted keys, no `null` members, recursively.
fn canonical(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(String, Value)> = map
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, canonical(v)))
                .collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(members.into_iter().collect::<Map<_, _>>())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(canonical).collect()),
        other => other,
    }
}

/// Checks an `Idempotency-Key` header: 1 to 255 characters.
pub fn check_key(key: Option<String>) -> ApiResult<Option<String>> {
    match key {
        Some(k) if k.is_empty() || k.len() > MAX_KEY_LEN => Err(ApiError::bad_request(
            "idempotency_key_invalid",
            "Idempotency-Key must be 1 to 255 characters",
        )
        .field("Idempotency-Key")),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize)]
    struct V1 {
        amount: String,
        currency: Option<String>,
    }

    #[derive(Serialize)]
    struct V2 {
        currency: Option<String>,
        amount: String,
        /// A field added later: absent from old clients' requests.
        note: Option<String>,
    }

    #[test]
    fn adding_an_optional_field_keeps_old_fingerprints() {
        let old = fingerprint(
            Dialect::Native,
            &V1 {
                amount: "1.00".into(),
                currency: Some("USD".into()),
            },
        )
        .unwrap();
        let new = fingerprint(
            Dialect::Native,
            &V2 {
                currency: Some("USD".into()),
                amount: "1.00".into(),
                note: None,
            },
        )
        .unwrap();
        assert_eq!(old, new);
        let other_dialect = fingerprint(
            Dialect::Gateway,
            &V1 {
                amount: "1.00".into(),
                currency: Some("USD".into()),
            },
        )
        .unwrap();
        assert_ne!(old, other_dialect);
    }

    #[test]
    fn canonical_json_is_sorted_and_null_free() {
        let v = canonical(json!({"b": 1, "a": {"d": null, "c": [{"z": 1, "y": null}]}}));
        assert_eq!(v.to_string(), r#"{"a":{"c":[{"z":1}]},"b":1}"#);
    }

    #[test]
    fn keys_are_bounded() {
        assert!(check_key(Some("k".repeat(255))).is_ok());
        assert_eq!(
            check_key(Some("k".repeat(256))).unwrap_err().code,
            "idempotency_key_invalid"
        );
        assert_eq!(
            check_key(Some(String::new())).unwrap_err().code,
            "idempotency_key_invalid"
        );
        assert_eq!(check_key(None).unwrap(), None);
    }
}
