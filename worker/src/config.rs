//! The worker's configuration, read once per request from its bindings.
//!
//! | binding | kind | meaning |
//! |---|---|---|
//! | `ADMIN_KEY` | secret | the admin ("legacy static") key |
//! | `SECRETS_KEY` | secret | encrypts merchant secrets in KV |
//! | `RATES_URL` | var | where the ETN rates feed is fetched |
//! | `RATES_TTL` | var | seconds a fetched feed is fresh (default 300) |
//! | `RATES_MAX_STALE` | var | seconds a stale feed may still price (default 900) |
//! | `ETN_POLL_URL` | var | ETN's check-payment API (default the seed's URL) |
//! | `DEV_MODE` | var | `"true"` only under `wrangler dev`: dev routes, http://localhost URLs |

use sha2::{Digest, Sha256};
use worker::Env;

use crate::error::{ApiError, ApiResult};

pub struct Config {
    pub admin_key: Option<String>,
    secrets_key: Option<[u8; 32]>,
    pub dev: bool,
    pub rates_url: String,
    pub rates_ttl: i64,
    pub rates_max_stale: i64,
    /// ETN's check-payment API, polled by the cron for pending sessions.
    pub etn_poll_url: String,
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
            admin_key: text(env, "ADMIN_KEY"),
            // Any length of secret text becomes a 256-bit AES key.
            secrets_key: text(env, "SECRETS_KEY").map(|k| Sha256::digest(k.as_bytes()).into()),
            dev: text(env, "DEV_MODE").as_deref() == Some("true"),
            rates_url: text(env, "RATES_URL")
                .unwrap_or_else(|| "https://supply.electroneum.com/app-value-v2.json".to_owned()),
            rates_ttl: number("RATES_TTL", 300),
            rates_max_stale: number("RATES_MAX_STALE", 900),
            etn_poll_url: text(env, "ETN_POLL_URL")
                .unwrap_or_else(|| "https://poll.electroneum.com/vendor/check-payment".to_owned()),
        }
    }

    /// The key that seals merchant secrets; refusing to run without one beats
    /// storing secrets in the clear.
    pub fn secrets_key(&self) -> ApiResult<&[u8; 32]> {
        self.secrets_key.as_ref().ok_or_else(|| {
            ApiError::unavailable(
                "not_configured",
                "SECRETS_KEY is not set (wrangler secret put SECRETS_KEY)",
                60,
            )
        })
    }

    /// URLs merchants give: https, and http://localhost only in local dev.
    pub fn url_policy(&self) -> checkout_core::validate::UrlPolicy {
        if self.dev {
            checkout_core::validate::UrlPolicy::AllowLocalHttp
        } else {
            checkout_core::validate::UrlPolicy::HttpsOnly
        }
    }
}
