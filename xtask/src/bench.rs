//! `cargo xtask bench`: criterion benchmarks of core, with peer crates measured in
//! the same run, printed as ratios (machines are shared and noisy: only ratios
//! measured side by side mean anything).

use std::path::Path;

use crate::util::{cmd, exec, root, Result};

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

pub fn run() -> Result {
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
