//! One-time dashboard sign-in links, consumed here: KV holds the link (it is
//! read at the edge), but KV cannot say "first use wins" (two opens a moment
//! apart would both see it unused). The account object can: a link's hash is
//! inserted once, and the second insert finds it.

use super::db::{int, text, CountRow, Db, Result};

impl Db {
    /// Marks a link used; true only for its first use. Forgets links that
    /// expired (they can no longer be opened anyway).
    pub fn consume_sign_in(&self, hash: &str, expires_at: i64, now: i64) -> Result<bool> {
        self.exec("DELETE FROM signins WHERE expires_at < ?", vec![int(now)])?;
        let inserted: Vec<CountRow> = self.rows(
            "INSERT INTO signins (hash, expires_at) VALUES (?, ?)
             ON CONFLICT (hash) DO NOTHING RETURNING 1 AS n",
            vec![text(hash), int(expires_at)],
        )?;
        Ok(!inserted.is_empty())
    }
}
