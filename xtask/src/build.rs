//! `cargo xtask build`: every artifact, and where it is.
//!
//! - the native CLI: `target/release/checkout`
//! - the widget: `build/assets/widget.js`, one script with the wasm inside
//!   (wasm-bindgen no-modules, so one classic script tag works; wasm-opt -Oz;
//!   esbuild --minify); `widget_bg.wasm` beside it is the same module
//! - the worker bundle: `worker/build/index.js` + `index_bg.wasm` (worker-build)
//! - the merchant dashboard: `build/assets/dashboard/` (index.html, boot.js,
//!   dashboard.css, icon.svg from `dashboard/static/`; dashboard.js and
//!   dashboard_bg.wasm from wasm-bindgen `--target web`, wasm-opt -Oz, esbuild)
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
    println!(
        "  dashboard      {}",
        root.join(ASSETS_DIR).join("dashboard").display()
    );
    println!("  static pages   {}", root.join(ASSETS_DIR).display());
    Ok(())
}

/// What wrangler ships; the `[build]` command of wrangler.toml.
pub fn worker_only() -> Result {
    tools::ensure_build_tools()?;
    bundle()
}

/// `cargo xtask build-dashboard`: the dashboard alone, for a quick loop.
pub fn dashboard_only() -> Result {
    tools::ensure_build_tools()?;
    dashboard()
}

pub fn cli() -> Result {
    exec(cmd("cargo").args(["build", "--release", "--package", "checkout-cli"]))
}

/// The worker and its static assets, each rebuilt only when its sources changed.
pub fn bundle() -> Result {
    widget()?;
    dashboard()?;
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

/// What a page downloads for the widget: one script, with the wasm inside.
pub const WIDGET_PAGE_FILES: &[&str] = &["widget.js"];

/// The widget, as one script: wasm-bindgen's glue (loader replaced, import and
/// export names minified, then minified by esbuild) with the optimised wasm
/// inside it as a string. One request instead of two: on a phone on a slow
/// link the second round trip alone costs more than the widget's own code.
/// `widget_bg.wasm` is still written next to it (the same module), for the old
/// URL; no page needs it.
pub fn widget() -> Result {
    let root = root();
    let assets = root.join(ASSETS_DIR);
    let script = assets.join("widget.js");
    let mut inputs = sources(&["core", "widget"]);
    inputs.push(root.join("xtask/src/build.rs"));
    if up_to_date(&script, &inputs) {
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
    let optimised = out.join("widget_opt.wasm");
    exec(
        cmd(npm_bin("wasm-opt"))
            .args(["-Oz", "--converge"])
            .args(WASM_FEATURES)
            .arg(out.join("widget_bg.wasm"))
            .arg("-o")
            .arg(&optimised),
    )?;
    // Short import and export names (`a`, `Ba`...) instead of wasm-bindgen's
    // hashed ones, in the wasm and in the glue alike: 1.8 KB of gzip.
    let wasm = assets.join("widget_bg.wasm");
    let map = crate::util::output(
        cmd(npm_bin("wasm-opt"))
            .args([
                "--minify-imports-and-exports-and-modules",
                "--strip-producers",
                "--strip-target-features",
            ])
            .args(WASM_FEATURES)
            .arg(&optimised)
            .arg("-o")
            .arg(&wasm),
    )
    .ok_or("wasm-opt could not minify the widget's import names")?;
    let glue = std::fs::read_to_string(out.join("widget.js")).map_err(|e| e.to_string())?;
    let glue = rename_wasm_names(&glue, &map)?;
    let glue = replace_loader(&glue)?;
    // The glue finds nothing by URL any more; the bootstrap still captures the
    // script's own URL (document.currentScript, only set while it first runs)
    // for live mode, inside a function so that the page's globals stay untouched.
    let wrapped = format!(
        "(function () {{\nvar src = (document.currentScript && document.currentScript.src) || location.href;\n{glue}\n\
         __edgeCheckout(__EDGE_CHECKOUT_WASM__).then(function () {{ __edgeCheckout.boot(src); }})\
         .catch(function (e) {{ console.error('Edge Checkout: the widget could not start:', e); }});\n}})();\n"
    );
    let unminified = out.join("widget.full.js");
    write(&unminified, &wrapped)?;
    let minified = out.join("widget.min.js");
    exec(
        cmd(npm_bin("esbuild"))
            .arg(&unminified)
            .args(["--minify", "--log-level=warning"])
            .arg(format!("--outfile={}", minified.display())),
    )?;
    let minified = std::fs::read_to_string(&minified).map_err(|e| e.to_string())?;
    let bytes = std::fs::read(&wasm).map_err(|e| e.to_string())?;
    let embedded = format!(
        "(function(s){{for(var u=new Uint8Array(s.length),i=0;i<s.length;i++)u[i]=s.charCodeAt(i);return u}})(\"{}\")",
        js_latin1_string(&bytes)
    );
    if minified.matches("__EDGE_CHECKOUT_WASM__").count() != 1 {
        return Err("the minified glue lost the wasm placeholder".into());
    }
    // The UTF-8 byte order mark makes browsers read the script as UTF-8
    // whatever the page's own encoding, which the embedded string relies on.
    let script_text = format!(
        "\u{feff}/*! Edge Checkout widget {} */\n{}",
        env!("CARGO_PKG_VERSION"),
        minified.replacen("__EDGE_CHECKOUT_WASM__", &embedded, 1)
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

/// Everything a browser downloads to show the dashboard, in
/// `build/assets/dashboard/` (the contract with the worker, which serves them
/// under `/dashboard/`). Every file is fetched on first load.
pub const DASHBOARD_FILES: &[&str] = &[
    "index.html",
    "dashboard.css",
    "boot.js",
    "dashboard.js",
    "dashboard_bg.wasm",
    "icon.svg",
];

/// The merchant dashboard, without trunk (which would download wasm-bindgen
/// from GitHub): cargo for wasm32, wasm-bindgen `--target web` (an ES module
/// that boot.js imports), wasm-opt -Oz, esbuild --minify for the glue; the
/// HTML shell, the stylesheet, boot.js and the icon are copied from
/// `dashboard/static/`. Skipped when nothing it is made from changed.
pub fn dashboard() -> Result {
    let root = root();
    let out_dir = root.join(ASSETS_DIR).join("dashboard");
    let wasm = out_dir.join("dashboard_bg.wasm");
    let mut inputs = sources(&["core", "api", "dashboard"]);
    inputs.push(root.join("dashboard/static"));
    inputs.push(root.join("xtask/src/build.rs"));
    if up_to_date(&wasm, &inputs) && DASHBOARD_FILES.iter().all(|f| out_dir.join(f).exists()) {
        eprintln!("dashboard is up to date");
        return Ok(());
    }
    // `--cfg erase_components` makes Leptos type-erase each component's view:
    // 11 % less gzip than fully typed views (measured: 384 -> 341 KB), for a
    // little dynamic dispatch that a dashboard never notices. The profile of
    // its own keeps these flags' build apart from the widget's.
    exec(
        cmd("cargo")
            .args([
                "build",
                "--profile",
                "dashboard",
                "--target",
                "wasm32-unknown-unknown",
                "--package",
                "checkout-dashboard",
            ])
            .env("RUSTFLAGS", "--cfg erase_components"),
    )?;
    let raw = root.join("target/wasm32-unknown-unknown/dashboard/checkout_dashboard.wasm");
    let work = root.join("build/dashboard");
    exec(
        cmd("wasm-bindgen")
            .args(["--target", "web", "--no-typescript"])
            .args(["--out-name", "dashboard", "--out-dir"])
            .arg(&work)
            .arg(&raw),
    )?;
    // The static files first: the wasm is written last, so that its time is
    // what "up to date" compares, and a failed build is never "up to date".
    let _ = std::fs::remove_dir_all(&out_dir);
    copy_dir(&root.join("dashboard/static"), &out_dir)?;
    exec(
        cmd(npm_bin("esbuild"))
            .arg(work.join("dashboard.js"))
            .args(["--minify", "--format=esm", "--log-level=warning"])
            .arg(format!(
                "--outfile={}",
                out_dir.join("dashboard.js").display()
            )),
    )?;
    exec(
        cmd(npm_bin("wasm-opt"))
            .args(["-Oz", "--converge", "--strip-producers", "--strip-debug"])
            .args(WASM_FEATURES)
            .arg(work.join("dashboard_bg.wasm"))
            .arg("-o")
            .arg(&wasm),
    )?;
    for file in DASHBOARD_FILES {
        if !out_dir.join(file).exists() {
            return Err(format!("the dashboard build did not produce {file}"));
        }
    }
    Ok(())
}

/// Bytes as a JS string literal of the characters U+0000 to U+00FF, written as
/// UTF-8: gzip still sees the wasm's byte patterns (base64 would cost 9 KB of
/// gzip more, `\xNN` escapes 5 KB).
fn js_latin1_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 5 / 4);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            // `\0` before a digit would read as an octal escape.
            0 if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => out.push_str("\\x00"),
            0 => out.push_str("\\0"),
            b => out.push(char::from(b)),
        }
    }
    out
}

/// Applies wasm-opt's map of minified names (`["module", "old", "new"]` for
/// imports, `["old", "new"]` for exports; printed as JSON, one pair a line) to
/// the glue: import object keys, its module name, and `wasm.<export>` uses.
fn rename_wasm_names(glue: &str, map: &str) -> Result<String> {
    let mut glue = glue.to_owned();
    // Only the first map counts; wasm-opt prints it once per run.
    let first = map.split("\n}").next().unwrap_or("");
    let mut renamed = 0;
    for line in first.lines() {
        let fields: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        match fields[..] {
            [module, old, new] => {
                let key = format!("{old}: function");
                if !glue.contains(&key) {
                    return Err(format!("the widget glue has no import {old}"));
                }
                glue = glue.replace(&key, &format!("{new}: function"));
                glue = glue.replace(&format!("\"{module}\": import0"), "\"a\": import0");
                renamed += 1;
            }
            [old, new] => {
                glue = replace_member(&glue, &format!("wasm.{old}"), &format!("wasm.{new}"));
                renamed += 1;
            }
            _ => {}
        }
    }
    if renamed == 0 {
        return Err("wasm-opt printed no name map".into());
    }
    Ok(glue)
}

/// Replaces `old` where the next character does not continue an identifier.
fn replace_member(text: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(old) {
        let after = &rest[i + old.len()..];
        let continues = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        out.push_str(&rest[..i]);
        out.push_str(if continues { old } else { new });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// wasm-bindgen's loader fetches `widget_bg.wasm` by URL, with fallbacks for
/// wrong MIME types and deprecated arguments; the widget hands it the bytes, so
/// that part becomes one `WebAssembly.instantiate`.
fn replace_loader(glue: &str) -> Result<String> {
    let start = glue
        .find("async function __wbg_load(")
        .ok_or("the widget glue has no __wbg_load (wasm-bindgen changed?)")?;
    let end_marker = "return Object.assign(__wbg_init, { initSync }, exports);";
    let end = glue
        .find(end_marker)
        .ok_or("the widget glue has no Object.assign(__wbg_init...) (wasm-bindgen changed?)")?;
    let mut out = String::with_capacity(glue.len());
    out.push_str(&glue[..start]);
    out.push_str(
        "return Object.assign(function (bytes) {\n\
         return WebAssembly.instantiate(bytes, __wbg_get_imports()).then(function (r) {\n\
         __wbg_finalize_init(r.instance, r.module); return exports; });\n}, exports);",
    );
    out.push_str(&glue[end + end_marker.len()..]);
    // The glue's own guess at its URL is not used.
    Ok(out.replace(
        "if (typeof document !== 'undefined' && document.currentScript !== null) {\n        script_src = new URL(document.currentScript.src, location.href).toString();\n    }",
        "",
    ))
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

/// The worker bundle's size after gzip (what Cloudflare's limit counts): the
/// entry module wrangler starts from and worker-build's files it imports.
pub fn worker_gzip_size() -> Result<u64> {
    let mut total = 0;
    for file in [
        "worker/entry.js",
        "worker/build/index.js",
        "worker/build/index_bg.wasm",
    ] {
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
