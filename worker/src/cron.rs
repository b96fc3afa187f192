//! The scheduled handler (every minute, `[triggers]` in wrangler.toml): recovers
//! ETN payments whose webhook never arrived or was refused, and expires sessions.
//!
//! For each pending session, soonest expiry first: ask ETN's check-payment API
//! (at most one request per second, at most [`MAX_POLLS`] per run) and apply a
//! positive answer exactly as a webhook; then expire it if its time has passed.

use checkout_core::confirmation::{Confirmation, Kind, Provider};
use checkout_core::session::State;
use checkout_core::Currency;
use worker::{Delay, Env};

use crate::config::Config;
use crate::dialect::etn;
use crate::error::ApiResult;
use crate::sessions::{self, Ctx};
use crate::store::Store;

/// Polls per run: with one per second, a run stays well inside a cron's time.
pub const MAX_POLLS: usize = 20;

pub async fn run(env: &Env) -> ApiResult<()> {
    let now_ms = worker::Date::now().as_millis() as i64;
    let ctx = Ctx {
        config: Config::from_env(env),
        store: Store::new(env)?,
        now: now_ms / 1000,
        now_ms,
        origin: String::new(),
    };
    let mut polls = 0;
    for (_, id) in ctx.store.pending_sessions(500).await? {
        let Some(session) = ctx.store.session(&id).await? else {
            continue;
        };
        if session.state != State::Pending {
            // A stale index entry: the session moved on elsewhere.
            ctx.store.update_session(&session).await?;
            continue;
        }
        if polls < MAX_POLLS && session.state_at(ctx.now) == State::Pending {
            if polls > 0 {
                Delay::from(std::time::Duration::from_secs(1)).await;
            }
            polls += 1;
            if let Some(merchant) = ctx.store.merchant(&session.merchant_id).await? {
                let payment_id = session.payment_string.payment_id().to_string();
                match etn::poll(&ctx, &merchant, &payment_id).await {
                    Ok(Some(amount)) => {
                        let c = Confirmation {
                            provider: Provider::Etn,
                            kind: Kind::Payment,
                            payment_ref: payment_id,
                            amount,
                            currency: Currency::ETN,
                            provider_ref: None,
                        };
                        if let Err(e) = crate::confirmations::record(
                            &ctx,
                            &merchant.id,
                            Some(session.clone()),
                            &c,
                        )
                        .await
                        {
                            worker::console_error!(
                                "cron: applying a polled payment failed: {}",
                                e.message
                            );
                        }
                        continue;
                    }
                    Ok(None) => {}
                    Err(e) => worker::console_warn!("cron: polling ETN failed: {}", e.message),
                }
            }
        }
        sessions::refresh(&ctx, session).await?;
    }
    Ok(())
}
