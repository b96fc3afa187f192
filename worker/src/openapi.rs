//! The OpenAPI document, built from a route table and the wire types: the
//! same declarations that route a request document it (see `route.rs`), so the
//! document cannot drift from what the worker answers. `routes.rs` serves it at
//! `GET /openapi.json`.

use std::collections::BTreeSet;

use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ComponentsBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Paths, Ref, RefOr, Required,
    ResponseBuilder, ServerBuilder,
};
use worker::Method;

use crate::error::ErrorBody;
use crate::route::{Api, Route, SchemaRef, Security};

fn http_method(m: &Method) -> Option<HttpMethod> {
    Some(match m {
        Method::Get => HttpMethod::Get,
        Method::Post => HttpMethod::Post,
        Method::Put => HttpMethod::Put,
        Method::Delete => HttpMethod::Delete,
        Method::Options => HttpMethod::Options,
        Method::Patch => HttpMethod::Patch,
        Method::Head => HttpMethod::Head,
        _ => return None,
    })
}

/// What each error status means, in every route's document.
fn error_description(status: u16) -> &'static str {
    match status {
        400 => "malformed request, a missing field, or a field of the wrong type",
        401 => "missing, invalid or revoked key, or a bad signature",
        403 => "not allowed (an unapproved domain, a live session in the sandbox)",
        404 => "not found, or not the caller's (another merchant's or another mode's)",
        409 => "conflict: an Idempotency-Key or order_id reused with other parameters, or a session that can no longer change",
        413 => "body over 64 KiB",
        415 => "body is not application/json",
        422 => "a field's value is not acceptable",
        429 => "too many requests; see Retry-After",
        503 => "temporarily unavailable (storage, exchange rates); retry after Retry-After",
        _ => "error",
    }
}

fn json_content(schema: &SchemaRef) -> utoipa::openapi::Content {
    ContentBuilder::new()
        .schema(Some(Ref::from_schema_name((schema.name)())))
        .build()
}

/// The OpenAPI 3.1 document of `routes` (dev-only routes are left out).
pub fn build(routes: &[Route], origin: &str) -> OpenApi {
    let mut paths = Paths::new();
    let mut schemas: Vec<(String, RefOr<Schema>)> = Vec::new();
    let error = SchemaRef::of::<ErrorBody>();
    (error.collect)(&mut schemas);
    for route in routes.iter().filter(|r| !r.dev_only) {
        let Some(method) = http_method(&route.method) else {
            continue;
        };
        let doc = &route.doc;
        let mut op = OperationBuilder::new()
            .summary(Some(doc.summary))
            .tag(route.api.tag());
        let names = route
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')));
        for (i, name) in names.enumerate() {
            op = op.parameter(
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .description(doc.path.get(i).copied())
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String))),
            );
        }
        if let Some(query) = doc.query {
            for p in query() {
                op = op.parameter(p);
            }
        }
        if let Some(request) = &doc.request {
            (request.collect)(&mut schemas);
            op = op.request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content("application/json", json_content(request))
                    .build(),
            ));
        }
        let mut ok = ResponseBuilder::new().description(match doc.status {
            201 => "created",
            204 => "done, no content",
            _ => "OK",
        });
        if let Some(response) = &doc.response {
            (response.collect)(&mut schemas);
            ok = ok.content("application/json", json_content(response));
        } else if let Some(content_type) = doc.content_type {
            ok = ok.content(content_type, ContentBuilder::new().build());
        }
        op = op.response(doc.status.to_string(), ok.build());
        let mut errors: BTreeSet<u16> = doc.errors.clone();
        if route.path.contains('{') {
            errors.insert(404);
        }
        if route.api != Api::Meta {
            errors.insert(503);
        }
        for status in errors {
            op = op.response(
                status.to_string(),
                ResponseBuilder::new()
                    .description(error_description(status))
                    .content("application/json", json_content(&error))
                    .build(),
            );
        }
        op = match doc.security {
            Security::Public => op.securities(Some(Vec::<SecurityRequirement>::new())),
            Security::Merchant => op
                .security(SecurityRequirement::new(
                    "merchantKey",
                    Vec::<String>::new(),
                ))
                .security(SecurityRequirement::new(
                    "apiKeyHeader",
                    Vec::<String>::new(),
                ))
                .security(SecurityRequirement::new(
                    "dashboardCookie",
                    Vec::<String>::new(),
                )),
            Security::Dashboard => op.security(SecurityRequirement::new(
                "dashboardCookie",
                Vec::<String>::new(),
            )),
            Security::Admin => {
                op.security(SecurityRequirement::new("adminKey", Vec::<String>::new()))
            }
        };
        paths.add_path_operation(route.path, vec![method], op.build());
    }
    schemas.sort_by(|a, b| a.0.cmp(&b.0));
    // Types named alike must be the same schema (one name, one shape); a test
    // below checks it, since serde's wire names are per type, not per module.
    schemas.dedup_by(|a, b| a.0 == b.0);
    let components = ComponentsBuilder::new()
        .schemas_from_iter(schemas)
        .security_scheme(
            "merchantKey",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        )
        .security_scheme(
            "apiKeyHeader",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("x-api-key"))),
        )
        .security_scheme(
            "adminKey",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        )
        .security_scheme(
            "dashboardCookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::COOKIE,
                "The dashboard's sign-in (POST /v1/dashboard/links); state-changing \
                 requests also carry X-CSRF-Token from GET /v1/dashboard/me",
            ))),
        )
        .build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Edge Checkout")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Checkout sessions priced in ETN, in several API dialects over one session \
                     model. Merchant keys (sk_test_ / sk_live_) see only their own mode's \
                     objects. Errors are {\"error\": {\"code\", \"message\", \"field\"}}.",
                ))
                .build(),
        )
        .servers(Some([ServerBuilder::new().url(origin).build()]))
        .paths(paths)
        .components(Some(components))
        .build()
}

/// Every schema the document names, for tests.
#[cfg(test)]
fn names(doc: &OpenApi) -> Vec<String> {
    doc.components
        .as_ref()
        .map(|c| c.schemas.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes;

    #[test]
    fn every_path_parameter_is_parsed_by_its_handler() {
        // A route whose pattern names a parameter its handler does not take
        // as a `Path` would read it as text, or not at all.
        let unparsed: Vec<String> = routes::table()
            .iter()
            .filter(|r| r.path.matches('{').count() != r.doc.path.len())
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        assert!(unparsed.is_empty(), "parameters not parsed: {unparsed:?}");
        let doc = build(&routes::table(), "");
        let json: serde_json::Value = serde_json::from_str(&doc.to_json().unwrap()).unwrap();
        let param = &json["paths"]["/v1/sessions/{id}"]["get"]["parameters"][0];
        assert_eq!(param["name"], "id");
        assert!(param["description"].as_str().unwrap().contains("cs_test_"));
    }

    #[test]
    fn every_route_the_worker_answers_is_documented() {
        let routes = routes::table();
        let doc = build(&routes, "https://checkout.example");
        let json: serde_json::Value = serde_json::from_str(&doc.to_json().unwrap()).unwrap();
        let mut documented = 0;
        for route in &routes {
            let method = route.method.to_string().to_ascii_lowercase();
            let op = &json["paths"][route.path][&method];
            if route.dev_only {
                assert!(
                    op.is_null(),
                    "dev route {} {} is documented",
                    method,
                    route.path
                );
                continue;
            }
            assert!(
                op["summary"].is_string(),
                "{method} {} is not documented",
                route.path
            );
            assert!(
                op["responses"].is_object(),
                "{method} {} has no responses",
                route.path
            );
            documented += 1;
        }
        assert!(documented >= 30, "{documented}");
        // Every $ref points at a schema that exists.
        let text = json.to_string();
        let known = names(&doc);
        for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = reference.split('"').next().unwrap();
            assert!(known.iter().any(|k| k == name), "dangling $ref {name}");
        }
    }

    #[test]
    fn one_name_is_one_schema() {
        let mut all = Vec::new();
        for route in routes::table() {
            for schema in [route.doc.request, route.doc.response]
                .into_iter()
                .flatten()
            {
                (schema.collect)(&mut all);
            }
        }
        for (name, schema) in &all {
            for (other, other_schema) in &all {
                if name == other {
                    assert_eq!(
                        serde_json::to_string(schema).unwrap(),
                        serde_json::to_string(other_schema).unwrap(),
                        "two types are both named {name}"
                    );
                }
            }
        }
    }

    #[test]
    fn instants_are_documented_as_the_integers_they_are_on_the_wire() {
        // `UnixSeconds` and `UnixMillis` serialise as bare numbers and have
        // no schema of their own (a field holding one does not build without
        // `value_type = i64`): the document must say integer, never a `$ref`.
        let doc = build(&routes::table(), "");
        let json: serde_json::Value = serde_json::from_str(&doc.to_json().unwrap()).unwrap();
        let schemas = &json["components"]["schemas"];
        for (schema, field, nullable) in [
            ("PublicSession", "expires_at", false),
            ("Event", "created_at", false),
            ("Delivery", "next_attempt_at", true),
            ("Attempt", "at", false),
            ("KeyMeta", "last_used_at", true),
        ] {
            let property = &schemas[schema]["properties"][field];
            let expected = if nullable {
                serde_json::json!(["integer", "null"])
            } else {
                serde_json::json!("integer")
            };
            assert_eq!(property["type"], expected, "{schema}.{field}: {property}");
            assert_eq!(property["format"], "int64", "{schema}.{field}: {property}");
        }
    }

    #[test]
    fn request_and_response_types_are_the_wire_types() {
        let doc = build(&routes::table(), "");
        let json: serde_json::Value = serde_json::from_str(&doc.to_json().unwrap()).unwrap();
        let create = &json["paths"]["/v1/sessions"]["post"];
        assert_eq!(
            create["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/CreateSession"
        );
        assert_eq!(
            create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/SessionView"
        );
        let amount = &json["components"]["schemas"]["CreateSession"]["properties"]["amount"];
        assert!(amount.to_string().contains("oneOf"), "{amount}");
        assert!(json["paths"]["/api/webhook.php"]["post"]["security"]
            .as_array()
            .unwrap()
            .is_empty());
    }
}
