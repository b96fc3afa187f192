//! The records KV keeps (see the table in `store.rs`).

use checkout_core::ids::{KeyId, MerchantId, SessionId};
use checkout_core::session::Mode;
use checkout_core::time::UnixSeconds;
use checkout_core::OutletId;
use serde::{Deserialize, Serialize};

use crate::secret::Sealed;

/// Hosted checkout only, or smart routing by payment method (gateway seed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    HostedCheckout,
    SmartRouting,
}

/// A merchant. Its secrets are sealed (see `secret.rs`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MerchantRecord {
    pub id: MerchantId,
    pub name: String,
    pub domains: Vec<String>,
    pub outlet_id: OutletId,
    pub plan: Plan,
    pub methods: Vec<String>,
    pub etn_api_key: Sealed,
    pub etn_api_secret: Sealed,
    pub gateway_secret: Sealed,
    /// Signs the webhooks we send in live mode (and, for a merchant made
    /// before test mode had its own, in test mode too).
    pub signing_secret: Sealed,
    /// Signs the webhooks we send in test mode: never the live one, so a
    /// test receiver's secret cannot verify live webhooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_signing_secret: Option<Sealed>,
    pub created_at: UnixSeconds,
}

impl MerchantRecord {
    /// The secret a mode's webhooks start with (the account object seeds
    /// its own with it once; rotation goes on there).
    pub fn signing_secret_of(&self, mode: Mode) -> &Sealed {
        match (mode, &self.test_signing_secret) {
            (Mode::Test, Some(test)) => test,
            _ => &self.signing_secret,
        }
    }
}

/// What a merchant API key, found by its hash, grants.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiKeyRecord {
    pub key_id: KeyId,
    pub merchant_id: MerchantId,
    pub mode: Mode,
    pub revoked: bool,
}

/// A one-time dashboard sign-in link (its first use is decided by the
/// merchant's account object, which KV cannot do).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignInLinkRecord {
    pub merchant_id: MerchantId,
    pub mode: Mode,
    pub expires_at: UnixSeconds,
    /// The key that asked for the link (`None`: the admin key): the link and
    /// the sign-in it opens die with it.
    #[serde(default)]
    pub key_id: Option<KeyId>,
}

pub use checkout_api::keys::KeyMeta;

/// One entry of an older version's key list in KV (now in the account objects):
/// what is shown, and the hash that finds the key's record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyListEntry {
    pub meta: KeyMeta,
    pub hash: String,
}

/// The first result of an idempotent creation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// See `idempotency.rs`.
    pub fingerprint: String,
    pub session_id: SessionId,
}

/// A copy of the rates feed and when it was fetched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RatesRecord {
    pub fetched_at: UnixSeconds,
    pub body: String,
}
