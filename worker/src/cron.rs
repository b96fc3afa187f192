//! The scheduled handler (every five minutes, `[triggers]` in wrangler.toml):
//! a bounded safety sweep of the account objects, and the ETN poller.
//!
//! Expiry and webhook retries are each account object's own alarm; the sweep
//! is there so that a lost alarm loses nothing. Each run:
//! - lists the merchants (one KV list) and sweeps a window of at most
//!   [`SWEEP`] of them, the window moving on with every run, so every merchant
//!   comes round: each of their account objects expires what is overdue, sets
//!   its alarm again if work is due, and names pending sessions to poll;
//! - asks ETN's check-payment API about those sessions (one a second, at most
//!   [`MAX_POLLS`]), recovering payments whose webhook never arrived or was
//!   refused;
//! - moves on sessions that versions before the account objects left pending
//!   in KV (one KV list): overdue ones are expired in their account object.
//!
//! A run spends at most [`SUBREQUESTS`] subrequests (object calls and polls;
//! the free plan allows 50 per invocation) and two KV lists (288 runs a day:
//! 576 of the free plan's 1,000 lists).

use checkout_core::confirmation::{Confirmation, Kind, Provider};
use checkout_core::ids::{MerchantId, SessionId};
use checkout_core::session::Mode;
use checkout_core::time::UnixSeconds;
use checkout_core::{Currency, PaymentId};
use worker::{Delay, Env};

use crate::account::protocol::{ApplyToSession, Change, Refusal, Sweep};
use crate::confirmations;
use crate::ctx::Ctx;
use crate::dialect::etn;
use crate::error::ApiResult;
use crate::sessions;
use crate::store::Owner;

/// Merchants swept per run (each has two account objects).
pub const SWEEP: usize = 8;
/// Subrequests one run may spend.
pub const SUBREQUESTS: u32 = 40;
/// Polls of ETN's check-payment API per run (one per second).
pub const MAX_POLLS: u32 = 10;
/// Sessions older versions left pending in KV that one run moves on.
pub const LEGACY_WINDOW: u64 = 10;
/// Merchants listed per run.
const MERCHANTS: u64 = 1000;

pub async fn run(env: &Env) -> ApiResult<()> {
    crate::usage::count(crate::usage::Resource::WorkerRequest);
    let ctx = Ctx::new(env, None)?;
    let mut budget = SUBREQUESTS;
    let (merchants, _) = ctx.store.merchant_page(MERCHANTS, None).await?;
    let turn = RUNS.with(|r| {
        let n = r.get();
        r.set(n.wrapping_add(1));
        n
    });
    let swept: Vec<MerchantId> = window(&merchants, ctx.now, turn).cloned().collect();
    sweep(&ctx, &swept, &mut budget).await;
    legacy_pending(&ctx, &mut budget).await
}

thread_local! {
    /// Runs of this isolate: the window moves on with every run, not only
    /// with time, where one isolate runs the cron repeatedly (local dev).
    static RUNS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Sweeps the account objects of `merchants` (both modes) and polls ETN for
/// the pending sessions they name: the cron's work for each merchant it
/// reaches (and a dev route's for one merchant).
pub async fn sweep(ctx: &Ctx, merchants: &[MerchantId], budget: &mut u32) {
    let mut polls: Vec<(MerchantId, SessionId, PaymentId)> = Vec::new();
    for merchant in merchants {
        for mode in [Mode::Live, Mode::Test] {
            if *budget <= MAX_POLLS {
                break;
            }
            *budget -= 1;
            let owner = Owner { merchant, mode };
            let room = MAX_POLLS.saturating_sub(polls.len() as u32);
            match ctx.account(owner).call(Sweep { polls: room }).await {
                Ok(report) => polls.extend(
                    report
                        .polls
                        .into_iter()
                        .map(|(session, payment)| (merchant.clone(), session, payment)),
                ),
                Err(e) => worker::console_error!("cron: sweeping {owner}: {}", e.message),
            }
        }
    }
    poll(ctx, polls, budget).await;
}

/// The merchants this run sweeps: [`SWEEP`] of them from a place in the list
/// that moves on every run (with time, and with this isolate's turn), so that
/// each comes round.
fn window(
    merchants: &[MerchantId],
    now: UnixSeconds,
    turn: usize,
) -> impl Iterator<Item = &MerchantId> {
    // The run: one every five minutes (the cron's schedule).
    let run = usize::try_from(now.0 / 300).unwrap_or(0).wrapping_add(turn);
    let start = if merchants.is_empty() {
        0
    } else {
        run.wrapping_mul(SWEEP) % merchants.len()
    };
    merchants
        .iter()
        .cycle()
        .skip(start)
        .take(SWEEP.min(merchants.len()))
}

/// Asks ETN about pending sessions; a paid one is confirmed in its account.
async fn poll(ctx: &Ctx, polls: Vec<(MerchantId, SessionId, PaymentId)>, budget: &mut u32) {
    let mut first = true;
    for (merchant_id, session, payment_id) in polls {
        if *budget < 2 {
            break;
        }
        let merchant = match ctx.store.merchant(&merchant_id).await {
            Ok(Some(m)) => m,
            _ => continue,
        };
        if !first {
            Delay::from(std::time::Duration::from_secs(1)).await;
        }
        first = false;
        *budget -= 1;
        match etn::poll(ctx, &merchant, &payment_id).await {
            Ok(Some(amount)) => {
                *budget -= 1;
                let recorded = async {
                    let amount = confirmations::provider_amount(&amount.0, Currency::ETN)?;
                    let c = Confirmation {
                        provider: Provider::Etn,
                        kind: Kind::Payment,
                        payment_ref: payment_id.to_string(),
                        amount,
                        provider_ref: None,
                    };
                    let Some(located) = sessions::locate(ctx, &session).await? else {
                        return Ok(());
                    };
                    confirmations::record(ctx, located, &c).await.map(|_| ())
                };
                if let Err(e) = recorded.await {
                    worker::console_error!("cron: applying a polled payment failed: {}", e.message);
                }
            }
            Ok(None) => {}
            Err(e) => worker::console_warn!("cron: polling ETN failed: {}", e.message),
        }
    }
}

/// Sessions that versions before the account objects left pending in KV:
/// those that ended or moved are dropped from the KV index, overdue ones are
/// expired (which moves them into their account object).
async fn legacy_pending(ctx: &Ctx, budget: &mut u32) -> ApiResult<()> {
    for entry in ctx.store.pending_sessions(LEGACY_WINDOW).await? {
        if *budget <= MAX_POLLS {
            break;
        }
        let Some(located) = sessions::locate(ctx, &entry.session).await? else {
            ctx.store.drop_pending(&entry).await?;
            continue;
        };
        let pending = located
            .at
            .moving
            .as_ref()
            .is_some_and(|m| m.session.state_at(ctx.now).is_open());
        if pending {
            continue;
        }
        *budget -= 1;
        // Expired in its account object (which moves it in first); a session
        // that ended there already refuses, and is done with just the same.
        let owner = located.owner();
        let answer = ctx
            .account(owner)
            .try_call(ApplyToSession {
                at: located.at.clone(),
                change: Change::Expire,
            })
            .await;
        match answer {
            Ok(Ok(_)) | Ok(Err(Refusal::Transition(_) | Refusal::NotFound(_))) => {
                ctx.store.drop_pending(&entry).await?
            }
            Ok(Err(refusal)) => {
                worker::console_error!("cron: expiring {} was refused: {refusal:?}", entry.session)
            }
            Err(e) => {
                worker::console_error!("cron: expiring {} failed: {}", entry.session, e.message)
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_merchant_comes_round() {
        let merchants: Vec<MerchantId> = (0..20u8)
            .map(|n| MerchantId::from_random([n; 10]))
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for run in 0..3 {
            let swept: Vec<_> = window(&merchants, UnixSeconds(run * 300), 0).collect();
            assert_eq!(swept.len(), SWEEP);
            seen.extend(swept.into_iter().cloned());
        }
        assert_eq!(seen.len(), merchants.len());
        // Fewer merchants than the window: each once.
        assert_eq!(window(&merchants[..3], UnixSeconds(0), 0).count(), 3);
        assert_eq!(window(&[], UnixSeconds(0), 0).count(), 0);
        // Runs in one isolate move on too.
        let first: Vec<_> = window(&merchants, UnixSeconds(0), 0).collect();
        let second: Vec<_> = window(&merchants, UnixSeconds(0), 1).collect();
        assert_ne!(first, second);
    }
}
