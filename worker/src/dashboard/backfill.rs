//! Sessions from before sessions lived in the account object (a deployment
//! upgraded from an older version) are moved in from KV, so that listings
//! show them and the dashboard counts them in its totals.
//!
//! The listings (the dashboard's and `GET /v1/sessions`) and the overview call
//! [`catch_up`] first. While the import is unfinished, it takes the next pages
//! of the owner's KV session index (newest first), reads each session and
//! hands the records to the account object, which adds those it lacks (a row
//! it has is newer) and keeps the KV cursor. Each read moves at most [`PAGES`] pages
//! on, so it stays far below the 1,000 KV operations a request may make; a
//! merchant with more older sessions than that sees them arrive over the next
//! few reads. Once the index is walked to its end, a read costs one call to
//! the object.

use crate::account::protocol::{Backfill, GetBackfill, ImportSessions, Stored};
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::store::Owner;

/// Sessions per page of the KV index.
pub const PAGE: u64 = 100;
/// Pages one read may import.
pub const PAGES: u32 = 4;

/// Imports the next pages of older sessions, if the import is unfinished.
/// A failure is logged and left for the next read: the read itself answers
/// with what the table has.
pub async fn catch_up(ctx: &Ctx, owner: Owner<'_>) {
    if let Err(e) = import(ctx, owner).await {
        worker::console_warn!("importing older sessions of {owner}: {}", e.message);
    }
}

async fn import(ctx: &Ctx, owner: Owner<'_>) -> ApiResult<()> {
    let account = ctx.account(owner);
    let Backfill::From(mut cursor) = account.call(GetBackfill).await? else {
        return Ok(());
    };
    // A merchant's name is what its older sessions' checkouts show.
    let merchant_name = ctx
        .store
        .merchant(owner.merchant)
        .await?
        .map(|m| m.name)
        .unwrap_or_default();
    for _ in 0..PAGES {
        let (ids, next) = match ctx.store.session_page(owner, PAGE, cursor.clone()).await {
            Ok(page) => page,
            // A cursor KV no longer accepts: walk again from the start (the
            // object skips what it has).
            Err(e) if e.status == 400 && cursor.is_some() => {
                cursor = None;
                continue;
            }
            Err(e) => return Err(e),
        };
        // A page's sessions are read at once: the first dashboard read after
        // an upgrade should not wait for 400 reads one after another.
        let reads = futures_util::future::join_all(ids.iter().map(|id| ctx.store.session(id)));
        let mut sessions = Vec::with_capacity(ids.len());
        for session in reads.await {
            if let Some(session) = session? {
                sessions.push(Stored {
                    session,
                    origin: ctx.origin.clone(),
                    merchant_name: merchant_name.clone(),
                });
            }
        }
        account
            .call(ImportSessions {
                sessions,
                next: next.clone(),
                now: ctx.now,
            })
            .await?;
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(()),
        }
    }
    Ok(())
}
