//! The wire types of Edge Checkout's merchant-facing API that more than one crate
//! reads: the worker serialises them, the dashboard (and tests) deserialise them,
//! and the worker's `/openapi.json` documents them (feature `openapi`). One
//! definition per shape, so the writer and the readers cannot disagree.
//!
//! Types here are data only: what a field may hold is decided where a request is
//! read (the worker, with core's validation), never here.

pub mod brand;
pub mod dashboard;
pub mod endpoint;
pub mod error;
pub mod keys;
pub mod page;
pub mod webhooks;
