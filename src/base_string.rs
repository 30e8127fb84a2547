//! The signature base string.
//!
//! Implements [RFC 5849 §3.4.1.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.1):
//! the upper-case HTTP method, `&`, the encoded base string URI (§3.4.1.2), `&`, the encoded
//! normalized parameters (§3.4.1.3.2).

use crate::encoding::{encode_bytes_into, encode_into};
use crate::Error;
use alloc::string::String;

/// Checks that `method` is an HTTP token (RFC 9110 §5.6.2) and returns it in upper case.
///
/// # Errors
///
/// [`Error::InvalidMethod`] for an empty method or one with characters outside `tchar`.
pub fn normalize_method(method: &str) -> Result<String, Error> {
    let ok = !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if ok {
        Ok(method.to_ascii_uppercase())
    } else {
        Err(Error::InvalidMethod)
    }
}

/// Writes the signature base string for an upper-case `method`, a base string URI and a
/// normalized parameter string.
///
/// ```
/// use contextio_signer::base_string::base_string;
/// assert_eq!(
///     base_string("GET", "http://example.com/a b", "c=d%20e"),
///     "GET&http%3A%2F%2Fexample.com%2Fa%20b&c%3Dd%2520e",
/// );
/// ```
pub fn base_string(method: &str, base_uri: &str, normalized_parameters: &str) -> String {
    let mut out = String::with_capacity(
        method.len() + 2 + base_uri.len() * 3 / 2 + normalized_parameters.len() * 3 / 2,
    );
    write_base_string(method, base_uri, normalized_parameters, &mut out);
    out
}

/// Appends the signature base string to `out`. See [`base_string`].
pub fn write_base_string(
    method: &str,
    base_uri: &str,
    normalized_parameters: &str,
    out: &mut String,
) {
    // The method is a token and upper case: its encoding is itself, bar rare tchar symbols.
    encode_bytes_into(method.as_bytes(), out);
    out.push('&');
    encode_into(base_uri, out);
    out.push('&');
    encode_into(normalized_parameters, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        assert_eq!(normalize_method("get").unwrap(), "GET");
        assert_eq!(normalize_method("PaTcH").unwrap(), "PATCH");
        for bad in ["", "GET ", "G\nET", "GÉT", "(GET)"] {
            assert_eq!(normalize_method(bad), Err(Error::InvalidMethod), "{bad:?}");
        }
    }
}
