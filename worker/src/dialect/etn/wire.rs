//! Wire types of etn-vendor-api, both directions: ETN's signed webhook to us, and
//! the check-payment poll (which we serve to merchants and make to ETN).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use checkout_core::confirmation::{Confirmation, Kind, Provider};
use checkout_core::signature::Tolerance;
use checkout_core::time::UnixSeconds;
use checkout_core::{Currency, PaymentId};

use crate::error::{ApiError, ApiResult};
use crate::wire::{Amount, Int};

/// ETN's webhook, signed in `ETN-SIGNATURE` (hex HMAC-SHA256 of the raw body
/// with the merchant's ETN API secret).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EtnWebhook {
    pub event: Option<EtnEvent>,
    /// 10 lowercase hex characters.
    pub payment_id: Option<String>,
    /// In ETN.
    pub amount: Option<Amount>,
    /// The merchant's ETN API key.
    pub key: Option<String>,
    /// ISO 8601, within five minutes of now.
    pub timestamp: Option<String>,
    pub customer: Option<String>,
    /// ETN's reference of the transaction.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
}

/// What an ETN webhook reports; any other `event` is [`EtnEvent::Unknown`]
/// (refused, naming the field, once the signature is verified).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EtnEvent {
    Payment,
    Refund,
    #[serde(other)]
    Unknown,
}

impl EtnWebhook {
    /// Its `timestamp`, within the replay window of `now`.
    pub fn check_time(&self, now: UnixSeconds) -> ApiResult<()> {
        let timestamp = self
            .timestamp
            .as_deref()
            .ok_or_else(|| ApiError::missing("timestamp"))?;
        let ts = UnixSeconds::parse_iso8601(timestamp).ok_or_else(|| {
            ApiError::bad_request("timestamp_invalid", "timestamp must be ISO 8601")
                .field("timestamp")
        })?;
        Tolerance::DEFAULT.check(ts, now).map_err(|e| {
            worker::console_warn!("refused an ETN webhook: {}", e.code());
            ApiError::bad_request(e.code(), format!("timestamp: {e}")).field("timestamp")
        })
    }

    /// The confirmation a verified webhook makes, and the payment id it names.
    pub fn confirmation(&self) -> ApiResult<(PaymentId, Confirmation)> {
        let kind = match self.event {
            Some(EtnEvent::Payment) => Kind::Payment,
            Some(EtnEvent::Refund) => Kind::Refund,
            Some(EtnEvent::Unknown) | None => {
                return Err(ApiError::bad_request(
                    "event_unknown",
                    "event must be payment or refund",
                )
                .field("event"))
            }
        };
        let payment_id: PaymentId = self
            .payment_id
            .as_deref()
            .unwrap_or_default()
            .parse()
            .map_err(|e: checkout_core::PaymentStringError| {
                ApiError::bad_request(e.code(), e.to_string()).field("payment_id")
            })?;
        let amount = self
            .amount
            .as_ref()
            .ok_or_else(|| ApiError::missing("amount"))?;
        let confirmation = Confirmation {
            provider: Provider::Etn,
            kind,
            payment_ref: payment_id.to_string(),
            amount: crate::confirmations::provider_amount(&amount.0, Currency::ETN)?,
            provider_ref: self.reference.clone(),
        };
        Ok((payment_id, confirmation))
    }
}

/// A check-payment request: `{payment_id, vendor_address}`, signed in
/// `ETN-SIGNATURE` with the merchant's ETN API secret.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckPayment {
    pub payment_id: Option<String>,
    /// `etn-it-` + the outlet id.
    pub vendor_address: Option<String>,
}

/// A check-payment answer: `status` 1 with the `amount` paid, or 0 with a
/// `message`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckPaymentAnswer {
    pub status: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl CheckPaymentAnswer {
    pub fn paid(amount: String) -> CheckPaymentAnswer {
        CheckPaymentAnswer {
            status: Some(Int(1)),
            amount: Some(Amount(amount)),
            message: None,
        }
    }

    pub fn not_paid(message: &str) -> CheckPaymentAnswer {
        CheckPaymentAnswer {
            status: Some(Int(0)),
            amount: None,
            message: Some(message.to_owned()),
        }
    }
}
