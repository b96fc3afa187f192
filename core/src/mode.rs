//! Test or live: which money a key, a session and every record of it belong
//! to. A leaf that ids, sessions and events all name.

use serde::{Deserialize, Serialize};

/// Whether a session moves real money: set by the API key that created it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Created with an `sk_test_` key: the sandbox may pay it.
    Test,
    /// Created with an `sk_live_` key.
    Live,
}

impl Mode {
    /// The mode's wire name (`test`, `live`), as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Test => "test",
            Mode::Live => "live",
        }
    }

    /// What every API key of the mode starts with.
    pub fn key_prefix(self) -> &'static str {
        match self {
            Mode::Test => "sk_test_",
            Mode::Live => "sk_live_",
        }
    }

    /// The mode a key's prefix announces, if it is one of ours.
    pub fn of_key(key: &str) -> Option<Mode> {
        [Mode::Test, Mode::Live]
            .into_iter()
            .find(|m| key.starts_with(m.key_prefix()))
    }

    /// The mode a wire name names (`as_str` backwards); `None` for any other text.
    pub fn from_wire(text: &str) -> Option<Mode> {
        [Mode::Test, Mode::Live]
            .into_iter()
            .find(|m| m.as_str() == text)
    }
}
