//! The base string URI.
//!
//! Implements [RFC 5849 §3.4.1.2](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.2):
//! scheme and host in lower case, the port only when it is not the scheme's default (80 for
//! `http`, 443 for `https`), the path as sent on the wire (an empty path is `/`), and no query
//! or fragment.
//!
//! The signature must cover exactly what a browser's `fetch` puts on the wire, so this parser
//! is strict where the WHATWG URL parser would silently rewrite a URL (credentials, backslashes,
//! dot segments, non-canonical IPv4 hosts, percent signs in hosts, internationalized hosts):
//! such URLs are an [`Error::InvalidUrl`] rather than a signature the server will reject.
//! Characters that are not allowed in a path or query as they stand (a space, `"`, `<`, `{`,
//! non-ASCII text, ...) are percent-encoded in the URL this crate returns for fetching, and the
//! signature covers that encoded form, which every browser then sends unchanged.

use crate::encoding::check_escapes;
use crate::Error;
use alloc::borrow::ToOwned;
use alloc::string::String;

/// The URL scheme: only `http` and `https` can be signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `http`, default port 80.
    Http,
    /// `https`, default port 443.
    Https,
}

impl Scheme {
    /// The scheme in lower case.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// The port a URL of this scheme uses when none is given.
    pub const fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// An absolute `http(s)` URL split into the parts signing needs, normalized to its wire form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestUrl {
    /// The scheme.
    pub scheme: Scheme,
    /// The host in lower case; an IPv6 address in brackets, in its canonical form.
    pub host: String,
    /// The port, when given and not the scheme's default.
    pub port: Option<u16>,
    /// The path as sent: starts with `/`, valid escapes kept byte-for-byte, characters that are
    /// not allowed in a path percent-encoded.
    pub path: String,
    /// The query without its `?`, characters not allowed in a query percent-encoded; `None`
    /// when the URL has no `?`.
    pub query: Option<String>,
}

const MSG_ABSOLUTE: &str = "url must be an absolute http:// or https:// url";

impl RequestUrl {
    /// Parses an absolute `http://` or `https://` URL. Any fragment is dropped.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`] for a relative or non-http(s) URL, a missing or malformed host, a
    /// bad port, credentials, whitespace or control characters, backslashes or dot segments;
    /// [`Error::InvalidEncoding`] for a `%` not followed by two hex digits.
    pub fn parse(url: &str) -> Result<RequestUrl, Error> {
        if url.bytes().any(|b| b.is_ascii_control()) {
            return Err(Error::InvalidUrl("url must not contain control characters"));
        }
        if url.starts_with(' ') || url.ends_with(' ') {
            return Err(Error::InvalidUrl("url must not start or end with a space"));
        }
        let (scheme_str, rest) = url
            .split_once(':')
            .and_then(|(scheme, rest)| Some((scheme, rest.strip_prefix("//")?)))
            .ok_or(Error::InvalidUrl(MSG_ABSOLUTE))?;
        let scheme = if scheme_str.eq_ignore_ascii_case("http") {
            Scheme::Http
        } else if scheme_str.eq_ignore_ascii_case("https") {
            Scheme::Https
        } else {
            return Err(Error::InvalidUrl(MSG_ABSOLUTE));
        };
        // Drop the fragment: it is never sent.
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let auth_end = rest.find(['/', '?', '\\']).unwrap_or(rest.len());
        let (authority, after) = rest.split_at(auth_end);
        let (path_raw, query_raw) = match after.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (after, None),
        };
        if path_raw.contains('\\') {
            return Err(Error::InvalidUrl(
                "url must not contain a backslash before the query; use /",
            ));
        }
        let (host, port) = parse_authority(authority, scheme)?;
        let path = normalize_path(path_raw)?;
        let query = match query_raw {
            Some(q) => {
                check_escapes(q, "url query has a '%' not followed by two hex digits")?;
                let mut out = String::with_capacity(q.len());
                encode_disallowed(q, &mut out, QUERY_ALLOWED);
                Some(out)
            }
            None => None,
        };
        Ok(RequestUrl {
            scheme,
            host,
            port,
            path,
            query,
        })
    }

    /// Appends the base string URI (§3.4.1.2), not yet percent-encoded, to `out`.
    pub fn write_base_string_uri(&self, out: &mut String) {
        out.push_str(self.scheme.as_str());
        out.push_str("://");
        out.push_str(&self.host);
        if let Some(port) = self.port {
            out.push(':');
            push_u64(out, u64::from(port));
        }
        out.push_str(&self.path);
    }

    /// The base string URI (§3.4.1.2), e.g. `https://api.context.io/lite/users`.
    ///
    /// ```
    /// use contextio_signer::uri::RequestUrl;
    /// let url = RequestUrl::parse("HTTP://EXAMPLE.COM:80/r%20v/X?id=123#top").unwrap();
    /// assert_eq!(url.base_string_uri(), "http://example.com/r%20v/X");
    /// ```
    pub fn base_string_uri(&self) -> String {
        let mut out = String::with_capacity(self.host.len() + self.path.len() + 16);
        self.write_base_string_uri(&mut out);
        out
    }
}

/// Appends the decimal digits of `n` (no `core::fmt`, which the wasm build avoids).
pub(crate) fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

fn parse_authority(authority: &str, scheme: Scheme) -> Result<(String, Option<u16>), Error> {
    if authority.contains('@') {
        return Err(Error::InvalidUrl(
            "url must not contain credentials (user:password@)",
        ));
    }
    let (host_part, port_part) = if let Some(v6) = authority.strip_prefix('[') {
        let (addr, after) = v6
            .split_once(']')
            .ok_or(Error::InvalidUrl("url has an unterminated IPv6 address"))?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or(Error::InvalidUrl(
                "url has characters after the IPv6 address",
            ))?),
        };
        let segments = parse_ipv6(addr).ok_or(Error::InvalidUrl(
            "url has a malformed IPv6 address (write it in hex groups, without an embedded IPv4 part)",
        ))?;
        (canonical_ipv6(segments), port)
    } else {
        let (h, p) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        (normalize_host(h)?, p)
    };
    let port = match port_part {
        None | Some("") => None,
        Some(p) => {
            if !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::InvalidUrl("url port must be a number"));
            }
            let trimmed = p.trim_start_matches('0');
            let n: u32 = if trimmed.is_empty() {
                0
            } else if trimmed.len() > 5 {
                return Err(Error::InvalidUrl("url port must be at most 65535"));
            } else {
                trimmed
                    .parse()
                    .map_err(|_| Error::InvalidUrl("url port must be a number"))?
            };
            let n = u16::try_from(n)
                .map_err(|_| Error::InvalidUrl("url port must be at most 65535"))?;
            (n != scheme.default_port()).then_some(n)
        }
    };
    Ok((host_part, port))
}

fn normalize_host(host: &str) -> Result<String, Error> {
    if host.is_empty() {
        return Err(Error::InvalidUrl("url must have a host"));
    }
    if !host.is_ascii() {
        return Err(Error::InvalidUrl(
            "url host must be ASCII; write an internationalized domain in punycode (xn--)",
        ));
    }
    if let Some(bad) = host
        .bytes()
        .find(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')))
    {
        return Err(Error::InvalidUrl(match bad {
            b'%' => "url host must not be percent-encoded",
            b' ' => "url host must not contain spaces",
            _ => "url host contains a character that is not allowed in a host name",
        }));
    }
    let host = host.to_ascii_lowercase();
    // The WHATWG URL parser reads a host whose last label is numeric as an IPv4 address and
    // rewrites it (`127.1` becomes `127.0.0.1`, `0x7f.1` too). Accept only the canonical
    // dotted-quad form so that what is signed is what is sent.
    let last = host.trim_end_matches('.').rsplit('.').next().unwrap_or("");
    let numeric = !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || (last.starts_with("0x") && last[2..].bytes().all(|b| b.is_ascii_hexdigit())));
    if numeric && !is_canonical_ipv4(&host) {
        return Err(Error::InvalidUrl(
            "url host looks like an IPv4 address but is not in dotted-quad form (a.b.c.d)",
        ));
    }
    Ok(host)
}

fn is_canonical_ipv4(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        let ok = !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
            && part.parse::<u16>().is_ok_and(|n| n <= 255);
        if !ok {
            return false;
        }
    }
    parts == 4
}

/// Parses an IPv6 address of hex groups (RFC 4291 §2.2 forms 1 and 2: at most one `::`).
/// The embedded-IPv4 form (`::ffff:1.2.3.4`) is not accepted: written in hex it is the same
/// address, and the parser stays small.
fn parse_ipv6(s: &str) -> Option<[u16; 8]> {
    fn groups(part: &str, out: &mut [u16; 8], at: usize) -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let mut n = 0;
        for group in part.split(':') {
            let hex = group.bytes().all(|b| b.is_ascii_hexdigit());
            if group.is_empty() || group.len() > 4 || !hex || n + at >= 8 {
                return None;
            }
            out[at + n] = u16::from_str_radix(group, 16).ok()?;
            n += 1;
        }
        Some(n)
    }
    let mut seg = [0u16; 8];
    match s.split_once("::") {
        None => (groups(s, &mut seg, 0)? == 8).then_some(seg),
        Some((head, tail)) => {
            if tail.contains("::") {
                return None;
            }
            let h = groups(head, &mut seg, 0)?;
            let mut rest = [0u16; 8];
            let t = groups(tail, &mut rest, 0)?;
            if h + t > 7 {
                return None;
            }
            seg[8 - t..].copy_from_slice(&rest[..t]);
            Some(seg)
        }
    }
}

/// Serializes an IPv6 address as the WHATWG URL standard does: lower-case hex, the first
/// longest run of two or more zero pieces compressed to `::`, no embedded IPv4 form.
fn canonical_ipv6(seg: [u16; 8]) -> String {
    let (mut best_start, mut best_len) = (usize::MAX, 1);
    let mut i = 0;
    while i < 8 {
        if seg[i] == 0 {
            let start = i;
            while i < 8 && seg[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best_start = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    let mut out = String::with_capacity(41);
    out.push('[');
    let mut i = 0;
    while i < 8 {
        if i == best_start {
            out.push_str(if i == 0 { "::" } else { ":" });
            i += best_len;
            continue;
        }
        push_hex_u16(&mut out, seg[i]);
        if i < 7 {
            out.push(':');
        }
        i += 1;
    }
    out.push(']');
    out
}

fn push_hex_u16(out: &mut String, v: u16) {
    let mut started = false;
    for shift in [12u16, 8, 4, 0] {
        let d = (v >> shift) & 0xF;
        if d != 0 || started || shift == 0 {
            started = true;
            out.push(b"0123456789abcdef"[usize::from(d)] as char);
        }
    }
}

/// Bytes that may stand unencoded in a path: RFC 3986 `pchar` plus `/` (and `%`, which starts
/// an escape already checked).
const PATH_ALLOWED: &[u8] = b"-._~!$&'()*+,;=:@/%";
/// Bytes that may stand unencoded in a query: as in a path, plus `?`.
const QUERY_ALLOWED: &[u8] = b"-._~!$&'()*+,;=:@/%?";

fn normalize_path(raw: &str) -> Result<String, Error> {
    if raw.is_empty() {
        return Ok("/".to_owned());
    }
    check_escapes(raw, "url path has a '%' not followed by two hex digits")?;
    for segment in raw.split('/') {
        if is_dot_segment(segment) {
            return Err(Error::InvalidUrl(
                "url path must not contain '.' or '..' segments",
            ));
        }
    }
    let mut out = String::with_capacity(raw.len());
    encode_disallowed(raw, &mut out, PATH_ALLOWED);
    Ok(out)
}

fn is_dot_segment(segment: &str) -> bool {
    let b = segment.as_bytes();
    let mut dots = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'.' {
            i += 1;
        } else if b[i] == b'%'
            && b.get(i + 1) == Some(&b'2')
            && matches!(b.get(i + 2), Some(b'e' | b'E'))
        {
            i += 3;
        } else {
            return false;
        }
        dots += 1;
    }
    dots == 1 || dots == 2
}

/// Copies `s` to `out`, percent-encoding (upper-case hex) every byte that is neither ASCII
/// alphanumeric nor in `allowed`.
fn encode_disallowed(s: &str, out: &mut String, allowed: &[u8]) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        if !(b.is_ascii_alphanumeric() || allowed.contains(&b)) {
            // Allowed bytes are ASCII, so run boundaries are char boundaries.
            out.push_str(s.get(start..i).unwrap_or_default());
            out.push_str(crate::encoding::escape(b));
            start = i + 1;
        }
    }
    out.push_str(s.get(start..).unwrap_or_default());
}

/// Whether the path of a URL ends in one of the given segments, optionally followed by one
/// trailing slash.
pub(crate) fn path_ends_with_segment(path: &str, segments: &[&str]) -> bool {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    segments.iter().any(|seg| {
        trimmed
            .strip_suffix(seg)
            .is_some_and(|before| before.ends_with('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> String {
        RequestUrl::parse(s).unwrap().base_string_uri()
    }

    #[test]
    fn normalizes_scheme_host_port_path() {
        assert_eq!(
            uri("HTTPS://API.Context.IO:443/lite/users/"),
            "https://api.context.io/lite/users/"
        );
        assert_eq!(uri("http://h:0080/x"), "http://h/x");
        assert_eq!(uri("http://h:/x"), "http://h/x");
        assert_eq!(uri("http://h:8080"), "http://h:8080/");
        assert_eq!(uri("https://h:80/"), "https://h:80/");
        assert_eq!(uri("http://h/a b/ü?q"), "http://h/a%20b/%C3%BC");
        assert_eq!(uri("http://h/a%2fb/%7E"), "http://h/a%2fb/%7E");
        assert_eq!(uri("http://[0:0::1]:8787/x"), "http://[::1]:8787/x");
        assert_eq!(
            uri("http://[2001:DB8:0:0:1:0:0:1]/"),
            "http://[2001:db8::1:0:0:1]/"
        );
        assert_eq!(uri("http://[::ffff:102:304]/"), "http://[::ffff:102:304]/");
        assert_eq!(
            uri("http://[1:2:3:4:5:6:7:8]/"),
            "http://[1:2:3:4:5:6:7:8]/"
        );
        assert_eq!(uri("http://[1::]/"), "http://[1::]/");
        assert_eq!(uri("http://[::]/"), "http://[::]/");
        assert_eq!(uri("http://[1:0:0:2:0:0:0:3]/"), "http://[1:0:0:2::3]/");
        assert_eq!(uri("http://[1:0:0:2:0:0:3:4]/"), "http://[1::2:0:0:3:4]/");
        assert_eq!(
            uri("http://127.0.0.1:8787/lite"),
            "http://127.0.0.1:8787/lite"
        );
    }

    #[test]
    fn keeps_query_and_drops_fragment() {
        let u = RequestUrl::parse("http://h/p?a=b c&d=%2B#frag?x").unwrap();
        assert_eq!(u.query.as_deref(), Some("a=b%20c&d=%2B"));
        let u = RequestUrl::parse("http://h/p#f").unwrap();
        assert_eq!(u.query, None);
        let u = RequestUrl::parse("http://h?").unwrap();
        assert_eq!((u.path.as_str(), u.query.as_deref()), ("/", Some("")));
    }

    #[test]
    fn rejects_what_fetch_would_rewrite_or_refuse() {
        let cases = [
            ("/relative", "INVALID_URL"),
            ("example.com/x", "INVALID_URL"),
            ("ftp://h/x", "INVALID_URL"),
            ("http:/h/x", "INVALID_URL"),
            ("http:///x", "INVALID_URL"),
            ("http://:80/x", "INVALID_URL"),
            ("http://h:99999/", "INVALID_URL"),
            ("http://h:8a/", "INVALID_URL"),
            ("http://u:p@h/", "INVALID_URL"),
            ("http://h/a\\b", "INVALID_URL"),
            ("http://h\\a", "INVALID_URL"),
            ("http://h/a/../b", "INVALID_URL"),
            ("http://h/a/%2E%2e/b", "INVALID_URL"),
            ("http://h/./b", "INVALID_URL"),
            ("http://127.1/", "INVALID_URL"),
            ("http://0x7f.0.0.1/", "INVALID_URL"),
            ("http://1.2.3.04/", "INVALID_URL"),
            ("http://exämple.com/", "INVALID_URL"),
            ("http://ex%41mple.com/", "INVALID_URL"),
            ("http://[::1/", "INVALID_URL"),
            ("http://[::1]x/", "INVALID_URL"),
            ("http://[zz::1]/", "INVALID_URL"),
            ("http://[::ffff:1.2.3.4]/", "INVALID_URL"),
            ("http://[1::2::3]/", "INVALID_URL"),
            ("http://[1:2:3:4:5:6:7]/", "INVALID_URL"),
            ("http://[1:2:3:4:5:6:7:8:9]/", "INVALID_URL"),
            ("http://[1:2:3:4::5:6:7:8]/", "INVALID_URL"),
            ("http://[12345::]/", "INVALID_URL"),
            ("http://[:1]/", "INVALID_URL"),
            ("http://[+1::]/", "INVALID_URL"),
            ("http://h/a\tb", "INVALID_URL"),
            (" http://h/", "INVALID_URL"),
            ("http://h/a%zz", "INVALID_ENCODING"),
            ("http://h/a?b=%", "INVALID_ENCODING"),
        ];
        for (url, code) in cases {
            let err = RequestUrl::parse(url).unwrap_err();
            assert_eq!(err.code(), code, "{url}");
        }
    }

    #[test]
    fn dot_like_segments_that_are_not_dot_segments_pass() {
        assert_eq!(uri("http://h/.well-known/x"), "http://h/.well-known/x");
        assert_eq!(uri("http://h/a.../b"), "http://h/a.../b");
        assert_eq!(uri("http://h/.../b"), "http://h/.../b");
    }

    #[test]
    fn path_suffix_matching() {
        assert!(path_ends_with_segment("/lite/users", &["users"]));
        assert!(path_ends_with_segment("/lite/users/", &["users"]));
        assert!(path_ends_with_segment("/2.0/accounts", &["accounts"]));
        assert!(!path_ends_with_segment("/lite/xusers", &["users"]));
        assert!(!path_ends_with_segment("/lite/users/1", &["users"]));
        assert!(!path_ends_with_segment("/lite/users//", &["users"]));
    }
}
