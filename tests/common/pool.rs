//! Nonce pools filled with known bytes, and the nonces they hand out computed independently.

use contextio_signer::{NoncePool, NONCE_BYTES};
use std::cell::Cell;

/// RFC 4648 §5 base64url without padding, written here: a nonce is this of 18 random bytes.
pub fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(A[(n >> (18 - 6 * i) & 63) as usize]));
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
            base64url(&bytes)
        })
        .collect();
    assert_eq!(first, nonces[0]);
    (pool, nonces)
}
