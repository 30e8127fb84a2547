//! Why a server refused a signed request.
//!
//! "Invalid signature" is the answer OAuth 1.0a users see most and understand least. Servers
//! say more than that in a few well-known shapes, and this module reads each of them:
//!
//! - the OAuth Problem Reporting extension
//!   (<https://wiki.oauth.net/w/page/12238543/ProblemReporting>): `oauth_problem` with its
//!   companions (`oauth_acceptable_timestamps`, `oauth_parameters_absent`,
//!   `oauth_parameters_rejected`, `oauth_acceptable_versions`, `oauth_problem_advice`) in a
//!   `WWW-Authenticate: OAuth ...` challenge (RFC 7235) or a form-encoded body, often with
//!   `debug_sbs`, the base string the server computed;
//! - a JSON error that carries the expected base string (Context.IO's shape, which the local
//!   server speaks: `{"type":"error","code":105,"value":"...","base_string":"..."}`);
//! - plain text that quotes it ("Expected signature base string: ...");
//! - nothing but a status and a `Date` header.
//!
//! Where the server's base string is found, it is compared with ours
//! ([RFC 5849 §3.4.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1)) component by
//! component: method; scheme, host, port and path of the base string URI (§3.4.1.2); each
//! parameter (§3.4.1.3), naming the classic causes (a scheme changed by a TLS proxy, host
//! spelling, default port, trailing slash, `+` for a space, double encoding, lower-case hex,
//! characters left unencoded); and order. Identical base strings point to the secrets. Nothing
//! is guessed: what could not be read is said, with what was looked for.
//!
//! Deterministic and pure: the clock offset is computed from the timestamp that was sent and
//! what the server says of its own clock. A diagnosis never holds a secret: neither OAuth secret
//! is part of a base string, and the value of a parameter whose name marks it as secret (a
//! password, a refresh token, a client secret) is shown as `<hidden>`, in the differences and
//! in the server's base string alike.

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
    /// Nothing in the answer says why: see [`Diagnosis::looked_for`].
    Unexplained,
}

impl Problem {
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

    fn from_oauth_problem(word: &str) -> Problem {
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
    fn from_context_io_code(code: &str) -> Option<Problem> {
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

/// One difference between the server's base string and ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// `"method"`, `"scheme"`, `"host"`, `"port"`, `"path"`, `"parameter"` or `"order"`.
    pub component: &'static str,
    /// What kind of difference, a stable word: `"scheme_behind_proxy"`, `"host_case"`,
    /// `"host_www"`, `"host"`, `"default_port"`, `"port"`, `"trailing_slash"`,
    /// `"path_encoding"`, `"path"`, `"method"`, `"missing"` (we signed it, the server did not
    /// see it), `"extra"` (the server saw it, we did not sign it), `"plus_for_space"`,
    /// `"double_encoding"`, `"lowercase_hex"`, `"unencoded_characters"`, `"value"`, `"order"`.
    pub kind: &'static str,
    /// The parameter's name, for a parameter.
    pub name: Option<String>,
    /// Our side (decoded once from the base string), if any.
    pub ours: Option<String>,
    /// The server's side, if any.
    pub theirs: Option<String>,
    /// One sentence for a person.
    pub note: &'static str,
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
    /// Where it was found: `"debug_sbs"`, `"json"` or `"text"`.
    pub base_string_source: Option<&'static str>,
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
    /// `"clock"` or `"nonce"` when a fresh signature will do (with the clock offset adjusted,
    /// or a new nonce); `None` otherwise.
    pub retry: Option<&'static str>,
    /// What was looked for when nothing could be read.
    pub looked_for: Vec<&'static str>,
}

/// What the answer said, gathered from every shape before deciding.
#[derive(Default)]
struct Said {
    problem: Option<String>,
    advice: Option<String>,
    acceptable: Option<String>,
    absent: Option<String>,
    rejected: Option<String>,
    sbs: Option<(String, &'static str)>,
    code: Option<String>,
    /// A JSON error's `type` (`"error"` in Context.IO's shape).
    json_type: Option<String>,
    server_time: Option<u64>,
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
    let said = read_answer(answer);
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
        acceptable_timestamps: said.acceptable.as_deref().and_then(range),
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
            Some(trimmed) if *source == "text" => {
                let (whole, cut) = (
                    compare(sent.base_string, sbs),
                    compare(sent.base_string, trimmed),
                );
                if cut.len() < whole.len() {
                    (trimmed, cut)
                } else {
                    (sbs.as_str(), whole)
                }
            }
            _ => (sbs.as_str(), compare(sent.base_string, sbs)),
        };
        d.identical = Some(sbs == sent.base_string);
        d.differences = differences;
        d.server_base_string = Some(redacted(sbs));
        d.base_string_source = Some(source);
        // A refusal that shows its base string is about the signature.
        problem.get_or_insert(Problem::SignatureInvalid);
    }
    let date_skew = sent.timestamp.and_then(|t| {
        header(answer, "date")
            .and_then(http_date)
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
        Problem::TimestampRefused | Problem::ClockSkew if d.clock_offset.is_some() => Some("clock"),
        Problem::NonceUsed => Some("nonce"),
        _ => None,
    };
    (d.cause, d.advice) = explain(&d);
    if d.problem == Problem::Unexplained {
        d.looked_for = alloc::vec![
            "a WWW-Authenticate: OAuth challenge with oauth_problem",
            "oauth_problem in a form-encoded body",
            "a JSON error with an OAuth problem, an error code or a base string",
            "a signature base string quoted in the body",
            "a Date header more than 5 minutes from the timestamp sent",
        ];
    }
    d
}

/// The cause and advice sentences.
fn explain(d: &Diagnosis) -> (&'static str, &'static str) {
    match d.problem {
        Problem::SignatureInvalid => match d.identical {
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
        Problem::TimestampRefused | Problem::ClockSkew => match d.clock_offset {
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

/// The value of the first header named `name` (any case).
fn header<'a>(answer: &Answer<'a>, name: &str) -> Option<&'a str> {
    answer
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// Reads every shape of the answer.
fn read_answer(answer: &Answer<'_>) -> Said {
    let mut said = Said::default();
    // 1. A `WWW-Authenticate: OAuth ...` challenge (any of several headers).
    for (name, value) in answer.headers {
        if name.eq_ignore_ascii_case("www-authenticate") {
            for (k, v) in oauth_challenge(value) {
                take(&mut said, &k, v, "debug_sbs");
            }
        }
    }
    let body = answer.body.trim();
    // 2. A JSON error.
    if body.starts_with('{') {
        if let Some(fields) = json_fields(body) {
            for (k, v) in fields {
                take(&mut said, &k, v, "json");
            }
        }
    } else if body.contains("oauth_problem=") {
        // 3. A form-encoded body.
        for pair in body.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            take(
                &mut said,
                &decode_lossy(k, true),
                decode_lossy(v, true),
                "debug_sbs",
            );
        }
    }
    // 4. A base string quoted in the text.
    if said.sbs.is_none() {
        if let Some(sbs) = find_base_string(answer.body) {
            said.sbs = Some((sbs, "text"));
        }
    }
    said
}

/// Records one field of the answer. `sbs_source` names where a base string came from.
fn take(said: &mut Said, key: &str, value: String, sbs_source: &'static str) {
    match key {
        "oauth_problem" if said.problem.is_none() => said.problem = Some(value),
        "type" if sbs_source == "json" => said.json_type = Some(value),
        "oauth_problem_advice" => said.advice = Some(value),
        "oauth_acceptable_timestamps" => said.acceptable = Some(value),
        "oauth_parameters_absent" => said.absent = Some(value),
        "oauth_parameters_rejected" => said.rejected = Some(value),
        "debug_sbs" | "base_string" | "oauth_signature_base_string"
            if said.sbs.is_none() && is_base_string(&value) =>
        {
            said.sbs = Some((value, sbs_source));
        }
        "code" if said.code.is_none() => said.code = Some(value),
        "server_time" => said.server_time = value.parse().ok(),
        // A message may quote the base string.
        "value" | "message" | "error" | "error_description" | "detail" if said.sbs.is_none() => {
            said.sbs = find_base_string(&value).map(|sbs| (sbs, "text"));
        }
        _ => {}
    }
}

/// The parameters of the `OAuth` challenge in a `WWW-Authenticate` value, unquoted and
/// percent-decoded (OAuth Problem Reporting encodes them as RFC 5849 §3.6 does).
fn oauth_challenge(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let lower = value.to_ascii_lowercase();
    let Some(start) = lower.find("oauth ").or_else(|| lower.find("oauth\t")) else {
        return out;
    };
    let mut rest = value.get(start + 6..).unwrap_or_default();
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let Some(eq) = rest.find('=') else { break };
        let name = rest.get(..eq).unwrap_or_default().trim();
        if name.contains(' ') {
            // The next challenge's scheme: this one ended.
            break;
        }
        rest = rest.get(eq + 1..).unwrap_or_default().trim_start();
        let mut v = String::new();
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, e)) = chars.next() {
                            v.push(e);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => v.push(c),
                }
            }
            rest = quoted.get(end..).unwrap_or_default();
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            v.push_str(rest.get(..end).unwrap_or_default().trim());
            rest = rest.get(end..).unwrap_or_default();
        }
        out.push((String::from(name), decode_lossy(&v, false)));
    }
    out
}

/// Percent-decodes `s` (and `+` as a space when `form`), invalid UTF-8 replaced.
fn decode_lossy(s: &str, form: bool) -> String {
    let mut bytes = Vec::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = |j: usize| b.get(j).and_then(|h| char::from(*h).to_digit(16));
        match (c, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                bytes.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) if form => {
                bytes.push(b' ');
                i += 1;
            }
            _ => {
                bytes.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `FROM-TO`, two whole numbers.
fn range(s: &str) -> Option<(u64, u64)> {
    let (a, b) = s.trim().split_once('-')?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

/// Whether `s` has the form of a signature base string: an HTTP method, `&`, an encoded
/// `http(s)://` URI, `&`, encoded parameters, with no whitespace.
fn is_base_string(s: &str) -> bool {
    let mut parts = s.split('&');
    let (Some(method), Some(uri), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let uri = uri.to_ascii_lowercase();
    !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_alphabetic())
        && (uri.starts_with("http%3a%2f%2f") || uri.starts_with("https%3a%2f%2f"))
        && !s.contains(char::is_whitespace)
}

/// The first signature base string quoted in `text`.
fn find_base_string(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower.get(from..).and_then(|l| l.find("&http")) {
        let at = from + at;
        let start = text
            .get(..at)
            .unwrap_or_default()
            .rfind(|c: char| !c.is_ascii_alphabetic())
            .map_or(0, |i| i + 1);
        let end = text
            .get(at..)
            .unwrap_or_default()
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ','))
            .map_or(text.len(), |i| at + i);
        if let Some(candidate) = text.get(start..end) {
            if is_base_string(candidate) {
                return Some(String::from(candidate));
            }
        }
        from = at + 1;
    }
    None
}

// ---- Comparing base strings -----------------------------------------------------------------

struct Parts {
    method: String,
    scheme: String,
    host: String,
    port: Option<String>,
    path: String,
    params: Vec<(String, String)>,
}

/// A base string's parts, the URI and parameters decoded once (parameter names and values
/// stay encoded as normalization wrote them).
fn parts(base: &str) -> Parts {
    let mut it = base.splitn(3, '&');
    let method = String::from(it.next().unwrap_or_default());
    let uri = decode_lossy(it.next().unwrap_or_default(), false);
    let params = decode_lossy(it.next().unwrap_or_default(), false);
    let (scheme, rest) = uri.split_once("://").unwrap_or(("", &uri));
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            (h, Some(String::from(p)))
        }
        _ => (authority, None),
    };
    Parts {
        method,
        scheme: String::from(scheme),
        host: String::from(host),
        port,
        path: String::from(path),
        params: params
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (n, v) = p.split_once('=').unwrap_or((p, ""));
                (String::from(n), String::from(v))
            })
            .collect(),
    }
}

/// Whether a parameter's value is a secret of the caller's (never shown).
fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "password",
        "secret",
        "refresh_token",
        "passwd",
        "private_key",
    ]
    .iter()
    .any(|s| n.contains(s))
}

/// A base string with the value of every parameter whose name marks it as secret replaced by
/// `<hidden>` (encoded as the rest); unchanged when there is none.
fn redacted(base: &str) -> String {
    let mut it = base.splitn(3, '&');
    let (Some(method), Some(uri), Some(params)) = (it.next(), it.next(), it.next()) else {
        return String::from(base);
    };
    let params = decode_lossy(params, false);
    if !params
        .split('&')
        .any(|p| is_secret_name(&decode_lossy(p.split('=').next().unwrap_or(""), false)))
    {
        return String::from(base);
    }
    let shown: Vec<String> = params
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((n, _)) if is_secret_name(&decode_lossy(n, false)) => {
                let mut out = String::from(n);
                out.push_str("=%3Chidden%3E");
                out
            }
            _ => String::from(p),
        })
        .collect();
    let mut out = String::from(method);
    out.push('&');
    out.push_str(uri);
    out.push('&');
    out.push_str(&crate::encoding::percent_encode(&shown.join("&")));
    out
}

fn shown(name: &str, value: &str) -> String {
    if is_secret_name(name) {
        String::from("<hidden>")
    } else {
        String::from(value)
    }
}

fn diff(
    component: &'static str,
    kind: &'static str,
    ours: &str,
    theirs: &str,
    note: &'static str,
) -> Difference {
    Difference {
        component,
        kind,
        name: None,
        ours: Some(String::from(ours)),
        theirs: Some(String::from(theirs)),
        note,
    }
}

/// Every difference between our base string and the server's.
pub(crate) fn compare(ours: &str, theirs: &str) -> Vec<Difference> {
    let mut out = Vec::new();
    if ours == theirs {
        return out;
    }
    let (a, b) = (parts(ours), parts(theirs));
    if a.method != b.method {
        out.push(diff(
            "method",
            "method",
            &a.method,
            &b.method,
            "the server saw another HTTP method (a redirect, or a method override)",
        ));
    }
    if a.scheme != b.scheme {
        out.push(diff(
            "scheme",
            "scheme_behind_proxy",
            &a.scheme,
            &b.scheme,
            "the server sees another scheme: TLS ends at a proxy in front of it, which forwards plain http (or the other way round)",
        ));
    }
    if a.host != b.host {
        let www = |h: &str| String::from(h.strip_prefix("www.").unwrap_or(h));
        let kind = if a.host.eq_ignore_ascii_case(&b.host) {
            (
                "host_case",
                "the server keeps the host's case; RFC 5849 §3.4.1.2 lower-cases it",
            )
        } else if www(&a.host.to_ascii_lowercase()) == www(&b.host.to_ascii_lowercase()) {
            ("host_www", "one side has www. in the host, the other not")
        } else {
            (
                "host",
                "the server signed another host name (a proxy's Host header?)",
            )
        };
        out.push(diff("host", kind.0, &a.host, &b.host, kind.1));
    }
    if a.port != b.port {
        let default = if a.scheme == "https" { "443" } else { "80" };
        let is_default = |p: &Option<String>| p.as_deref().is_none_or(|p| p == default);
        let kind = if is_default(&a.port) && is_default(&b.port) {
            (
                "default_port",
                "one side wrote the scheme's default port, which RFC 5849 §3.4.1.2 leaves out",
            )
        } else {
            (
                "port",
                "the server sees another port (a proxy in front of it?)",
            )
        };
        out.push(diff(
            "port",
            kind.0,
            a.port.as_deref().unwrap_or(""),
            b.port.as_deref().unwrap_or(""),
            kind.1,
        ));
    }
    if a.path != b.path {
        let kind = if a.path.trim_end_matches('/') == b.path.trim_end_matches('/') {
            (
                "trailing_slash",
                "one path ends with a slash, the other not",
            )
        } else if decode_lossy(&a.path, false) == decode_lossy(&b.path, false) {
            ("path_encoding", "the same path, encoded differently")
        } else {
            (
                "path",
                "the server signed another path (a rewrite or a prefix added by a proxy?)",
            )
        };
        out.push(diff("path", kind.0, &a.path, &b.path, kind.1));
    }
    compare_params(&a.params, &b.params, &mut out);
    out
}

fn compare_params(
    ours: &[(String, String)],
    theirs: &[(String, String)],
    out: &mut Vec<Difference>,
) {
    let mut left: Vec<Option<&(String, String)>> = theirs.iter().map(Some).collect();
    let mut unmatched = Vec::new();
    // Exact matches first, then pairs by name.
    for p in ours {
        match left.iter_mut().find(|q| q.is_some_and(|q| q == p)) {
            Some(slot) => *slot = None,
            None => unmatched.push(p),
        }
    }
    let param = |kind, name: &str, o: Option<&str>, t: Option<&str>, note| Difference {
        component: "parameter",
        kind,
        name: Some(String::from(name)),
        ours: o.map(|v| shown(name, v)),
        theirs: t.map(|v| shown(name, v)),
        note,
    };
    for (name, value) in unmatched {
        let other = left
            .iter_mut()
            .find(|q| q.is_some_and(|(n, _)| n == name))
            .and_then(Option::take);
        match other {
            Some((_, theirs)) if theirs == "%3Chidden%3E" || theirs == "<hidden>" => {}
            Some((_, theirs)) => {
                let (kind, note) = value_difference(value, theirs);
                out.push(param(kind, name, Some(value), Some(theirs), note));
            }
            None => out.push(param(
                "missing",
                name,
                Some(value),
                None,
                "we signed this parameter, the server did not see it (was the body sent with its Content-Type, the query kept?)",
            )),
        }
    }
    for (name, value) in left.into_iter().flatten() {
        // A parameter of ours by another encoding of its name is reported once, as a name.
        out.push(param(
            "extra",
            name,
            None,
            Some(value),
            "the server saw this parameter, we did not sign it (added by a proxy or a client library after signing?)",
        ));
    }
    if out.iter().all(|d| d.component != "parameter") && ours != theirs {
        out.push(Difference {
            component: "order",
            kind: "order",
            name: None,
            ours: None,
            theirs: None,
            note: "the same parameters in another order: RFC 5849 §3.4.1.3.2 sorts them by encoded name, then value",
        });
    }
}

/// How two values of one parameter differ, as they stand in the base strings (encoded once).
fn value_difference(ours: &str, theirs: &str) -> (&'static str, &'static str) {
    let (o, t) = (decode_lossy(ours, false), decode_lossy(theirs, false));
    if o == t {
        if theirs.eq_ignore_ascii_case(ours) {
            return (
                "lowercase_hex",
                "the same value with lower-case hex digits: RFC 5849 §3.6 wants upper case",
            );
        }
        return ("unencoded_characters", "the same value with characters left unencoded: RFC 5849 §3.6 encodes all but A-Z a-z 0-9 - . _ ~");
    }
    if decode_lossy(&t, false) == o || decode_lossy(&o, false) == t {
        return (
            "double_encoding",
            "the value was percent-encoded twice on one side",
        );
    }
    if o.replace('+', " ") == t.replace('+', " ") {
        return ("plus_for_space", "one side read + as a space (form decoding), the other as a plus sign: encode a space as %20 and a plus as %2B");
    }
    ("value", "the server saw another value")
}

// ---- Small readers --------------------------------------------------------------------------

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7) in seconds since the
/// epoch.
fn http_date(s: &str) -> Option<u64> {
    let mut it = s.split_whitespace();
    let _weekday = it.next()?;
    let day: u64 = it.next()?.parse().ok()?;
    let month = match it.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = it.next()?.parse().ok()?;
    let mut hms = it.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if it.next()? != "GMT" || !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + (h * 3600 + m * 60 + sec) as i64).ok()
}

/// The string and number fields of a JSON object, and those of an `error` object in it, as
/// text (a string decoded); `None` when the text is not one JSON object.
fn json_fields(text: &str) -> Option<Vec<(String, String)>> {
    let mut p = Json {
        s: text.as_bytes(),
        i: 0,
    };
    let mut out = Vec::new();
    p.object(&mut out, 0)?;
    p.ws();
    (p.i == p.s.len()).then_some(out)
}

struct Json<'a> {
    s: &'a [u8],
    i: usize,
}

impl Json<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.ws();
        (self.s.get(self.i) == Some(&b)).then(|| self.i += 1)
    }

    /// An object; its string and number fields are added to `out` (depth 0, and an `error`
    /// object at depth 1).
    fn object(&mut self, out: &mut Vec<(String, String)>, depth: u32) -> Option<()> {
        self.eat(b'{')?;
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let key = self.string()?;
            self.eat(b':')?;
            self.ws();
            match self.s.get(self.i)? {
                b'"' => {
                    let v = self.string()?;
                    out.push((key, v));
                }
                b'{' if depth == 0 && key == "error" => self.object(out, 1)?,
                b'{' | b'[' => self.skip(0)?,
                _ => {
                    let start = self.i;
                    while self.s.get(self.i).is_some_and(|b| {
                        !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace()
                    }) {
                        self.i += 1;
                    }
                    let v = core::str::from_utf8(self.s.get(start..self.i)?).ok()?;
                    if v.is_empty() {
                        return None;
                    }
                    out.push((key, String::from(v)));
                }
            }
            if self.eat(b',').is_none() {
                return self.eat(b'}');
            }
        }
    }

    /// Skips a nested object or array (bounded depth).
    fn skip(&mut self, depth: u32) -> Option<()> {
        if depth > 64 {
            return None;
        }
        let close = match self.s.get(self.i)? {
            b'{' => b'}',
            b'[' => b']',
            _ => return None,
        };
        self.i += 1;
        loop {
            self.ws();
            match *self.s.get(self.i)? {
                b if b == close => {
                    self.i += 1;
                    return Some(());
                }
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => self.skip(depth + 1)?,
                _ => self.i += 1,
            }
        }
    }

    /// A JSON string, decoded (a lone surrogate escape becomes U+FFFD).
    fn string(&mut self) -> Option<String> {
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let b = *self.s.get(self.i)?;
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi)
                                && self.s.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                char::from_u32(
                                    0x10000
                                        + ((hi - 0xD800) << 10)
                                        + (lo.wrapping_sub(0xDC00) & 0x3FF),
                                )
                                .unwrap_or('\u{FFFD}')
                            } else {
                                char::from_u32(hi).unwrap_or('\u{FFFD}')
                            }
                        }
                        _ => return None,
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                b => out.push(b),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = core::str::from_utf8(self.s.get(self.i..self.i + 4)?).ok()?;
        self.i += 4;
        u32::from_str_radix(digits, 16).ok()
    }
}

// ---- The JSON form --------------------------------------------------------------------------

impl Diagnosis {
    /// The diagnosis as a JSON object with camelCase keys, absent values as `null`: what the
    /// JavaScript entry returns, so that both languages give the same answer.
    pub fn to_json(&self) -> String {
        let mut o = String::with_capacity(512);
        o.push('{');
        field(&mut o, "problem", Some(self.problem.code()));
        field(&mut o, "serverProblem", self.server_problem.as_deref());
        o.push_str(",\"status\":");
        crate::encoding::push_decimal(&mut o, u64::from(self.status));
        field(&mut o, "cause", Some(self.cause));
        field(&mut o, "advice", Some(self.advice));
        field(&mut o, "serverAdvice", self.server_advice.as_deref());
        field(
            &mut o,
            "serverBaseString",
            self.server_base_string.as_deref(),
        );
        field(&mut o, "baseStringSource", self.base_string_source);
        o.push_str(",\"identical\":");
        o.push_str(match self.identical {
            Some(true) => "true",
            Some(false) => "false",
            None => "null",
        });
        o.push_str(",\"differences\":[");
        for (i, d) in self.differences.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            o.push('{');
            o.push_str("\"component\":");
            json_string(&mut o, d.component);
            field(&mut o, "kind", Some(d.kind));
            field(&mut o, "name", d.name.as_deref());
            field(&mut o, "ours", d.ours.as_deref());
            field(&mut o, "theirs", d.theirs.as_deref());
            field(&mut o, "note", Some(d.note));
            o.push('}');
        }
        o.push(']');
        o.push_str(",\"clockOffset\":");
        match self.clock_offset {
            Some(n) => {
                if n < 0 {
                    o.push('-');
                }
                crate::encoding::push_decimal(&mut o, n.unsigned_abs());
            }
            None => o.push_str("null"),
        }
        o.push_str(",\"acceptableTimestamps\":");
        match self.acceptable_timestamps {
            Some((a, b)) => {
                o.push('[');
                crate::encoding::push_decimal(&mut o, a);
                o.push(',');
                crate::encoding::push_decimal(&mut o, b);
                o.push(']');
            }
            None => o.push_str("null"),
        }
        list(
            &mut o,
            "parameters",
            self.parameters.iter().map(String::as_str),
        );
        field(&mut o, "retry", self.retry);
        list(&mut o, "lookedFor", self.looked_for.iter().copied());
        o.push('}');
        o
    }
}

fn field(o: &mut String, key: &str, value: Option<&str>) {
    if !o.ends_with('{') {
        o.push(',');
    }
    json_string(o, key);
    o.push(':');
    match value {
        Some(v) => json_string(o, v),
        None => o.push_str("null"),
    }
}

fn list<'a>(o: &mut String, key: &str, items: impl Iterator<Item = &'a str>) {
    o.push(',');
    json_string(o, key);
    o.push_str(":[");
    for (i, item) in items.enumerate() {
        if i > 0 {
            o.push(',');
        }
        json_string(o, item);
    }
    o.push(']');
}

/// A JSON string literal (RFC 8259 §7).
fn json_string(o: &mut String, s: &str) {
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                o.push_str("\\u00");
                for nibble in [(c as u32) >> 4, (c as u32) & 15] {
                    o.push(char::from_digit(nibble, 16).unwrap_or('0'));
                }
            }
            c => o.push(c),
        }
    }
    o.push('"');
}
