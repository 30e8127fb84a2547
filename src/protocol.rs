//! The protocol parameters.
//!
//! Implements [RFC 5849 §3.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.1) and
//! [§3.3](https://www.rfc-editor.org/rfc/rfc5849#section-3.3): the `oauth_*` parameters a
//! signer sends (`oauth_consumer_key`, `oauth_token` when there is one, `oauth_signature_method`
//! `HMAC-SHA1`, `oauth_timestamp`, `oauth_nonce`, `oauth_version` `1.0` unless left out, and
//! `oauth_signature`), the rules for the nonce and the timestamp, and the refusal of requests
//! that already carry a parameter the signer adds itself.

use crate::params::ParamList;
use crate::Error;

/// The protocol parameters a signer adds itself, in name order (their encoding is themselves).
/// Other `oauth_*` parameters, such as `oauth_callback` or `oauth_verifier`, are ordinary
/// request parameters.
pub const RESERVED: [&str; 7] = [
    "oauth_consumer_key",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_token",
    "oauth_version",
];

/// The protocol parameters of one signature, values as sent (not encoded) and, where a value
/// may need it, encoded.
pub(crate) struct Protocol<'a> {
    pub consumer_key: &'a str,
    pub consumer_key_encoded: &'a str,
    pub nonce: &'a str,
    /// Decimal digits (they encode to themselves).
    pub timestamp: &'a str,
    /// The token and its encoding.
    pub token: Option<(&'a str, &'a str)>,
    pub version: bool,
}

/// The value of `oauth_signature_method`.
const METHOD: &str = "HMAC-SHA1";
/// The value of `oauth_version`.
const VERSION: &str = "1.0";

impl<'a> Protocol<'a> {
    /// Adds every protocol parameter but the signature to the signed parameters (§3.4.1.3.1)
    /// and returns the first one's index there.
    pub(crate) fn push_signed(&self, params: &mut ParamList) -> usize {
        let first = params.len();
        params.push_encoded("oauth_consumer_key", self.consumer_key_encoded);
        params.push("oauth_nonce", self.nonce);
        params.push_encoded("oauth_signature_method", METHOD);
        params.push_encoded("oauth_timestamp", self.timestamp);
        if let Some((_, token)) = self.token {
            params.push_encoded("oauth_token", token);
        }
        if self.version {
            params.push_encoded("oauth_version", VERSION);
        }
        first
    }

    /// Every protocol parameter in name order with its value: as sent when `encoded` is
    /// `None`, else percent-encoded, the nonce's encoding taken from `encoded` (the signed
    /// parameters, at the index [`push_signed`](Protocol::push_signed) returned). The signature
    /// is `signature`, given as it should appear.
    pub(crate) fn pairs<'s>(
        &'s self,
        signature: &'s str,
        encoded: Option<(&'s ParamList, usize)>,
    ) -> [Option<(&'static str, &'s str)>; 7] {
        let nonce = match encoded {
            Some((params, first)) => params.encoded(first + 1).1,
            None => self.nonce,
        };
        let (key, token) = match encoded {
            Some(_) => (self.consumer_key_encoded, self.token.map(|t| t.1)),
            None => (self.consumer_key, self.token.map(|t| t.0)),
        };
        [
            Some(("oauth_consumer_key", key)),
            Some(("oauth_nonce", nonce)),
            Some(("oauth_signature", signature)),
            Some(("oauth_signature_method", METHOD)),
            Some(("oauth_timestamp", self.timestamp)),
            token.map(|t| ("oauth_token", t)),
            self.version.then_some(("oauth_version", VERSION)),
        ]
    }
}

/// The longest nonce accepted, in bytes.
pub const MAX_NONCE_LEN: usize = 256;

/// The largest timestamp: 2^53 - 1 seconds, the largest whole number a JavaScript number holds
/// exactly, so that every timestamp can round-trip through JavaScript.
pub const MAX_TIMESTAMP: u64 = (1 << 53) - 1;

/// Checks a nonce (§3.3): not empty, at most [`MAX_NONCE_LEN`] bytes.
///
/// # Errors
///
/// [`Error::InvalidNonce`].
pub(crate) fn check_nonce(nonce: &str) -> Result<(), Error> {
    if nonce.is_empty() {
        return Err(Error::InvalidNonce("nonce must not be empty"));
    }
    if nonce.len() > MAX_NONCE_LEN {
        return Err(Error::InvalidNonce("nonce must be at most 256 bytes"));
    }
    Ok(())
}

/// Checks a timestamp (§3.3): a whole number of seconds since the epoch, at most
/// [`MAX_TIMESTAMP`].
///
/// # Errors
///
/// [`Error::InvalidTimestamp`].
pub(crate) fn check_timestamp(timestamp: u64) -> Result<(), Error> {
    if timestamp > MAX_TIMESTAMP {
        return Err(Error::InvalidTimestamp(TIMESTAMP_RULE));
    }
    Ok(())
}

/// The message of every timestamp that is not a non-negative whole number of seconds.
pub(crate) const TIMESTAMP_RULE: &str =
    "timestamp must be a whole number of seconds since the epoch, not negative (at most 2^53 - 1)";

/// The error for a request whose parameters already include one the signer adds (`index` is
/// the parameter's position; those before `url_params` came from the URL's own query).
pub(crate) fn reserved_parameter_error(index: usize, url_params: usize) -> Error {
    if index < url_params {
        Error::InvalidUrl("url query already has a protocol parameter (oauth_nonce, oauth_signature, ...): remove it, the signer adds its own")
    } else {
        Error::InvalidOptions("query or body already has a protocol parameter (oauth_nonce, oauth_signature, ...): remove it, the signer adds its own")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::percent_encode;

    #[test]
    fn reserved_names_encode_to_themselves_and_are_sorted() {
        for name in RESERVED {
            assert_eq!(percent_encode(name), name);
        }
        let mut sorted = RESERVED;
        sorted.sort_unstable();
        assert_eq!(sorted, RESERVED);
    }

    #[test]
    fn nonce_and_timestamp_rules() {
        assert_eq!(check_nonce("").unwrap_err().code(), "INVALID_NONCE");
        assert!(check_nonce(&"x".repeat(256)).is_ok());
        assert_eq!(
            check_nonce(&"x".repeat(257)).unwrap_err().code(),
            "INVALID_NONCE"
        );
        assert!(check_timestamp(0).is_ok());
        assert!(check_timestamp(MAX_TIMESTAMP).is_ok());
        assert_eq!(
            check_timestamp(MAX_TIMESTAMP + 1).unwrap_err().code(),
            "INVALID_TIMESTAMP"
        );
    }
}
