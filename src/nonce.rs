//! Nonces.
//!
//! [RFC 5849 §3.3](https://www.rfc-editor.org/rfc/rfc5849#section-3.3): a nonce is a random
//! string, unique for every request with the same timestamp and credentials. Ours are 25
//! random bytes from the platform's secure random generator (`getrandom`; on the web
//! `crypto.getRandomValues`), each written as one of 62 letters and digits: 148 bits of
//! entropy, more than the 144 of the 24 base64 characters they replace.
//!
//! Letters and digits only, not URL-safe base64 (24 characters with `-` and `_`): oauthlib's
//! default `RequestValidator`, behind the Django and Flask OAuth 1.0a providers, refuses a nonce
//! with any other character (and one shorter than 20 or longer than 30), and so refused about
//! half of the base64 nonces (measured against oauthlib 3.2.2: 54% of 2,000).

use crate::error::Error;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Random bytes in a nonce, one per character.
pub const NONCE_BYTES: usize = 25;

/// The length of a nonce made from [`NONCE_BYTES`] bytes.
pub const NONCE_LEN: usize = NONCE_BYTES;

/// The 62 letters and digits.
const ALPHANUMERIC: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The nonce made from [`NONCE_BYTES`] random bytes: byte `b` is the character
/// `ALPHANUMERIC[b * 62 / 256]`, each character taken by four or five of the 256 byte values
/// (5.95 bits of entropy a character, 148 for the nonce). A multiplication and a shift a
/// character: the exact base 62 of 18 bytes (144 bits in 25 characters) took 64-bit divisions,
/// measured 0.4 µs of a signature in Node and more in Chromium (2026-12-08). Public only with
/// the `internals` feature (for the tests).
pub fn nonce_from_bytes(bytes: &[u8; NONCE_BYTES]) -> String {
    let mut out = String::with_capacity(NONCE_LEN);
    for &b in bytes {
        let i = (usize::from(b) * 62) >> 8;
        out.push(char::from(ALPHANUMERIC.get(i).copied().unwrap_or(b'0')));
    }
    out
}

/// A fresh nonce: 25 bytes from the platform's secure random generator, as 25 letters and
/// digits (148 bits of entropy).
///
/// # Errors
///
/// [`Error::RandomUnavailable`] when the platform has no usable generator.
pub fn random_nonce() -> Result<String, Error> {
    let mut bytes = [0u8; NONCE_BYTES];
    getrandom::fill(&mut bytes).map_err(|_| Error::RandomUnavailable)?;
    Ok(nonce_from_bytes(&bytes))
}

/// Nonces drawn from one call to the random generator per 32 nonces: on the web a
/// `getRandomValues` call costs more than a whole signature. The bytes are the generator's,
/// unchanged; each is used once and then zeroed.
#[derive(Default)]
pub struct NoncePool {
    bytes: Vec<u8>,
    used: usize,
}

impl NoncePool {
    const BATCH: usize = 32 * NONCE_BYTES;

    /// The next nonce, refilling the pool from the platform's generator when it is empty.
    ///
    /// # Errors
    ///
    /// [`Error::RandomUnavailable`] when the platform has no usable generator.
    pub fn next_nonce(&mut self) -> Result<String, Error> {
        self.draw(|batch| getrandom::fill(batch).map_err(|_| Error::RandomUnavailable))
    }

    /// [`next_nonce`](NoncePool::next_nonce) with the generator given, for the tests (the
    /// `internals` feature): `fill` fills a new batch when the pool is empty.
    ///
    /// # Errors
    ///
    /// Whatever `fill` returns; the pool is then left empty, never holding bytes that were not
    /// filled.
    #[cfg(feature = "internals")]
    pub fn next_with(
        &mut self,
        fill: impl FnOnce(&mut [u8]) -> Result<(), Error>,
    ) -> Result<String, Error> {
        self.draw(fill)
    }

    fn draw(&mut self, fill: impl FnOnce(&mut [u8]) -> Result<(), Error>) -> Result<String, Error> {
        if self.used + NONCE_BYTES > self.bytes.len() {
            // Fill a new batch and only then take it: a failed draw must leave the pool empty.
            let mut batch = alloc::vec![0u8; Self::BATCH];
            fill(&mut batch)?;
            self.bytes = batch;
            self.used = 0;
        }
        let mut chunk = [0u8; NONCE_BYTES];
        let taken = self.bytes.iter_mut().skip(self.used).take(NONCE_BYTES);
        for (c, b) in chunk.iter_mut().zip(taken) {
            *c = core::mem::take(b);
        }
        self.used += NONCE_BYTES;
        Ok(nonce_from_bytes(&chunk))
    }
}

impl fmt::Debug for NoncePool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NoncePool(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_letters_and_digits_one_a_byte() {
        // Every byte value: its character, and how many bytes give each (four or five).
        let mut seen = [0u32; 62];
        for b in 0..=255u8 {
            let mut bytes = [0u8; NONCE_BYTES];
            bytes[0] = b;
            let n = nonce_from_bytes(&bytes);
            assert_eq!(n.len(), NONCE_LEN);
            let c = n.as_bytes()[0];
            assert!(c.is_ascii_alphanumeric(), "{n}");
            seen[ALPHANUMERIC.iter().position(|&x| x == c).unwrap()] += 1;
        }
        assert!(seen.iter().all(|&k| k == 4 || k == 5), "{seen:?}");
        assert_eq!(nonce_from_bytes(&[0; NONCE_BYTES]), "0".repeat(NONCE_LEN));
        assert_eq!(
            nonce_from_bytes(&[0xff; NONCE_BYTES]),
            "z".repeat(NONCE_LEN)
        );
        // Computed with Python: ''.join(A[b * 62 >> 8] for b in bytes).
        let bytes: [u8; NONCE_BYTES] =
            core::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
        assert_eq!(nonce_from_bytes(&bytes), EXPECTED);
    }

    /// The nonce of `i * 37 + 11` (the bytes above), by the independent computation.
    const EXPECTED: &str = "2BKTclu3CLUdmv4DMVdmv4DMV";

    #[test]
    fn a_failed_draw_leaves_the_pool_empty() {
        let mut pool = NoncePool::default();
        assert_eq!(
            pool.draw(|_| Err(Error::RandomUnavailable)),
            Err(Error::RandomUnavailable)
        );
        assert!(pool.bytes.is_empty());
        let mut counter = 0u8;
        let n = pool
            .draw(|b| {
                for x in b.iter_mut() {
                    counter = counter.wrapping_add(1);
                    *x = counter;
                }
                Ok(())
            })
            .unwrap();
        assert_eq!(n, nonce_from_bytes(&core::array::from_fn(|i| i as u8 + 1)));
        // The next 31 come from the same batch: the generator is not asked again.
        for _ in 0..31 {
            pool.draw(|_| panic!("refilled too early")).unwrap();
        }
        assert!(pool.draw(|_| Err(Error::RandomUnavailable)).is_err());
    }
}
