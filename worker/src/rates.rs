//! The ETN rates feed, cached in KV, and the copy in KV kept parsed in the
//! isolate while it is fresh.
//!
//! A copy younger than `RATES_TTL` is used as is; an older one triggers a fetch.
//! If the feed cannot be fetched, a copy younger than `RATES_MAX_STALE` still
//! prices; beyond that the answer is 503 with `Retry-After`: never a wrong price.
//! An isolate that has read (or fetched) a copy uses it until it is no longer
//! fresh, without reading KV again (the copy in KV changes once a `RATES_TTL`,
//! so the isolate's is the one KV would answer).

use checkout_core::time::UnixSeconds;
use checkout_core::Rates;
use worker::{Fetch, Url};

use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::store::{RatesRecord, Store};

const RETRY_AFTER: u32 = 30;

fn unavailable(why: &str) -> ApiError {
    worker::console_warn!("rates unavailable: {why}");
    ApiError::unavailable(
        "rates_unavailable",
        "exchange rates are unavailable right now; retry shortly",
        RETRY_AFTER,
    )
}

thread_local! {
    /// The fresh copy this isolate last read or fetched, parsed, and when it
    /// was fetched.
    static FRESH: std::cell::RefCell<Option<(UnixSeconds, Rates)>> =
        const { std::cell::RefCell::new(None) };
}

fn remember(fetched_at: UnixSeconds, rates: &Rates) {
    FRESH.with(|f| *f.borrow_mut() = Some((fetched_at, rates.clone())));
}

/// Current rates, from the isolate's fresh copy, KV's, or the feed.
pub async fn current(config: &Config, store: &Store, now: UnixSeconds) -> ApiResult<Rates> {
    let fresh = FRESH.with(|f| {
        f.borrow()
            .as_ref()
            .filter(|(at, _)| now.since(*at) < config.rates_ttl && *at <= now)
            .map(|(_, rates)| rates.clone())
    });
    if let Some(rates) = fresh {
        return Ok(rates);
    }
    let cached = store.rates().await?;
    if let Some(record) = &cached {
        if now.since(record.fetched_at) < config.rates_ttl {
            if let Ok(rates) = Rates::parse(&record.body) {
                remember(record.fetched_at, &rates);
                return Ok(rates);
            }
        }
    }
    match fetch(&config.rates_url).await {
        Ok((body, rates)) => {
            store
                .put_rates(&RatesRecord {
                    fetched_at: now,
                    body,
                })
                .await?;
            remember(now, &rates);
            Ok(rates)
        }
        Err(why) => match cached {
            Some(record) if now.since(record.fetched_at) < config.rates_max_stale => {
                Rates::parse(&record.body).map_err(|_| unavailable(&why))
            }
            _ => Err(unavailable(&why)),
        },
    }
}

async fn fetch(url: &str) -> Result<(String, Rates), String> {
    let url = Url::parse(url).map_err(|e| format!("RATES_URL is not a URL: {e}"))?;
    let mut response = Fetch::Url(url)
        .send()
        .await
        .map_err(|e| format!("fetch failed: {e}"))?;
    if response.status_code() != 200 {
        return Err(format!("feed answered {}", response.status_code()));
    }
    let body = response
        .text()
        .await
        .map_err(|e| format!("reading the feed failed: {e}"))?;
    let rates = Rates::parse(&body).map_err(|e| e.to_string())?;
    Ok((body, rates))
}
