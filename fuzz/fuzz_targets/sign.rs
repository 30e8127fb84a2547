//! The whole signing call: `Signer::new` / `Signer::for_new_user` with any options and
//! `Signer::sign` with any method, URL, query, body, content type, placement, realm, nonce and
//! timestamp, read from text (`checks::SignCase::parse`). The checks of `checks::sign` (no
//! panic, documented errors only, base string structure, the returned URL and request sign the
//! same again, `sign_with` answers as `sign`), and the signature is the base64 HMAC-SHA1 of
//! the base string under `enc(consumer secret)&enc(token secret)`, computed here with the
//! `hmac` crate.

#![no_main]

#[path = "checks.rs"]
mod checks;
#[path = "refs.rs"]
mod refs;

use base64::Engine;
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some((signed, key)) = checks::sign(text) else {
        return;
    };
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(signed.base_string().as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(signed.signature(), expected, "{text:?}");
});
