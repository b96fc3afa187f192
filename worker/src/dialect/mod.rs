//! One module per API dialect: wire shapes and their mapping onto core's session.
//! Each is a thin adapter over `sessions.rs`.

pub mod etn;
pub mod ewallet;
pub mod gateway;
pub mod links;
pub mod native;
