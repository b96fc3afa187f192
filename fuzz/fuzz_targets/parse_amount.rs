#![no_main]
//! Amount parsing never panics, and what it accepts prints back as it was written
//! (leading zeros aside).
use checkout_core::{Currency, EtnAmount, Money};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for currency in Currency::all() {
        if let Ok(money) = Money::parse(text, currency) {
            let printed = money.to_string();
            assert_eq!(Money::parse(&printed, currency), Ok(money));
            assert!(printed.len() <= text.len());
        }
    }
    if let Ok(amount) = text.parse::<EtnAmount>() {
        assert_eq!(amount.to_string().parse::<EtnAmount>(), Ok(amount));
    }
});
