//! The one public error type, with stable machine-readable codes.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

/// Everything that can go wrong while building a [`Signer`](crate::Signer) or signing a request.
///
/// Each variant has a stable [`code`](Error::code) (`"INVALID_URL"`, ...): codes are API and are
/// only ever added, never renamed; several variants may share a code. Messages are short,
/// lowercase and say what to fix. No value supplied by a caller ever appears in one, so no
/// secret can: the only caller text a message may quote is the *name* of an unknown field
/// ([`Error::UnknownField`]), shortened and with control characters replaced.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The signer options are missing, malformed, or contradict each other (`INVALID_OPTIONS`).
    InvalidOptions(&'static str),
    /// An options or request object has a field this signer does not know, such as a
    /// misspelled `qurey` (`INVALID_OPTIONS`): refused rather than silently ignored, because an
    /// ignored filter turns "find Alice" into "list every user".
    UnknownField(UnknownField),
    /// A token and token secret are required: the consumer secret alone may not sign
    /// (`THREE_LEGGED_REQUIRED`).
    ThreeLeggedRequired(&'static str),
    /// 2-legged signing was asked for outside a server runtime, where the consumer secret is
    /// distributed by definition (`TWO_LEGGED_FORBIDDEN`).
    TwoLeggedForbidden,
    /// A consumer-only signer from `forNewUser` was asked to sign anything but adding a user
    /// (`OUT_OF_SCOPE`).
    OutOfScope,
    /// The URL is not an absolute `http(s)` URL this signer can sign exactly (`INVALID_URL`).
    InvalidUrl(&'static str),
    /// The HTTP method is missing, empty or not an HTTP token (`INVALID_METHOD`).
    InvalidMethod(&'static str),
    /// Malformed percent-encoding, invalid UTF-8 after decoding, or a lone UTF-16 surrogate
    /// (`INVALID_ENCODING`).
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
}

/// The details of [`Error::UnknownField`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownField {
    /// `"option"` or `"request"`: which object had the field.
    pub object: &'static str,
    /// The field's name as given, at most 64 characters, control characters replaced by `?`.
    pub name: String,
    /// The known field within a small edit distance of `name`, if exactly one is.
    pub suggestion: Option<&'static str>,
}

impl UnknownField {
    /// The longest name quoted in a message, in characters.
    pub const MAX_NAME_CHARS: usize = 64;

    /// Records an unknown `name` of `object`, suggesting the closest of `known`.
    pub fn new(object: &'static str, name: &str, known: &[&'static str]) -> UnknownField {
        let mut shown = String::new();
        for (i, c) in name.chars().enumerate() {
            if i == Self::MAX_NAME_CHARS {
                shown.push('…');
                break;
            }
            shown.push(if c.is_control() { '?' } else { c });
        }
        UnknownField {
            object,
            name: shown,
            suggestion: crate::suggest::closest(name, known),
        }
    }
}

impl Error {
    /// The stable machine-readable code, e.g. `"THREE_LEGGED_REQUIRED"`.
    pub const fn code(&self) -> &'static str {
        match self {
            Error::InvalidOptions(_) | Error::UnknownField(_) => "INVALID_OPTIONS",
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
        }
    }

    /// A short lowercase message saying what to fix. Never contains a value supplied by the
    /// caller (an unknown field's name is quoted, never its value).
    pub fn message(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Error::InvalidOptions(m)
            | Error::ThreeLeggedRequired(m)
            | Error::InvalidUrl(m)
            | Error::InvalidMethod(m)
            | Error::InvalidEncoding(m)
            | Error::InvalidPlacement(m)
            | Error::InvalidTimestamp(m)
            | Error::InvalidNonce(m)
            | Error::InvalidBody(m) => m,
            Error::UnknownField(f) => {
                let mut s = String::with_capacity(48 + f.name.len());
                s.push_str("unknown ");
                s.push_str(f.object);
                s.push_str(" field \"");
                s.push_str(&f.name);
                s.push('"');
                if let Some(known) = f.suggestion {
                    s.push_str(" (did you mean \"");
                    s.push_str(known);
                    s.push_str("\"?)");
                }
                return Cow::Owned(s);
            }
            Error::TwoLeggedForbidden => {
                "2-legged signing is only allowed in a server runtime (node, deno, bun); in a page, worker or extension use a per-user token or Signer.forNewUser"
            }
            Error::OutOfScope => {
                "a forNewUser signer only signs POST to a path ending in /users, /accounts or /connect_tokens; sign anything else with the user's own token"
            }
            Error::RandomUnavailable => {
                "no secure random generator is available for a nonce (crypto.getRandomValues)"
            }
        })
    }

    /// Every code, in declaration order (for documentation and exhaustive tests).
    pub const ALL_CODES: [&'static str; 12] = [
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
    ];
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn unknown_field_messages() {
        let known = ["method", "url", "query", "body"];
        let e = Error::UnknownField(UnknownField::new("request", "qurey", &known));
        assert_eq!(e.code(), "INVALID_OPTIONS");
        assert_eq!(
            e.to_string(),
            r#"unknown request field "qurey" (did you mean "query"?)"#
        );
        let e = Error::UnknownField(UnknownField::new("request", "zzz\n", &known));
        assert_eq!(e.to_string(), r#"unknown request field "zzz?""#);
        let long = "x".repeat(100);
        let e = Error::UnknownField(UnknownField::new("option", &long, &known));
        assert_eq!(
            e.to_string(),
            alloc::format!("unknown option field \"{}…\"", "x".repeat(64))
        );
    }

    #[test]
    fn every_variant_has_a_listed_code() {
        let all = [
            Error::InvalidOptions("x"),
            Error::UnknownField(UnknownField::new("option", "a", &[])),
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
