//! `cargo xtask test`: every test, against real runtimes, with the time of each phase.
//!
//! 1. tools: install whatever is missing
//! 2. repository checks: rustfmt, clippy -D warnings
//! 3. native tests: core (with Python/PHP oracles), CLI (with zbarimg/rsvg-convert)
//! 4. build: CLI, widget, worker bundle
//! 5. widget components in headless Chromium (wasm-bindgen-test)
//! 6. end to end against the worker in workerd (wrangler dev, KV on disk): HTTP
//!    tests in Rust, page tests in Chromium (Playwright)
//! 7. what one paid session of each dialect costs of the free plan, counted at
//!    the worker's bindings, asserted (`bench::budget`)
//! 8. size budgets: the widget's and the dashboard's downloads
//! 9. fuzz smoke: every fuzz target briefly, so that they keep building

use std::path::PathBuf;

use crate::util::{cmd, exec, find_on_path, root, Phases, Result};
use crate::wrangler::{free_port, Wrangler};
use crate::{build, dev, fuzz, tools};

/// Gzip budget for everything a page downloads for the widget (one script, the
/// wasm inside it).
pub const WIDGET_GZIP_BUDGET: u64 = 45 * 1024;

/// Gzip budget for everything the dashboard's first load downloads (the shell,
/// the stylesheet, the glue and the wasm): the app is loaded once per sign-in,
/// by a merchant at a desk, so it may weigh what the widget may not.
pub const DASHBOARD_GZIP_BUDGET: u64 = 386 * 1024;

pub fn run() -> Result {
    let mut phases = Phases::new();
    let result = run_phases(&mut phases);
    phases.print();
    result
}

fn run_phases(phases: &mut Phases) -> Result {
    phases.run("install missing tools", tools::ensure_test_tools)?;
    phases.run("rustfmt and clippy", || {
        exec(cmd("cargo").args(["fmt", "--all", "--check"]))?;
        exec(cmd("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    phases.run("native tests (core, CLI, xtask)", || {
        build::cli()?;
        exec(cmd("cargo").args(["test", "--workspace", "--exclude", "checkout-e2e"]))
    })?;
    phases.run("build widget and worker bundle", build::bundle)?;
    phases.run("widget components in headless Chromium", widget_in_browser)?;
    phases.run("end to end in workerd and Chromium", || end_to_end(&[]))?;
    phases.run(
        "a webhook survives the worker crashing",
        crate::restart::webhooks_survive_a_crash,
    )?;
    phases.run(
        "what a paid session costs of the free plan (asserted)",
        || crate::bench::budget(5, true),
    )?;
    phases.run("widget and dashboard size budgets", size_budget)?;
    phases.run("wrangler deploy --dry-run and worker size", deploy_dry_run)?;
    phases.run(
        "Ctrl-C stops cargo xtask dev and its workerd",
        ctrl_c_stops_dev,
    )?;
    phases.run("fuzz smoke (each target briefly)", || fuzz::smoke(5))?;
    Ok(())
}

/// Starts `cargo xtask dev` (this very binary) on a free port with a throwaway
/// state, sends it SIGINT once the worker answers, and checks that it exits, that
/// nothing of wrangler or workerd is left, and that the port is free again.
fn ctrl_c_stops_dev() -> Result {
    use std::time::{Duration, Instant};
    let port = free_port()?;
    let state = root().join("target/ctrl-c-state");
    let _ = std::fs::remove_dir_all(&state);
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = cmd(exe)
        .arg("dev")
        .env("PORT", port.to_string())
        .env("DEV_STATE", &state)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start cargo xtask dev: {e}"))?;
    let started = Instant::now();
    while crate::wrangler::http_get(port, "/health").is_none_or(|(status, _)| status != 200) {
        if started.elapsed() > Duration::from_secs(240) {
            let _ = child.kill();
            return Err("cargo xtask dev did not start within 240 s".into());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("cargo xtask dev exited early with {status}"));
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    exec(cmd("kill").args(["-INT", &child.id().to_string()]))?;
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err("cargo xtask dev did not exit within 20 s of SIGINT".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    eprintln!("  cargo xtask dev exited with {status} after SIGINT");
    if crate::wrangler::http_get(port, "/health").is_some() {
        return Err(format!(
            "the worker still answers on port {port} after SIGINT"
        ));
    }
    std::net::TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("port {port} is still taken after SIGINT: {e}"))?;
    let _ = std::fs::remove_dir_all(&state);
    Ok(())
}

fn chromedriver() -> Result<PathBuf> {
    find_on_path("chromedriver").ok_or_else(|| "chromedriver is not installed".to_owned())
}

fn widget_in_browser() -> Result {
    exec(
        cmd("cargo")
            .args([
                "test",
                "--package",
                "checkout-widget",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", chromedriver()?)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )
}

/// `cargo xtask e2e [FILTER]`: the end-to-end phase alone, for a quick loop.
pub fn end_to_end_only(args: &[String]) -> Result {
    tools::ensure_test_tools()?;
    build::cli()?;
    build::bundle()?;
    end_to_end(args)
}

fn end_to_end(args: &[String]) -> Result {
    let root = root();
    let artifacts = root.join("artifacts");
    std::fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
    // A fresh KV each run, so that tests never depend on leftovers.
    let state = root.join("target/e2e-state");
    let _ = std::fs::remove_dir_all(&state);
    let port = free_port()?;
    let keys = dev::new_keys()?;
    let mut vars = dev::local_vars(port, &keys);
    // Short cache times, so that the rates tests can watch a refresh and a stale feed.
    vars.push(("RATES_TTL", "3".to_owned()));
    vars.push(("RATES_MAX_STALE", "8".to_owned()));
    // Webhook time compressed 20,000 times: the three days of retries take 14 s,
    // the 24-hour rotation window 4.3 s, the 15-minute "failing" flag 45 ms.
    vars.push(("WEBHOOK_TIME_SCALE", "0.00005".to_owned()));
    // An account made before numbering with more than 2 sessions keeps its
    // full payment-id index, so that a test can watch both upgrades.
    vars.push(("REINDEX_SESSIONS_MAX", "2".to_owned()));
    let wrangler = Wrangler::start(port, &state, Some(&artifacts.join("wrangler.log")), &vars)?;
    let base = wrangler.base_url();
    dev::seed(port, &keys)?;
    // `--pages [FILE...]`: the page tests alone (all, or the files named).
    let pages_only = args.first().is_some_and(|a| a == "--pages");
    if !pages_only {
        rust_end_to_end(args, &base, &keys, &artifacts)?;
        if !args.is_empty() {
            return Ok(());
        }
    }
    let files: Vec<String> = if pages_only && args.len() > 1 {
        args[1..]
            .iter()
            .map(|f| format!("tests/browser/{f}"))
            .collect()
    } else {
        vec!["tests/browser/".to_owned()]
    };
    exec(
        cmd("node")
            // A test that fails half way can leave a server of its own
            // listening (a webhook receiver): the file must still end.
            .args(["--test", "--test-concurrency=1", "--test-force-exit"])
            .args(&files)
            .env("CHECKOUT_BASE_URL", &base)
            .env("CHECKOUT_DEMO_KEY", &keys["merchant_key"])
            .env("CHECKOUT_ADMIN_KEY", &keys["admin_key"])
            .env(
                "CHROMIUM",
                find_on_path("chromium").ok_or("chromium is not installed")?,
            )
            .env("ARTIFACTS", &artifacts),
    )
}

/// The HTTP tests in Rust (`tests/http/`), narrowed by `args`.
fn rust_end_to_end(
    args: &[String],
    base: &str,
    keys: &std::collections::BTreeMap<String, String>,
    artifacts: &std::path::Path,
) -> Result {
    let mut rust_tests = cmd("cargo");
    rust_tests.args(["test", "--no-fail-fast", "--package", "checkout-e2e"]);
    rust_tests.args(args);
    exec(
        rust_tests
            .env("CHECKOUT_BASE_URL", base)
            .env("CHECKOUT_ADMIN_KEY", &keys["admin_key"])
            .env("CHECKOUT_DEMO_KEY", &keys["merchant_key"])
            .env("ARTIFACTS", artifacts)
            .env("CHECKOUT_CLI", root().join("target/release/checkout")),
    )
}

/// Cloudflare's limit on a Worker's compressed size on the free plan (paid: 10 MiB).
pub const WORKER_GZIP_LIMIT: u64 = 3 * 1024 * 1024;

/// Keeps the deploy path valid: wrangler bundles the worker exactly as `wrangler
/// deploy` would, without uploading, and the bundle must fit Cloudflare's limit.
fn deploy_dry_run() -> Result {
    let out = root().join("build/dry-run");
    exec(
        cmd(crate::util::npm_bin("wrangler"))
            .args(["deploy", "--dry-run", "--outdir"])
            .arg(&out)
            .env("WRANGLER_SEND_METRICS", "false"),
    )?;
    let total = build::worker_gzip_size()?;
    eprintln!("  worker bundle {total} B gzip (Cloudflare free-plan limit {WORKER_GZIP_LIMIT} B)");
    if total > WORKER_GZIP_LIMIT {
        return Err(format!(
            "the worker is {total} B gzipped, over Cloudflare's {WORKER_GZIP_LIMIT} B limit"
        ));
    }
    Ok(())
}

fn size_budget() -> Result {
    let assets = root().join(build::ASSETS_DIR);
    check_budget(
        "widget",
        &assets,
        build::WIDGET_PAGE_FILES,
        WIDGET_GZIP_BUDGET,
    )?;
    check_budget(
        "dashboard",
        &assets.join("dashboard"),
        build::DASHBOARD_FILES,
        DASHBOARD_GZIP_BUDGET,
    )
}

/// Prints the raw, gzip and brotli size of each of `files` in `dir`, and fails
/// when their gzip total is over `budget`.
fn check_budget(what: &str, dir: &std::path::Path, files: &[&str], budget: u64) -> Result {
    let mut gzip_total = 0;
    let mut brotli_total = 0;
    eprintln!("  {what}:");
    for file in files {
        let path = dir.join(file);
        let raw = std::fs::metadata(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .len();
        let gz = build::compressed_size(&path, "gzip")?;
        let br = build::compressed_size(&path, "brotli")?;
        eprintln!("  {file:<18} {raw:>8} B raw  {gz:>8} B gzip  {br:>8} B brotli");
        gzip_total += gz;
        brotli_total += br;
    }
    eprintln!(
        "  {:<18} {:>8}        {gzip_total:>8} B gzip  {brotli_total:>8} B brotli",
        "total", ""
    );
    if gzip_total > budget {
        return Err(format!(
            "the {what} is {gzip_total} B gzipped, over the budget of {budget} B"
        ));
    }
    eprintln!("  within the {what}'s budget of {budget} B gzip");
    Ok(())
}
