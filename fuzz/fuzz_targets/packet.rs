//! The JavaScript API's boundary (`src/boundary.rs`): `sign_packet`, `signer_from_packet` and
//! `sign_once_packet` on any text, and on valid packets built from the text
//! (`checks::packet`): no panic, every answer a well-formed packet, a valid packet answered
//! exactly as the same call natively (`Signer::sign_with`, `Signer::sign`), and the signature
//! the base64 HMAC-SHA1 of the base string under `enc(consumer secret)&enc(token secret)`,
//! computed here with the `hmac` crate.

#![no_main]

#[path = "checks.rs"]
mod checks;
#[path = "common.rs"]
mod common;
#[path = "packets.rs"]
mod packets;

use base64::Engine;
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some((signed, key)) = checks::packet(text) else {
        return;
    };
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(signed.base_string.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(signed.signature, expected, "{text:?}");
});
