//! Runs the built worker under `wrangler dev`: the real workerd runtime, with KV
//! and Durable Objects persisted on disk, on loopback only.
//!
//! wrangler runs in a process group of its own (so that stopping it also stops
//! workerd); that group does not get the terminal's Ctrl-C, so xtask stops every
//! group it started itself, on SIGINT and SIGTERM ([`stop_on_signals`]) as on drop.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::util::{cmd, npm_bin, Result};

/// Process groups of the wrangler instances this xtask started and has not stopped.
static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Sends `signal` to a process group.
fn signal_group(group: u32, signal: &str) {
    let _ = std::process::Command::new("kill")
        .args([signal, "--", &format!("-{group}")])
        .stderr(Stdio::null())
        .status();
}

/// Every process descended from `pid`, from /proc (workerd may leave wrangler's
/// process group, so a crash must find it by parentage).
fn descendants(pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid ...: the command may hold spaces, so read after ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                parents.push((child, ppid));
            }
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    found.remove(0);
    found
}

/// Whether any process of a group is still alive.
fn group_alive(group: u32) -> bool {
    std::process::Command::new("kill")
        .args(["-0", "--", &format!("-{group}")])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// On SIGINT or SIGTERM, stops every wrangler (and its workerd) this xtask
/// started, then exits 130: Drop does not run on a signal.
pub fn stop_on_signals() {
    let installed = ctrlc::set_handler(|| {
        let groups: Vec<u32> = GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
        for group in &groups {
            signal_group(*group, "-TERM");
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while groups.iter().any(|g| group_alive(*g)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        for group in &groups {
            signal_group(*group, "-KILL");
        }
        eprintln!("xtask: stopped");
        std::process::exit(130);
    });
    if let Err(e) = installed {
        eprintln!("xtask: cannot handle Ctrl-C: {e}");
    }
}

/// A running `wrangler dev`; stopped (with workerd) when dropped.
pub struct Wrangler {
    child: Child,
    pub port: u16,
}

impl Wrangler {
    /// Starts wrangler dev on `port` with its state under `persist_to`, and waits
    /// until `/health` answers. `log` receives wrangler's output. `vars` (secrets
    /// among them) reach the worker through an env file only this user can read,
    /// never the command line, where `ps` would show them.
    pub fn start(
        port: u16,
        persist_to: &Path,
        log: Option<&Path>,
        vars: &[(&str, String)],
    ) -> Result<Wrangler> {
        let mut c = cmd(npm_bin("wrangler"));
        c.args([
            "dev",
            "--local",
            "--ip",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--test-scheduled",
        ])
        .arg("--persist-to")
        .arg(persist_to)
        .args([
            "--show-interactive-dev-session=false",
            "--log-level",
            "info",
        ])
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .stdin(Stdio::null())
        // Its own process group, so that stopping it also stops workerd.
        .process_group(0);
        if let Some(log) = log {
            let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
            let err = file.try_clone().map_err(|e| e.to_string())?;
            c.stdout(file).stderr(err);
        }
        // Local-only settings and secrets, in a file beside the state (ignored by
        // git, mode 0600), so that no .dev.vars file is needed or can leak.
        std::fs::create_dir_all(persist_to).map_err(|e| e.to_string())?;
        let env_file = persist_to.join("worker.env");
        let _ = std::fs::remove_file(&env_file);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&env_file)
            .map_err(|e| format!("{}: {e}", env_file.display()))?;
        for (name, value) in vars {
            writeln!(file, "{name}={value}").map_err(|e| e.to_string())?;
        }
        c.arg("--env-file").arg(&env_file);
        eprintln!("starting wrangler dev on 127.0.0.1:{port}");
        let child = c
            .spawn()
            .map_err(|e| format!("cannot start wrangler: {e}"))?;
        if let Ok(mut groups) = GROUPS.lock() {
            groups.push(child.id());
        }
        let mut wrangler = Wrangler { child, port };
        wrangler.wait_healthy(Duration::from_secs(240))?;
        Ok(wrangler)
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_healthy(&mut self, limit: Duration) -> Result {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("wrangler dev exited early with {status}"));
            }
            if let Some((200, _)) = http_get(self.port, "/health") {
                eprintln!(
                    "worker is up after {:.1} s",
                    started.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        Err(format!(
            "the worker did not answer /health within {} s",
            limit.as_secs()
        ))
    }

    /// Kills wrangler and workerd at once, as a crash would (SIGKILL).
    pub fn crash(self) {
        let tree = descendants(self.child.id());
        signal_group(self.child.id(), "-KILL");
        for pid in tree {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
        // Drop reaps the process and forgets the group.
    }

    /// Waits for wrangler to exit (for `cargo xtask dev`).
    pub fn wait(mut self) -> Result {
        let status = self.child.wait().map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("wrangler dev exited with {status}"))
        }
    }
}

impl Drop for Wrangler {
    fn drop(&mut self) {
        let group = self.child.id();
        signal_group(group, "-TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && group_alive(group) {
            let _ = self.child.try_wait();
            std::thread::sleep(Duration::from_millis(100));
        }
        signal_group(group, "-KILL");
        let _ = self.child.wait();
        if let Ok(mut groups) = GROUPS.lock() {
            groups.retain(|g| *g != group);
        }
    }
}

/// A free TCP port on loopback.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// A minimal HTTP/1.1 GET on loopback: (status, body).
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    http(port, "GET", path, &[], "")
}

/// A minimal HTTP/1.1 request on loopback: (status, body). Enough for health
/// checks and seeding, without an HTTP client dependency in xtask.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    write!(stream, "{head}\r\n{body}").ok()?;
    // Read the head, then as many bytes as Content-Length says: the server may
    // keep the connection open for seconds despite `Connection: close`.
    let mut response = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        response.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&response);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            });
            if length.is_some_and(|length| body.len() >= length) {
                break;
            }
        }
    }
    let response = String::from_utf8_lossy(&response);
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}
