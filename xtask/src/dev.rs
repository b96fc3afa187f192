//! `cargo xtask dev`: the worker under wrangler dev, as a newcomer first meets it.

use crate::util::{root, Result};
use crate::wrangler::Wrangler;
use crate::{build, tools};

pub fn run() -> Result {
    tools::ensure_build_tools()?;
    build::bundle()?;
    let port: u16 = match std::env::var("PORT") {
        Ok(p) => p
            .parse()
            .map_err(|_| format!("PORT must be a port number, got {p:?}"))?,
        Err(_) => 8787,
    };
    let state = root().join(".wrangler/dev-state");
    let wrangler = Wrangler::start(port, &state, None)?;
    let base = wrangler.base_url();
    println!();
    println!(
        "Edge Checkout is running (KV persisted in {}).",
        state.display()
    );
    println!("demo shop: {base}/demo/etn.html");
    println!("hosted checkout: {base}/pay/ (sessions arrive with the sessions API)");
    println!("API: {base}/health");
    println!("Press Ctrl-C to stop.");
    wrangler.wait()
}
