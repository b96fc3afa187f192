#![no_main]
//! Standard Webhooks: arbitrary header values never panic.
use checkout_core::signature::{standard, Tolerance};
use checkout_core::time::UnixSeconds;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str, &str, &str, &[u8], i64)| {
    let (secret, id, timestamp, signatures, body, now) = input;
    let now = UnixSeconds(now);
    let key = standard::Secret::parse(secret).unwrap_or_else(|_| standard::Secret::from_bytes([7; 32]));
    let _ = standard::verify(&key, id, timestamp, signatures, body, now, Tolerance::DEFAULT);
    if let Ok(ts) = timestamp.parse::<i64>().map(UnixSeconds) {
        let sig = standard::sign(&key, id, ts, body);
        let ours = standard::verify(&key, id, &ts.0.to_string(), &sig, body, ts, Tolerance::DEFAULT);
        assert!(ours.is_ok() || id.trim().is_empty());
    }
});
