//! Ids that say where their session lives.
//!
//! A session id (`cs_test_...`) and the aliases two dialects show for it, the
//! ewallet public order id (`EX-OT...`) and the payment link id
//! (`pl_test_...`), carry the merchant and mode whose account object keeps the
//! session, so that the worker routes a request by the id alone, with no
//! lookup. They also carry a tag, a MAC of the rest under the deployment's
//! [`IdKey`], so that a made-up id is refused before it reaches any storage.
//!
//! ```text
//! cs_test_ ppppppppppppppppp rrrrrrrrrrrrrrrr tttttttt
//!  │   │   merchant (16)     random (16)      tag (8)     base32, lower case
//!  │   └── mode
//!  └────── kind: cs_ session, pl_ payment link; EX-OT / EX-OL + the same 40
//!          characters in upper case for an ewallet order
//! ```
//!
//! The three spellings of one session share their 40 characters and their tag:
//! an alias is the session id written for its dialect, and each gives the same
//! access as the others (`/pay/EX-O...` shows the session's checkout).
//!
//! Ids made before sessions moved into account objects (`cs_` + 24 characters,
//! `EX-O` + 16, `pl_` + 16) still parse; they route as [`Route::Legacy`].

use core::fmt;
use core::str::FromStr;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::ids::{base32, IdError, MerchantId, BASE32};
use crate::mode::Mode;
use crate::PaymentId;

const MERCHANT_LEN: usize = 16;
const RANDOM_LEN: usize = 16;
const TAG_LEN: usize = 8;
/// Merchant, random part and tag.
const BODY_LEN: usize = MERCHANT_LEN + RANDOM_LEN + TAG_LEN;
/// How many bytes the tag keeps of the MAC (40 bits, 8 base32 characters).
const TAG_BYTES: usize = 5;

/// The key that tags ids: derived from the deployment's own secret, so that
/// only this deployment makes ids that it routes.
#[derive(Clone)]
pub struct IdKey(pub(super) [u8; 32]);

impl IdKey {
    /// The id key of a deployment secret (the worker's `SECRETS_KEY`).
    pub fn derive(secret: &[u8]) -> IdKey {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts keys of any length");
        mac.update(b"edge-checkout/ids/v1");
        IdKey(mac.finalize().into_bytes().into())
    }

    fn mac(&self, mode: Mode, merchant: &str, random: &str) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC accepts keys of any length");
        for part in [mode.as_str(), ":", merchant, ":", random] {
            mac.update(part.as_bytes());
        }
        mac
    }

    fn tag(&self, mode: Mode, merchant: &str, random: &str) -> String {
        let bytes = self.mac(mode, merchant, random).finalize().into_bytes();
        base32(&bytes[..TAG_BYTES])
    }

    /// Whether `tag` (lower case) is the tag of the rest, compared in constant time.
    fn verifies(&self, mode: Mode, merchant: &str, random: &str, tag: &str) -> bool {
        let Some(bytes) = unbase32(tag) else {
            return false;
        };
        bytes.len() == TAG_BYTES
            && self
                .mac(mode, merchant, random)
                .verify_truncated_left(&bytes)
                .is_ok()
    }
}

impl fmt::Debug for IdKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdKey(…)")
    }
}

/// The bytes of lower-case base32 text whose length is a multiple of 8.
fn unbase32(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(8) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u64, 0u32);
    for b in text.bytes() {
        let value = BASE32.iter().position(|&c| c == b)? as u64;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The merchant and mode whose account object keeps a session.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Home {
    /// The merchant.
    pub merchant: MerchantId,
    /// Test or live: two separate account objects.
    pub mode: Mode,
}

/// Where a well-formed id's session is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// In this account object (the tag verified).
    Home(Home),
    /// An id made before sessions moved into account objects: its session is
    /// found through the older key-value records.
    Legacy,
}

/// The 40 characters (lower case) a routed id carries, and its mode.
#[derive(Clone, PartialEq, Eq)]
struct Body {
    mode: Mode,
    text: String,
}

impl Body {
    fn new(key: &IdKey, home: &Home, random: [u8; 10]) -> Body {
        let merchant = &home.merchant.as_str()[MerchantId::PREFIX.len()..];
        let random = base32(&random);
        let tag = key.tag(home.mode, merchant, &random);
        Body {
            mode: home.mode,
            text: [merchant, &random, &tag].concat(),
        }
    }

    /// A body from an id's text, checked for shape only.
    fn parse(mode: Mode, text: &str) -> Option<Body> {
        (text.len() == BODY_LEN && text.bytes().all(|b| BASE32.contains(&b))).then(|| Body {
            mode,
            text: text.to_owned(),
        })
    }

    fn merchant(&self) -> &str {
        &self.text[..MERCHANT_LEN]
    }

    fn random(&self) -> &str {
        &self.text[MERCHANT_LEN..MERCHANT_LEN + RANDOM_LEN]
    }

    fn tag(&self) -> &str {
        &self.text[MERCHANT_LEN + RANDOM_LEN..]
    }

    fn route(&self, key: &IdKey, kind: &'static str) -> Result<Route, IdError> {
        if !key.verifies(self.mode, self.merchant(), self.random(), self.tag()) {
            return Err(IdError { kind });
        }
        let merchant = [MerchantId::PREFIX, self.merchant()]
            .concat()
            .parse()
            .map_err(|_| IdError { kind })?;
        Ok(Route::Home(Home {
            merchant,
            mode: self.mode,
        }))
    }
}

fn lower_mode(text: &str) -> Option<(Mode, &str)> {
    [Mode::Test, Mode::Live].into_iter().find_map(|mode| {
        text.strip_prefix(mode.as_str())?
            .strip_prefix('_')
            .map(|rest| (mode, rest))
    })
}

fn upper_mode(text: &str) -> Option<(Mode, &str)> {
    let mode = match text.as_bytes().first()? {
        b'T' => Mode::Test,
        b'L' => Mode::Live,
        _ => return None,
    };
    Some((mode, &text[1..]))
}

fn all_in(text: &str, len: usize, alphabet: &[u8]) -> bool {
    text.len() == len && text.bytes().all(|b| alphabet.contains(&b))
}

const UPPER_BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A checkout session: the one canonical id of `/pay/{id}`,
/// `data-checkout-session` and the gateway's `session_id`. `cs_test_` or
/// `cs_live_` and 40 characters: the merchant, 80 random bits and the tag.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(String);
text_id!(SessionId, "A session id (`cs_test_...`, `cs_live_...`).");

impl SessionId {
    /// The kind's prefix.
    pub const PREFIX: &'static str = "cs_";

    /// A new session id in `home`, from random bytes drawn by the caller.
    pub fn new(key: &IdKey, home: &Home, random: [u8; 10]) -> SessionId {
        let body = Body::new(key, home, random);
        SessionId([Self::PREFIX, body.mode.as_str(), "_", &body.text].concat())
    }

    /// An id as versions before account objects made them (`cs_` + 24
    /// characters): for tests of the upgrade path only.
    pub fn legacy(random: [u8; 15]) -> SessionId {
        SessionId([Self::PREFIX, &base32(&random)].concat())
    }

    fn body(&self) -> Option<Body> {
        let (mode, rest) = lower_mode(self.0.strip_prefix(Self::PREFIX)?)?;
        Body::parse(mode, rest)
    }

    /// Where the session lives: its account object, once the tag verified;
    /// an error for a routed id whose tag does not (not one of ours).
    pub fn route(&self, key: &IdKey) -> Result<Route, IdError> {
        match self.body() {
            Some(body) => body.route(key, "session id"),
            None => Ok(Route::Legacy),
        }
    }

    /// The session's first payment id: the first five of the id's ten random
    /// bytes, in hex. One random draw makes both, so the account object finds a
    /// session by its id or by its payment id through one index. `None` for a
    /// legacy id (whose payment id was drawn apart).
    pub fn payment_id(&self) -> Option<PaymentId> {
        let body = self.body()?;
        let random = unbase32(body.random())?;
        let mut first = [0u8; 5];
        first.copy_from_slice(random.get(..5)?);
        Some(PaymentId::from_bytes(first))
    }

    /// The ewallet spelling of this id (`EX-OT...`): `None` for a legacy id.
    pub fn order_alias(&self) -> Option<PublicOrderId> {
        let body = self.body()?;
        let mode = match body.mode {
            Mode::Test => "T",
            Mode::Live => "L",
        };
        Some(PublicOrderId(
            [PublicOrderId::PREFIX, mode, &body.text.to_ascii_uppercase()].concat(),
        ))
    }

    /// The payment-links spelling of this id (`pl_test_...`): `None` for a
    /// legacy id.
    pub fn link_alias(&self) -> Option<LinkId> {
        let body = self.body()?;
        Some(LinkId(
            [LinkId::PREFIX, body.mode.as_str(), "_", &body.text].concat(),
        ))
    }
}

impl FromStr for SessionId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = SessionId(s.to_owned());
        let legacy = s
            .strip_prefix(Self::PREFIX)
            .is_some_and(|rest| all_in(rest, 24, BASE32));
        if legacy || id.body().is_some() {
            Ok(id)
        } else {
            Err(IdError { kind: "session id" })
        }
    }
}

/// The ewallet-orders-api public order id: `EX-OT` or `EX-OL` and the 40
/// characters of its session's id in upper case (older ones: `EX-O` + 16).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicOrderId(String);
text_id!(PublicOrderId, "A public order id (`EX-O...`).");

impl PublicOrderId {
    /// The kind's prefix.
    pub const PREFIX: &'static str = "EX-O";

    /// An alias as versions before account objects made them: for tests of
    /// the upgrade path only.
    pub fn legacy(random: [u8; 10]) -> PublicOrderId {
        PublicOrderId([Self::PREFIX, &base32(&random).to_ascii_uppercase()].concat())
    }

    fn body(&self) -> Option<Body> {
        let (mode, rest) = upper_mode(self.0.strip_prefix(Self::PREFIX)?)?;
        Body::parse(mode, &rest.to_ascii_lowercase())
            .filter(|_| all_in(rest, BODY_LEN, UPPER_BASE32))
    }

    /// The session this alias names: `None` for a legacy alias (found
    /// through its key-value record).
    pub fn session_id(&self) -> Option<SessionId> {
        let body = self.body()?;
        Some(SessionId(
            [SessionId::PREFIX, body.mode.as_str(), "_", &body.text].concat(),
        ))
    }
}

impl FromStr for PublicOrderId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = PublicOrderId(s.to_owned());
        let legacy = s
            .strip_prefix(Self::PREFIX)
            .is_some_and(|rest| all_in(rest, 16, UPPER_BASE32));
        if legacy || id.body().is_some() {
            Ok(id)
        } else {
            Err(IdError {
                kind: "public order id",
            })
        }
    }
}

/// A payment-links-api link: the `order_id` its webhook carries. `pl_test_`
/// or `pl_live_` and the 40 characters of its session's id (older ones:
/// `pl_` + 16).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkId(String);
text_id!(LinkId, "A payment link id (`pl_...`).");

impl LinkId {
    /// The kind's prefix.
    pub const PREFIX: &'static str = "pl_";

    /// A link id as versions before account objects made them: for tests of
    /// the upgrade path only.
    pub fn legacy(random: [u8; 10]) -> LinkId {
        LinkId([Self::PREFIX, &base32(&random)].concat())
    }

    fn body(&self) -> Option<Body> {
        let (mode, rest) = lower_mode(self.0.strip_prefix(Self::PREFIX)?)?;
        Body::parse(mode, rest)
    }

    /// The session this link names: `None` for a legacy link id.
    pub fn session_id(&self) -> Option<SessionId> {
        let body = self.body()?;
        Some(SessionId(
            [SessionId::PREFIX, body.mode.as_str(), "_", &body.text].concat(),
        ))
    }
}

impl FromStr for LinkId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = LinkId(s.to_owned());
        let legacy = s
            .strip_prefix(Self::PREFIX)
            .is_some_and(|rest| all_in(rest, 16, BASE32));
        if legacy || id.body().is_some() {
            Ok(id)
        } else {
            Err(IdError {
                kind: "payment link id",
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> IdKey {
        IdKey::derive(b"a deployment secret")
    }

    fn home(mode: Mode) -> Home {
        Home {
            merchant: MerchantId::from_random([3; 10]),
            mode,
        }
    }

    #[test]
    fn a_session_id_names_its_home_and_reads_back() {
        for mode in [Mode::Test, Mode::Live] {
            let id = SessionId::new(&key(), &home(mode), [9; 10]);
            let prefix = ["cs_", mode.as_str(), "_"].concat();
            assert!(id.as_str().starts_with(&prefix), "{id}");
            assert_eq!(id.as_str().len(), prefix.len() + 40);
            assert_eq!(id.as_str().parse::<SessionId>(), Ok(id.clone()));
            assert_eq!(id.route(&key()), Ok(Route::Home(home(mode))));
            // Another random part is another id of the same home.
            let other = SessionId::new(&key(), &home(mode), [8; 10]);
            assert_ne!(other, id);
            assert_eq!(other.route(&key()), Ok(Route::Home(home(mode))));
        }
    }

    #[test]
    fn a_made_up_or_altered_id_does_not_route() {
        let id = SessionId::new(&key(), &home(Mode::Test), [9; 10]);
        // Another deployment's key.
        assert!(id.route(&IdKey::derive(b"another secret")).is_err());
        // Any one character changed: the mode, the merchant, the random part, the tag.
        let text = id.as_str().to_owned();
        let live = text.replacen("cs_test_", "cs_live_", 1);
        assert!(live.parse::<SessionId>().unwrap().route(&key()).is_err());
        for i in 8..text.len() {
            let mut bytes = text.clone().into_bytes();
            bytes[i] = if bytes[i] == b'a' { b'b' } else { b'a' };
            let altered: SessionId = String::from_utf8(bytes).unwrap().parse().unwrap();
            assert!(altered.route(&key()).is_err(), "{altered}");
        }
    }

    #[test]
    fn aliases_are_the_session_id_in_their_dialects_spelling() {
        let id = SessionId::new(&key(), &home(Mode::Live), [1; 10]);
        let order = id.order_alias().unwrap();
        assert!(order.as_str().starts_with("EX-OL"), "{order}");
        assert_eq!(order.as_str().len(), 5 + 40);
        assert_eq!(order.as_str()[5..], id.as_str()[8..].to_ascii_uppercase());
        assert_eq!(order.as_str().parse::<PublicOrderId>(), Ok(order.clone()));
        assert_eq!(order.session_id(), Some(id.clone()));
        let link = id.link_alias().unwrap();
        assert!(link.as_str().starts_with("pl_live_"), "{link}");
        assert_eq!(link.as_str().parse::<LinkId>(), Ok(link.clone()));
        assert_eq!(link.session_id(), Some(id.clone()));
        let test = SessionId::new(&key(), &home(Mode::Test), [1; 10]);
        assert!(test.order_alias().unwrap().as_str().starts_with("EX-OT"));
    }

    #[test]
    fn the_first_payment_id_is_drawn_with_the_session_id() {
        let id = SessionId::new(
            &key(),
            &home(Mode::Test),
            [0xab, 0xcd, 0xef, 1, 2, 3, 4, 5, 6, 7],
        );
        assert_eq!(id.payment_id().unwrap().as_str(), "abcdef0102");
        assert_eq!(SessionId::legacy([1; 15]).payment_id(), None);
    }

    #[test]
    fn legacy_ids_still_parse_and_route_as_legacy() {
        let id = SessionId::legacy([7; 15]);
        assert_eq!(id.as_str().len(), 3 + 24);
        assert_eq!(id.as_str().parse::<SessionId>(), Ok(id.clone()));
        assert_eq!(id.route(&key()), Ok(Route::Legacy));
        assert_eq!(id.order_alias(), None);
        let order = PublicOrderId::legacy([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert!(
            order.as_str().starts_with("EX-O") && order.as_str().len() == 20,
            "{order}"
        );
        assert_eq!(order.as_str().parse::<PublicOrderId>(), Ok(order.clone()));
        assert_eq!(order.session_id(), None);
        let link = LinkId::legacy([5; 10]);
        assert_eq!(link.as_str().parse::<LinkId>(), Ok(link.clone()));
        assert_eq!(link.session_id(), None);
    }

    #[test]
    fn other_shapes_are_refused() {
        let id = SessionId::new(&key(), &home(Mode::Test), [9; 10]);
        for bad in [
            "",
            "cs_",
            "cs_short",
            "cs_test_",
            &id.as_str().to_uppercase(),
            &id.as_str().replace("cs_", "cx_"),
            &id.as_str().replace("cs_test_", "cs_prod_"),
            &[id.as_str(), "a"].concat(),
            &id.as_str()[..id.as_str().len() - 1],
            "cs_AAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            assert!(bad.parse::<SessionId>().is_err(), "{bad:?}");
        }
        let order = id.order_alias().unwrap();
        for bad in [
            "EX-Oabcdefgh",
            &order.as_str().to_ascii_lowercase(),
            &order.as_str().replacen("EX-OT", "EX-OX", 1),
            &order.as_str()[..order.as_str().len() - 1],
        ] {
            assert!(bad.parse::<PublicOrderId>().is_err(), "{bad:?}");
        }
        for bad in ["pl_", "pl_TEST_aaaa", "pl_live_x"] {
            assert!(bad.parse::<LinkId>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn base32_decodes_what_it_encodes() {
        for bytes in [[0u8; 5], [255; 5], [1, 2, 3, 4, 5]] {
            assert_eq!(unbase32(&base32(&bytes)).unwrap(), bytes);
        }
        assert_eq!(unbase32("abc"), None);
        assert_eq!(unbase32("ABCDEFGH"), None);
    }
}
