//! Path parameters, parsed once, at the boundary: a handler takes
//! `Path(id): Path<SessionId>` (or `Path((merchant, key)): Path<(MerchantId,
//! KeyId)>` for two), in the order the route's pattern names them, and never
//! sees the text. It comes after the credentials and the body in a handler's
//! arguments: who is asking is checked first, and a body over its limit is a
//! 413 whatever the path names. A malformed value is indistinguishable from an unknown one:
//! a 404 naming what was not found. Each type documents itself in
//! `/openapi.json`.

use checkout_core::ids::{KeyId, LinkId, MerchantId, PublicOrderId, SessionId, WalletId};
use checkout_core::PaymentId;

use super::{Call, Doc, Extract};
use crate::error::{ApiError, ApiResult};

/// A type a path parameter is parsed into.
pub trait PathParam: Sized {
    /// What a malformed one was not found as (`session`, `key`...).
    const WHAT: &'static str;
    /// Its description in `/openapi.json`.
    const DESCRIPTION: &'static str;
    fn parse(text: &str) -> Option<Self>;
}

/// One or two path parameters, in the order of the route's pattern.
pub struct Path<T>(pub T);

/// What [`Path`] takes: a [`PathParam`], or two.
pub trait PathParams: Sized {
    fn from_values(values: &[(&'static str, String)]) -> ApiResult<Self>;
    fn document(doc: &mut Doc);
}

fn nth<T: PathParam>(values: &[(&'static str, String)], n: usize) -> ApiResult<T> {
    values
        .get(n)
        .and_then(|(_, text)| T::parse(text))
        .ok_or_else(|| ApiError::not_found(T::WHAT))
}

impl<T: PathParam> PathParams for T {
    fn from_values(values: &[(&'static str, String)]) -> ApiResult<Self> {
        nth(values, 0)
    }

    fn document(doc: &mut Doc) {
        doc.path.push(T::DESCRIPTION);
    }
}

impl<A: PathParam, B: PathParam> PathParams for (A, B) {
    fn from_values(values: &[(&'static str, String)]) -> ApiResult<Self> {
        Ok((nth(values, 0)?, nth(values, 1)?))
    }

    fn document(doc: &mut Doc) {
        doc.path.push(A::DESCRIPTION);
        doc.path.push(B::DESCRIPTION);
    }
}

impl<T: PathParams> Extract for Path<T> {
    async fn extract(call: &mut Call) -> ApiResult<Self> {
        T::from_values(&call.params).map(Path)
    }

    fn document(doc: &mut Doc) {
        T::document(doc);
        doc.errors.insert(404);
    }
}

/// Declares core's id types as path parameters: parsed by their `FromStr`.
macro_rules! ids {
    ($($t:ty, $what:literal, $description:literal;)*) => {$(
        impl PathParam for $t {
            const WHAT: &'static str = $what;
            const DESCRIPTION: &'static str = $description;
            fn parse(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}

ids! {
    SessionId, "session", "A checkout session id (`cs_test_...`, `cs_live_...`).";
    MerchantId, "merchant", "A merchant id (`mer_...`).";
    KeyId, "key", "An API key's id (`key_...`).";
    WalletId, "wallet", "A wallet id.";
    PublicOrderId, "order", "An order's public id (`EX-O...`).";
    PaymentId, "payment", "An ETN payment id (10 hexadecimal digits).";
}

/// A webhook delivery's id: its event's (`evt_` and hexadecimal digits), or
/// the event's own-URL delivery of an ewallet order (`evt_....order_paid`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryId(String);

impl DeliveryId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PathParam for DeliveryId {
    const WHAT: &'static str = "event";
    const DESCRIPTION: &'static str = "A webhook event's id (`evt_...`).";
    fn parse(text: &str) -> Option<Self> {
        let event = text.strip_suffix(".order_paid").unwrap_or(text);
        let hex = event.strip_prefix("evt_")?;
        (!hex.is_empty() && hex.len() <= 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| DeliveryId(text.to_owned()))
    }
}

/// A dashboard sign-in's id (`si_` and hexadecimal digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInId(String);

impl SignInId {
    pub fn into_string(self) -> String {
        self.0
    }
}

impl PathParam for SignInId {
    const WHAT: &'static str = "sign-in";
    const DESCRIPTION: &'static str = "A dashboard sign-in's id (`si_...`).";
    fn parse(text: &str) -> Option<Self> {
        let hex = text.strip_prefix("si_")?;
        (!hex.is_empty() && hex.len() <= 37 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| SignInId(text.to_owned()))
    }
}

/// What a shopper's link to the hosted checkout names: a session, or its id
/// in a dialect's spelling (an order, a payment link), which redirects to it;
/// anything else is the page's own "not found" (never an error body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckoutRef {
    Session(SessionId),
    Order(PublicOrderId),
    Link(LinkId),
    Unknown,
}

impl PathParam for CheckoutRef {
    const WHAT: &'static str = "checkout";
    const DESCRIPTION: &'static str =
        "A checkout session id, or an order's (`EX-O...`) or payment link's (`pl_...`) id.";
    fn parse(text: &str) -> Option<Self> {
        Some(if let Ok(order) = text.parse() {
            CheckoutRef::Order(order)
        } else if let Ok(link) = text.parse() {
            CheckoutRef::Link(link)
        } else if let Ok(session) = text.parse() {
            CheckoutRef::Session(session)
        } else {
            CheckoutRef::Unknown
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_and_sign_in_ids_are_what_the_worker_makes() {
        assert!(DeliveryId::parse("evt_f77491213d5bd94d540a9709").is_some());
        assert!(DeliveryId::parse("evt_f77491213d5bd94d540a9709.order_paid").is_some());
        for bad in ["evt_", "evt_xyz", "x", "evt_ab/..", "evt_ab.other"] {
            assert!(DeliveryId::parse(bad).is_none(), "{bad}");
        }
        assert!(SignInId::parse("si_0123456789abcdef").is_some());
        for bad in [
            "si_",
            "si_zz",
            "sk_test_abc",
            &format!("si_{}", "a".repeat(40)),
        ] {
            assert!(SignInId::parse(bad).is_none(), "{bad}");
        }
    }
}
