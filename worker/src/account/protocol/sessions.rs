//! Commands about sessions: opening, reading, changing, listing, sweeping.

use checkout_core::brand::Brand;
use checkout_core::confirmation::Confirmation;
use checkout_core::event::Event;
use checkout_core::ids::SessionId;
use checkout_core::session::{Acceptance, Session};
use checkout_core::PaymentId;
use serde::{Deserialize, Serialize};

use super::Command;

/// The first result of an `Idempotency-Key` or an `order_id`: its hash and the
/// fingerprint of the request that made it (see `idempotency.rs`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claim {
    /// Hex SHA-256 of the key or order id.
    pub hash: String,
    pub fingerprint: String,
}

/// Which session a command is about: by its id, and for an id made before
/// sessions moved into account objects, the record read from KV, which the
/// object keeps from then on ("moved once").
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRef {
    pub id: SessionId,
    /// A legacy session's KV record (already reconciled with its paid
    /// marker), with what its row keeps besides.
    pub moving: Option<Box<Stored>>,
}

impl SessionRef {
    pub fn id(id: SessionId) -> SessionRef {
        SessionRef { id, moving: None }
    }
}

/// A session as the object keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRead {
    pub session: Session,
    /// The merchant's name when the session was opened: what the checkout shows.
    pub merchant_name: String,
    /// A paid session whose notification is still undelivered after 15 minutes.
    pub notification_failing: bool,
    /// The merchant's brand in the session's mode, for the hosted page (read
    /// with the session by `GetSession`; absent elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<Brand>,
}

/// A change core's `lifecycle::transition` decides.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Change {
    Confirm(Confirmation),
    Cancel,
    Expire,
    /// The merchant accepts a session that needs review, or one partially
    /// paid, as paid.
    Accept(Acceptance),
    /// Test mode only: the sandbox expires the session now (to try a late
    /// payment).
    ExpireNow,
}

/// What a change did, once carried out.
#[derive(Debug, Serialize, Deserialize)]
pub struct Applied {
    pub read: SessionRead,
    /// Every event of the step (with the wallet's own), new or not.
    pub events: Vec<Event>,
    /// The ids among them that were new: empty for a duplicate.
    pub fresh: Vec<String>,
}

/// What opening a session did.
#[derive(Debug, Serialize, Deserialize)]
pub struct Created {
    pub read: SessionRead,
    /// True when an Idempotency-Key or order id returned an earlier session.
    pub replayed: bool,
}

command!(
    /// Opens a session (as core's `Session::open` made it), or returns the
    /// one an earlier identical request opened; records `session.created` and
    /// queues its webhook in the same step.
    CreateSession {
        pub session: Session,
        /// This worker's origin, for the URLs the session's webhooks carry.
        pub origin: String,
        pub merchant_name: String,
        pub idempotency: Option<Claim>,
        pub order: Option<Claim>,
        /// Payment links: the API key that asks, which the link's webhook
        /// `secret` covers; used once and kept nowhere.
        pub link_key: Option<KeyInHand>,
    }, "create-session" => Created
);

/// An API key in transit to the account object that signs with it: masked in
/// `Debug`, never stored.
#[derive(Clone, Serialize, Deserialize)]
pub struct KeyInHand(String);

impl KeyInHand {
    pub fn of(key: &crate::secret::SecretString) -> KeyInHand {
        use crate::secret::ExposeSecret;
        KeyInHand(key.expose_secret().to_owned())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for KeyInHand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyInHand(…)")
    }
}

command!(
    /// A session of this account.
    GetSession {
        pub at: SessionRef,
    }, "get-session" => SessionRead
);

command!(
    /// Carries out a change of a session: the transition, its events, wallet
    /// bookings and webhooks, and the live views, in one step.
    ApplyToSession {
        pub at: SessionRef,
        pub change: Change,
    }, "apply" => Applied
);

command!(
    /// Applies a confirmation to the session that holds `payment_id`, if any
    /// (`NotFound` otherwise: the worker looks elsewhere, then records it as
    /// unmatched).
    ConfirmPayment {
        pub payment_id: PaymentId,
        pub confirmation: Confirmation,
    }, "confirm-payment" => Applied
);

command!(
    /// What `/vendor/check-payment` answers about a payment id, at most one
    /// call a second per merchant when `limited` (the live account keeps the
    /// limit).
    CheckPayment {
        pub payment_id: PaymentId,
        pub limited: bool,
    }, "check-payment" => Option<SessionRead>
);

command!(
    /// Records a verified payment that matched no session.
    RecordUnmatched {
        pub event: Event,
    }, "record-unmatched" => Recorded
);

/// What recording an event did.
#[derive(Debug, Serialize, Deserialize)]
pub struct Recorded {
    pub events: Vec<Event>,
    pub fresh: Vec<String>,
}

command!(
    /// Everything recorded about a session, oldest first.
    SessionEvents {
        pub at: SessionRef,
        pub limit: u32,
    }, "session-events" => Vec<Event>
);

command!(
    /// Verified payments that matched no pending session, oldest first.
    UnmatchedEvents {
        pub limit: u32,
    }, "unmatched-events" => Vec<Event>
);

command!(
    /// One page of sessions with their records, newest first (the native
    /// listing). Sessions imported before they moved (no record here yet) come
    /// as ids, for the worker to read from KV.
    ListSessions {
        pub before: Option<i64>,
        pub limit: u32,
    }, "list-sessions" => RecordPage
);

/// A page of [`ListSessions`].
#[derive(Debug, Serialize, Deserialize)]
pub enum Listed {
    Here(Box<SessionRead>),
    /// Still in KV (imported as a summary before the move).
    InKv(SessionId),
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RecordPage {
    pub data: Vec<Listed>,
    pub next_cursor: Option<i64>,
}

command!(
    /// The cron's sweep: sets the alarm again if work is due (a lost alarm
    /// loses nothing) and names pending sessions whose payment ETN should be
    /// asked about.
    Sweep {
        /// At most this many sessions to poll.
        pub polls: u32,
    }, "sweep" => SweepReport
);

/// What a sweep found.
#[derive(Debug, Serialize, Deserialize)]
pub struct SweepReport {
    /// Whether the object exists at all (a merchant's unused mode does not).
    pub exists: bool,
    /// Pending sessions to poll at ETN: their ids and payment ids.
    pub polls: Vec<(SessionId, PaymentId)>,
}

command!(
    /// Dev only: closes the WebSockets following a session as if the server
    /// dropped them (code 1012), the session going on. Answers how many.
    DropLive {
        pub session: SessionId,
    }, "drop-live" => u32
);

command!(
    /// Dev only: nothing, answered. What a call to an account object costs
    /// by itself (the load bench's second baseline).
    Ping, "ping" => ()
);

/// What a row keeps of its session: the record core made, and what the
/// session's pages and webhooks need besides.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    pub session: Session,
    /// The worker's origin when the session was opened (its `checkout_url`s).
    pub origin: String,
    /// The merchant's name then: what its checkout shows.
    pub merchant_name: String,
}
