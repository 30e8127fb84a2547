//! Nonces.
//!
//! [RFC 5849 §3.3](https://www.rfc-editor.org/rfc/rfc5849#section-3.3): a nonce is a random
//! string, unique for every request with the same timestamp and credentials. Ours are 144 bits
//! from the platform's secure random generator (`getrandom`; on the web
//! `crypto.getRandomValues`), written as 24 URL-safe base64 characters.

use crate::signature::{write_base64, URL_SAFE};
use crate::Error;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Random bytes in a nonce: 144 bits.
pub const NONCE_BYTES: usize = 18;

/// The nonce made from [`NONCE_BYTES`] random bytes: URL-safe base64, 24 characters. Public
/// only with the `internals` feature (for the tests).
pub fn nonce_from_bytes(bytes: &[u8; NONCE_BYTES]) -> String {
    let mut out = String::with_capacity(24);
    write_base64(bytes, URL_SAFE, false, &mut out);
    out
}

/// A fresh nonce: 144 bits from the platform's secure random generator, as 24 URL-safe base64
/// characters.
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
