//! Why a server refused a signed request.
//!
//! "Invalid signature" is the answer OAuth 1.0a users see most and understand least. Servers
//! say more than that in a few well-known shapes, and this module reads each of them
//! ([`answer`]):
//!
//! - the OAuth Problem Reporting extension
//!   (<https://wiki.oauth.net/w/page/12238543/ProblemReporting>): `oauth_problem` with its
//!   companions (`oauth_acceptable_timestamps`, `oauth_parameters_absent`,
//!   `oauth_parameters_rejected`, `oauth_acceptable_versions`, `oauth_problem_advice`) in a
//!   `WWW-Authenticate: OAuth ...` challenge (RFC 7235) or a form-encoded body, often with
//!   `debug_sbs`, the base string the server computed;
//! - a JSON error that carries the expected base string (Context.IO's shape, which the local
//!   server speaks: `{"type":"error","code":105,"value":"...","base_string":"..."}`; [`json`]);
//! - plain text that quotes it ("Expected signature base string: ...");
//! - nothing but a status and a `Date` header ([`date`]).
//!
//! Where the server's base string is found, it is compared with ours ([`compare`],
//! [RFC 5849 §3.4.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1)) component by
//! component: method; scheme, host, port and path of the base string URI (§3.4.1.2); each
//! parameter (§3.4.1.3), naming the classic causes (a scheme changed by a TLS proxy, host
//! spelling, default port, trailing slash, `+` for a space, double encoding, lower-case hex,
//! characters left unencoded); and order. Identical base strings point to the secrets. Nothing
//! is guessed: what could not be read is said, with what was looked for. The sentences for a
//! person are one table ([`explain`]).
//!
//! Deterministic and pure: the clock offset is computed from the timestamp that was sent and
//! what the server says of its own clock. A diagnosis never holds a secret: neither OAuth secret
//! is part of a base string, and the value of a parameter whose name marks it as secret
//! ([`is_secret_parameter`](crate::is_secret_parameter)) is shown as `<hidden>`, in the
//! differences and in the server's base string alike.

mod answer;
mod compare;
mod date;
mod explain;
mod json;

pub use self::answer::BaseStringSource;
pub use self::compare::{Difference, DifferenceComponent, DifferenceKind};
/// The problems: one set for the verifier and the diagnosis (`src/problem.rs`).
pub use crate::problem::Problem;

use crate::request::SignedRequest;
use alloc::string::String;
use alloc::vec::Vec;

/// The server's answer to a signed request.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The response headers, names in any case.
    pub headers: &'a [(&'a str, &'a str)],
    /// The response body as text (empty if none).
    pub body: &'a str,
}

/// What was signed: the base string and the `oauth_timestamp` sent.
#[derive(Debug, Clone, Copy)]
pub struct Sent<'a> {
    /// The signature base string that was signed.
    pub base_string: &'a str,
    /// The `oauth_timestamp` sent, if known.
    pub timestamp: Option<u64>,
}

impl<'a> Sent<'a> {
    /// What a signed request sent.
    pub fn of(signed: &'a SignedRequest) -> Sent<'a> {
        Sent {
            base_string: signed.base_string(),
            timestamp: signed
                .oauth_parameter("oauth_timestamp")
                .and_then(|t| t.parse().ok()),
        }
    }
}

/// When a fresh signature will do.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Sign again with the clock offset adjusted by [`Diagnosis::clock_offset`] (`"clock"`).
    Clock,
    /// Sign again: a new signature has a new nonce (`"nonce"`).
    Nonce,
}

impl Retry {
    /// Every retry, in declaration order.
    pub const ALL: [Retry; 2] = [Retry::Clock, Retry::Nonce];

    /// The stable word, as in the JSON form: `"clock"` or `"nonce"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Retry::Clock => "clock",
            Retry::Nonce => "nonce",
        }
    }
}

impl core::fmt::Display for Retry {
    /// The stable word ([`Retry::as_str`]).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The diagnosis of a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// What went wrong.
    pub problem: Problem,
    /// The server's own word for it (`signature_invalid`, or its error code), if it gave one.
    pub server_problem: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// One sentence: the cause.
    pub cause: &'static str,
    /// One sentence: what to do.
    pub advice: &'static str,
    /// The server's `oauth_problem_advice`, if any.
    pub server_advice: Option<String>,
    /// The base string the server computed, if the answer holds it.
    pub server_base_string: Option<String>,
    /// Where it was found.
    pub base_string_source: Option<BaseStringSource>,
    /// Whether the server's base string is ours exactly (`None` when none was found).
    pub identical: Option<bool>,
    /// Every difference between the two base strings.
    pub differences: Vec<Difference>,
    /// Seconds to add to the clock offset the request was signed with, when the server says
    /// (or its `Date` shows) that the clock is off.
    pub clock_offset: Option<i64>,
    /// The server's window, from `oauth_acceptable_timestamps`.
    pub acceptable_timestamps: Option<(u64, u64)>,
    /// Parameters the server named as absent or rejected.
    pub parameters: Vec<String>,
    /// Whether a fresh signature will do (with the clock offset adjusted, or a new nonce).
    pub retry: Option<Retry>,
    /// What was looked for when nothing could be read.
    pub looked_for: Vec<&'static str>,
}

/// The clock skew, in seconds, from which a `Date` header alone is taken to explain a 401:
/// five minutes, the usual window of OAuth 1.0a servers.
const SKEW: u64 = 300;

/// Diagnoses a server's answer to a request this package signed.
pub fn diagnose(signed: &SignedRequest, answer: &Answer<'_>) -> Diagnosis {
    diagnose_sent(&Sent::of(signed), answer)
}

/// [`diagnose`] from what was sent: the base string and timestamp (for callers who keep only
/// those, such as the JavaScript entry, which has a result object).
pub fn diagnose_sent(sent: &Sent<'_>, answer: &Answer<'_>) -> Diagnosis {
    let said = answer::read(answer);
    let mut d = Diagnosis {
        problem: Problem::Unexplained,
        server_problem: said.problem.clone().or_else(|| {
            said.code
                .clone()
                .filter(|_| said.json_type.as_deref() == Some("error"))
        }),
        status: answer.status,
        cause: "",
        advice: "",
        server_advice: said.advice.clone(),
        server_base_string: None,
        base_string_source: None,
        identical: None,
        differences: Vec::new(),
        clock_offset: None,
        acceptable_timestamps: said.acceptable.as_deref().and_then(answer::range),
        parameters: Vec::new(),
        retry: None,
        looked_for: Vec::new(),
    };
    for list in [&said.absent, &said.rejected].into_iter().flatten() {
        d.parameters.extend(
            list.split(['&', ','])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(String::from),
        );
    }

    // The problem: the server's own word, else its error code, else what the answer shows.
    let mut problem = said
        .problem
        .as_deref()
        .map(Problem::from_oauth_problem)
        .or_else(|| {
            // Error codes are read only in Context.IO's own shape; another API's numbers mean
            // other things.
            let context_io = said.json_type.as_deref() == Some("error");
            said.code
                .as_deref()
                .filter(|_| context_io)
                .and_then(Problem::from_context_io_code)
        });
    if let Some((sbs, source)) = &said.sbs {
        // A base string quoted in text may be followed by its sentence's full stop, or end
        // with a `.` of its own (an unreserved character): both readings are compared with ours,
        // and the closer one is taken (the quote as it stands when they are as close).
        let (sbs, differences) = match sbs.strip_suffix('.') {
            Some(trimmed) if *source == BaseStringSource::Text => {
                let (whole, cut) = (
                    compare::compare(sent.base_string, sbs),
                    compare::compare(sent.base_string, trimmed),
                );
                if cut.len() < whole.len() {
                    (trimmed, cut)
                } else {
                    (sbs.as_str(), whole)
                }
            }
            _ => (sbs.as_str(), compare::compare(sent.base_string, sbs)),
        };
        // Identical as far as the server shows it: a server that hides the values of
        // secret-named parameters (`<hidden>`, as the local server and this crate's verifier do)
        // is compared by the same rule on our side.
        let shown = compare::redacted(sbs);
        d.identical = Some(sbs == sent.base_string || shown == compare::redacted(sent.base_string));
        d.differences = differences;
        d.server_base_string = Some(shown);
        d.base_string_source = Some(*source);
        // A refusal that shows its base string is about the signature.
        problem.get_or_insert(Problem::SignatureInvalid);
    }
    let date_skew = sent.timestamp.and_then(|t| {
        answer::header(answer, "date")
            .and_then(|date| date::http_date(date, t))
            .map(|date| date as i64 - t as i64)
    });
    if problem.is_none() && answer.status == 401 {
        if let Some(skew) = date_skew.filter(|s| s.unsigned_abs() > SKEW) {
            problem = Some(Problem::ClockSkew);
            d.clock_offset = Some(skew);
        }
    }
    if answer.status < 400 && problem.is_none() {
        problem = Some(Problem::NotRefused);
    }
    d.problem = problem.unwrap_or(Problem::Unexplained);

    if matches!(d.problem, Problem::TimestampRefused) {
        // The offset that puts the timestamp in the middle of the server's window; else the
        // server's clock as it gave it.
        let server_now = d
            .acceptable_timestamps
            .map(|(from, to)| from / 2 + to / 2 + (from % 2 + to % 2) / 2)
            .or(said.server_time);
        d.clock_offset = match (server_now, sent.timestamp) {
            (Some(now), Some(t)) => Some(now as i64 - t as i64),
            _ => date_skew,
        };
    }
    d.retry = match d.problem {
        Problem::TimestampRefused | Problem::ClockSkew if d.clock_offset.is_some() => {
            Some(Retry::Clock)
        }
        Problem::NonceUsed => Some(Retry::Nonce),
        _ => None,
    };
    (d.cause, d.advice) = explain::explain(d.problem, d.identical, d.clock_offset);
    if d.problem == Problem::Unexplained {
        d.looked_for = Vec::from(answer::LOOKED_FOR);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: &str = "GET&https%3A%2F%2Fapi.example.com%2Fx&a%3D1%26oauth_timestamp%3D1000";

    fn run(status: u16, headers: &[(&str, &str)], body: &str, timestamp: Option<u64>) -> Diagnosis {
        diagnose_sent(
            &Sent {
                base_string: OURS,
                timestamp,
            },
            &Answer {
                status,
                headers,
                body,
            },
        )
    }

    #[test]
    fn retry_words() {
        assert_eq!(Retry::Clock.as_str(), "clock");
        assert_eq!(Retry::Nonce.as_str(), "nonce");
        for r in Retry::ALL {
            assert_eq!(alloc::format!("{r}"), r.as_str());
        }
    }

    #[test]
    fn a_success_is_not_a_refusal() {
        let d = run(200, &[], "{\"ok\":true}", Some(1000));
        assert_eq!(d.problem, Problem::NotRefused);
        assert!(d.looked_for.is_empty());
        assert_eq!(d.retry, None);
    }

    #[test]
    fn a_bare_401_says_what_was_looked_for() {
        let d = run(401, &[], "Unauthorized", Some(1000));
        assert_eq!(d.problem, Problem::Unexplained);
        assert_eq!(d.looked_for, answer::LOOKED_FOR);
        assert_eq!(d.identical, None);
        assert!(!d.cause.is_empty() && !d.advice.is_empty());
    }

    #[test]
    fn a_far_date_is_a_clock_skew_and_a_near_one_is_not() {
        // 1970-01-01 00:16:40 is 1000 s, the timestamp sent; 00:22:41 is 1361 s (361 s ahead,
        // more than the 300 s window), 00:21:40 is 1300 s (300 s: not more).
        let far = run(
            401,
            &[("date", "Thu, 01 Jan 1970 00:22:41 GMT")],
            "",
            Some(1000),
        );
        assert_eq!(far.problem, Problem::ClockSkew);
        assert_eq!(far.clock_offset, Some(361));
        assert_eq!(far.retry, Some(Retry::Clock));
        let near = run(
            401,
            &[("Date", "Thu, 01 Jan 1970 00:21:40 GMT")],
            "",
            Some(1000),
        );
        assert_eq!(near.problem, Problem::Unexplained);
        assert_eq!(near.clock_offset, None);
        // Without the timestamp sent there is nothing to compare the Date with.
        let unknown = run(401, &[("Date", "Thu, 01 Jan 1970 00:22:41 GMT")], "", None);
        assert_eq!(unknown.problem, Problem::Unexplained);
    }

    #[test]
    fn a_refused_timestamp_aims_at_the_middle_of_the_window() {
        // The window 2000-2601: its middle is 2300 (rounded down), 1300 s after 1000.
        let d = run(
            401,
            &[(
                "WWW-Authenticate",
                "OAuth oauth_problem=timestamp_refused, oauth_acceptable_timestamps=\"2000-2601\"",
            )],
            "",
            Some(1000),
        );
        assert_eq!(d.problem, Problem::TimestampRefused);
        assert_eq!(d.acceptable_timestamps, Some((2000, 2601)));
        assert_eq!(d.clock_offset, Some(1300));
        assert_eq!(d.retry, Some(Retry::Clock));
    }

    #[test]
    fn a_used_nonce_is_retried_with_a_new_one() {
        let d = run(401, &[], "oauth_problem=nonce_used", Some(1000));
        assert_eq!(d.problem, Problem::NonceUsed);
        assert_eq!(d.retry, Some(Retry::Nonce));
    }

    #[test]
    fn the_named_parameters_are_listed() {
        let d = run(
            400,
            &[],
            "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce%26oauth_timestamp",
            None,
        );
        assert_eq!(d.problem, Problem::ParameterAbsent);
        assert_eq!(d.parameters, ["oauth_nonce", "oauth_timestamp"]);
    }

    #[test]
    fn a_quoted_base_string_keeps_or_drops_a_final_full_stop_by_which_is_closer() {
        // The sentence's full stop is not part of the base string.
        let d = run(
            401,
            &[],
            &alloc::format!("Expected base string: {OURS}."),
            None,
        );
        assert_eq!(d.base_string_source, Some(BaseStringSource::Text));
        assert_eq!(d.identical, Some(true));
        assert_eq!(d.server_base_string.as_deref(), Some(OURS));
        // A base string that ends with a `.` of its own keeps it.
        let dotted = "GET&https%3A%2F%2Fapi.example.com%2Fx&a%3D1.";
        let d = diagnose_sent(
            &Sent {
                base_string: dotted,
                timestamp: None,
            },
            &Answer {
                status: 401,
                headers: &[],
                body: &alloc::format!("Expected base string: {dotted}"),
            },
        );
        assert_eq!(d.identical, Some(true));
    }

    #[test]
    fn context_io_codes_are_read_only_in_context_io_errors() {
        let d = run(
            401,
            &[],
            r#"{"type":"error","code":107,"value":"nonce"}"#,
            None,
        );
        assert_eq!(d.problem, Problem::NonceUsed);
        assert_eq!(d.server_problem.as_deref(), Some("107"));
        // Another API's numbered error means something else.
        let d = run(401, &[], r#"{"code":107,"message":"no"}"#, None);
        assert_eq!(d.problem, Problem::Unexplained);
        assert_eq!(d.server_problem, None);
    }
}
