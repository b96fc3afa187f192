//! One module per API dialect, each in two files, as hyperswitch does for its
//! connectors: `wire.rs` holds the dialect's wire types (derived serde structs
//! shaped like the seed's JSON, their conversion into core's session request,
//! and the one view of a session the dialect answers with); `mod.rs` holds the
//! handlers, which only move data between the wire types, the session engine
//! (`sessions.rs`) and the store. The account object reads the wire views
//! (for webhook bodies: `account/snapshot.rs`), never the handlers.

pub mod etn;
pub mod ewallet;
pub mod gateway;
pub mod links;
pub mod native;
