#![no_main]
//! QR encoding of arbitrary text: never a panic; the SVG always has its quiet zone.
use checkout_core::qr::{Qr, QUIET_ZONE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(qr) = Qr::encode(text) {
        let size = qr.width() + 2 * QUIET_ZONE;
        assert!(qr.to_svg().contains(&format!("viewBox=\"0 0 {size} {size}\"")));
    }
});
