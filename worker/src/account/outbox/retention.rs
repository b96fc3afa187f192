//! How long the delivery history is kept: a settled delivery and its
//! attempts are forgotten after [`HISTORY_DAYS`], a batch at a time (the
//! alarm and the cron's sweep), so that no merchant's storage grows without
//! bound.

use checkout_core::time::{UnixMillis, DAY_MS};

use crate::account::db::{int, Db, Result};

/// How long the delivery history keeps a delivery that has settled
/// (delivered, failed or held), in days: no merchant's storage grows
/// without bound. Not scaled with the webhook schedule: tests age
/// deliveries instead (`AgeDeliveries`).
pub const HISTORY_DAYS: i64 = 30;

/// The most deliveries one run of [`Db::forget_old`] deletes.
const FORGET_BATCH: i64 = 200;

impl Db {
    /// Forgets settled deliveries older than [`HISTORY_DAYS`], oldest first,
    /// at most [`FORGET_BATCH`] a run: only the oldest rows are looked at, so a
    /// run costs the same however long the history. What is still to be sent
    /// stays, whatever its age. The number forgotten.
    pub fn forget_old(&self, now_ms: UnixMillis) -> Result<u32> {
        let before = now_ms.minus(HISTORY_DAYS * DAY_MS);
        let gone: Vec<crate::account::db::CountRow> = self.rows(
            "DELETE FROM deliveries WHERE rowid IN (
                 SELECT rowid FROM deliveries ORDER BY rowid LIMIT ?)
               AND created_at < ? AND status IN ('delivered', 'failed', 'held')
             RETURNING 1 AS n",
            vec![int(FORGET_BATCH), int(before)],
        )?;
        if !gone.is_empty() {
            self.exec(
                "DELETE FROM attempts WHERE event_id NOT IN (SELECT event_id FROM deliveries)",
                vec![],
            )?;
        }
        Ok(gone.len() as u32)
    }

    /// Dev only (`AgeDeliveries`): every delivery `days` older.
    pub fn age_deliveries(&self, days: i64) -> Result<i64> {
        let n = self.count("SELECT COUNT(*) AS n FROM deliveries", vec![])?;
        self.exec(
            "UPDATE deliveries SET created_at = created_at - ?",
            vec![int(days.saturating_mul(DAY_MS))],
        )?;
        Ok(n)
    }
}
