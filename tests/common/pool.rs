//! Nonce pools filled with known bytes, and the nonces they hand out computed independently.

use contextio_signer::{NoncePool, NONCE_BYTES};
use std::cell::Cell;

/// A nonce of 18 random bytes, written here: the bytes as two 64-bit and one 16-bit big-endian
/// numbers in base 62 (digits, upper-case, lower-case letters), 11, 11 and 3 digits, by u128
/// arithmetic (not the crate's).
pub fn base62(bytes: &[u8]) -> String {
    const D: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut out = String::new();
    for (range, digits) in [(0..8, 11u32), (8..16, 11), (16..18, 3)] {
        let n = bytes[range]
            .iter()
            .fold(0u128, |n, &b| n * 256 + u128::from(b));
        for k in (0..digits).rev() {
            out.push(char::from(D[(n / 62u128.pow(k) % 62) as usize]));
        }
    }
    out
}

/// A pool whose first nonce has been drawn from known bytes, counting the calls of its
/// generator in `fills`; and the 32 nonces of that batch, in order (the first already drawn).
pub fn primed(fills: &Cell<usize>) -> (NoncePool, Vec<String>) {
    let byte = |i: usize| (i as u8).wrapping_mul(13).wrapping_add(5);
    let mut pool = NoncePool::default();
    let first = pool
        .next_with(|batch| {
            fills.set(fills.get() + 1);
            for (i, b) in batch.iter_mut().enumerate() {
                *b = byte(i);
            }
            Ok(())
        })
        .expect("the fill cannot fail");
    let nonces: Vec<String> = (0..32)
        .map(|k| {
            let bytes: Vec<u8> = (0..NONCE_BYTES)
                .map(|i| byte(k * NONCE_BYTES + i))
                .collect();
            base62(&bytes)
        })
        .collect();
    assert_eq!(first, nonces[0]);
    (pool, nonces)
}
