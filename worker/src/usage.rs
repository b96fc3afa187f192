//! What the worker spends of a Cloudflare plan's daily limits, counted where
//! it is spent (at each binding), for `cargo xtask bench budget`.
//!
//! Counts are kept in the isolate: local workerd runs the worker and its
//! Durable Objects in one isolate, so a dev-only route reads them all
//! (`GET /__dev/usage`) and resets them (`DELETE /__dev/usage`). Deployed
//! workers count too (a few additions per request) and nobody reads it.

use std::cell::Cell;

use serde::Serialize;
use utoipa::ToSchema;

/// A resource a plan limits per day.
#[derive(Debug, Clone, Copy)]
pub enum Resource {
    /// A request to the worker (fetch, or the cron).
    WorkerRequest,
    KvRead,
    KvWrite,
    KvList,
    /// A request to a Durable Object: a command, a WebSocket connection, an
    /// alarm run.
    ObjectRequest,
    /// SQLite rows written (an index entry counts as a row).
    RowsWritten,
    /// An outbound `fetch` (webhooks, ETN polls, the rates feed).
    Subrequest,
}

const RESOURCES: usize = 7;

thread_local! {
    static COUNTS: [Cell<u64>; RESOURCES] = const {
        [const { Cell::new(0) }; RESOURCES]
    };
}

/// One more of `resource`.
pub fn count(resource: Resource) {
    add(resource, 1);
}

/// `n` more of `resource`.
pub fn add(resource: Resource, n: u64) {
    COUNTS.with(|c| {
        let cell = &c[resource as usize];
        cell.set(cell.get().saturating_add(n));
    });
}

/// What has been spent since the last reset.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Usage {
    pub worker_requests: u64,
    pub kv_reads: u64,
    pub kv_writes: u64,
    pub kv_lists: u64,
    pub object_requests: u64,
    pub rows_written: u64,
    pub subrequests: u64,
}

pub fn snapshot() -> Usage {
    COUNTS.with(|c| Usage {
        worker_requests: c[Resource::WorkerRequest as usize].get(),
        kv_reads: c[Resource::KvRead as usize].get(),
        kv_writes: c[Resource::KvWrite as usize].get(),
        kv_lists: c[Resource::KvList as usize].get(),
        object_requests: c[Resource::ObjectRequest as usize].get(),
        rows_written: c[Resource::RowsWritten as usize].get(),
        subrequests: c[Resource::Subrequest as usize].get(),
    })
}

pub fn reset() {
    COUNTS.with(|c| c.iter().for_each(|cell| cell.set(0)));
}
