//! The HMAC-SHA1 signature.
//!
//! Implements [RFC 5849 §3.4.2](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.2): the key is
//! the encoded consumer secret, `&`, and the encoded token secret (the `&` is always present,
//! also with no token), the text is the signature base string, and the signature is the
//! base64 of the 20-byte digest.
//!
//! HMAC (RFC 2104) and SHA-1 are RustCrypto's `hmac` and `sha1` crates. A [`SigningKey`] is
//! keyed once, when its signer is built (the inner and outer pads absorbed), and each signature
//! clones that state and hashes only the base string.

use crate::encoding::{encode_into, UNRESERVED};
use alloc::string::String;
use core::fmt;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// An HMAC-SHA1 key made from a consumer secret and a token secret, keyed once.
///
/// Its `Debug` output is `<hidden>`.
#[derive(Clone)]
pub struct SigningKey {
    mac: Hmac<Sha1>,
}

impl SigningKey {
    /// Builds the key `enc(consumer_secret) & enc(token_secret)`; pass `""` as the token secret
    /// when there is no token.
    pub fn new(consumer_secret: &str, token_secret: &str) -> SigningKey {
        let mut key = String::with_capacity(consumer_secret.len() + token_secret.len() + 1);
        encode_into(consumer_secret, &mut key, UNRESERVED);
        key.push('&');
        encode_into(token_secret, &mut key, UNRESERVED);
        SigningKey::from_raw(key.as_bytes())
    }

    /// The HMAC-SHA1 key of raw key bytes.
    fn from_raw(key: &[u8]) -> SigningKey {
        // HMAC takes a key of any length (RFC 2104 §2: a longer one than the block is hashed
        // first): the error arm is never taken, and keeps a panic path out of the module.
        let mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key)
            .unwrap_or_else(|_| <Hmac<Sha1> as KeyInit>::new(&Default::default()));
        SigningKey { mac }
    }

    /// The 20-byte HMAC-SHA1 digest of `text`.
    pub fn digest(&self, text: &[u8]) -> [u8; 20] {
        let mut mac = self.mac.clone();
        mac.update(text);
        mac.finalize().into_bytes().into()
    }

    /// The base64 signature of a signature base string.
    ///
    /// ```
    /// # #[cfg(feature = "internals")] {
    /// use contextio_signer::internals::SigningKey;
    /// // The oauth.net TestCases HMAC-SHA1 example.
    /// let key = SigningKey::new("kd94hf93k423kf44", "pfkkdhi9sl3r4s00");
    /// let base = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26\
    ///     oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26\
    ///     oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26\
    ///     oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal";
    /// assert_eq!(key.sign(base), "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    /// # }
    /// ```
    // For the benchmark's floor, the fuzz targets and the tests.
    #[allow(dead_code)]
    pub fn sign(&self, base_string: &str) -> String {
        let mut out = String::with_capacity(28);
        write_base64(
            &self.digest(base_string.as_bytes()),
            STANDARD,
            true,
            &mut out,
        );
        out
    }
}

/// The RFC 4648 §4 alphabet (`+`, `/`).
pub(crate) const STANDARD: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// The RFC 4648 §5 URL-safe alphabet (`-`, `_`).
pub(crate) const URL_SAFE: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends the base64 (RFC 4648) of `bytes` in `alphabet` to `out`, with `=` padding when
/// `pad`, written into `buf` (at most 24 bytes, 32 characters): the signature (a 20-byte digest)
/// and the nonces (18 random bytes).
///
/// Hand-written rather than the `base64` crate, by measurement (2026-12-03, the shipped
/// package): `base64` 0.22 with `default-features = false`, called with care
/// (`Engine::encode_slice` into a stack buffer, no allocation, no panic path), made the page
/// load 758 B more gzipped (33,695 against 32,937 B) at the same speed (within 2% on the three
/// benchmark requests in Node). The budget for a design crate is 300 B and 5%.
pub(crate) fn base64_into<'b>(
    bytes: &[u8],
    alphabet: &[u8; 64],
    pad: bool,
    buf: &'b mut [u8; 32],
) -> &'b str {
    let sextet = |n: u32, shift: u32| alphabet[(n >> shift & 63) as usize];
    let mut len = 0;
    let mut put = |c: u8| {
        if let Some(slot) = buf.get_mut(len) {
            *slot = c;
            len += 1;
        }
    };
    let (groups, rest) = bytes.as_chunks::<3>();
    for &[a, b, c] in groups {
        let n = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        for shift in [18, 12, 6, 0] {
            put(sextet(n, shift));
        }
    }
    let n = rest
        .iter()
        .enumerate()
        .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i as u32));
    if !rest.is_empty() {
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= rest.len() {
                put(sextet(n, shift));
            } else if pad {
                put(b'=');
            }
        }
    }
    core::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default()
}

/// Appends the base64 of `bytes` (at most 24 of them) to `out`; see [`base64_into`].
pub(crate) fn write_base64(bytes: &[u8], alphabet: &[u8; 64], pad: bool, out: &mut String) {
    out.push_str(base64_into(bytes, alphabet, pad, &mut [0; 32]));
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use hmac::{Hmac, Mac};
    use sha1::Sha1;

    fn base64(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
        let mut out = String::new();
        write_base64(bytes, alphabet, pad, &mut out);
        out
    }

    fn reference(key: &[u8], text: &[u8]) -> [u8; 20] {
        let mut raw = <Hmac<Sha1> as Mac>::new_from_slice(key).unwrap();
        raw.update(text);
        raw.finalize().into_bytes().into()
    }

    #[test]
    fn rfc2202_vectors() {
        // RFC 2202 §3: test cases 1, 2, 3 and 6 (an 80-byte key, hashed first).
        let hex = |d: [u8; 20]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        let cases: [(&[u8], &[u8], &str); 4] = [
            (
                &[0x0b; 20],
                b"Hi There",
                "b617318655057264e28bc0b6fb378c8ef146be00",
            ),
            (
                b"Jefe",
                b"what do ya want for nothing?",
                "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
            ),
            (
                &[0xaa; 20],
                &[0xdd; 50],
                "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
            ),
            (
                &[0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "aa4ae5e15272d00e95705637ce8a3b55ed402112",
            ),
        ];
        for (key, text, expected) in cases {
            assert_eq!(hex(SigningKey::from_raw(key).digest(text)), expected);
        }
    }

    #[test]
    fn one_key_signs_many_texts() {
        // The keyed state is cloned per signature: signing must never change it. Message
        // lengths across SHA-1's one- and two-block padding, keys shorter than, equal to and
        // longer than the block, each key used for every length in turn.
        let data: Vec<u8> = (0..400u32).map(|i| (i * 7 + 3) as u8).collect();
        for key_len in [0, 1, 20, 63, 64, 65, 200] {
            let key = &data[..key_len];
            let signing = SigningKey::from_raw(key);
            for len in (0..300).chain((0..300).rev()) {
                assert_eq!(
                    signing.digest(&data[..len]),
                    reference(key, &data[..len]),
                    "key {key_len} text {len}"
                );
            }
        }
    }

    #[test]
    fn the_oauth_key_is_the_encoded_secrets() {
        let ours = SigningKey::new("c s", "t&s").digest(b"data");
        assert_eq!(ours, reference(b"c%20s&t%26s", b"data"));
        let long = "a".repeat(79);
        assert_eq!(
            SigningKey::new(&long, "").digest(b"data"),
            reference(format!("{long}&").as_bytes(), b"data")
        );
    }

    #[test]
    fn base64_rfc4648_vectors() {
        // RFC 4648 §10.
        for (input, padded, bare) in [
            ("", "", ""),
            ("f", "Zg==", "Zg"),
            ("fo", "Zm8=", "Zm8"),
            ("foo", "Zm9v", "Zm9v"),
            ("foob", "Zm9vYg==", "Zm9vYg"),
            ("fooba", "Zm9vYmE=", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes(), STANDARD, true), padded);
            assert_eq!(base64(input.as_bytes(), URL_SAFE, false), bare);
        }
        assert_eq!(base64(&[0xfb, 0xff], STANDARD, true), "+/8=");
        assert_eq!(base64(&[0xfb, 0xff], URL_SAFE, false), "-_8");
    }

    #[test]
    fn debug_hides_the_key() {
        let key = SigningKey::new("consumer-secret-value", "token-secret-value");
        assert_eq!(format!("{key:?}"), "<hidden>");
    }
}
