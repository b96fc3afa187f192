//! Small helpers shared by the tasks: running commands, paths, timing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// A command that runs from the workspace root.
pub fn cmd(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    c
}

/// Runs a command, inheriting stdio, and fails with its name if it fails.
pub fn exec(c: &mut Command) -> Result {
    let shown = describe(c);
    eprintln!("$ {shown}");
    let status = c
        .status()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed with {status}"))
    }
}

/// Runs a command quietly and returns its stdout, or `None` if it cannot run or fails.
pub fn output(c: &mut Command) -> Option<String> {
    let out = c.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for arg in c.get_args() {
        s.push(' ');
        s.push_str(&arg.to_string_lossy());
    }
    s
}

/// Whether a program can be found on PATH.
pub fn on_path(program: &str) -> bool {
    find_on_path(program).is_some()
}

/// The full path of a program on PATH.
pub fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// A program installed by npm into `node_modules/.bin`.
pub fn npm_bin(name: &str) -> PathBuf {
    root().join("node_modules").join(".bin").join(name)
}

/// Records how long each phase of a task took and prints the table at the end.
pub struct Phases {
    started: Instant,
    done: Vec<(String, Duration, bool)>,
}

impl Phases {
    pub fn new() -> Phases {
        Phases {
            started: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Runs one phase, printing a banner before and recording its time after.
    pub fn run(&mut self, name: &str, f: impl FnOnce() -> Result) -> Result {
        eprintln!("\n==> {name}");
        let t = Instant::now();
        let result = f();
        self.done
            .push((name.to_owned(), t.elapsed(), result.is_ok()));
        result.map_err(|e| format!("{name}: {e}"))
    }

    pub fn print(&self) {
        eprintln!("\nphase times:");
        for (name, time, ok) in &self.done {
            eprintln!(
                "  {:<44} {:>7.1} s {}",
                name,
                time.as_secs_f64(),
                if *ok { "" } else { "FAILED" }
            );
        }
        eprintln!(
            "  {:<44} {:>7.1} s",
            "total",
            self.started.elapsed().as_secs_f64()
        );
    }
}

/// The newest modification time among files under `paths` (recursively).
pub fn newest_mtime(paths: &[PathBuf]) -> Option<std::time::SystemTime> {
    let mut newest = None;
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&p) {
                stack.extend(entries.flatten().map(|e| e.path()));
            }
        } else if let Ok(m) = meta.modified() {
            newest = newest.max(Some(m));
        }
    }
    newest
}

/// Whether `output` exists and is newer than every file under `inputs`.
pub fn up_to_date(output: &Path, inputs: &[PathBuf]) -> bool {
    let Ok(out) = std::fs::metadata(output).and_then(|m| m.modified()) else {
        return false;
    };
    newest_mtime(inputs).is_some_and(|newest| newest <= out)
}
