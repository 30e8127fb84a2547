//! The wasm binding (wasm32 only): one packed string in, one out, per call.
//!
//! Two builds: the signing package (`Signer`, `signRequest`), and with the `diagnose` feature
//! the diagnosis entry (`contextio-signer/diagnose`), so that a page that only signs loads not
//! one byte of the diagnosis.
//!
//! The package's JavaScript front (`js/api.js`) checks the caller's values and packs each call
//! into one string; the functions here hand that string to [`packet`](crate::packet), which
//! reads it into the core's types, and hand back its answer. Nothing is decided here. The
//! public JavaScript API (`Signer`, `signRequest`, `isOAuthSignError`) and its TypeScript
//! declarations are in `js/`.

#[cfg(not(feature = "diagnose"))]
use crate::nonce::NoncePool;
use crate::packet;
use alloc::string::String;
#[cfg(not(feature = "diagnose"))]
use core::cell::RefCell;
use wasm_bindgen::prelude::*;

/// A signer and its nonce pool, behind the JavaScript `Signer` class.
#[cfg(not(feature = "diagnose"))]
#[wasm_bindgen]
pub struct RawSigner {
    inner: crate::Signer,
    nonces: RefCell<NoncePool>,
}

#[cfg(not(feature = "diagnose"))]
#[wasm_bindgen]
impl RawSigner {
    /// Builds a signer from an options packet (`new Signer` when `new_user` is false,
    /// `Signer.forNewUser` when true). Throws the error answer as a string.
    #[wasm_bindgen(constructor)]
    pub fn new(packet: &str, new_user: bool) -> Result<RawSigner, String> {
        let inner = packet::signer_from_packet(packet, new_user)?;
        Ok(RawSigner {
            inner,
            nonces: RefCell::new(NoncePool::default()),
        })
    }

    /// Signs a request packet: a result or error answer.
    pub fn sign(&self, packet: &str) -> String {
        // No re-entry from JavaScript can happen while signing, so the pool is always free;
        // a fresh pool would do if it were not.
        match self.nonces.try_borrow_mut() {
            Ok(mut pool) => packet::sign_packet(&self.inner, &mut pool, packet),
            Err(_) => packet::sign_packet(&self.inner, &mut NoncePool::default(), packet),
        }
    }

    /// `three-legged`, `two-legged` or `new-user`.
    #[wasm_bindgen(getter)]
    pub fn mode(&self) -> String {
        String::from(self.inner.mode().as_str())
    }
}

/// The one-call form, `signRequest(options, request)`: a result or error answer.
#[cfg(not(feature = "diagnose"))]
#[wasm_bindgen(js_name = signOnce)]
pub fn sign_once(packet: &str) -> String {
    packet::sign_once_packet(packet)
}

/// The diagnosis of a refusal, `diagnoseRefusal(signed, response)`: its JSON, or an error
/// answer.
#[cfg(feature = "diagnose")]
#[wasm_bindgen]
pub fn diagnose(packet: &str) -> String {
    packet::diagnose_packet(packet)
}

/// A bare HMAC-SHA1 key (pads precomputed, as in a `Signer`): `new BenchHmac(consumerSecret,
/// tokenSecret).sign(text)` is the benchmark's floor, one string in and one out. Only in builds
/// with the `bench` feature, never in the shipped package.
#[cfg(feature = "bench")]
#[wasm_bindgen]
pub struct BenchHmac {
    key: crate::hmac_sha1::SigningKey,
}

#[cfg(feature = "bench")]
#[wasm_bindgen]
impl BenchHmac {
    /// Precomputes the key `enc(consumerSecret)&enc(tokenSecret)`.
    #[wasm_bindgen(constructor)]
    pub fn new(consumer_secret: &str, token_secret: &str) -> BenchHmac {
        BenchHmac {
            key: crate::hmac_sha1::SigningKey::new(consumer_secret, token_secret),
        }
    }

    /// The base64 HMAC-SHA1 of `text`.
    pub fn sign(&self, text: &str) -> String {
        self.key.sign(text)
    }
}
