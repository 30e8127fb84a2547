//! The HMAC-SHA1 signature.
//!
//! Implements [RFC 5849 §3.4.2](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.2): the key is
//! the encoded consumer secret, `&`, and the encoded token secret (the `&` is always present,
//! also with no token), the text is the signature base string, and the signature is the
//! base64 of the 20-byte digest.
//!
//! [`SigningKey`] absorbs the key's inner and outer pads once, so each signature only hashes the
//! base string.

use crate::encoding::encode_into;
use alloc::string::String;
use core::fmt;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};

/// An HMAC-SHA1 key made from a consumer secret and a token secret, pads precomputed.
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
        encode_into(consumer_secret, &mut key);
        key.push('&');
        encode_into(token_secret, &mut key);
        // RFC 2104 §2: a key longer than the 64-byte block is hashed first; a shorter one is
        // padded with zeros. Doing it here gives the fixed-size key of the infallible `new`.
        let mut block = [0u8; 64];
        if key.len() > block.len() {
            block[..20].copy_from_slice(&Sha1::digest(key.as_bytes()));
        } else {
            block[..key.len()].copy_from_slice(key.as_bytes());
        }
        SigningKey {
            mac: <Hmac<Sha1> as KeyInit>::new(&block.into()),
        }
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
    /// use contextio_signer::hmac_sha1::SigningKey;
    /// // The oauth.net TestCases HMAC-SHA1 example.
    /// let key = SigningKey::new("kd94hf93k423kf44", "pfkkdhi9sl3r4s00");
    /// let base = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26\
    ///     oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26\
    ///     oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26\
    ///     oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal";
    /// assert_eq!(key.sign(base), "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    /// ```
    pub fn sign(&self, base_string: &str) -> String {
        base64(&self.digest(base_string.as_bytes()), STANDARD, true)
    }
}

/// The RFC 4648 §4 alphabet (`+`, `/`).
pub const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// The RFC 4648 §5 URL-safe alphabet (`-`, `_`).
pub const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 (RFC 4648) of `bytes` in `alphabet`, with `=` padding when `pad`. A dozen lines
/// here instead of a crate: the signer only ever encodes a 20-byte digest and nonce bytes.
pub fn base64(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(char::from(alphabet[(n >> (18 - 6 * i) & 63) as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2202_vectors_through_the_oauth_key() {
        // RFC 2202 §3 test case 2: key "Jefe", data "what do ya want for nothing?". An OAuth
        // key always contains '&', so build the raw HMAC state directly.
        let mac = <Hmac<Sha1> as Mac>::new_from_slice(b"Jefe").unwrap();
        let key = SigningKey { mac };
        let d = key.digest(b"what do ya want for nothing?");
        let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    }

    #[test]
    fn long_keys_are_hashed_first() {
        // RFC 2202 §3 test case 6: an 80-byte key of 0xaa (here as an OAuth key: 79 'a's of
        // consumer secret and '&' make 80 bytes, checked against the raw HMAC crate).
        let secret = "a".repeat(79);
        let ours = SigningKey::new(&secret, "").digest(b"data");
        let mut raw = <Hmac<Sha1> as Mac>::new_from_slice(format!("{secret}&").as_bytes()).unwrap();
        raw.update(b"data");
        assert_eq!(ours, <[u8; 20]>::from(raw.finalize().into_bytes()));
        let short = SigningKey::new("cs", "ts").digest(b"data");
        let mut raw = <Hmac<Sha1> as Mac>::new_from_slice(b"cs&ts").unwrap();
        raw.update(b"data");
        assert_eq!(short, <[u8; 20]>::from(raw.finalize().into_bytes()));
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
