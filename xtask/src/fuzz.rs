//! `cargo xtask fuzz [SECONDS]`: every cargo-fuzz target in `fuzz/`, in turn.
//!
//! cargo-fuzz needs a nightly toolchain; these machines carry one. Crashes land in
//! `fuzz/artifacts/<target>/` and fail the task.

use crate::tools;
use crate::util::{cmd, exec, output, root, Result};

fn targets() -> Result<Vec<String>> {
    let list = output(
        cmd("cargo")
            .args(["+nightly", "fuzz", "list"])
            .current_dir(root().join("fuzz")),
    )
    .ok_or("`cargo fuzz list` failed")?;
    Ok(list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Runs each target for `seconds`.
pub fn run(seconds: u64) -> Result {
    if !tools::ensure_fuzz_tools()? {
        return Err("fuzzing needs a nightly toolchain, which this machine does not have".into());
    }
    for target in targets()? {
        fuzz_one(&target, seconds)?;
    }
    Ok(())
}

/// Builds every target and runs each briefly: part of `cargo xtask test`.
pub fn smoke(seconds: u64) -> Result {
    if !tools::ensure_fuzz_tools()? {
        eprintln!("skipping the fuzz smoke run: no nightly toolchain");
        return Ok(());
    }
    exec(
        cmd("cargo")
            .args(["+nightly", "fuzz", "build"])
            .current_dir(root().join("fuzz")),
    )?;
    for target in targets()? {
        fuzz_one(&target, seconds)?;
    }
    Ok(())
}

fn fuzz_one(target: &str, seconds: u64) -> Result {
    let corpus = root().join("fuzz/corpus").join(target);
    std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
    exec(
        cmd("cargo")
            .args(["+nightly", "fuzz", "run", target])
            .arg(&corpus)
            .arg(root().join("fuzz/seeds"))
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                "-print_final_stats=0",
            ])
            .current_dir(root().join("fuzz")),
    )
}
