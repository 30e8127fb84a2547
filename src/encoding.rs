//! Percent encoding and form decoding.
//!
//! Implements [RFC 5849 §3.6](https://www.rfc-editor.org/rfc/rfc5849#section-3.6): values are
//! UTF-8 encoded and every byte outside the RFC 3986 unreserved set `A-Z a-z 0-9 - . _ ~` is
//! written as `%XX` with upper-case hex digits. Also the strict decoding of
//! `application/x-www-form-urlencoded` input (query strings and form bodies) that
//! [§3.4.1.3.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.3.1) calls for:
//! `+` is a space, `%XX` is a byte, and anything else malformed is an error rather than a
//! silently different signature.

use crate::Error;
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

/// Whether `b` is in the RFC 3986 unreserved set and so is never percent-encoded.
#[inline]
pub const fn is_unreserved(b: u8) -> bool {
    UNRESERVED[b as usize]
}

/// The unreserved set as a lookup table (one load per byte in the hot loop).
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// `%00%01...%FF`: the escape of byte `b` is `HEX3[3b..3b+3]`.
const HEX3: &str = "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F\
%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2D%2E%2F%30%31%32%33%34%35%36%37%38%39%3A%3B%3C%3D%3E%3F\
%40%41%42%43%44%45%46%47%48%49%4A%4B%4C%4D%4E%4F%50%51%52%53%54%55%56%57%58%59%5A%5B%5C%5D%5E%5F\
%60%61%62%63%64%65%66%67%68%69%6A%6B%6C%6D%6E%6F%70%71%72%73%74%75%76%77%78%79%7A%7B%7C%7D%7E%7F\
%80%81%82%83%84%85%86%87%88%89%8A%8B%8C%8D%8E%8F%90%91%92%93%94%95%96%97%98%99%9A%9B%9C%9D%9E%9F\
%A0%A1%A2%A3%A4%A5%A6%A7%A8%A9%AA%AB%AC%AD%AE%AF%B0%B1%B2%B3%B4%B5%B6%B7%B8%B9%BA%BB%BC%BD%BE%BF\
%C0%C1%C2%C3%C4%C5%C6%C7%C8%C9%CA%CB%CC%CD%CE%CF%D0%D1%D2%D3%D4%D5%D6%D7%D8%D9%DA%DB%DC%DD%DE%DF\
%E0%E1%E2%E3%E4%E5%E6%E7%E8%E9%EA%EB%EC%ED%EE%EF%F0%F1%F2%F3%F4%F5%F6%F7%F8%F9%FA%FB%FC%FD%FE%FF";

/// The escape `%XX` (upper-case hex) of one byte.
#[inline]
pub(crate) fn escape(b: u8) -> &'static str {
    let i = usize::from(b) * 3;
    HEX3.get(i..i + 3).unwrap_or("%00")
}

/// Appends the RFC 5849 §3.6 percent-encoding of `bytes` to `out`.
pub fn encode_bytes_into(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push_str(escape(b));
        }
    }
}

/// Appends the RFC 5849 §3.6 percent-encoding of `s` to `out`.
///
/// Runs of unreserved bytes are copied as one slice of `s` (they are ASCII, so every run
/// boundary is a char boundary), so a value that needs no encoding costs one copy.
pub fn encode_into(s: &str, out: &mut String) {
    out.reserve(s.len());
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        if !is_unreserved(b) {
            out.push_str(s.get(start..i).unwrap_or_default());
            out.push_str(escape(b));
            start = i + 1;
        }
    }
    out.push_str(s.get(start..).unwrap_or_default());
}

/// The RFC 5849 §3.6 percent-encoding of `s`.
///
/// ```
/// assert_eq!(contextio_signer::encoding::encode("a b+c/é"), "a%20b%2Bc%2F%C3%A9");
/// ```
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    encode_into(s, &mut out);
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
pub fn check_escapes(s: &str, message: &'static str) -> Result<(), Error> {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'%') {
        let p = i + off;
        match (b.get(p + 1), b.get(p + 2)) {
            (Some(&h), Some(&l)) if hex_value(h).is_some() && hex_value(l).is_some() => i = p + 3,
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
pub fn form_decode_into<'o>(
    s: &str,
    out: &'o mut Vec<u8>,
    message: &'static str,
) -> Result<&'o str, Error> {
    out.clear();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = b.get(i + 1).copied().and_then(hex_value);
                let lo = b.get(i + 2).copied().and_then(hex_value);
                match (hi, lo) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => return Err(Error::InvalidEncoding(message)),
                }
                i += 3;
            }
            _ => {
                // Copy the run up to the next byte that needs decoding in one piece.
                let run = b[i..]
                    .iter()
                    .position(|&c| c == b'+' || c == b'%')
                    .map_or(b.len(), |n| i + n);
                out.extend_from_slice(&b[i..run]);
                i = run;
            }
        }
    }
    core::str::from_utf8(out).map_err(|_| Error::InvalidEncoding(UTF8_MESSAGE))
}

const UTF8_MESSAGE: &str = "percent-escapes decode to bytes that are not UTF-8";

/// Decodes a whole form-encoded string into name/value pairs, in order, keeping duplicates and
/// empty values (`c2` and `c2=` both give `("c2", "")`). Empty segments (`a&&b`) are skipped,
/// as the WHATWG URL standard does.
///
/// # Errors
///
/// [`Error::InvalidEncoding`] with `message` as in [`form_decode_into`].
pub fn parse_form(s: &str, message: &'static str) -> Result<Vec<(String, String)>, Error> {
    let mut pairs = Vec::new();
    let mut scratch = Vec::new();
    for_each_form_pair(s, &mut scratch, message, |name, value| {
        pairs.push((name.to_owned(), value.to_owned()))
    })?;
    Ok(pairs)
}

/// Calls `f(name, value)` for each decoded pair of the form-encoded string `s`, reusing
/// `scratch` so that no allocation is made per pair.
pub(crate) fn for_each_form_pair(
    s: &str,
    scratch: &mut Vec<u8>,
    message: &'static str,
    mut f: impl FnMut(&str, &str),
) -> Result<(), Error> {
    let mut value_buf = Vec::new();
    for segment in s.split('&').filter(|seg| !seg.is_empty()) {
        let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
        let name = form_decode_into(name, scratch, message)?;
        let value = form_decode_into(value, &mut value_buf, message)?;
        f(name, value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let pairs = parse_form("c2&a3=2+q&a3=a&c2=&&=v", "x").unwrap();
        let got: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
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
}
