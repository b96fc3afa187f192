//! A phase of `cargo xtask test`: a webhook survives the worker crashing between
//! two attempts. A loopback receiver fails the first three attempts; the worker
//! (wrangler and workerd) is killed with SIGKILL while the next is scheduled and
//! started again on the same state; the cron's sweep (or the restored alarm)
//! sends it, and the history shows every attempt.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::util::{root, Result};
use crate::wrangler::{free_port, http, Wrangler};
use crate::{dev, dev::local_vars};

/// A receiver that answers 503 to its first `failures` requests, then 200.
fn receiver(failures: usize) -> Result<(String, Arc<AtomicUsize>)> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            // Headers, then the body its Content-Length announces.
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request);
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length = head
                        .lines()
                        .find_map(|l| {
                            let (name, value) = l.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    if body.len() >= length {
                        break;
                    }
                }
            }
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let status = if n < failures {
                "503 Service Unavailable"
            } else {
                "200 OK"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            );
        }
    });
    Ok((format!("http://127.0.0.1:{port}/hooks"), count))
}

fn wait_until(what: &str, within: Duration, mut done: impl FnMut() -> bool) -> Result {
    let started = Instant::now();
    while !done() {
        if started.elapsed() > within {
            return Err(format!(
                "{what} did not happen within {} s",
                within.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

pub fn webhooks_survive_a_crash() -> Result {
    let state = root().join("target/restart-state");
    let _ = std::fs::remove_dir_all(&state);
    let log = root().join("artifacts/restart-wrangler.log");
    let port = free_port()?;
    let keys = dev::new_keys()?;
    let mut vars = local_vars(port, &keys);
    // Compressed 100 times: the retries after a failure come at 50 ms, 3 s, then
    // 18 s (±20 %): the crash falls between the third attempt and the fourth.
    vars.push(("WEBHOOK_TIME_SCALE", "0.01".to_owned()));
    let (url, received) = receiver(3)?;
    let wrangler = Wrangler::start(port, &state, Some(&log), &vars)?;
    dev::seed(port, &keys)?;
    let auth = format!("Bearer {}", keys["merchant_key"]);
    let json = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    let config = format!(r#"{{"url":"{url}","event_types":["session.created"]}}"#);
    match http(port, "PUT", "/api/v2/webhooks/config", &json, &config) {
        Some((200, _)) => {}
        other => return Err(format!("configuring the endpoint failed: {other:?}")),
    }
    let (status, body) = http(
        port,
        "POST",
        "/v1/sessions",
        &json,
        r#"{"amount":"1.00","currency":"EUR"}"#,
    )
    .ok_or("creating a session failed")?;
    if status != 201 {
        return Err(format!("creating a session answered {status}: {body}"));
    }
    wait_until("three failed attempts", Duration::from_secs(30), || {
        received.load(Ordering::SeqCst) >= 3
    })?;
    // Let the object record the third failure and schedule the fourth, then crash.
    std::thread::sleep(Duration::from_millis(500));
    wrangler.crash();
    eprintln!(
        "  worker killed after {} attempts; restarting",
        received.load(Ordering::SeqCst)
    );
    let wrangler = Wrangler::start(
        port,
        &state,
        Some(&root().join("artifacts/restart-wrangler-2.log")),
        &vars,
    )?;
    let delivered = wait_until(
        "the delivery after the restart",
        Duration::from_secs(60),
        || {
            // The sweep re-arms the object if its alarm was lost.
            let _ = http(port, "GET", "/__scheduled?cron=*+*+*+*+*", &[], "");
            received.load(Ordering::SeqCst) >= 4
        },
    );
    let history = http(
        port,
        "GET",
        "/api/v2/webhooks/events",
        &[("Authorization", auth.as_str())],
        "",
    );
    drop(wrangler);
    delivered?;
    let (_, history) = history.ok_or("reading the history failed")?;
    if !history.contains("\"status\":\"delivered\"") {
        return Err(format!("the history does not show the delivery: {history}"));
    }
    eprintln!(
        "  delivered after the restart, attempt {}",
        received.load(Ordering::SeqCst)
    );
    let _ = std::fs::remove_dir_all(&state);
    Ok(())
}
