//! The account object's one alarm: set to the next instant something is due
//! (a session to expire, a webhook attempt, a paid notification to flag), and
//! written only when it must move, since every write is a row. What the alarm
//! does when it fires is the engine's `wake`.

use checkout_core::time::{UnixMillis, UnixSeconds};

use super::db::{Db, Result};
use super::object::{now_ms, AccountObject, Scope};

/// How much later than asked an alarm may be set, and stay.
const ALARM_SLACK_MS: i64 = 1000;

/// Sets the alarm no later than a new session's expiry (a row written only
/// when the alarm moves earlier).
pub async fn schedule_expiry(scope: &Scope<'_>, expires_at: UnixSeconds) -> Result<()> {
    let at = expires_at.to_millis();
    let current = scope.object.alarm_at().await?;
    if current.is_none_or(|c| c > at.plus(ALARM_SLACK_MS)) {
        scope.object.set_alarm_at(at).await?;
    }
    Ok(())
}

/// Sets the alarm to the next instant something is due: a webhook attempt, a
/// paid notification to flag, a session to expire. Nothing due: no alarm.
pub async fn schedule(object: &AccountObject, db: &Db) -> Result<()> {
    let now = now_ms();
    let (_, expiry) = db.pending_scan(now.to_seconds(), false)?;
    let scale = crate::config::Config::from_env(object.env()).webhook_time_scale;
    let next: Option<UnixMillis> = [db.next_wake(scale)?, expiry.map(UnixSeconds::to_millis)]
        .into_iter()
        .flatten()
        .min();
    let current = object.alarm_at().await?;
    match next {
        // An alarm set a moment later than asked (the time it took to set it)
        // stays: moving it by a few milliseconds would cost a row each time.
        Some(at) if current.is_none_or(|c| c > at.plus(ALARM_SLACK_MS) || c < now) => {
            object.set_alarm_at(at.max(now)).await?;
        }
        None if current.is_some() => object.delete_alarm().await?,
        _ => {}
    }
    Ok(())
}
