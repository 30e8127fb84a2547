//! Nonce pools filled with known bytes, and the nonces they hand out computed independently.

use contextio_signer::{NoncePool, NONCE_BYTES};
use std::cell::Cell;

/// A nonce of random bytes, written here: each byte `b` is the letter or digit at
/// `b * 62 / 256` of `0-9 A-Z a-z`, by floating-point division (not the crate's shift).
pub fn base62(bytes: &[u8]) -> String {
    const D: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    bytes
        .iter()
        .map(|&b| char::from(D[(f64::from(b) * 62.0 / 256.0).floor() as usize]))
        .collect()
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
