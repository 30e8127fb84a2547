//! The wasm binding (wasm32 only): one packet in, written into the input area, and one string
//! out, per call.
//!
//! Two builds: the signing package (`Signer`, `signRequest`), and with the `diagnose` feature
//! the diagnosis entry (`contextio-signer/diagnose`), so that a page that only signs loads not
//! one byte of the diagnosis.
//!
//! The package's JavaScript front (`js/api.js`) checks the caller's values and packs each call
//! into one string, which it writes into the module's input area; the functions here hand that
//! packet to [`packet`](crate::packet), which reads it into the core's types, and hand back its
//! answer. Nothing is decided here. The public JavaScript API (`Signer`, `signRequest`,
//! `isOAuthSignError`) and its TypeScript declarations are in `js/`.

#[cfg(not(feature = "diagnose"))]
use crate::nonce::NoncePool;
use crate::packet;
use alloc::string::String;
#[cfg(not(feature = "diagnose"))]
use alloc::vec::Vec;
#[cfg(not(feature = "diagnose"))]
use core::cell::{Cell, RefCell, UnsafeCell};
use wasm_bindgen::prelude::*;

#[cfg(target_feature = "atomics")]
compile_error!("the input area assumes one thread: wasm32 without the atomics feature");

/// The input area: the JavaScript front writes each signing packet here, in UTF-8, straight
/// into wasm memory (`TextEncoder.encodeInto` over [`input_area`]'s view), and the call that
/// follows reads it in place. One front per module instance (the package makes one).
///
/// wasm-bindgen's own way to pass a `&str` calls its allocator and then copies the string one
/// UTF-16 unit at a time through `charCodeAt`. Measured on the whole package in Node 20
/// (interleaved A/B, 201 rounds, four runs in both orders): the listing and new-user signatures
/// take 0.84 to 0.89 times the time through the area, the large request the same (issue 15).
#[cfg(not(feature = "diagnose"))]
struct InputArea {
    bytes: UnsafeCell<Vec<u8>>,
    /// Whether a call is reading the area. The core calls JavaScript while it reads (for a
    /// nonce, `crypto.getRandomValues`, which a page may replace): a call of the binding made
    /// from there may neither resize the area nor read it again. (The front refuses such calls
    /// before it writes anything: `through` in `js/api.js`.)
    reading: Cell<bool>,
}

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread (checked above).
// The area is borrowed mutably only by `input_area`, which refuses while `reading` is set, and
// shared only by `with_packet`, which sets `reading` for as long as its borrow lives.
#[cfg(not(feature = "diagnose"))]
unsafe impl Sync for InputArea {}

#[cfg(not(feature = "diagnose"))]
static INPUT: InputArea = InputArea {
    bytes: UnsafeCell::new(Vec::new()),
    reading: Cell::new(false),
};

/// The input area, made `bytes` long (zeroed, when its length changes): a `Uint8Array` view of
/// it in wasm memory, which the front writes a packet into. `undefined` when the memory for it
/// cannot be had (the old area is then already given back), or while a call is reading it. The
/// view is valid until the next call of this function, or until wasm memory grows (it is then
/// detached: its length reads 0).
#[cfg(not(feature = "diagnose"))]
#[wasm_bindgen(js_name = inputArea)]
pub fn input_area(bytes: usize) -> Option<js_sys::Uint8Array> {
    if INPUT.reading.get() {
        return None;
    }
    // SAFETY: see `InputArea`: no call is reading the area.
    let area = unsafe { &mut *INPUT.bytes.get() };
    if area.len() != bytes {
        // The old area goes first, so that a large one is given back before a new one is made.
        *area = Vec::new();
        area.try_reserve_exact(bytes).ok()?;
        area.resize(bytes, 0);
    }
    // SAFETY: the view is handed to JavaScript at once, and nothing here allocates before it
    // returns; the front takes another when wasm memory grows (above).
    Some(unsafe { js_sys::Uint8Array::view_mut_raw(area.as_mut_ptr(), area.len()) })
}

/// Runs `read` over the first `len` bytes of the input area; a length past its end, bytes that
/// are not UTF-8, or a call made while another reads the area, read as the empty packet, which
/// the packet reader refuses as malformed.
#[cfg(not(feature = "diagnose"))]
fn with_packet<T>(len: usize, read: impl FnOnce(&str) -> T) -> T {
    if INPUT.reading.replace(true) {
        return read("");
    }
    // SAFETY: see `InputArea`: `reading` is set until the borrow ends.
    let area = unsafe { &*INPUT.bytes.get() };
    let bytes = area.get(..len).unwrap_or_default();
    let answer = read(core::str::from_utf8(bytes).unwrap_or_default());
    INPUT.reading.set(false);
    answer
}

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
    /// Builds a signer from the options packet of `len` bytes in the input area (`new Signer`
    /// when `new_user` is false, `Signer.forNewUser` when true). Throws the error answer as a
    /// string.
    #[wasm_bindgen(constructor)]
    pub fn new(len: usize, new_user: bool) -> Result<RawSigner, String> {
        let inner = with_packet(len, |p| packet::signer_from_packet(p, new_user))?;
        Ok(RawSigner {
            inner,
            nonces: RefCell::new(NoncePool::default()),
        })
    }

    /// Signs the request packet of `len` bytes in the input area: a result or error answer.
    pub fn sign(&self, len: usize) -> String {
        // The pool is busy only in a call made from inside a signature, which reads the empty
        // packet (`with_packet`) and is refused as malformed: a fresh pool does for that one.
        with_packet(len, |p| match self.nonces.try_borrow_mut() {
            Ok(mut pool) => packet::sign_packet(&self.inner, &mut pool, p),
            Err(_) => packet::sign_packet(&self.inner, &mut NoncePool::default(), p),
        })
    }

    /// `three-legged`, `two-legged` or `new-user`.
    #[wasm_bindgen(getter)]
    pub fn mode(&self) -> String {
        String::from(self.inner.mode().as_str())
    }
}

/// The one-call form, `signRequest(options, request)`, over the packet of `len` bytes in the
/// input area: a result or error answer.
#[cfg(not(feature = "diagnose"))]
#[wasm_bindgen(js_name = signOnce)]
pub fn sign_once(len: usize) -> String {
    with_packet(len, packet::sign_once_packet)
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
    key: crate::signature::SigningKey,
}

#[cfg(feature = "bench")]
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
