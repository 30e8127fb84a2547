//! The sentences for a person: the cause and advice of each problem, and the note of each kind
//! of difference. One table, so that every word a diagnosis says is in one place.

use super::compare::DifferenceKind;
use crate::problem::Problem;

/// The cause and advice sentences of a diagnosis: by its problem, whether the server's base
/// string is ours (`identical`, `None` when none was found), and whether a clock offset is
/// known.
pub(super) fn explain(
    problem: Problem,
    identical: Option<bool>,
    clock_offset: Option<i64>,
) -> (&'static str, &'static str) {
    match problem {
        Problem::SignatureInvalid => match identical {
            Some(true) => (
                "the server computed the same base string, so the key differs: the consumer secret or the token secret is not the one the server has",
                "check the consumer secret and, for a user's request, that user's token secret (a token secret from another consumer or an old token does not match)",
            ),
            Some(false) => (
                "the server signed another base string than ours; the differences say where",
                "make the request the server receives match what was signed: see each difference and its note",
            ),
            None => (
                "the signature did not match, and the server did not show the base string it computed",
                "check the usual causes: the URL's scheme, host and port as the server sees them (behind a proxy), a trailing slash, parameters encoded twice, a form body sent without its Content-Type, and the secrets",
            ),
        },
        Problem::TimestampRefused | Problem::ClockSkew => match clock_offset {
            Some(_) => (
                "the timestamp sent is outside the server's window: this clock and the server's differ",
                "add clockOffset seconds to the signer's clock offset and sign again",
            ),
            None => (
                "the timestamp sent is outside the server's window, and the answer does not say the server's time",
                "set this machine's clock right (or give the signer a clockOffset) and sign again",
            ),
        },
        Problem::NonceUsed => (
            "the server has seen this nonce with this timestamp before: the request was a replay",
            "sign again: every signature gets a fresh nonce unless one is fixed by hand",
        ),
        Problem::ParameterAbsent => (
            "the server says a required parameter is missing",
            "send the parameters it names (protocol parameters must all be in one place: the header, the query or the form body)",
        ),
        Problem::ParameterRejected => (
            "the server refused a parameter or its value",
            "check the parameters it names",
        ),
        Problem::VersionRejected => (
            "the server refused the oauth_version sent",
            "send the version it accepts, or leave oauth_version out (includeVersion: false)",
        ),
        Problem::SignatureMethodRejected => (
            "the server does not accept the signature method the request was signed with",
            "sign with a method the server accepts: HMAC-SHA1, HMAC-SHA256, HMAC-SHA512 or PLAINTEXT (its documentation says which)",
        ),
        Problem::ConsumerKeyRefused => (
            "the server does not know or accept this consumer key",
            "check the consumer key, and that the key is enabled on this server",
        ),
        Problem::TokenRefused => (
            "the server does not accept this access token: unknown, used, expired or revoked",
            "get the user a new access token (for Context.IO, the token the server gave when the user was added)",
        ),
        Problem::PermissionDenied => (
            "the credentials are valid, but may not do this",
            "sign with the token of the user the request is about, or ask for the permission",
        ),
        Problem::Other => (
            "the server named a problem this package does not know",
            "read the server's own word and advice",
        ),
        Problem::NotRefused => (
            "the server did not refuse the request",
            "nothing to do about the signature",
        ),
        Problem::Unexplained => (
            "nothing in the answer says why the request was refused",
            "look at the server's documentation or logs; compare its expected base string with this request's baseString if it can show one",
        ),
    }
}

impl DifferenceKind {
    /// One sentence for a person: what a difference of this kind means, and its likely cause.
    pub const fn note(self) -> &'static str {
        match self {
            DifferenceKind::Method => {
                "the server saw another HTTP method (a redirect, or a method override)"
            }
            DifferenceKind::SchemeBehindProxy => {
                "the server sees another scheme: TLS ends at a proxy in front of it, which forwards plain http (or the other way round)"
            }
            DifferenceKind::HostCase => {
                "the server keeps the host's case; RFC 5849 §3.4.1.2 lower-cases it"
            }
            DifferenceKind::HostWww => "one side has www. in the host, the other not",
            DifferenceKind::Host => {
                "the server signed another host name (a proxy's Host header?)"
            }
            DifferenceKind::DefaultPort => {
                "one side wrote the scheme's default port, which RFC 5849 §3.4.1.2 leaves out"
            }
            DifferenceKind::Port => "the server sees another port (a proxy in front of it?)",
            DifferenceKind::TrailingSlash => "one path ends with a slash, the other not",
            DifferenceKind::PathEncoding => "the same path, encoded differently",
            DifferenceKind::Path => {
                "the server signed another path (a rewrite or a prefix added by a proxy?)"
            }
            DifferenceKind::Missing => {
                "we signed this parameter, the server did not see it (was the body sent with its Content-Type, the query kept?)"
            }
            DifferenceKind::Extra => {
                "the server saw this parameter, we did not sign it (added by a proxy or a client library after signing?)"
            }
            DifferenceKind::PlusForSpace => {
                "one side read + as a space (form decoding), the other as a plus sign: encode a space as %20 and a plus as %2B"
            }
            DifferenceKind::DoubleEncoding => "the value was percent-encoded twice on one side",
            DifferenceKind::LowercaseHex => {
                "the same value with lower-case hex digits: RFC 5849 §3.6 wants upper case"
            }
            DifferenceKind::UnencodedCharacters => {
                "the same value with characters left unencoded: RFC 5849 §3.6 encodes all but A-Z a-z 0-9 - . _ ~"
            }
            DifferenceKind::Value => "the server saw another value",
            DifferenceKind::Order => {
                "the same parameters in another order: RFC 5849 §3.4.1.3.2 sorts them by encoded name, then value"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// Every (problem, identical, clock offset) a diagnosis can reach.
    fn every_case() -> Vec<(Problem, Option<bool>, Option<i64>)> {
        let mut out = Vec::new();
        for p in Problem::ALL {
            for identical in [None, Some(false), Some(true)] {
                for offset in [None, Some(-5)] {
                    out.push((p, identical, offset));
                }
            }
        }
        out
    }

    #[test]
    fn every_problem_has_a_short_lowercase_cause_and_advice() {
        for (p, identical, offset) in every_case() {
            let (cause, advice) = explain(p, identical, offset);
            for s in [cause, advice] {
                assert!(!s.is_empty(), "{p:?}");
                assert!(
                    s.starts_with(|c: char| c.is_ascii_lowercase()),
                    "{p:?}: {s}"
                );
                assert!(!s.ends_with('.'), "{p:?}: {s}");
            }
        }
    }

    #[test]
    fn an_invalid_signature_is_explained_by_what_the_server_showed() {
        let same = explain(Problem::SignatureInvalid, Some(true), None);
        assert!(same.0.contains("same base string") && same.1.contains("secret"));
        let other = explain(Problem::SignatureInvalid, Some(false), None);
        assert!(other.0.contains("another base string") && other.1.contains("difference"));
        let unseen = explain(Problem::SignatureInvalid, None, None);
        assert!(unseen.0.contains("did not show"));
        assert_ne!(same, other);
        assert_ne!(other, unseen);
    }

    #[test]
    fn a_clock_problem_is_explained_by_whether_the_offset_is_known() {
        for p in [Problem::TimestampRefused, Problem::ClockSkew] {
            assert!(explain(p, None, Some(30)).1.contains("add clockOffset"));
            assert!(explain(p, None, None)
                .1
                .contains("set this machine's clock"));
        }
    }

    #[test]
    fn the_refused_signature_method_advice_names_every_method() {
        let (_, advice) = explain(Problem::SignatureMethodRejected, None, None);
        for m in ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"] {
            assert!(advice.contains(m), "{m}");
        }
    }

    #[test]
    fn every_kind_has_its_own_note() {
        for (i, k) in DifferenceKind::ALL.iter().enumerate() {
            let note = k.note();
            assert!(note.starts_with(|c: char| c.is_ascii_lowercase()), "{k:?}");
            assert!(
                DifferenceKind::ALL[..i].iter().all(|j| j.note() != note),
                "{k:?}: the note of another kind"
            );
        }
    }
}
