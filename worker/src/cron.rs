//! The scheduled handler (every minute, `[triggers]` in wrangler.toml): expires
//! overdue sessions and recovers ETN payments whose webhook never arrived or was
//! refused, by polling ETN's check-payment API.
//!
//! One run is bounded, whatever the backlog, and fair between merchants:
//! - it lists the [`WINDOW`] soonest-expiring pending sessions (one KV list);
//! - it first wakes up to [`MAX_REARMS`] account objects whose webhooks are overdue
//!   (a lost alarm loses nothing);
//! - it takes work round-robin by merchant, so one merchant's thousand pending
//!   sessions cannot starve another's;
//! - it spends at most [`SUBREQUESTS`] subrequests (Durable Object calls and ETN
//!   polls; the free plan allows 50 per invocation) and at most [`MAX_POLLS`]
//!   polls, one per second as the seed asks;
//! - every unit of work costs at most 8 KV operations, so a run stays far below
//!   the 1,000 KV operations an invocation may make (1 + 40 × 8 < 400).
//!
//! Later sessions wait for later runs: the soonest expiry always comes first.

use std::collections::{BTreeMap, VecDeque};

use checkout_core::confirmation::{Confirmation, Kind, Provider};
use checkout_core::lifecycle::Transition;
use checkout_core::session::State;
use checkout_core::Currency;
use worker::{Delay, Env};

use crate::confirmations;
use crate::ctx::Ctx;
use crate::dialect::etn;
use crate::error::ApiResult;
use crate::sessions;
use crate::store::{MerchantRecord, Owner, PendingEntry};

/// How many pending sessions one run looks at.
pub const WINDOW: u64 = 200;
/// Subrequests one run may spend.
pub const SUBREQUESTS: u32 = 40;
/// Polls of ETN's check-payment API per run (one per second).
pub const MAX_POLLS: u32 = 20;

/// Account objects re-armed per run at most (their alarm was lost).
pub const MAX_REARMS: u32 = 10;

pub async fn run(env: &Env) -> ApiResult<()> {
    let ctx = Ctx::new(env, None)?;
    let mut budget = SUBREQUESTS;
    // A lost alarm loses nothing: an account whose webhooks were due more than a
    // minute ago is woken up.
    let grace = checkout_core::webhook::scaled_ms(60, ctx.config.webhook_time_scale);
    for (merchant, mode, due) in ctx.store.due_accounts(u64::from(MAX_REARMS)).await? {
        if due > ctx.now_ms - grace {
            continue;
        }
        budget -= 1;
        let owner = Owner {
            merchant: &merchant,
            mode,
        };
        if let Err(e) = ctx.account(owner).rearm().await {
            worker::console_error!("cron: re-arming {owner} failed: {}", e.message);
        }
    }
    let entries = ctx.store.pending_sessions(WINDOW).await?;
    let mut polls = 0;
    let mut merchants: BTreeMap<_, Option<MerchantRecord>> = BTreeMap::new();
    for entry in fair(entries) {
        if budget == 0 {
            break;
        }
        let Some(session) = sessions::load(&ctx, &entry.session).await? else {
            ctx.store.drop_pending(&entry).await?;
            continue;
        };
        if session.state != State::Pending {
            // The session moved on (or was repaired by its paid marker): write it,
            // which also drops its pending entry.
            ctx.store.update_session(&session).await?;
            continue;
        }
        if session.state_at(ctx.now) == State::Expired {
            budget -= 1;
            if let Err(e) = sessions::apply(&ctx, &session, Transition::Expire).await {
                worker::console_error!("cron: expiring {} failed: {}", session.id, e.message);
            }
            continue;
        }
        if polls >= MAX_POLLS || budget < 2 {
            continue;
        }
        if !merchants.contains_key(&entry.merchant) {
            let m = ctx.store.merchant(&entry.merchant).await?;
            merchants.insert(entry.merchant.clone(), m);
        }
        let Some(Some(merchant)) = merchants.get(&entry.merchant) else {
            continue;
        };
        if polls > 0 {
            Delay::from(std::time::Duration::from_secs(1)).await;
        }
        polls += 1;
        budget -= 1;
        let payment_id = session.payment_string.payment_id();
        match etn::poll(&ctx, merchant, &payment_id).await {
            Ok(Some(amount)) => {
                budget -= 1;
                let recorded = match confirmations::provider_amount(&amount.0, Currency::ETN) {
                    Ok(amount) => {
                        let c = Confirmation {
                            provider: Provider::Etn,
                            kind: Kind::Payment,
                            payment_ref: payment_id.to_string(),
                            amount,
                            provider_ref: None,
                        };
                        confirmations::record(&ctx, merchant, Some(session), &c)
                            .await
                            .map(|_| ())
                    }
                    Err(e) => Err(e),
                };
                if let Err(e) = recorded {
                    worker::console_error!("cron: applying a polled payment failed: {}", e.message);
                }
            }
            Ok(None) => {}
            Err(e) => worker::console_warn!("cron: polling ETN failed: {}", e.message),
        }
    }
    Ok(())
}

/// Pending entries (soonest expiry first) interleaved round-robin by merchant:
/// each merchant's soonest first, then each one's second, and so on.
fn fair(entries: Vec<PendingEntry>) -> Vec<PendingEntry> {
    let mut queues: Vec<VecDeque<PendingEntry>> = Vec::new();
    let mut index: BTreeMap<_, usize> = BTreeMap::new();
    for entry in entries {
        let i = *index.entry(entry.merchant.clone()).or_insert_with(|| {
            queues.push(VecDeque::new());
            queues.len() - 1
        });
        queues[i].push_back(entry);
    }
    let mut out = Vec::new();
    loop {
        let before = out.len();
        for queue in &mut queues {
            if let Some(entry) = queue.pop_front() {
                out.push(entry);
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkout_core::ids::{MerchantId, SessionId};

    #[test]
    fn one_merchants_backlog_does_not_starve_another() {
        let (a, b) = (
            MerchantId::from_random([1; 10]),
            MerchantId::from_random([2; 10]),
        );
        let entry = |m: &MerchantId, n: u8, at: i64| PendingEntry {
            expires_at: at,
            merchant: m.clone(),
            session: SessionId::from_random([n; 15]),
        };
        let mut entries: Vec<_> = (0..50).map(|n| entry(&a, n, i64::from(n))).collect();
        entries.push(entry(&b, 99, 100));
        let order = fair(entries);
        assert_eq!(order.len(), 51);
        assert_eq!(order[0].merchant, a);
        assert_eq!(order[1].merchant, b, "b's only session comes second");
        // After them, a's in expiry order.
        assert!(order[2..]
            .windows(2)
            .all(|w| w[0].expires_at < w[1].expires_at));
    }
}
