//! Wire primitives every dialect shares, and reading a request into a derived
//! type.
//!
//! Request types are derived serde structs shaped like each seed's JSON (in
//! `dialect/*/wire.rs`). Fields are `Option`s: what is required, and what a value
//! may be, is decided by core (`Session::open`) or the dialect's `TryFrom`, so
//! that every mistake gets the same kind of answer. Unknown fields are ignored
//! (tolerant reader). A wrong type is a 400 `invalid_type` naming the field by its
//! path in the client's own spelling (`customer_details.email`, `items[0].price`),
//! tracked by `serde_path_to_error`.

use std::borrow::Cow;

use checkout_api::page::PageLimit;
use checkout_core::session::{ItemRequest, Session};
use checkout_core::time::UnixSeconds;
use checkout_core::validate::MAX_SAFE_INTEGER;
use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::error::{ApiError, ApiResult};

/// An amount exactly as the client wrote it, from a JSON string (`"149.98"`) or a
/// JSON number (`149.98`): no float ever touches money, and `150.00` stays
/// `150.00` (the ewallet `order.paid` signature covers the text). Core parses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount(pub String);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw: Box<RawValue> = Deserialize::deserialize(d)?;
        let text = raw.get();
        if text.starts_with('"') {
            serde_json::from_str(text)
                .map(Amount)
                .map_err(de::Error::custom)
        } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            Ok(Amount(text.to_owned()))
        } else {
            Err(de::Error::invalid_type(
                de::Unexpected::Other(text),
                &"a string or a number",
            ))
        }
    }
}

impl Serialize for Amount {
    /// Always as a string: the canonical form of fingerprints and answers.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl PartialSchema for Amount {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .examples(["149.98"]),
            )
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .description(Some(
                "An exact decimal, as a string or a number: no exponent, no thousands \
                 separators, no more decimals than the currency has.",
            ))
            .into()
    }
}

impl ToSchema for Amount {}

/// An integer, from a JSON number without fraction or from its string (`"42"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int(pub i64);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw: Box<RawValue> = Deserialize::deserialize(d)?;
        let text = raw.get();
        let text = serde_json::from_str::<String>(text)
            .map(Cow::Owned)
            .unwrap_or(Cow::Borrowed(text));
        text.parse()
            .map(Int)
            .map_err(|_| de::Error::invalid_type(de::Unexpected::Other(&text), &"an integer"))
    }
}

impl Serialize for Int {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl PartialSchema for Int {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .description(Some("An integer (a numeric string is accepted too)."))
            .into()
    }
}

impl ToSchema for Int {}

/// A line item as requested (the native API and ewallet orders).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ItemRequestWire {
    pub name: Option<String>,
    pub price: Option<Amount>,
    pub quantity: Option<Int>,
}

impl From<ItemRequestWire> for ItemRequest {
    fn from(w: ItemRequestWire) -> ItemRequest {
        ItemRequest {
            name: w.name,
            price: w.price.map(|a| a.0),
            quantity: w.quantity.map(|q| q.0),
        }
    }
}

/// A line item as answered.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Item {
    pub name: String,
    /// Unit price, in the session's currency.
    pub price: String,
    pub quantity: u32,
}

impl Item {
    pub fn of(session: &Session) -> Vec<Item> {
        session
            .items
            .iter()
            .map(|i| Item {
                name: i.name.clone(),
                price: i.price.to_string(),
                quantity: i.quantity,
            })
            .collect()
    }
}

/// What a session costs, in its currency and in ETN: every dialect's view of a
/// session carries these fields (flattened).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Price {
    /// The price, exactly as requested (`"49.95"`).
    pub amount: String,
    /// ISO 4217.
    pub currency: String,
    /// What the buyer pays in all, in ETN (two decimals).
    pub etn_amount: String,
    /// `etn-it-{outlet}/{payment id}/{ETN amount}`: what the ETN app pays.
    /// After a partial payment, what is left, under a new payment id (the
    /// earlier ones still pay the session).
    pub payment_string: String,
}

impl Price {
    pub fn of(s: &Session) -> Price {
        Price {
            amount: s.price.to_string(),
            currency: s.price.currency().code().to_owned(),
            etn_amount: s.etn_due().to_string(),
            payment_string: s.payment_string.to_string(),
        }
    }
}

/// What a session's payments add up to against its price, in ETN (two
/// decimals) and in its currency: what was received, what is still due
/// (nothing once paid) and what was paid beyond what was due (to give
/// back). Native views carry these fields (flattened).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Balance {
    pub etn_received: String,
    pub etn_due: String,
    pub etn_excess: String,
    pub amount_received: String,
    pub amount_due: String,
    pub amount_excess: String,
    /// Paid after it expired, within the merchant's late window.
    pub late: bool,
    /// Every verified payment it received, oldest first.
    pub payments: Vec<PaymentView>,
    /// Set when the merchant accepted it as paid.
    pub accepted: Option<AcceptanceView>,
}

/// A verified payment of a session.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaymentView {
    /// `etn` or `gateway`.
    pub provider: &'static str,
    /// The provider's reference (ETN's `ref`, the gateway's `reference`).
    pub reference: String,
    /// As the provider wrote it, in `currency`.
    pub amount: String,
    /// `ETN`, or the session's currency (gateway payments).
    pub currency: String,
    /// Its worth in ETN, at the session's rate.
    pub etn: String,
    /// Its worth in the session's currency, at the session's rate.
    pub fiat: String,
    #[schema(value_type = i64)]
    pub created_at: UnixSeconds,
}

/// Who accepted a session as paid, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AcceptanceView {
    /// The API key's id (`key_...`), or `dashboard`.
    pub by: String,
    /// For a dashboard acceptance: when that sign-in began.
    #[schema(value_type = Option<i64>)]
    pub signed_in_at: Option<UnixSeconds>,
    #[schema(value_type = i64)]
    pub accepted_at: UnixSeconds,
}

impl Balance {
    pub fn of(s: &Session, now: UnixSeconds) -> Balance {
        let tally = s.tally();
        let (etn_received, amount_received) = tally.received();
        let (etn_due, amount_due) = s.still_due(now);
        let (etn_excess, amount_excess) = tally.excess();
        Balance {
            etn_received: etn_received.to_string(),
            etn_due: etn_due.to_string(),
            etn_excess: etn_excess.to_string(),
            amount_received: amount_received.to_string(),
            amount_due: amount_due.to_string(),
            amount_excess: amount_excess.to_string(),
            late: s.late,
            payments: s
                .payments
                .iter()
                .map(|p| PaymentView {
                    provider: p.provider.as_str(),
                    reference: p.reference.clone(),
                    amount: p.amount.to_string(),
                    currency: p.currency.code().to_owned(),
                    etn: p.etn.to_string(),
                    fiat: p.fiat.to_string(),
                    created_at: p.at,
                })
                .collect(),
            accepted: s.accepted.as_ref().map(|a| AcceptanceView {
                by: a.by.clone(),
                signed_in_at: a.signed_in_at,
                accepted_at: a.at,
            }),
        }
    }
}

/// A listing's `limit` parameter: 1 to 100, 20 when absent.
/// A time as clients send it, read one way everywhere: unix seconds (a JSON
/// number, or its text) or ISO 8601 text. `None` for anything else.
pub fn seconds_or_iso8601(value: &serde_json::Value) -> Option<UnixSeconds> {
    match value {
        serde_json::Value::Number(n) => n.as_i64().map(UnixSeconds),
        serde_json::Value::String(s) => s
            .parse()
            .ok()
            .map(UnixSeconds)
            .or_else(|| UnixSeconds::parse_iso8601(s)),
        _ => None,
    }
}

/// A query's `limit` (api's [`PageLimit`]), or a 400 naming it.
pub fn page_limit(text: Option<&str>) -> ApiResult<u32> {
    PageLimit::parse(text)
        .map(PageLimit::get)
        .map_err(|e| ApiError::bad_request("limit_invalid", e.to_string()).field("limit"))
}

/// A listing's `cursor` parameter: the positive number a previous page gave
/// (no larger than a JavaScript number holds exactly).
pub fn page_cursor(text: Option<&str>) -> ApiResult<Option<i64>> {
    cursor_in(text, 1..=MAX_SAFE_INTEGER)
}

/// A session listing's `cursor`: the number a previous page gave, which is
/// below zero among the sessions imported from an older version.
pub fn session_cursor(text: Option<&str>) -> ApiResult<Option<i64>> {
    cursor_in(text, -MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER)
}

fn cursor_in(text: Option<&str>, range: std::ops::RangeInclusive<i64>) -> ApiResult<Option<i64>> {
    text.map(|c| {
        c.parse::<i64>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                ApiError::bad_request("cursor_invalid", "cursor is not one this API returned")
                    .field("cursor")
            })
    })
    .transpose()
}

/// The `field` of a deserialisation error: its path, in the client's spelling.
fn path_field(path: &serde_path_to_error::Path) -> Option<String> {
    let text = path.to_string();
    (text != "." && text != "?").then_some(text)
}

/// serde_json appends ` at line L column C`: the field name says more.
fn without_position(message: &str) -> &str {
    message
        .split_once(" at line ")
        .map_or(message, |(head, _)| head)
}

/// Reads a request body that must be a JSON object into `T`.
///
/// - not UTF-8, not JSON, not an object, nested too deep: 400 `invalid_json`;
/// - a field of the wrong type: 400 `invalid_type` naming the field.
pub fn from_json<T: DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    let invalid = |why: &str| {
        ApiError::bad_request(
            "invalid_json",
            format!("request body is not a JSON object: {why}"),
        )
    };
    let text = std::str::from_utf8(body).map_err(|_| invalid("it is not UTF-8"))?;
    if !text.trim_start().starts_with('{') {
        return Err(invalid("it must start with {"));
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let message = without_position(&e.inner().to_string()).to_owned();
        match (e.inner().classify(), path_field(e.path())) {
            (serde_json::error::Category::Data, Some(field)) => {
                ApiError::bad_request("invalid_type", format!("{field}: {message}")).field(field)
            }
            _ => invalid(&message),
        }
    })?;
    // Trailing characters after the object are a malformed body too.
    de.end()
        .map_err(|e| invalid(without_position(&e.to_string())))?;
    Ok(value)
}

/// Reads a URL query string into `T` (400 `invalid_type` naming the parameter).
pub fn from_query<T: DeserializeOwned>(query: &str) -> ApiResult<T> {
    let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = path_field(e.path()).unwrap_or_else(|| "query".to_owned());
        ApiError::bad_request("invalid_type", format!("{field}: {}", e.inner())).field(field)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Body {
        amount: Option<Amount>,
        count: Option<Int>,
        items: Option<Vec<ItemRequestWire>>,
    }

    #[test]
    fn amounts_keep_their_exact_text() {
        let b: Body = from_json(br#"{"amount": 150.00, "count": "3"}"#).unwrap();
        assert_eq!(b.amount, Some(Amount("150.00".into())));
        assert_eq!(b.count, Some(Int(3)));
        let b: Body = from_json(br#"{"amount": "12.5", "unknown": {"x": [1]}}"#).unwrap();
        assert_eq!(b.amount, Some(Amount("12.5".into())));
        assert!(b.items.is_none());
    }

    #[test]
    fn wrong_types_name_their_field() {
        let err = |body: &str| {
            let e = from_json::<Body>(body.as_bytes()).unwrap_err();
            (e.status, e.code, e.field.unwrap_or_default())
        };
        assert_eq!(
            err(r#"{"amount": true}"#),
            (400, "invalid_type", "amount".into())
        );
        assert_eq!(
            err(r#"{"items": [{"price": "1"}, {"name": 5}]}"#),
            (400, "invalid_type", "items[1].name".into())
        );
        assert_eq!(
            err(r#"{"items": {"name": "x"}}"#),
            (400, "invalid_type", "items".into())
        );
        assert_eq!(
            err(r#"{"count": 1.5}"#),
            (400, "invalid_type", "count".into())
        );
        for body in ["[1,2]", "{not json", "", "null", "{} {}", &"[".repeat(200)] {
            assert_eq!(err(body).1, "invalid_json", "{body}");
        }
        // Deep nesting never overflows the stack: an ignored field is skipped
        // without recursion, a typed one is refused.
        let deep = format!("{{\"pad\": {}{}}}", "[".repeat(5000), "]".repeat(5000));
        assert!(from_json::<Body>(deep.as_bytes()).is_ok());
        let deep = format!("{{\"items\": {}{}}}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(err(&deep).0, 400);
        assert_eq!(
            from_json::<Body>(&[0xff, 0xfe]).unwrap_err().code,
            "invalid_json"
        );
    }

    #[test]
    fn queries_are_typed_too() {
        #[derive(Deserialize, Debug)]
        struct Q {
            limit: Option<u32>,
        }
        assert_eq!(from_query::<Q>("limit=5").unwrap().limit, Some(5));
        let e = from_query::<Q>("limit=x").unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            ("invalid_type", Some("limit"))
        );
    }
}
