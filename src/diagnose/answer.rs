//! Reading a server's answer: its `WWW-Authenticate: OAuth` challenges (RFC 7235 §4.1, the
//! parameters written as RFC 5849 §3.5.1 writes them), a form-encoded body (OAuth Problem
//! Reporting), a JSON error ([`super::json`]), and a signature base string quoted in text.
//!
//! Everything the answer says is gathered into [`Said`] before anything is decided
//! ([`super::diagnose_sent`] decides).

use super::json;
use alloc::string::String;
use alloc::vec::Vec;

/// Where the server's base string was found.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseStringSource {
    /// A `debug_sbs` (or `oauth_signature_base_string`) parameter of an OAuth challenge or a
    /// form-encoded body (`"debug_sbs"`).
    DebugSbs,
    /// A field of a JSON error (`"json"`).
    Json,
    /// Quoted in text: a message, or the body itself (`"text"`).
    Text,
}

impl BaseStringSource {
    /// Every source, in declaration order.
    pub const ALL: [BaseStringSource; 3] = [
        BaseStringSource::DebugSbs,
        BaseStringSource::Json,
        BaseStringSource::Text,
    ];

    /// The stable word, as in the JSON form: `"debug_sbs"`, `"json"` or `"text"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            BaseStringSource::DebugSbs => "debug_sbs",
            BaseStringSource::Json => "json",
            BaseStringSource::Text => "text",
        }
    }
}

impl core::fmt::Display for BaseStringSource {
    /// The stable word ([`BaseStringSource::as_str`]).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What was looked for, said when nothing could be read.
pub(super) const LOOKED_FOR: [&str; 5] = [
    "a WWW-Authenticate: OAuth challenge with oauth_problem",
    "oauth_problem in a form-encoded body",
    "a JSON error with an OAuth problem, an error code or a base string",
    "a signature base string quoted in the body",
    "a Date header more than 5 minutes from the timestamp sent",
];

/// What the answer said, gathered from every shape before deciding.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Said {
    pub problem: Option<String>,
    pub advice: Option<String>,
    pub acceptable: Option<String>,
    pub absent: Option<String>,
    pub rejected: Option<String>,
    pub sbs: Option<(String, BaseStringSource)>,
    pub code: Option<String>,
    /// A JSON error's `type` (`"error"` in Context.IO's shape).
    pub json_type: Option<String>,
    pub server_time: Option<u64>,
}

/// The value of the first header named `name` (any case).
pub(super) fn header<'a>(answer: &super::Answer<'a>, name: &str) -> Option<&'a str> {
    answer
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// Reads every shape of the answer.
pub(super) fn read(answer: &super::Answer<'_>) -> Said {
    let mut said = Said::default();
    // 1. A `WWW-Authenticate: OAuth ...` challenge (any of several headers).
    for (name, value) in answer.headers {
        if name.eq_ignore_ascii_case("www-authenticate") {
            for (k, v) in oauth_challenge(value) {
                take(&mut said, &k, v, BaseStringSource::DebugSbs);
            }
        }
    }
    let body = answer.body.trim();
    // 2. A JSON error.
    if body.starts_with('{') {
        if let Some(fields) = json::json_fields(body) {
            for (k, v) in fields {
                take(&mut said, &k, v, BaseStringSource::Json);
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
                BaseStringSource::DebugSbs,
            );
        }
    }
    // 4. A base string quoted in the text.
    if said.sbs.is_none() {
        if let Some(sbs) = find_base_string(answer.body) {
            said.sbs = Some((sbs, BaseStringSource::Text));
        }
    }
    said
}

/// Records one field of the answer. `source` names where a base string in it came from.
fn take(said: &mut Said, key: &str, value: String, source: BaseStringSource) {
    match key {
        "oauth_problem" if said.problem.is_none() => said.problem = Some(value),
        "type" if source == BaseStringSource::Json => said.json_type = Some(value),
        "oauth_problem_advice" => said.advice = Some(value),
        "oauth_acceptable_timestamps" => said.acceptable = Some(value),
        "oauth_parameters_absent" => said.absent = Some(value),
        "oauth_parameters_rejected" => said.rejected = Some(value),
        "debug_sbs" | "base_string" | "oauth_signature_base_string"
            if said.sbs.is_none() && is_base_string(&value) =>
        {
            said.sbs = Some((value, source));
        }
        "code" if said.code.is_none() => said.code = Some(value),
        "server_time" => said.server_time = value.parse().ok(),
        // A message may quote the base string.
        "value" | "message" | "error" | "error_description" | "detail" if said.sbs.is_none() => {
            said.sbs = find_base_string(&value).map(|sbs| (sbs, BaseStringSource::Text));
        }
        _ => {}
    }
}

/// The parameters of the `OAuth` challenge in a `WWW-Authenticate` value, unquoted and
/// percent-decoded (OAuth Problem Reporting encodes them as RFC 5849 §3.6 does).
pub(super) fn oauth_challenge(value: &str) -> Vec<(String, String)> {
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

/// Percent-decodes `s` (and `+` as a space when `form`), invalid UTF-8 replaced; a `%` not
/// followed by two hex digits stays as it is.
pub(super) fn decode_lossy(s: &str, form: bool) -> String {
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

/// `FROM-TO`, two whole numbers (`oauth_acceptable_timestamps`).
pub(super) fn range(s: &str) -> Option<(u64, u64)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::Answer;

    const SBS: &str = "POST&https%3A%2F%2Fa.example%2Fp&a%3D1";

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (String::from(*k), String::from(*v)))
            .collect()
    }

    fn said(headers: &[(&str, &str)], body: &str) -> Said {
        read(&Answer {
            status: 401,
            headers,
            body,
        })
    }

    #[test]
    fn source_words() {
        let words: Vec<&str> = BaseStringSource::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(words, ["debug_sbs", "json", "text"]);
        for s in BaseStringSource::ALL {
            assert_eq!(alloc::format!("{s}"), s.as_str());
        }
    }

    #[test]
    fn a_challenge_with_quoted_and_bare_parameters() {
        // RFC 7235 §2.1: auth-param = token BWS "=" BWS ( token / quoted-string ).
        assert_eq!(
            oauth_challenge(
                r#"OAuth realm="Photos", oauth_problem=signature_invalid ,debug_sbs = "x""#
            ),
            pairs(&[
                ("realm", "Photos"),
                ("oauth_problem", "signature_invalid"),
                ("debug_sbs", "x"),
            ])
        );
    }

    #[test]
    fn quoted_pairs_are_unescaped_then_percent_decoded() {
        // RFC 7230 §3.2.6: a quoted-pair is "\" and the character it stands for; the value is
        // then percent-decoded once (RFC 5849 §3.6 encoding): %2C is a comma, %22 a quote.
        assert_eq!(
            oauth_challenge(r#"OAuth oauth_problem_advice="say \"hi\", \\ then %2C%22""#),
            pairs(&[("oauth_problem_advice", "say \"hi\", \\ then ,\"")])
        );
        // A comma inside quotes does not end the parameter; an unterminated quote runs to the
        // end of the value.
        assert_eq!(
            oauth_challenge(r#"OAuth a="1,2", b="open"#),
            pairs(&[("a", "1,2"), ("b", "open")])
        );
    }

    #[test]
    fn duplicated_parameters_are_all_returned_and_the_first_problem_wins() {
        let value = "OAuth oauth_problem=nonce_used, oauth_problem=signature_invalid";
        assert_eq!(
            oauth_challenge(value),
            pairs(&[
                ("oauth_problem", "nonce_used"),
                ("oauth_problem", "signature_invalid"),
            ])
        );
        let s = said(&[("WWW-Authenticate", value)], "");
        assert_eq!(s.problem.as_deref(), Some("nonce_used"));
    }

    #[test]
    fn the_scheme_is_found_in_any_case_after_another_challenge_and_ends_at_the_next() {
        // RFC 7235 §4.1: one header may hold several challenges; auth-scheme is
        // case-insensitive.
        assert_eq!(
            oauth_challenge(r#"Basic realm="x", oauth realm="y", oauth_problem=nonce_used"#),
            pairs(&[("realm", "y"), ("oauth_problem", "nonce_used")])
        );
        assert_eq!(
            oauth_challenge(r#"OAuth realm="y", Basic realm="x""#),
            pairs(&[("realm", "y")])
        );
        assert!(oauth_challenge(r#"Basic realm="x""#).is_empty());
        assert!(oauth_challenge("OAuth").is_empty());
        assert!(oauth_challenge("OAuthX realm=y").is_empty());
    }

    #[test]
    fn every_www_authenticate_header_is_read() {
        let s = said(
            &[
                ("WWW-Authenticate", r#"Basic realm="x""#),
                (
                    "www-authenticate",
                    "OAuth oauth_problem=timestamp_refused, oauth_acceptable_timestamps=10-20",
                ),
            ],
            "",
        );
        assert_eq!(s.problem.as_deref(), Some("timestamp_refused"));
        assert_eq!(s.acceptable.as_deref(), Some("10-20"));
    }

    #[test]
    fn a_form_body_is_form_decoded() {
        // `+` is a space in a form body (application/x-www-form-urlencoded), not in a
        // challenge.
        let s = said(
            &[],
            "oauth_problem=parameter_rejected&oauth_parameters_rejected=a%2Cb&oauth_problem_advice=try+again%21",
        );
        assert_eq!(s.problem.as_deref(), Some("parameter_rejected"));
        assert_eq!(s.rejected.as_deref(), Some("a,b"));
        assert_eq!(s.advice.as_deref(), Some("try again!"));
        let s = said(
            &[("WWW-Authenticate", "OAuth oauth_problem_advice=a+b")],
            "",
        );
        assert_eq!(s.advice.as_deref(), Some("a+b"));
    }

    #[test]
    fn a_base_string_is_taken_from_where_it_was_found() {
        let enc = crate::encoding::percent_encode(SBS);
        let debug = alloc::format!("OAuth debug_sbs=\"{enc}\"");
        assert_eq!(
            said(&[("WWW-Authenticate", &debug)], "").sbs,
            Some((String::from(SBS), BaseStringSource::DebugSbs))
        );
        let json = alloc::format!("{{\"type\":\"error\",\"base_string\":\"{SBS}\"}}");
        let s = said(&[], &json);
        assert_eq!(s.sbs, Some((String::from(SBS), BaseStringSource::Json)));
        assert_eq!(s.json_type.as_deref(), Some("error"));
        let message = alloc::format!("{{\"message\":\"expected '{SBS}'\"}}");
        assert_eq!(
            said(&[], &message).sbs,
            Some((String::from(SBS), BaseStringSource::Text))
        );
        let text = alloc::format!("Invalid signature. Base string: <{SBS}>");
        assert_eq!(
            said(&[], &text).sbs,
            Some((String::from(SBS), BaseStringSource::Text))
        );
        // A `debug_sbs` that is not a base string is not taken for one.
        assert_eq!(said(&[], "oauth_problem=x&debug_sbs=hello").sbs, None);
    }

    #[test]
    fn a_type_field_counts_only_in_json() {
        assert_eq!(said(&[], "oauth_problem=x&type=error").json_type, None);
    }

    #[test]
    fn base_string_shapes() {
        assert!(is_base_string(SBS));
        assert!(is_base_string("get&HTTP%3a%2f%2fh&"));
        for not in [
            "",
            "GET&http%3A%2F%2Fh",
            "GET&http%3A%2F%2Fh&a&b",
            "G3T&http%3A%2F%2Fh&a",
            "&http%3A%2F%2Fh&a",
            "GET&ftp%3A%2F%2Fh&a",
            "GET&http://h&a",
            "GET&http%3A%2F%2Fh&a%3D1 b",
        ] {
            assert!(!is_base_string(not), "{not}");
        }
    }

    #[test]
    fn the_first_base_string_in_text() {
        assert_eq!(
            find_base_string(&alloc::format!("see x&http then {SBS}, and more")).as_deref(),
            Some(SBS)
        );
        assert_eq!(find_base_string("no base string &http here"), None);
        assert_eq!(find_base_string(""), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(decode_lossy("a%20b+c", false), "a b+c");
        assert_eq!(decode_lossy("a%20b+c", true), "a b c");
        assert_eq!(decode_lossy("%e2%82%ac", false), "\u{20AC}");
        // Broken escapes stay; bytes that are not UTF-8 become U+FFFD.
        assert_eq!(decode_lossy("100%", false), "100%");
        assert_eq!(decode_lossy("%zz%4", false), "%zz%4");
        assert_eq!(decode_lossy("%FF", false), "\u{FFFD}");
    }

    #[test]
    fn ranges() {
        assert_eq!(
            range("1191242090-1191242096"),
            Some((1191242090, 1191242096))
        );
        assert_eq!(range(" 1 - 2 "), Some((1, 2)));
        assert_eq!(range("1"), None);
        assert_eq!(range("-1-2"), None);
        assert_eq!(range("a-b"), None);
    }

    #[test]
    fn headers_by_any_case() {
        let a = Answer {
            status: 401,
            headers: &[("X", "1"), ("DATE", "d1"), ("date", "d2")],
            body: "",
        };
        assert_eq!(header(&a, "Date"), Some("d1"));
        assert_eq!(header(&a, "missing"), None);
    }
}
