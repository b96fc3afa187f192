//! `cargo xtask`: the project's own build tool (matklad's convention).
//!
//! One file per task; `main` is one match. Every task first installs what is
//! missing (see `tools.rs`) and skips what is already there, so that a fresh
//! machine needs nothing but these commands, and a second run starts at once.

mod bench;
mod build;
mod dev;
mod fuzz;
#[cfg(test)]
mod layers;
mod receiver;
mod restart;
mod size;
mod test;
mod tools;
mod util;
mod wrangler;

use std::process::ExitCode;

const TASKS: &str = "\
Usage: cargo xtask <TASK>

Tasks:
  dev            install what is missing, build everything, run the worker under
                 wrangler dev (KV and Durable Objects on disk, demo merchant) and
                 print its URLs; PORT (8787) and DEV_STATE (.wrangler/dev-state)
                 change where; Ctrl-C stops it and workerd
  test           install what is missing, then run every test: native, wasm in
                 headless Chromium, end-to-end against workerd; prints phase times
  e2e [ARGS]     build, then only the end-to-end tests against workerd (HTTP in
                 Rust, pages in Chromium); ARGS go to `cargo test` and narrow the
                 Rust tests (`--test merchant_webhooks`, a name), skipping pages;
                 `--pages [FILE...]` runs the page tests only (`--pages
                 dashboard.test.mjs`)
  build          build every artifact (native CLI, widget, dashboard, worker
                 bundle) and print where each one is
  bench [core|load|widget [--against DIR]|dashboard|page|budget|live]
                 criterion benchmarks of core as ratios against peer crates, a load
                 run against the worker in workerd as ratios to a trivial route, and
                 the widget's time to every QR code in Chromium (1 and 20 widgets);
                 --against DIR times another widget's scripts (from DIR) in the
                 same run and prints ours / theirs; the dashboard's time to its
                 first meaningful content as a ratio to the plain sign-in page;
                 the hosted page's first paint on a slow phone against the page
                 it replaced (page);
                 what one paid session of each dialect costs of Cloudflare's free
                 plan (budget); how soon a waiting shopper sees it paid, over the
                 WebSocket and by polling alone (live)
  fuzz [SECONDS] run every fuzz target for SECONDS each (default 60)
  size           what each crate costs in the widget's wasm (twiggy)
  build-worker   build the worker bundle only (wrangler's [build] command)
  build-dashboard
                 build the dashboard only (build/assets/dashboard/)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    wrangler::stop_on_signals();
    // `--help` anywhere asks for the list of tasks, never runs one (`cargo
    // xtask dev --help` used to start the worker). `e2e` passes its own
    // arguments on to cargo, so it keeps them.
    let asks_help = |a: &String| a == "--help" || a == "-h";
    if args.first().is_some_and(|t| t != "e2e") && args.iter().skip(1).any(asks_help) {
        print!("{TASKS}");
        return ExitCode::SUCCESS;
    }
    let result = match args.first().map(String::as_str) {
        None | Some("help" | "--help" | "-h") => {
            print!("{TASKS}");
            return ExitCode::SUCCESS;
        }
        Some("dev") => dev::run(),
        Some("test") => test::run(),
        Some("e2e") => test::end_to_end_only(&args[1..]),
        Some("build") => build::run(),
        Some("bench") => bench::run(args.get(1).map(String::as_str)),
        Some("fuzz") => match args.get(1).map(|s| s.parse::<u64>()) {
            None => fuzz::run(60),
            Some(Ok(seconds)) => fuzz::run(seconds),
            Some(Err(_)) => Err(format!(
                "fuzz: SECONDS must be a whole number, got {:?}",
                args[1]
            )),
        },
        Some("build-worker") => build::worker_only(),
        Some("build-dashboard") => build::dashboard_only(),
        Some("size") => size::run(),
        Some(other) => {
            eprint!("xtask: unknown task {other:?}\n\n{TASKS}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
