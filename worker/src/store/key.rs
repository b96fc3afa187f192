//! The one definition of every KV key ([`Key`], [`Prefix`]) and of whose an
//! object is ([`Owner`]); the table of keys is in `store.rs`.

use checkout_core::ids::{MerchantId, SessionId};
use checkout_core::session::{Mode, Session};
use checkout_core::time::UnixSeconds;
use checkout_core::{OutletId, PaymentId};

use crate::secret::digest;

/// How long an `Idempotency-Key` returns its first result.
pub const IDEMPOTENCY_TTL: u64 = 24 * 60 * 60;

/// How long an `order_id` stays bound to its session: long enough that a
/// merchant who re-creates a paid order is shown the paid session rather than
/// charged twice; after it the order id is free again. An order whose session
/// ended unpaid (expired, cancelled) is free at once.
pub const ORDER_TTL: u64 = 30 * 24 * 60 * 60;

/// Whose an object is: a merchant, in one mode. Part of every ownership check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner<'a> {
    pub merchant: &'a MerchantId,
    pub mode: Mode,
}

impl std::fmt::Display for Owner<'_> {
    /// `mer_...:test`: the scope in keys and the name of the merchant's object.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.merchant, self.mode.as_str())
    }
}

impl Owner<'_> {
    /// The merchant and mode of a text [`Owner`]'s `Display` wrote
    /// (`mer_...:test`), checked: `None` for anything else.
    pub fn parse(text: &str) -> Option<(MerchantId, Mode)> {
        let (merchant, mode) = text.rsplit_once(':')?;
        Some((merchant.parse().ok()?, Mode::from_wire(mode)?))
    }
}

/// The owner of a session.
pub fn owner_of(s: &Session) -> Owner<'_> {
    Owner {
        merchant: &s.merchant_id,
        mode: s.mode,
    }
}

/// Every KV key the worker reads or writes; nothing else formats a key.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    Merchant(&'a MerchantId),
    Outlet(&'a OutletId),
    /// An API key, by the hex SHA-256 of the key.
    ApiKeyHash(&'a str),
    MerchantKeys(&'a MerchantId),
    Session(&'a SessionId),
    SessionIndex {
        owner: Owner<'a>,
        created_at: UnixSeconds,
        session: &'a SessionId,
    },
    /// By the hex SHA-256 of the Idempotency-Key.
    Idempotency {
        owner: Owner<'a>,
        hash: &'a str,
    },
    /// By the hex SHA-256 of the order id.
    Order {
        owner: Owner<'a>,
        hash: &'a str,
    },
    /// A public alias (`EX-O...`, `pl_...`), for `/pay/{alias}`.
    Alias(&'a str),
    PaymentId {
        merchant: &'a MerchantId,
        payment_id: &'a PaymentId,
    },
    Pending {
        expires_at: UnixSeconds,
        merchant: &'a MerchantId,
        session: &'a SessionId,
    },
    Paid(&'a SessionId),
    /// When a key was last used, by the hex SHA-256 of the key: apart from the
    /// key's record, so that noting a use can never undo a revocation.
    ApiKeyUsed(&'a str),
    /// A dashboard sign-in link, by the hex SHA-256 of its token.
    SignInLink(&'a str),
    Rates,
    DevRatesFixture,
    DevDemo,
    DevEtnPaid(&'a str),
}

/// Where merchant records are (listed by the cron's sweep).
pub const MERCHANT_PREFIX: &str = "merchant:";

/// Prefixes that are listed.
#[derive(Debug, Clone, Copy)]
pub enum Prefix<'a> {
    SessionIndex(Owner<'a>),
    Pending,
}

/// Seconds until year 2286, so that newer sessions sort first in `sidx:` keys.
fn inverted(ts: UnixSeconds) -> i64 {
    9_999_999_999 - ts.0.clamp(0, 9_999_999_999)
}

impl Key<'_> {
    /// Whether a record found under this key is kept in the isolate a moment
    /// (`recent.rs`): the ones every merchant request reads, which change
    /// rarely and only through this worker.
    pub fn kept_in_isolate(&self) -> bool {
        matches!(self, Key::Merchant(_) | Key::ApiKeyHash(_) | Key::Outlet(_))
    }

    pub fn text(&self) -> String {
        match self {
            Key::Merchant(id) => format!("{MERCHANT_PREFIX}{id}"),
            Key::Outlet(outlet) => format!("outlet:{}", outlet.as_str()),
            Key::ApiKeyHash(hash) => format!("apikey:{hash}"),
            Key::MerchantKeys(id) => format!("keys:{id}"),
            Key::Session(id) => format!("session:{id}"),
            Key::SessionIndex {
                owner,
                created_at,
                session,
            } => format!(
                "{}{:010}:{session}",
                Prefix::SessionIndex(*owner).text(),
                inverted(*created_at)
            ),
            Key::Idempotency { owner, hash } => format!("idem:{owner}:{hash}"),
            Key::Order { owner, hash } => format!("order:{owner}:{hash}"),
            Key::Alias(alias) => format!("alias:{alias}"),
            Key::PaymentId {
                merchant,
                payment_id,
            } => format!("payid:{merchant}:{}", payment_id.as_str()),
            Key::Pending {
                expires_at,
                merchant,
                session,
            } => format!(
                "{}{:010}:{merchant}:{session}",
                Prefix::Pending.text(),
                expires_at.0.max(0)
            ),
            Key::Paid(id) => format!("paid:{id}"),
            Key::ApiKeyUsed(hash) => format!("keyused:{hash}"),
            Key::SignInLink(hash) => format!("dlink:{hash}"),
            Key::Rates => "rates".to_owned(),
            Key::DevRatesFixture => "dev:rates-fixture".to_owned(),
            Key::DevDemo => "dev:demo".to_owned(),
            Key::DevEtnPaid(payment_id) => format!("dev:etn-paid:{}", digest(payment_id)),
        }
    }
}

impl Prefix<'_> {
    pub fn text(&self) -> String {
        match self {
            Prefix::SessionIndex(owner) => format!("sidx:{owner}:"),
            Prefix::Pending => "pending:".to_owned(),
        }
    }
}

/// A pending-index entry, parsed back from its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEntry {
    pub expires_at: UnixSeconds,
    pub merchant: MerchantId,
    pub session: SessionId,
}

impl PendingEntry {
    /// The entry a `pending:` key names.
    pub fn parse(key: &str) -> Option<PendingEntry> {
        let mut parts = key.strip_prefix("pending:")?.split(':');
        let entry = PendingEntry {
            expires_at: UnixSeconds(parts.next()?.parse().ok()?),
            merchant: parts.next()?.parse().ok()?,
            session: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_reads_back_from_its_text_and_nothing_else_does() {
        let m = MerchantId::from_random([7; 10]);
        for mode in [Mode::Test, Mode::Live] {
            let text = Owner { merchant: &m, mode }.to_string();
            assert_eq!(Owner::parse(&text), Some((m.clone(), mode)));
        }
        for bad in [
            "",
            ":test",
            "mer_x",
            "not a merchant:test",
            &format!("{m}:dev"),
            &format!("{m}:"),
        ] {
            assert_eq!(Owner::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn keys_carry_the_mode_where_ownership_needs_it() {
        let m = MerchantId::from_random([1; 10]);
        let s = SessionId::legacy([2; 15]);
        let test = Owner {
            merchant: &m,
            mode: Mode::Test,
        };
        let live = Owner {
            merchant: &m,
            mode: Mode::Live,
        };
        assert_ne!(
            Key::Order {
                owner: test,
                hash: "h"
            }
            .text(),
            Key::Order {
                owner: live,
                hash: "h"
            }
            .text()
        );
        let index = Key::SessionIndex {
            owner: test,
            created_at: UnixSeconds(1),
            session: &s,
        }
        .text();
        assert!(index.starts_with(&Prefix::SessionIndex(test).text()));
        assert!(!index.starts_with(&Prefix::SessionIndex(live).text()));
    }

    #[test]
    fn pending_entries_parse_back_from_their_keys() {
        let m = MerchantId::from_random([1; 10]);
        let s = SessionId::legacy([2; 15]);
        let key = Key::Pending {
            expires_at: UnixSeconds(1_700_000_000),
            merchant: &m,
            session: &s,
        }
        .text();
        assert_eq!(
            PendingEntry::parse(&key),
            Some(PendingEntry {
                expires_at: UnixSeconds(1_700_000_000),
                merchant: m,
                session: s
            })
        );
        assert_eq!(PendingEntry::parse("pending:1:x"), None);
        // Newer sessions list first.
        assert!(inverted(UnixSeconds(2)) < inverted(UnixSeconds(1)));
    }
}
