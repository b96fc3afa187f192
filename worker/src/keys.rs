//! API keys: issued (shown once), listed by preview with when each was last
//! used, revoked. The admin API manages any merchant's keys; a merchant manages
//! its own through `/v1/keys`, in the mode it signed in with (a test key or a
//! test dashboard sign-in never sees or issues live keys).
//!
//! Keys are stored only as SHA-256 hashes (`apikey:{hash}`, read at the edge
//! on every request). What is listed, with the hash that finds each key's
//! record, is kept by the merchant's account object of the key's mode, one row
//! per key (see `account/keys.rs`). Lists that an older version kept in KV
//! (`keys:{merchant}`) move there the first time the merchant's keys are used.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use checkout_core::ids::{KeyId, MerchantId};
use checkout_core::session::Mode;
use checkout_core::time::UnixSeconds;

use crate::account::protocol::{AddKey, ListKeys, Refusal, RevokeKey};
use crate::account::ListedKey;
use crate::admin::wire::{requested_mode, CreateKey, IssuedKey, KeyList};
use crate::auth::Caller;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::random;
use crate::route::{Call, OptionalJson, Path, Reply};
use crate::secret::{digest, ExposeSecret, SecretString};
use crate::store::{ApiKeyRecord, KeyMeta, Owner};

/// The answer that shows a new key, this once (201).
pub fn issued(meta: KeyMeta, key: &SecretString) -> Reply<IssuedKey> {
    Reply::with_status(
        201,
        IssuedKey {
            meta,
            key: key.expose_secret().to_owned(),
        },
    )
}

/// A new key in `mode` (`fixed`: a known one, for local dev), what is listed
/// of it, and its hash (what finds its record). Stores nothing.
pub fn mint(
    mode: Mode,
    fixed: Option<SecretString>,
    now: UnixSeconds,
) -> (KeyMeta, SecretString, String) {
    let prefix = mode.key_prefix();
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
    (meta, key, hash)
}

/// Issues a key in `mode`; `fixed` lets local dev seed a known key.
pub async fn issue(
    ctx: &Ctx,
    merchant: &MerchantId,
    mode: Mode,
    fixed: Option<SecretString>,
    now: UnixSeconds,
) -> ApiResult<(KeyMeta, SecretString)> {
    let (meta, key, hash) = mint(mode, fixed, now);
    move_legacy_list(ctx, merchant).await?;
    ctx.store
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
    // Listed after its record exists: a listed key always has one to revoke.
    ctx.account(Owner { merchant, mode })
        .call(AddKey {
            key: ListedKey {
                id: meta.id.clone(),
                preview: meta.preview.clone(),
                hash,
                created_at: now,
                revoked_at: None,
                last_used_at: None,
            },
        })
        .await?;
    Ok((meta, key))
}

/// A merchant's keys, oldest first, in one mode or both, with when each was
/// last used.
pub async fn list(ctx: &Ctx, merchant: &MerchantId, mode: Option<Mode>) -> ApiResult<Vec<KeyMeta>> {
    move_legacy_list(ctx, merchant).await?;
    let mut out = Vec::new();
    for mode in modes(mode) {
        for key in ctx.account(Owner { merchant, mode }).call(ListKeys).await? {
            let last_used_at = last_used(ctx, &key).await?;
            out.push(meta(key, mode, last_used_at));
        }
    }
    out.sort_by(|a, b| (a.created_at, a.id.as_str()).cmp(&(b.created_at, b.id.as_str())));
    Ok(out)
}

/// Revokes one of a merchant's keys (in `mode`, if given): 404 for a key that is
/// not there, whoever's it is.
pub async fn revoke(
    ctx: &Ctx,
    merchant: &MerchantId,
    mode: Option<Mode>,
    id: &KeyId,
) -> ApiResult<KeyMeta> {
    move_legacy_list(ctx, merchant).await?;
    for mode in modes(mode) {
        let answer = ctx
            .account(Owner { merchant, mode })
            .try_call(RevokeKey {
                id: id.clone(),
                now: ctx.now,
            })
            .await?;
        let key = match answer {
            Ok(key) => key,
            Err(Refusal::NotFound(_)) => continue,
            Err(refusal) => return Err(refusal.to_api_error()),
        };
        // The record is what authentication reads: revoking it again (after a
        // failure between the two steps) is harmless.
        ctx.store.revoke_api_key(&key.hash).await?;
        let last_used_at = last_used(ctx, &key).await?;
        return Ok(meta(key, mode, last_used_at));
    }
    Err(ApiError::not_found("key"))
}

/// When a key was last used: as its account object noted it, or, for a key
/// not used since the account objects kept it, as an older version did (KV).
async fn last_used(ctx: &Ctx, key: &ListedKey) -> ApiResult<Option<UnixSeconds>> {
    match key.last_used_at {
        Some(at) => Ok(Some(at)),
        None => ctx.store.api_key_used(&key.hash).await,
    }
}

fn modes(mode: Option<Mode>) -> Vec<Mode> {
    mode.map_or_else(|| vec![Mode::Test, Mode::Live], |m| vec![m])
}

fn meta(key: ListedKey, mode: Mode, last_used_at: Option<UnixSeconds>) -> KeyMeta {
    KeyMeta {
        id: key.id,
        mode,
        preview: key.preview,
        created_at: key.created_at,
        revoked_at: key.revoked_at,
        last_used_at,
    }
}

/// Moves a key list an older version kept in KV into the account objects (each
/// key once, by id; a key revoked there stays revoked), then forgets it.
async fn move_legacy_list(ctx: &Ctx, merchant: &MerchantId) -> ApiResult<()> {
    let legacy = ctx.store.key_list(merchant).await?;
    if legacy.is_empty() {
        return Ok(());
    }
    for entry in legacy {
        let mode = entry.meta.mode;
        ctx.account(Owner { merchant, mode })
            .call(AddKey {
                key: ListedKey {
                    id: entry.meta.id,
                    preview: entry.meta.preview,
                    hash: entry.hash,
                    created_at: entry.meta.created_at,
                    revoked_at: entry.meta.revoked_at,
                    last_used_at: entry.meta.last_used_at,
                },
            })
            .await?;
    }
    ctx.store.delete_key_list(merchant).await
}

/// `GET /v1/keys`: the caller's keys in its mode.
pub async fn get_keys(call: Call, caller: Caller) -> ApiResult<Reply<KeyList>> {
    let data = list(&call.ctx, &caller.merchant.id, Some(caller.mode)).await?;
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
        &call.ctx,
        &caller.merchant.id,
        caller.mode,
        None,
        call.ctx.now,
    )
    .await?;
    Ok(issued(meta, &key))
}

/// `DELETE /v1/keys/{id}`: revokes one of the caller's keys (its mode only).
pub async fn delete_key(
    call: Call,
    caller: Caller,
    Path(id): Path<KeyId>,
) -> ApiResult<Reply<KeyMeta>> {
    let meta = revoke(&call.ctx, &caller.merchant.id, Some(caller.mode), &id).await?;
    Ok(Reply::ok(meta))
}
