//! The admin API (ADMIN_KEY): merchants and their API keys.
//!
//! Keys and generated secrets are shown once, in the response that creates them;
//! afterwards only masked forms (`…abcd`) are ever returned.

pub mod wire;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use checkout_core::ids::{KeyId, MerchantId};
use checkout_core::signature::standard;
use checkout_core::time::UnixSeconds;

use self::wire::{CreateKey, CreateMerchant, IssuedKey, KeyList, MerchantView, NewMerchant};
use crate::auth::Admin;
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::keys;
use crate::random;
use crate::route::{Call, Json, OptionalJson, Path, Reply};
use crate::secret::{mask, ExposeSecret, Sealed, SecretString};
use crate::store::{KeyMeta, MerchantRecord, Store};

/// A merchant as created: the record and the secrets to show once.
pub struct Created {
    pub record: MerchantRecord,
    pub signing_secret: SecretString,
    pub test_signing_secret: SecretString,
    pub gateway_secret: SecretString,
}

/// Creates a merchant, generating its signing secret (and its gateway webhook
/// secret, unless one was given).
pub async fn create_merchant(
    config: &Config,
    store: &Store,
    new: NewMerchant,
    now: UnixSeconds,
) -> ApiResult<Created> {
    let key = config.secrets_key()?;
    let new_secret =
        || SecretString::from(standard::Secret::from_bytes(random::bytes::<32>()).expose());
    let (signing_secret, test_signing_secret) = (new_secret(), new_secret());
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
        test_signing_secret: Some(Sealed::seal(key, &test_signing_secret)?),
        created_at: now,
    };
    store.put_merchant(&record).await?;
    Ok(Created {
        record,
        signing_secret,
        test_signing_secret,
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
        test_signing_secret: masked(m.signing_secret_of(checkout_core::session::Mode::Test))?,
        created_at: m.created_at,
    })
}

async fn load(call: &Call, id: &MerchantId) -> ApiResult<MerchantRecord> {
    call.ctx
        .store
        .merchant(id)
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
    v.test_signing_secret = created.test_signing_secret.expose_secret().to_owned();
    v.gateway_webhook_secret = created.gateway_secret.expose_secret().to_owned();
    Ok(Reply::with_status(201, v))
}

/// `GET /v1/admin/merchants/{id}`
pub async fn get_merchant(
    call: Call,
    _admin: Admin,
    Path(id): Path<MerchantId>,
) -> ApiResult<Reply<MerchantView>> {
    let m = load(&call, &id).await?;
    Ok(Reply::ok(view(&call.ctx.config, &m)?))
}

/// `PUT /v1/admin/merchants/{id}/brand`: the merchant's brand on the hosted
/// checkout, in test and live alike.
pub async fn put_brand(
    call: Call,
    _admin: Admin,
    Json(body): Json<checkout_api::brand::PutBrand>,
    Path(id): Path<MerchantId>,
) -> ApiResult<Reply<checkout_api::brand::Brand>> {
    let m = load(&call, &id).await?;
    let brand =
        checkout_api::brand::Brand::from_request(body.into(), call.ctx.config.url_policy())?;
    for mode in [
        checkout_core::session::Mode::Test,
        checkout_core::session::Mode::Live,
    ] {
        call.ctx
            .account(crate::store::Owner {
                merchant: &m.id,
                mode,
            })
            .call(crate::account::protocol::PutBrand {
                brand: brand.clone(),
            })
            .await?;
    }
    Ok(Reply::ok(brand))
}

/// `DELETE /v1/admin/merchants/{id}/signins`: ends every dashboard sign-in
/// of the merchant, test and live.
pub async fn end_sign_ins(
    call: Call,
    _admin: Admin,
    Path(id): Path<MerchantId>,
) -> ApiResult<Reply<checkout_api::dashboard::SignInsEnded>> {
    let m = load(&call, &id).await?;
    let ended = crate::dashboard::signin::end_all(&call.ctx, &m.id).await?;
    Ok(Reply::ok(checkout_api::dashboard::SignInsEnded { ended }))
}

/// `POST /v1/admin/merchants/{id}/keys` with an optional `{"mode": "test" | "live"}`.
pub async fn post_key(
    call: Call,
    _admin: Admin,
    OptionalJson(body): OptionalJson<CreateKey>,
    Path(id): Path<MerchantId>,
) -> ApiResult<Reply<IssuedKey>> {
    let m = load(&call, &id).await?;
    let mode = wire::requested_mode(&body.unwrap_or_default())?;
    let (meta, key) = keys::issue(&call.ctx, &m.id, mode, None, call.ctx.now).await?;
    Ok(crate::keys::issued(meta, &key))
}

/// `GET /v1/admin/merchants/{id}/keys`: both modes.
pub async fn list_keys(
    call: Call,
    _admin: Admin,
    Path(id): Path<MerchantId>,
) -> ApiResult<Reply<KeyList>> {
    let m = load(&call, &id).await?;
    let data = keys::list(&call.ctx, &m.id, None).await?;
    Ok(Reply::ok(KeyList { data }))
}

/// `DELETE /v1/admin/merchants/{id}/keys/{key_id}`
pub async fn revoke_key(
    call: Call,
    _admin: Admin,
    Path((id, key)): Path<(MerchantId, KeyId)>,
) -> ApiResult<Reply<KeyMeta>> {
    let m = load(&call, &id).await?;
    let meta = keys::revoke(&call.ctx, &m.id, None, &key).await?;
    Ok(Reply::ok(meta))
}
