//! What the runtime provides: the clock and the platform's cryptographic random numbers.

use wasm_bindgen::JsCast;

/// Unix seconds.
pub fn now() -> i64 {
    (worker::Date::now().as_millis() / 1000) as i64
}

/// Random bytes from the runtime's CSPRNG (`crypto.getRandomValues`).
pub fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    fill_random(&mut bytes);
    bytes
}

/// Fills `bytes` from the runtime's CSPRNG.
pub fn fill_random(bytes: &mut [u8]) {
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    scope
        .crypto()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(bytes))
        .expect("crypto.getRandomValues is always present in workerd");
}

/// A fresh random token (sessions, sign-in links, ids).
pub fn token() -> String {
    domain::secret::token(&random())
}
