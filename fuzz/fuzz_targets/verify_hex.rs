#![no_main]
//! The HMAC schemes: arbitrary secrets, bodies and signature texts never panic,
//! and never verify unless they are the real signature.
use checkout_core::signature::{etn, forwarding, gateway, link, order};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &[u8], &str)| {
    let (secret, body, signature) = input;
    let real = etn::sign(secret, body);
    let claimed = signature.trim().trim_start_matches("sha256=").to_ascii_lowercase();
    let accepted = [
        etn::verify(secret, body, signature).is_ok(),
        forwarding::verify(secret, body, signature).is_ok(),
        gateway::verify(secret, body, signature).is_ok(),
    ];
    for ok in accepted {
        assert!(!ok || claimed == real);
    }
    assert!(etn::verify(secret, body, &real).is_ok());
    let text = String::from_utf8_lossy(body);
    let _ = order::verify(secret, &text, signature, signature);
    let _ = link::verify(secret, signature, &text, "1.00", signature);
});
