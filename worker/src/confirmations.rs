//! Applying verified payment confirmations: the engine behind every inbound path
//! (ETN webhooks, ETN polls, gateway webhooks, the sandbox).
//!
//! Core decides (`confirmation::decide`); this module stores what it decided, in
//! an order that loses nothing: events first (under their deterministic ids, so a
//! duplicate is a no-op), then the session, then wallet ledger entries (keyed by
//! event id, so a wallet is never credited twice). Only then is the provider told
//! 2xx.

use checkout_core::confirmation::{self, Confirmation, DecideError, Event, EventKind, Kind};
use checkout_core::ids::MerchantId;
use checkout_core::session::{Session, State};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::sessions::{self, Ctx};
use crate::store::LedgerEntry;

/// What happened to one confirmation.
pub struct Recorded {
    pub events: Vec<Event>,
    /// Every event existed already: a duplicate.
    pub duplicate: bool,
    /// The session after the confirmation, if it matched one.
    pub session: Option<Session>,
}

impl Recorded {
    pub fn to_json(&self) -> Value {
        json!({
            "received": true,
            "duplicate": self.duplicate,
            "events": self.events.iter().map(|e| json!({"id": e.id, "type": e.kind})).collect::<Vec<_>>(),
            "session_id": self.session.as_ref().map(|s| s.id.to_string()),
            "status": self.session.as_ref().map(|s| s.state.as_str()),
        })
    }
}

/// Records a verified confirmation for `merchant`, against `session` if one matched.
pub async fn record(
    ctx: &Ctx,
    merchant: &MerchantId,
    session: Option<Session>,
    c: &Confirmation,
) -> ApiResult<Recorded> {
    let (session, changed, events) = match session {
        None => (
            None,
            false,
            vec![confirmation::unmatched(merchant, c, ctx.now)],
        ),
        Some(s) => {
            let s = sessions::refresh(ctx, s).await?;
            let d = confirmation::decide(&s, c, ctx.now).map_err(|e| match e {
                DecideError::Amount => {
                    ApiError::bad_request("amount_invalid", "amount must be a decimal number")
                        .field("amount")
                }
                DecideError::Currency => ApiError::new(
                    422,
                    "currency_mismatch",
                    format!("currency must be the session's ({})", s.price.currency()),
                )
                .field("currency"),
            })?;
            (Some(d.session), d.changed, d.events)
        }
    };
    let mut fresh = Vec::new();
    for event in &events {
        if !ctx.store.has_event(&event.id).await? {
            ctx.store.put_event(event).await?;
            fresh.push(event.clone());
        }
    }
    if let Some(s) = &session {
        if changed {
            ctx.store.update_session(s).await?;
        }
        credit_wallet(ctx, s, &events).await?;
    }
    for e in &fresh {
        worker::console_log!("recorded {} {} for {}", e.kind, e.id, e.merchant_id);
    }
    Ok(Recorded {
        duplicate: fresh.is_empty(),
        events,
        session,
    })
}

/// A paid ewallet order credits its wallet; a refund debits it. Entries are keyed
/// by event id, so they are written the same however often this runs.
async fn credit_wallet(ctx: &Ctx, s: &Session, events: &[Event]) -> ApiResult<()> {
    let Some(wallet) = &s.wallet_id else {
        return Ok(());
    };
    for e in events {
        let amount = match e.kind {
            EventKind::SessionPaid if s.state == State::Paid => s.price.to_string(),
            EventKind::PaymentRefunded => format!("-{}", refunded_share(s, e)),
            _ => continue,
        };
        let entry = LedgerEntry {
            id: e.id.clone(),
            session_id: s.id.clone(),
            amount,
            created_at: e.created_at,
        };
        ctx.store.put_ledger_entry(wallet, &entry).await?;
    }
    Ok(())
}

/// The part of the order's price a refund gives back: price × refunded / expected
/// (an ETN refund is in ETN, a gateway refund in the price's currency), rounded to
/// the currency's minor units, at most the whole price.
fn refunded_share(s: &Session, e: &Event) -> Decimal {
    let price = s.price.amount();
    let parse = |v: &Option<String>| {
        v.as_deref()
            .and_then(|t| confirmation::parse_amount(t).ok())
    };
    let share = match (parse(&e.amount), parse(&e.expected_amount)) {
        (Some(refunded), Some(expected)) if !expected.is_zero() => {
            (price * refunded / expected).min(price)
        }
        _ => price,
    };
    share.round_dp_with_strategy(
        s.price.currency().minor_units(),
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    )
}

/// The kind of an ETN webhook's `event`.
pub fn etn_kind(event: &str) -> Option<Kind> {
    match event {
        "payment" => Some(Kind::Payment),
        "refund" => Some(Kind::Refund),
        _ => None,
    }
}

/// The kind of a gateway webhook's `event`.
pub fn gateway_kind(event: &str) -> Option<Kind> {
    match event {
        "payment.succeeded" => Some(Kind::Payment),
        "payment.failed" => Some(Kind::Failure),
        "refund.succeeded" => Some(Kind::Refund),
        _ => None,
    }
}
