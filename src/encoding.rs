//! Percent encoding and form decoding.
//!
//! Implements [RFC 5849 §3.6](https://www.rfc-editor.org/rfc/rfc5849#section-3.6): values are
//! UTF-8 encoded and every byte outside the RFC 3986 unreserved set `A-Z a-z 0-9 - . _ ~` is
//! written as `%XX` with upper-case hex digits. Also the strict decoding of
//! `application/x-www-form-urlencoded` input (query strings and form bodies) that
//! [§3.4.1.3.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.3.1) calls for:
//! `+` is a space, `%XX` is a byte, and anything else malformed is an error rather than a
//! silently different signature.
//!
//! There is one encoder, [`encode_into`], table-driven: one lookup per byte decides whether
//! the byte stays, for each of the three sets this crate needs (the unreserved set of §3.6, and
//! the characters a URL path or query may carry as they stand, [`PATH`] and [`QUERY`]). Measured
//! against the `percent-encoding` crate on the benchmark's requests: in the shipped wasm build
//! it signs the 50-parameter unicode request 10% faster (52 µs against 58 µs in Node) and the
//! module is 450 bytes smaller gzipped; natively the crate's iterator is faster (2.5 against
//! 3.0 ns per byte of those values), but the package is what is shipped.

use crate::error::Error;
use alloc::string::String;
use alloc::vec::Vec;

/// A set of bytes that stand for themselves, as a bit of [`CLASS`].
#[derive(Clone, Copy)]
pub(crate) struct Set(u8);

/// The RFC 3986 unreserved set (RFC 5849 §3.6): everything else is percent-encoded.
pub(crate) const UNRESERVED: Set = Set(1);
/// Bytes that may stand unencoded in a URL path: RFC 3986 `pchar`, `/`, and `%` (which starts
/// an escape the URL parser has already checked).
pub(crate) const PATH: Set = Set(2);
/// Bytes that may stand unencoded in a URL query: as in a path, plus `?`.
pub(crate) const QUERY: Set = Set(4);

/// The bit of [`CLASS`] for the bytes [`RequestUrl::parse`](crate::uri::RequestUrl::parse)'s
/// first scan stops at (see [`is_url_mark`]).
const URL_MARK: u8 = 8;

/// For each byte, the sets it stands unencoded in, and [`URL_MARK`].
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let unreserved = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        let sub_delim = matches!(
            c,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
        );
        let path = unreserved || sub_delim || matches!(c, b':' | b'@' | b'/' | b'%');
        let url_mark = c.is_ascii_control() || matches!(c, b':' | b'/' | b'?' | b'#' | b'\\');
        table[b] = (unreserved as u8)
            | (path as u8) << 1
            | ((path || c == b'?') as u8) << 2
            | (url_mark as u8) << 3;
        b += 1;
    }
    table
};

/// Whether byte `b` stands unencoded in `set`.
#[inline]
pub(crate) fn stays(b: u8, set: Set) -> bool {
    CLASS[usize::from(b)] & set.0 != 0
}

/// Whether byte `b` is a control character or one of `:` `/` `?` `#` `\\`: the bytes a URL's
/// first scan has to look at. One lookup lets it skip every other byte (measured natively on
/// the benchmark's listing request: the scan with a comparison per kind of byte was 12% of the
/// signature's time).
#[inline]
pub(crate) fn is_url_mark(b: u8) -> bool {
    CLASS[usize::from(b)] & URL_MARK != 0
}

/// Appends `s` to `out` with every byte outside `set` percent-encoded; returns whether any
/// byte was.
///
/// A string that needs no encoding is copied at once. Otherwise bytes are written one by one:
/// in wasm a copy is a call, which costs more than the few bytes between two escapes.
pub(crate) fn encode_into(s: &str, out: &mut String, set: Set) -> bool {
    let Some(first) = s.bytes().position(|b| !stays(b, set)) else {
        out.push_str(s);
        return false;
    };
    out.reserve(s.len() + 2 * (s.len() - first));
    let mut run = 0;
    for (i, b) in s.bytes().enumerate().skip(first) {
        if !stays(b, set) {
            // Runs that stay are ASCII: their ends are char boundaries. A long run is copied,
            // a short one written byte by byte.
            if i - run > 8 {
                out.push_str(s.get(run..i).unwrap_or_default());
            } else {
                for c in s.bytes().take(i).skip(run) {
                    out.push(char::from(c));
                }
            }
            push_escape(out, b);
            run = i + 1;
        }
    }
    out.push_str(s.get(run.max(first)..).unwrap_or_default());
    true
}

/// Appends `%XX` (upper-case hex) for one byte.
#[inline]
pub(crate) fn push_escape(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 15)]));
}

/// Whether `s` needs no encoding in `set`.
pub(crate) fn all_stay(s: &str, set: Set) -> bool {
    s.bytes().all(|b| stays(b, set))
}

/// The RFC 5849 §3.6 percent-encoding of `s`: UTF-8, every byte outside the RFC 3986
/// unreserved set as `%XX` in upper-case hex.
///
/// ```
/// assert_eq!(contextio_signer::percent_encode("a b+c/é~"), "a%20b%2Bc%2F%C3%A9~");
/// ```
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    encode_into(s, &mut out, UNRESERVED);
    out
}

/// The value of one ASCII hex digit.
#[inline]
pub(crate) const fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Checks that every `%` in `s` starts a `%XX` escape with two hex digits.
///
/// # Errors
///
/// [`Error::InvalidEncoding`] with `message` when one does not.
pub(crate) fn check_escapes(s: &str, message: &'static str) -> Result<(), Error> {
    // Each `%` but the first starts a piece after the split: its first two bytes must be hex.
    for piece in split_at_byte(s, b'%').skip(1) {
        match piece.as_bytes() {
            [h, l, ..] if hex_value(*h).is_some() && hex_value(*l).is_some() => {}
            _ => return Err(Error::InvalidEncoding(message)),
        }
    }
    Ok(())
}

/// Decodes one `application/x-www-form-urlencoded` name or value into `out` (cleared first):
/// `+` becomes a space and `%XX` the byte it names.
///
/// # Errors
///
/// [`Error::InvalidEncoding`] with `message` for a `%` not followed by two hex digits, or
/// for bytes that are not UTF-8 once decoded.
pub(crate) fn form_decode_into<'o>(
    s: &str,
    out: &'o mut Vec<u8>,
    message: &'static str,
) -> Result<&'o str, Error> {
    out.clear();
    let mut rest = s.as_bytes();
    loop {
        // Copy the run up to the next byte that needs decoding in one piece.
        let run = rest
            .iter()
            .position(|&c| c == b'+' || c == b'%')
            .unwrap_or(rest.len());
        let (plain, tail) = rest.split_at_checked(run).unwrap_or((rest, &[]));
        out.extend_from_slice(plain);
        rest = match tail {
            [] => break,
            [b'+', after @ ..] => {
                out.push(b' ');
                after
            }
            [b'%', h, l, after @ ..] => match (hex_value(*h), hex_value(*l)) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    after
                }
                _ => return Err(Error::InvalidEncoding(message)),
            },
            _ => return Err(Error::InvalidEncoding(message)),
        };
    }
    core::str::from_utf8(out)
        .map_err(|_| Error::InvalidEncoding("percent-escapes decode to bytes that are not UTF-8"))
}

/// Calls `f(name, value)` for each decoded pair of the form-encoded string `s`, in order,
/// keeping duplicates and empty values (`c2` and `c2=` both give `("c2", "")`). Empty segments
/// (`a&&b`) are skipped, as the WHATWG URL standard does. `scratch` is reused, so no
/// allocation is made per pair.
///
/// # Errors
///
/// [`Error::InvalidEncoding`] with `message` as in `form_decode_into`.
pub fn for_each_form_pair(
    s: &str,
    scratch: &mut (Vec<u8>, Vec<u8>),
    message: &'static str,
    mut f: impl FnMut(&str, &str),
) -> Result<(), Error> {
    for segment in split_at_byte(s, b'&').filter(|seg| !seg.is_empty()) {
        let (name, value) = split_once_at(segment, b'=').unwrap_or((segment, ""));
        let name = form_decode_into(name, &mut scratch.0, message)?;
        let value = form_decode_into(value, &mut scratch.1, message)?;
        f(name, value);
    }
    Ok(())
}

/// `s` split at each `sep`, an ASCII byte (so every piece is a `str`). Byte loops rather than
/// `str::split`: core's string searchers bring panic paths that link `core::fmt` into the wasm
/// module.
pub(crate) fn split_at_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    core::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == sep) {
            Some(i) => {
                rest = r.get(i + 1..);
                r.get(..i)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// `s` split at its first `sep` (an ASCII byte), without it.
pub(crate) fn split_once_at(s: &str, sep: u8) -> Option<(&str, &str)> {
    let i = s.bytes().position(|b| b == sep)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// `s` split at its last `sep` (an ASCII byte), without it.
pub(crate) fn rsplit_once_at(s: &str, sep: u8) -> Option<(&str, &str)> {
    let i = s.bytes().rposition(|b| b == sep)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// `s` without leading and trailing HTTP whitespace (space, tab, CR, LF).
pub(crate) fn trim_http_whitespace(s: &str) -> &str {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let bytes = s.as_bytes();
    let start = bytes.iter().position(|b| !ws(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !ws(b)).map_or(start, |i| i + 1);
    s.get(start..end).unwrap_or_default()
}

/// Whether a `Content-Type` value names a single-part `application/x-www-form-urlencoded` body
/// (media type compared case-insensitively, parameters such as `; charset=utf-8` ignored).
pub(crate) fn is_form_content_type(content_type: &str) -> bool {
    let media = split_at_byte(content_type, b';').next().unwrap_or("");
    trim_http_whitespace(media).eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// The decimal digits of `n`, written at the end of `buf` (no `core::fmt`, which the wasm build
/// avoids): the one decimal writer (timestamps, ports, the diagnosis' numbers).
pub(crate) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    // Least significant digit first, from the end; no indexing (and so no panic path, which
    // would link `core::fmt` into the wasm module).
    let mut start = buf.len();
    for d in buf.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
        start -= 1;
        if n == 0 {
            break;
        }
    }
    core::str::from_utf8(buf.get(start..).unwrap_or_default()).unwrap_or_default()
}

/// Appends the decimal digits of `n`.
pub(crate) fn push_decimal(out: &mut String, n: u64) {
    out.push_str(decimal(n, &mut [0; 20]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::ToOwned;
    use alloc::vec;

    #[test]
    fn every_byte_against_the_percent_encoding_crate() {
        use percent_encoding::{percent_encode as reference, AsciiSet, NON_ALPHANUMERIC};
        const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~');
        const PATH_REF: &AsciiSet = &RFC3986
            .remove(b'!')
            .remove(b'$')
            .remove(b'&')
            .remove(b'\'')
            .remove(b'(')
            .remove(b')')
            .remove(b'*')
            .remove(b'+')
            .remove(b',')
            .remove(b';')
            .remove(b'=')
            .remove(b':')
            .remove(b'@')
            .remove(b'/')
            .remove(b'%');
        const QUERY_REF: &AsciiSet = &PATH_REF.remove(b'?');
        for b in 0..=255u8 {
            let bytes = [b'a', b, b'z'];
            // A lone byte >= 0x80 is not a str: check those through a UTF-8 sequence below.
            if let Ok(s) = core::str::from_utf8(&bytes) {
                for (set, reference_set) in
                    [(UNRESERVED, RFC3986), (PATH, PATH_REF), (QUERY, QUERY_REF)]
                {
                    let mut ours = String::new();
                    encode_into(s, &mut ours, set);
                    assert_eq!(ours, reference(&bytes, reference_set).to_string(), "{b}");
                    assert_eq!(all_stay(s, set), ours == s, "{b}");
                }
            }
        }
        for c in [
            '\u{80}',
            'é',
            '\u{7FF}',
            '\u{800}',
            '\u{FFFF}',
            '😀',
            '\u{10FFFF}',
        ] {
            let s = c.to_string();
            for set in [UNRESERVED, PATH, QUERY] {
                let mut ours = String::new();
                encode_into(&s, &mut ours, set);
                assert_eq!(ours, reference(s.as_bytes(), RFC3986).to_string());
            }
        }
    }

    #[test]
    fn url_marks_are_the_controls_and_the_url_delimiters_only() {
        for b in 0..=255u8 {
            let expected = b < 0x20 || b == 0x7f || b":/?#\\".contains(&b);
            assert_eq!(is_url_mark(b), expected, "byte {b:#04x}");
        }
    }

    #[test]
    fn decodes_plus_and_escapes() {
        let mut buf = Vec::new();
        assert_eq!(
            form_decode_into("a+b%20c%2b", &mut buf, "x").unwrap(),
            "a b c+"
        );
        assert_eq!(form_decode_into("%C3%a9", &mut buf, "x").unwrap(), "é");
    }

    #[test]
    fn rejects_bad_escapes() {
        let mut buf = Vec::new();
        for bad in ["%", "%2", "%zz", "a%g1", "%%41", "abc%"] {
            assert_eq!(
                form_decode_into(bad, &mut buf, "bad").unwrap_err(),
                Error::InvalidEncoding("bad"),
                "{bad}"
            );
            assert!(check_escapes(bad, "bad").is_err(), "{bad}");
        }
        assert!(form_decode_into("%FF", &mut buf, "x").is_err());
        assert!(check_escapes("%41%2f", "x").is_ok());
    }

    #[test]
    fn parses_pairs_keeping_duplicates_and_empties() {
        let mut got = vec![];
        for_each_form_pair(
            "c2&a3=2+q&a3=a&c2=&&=v",
            &mut (Vec::new(), Vec::new()),
            "x",
            |n, v| got.push((n.to_owned(), v.to_owned())),
        )
        .unwrap();
        let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            got,
            [
                ("c2", ""),
                ("a3", "2 q"),
                ("a3", "a"),
                ("c2", ""),
                ("", "v")
            ]
        );
    }

    #[test]
    fn content_types() {
        assert!(is_form_content_type("application/x-www-form-urlencoded"));
        assert!(is_form_content_type(
            " Application/X-WWW-Form-URLEncoded ;charset=utf-8"
        ));
        assert!(!is_form_content_type("multipart/form-data; boundary=x"));
        assert!(!is_form_content_type(
            "application/x-www-form-urlencoded-extra"
        ));
        assert!(!is_form_content_type(""));
        assert!(!is_form_content_type("application/json"));
    }
}
