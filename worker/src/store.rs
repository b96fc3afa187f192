//! All KV access, the records stored there, and the one definition of every key.
//!
//! KV is eventually consistent (a write can take a minute to reach other
//! locations), allows one write per second per key, and on the free plan
//! 1,000 writes a day. It keeps what the edge reads often and writes rarely:
//! merchants, API keys, the rates feed, sign-in links. Sessions and everything
//! that must be consistent live in the merchant's account object
//! (`account/`); the session keys below are those of versions before the move,
//! only read now (a session found there is moved into its account object).
//!
//! Every object belongs to one merchant and one mode ([`Owner`]): a test key never
//! reads, lists or changes live objects, and the keys of listings, idempotency
//! records and order records carry the mode.
//!
//! | key ([`Key`]) | value | lifetime |
//! |---|---|---|
//! | `merchant:{merchant}` | [`MerchantRecord`] | |
//! | `outlet:{outlet}` | the merchant id of an ETN outlet | |
//! | `apikey:{sha256(key)}` | [`ApiKeyRecord`] | |
//! | `keys:{merchant}` | `Vec<KeyListEntry>`: an older version's key list, moved to the account objects on first use (`keys.rs`) | |
//! | `dlink:{sha256(token)}` | [`SignInLinkRecord`]: a one-time dashboard sign-in link | 10 min |
//! | `rates` | [`RatesRecord`] | |
//! | `dev:...` | local development only (`DEV_MODE`) | |
//!
//! Written by versions before sessions moved into account objects, read only:
//!
//! | key | value |
//! |---|---|
//! | `session:{session}` | core `Session` |
//! | `sidx:{merchant}:{mode}:{inverted created_at}:{session}` | empty: newest-first listing |
//! | `idem:{merchant}:{mode}:{sha256(Idempotency-Key)}` | [`IdempotencyRecord`] (24 h TTL) |
//! | `order:{merchant}:{mode}:{sha256(order_id)}` | [`IdempotencyRecord`] (30 days TTL) |
//! | `alias:{EX-O... or pl_...}` | the session an alias stands for |
//! | `payid:{merchant}:{payment_id}` | the session of an ETN payment id |
//! | `pending:{expires_at}:{merchant}:{session}` | empty: pending sessions, soonest expiry first (the cron) |
//! | `paid:{session}` | the `session.paid` event id: paid for good, whatever a stale write says |
//! | `keyused:{sha256(key)}` | when the key was last used (unix seconds) |
//!
//! Every read, write and listing is counted (`usage.rs`) for the budget bench.

use checkout_core::ids::{KeyId, MerchantId, SessionId};
use checkout_core::session::{Mode, Session, State};
use checkout_core::{OutletId, PaymentId};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::kv::{KvStore, ListResponse};
use worker::Env;

use crate::error::{ApiError, ApiResult};
use crate::secret::{digest, Sealed};
use crate::usage::{self, Resource};

/// The KV namespace binding every record lives in (see wrangler.toml).
pub const KV_BINDING: &str = "CHECKOUT_KV";

/// How long an `Idempotency-Key` returns its first result.
pub const IDEMPOTENCY_TTL: u64 = 24 * 60 * 60;

/// How long an `order_id` stays bound to its session: long enough that a
/// merchant who re-creates a paid order is shown the paid session rather than
/// charged twice; after it the order id is free again. An order whose session
/// ended unpaid (expired, cancelled) is free at once.
pub const ORDER_TTL: u64 = 30 * 24 * 60 * 60;

/// Whose an object is: a merchant, in one mode. Part of every ownership check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner<'a> {
    pub merchant: &'a MerchantId,
    pub mode: Mode,
}

impl std::fmt::Display for Owner<'_> {
    /// `mer_...:test`: the scope in keys and the name of the merchant's object.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.merchant, self.mode.as_str())
    }
}

impl Owner<'_> {
    /// The merchant and mode of a text [`Owner`]'s `Display` wrote
    /// (`mer_...:test`), checked: `None` for anything else.
    pub fn parse(text: &str) -> Option<(MerchantId, Mode)> {
        let (merchant, mode) = text.rsplit_once(':')?;
        Some((merchant.parse().ok()?, Mode::from_wire(mode)?))
    }
}

/// The owner of a session.
pub fn owner_of(s: &Session) -> Owner<'_> {
    Owner {
        merchant: &s.merchant_id,
        mode: s.mode,
    }
}

/// Every KV key the worker reads or writes; nothing else formats a key.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    Merchant(&'a MerchantId),
    Outlet(&'a OutletId),
    /// An API key, by the hex SHA-256 of the key.
    ApiKeyHash(&'a str),
    MerchantKeys(&'a MerchantId),
    Session(&'a SessionId),
    SessionIndex {
        owner: Owner<'a>,
        created_at: i64,
        session: &'a SessionId,
    },
    /// By the hex SHA-256 of the Idempotency-Key.
    Idempotency {
        owner: Owner<'a>,
        hash: &'a str,
    },
    /// By the hex SHA-256 of the order id.
    Order {
        owner: Owner<'a>,
        hash: &'a str,
    },
    /// A public alias (`EX-O...`, `pl_...`), for `/pay/{alias}`.
    Alias(&'a str),
    PaymentId {
        merchant: &'a MerchantId,
        payment_id: &'a PaymentId,
    },
    Pending {
        expires_at: i64,
        merchant: &'a MerchantId,
        session: &'a SessionId,
    },
    Paid(&'a SessionId),
    /// When a key was last used, by the hex SHA-256 of the key: apart from the
    /// key's record, so that noting a use can never undo a revocation.
    ApiKeyUsed(&'a str),
    /// A dashboard sign-in link, by the hex SHA-256 of its token.
    SignInLink(&'a str),
    Rates,
    DevRatesFixture,
    DevDemo,
    DevEtnPaid(&'a str),
}

/// Where merchant records are (listed by the cron's sweep).
const MERCHANT_PREFIX: &str = "merchant:";

/// Prefixes that are listed.
#[derive(Debug, Clone, Copy)]
pub enum Prefix<'a> {
    SessionIndex(Owner<'a>),
    Pending,
}

/// Seconds until year 2286, so that newer sessions sort first in `sidx:` keys.
fn inverted(ts: i64) -> i64 {
    9_999_999_999 - ts.clamp(0, 9_999_999_999)
}

impl Key<'_> {
    pub fn text(&self) -> String {
        match self {
            Key::Merchant(id) => format!("{MERCHANT_PREFIX}{id}"),
            Key::Outlet(outlet) => format!("outlet:{}", outlet.as_str()),
            Key::ApiKeyHash(hash) => format!("apikey:{hash}"),
            Key::MerchantKeys(id) => format!("keys:{id}"),
            Key::Session(id) => format!("session:{id}"),
            Key::SessionIndex {
                owner,
                created_at,
                session,
            } => format!(
                "{}{:010}:{session}",
                Prefix::SessionIndex(*owner).text(),
                inverted(*created_at)
            ),
            Key::Idempotency { owner, hash } => format!("idem:{owner}:{hash}"),
            Key::Order { owner, hash } => format!("order:{owner}:{hash}"),
            Key::Alias(alias) => format!("alias:{alias}"),
            Key::PaymentId {
                merchant,
                payment_id,
            } => format!("payid:{merchant}:{}", payment_id.as_str()),
            Key::Pending {
                expires_at,
                merchant,
                session,
            } => format!(
                "{}{:010}:{merchant}:{session}",
                Prefix::Pending.text(),
                expires_at.max(&0)
            ),
            Key::Paid(id) => format!("paid:{id}"),
            Key::ApiKeyUsed(hash) => format!("keyused:{hash}"),
            Key::SignInLink(hash) => format!("dlink:{hash}"),
            Key::Rates => "rates".to_owned(),
            Key::DevRatesFixture => "dev:rates-fixture".to_owned(),
            Key::DevDemo => "dev:demo".to_owned(),
            Key::DevEtnPaid(payment_id) => format!("dev:etn-paid:{}", digest(payment_id)),
        }
    }
}

impl Prefix<'_> {
    pub fn text(&self) -> String {
        match self {
            Prefix::SessionIndex(owner) => format!("sidx:{owner}:"),
            Prefix::Pending => "pending:".to_owned(),
        }
    }
}

/// A pending-index entry, parsed back from its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEntry {
    pub expires_at: i64,
    pub merchant: MerchantId,
    pub session: SessionId,
}

impl PendingEntry {
    fn parse(key: &str) -> Option<PendingEntry> {
        let mut parts = key.strip_prefix("pending:")?.split(':');
        let entry = PendingEntry {
            expires_at: parts.next()?.parse().ok()?,
            merchant: parts.next()?.parse().ok()?,
            session: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(entry)
    }
}

/// Hosted checkout only, or smart routing by payment method (gateway seed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    HostedCheckout,
    SmartRouting,
}

/// A merchant. Its secrets are sealed (see `secret.rs`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MerchantRecord {
    pub id: MerchantId,
    pub name: String,
    pub domains: Vec<String>,
    pub outlet_id: OutletId,
    pub plan: Plan,
    pub methods: Vec<String>,
    pub etn_api_key: Sealed,
    pub etn_api_secret: Sealed,
    pub gateway_secret: Sealed,
    /// Signs the webhooks we send in live mode (and, for a merchant made
    /// before test mode had its own, in test mode too).
    pub signing_secret: Sealed,
    /// Signs the webhooks we send in test mode: never the live one, so a
    /// test receiver's secret cannot verify live webhooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_signing_secret: Option<Sealed>,
    pub created_at: i64,
}

impl MerchantRecord {
    /// The secret a mode's webhooks start with (the account object seeds
    /// its own with it once; rotation goes on there).
    pub fn signing_secret_of(&self, mode: Mode) -> &Sealed {
        match (mode, &self.test_signing_secret) {
            (Mode::Test, Some(test)) => test,
            _ => &self.signing_secret,
        }
    }
}

/// What a merchant API key, found by its hash, grants.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiKeyRecord {
    pub key_id: KeyId,
    pub merchant_id: MerchantId,
    pub mode: Mode,
    pub revoked: bool,
}

/// A one-time dashboard sign-in link (its first use is decided by the
/// merchant's account object, which KV cannot do).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignInLinkRecord {
    pub merchant_id: MerchantId,
    pub mode: Mode,
    /// Unix seconds.
    pub expires_at: i64,
    /// The key that asked for the link (`None`: the admin key): the link and
    /// the sign-in it opens die with it.
    #[serde(default)]
    pub key_id: Option<KeyId>,
}

pub use checkout_api::keys::KeyMeta;

/// One entry of an older version's key list in KV (now in the account objects):
/// what is shown, and the hash that finds the key's record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyListEntry {
    pub meta: KeyMeta,
    pub hash: String,
}

/// The first result of an idempotent creation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// See `idempotency.rs`.
    pub fingerprint: String,
    pub session_id: SessionId,
}

/// A copy of the rates feed and when it was fetched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RatesRecord {
    pub fetched_at: i64,
    pub body: String,
}

pub struct Store {
    kv: KvStore,
    /// Merchants read in this request (a request that needs one twice, such
    /// as the sandbox's webhook, reads KV once).
    merchants: std::cell::RefCell<Vec<MerchantRecord>>,
}

impl Store {
    pub fn new(env: &Env) -> ApiResult<Store> {
        Ok(Store {
            kv: env
                .kv(KV_BINDING)
                .map_err(|e| ApiError::internal("kv binding", e))?,
            merchants: std::cell::RefCell::new(Vec::new()),
        })
    }

    async fn get<T: DeserializeOwned>(&self, key: Key<'_>) -> ApiResult<Option<T>> {
        let key = key.text();
        match self.read(&key).await? {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| ApiError::internal(&key, e)),
        }
    }

    async fn put<T: Serialize + ?Sized>(
        &self,
        key: Key<'_>,
        value: &T,
        ttl: Option<u64>,
    ) -> ApiResult<()> {
        let key = key.text();
        let text = serde_json::to_string(value).map_err(|e| ApiError::internal(&key, e))?;
        let mut put = self.kv.put(&key, text)?;
        if let Some(ttl) = ttl {
            put = put.expiration_ttl(ttl);
        }
        usage::count(Resource::KvWrite);
        put.execute().await?;
        Ok(())
    }

    /// An index entry or marker: the key is the information.
    async fn mark(&self, key: Key<'_>, value: &str) -> ApiResult<()> {
        usage::count(Resource::KvWrite);
        self.kv.put(&key.text(), value)?.execute().await?;
        Ok(())
    }

    async fn text(&self, key: Key<'_>) -> ApiResult<Option<String>> {
        self.read(&key.text()).await
    }

    /// Every read goes through here (so a simulated outage reaches them all).
    async fn read(&self, key: &str) -> ApiResult<Option<String>> {
        if crate::outage::storage() {
            return Err(ApiError::infrastructure("kv", "simulated outage (dev)"));
        }
        usage::count(Resource::KvRead);
        Ok(self.kv.get(key).text().await?)
    }

    /// Every listing goes through here (so a simulated outage reaches them
    /// all): up to `limit` keys under `prefix`, from `cursor`.
    async fn list(
        &self,
        prefix: String,
        limit: u64,
        cursor: Option<String>,
    ) -> ApiResult<ListResponse> {
        if crate::outage::storage() || crate::outage::listing() {
            return Err(ApiError::infrastructure("kv", "simulated outage (dev)"));
        }
        usage::count(Resource::KvList);
        let mut list = self.kv.list().prefix(prefix).limit(limit);
        if let Some(cursor) = cursor {
            list = list.cursor(cursor);
        }
        Ok(list.execute().await?)
    }

    /// Counted as a write: the free plan allows as many deletes as writes.
    async fn delete(&self, key: Key<'_>) -> ApiResult<()> {
        usage::count(Resource::KvWrite);
        self.kv.delete(&key.text()).await?;
        Ok(())
    }

    /// Whether the KV binding answers at all (`/health`).
    pub async fn probe(&self) -> bool {
        self.read("health-probe").await.is_ok()
    }

    pub async fn merchant(&self, id: &MerchantId) -> ApiResult<Option<MerchantRecord>> {
        if let Some(m) = self.merchants.borrow().iter().find(|m| &m.id == id) {
            return Ok(Some(m.clone()));
        }
        let found: Option<MerchantRecord> = self.get(Key::Merchant(id)).await?;
        if let Some(m) = &found {
            self.merchants.borrow_mut().push(m.clone());
        }
        Ok(found)
    }

    /// The merchant a session belongs to: it always exists (merchants are never
    /// deleted), so its absence is a bug, not a 404.
    pub async fn merchant_of(&self, session: &Session) -> ApiResult<MerchantRecord> {
        self.merchant(&session.merchant_id).await?.ok_or_else(|| {
            ApiError::internal(
                "store",
                format!("the merchant of {} is missing", session.id),
            )
        })
    }

    /// The merchant of an ETN outlet (the vendor address of a check-payment request).
    pub async fn merchant_by_outlet(&self, outlet: &OutletId) -> ApiResult<Option<MerchantRecord>> {
        match self
            .text(Key::Outlet(outlet))
            .await?
            .and_then(|id| id.parse::<MerchantId>().ok())
        {
            Some(id) => self.merchant(&id).await,
            None => Ok(None),
        }
    }

    pub async fn put_merchant(&self, m: &MerchantRecord) -> ApiResult<()> {
        self.merchants.borrow_mut().retain(|known| known.id != m.id);
        self.mark(Key::Outlet(&m.outlet_id), m.id.as_str()).await?;
        self.put(Key::Merchant(&m.id), m, None).await
    }

    /// An API key's record, by the key's hash.
    pub async fn api_key(&self, hash: &str) -> ApiResult<Option<ApiKeyRecord>> {
        self.get(Key::ApiKeyHash(hash)).await
    }

    pub async fn put_api_key(&self, hash: &str, record: &ApiKeyRecord) -> ApiResult<()> {
        self.put(Key::ApiKeyHash(hash), record, None).await
    }

    /// Revokes a key known only by its hash (from the key list).
    pub async fn revoke_api_key(&self, hash: &str) -> ApiResult<()> {
        if let Some(mut record) = self.api_key(hash).await? {
            record.revoked = true;
            self.put_api_key(hash, &record).await?;
        }
        Ok(())
    }

    /// When a key was last used (unix seconds), as a version before the
    /// account objects kept it (read for keys not used since).
    pub async fn api_key_used(&self, hash: &str) -> ApiResult<Option<i64>> {
        self.get(Key::ApiKeyUsed(hash)).await
    }

    pub async fn sign_in_link(&self, hash: &str) -> ApiResult<Option<SignInLinkRecord>> {
        self.get(Key::SignInLink(hash)).await
    }

    pub async fn put_sign_in_link(
        &self,
        hash: &str,
        record: &SignInLinkRecord,
        ttl: u64,
    ) -> ApiResult<()> {
        self.put(Key::SignInLink(hash), record, Some(ttl.max(60)))
            .await
    }

    pub async fn delete_sign_in_link(&self, hash: &str) -> ApiResult<()> {
        self.delete(Key::SignInLink(hash)).await
    }

    pub async fn key_list(&self, merchant: &MerchantId) -> ApiResult<Vec<KeyListEntry>> {
        Ok(self
            .get(Key::MerchantKeys(merchant))
            .await?
            .unwrap_or_default())
    }

    /// Writes a key list as an older version did (local dev only: tests of
    /// the move in `keys.rs`).
    pub async fn put_key_list(
        &self,
        merchant: &MerchantId,
        list: &[KeyListEntry],
    ) -> ApiResult<()> {
        self.put(Key::MerchantKeys(merchant), &list, None).await
    }

    /// Forgets a key list of an older version, once moved (see `keys.rs`).
    pub async fn delete_key_list(&self, merchant: &MerchantId) -> ApiResult<()> {
        self.delete(Key::MerchantKeys(merchant)).await
    }

    /// A session as stored (see `sessions::load` for the reconciled view).
    pub async fn session(&self, id: &SessionId) -> ApiResult<Option<Session>> {
        self.get(Key::Session(id)).await
    }

    /// Writes a session as versions before account objects did: its
    /// record, listing entry, payment id, pending entry and alias (local dev
    /// only: the end-to-end test of the upgrade path).
    pub async fn put_legacy_session(&self, s: &Session) -> ApiResult<()> {
        self.put(Key::Session(&s.id), s, None).await?;
        let aliases = [
            s.public_order_id.as_ref().map(|a| a.as_str()),
            s.link_id.as_ref().map(|a| a.as_str()),
        ];
        for alias in aliases.into_iter().flatten() {
            self.mark(Key::Alias(alias), s.id.as_str()).await?;
        }
        self.mark(
            Key::SessionIndex {
                owner: owner_of(s),
                created_at: s.created_at,
                session: &s.id,
            },
            "",
        )
        .await?;
        let payment_id = s.payment_string.payment_id();
        self.mark(
            Key::PaymentId {
                merchant: &s.merchant_id,
                payment_id: &payment_id,
            },
            s.id.as_str(),
        )
        .await?;
        if s.state == State::Pending {
            self.mark(pending_key(s), "").await?;
        }
        Ok(())
    }

    /// Drops a pending-index entry whose session has moved on (or moved in).
    pub async fn drop_pending(&self, entry: &PendingEntry) -> ApiResult<()> {
        self.delete(Key::Pending {
            expires_at: entry.expires_at,
            merchant: &entry.merchant,
            session: &entry.session,
        })
        .await
    }

    /// Sessions older versions left pending in KV, soonest expiry first.
    pub async fn pending_sessions(&self, limit: u64) -> ApiResult<Vec<PendingEntry>> {
        let page = self.list(Prefix::Pending.text(), limit, None).await?;
        Ok(page
            .keys
            .iter()
            .filter_map(|k| PendingEntry::parse(&k.name))
            .collect())
    }

    /// Whether an owner had sessions in KV before they moved into its
    /// account object (checked once per account).
    pub async fn has_legacy_sessions(&self, owner: Owner<'_>) -> ApiResult<bool> {
        let page = self
            .list(Prefix::SessionIndex(owner).text(), 1, None)
            .await?;
        Ok(!page.keys.is_empty())
    }

    /// The session a merchant's ETN payment id belongs to, if any.
    pub async fn session_of_payment(
        &self,
        merchant: &MerchantId,
        payment_id: &PaymentId,
    ) -> ApiResult<Option<SessionId>> {
        Ok(self
            .text(Key::PaymentId {
                merchant,
                payment_id,
            })
            .await?
            .and_then(|id| id.parse().ok()))
    }

    /// Whether a `session.paid` event was ever recorded for the session.
    pub async fn paid_marker(&self, session: &SessionId) -> ApiResult<bool> {
        Ok(self.text(Key::Paid(session)).await?.is_some())
    }

    /// Merchants, a page at a time (the cron's sweep of account objects).
    pub async fn merchant_page(
        &self,
        limit: u64,
        cursor: Option<String>,
    ) -> ApiResult<(Vec<MerchantId>, Option<String>)> {
        let page = self.list(MERCHANT_PREFIX.to_owned(), limit, cursor).await?;
        let ids = page
            .keys
            .iter()
            .filter_map(|k| k.name.strip_prefix(MERCHANT_PREFIX)?.parse().ok())
            .collect();
        Ok((ids, (!page.list_complete).then_some(page.cursor).flatten()))
    }

    /// One page of an owner's session ids, newest first, and the cursor of the next.
    pub async fn session_page(
        &self,
        owner: Owner<'_>,
        limit: u64,
        cursor: Option<String>,
    ) -> ApiResult<(Vec<SessionId>, Option<String>)> {
        let prefix = Prefix::SessionIndex(owner).text();
        let had_cursor = cursor.is_some();
        let page = match self.list(prefix.clone(), limit, cursor).await {
            Ok(page) => page,
            // KV refuses a cursor it did not issue: that is the client's
            // mistake, if KV itself answers a listing without it; otherwise
            // storage is failing, which is ours (a retryable 5xx).
            Err(e) if had_cursor => {
                self.list(prefix, 1, None).await?;
                worker::console_warn!("a session cursor was refused: {}", e.message);
                return Err(ApiError::bad_request(
                    "cursor_invalid",
                    "cursor is not one this API returned",
                )
                .field("cursor"));
            }
            Err(e) => return Err(e),
        };
        let ids = page
            .keys
            .iter()
            .filter_map(|k| k.name.rsplit(':').next()?.parse().ok())
            .collect();
        Ok((
            ids,
            if page.list_complete {
                None
            } else {
                page.cursor
            },
        ))
    }

    /// The session a public alias (`EX-O...`, `pl_...`) stands for.
    pub async fn alias(&self, alias: &str) -> ApiResult<Option<SessionId>> {
        Ok(self
            .text(Key::Alias(alias))
            .await?
            .and_then(|id| id.parse().ok()))
    }

    /// The first result of an `Idempotency-Key` (by its hash) or `order_id`.
    pub async fn idempotency(&self, key: Key<'_>) -> ApiResult<Option<IdempotencyRecord>> {
        self.get(key).await
    }

    pub async fn put_idempotency(
        &self,
        key: Key<'_>,
        record: &IdempotencyRecord,
        ttl: u64,
    ) -> ApiResult<()> {
        self.put(key, record, Some(ttl)).await
    }

    pub async fn rates(&self) -> ApiResult<Option<RatesRecord>> {
        self.get(Key::Rates).await
    }

    pub async fn put_rates(&self, r: &RatesRecord) -> ApiResult<()> {
        self.put(Key::Rates, r, None).await
    }

    /// Dev only: any JSON record under a dev key.
    pub async fn dev_get<T: DeserializeOwned>(&self, key: Key<'_>) -> ApiResult<Option<T>> {
        self.get(key).await
    }

    /// Dev only: writes a JSON record under a dev key.
    pub async fn dev_put<T: Serialize>(&self, key: Key<'_>, value: &T) -> ApiResult<()> {
        self.put(key, value, None).await
    }

    /// Dev only: the rates fixture the worker serves itself (raw text).
    pub async fn dev_rates_fixture(&self) -> ApiResult<Option<String>> {
        self.text(Key::DevRatesFixture).await
    }

    pub async fn put_dev_rates_fixture(&self, body: &str) -> ApiResult<()> {
        self.mark(Key::DevRatesFixture, body).await
    }
}

/// The pending-index key of a session.
fn pending_key(s: &Session) -> Key<'_> {
    Key::Pending {
        expires_at: s.expires_at,
        merchant: &s.merchant_id,
        session: &s.id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_reads_back_from_its_text_and_nothing_else_does() {
        let m = MerchantId::from_random([7; 10]);
        for mode in [Mode::Test, Mode::Live] {
            let text = Owner { merchant: &m, mode }.to_string();
            assert_eq!(Owner::parse(&text), Some((m.clone(), mode)));
        }
        for bad in [
            "",
            ":test",
            "mer_x",
            "not a merchant:test",
            &format!("{m}:dev"),
            &format!("{m}:"),
        ] {
            assert_eq!(Owner::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn keys_carry_the_mode_where_ownership_needs_it() {
        let m = MerchantId::from_random([1; 10]);
        let s = SessionId::legacy([2; 15]);
        let test = Owner {
            merchant: &m,
            mode: Mode::Test,
        };
        let live = Owner {
            merchant: &m,
            mode: Mode::Live,
        };
        assert_ne!(
            Key::Order {
                owner: test,
                hash: "h"
            }
            .text(),
            Key::Order {
                owner: live,
                hash: "h"
            }
            .text()
        );
        let index = Key::SessionIndex {
            owner: test,
            created_at: 1,
            session: &s,
        }
        .text();
        assert!(index.starts_with(&Prefix::SessionIndex(test).text()));
        assert!(!index.starts_with(&Prefix::SessionIndex(live).text()));
    }

    #[test]
    fn pending_entries_parse_back_from_their_keys() {
        let m = MerchantId::from_random([1; 10]);
        let s = SessionId::legacy([2; 15]);
        let key = Key::Pending {
            expires_at: 1_700_000_000,
            merchant: &m,
            session: &s,
        }
        .text();
        assert_eq!(
            PendingEntry::parse(&key),
            Some(PendingEntry {
                expires_at: 1_700_000_000,
                merchant: m,
                session: s
            })
        );
        assert_eq!(PendingEntry::parse("pending:1:x"), None);
        // Newer sessions list first.
        assert!(inverted(2) < inverted(1));
    }
}
