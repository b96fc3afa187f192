//! Signing in to the dashboard, as Svix's app portal does: a merchant key (or
//! the admin key, for a merchant id) asks for a one-time link valid for ten
//! minutes. Opening it shows whom it signs in as and a button; the button's POST
//! spends the link and sets a session cookie. A GET never spends it, so chat
//! previews and mail scanners that fetch every link leave it working.
//!
//! - The link's token and the cookie carry 256 random bits each and are stored
//!   only as SHA-256 hashes: the link in KV (`dlink:`, with a TTL), the session
//!   in the account object whose data it sees, which the cookie names
//!   (`ds_{merchant}:{mode}:{random}`).
//! - "Used once" is decided by the merchant's account object: KV alone would let
//!   two opens a moment apart both in. The same step starts the session.
//! - The cookie is `HttpOnly`, `SameSite=Strict` and `Secure` (outside local
//!   dev); a state-changing request must also carry the session's CSRF token in
//!   `X-CSRF-Token` (given by `GET /v1/dashboard/me`), so that no other site can
//!   act with it. A test-mode sign-in sees test data only.
//! - Signing out ends the session in the account object, so it ends everywhere
//!   at once (a session in KV would linger up to a minute at other locations).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use checkout_api::dashboard::{
    CreateSignInLink, Me, SignInLink, SignInList, SignInView, SignInsEnded, SignedOut,
};
use checkout_core::ids::MerchantId;
use checkout_core::session::Mode;

use crate::account::protocol::{DashboardSession, EndSignIns, ListSignIns, SignIn, SignOut, Which};
use crate::admin::wire::{requested_mode, CreateKey};
use crate::auth::{self, Caller, SignedIn, COOKIE, COOKIE_PREFIX};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::random;
use crate::route::{Call, Doc, Extract, OptionalJson, Path, Reply, Security, SignInId};
use crate::secret::digest;
use crate::store::{Owner, SignInLinkRecord};

/// How long a sign-in link may wait to be opened (seconds).
pub const LINK_TTL: i64 = 600;

/// How long a sign-in lasts (seconds).
pub const SESSION_TTL: i64 = 12 * 60 * 60;

/// Where the sign-in page is.
pub const SIGNIN_PATH: &str = "/dashboard/signin";

/// The name of the link's token: in the link's query, and in the form that
/// spends it.
pub const TOKEN_FIELD: &str = "token";

fn new_token(prefix: &str) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(random::bytes::<32>()))
}

/// Who may issue a sign-in link: a merchant key (into its own merchant and
/// mode) or the admin key (into any merchant). A cookie may not.
pub enum Issuer {
    Merchant(Box<Caller>),
    Admin,
}

impl Extract for Issuer {
    async fn extract(call: &mut Call) -> ApiResult<Self> {
        let key = auth::presented_key(&call.req)?.unwrap_or_default();
        if key.is_empty() {
            return Err(ApiError::unauthorized(
                "missing_api_key",
                "send a merchant key (or the admin key) as `Authorization: Bearer ...`",
            ));
        }
        if Mode::of_key(&key).is_some() {
            auth::merchant(&call.req, &call.ctx.store)
                .await
                .map(|caller| Issuer::Merchant(Box::new(caller)))
        } else {
            auth::admin(&call.req, &call.ctx.config).map(|_| Issuer::Admin)
        }
    }

    fn document(doc: &mut Doc) {
        doc.security = Security::Merchant;
        doc.errors.insert(401);
    }
}

/// `POST /v1/dashboard/links`: a one-time sign-in link.
pub async fn create_link(
    call: Call,
    issuer: Issuer,
    OptionalJson(body): OptionalJson<CreateSignInLink>,
) -> ApiResult<Reply<SignInLink>> {
    let ctx = &call.ctx;
    let body = body.unwrap_or_default();
    let mode_asked = body
        .mode
        .clone()
        .map(|mode| requested_mode(&CreateKey { mode: Some(mode) }))
        .transpose()?;
    let key_id = match &issuer {
        Issuer::Merchant(caller) => caller.key_id().cloned(),
        Issuer::Admin => None,
    };
    let (merchant_id, mode): (MerchantId, Mode) = match issuer {
        Issuer::Merchant(caller) => {
            if body
                .merchant_id
                .as_deref()
                .is_some_and(|m| m != caller.merchant.id.as_str())
            {
                return Err(ApiError::invalid(
                    "merchant_id",
                    "merchant_not_allowed",
                    "a merchant key signs into its own merchant only",
                ));
            }
            if mode_asked.is_some_and(|m| m != caller.mode) {
                return Err(ApiError::invalid(
                    "mode",
                    "mode_not_allowed",
                    "a key signs into its own mode only",
                ));
            }
            (caller.merchant.id.clone(), caller.mode)
        }
        Issuer::Admin => {
            let id = body
                .merchant_id
                .as_deref()
                .ok_or_else(|| ApiError::missing("merchant_id"))?;
            let id: MerchantId = id.parse().map_err(|_| ApiError::not_found("merchant"))?;
            let merchant = ctx
                .store
                .merchant(&id)
                .await?
                .ok_or_else(|| ApiError::not_found("merchant"))?;
            (merchant.id, mode_asked.unwrap_or(Mode::Test))
        }
    };
    let expires_in = body.expires_in.unwrap_or(LINK_TTL);
    if !(1..=LINK_TTL).contains(&expires_in) {
        return Err(ApiError::invalid(
            "expires_in",
            "expires_in_invalid",
            format!("expires_in must be between 1 and {LINK_TTL} seconds"),
        ));
    }
    let token = new_token("dl_");
    let expires_at = ctx.now.plus(expires_in);
    ctx.store
        .put_sign_in_link(
            &digest(&token),
            &SignInLinkRecord {
                merchant_id,
                mode,
                expires_at,
                key_id,
            },
            expires_in as u64,
        )
        .await?;
    Ok(Reply::with_status(
        201,
        SignInLink {
            url: format!("{}{SIGNIN_PATH}?{TOKEN_FIELD}={token}", ctx.origin),
            expires_at,
        },
    ))
}

/// Why a link did not sign anyone in.
pub const LINK_REFUSED: &str =
    "This sign-in link has expired or was already used. Ask for a new one.";

fn refused() -> ApiError {
    ApiError::unauthorized("sign_in_link_invalid", LINK_REFUSED)
}

/// The link `token` names, with its hash, while it may still sign in: known
/// and not expired (`LINK_REFUSED`, 401, otherwise). Spends nothing.
async fn pending_link(ctx: &Ctx, token: &str) -> ApiResult<(String, SignInLinkRecord)> {
    if token.len() > 128 {
        return Err(refused());
    }
    let hash = digest(token);
    let link = ctx.store.sign_in_link(&hash).await?.ok_or_else(refused)?;
    if link.expires_at <= ctx.now {
        return Err(refused());
    }
    Ok((hash, link))
}

/// Whom an unspent link would sign in as: the merchant's name and the mode, for
/// the page that asks to continue (`LINK_REFUSED`, 401, for a spent one).
pub async fn preview_link(ctx: &Ctx, token: &str) -> ApiResult<(String, Mode)> {
    let (_, link) = pending_link(ctx, token).await?;
    let merchant = ctx
        .store
        .merchant(&link.merchant_id)
        .await?
        .ok_or_else(refused)?;
    Ok((merchant.name, link.mode))
}

/// Spends a sign-in link: the cookie to set, or why not (`LINK_REFUSED`, 401).
pub async fn open_link(ctx: &Ctx, token: &str) -> ApiResult<String> {
    let (hash, link) = pending_link(ctx, token).await?;
    let owner = Owner {
        merchant: &link.merchant_id,
        mode: link.mode,
    };
    let cookie = new_token(&format!("{COOKIE_PREFIX}{owner}:"));
    let session = DashboardSession {
        id: format!("si_{}", hex::encode(random::bytes::<8>())),
        csrf_token: URL_SAFE_NO_PAD.encode(random::bytes::<24>()),
        key_id: link.key_id.clone(),
        created_at: ctx.now,
        expires_at: ctx.now.plus(SESSION_TTL),
        last_seen_at: ctx.now,
    };
    let first_use = ctx
        .account(owner)
        .call(SignIn {
            link: hash.clone(),
            link_expires_at: link.expires_at,
            session_hash: digest(&cookie),
            session,
            now: ctx.now,
        })
        .await?;
    if !first_use {
        return Err(refused());
    }
    if let Err(e) = ctx.store.delete_sign_in_link(&hash).await {
        worker::console_warn!("a used sign-in link stays until its TTL: {}", e.message);
    }
    Ok(cookie)
}

/// The `Set-Cookie` value that signs a browser in (`Some`) or out (`None`).
pub fn set_cookie(ctx: &Ctx, value: Option<&str>) -> String {
    let secure = if ctx.config.dev { "" } else { "; Secure" };
    match value {
        Some(v) => format!(
            "{COOKIE}={v}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_TTL}{secure}"
        ),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    }
}

/// `GET /v1/dashboard/me`
pub async fn me(_call: Call, signed_in: SignedIn) -> ApiResult<Reply<Me>> {
    let SignedIn {
        caller, session, ..
    } = signed_in;
    Ok(Reply::ok(Me {
        merchant_id: caller.merchant.id.to_string(),
        merchant_name: caller.merchant.name,
        mode: caller.mode,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
    }))
}

/// `POST /v1/dashboard/signout`: the session is deleted and the cookie cleared.
pub async fn sign_out(call: Call, signed_in: SignedIn) -> ApiResult<Reply<SignedOut>> {
    call.ctx
        .account(signed_in.caller.owner())
        .call(SignOut {
            hash: signed_in.hash.clone(),
        })
        .await?;
    Ok(Reply::ok(SignedOut { signed_out: true }).header("set-cookie", set_cookie(&call.ctx, None)))
}

/// A sign-in as listed to its merchant.
fn view(session: DashboardSession, current: Option<&str>) -> SignInView {
    SignInView {
        current: current == Some(session.id.as_str()),
        id: session.id,
        key_id: session.key_id,
        created_at: session.created_at,
        last_seen_at: session.last_seen_at,
        expires_at: session.expires_at,
    }
}

/// `GET /v1/dashboard/signins`: the open sign-ins of the caller's mode.
pub async fn list_sign_ins(call: Call, caller: Caller) -> ApiResult<Reply<SignInList>> {
    let sessions = caller
        .account(&call.ctx)
        .call(ListSignIns { now: call.ctx.now })
        .await?;
    let current = caller.sign_in();
    Ok(Reply::ok(SignInList {
        data: sessions.into_iter().map(|s| view(s, current)).collect(),
    }))
}

/// `DELETE /v1/dashboard/signins/{id}`: ends one sign-in (404 if it is not
/// an open one of the caller's mode).
pub async fn end_sign_in(
    call: Call,
    caller: Caller,
    Path(id): Path<SignInId>,
) -> ApiResult<Reply<SignInsEnded>> {
    let ended = caller
        .account(&call.ctx)
        .try_call(EndSignIns {
            which: Which::One(id.into_string()),
        })
        .await?
        .map_err(|_| ApiError::not_found("sign-in"))?;
    Ok(Reply::ok(SignInsEnded { ended }))
}

/// `DELETE /v1/dashboard/signins`: ends every sign-in of the caller's mode
/// (the caller's own too, if it is one).
pub async fn end_sign_ins(call: Call, caller: Caller) -> ApiResult<Reply<SignInsEnded>> {
    let ended = caller
        .account(&call.ctx)
        .call(EndSignIns { which: Which::All })
        .await?;
    Ok(Reply::ok(SignInsEnded { ended }))
}

/// Ends every dashboard sign-in of a merchant, in both modes (the admin API).
pub async fn end_all(ctx: &Ctx, merchant: &MerchantId) -> ApiResult<u32> {
    let mut ended = 0;
    for mode in [Mode::Test, Mode::Live] {
        ended += ctx
            .account(Owner { merchant, mode })
            .call(EndSignIns { which: Which::All })
            .await?;
    }
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use crate::auth::cookie_value;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let header = "theme=dark; ec_dash=ds_abc; other_ec_dash=x";
        assert_eq!(cookie_value(header, "ec_dash"), Some("ds_abc"));
        assert_eq!(cookie_value("ec_dash_x=1", "ec_dash"), None);
        assert_eq!(cookie_value("ec_dash=", "ec_dash"), None);
        assert_eq!(cookie_value("", "ec_dash"), None);
    }
}
