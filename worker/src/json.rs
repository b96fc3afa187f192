//! Reading JSON request bodies field by field.
//!
//! Bodies are parsed into a map of raw values, and each field is read with the
//! type the dialect expects, so that a wrong type names its field (`amount must be
//! a string or a number`) and numbers keep their exact text (`150.00` stays
//! `150.00`: no float ever touches money). Unknown fields are ignored.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use crate::error::{ApiError, ApiResult};

/// A JSON object whose values are still raw text.
pub struct Object {
    fields: BTreeMap<String, Box<RawValue>>,
    /// Prefix for field names in errors (`"customer_details."`).
    path: String,
}

fn wrong_type(field: &str, expected: &str) -> ApiError {
    ApiError::bad_request("invalid_type", format!("{field} must be {expected}")).field(field)
}

impl Object {
    /// Parses a request body that must be a JSON object.
    pub fn parse(body: &[u8]) -> ApiResult<Object> {
        let text = std::str::from_utf8(body)
            .map_err(|_| ApiError::bad_request("invalid_json", "request body is not UTF-8"))?;
        let fields: BTreeMap<String, Box<RawValue>> = serde_json::from_str(text).map_err(|e| {
            ApiError::bad_request(
                "invalid_json",
                format!("request body is not a JSON object: {e}"),
            )
        })?;
        Ok(Object {
            fields,
            path: String::new(),
        })
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.path)
    }

    fn raw(&self, key: &str) -> Option<&str> {
        self.fields
            .get(key)
            .map(|v| v.get())
            .filter(|v| *v != "null")
    }

    /// Whether the field is present (and not null).
    pub fn has(&self, key: &str) -> bool {
        self.raw(key).is_some()
    }

    /// A string field.
    pub fn string(&self, key: &str) -> ApiResult<Option<String>> {
        match self.raw(key) {
            None => Ok(None),
            Some(raw) => serde_json::from_str::<String>(raw)
                .map(Some)
                .map_err(|_| wrong_type(&self.name(key), "a string")),
        }
    }

    /// An amount: a JSON string or number, returned as its exact text.
    pub fn amount(&self, key: &str) -> ApiResult<Option<String>> {
        match self.raw(key) {
            None => Ok(None),
            Some(raw) if raw.starts_with('"') => self.string(key),
            Some(raw) if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
                Ok(Some(raw.to_owned()))
            }
            Some(_) => Err(wrong_type(&self.name(key), "a string or a number")),
        }
    }

    /// An integer field (a JSON number without fraction, or its string).
    pub fn integer(&self, key: &str) -> ApiResult<Option<i64>> {
        match self.raw(key) {
            None => Ok(None),
            Some(raw) => {
                let text = serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_owned());
                text.parse()
                    .map(Some)
                    .map_err(|_| wrong_type(&self.name(key), "an integer"))
            }
        }
    }

    /// A nested object.
    pub fn object(&self, key: &str) -> ApiResult<Option<Object>> {
        match self.raw(key) {
            None => Ok(None),
            Some(raw) => {
                let fields = serde_json::from_str(raw)
                    .map_err(|_| wrong_type(&self.name(key), "an object"))?;
                Ok(Some(Object {
                    fields,
                    path: format!("{}.", self.name(key)),
                }))
            }
        }
    }

    /// An array of objects.
    pub fn objects(&self, key: &str) -> ApiResult<Vec<Object>> {
        let Some(raw) = self.raw(key) else {
            return Ok(Vec::new());
        };
        let items: Vec<Box<RawValue>> =
            serde_json::from_str(raw).map_err(|_| wrong_type(&self.name(key), "an array"))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let name = format!("{}[{i}]", self.name(key));
                let fields =
                    serde_json::from_str(item.get()).map_err(|_| wrong_type(&name, "an object"))?;
                Ok(Object {
                    fields,
                    path: format!("{name}."),
                })
            })
            .collect()
    }

    /// An array of strings.
    pub fn strings(&self, key: &str) -> ApiResult<Option<Vec<String>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(raw) => serde_json::from_str(raw)
                .map(Some)
                .map_err(|_| wrong_type(&self.name(key), "an array of strings")),
        }
    }
}
