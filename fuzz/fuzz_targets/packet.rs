//! The wasm binding's packets (`src/packet.rs`), natively: `sign_packet`, `signer_from_packet`
//! and `sign_once_packet` on the input as text (`checks::packet_text`: a well-formed answer,
//! never a panic), and on valid packets of the values `arbitrary` reads from the input
//! (`checks::packet_case`: options and requests with any strings, optional fields, lists of
//! pairs and integers, written as the JavaScript front writes them), each answered exactly as
//! the same call natively; and a signature the base64 HMAC-SHA1 of the base string under
//! `enc(consumer secret)&enc(token secret)`, computed here with the `hmac` crate.

#![no_main]

#[path = "checks.rs"]
mod checks;
#[path = "refs.rs"]
mod refs;

use base64::Engine;
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(checked) = checks::packet(data) else {
        return;
    };
    let (Some(key), Some(base_string), Some(signature)) = (
        checked.key,
        checked.answer.part("base string"),
        checked.answer.part("signature"),
    ) else {
        return;
    };
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(base_string.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(signature, expected);
});
