//! Request parameters: collection and normalization.
//!
//! Implements [RFC 5849 §3.4.1.3](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.3):
//! the parameters are the query component of the URL, the body when it is single-part
//! `application/x-www-form-urlencoded` (§3.4.1.3.1), and the `oauth_*` protocol parameters
//! (without `oauth_signature` and `realm`). Normalization (§3.4.1.3.2) percent-encodes every
//! name and value, sorts by encoded name and then encoded value (byte order), joins each pair
//! with `=` and the pairs with `&`.
//!
//! [`ParamList`] keeps every encoded name and value in one buffer, so collecting and sorting
//! make no allocation per parameter.

use crate::encoding::{encode_into, for_each_form_pair};
use crate::Error;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

/// The protocol parameters a signer adds itself.
pub const RESERVED: [&str; 7] = [
    "oauth_consumer_key",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_token",
    "oauth_version",
];

/// Encoded parameters, ready to be sorted and joined.
#[derive(Debug, Default, Clone)]
pub struct ParamList {
    buf: String,
    entries: Vec<(Range<usize>, Range<usize>)>,
    scratch: Vec<u8>,
}

impl ParamList {
    /// An empty list with room for `n` parameters.
    pub fn with_capacity(n: usize) -> ParamList {
        ParamList {
            buf: String::with_capacity(n * 24),
            entries: Vec::with_capacity(n),
            scratch: Vec::new(),
        }
    }

    /// Adds one decoded name and value (they are percent-encoded here).
    pub fn push(&mut self, name: &str, value: &str) {
        let n0 = self.buf.len();
        encode_into(name, &mut self.buf);
        let n1 = self.buf.len();
        encode_into(value, &mut self.buf);
        let v1 = self.buf.len();
        self.entries.push((n0..n1, n1..v1));
    }

    /// Adds every pair of a form-encoded string (a query or an `x-www-form-urlencoded` body).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidEncoding`] with `message` for a malformed escape or non-UTF-8 bytes.
    pub fn push_form(&mut self, form: &str, message: &'static str) -> Result<(), Error> {
        let mut scratch = core::mem::take(&mut self.scratch);
        let result = for_each_form_pair(form, &mut scratch, message, |name, value| {
            self.push(name, value)
        });
        self.scratch = scratch;
        result
    }

    /// The length of the normalized string: every encoded name and value, `=` and `&`.
    pub fn encoded_len(&self) -> usize {
        self.buf.len() + 2 * self.entries.len()
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The index of the first parameter named like one the signer itself sends
    /// (`oauth_consumer_key`, `oauth_nonce`, `oauth_signature`, `oauth_signature_method`,
    /// `oauth_timestamp`, `oauth_token`, `oauth_version`). Other `oauth_*` parameters, such as
    /// `oauth_callback` or `oauth_verifier`, are ordinary parameters.
    pub fn reserved_parameter_index(&self) -> Option<usize> {
        self.entries
            .iter()
            .position(|(name, _)| RESERVED.contains(&&self.buf[name.clone()]))
    }

    /// Sorts (§3.4.1.3.2) and writes the normalized parameter string to `out`.
    pub fn write_normalized(&mut self, out: &mut String) {
        let buf = self.buf.as_bytes();
        self.entries.sort_unstable_by(|(an, av), (bn, bv)| {
            buf[an.clone()]
                .cmp(&buf[bn.clone()])
                .then_with(|| buf[av.clone()].cmp(&buf[bv.clone()]))
        });
        for (i, (name, value)) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(&self.buf[name.clone()]);
            out.push('=');
            out.push_str(&self.buf[value.clone()]);
        }
    }

    /// The normalized parameter string (§3.4.1.3.2).
    ///
    /// ```
    /// use contextio_signer::params::ParamList;
    /// let mut p = ParamList::default();
    /// p.push_form("a=x!y&a=x+y&c2", "bad query").unwrap();
    /// assert_eq!(p.normalized(), "a=x%20y&a=x%21y&c2=");
    /// ```
    pub fn normalized(&mut self) -> String {
        let mut out = String::with_capacity(self.buf.len() + 2 * self.entries.len());
        self.write_normalized(&mut out);
        out
    }
}

/// Whether a `Content-Type` value names a single-part `application/x-www-form-urlencoded` body
/// (media type compared case-insensitively, parameters such as `; charset=utf-8` ignored).
///
/// ```
/// use contextio_signer::params::is_form_content_type;
/// assert!(is_form_content_type("Application/X-WWW-Form-URLEncoded; charset=UTF-8"));
/// assert!(!is_form_content_type("application/json"));
/// ```
pub fn is_form_content_type(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("");
    media
        .trim_matches([' ', '\t', '\r', '\n'])
        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_encoded_bytes() {
        let mut p = ParamList::default();
        for v in ["z", "é", "a/b", "a.b"] {
            p.push("k", v);
        }
        assert_eq!(p.normalized(), "k=%C3%A9&k=a%2Fb&k=a.b&k=z");
    }

    #[test]
    fn content_types() {
        assert!(is_form_content_type("application/x-www-form-urlencoded"));
        assert!(is_form_content_type(
            " application/x-www-form-urlencoded ;charset=utf-8"
        ));
        assert!(!is_form_content_type("multipart/form-data; boundary=x"));
        assert!(!is_form_content_type(
            "application/x-www-form-urlencoded-extra"
        ));
        assert!(!is_form_content_type(""));
    }
}
