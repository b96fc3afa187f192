//! `cargo xtask bench`: criterion benchmarks of core, with peer crates measured in
//! the same run, and a load run against the worker in workerd, each printed as
//! ratios (machines are shared and noisy: only ratios measured side by side mean
//! anything).
//!
//! The load run uses wrk on loopback only, bounded in time: 10 s per route, 8
//! connections, against a fresh `wrangler dev` with a seeded demo merchant.
//!
//! `bench widget [--against DIR]` times the widget in headless Chromium against
//! another widget's scripts (see `tests/bench/widget.mjs`); `bench dashboard`
//! times the dashboard's first meaningful content against a page of the same
//! worker without the app (see `tests/bench/dashboard.mjs`); `bench page`
//! times the hosted checkout page's first paint on a slow phone against the
//! page it replaced (see `tests/bench/page.mjs`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::{cmd, exec, output, root, Result};
use crate::wrangler::{free_port, http, Wrangler};
use crate::{build, dev, tools};

/// (what, our benchmark id, the peer's benchmark id or none).
const PAIRS: &[(&str, &str, Option<&str>)] = &[
    ("verify etn (1 KiB)", "verify/etn", None),
    ("verify gateway (1 KiB)", "verify/gateway", None),
    ("verify forwarding (1 KiB)", "verify/forwarding", None),
    ("verify order", "verify/order", None),
    ("verify link", "verify/link", None),
    (
        "verify standard (1 KiB)",
        "verify/standard",
        Some("verify/standardwebhooks crate"),
    ),
    (
        "QR + SVG of an ETN deep link",
        "qr/checkout-core",
        Some("qr/fast_qr crate"),
    ),
    ("payment string parse", "parse/payment string", None),
    ("fiat to ETN conversion", "convert/fiat to etn", None),
];

/// `part`: `core`, `load`, `widget`, `dashboard`, `page`, `budget`, `live`, or all
/// of them when absent.
pub fn run(part: Option<&str>) -> Result {
    match part {
        None => {
            core_benches()?;
            load()?;
            widget()?;
            dashboard()?;
            page()?;
            budget(60, false)?;
            live()
        }
        Some("core") => core_benches(),
        Some("load") => load(),
        Some("widget") => widget(),
        Some("dashboard") => dashboard(),
        Some("page") => page(),
        Some("budget") => budget(60, false),
        Some("live") => live(),
        Some(other) => Err(format!(
            "bench: unknown part {other:?}; expected core, load, widget, dashboard, page, budget or live"
        )),
    }
}

/// The hosted checkout page's first contentful paint and QR code painted on a
/// slow phone (CDP throttling), against the page before it spoke the
/// shopper's language, in the same run (see `tests/bench/page.mjs`).
fn page() -> Result {
    chromium_bench("bench-page", "tests/bench/page.mjs")
}

/// Runs a Chromium bench script (`tests/bench/*.mjs`) against a fresh worker
/// with the demo merchant's key.
fn chromium_bench(name: &str, script: &str) -> Result {
    tools::ensure_build_tools()?;
    build::bundle()?;
    let (wrangler, keys) = fresh_worker(name)?;
    let chromium = crate::util::find_on_path("chromium").ok_or("chromium is not installed")?;
    exec(
        cmd("node")
            .arg(script)
            .env("CHECKOUT_BASE_URL", wrangler.base_url())
            .env("CHECKOUT_DEMO_KEY", &keys["merchant_key"])
            .env("CHROMIUM", chromium),
    )
}

/// What one paid session of each dialect costs of the free plan, counted at
/// the worker's bindings on a fresh worker, with the shopper's live view open
/// `live_seconds` (see `tests/bench/budget.mjs`); `assert`: fail when a count
/// is over what this version may spend (`cargo xtask test` does).
pub fn budget(live_seconds: u32, assert: bool) -> Result {
    tools::ensure_build_tools()?;
    build::bundle()?;
    let (wrangler, keys) = fresh_worker("budget")?;
    let chromium = crate::util::find_on_path("chromium").ok_or("chromium is not installed")?;
    exec(
        cmd("node")
            .arg("tests/bench/budget.mjs")
            .env("CHECKOUT_BASE_URL", wrangler.base_url())
            .env("CHECKOUT_DEMO_KEY", &keys["merchant_key"])
            .env("GATEWAY_SECRET", &keys["gateway_secret"])
            .env("CHROMIUM", chromium)
            .env("LIVE_SECONDS", live_seconds.to_string())
            .env("ASSERT", if assert { "1" } else { "0" }),
    )
}

/// How soon a shopper sees "paid" after the confirmation was answered, over
/// the WebSocket and, as the baseline in the same run, by polling alone
/// (WebSockets refused), after waiting different times on the page; and how
/// many requests a minute of waiting costs (see `tests/bench/live.mjs`).
fn live() -> Result {
    chromium_bench("bench-live", "tests/bench/live.mjs")
}

fn core_benches() -> Result {
    exec(cmd("cargo").args([
        "bench",
        "--package",
        "checkout-core",
        "--bench",
        "core",
        "--",
        "--noplot",
    ]))?;
    let dir = root().join("target/criterion");
    println!("\n| work | checkout-core | peer crate | ratio (ours / peer) |");
    println!("|---|---|---|---|");
    for (what, ours, peer) in PAIRS {
        let ours_ns = mean_ns(&dir, ours)?;
        match peer {
            Some(peer) => {
                let peer_ns = mean_ns(&dir, peer)?;
                let name = peer.split('/').nth(1).unwrap_or(peer);
                println!(
                    "| {what} | {} | {} ({name}) | {:.2} |",
                    human(ours_ns),
                    human(peer_ns),
                    ours_ns / peer_ns
                );
            }
            None => println!("| {what} | {} | none | |", human(ours_ns)),
        }
    }
    Ok(())
}

/// Criterion's mean estimate for a benchmark id, in nanoseconds.
fn mean_ns(dir: &Path, id: &str) -> Result<f64> {
    // Criterion stores `group/function` as nested directories.
    let path = dir.join(id).join("new/estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let after = text
        .split("\"mean\"")
        .nth(1)
        .ok_or("no mean in estimates.json")?;
    let value = after
        .split("\"point_estimate\":")
        .nth(1)
        .ok_or("no point estimate")?;
    let number: String = value
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        .collect();
    number
        .parse()
        .map_err(|_| format!("bad estimate {number:?} in {}", path.display()))
}

fn human(ns: f64) -> String {
    if ns >= 1_000_000.0 {
        format!("{:.2} ms", ns / 1_000_000.0)
    } else if ns >= 1_000.0 {
        format!("{:.2} µs", ns / 1_000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

/// One route under load: what wrk measured.
struct Load {
    requests_per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

/// Runs wrk for `seconds` against `path` with an optional Lua script.
fn wrk(base: &str, path: &str, script: Option<&Path>, seconds: u32) -> Result<Load> {
    let mut c = cmd("wrk");
    c.args([
        "-t2",
        "-c8",
        &format!("-d{seconds}s"),
        "--latency",
        "--timeout",
        "10s",
    ]);
    if let Some(script) = script {
        c.arg("-s").arg(script);
    }
    c.arg(format!("{base}{path}"));
    let text = output(&mut c).ok_or_else(|| format!("wrk failed on {path}"))?;
    let number_after = |label: &str| -> Option<f64> {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(parse_ms_or_number)
    };
    Ok(Load {
        requests_per_sec: number_after("Requests/sec:")
            .ok_or_else(|| format!("no Requests/sec in wrk output:\n{text}"))?,
        p50_ms: number_after("50%").unwrap_or(f64::NAN),
        p99_ms: number_after("99%").unwrap_or(f64::NAN),
        errors: number_after("Non-2xx or 3xx responses:").unwrap_or(0.0) as u64,
    })
}

/// `1.23ms` / `850.00us` / `1.02s` in milliseconds; plain numbers as they are.
fn parse_ms_or_number(text: &str) -> Option<f64> {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => value / 1000.0,
        "s" => value * 1000.0,
        _ => value,
    })
}

/// The gateway signature of `body`, computed by the `checkout` CLI.
fn sign_with_cli(secret: &str, body: &str) -> Result<String> {
    use std::io::Write;
    let mut child = cmd(root().join("target/release/checkout"))
        .args(["sign", "--scheme", "gateway", "--secret", secret])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the checkout CLI: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(body.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A worker under `wrangler dev` on a free port, with an empty state in
/// `target/{name}-state` (its log in `target/{name}-wrangler.log`) and the demo
/// merchant seeded; the keys it was given.
fn fresh_worker(name: &str) -> Result<(Wrangler, BTreeMap<String, String>)> {
    let state = root().join(format!("target/{name}-state"));
    let _ = std::fs::remove_dir_all(&state);
    let port = free_port()?;
    let keys = dev::new_keys()?;
    let wrangler = Wrangler::start(
        port,
        &state,
        Some(&root().join(format!("target/{name}-wrangler.log"))),
        &dev::local_vars(port, &keys),
    )?;
    let merchant = dev::seed(port, &keys)?;
    let mut keys = keys;
    keys.insert("merchant_id".to_owned(), merchant);
    Ok((wrangler, keys))
}

fn load() -> Result {
    tools::ensure_build_tools()?;
    tools::ensure_bench_tools()?;
    build::cli()?;
    build::bundle()?;
    let (wrangler, keys) = fresh_worker("bench")?;
    let port = wrangler.port;
    let base = wrangler.base_url();
    let auth = format!("Bearer {}", keys["merchant_key"]);
    let id = dev::create_session(port, &keys["merchant_key"], "19.99")?;

    let scripts = root().join("target/bench-scripts");
    std::fs::create_dir_all(&scripts).map_err(|e| e.to_string())?;
    let authed = scripts.join("authed.lua");
    std::fs::write(
        &authed,
        format!("wrk.headers[\"Authorization\"] = \"{auth}\"\n"),
    )
    .map_err(|e| e.to_string())?;
    let create = scripts.join("create.lua");
    std::fs::write(
        &create,
        format!(
            "wrk.method = \"POST\"\nwrk.body = '{{\"amount\":\"19.99\",\"currency\":\"EUR\"}}'\n\
             wrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"Authorization\"] = \"{auth}\"\n"
        ),
    )
    .map_err(|e| e.to_string())?;

    // A verified gateway webhook for that session, signed by the CLI with the demo
    // merchant's gateway secret: the first one pays, the rest are verified duplicates.
    let webhook_body = format!(
        r#"{{"event":"payment.succeeded","session_id":"{id}","amount":"19.99","currency":"EUR","reference":"bench","timestamp":{}}}"#,
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    );
    let signature = sign_with_cli(&keys["gateway_secret"], &webhook_body)?;
    let webhook = scripts.join("webhook.lua");
    std::fs::write(
        &webhook,
        format!(
            "wrk.method = \"POST\"\nwrk.body = '{webhook_body}'\n\
             wrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"X-Signature\"] = \"sha256={signature}\"\n"
        ),
    )
    .map_err(|e| e.to_string())?;

    let seconds = 10;
    let runs = [
        (
            "trivial route (GET /health/live), the baseline",
            "/health/live".to_owned(),
            None,
        ),
        (
            "a call to an account object that does nothing (GET /__dev/object)",
            format!("/__dev/object?merchant={}", keys["merchant_id"]),
            None,
        ),
        (
            "session status read (GET /v1/sessions/{id}/public)",
            format!("/v1/sessions/{id}/public"),
            None,
        ),
        (
            "session status read, authenticated (GET /gateway/status.php)",
            format!("/gateway/status.php?session_id={id}"),
            Some(authed.as_path()),
        ),
        (
            "session creation (POST /v1/sessions)",
            "/v1/sessions".to_owned(),
            Some(create.as_path()),
        ),
        (
            "verified gateway webhook (POST /api/webhook.php)",
            "/api/webhook.php".to_owned(),
            Some(webhook.as_path()),
        ),
    ];
    let mut results = Vec::new();
    for (what, path, script) in &runs {
        eprintln!("load: {what} for {seconds} s");
        results.push((what, wrk(&base, path, *script, seconds)?));
    }
    let notifications = merchant_notifications(port, &keys)?;
    drop(wrangler);
    let baseline = results[0].1.requests_per_sec;
    println!("\n| route under load (wrk, 8 connections, {seconds} s, loopback) | requests/s | ratio to baseline | p50 | p99 | non-2xx |");
    println!("|---|---|---|---|---|---|");
    for (what, r) in &results {
        println!(
            "| {what} | {:.0} | {:.2} | {:.2} ms | {:.2} ms | {} |",
            r.requests_per_sec,
            r.requests_per_sec / baseline,
            r.p50_ms,
            r.p99_ms,
            r.errors
        );
    }
    println!("\n| merchant webhooks (local receiver) | figure | ratio to baseline |");
    println!("|---|---|---|");
    println!(
        "| notifications delivered, {} sessions paid by 8 senders at once | {:.0} /s | {:.2} |",
        notifications.sessions,
        notifications.per_second,
        notifications.per_second / baseline
    );
    println!(
        "| verified payment webhook to the merchant's receiver, p50 / p99 ({} in turn) | {:.1} ms / {:.1} ms | |",
        notifications.latencies, notifications.p50_ms, notifications.p99_ms
    );
    let size = build::worker_gzip_size()?;
    println!(
        "\nworker bundle: {size} B gzip, {:.1}% of Cloudflare's 3 MiB free-plan limit",
        size as f64 * 100.0 / crate::test::WORKER_GZIP_LIMIT as f64
    );
    Ok(())
}

/// What the merchant-webhook part of the load run measured.
struct Notifications {
    sessions: usize,
    per_second: f64,
    latencies: usize,
    p50_ms: f64,
    p99_ms: f64,
}

/// A paid session's gateway webhook, signed by the CLI: (body, signature).
fn paid_webhook(keys: &BTreeMap<String, String>, session: &str) -> Result<(String, String)> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let body = format!(
        r#"{{"event":"payment.succeeded","session_id":"{session}","amount":"19.99","currency":"EUR","reference":"bench","timestamp":{now}}}"#
    );
    let signature = sign_with_cli(&keys["gateway_secret"], &body)?;
    Ok((body, signature))
}

/// Merchant webhooks, end to end: the demo merchant's endpoint is a receiver on
/// loopback. Latency: a session paid at a time, from sending its verified gateway
/// webhook to the receiver getting `session.paid`. Throughput: many sessions paid
/// at once, until the receiver has every notification.
fn merchant_notifications(port: u16, keys: &BTreeMap<String, String>) -> Result<Notifications> {
    use std::time::{Duration, Instant};
    let receiver = crate::receiver::Receiver::start(0)?;
    let key = &keys["merchant_key"];
    dev::set_webhook_endpoint(port, key, &receiver.url, "session.paid")?;
    let session = || dev::create_session(port, key, "19.99");
    let send = |body: &str, signature: &str| -> Result<()> {
        let sig = format!("sha256={signature}");
        match http(
            port,
            "POST",
            "/api/webhook.php",
            &[("Content-Type", "application/json"), ("X-Signature", &sig)],
            body,
        ) {
            Some((200, _)) => Ok(()),
            other => Err(format!("a payment webhook failed: {other:?}")),
        }
    };
    let wait = |done: &dyn Fn() -> bool| -> Result<()> {
        let started = Instant::now();
        while !done() {
            if started.elapsed() > Duration::from_secs(60) {
                return Err("the receiver did not get every notification within 60 s".into());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        Ok(())
    };
    // Latency, one at a time.
    let mut latencies = Vec::new();
    for _ in 0..30 {
        let id = session()?;
        let (body, signature) = paid_webhook(keys, &id)?;
        let sent = Instant::now();
        send(&body, &signature)?;
        wait(&|| receiver.arrival_of(&id).is_some())?;
        let arrived = receiver.arrival_of(&id).ok_or("lost")?;
        latencies.push(arrived.duration_since(sent).as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    // Throughput, all at once from 8 senders.
    let sessions = 120;
    let mut paid = Vec::new();
    for _ in 0..sessions {
        let id = session()?;
        paid.push(paid_webhook(keys, &id)?);
    }
    let before = receiver.count();
    let started = Instant::now();
    std::thread::scope(|scope| -> Result<()> {
        let handles: Vec<_> = paid
            .chunks(sessions / 8)
            .map(|chunk| scope.spawn(move || chunk.iter().try_for_each(|(b, s)| send(b, s))))
            .collect();
        for h in handles {
            h.join().map_err(|_| "a sender panicked")??;
        }
        Ok(())
    })?;
    wait(&|| receiver.count() >= before + sessions)?;
    let elapsed = receiver
        .last_arrival()
        .ok_or("nothing arrived")?
        .duration_since(started)
        .as_secs_f64();
    Ok(Notifications {
        sessions,
        per_second: sessions as f64 / elapsed,
        latencies: latencies.len(),
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
    })
}

/// Time from navigation start until every QR code is painted, in headless
/// Chromium, for 1 and 20 widgets, with and without a slow network and CPU; with
/// `--against DIR`, the same for the widget whose scripts are in DIR (ETN's
/// vendor-payment-widget), alternating between the two in one run, and the
/// ratios ours / theirs. Both are served by one local server (gzip, as a CDN
/// would); nothing of the other widget is kept in this repository.
fn widget() -> Result {
    tools::ensure_build_tools()?;
    build::widget()?;
    let args: Vec<String> = std::env::args().collect();
    let against = args
        .iter()
        .position(|a| a == "--against")
        .map(|i| {
            args.get(i + 1)
                .cloned()
                .ok_or("--against needs a folder holding the other widget's scripts")
        })
        .transpose()?;
    if let Some(dir) = &against {
        if !Path::new(dir).is_dir() {
            return Err(format!("--against {dir}: not a folder"));
        }
    }
    let chromium = crate::util::find_on_path("chromium").ok_or("chromium is not installed")?;
    let mut c = cmd("node");
    c.arg("tests/bench/widget.mjs")
        .env("OURS", root().join(build::ASSETS_DIR))
        .env("CHROMIUM", chromium);
    if let Some(dir) = against {
        c.env("AGAINST", dir);
    }
    exec(&mut c)
}

/// The dashboard's time to first meaningful content (the overview's figures),
/// cold cache, against the worker's plain sign-in page in the same run, with
/// and without a slow network and CPU (see `tests/bench/dashboard.mjs`).
fn dashboard() -> Result {
    chromium_bench("bench-dashboard", "tests/bench/dashboard.mjs")
}
