//! A bare module for the benchmark's per-method size figures: `mac(method, key_len, msg_len)`
//! computes HMAC-SHA1 (method 1), HMAC-SHA256 (2) or HMAC-SHA512 (3) of the first `msg_len`
//! bytes of the input area, keyed with the first `key_len` bytes of the key area (keyed once
//! and cloned per message, as the package's signer does), and writes the base64 of the tag into
//! the output area. Each method is compiled in only with its feature, so that builds differ by
//! one method. No allocator, no formatting, a panic traps.
#![no_std]
// The build with no method keeps only the areas and an empty `mac`.
#![cfg_attr(not(any(feature = "sha1", feature = "sha256", feature = "sha512")), allow(unused))]

use hmac::{Hmac, Mac};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

const AREA: usize = 16 * 1024;
static mut KEY: [u8; 256] = [0; 256];
static mut INPUT: [u8; AREA] = [0; AREA];
static mut OUTPUT: [u8; 88] = [0; 88];

/// The key area (256 bytes), the input area (16 KiB) and the output area (88 bytes).
#[no_mangle]
pub extern "C" fn areas(which: u32) -> *mut u8 {
    // The pointers are handed out, never turned into references here.
    match which {
        0 => core::ptr::addr_of_mut!(KEY).cast(),
        1 => core::ptr::addr_of_mut!(INPUT).cast(),
        _ => core::ptr::addr_of_mut!(OUTPUT).cast(),
    }
}

fn tag<M: Mac + Clone + hmac::digest::KeyInit>(key: &[u8], msg: &[u8], out: &mut [u8; 88]) -> usize {
    let Ok(keyed) = <M as hmac::digest::KeyInit>::new_from_slice(key) else { return 0 };
    let mut m = keyed.clone();
    m.update(msg);
    base64(&m.finalize().into_bytes(), out)
}

fn base64(bytes: &[u8], out: &mut [u8; 88]) -> usize {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut n = 0;
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            out[n + i] = if i <= chunk.len() { A[((v >> shift) & 63) as usize] } else { b'=' };
        }
        n += 4;
    }
    n
}

/// The base64 HMAC of `INPUT[..msg_len]` keyed with `KEY[..key_len]`; 0 for a method this
/// build has not.
#[no_mangle]
pub extern "C" fn mac(method: u32, key_len: usize, msg_len: usize) -> usize {
    // SAFETY: single-threaded wasm; the areas are only touched here and by the host between
    // calls, and the lengths are clamped to them.
    let (key, msg, out) = unsafe {
        (
            core::slice::from_raw_parts(core::ptr::addr_of!(KEY).cast::<u8>(), key_len.min(256)),
            core::slice::from_raw_parts(core::ptr::addr_of!(INPUT).cast::<u8>(), msg_len.min(AREA)),
            &mut *core::ptr::addr_of_mut!(OUTPUT),
        )
    };
    match method {
        #[cfg(feature = "sha1")]
        1 => tag::<Hmac<sha1::Sha1>>(key, msg, out),
        #[cfg(feature = "sha256")]
        2 => tag::<Hmac<sha2::Sha256>>(key, msg, out),
        #[cfg(feature = "sha512")]
        3 => tag::<Hmac<sha2::Sha512>>(key, msg, out),
        _ => 0,
    }
}
