//! Dashboard sign-ins, kept by the account object whose data they see.
//!
//! - One-time sign-in links are consumed here: KV holds the link (it is read
//!   at the edge), but KV cannot say "first use wins" (two opens a moment
//!   apart would both see it unused). The object can: a link's hash is
//!   inserted once, and the second insert finds it.
//! - The sessions those links start live here too (by the hash of the cookie),
//!   so that signing out, or an expiry, holds everywhere at once; a KV copy
//!   would linger up to a minute at other locations.

use serde::{Deserialize, Serialize};

use super::db::{int, text, CountRow, Db, Result};
use super::object::{Handle, Scope};
use super::protocol::{GetDashboardSession, Refusal, SignIn, SignOut, Thing};

/// A signed-in dashboard, as its account object keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DashboardSession {
    /// Sent back as `X-CSRF-Token` with every state-changing request.
    pub csrf_token: String,
    pub created_at: i64,
    pub expires_at: i64,
}

impl Db {
    /// Spends a sign-in link and starts the session it signs in (`session`,
    /// by the hash of its cookie): true for the link's first use only.
    /// Forgets links and sessions that expired.
    pub fn sign_in(
        &self,
        link: &str,
        link_expires_at: i64,
        session_hash: &str,
        session: &DashboardSession,
        now: i64,
    ) -> Result<bool> {
        self.exec("DELETE FROM signins WHERE expires_at < ?", vec![int(now)])?;
        self.exec(
            "DELETE FROM dashboard_sessions WHERE expires_at <= ?",
            vec![int(now)],
        )?;
        let inserted: Vec<CountRow> = self.rows(
            "INSERT INTO signins (hash, expires_at) VALUES (?, ?)
             ON CONFLICT (hash) DO NOTHING RETURNING 1 AS n",
            vec![text(link), int(link_expires_at)],
        )?;
        if inserted.is_empty() {
            return Ok(false);
        }
        self.exec(
            "INSERT INTO dashboard_sessions (hash, csrf_token, created_at, expires_at)
             VALUES (?, ?, ?, ?)",
            vec![
                text(session_hash),
                text(session.csrf_token.clone()),
                int(session.created_at),
                int(session.expires_at),
            ],
        )?;
        Ok(true)
    }

    /// The session a cookie's hash names, while it lasts.
    pub fn dashboard_session(&self, hash: &str, now: i64) -> Result<Option<DashboardSession>> {
        Ok(self
            .rows::<DashboardSession>(
                "SELECT csrf_token, created_at, expires_at FROM dashboard_sessions
                 WHERE hash = ? AND expires_at > ?",
                vec![text(hash), int(now)],
            )?
            .into_iter()
            .next())
    }

    /// Ends a session: true if there was one.
    pub fn sign_out(&self, hash: &str) -> Result<bool> {
        let deleted: Vec<CountRow> = self.rows(
            "DELETE FROM dashboard_sessions WHERE hash = ? RETURNING 1 AS n",
            vec![text(hash)],
        )?;
        Ok(!deleted.is_empty())
    }
}

impl Handle for SignIn {
    async fn handle(self, scope: &Scope<'_>) -> Result<bool> {
        scope.db.sign_in(
            &self.link,
            self.link_expires_at,
            &self.session_hash,
            &self.session,
            self.now,
        )
    }
}

impl Handle for GetDashboardSession {
    /// A cookie naming an account that never stored anything creates none.
    fn when_empty(&self) -> Option<Result<DashboardSession>> {
        Some(Err(Refusal::NotFound(Thing::DashboardSession).into()))
    }

    async fn handle(self, scope: &Scope<'_>) -> Result<DashboardSession> {
        scope
            .db
            .dashboard_session(&self.hash, self.now)?
            .ok_or_else(|| Refusal::NotFound(Thing::DashboardSession).into())
    }
}

impl Handle for SignOut {
    async fn handle(self, scope: &Scope<'_>) -> Result<bool> {
        scope.db.sign_out(&self.hash)
    }
}
