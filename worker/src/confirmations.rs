//! Verified payment confirmations, whatever brought them (ETN webhooks, ETN polls,
//! gateway webhooks, the sandbox): applied to their session through core's one
//! transition function, or kept as unmatched payments. Only after that is the
//! provider answered 2xx.

use checkout_core::confirmation::{self, Confirmation};
use checkout_core::event::{Event, EventKind};
use checkout_core::ids::SessionId;
use checkout_core::session::{Mode, Session, State};
use checkout_core::{AmountError, Currency, Money, PaymentId};
use serde::Serialize;
use utoipa::ToSchema;

use crate::account::protocol::{Change, ConfirmPayment, RecordUnmatched};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::sessions::{self, Located};
use crate::store::{MerchantRecord, Owner};

/// What a provider is told about its confirmation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ack {
    pub received: bool,
    /// Every event it caused existed already: a retry or a copy.
    pub duplicate: bool,
    pub events: Vec<AckEvent>,
    pub session_id: Option<SessionId>,
    #[schema(value_type = Option<String>)]
    pub status: Option<State>,
}

/// An event a confirmation caused.
#[derive(Debug, Serialize, ToSchema)]
pub struct AckEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventKind,
}

impl Ack {
    fn of(events: &[Event], fresh: &[String], session: Option<&Session>) -> Ack {
        Ack {
            received: true,
            duplicate: fresh.is_empty(),
            events: events
                .iter()
                .map(|e| AckEvent {
                    id: e.id.clone(),
                    kind: e.kind,
                })
                .collect(),
            session_id: session.map(|s| s.id.clone()),
            status: session.map(|s| s.state),
        }
    }
}

/// Records a verified confirmation against the session at `located`.
pub async fn record(ctx: &Ctx, located: Located, c: &Confirmation) -> ApiResult<Ack> {
    let applied = sessions::apply(ctx, located, Change::Confirm(c.clone())).await?;
    Ok(Ack::of(
        &applied.events,
        &applied.fresh,
        Some(&applied.read.session),
    ))
}

/// Where a merchant's ETN payment id is looked for, in order: ETN's payments
/// are live money, so the live account first.
pub const PAYMENT_MODES: [Mode; 2] = [Mode::Live, Mode::Test];

/// Records a verified ETN confirmation for `merchant`, against the session that
/// holds its payment id: ETN's payments are live money, so the live account is
/// asked first, then the test account, then the KV records of versions before
/// the account objects. A payment no session holds is still never lost: it is
/// kept in the live account as unmatched.
pub async fn record_payment(
    ctx: &Ctx,
    merchant: &MerchantRecord,
    payment_id: &PaymentId,
    c: &Confirmation,
) -> ApiResult<Ack> {
    for mode in PAYMENT_MODES {
        let owner = Owner {
            merchant: &merchant.id,
            mode,
        };
        let answer = ctx
            .account(owner)
            .try_call(ConfirmPayment {
                payment_id: *payment_id,
                confirmation: c.clone(),
            })
            .await?;
        match answer {
            Ok(applied) => {
                return Ok(Ack::of(
                    &applied.events,
                    &applied.fresh,
                    Some(&applied.read.session),
                ))
            }
            Err(refusal) if sessions::not_found(&refusal) => {}
            Err(refusal) => return Err(refusal.to_api_error()),
        }
    }
    if let Some(id) = ctx
        .store
        .session_of_payment(&merchant.id, payment_id)
        .await?
    {
        if let Some(located) = sessions::locate(ctx, &id).await? {
            return record(ctx, located, c).await;
        }
    }
    let event = confirmation::unmatched(&merchant.id, c, ctx.now);
    let owner = Owner {
        merchant: &merchant.id,
        mode: Mode::Live,
    };
    let recorded = ctx.account(owner).call(RecordUnmatched { event }).await?;
    Ok(Ack::of(&recorded.events, &recorded.fresh, None))
}

/// An amount as a provider wrote it, parsed strictly at the wire: a positive
/// decimal with no more decimals than its currency, at most core's `MAX_AMOUNT`
/// (so no arithmetic on it can overflow). Too large is 422 `amount_too_large`;
/// anything else that is not such a number is 400 `amount_invalid`.
pub fn provider_amount(text: &str, currency: Currency) -> ApiResult<Money> {
    Money::parse(text, currency).map_err(|e| match e {
        AmountError::TooLarge => ApiError::invalid("amount", e.code(), format!("amount: {e}")),
        _ => ApiError::bad_request("amount_invalid", format!("amount: {e}")).field("amount"),
    })
}
