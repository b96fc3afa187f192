//! API keys as listed and issued (`/v1/keys`, and the admin API's
//! `/v1/admin/merchants/{id}/keys`): never the key itself, except once, in the
//! answer that issues it.

use checkout_core::ids::KeyId;
use checkout_core::session::Mode;
use checkout_core::time::UnixSeconds;
use serde::{Deserialize, Serialize};

/// A key as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyMeta {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: KeyId,
    pub mode: Mode,
    /// The first characters, to recognise it (`sk_test_abcd…`).
    pub preview: String,
    /// Unix seconds.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub created_at: UnixSeconds,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub revoked_at: Option<UnixSeconds>,
    /// When the key last authenticated a request (unix seconds, to the hour).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub last_used_at: Option<UnixSeconds>,
}

/// `POST .../keys`: the body is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateKey {
    /// `test` (default) or `live`. `/v1/keys` issues keys of the caller's own
    /// mode only.
    pub mode: Option<String>,
}

/// A key as issued: the key itself is shown this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedKey {
    #[serde(flatten)]
    pub meta: KeyMeta,
    pub key: String,
}

/// A merchant's keys, by preview, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyList {
    pub data: Vec<KeyMeta>,
}
