//! What the dashboard reads beyond the merchant API (`/v1/dashboard/...`): the
//! overview's figures, sessions of every dialect with filters, one session's
//! whole story, and wallets. Each answers for the caller's merchant and mode
//! only; another merchant's id is a 404 like an unknown one.

use checkout_api::dashboard::{
    Overview, SessionDetail, SessionPage, SessionSummary, SessionsQuery, WalletDetail, WalletList,
    WalletSummary,
};
use checkout_core::ids::{SessionId, WalletId};
use checkout_core::session::{Dialect, State};
use checkout_core::time::{UnixSeconds, DAY};

use crate::account::protocol::{
    DeliveryQuery, GetOverview, GetSession, GetWallet, ListDeliveries, ListWallets, SessionEvents,
    SessionQuery, SessionRead, Summaries,
};
use crate::account::WALLET_ENTRIES;
use crate::auth::Caller;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::route::{Call, Path, Query, Reply};
use crate::sessions;
use crate::wire::{page_limit, session_cursor};

/// How many events and deliveries a session page shows.
const SESSION_HISTORY: u32 = 100;

/// `GET /v1/dashboard/overview`
pub async fn overview(call: Call, caller: Caller) -> ApiResult<Reply<Overview>> {
    super::backfill::catch_up(&call.ctx, caller.owner()).await;
    let overview = caller
        .account(&call.ctx)
        .call(GetOverview { now: call.ctx.now })
        .await?;
    Ok(Reply::ok(overview))
}

fn bad(field: &str, code: &'static str, message: &str) -> ApiError {
    ApiError::bad_request(code, message).field(field)
}

/// A listing's filters, read: 400 naming the parameter that is wrong.
fn session_query(q: &SessionsQuery, now: UnixSeconds) -> ApiResult<SessionQuery> {
    let state = q
        .status
        .as_deref()
        .map(|s| {
            State::from_wire(s).ok_or_else(|| {
                bad(
                    "status",
                    "status_invalid",
                    "status must be pending, partially_paid, paid, needs_review, expired or cancelled",
                )
            })
        })
        .transpose()?;
    let dialect = q
        .dialect
        .as_deref()
        .map(|d| {
            Dialect::from_wire(d).ok_or_else(|| {
                bad(
                    "dialect",
                    "dialect_invalid",
                    "dialect must be native, gateway, ewallet or link",
                )
            })
        })
        .transpose()?;
    let day = |field: &str, text: Option<&str>| {
        text.map(|t| {
            UnixSeconds::parse_date(t)
                .ok_or_else(|| bad(field, "date_invalid", "dates are YYYY-MM-DD (a UTC day)"))
        })
        .transpose()
    };
    let from = day("from", q.from.as_deref())?;
    // `to` is inclusive: sessions created before the next day's start.
    let until = day("to", q.to.as_deref())?.map(|t| t.plus(DAY));
    if let (Some(from), Some(until)) = (from, until) {
        if until <= from {
            return Err(bad("to", "date_range_invalid", "to is before from"));
        }
    }
    let search =
        q.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                if s.len() > 200 {
                    Err(bad("q", "too_long", "search for at most 200 characters"))
                } else {
                    Ok(s.to_owned())
                }
            })
            .transpose()?;
    let attention = match q.attention.as_deref() {
        None | Some("0") => false,
        Some("1") => true,
        Some(_) => return Err(bad("attention", "attention_invalid", "attention is 1 or 0")),
    };
    let before = session_cursor(q.cursor.as_deref())?;
    Ok(SessionQuery {
        state,
        attention,
        dialect,
        from,
        until,
        search,
        before,
        limit: page_limit(q.limit.as_deref())?,
        now,
    })
}

/// `GET /v1/dashboard/sessions`: every dialect, newest first, filtered.
pub async fn sessions(
    call: Call,
    caller: Caller,
    Query(query): Query<SessionsQuery>,
) -> ApiResult<Reply<SessionPage>> {
    let query = session_query(&query, call.ctx.now)?;
    super::backfill::catch_up(&call.ctx, caller.owner()).await;
    let page = caller.account(&call.ctx).call(Summaries { query }).await?;
    Ok(Reply::ok(SessionPage::new(page.data, page.next_cursor)))
}

/// A session's summary as of now.
fn summary_now(ctx: &Ctx, read: &SessionRead) -> SessionSummary {
    let mut summary = crate::account::summary(&read.session, ctx.now);
    summary.notification_failing = sessions::notification(read).is_some();
    summary
}

/// `GET /v1/dashboard/sessions/{id}`: the session, its events and its webhooks.
pub async fn session(
    call: Call,
    caller: Caller,
    Path(id): Path<SessionId>,
) -> ApiResult<Reply<SessionDetail>> {
    let ctx = &call.ctx;
    let located = sessions::locate_owned(ctx, &caller, &id).await?;
    let account = caller.account(ctx);
    let read = account
        .call(GetSession {
            at: located.at.clone(),
        })
        .await?;
    let s = &read.session;
    let events = account
        .call(SessionEvents {
            at: located.at,
            limit: SESSION_HISTORY,
        })
        .await?;
    let mut deliveries = account
        .call(ListDeliveries {
            query: DeliveryQuery {
                status: None,
                kind: None,
                session: Some(s.id.clone()),
                before: None,
                limit: SESSION_HISTORY,
            },
        })
        .await?
        .data;
    deliveries.reverse();
    Ok(Reply::ok(SessionDetail {
        session: summary_now(ctx, &read),
        payment_string: s.payment_string.to_string(),
        deep_link: s.payment_string.deep_link(),
        checkout_url: ctx.checkout_url(&s.id),
        events,
        deliveries,
        payments: s.payments.clone(),
        etn_due: Some(s.still_due(ctx.now).0.to_string()),
        accepted: s.accepted.clone(),
        policy: s.policy.clone(),
    }))
}

/// `GET /v1/dashboard/wallets`
pub async fn wallets(call: Call, caller: Caller) -> ApiResult<Reply<WalletList>> {
    let data = caller.account(&call.ctx).call(ListWallets).await?;
    Ok(Reply::ok(WalletList { data }))
}

/// `GET /v1/dashboard/wallets/{id}`: the latest entries, newest first.
pub async fn wallet(
    call: Call,
    caller: Caller,
    Path(wallet_id): Path<WalletId>,
) -> ApiResult<Reply<WalletDetail>> {
    let state = caller
        .account(&call.ctx)
        .call(GetWallet {
            id: wallet_id,
            entries: WALLET_ENTRIES,
        })
        .await?;
    let mut entries = state.entries;
    entries.reverse();
    Ok(Reply::ok(WalletDetail {
        wallet: WalletSummary {
            id: state.record.id,
            user_id: state.record.user_id,
            currency: state.record.currency,
            balance: state.balance.to_string(),
            entries: state.entry_count,
            created_at: state.record.created_at,
        },
        entries,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> SessionsQuery {
        let mut q = SessionsQuery::default();
        for (k, v) in pairs {
            let v = Some((*v).to_owned());
            match *k {
                "status" => q.status = v,
                "dialect" => q.dialect = v,
                "from" => q.from = v,
                "to" => q.to = v,
                "q" => q.q = v,
                "limit" => q.limit = v,
                "cursor" => q.cursor = v,
                "attention" => q.attention = v,
                _ => unreachable!(),
            }
        }
        q
    }

    #[test]
    fn filters_are_read_into_their_types() {
        let q = session_query(
            &query(&[
                ("status", "paid"),
                ("dialect", "link"),
                ("from", "2026-11-01"),
                ("to", "2026-11-01"),
                ("q", "  order-7 "),
            ]),
            UnixSeconds(0),
        )
        .unwrap();
        assert_eq!(q.state, Some(State::Paid));
        assert_eq!(q.dialect, Some(Dialect::Link));
        assert_eq!(q.until.unwrap().since(q.from.unwrap()), DAY);
        assert_eq!(q.search.as_deref(), Some("order-7"));
        assert_eq!(q.limit, 20);
        assert!(!q.attention);
        let q = session_query(
            &query(&[("status", "needs_review"), ("attention", "1")]),
            UnixSeconds(0),
        )
        .unwrap();
        assert_eq!(q.state, Some(State::NeedsReview));
        assert!(q.attention);
    }

    #[test]
    fn each_bad_filter_names_its_parameter() {
        for (pairs, field) in [
            (vec![("status", "fulfilled")], "status"),
            (vec![("dialect", "links")], "dialect"),
            (vec![("from", "2026-02-30")], "from"),
            (vec![("to", "yesterday")], "to"),
            (vec![("from", "2026-11-02"), ("to", "2026-11-01")], "to"),
            (vec![("limit", "0")], "limit"),
            (vec![("cursor", "9007199254740992")], "cursor"),
            (vec![("cursor", "x")], "cursor"),
            (vec![("attention", "yes")], "attention"),
            (vec![("status", "partially paid")], "status"),
        ] {
            let e = session_query(&query(&pairs), UnixSeconds(0)).unwrap_err();
            assert_eq!(e.status, 400, "{pairs:?}");
            assert_eq!(e.field.as_deref(), Some(field), "{pairs:?}");
        }
        let long = "x".repeat(201);
        let e = session_query(&query(&[("q", &long)]), UnixSeconds(0)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("q"));
    }
}
