//! All KV access, and the record types stored there.
//!
//! KV is eventually consistent (a write can take a minute to reach other
//! locations) and allows one write per second per key. Records are written under
//! deterministic keys; sessions only move forward (see core's `Session::apply`).
//!
//! | key | value |
//! |---|---|
//! | `merchant:{merchant_id}` | [`MerchantRecord`] |
//! | `apikey:{sha256(key)}` | [`ApiKeyRecord`] |
//! | `keys:{merchant_id}` | `Vec<KeyMeta>` (listing) |
//! | `session:{session_id}` | core `Session` |
//! | `sidx:{merchant_id}:{inverted created_at}:{session_id}` | empty: newest-first listing |
//! | `idem:{merchant_id}:{sha256(Idempotency-Key)}` | [`IdempotencyRecord`], 24 h |
//! | `order:{merchant_id}:{sha256(order_id)}` | [`IdempotencyRecord`] |
//! | `alias:{EX-O... or pl_...}` | the session id an ewallet order or payment link stands for |
//! | `wallet:{wallet_id}` | [`WalletRecord`] |
//! | `wallet-user:{merchant_id}:{user_id}:{currency}` | the wallet id of a user and currency |
//! | `payid:{merchant_id}:{payment_id}` | the session of an ETN payment id |
//! | `pending:{expires_at}:{session_id}` | empty: pending sessions, soonest expiry first (cron) |
//! | `event:{event_id}` | core `Event`, written once per deterministic id |
//! | `paid:{session_id}` | the `session.paid` event id: paid for good, whatever a stale write says |
//! | `mevt:` / `sevt:` / `unmatched:` + owner + `{created_at}:{event_id}` | empty: event listings |
//! | `ledger:{wallet_id}:{event_id}` | [`LedgerEntry`]: a wallet's append-only ledger |
//! | `outlet:{outlet_id}` | the merchant of an ETN outlet |
//! | `rl:{name}` | last call in ms, for one-per-second limits (60 s TTL) |
//! | `rates` | [`RatesRecord`] |

use checkout_core::confirmation::{Event, EventKind};
use checkout_core::ids::{KeyId, MerchantId, SessionId, WalletId};
use checkout_core::session::{Mode, Session, State};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use worker::kv::KvStore;
use worker::Env;

use crate::error::{ApiError, ApiResult};

/// The KV namespace binding every record lives in (see wrangler.toml).
pub const KV_BINDING: &str = "CHECKOUT_KV";

/// Hosted checkout only, or smart routing by payment method (gateway seed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    HostedCheckout,
    SmartRouting,
}

/// A merchant. Secret fields are sealed (see `secrets.rs`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MerchantRecord {
    pub id: MerchantId,
    pub name: String,
    pub domains: Vec<String>,
    pub outlet_id: String,
    pub plan: Plan,
    pub methods: Vec<String>,
    pub etn_api_key: String,
    pub etn_api_secret: String,
    pub gateway_secret: String,
    pub signing_secret: String,
    pub created_at: i64,
}

/// What a merchant API key, found by its hash, grants.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiKeyRecord {
    pub key_id: KeyId,
    pub merchant_id: MerchantId,
    pub mode: Mode,
    pub revoked: bool,
}

/// A key as listed to the admin: never the key itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyMeta {
    pub id: KeyId,
    pub mode: Mode,
    /// The first characters, to recognise it (`sk_test_abcd…`).
    pub preview: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// The first result of an idempotent creation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    pub fingerprint: String,
    pub session_id: SessionId,
}

/// An ewallet-orders-api wallet. The balance is derived from the ledger (the
/// payment confirmations work adds entries); here it starts empty.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WalletRecord {
    pub id: WalletId,
    pub merchant_id: MerchantId,
    pub user_id: i64,
    pub currency: String,
    pub created_at: i64,
}

/// One append-only wallet ledger entry, keyed by the event that caused it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// The event id (so a duplicate confirmation writes the same entry).
    pub id: String,
    pub session_id: SessionId,
    /// Signed amount in the wallet's currency: positive credits, negative refunds.
    pub amount: String,
    pub created_at: i64,
}

/// A copy of the rates feed and when it was fetched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RatesRecord {
    pub fetched_at: i64,
    pub body: String,
}

/// Hex SHA-256, for keys derived from secrets or client-chosen text.
pub fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `pending:{expires_at}:{id}`: listing the prefix yields the soonest expiry first.
fn pending_key(s: &Session) -> String {
    format!("pending:{:010}:{}", s.expires_at.max(0), s.id)
}

/// Seconds until year 2286, so that newer sessions sort first in `sidx:` keys.
fn inverted(ts: i64) -> String {
    format!("{:010}", 9_999_999_999 - ts.clamp(0, 9_999_999_999))
}

pub struct Store {
    kv: KvStore,
}

impl Store {
    pub fn new(env: &Env) -> ApiResult<Store> {
        Ok(Store {
            kv: env
                .kv(KV_BINDING)
                .map_err(|e| ApiError::internal("kv binding", e))?,
        })
    }

    async fn get<T: DeserializeOwned>(&self, key: &str) -> ApiResult<Option<T>> {
        match self.kv.get(key).text().await? {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| ApiError::internal(key, e)),
        }
    }

    async fn put<T: Serialize>(&self, key: &str, value: &T, ttl: Option<u64>) -> ApiResult<()> {
        let text = serde_json::to_string(value).map_err(|e| ApiError::internal(key, e))?;
        let mut put = self.kv.put(key, text)?;
        if let Some(ttl) = ttl {
            put = put.expiration_ttl(ttl);
        }
        put.execute().await?;
        Ok(())
    }

    /// Reads any JSON record (dev-only records use this).
    pub async fn get_json<T: DeserializeOwned>(&self, key: &str) -> ApiResult<Option<T>> {
        self.get(key).await
    }

    /// Writes any JSON record.
    pub async fn put_json<T: Serialize>(&self, key: &str, value: &T) -> ApiResult<()> {
        self.put(key, value, None).await
    }

    pub async fn merchant(&self, id: &MerchantId) -> ApiResult<Option<MerchantRecord>> {
        self.get(&format!("merchant:{id}")).await
    }

    /// The merchant of an ETN outlet (the vendor address of a check-payment request).
    pub async fn merchant_by_outlet(&self, outlet: &str) -> ApiResult<Option<MerchantRecord>> {
        match self
            .kv
            .get(&format!("outlet:{outlet}"))
            .text()
            .await?
            .and_then(|id| id.parse::<MerchantId>().ok())
        {
            Some(id) => self.merchant(&id).await,
            None => Ok(None),
        }
    }

    /// At most one call per second per `key`: `Some(seconds to wait)` when over.
    /// KV is eventually consistent, so across edge locations this is a courtesy
    /// limit, not a guarantee (see docs/design.md).
    pub async fn rate_limit(&self, key: &str, now_ms: i64) -> ApiResult<Option<u32>> {
        let name = format!("rl:{key}");
        let last: Option<i64> = self
            .kv
            .get(&name)
            .text()
            .await?
            .and_then(|t| t.parse().ok());
        if last.is_some_and(|last| now_ms - last < 1000) {
            return Ok(Some(1));
        }
        self.kv
            .put(&name, now_ms.to_string())?
            .expiration_ttl(60)
            .execute()
            .await?;
        Ok(None)
    }

    pub async fn put_merchant(&self, m: &MerchantRecord) -> ApiResult<()> {
        self.kv
            .put(&format!("outlet:{}", m.outlet_id), m.id.as_str())?
            .execute()
            .await?;
        self.put(&format!("merchant:{}", m.id), m, None).await
    }

    pub async fn api_key(&self, key: &str) -> ApiResult<Option<ApiKeyRecord>> {
        self.get(&format!("apikey:{}", digest(key))).await
    }

    pub async fn put_api_key(&self, key: &str, record: &ApiKeyRecord) -> ApiResult<()> {
        self.put(&format!("apikey:{}", digest(key)), record, None)
            .await
    }

    /// Revokes a key known only by its id: finds its hash through the listing.
    pub async fn revoke_api_key(&self, hash: &str) -> ApiResult<()> {
        let key = format!("apikey:{hash}");
        if let Some(mut record) = self.get::<ApiKeyRecord>(&key).await? {
            record.revoked = true;
            self.put(&key, &record, None).await?;
        }
        Ok(())
    }

    pub async fn key_list(&self, merchant: &MerchantId) -> ApiResult<Vec<(KeyMeta, String)>> {
        Ok(self
            .get(&format!("keys:{merchant}"))
            .await?
            .unwrap_or_default())
    }

    pub async fn put_key_list(
        &self,
        merchant: &MerchantId,
        keys: &[(KeyMeta, String)],
    ) -> ApiResult<()> {
        self.put(&format!("keys:{merchant}"), &keys, None).await
    }

    pub async fn session(&self, id: &SessionId) -> ApiResult<Option<Session>> {
        self.get(&format!("session:{id}")).await
    }

    pub async fn put_session(&self, s: &Session) -> ApiResult<()> {
        self.put(&format!("session:{}", s.id), s, None).await
    }

    /// Stores a new session, its listing entry and its aliases.
    pub async fn insert_session(&self, s: &Session) -> ApiResult<()> {
        self.put_session(s).await?;
        let aliases = [
            s.public_order_id.as_ref().map(|a| a.to_string()),
            s.link_id.as_ref().map(|a| a.to_string()),
        ];
        for alias in aliases.into_iter().flatten() {
            self.kv
                .put(&format!("alias:{alias}"), s.id.as_str())?
                .execute()
                .await?;
        }
        let index = format!("sidx:{}:{}:{}", s.merchant_id, inverted(s.created_at), s.id);
        self.kv.put(&index, "")?.execute().await?;
        let payment_id = s.payment_string.payment_id();
        self.kv
            .put(
                &format!("payid:{}:{payment_id}", s.merchant_id),
                s.id.as_str(),
            )?
            .execute()
            .await?;
        self.kv.put(&pending_key(s), "")?.execute().await?;
        Ok(())
    }

    /// Writes a session whose state moved; a session that left `pending` leaves the
    /// pending index the cron walks.
    pub async fn update_session(&self, s: &Session) -> ApiResult<()> {
        self.put_session(s).await?;
        if s.state != State::Pending {
            self.kv.delete(&pending_key(s)).await?;
        }
        Ok(())
    }

    /// Pending sessions, soonest expiry first: (expires_at, id).
    pub async fn pending_sessions(&self, limit: u64) -> ApiResult<Vec<(i64, SessionId)>> {
        let page = self
            .kv
            .list()
            .prefix("pending:".to_owned())
            .limit(limit)
            .execute()
            .await?;
        Ok(page
            .keys
            .iter()
            .filter_map(|k| {
                let mut parts = k.name.splitn(3, ':').skip(1);
                Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
            })
            .collect())
    }

    /// The session a merchant's ETN payment id belongs to, if any.
    pub async fn session_for_payment(
        &self,
        merchant: &MerchantId,
        payment_id: &str,
    ) -> ApiResult<Option<Session>> {
        let id = self
            .kv
            .get(&format!("payid:{merchant}:{payment_id}"))
            .text()
            .await?;
        match id.and_then(|id| id.parse::<SessionId>().ok()) {
            Some(id) => self.session(&id).await,
            None => Ok(None),
        }
    }

    /// Whether a `session.paid` event was ever recorded for the session.
    pub async fn paid_marker(&self, session: &SessionId) -> ApiResult<bool> {
        Ok(self
            .kv
            .get(&format!("paid:{session}"))
            .text()
            .await?
            .is_some())
    }

    /// Whether an event was recorded already (a duplicate confirmation).
    pub async fn has_event(&self, id: &str) -> ApiResult<bool> {
        Ok(self.kv.get(&format!("event:{id}")).text().await?.is_some())
    }

    /// Records an event under its deterministic id, with the indexes that list it.
    /// A `session.paid` event also marks its session paid for good (`paid:`), a key
    /// no stale session write can touch (see `confirmation::reconcile`).
    pub async fn put_event(&self, e: &Event) -> ApiResult<()> {
        self.put(&format!("event:{}", e.id), e, None).await?;
        if let (EventKind::SessionPaid, Some(session)) = (e.kind, &e.session_id) {
            self.kv
                .put(&format!("paid:{session}"), e.id.as_str())?
                .execute()
                .await?;
        }
        let order = format!("{:010}:{}", e.created_at.max(0), e.id);
        self.kv
            .put(&format!("mevt:{}:{order}", e.merchant_id), "")?
            .execute()
            .await?;
        if let Some(session) = &e.session_id {
            self.kv
                .put(&format!("sevt:{session}:{order}"), "")?
                .execute()
                .await?;
        }
        if e.kind == EventKind::PaymentUnmatched || e.session_id.is_none() {
            self.kv
                .put(&format!("unmatched:{}:{order}", e.merchant_id), "")?
                .execute()
                .await?;
        }
        Ok(())
    }

    /// Events under an index prefix (`sevt:{session}:`, `unmatched:{merchant}:`), oldest first.
    pub async fn events(&self, prefix: &str, limit: u64) -> ApiResult<Vec<Event>> {
        let page = self
            .kv
            .list()
            .prefix(prefix.to_owned())
            .limit(limit)
            .execute()
            .await?;
        let mut events = Vec::with_capacity(page.keys.len());
        for key in &page.keys {
            if let Some(id) = key.name.rsplit(':').next() {
                if let Some(e) = self.get::<Event>(&format!("event:{id}")).await? {
                    events.push(e);
                }
            }
        }
        Ok(events)
    }

    /// Adds a wallet ledger entry under a deterministic id: writing it twice is
    /// writing it once.
    pub async fn put_ledger_entry(&self, wallet: &WalletId, entry: &LedgerEntry) -> ApiResult<()> {
        self.put(&format!("ledger:{wallet}:{}", entry.id), entry, None)
            .await
    }

    /// A wallet's ledger, oldest entry id first.
    pub async fn ledger(&self, wallet: &WalletId) -> ApiResult<Vec<LedgerEntry>> {
        let page = self
            .kv
            .list()
            .prefix(format!("ledger:{wallet}:"))
            .limit(1000)
            .execute()
            .await?;
        let mut entries = Vec::with_capacity(page.keys.len());
        for key in &page.keys {
            if let Some(e) = self.get::<LedgerEntry>(&key.name).await? {
                entries.push(e);
            }
        }
        entries.sort_by_key(|e| e.created_at);
        Ok(entries)
    }

    /// One page of a merchant's session ids, newest first, and the cursor of the next.
    pub async fn session_page(
        &self,
        merchant: &MerchantId,
        limit: u64,
        cursor: Option<String>,
    ) -> ApiResult<(Vec<SessionId>, Option<String>)> {
        let mut list = self
            .kv
            .list()
            .prefix(format!("sidx:{merchant}:"))
            .limit(limit);
        let had_cursor = cursor.is_some();
        if let Some(cursor) = cursor {
            list = list.cursor(cursor);
        }
        // KV refuses a cursor it did not issue: that is the client's mistake.
        let page = list.execute().await.map_err(|e| {
            if had_cursor {
                ApiError::bad_request("cursor_invalid", "cursor is not one this API returned")
                    .field("cursor")
            } else {
                ApiError::from(e)
            }
        })?;
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

    /// The session an alias (`EX-O...`, `pl_...`) stands for.
    pub async fn alias(&self, alias: &str) -> ApiResult<Option<SessionId>> {
        Ok(self
            .kv
            .get(&format!("alias:{alias}"))
            .text()
            .await?
            .and_then(|id| id.parse().ok()))
    }

    pub async fn idempotency(
        &self,
        scope: &str,
        merchant: &MerchantId,
        key: &str,
    ) -> ApiResult<Option<IdempotencyRecord>> {
        self.get(&format!("{scope}:{merchant}:{}", digest(key)))
            .await
    }

    pub async fn put_idempotency(
        &self,
        scope: &str,
        merchant: &MerchantId,
        key: &str,
        record: &IdempotencyRecord,
        ttl: Option<u64>,
    ) -> ApiResult<()> {
        self.put(&format!("{scope}:{merchant}:{}", digest(key)), record, ttl)
            .await
    }

    pub async fn wallet(&self, id: &WalletId) -> ApiResult<Option<WalletRecord>> {
        self.get(&format!("wallet:{id}")).await
    }

    /// The wallet of a merchant's user in a currency, if there is one.
    pub async fn wallet_of_user(
        &self,
        merchant: &MerchantId,
        user_id: i64,
        currency: &str,
    ) -> ApiResult<Option<WalletId>> {
        self.get(&format!("wallet-user:{merchant}:{user_id}:{currency}"))
            .await
    }

    pub async fn insert_wallet(&self, w: &WalletRecord) -> ApiResult<()> {
        self.put(&format!("wallet:{}", w.id), w, None).await?;
        self.put(
            &format!("wallet-user:{}:{}:{}", w.merchant_id, w.user_id, w.currency),
            &w.id,
            None,
        )
        .await
    }

    pub async fn rates(&self) -> ApiResult<Option<RatesRecord>> {
        self.get("rates").await
    }

    pub async fn put_rates(&self, r: &RatesRecord) -> ApiResult<()> {
        self.put("rates", r, None).await
    }

    /// Dev only: the rates fixture the worker serves itself.
    pub async fn dev_rates_fixture(&self) -> ApiResult<Option<String>> {
        Ok(self.kv.get("dev:rates-fixture").text().await?)
    }

    pub async fn put_dev_rates_fixture(&self, body: &str) -> ApiResult<()> {
        self.kv.put("dev:rates-fixture", body)?.execute().await?;
        Ok(())
    }
}
