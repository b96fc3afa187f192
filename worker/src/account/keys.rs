//! A merchant's API keys in one mode, as listed: one row per key. The list
//! used to be one KV value, read, changed and written back, so two keys issued
//! at the same instant could leave one off the list (a key that works but that
//! nobody can list or revoke by id); rows in the account object cannot.

use checkout_core::ids::KeyId;
use serde::{Deserialize, Serialize};

use super::db::{int, opt_int, text, Db, Result};

/// A key as the account lists it: what is shown, and the hash that finds the
/// key's record (`apikey:{hash}`) to revoke it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedKey {
    pub id: KeyId,
    /// The first characters (`sk_test_abcd…`).
    pub preview: String,
    pub hash: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

const COLUMNS: &str = "id, preview, hash, created_at, revoked_at";

impl Db {
    /// Lists a key; a key already listed (by id) stays as it is.
    pub fn add_key(&self, key: &ListedKey) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO keys ({COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
            ),
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
    pub fn revoke_key(&self, id: &str, now: i64) -> Result<Option<ListedKey>> {
        self.exec(
            "UPDATE keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            vec![int(now), text(id)],
        )?;
        Ok(self
            .rows(
                &format!("SELECT {COLUMNS} FROM keys WHERE id = ?"),
                vec![text(id)],
            )?
            .pop())
    }
}
