//! The wasm binding's packets (`src/binding/packet.rs`), natively: `sign_packet`, `signer_from_packet`
//! and `sign_once_packet` on the input as text (`checks::packet_text`: a well-formed answer,
//! never a panic), and on valid packets of the values `arbitrary` reads from the input
//! (`checks::packet_case`: options and requests with any strings, optional fields, lists of
//! pairs and integers, written as the JavaScript front writes them), each answered exactly as
//! the same call natively; and a signature the signature method's of the base string under
//! `enc(consumer secret)&enc(token secret)`, computed here with the `hmac`, `sha1` and `sha2`
//! crates (`digests.rs`).

#![no_main]

#[path = "checks.rs"]
mod checks;
#[path = "digests.rs"]
mod digests;
#[path = "refs.rs"]
mod refs;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(checked) = checks::packet(data) else {
        return;
    };
    let (Some(key), Some(base_string), Some(signature), Some(method)) = (
        checked.key,
        checked.answer.part("base string"),
        checked.answer.part("signature"),
        checked.answer.part("signature method"),
    ) else {
        return;
    };
    assert_eq!(signature, digests::signature(method, &key, base_string));
});
