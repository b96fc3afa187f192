//! Helpers for end-to-end tests of the worker running in workerd.
//!
//! `cargo xtask test` starts `wrangler dev` with a fresh on-disk KV and passes its
//! URL in `CHECKOUT_BASE_URL`; these tests never start a runtime of their own and
//! never mock one.

/// The URL of the worker under test.
///
/// # Panics
/// When `CHECKOUT_BASE_URL` is not set: run the tests with `cargo xtask test`.
pub fn base_url() -> String {
    std::env::var("CHECKOUT_BASE_URL")
        .expect("CHECKOUT_BASE_URL is not set: run end-to-end tests with `cargo xtask test`")
}

/// An HTTP agent that reports 4xx/5xx as responses, not errors, so tests can assert on them.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// GET a path of the worker.
pub fn get(path: &str) -> ureq::http::Response<ureq::Body> {
    agent()
        .get(format!("{}{path}", base_url()))
        .call()
        .expect("the worker answers")
}
