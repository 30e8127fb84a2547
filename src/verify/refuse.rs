//! Refusals in the words of the OAuth Problem Reporting extension.
//!
//! Implements the server's side of [RFC 5849 §3.2](https://www.rfc-editor.org/rfc/rfc5849#section-3.2)
//! (400 for an unsupported parameter or signature method, or a missing or duplicated protocol
//! parameter; 401 for unknown client credentials or token, a bad signature, a used nonce, a
//! refused timestamp) and the problem words of
//! [OAuth Problem Reporting](https://wiki.oauth.net/w/page/12238543/ProblemReporting), written
//! as a `WWW-Authenticate: OAuth realm="...", oauth_problem="..."` challenge (RFC 7235) and as a
//! form-encoded body. The problems are the diagnosis' own [`Problem`]: one vocabulary for both
//! ends. No refusal holds a secret: a base string holds none (`debug_sbs`, only when the server
//! asks for it).

use crate::encoding::encode_into;
use crate::encoding::UNRESERVED;
use crate::problem::Problem;
use alloc::string::String;
use alloc::vec::Vec;

/// Why a request was refused, and how to say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The problem, in the diagnosis' vocabulary.
    pub problem: Problem,
    /// The HTTP status (RFC 5849 §3.2): 400 or 401.
    pub status: u16,
    /// The parameters at fault, for `oauth_parameters_absent` or `oauth_parameters_rejected`.
    pub parameters: Vec<&'static str>,
    /// The timestamps the server accepts (`oauth_acceptable_timestamps`), for a refused one.
    pub acceptable_timestamps: Option<(u64, u64)>,
    /// The base string the server computed, when the server asked for it (`debug_sbs`).
    pub base_string: Option<String>,
    /// A short lowercase explanation for the server's log (never a secret, never a value of
    /// the request).
    pub reason: &'static str,
}

impl Refusal {
    pub(crate) fn new(problem: Problem, reason: &'static str) -> Refusal {
        let status = match problem {
            Problem::ParameterAbsent
            | Problem::ParameterRejected
            | Problem::VersionRejected
            | Problem::SignatureMethodRejected => 400,
            _ => 401,
        };
        Refusal {
            problem,
            status,
            parameters: Vec::new(),
            acceptable_timestamps: None,
            base_string: None,
            reason,
        }
    }

    /// A request that cannot be read (a malformed header, a bad escape): `parameter_rejected`.
    pub(crate) fn malformed(reason: &'static str) -> Refusal {
        Refusal::new(Problem::ParameterRejected, reason)
    }

    pub(crate) fn naming(mut self, parameter: &'static str) -> Refusal {
        self.parameters.push(parameter);
        self
    }

    /// The OAuth Problem Reporting word, e.g. `"signature_invalid"`.
    pub fn oauth_problem(&self) -> &'static str {
        self.problem.oauth_problem().unwrap_or("parameter_rejected")
    }

    /// The pairs of the problem report: `oauth_problem` and what goes with it.
    fn report(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        out.push(("oauth_problem", String::from(self.oauth_problem())));
        let joined = || {
            let mut s = String::new();
            for (i, p) in self.parameters.iter().enumerate() {
                if i > 0 {
                    s.push('&');
                }
                s.push_str(p);
            }
            s
        };
        match self.problem {
            Problem::ParameterAbsent if !self.parameters.is_empty() => {
                out.push(("oauth_parameters_absent", joined()));
            }
            Problem::ParameterRejected if !self.parameters.is_empty() => {
                out.push(("oauth_parameters_rejected", joined()));
            }
            Problem::VersionRejected => {
                out.push(("oauth_acceptable_versions", String::from("1.0-1.0")))
            }
            _ => {}
        }
        if let Some((from, to)) = self.acceptable_timestamps {
            let mut s = String::new();
            crate::encoding::push_decimal(&mut s, from);
            s.push('-');
            crate::encoding::push_decimal(&mut s, to);
            out.push(("oauth_acceptable_timestamps", s));
        }
        if let Some(sbs) = &self.base_string {
            out.push(("debug_sbs", sbs.clone()));
        }
        out
    }

    /// The `WWW-Authenticate` challenge: `OAuth realm="REALM", oauth_problem="..."` and the rest
    /// of the report, each value percent-encoded (RFC 5849 §3.5.1's form) and quoted.
    pub fn challenge(&self, realm: &str) -> String {
        let mut out = String::from("OAuth realm=\"");
        for c in realm.chars().filter(|c| (' '..='~').contains(c)) {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        for (name, value) in self.report() {
            out.push_str(", ");
            out.push_str(name);
            out.push_str("=\"");
            encode_into(&value, &mut out, UNRESERVED);
            out.push('"');
        }
        out
    }

    /// The report as an `application/x-www-form-urlencoded` body.
    pub fn form_body(&self) -> String {
        let mut out = String::new();
        for (i, (name, value)) in self.report().into_iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            encode_into(&value, &mut out, UNRESERVED);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_rfc_5849_section_3_2() {
        for (p, status) in [
            (Problem::ParameterAbsent, 400),
            (Problem::ParameterRejected, 400),
            (Problem::VersionRejected, 400),
            (Problem::SignatureMethodRejected, 400),
            (Problem::ConsumerKeyRefused, 401),
            (Problem::TokenRefused, 401),
            (Problem::SignatureInvalid, 401),
            (Problem::NonceUsed, 401),
            (Problem::TimestampRefused, 401),
        ] {
            assert_eq!(Refusal::new(p, "x").status, status, "{p:?}");
        }
    }

    #[test]
    fn the_report_in_a_challenge_and_in_a_body() {
        let r = Refusal::new(Problem::ParameterAbsent, "x")
            .naming("oauth_nonce")
            .naming("oauth_timestamp");
        assert_eq!(
            r.challenge("Photos \"x\""),
            r#"OAuth realm="Photos \"x\"", oauth_problem="parameter_absent", oauth_parameters_absent="oauth_nonce%26oauth_timestamp""#
        );
        assert_eq!(
            r.form_body(),
            "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce%26oauth_timestamp"
        );
        let mut t = Refusal::new(Problem::TimestampRefused, "x");
        t.acceptable_timestamps = Some((100, 700));
        assert_eq!(
            t.form_body(),
            "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=100-700"
        );
        let v = Refusal::new(Problem::VersionRejected, "x");
        assert_eq!(
            v.form_body(),
            "oauth_problem=version_rejected&oauth_acceptable_versions=1.0-1.0"
        );
        let mut s = Refusal::new(Problem::SignatureInvalid, "x");
        s.base_string = Some(String::from("GET&http%3A%2F%2Fh%2F&"));
        assert_eq!(
            s.challenge("r"),
            r#"OAuth realm="r", oauth_problem="signature_invalid", debug_sbs="GET%26http%253A%252F%252Fh%252F%26""#
        );
    }
}
