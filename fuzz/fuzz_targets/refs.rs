//! Small independent references shared by the fuzz targets: written from RFC 5849 §3.6 and the
//! WHATWG form-urlencoded parser, not from the crate's code.

#![allow(dead_code)]

/// RFC 5849 §3.6: every byte outside `A-Z a-z 0-9 - . _ ~` as `%XX`, upper-case hex.
pub fn rfc3986(s: &str) -> String {
    let mut out = String::new();
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Strict form decoding of one name or value: `+` is a space, `%XX` a byte, any other `%` an
/// error (`None`), and the bytes must be UTF-8.
pub fn form_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let h = hex(*b.get(i + 1)?)?;
                let l = hex(*b.get(i + 2)?)?;
                out.push(h * 16 + l);
                i += 3;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The pairs of a form-encoded string, empty segments skipped; `None` if any escape is bad.
pub fn form_pairs(s: &str) -> Option<Vec<(String, String)>> {
    s.split('&')
        .filter(|seg| !seg.is_empty())
        .map(|seg| {
            let (n, v) = seg.split_once('=').unwrap_or((seg, ""));
            Some((form_decode(n)?, form_decode(v)?))
        })
        .collect()
}

/// The normalized parameter string of §3.4.1.3.2 from decoded pairs.
pub fn normalize(pairs: &[(String, String)]) -> String {
    let mut enc: Vec<(String, String)> = pairs
        .iter()
        .map(|(n, v)| (rfc3986(n), rfc3986(v)))
        .collect();
    enc.sort();
    enc.iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A path with every character outside RFC 3986 `pchar` and `/` percent-encoded (upper-case
/// hex), existing escapes kept: the form this crate sends, computed from any spelling.
pub fn canonical_path(p: &str) -> String {
    let mut out = String::new();
    for &b in p.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
