//! The whole signing call: `Signer::new` / `Signer::for_new_user` with any options and
//! `Signer::sign` with any method, URL, query, body, content type, placement, realm, nonce and
//! timestamp, read from text (`checks::SignCase::parse`). The checks of `checks::sign` (no
//! panic, documented errors only, base string structure, the returned URL and request sign the
//! same again, `sign_with` answers as `sign`), and the signature is the signature method's
//! (HMAC-SHA1, -SHA256, -SHA512 of the base string under `enc(consumer secret)&enc(token
//! secret)`, or that key for PLAINTEXT) and a body hash the method's hash of the body, both
//! computed here with the `hmac`, `sha1` and `sha2` crates (`digests.rs`).

#![no_main]

#[path = "checks.rs"]
mod checks;
#[path = "digests.rs"]
mod digests;
#[path = "refs.rs"]
mod refs;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some((signed, key)) = checks::sign(text) else {
        return;
    };
    let method = signed.signature_method().as_str();
    let expected = digests::signature(method, &key, signed.base_string());
    assert_eq!(signed.signature(), expected, "{text:?}");
    if let Some(hash) = signed.oauth_parameter("oauth_body_hash") {
        // Only a body that is not a form has one: the body as sent, or none.
        let body = signed.body().unwrap_or("");
        assert_eq!(
            hash,
            digests::body_hash(method, body.as_bytes()),
            "{text:?}"
        );
    }
});
