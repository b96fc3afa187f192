//! A merchant's API keys in one mode, as listed: one row per key. The list
//! used to be one KV value, read, changed and written back, so two keys issued
//! at the same instant could leave one off the list (a key that works but that
//! nobody can list or revoke by id); rows in the account object cannot.
//!
//! When each key was last used is kept here too (`key_use`), noted at most
//! hourly from the key hash every command carries: no extra call, no KV write.

use super::db::{int, opt_int, text, Db, Result};
use super::object::{Handle, Scope};
use super::protocol::{AddKey, ListKeys, ListedKey, Refusal, RevokeKey, Thing, Which};
use checkout_core::ids::KeyId;
use checkout_core::time::UnixSeconds;

const COLUMNS: &str = "id, preview, hash, created_at, revoked_at,
    (SELECT used_at FROM key_use u WHERE u.hash = keys.hash) AS last_used_at";

/// How often a key's use is written down at most (seconds).
const USE_RESOLUTION: i64 = 3600;

impl Db {
    /// Lists a key; a key already listed (by id) stays as it is.
    pub fn add_key(&self, key: &ListedKey) -> Result<()> {
        self.exec(
            "INSERT INTO keys (id, preview, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (id) DO NOTHING",
            vec![
                text(key.id.as_str()),
                text(key.preview.as_str()),
                text(key.hash.as_str()),
                int(key.created_at),
                opt_int(key.revoked_at),
            ],
        )
    }

    /// Every key, oldest first.
    pub fn keys(&self) -> Result<Vec<ListedKey>> {
        self.rows(
            &format!("SELECT {COLUMNS} FROM keys ORDER BY created_at, id"),
            vec![],
        )
    }

    /// Marks a key revoked at `now` (a key revoked before keeps its time); the
    /// key as it is now, or `None` if there is no such key.
    pub fn revoke_key(&self, id: &KeyId, now: UnixSeconds) -> Result<Option<ListedKey>> {
        self.exec(
            "UPDATE keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            vec![int(now), text(id.as_str())],
        )?;
        Ok(self
            .rows(
                &format!("SELECT {COLUMNS} FROM keys WHERE id = ?"),
                vec![text(id.as_str())],
            )?
            .pop())
    }

    /// Notes that the key of this hash was used at `now`, at most hourly.
    pub fn note_key_use(&self, hash: &str, now: UnixSeconds) -> Result<()> {
        self.exec(
            "INSERT INTO key_use (hash, used_at) VALUES (?, ?)
             ON CONFLICT (hash) DO UPDATE SET used_at = excluded.used_at
             WHERE excluded.used_at - key_use.used_at >= ?",
            vec![text(hash), int(now), int(USE_RESOLUTION)],
        )
    }
}

impl Handle for AddKey {
    async fn handle(self, scope: &Scope<'_>) -> Result<()> {
        scope.db.add_key(&self.key)
    }
}

impl Handle for ListKeys {
    async fn handle(self, scope: &Scope<'_>) -> Result<Vec<ListedKey>> {
        scope.db.keys()
    }
}

impl Handle for RevokeKey {
    /// The key's dashboard sign-ins end in the same step: a sign-in is
    /// worth no more than the key that opened it.
    async fn handle(self, scope: &Scope<'_>) -> Result<ListedKey> {
        let key = scope
            .db
            .revoke_key(&self.id, self.now)?
            .ok_or(Refusal::NotFound(Thing::Key))?;
        scope.db.end_sessions(&Which::OpenedBy(self.id))?;
        Ok(key)
    }
}
