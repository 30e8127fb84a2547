//! The HMAC-SHA1 signature.
//!
//! Implements [RFC 5849 §3.4.2](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.2): the key is
//! the encoded consumer secret, `&`, and the encoded token secret (the `&` is always present,
//! also with no token), the text is the signature base string, and the signature is the
//! base64 of the 20-byte digest.
//!
//! [`SigningKey`] absorbs the key's inner and outer pads once, so each signature only hashes the
//! base string.

use crate::encoding::{encode_into, UNRESERVED};
use alloc::string::String;
use core::fmt;

/// SHA-1's initial state (FIPS 180-4 §5.3.1).
const IV: [u32; 5] = [
    0x6745_2301,
    0xEFCD_AB89,
    0x98BA_DCFE,
    0x1032_5476,
    0xC3D2_E1F0,
];

/// SHA-1's compression of one 64-byte block into `state`, from the `sha1` crate (which uses
/// the CPU's SHA instructions where it has them).
fn compress(state: &mut [u32; 5], block: &[u8; 64]) {
    sha1::compress(state, core::slice::from_ref(block.into()));
}

/// Finishes a SHA-1 hash whose `state` has absorbed `prefix_blocks` whole blocks: absorbs
/// `data`, pads (FIPS 180-4 §5.1.1: `0x80`, zeros, the bit length) and returns the digest.
fn finish(mut state: [u32; 5], prefix_blocks: u64, data: &[u8]) -> [u8; 20] {
    let (blocks, rest) = data.as_chunks::<64>();
    for block in blocks {
        compress(&mut state, block);
    }
    let bits = (prefix_blocks * 64 + data.len() as u64) * 8;
    let mut last = [0u8; 128];
    for (slot, &b) in last.iter_mut().zip(rest) {
        *slot = b;
    }
    let mut tail = [0u8; 64];
    if let Some(slot) = last.get_mut(rest.len()) {
        *slot = 0x80;
    }
    // One block when the message end, 0x80 and the 8-byte length fit, else two.
    let two = rest.len() >= 56;
    let (first, second) = last.split_at_mut(64);
    let len_block: &mut [u8] = if two { second } else { first };
    for (slot, b) in len_block.iter_mut().skip(56).zip(bits.to_be_bytes()) {
        *slot = b;
    }
    for (t, &b) in tail.iter_mut().zip(first.iter()) {
        *t = b;
    }
    compress(&mut state, &tail);
    if two {
        for (t, &b) in tail.iter_mut().zip(second.iter()) {
            *t = b;
        }
        compress(&mut state, &tail);
    }
    let mut out = [0u8; 20];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        for (o, b) in chunk.iter_mut().zip(word.to_be_bytes()) {
            *o = b;
        }
    }
    out
}

/// An HMAC-SHA1 key (RFC 2104) made from a consumer secret and a token secret: the states after
/// the inner and the outer padded key block are computed once, so each signature hashes only
/// the base string and one more block.
///
/// Its `Debug` output is `<hidden>`.
#[derive(Clone)]
pub struct SigningKey {
    inner: [u32; 5],
    outer: [u32; 5],
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
        // RFC 2104 §2: a key longer than the 64-byte block is hashed first; a shorter one is
        // padded with zeros.
        let hashed;
        let key = if key.len() > 64 {
            hashed = finish(IV, 0, key);
            &hashed[..]
        } else {
            key
        };
        let (mut ipad, mut opad) = ([0x36u8; 64], [0x5cu8; 64]);
        for ((i, o), &k) in ipad.iter_mut().zip(opad.iter_mut()).zip(key) {
            *i ^= k;
            *o ^= k;
        }
        let (mut inner, mut outer) = (IV, IV);
        compress(&mut inner, &ipad);
        compress(&mut outer, &opad);
        SigningKey { inner, outer }
    }

    /// The 20-byte HMAC-SHA1 digest of `text`.
    pub fn digest(&self, text: &[u8]) -> [u8; 20] {
        let inner = finish(self.inner, 1, text);
        finish(self.outer, 1, &inner)
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
        base64(&self.digest(base_string.as_bytes()), STANDARD, true)
    }
}

/// The RFC 4648 §4 alphabet (`+`, `/`).
pub(crate) const STANDARD: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// The RFC 4648 §5 URL-safe alphabet (`-`, `_`).
pub(crate) const URL_SAFE: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 (RFC 4648) of `bytes` in `alphabet`, with `=` padding when `pad`. A dozen lines
/// here instead of a crate: the signer only ever encodes a 20-byte digest and nonce bytes.
pub(crate) fn base64(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    write_base64(bytes, alphabet, pad, &mut out);
    out
}

/// The base64 of a 20-byte digest (28 characters, padded), written into `buf`.
pub(crate) fn base64_into<'b>(digest: &[u8; 20], buf: &'b mut [u8; 28]) -> &'b str {
    let (groups, rest) = digest.as_chunks::<3>();
    let (out, _) = buf.as_chunks_mut::<4>();
    let sextets = |n: u32| [n >> 18, n >> 12, n >> 6, n].map(|s| STANDARD[(s & 63) as usize]);
    for (o, g) in out.iter_mut().zip(groups) {
        *o = sextets(u32::from(g[0]) << 16 | u32::from(g[1]) << 8 | u32::from(g[2]));
    }
    // 20 bytes: six groups of three, then two bytes and one `=`.
    if let ([a, b], Some(last)) = (rest, out.last_mut()) {
        let [c0, c1, c2, _] = sextets(u32::from(*a) << 16 | u32::from(*b) << 8);
        *last = [c0, c1, c2, b'='];
    }
    core::str::from_utf8(buf).unwrap_or_default()
}

/// A base64 signature percent-encoded (`+`, `/` and `=` are the only bytes outside the
/// unreserved set), written into `buf`.
pub(crate) fn encode_base64<'b>(sig: &str, buf: &'b mut [u8; 60]) -> &'b str {
    let mut len = 0;
    for b in sig.bytes() {
        let escape: &[u8] = match b {
            b'+' => b"%2B",
            b'/' => b"%2F",
            b'=' => b"%3D",
            _ => core::slice::from_ref(&b),
        };
        for &e in escape {
            if let Some(slot) = buf.get_mut(len) {
                *slot = e;
                len += 1;
            }
        }
    }
    core::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default()
}

/// Appends the base64 of `bytes` to `out`; see [`base64`].
pub(crate) fn write_base64(bytes: &[u8], alphabet: &[u8; 64], pad: bool, out: &mut String) {
    let sextet = |n: u32, shift: u32| char::from(alphabet[(n >> shift & 63) as usize]);
    let (groups, rest) = bytes.as_chunks::<3>();
    for &[a, b, c] in groups {
        let n = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        for shift in [18, 12, 6, 0] {
            out.push(sextet(n, shift));
        }
    }
    let n = rest
        .iter()
        .enumerate()
        .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i as u32));
    if !rest.is_empty() {
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= rest.len() {
                out.push(sextet(n, shift));
            } else if pad {
                out.push('=');
            }
        }
    }
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
    use sha1::{Digest, Sha1};

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
    fn every_length_against_the_hmac_crate() {
        // Message lengths across the one- and two-block padding boundaries, keys shorter than,
        // equal to and longer than the block.
        let data: Vec<u8> = (0..400u32).map(|i| (i * 7 + 3) as u8).collect();
        for key_len in [0, 1, 20, 63, 64, 65, 200] {
            let key = &data[..key_len];
            for len in 0..300 {
                assert_eq!(
                    SigningKey::from_raw(key).digest(&data[..len]),
                    reference(key, &data[..len]),
                    "key {key_len} text {len}"
                );
            }
        }
        assert_eq!(
            finish(IV, 0, b"abc"),
            <[u8; 20]>::from(Sha1::digest(b"abc"))
        );
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
