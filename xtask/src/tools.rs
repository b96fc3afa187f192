//! Installs the tools the build and tests need, from the package registries only,
//! skipping whatever is already present.
//!
//! Versions are pinned where the build depends on them: wasm-bindgen-cli must equal
//! the `wasm-bindgen` crate in Cargo.lock, worker-build must speak to worker 0.8,
//! and npm installs exactly what package-lock.json records.

use std::path::Path;

use crate::util::{cmd, exec, npm_bin, on_path, output, root, up_to_date, Result};

pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const WORKER_BUILD_VERSION: &str = "0.8.7";
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Debian packages, as (package, a file that shows it is installed).
const APT_PACKAGES: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("php-cli", "/usr/bin/php"),
    ("zbar-tools", "/usr/bin/zbarimg"),
    ("librsvg2-bin", "/usr/bin/rsvg-convert"),
    ("poppler-utils", "/usr/bin/pdftotext"),
    ("pkg-config", "/usr/bin/pkg-config"),
    ("libssl-dev", "/usr/include/openssl/ssl.h"),
];

/// Python packages the tests use as independent oracles.
const PIP_PACKAGES: &[(&str, &str)] = &[
    ("standardwebhooks==1.1.0", "standardwebhooks"),
    ("brotli==1.2.1", "brotli"),
];

/// Everything `build` needs: the wasm target, wasm-bindgen, worker-build, npm tools.
pub fn ensure_build_tools() -> Result {
    ensure_wasm_target()?;
    ensure_apt()?;
    ensure_cargo_tool("wasm-bindgen-cli", WASM_BINDGEN_VERSION, "wasm-bindgen")?;
    ensure_cargo_tool("worker-build", WORKER_BUILD_VERSION, "worker-build")?;
    ensure_npm()
}

/// Everything `test` needs on top of the build tools.
pub fn ensure_test_tools() -> Result {
    ensure_build_tools()?;
    ensure_pip()
}

fn ensure_wasm_target() -> Result {
    let installed =
        output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    exec(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_apt() -> Result {
    ensure_apt_packages(APT_PACKAGES)
}

/// wrk, the HTTP load generator of `cargo xtask bench`.
pub fn ensure_bench_tools() -> Result {
    ensure_apt_packages(&[("wrk", "/usr/bin/wrk")])
}

/// Installs the Debian packages whose marker file is missing (as root, or with sudo).
fn ensure_apt_packages(packages: &[(&str, &str)]) -> Result {
    let missing: Vec<&str> = packages
        .iter()
        .filter(|(_, file)| !Path::new(file).exists())
        .map(|(pkg, _)| *pkg)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let as_root =
        output(std::process::Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
    let apt = |args: &[&str]| {
        let mut c = if as_root { cmd("apt-get") } else { cmd("sudo") };
        if !as_root {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    eprintln!("installing Debian packages: {}", missing.join(" "));
    exec(&mut apt(&["update", "-qq"]))?;
    exec(apt(&["install", "-y", "-qq", "--no-install-recommends"]).args(&missing))
}

/// `cargo install NAME --version V`, unless `BIN --version` already prints V.
fn ensure_cargo_tool(name: &str, version: &str, bin: &str) -> Result {
    let current = output(cmd(bin).arg("--version")).unwrap_or_default();
    if current
        .split_whitespace()
        .any(|word| word.trim_start_matches('v') == version)
    {
        return Ok(());
    }
    eprintln!("installing {name} {version} (a few minutes, once)");
    // --locked reproduces the tool's own lock file; if the registry has since
    // yanked one of its pins, fall back to the newest compatible versions.
    let locked = exec(cmd("cargo").args(["install", name, "--version", version, "--locked"]));
    if locked.is_err() {
        eprintln!("`cargo install --locked` failed; retrying without --locked");
        exec(cmd("cargo").args(["install", name, "--version", version]))?;
    }
    Ok(())
}

/// `npm ci` from the committed package-lock.json, unless node_modules is newer than it.
fn ensure_npm() -> Result {
    let installed = root().join("node_modules/.package-lock.json");
    if up_to_date(&installed, &[root().join("package-lock.json")]) && npm_bin("wrangler").exists() {
        return Ok(());
    }
    if !on_path("npm") {
        return Err("npm is not installed; install Node.js 20 and npm".into());
    }
    exec(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))
}

fn ensure_pip() -> Result {
    for (requirement, module) in PIP_PACKAGES {
        let present = output(cmd("python3").args(["-c", &format!("import {module}")])).is_some();
        if !present {
            exec(cmd("python3").args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                requirement,
            ]))?;
        }
    }
    Ok(())
}

/// cargo-fuzz, and whether a nightly toolchain is there to run it.
pub fn ensure_fuzz_tools() -> Result<bool> {
    let toolchains = output(cmd("rustup").args(["toolchain", "list"])).unwrap_or_default();
    if !toolchains.lines().any(|l| l.starts_with("nightly")) {
        eprintln!(
            "no nightly toolchain on this machine: cargo-fuzz needs one (`rustup toolchain list`)"
        );
        return Ok(false);
    }
    let current = output(cmd("cargo").args(["fuzz", "--version"])).unwrap_or_default();
    if !current.contains(CARGO_FUZZ_VERSION) {
        let locked = exec(cmd("cargo").args([
            "install",
            "cargo-fuzz",
            "--version",
            CARGO_FUZZ_VERSION,
            "--locked",
        ]));
        if locked.is_err() {
            exec(cmd("cargo").args(["install", "cargo-fuzz", "--version", CARGO_FUZZ_VERSION]))?;
        }
    }
    Ok(true)
}
