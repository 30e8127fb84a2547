//! The signature methods.
//!
//! Implements [RFC 5849 §3.4.2](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.2)
//! (HMAC-SHA1) and [§3.4.4](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.4) (PLAINTEXT),
//! and HMAC-SHA256 and HMAC-SHA512, which APIs still in use ask for (NetSuite, Magento,
//! WooCommerce; oauthlib's and Postman's names): the key is the encoded consumer secret, `&`,
//! and the encoded token secret (the `&` is always present, also with no token). An HMAC's text
//! is the signature base string and its signature the base64 of the digest; PLAINTEXT's
//! signature is the key itself. Also the body hash of
//! [draft-eaton-oauth-bodyhash](https://datatracker.ietf.org/doc/html/draft-eaton-oauth-bodyhash-00)
//! (§3.2: the base64 of the signature method's hash of the body bytes).
//!
//! HMAC (RFC 2104), SHA-1 and SHA-2 are RustCrypto's `hmac`, `sha1` and `sha2` crates. A
//! [`SigningKey`] is keyed once, when its signer is built (the inner and outer pads absorbed),
//! and each signature clones that state and hashes only the base string.

use crate::encoding::{encode_into, UNRESERVED};
use crate::error::Error;
use alloc::string::String;
use core::fmt;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};
use sha2::{Sha256, Sha512};

/// How requests are signed (`oauth_signature_method`).
///
/// Size, measured on the shipped page (2026-12-08, `bash scripts/bench.sh`'s size table):
/// SHA-256 and SHA-512 are built at opt-level "s" (Cargo.toml), SHA-1 at 3, so that the default
/// method keeps its speed and the other two cost the page as little as they can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum SignatureMethod {
    /// HMAC-SHA1 (RFC 5849 §3.4.2): the default, and the only method Context.IO accepted.
    #[default]
    HmacSha1,
    /// HMAC-SHA256.
    HmacSha256,
    /// HMAC-SHA512.
    HmacSha512,
    /// PLAINTEXT (RFC 5849 §3.4.4): the signature is the secrets themselves, so it is only
    /// ever sent over `https:` or to a loopback host.
    Plaintext,
}

impl SignatureMethod {
    /// Every method, in the order of the docs.
    pub const ALL: [SignatureMethod; 4] = [
        SignatureMethod::HmacSha1,
        SignatureMethod::HmacSha256,
        SignatureMethod::HmacSha512,
        SignatureMethod::Plaintext,
    ];

    /// The value of `oauth_signature_method`: `"HMAC-SHA1"`, `"HMAC-SHA256"`, `"HMAC-SHA512"`
    /// or `"PLAINTEXT"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HMAC-SHA1",
            SignatureMethod::HmacSha256 => "HMAC-SHA256",
            SignatureMethod::HmacSha512 => "HMAC-SHA512",
            SignatureMethod::Plaintext => "PLAINTEXT",
        }
    }

    /// Parses the value of `oauth_signature_method`, exactly as [`as_str`](Self::as_str) writes
    /// it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOptions`] for anything else.
    pub fn parse(s: &str) -> Result<SignatureMethod, Error> {
        SignatureMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or(Error::InvalidOptions(
                "signature method must be 'HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512' or 'PLAINTEXT'",
            ))
    }

    /// Whether the method hashes (every method but PLAINTEXT): only those have a body hash.
    pub const fn hashes(self) -> bool {
        !matches!(self, SignatureMethod::Plaintext)
    }
}

/// A signing key made from a consumer secret and a token secret, keyed once.
///
/// Its `Debug` output is `<hidden>`.
#[derive(Clone)]
pub struct SigningKey {
    key: Key,
}

#[derive(Clone)]
enum Key {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
    /// The encoded key itself.
    Plaintext(String),
}

impl SigningKey {
    /// Builds the HMAC-SHA1 key `enc(consumer_secret) & enc(token_secret)`; pass `""` as the
    /// token secret when there is no token.
    // For the benchmark's floor, the fuzz targets and the tests.
    #[allow(dead_code)]
    pub fn new(consumer_secret: &str, token_secret: &str) -> SigningKey {
        SigningKey::for_method(SignatureMethod::HmacSha1, consumer_secret, token_secret)
    }

    /// Builds the key `enc(consumer_secret) & enc(token_secret)` of `method`.
    pub fn for_method(
        method: SignatureMethod,
        consumer_secret: &str,
        token_secret: &str,
    ) -> SigningKey {
        let mut key = String::with_capacity(consumer_secret.len() + token_secret.len() + 1);
        encode_into(consumer_secret, &mut key, UNRESERVED);
        key.push('&');
        encode_into(token_secret, &mut key, UNRESERVED);
        let key = match method {
            SignatureMethod::HmacSha1 => Key::Sha1(mac(key.as_bytes())),
            SignatureMethod::HmacSha256 => Key::Sha256(mac(key.as_bytes())),
            SignatureMethod::HmacSha512 => Key::Sha512(mac(key.as_bytes())),
            SignatureMethod::Plaintext => Key::Plaintext(key),
        };
        SigningKey { key }
    }

    /// The signature method of this key.
    pub fn method(&self) -> SignatureMethod {
        match self.key {
            Key::Sha1(_) => SignatureMethod::HmacSha1,
            Key::Sha256(_) => SignatureMethod::HmacSha256,
            Key::Sha512(_) => SignatureMethod::HmacSha512,
            Key::Plaintext(_) => SignatureMethod::Plaintext,
        }
    }

    /// The signature of a signature base string `text`: the HMAC's digest, or for PLAINTEXT
    /// the key (`text` unused). It borrows nothing of `text`, so that the signer can write it
    /// after the base string in the same buffer.
    pub(crate) fn signature(&self, text: &[u8]) -> Signature<'_> {
        fn hmac<M: Mac + Clone>(mac: &M, text: &[u8]) -> Signature<'static> {
            let mut mac = mac.clone();
            mac.update(text);
            let mut base64 = [0; 88];
            let len = base64_into(&mac.finalize().into_bytes(), &mut base64);
            Signature::Base64(base64, len)
        }
        match &self.key {
            Key::Sha1(mac) => hmac(mac, text),
            Key::Sha256(mac) => hmac(mac, text),
            Key::Sha512(mac) => hmac(mac, text),
            Key::Plaintext(key) => Signature::Key(key),
        }
    }

    /// Appends the signature of a signature base string to `out`: the base64 of the HMAC of
    /// `text`, or for PLAINTEXT the key (`text` unused).
    pub fn sign_into(&self, text: &[u8], out: &mut String) {
        self.signature(text).write_to(out);
    }

    /// The signature of a signature base string (see [`sign_into`](Self::sign_into)).
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
        let mut out = String::with_capacity(88);
        self.sign_into(base_string.as_bytes(), &mut out);
        out
    }
}

/// A signature as [`SigningKey::signature`] makes it.
pub(crate) enum Signature<'k> {
    /// An HMAC's: the base64 of the digest (up to 88 characters) and its length.
    Base64([u8; 88], usize),
    /// PLAINTEXT's: the key itself.
    Key(&'k str),
}

impl Signature<'_> {
    /// Appends the signature as sent.
    pub(crate) fn write_to(&self, out: &mut String) {
        match self {
            Signature::Base64(text, len) => out.push_str(
                core::str::from_utf8(text.get(..*len).unwrap_or_default()).unwrap_or_default(),
            ),
            Signature::Key(key) => out.push_str(key),
        }
    }
}

/// The HMAC state keyed with `key`. HMAC takes a key of any length (RFC 2104 §2: a longer one
/// than the block is hashed first): the error arm is never taken, and keeps a panic path out of
/// the module.
fn mac<M: KeyInit>(key: &[u8]) -> M {
    M::new_from_slice(key).unwrap_or_else(|_| M::new(&Default::default()))
}

/// Appends the body hash of `body` for `method` (draft-eaton-oauth-bodyhash §3.2): the base64 of
/// its SHA-1, SHA-256 or SHA-512. Nothing for PLAINTEXT, which has no hash (the signer refuses a
/// body hash with it before it gets here). (`Digest::digest` is also what HMAC hashes a long key
/// with, so this adds no hashing code of its own: measured smaller, 2026-12-08, than feeding the
/// hashes' block-level cores directly.)
pub(crate) fn write_body_hash(method: SignatureMethod, body: &[u8], out: &mut String) {
    match method {
        SignatureMethod::HmacSha1 => write_base64(&Sha1::digest(body), out),
        SignatureMethod::HmacSha256 => write_base64(&Sha256::digest(body), out),
        SignatureMethod::HmacSha512 => write_base64(&Sha512::digest(body), out),
        SignatureMethod::Plaintext => {}
    }
}

/// The RFC 4648 §4 alphabet (`+`, `/`).
pub(crate) const STANDARD: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends the base64 (RFC 4648 §4, `=` padding) of `bytes` (at most 66 of them) to `out`: the
/// signatures (digests of 20 to 64 bytes) and the body hashes.
///
/// Hand-written rather than the `base64` crate, by measurement (2026-12-03, the shipped
/// package): `base64` 0.22 with `default-features = false`, called with care
/// (`Engine::encode_slice` into a stack buffer, no allocation, no panic path), made the page
/// load 758 B more gzipped (33,695 against 32,937 B) at the same speed (within 2% on the three
/// benchmark requests in Node). The budget for a design crate is 300 B and 5%.
pub(crate) fn write_base64(bytes: &[u8], out: &mut String) {
    let mut buf = [0; 88];
    let len = base64_into(bytes, &mut buf);
    out.push_str(core::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default());
}

/// Writes the base64 of `bytes` (at most 66 of them: the rest is left out) into `buf` and
/// returns its length.
fn base64_into(bytes: &[u8], buf: &mut [u8; 88]) -> usize {
    let mut len = 0;
    let mut put = |c: u8| {
        if let Some(slot) = buf.get_mut(len) {
            *slot = c;
            len += 1;
        }
    };
    let sextet = |n: u32, shift: u32| STANDARD[(n >> shift & 63) as usize];
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i as u32));
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            put(if i <= chunk.len() {
                sextet(n, shift)
            } else {
                b'='
            });
        }
    }
    len
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base64(bytes: &[u8]) -> String {
        let mut out = String::new();
        write_base64(bytes, &mut out);
        out
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The raw digest of `text` under a key of raw bytes, through the key type the signer uses.
    fn digest(method: SignatureMethod, key: &[u8], text: &[u8]) -> Vec<u8> {
        let key = SigningKey {
            key: match method {
                SignatureMethod::HmacSha1 => Key::Sha1(mac(key)),
                SignatureMethod::HmacSha256 => Key::Sha256(mac(key)),
                SignatureMethod::HmacSha512 => Key::Sha512(mac(key)),
                SignatureMethod::Plaintext => unreachable!("no digest"),
            },
        };
        let mut out = String::new();
        key.sign_into(text, &mut out);
        decode_base64(&out)
    }

    /// Standard padded base64, decoded by a plain loop (the tests' own, not ours).
    fn decode_base64(s: &str) -> Vec<u8> {
        let value = |c: u8| STANDARD.iter().position(|&x| x == c).unwrap() as u32;
        let digits: Vec<u32> = s.bytes().filter(|&c| c != b'=').map(value).collect();
        let mut out = Vec::new();
        for chunk in digits.chunks(4) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, d)| n | d << (18 - 6 * i as u32));
            for i in 0..chunk.len() - 1 {
                out.push((n >> (16 - 8 * i as u32)) as u8);
            }
        }
        out
    }

    #[test]
    fn rfc2202_and_rfc4231_vectors() {
        use SignatureMethod::*;
        // RFC 2202 §3 (HMAC-SHA1): test cases 1, 2, 3 and 6 (an 80-byte key, hashed first);
        // RFC 4231 §4 (HMAC-SHA256 and HMAC-SHA512): test cases 1, 2 and 6 (a 131-byte key).
        let tc6 = b"Test Using Larger Than Block-Size Key - Hash Key First";
        let cases: [(SignatureMethod, &[u8], &[u8], &str); 10] = [
            (HmacSha1, &[0x0b; 20], b"Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"),
            (HmacSha1, b"Jefe", b"what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
            (HmacSha1, &[0xaa; 20], &[0xdd; 50], "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
            (HmacSha1, &[0xaa; 80], tc6, "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
            (HmacSha256, &[0x0b; 20], b"Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (HmacSha256, b"Jefe", b"what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            (HmacSha256, &[0xaa; 131], tc6, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            (HmacSha512, &[0x0b; 20], b"Hi There", "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
            (HmacSha512, b"Jefe", b"what do ya want for nothing?", "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
            (HmacSha512, &[0xaa; 131], tc6, "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
        ];
        for (method, key, text, expected) in cases {
            assert_eq!(hex(&digest(method, key, text)), expected, "{method:?}");
        }
    }

    #[test]
    fn one_key_signs_many_texts() {
        // The keyed state is cloned per signature: signing must never change it. Message
        // lengths across the one- and two-block padding of SHA-1 and SHA-2, keys shorter
        // than, equal to and longer than the block, each key used for every length in turn;
        // against the `hmac` crate used directly.
        let data: Vec<u8> = (0..400u32).map(|i| (i * 7 + 3) as u8).collect();
        for key_len in [0, 1, 20, 63, 64, 65, 127, 128, 129, 200] {
            let key = &data[..key_len];
            for len in (0..300).chain((0..300).rev()) {
                let text = &data[..len];
                let mut m1 = <Hmac<Sha1> as Mac>::new_from_slice(key).unwrap();
                m1.update(text);
                assert_eq!(
                    digest(SignatureMethod::HmacSha1, key, text),
                    m1.finalize().into_bytes().to_vec()
                );
                let mut m2 = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap();
                m2.update(text);
                assert_eq!(
                    digest(SignatureMethod::HmacSha256, key, text),
                    m2.finalize().into_bytes().to_vec()
                );
                let mut m5 = <Hmac<Sha512> as Mac>::new_from_slice(key).unwrap();
                m5.update(text);
                assert_eq!(
                    digest(SignatureMethod::HmacSha512, key, text),
                    m5.finalize().into_bytes().to_vec(),
                    "key {key_len} text {len}"
                );
            }
        }
    }

    #[test]
    fn the_key_is_the_encoded_secrets() {
        let mut m = <Hmac<Sha1> as Mac>::new_from_slice(b"c%20s&t%26s").unwrap();
        m.update(b"data");
        assert_eq!(
            SigningKey::new("c s", "t&s").sign("data"),
            base64(&m.finalize().into_bytes())
        );
        let long = "a".repeat(79);
        let mut m = <Hmac<Sha512> as Mac>::new_from_slice(format!("{long}&").as_bytes()).unwrap();
        m.update(b"data");
        assert_eq!(
            SigningKey::for_method(SignatureMethod::HmacSha512, &long, "").sign("data"),
            base64(&m.finalize().into_bytes())
        );
        // RFC 5849 §3.4.4: PLAINTEXT is the key itself, whatever the text.
        let plain = SigningKey::for_method(SignatureMethod::Plaintext, "c s", "t&s");
        assert_eq!(plain.sign("anything"), "c%20s&t%26s");
        assert_eq!(plain.method(), SignatureMethod::Plaintext);
        assert_eq!(
            SigningKey::for_method(SignatureMethod::Plaintext, "cs", "").sign(""),
            "cs&"
        );
    }

    #[test]
    fn methods_parse_as_they_are_written() {
        for m in SignatureMethod::ALL {
            assert_eq!(SignatureMethod::parse(m.as_str()), Ok(m));
            assert_eq!(SigningKey::for_method(m, "a", "b").method(), m);
        }
        for bad in ["hmac-sha1", "HMAC-SHA-256", "RSA-SHA1", "", "PLAINTEXT "] {
            assert_eq!(
                SignatureMethod::parse(bad).unwrap_err().code(),
                "INVALID_OPTIONS"
            );
        }
        assert_eq!(SignatureMethod::default(), SignatureMethod::HmacSha1);
    }

    #[test]
    fn body_hashes() {
        // draft-eaton-oauth-bodyhash-00 §4.1: "Hello World!" has the SHA-1 body hash
        // Lve95gjOVATpfV8EL5X4nxwjKHE=; the empty body's is 2jmj7l5rSw0yVb/vlWAYkK/YBwk=.
        let hash = |m, b: &[u8]| {
            let mut out = String::new();
            write_body_hash(m, b, &mut out);
            out
        };
        assert_eq!(
            hash(SignatureMethod::HmacSha1, b"Hello World!"),
            "Lve95gjOVATpfV8EL5X4nxwjKHE="
        );
        assert_eq!(
            hash(SignatureMethod::HmacSha1, b""),
            "2jmj7l5rSw0yVb/vlWAYkK/YBwk="
        );
        // FIPS 180-2 "abc".
        assert_eq!(
            hex(&decode_base64(&hash(SignatureMethod::HmacSha256, b"abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&decode_base64(&hash(SignatureMethod::HmacSha512, b"abc"))),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        assert_eq!(hash(SignatureMethod::Plaintext, b"abc"), "");
    }

    #[test]
    fn base64_rfc4648_vectors() {
        // RFC 4648 §10.
        for (input, padded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), padded);
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
        // Every length up to a SHA-512 digest, against the `base64` crate.
        use base64::Engine as _;
        let long: Vec<u8> = (0..64).map(|i| (i * 97 + 13) as u8).collect();
        for len in 0..=64 {
            assert_eq!(
                base64(&long[..len]),
                base64::engine::general_purpose::STANDARD.encode(&long[..len])
            );
        }
        assert_eq!(decode_base64(&base64(&long)), long);
    }

    #[test]
    fn debug_hides_the_key() {
        for m in SignatureMethod::ALL {
            let key = SigningKey::for_method(m, "consumer-secret-value", "token-secret-value");
            assert_eq!(format!("{key:?}"), "<hidden>");
        }
    }
}
