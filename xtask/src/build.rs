//! `cargo xtask build`: every artifact, and where it is.
//!
//! - the native CLI: `target/release/checkout`
//! - the widget: `build/assets/widget.js` + `widget_bg.wasm` (wasm-bindgen
//!   no-modules, so one classic script tag works; wasm-opt -Oz)
//! - the worker bundle: `worker/build/index.js` + `index_bg.wasm` (worker-build)
//! - static pages from `www/`, copied into `build/assets/` next to the widget;
//!   wrangler serves that folder (`[assets]` in wrangler.toml).

use std::path::{Path, PathBuf};

use crate::tools;
use crate::util::{cmd, exec, npm_bin, root, up_to_date, Result};

/// Where wrangler finds the static assets (must match wrangler.toml).
pub const ASSETS_DIR: &str = "build/assets";

pub fn run() -> Result {
    tools::ensure_build_tools()?;
    cli()?;
    bundle()?;
    let root = root();
    println!("\nartifacts:");
    println!(
        "  CLI            {}",
        root.join("target/release/checkout").display()
    );
    println!(
        "  widget         {}",
        root.join(ASSETS_DIR).join("widget.js").display()
    );
    println!(
        "                 {}",
        root.join(ASSETS_DIR).join("widget_bg.wasm").display()
    );
    println!(
        "  worker bundle  {}",
        root.join("worker/build/index.js").display()
    );
    println!(
        "                 {}",
        root.join("worker/build/index_bg.wasm").display()
    );
    println!("  static pages   {}", root.join(ASSETS_DIR).display());
    Ok(())
}

/// What wrangler ships; the `[build]` command of wrangler.toml.
pub fn worker_only() -> Result {
    tools::ensure_build_tools()?;
    bundle()
}

pub fn cli() -> Result {
    exec(cmd("cargo").args(["build", "--release", "--package", "checkout-cli"]))
}

/// The worker and its static assets, each rebuilt only when its sources changed.
pub fn bundle() -> Result {
    widget()?;
    pages()?;
    worker()
}

fn sources(crates: &[&str]) -> Vec<PathBuf> {
    let root = root();
    let mut inputs = vec![root.join("Cargo.toml"), root.join("Cargo.lock")];
    for c in crates {
        inputs.push(root.join(c).join("src"));
        inputs.push(root.join(c).join("Cargo.toml"));
    }
    inputs
}

/// wasm features rustc enables by default for wasm32, which wasm-opt must be told about.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub fn widget() -> Result {
    let root = root();
    let assets = root.join(ASSETS_DIR);
    let script = assets.join("widget.js");
    if up_to_date(&script, &sources(&["core", "widget"])) {
        eprintln!("widget is up to date");
        return Ok(());
    }
    exec(cmd("cargo").args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "--package",
        "checkout-widget",
    ]))?;
    let raw = root.join("target/wasm32-unknown-unknown/release/checkout_widget.wasm");
    let out = root.join("build/widget");
    exec(
        cmd("wasm-bindgen")
            .args([
                "--target",
                "no-modules",
                "--no-modules-global",
                "__edgeCheckout",
                "--no-typescript",
            ])
            .args(["--out-name", "widget", "--out-dir"])
            .arg(&out)
            .arg(&raw),
    )?;
    std::fs::create_dir_all(&assets).map_err(|e| e.to_string())?;
    exec(
        cmd(npm_bin("wasm-opt"))
            .arg("-Oz")
            .args(WASM_FEATURES)
            .arg(out.join("widget_bg.wasm"))
            .arg("-o")
            .arg(assets.join("widget_bg.wasm")),
    )?;
    // The glue finds widget_bg.wasm next to its own URL (document.currentScript),
    // which is only known while the script first runs: start it right away, inside
    // a function so that the page's globals stay untouched.
    let glue = std::fs::read_to_string(out.join("widget.js")).map_err(|e| e.to_string())?;
    let script_text = format!(
        "/*! Edge Checkout widget */\n(function () {{\n\
         var src = (document.currentScript && document.currentScript.src) || location.href;\n{glue}\n\
         __edgeCheckout().then(function () {{ __edgeCheckout.boot(src); }})\
         .catch(function (e) {{ console.error('Edge Checkout: the widget could not start:', e); }});\n}})();\n"
    );
    write(&script, &script_text)?;
    // A copy under the version, which never changes and may be cached for a year
    // (see www/_headers); /widget.js itself always serves the latest.
    let versioned = assets.join("v").join(env!("CARGO_PKG_VERSION"));
    std::fs::create_dir_all(&versioned).map_err(|e| e.to_string())?;
    for file in ["widget.js", "widget_bg.wasm"] {
        std::fs::copy(assets.join(file), versioned.join(file))
            .map_err(|e| format!("{file}: {e}"))?;
    }
    Ok(())
}

/// Copies `www/` into the assets folder.
fn pages() -> Result {
    let root = root();
    copy_dir(&root.join("www"), &root.join(ASSETS_DIR))
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

pub fn worker() -> Result {
    let root = root();
    if up_to_date(
        &root.join("worker/build/index.js"),
        &sources(&["core", "worker"]),
    ) {
        eprintln!("worker bundle is up to date");
        return Ok(());
    }
    // worker-build would otherwise download wasm-bindgen and wasm-opt from the internet.
    let mut c = cmd("worker-build");
    c.current_dir(root.join("worker"))
        .arg("--release")
        .env("WASM_BINDGEN_BIN", "wasm-bindgen")
        .env("WASM_OPT_BIN", npm_bin("wasm-opt"))
        .env("ESBUILD_BIN", npm_bin("esbuild"));
    exec(&mut c)
}

/// The worker bundle's size after gzip (what Cloudflare's limit counts).
pub fn worker_gzip_size() -> Result<u64> {
    let mut total = 0;
    for file in ["worker/build/index.js", "worker/build/index_bg.wasm"] {
        total += compressed_size(&root().join(file), "gzip")?;
    }
    Ok(total)
}

/// Compressed size at the level a CDN would use, measured with Python's standard
/// gzip and (if installed) brotli modules; 0 when brotli is not available.
pub fn compressed_size(path: &Path, algorithm: &str) -> Result<u64> {
    let script = match algorithm {
        "gzip" => "import gzip,sys;print(len(gzip.compress(open(sys.argv[1],'rb').read(),9)))",
        _ => "import sys\ntry:\n import brotli\nexcept ImportError:\n print(0);sys.exit()\nprint(len(brotli.compress(open(sys.argv[1],'rb').read(),quality=11)))",
    };
    let out = crate::util::output(cmd("python3").args(["-c", script]).arg(path))
        .ok_or_else(|| format!("cannot measure {algorithm} size of {}", path.display()))?;
    out.trim()
        .parse()
        .map_err(|_| format!("unexpected output {out:?}"))
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
