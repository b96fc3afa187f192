//! Randomness from the runtime's CSPRNG (`crypto.getRandomValues`).
//!
//! Core never draws randomness; the worker draws it here and passes bytes in.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// `N` random bytes.
pub fn bytes<const N: usize>() -> [u8; N] {
    let array = Uint8Array::new_with_length(N as u32);
    let crypto =
        Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).expect("workerd has crypto");
    let get_random_values: js_sys::Function =
        Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
            .expect("crypto.getRandomValues exists")
            .unchecked_into();
    get_random_values
        .call1(&crypto, &array)
        .expect("getRandomValues accepts a Uint8Array");
    let mut out = [0u8; N];
    array.copy_to(&mut out);
    out
}
