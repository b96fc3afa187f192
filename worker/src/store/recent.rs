//! What this isolate read of KV a moment ago: the records every merchant
//! request needs (its API key, its merchant), so that a busy merchant's
//! requests cost no KV read and wait for none.
//!
//! KV is eventually consistent already: a value read at one location may be a
//! minute old (its edge cache), so keeping a found record here for
//! [`FRESH_FOR_MS`] adds no new kind of staleness, only a little more of it
//! at isolates that did not make the change. The isolate that writes or
//! deletes a key forgets it at once (`Store`'s writes call [`forget`]), and
//! local `wrangler dev` runs one isolate, so there a change shows at once.
//! Absence is never kept: a key created elsewhere works on its first use.
//! Which keys are kept is [`Key::kept_in_isolate`](super::Key) (one place).

use std::cell::RefCell;
use std::collections::HashMap;

/// How long a record read from KV is answered from the isolate (ms). A key
/// revoked at another location is refused here within this, plus KV's own
/// propagation (up to about 60 s).
pub const FRESH_FOR_MS: f64 = 30_000.0;

/// At most this many records are kept; past it the whole map is dropped (an
/// isolate serving that many merchants at once reads KV as before).
const CAPACITY: usize = 1_000;

thread_local! {
    static RECENT: RefCell<HashMap<String, (f64, String)>> = RefCell::new(HashMap::new());
}

fn now_ms() -> f64 {
    worker::Date::now().as_millis() as f64
}

/// The text read for `key` less than [`FRESH_FOR_MS`] ago, if any.
pub fn get(key: &str) -> Option<String> {
    get_at(key, now_ms())
}

/// Keeps what KV answered for `key`.
pub fn keep(key: &str, text: &str) {
    keep_at(key, text, now_ms());
}

/// Forgets `key` (this isolate just wrote or deleted it).
pub fn forget(key: &str) {
    RECENT.with(|r| {
        r.borrow_mut().remove(key);
    });
}

fn get_at(key: &str, now: f64) -> Option<String> {
    RECENT.with(|r| {
        let mut recent = r.borrow_mut();
        match recent.get(key) {
            Some((at, text)) if now - at < FRESH_FOR_MS && *at <= now => Some(text.clone()),
            Some(_) => {
                recent.remove(key);
                None
            }
            None => None,
        }
    })
}

fn keep_at(key: &str, text: &str, now: f64) {
    RECENT.with(|r| {
        let mut recent = r.borrow_mut();
        if recent.len() >= CAPACITY && !recent.contains_key(key) {
            recent.clear();
        }
        recent.insert(key.to_owned(), (now, text.to_owned()));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_answered_for_thirty_seconds_then_read_again() {
        keep_at("apikey:a", "{}", 1_000.0);
        assert_eq!(get_at("apikey:a", 1_000.0).as_deref(), Some("{}"));
        assert_eq!(get_at("apikey:a", 30_999.0).as_deref(), Some("{}"));
        assert_eq!(get_at("apikey:a", 31_000.0), None);
        // Gone once stale, even if the clock went back.
        assert_eq!(get_at("apikey:a", 1_000.0), None);
        // A clock that went back does not make a record fresh.
        keep_at("apikey:b", "{}", 5_000.0);
        assert_eq!(get_at("apikey:b", 4_000.0), None);
    }

    #[test]
    fn a_write_here_forgets_the_record_at_once() {
        keep_at("merchant:m", "old", 0.0);
        forget("merchant:m");
        assert_eq!(get_at("merchant:m", 1.0), None);
    }

    #[test]
    fn past_capacity_everything_is_dropped_and_the_newest_kept() {
        for i in 0..CAPACITY {
            keep_at(&format!("apikey:{i}"), "x", 0.0);
        }
        // Updating one already kept drops nothing.
        keep_at("apikey:0", "y", 0.0);
        assert_eq!(get_at("apikey:1", 0.0).as_deref(), Some("x"));
        keep_at("apikey:new", "z", 0.0);
        assert_eq!(get_at("apikey:1", 0.0), None);
        assert_eq!(get_at("apikey:new", 0.0).as_deref(), Some("z"));
    }
}
