//! Runs the built worker under `wrangler dev`: the real workerd runtime, with KV
//! persisted on disk, on loopback only.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::{cmd, npm_bin, Result};

/// A running `wrangler dev`; stopped (with workerd) when dropped.
pub struct Wrangler {
    child: Child,
    pub port: u16,
}

impl Wrangler {
    /// Starts wrangler dev on `port` with KV under `persist_to`, and waits until
    /// `/health` answers. `log` receives wrangler's output.
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
        // Local-only settings and secrets, passed on the command line so that no
        // .dev.vars file is needed (or can leak into a commit).
        for (name, value) in vars {
            c.arg("--var").arg(format!("{name}:{value}"));
        }
        eprintln!("starting wrangler dev on 127.0.0.1:{port}");
        let child = c
            .spawn()
            .map_err(|e| format!("cannot start wrangler: {e}"))?;
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
        let group = format!("-{}", self.child.id());
        let _ = std::process::Command::new("kill")
            .args(["-TERM", "--", &group])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &group])
            .status();
        let _ = self.child.wait();
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
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}
