#![no_main]
//! Payment strings: never a panic; what parses formats back byte for byte.
use checkout_core::PaymentString;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(p) = text.parse::<PaymentString>() {
        assert_eq!(p.to_string(), text);
        assert!(p.deep_link().ends_with(text));
    }
});
