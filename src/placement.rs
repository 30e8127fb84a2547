//! Where the protocol parameters go.
//!
//! Implements [RFC 5849 §3.5](https://www.rfc-editor.org/rfc/rfc5849#section-3.5): the
//! `Authorization: OAuth ...` header (§3.5.1; the default), the form-encoded body (§3.5.2), or
//! the query of the request URL (§3.5.3). `realm` is only ever sent in the header. Every
//! protocol parameter goes to the one place, those the caller supplies (`oauth_callback`,
//! `oauth_verifier`) and the body hash with the rest: a strict server (oauthlib, RFC 5849
//! §3.5) refuses a request whose protocol parameters are split.
//!
//! [`write_request`] writes the parts of the request as sent: the URL, the header and the
//! body.

use crate::error::Error;
use crate::uri::RequestUrl;
use alloc::string::String;
use core::ops::Range;

/// Where the `oauth_*` parameters are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    /// In the `Authorization` header (§3.5.1).
    #[default]
    Header,
    /// In the URL query (§3.5.3).
    Query,
    /// In an `application/x-www-form-urlencoded` body (§3.5.2).
    Body,
}

impl Placement {
    /// Parses `"header"`, `"query"` or `"body"`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPlacement`] for anything else.
    pub fn parse(s: &str) -> Result<Placement, Error> {
        match s {
            "header" => Ok(Placement::Header),
            "query" => Ok(Placement::Query),
            "body" => Ok(Placement::Body),
            _ => Err(Error::InvalidPlacement(
                "placement must be 'header', 'query' or 'body'",
            )),
        }
    }

    /// `"header"`, `"query"` or `"body"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Placement::Header => "header",
            Placement::Query => "query",
            Placement::Body => "body",
        }
    }
}

/// Checks that a realm can be sent as an HTTP quoted-string: printable ASCII only.
///
/// # Errors
///
/// [`Error::InvalidOptions`] otherwise.
pub(crate) fn check_realm(realm: &str) -> Result<(), Error> {
    if realm.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        Ok(())
    } else {
        Err(Error::InvalidOptions(
            "realm must be printable ASCII (it is sent as a quoted string in the Authorization header)",
        ))
    }
}

/// Appends the `Authorization` header value (§3.5.1): `OAuth `, then `realm="..."` if any,
/// then each parameter as `name="value"`, joined by `, `. Names and values come
/// percent-encoded already (the signer encodes each value once).
pub(crate) fn write_authorization<'n, 'v>(
    out: &mut String,
    realm: Option<&str>,
    encoded_params: impl IntoIterator<Item = (&'n str, &'v str)>,
) {
    out.push_str("OAuth ");
    let mut first = true;
    if let Some(realm) = realm {
        out.push_str("realm=\"");
        for c in realm.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        first = false;
    }
    for (name, value) in encoded_params {
        if !first {
            out.push_str(", ");
        }
        first = false;
        out.push_str(name);
        out.push_str("=\"");
        out.push_str(value);
        out.push('"');
    }
}

/// Appends `name=value` pairs (already encoded) joined by `&`, after an `&` unless `out` ends
/// at `start` (nothing written since the query or body began).
pub(crate) fn write_form_pairs<'n, 'v>(
    out: &mut String,
    start: usize,
    pairs: impl IntoIterator<Item = (&'n str, &'v str)>,
) {
    for (name, value) in pairs {
        if out.len() != start {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
}

/// A body as it is sent, before the protocol parameters that body placement appends.
pub(crate) enum SentBody<'a, B> {
    /// The caller's text, sent as it is.
    Text(&'a str),
    /// Encoded pairs, joined here.
    Pairs(B),
}

/// Where [`write_request`] wrote each part.
pub(crate) struct Placed {
    /// The URL to fetch.
    pub url: Range<usize>,
    /// The `Authorization` header value, for header placement.
    pub authorization: Option<Range<usize>>,
    /// The body, when there is one.
    pub body: Option<Range<usize>>,
}

/// Appends the request's URL, `Authorization` header (header placement) and body (when there
/// is one) to `text`, the protocol parameters `protocol` (encoded, `oauth_signature` included,
/// in name order) placed as `placement` says (§3.5): the URL is `url`'s base string URI, its
/// own query kept as it is, then `extra_query` (encoded pairs), then for query placement the
/// protocol parameters; a body is `body`, then for body placement the protocol parameters.
/// (The signer checked that body placement has a form body.)
pub(crate) fn write_request<'p, Q, B, P>(
    text: &mut String,
    placement: Placement,
    realm: Option<&str>,
    url: &RequestUrl<'_>,
    extra_query: Q,
    body: Option<SentBody<'_, B>>,
    protocol: P,
) -> Placed
where
    Q: IntoIterator<Item = (&'p str, &'p str)>,
    B: IntoIterator<Item = (&'p str, &'p str)>,
    P: IntoIterator<Item = (&'p str, &'p str)>,
{
    let mut protocol = Some(protocol);
    let mut take = |here: Placement| {
        if placement == here {
            protocol.take()
        } else {
            None
        }
    };
    let url = span(text, |t| {
        url.write_base_string_uri(t);
        t.push('?');
        let q0 = t.len();
        if let Some(q) = &url.query {
            t.push_str(q);
        }
        write_form_pairs(t, q0, extra_query);
        if let Some(p) = take(Placement::Query) {
            write_form_pairs(t, q0, p);
        }
        if t.len() == q0 {
            t.pop();
        }
    });
    let authorization =
        take(Placement::Header).map(|p| span(text, |t| write_authorization(t, realm, p)));
    let body = body.map(|body| {
        span(text, |t| {
            let b0 = t.len();
            match body {
                SentBody::Text(s) => t.push_str(s),
                SentBody::Pairs(pairs) => write_form_pairs(t, b0, pairs),
            }
            if let Some(p) = take(Placement::Body) {
                write_form_pairs(t, b0, p);
            }
        })
    });
    Placed {
        url,
        authorization,
        body,
    }
}

/// Runs `write` on `text` and returns the range it appended.
pub(crate) fn span(text: &mut String, write: impl FnOnce(&mut String)) -> Range<usize> {
    let start = text.len();
    write(text);
    start..text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realm_is_quoted() {
        let mut h = String::new();
        write_authorization(&mut h, Some(r#"a"b\c"#), []);
        assert_eq!(h, r#"OAuth realm="a\"b\\c""#);
        let mut h = String::new();
        write_authorization(
            &mut h,
            Some("Photos"),
            [("oauth_nonce", "a%20b"), ("oauth_version", "1.0")],
        );
        assert_eq!(
            h,
            r#"OAuth realm="Photos", oauth_nonce="a%20b", oauth_version="1.0""#
        );
        assert!(check_realm("Example Realm").is_ok());
        assert!(check_realm("é").is_err());
        assert!(check_realm("a\nb").is_err());
    }

    #[test]
    fn each_placement_puts_every_protocol_parameter_in_one_place() {
        let url = RequestUrl::parse("https://h.example/p?a=1").unwrap();
        let protocol = [("oauth_callback", "oob"), ("oauth_signature", "s%3D")];
        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            let mut text = String::from("x");
            let placed = write_request(
                &mut text,
                placement,
                Some("r"),
                &url,
                [("b", "2")],
                Some(SentBody::Pairs([("c", "3")])),
                protocol,
            );
            let part = |r: &Range<usize>| text[r.clone()].to_owned();
            let (u, h, b) = (
                part(&placed.url),
                placed.authorization.as_ref().map(part),
                placed.body.as_ref().map(part).unwrap(),
            );
            match placement {
                Placement::Header => {
                    assert_eq!(u, "https://h.example/p?a=1&b=2");
                    assert_eq!(
                        h.as_deref(),
                        Some(r#"OAuth realm="r", oauth_callback="oob", oauth_signature="s%3D""#)
                    );
                    assert_eq!(b, "c=3");
                }
                Placement::Query => {
                    assert_eq!(
                        u,
                        "https://h.example/p?a=1&b=2&oauth_callback=oob&oauth_signature=s%3D"
                    );
                    assert_eq!((h, b.as_str()), (None, "c=3"));
                }
                Placement::Body => {
                    assert_eq!(u, "https://h.example/p?a=1&b=2");
                    assert_eq!(
                        (h, b.as_str()),
                        (None, "c=3&oauth_callback=oob&oauth_signature=s%3D")
                    );
                }
            }
        }
        // No query at all: no `?`; a text body is kept as it is.
        let url = RequestUrl::parse("http://h/").unwrap();
        let mut text = String::new();
        let placed = write_request(
            &mut text,
            Placement::Header,
            None,
            &url,
            [],
            Some(SentBody::<[(&str, &str); 0]>::Text("{}")),
            [("oauth_nonce", "n")],
        );
        assert_eq!(&text[placed.url], "http://h/");
        assert_eq!(&text[placed.body.unwrap()], "{}");
    }

    #[test]
    fn placements_parse() {
        for p in [Placement::Header, Placement::Query, Placement::Body] {
            assert_eq!(Placement::parse(p.as_str()), Ok(p));
        }
        assert_eq!(
            Placement::parse("Header").unwrap_err().code(),
            "INVALID_PLACEMENT"
        );
    }
}
