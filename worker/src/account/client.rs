//! The worker's side of a merchant's account object: typed calls.

use checkout_api::dashboard::{Overview, SessionSummary, WalletSummary};
use checkout_core::event::Event;
use checkout_core::ids::{SessionId, WalletId};
use checkout_core::ledger::LedgerOp;
use checkout_core::webhook::EventFilter;
use serde::de::DeserializeOwned;
use worker::{Env, Method, ObjectNamespace, Request, RequestInit};

use super::protocol::{
    Backfill, Command, DashboardSession, Delivery, DeliveryPage, DeliveryQuery, Endpoint, Envelope,
    EventQuery, ListedKey, OpenedWallet, Recorded, Secrets, SessionQuery, SessionSnapshot,
    SummaryPage, WalletState,
};
use crate::error::{ApiError, ApiResult};
use crate::random;
use crate::secret::Sealed;
use crate::store::Owner;

/// The Durable Object namespace binding (see wrangler.toml).
pub const BINDING: &str = "ACCOUNT";

/// How many ledger entries a wallet view shows.
pub const WALLET_ENTRIES: u32 = 100;

/// The accounts of every merchant.
pub struct Accounts {
    namespace: ObjectNamespace,
}

impl Accounts {
    pub fn new(env: &Env) -> ApiResult<Accounts> {
        Ok(Accounts {
            namespace: env
                .durable_object(BINDING)
                .map_err(|e| ApiError::internal("account binding", e))?,
        })
    }

    /// The account of one merchant in one mode.
    pub fn of<'a>(&'a self, owner: Owner<'a>) -> Account<'a> {
        Account {
            accounts: self,
            owner,
        }
    }
}

/// One merchant's account in one mode: test and live are separate objects, so
/// test data cannot reach a live query.
pub struct Account<'a> {
    accounts: &'a Accounts,
    owner: Owner<'a>,
}

impl Account<'_> {
    async fn send<T: DeserializeOwned>(&self, command: Command) -> ApiResult<T> {
        let unavailable = |e: &dyn std::fmt::Display| ApiError::infrastructure("account", e);
        let stub = self
            .accounts
            .namespace
            .id_from_name(&self.owner.to_string())
            .and_then(|id| id.get_stub())
            .map_err(|e| unavailable(&e))?;
        let envelope = Envelope {
            merchant: self.owner.merchant.clone(),
            mode: self.owner.mode,
            command,
        };
        let body =
            serde_json::to_string(&envelope).map_err(|e| ApiError::internal("account", e))?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_body(Some(body.into()));
        let request =
            Request::new_with_init("https://account/", &init).map_err(|e| unavailable(&e))?;
        let mut response = stub
            .fetch_with_request(request)
            .await
            .map_err(|e| unavailable(&e))?;
        if response.status_code() != 200 {
            let text = response.text().await.unwrap_or_default();
            return Err(unavailable(&format!("{}: {text}", response.status_code())));
        }
        response.json().await.map_err(|e| unavailable(&e))
    }

    /// Records events, makes the bookings a transition asked for and queues the
    /// merchant's webhooks (atomic, each event once).
    pub async fn record(
        &self,
        events: Vec<Event>,
        ledger: Vec<LedgerOp>,
        session: Option<SessionSnapshot>,
        now: i64,
    ) -> ApiResult<Recorded> {
        self.send(Command::Record {
            events,
            ledger,
            session,
            now,
        })
        .await
    }

    /// Everything recorded about a session, oldest first.
    pub async fn session_events(&self, session: &SessionId, limit: u32) -> ApiResult<Vec<Event>> {
        self.send(Command::Events {
            filter: EventQuery::Session(session.clone()),
            limit,
        })
        .await
    }

    /// Verified payments that matched no pending session, oldest first.
    pub async fn unmatched(&self, limit: u32) -> ApiResult<Vec<Event>> {
        self.send(Command::Events {
            filter: EventQuery::Unmatched,
            limit,
        })
        .await
    }

    /// The user's wallet in a currency, created if there is none.
    pub async fn open_wallet(
        &self,
        user_id: i64,
        currency: &str,
        now: i64,
    ) -> ApiResult<OpenedWallet> {
        self.send(Command::OpenWallet {
            candidate: WalletId::from_random(random::bytes()),
            user_id,
            currency: currency.to_owned(),
            now,
        })
        .await
    }

    /// A wallet of this account, if it is one.
    pub async fn wallet(&self, id: &WalletId) -> ApiResult<Option<WalletState>> {
        self.send(Command::Wallet {
            id: id.clone(),
            entries: WALLET_ENTRIES,
        })
        .await
    }

    /// The signing secrets (sealed).
    pub async fn secrets(&self) -> ApiResult<Secrets> {
        self.send(Command::SigningSecret).await
    }

    pub async fn endpoint(&self) -> ApiResult<Option<Endpoint>> {
        self.send(Command::GetEndpoint).await
    }

    pub async fn put_endpoint(
        &self,
        url: String,
        secret: Option<Sealed>,
        filter: EventFilter,
        enabled: bool,
    ) -> ApiResult<Endpoint> {
        self.send(Command::PutEndpoint {
            url,
            secret,
            filter,
            enabled,
        })
        .await
    }

    pub async fn delete_endpoint(&self) -> ApiResult<bool> {
        self.send(Command::DeleteEndpoint).await
    }

    pub async fn rotate(&self, secret: Sealed) -> ApiResult<Option<Endpoint>> {
        self.send(Command::Rotate { secret }).await
    }

    pub async fn deliveries(&self, query: DeliveryQuery) -> ApiResult<DeliveryPage> {
        self.send(Command::Deliveries(query)).await
    }

    pub async fn delivery(&self, event_id: &str) -> ApiResult<Option<Delivery>> {
        self.send(Command::Delivery {
            event_id: event_id.to_owned(),
        })
        .await
    }

    pub async fn redeliver(&self, event_id: &str) -> ApiResult<Option<Delivery>> {
        self.send(Command::Redeliver {
            event_id: event_id.to_owned(),
        })
        .await
    }

    pub async fn recover(&self, since: i64) -> ApiResult<u32> {
        self.send(Command::Recover { since }).await
    }

    pub async fn send_test(&self) -> ApiResult<Option<Delivery>> {
        self.send(Command::SendTest).await
    }

    /// Sets the object's alarm again if work is due (the cron's sweep).
    pub async fn rearm(&self) -> ApiResult<Option<i64>> {
        self.send(Command::Rearm).await
    }

    /// One page of session summaries (the dashboard's listing).
    pub async fn sessions(&self, query: SessionQuery) -> ApiResult<SummaryPage> {
        self.send(Command::Sessions(query)).await
    }

    /// The dashboard overview's figures.
    pub async fn overview(&self, now: i64) -> ApiResult<Overview> {
        self.send(Command::Overview { now }).await
    }

    /// How far the import of sessions older than the sessions table has got.
    pub async fn backfill(&self) -> ApiResult<Backfill> {
        self.send(Command::Backfill).await
    }

    /// Imports a page of older sessions; `next` is where the import goes on
    /// (`None`: finished). Answers how many were new to the table.
    pub async fn import_sessions(
        &self,
        summaries: Vec<SessionSummary>,
        next: Option<String>,
        now: i64,
    ) -> ApiResult<u32> {
        self.send(Command::ImportSessions {
            summaries,
            next,
            now,
        })
        .await
    }

    /// Dev only: forgets the sessions table (see [`Command::ForgetSessions`]).
    pub async fn forget_sessions(&self) -> ApiResult<i64> {
        self.send(Command::ForgetSessions).await
    }

    /// Every wallet with its balance, newest first.
    pub async fn wallets(&self) -> ApiResult<Vec<WalletSummary>> {
        self.send(Command::Wallets).await
    }

    /// Lists an API key (once, by id).
    pub async fn add_key(&self, key: ListedKey) -> ApiResult<()> {
        self.send(Command::AddKey(key)).await
    }

    /// The API keys of this mode, oldest first.
    pub async fn keys(&self) -> ApiResult<Vec<ListedKey>> {
        self.send(Command::Keys).await
    }

    /// Revokes an API key; `None` if this account has no such key.
    pub async fn revoke_key(&self, id: &str, now: i64) -> ApiResult<Option<ListedKey>> {
        self.send(Command::RevokeKey {
            id: id.to_owned(),
            now,
        })
        .await
    }

    /// Spends a dashboard sign-in link (by its hash) and starts `session`
    /// (by the hash of its cookie): true for the link's first use only.
    pub async fn sign_in(
        &self,
        link: &str,
        link_expires_at: i64,
        session_hash: &str,
        session: DashboardSession,
        now: i64,
    ) -> ApiResult<bool> {
        self.send(Command::SignIn {
            link: link.to_owned(),
            link_expires_at,
            session_hash: session_hash.to_owned(),
            session,
            now,
        })
        .await
    }

    /// The dashboard session a cookie's hash names, while it lasts.
    pub async fn dashboard_session(
        &self,
        hash: &str,
        now: i64,
    ) -> ApiResult<Option<DashboardSession>> {
        self.send(Command::DashboardSession {
            hash: hash.to_owned(),
            now,
        })
        .await
    }

    /// Ends a dashboard session: true if there was one.
    pub async fn sign_out(&self, hash: &str) -> ApiResult<bool> {
        self.send(Command::SignOut {
            hash: hash.to_owned(),
        })
        .await
    }
}
