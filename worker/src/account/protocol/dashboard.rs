//! Commands of the dashboard: summaries, the overview, the brand and logo.

use checkout_api::dashboard::SessionSummary;
use checkout_core::brand::Brand;
use checkout_core::policy::PaymentPolicy;
use checkout_core::session::{Dialect, State};
use checkout_core::time::UnixSeconds;
use serde::{Deserialize, Serialize};

use super::{Command, Stored};
use checkout_api::dashboard::Overview;

command!(
    /// One page of session summaries (the dashboard's listing).
    Summaries {
        pub query: SessionQuery,
    }, "summaries" => SummaryPage
);

command!(
    /// The dashboard overview's figures as of `now`.
    GetOverview {
        pub now: UnixSeconds,
    }, "overview" => Overview
);

command!(
    /// How far the import of sessions older than the sessions table has got.
    GetBackfill, "backfill" => Backfill
);

command!(
    /// Imports a page of sessions from KV (those the table lacks) and keeps
    /// `next` as where to go on (`None`: finished). Answers how many were new.
    ImportSessions {
        pub sessions: Vec<Stored>,
        pub next: Option<String>,
        pub now: UnixSeconds,
    }, "import-sessions" => u32
);

command!(
    /// The merchant's payment policy in this mode (the defaults if never set).
    GetPolicy, "policy" => PaymentPolicy
);

command!(
    /// The merchant's brand on the hosted checkout in this mode (none if never set).
    GetBrand, "brand" => Brand
);

command!(
    /// Replaces the brand; pages shown from now on wear it.
    PutBrand {
        pub brand: Brand,
    }, "put-brand" => Brand
);

command!(
    /// Stores an uploaded logo (its media type read from its bytes by core's
    /// `brand::logo_type`), or removes it (`None`). Answers the brand.
    PutLogo {
        pub logo: Option<Logo>,
    }, "put-logo" => Brand
);

command!(
    /// The uploaded logo, if there is one.
    GetLogo, "logo" => Option<Logo>
);

/// An uploaded logo.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Logo {
    pub content_type: String,
    /// The bytes, base64 (standard alphabet).
    pub base64: String,
    /// A hash of the bytes: the image's version in its URL.
    pub version: String,
}

command!(
    /// Replaces the payment policy; sessions opened from now on keep it.
    PutPolicy {
        pub policy: PaymentPolicy,
    }, "put-policy" => PaymentPolicy
);

command!(
    /// Dev only: forgets the sessions table and the import, as an object made
    /// before the table existed. Answers how many sessions it forgot.
    ForgetSessions, "forget-sessions" => i64
);

command!(
    /// Dev only: puts the sessions table back in the shape it had before
    /// sessions were numbered (every payment id in one unique index, no
    /// `numbered` column), and the delivery history in its one table, as an
    /// object made by that version; the next command brings it up to date
    /// again. Answers how many sessions it has.
    UnnumberSessions, "unnumber-sessions" => i64
);

command!(
    /// Dev only: makes every delivery `days` older, so that tests can watch
    /// the history's retention. Answers how many it aged.
    AgeDeliveries {
        pub days: i64,
    }, "age-deliveries" => i64
);

/// Which sessions a listing asks for; days are their 00:00 UTC.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SessionQuery {
    /// The state as of `now` (a pending session past its expiry is expired).
    pub state: Option<State>,
    pub dialect: Option<Dialect>,
    /// Created at or after.
    pub from: Option<UnixSeconds>,
    /// Created before.
    pub until: Option<UnixSeconds>,
    /// An exact session id, order id, payment id or alias.
    pub search: Option<String>,
    /// Only sessions that need the merchant's attention (core's
    /// `Session::needs_attention`).
    #[serde(default)]
    pub attention: bool,
    /// The `next_cursor` of the previous page.
    pub before: Option<i64>,
    pub limit: u32,
    pub now: UnixSeconds,
}

/// A page of summaries, newest first.
#[derive(Debug, Serialize, Deserialize)]
pub struct SummaryPage {
    pub data: Vec<SessionSummary>,
    pub next_cursor: Option<i64>,
}

/// Where the import of sessions from KV stands.
#[derive(Debug, Serialize, Deserialize)]
pub enum Backfill {
    /// Every older session is in the table.
    Done,
    /// To go on from this KV list cursor (`None`: from the start).
    From(Option<String>),
}
