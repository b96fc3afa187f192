//! Dashboard sign-ins, kept by the account object whose data they see.
//!
//! - One-time sign-in links are consumed here: KV holds the link (it is read
//!   at the edge), but KV cannot say "first use wins" (two opens a moment
//!   apart would both see it unused). The object can: a link's hash is
//!   inserted once, and the second insert finds it.
//! - The sessions those links start live here too (by the hash of the cookie),
//!   so that signing out, or an expiry, holds everywhere at once; a KV copy
//!   would linger up to a minute at other locations.
//! - A link, and every sign-in it opens, dies with the key that made it: a
//!   link whose key is revoked signs no one in, and revoking a key ends its
//!   sign-ins in the same step (`keys.rs`). Sign-ins are listed (when, from
//!   which key, last seen) and can be ended one by one or all at once.

use checkout_core::time::UnixSeconds;

use super::db::{int, opt_text, text, CountRow, Db, Result};
use super::object::{Handle, Scope};
use super::protocol::{
    DashboardSession, EndSignIns, GetDashboardSession, ListSignIns, Refusal, SignIn, SignOut,
    Thing, Which,
};

/// How often a sign-in's use is written down at most (seconds).
const SEEN_RESOLUTION: i64 = 300;

const COLUMNS: &str = "id, csrf_token, key_id, created_at, expires_at, last_seen_at";

impl Db {
    /// Spends a sign-in link and starts the session it signs in (`session`,
    /// by the hash of its cookie): true for the link's first use only, while
    /// the key that made it (if a key did) is not revoked. Forgets links and
    /// sessions that expired.
    pub fn sign_in(
        &self,
        link: &str,
        link_expires_at: UnixSeconds,
        session_hash: &str,
        session: &DashboardSession,
        now: UnixSeconds,
    ) -> Result<bool> {
        self.exec("DELETE FROM signins WHERE expires_at < ?", vec![int(now)])?;
        self.exec(
            "DELETE FROM dashboard_sessions WHERE expires_at <= ?",
            vec![int(now)],
        )?;
        if let Some(key) = &session.key_id {
            let revoked = self.count(
                "SELECT COUNT(*) AS n FROM keys WHERE id = ? AND revoked_at IS NOT NULL",
                vec![text(key.as_str())],
            )?;
            if revoked > 0 {
                return Ok(false);
            }
        }
        let inserted: Vec<CountRow> = self.rows(
            "INSERT INTO signins (hash, expires_at) VALUES (?, ?)
             ON CONFLICT (hash) DO NOTHING RETURNING 1 AS n",
            vec![text(link), int(link_expires_at)],
        )?;
        if inserted.is_empty() {
            return Ok(false);
        }
        self.exec(
            "INSERT INTO dashboard_sessions (hash, id, csrf_token, key_id, created_at, expires_at, last_seen_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            vec![
                text(session_hash),
                text(session.id.as_str()),
                text(session.csrf_token.clone()),
                opt_text(session.key_id.as_ref().map(|k| k.as_str())),
                int(session.created_at),
                int(session.expires_at),
                int(session.created_at),
            ],
        )?;
        Ok(true)
    }

    /// The session a cookie's hash names, while it lasts; its use noted (at
    /// most every [`SEEN_RESOLUTION`]).
    pub fn dashboard_session(
        &self,
        hash: &str,
        now: UnixSeconds,
    ) -> Result<Option<DashboardSession>> {
        let Some(mut session) = self
            .rows::<DashboardSession>(
                &format!(
                    "SELECT {COLUMNS} FROM dashboard_sessions WHERE hash = ? AND expires_at > ?"
                ),
                vec![text(hash), int(now)],
            )?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        if now.since(session.last_seen_at) >= SEEN_RESOLUTION {
            self.exec(
                "UPDATE dashboard_sessions SET last_seen_at = ? WHERE hash = ?",
                vec![int(now), text(hash)],
            )?;
            session.last_seen_at = now;
        }
        Ok(Some(session))
    }

    /// Ends a session: true if there was one.
    pub fn sign_out(&self, hash: &str) -> Result<bool> {
        let deleted: Vec<CountRow> = self.rows(
            "DELETE FROM dashboard_sessions WHERE hash = ? RETURNING 1 AS n",
            vec![text(hash)],
        )?;
        Ok(!deleted.is_empty())
    }

    /// Every open session, newest first.
    pub fn dashboard_sessions(&self, now: UnixSeconds) -> Result<Vec<DashboardSession>> {
        self.rows(
            &format!(
                "SELECT {COLUMNS} FROM dashboard_sessions WHERE expires_at > ?
                 ORDER BY created_at DESC, id"
            ),
            vec![int(now)],
        )
    }

    /// Ends the sessions `which` names: how many ended.
    pub fn end_sessions(&self, which: &Which) -> Result<u32> {
        let (clause, params) = match which {
            Which::One(id) => ("id = ?", vec![text(id.as_str())]),
            Which::OpenedBy(key) => ("key_id = ?", vec![text(key.as_str())]),
            Which::All => ("1 = 1", vec![]),
        };
        let ended: Vec<CountRow> = self.rows(
            &format!("DELETE FROM dashboard_sessions WHERE {clause} RETURNING 1 AS n"),
            params,
        )?;
        Ok(ended.len() as u32)
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

impl Handle for ListSignIns {
    fn when_empty(&self) -> Option<Result<Vec<DashboardSession>>> {
        Some(Ok(Vec::new()))
    }

    async fn handle(self, scope: &Scope<'_>) -> Result<Vec<DashboardSession>> {
        scope.db.dashboard_sessions(self.now)
    }
}

impl Handle for EndSignIns {
    fn when_empty(&self) -> Option<Result<u32>> {
        Some(Ok(0))
    }

    async fn handle(self, scope: &Scope<'_>) -> Result<u32> {
        let ended = scope.db.end_sessions(&self.which)?;
        if ended == 0 {
            if let Which::One(_) = self.which {
                return Err(Refusal::NotFound(Thing::DashboardSession).into());
            }
        }
        Ok(ended)
    }
}
