//! The signature base string.
//!
//! Implements [RFC 5849 §3.4.1.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.1):
//! the upper-case HTTP method, `&`, the encoded base string URI (§3.4.1.2), `&`, the encoded
//! normalized parameters (§3.4.1.3.2, written by [`ParamList`](crate::params::ParamList)).

use crate::encoding::{encode_into, push_decimal, push_escape, UNRESERVED};
use crate::error::Error;
use crate::uri::RequestUrl;
use alloc::string::String;

/// Checks that `method` is an HTTP token (RFC 9110 §5.6.2); it is sent and signed in upper
/// case.
///
/// # Errors
///
/// [`Error::InvalidMethod`] for an empty method or one with characters outside `tchar`.
pub(crate) fn check_method(method: &str) -> Result<(), Error> {
    let ok = !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidMethod(
            "method must be a non-empty HTTP token such as GET or POST",
        ))
    }
}

/// Appends the first two parts of the base string: the encoded upper-case `method`, `&`, the
/// encoded base string URI (§3.4.1.2), `&`. The encoded normalized parameters follow.
pub(crate) fn write_prefix(method: &str, url: &RequestUrl<'_>, out: &mut String) {
    // The method, upper-cased: a token, whose encoding is itself bar rare tchar symbols.
    for b in method.bytes() {
        let b = b.to_ascii_uppercase();
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            push_escape(out, b);
        }
    }
    out.push('&');
    out.push_str(url.scheme.as_str());
    out.push_str("%3A%2F%2F");
    encode_into(&url.host, out, UNRESERVED);
    if let Some(port) = url.port {
        out.push_str("%3A");
        push_decimal(out, u64::from(port));
    }
    encode_into(&url.path, out, UNRESERVED);
    out.push('&');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        for good in ["get", "PaTcH", "M!X", "x-y"] {
            assert!(check_method(good).is_ok(), "{good}");
        }
        for bad in ["", "GET ", "G\nET", "GÉT", "(GET)"] {
            assert_eq!(
                check_method(bad).unwrap_err().code(),
                "INVALID_METHOD",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn prefix() {
        let prefix = |method: &str, url: &str| {
            let mut s = String::new();
            write_prefix(method, &RequestUrl::parse(url).unwrap(), &mut s);
            s
        };
        assert_eq!(
            prefix("get", "http://Example.com/a b"),
            "GET&http%3A%2F%2Fexample.com%2Fa%2520b&"
        );
        assert_eq!(
            prefix("m!x", "https://h:8443/"),
            "M%21X&https%3A%2F%2Fh%3A8443%2F&"
        );
        assert_eq!(
            prefix("GET", "http://[::1]:80/x"),
            "GET&http%3A%2F%2F%5B%3A%3A1%5D%2Fx&"
        );
    }
}
