//! A phase of `cargo xtask test`: a webhook survives the worker crashing between
//! two attempts. A loopback receiver fails the first three attempts; the worker
//! (wrangler and workerd) is killed with SIGKILL while the next is scheduled and
//! started again on the same state; the cron's sweep (or the restored alarm)
//! sends it, and the history shows every attempt.

use std::time::{Duration, Instant};

use crate::receiver::Receiver;
use crate::util::{root, Result};
use crate::wrangler::{free_port, http, Wrangler};
use crate::{dev, dev::local_vars};

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
    let receiver = Receiver::start(3)?;
    let url = receiver.url.clone();
    let wrangler = Wrangler::start(port, &state, Some(&log), &vars)?;
    dev::seed(port, &keys)?;
    let key = &keys["merchant_key"];
    let auth = format!("Bearer {key}");
    dev::set_webhook_endpoint(port, key, &url, "session.created")?;
    dev::create_session(port, key, "1.00")?;
    wait_until("three failed attempts", Duration::from_secs(30), || {
        receiver.count() >= 3
    })?;
    // Let the object record the third failure and schedule the fourth, then crash.
    std::thread::sleep(Duration::from_millis(500));
    wrangler.crash();
    eprintln!(
        "  worker killed after {} attempts; restarting",
        receiver.count()
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
            receiver.count() >= 4
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
        receiver.count()
    );
    let _ = std::fs::remove_dir_all(&state);
    Ok(())
}
