//! API keys: issued (shown once), listed by preview with when each was last
//! used, revoked. The admin API manages any merchant's keys; a merchant manages
//! its own through `/v1/keys`, in the mode it signed in with (a test key or a
//! test dashboard sign-in never sees or issues live keys).
//!
//! Keys are stored only as SHA-256 hashes (`apikey:{hash}`); the merchant's key
//! list (`keys:{merchant}`) holds what is shown and the hash that finds each
//! key's record.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use checkout_core::ids::{KeyId, MerchantId};
use checkout_core::session::Mode;

use crate::admin::wire::{requested_mode, CreateKey, IssuedKey, KeyList};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::random;
use crate::route::{Call, OptionalJson, Reply};
use crate::secret::{digest, ExposeSecret, SecretString};
use crate::store::{ApiKeyRecord, KeyListEntry, KeyMeta, Store};

/// Issues a key in `mode`; `fixed` lets local dev seed a known key.
pub async fn issue(
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

/// A merchant's keys, oldest first, in one mode or both, with when each was
/// last used.
pub async fn list(
    store: &Store,
    merchant: &MerchantId,
    mode: Option<Mode>,
) -> ApiResult<Vec<KeyMeta>> {
    let mut out = Vec::new();
    for entry in store.key_list(merchant).await? {
        if mode.is_some_and(|m| m != entry.meta.mode) {
            continue;
        }
        let mut meta = entry.meta;
        meta.last_used_at = store.api_key_used(&entry.hash).await?;
        out.push(meta);
    }
    Ok(out)
}

/// Revokes one of a merchant's keys (in `mode`, if given): 404 for a key that is
/// not there, whoever's it is.
pub async fn revoke(
    store: &Store,
    merchant: &MerchantId,
    mode: Option<Mode>,
    key_id: &str,
    now: i64,
) -> ApiResult<KeyMeta> {
    let mut list = store.key_list(merchant).await?;
    let entry = list
        .iter_mut()
        .find(|e| e.meta.id.as_str() == key_id && mode.is_none_or(|m| m == e.meta.mode))
        .ok_or_else(|| ApiError::not_found("key"))?;
    if entry.meta.revoked_at.is_none() {
        entry.meta.revoked_at = Some(now);
        store.revoke_api_key(&entry.hash).await?;
    }
    let meta = entry.meta.clone();
    store.put_key_list(merchant, &list).await?;
    Ok(meta)
}

/// `GET /v1/keys`: the caller's keys in its mode.
pub async fn get_keys(call: Call, caller: Caller) -> ApiResult<Reply<KeyList>> {
    let data = list(&call.ctx.store, &caller.merchant.id, Some(caller.mode)).await?;
    Ok(Reply::ok(KeyList { data }))
}

/// `POST /v1/keys`: a new key in the caller's mode, shown this once.
pub async fn post_key(
    call: Call,
    caller: Caller,
    OptionalJson(body): OptionalJson<CreateKey>,
) -> ApiResult<Reply<IssuedKey>> {
    if let Some(body) = body.filter(|b| b.mode.is_some()) {
        if requested_mode(&body)? != caller.mode {
            return Err(ApiError::invalid(
                "mode",
                "mode_not_allowed",
                "keys are issued in the mode you are signed in with",
            ));
        }
    }
    let (meta, key) = issue(
        &call.ctx.store,
        &caller.merchant.id,
        caller.mode,
        None,
        call.ctx.now,
    )
    .await?;
    Ok(Reply::with_status(
        201,
        IssuedKey {
            meta,
            key: key.expose_secret().to_owned(),
        },
    ))
}

/// `DELETE /v1/keys/{id}`: revokes one of the caller's keys (its mode only).
pub async fn delete_key(call: Call, caller: Caller) -> ApiResult<Reply<KeyMeta>> {
    let meta = revoke(
        &call.ctx.store,
        &caller.merchant.id,
        Some(caller.mode),
        call.param("id"),
        call.ctx.now,
    )
    .await?;
    Ok(Reply::ok(meta))
}
