//! Request parameters: collection and normalization.
//!
//! Implements [RFC 5849 §3.4.1.3](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.3):
//! the parameters are the query component of the URL, the body when it is single-part
//! `application/x-www-form-urlencoded` (§3.4.1.3.1; which bodies those are is decided in
//! [`body`](crate::body)), and the `oauth_*` protocol parameters (without `oauth_signature`
//! and `realm`; see [`protocol`](crate::protocol)). Normalization (§3.4.1.3.2)
//! percent-encodes every name and value, sorts by encoded name and then encoded value (byte
//! order), joins each pair with `=` and the pairs with `&`.
//!
//! [`ParamList`] encodes each name and value once, into one buffer, so collecting and sorting
//! make no allocation per parameter, and the sort compares encoded bytes without re-encoding.

use crate::encoding::{encode_into, for_each_form_pair, UNRESERVED};
use crate::error::Error;
use alloc::string::String;
use alloc::vec::Vec;

/// One parameter: its encoded name and value as byte offsets into [`ParamList::buf`], the
/// first eight bytes of the name as a big-endian number (zero-padded: names hold no NUL once
/// encoded), which orders most pairs of names without comparing them, and whether neither
/// holds a `%` (then encoding them again changes nothing).
#[derive(Debug, Clone, Copy)]
struct Entry {
    name: (u32, u32),
    value: (u32, u32),
    key: u64,
    plain: bool,
}

/// Encoded parameters, ready to be sorted and joined.
#[derive(Debug, Default)]
pub struct ParamList {
    buf: String,
    entries: Vec<Entry>,
    scratch: (Vec<u8>, Vec<u8>),
}

impl ParamList {
    /// An empty list with room for `n` parameters of about `bytes` encoded bytes in all.
    pub(crate) fn with_capacity(n: usize, bytes: usize) -> ParamList {
        ParamList {
            buf: String::with_capacity(bytes),
            entries: Vec::with_capacity(n),
            scratch: (Vec::new(), Vec::new()),
        }
    }

    fn offset(&self) -> u32 {
        // Inputs come from one wasm32 address space or are checked by the caller: a buffer
        // of 4 GiB of parameters cannot be built in the first place.
        u32::try_from(self.buf.len()).unwrap_or(u32::MAX)
    }

    /// Adds one decoded name and value (they are percent-encoded here).
    pub fn push(&mut self, name: &str, value: &str) {
        let n0 = self.offset();
        let escaped = encode_into(name, &mut self.buf, UNRESERVED);
        let n1 = self.offset();
        let escaped = encode_into(value, &mut self.buf, UNRESERVED) || escaped;
        let v1 = self.offset();
        self.entries.push(Entry {
            name: (n0, n1),
            value: (n1, v1),
            key: self.key((n0, n1)),
            plain: !escaped,
        });
    }

    /// Adds a name and value that are already percent-encoded (§3.6).
    pub(crate) fn push_encoded(&mut self, name: &str, value: &str) {
        let n0 = self.offset();
        self.buf.push_str(name);
        let n1 = self.offset();
        self.buf.push_str(value);
        let v1 = self.offset();
        let plain = !name.bytes().chain(value.bytes()).any(|b| b == b'%');
        self.entries.push(Entry {
            name: (n0, n1),
            value: (n1, v1),
            key: self.key((n0, n1)),
            plain,
        });
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

    /// The sort key of an encoded name: its first eight bytes, big-endian, zero-padded.
    fn key(&self, name: (u32, u32)) -> u64 {
        let mut key = [0u8; 8];
        for (k, b) in key.iter_mut().zip(self.slice(name).bytes()) {
            *k = b;
        }
        u64::from_be_bytes(key)
    }

    fn slice(&self, (start, end): (u32, u32)) -> &str {
        self.buf
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no parameters.
    // For the fuzz targets (clippy wants it beside `len`).
    #[allow(dead_code)]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The index of the first parameter whose encoded name starts with `prefix` and is one of
    /// `names` (the prefix spares comparing every name with every one of `names`).
    pub(crate) fn position_named(&self, prefix: &str, names: &[&str]) -> Option<usize> {
        self.entries.iter().position(|e| {
            let name = self.slice(e.name);
            name.starts_with(prefix) && names.contains(&name)
        })
    }

    /// The length of the normalized string: every encoded name and value, `=` and `&`.
    pub(crate) fn normalized_len(&self) -> usize {
        self.buf.len() + 2 * self.entries.len()
    }

    /// The encoded name and value of parameter `i`, in the order they were added.
    pub(crate) fn encoded(&self, i: usize) -> (&str, &str) {
        self.entries
            .get(i)
            .map_or(("", ""), |e| (self.slice(e.name), self.slice(e.value)))
    }

    /// Calls `f` with the indices of the parameters in normalized order (§3.4.1.3.2): by
    /// encoded name, then encoded value, byte order. The entries keep the order they were added
    /// in: an index is sorted, on the stack when there are few.
    fn with_sorted<R>(&self, f: impl FnOnce(&[u32]) -> R) -> R {
        const FEW: usize = 64;
        let buf = self.buf.as_bytes();
        let bytes = |(s, e): (u32, u32)| buf.get(s as usize..e as usize).unwrap_or_default();
        let le =
            |&a: &u32, &b: &u32| match (self.entries.get(a as usize), self.entries.get(b as usize))
            {
                (Some(a), Some(b)) if a.key != b.key => a.key < b.key,
                (Some(a), Some(b)) => {
                    (bytes(a.name), bytes(a.value)) <= (bytes(b.name), bytes(b.value))
                }
                _ => true,
            };
        let n = self.entries.len();
        if n <= FEW {
            let mut order = [0u32; FEW];
            for (i, slot) in order.iter_mut().enumerate().take(n) {
                *slot = i as u32;
            }
            let order = order.get_mut(..n).unwrap_or_default();
            insertion_sort(order, le);
            f(order)
        } else {
            let mut order: Vec<u32> = (0..n as u32).collect();
            merge_sort(&mut order, le);
            f(&order)
        }
    }

    /// Appends the percent-encoding of the normalized parameter string (the last part of the
    /// signature base string, §3.4.1.1), then the normalized parameter string itself
    /// (§3.4.1.3.2); returns where the second starts.
    ///
    /// Names and values are already encoded, so they hold only unreserved characters and `%`;
    /// encoding them again turns each `%` into `%25`, `=` into `%3D` and `&` into `%26`.
    pub(crate) fn write_normalized(&self, out: &mut String) -> usize {
        self.with_sorted(|order| {
            let entries = || order.iter().filter_map(|&i| self.entries.get(i as usize));
            for (i, e) in entries().enumerate() {
                if i > 0 {
                    out.push_str("%26");
                }
                let (name, value) = (self.slice(e.name), self.slice(e.value));
                if e.plain {
                    out.push_str(name);
                    out.push_str("%3D");
                    out.push_str(value);
                } else {
                    push_reencoded(out, name);
                    out.push_str("%3D");
                    push_reencoded(out, value);
                }
            }
            let start = out.len();
            for (i, e) in entries().enumerate() {
                if i > 0 {
                    out.push('&');
                }
                out.push_str(self.slice(e.name));
                out.push('=');
                out.push_str(self.slice(e.value));
            }
            start
        })
    }
}

/// Sorts `v` by `le` (stable), bottom-up merge sort. A dozen lines instead of the standard
/// library's sort, which adds 8 KB to the wasm module; a request has tens of parameters, and
/// a list already in order (the common case) is checked in one pass.
fn merge_sort<T: Copy>(v: &mut Vec<T>, le: impl Fn(&T, &T) -> bool) {
    let n = v.len();
    if v.windows(2).all(|w| matches!(w, [a, b] if le(a, b))) {
        return;
    }
    let mut src = core::mem::take(v);
    let mut dst = Vec::with_capacity(n);
    let mut width = 1;
    while width < n {
        dst.clear();
        for chunk in src.chunks(2 * width) {
            let (left, right) = chunk.split_at_checked(width).unwrap_or((chunk, &[]));
            let (mut l, mut r) = (left.iter().peekable(), right.iter().peekable());
            while let (Some(a), Some(b)) = (l.peek(), r.peek()) {
                if le(a, b) {
                    dst.push(**a);
                    l.next();
                } else {
                    dst.push(**b);
                    r.next();
                }
            }
            dst.extend(l.chain(r));
        }
        core::mem::swap(&mut src, &mut dst);
        width *= 2;
    }
    *v = src;
}

#[cfg(any(test, feature = "internals"))]
#[allow(dead_code)] // used by the unit tests and the fuzz targets
impl ParamList {
    /// The normalized parameter string (§3.4.1.3.2).
    pub fn normalized(&mut self) -> String {
        let mut out = String::new();
        let start = self.write_normalized(&mut out);
        out.split_off(start)
    }
}

/// Sorts a short `v` by `le` (stable), by insertion: a request's parameters are few and
/// mostly in order already (the protocol parameters come last and sort last).
fn insertion_sort<T: Copy>(v: &mut [T], le: impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let Some(&x) = v.get(i) else { break };
        let mut j = i;
        while let Some(&prev) = j.checked_sub(1).and_then(|k| v.get(k)) {
            if le(&prev, &x) {
                break;
            }
            if let Some(slot) = v.get_mut(j) {
                *slot = prev;
            }
            j -= 1;
        }
        if let Some(slot) = v.get_mut(j) {
            *slot = x;
        }
    }
}

/// Appends an already encoded string encoded once more: every `%` becomes `%25` (the other
/// bytes of an encoded string are unreserved).
fn push_reencoded(out: &mut String, s: &str) {
    for b in s.bytes() {
        out.push(char::from(b));
        if b == b'%' {
            out.push_str("25");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::percent_encode;

    fn normalize(p: &mut ParamList) -> String {
        let mut out = String::new();
        let start = p.write_normalized(&mut out);
        let (e, n) = out.split_at(start);
        assert_eq!(
            e,
            percent_encode(n),
            "the encoded form is the encoding of {n}"
        );
        n.to_string()
    }

    #[test]
    fn sorts_by_encoded_bytes() {
        let mut p = ParamList::default();
        for v in ["z", "é", "a/b", "a.b"] {
            p.push("k", v);
        }
        assert_eq!(normalize(&mut p), "k=%C3%A9&k=a%2Fb&k=a.b&k=z");
    }

    #[test]
    fn form_input_is_decoded_then_encoded() {
        let mut p = ParamList::default();
        p.push_form("a=x!y&a=x+y&c2", "bad query").unwrap();
        assert_eq!(normalize(&mut p), "a=x%20y&a=x%21y&c2=");
        assert_eq!(p.len(), 3);
        let mut p = ParamList::default();
        assert!(p.push_form("a=%zz", "bad query").is_err());
    }

    #[test]
    fn sorts_are_stable() {
        let mut state = 12345u32;
        for n in 0..100 {
            let mut v: Vec<(u32, usize)> = (0..n)
                .map(|i| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    ((state >> 16) % 7, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|x| x.0);
            let mut w = v.clone();
            merge_sort(&mut v, |a, b| a.0 <= b.0);
            assert_eq!(v, expected, "n = {n}");
            insertion_sort(&mut w, |a, b| a.0 <= b.0);
            assert_eq!(w, expected, "n = {n}");
        }
    }

    #[test]
    fn encoded_names_are_found() {
        let mut p = ParamList::default();
        p.push("a", "1");
        p.push_encoded("oauth_nonce", "x");
        assert_eq!(
            p.position_named("oauth_", &["oauth_nonce", "oauth_token"]),
            Some(1)
        );
        assert_eq!(p.position_named("", &["b"]), None);
        assert_eq!(p.normalized_len(), normalize(&mut p).len() + 1);
    }
}
