//! The worker's configuration, read once per invocation from its bindings.
//!
//! | binding | kind | meaning |
//! |---|---|---|
//! | `ADMIN_KEY` | secret | the admin ("legacy static") key |
//! | `SECRETS_KEY` | secret | encrypts merchant secrets in KV |
//! | `RATES_URL` | var | where the ETN rates feed is fetched |
//! | `RATES_TTL` | var | seconds a fetched feed is fresh (default 300) |
//! | `RATES_MAX_STALE` | var | seconds a stale feed may still price (default 900) |
//! | `ETN_POLL_URL` | var | ETN's check-payment API (default the seed's URL) |
//! | `PUBLIC_URL` | var | the worker's own origin, for URLs the cron writes (requests use their own) |
//! | `WEBHOOK_TIME_SCALE` | var | multiplies every webhook delay (default 1; tests compress days into seconds) |
//! | `DEV_MODE` | var | `"true"` only under `wrangler dev`: dev routes, http://localhost URLs |
//! | `REINDEX_SESSIONS_MAX` | var | the most sessions an account made before numbering may have for its payment-id index to be rebuilt as a partial one (default 10000: a tenth of the free plan's rows a day) |

use checkout_core::ids::IdKey;
use checkout_core::validate::UrlPolicy;
use worker::Env;

use crate::error::{ApiError, ApiResult};
use crate::secret::{Sealed, SealingKey, SecretString};

pub struct Config {
    pub admin_key: Option<SecretString>,
    secrets_key: Option<SealingKey>,
    /// Tags the ids that name their account object (core's `routed` ids),
    /// derived from `SECRETS_KEY`.
    id_key: Option<IdKey>,
    pub dev: bool,
    pub rates_url: String,
    /// How long fetched rates are used (seconds).
    pub rates_ttl: i64,
    /// How long rates are used when the feed cannot be had (seconds).
    pub rates_max_stale: i64,
    /// ETN's check-payment API, polled by the cron for pending sessions.
    pub etn_poll_url: String,
    pub public_url: Option<String>,
    /// 1.0 in production: see core's `webhook::scaled_ms`.
    pub webhook_time_scale: f64,
    /// See the account's `db/schema.rs` (`migrate`).
    pub reindex_sessions_max: i64,
}

fn text(env: &Env, name: &str) -> Option<String> {
    env.secret(name)
        .map(|s| s.to_string())
        .or_else(|_| env.var(name).map(|v| v.to_string()))
        .ok()
        .filter(|v| !v.is_empty())
}

impl Config {
    pub fn from_env(env: &Env) -> Config {
        let number = |name: &str, default: i64| {
            text(env, name)
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        Config {
            admin_key: text(env, "ADMIN_KEY").map(SecretString::from),
            secrets_key: text(env, "SECRETS_KEY").map(|k| SealingKey::derive(&k)),
            id_key: text(env, "SECRETS_KEY").map(|k| IdKey::derive(k.as_bytes())),
            dev: text(env, "DEV_MODE").as_deref() == Some("true"),
            rates_url: text(env, "RATES_URL")
                .unwrap_or_else(|| "https://supply.electroneum.com/app-value-v2.json".to_owned()),
            rates_ttl: number("RATES_TTL", 300),
            rates_max_stale: number("RATES_MAX_STALE", 900),
            etn_poll_url: text(env, "ETN_POLL_URL")
                .unwrap_or_else(|| "https://poll.electroneum.com/vendor/check-payment".to_owned()),
            public_url: text(env, "PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned()),
            webhook_time_scale: text(env, "WEBHOOK_TIME_SCALE")
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s > 0.0)
                .unwrap_or(1.0),
            reindex_sessions_max: number("REINDEX_SESSIONS_MAX", 10_000),
        }
    }

    /// The key that seals merchant secrets; refusing to run without one beats
    /// storing secrets in the clear.
    /// Opens a secret sealed with this deployment's `SECRETS_KEY`.
    pub fn open(&self, sealed: &Sealed) -> ApiResult<SecretString> {
        sealed.open(self.secrets_key()?)
    }

    pub fn secrets_key(&self) -> ApiResult<&SealingKey> {
        self.secrets_key.as_ref().ok_or_else(|| {
            ApiError::unavailable(
                "not_configured",
                "SECRETS_KEY is not set (wrangler secret put SECRETS_KEY)",
                60,
            )
        })
    }

    /// The key that tags and checks session ids and their aliases.
    pub fn id_key(&self) -> ApiResult<&IdKey> {
        self.id_key.as_ref().ok_or_else(|| {
            ApiError::unavailable(
                "not_configured",
                "SECRETS_KEY is not set (wrangler secret put SECRETS_KEY)",
                60,
            )
        })
    }

    /// Where the URLs merchants give may point (see core's `validate::url`).
    pub fn url_policy(&self) -> UrlPolicy {
        if self.dev {
            UrlPolicy::AllowLocalHttp
        } else {
            UrlPolicy::HttpsOnly
        }
    }
}
