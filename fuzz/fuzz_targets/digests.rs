//! The signatures and body hashes the targets expect, computed with RustCrypto's crates used
//! directly (`hmac`, `sha1`, `sha2`) and the `base64` crate: RFC 5849 §3.4.2 (HMAC-SHA1, and the
//! same construction with SHA-256 and SHA-512), §3.4.4 (PLAINTEXT: the key itself) and
//! draft-eaton-oauth-bodyhash §3.2 (the base64 of the method's hash of the body).

#![allow(dead_code)]

use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Digest;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The base64 HMAC of `text` under `key` with the MAC type `M`.
fn hmac<M: Mac + hmac::digest::KeyInit>(key: &str, text: &str) -> String {
    let mut mac =
        <M as hmac::digest::KeyInit>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(text.as_bytes());
    b64(&mac.finalize().into_bytes())
}

/// The signature of `base_string` under `key` (`enc(consumer secret)&enc(token secret)`) for the
/// method named `method` (`oauth_signature_method`).
pub fn signature(method: &str, key: &str, base_string: &str) -> String {
    match method {
        "HMAC-SHA1" => hmac::<Hmac<sha1::Sha1>>(key, base_string),
        "HMAC-SHA256" => hmac::<Hmac<sha2::Sha256>>(key, base_string),
        "HMAC-SHA512" => hmac::<Hmac<sha2::Sha512>>(key, base_string),
        "PLAINTEXT" => key.to_owned(),
        other => panic!("signed with an unknown method {other:?}"),
    }
}

/// The body hash of `body` for the method named `method`.
pub fn body_hash(method: &str, body: &[u8]) -> String {
    match method {
        "HMAC-SHA1" => b64(&sha1::Sha1::digest(body)),
        "HMAC-SHA256" => b64(&sha2::Sha256::digest(body)),
        "HMAC-SHA512" => b64(&sha2::Sha512::digest(body)),
        other => panic!("a body hash with {other:?}"),
    }
}
