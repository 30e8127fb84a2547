//! Where the protocol parameters go.
//!
//! Implements [RFC 5849 §3.5](https://www.rfc-editor.org/rfc/rfc5849#section-3.5): the
//! `Authorization: OAuth ...` header (§3.5.1; the default), the form-encoded body (§3.5.2), or
//! the query of the request URL (§3.5.3). `realm` is only ever sent in the header.

use crate::Error;
use alloc::string::String;

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
