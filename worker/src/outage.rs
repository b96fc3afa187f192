//! Simulated outages (dev only): switches that make every KV read, or only KV
//! listings, or account-object calls fail, so that tests can watch the worker
//! answer a retryable 5xx (never a 404) when storage fails. Only the dev route
//! `PUT /__dev/outage` (`dev.rs`) turns them on; outside `wrangler dev` they
//! are always off. A leaf: the store and the account client read it, nothing
//! here reads them.

use std::cell::Cell;

thread_local! {
    static STORAGE: Cell<bool> = const { Cell::new(false) };
    static LISTING: Cell<bool> = const { Cell::new(false) };
}

/// Whether a simulated storage outage is on: every KV read fails.
pub fn storage() -> bool {
    STORAGE.with(Cell::get)
}

/// Whether a simulated outage of KV listings is on (reads still work).
pub fn listing() -> bool {
    LISTING.with(Cell::get)
}

/// Turns the simulated outages on or off. Local workerd runs one isolate, so
/// the switches hold across requests.
pub fn set(storage: bool, listing: bool) {
    STORAGE.with(|o| o.set(storage));
    LISTING.with(|o| o.set(listing));
}
