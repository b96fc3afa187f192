//! The merchant dashboard's server side: signing in with one-time links
//! (`signin.rs`), serving the app's files with strict security headers
//! (`pages.rs`), the reads the app needs beyond the merchant API
//! (`reads.rs`), and the import of sessions older than the account object's
//! sessions table (`backfill.rs`). The app itself is the `dashboard/` crate (Leptos, in the
//! browser); it calls the same routes merchants' code calls, authenticated by
//! the sign-in cookie instead of a key (see `auth.rs`).

pub mod backfill;
pub mod pages;
pub mod reads;
pub mod signin;
