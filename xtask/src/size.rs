//! `cargo xtask size`: what each crate costs in the widget's wasm, measured with
//! twiggy on the wasm-bindgen output (before wasm-opt, whose -Oz shrinks every part
//! and strips the names this analysis needs), next to the shipped size of
//! `widget.js` (the one file a page downloads, with the wasm inside).

use std::collections::BTreeMap;

use crate::build;
use crate::util::{cmd, exec, output, root, Result};

const TWIGGY_VERSION: &str = "0.8.0";

pub fn run() -> Result {
    crate::tools::ensure_build_tools()?;
    let current = output(cmd("twiggy").arg("--version")).unwrap_or_default();
    if !current.contains(TWIGGY_VERSION) {
        exec(cmd("cargo").args(["install", "twiggy", "--version", TWIGGY_VERSION, "--locked"]))?;
    }
    build::widget()?;
    let wasm = root().join("build/widget/widget_bg.wasm");
    let csv = output(
        cmd("twiggy")
            .args(["top", "-n", "100000", "--format", "csv"])
            .arg(&wasm),
    )
    .ok_or("twiggy failed")?;
    let mut by_crate: BTreeMap<String, u64> = BTreeMap::new();
    let mut total = 0;
    for line in csv.lines().skip(1) {
        // Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent
        let fields: Vec<&str> = line.rsplitn(5, ',').collect();
        let (Some(size), Some(name)) = (fields.get(3), fields.get(4)) else {
            continue;
        };
        let Ok(size) = size.parse::<u64>() else {
            continue;
        };
        if name.contains("function names") {
            continue; // stripped by wasm-opt; not shipped
        }
        total += size;
        *by_crate.entry(owner(name)).or_default() += size;
    }
    let mut rows: Vec<_> = by_crate.into_iter().collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.1));
    println!("\n| part of widget_bg.wasm (before wasm-opt) | bytes | share |");
    println!("|---|---|---|");
    for (name, size) in rows.iter().take(14) {
        println!(
            "| {name} | {size} | {:.1}% |",
            *size as f64 * 100.0 / total as f64
        );
    }
    let shipped = root().join(build::ASSETS_DIR);
    for file in build::WIDGET_PAGE_FILES {
        let path = shipped.join(file);
        println!(
            "\nshipped {file}: {} B gzip, {} B brotli",
            build::compressed_size(&path, "gzip")?,
            build::compressed_size(&path, "brotli")?
        );
    }
    Ok(())
}

/// The crate an item belongs to (`core`, `qrcode`...), or its section.
fn owner(name: &str) -> String {
    let name = name.trim_matches('"');
    if name.starts_with("data segment") {
        return "static data (strings: translations, CSS; tables)".to_owned();
    }
    let start = name
        .trim_start_matches(['<', '(', '&', '*', ' '])
        .trim_start_matches("dyn ");
    let krate: String = start
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match krate.as_str() {
        "core" | "alloc" | "std" | "__rustc" | "char" | "str" | "u8" | "u32" | "usize" | "i64" => {
            "Rust std (core, alloc: formatting, strings)".to_owned()
        }
        "" => "other".to_owned(),
        "import" | "export" | "type" | "elem" => "wasm imports/exports/types".to_owned(),
        k => k.to_owned(),
    }
}
