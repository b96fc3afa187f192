//! The merchant dashboard's server side: signing in with one-time links
//! (`signin.rs`), serving the app's files with strict security headers
//! (`pages.rs`), the reads the app needs beyond the merchant API
//! (`reads.rs`), and the import of sessions older than the account object's
//! sessions table (`backfill.rs`). The app itself is the `dashboard/` crate (Leptos, in the
//! browser); it calls the same routes merchants' code calls, authenticated by
//! the sign-in cookie instead of a key (see `auth.rs`).

pub mod backfill;
pub mod pages;
pub mod reads;
pub mod signin;

use checkout_api::dashboard::{GiveBack, SessionSummary};
use checkout_core::session::{Session, State};

/// A session as the dashboard lists it, as of `now` (the account object's
/// listing recomputes the state as of the time it is read).
pub fn summary(s: &Session, now: i64) -> SessionSummary {
    let state = s.state_at(now);
    SessionSummary {
        id: s.id.clone(),
        dialect: s.dialect,
        state,
        status: s.dialect.status(state).to_owned(),
        amount: s.price.to_string(),
        currency: s.price.currency().code().to_owned(),
        etn_amount: s.etn_due().to_string(),
        order_id: s.order_id.clone(),
        payment_id: s.payment_string.payment_id().to_string(),
        alias: s
            .public_order_id
            .as_ref()
            .map(|a| a.to_string())
            .or_else(|| s.link_id.as_ref().map(|a| a.to_string())),
        created_at: s.created_at,
        expires_at: s.expires_at,
        paid_at: (s.state == State::Paid).then_some(s.updated_at),
        notification_failing: false,
        etn_received: (!s.payments.is_empty()).then(|| s.tally().received().0.to_string()),
        give_back: give_back(s, now),
        late: s.late,
        accepted_by: s.accepted.as_ref().map(|a| a.by.clone()),
    }
}

/// What the merchant should give back of a session, if anything.
fn give_back(s: &Session, now: i64) -> Option<GiveBack> {
    let (etn, amount) = s.to_give_back(now);
    (etn > rust_decimal::Decimal::ZERO || amount > rust_decimal::Decimal::ZERO).then(|| GiveBack {
        etn: etn.to_string(),
        amount: amount.to_string(),
    })
}
