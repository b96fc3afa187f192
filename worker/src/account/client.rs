//! The worker's side of a merchant's account object: one typed call per
//! command (see `protocol/`).

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use worker::wasm_bindgen_futures::JsFuture;
use worker::{Env, Method, ObjectNamespace, Request, RequestInit, Stub};

use super::protocol::{Command, Envelope, Failure};
use crate::error::{ApiError, ApiResult};
use crate::store::Owner;

/// The Durable Object namespace binding (see wrangler.toml).
pub const BINDING: &str = "ACCOUNT";

/// How many ledger entries a wallet view shows.
pub const WALLET_ENTRIES: u32 = 100;

#[wasm_bindgen]
extern "C" {
    /// An account object's stub as RPC sees it: the methods the object
    /// exports (`dispatch.rs`).
    #[wasm_bindgen(extends = js_sys::Object)]
    type AccountRpc;

    /// Runs a command (its name, the JSON of its [`Envelope`]); resolves to
    /// the JSON of its `Result<Answer, Failure>`.
    #[wasm_bindgen(method, catch)]
    fn command(this: &AccountRpc, name: &str, envelope: String)
        -> Result<js_sys::Promise, JsValue>;
}

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
            key_used: None,
        }
    }

    /// The object of an owner (named `mer_...:test`).
    pub fn stub(&self, owner: Owner<'_>) -> ApiResult<Stub> {
        self.namespace
            .id_from_name(&owner.to_string())
            .and_then(|id| id.get_stub())
            .map_err(|e| ApiError::infrastructure("account", e))
    }
}

/// One merchant's account in one mode: test and live are separate objects, so
/// test data cannot reach a live query.
pub struct Account<'a> {
    accounts: &'a Accounts,
    owner: Owner<'a>,
    key_used: Option<&'a str>,
}

impl<'a> Account<'a> {
    /// The same account, noting that the API key of this hash made the request.
    pub fn used_by(mut self, key_hash: Option<&'a str>) -> Account<'a> {
        self.key_used = key_hash;
        self
    }

    /// Sends a command and reads its answer: a refusal is the client's error
    /// (4xx), a bug a 500, and storage or the runtime failing (an answer that
    /// is not one, a dropped connection) a retryable 503.
    pub async fn call<C: Command>(&self, command: C) -> ApiResult<C::Answer> {
        self.try_call(command)
            .await?
            .map_err(|refusal| refusal.to_api_error())
    }

    /// Sends a command and reads its answer, keeping a refusal as a value (for
    /// callers that decide what a refusal means, such as "not found here: look
    /// elsewhere").
    pub async fn try_call<C: Command>(
        &self,
        command: C,
    ) -> ApiResult<Result<C::Answer, super::protocol::Refusal>> {
        if crate::outage::storage() {
            return Err(ApiError::infrastructure(
                "account",
                "simulated outage (dev)",
            ));
        }
        let unavailable = |e: &dyn std::fmt::Display| ApiError::infrastructure("account", e);
        let stub = self.accounts.stub(self.owner)?;
        let envelope = Envelope {
            merchant: self.owner.merchant.clone(),
            mode: self.owner.mode,
            key_used: self.key_used.map(str::to_owned),
            command,
        };
        let body =
            serde_json::to_string(&envelope).map_err(|e| ApiError::internal("account", e))?;
        let rpc: AccountRpc = stub.into_rpc();
        let answered = rpc
            .command(C::NAME, body)
            .map_err(|e| unavailable(&format!("{e:?}")))?;
        let text = JsFuture::from(answered)
            .await
            .map_err(|e| unavailable(&format!("{e:?}")))?
            .as_string()
            .ok_or_else(|| unavailable(&format!("{} answered no text", C::NAME)))?;
        let answer: Result<C::Answer, Failure> = serde_json::from_str(&text).map_err(|e| {
            unavailable(&format!(
                "{} answered ({e}): {}",
                C::NAME,
                text.chars().take(200).collect::<String>()
            ))
        })?;
        match answer {
            Ok(answer) => Ok(Ok(answer)),
            Err(Failure::Refused(refusal)) => Ok(Err(refusal)),
            Err(Failure::Bug(message)) => Err(ApiError::internal(C::NAME, message)),
            Err(Failure::Unavailable(message)) => Err(ApiError::infrastructure(C::NAME, message)),
        }
    }

    /// Forwards a shopper's WebSocket upgrade (`/v1/sessions/{id}/live`) to the
    /// object, which accepts it (hibernating) and pushes the public view.
    pub async fn live(
        &self,
        session: &checkout_core::ids::SessionId,
    ) -> ApiResult<worker::Response> {
        if crate::outage::storage() {
            return Err(ApiError::infrastructure(
                "account",
                "simulated outage (dev)",
            ));
        }
        let stub = self.accounts.stub(self.owner)?;
        let headers = worker::Headers::new();
        headers.set("upgrade", "websocket")?;
        headers.set(super::live::OWNER_HEADER, &self.owner.to_string())?;
        let mut init = RequestInit::new();
        init.with_method(Method::Get).with_headers(headers);
        let url = format!("https://account/{}/{session}", super::live::PATH);
        let request = Request::new_with_init(&url, &init)
            .map_err(|e| ApiError::infrastructure("account", e))?;
        stub.fetch_with_request(request)
            .await
            .map_err(|e| ApiError::infrastructure("account", e))
    }
}
