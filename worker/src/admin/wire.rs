//! Wire types of the admin API (merchants and their keys).

use checkout_core::ids::MerchantId;
use checkout_core::session::Mode;
use checkout_core::time::UnixSeconds;
use checkout_core::validate::{self, FieldError};
use checkout_core::OutletId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::secret::{SecretString, MIN_SECRET_LEN};
use crate::store::Plan;

/// `POST /v1/admin/merchants`
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct CreateMerchant {
    pub name: Option<String>,
    /// 1 to 20 approved domains (lower-case host names), for gateway sessions.
    pub domains: Option<Vec<String>>,
    /// One approved domain (instead of `domains`).
    pub domain: Option<String>,
    /// The ETN outlet id: 13 lowercase hexadecimal characters.
    pub etn_outlet_id: Option<String>,
    /// Issued by Electroneum; at least 16 characters.
    pub etn_api_key: Option<String>,
    /// Issued by Electroneum; at least 16 characters.
    pub etn_api_secret: Option<String>,
    /// Shared with the payment processor; generated if absent; at least 16 characters.
    pub gateway_webhook_secret: Option<String>,
    /// `hosted_checkout` (default) or `smart_routing`.
    pub plan: Option<String>,
    /// Smart routing's payment methods (default `["etn"]`).
    pub methods: Option<Vec<String>>,
}

/// A merchant to create, validated.
pub struct NewMerchant {
    pub name: String,
    pub domains: Vec<String>,
    pub outlet_id: OutletId,
    pub plan: Plan,
    pub methods: Vec<String>,
    pub etn_api_key: SecretString,
    pub etn_api_secret: SecretString,
    pub gateway_secret: Option<SecretString>,
}

/// A merchant secret: present, at most 256 characters, and at least
/// [`MIN_SECRET_LEN`] (its masked view shows four).
pub fn secret(field: &str, value: Option<&str>) -> ApiResult<SecretString> {
    let value = value.unwrap_or_default();
    validate::text(field, Some(value), true, 256)?;
    if value.chars().count() < MIN_SECRET_LEN {
        return Err(ApiError::invalid(
            field,
            "secret_too_short",
            format!("{field} must be at least {MIN_SECRET_LEN} characters"),
        ));
    }
    Ok(SecretString::from(value.to_owned()))
}

impl TryFrom<CreateMerchant> for NewMerchant {
    type Error = ApiError;

    fn try_from(w: CreateMerchant) -> ApiResult<NewMerchant> {
        let name = w.name.unwrap_or_default();
        validate::text("name", Some(&name), true, 100)?;
        let domains = match (w.domains, w.domain) {
            (Some(list), _) => list,
            (None, Some(one)) => vec![one],
            (None, None) => Vec::new(),
        };
        if domains.is_empty() || domains.len() > 20 {
            return Err(FieldError::new(
                "domains",
                "missing_field",
                "give 1 to 20 approved domains",
            )
            .into());
        }
        for (i, d) in domains.iter().enumerate() {
            validate::domain(&format!("domains[{i}]"), d)?;
        }
        let outlet = w.etn_outlet_id.unwrap_or_default();
        if outlet.is_empty() {
            return Err(ApiError::missing("etn_outlet_id"));
        }
        let outlet_id = outlet
            .parse::<OutletId>()
            .map_err(|e| ApiError::invalid("etn_outlet_id", e.code(), e.to_string()))?;
        let plan = match w.plan.as_deref() {
            None | Some("hosted_checkout") => Plan::HostedCheckout,
            Some("smart_routing") => Plan::SmartRouting,
            Some(_) => {
                return Err(ApiError::invalid(
                    "plan",
                    "plan_invalid",
                    "plan must be hosted_checkout or smart_routing",
                ))
            }
        };
        let methods = w.methods.unwrap_or_else(|| vec!["etn".to_owned()]);
        for (i, m) in methods.iter().enumerate() {
            validate::text(&format!("methods[{i}]"), Some(m), true, 32)?;
        }
        Ok(NewMerchant {
            name,
            domains,
            outlet_id,
            plan,
            methods,
            etn_api_key: secret("etn_api_key", w.etn_api_key.as_deref())?,
            etn_api_secret: secret("etn_api_secret", w.etn_api_secret.as_deref())?,
            gateway_secret: w
                .gateway_webhook_secret
                .as_deref()
                .map(|s| secret("gateway_webhook_secret", Some(s)))
                .transpose()?,
        })
    }
}

/// A merchant as the admin API shows it: secrets masked (`…abcd`), except once,
/// in the answer that created them, for the secrets the worker generated.
#[derive(Debug, Serialize, ToSchema)]
pub struct MerchantView {
    pub id: MerchantId,
    pub name: String,
    pub domains: Vec<String>,
    pub etn_outlet_id: String,
    pub plan: Plan,
    pub methods: Vec<String>,
    pub etn_api_key: String,
    pub etn_api_secret: String,
    pub gateway_webhook_secret: String,
    /// `whsec_...`: signs the webhooks we send this merchant in live mode.
    pub signing_secret: String,
    /// `whsec_...`: signs the webhooks we send in test mode (another secret
    /// than live's, so that a test receiver cannot verify live webhooks).
    pub test_signing_secret: String,
    #[schema(value_type = i64)]
    pub created_at: UnixSeconds,
}

pub use checkout_api::keys::{CreateKey, IssuedKey, KeyList};

/// The mode a key is asked for: `test` (the default) or `live`.
pub fn requested_mode(request: &CreateKey) -> ApiResult<Mode> {
    match request.mode.as_deref() {
        None => Ok(Mode::Test),
        Some(text) => Mode::from_wire(text)
            .ok_or_else(|| ApiError::invalid("mode", "mode_invalid", "mode must be test or live")),
    }
}
