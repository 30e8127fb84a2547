//! Tier 1: the diagnosis of a server's refusal (`contextio_signer::diagnose`).
//!
//! - the recorded refusals of `tests/support/refusals.json`, one per shape a server answers in
//!   (OAuth Problem Reporting in a challenge or a form body, Context.IO's JSON, plain text, a
//!   bare `Date`), each with what its diagnosis must say;
//! - a property test: a random valid request is signed, **one** random mutation is applied to
//!   the server's side (scheme, host case, `www.`, port, trailing slash, one parameter added,
//!   removed or changed, one value re-encoded, or the secrets), the server's refusal is written
//!   in a random shape, and the diagnosis must name exactly that mutation;
//! - no secret in any diagnosis;
//! - the vocabularies of js/diagnose.d.ts are the core's (`Problem`, `DifferenceComponent`,
//!   `DifferenceKind`, `BaseStringSource`, `Retry`).

use contextio_signer::{
    diagnose, is_secret_parameter, percent_encode, Answer, BaseStringSource, Body,
    DifferenceComponent, DifferenceKind, Problem, Request, Retry, Runtime, Signer, SignerOptions,
};
use proptest::prelude::*;

mod common;
#[path = "common/refusals.rs"]
mod refusals;
use serde_json::Value;

fn refusals() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/refusals.json"
    ))
    .expect("tests/support/refusals.json");
    let doc: Value = serde_json::from_str(&text).expect("valid JSON");
    doc["cases"].as_array().expect("cases").clone()
}

#[test]
fn every_recorded_refusal_is_read() {
    let cases = refusals();
    assert!(cases.len() >= 12, "too few recorded refusals");
    let mut shapes = std::collections::BTreeSet::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        shapes.insert(case["shape"].as_str().unwrap().to_owned());
        let d = refusals::diagnose_case(case);
        let json: Value = serde_json::from_str(&d.to_json()).expect("to_json is JSON");
        let expect = &case["expect"];
        for (key, want) in expect.as_object().unwrap() {
            match key.as_str() {
                "differences" => {
                    let got: Vec<Value> = json["differences"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|d| {
                            let mut o = serde_json::Map::new();
                            for k in ["component", "kind", "name"] {
                                let wanted =
                                    want.as_array().unwrap().iter().any(|w| w.get(k).is_some());
                                if wanted && (!d[k].is_null() || k != "name") {
                                    o.insert(k.into(), d[k].clone());
                                }
                            }
                            Value::Object(o)
                        })
                        .collect();
                    assert_eq!(&Value::Array(got), want, "{name}: differences {json}");
                }
                "lookedFor" => assert_eq!(
                    json["lookedFor"].as_array().unwrap().len() as u64,
                    want.as_u64().unwrap(),
                    "{name}"
                ),
                "notContaining" => assert!(
                    !d.to_json().contains(want.as_str().unwrap()),
                    "{name}: a secret in {json}"
                ),
                _ => assert_eq!(&json[key], want, "{name}: {key} in {json}"),
            }
        }
        assert!(!d.cause.is_empty() && !d.advice.is_empty(), "{name}");
        assert_eq!(
            d.looked_for.is_empty(),
            d.problem.code() != "UNEXPLAINED",
            "{name}"
        );
    }
    for shape in ["header", "form", "json", "text", "date"] {
        assert!(
            shapes.contains(shape),
            "no recorded refusal of shape {shape}"
        );
    }
}

// ---- The property test ----------------------------------------------------------------------

/// The server's side of one signed request, as components.
#[derive(Clone, Debug)]
struct Side {
    method: String,
    scheme: String,
    host: String,
    port: String,
    path: String,
    /// Encoded once, in normalized order.
    params: Vec<(String, String)>,
}

impl Side {
    fn base_string(&self) -> String {
        let uri = format!("{}://{}{}{}", self.scheme, self.host, self.port, self.path);
        let norm: Vec<String> = self
            .params
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        format!(
            "{}&{}&{}",
            self.method,
            percent_encode(&uri),
            percent_encode(&norm.join("&"))
        )
    }
}

/// Reads our base string into components (an independent split: the test's own code).
fn side_of(base: &str) -> Side {
    let mut it = base.splitn(3, '&');
    let method = it.next().unwrap().to_owned();
    let dec = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .unwrap()
            .into_owned()
    };
    let uri = dec(it.next().unwrap());
    let params = dec(it.next().unwrap());
    let (scheme, rest) = uri.split_once("://").unwrap();
    let slash = rest.find('/').unwrap();
    let (authority, path) = rest.split_at(slash);
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h.to_owned(), format!(":{p}")),
        None => (authority.to_owned(), String::new()),
    };
    Side {
        method,
        scheme: scheme.to_owned(),
        host,
        port,
        path: path.to_owned(),
        params: params
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (n, v) = p.split_once('=').unwrap();
                (n.to_owned(), v.to_owned())
            })
            .collect(),
    }
}

#[derive(Clone, Copy, Debug)]
enum Mutation {
    Scheme,
    HostCase,
    HostWww,
    DefaultPort,
    Port,
    TrailingSlash,
    ParamAdded,
    ParamRemoved,
    ParamChanged,
    PlusForSpace,
    DoubleEncoding,
    LowercaseHex,
    Unencoded,
    Method,
    Secrets,
}

const MUTATIONS: [Mutation; 15] = [
    Mutation::Scheme,
    Mutation::HostCase,
    Mutation::HostWww,
    Mutation::DefaultPort,
    Mutation::Port,
    Mutation::TrailingSlash,
    Mutation::ParamAdded,
    Mutation::ParamRemoved,
    Mutation::ParamChanged,
    Mutation::PlusForSpace,
    Mutation::DoubleEncoding,
    Mutation::LowercaseHex,
    Mutation::Unencoded,
    Mutation::Method,
    Mutation::Secrets,
];

/// Applies `m` to `side`: the expected difference (component, kind, parameter name), or `None`
/// when the mutation does not apply to this request (the case is then skipped).
fn mutate(
    side: &mut Side,
    m: Mutation,
    pick: usize,
) -> Option<Option<(&'static str, &'static str, Option<String>)>> {
    let user: Vec<usize> = (0..side.params.len())
        .filter(|&i| !side.params[i].0.starts_with("oauth_"))
        .collect();
    let pick_param = |pred: &dyn Fn(&str) -> bool| -> Option<usize> {
        let c: Vec<usize> = user
            .iter()
            .copied()
            .filter(|&i| pred(&side.params[i].1))
            .collect();
        (!c.is_empty()).then(|| c[pick % c.len()])
    };
    let name = |i: usize, side: &Side| Some(side.params[i].0.clone());
    Some(Some(match m {
        Mutation::Scheme => {
            side.scheme = if side.scheme == "https" {
                "http"
            } else {
                "https"
            }
            .into();
            ("scheme", "scheme_behind_proxy", None)
        }
        Mutation::HostCase => {
            let first = side.host.chars().position(|c| c.is_ascii_lowercase())?;
            side.host.replace_range(
                first..=first,
                &side.host[first..=first].to_ascii_uppercase(),
            );
            ("host", "host_case", None)
        }
        Mutation::HostWww => {
            side.host = format!("www.{}", side.host);
            ("host", "host_www", None)
        }
        Mutation::DefaultPort => {
            if !side.port.is_empty() {
                return None;
            }
            side.port = if side.scheme == "https" {
                ":443"
            } else {
                ":80"
            }
            .into();
            ("port", "default_port", None)
        }
        Mutation::Port => {
            side.port = ":8443".into();
            ("port", "port", None)
        }
        Mutation::TrailingSlash => {
            if side.path.ends_with('/') {
                side.path.pop();
            } else {
                side.path.push('/');
            }
            ("path", "trailing_slash", None)
        }
        Mutation::ParamAdded => {
            side.params.push(("zz_added".into(), "1".into()));
            ("parameter", "extra", Some("zz_added".into()))
        }
        Mutation::ParamRemoved => {
            let i = *user.get(pick % user.len().max(1))?;
            let n = name(i, side);
            side.params.remove(i);
            ("parameter", "missing", n)
        }
        Mutation::ParamChanged => {
            let i = *user.get(pick % user.len().max(1))?;
            side.params[i].1.push_str("zz");
            ("parameter", "value", name(i, side))
        }
        Mutation::PlusForSpace => {
            let i = pick_param(&|v| v.contains("%2B"))?;
            side.params[i].1 = side.params[i].1.replace("%2B", "%20");
            ("parameter", "plus_for_space", name(i, side))
        }
        Mutation::DoubleEncoding => {
            let i = pick_param(&|v| v.contains('%'))?;
            side.params[i].1 = percent_encode(&side.params[i].1);
            ("parameter", "double_encoding", name(i, side))
        }
        Mutation::LowercaseHex => {
            let i = pick_param(&|v| {
                v.match_indices('%')
                    .any(|(j, _)| v[j + 1..j + 3].bytes().any(|b| b.is_ascii_uppercase()))
            })?;
            // The hex digits of every escape, and nothing else.
            let v = side.params[i].1.clone();
            side.params[i].1 = v
                .split('%')
                .enumerate()
                .map(|(k, part)| {
                    if k == 0 || part.len() < 2 {
                        part.to_owned()
                    } else {
                        format!("{}{}", part[..2].to_ascii_lowercase(), &part[2..])
                    }
                })
                .collect::<Vec<_>>()
                .join("%");
            ("parameter", "lowercase_hex", name(i, side))
        }
        Mutation::Unencoded => {
            // One escape of a character that a careless encoder leaves as it is.
            let i = pick_param(&|v| v.contains("%2A") || v.contains("%21"))?;
            side.params[i].1 = side.params[i]
                .1
                .replacen("%2A", "*", 1)
                .replacen("%21", "!", 1);
            ("parameter", "unencoded_characters", name(i, side))
        }
        Mutation::Method => {
            side.method = if side.method == "GET" { "PUT" } else { "GET" }.into();
            ("method", "method", None)
        }
        Mutation::Secrets => return Some(None),
    }))
}

/// The server's refusal in one of the shapes.
fn refusal(shape: u8, sbs: &str) -> (Vec<(String, String)>, String) {
    match shape % 4 {
        0 => (
            vec![(
                "WWW-Authenticate".into(),
                format!(
                    "OAuth realm=\"api\", oauth_problem=\"signature_invalid\", debug_sbs=\"{}\"",
                    percent_encode(sbs)
                ),
            )],
            String::new(),
        ),
        1 => (
            vec![],
            format!(
                "oauth_problem=signature_invalid&debug_sbs={}",
                percent_encode(sbs)
            ),
        ),
        2 => (
            vec![("Content-Type".into(), "application/json".into())],
            serde_json::json!({"type": "error", "code": 105, "value": format!("Invalid signature. Signature base string should be {sbs}"), "base_string": sbs}).to_string(),
        ),
        _ => (vec![], format!("Invalid signature.\nExpected signature base string: {sbs}\n")),
    }
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]{0,6}",
        "[ a-zA-Z+*!~%/=&.é]{0,8}",
        "[a-z]{1,3}[+ *][a-z]{1,3}",
    ]
}

/// Signs `method url` with `query`, applies mutation `m` to the server's side, writes the
/// refusal in `shape`, and checks that the diagnosis names exactly that mutation. `Ok(false)`
/// when the mutation does not apply to this request.
fn check(
    method: &str,
    url: &str,
    query: &[(String, String)],
    m: usize,
    pick: usize,
    shape: u8,
) -> Result<bool, TestCaseError> {
    let signer = Signer::new(
        &SignerOptions {
            consumer_key: "ck",
            consumer_secret: "consumer-secret-value",
            token: Some("tok"),
            token_secret: Some("token-secret-value"),
            ..SignerOptions::default()
        },
        Runtime::Browser,
    )
    .unwrap();
    let pairs: Vec<(&str, &str)> = query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let mut request = Request::new(method, url);
    request.query = &pairs;
    request.body = Body::None;
    let signed = signer.sign(&request, "nonce-1", 1_700_000_000).unwrap();
    let mut side = side_of(signed.base_string());
    // The test's own split must give our base string back.
    prop_assert_eq!(side.base_string(), signed.base_string());
    let mutation = MUTATIONS[m];
    let Some(expected) = mutate(&mut side, mutation, pick) else {
        return Ok(false);
    };
    let theirs = side.base_string();
    let (headers, body) = refusal(shape, &theirs);
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let d = diagnose(
        &signed,
        &Answer {
            status: 401,
            headers: &headers,
            body: &body,
        },
    );
    prop_assert_eq!(d.problem.code(), "SIGNATURE_INVALID");
    prop_assert_eq!(
        d.server_base_string.as_deref(),
        Some(theirs.as_str()),
        "{:?}",
        d
    );
    let json = d.to_json();
    prop_assert!(!json.contains("consumer-secret-value") && !json.contains("token-secret-value"));
    match expected {
        None => {
            prop_assert_eq!(d.identical, Some(true));
            prop_assert!(d.differences.is_empty());
            prop_assert!(d.cause.contains("secret"));
        }
        Some((component, kind, name)) => {
            prop_assert_eq!(d.identical, Some(false));
            prop_assert_eq!(
                d.differences.len(),
                1,
                "{:?}: {:?}",
                mutation,
                d.differences
            );
            let got = &d.differences[0];
            prop_assert_eq!(
                (got.component.as_str(), got.kind.as_str()),
                (component, kind),
                "{:?}: {:?}",
                mutation,
                got
            );
            prop_assert_eq!(&got.name, &name);
        }
    }
    Ok(true)
}

#[test]
fn every_mutation_in_every_shape() {
    let query: Vec<(String, String)> = [("q", "a+b c*d!e/f"), ("size", "original")]
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    for (m, mutation) in MUTATIONS.iter().enumerate() {
        for shape in 0..4 {
            let applied = check(
                "GET",
                "https://api.example.com/lite/users",
                &query,
                m,
                0,
                shape,
            )
            .unwrap_or_else(|e| panic!("{mutation:?} in shape {shape}: {e}"));
            assert!(applied, "{mutation:?} did not apply");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn one_mutation_is_named_exactly(
        https in any::<bool>(),
        host in "[a-z]{1,8}\\.(example|test)\\.(com|org)",
        port in prop_oneof![Just(String::new()), Just(":8080".to_owned())],
        segs in proptest::collection::vec("[a-z0-9]{1,6}", 1..4),
        slash in any::<bool>(),
        query in proptest::collection::vec(("[a-z]{1,6}", value()), 0..5),
        method in prop_oneof![Just("GET"), Just("POST"), Just("DELETE")],
        m in 0..MUTATIONS.len(),
        pick in any::<usize>(),
        shape in any::<u8>(),
    ) {
        let url = format!(
            "{}://{host}{port}/{}{}",
            if https { "https" } else { "http" },
            segs.join("/"),
            if slash { "/" } else { "" }
        );
        check(method, &url, &query, m, pick, shape)?;
    }
}

#[test]
fn a_diagnosis_of_a_signed_request_uses_its_base_string_and_timestamp() {
    let signer = Signer::new(&common::user_options(), Runtime::Server).unwrap();
    let signed = signer
        .sign(&Request::new("GET", "http://h.example/x"), "n", 1_000)
        .unwrap();
    let headers = [("Date", "Thu, 01 Jan 1970 01:16:40 GMT")];
    let d = diagnose(
        &signed,
        &Answer {
            status: 401,
            headers: &headers,
            body: "",
        },
    );
    // 01:16:40 is 4,600 s after the epoch: the server's clock is 3,600 s ahead of ours.
    assert_eq!(d.problem.code(), "CLOCK_SKEW");
    assert_eq!(d.clock_offset, Some(3_600));
    assert_eq!(d.retry, Some(Retry::Clock));
    assert_eq!(d.retry.map(Retry::as_str), Some("clock"));
}

#[test]
fn a_refused_signature_method_is_read_and_the_other_methods_are_named() {
    // What the local server answers a consumer that accepts HMAC-SHA1 only (devserver/README.md):
    // a challenge naming signature_method_rejected.
    let signer = Signer::new(
        &SignerOptions {
            signature_method: contextio_signer::SignatureMethod::HmacSha256,
            ..common::user_options()
        },
        Runtime::Server,
    )
    .unwrap();
    let signed = signer
        .sign(
            &Request::new("GET", "http://127.0.0.1:8787/lite/users"),
            "n",
            1,
        )
        .unwrap();
    let headers = [(
        "WWW-Authenticate",
        r#"OAuth realm="Context.IO", oauth_problem="signature_method_rejected""#,
    )];
    let d = diagnose(
        &signed,
        &Answer {
            status: 401,
            headers: &headers,
            body: "",
        },
    );
    assert_eq!(d.problem.code(), "SIGNATURE_METHOD_REJECTED");
    assert_eq!(
        d.server_problem.as_deref(),
        Some("signature_method_rejected")
    );
    assert!(d.cause.contains("signature method"), "{}", d.cause);
    for m in ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"] {
        assert!(d.advice.contains(m), "{}", d.advice);
    }
    assert_eq!(d.retry, None);
}

// ---- One vocabulary -------------------------------------------------------------------------

/// The quoted words of the TypeScript declaration from `start` to the next `;`.
fn declared(dts: &str, start: &str) -> Vec<String> {
    let at = dts
        .find(start)
        .unwrap_or_else(|| panic!("{start} in js/diagnose.d.ts"));
    let decl = &dts[at + start.len()..];
    let decl = &decl[..decl.find(';').unwrap()];
    decl.split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_typescript_declaration_names_every_word_of_the_core() {
    let dts = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/js/diagnose.d.ts"))
        .expect("js/diagnose.d.ts");
    let words = |w: Vec<&str>| w.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        declared(&dts, "export type RefusalProblem ="),
        words(Problem::ALL.iter().map(|p| p.code()).collect())
    );
    assert_eq!(
        declared(&dts, "component:"),
        words(
            DifferenceComponent::ALL
                .iter()
                .map(|c| c.as_str())
                .collect()
        )
    );
    let mut kinds = declared(&dts, "kind:");
    let mut ours = words(DifferenceKind::ALL.iter().map(|k| k.as_str()).collect());
    kinds.sort();
    ours.sort();
    assert_eq!(kinds, ours);
    assert_eq!(
        declared(&dts, "baseStringSource:"),
        words(BaseStringSource::ALL.iter().map(|s| s.as_str()).collect())
    );
    assert_eq!(
        declared(&dts, "retry:"),
        words(Retry::ALL.iter().map(|r| r.as_str()).collect())
    );
}

#[test]
fn the_secret_rule_is_exported() {
    // The rule the diagnosis hides values by (src/problem.rs), at the crate root.
    assert!(is_secret_parameter("client_secret"));
    assert!(is_secret_parameter("New_Password"));
    assert!(!is_secret_parameter("oauth_token"));
}
