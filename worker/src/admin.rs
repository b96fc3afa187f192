//! The admin API (ADMIN_KEY): merchants and their API keys.
//!
//! Keys and generated secrets are shown once, in the response that creates them;
//! afterwards only masked forms (`…abcd`) are ever returned.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use checkout_core::ids::{KeyId, MerchantId};
use checkout_core::session::Mode;
use checkout_core::signature::standard;
use checkout_core::validate::{self, FieldError};
use checkout_core::OutletId;
use serde_json::{json, Value};
use worker::Response;

use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::json::Object;
use crate::random;
use crate::secrets::{mask, open, seal};
use crate::store::{digest, ApiKeyRecord, KeyMeta, MerchantRecord, Plan, Store};

/// What creates a merchant.
pub struct NewMerchant {
    pub name: String,
    pub domains: Vec<String>,
    pub outlet_id: String,
    pub plan: Plan,
    pub methods: Vec<String>,
    pub etn_api_key: String,
    pub etn_api_secret: String,
    pub gateway_secret: Option<String>,
}

impl NewMerchant {
    pub fn from_json(o: &Object) -> ApiResult<NewMerchant> {
        let name = o.string("name")?.unwrap_or_default();
        validate::text("name", Some(&name), true, 100)?;
        let domains = match (o.strings("domains")?, o.string("domain")?) {
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
        let outlet_id = o.string("etn_outlet_id")?.unwrap_or_default();
        if outlet_id.is_empty() {
            return Err(FieldError::missing("etn_outlet_id").into());
        }
        outlet_id.parse::<OutletId>().map_err(|e| {
            ApiError::from(FieldError::new("etn_outlet_id", e.code(), e.to_string()))
        })?;
        let plan = match o.string("plan")?.as_deref() {
            None | Some("hosted_checkout") => Plan::HostedCheckout,
            Some("smart_routing") => Plan::SmartRouting,
            Some(_) => {
                return Err(FieldError::new(
                    "plan",
                    "plan_invalid",
                    "plan must be hosted_checkout or smart_routing",
                )
                .into())
            }
        };
        let methods = o
            .strings("methods")?
            .unwrap_or_else(|| vec!["etn".to_owned()]);
        for (i, m) in methods.iter().enumerate() {
            validate::text(&format!("methods[{i}]"), Some(m), true, 32)?;
        }
        let secret = |key: &str| -> ApiResult<String> {
            let value = o.string(key)?.unwrap_or_default();
            validate::text(key, Some(&value), true, 256)?;
            Ok(value)
        };
        let gateway_secret = match o.string("gateway_webhook_secret")? {
            Some(s) => {
                validate::text("gateway_webhook_secret", Some(&s), true, 256)?;
                Some(s)
            }
            None => None,
        };
        Ok(NewMerchant {
            name,
            domains,
            outlet_id,
            plan,
            methods,
            etn_api_key: secret("etn_api_key")?,
            etn_api_secret: secret("etn_api_secret")?,
            gateway_secret,
        })
    }
}

/// A merchant as created: the record and the secrets to show once.
pub struct Created {
    pub record: MerchantRecord,
    pub signing_secret: String,
    pub gateway_secret: String,
}

pub async fn create_merchant(
    config: &Config,
    store: &Store,
    new: NewMerchant,
    now: i64,
) -> ApiResult<Created> {
    let key = config.secrets_key()?;
    let signing_secret = standard::Secret::from_bytes(random::bytes::<32>()).expose();
    let gateway_secret = new
        .gateway_secret
        .unwrap_or_else(|| format!("gws_{}", URL_SAFE_NO_PAD.encode(random::bytes::<24>())));
    let record = MerchantRecord {
        id: MerchantId::from_random(random::bytes()),
        name: new.name,
        domains: new.domains,
        outlet_id: new.outlet_id,
        plan: new.plan,
        methods: new.methods,
        etn_api_key: seal(key, &new.etn_api_key),
        etn_api_secret: seal(key, &new.etn_api_secret),
        gateway_secret: seal(key, &gateway_secret),
        signing_secret: seal(key, &signing_secret),
        created_at: now,
    };
    store.put_merchant(&record).await?;
    Ok(Created {
        record,
        signing_secret,
        gateway_secret,
    })
}

/// A merchant as the admin API shows it: secrets masked.
pub fn view(config: &Config, m: &MerchantRecord) -> ApiResult<Value> {
    let key = config.secrets_key()?;
    let masked = |sealed: &str| open(key, sealed).map(|s| mask(&s));
    Ok(json!({
        "id": m.id,
        "name": m.name,
        "domains": m.domains,
        "etn_outlet_id": m.outlet_id,
        "plan": m.plan,
        "methods": m.methods,
        "etn_api_key": masked(&m.etn_api_key)?,
        "etn_api_secret": masked(&m.etn_api_secret)?,
        "gateway_webhook_secret": masked(&m.gateway_secret)?,
        "signing_secret": masked(&m.signing_secret)?,
        "created_at": m.created_at,
    }))
}

/// Issues a key; `fixed` lets local dev seed a known key.
pub async fn issue_key(
    store: &Store,
    merchant: &MerchantId,
    mode: Mode,
    fixed: Option<String>,
    now: i64,
) -> ApiResult<(KeyMeta, String)> {
    let prefix = match mode {
        Mode::Test => "sk_test_",
        Mode::Live => "sk_live_",
    };
    let key = fixed
        .unwrap_or_else(|| format!("{prefix}{}", URL_SAFE_NO_PAD.encode(random::bytes::<24>())));
    let meta = KeyMeta {
        id: KeyId::from_random(random::bytes()),
        mode,
        preview: format!("{}…", &key[..prefix.len() + 4]),
        created_at: now,
        revoked_at: None,
    };
    store
        .put_api_key(
            &key,
            &ApiKeyRecord {
                key_id: meta.id.clone(),
                merchant_id: merchant.clone(),
                mode,
                revoked: false,
            },
        )
        .await?;
    let mut list = store.key_list(merchant).await?;
    list.push((meta.clone(), digest(&key)));
    store.put_key_list(merchant, &list).await?;
    Ok((meta, key))
}

fn merchant_id(text: &str) -> ApiResult<MerchantId> {
    text.parse().map_err(|_| ApiError::not_found("merchant"))
}

async fn load(store: &Store, id: &str) -> ApiResult<MerchantRecord> {
    store
        .merchant(&merchant_id(id)?)
        .await?
        .ok_or_else(|| ApiError::not_found("merchant"))
}

/// `POST /v1/admin/merchants`
pub async fn post_merchant(
    config: &Config,
    store: &Store,
    body: &Object,
    now: i64,
) -> ApiResult<Response> {
    let new = NewMerchant::from_json(body)?;
    // An ETN outlet is one vendor's: its webhooks and polls must name one merchant.
    if store.merchant_by_outlet(&new.outlet_id).await?.is_some() {
        return Err(ApiError::new(
            409,
            "outlet_taken",
            "another merchant already uses this ETN outlet",
        )
        .field("etn_outlet_id"));
    }
    let created = create_merchant(config, store, new, now).await?;
    let mut v = view(config, &created.record)?;
    v["signing_secret"] = json!(created.signing_secret);
    v["gateway_webhook_secret"] = json!(created.gateway_secret);
    http::json(201, &v)
}

/// `GET /v1/admin/merchants/{id}`
pub async fn get_merchant(config: &Config, store: &Store, id: &str) -> ApiResult<Response> {
    let m = load(store, id).await?;
    http::json(200, &view(config, &m)?)
}

/// `POST /v1/admin/merchants/{id}/keys` with an optional `{"mode": "test" | "live"}`.
pub async fn post_key(
    store: &Store,
    id: &str,
    body: Option<&Object>,
    now: i64,
) -> ApiResult<Response> {
    let m = load(store, id).await?;
    let mode = match body
        .map(|b| b.string("mode"))
        .transpose()?
        .flatten()
        .as_deref()
    {
        None | Some("test") => Mode::Test,
        Some("live") => Mode::Live,
        Some(_) => {
            return Err(FieldError::new("mode", "mode_invalid", "mode must be test or live").into())
        }
    };
    let (meta, key) = issue_key(store, &m.id, mode, None, now).await?;
    let mut v = serde_json::to_value(&meta).map_err(|e| ApiError::internal("key", e))?;
    v["key"] = json!(key);
    http::json(201, &v)
}

/// `GET /v1/admin/merchants/{id}/keys`
pub async fn list_keys(store: &Store, id: &str) -> ApiResult<Response> {
    let m = load(store, id).await?;
    let keys: Vec<KeyMeta> = store
        .key_list(&m.id)
        .await?
        .into_iter()
        .map(|(meta, _)| meta)
        .collect();
    http::json(200, &json!({ "data": keys }))
}

/// `DELETE /v1/admin/merchants/{id}/keys/{key_id}`
pub async fn revoke_key(store: &Store, id: &str, key_id: &str, now: i64) -> ApiResult<Response> {
    let m = load(store, id).await?;
    let mut list = store.key_list(&m.id).await?;
    let entry = list
        .iter_mut()
        .find(|(meta, _)| meta.id.as_str() == key_id)
        .ok_or_else(|| ApiError::not_found("key"))?;
    if entry.0.revoked_at.is_none() {
        entry.0.revoked_at = Some(now);
        store.revoke_api_key(&entry.1).await?;
    }
    let meta = entry.0.clone();
    store.put_key_list(&m.id, &list).await?;
    http::json(200, &meta)
}
