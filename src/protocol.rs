//! The protocol parameters.
//!
//! Implements [RFC 5849 §3.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.1),
//! [§2](https://www.rfc-editor.org/rfc/rfc5849#section-2) and
//! [§3.3](https://www.rfc-editor.org/rfc/rfc5849#section-3.3): the `oauth_*` parameters a
//! signer sends (`oauth_consumer_key`, `oauth_token` when there is one,
//! `oauth_signature_method`, `oauth_timestamp`, `oauth_nonce`, `oauth_version` `1.0` unless
//! left out, and `oauth_signature`), those the caller supplies (`oauth_callback` of the
//! temporary-credentials request, §2.1; `oauth_verifier` of the token request, §2.3), the body
//! hash (`oauth_body_hash`, draft-eaton-oauth-bodyhash), the rules for their values, and the
//! refusal of requests that already carry one of them as an ordinary parameter.

use crate::error::Error;
use crate::params::ParamList;
use crate::signature::SignatureMethod;

/// Every protocol parameter, in name order (their names encode to themselves). None of them
/// may be an ordinary query or body parameter: the signer adds the first kind itself, and the
/// caller's (`oauth_callback`, `oauth_verifier`) and the body hash travel with the others, in
/// one place, as RFC 5849 §3.5 and strict servers want them.
pub const RESERVED: [&str; PROTOCOL_LEN] = [
    "oauth_body_hash",
    "oauth_callback",
    "oauth_consumer_key",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_token",
    "oauth_verifier",
    "oauth_version",
];

/// How many protocol parameters a request can have, `oauth_signature` included.
pub(crate) const PROTOCOL_LEN: usize = 10;

/// The protocol parameters of one signature, values as sent (not encoded) and, where a value
/// may need it and the signer keeps one, encoded.
pub(crate) struct Protocol<'a> {
    /// The body hash, base64.
    pub body_hash: Option<&'a str>,
    pub callback: Option<&'a str>,
    pub consumer_key: &'a str,
    pub consumer_key_encoded: &'a str,
    pub nonce: &'a str,
    pub method: SignatureMethod,
    /// Decimal digits (they encode to themselves).
    pub timestamp: &'a str,
    /// The token and its encoding.
    pub token: Option<(&'a str, &'a str)>,
    pub verifier: Option<&'a str>,
    pub version: bool,
}

/// The value of `oauth_version`.
const VERSION: &str = "1.0";

impl<'a> Protocol<'a> {
    /// Adds every protocol parameter but the signature to the signed parameters (§3.4.1.3.1),
    /// in name order, and returns the first one's index there.
    pub(crate) fn push_signed(&self, params: &mut ParamList) -> usize {
        let first = params.len();
        if let Some(hash) = self.body_hash {
            params.push("oauth_body_hash", hash);
        }
        if let Some(callback) = self.callback {
            params.push("oauth_callback", callback);
        }
        params.push_encoded("oauth_consumer_key", self.consumer_key_encoded);
        params.push("oauth_nonce", self.nonce);
        params.push_encoded("oauth_signature_method", self.method.as_str());
        params.push_encoded("oauth_timestamp", self.timestamp);
        if let Some((_, token)) = self.token {
            params.push_encoded("oauth_token", token);
        }
        if let Some(verifier) = self.verifier {
            params.push("oauth_verifier", verifier);
        }
        if self.version {
            params.push_encoded("oauth_version", VERSION);
        }
        first
    }

    /// Every protocol parameter in name order with its value: as sent when `encoded` is
    /// `None`, else percent-encoded, taken from `encoded` (the signed parameters, at the index
    /// [`push_signed`](Protocol::push_signed) returned). The signature is `signature`, given as
    /// it should appear.
    pub(crate) fn pairs<'s>(
        &'s self,
        signature: &'s str,
        encoded: Option<(&'s ParamList, usize)>,
    ) -> [Option<(&'static str, &'s str)>; PROTOCOL_LEN] {
        // The values as sent, then each present one but the signature replaced by its
        // encoding, in the order `push_signed` pushed them.
        let mut out = [
            self.body_hash.map(|v| ("oauth_body_hash", v)),
            self.callback.map(|v| ("oauth_callback", v)),
            Some(("oauth_consumer_key", self.consumer_key)),
            Some(("oauth_nonce", self.nonce)),
            Some(("oauth_signature", signature)),
            Some(("oauth_signature_method", self.method.as_str())),
            Some(("oauth_timestamp", self.timestamp)),
            self.token.map(|t| ("oauth_token", t.0)),
            self.verifier.map(|v| ("oauth_verifier", v)),
            self.version.then_some(("oauth_version", VERSION)),
        ];
        if let Some((params, first)) = encoded {
            let mut k = first;
            for (i, slot) in out.iter_mut().enumerate() {
                if let Some((_, value)) = slot {
                    if i != SIGNATURE {
                        *value = params.encoded(k).1;
                        k += 1;
                    }
                }
            }
        }
        out
    }
}

/// The index of `oauth_signature` in [`RESERVED`] and in [`Protocol::pairs`].
const SIGNATURE: usize = 4;

/// Checks the callback of a temporary-credentials request (RFC 5849 §2.1): `oob`, or an
/// absolute URI (a scheme, `:` and more; a custom scheme such as `myapp:` is fine), with no
/// white space or control characters.
///
/// # Errors
///
/// [`Error::InvalidOptions`] otherwise.
pub(crate) fn check_callback(callback: &str) -> Result<(), Error> {
    // Bytes only: a scheme is ASCII, and white space or a control character in the rest is
    // refused when it is ASCII (what a URL parser would drop or choke on).
    let bytes = callback.as_bytes();
    let scheme_end = bytes.iter().position(|&b| b == b':');
    let absolute = scheme_end.is_some_and(|end| {
        let scheme = bytes.get(..end).unwrap_or_default();
        scheme.first().is_some_and(u8::is_ascii_alphabetic)
            && scheme
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
            && end + 1 < bytes.len()
    });
    if (callback == "oob" || absolute) && !bytes.iter().any(|&b| b <= b' ' || b == 0x7f) {
        Ok(())
    } else {
        Err(Error::InvalidOptions(
            "the callback must be an absolute URL or 'oob' (RFC 5849 §2.1)",
        ))
    }
}

/// Checks a verifier (RFC 5849 §2.3): not empty.
///
/// # Errors
///
/// [`Error::InvalidOptions`] otherwise.
pub(crate) fn check_verifier(verifier: &str) -> Result<(), Error> {
    if verifier.is_empty() {
        Err(Error::InvalidOptions("the verifier must not be empty"))
    } else {
        Ok(())
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

/// The error for a request whose parameters already include a protocol parameter, `name`
/// (`index` is its position; those before `url_params` came from the URL's own query).
pub(crate) fn reserved_parameter_error(name: &str, index: usize, url_params: usize) -> Error {
    match name {
        "oauth_callback" => Error::InvalidOptions(
            "oauth_callback must not be a query or body parameter: pass the request's callback",
        ),
        "oauth_verifier" => Error::InvalidOptions(
            "oauth_verifier must not be a query or body parameter: pass the request's verifier",
        ),
        "oauth_body_hash" => Error::InvalidOptions(
            "oauth_body_hash must not be a query or body parameter: ask for the body hash instead",
        ),
        _ if index < url_params => Error::InvalidUrl(
            "url query already has a protocol parameter (oauth_nonce, oauth_signature, ...): remove it, the signer adds its own",
        ),
        _ => Error::InvalidOptions(
            "query or body already has a protocol parameter (oauth_nonce, oauth_signature, ...): remove it, the signer adds its own",
        ),
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
    fn callback_and_verifier_rules() {
        for ok in [
            "oob",
            "http://localhost:3005/the_dance/process_callback?service_provider_id=11",
            "https://example.com/cb",
            "myapp:callback",
            "x-app+1.z://done",
        ] {
            assert!(check_callback(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "OOB",
            "/relative",
            "example.com/cb",
            "1http://x",
            "http:",
            "http://a b",
            "http://x\n",
            ":x",
        ] {
            assert_eq!(
                check_callback(bad).unwrap_err().code(),
                "INVALID_OPTIONS",
                "{bad:?}"
            );
        }
        assert!(check_verifier("v").is_ok());
        assert_eq!(check_verifier("").unwrap_err().code(), "INVALID_OPTIONS");
    }

    #[test]
    fn pairs_are_in_name_order_with_the_signature_in_place() {
        let p = Protocol {
            body_hash: Some("h+="),
            callback: Some("oob"),
            consumer_key: "c k",
            consumer_key_encoded: "c%20k",
            nonce: "n n",
            method: SignatureMethod::HmacSha256,
            timestamp: "1",
            token: Some(("t t", "t%20t")),
            verifier: Some("v v"),
            version: true,
        };
        let mut params = ParamList::with_capacity(10, 100);
        params.push("a", "b");
        let first = p.push_signed(&mut params);
        assert_eq!(first, 1);
        let names: Vec<_> = p
            .pairs("S", None)
            .iter()
            .flatten()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(names, RESERVED);
        let encoded: Vec<_> = p
            .pairs("S%3D", Some((&params, first)))
            .iter()
            .flatten()
            .map(|(_, v)| *v)
            .collect();
        assert_eq!(
            encoded,
            [
                "h%2B%3D",
                "oob",
                "c%20k",
                "n%20n",
                "S%3D",
                "HMAC-SHA256",
                "1",
                "t%20t",
                "v%20v",
                "1.0"
            ]
        );
        let bare = Protocol {
            body_hash: None,
            callback: None,
            token: None,
            verifier: None,
            version: false,
            ..p
        };
        let mut params = ParamList::with_capacity(10, 100);
        let first = bare.push_signed(&mut params);
        let got: Vec<_> = bare
            .pairs("S", Some((&params, first)))
            .iter()
            .flatten()
            .copied()
            .collect();
        assert_eq!(
            got,
            [
                ("oauth_consumer_key", "c%20k"),
                ("oauth_nonce", "n%20n"),
                ("oauth_signature", "S"),
                ("oauth_signature_method", "HMAC-SHA256"),
                ("oauth_timestamp", "1"),
            ]
        );
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
