//! A session as its webhooks carry it, taken when its events happen: the
//! REST resource of its dialect (each dialect's wire view), and what the
//! ewallet and payment-link seeds' own bodies need.

use checkout_core::session::{Dialect, Session};

use super::protocol::{LinkFacts, OrderFacts, SessionSnapshot};
use crate::ctx::Ctx;
use crate::dialect::{ewallet, gateway, links, native};
use crate::error::{ApiError, ApiResult};

/// A session as its webhooks carry it: the REST resource of its dialect (the
/// envelope's `data`), and what the ewallet and payment-link seeds' own bodies
/// need.
pub fn snapshot(ctx: &Ctx, s: &Session) -> ApiResult<SessionSnapshot> {
    let view = match s.dialect {
        Dialect::Native => serde_json::to_value(native::wire::SessionView::of(ctx, s)),
        Dialect::Gateway => serde_json::to_value(gateway::wire::GatewaySession::of(ctx, s)),
        Dialect::Ewallet => serde_json::to_value(ewallet::wire::Order::of(ctx, s)),
        Dialect::Link => serde_json::to_value(links::wire::PaymentLink::of(ctx, s)),
    }
    .map_err(|e| ApiError::internal("snapshot", e))?;
    let currency = s.price.currency().code().to_owned();
    Ok(SessionSnapshot {
        session_id: s.id.clone(),
        dialect: s.dialect,
        view,
        webhook_url: s.webhook_url.clone(),
        order: s.public_order_id.as_ref().map(|id| OrderFacts {
            order_id: id.to_string(),
            amount: s.price.to_string(),
            currency: currency.clone(),
        }),
        link: match (&s.link_id, &s.link_signature) {
            (Some(id), Some(secret)) => Some(LinkFacts {
                order_id: id.to_string(),
                secret: secret.clone(),
                amount: s.price.to_string(),
                reference: s.reference.clone(),
                currency,
            }),
            _ => None,
        },
    })
}
