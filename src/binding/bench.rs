//! The benchmark's floor (the `bench` feature, never in the shipped package): a bare HMAC-SHA1
//! key, one string in and one out.

use super::area::with_packet;
use alloc::string::String;
use wasm_bindgen::prelude::*;

/// A bare HMAC-SHA1 key (pads precomputed, as in a `Signer`): `new BenchHmac(consumerSecret,
/// tokenSecret).sign(text)` is the benchmark's floor, one string in and one out.
#[wasm_bindgen]
pub struct BenchHmac {
    key: crate::signature::SigningKey,
}

#[wasm_bindgen]
impl BenchHmac {
    /// Precomputes the key `enc(consumerSecret)&enc(tokenSecret)`.
    #[wasm_bindgen(constructor)]
    pub fn new(consumer_secret: &str, token_secret: &str) -> BenchHmac {
        BenchHmac {
            key: crate::signature::SigningKey::new(consumer_secret, token_secret),
        }
    }

    /// The base64 HMAC-SHA1 of `text`.
    pub fn sign(&self, text: &str) -> String {
        self.key.sign(text)
    }

    /// The base64 HMAC-SHA1 of the text of `len` bytes in the input area: the floor through the
    /// crossing the package's packets take (`signArea`).
    #[wasm_bindgen(js_name = signArea)]
    pub fn sign_area(&self, len: usize) -> String {
        with_packet(len, |text| self.key.sign(text))
    }
}
