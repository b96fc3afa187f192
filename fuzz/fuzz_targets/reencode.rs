#![no_main]
//! PHP-style re-encoding: never a panic, and the output is JSON with the same value.
use checkout_core::signature::etn::reencode_like_php;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(compact) = reencode_like_php(text) {
        let a: serde_json::Value = serde_json::from_str(text).unwrap();
        let b: serde_json::Value = serde_json::from_str(&compact).expect("re-encoded JSON parses");
        if !format!("{a}").contains('.') && !format!("{a}").contains('e') {
            assert_eq!(a, b);
        }
    }
});
