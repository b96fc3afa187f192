//! What a route is: a method, a path pattern, and a handler whose arguments say
//! what the route needs (a merchant key, a JSON body of some type, a query), as
//! workers-rs's sandbox does with its `handler!`. One declaration drives both the
//! request handling and the OpenAPI document (`openapi.rs`): the extractor that
//! authenticates a merchant also documents the security scheme and the 401, the
//! one that reads `Json<CreateSession>` also documents the request schema, and a
//! handler that answers `Reply<Session>` documents its response.
//!
//! Handlers are plain async functions:
//! `async fn create(call: Call, caller: Caller, body: Json<CreateSession>) -> ApiResult<Reply<Session>>`.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use checkout_api::endpoint::{Endpoint, Method as EndpointMethod};
use serde::de::DeserializeOwned;
use serde::Serialize;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, ToSchema};
use worker::{Method, Request, Response};

use crate::auth::{Admin, Caller, SignedIn};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult, ErrorStyle};
use crate::http;
use crate::wire;

mod path;

pub use path::{CheckoutRef, DeliveryId, Path, SignInId};

/// Which API a route belongs to: its OpenAPI tag and its error style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Api {
    Meta,
    Native,
    Checkout,
    Admin,
    Gateway,
    Ewallet,
    Links,
    Etn,
    Webhooks,
    Keys,
    Dashboard,
    Dev,
}

impl Api {
    pub fn tag(self) -> &'static str {
        match self {
            Api::Meta => "meta",
            Api::Native => "sessions",
            Api::Checkout => "checkout",
            Api::Admin => "admin",
            Api::Gateway => "hosted-checkout-gateway-api",
            Api::Ewallet => "ewallet-orders-api",
            Api::Links => "payment-links-api",
            Api::Etn => "etn-vendor-api",
            Api::Webhooks => "webhook-forwarding-api",
            Api::Keys => "keys",
            Api::Dashboard => "dashboard",
            Api::Dev => "dev",
        }
    }

    pub fn error_style(self) -> ErrorStyle {
        match self {
            Api::Gateway => ErrorStyle::Gateway,
            _ => ErrorStyle::Plain,
        }
    }
}

/// A schema the document must contain, by type.
#[derive(Clone, Copy)]
pub struct SchemaRef {
    pub name: fn() -> Cow<'static, str>,
    pub collect: fn(&mut Vec<(String, RefOr<Schema>)>),
}

impl SchemaRef {
    pub fn of<T: ToSchema>() -> SchemaRef {
        fn collect<T: ToSchema>(all: &mut Vec<(String, RefOr<Schema>)>) {
            all.push((T::name().into_owned(), T::schema()));
            T::schemas(all);
        }
        SchemaRef {
            name: T::name,
            collect: collect::<T>,
        }
    }
}

/// Who may call a route, for the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Anyone (public pages, the public view, provider webhooks verified by signature).
    Public,
    /// A merchant API key (`Authorization: Bearer sk_...` or `x-api-key`), or
    /// the dashboard's sign-in cookie (with `X-CSRF-Token` to change anything).
    Merchant,
    /// The dashboard's sign-in cookie only.
    Dashboard,
    /// The deployer's admin key.
    Admin,
}

/// What the OpenAPI document says of a route; filled by the route's declaration
/// and its handler's argument and return types.
pub struct Doc {
    pub summary: &'static str,
    pub security: Security,
    pub request: Option<SchemaRef>,
    pub query: Option<fn() -> Vec<Parameter>>,
    /// The path parameters' descriptions, in the pattern's order ([`Path`]).
    pub path: Vec<&'static str>,
    /// The success status and, for JSON answers, its schema.
    pub status: u16,
    pub response: Option<SchemaRef>,
    /// Non-JSON answers (`application/pdf`, `text/html`).
    pub content_type: Option<&'static str>,
    pub errors: BTreeSet<u16>,
}

/// A handler, type-erased: it owns the call and answers.
pub type Handler = Box<dyn Fn(Call) -> Pin<Box<dyn Future<Output = ApiResult<Response>>>>>;

/// One route of the table.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub api: Api,
    /// Served only under `wrangler dev` (`DEV_MODE`), and never documented.
    pub dev_only: bool,
    pub doc: Doc,
    pub handler: Handler,
}

impl Route {
    /// Declares a route that another crate calls too: its method and path
    /// come from the api crate's [`Endpoint`], their one definition.
    pub fn endpoint(endpoint: Endpoint, api: Api, summary: &'static str) -> RouteBuilder {
        let method = match endpoint.method {
            EndpointMethod::Get => Method::Get,
            EndpointMethod::Post => Method::Post,
            EndpointMethod::Put => Method::Put,
            EndpointMethod::Delete => Method::Delete,
        };
        Route::at(method, endpoint.path, api, summary)
    }

    /// Declares a route at `path`; [`RouteBuilder::to`] gives it its handler.
    pub fn at(method: Method, path: &'static str, api: Api, summary: &'static str) -> RouteBuilder {
        RouteBuilder {
            method,
            path,
            api,
            dev_only: api == Api::Dev,
            doc: Doc {
                summary,
                security: Security::Public,
                request: None,
                query: None,
                path: Vec::new(),
                status: 200,
                response: None,
                content_type: None,
                errors: BTreeSet::new(),
            },
        }
    }

    /// The path parameters if `path` matches this route's pattern.
    pub fn matches(&self, path: &str) -> Option<Vec<(&'static str, String)>> {
        let mut params = Vec::new();
        let mut want = self.path.trim_matches('/').split('/');
        let mut got = path.trim_matches('/').split('/');
        loop {
            match (want.next(), got.next()) {
                (None, None) => return Some(params),
                (Some(w), Some(g)) if w.starts_with('{') && w.ends_with('}') && !g.is_empty() => {
                    params.push((&w[1..w.len() - 1], g.to_owned()));
                }
                (Some(w), Some(g)) if w == g => {}
                _ => return None,
            }
        }
    }
}

/// Declares a route; [`RouteBuilder::to`] gives it its handler.
pub struct RouteBuilder {
    method: Method,
    path: &'static str,
    api: Api,
    dev_only: bool,
    doc: Doc,
}

impl RouteBuilder {
    /// The success status (default 200).
    pub fn status(mut self, status: u16) -> Self {
        self.doc.status = status;
        self
    }

    /// A non-JSON answer's content type.
    pub fn content(mut self, content_type: &'static str) -> Self {
        self.doc.content_type = Some(content_type);
        self
    }

    /// The JSON schema of an answer the handler builds itself (ETag, 304).
    pub fn responds<T: ToSchema>(mut self) -> Self {
        self.doc.response = Some(SchemaRef::of::<T>());
        self
    }

    /// Error statuses this route answers besides those its extractors document.
    pub fn errors(mut self, statuses: &[u16]) -> Self {
        self.doc.errors.extend(statuses);
        self
    }

    pub fn to<Args, H: IntoHandler<Args>>(mut self, handler: H) -> Route {
        H::document(&mut self.doc);
        Route {
            method: self.method,
            path: self.path,
            api: self.api,
            dev_only: self.dev_only,
            doc: self.doc,
            handler: handler.into_handler(),
        }
    }
}

/// One request, as a handler sees it.
pub struct Call {
    pub ctx: Ctx,
    pub req: Request,
    params: Vec<(&'static str, String)>,
}

impl Call {
    pub fn new(ctx: Ctx, req: Request, params: Vec<(&'static str, String)>) -> Call {
        Call { ctx, req, params }
    }

    /// A request header.
    pub fn header(&self, name: &str) -> ApiResult<Option<String>> {
        Ok(self.req.headers().get(name)?)
    }

    /// The raw body, refusing more than [`http::MAX_BODY`] bytes (413).
    pub async fn body(&mut self) -> ApiResult<Vec<u8>> {
        http::body_bytes(&mut self.req).await
    }
}

/// Something a handler takes from the request before it runs.
#[allow(async_fn_in_trait)] // workers run on one thread: Send is never needed
pub trait Extract: Sized {
    async fn extract(call: &mut Call) -> ApiResult<Self>;
    fn document(_doc: &mut Doc) {}
}

/// What a handler answers.
pub trait IntoReply {
    fn into_reply(self) -> ApiResult<Response>;
    fn document(_doc: &mut Doc) {}
}

impl IntoReply for Response {
    fn into_reply(self) -> ApiResult<Response> {
        Ok(self)
    }
}

/// A JSON answer of a documented type.
pub struct Reply<T> {
    status: u16,
    body: T,
    headers: Vec<(&'static str, String)>,
}

impl<T> Reply<T> {
    pub fn ok(body: T) -> Reply<T> {
        Reply::with_status(200, body)
    }

    pub fn with_status(status: u16, body: T) -> Reply<T> {
        Reply {
            status,
            body,
            headers: Vec::new(),
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply<T> {
        self.headers.push((name, value.into()));
        self
    }
}

impl<T: Serialize + ToSchema> IntoReply for Reply<T> {
    fn into_reply(self) -> ApiResult<Response> {
        let response = http::json(self.status, &self.body)?;
        for (name, value) in &self.headers {
            response.headers().set(name, value)?;
        }
        Ok(response)
    }

    fn document(doc: &mut Doc) {
        doc.response = Some(SchemaRef::of::<T>());
    }
}

/// A JSON request body of a documented type: 415 without a JSON content type,
/// 413 when too large, 400 when malformed or of the wrong types.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + ToSchema> Extract for Json<T> {
    async fn extract(call: &mut Call) -> ApiResult<Self> {
        http::require_json(&call.req)?;
        let body = call.body().await?;
        wire::from_json(&body).map(Json)
    }

    fn document(doc: &mut Doc) {
        doc.request = Some(SchemaRef::of::<T>());
        doc.errors.extend([400, 413, 415, 422]);
    }
}

/// An optional JSON body: absent (or blank) is `None`.
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned + ToSchema> Extract for OptionalJson<T> {
    async fn extract(call: &mut Call) -> ApiResult<Self> {
        let body = call.body().await?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(None));
        }
        wire::from_json(&body).map(|v| OptionalJson(Some(v)))
    }

    fn document(doc: &mut Doc) {
        doc.request = Some(SchemaRef::of::<T>());
        doc.errors.extend([400, 413, 422]);
    }
}

/// A signed body: its exact bytes (signatures cover bytes, never re-serialised
/// JSON), documented as `T`. The handler verifies, then parses.
pub struct Signed<T> {
    pub bytes: Vec<u8>,
    _shape: std::marker::PhantomData<T>,
}

impl<T: DeserializeOwned> Signed<T> {
    /// The body as `T` (after the signature was checked).
    pub fn parse(&self) -> ApiResult<T> {
        wire::from_json(&self.bytes)
    }
}

impl<T: ToSchema> Extract for Signed<T> {
    async fn extract(call: &mut Call) -> ApiResult<Self> {
        Ok(Signed {
            bytes: call.body().await?,
            _shape: std::marker::PhantomData,
        })
    }

    fn document(doc: &mut Doc) {
        doc.request = Some(SchemaRef::of::<T>());
        doc.errors.extend([400, 401, 413]);
    }
}

/// A typed query string (400 `invalid_type` naming the parameter).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + IntoParams> Extract for Query<T> {
    async fn extract(call: &mut Call) -> ApiResult<Self> {
        let url = call.req.url()?;
        wire::from_query(url.query().unwrap_or_default()).map(Query)
    }

    fn document(doc: &mut Doc) {
        doc.query = Some(|| T::into_params(|| Some(ParameterIn::Query)));
        doc.errors.insert(400);
    }
}

impl Extract for Caller {
    /// A key if the request carries one; otherwise the dashboard's sign-in cookie
    /// (with its CSRF header on state-changing methods).
    async fn extract(call: &mut Call) -> ApiResult<Self> {
        if crate::auth::presents_key(&call.req)? {
            return crate::auth::merchant(&call.req, &call.ctx.store).await;
        }
        match SignedIn::from_cookie(&call.ctx, &call.req).await? {
            Some(signed_in) => Ok(signed_in.caller),
            None => Err(ApiError::unauthorized(
                "missing_api_key",
                "send your API key as `Authorization: Bearer sk_...`",
            )),
        }
    }

    fn document(doc: &mut Doc) {
        doc.security = Security::Merchant;
        doc.errors.insert(401);
    }
}

impl Extract for SignedIn {
    async fn extract(call: &mut Call) -> ApiResult<Self> {
        SignedIn::from_cookie(&call.ctx, &call.req)
            .await?
            .ok_or_else(|| {
                ApiError::unauthorized("not_signed_in", "sign in to the dashboard first")
            })
    }

    fn document(doc: &mut Doc) {
        doc.security = Security::Dashboard;
        doc.errors.extend([401, 403]);
    }
}

/// A merchant key if one is presented (then it must be valid), or none: for
/// routes anyone may call, where a key narrows what the caller may touch.
pub struct MaybeCaller(pub Option<Caller>);

impl Extract for MaybeCaller {
    async fn extract(call: &mut Call) -> ApiResult<Self> {
        if !crate::auth::presents_key(&call.req)? {
            return Ok(MaybeCaller(None));
        }
        crate::auth::merchant(&call.req, &call.ctx.store)
            .await
            .map(|c| MaybeCaller(Some(c)))
    }

    fn document(doc: &mut Doc) {
        doc.errors.insert(401);
    }
}

impl Extract for Admin {
    async fn extract(call: &mut Call) -> ApiResult<Self> {
        crate::auth::admin(&call.req, &call.ctx.config)
    }

    fn document(doc: &mut Doc) {
        doc.security = Security::Admin;
        doc.errors.insert(401);
    }
}

/// Turns an async function of a [`Call`] and up to three extractors into a
/// [`Handler`], and documents what its arguments and answer say.
pub trait IntoHandler<Args> {
    fn into_handler(self) -> Handler;
    fn document(doc: &mut Doc);
}

impl<F, Fut, R> IntoHandler<()> for F
where
    F: Fn(Call) -> Fut + Copy + 'static,
    Fut: Future<Output = ApiResult<R>> + 'static,
    R: IntoReply,
{
    fn into_handler(self) -> Handler {
        Box::new(move |call| Box::pin(async move { self(call).await?.into_reply() }))
    }

    fn document(doc: &mut Doc) {
        R::document(doc);
    }
}

impl<F, Fut, R, A> IntoHandler<(A,)> for F
where
    F: Fn(Call, A) -> Fut + Copy + 'static,
    Fut: Future<Output = ApiResult<R>> + 'static,
    R: IntoReply,
    A: Extract + 'static,
{
    fn into_handler(self) -> Handler {
        Box::new(move |mut call| {
            Box::pin(async move {
                let a = A::extract(&mut call).await?;
                self(call, a).await?.into_reply()
            })
        })
    }

    fn document(doc: &mut Doc) {
        A::document(doc);
        R::document(doc);
    }
}

impl<F, Fut, R, A, B> IntoHandler<(A, B)> for F
where
    F: Fn(Call, A, B) -> Fut + Copy + 'static,
    Fut: Future<Output = ApiResult<R>> + 'static,
    R: IntoReply,
    A: Extract + 'static,
    B: Extract + 'static,
{
    fn into_handler(self) -> Handler {
        Box::new(move |mut call| {
            Box::pin(async move {
                // In order: authentication before the body is even read.
                let a = A::extract(&mut call).await?;
                let b = B::extract(&mut call).await?;
                self(call, a, b).await?.into_reply()
            })
        })
    }

    fn document(doc: &mut Doc) {
        A::document(doc);
        B::document(doc);
        R::document(doc);
    }
}

impl<F, Fut, R, A, B, C> IntoHandler<(A, B, C)> for F
where
    F: Fn(Call, A, B, C) -> Fut + Copy + 'static,
    Fut: Future<Output = ApiResult<R>> + 'static,
    R: IntoReply,
    A: Extract + 'static,
    B: Extract + 'static,
    C: Extract + 'static,
{
    fn into_handler(self) -> Handler {
        Box::new(move |mut call| {
            Box::pin(async move {
                // In order: authentication before the body is even read.
                let a = A::extract(&mut call).await?;
                let b = B::extract(&mut call).await?;
                let c = C::extract(&mut call).await?;
                self(call, a, b, c).await?.into_reply()
            })
        })
    }

    fn document(doc: &mut Doc) {
        A::document(doc);
        B::document(doc);
        C::document(doc);
        R::document(doc);
    }
}
