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
//! What every merchant request reads (`merchant:`, `outlet:`, `apikey:`) is
//! kept by the isolate for 30 s after it is read (`recent.rs`): a read
//! answered from there costs, and counts, no KV read.

use checkout_core::ids::{MerchantId, SessionId};
use checkout_core::session::{Session, State};
use checkout_core::time::UnixSeconds;
use checkout_core::{OutletId, PaymentId};
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::kv::{KvStore, ListResponse};
use worker::Env;

use crate::error::{ApiError, ApiResult};
use crate::usage::{self, Resource};

/// The KV namespace binding every record lives in (see wrangler.toml).
pub const KV_BINDING: &str = "CHECKOUT_KV";

mod key;
mod recent;
mod records;

use key::MERCHANT_PREFIX;
pub use key::{owner_of, Key, Owner, PendingEntry, Prefix, IDEMPOTENCY_TTL, ORDER_TTL};
pub use records::{
    ApiKeyRecord, IdempotencyRecord, KeyListEntry, KeyMeta, MerchantRecord, Plan, RatesRecord,
    SignInLinkRecord,
};

/// The KV namespace, with the merchants this request read.
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
        match self.text(key).await? {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| ApiError::internal(&key.text(), e)),
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
        recent::forget(&key);
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
        let key = key.text();
        recent::forget(&key);
        usage::count(Resource::KvWrite);
        self.kv.put(&key, value)?.execute().await?;
        Ok(())
    }

    /// A key's text: from what this isolate read a moment ago, for the keys
    /// kept there (`recent.rs`), else from KV.
    async fn text(&self, key: Key<'_>) -> ApiResult<Option<String>> {
        let kept = key.kept_in_isolate();
        let key = key.text();
        // A simulated outage reaches every read, kept or not.
        if kept && !crate::outage::storage() {
            if let Some(text) = recent::get(&key) {
                return Ok(Some(text));
            }
        }
        let found = self.read(&key).await?;
        if let (true, Some(text)) = (kept, &found) {
            recent::keep(&key, text);
        }
        Ok(found)
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
        let key = key.text();
        recent::forget(&key);
        usage::count(Resource::KvWrite);
        self.kv.delete(&key).await?;
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

    /// When a key was last used, as a version before the account objects
    /// kept it (read for keys not used since).
    pub async fn api_key_used(&self, hash: &str) -> ApiResult<Option<UnixSeconds>> {
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
