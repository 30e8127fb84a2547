//! Where the protocol parameters go.
//!
//! Implements [RFC 5849 §3.5](https://www.rfc-editor.org/rfc/rfc5849#section-3.5): the
//! `Authorization: OAuth ...` header (§3.5.1; the default), the form-encoded body (§3.5.2), or
//! the query of the request URL (§3.5.3). `realm` is only ever sent in the header.

use crate::encoding::encode_into;
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
pub fn check_realm(realm: &str) -> Result<(), Error> {
    if realm.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        Ok(())
    } else {
        Err(Error::InvalidOptions(
            "realm must be printable ASCII (it is sent as a quoted string in the Authorization header)",
        ))
    }
}

/// Builds the `Authorization` header value: `OAuth `, then `realm="..."` if any, then each
/// parameter as `name="percent-encoded value"`, joined by `, `.
///
/// ```
/// use contextio_signer::placement::authorization_header;
/// let h = authorization_header(Some("Photos"), &[("oauth_nonce", "a b"), ("oauth_version", "1.0")]);
/// assert_eq!(h, r#"OAuth realm="Photos", oauth_nonce="a%20b", oauth_version="1.0""#);
/// ```
pub fn authorization_header(realm: Option<&str>, params: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(16 + params.len() * 40);
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
    for (name, value) in params {
        if !first {
            out.push_str(", ");
        }
        first = false;
        encode_into(name, &mut out);
        out.push_str("=\"");
        encode_into(value, &mut out);
        out.push('"');
    }
    out
}

/// Appends `name=value` pairs, percent-encoded (a space is `%20`, never `+`), to a query or
/// form body, with `&` between pairs and before the first if `out` is not empty.
pub fn append_pairs<'a>(out: &mut String, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) {
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        encode_into(name, out);
        out.push('=');
        encode_into(value, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realm_is_quoted() {
        let h = authorization_header(Some(r#"a"b\c"#), &[]);
        assert_eq!(h, r#"OAuth realm="a\"b\\c""#);
        assert!(check_realm("Example Realm").is_ok());
        assert!(check_realm("é").is_err());
        assert!(check_realm("a\nb").is_err());
    }

    #[test]
    fn pairs_use_percent_twenty() {
        let mut s = String::from("a=1");
        append_pairs(&mut s, [("b c", "d+e"), ("f", "")]);
        assert_eq!(s, "a=1&b%20c=d%2Be&f=");
    }
}
