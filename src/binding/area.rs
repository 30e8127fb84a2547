//! The input area: where the JavaScript front writes each packet, in wasm memory, for the call
//! that follows to read in place (the signing entry and the benchmark's floor use it).

use alloc::vec::Vec;
use core::cell::{Cell, UnsafeCell};
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
unsafe impl Sync for InputArea {}

static INPUT: InputArea = InputArea {
    bytes: UnsafeCell::new(Vec::new()),
    reading: Cell::new(false),
};

/// The input area, made `bytes` long (zeroed, when its length changes): a `Uint8Array` view of
/// it in wasm memory, which the front writes a packet into. `undefined` when the memory for it
/// cannot be had (the old area is then already given back), or while a call is reading it. The
/// view is valid until the next call of this function, or until wasm memory grows (it is then
/// detached: its length reads 0).
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
pub(super) fn with_packet<T>(len: usize, read: impl FnOnce(&str) -> T) -> T {
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
