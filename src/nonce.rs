//! Nonces.
//!
//! [RFC 5849 §3.3](https://www.rfc-editor.org/rfc/rfc5849#section-3.3): a nonce is a random
//! string, unique for every request with the same timestamp and credentials. Ours are 144 bits
//! from the platform's secure random generator (`getrandom`; on the web
//! `crypto.getRandomValues`), written as 25 letters and digits.
//!
//! Letters and digits only, not URL-safe base64 (24 characters with `-` and `_`): oauthlib's
//! default `RequestValidator`, behind the Django and Flask OAuth 1.0a providers, refuses a nonce
//! with any other character (and one shorter than 20 or longer than 30), and so refused about
//! half of the base64 nonces (measured against oauthlib 3.2.2: 54% of 2,000).

use crate::Error;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Random bytes in a nonce: 144 bits.
pub const NONCE_BYTES: usize = 18;

/// The length of a nonce made from [`NONCE_BYTES`] bytes.
pub const NONCE_LEN: usize = 25;

/// The digits of base 62.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The nonce made from [`NONCE_BYTES`] random bytes: 25 letters and digits, the bytes read as
/// two 64-bit and one 16-bit big-endian numbers, written in base 62 with 11, 11 and 3 digits
/// (62^11 > 2^64, 62^3 > 2^16): every byte string gives another nonce, so no bit is lost. Public
/// only with the `internals` feature (for the tests).
pub fn nonce_from_bytes(bytes: &[u8; NONCE_BYTES]) -> String {
    let mut out = String::with_capacity(NONCE_LEN);
    let (a, rest) = bytes.split_at(8);
    let (b, c) = rest.split_at(8);
    for (chunk, digits) in [(a, 11), (b, 11), (c, 3)] {
        let mut n = chunk.iter().fold(0u64, |n, &x| n << 8 | u64::from(x));
        let mut buf = [b'0'; 11];
        for slot in buf.iter_mut().take(digits).rev() {
            *slot = BASE62[(n % 62) as usize];
            n /= 62;
        }
        for &d in buf.iter().take(digits) {
            out.push(char::from(d));
        }
    }
    out
}

/// A fresh nonce: 144 bits from the platform's secure random generator, as 25 letters and
/// digits.
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
    fn nonces_are_base62_and_keep_every_bit() {
        // Computed with Python's int.from_bytes and divmod (an independent base 62).
        let bytes: [u8; NONCE_BYTES] =
            core::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
        let n = nonce_from_bytes(&bytes);
        assert_eq!(n.len(), NONCE_LEN);
        assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()), "{n}");
        assert_eq!(nonce_from_bytes(&[0; NONCE_BYTES]), "0".repeat(NONCE_LEN));
        assert_eq!(
            nonce_from_bytes(&[0xff; NONCE_BYTES]),
            "LygHa16AHYFLygHa16AHYFH31"
        );
        assert_eq!(n, EXPECTED);
        // Distinct bytes, distinct nonces (the largest 16-bit tail, one bit apart).
        let mut other = bytes;
        other[17] ^= 1;
        assert_ne!(nonce_from_bytes(&other), n);
    }

    /// The nonce of `i * 37 + 11` (the bytes above), by the independent computation.
    const EXPECTED: &str = "0xYZxieaakw4PJKU78jDx065o";

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
