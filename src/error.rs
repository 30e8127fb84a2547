//! The one public error type, with stable machine-readable codes.

use core::fmt;

/// Everything that can go wrong while building a [`Signer`](crate::Signer) or signing a request.
///
/// Each variant has a stable [`code`](Error::code) (`"INVALID_URL"`, ...): codes are API and are
/// only ever added, never renamed; several variants may share a code. Messages are short,
/// lowercase and say what to fix. No value supplied by a caller ever appears in one, so no
/// secret can. (The JavaScript API's own value rules, such as an unknown field's name, are
/// checked and reported by the package's JavaScript front with these same codes.)
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The signer options are missing, malformed, or contradict each other (`INVALID_OPTIONS`).
    InvalidOptions(&'static str),
    /// A token and token secret are required: the consumer secret alone may not sign
    /// (`THREE_LEGGED_REQUIRED`).
    ThreeLeggedRequired(&'static str),
    /// 2-legged signing was asked for outside a server runtime, where the consumer secret is
    /// distributed by definition (`TWO_LEGGED_FORBIDDEN`).
    TwoLeggedForbidden,
    /// A consumer-only signer from `forNewUser` was asked to sign anything but adding a user or
    /// the temporary-credentials request (a `POST` with a callback; `OUT_OF_SCOPE`).
    OutOfScope,
    /// The URL is not an absolute `http(s)` URL this signer can sign exactly (`INVALID_URL`).
    InvalidUrl(&'static str),
    /// The HTTP method is missing, empty or not an HTTP token (`INVALID_METHOD`).
    InvalidMethod(&'static str),
    /// Malformed percent-encoding or invalid UTF-8 after decoding (`INVALID_ENCODING`; the
    /// JavaScript front gives the same code to a string with a lone UTF-16 surrogate).
    InvalidEncoding(&'static str),
    /// The OAuth parameters cannot go where they were asked to (`INVALID_PLACEMENT`).
    InvalidPlacement(&'static str),
    /// The timestamp is not a non-negative whole number of seconds (`INVALID_TIMESTAMP`).
    InvalidTimestamp(&'static str),
    /// The nonce is not a string, is empty, or is too long (`INVALID_NONCE`).
    InvalidNonce(&'static str),
    /// The request body is of an unsupported kind or does not fit the method (`INVALID_BODY`).
    InvalidBody(&'static str),
    /// The platform's secure random generator could not be used for a nonce
    /// (`RANDOM_UNAVAILABLE`).
    RandomUnavailable,
    /// A PLAINTEXT signer was asked to sign a plain `http:` URL whose host is not loopback: the
    /// signature is the secrets themselves, which only TLS keeps from the network
    /// (`PLAINTEXT_NEEDS_HTTPS`).
    PlaintextNeedsHttps,
}

impl Error {
    /// The stable machine-readable code, e.g. `"THREE_LEGGED_REQUIRED"`.
    pub const fn code(&self) -> &'static str {
        match self {
            Error::InvalidOptions(_) => "INVALID_OPTIONS",
            Error::ThreeLeggedRequired(_) => "THREE_LEGGED_REQUIRED",
            Error::TwoLeggedForbidden => "TWO_LEGGED_FORBIDDEN",
            Error::OutOfScope => "OUT_OF_SCOPE",
            Error::InvalidUrl(_) => "INVALID_URL",
            Error::InvalidMethod(_) => "INVALID_METHOD",
            Error::InvalidEncoding(_) => "INVALID_ENCODING",
            Error::InvalidPlacement(_) => "INVALID_PLACEMENT",
            Error::InvalidTimestamp(_) => "INVALID_TIMESTAMP",
            Error::InvalidNonce(_) => "INVALID_NONCE",
            Error::InvalidBody(_) => "INVALID_BODY",
            Error::RandomUnavailable => "RANDOM_UNAVAILABLE",
            Error::PlaintextNeedsHttps => "PLAINTEXT_NEEDS_HTTPS",
        }
    }

    /// A short lowercase message saying what to fix. Never contains a value supplied by the
    /// caller.
    pub const fn message(&self) -> &'static str {
        match self {
            Error::InvalidOptions(m)
            | Error::ThreeLeggedRequired(m)
            | Error::InvalidUrl(m)
            | Error::InvalidMethod(m)
            | Error::InvalidEncoding(m)
            | Error::InvalidPlacement(m)
            | Error::InvalidTimestamp(m)
            | Error::InvalidNonce(m)
            | Error::InvalidBody(m) => m,
            Error::TwoLeggedForbidden => {
                "2-legged signing is only allowed in a server runtime (node, deno, bun); in a page, worker or extension sign with each user's own token, and add users with the consumer-only signer for new users"
            }
            Error::OutOfScope => {
                "the consumer-only signer for new users signs only a POST to a path ending in /users, /accounts or /connect_tokens, or with a callback (a temporary-credentials request); sign anything else with the user's own token"
            }
            Error::PlaintextNeedsHttps => {
                "PLAINTEXT sends the secrets as the signature: sign an https: url (or http: to a loopback host), or use an HMAC method"
            }
            Error::RandomUnavailable => {
                "no secure random generator is available for a nonce (crypto.getRandomValues)"
            }
        }
    }

    /// Every code, in declaration order (for the tests: tier 1 checks that the JavaScript
    /// front's list is this one).
    #[cfg(any(test, feature = "internals"))]
    pub const ALL_CODES: [&'static str; 13] = [
        "INVALID_OPTIONS",
        "THREE_LEGGED_REQUIRED",
        "TWO_LEGGED_FORBIDDEN",
        "OUT_OF_SCOPE",
        "INVALID_URL",
        "INVALID_METHOD",
        "INVALID_ENCODING",
        "INVALID_PLACEMENT",
        "INVALID_TIMESTAMP",
        "INVALID_NONCE",
        "INVALID_BODY",
        "RANDOM_UNAVAILABLE",
        "PLAINTEXT_NEEDS_HTTPS",
    ];
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_listed_code() {
        let all = [
            Error::InvalidOptions("x"),
            Error::ThreeLeggedRequired("x"),
            Error::TwoLeggedForbidden,
            Error::OutOfScope,
            Error::InvalidUrl("x"),
            Error::InvalidMethod("x"),
            Error::InvalidEncoding("x"),
            Error::InvalidPlacement("x"),
            Error::InvalidTimestamp("x"),
            Error::InvalidNonce("x"),
            Error::InvalidBody("x"),
            Error::RandomUnavailable,
            Error::PlaintextNeedsHttps,
        ];
        for e in &all {
            assert!(Error::ALL_CODES.contains(&e.code()), "{e:?}");
            assert!(!e.message().is_empty());
        }
        for code in Error::ALL_CODES {
            assert!(all.iter().any(|e| e.code() == code), "{code} unused");
        }
    }
}
