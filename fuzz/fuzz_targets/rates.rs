#![no_main]
//! Any rates feed: parsing and converting never panic, and a conversion that
//! succeeds is within the €500 cap.
use checkout_core::{Currency, Money, Rates, ETN_CAP_EUR};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|json: &str| {
    let Ok(rates) = Rates::parse(json) else { return };
    for currency in Currency::all() {
        for amount in ["1", "9.95", "500", "123456789"] {
            let Ok(price) = Money::parse(amount, currency) else { continue };
            if let Ok(etn) = rates.to_etn(&price) {
                assert!(rates.eur_value(etn).unwrap() <= ETN_CAP_EUR);
            }
        }
    }
});
