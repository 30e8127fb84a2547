//! The verifier (`contextio_signer::verify`) on what a server may receive. The input is split at
//! its first two newlines into the `Authorization` header, the query and the body
//! (`header\nquery\nbody`; the header and query read as UTF-8, invalid bytes replaced). They are
//! received as a `POST` to a fixed URL with that query (and to the query itself as the URL),
//! with a form `Content-Type` and without one, and run through `verify::read`,
//! `Claim::check_policy`, `Claim::verify` (fixed secrets) and the one-call `verify::verify`
//! (fixed credentials looked up by key) under two policies ([`check`]):
//!
//! - never a panic;
//! - a refusal's status is 400 or 401 as RFC 5849 §3.2 gives it for its problem, its
//!   `oauth_problem` is one of the Problem Reporting words, its challenge and form body read
//!   back by the diagnosis (`contextio_signer::diagnose_sent`) to the same problem, parameters
//!   and window;
//! - neither fixed secret appears in a refusal (challenge, form body, `Debug`) or a claim or a
//!   verified request (accessors, `Debug`), unless the input itself holds it;
//! - a request the target signs itself with the crate's `Signer`, with parts of the input as
//!   its parameters, nonce and realm (the method, placement and signature method chosen by a
//!   hash of the input), is accepted, its base string recomputed exactly, and refused as a
//!   replay with `nonce_used`.
//!
//! Its seeds (`fuzz/corpus/verify`) are real signed requests in this format, written by
//! `tests/fuzz-regressions.rs` (`write_the_verify_seed_corpus`, ignored), which also replays the
//! corpus through [`check`] under `cargo test` (it includes this file as a module: the fuzz
//! entry point below is left out of a test build).

#![cfg_attr(not(test), no_main)]

use contextio_signer::verify::{self, Claim, Policy, Received, Refusal, Secrets, Verified};
use contextio_signer::{
    diagnose_sent, Answer, Body, Placement, Request, Runtime, SignatureMethod, SignedRequest,
    Signer, SignerOptions,
};

#[cfg(not(test))]
libfuzzer_sys::fuzz_target!(|data: &[u8]| check(data));

/// The URL the query is appended to.
pub const URL: &str = "https://api.example.com/v1/things";
/// The server's clock.
pub const NOW: u64 = 1_700_000_000;
/// The credentials the server knows.
pub const CONSUMER_KEY: &str = "ck-fuzz";
/// The consumer secret: an unreserved core ([`CONSUMER_CORE`]) that every percent-encoding of
/// it keeps, then characters that RFC 5849 §3.6 encodes.
pub const CONSUMER_SECRET: &str = "Zq7Kp2Wm9Xv4 cs é&+";
/// The token.
pub const TOKEN: &str = "tok-fuzz";
/// The token secret, with its core [`TOKEN_CORE`].
pub const TOKEN_SECRET: &str = "Hy3Nt8Lr5Bd1/ts=%";
/// The parts of the secrets found in any encoding of them (and in the PLAINTEXT signature and
/// HMAC key `enc(consumer secret)&enc(token secret)`).
pub const CONSUMER_CORE: &str = "Zq7Kp2Wm9Xv4";
/// See [`CONSUMER_CORE`].
pub const TOKEN_CORE: &str = "Hy3Nt8Lr5Bd1";
/// The realm of the refusals' challenges, besides one read from the input.
const REALM: &str = "api.example";

/// The Problem Reporting words a refusal may use, with the status RFC 5849 §3.2 gives each.
pub const WORDS: [(&str, u16); 9] = [
    ("parameter_absent", 400),
    ("parameter_rejected", 400),
    ("version_rejected", 400),
    ("signature_method_rejected", 400),
    ("consumer_key_unknown", 401),
    ("token_rejected", 401),
    ("timestamp_refused", 401),
    ("nonce_used", 401),
    ("signature_invalid", 401),
];

/// The two policies every input is verified under: everything allowed (and `debug_sbs`), and
/// the default (HMAC-SHA1 only, a token required).
fn policies() -> [Policy<'static>; 2] {
    [
        Policy {
            now: NOW,
            window: 300,
            signature_methods: &SignatureMethod::ALL,
            require_token: false,
            debug_base_string: true,
        },
        Policy {
            now: NOW,
            ..Policy::default()
        },
    ]
}

/// The input's parts: header, query, body.
pub fn split(data: &[u8]) -> (String, String, &[u8]) {
    let mut parts = data.splitn(3, |&b| b == b'\n');
    let header = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let query = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    (header, query, parts.next().unwrap_or_default())
}

/// Every check of the target on one input.
pub fn check(data: &[u8]) {
    let (header, query, body) = split(data);
    // The realm of the challenges: the query's printable characters (a challenge leaves out
    // the others).
    let realm: String = query
        .chars()
        .filter(|c| (' '..='~').contains(c))
        .take(40)
        .collect();
    // Whether the input itself holds a secret's core, as it stands, decoded once (what the
    // verifier does to what it reads) or as the realm: then what is shown of it may show it.
    let raw = String::from_utf8_lossy(data).into_owned();
    let holds_secret = [
        decode_lossy(&raw, false),
        decode_lossy(&raw, true),
        raw,
        realm.clone(),
    ]
    .iter()
    .any(|t| t.contains(CONSUMER_CORE) || t.contains(TOKEN_CORE));
    let fixed = format!("{URL}?{query}");
    let mut seen = Vec::new();
    for url in [fixed.as_str(), query.as_str()] {
        for content_type in [Some("application/x-www-form-urlencoded"), None] {
            let mut headers = vec![("Authorization", header.as_str())];
            headers.extend(content_type.map(|ct| ("Content-Type", ct)));
            let received = Received {
                method: "POST",
                url,
                headers: &headers,
                body,
            };
            check_outcome(&verify_all(&received), &realm, !holds_secret, &mut seen);
        }
    }
    signed_is_accepted(&header, &query, body, !holds_secret);
}

/// What the verifier said of one received request, by every path.
pub struct Outcome {
    /// `verify::read`.
    pub claim: Result<Claim, Refusal>,
    /// `check_policy`, `Claim::verify` with the fixed secrets, and `verify::verify` (credentials
    /// looked up by key, every nonce fresh), under each policy.
    pub verdicts: Vec<Result<Verified, Refusal>>,
}

fn consumer_secret(key: &str) -> Option<String> {
    (key == CONSUMER_KEY).then(|| CONSUMER_SECRET.to_owned())
}

fn token_secret(key: &str, token: &str) -> Option<String> {
    (key == CONSUMER_KEY && token == TOKEN).then(|| TOKEN_SECRET.to_owned())
}

/// Runs `received` through every path of the verifier.
pub fn verify_all(received: &Received<'_>) -> Outcome {
    let claim = verify::read(received);
    let mut verdicts = Vec::new();
    for policy in policies() {
        if let Ok(claim) = &claim {
            let secrets = Secrets {
                consumer_secret: CONSUMER_SECRET,
                token_secret: Some(TOKEN_SECRET),
            };
            let checked = claim.check_policy(&policy);
            let direct = claim.verify(&secrets, &policy);
            // `verify` checks the policy first.
            if let Err(r) = &checked {
                assert_eq!(direct.as_ref().err(), Some(r), "{received:?}");
            }
            verdicts.push(checked.map(|()| placeholder(claim)));
            verdicts.push(direct);
        }
        let one = verify::verify(
            received,
            &policy,
            consumer_secret,
            token_secret,
            |_, _, _, _| true,
        );
        // The one call reads as `read` does.
        if let Err(r) = &claim {
            assert_eq!(one.as_ref().err(), Some(r), "{received:?}");
        }
        verdicts.push(one);
    }
    Outcome { claim, verdicts }
}

/// A verified request standing for a claim that passed the policy, for the checks of its values.
fn placeholder(claim: &Claim) -> Verified {
    Verified {
        consumer_key: claim.consumer_key().to_owned(),
        token: claim.token().map(str::to_owned),
        signature_method: claim.signature_method(),
        parameters: Vec::new(),
    }
}

/// The checks of one outcome: each refusal well-formed (once: `seen` holds those checked
/// already), and no secret anywhere when `secret_free` (the input holds none).
pub fn check_outcome(outcome: &Outcome, realm: &str, secret_free: bool, seen: &mut Vec<Refusal>) {
    let mut texts = Vec::new();
    let mut refusals = Vec::new();
    match &outcome.claim {
        Ok(claim) => {
            texts.push(format!("{claim:?}"));
            texts.push(claim.base_string());
            texts.push(claim.consumer_key().to_owned());
            texts.extend(claim.token().map(str::to_owned));
            texts.extend(claim.nonce().map(str::to_owned));
            refusals.extend([
                claim.unknown_consumer(),
                claim.unknown_token(),
                claim.nonce_used(),
            ]);
        }
        Err(r) => refusals.push(r.clone()),
    }
    for verdict in &outcome.verdicts {
        match verdict {
            Ok(v) => texts.push(format!("{v:?}")),
            Err(r) => refusals.push(r.clone()),
        }
    }
    for r in refusals {
        if !seen.contains(&r) {
            texts.extend(refusal_texts(&r, realm));
            seen.push(r);
        }
    }
    if secret_free {
        for text in &texts {
            assert_no_secret(text);
        }
    }
}

/// Panics when `text` shows a secret.
pub fn assert_no_secret(text: &str) {
    assert!(
        !text.contains(CONSUMER_CORE) && !text.contains(TOKEN_CORE),
        "a secret is shown: {text:?}"
    );
}

/// Checks a refusal (its status, its word, its challenge and form body as the diagnosis reads
/// them back) and returns its texts: the challenges, the form body and its `Debug`.
pub fn refusal_texts(r: &Refusal, realm: &str) -> Vec<String> {
    let word = r.oauth_problem();
    let status = WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, s)| *s)
        .unwrap_or_else(|| panic!("not a Problem Reporting word: {word:?} in {r:?}"));
    assert_eq!(r.status, status, "{r:?}");
    assert_eq!(r.problem.oauth_problem(), Some(word), "{r:?}");
    assert!(
        r.reason.bytes().all(|b| (b' '..=b'~').contains(&b)) && !r.reason.is_empty(),
        "{r:?}"
    );
    let body = r.form_body();
    assert!(
        body.starts_with(&format!("oauth_problem={word}")),
        "{body:?}"
    );
    let mut texts = vec![body.clone(), format!("{r:?}")];
    for realm in [REALM, realm] {
        let challenge = r.challenge(realm);
        assert!(challenge.starts_with("OAuth realm=\""), "{challenge:?}");
        assert!(
            challenge.contains(&format!(", oauth_problem=\"{word}\"")),
            "{challenge:?}"
        );
        assert!(
            challenge.bytes().all(|b| (b' '..=b'~').contains(&b)),
            "not a header value: {challenge:?}"
        );
        read_back(r, 0, &[("WWW-Authenticate", &challenge)], "");
        texts.push(challenge);
    }
    read_back(r, 1, &[], &body);
    texts
}

/// The diagnosis of an answer made of the refusal reads its report back.
fn read_back(r: &Refusal, form: u8, headers: &[(&str, &str)], body: &str) {
    let d = diagnose_sent(
        &contextio_signer::Sent {
            base_string: "",
            timestamp: None,
        },
        &Answer {
            status: r.status,
            headers,
            body,
        },
    );
    let what = || format!("{r:?} read back from {headers:?} {body:?} ({form}): {d:?}");
    assert_eq!(d.problem, r.problem, "{}", what());
    assert_eq!(
        d.server_problem.as_deref(),
        Some(r.oauth_problem()),
        "{}",
        what()
    );
    let named: Vec<&str> = d.parameters.iter().map(String::as_str).collect();
    assert_eq!(named, r.parameters, "{}", what());
    assert_eq!(
        d.acceptable_timestamps,
        r.acceptable_timestamps,
        "{}",
        what()
    );
    match &r.base_string {
        Some(sbs) => {
            assert_eq!(
                d.base_string_source.map(|s| s.as_str()),
                Some("debug_sbs"),
                "{}",
                what()
            );
            let shown = d.server_base_string.as_deref().unwrap_or_default();
            // Shown as it is, or with the values of secret-named parameters hidden.
            assert!(
                shown == sbs || shown.contains("%253Chidden%253E"),
                "{}",
                what()
            );
        }
        None => assert_eq!(d.server_base_string, None, "{}", what()),
    }
}

/// Percent-decodes `s` (and `+` as a space when `form`), invalid UTF-8 replaced: the
/// `percent-encoding` crate's decoder, independent of the crate under test.
fn decode_lossy(s: &str, form: bool) -> String {
    let s = if form {
        s.replace('+', " ")
    } else {
        s.to_owned()
    };
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

/// FNV-1a: the choices of the signed request, from the input.
fn hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.iter().chain(&[0xFF]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A signer of the fixed credentials: 3-legged, or 2-legged.
pub fn signer(method: SignatureMethod, two_legged: bool) -> Signer {
    Signer::new(
        &SignerOptions {
            consumer_key: CONSUMER_KEY,
            consumer_secret: CONSUMER_SECRET,
            token: (!two_legged).then_some(TOKEN),
            token_secret: (!two_legged).then_some(TOKEN_SECRET),
            two_legged,
            signature_method: method,
            ..SignerOptions::default()
        },
        Runtime::Server,
    )
    .expect("the fixed credentials make a signer")
}

/// A signed request in the target's input format: the `Authorization` header, the query of its
/// URL (the URL must be [`URL`] with a query, or none), the body; and whether its body is a
/// form. `None` when the URL is another one.
pub fn as_input(signed: &SignedRequest) -> Option<(Vec<u8>, bool)> {
    let query = match signed.url().strip_prefix(URL)? {
        "" => "",
        q => q.strip_prefix('?')?,
    };
    let mut out = signed.authorization().unwrap_or("").as_bytes().to_vec();
    out.push(b'\n');
    out.extend_from_slice(query.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(signed.body().unwrap_or("").as_bytes());
    Some((
        out,
        signed
            .content_type()
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")),
    ))
}

/// Signs a request made of the input's parts and checks that the verifier accepts it.
fn signed_is_accepted(header: &str, query: &str, body: &[u8], secret_free: bool) {
    let h = hash(&[header.as_bytes(), query.as_bytes(), body]);
    let method = SignatureMethod::ALL[(h % 4) as usize];
    let placement = [Placement::Header, Placement::Query, Placement::Body][(h >> 2) as usize % 3];
    let two_legged = (h >> 4) & 1 == 1;
    let body_text = String::from_utf8_lossy(body);
    let nonce: String = header.chars().take(40).collect();
    let nonce = if nonce.is_empty() { "n" } else { &nonce };
    let realm: String = query
        .chars()
        .filter(|c| (' '..='~').contains(c))
        .take(20)
        .collect();
    let timestamp = NOW - 300 + (h >> 8) % 601;
    let http_method = match placement {
        Placement::Body => ["POST", "PUT", "PATCH"][(h >> 20) as usize % 3],
        _ => ["GET", "POST", "DELETE", "PATCH"][(h >> 20) as usize % 4],
    };
    let has_body = http_method != "GET" && http_method != "DELETE";
    let signer = signer(method, two_legged);
    let url_with_query = format!("{URL}?{query}");
    let name: String = header.chars().take(8).collect();
    let pairs = [(name.as_str(), body_text.as_ref()), ("q", query)];
    let fixed_pairs = [("b", body_text.as_ref()), ("q", query)];
    let query_pairs = [("h", header)];
    // First the input's own URLs, names and form text; the signer may refuse them (a bad
    // escape, a protocol parameter's name, ...). Then fixed names, which it must sign.
    let mut attempts = Vec::new();
    for url in [query, url_with_query.as_str()] {
        let text_body = if (h >> 5) & 1 == 1 {
            Body::Form(body_text.as_ref())
        } else {
            Body::Pairs(&pairs)
        };
        attempts.push(Request {
            body: if has_body { text_body } else { Body::None },
            realm: Some(&realm),
            placement: Some(placement),
            body_hash: false,
            ..Request::new(http_method, url)
        });
    }
    if has_body && placement != Placement::Body && method != SignatureMethod::Plaintext {
        attempts.push(Request {
            body: Body::Text(body_text.as_ref()),
            content_type: Some("application/octet-stream"),
            body_hash: true,
            placement: Some(placement),
            ..Request::new(http_method, URL)
        });
    }
    let fallback = Request {
        query: &query_pairs,
        body: if has_body {
            Body::Pairs(&fixed_pairs)
        } else {
            Body::None
        },
        placement: Some(if has_body {
            placement
        } else {
            Placement::Header
        }),
        ..Request::new(http_method, URL)
    };
    let mut accepted = 0;
    for request in attempts.iter().chain([&fallback]) {
        let signed = match signer.sign(request, nonce, timestamp) {
            Ok(s) => s,
            Err(e) => {
                assert!(
                    !std::ptr::eq(request, &fallback),
                    "the signer refuses {request:?}: {e:?}"
                );
                continue;
            }
        };
        accept(&signed, two_legged, secret_free);
        accepted += 1;
    }
    assert!(accepted >= 1);
}

/// The verifier accepts `signed` under a policy that allows its method, recomputes its base
/// string, refuses it again as a replay, and shows no secret (when `secret_free`: its
/// parameters hold none).
pub fn accept(signed: &SignedRequest, two_legged: bool, secret_free: bool) {
    let mut headers = Vec::new();
    headers.extend(signed.authorization().map(|a| ("Authorization", a)));
    headers.extend(signed.content_type().map(|c| ("Content-Type", c)));
    let received = Received {
        method: signed.method(),
        url: signed.url(),
        headers: &headers,
        body: signed.body().unwrap_or("").as_bytes(),
    };
    let policy = Policy {
        now: NOW,
        window: 300,
        signature_methods: &[signed.signature_method()],
        require_token: !two_legged,
        debug_base_string: true,
    };
    let claim = verify::read(&received).unwrap_or_else(|r| panic!("{signed:?}: refused {r:?}"));
    assert_eq!(claim.base_string(), signed.base_string(), "{signed:?}");
    let verified = verify::verify(
        &received,
        &policy,
        consumer_secret,
        token_secret,
        |_, _, _, _| true,
    )
    .unwrap_or_else(|r| panic!("{signed:?}: refused {r:?}"));
    assert_eq!(verified.consumer_key, CONSUMER_KEY);
    assert_eq!(verified.token.as_deref(), (!two_legged).then_some(TOKEN));
    assert_eq!(verified.signature_method, signed.signature_method());
    let replay = verify::verify(
        &received,
        &policy,
        consumer_secret,
        token_secret,
        |_, _, _, _| false,
    )
    .expect_err("a replay");
    assert_eq!(
        (replay.oauth_problem(), replay.status),
        ("nonce_used", 401),
        "{signed:?}"
    );
    // What the signer made holds no secret but the PLAINTEXT signature: neither may the
    // verifier's values of it.
    let mut texts = vec![
        format!("{verified:?}"),
        format!("{claim:?}"),
        claim.base_string(),
    ];
    texts.extend(refusal_texts(&replay, REALM));
    if secret_free {
        for text in &texts {
            assert_no_secret(text);
        }
    }
}
