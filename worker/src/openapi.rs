//! `GET /openapi.json`: every route of every dialect, described for merchant
//! developers and their tools. Kept next to the route table in `lib.rs`; the
//! end-to-end tests check that each route of the table is documented here.

use serde_json::{json, Value};
use worker::Response;

use crate::error::ApiResult;
use crate::http;
use crate::sessions::Ctx;

fn error_responses(codes: &[u16]) -> Value {
    let mut map = serde_json::Map::new();
    for code in codes {
        map.insert(
            code.to_string(),
            json!({"$ref": format!("#/components/responses/E{code}")}),
        );
    }
    Value::Object(map)
}

fn op(summary: &str, security: bool, body: Option<&str>, ok: (u16, &str), errors: &[u16]) -> Value {
    let mut responses = error_responses(errors);
    responses[ok.0.to_string()] = json!({"description": ok.1, "content": {"application/json": {"schema": {"type": "object"}}}});
    let mut o = json!({ "summary": summary, "responses": responses });
    if let Some(schema) = body {
        o["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    }
    if !security {
        o["security"] = json!([]);
    }
    o
}

fn path_param(name: &str) -> Value {
    json!([{"name": name, "in": "path", "required": true, "schema": {"type": "string"}}])
}

fn string() -> Value {
    json!({"type": "string"})
}

fn amount() -> Value {
    json!({"oneOf": [{"type": "string", "example": "149.98"}, {"type": "number"}], "description": "exact decimal; no exponent, no thousands separators"})
}

/// The OpenAPI 3.1 document.
pub fn document(ctx: &Ctx) -> ApiResult<Response> {
    let merchant_errors = [400, 401, 409, 413, 415, 422, 503];
    let doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Edge Checkout",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Checkout sessions priced in ETN, in several API dialects over one session model. Errors are {\"error\": {\"code\", \"message\", \"field\"}}.",
        },
        "servers": [{"url": ctx.origin}],
        "security": [{"merchantKey": []}, {"apiKeyHeader": []}],
        "paths": {
            "/health": {"get": op("Liveness, including a KV read", false, None, (200, "ok"), &[503])},
            "/health/live": {"get": op("Liveness of the isolate alone (no KV)", false, None, (200, "ok"), &[])},
            "/openapi.json": {"get": op("This document", false, None, (200, "OpenAPI document"), &[])},
            "/v1/sessions": {
                "post": op("Create a checkout session (Idempotency-Key supported)", true, Some("SessionRequest"), (201, "the session"), &merchant_errors),
                "get": {
                    "summary": "List sessions, newest first",
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                        {"name": "cursor", "in": "query", "schema": string()},
                    ],
                    "responses": {"200": {"description": "a page of sessions"}, "400": {"$ref": "#/components/responses/E400"}, "401": {"$ref": "#/components/responses/E401"}},
                },
            },
            "/v1/sessions/{id}": {"parameters": path_param("id"), "get": op("Read a session", true, None, (200, "the session"), &[401, 404])},
            "/v1/sessions/{id}/cancel": {"parameters": path_param("id"), "post": op("Cancel a pending session", true, None, (200, "the cancelled session"), &[401, 404, 409])},
            "/v1/sessions/{id}/public": {
                "parameters": path_param("id"),
                "get": op("The public view the widget polls (CORS open, ETag / If-None-Match; no secrets, no customer data)", false, None, (200, "public view"), &[404]),
            },
            "/v1/admin/merchants": {"post": op("Create a merchant (admin key); generated secrets are shown once", true, Some("MerchantRequest"), (201, "the merchant"), &[400, 401, 413, 415, 422])},
            "/v1/admin/merchants/{id}": {"parameters": path_param("id"), "get": op("Read a merchant, secrets masked (admin key)", true, None, (200, "the merchant"), &[401, 404])},
            "/v1/admin/merchants/{id}/keys": {
                "parameters": path_param("id"),
                "post": op("Issue an API key, shown once (admin key); body {\"mode\": \"test\"|\"live\"}", true, None, (201, "the key"), &[401, 404, 422]),
                "get": op("List a merchant's keys by preview (admin key)", true, None, (200, "keys"), &[401, 404]),
            },
            "/v1/admin/merchants/{id}/keys/{key_id}": {
                "parameters": [path_param("id")[0].clone(), path_param("key_id")[0].clone()],
                "delete": op("Revoke a key (admin key)", true, None, (200, "the revoked key"), &[401, 404]),
            },
            "/gateway/session.php": {"post": op("hosted-checkout-gateway-api: create a session for an approved domain", true, Some("GatewaySession"), (200, "session_id, checkout_url, status"), &[400, 401, 403, 409, 413, 415, 422, 503])},
            "/gateway/me.php": {"get": op("hosted-checkout-gateway-api: integration_mode and methods", true, None, (200, "integration mode"), &[401])},
            "/gateway/status.php": {"get": {
                "summary": "hosted-checkout-gateway-api: session status",
                "parameters": [{"name": "session_id", "in": "query", "required": true, "schema": string()}],
                "responses": error_responses(&[400, 401, 404]),
            }},
            "/api/v1/wallets": {"post": op("ewallet-orders-api: create (or find) a user's wallet", true, Some("WalletRequest"), (201, "the wallet"), &[400, 401, 415, 422])},
            "/api/v1/wallets/{id}": {"parameters": path_param("id"), "get": op("ewallet-orders-api: read a wallet", true, None, (200, "the wallet"), &[401, 404])},
            "/api/v1/orders": {"post": op("ewallet-orders-api: create an order", true, Some("OrderRequest"), (201, "public_order_id, status, checkout_url"), &merchant_errors)},
            "/api/v1/orders/{public_order_id}": {"parameters": path_param("public_order_id"), "get": op("ewallet-orders-api: read an order", true, None, (200, "the order"), &[401, 404])},
            "/api/v1/orders/{public_order_id}/receipt.pdf": {
                "parameters": path_param("public_order_id"),
                "get": {"summary": "ewallet-orders-api: branded PDF receipt of a pending or paid order", "responses": {"200": {"description": "the receipt", "content": {"application/pdf": {}}}, "404": {"$ref": "#/components/responses/E404"}, "409": {"$ref": "#/components/responses/E409"}}},
            },
            "/wallet/createPaymentLink": {"post": op("payment-links-api: create a payment link (x-api-key)", true, Some("PaymentLinkRequest"), (201, "order_id and url"), &merchant_errors)},
            "/pay/{id}": {"parameters": path_param("id"), "get": {"summary": "The hosted checkout page (aliases EX-O... and pl_... redirect)", "security": [], "responses": {"200": {"description": "HTML"}, "302": {"description": "alias redirect"}, "404": {"description": "HTML not found page"}}}},
        },
        "components": {
            "securitySchemes": {
                "merchantKey": {"type": "http", "scheme": "bearer", "description": "sk_test_... / sk_live_... (or the admin key on admin routes)"},
                "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "x-api-key"},
            },
            "responses": {
                "E400": {"description": "malformed request or missing field", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "E401": {"description": "missing, invalid or revoked key", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "E403": {"description": "domain not approved", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "E404": {"description": "not found (including another merchant's)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "E409": {"description": "conflict (idempotency key or order_id reused with other parameters; state)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "E413": {"description": "body over 64 KiB", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "E415": {"description": "body is not application/json", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "E422": {"description": "a field's value is not acceptable", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "E503": {"description": "exchange rates unavailable; see Retry-After", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {"code": string(), "message": string(), "field": {"type": ["string", "null"]}}}}},
                "SessionRequest": {"type": "object", "required": ["amount", "currency"], "properties": {
                    "amount": amount(), "currency": string(), "order_id": string(), "customer_email": string(),
                    "customer": {"$ref": "#/components/schemas/Customer"}, "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                    "return_url": string(), "cancel_url": string(), "expires_in": {"type": "integer", "minimum": 60, "maximum": 86400},
                }},
                "GatewaySession": {"type": "object", "required": ["domain", "amount", "currency", "order_id"], "properties": {
                    "domain": string(), "amount": amount(), "currency": string(), "order_id": string(), "return_url": string(),
                    "cancel_url": string(), "customer_email": string(), "method": {"type": "string", "description": "smart routing only"},
                }},
                "WalletRequest": {"type": "object", "required": ["user_id", "currency"], "properties": {"user_id": {"type": "integer"}, "currency": string()}},
                "OrderRequest": {"type": "object", "required": ["amount", "currency", "customer_details", "redirect_url"], "properties": {
                    "amount": amount(), "currency": string(), "customer_details": {"$ref": "#/components/schemas/Customer"},
                    "redirect_url": string(), "webhook_url": string(), "wallet_id": string(),
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                }},
                "PaymentLinkRequest": {"type": "object", "required": ["amount", "currency", "email"], "properties": {
                    "amount": amount(), "currency": string(), "email": string(), "ref": string(), "redirectUrl": string(),
                }},
                "MerchantRequest": {"type": "object", "required": ["name", "domains", "etn_outlet_id", "etn_api_key", "etn_api_secret"], "properties": {
                    "name": string(), "domains": {"type": "array", "items": string()}, "etn_outlet_id": string(),
                    "etn_api_key": string(), "etn_api_secret": string(), "gateway_webhook_secret": string(),
                    "plan": {"enum": ["hosted_checkout", "smart_routing"]}, "methods": {"type": "array", "items": string()},
                }},
                "Customer": {"type": "object", "properties": {
                    "name": string(), "surname": string(), "email": string(), "phone": string(),
                    "address_line1": string(), "city": string(), "postal_code": string(), "country": {"type": "string", "description": "ISO 3166-1 alpha-2"},
                }},
                "Item": {"type": "object", "required": ["name", "price"], "properties": {"name": string(), "price": amount(), "quantity": {"type": "integer", "minimum": 1}}},
            },
        },
    });
    let response = http::json(200, &doc)?;
    Ok(http::cors(response))
}
