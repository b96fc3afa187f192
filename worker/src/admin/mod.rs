//! The admin API (ADMIN_KEY): merchants and their API keys.
//!
//! Keys and generated secrets are shown once, in the response that creates them;
//! afterwards only masked forms (`…abcd`) are ever returned.

pub mod wire;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use checkout_core::ids::{KeyId, MerchantId};
use checkout_core::session::Mode;
use checkout_core::signature::standard;

use self::wire::{CreateKey, CreateMerchant, IssuedKey, KeyList, MerchantView, NewMerchant};
use crate::auth::Admin;
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::random;
use crate::route::{id, Call, Json, OptionalJson, Reply};
use crate::secret::{digest, mask, ExposeSecret, Sealed, SecretString};
use crate::store::{ApiKeyRecord, KeyListEntry, KeyMeta, MerchantRecord, Store};

/// A merchant as created: the record and the secrets to show once.
pub struct Created {
    pub record: MerchantRecord,
    pub signing_secret: SecretString,
    pub gateway_secret: SecretString,
}

/// Creates a merchant, generating its signing secret (and its gateway webhook
/// secret, unless one was given).
pub async fn create_merchant(
    config: &Config,
    store: &Store,
    new: NewMerchant,
    now: i64,
) -> ApiResult<Created> {
    let key = config.secrets_key()?;
    let signing_secret =
        SecretString::from(standard::Secret::from_bytes(random::bytes::<32>()).expose());
    let gateway_secret = new.gateway_secret.unwrap_or_else(|| {
        SecretString::from(format!(
            "gws_{}",
            URL_SAFE_NO_PAD.encode(random::bytes::<24>())
        ))
    });
    let record = MerchantRecord {
        id: MerchantId::from_random(random::bytes()),
        name: new.name,
        domains: new.domains,
        outlet_id: new.outlet_id,
        plan: new.plan,
        methods: new.methods,
        etn_api_key: Sealed::seal(key, &new.etn_api_key)?,
        etn_api_secret: Sealed::seal(key, &new.etn_api_secret)?,
        gateway_secret: Sealed::seal(key, &gateway_secret)?,
        signing_secret: Sealed::seal(key, &signing_secret)?,
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
fn view(config: &Config, m: &MerchantRecord) -> ApiResult<MerchantView> {
    let key = config.secrets_key()?;
    let masked = |sealed: &Sealed| sealed.open(key).map(|s| mask(&s));
    Ok(MerchantView {
        id: m.id.clone(),
        name: m.name.clone(),
        domains: m.domains.clone(),
        etn_outlet_id: m.outlet_id.as_str().to_owned(),
        plan: m.plan,
        methods: m.methods.clone(),
        etn_api_key: masked(&m.etn_api_key)?,
        etn_api_secret: masked(&m.etn_api_secret)?,
        gateway_webhook_secret: masked(&m.gateway_secret)?,
        signing_secret: masked(&m.signing_secret)?,
        created_at: m.created_at,
    })
}

/// Issues a key; `fixed` lets local dev seed a known key.
pub async fn issue_key(
    store: &Store,
    merchant: &MerchantId,
    mode: Mode,
    fixed: Option<SecretString>,
    now: i64,
) -> ApiResult<(KeyMeta, SecretString)> {
    let prefix = match mode {
        Mode::Test => "sk_test_",
        Mode::Live => "sk_live_",
    };
    let key = fixed.unwrap_or_else(|| {
        SecretString::from(format!(
            "{prefix}{}",
            URL_SAFE_NO_PAD.encode(random::bytes::<24>())
        ))
    });
    let preview: String = key.expose_secret().chars().take(prefix.len() + 4).collect();
    let meta = KeyMeta {
        id: KeyId::from_random(random::bytes()),
        mode,
        preview: format!("{preview}…"),
        created_at: now,
        revoked_at: None,
        last_used_at: None,
    };
    let hash = digest(key.expose_secret());
    store
        .put_api_key(
            &hash,
            &ApiKeyRecord {
                key_id: meta.id.clone(),
                merchant_id: merchant.clone(),
                mode,
                revoked: false,
            },
        )
        .await?;
    let mut list = store.key_list(merchant).await?;
    list.push(KeyListEntry {
        meta: meta.clone(),
        hash,
    });
    store.put_key_list(merchant, &list).await?;
    Ok((meta, key))
}

async fn load(call: &Call) -> ApiResult<MerchantRecord> {
    let id: MerchantId = id(call, "id", "merchant")?;
    call.ctx
        .store
        .merchant(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("merchant"))
}

/// `POST /v1/admin/merchants`
pub async fn post_merchant(
    call: Call,
    _admin: Admin,
    Json(body): Json<CreateMerchant>,
) -> ApiResult<Reply<MerchantView>> {
    let ctx = &call.ctx;
    let new = NewMerchant::try_from(body)?;
    // An ETN outlet is one vendor's: its webhooks and polls must name one merchant.
    if ctx
        .store
        .merchant_by_outlet(&new.outlet_id)
        .await?
        .is_some()
    {
        return Err(ApiError::new(
            409,
            "outlet_taken",
            "another merchant already uses this ETN outlet",
        )
        .field("etn_outlet_id"));
    }
    let created = create_merchant(&ctx.config, &ctx.store, new, ctx.now).await?;
    let mut v = view(&ctx.config, &created.record)?;
    v.signing_secret = created.signing_secret.expose_secret().to_owned();
    v.gateway_webhook_secret = created.gateway_secret.expose_secret().to_owned();
    Ok(Reply::with_status(201, v))
}

/// `GET /v1/admin/merchants/{id}`
pub async fn get_merchant(call: Call, _admin: Admin) -> ApiResult<Reply<MerchantView>> {
    let m = load(&call).await?;
    Ok(Reply::ok(view(&call.ctx.config, &m)?))
}

/// `POST /v1/admin/merchants/{id}/keys` with an optional `{"mode": "test" | "live"}`.
pub async fn post_key(
    call: Call,
    _admin: Admin,
    OptionalJson(body): OptionalJson<CreateKey>,
) -> ApiResult<Reply<IssuedKey>> {
    let m = load(&call).await?;
    let mode = wire::requested_mode(&body.unwrap_or_default())?;
    let (meta, key) = issue_key(&call.ctx.store, &m.id, mode, None, call.ctx.now).await?;
    Ok(Reply::with_status(
        201,
        IssuedKey {
            meta,
            key: key.expose_secret().to_owned(),
        },
    ))
}

/// `GET /v1/admin/merchants/{id}/keys`
pub async fn list_keys(call: Call, _admin: Admin) -> ApiResult<Reply<KeyList>> {
    let m = load(&call).await?;
    let data = call
        .ctx
        .store
        .key_list(&m.id)
        .await?
        .into_iter()
        .map(|entry| entry.meta)
        .collect();
    Ok(Reply::ok(KeyList { data }))
}

/// `DELETE /v1/admin/merchants/{id}/keys/{key_id}`
pub async fn revoke_key(call: Call, _admin: Admin) -> ApiResult<Reply<KeyMeta>> {
    let ctx = &call.ctx;
    let m = load(&call).await?;
    let key_id = call.param("key_id");
    let mut list = ctx.store.key_list(&m.id).await?;
    let entry = list
        .iter_mut()
        .find(|entry| entry.meta.id.as_str() == key_id)
        .ok_or_else(|| ApiError::not_found("key"))?;
    if entry.meta.revoked_at.is_none() {
        entry.meta.revoked_at = Some(ctx.now);
        ctx.store.revoke_api_key(&entry.hash).await?;
    }
    let meta = entry.meta.clone();
    ctx.store.put_key_list(&m.id, &list).await?;
    Ok(Reply::ok(meta))
}
