//! A merchant's payment policy (per mode): what the session engine accepts by
//! itself when a payment does not fit exactly. A session keeps the policy in
//! force when it was opened, as it keeps its rate.
//!
//! - `underpayment_tolerance_percent` (0 to 10): a payment short of the amount
//!   due by at most this share pays the session; the shortfall is recorded.
//! - `late_window_minutes` (0 to 1440): a payment that arrives after the
//!   session expired, within this window, pays it (marked late) ...
//! - `late_max_rate_change_percent` (0 to 100): ... if the ETN rate of the
//!   session's currency has moved no more than this since the session opened
//!   (an ETN payment's worth depends on it; a payment in the session's own
//!   currency does not).
//!
//! Anything else goes to the merchant (`needs_review`). The defaults accept
//! nothing that does not fit.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::time::UnixSeconds;
use crate::validate::FieldError;

/// Largest underpayment tolerance, in percent.
pub const MAX_TOLERANCE_PERCENT: u32 = 10;
/// Longest late window, in minutes (a day).
pub const MAX_LATE_WINDOW_MINUTES: i64 = 1440;
/// Largest rate change a late payment may come with, in percent.
pub const MAX_RATE_CHANGE_PERCENT: u32 = 100;

/// What a merchant accepts by itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentPolicy {
    /// A payment short by at most this many percent of the amount due pays.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2.5"))]
    pub underpayment_tolerance_percent: Decimal,
    /// How long after its expiry a payment still pays a session.
    pub late_window_minutes: u32,
    /// How far the ETN rate may have moved for a late ETN payment to pay.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "5"))]
    pub late_max_rate_change_percent: Decimal,
}

/// A policy as a client writes it: decimals as text (or numbers), validated
/// by [`PaymentPolicy::from_request`]. Absent fields are 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyRequest {
    pub underpayment_tolerance_percent: Option<String>,
    pub late_window_minutes: Option<i64>,
    pub late_max_rate_change_percent: Option<String>,
}

/// A percentage: a plain decimal (no exponent, no sign), at most two
/// decimals, within `0..=max`.
fn percent(field: &str, text: Option<&str>, max: u32) -> Result<Decimal, FieldError> {
    let Some(text) = text else {
        return Ok(Decimal::ZERO);
    };
    let plain = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && text.bytes().filter(|&b| b == b'.').count() <= 1
        && !text.starts_with('.')
        && !text.ends_with('.');
    let value = plain
        .then(|| text.parse::<Decimal>().ok())
        .flatten()
        .filter(|v| v.scale() <= 2 && *v <= Decimal::from(max))
        .ok_or_else(|| {
            FieldError::new(
                field,
                "percent_invalid",
                format!(
                    "{field} must be a decimal from 0 to {max}, at most two decimals (\"2.5\")"
                ),
            )
        })?;
    Ok(value.normalize())
}

impl PaymentPolicy {
    /// Validates a client's policy: each bad value a [`FieldError`] naming its
    /// field.
    pub fn from_request(r: &PolicyRequest) -> Result<PaymentPolicy, FieldError> {
        let minutes = r.late_window_minutes.unwrap_or(0);
        if !(0..=MAX_LATE_WINDOW_MINUTES).contains(&minutes) {
            return Err(FieldError::new(
                "late_window_minutes",
                "minutes_out_of_range",
                format!("late_window_minutes must be between 0 and {MAX_LATE_WINDOW_MINUTES}"),
            ));
        }
        Ok(PaymentPolicy {
            underpayment_tolerance_percent: percent(
                "underpayment_tolerance_percent",
                r.underpayment_tolerance_percent.as_deref(),
                MAX_TOLERANCE_PERCENT,
            )?,
            late_window_minutes: minutes as u32,
            late_max_rate_change_percent: percent(
                "late_max_rate_change_percent",
                r.late_max_rate_change_percent.as_deref(),
                MAX_RATE_CHANGE_PERCENT,
            )?,
        })
    }

    /// Until when a payment still pays a session that expires at
    /// `expires_at`; `None` without a late window.
    pub fn late_until(&self, expires_at: UnixSeconds) -> Option<UnixSeconds> {
        (self.late_window_minutes > 0)
            .then(|| expires_at.plus(i64::from(self.late_window_minutes) * 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(tolerance: &str, minutes: i64, rate: &str) -> PolicyRequest {
        PolicyRequest {
            underpayment_tolerance_percent: Some(tolerance.into()),
            late_window_minutes: Some(minutes),
            late_max_rate_change_percent: Some(rate.into()),
        }
    }

    #[test]
    fn a_policy_reads_its_bounds_inclusive() {
        let p = PaymentPolicy::from_request(&request("10", 1440, "100")).unwrap();
        assert_eq!(p.underpayment_tolerance_percent, Decimal::from(10));
        assert_eq!(p.late_window_minutes, 1440);
        let p = PaymentPolicy::from_request(&request("2.50", 0, "0")).unwrap();
        assert_eq!(p.underpayment_tolerance_percent.to_string(), "2.5");
        assert_eq!(
            PaymentPolicy::from_request(&PolicyRequest::default()).unwrap(),
            PaymentPolicy::default()
        );
    }

    #[test]
    fn each_bad_value_names_its_field() {
        for (r, field) in [
            (request("10.01", 0, "0"), "underpayment_tolerance_percent"),
            (request("-1", 0, "0"), "underpayment_tolerance_percent"),
            (request("1e1", 0, "0"), "underpayment_tolerance_percent"),
            (request("2.555", 0, "0"), "underpayment_tolerance_percent"),
            (request("", 0, "0"), "underpayment_tolerance_percent"),
            (request(" 1", 0, "0"), "underpayment_tolerance_percent"),
            (request("1", -1, "0"), "late_window_minutes"),
            (request("1", 1441, "0"), "late_window_minutes"),
            (request("1", 60, "100.5"), "late_max_rate_change_percent"),
            (request("1", 60, "five"), "late_max_rate_change_percent"),
        ] {
            assert_eq!(
                PaymentPolicy::from_request(&r).unwrap_err().field,
                field,
                "{r:?}"
            );
        }
    }

    #[test]
    fn the_late_window_follows_the_expiry() {
        let p = PaymentPolicy::from_request(&request("0", 30, "5")).unwrap();
        assert_eq!(
            p.late_until(UnixSeconds(1_000)),
            Some(UnixSeconds(1_000 + 1_800))
        );
        assert_eq!(
            PaymentPolicy::default().late_until(UnixSeconds(1_000)),
            None
        );
    }
}
