//! Commands about API keys and dashboard sign-ins.

use checkout_core::ids::KeyId;
use checkout_core::time::UnixSeconds;
use serde::{Deserialize, Serialize};

use super::Command;

command!(
    /// Lists an API key (once, by id).
    AddKey {
        pub key: ListedKey,
    }, "add-key" => ()
);

command!(
    /// The API keys, oldest first.
    ListKeys, "keys" => Vec<ListedKey>
);

command!(
    /// Revokes an API key.
    RevokeKey {
        pub id: KeyId,
        pub now: UnixSeconds,
    }, "revoke-key" => ListedKey
);

command!(
    /// Spends a dashboard sign-in link and starts the session it signs in.
    /// Answers true for the link's first use only.
    SignIn {
        /// The hex SHA-256 of the link's token.
        pub link: String,
        pub link_expires_at: UnixSeconds,
        /// The hex SHA-256 of the new session's cookie.
        pub session_hash: String,
        pub session: DashboardSession,
        pub now: UnixSeconds,
    }, "sign-in" => bool
);

command!(
    /// The dashboard session a cookie's hash names, while it lasts.
    GetDashboardSession {
        pub hash: String,
        pub now: UnixSeconds,
    }, "dashboard-session" => DashboardSession
);

command!(
    /// Ends a dashboard session. Answers whether there was one.
    SignOut {
        pub hash: String,
    }, "sign-out" => bool
);

command!(
    /// The open dashboard sessions, newest first.
    ListSignIns {
        pub now: UnixSeconds,
    }, "sign-ins" => Vec<DashboardSession>
);

command!(
    /// Ends dashboard sessions: one (404 if there is no such one), those a
    /// key opened, or all. Answers how many ended.
    EndSignIns {
        pub which: Which,
    }, "end-sign-ins" => u32
);

/// Which dashboard sessions [`EndSignIns`] ends.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    /// The one of this id (`si_...`).
    One(String),
    /// Those opened by links of this key.
    OpenedBy(KeyId),
    All,
}

/// A key as the account lists it: what is shown, and the hash that finds the
/// key's record (`apikey:{hash}`) to revoke it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedKey {
    pub id: KeyId,
    /// The first characters (`sk_test_abcd…`).
    pub preview: String,
    pub hash: String,
    pub created_at: UnixSeconds,
    pub revoked_at: Option<UnixSeconds>,
    /// When it last authenticated a request (unix seconds, to the hour).
    #[serde(default)]
    pub last_used_at: Option<UnixSeconds>,
}

/// A signed-in dashboard, as its account object keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DashboardSession {
    /// `si_...`: how the merchant names it (never the cookie or its hash).
    pub id: String,
    /// Sent back as `X-CSRF-Token` with every state-changing request.
    pub csrf_token: String,
    /// The key whose link opened it (`None`: the admin's).
    pub key_id: Option<KeyId>,
    pub created_at: UnixSeconds,
    pub expires_at: UnixSeconds,
    /// When it was last used (unix seconds, rounded: see `account/signins.rs`).
    pub last_seen_at: UnixSeconds,
}
