//! The vocabulary both ends share: the problems a server names when it refuses a signed
//! request, and which parameters are secret.
//!
//! The problems are those of the OAuth Problem Reporting extension
//! (<https://wiki.oauth.net/w/page/12238543/ProblemReporting>), which the verifier
//! ([`crate::verify`]) answers with and the diagnosis ([`crate::diagnose`]) reads back, plus the
//! few that only a diagnosis can conclude (a clock skew read from a `Date`, a problem word this
//! package does not know, no refusal at all, nothing said). One enum, so that a refusal has one
//! name in Rust, in the package's JavaScript and in the local server: [`Problem::code`] is the
//! stable code, [`Problem::oauth_problem`] the word on the wire.

/// What the server's answer says went wrong.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The signature did not match (`signature_invalid`).
    SignatureInvalid,
    /// The timestamp is outside the server's window (`timestamp_refused`).
    TimestampRefused,
    /// No problem was named, but the server's `Date` is far from the timestamp sent.
    ClockSkew,
    /// The nonce was used before (`nonce_used`).
    NonceUsed,
    /// A required parameter is missing (`parameter_absent`).
    ParameterAbsent,
    /// A parameter was refused (`parameter_rejected`).
    ParameterRejected,
    /// The `oauth_version` was refused (`version_rejected`).
    VersionRejected,
    /// The signature method was refused (`signature_method_rejected`).
    SignatureMethodRejected,
    /// The consumer key is not known, or refused (`consumer_key_unknown`, `_rejected`,
    /// `_refused`).
    ConsumerKeyRefused,
    /// The token was used, expired, revoked or refused (`token_used`, `token_expired`,
    /// `token_revoked`, `token_rejected`).
    TokenRefused,
    /// The credentials are valid but may not do this (`permission_denied`).
    PermissionDenied,
    /// The server named a problem this package does not know; its word is kept.
    Other,
    /// The answer is not a refusal (a 1xx, 2xx or 3xx status).
    NotRefused,
    /// Nothing in the answer says why: see [`Diagnosis::looked_for`](crate::Diagnosis::looked_for).
    Unexplained,
}

impl Problem {
    /// Every problem, in declaration order (for tables that must name them all).
    pub const ALL: [Problem; 14] = [
        Problem::SignatureInvalid,
        Problem::TimestampRefused,
        Problem::ClockSkew,
        Problem::NonceUsed,
        Problem::ParameterAbsent,
        Problem::ParameterRejected,
        Problem::VersionRejected,
        Problem::SignatureMethodRejected,
        Problem::ConsumerKeyRefused,
        Problem::TokenRefused,
        Problem::PermissionDenied,
        Problem::Other,
        Problem::NotRefused,
        Problem::Unexplained,
    ];

    /// The stable code, e.g. `"SIGNATURE_INVALID"`. Codes are API: added, never renamed.
    pub const fn code(self) -> &'static str {
        match self {
            Problem::SignatureInvalid => "SIGNATURE_INVALID",
            Problem::TimestampRefused => "TIMESTAMP_REFUSED",
            Problem::ClockSkew => "CLOCK_SKEW",
            Problem::NonceUsed => "NONCE_USED",
            Problem::ParameterAbsent => "PARAMETER_ABSENT",
            Problem::ParameterRejected => "PARAMETER_REJECTED",
            Problem::VersionRejected => "VERSION_REJECTED",
            Problem::SignatureMethodRejected => "SIGNATURE_METHOD_REJECTED",
            Problem::ConsumerKeyRefused => "CONSUMER_KEY_REFUSED",
            Problem::TokenRefused => "TOKEN_REFUSED",
            Problem::PermissionDenied => "PERMISSION_DENIED",
            Problem::Other => "OTHER",
            Problem::NotRefused => "NOT_REFUSED",
            Problem::Unexplained => "UNEXPLAINED",
        }
    }

    /// The OAuth Problem Reporting word a server answers with: `"signature_invalid"`, ...
    /// (`consumer_key_unknown` and `token_rejected` for the refusals of credentials); `None`
    /// for what no server says (a clock skew read from a `Date`, another word, no refusal).
    pub const fn oauth_problem(self) -> Option<&'static str> {
        Some(match self {
            Problem::SignatureInvalid => "signature_invalid",
            Problem::TimestampRefused => "timestamp_refused",
            Problem::NonceUsed => "nonce_used",
            Problem::ParameterAbsent => "parameter_absent",
            Problem::ParameterRejected => "parameter_rejected",
            Problem::VersionRejected => "version_rejected",
            Problem::SignatureMethodRejected => "signature_method_rejected",
            Problem::ConsumerKeyRefused => "consumer_key_unknown",
            Problem::TokenRefused => "token_rejected",
            Problem::PermissionDenied => "permission_denied",
            Problem::ClockSkew | Problem::Other | Problem::NotRefused | Problem::Unexplained => {
                return None
            }
        })
    }

    /// The problem a server's `oauth_problem` word names ([`Problem::Other`] for a word this
    /// package does not know). Reads the extension's synonyms as well as the words
    /// [`Problem::oauth_problem`] writes.
    pub(crate) fn from_oauth_problem(word: &str) -> Problem {
        match word {
            "signature_invalid" => Problem::SignatureInvalid,
            "timestamp_refused" => Problem::TimestampRefused,
            "nonce_used" => Problem::NonceUsed,
            "parameter_absent" => Problem::ParameterAbsent,
            "parameter_rejected" => Problem::ParameterRejected,
            "version_rejected" => Problem::VersionRejected,
            "signature_method_rejected" => Problem::SignatureMethodRejected,
            "consumer_key_unknown" | "consumer_key_rejected" | "consumer_key_refused" => {
                Problem::ConsumerKeyRefused
            }
            "token_used" | "token_expired" | "token_revoked" | "token_rejected" => {
                Problem::TokenRefused
            }
            "permission_denied" | "permission_unknown" => Problem::PermissionDenied,
            _ => Problem::Other,
        }
    }

    /// The local server's Context.IO-style error codes (devserver/errors.mjs).
    pub(crate) fn from_context_io_code(code: &str) -> Option<Problem> {
        Some(match code {
            "101" => Problem::ParameterRejected,
            "102" => Problem::ConsumerKeyRefused,
            "103" => Problem::TokenRefused,
            "105" => Problem::SignatureInvalid,
            "106" => Problem::TimestampRefused,
            "107" => Problem::NonceUsed,
            "108" => Problem::PermissionDenied,
            _ => return None,
        })
    }
}

/// Whether a parameter's name marks its value as a secret of the caller's (a password, a
/// client secret, a refresh token, a private key), which is then never shown: the diagnosis
/// writes `<hidden>` for it, in its differences and in the server's base string alike.
///
/// The rule: the name, lower-cased (ASCII), contains `password`, `secret`, `refresh_token`,
/// `passwd` or `private_key`. It is the one rule of the project: the diagnosis hides by it,
/// and the JavaScript side (`common/`) writes the same rule; the verifier's `debug_sbs` too.
///
/// Written as a window compare, not `str::contains`: core's substring search (Two-Way) is 4.5 KB
/// gzipped of the verify entry's wasm (measured 2026-12-08: 35,714 against 31,553 B; the diagnose
/// entry's is 99 B smaller too), for names
/// of a few dozen bytes.
pub fn is_secret_parameter(name: &str) -> bool {
    const PARTS: [&[u8]; 5] = [
        b"password",
        b"secret",
        b"refresh_token",
        b"passwd",
        b"private_key",
    ];
    let name = name.as_bytes();
    PARTS.iter().any(|part| {
        name.windows(part.len())
            .any(|w| w.eq_ignore_ascii_case(part))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_written_is_read_back_as_its_problem() {
        for p in Problem::ALL {
            if let Some(word) = p.oauth_problem() {
                assert_eq!(Problem::from_oauth_problem(word), p, "{word}");
            }
        }
    }

    #[test]
    fn only_what_a_diagnosis_concludes_has_no_word() {
        let wordless: Vec<Problem> = Problem::ALL
            .into_iter()
            .filter(|p| p.oauth_problem().is_none())
            .collect();
        assert_eq!(
            wordless,
            [
                Problem::ClockSkew,
                Problem::Other,
                Problem::NotRefused,
                Problem::Unexplained
            ]
        );
    }

    #[test]
    fn codes_are_unique_and_upper_snake_case() {
        for (i, p) in Problem::ALL.iter().enumerate() {
            let c = p.code();
            assert!(
                c.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
                "{c}"
            );
            assert!(Problem::ALL[..i].iter().all(|q| q.code() != c), "{c} twice");
        }
    }

    #[test]
    fn the_extensions_synonyms_are_read() {
        // The Problem Reporting page names these for the same refusals.
        for (word, p) in [
            ("consumer_key_rejected", Problem::ConsumerKeyRefused),
            ("consumer_key_refused", Problem::ConsumerKeyRefused),
            ("token_used", Problem::TokenRefused),
            ("token_expired", Problem::TokenRefused),
            ("token_revoked", Problem::TokenRefused),
            ("permission_unknown", Problem::PermissionDenied),
            ("additional_authorization_required", Problem::Other),
            ("Signature_Invalid", Problem::Other),
            ("", Problem::Other),
        ] {
            assert_eq!(Problem::from_oauth_problem(word), p, "{word}");
        }
    }

    #[test]
    fn context_io_codes() {
        // The table of common/constants.js (CONTEXT_IO_CODES): 105 is a bad signature, 106 a
        // refused timestamp, 107 a nonce used; 104 and 109 are not in it.
        assert_eq!(
            Problem::from_context_io_code("105"),
            Some(Problem::SignatureInvalid)
        );
        assert_eq!(
            Problem::from_context_io_code("106"),
            Some(Problem::TimestampRefused)
        );
        assert_eq!(
            Problem::from_context_io_code("107"),
            Some(Problem::NonceUsed)
        );
        for other in ["104", "109", "", "105 ", "0105"] {
            assert_eq!(Problem::from_context_io_code(other), None, "{other:?}");
        }
    }

    #[test]
    fn secret_parameters() {
        for name in [
            "password",
            "PASSWORD",
            "user_password",
            "client_secret",
            "oauth_token_secret",
            "Secret",
            "refresh_token",
            "passwd",
            "private_key",
            "x_private_key_pem",
        ] {
            assert!(is_secret_parameter(name), "{name}");
        }
        for name in [
            "",
            "oauth_token",
            "access_token",
            "refresh",
            "token",
            "pass",
            "pwd",
            "key",
            "private",
            "privatekey",
            "secre",
            "refresh-token",
            // Only ASCII letters are folded: U+0130 (İ) is not an `i`.
            "pr\u{130}vate_key",
        ] {
            assert!(!is_secret_parameter(name), "{name}");
        }
    }
}
