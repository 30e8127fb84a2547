//! Collecting what a server received: the request parameters and the protocol parameters.
//!
//! Implements [RFC 5849 §3.4.1.3.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.3.1)
//! from the server's side: the parameters are the URL's query, a single-part
//! `application/x-www-form-urlencoded` body, and the `Authorization` header's `OAuth`
//! parameters (§3.5.1; `realm` left out), every one kept, duplicates too. Each protocol
//! parameter (`oauth_*`) may be given once overall: §3.5 puts them in one place, and a second
//! one, there or elsewhere, is refused by name.

use crate::encoding::{for_each_form_pair, hex_value, is_form_content_type, trim_http_whitespace};
use crate::verify::refuse::Refusal;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// Where a parameter came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The `Authorization: OAuth ...` header.
    Header,
    /// The URL's query.
    Query,
    /// The form-encoded body.
    Body,
}

/// One parameter as received, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The decoded name.
    pub name: String,
    /// The decoded value.
    pub value: String,
    /// Where it was.
    pub source: Source,
}

/// Every parameter of a request, in the order header, query, body.
pub(crate) fn collect(
    query: Option<&str>,
    authorization: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Vec<Param>, Refusal> {
    let mut params = Vec::new();
    if let Some(header) = authorization {
        header_params(header, &mut params)?;
    }
    if let Some(q) = query {
        form_params(q, Source::Query, &mut params)?;
    }
    if content_type.is_some_and(is_form_content_type) {
        let text = core::str::from_utf8(body)
            .map_err(|_| Refusal::malformed("the form body is not UTF-8"))?;
        form_params(text, Source::Body, &mut params)?;
    }
    Ok(params)
}

fn form_params(form: &str, source: Source, out: &mut Vec<Param>) -> Result<(), Refusal> {
    for_each_form_pair(form, &mut (Vec::new(), Vec::new()), "", |name, value| {
        out.push(Param {
            name: name.to_string(),
            value: value.to_string(),
            source,
        })
    })
    .map_err(|_| Refusal::malformed("a query or form parameter has a bad escape or is not UTF-8"))
}

/// Strict percent-decoding of a header value (§3.6: `+` is a plus sign).
fn percent_decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let h = bytes.next().and_then(hex_value)?;
            let l = bytes.next().and_then(hex_value)?;
            out.push(h << 4 | l);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok()
}

/// A quoted-string's content without its escapes (`\x` is `x`).
fn unquote(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// The parameters of an `Authorization: OAuth` header (§3.5.1): `name="value"` pairs separated
/// by commas, names and values percent-encoded, `realm` left out. A header of another scheme
/// holds none; a malformed `OAuth` header is refused.
fn header_params(header: &str, out: &mut Vec<Param>) -> Result<(), Refusal> {
    let header = trim_http_whitespace(header);
    let (scheme, rest) = match header
        .as_bytes()
        .iter()
        .position(|&b| b == b' ' || b == b'\t')
    {
        Some(i) => (
            header.get(..i).unwrap_or_default(),
            header.get(i..).unwrap_or_default(),
        ),
        None => (header, ""),
    };
    if !scheme.eq_ignore_ascii_case("OAuth") {
        return Ok(());
    }
    let malformed = || {
        Refusal::malformed(
            "the Authorization header is not name=\"value\" pairs separated by commas",
        )
    };
    let mut rest = rest.trim_start_matches([' ', '\t']);
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or_else(malformed)?;
        let name = rest.get(..eq).unwrap_or_default().trim_matches([' ', '\t']);
        let after = rest.get(eq + 1..).unwrap_or_default();
        let quoted = after.strip_prefix('"').ok_or_else(malformed)?;
        // A quoted-string (RFC 9110 §5.6.4): a backslash escapes the next character, as in a
        // realm that holds a `"` (the signer writes it `\"`).
        let mut close = None;
        let mut escaped = false;
        for (i, b) in quoted.bytes().enumerate() {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                close = Some(i);
                break;
            }
        }
        let close = close.ok_or_else(malformed)?;
        let raw = unquote(quoted.get(..close).unwrap_or_default());
        rest = quoted
            .get(close + 1..)
            .unwrap_or_default()
            .trim_start_matches([' ', '\t']);
        if let Some(more) = rest.strip_prefix(',') {
            rest = more.trim_start_matches([' ', '\t']);
        } else if !rest.is_empty() {
            return Err(malformed());
        }
        if name.is_empty() || name.bytes().any(|b| b <= b' ' || b == b'"') {
            return Err(malformed());
        }
        if name == "realm" {
            continue;
        }
        let bad = || {
            Refusal::malformed("an Authorization header parameter has a bad escape or is not UTF-8")
        };
        out.push(Param {
            name: percent_decode(name).ok_or_else(bad)?,
            value: percent_decode(&raw).ok_or_else(bad)?,
            source: Source::Header,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(params: &[Param]) -> Vec<(&str, &str, Source)> {
        params
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str(), p.source))
            .collect()
    }

    #[test]
    fn the_three_sources_in_order() {
        let p = collect(
            Some("b=1&a=x+y&c"),
            Some(r#"OAuth realm="Photos", oauth_consumer_key="c%20k",oauth_nonce="n""#),
            Some("application/x-www-form-urlencoded; charset=utf-8"),
            b"d=%C3%A9&d=",
        )
        .unwrap();
        assert_eq!(
            names(&p),
            [
                ("oauth_consumer_key", "c k", Source::Header),
                ("oauth_nonce", "n", Source::Header),
                ("b", "1", Source::Query),
                ("a", "x y", Source::Query),
                ("c", "", Source::Query),
                ("d", "é", Source::Body),
                ("d", "", Source::Body),
            ]
        );
        // A body that is not a form is no parameter source; another scheme holds none.
        let p = collect(None, Some("Bearer abc"), Some("application/json"), b"a=1").unwrap();
        assert!(p.is_empty());
        // A + in the header is a plus sign.
        let p = collect(None, Some(r#"OAuth oauth_signature="a+b%2B""#), None, b"").unwrap();
        assert_eq!(p[0].value, "a+b+");
    }

    #[test]
    fn a_malformed_header_or_escape_is_refused() {
        for header in [
            r#"OAuth oauth_nonce=n"#,
            r#"OAuth oauth_nonce="n"#,
            r#"OAuth oauth_nonce="n" oauth_token="t""#,
            r#"OAuth ="n""#,
            r#"OAuth oauth_nonce="%zz""#,
            r#"OAuth oauth_nonce="%C3""#,
        ] {
            let r = collect(None, Some(header), None, b"").unwrap_err();
            assert_eq!(r.problem.code(), "PARAMETER_REJECTED", "{header}");
            assert_eq!(r.status, 400, "{header}");
        }
        assert!(collect(Some("a=%zz"), None, None, b"").is_err());
        assert!(collect(
            None,
            None,
            Some("application/x-www-form-urlencoded"),
            b"a=\xff"
        )
        .is_err());
    }
}
