//! The verifier's checks, one by one, on requests the signer makes (published vectors, read
//! back as a server receives them, are in `tests/verify.rs`).

use super::*;
use crate::{Body, Placement, Request, Runtime, Signer, SignerOptions};
use alloc::string::ToString;
use alloc::vec;

const NOW: u64 = 1_700_000_000;

fn signer(method: SignatureMethod) -> Signer {
    Signer::new(
        &SignerOptions {
            consumer_key: "ck",
            consumer_secret: "cs é",
            token: Some("tok"),
            token_secret: Some("ts+1"),
            signature_method: method,
            ..SignerOptions::default()
        },
        Runtime::Server,
    )
    .unwrap()
}

/// What a server receives for a signed request: its method, URL, headers and body.
struct Sent {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn sent(signed: &crate::SignedRequest) -> Sent {
    let mut headers = Vec::new();
    if let Some(a) = signed.authorization() {
        headers.push(("Authorization".to_string(), a.to_string()));
    }
    if let Some(c) = signed.content_type() {
        headers.push(("content-type".to_string(), c.to_string()));
    }
    Sent {
        method: signed.method().to_string(),
        url: signed.url().to_string(),
        headers,
        body: signed.body().unwrap_or("").as_bytes().to_vec(),
    }
}

fn check(s: &Sent, policy: &Policy<'_>, seen: &mut Vec<String>) -> Result<Verified, Refusal> {
    let headers: Vec<(&str, &str)> = s
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    verify(
        &Received {
            method: &s.method,
            url: &s.url,
            headers: &headers,
            body: &s.body,
        },
        policy,
        |key| (key == "ck").then(|| "cs é".to_string()),
        |key, token| (key == "ck" && token == "tok").then(|| "ts+1".to_string()),
        |_, _, t, n| {
            let k = alloc::format!("{t}/{n}");
            let fresh = !seen.contains(&k);
            seen.push(k);
            fresh
        },
    )
}

const ALL: Policy<'static> = Policy {
    now: NOW,
    window: 300,
    signature_methods: &SignatureMethod::ALL,
    require_token: true,
    debug_base_string: false,
};

#[test]
fn every_method_and_placement_verifies_and_a_replay_does_not() {
    for method in SignatureMethod::ALL {
        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            let pairs = [("a b", "c+d"), ("é", "")];
            let request = Request {
                placement: Some(placement),
                query: &[("q", "1 2")],
                body: Body::Pairs(&pairs),
                verifier: Some("v"),
                ..Request::new("POST", "https://api.example.com:8443/p/a%20th")
            };
            let signed = signer(method).sign(&request, "n1", NOW).unwrap();
            let s = sent(&signed);
            let mut seen = Vec::new();
            let v = check(&s, &ALL, &mut seen)
                .unwrap_or_else(|r| panic!("{method:?} {placement:?}: {r:?}"));
            assert_eq!(v.consumer_key, "ck");
            assert_eq!(v.token.as_deref(), Some("tok"));
            assert_eq!(v.signature_method, method);
            assert_eq!(
                v.parameters,
                vec![
                    ("q".into(), "1 2".into()),
                    ("a b".into(), "c+d".into()),
                    ("é".into(), "".into())
                ]
            );
            let again = check(&s, &ALL, &mut seen).unwrap_err();
            assert_eq!(
                (again.problem, again.status, again.oauth_problem()),
                (Problem::NonceUsed, 401, "nonce_used")
            );
        }
    }
}

#[test]
fn each_mutation_is_refused_with_its_word() {
    let signed = signer(SignatureMethod::HmacSha256)
        .sign(
            &Request {
                query: &[("a", "1")],
                ..Request::new("GET", "https://h.example/x")
            },
            "n",
            NOW,
        )
        .unwrap();
    let base = sent(&signed);
    let refused = |s: &Sent, policy: &Policy<'_>| check(s, policy, &mut Vec::new()).unwrap_err();
    let with = |f: &dyn Fn(&mut Sent)| {
        let mut s = Sent {
            method: base.method.clone(),
            url: base.url.clone(),
            headers: base.headers.clone(),
            body: base.body.clone(),
        };
        f(&mut s);
        s
    };
    let header = |from: &'static str, to: &'static str| {
        with(&move |s: &mut Sent| s.headers[0].1 = s.headers[0].1.replace(from, to))
    };

    // A value changed: the signature.
    let r = refused(&with(&|s| s.url = s.url.replace("a=1", "a=2")), &ALL);
    assert_eq!((r.oauth_problem(), r.status), ("signature_invalid", 401));
    assert_eq!(r.base_string, None);
    let r = refused(
        &with(&|s| s.url = s.url.replace("a=1", "a=2")),
        &Policy {
            debug_base_string: true,
            ..ALL
        },
    );
    assert!(r.base_string.as_deref().unwrap().contains("a%3D2"));
    assert!(r.challenge("api").contains("debug_sbs=\""));
    // A stale timestamp.
    let r = refused(
        &base,
        &Policy {
            now: NOW + 301,
            ..ALL
        },
    );
    assert_eq!(
        (r.oauth_problem(), r.acceptable_timestamps),
        ("timestamp_refused", Some((NOW + 1, NOW + 601)))
    );
    assert!(check(
        &base,
        &Policy {
            now: NOW + 300,
            ..ALL
        },
        &mut Vec::new()
    )
    .is_ok());
    // Unknown key and token.
    assert_eq!(
        refused(
            &header("oauth_consumer_key=\"ck\"", "oauth_consumer_key=\"cx\""),
            &ALL
        )
        .oauth_problem(),
        "consumer_key_unknown"
    );
    assert_eq!(
        refused(&header("oauth_token=\"tok\"", "oauth_token=\"tox\""), &ALL).oauth_problem(),
        "token_rejected"
    );
    // A method not allowed, and one unknown.
    let r = refused(&base, &Policy::default());
    assert_eq!(
        (r.oauth_problem(), r.status),
        ("signature_method_rejected", 400)
    );
    assert_eq!(
        refused(&header("HMAC-SHA256", "RSA-SHA1"), &ALL).oauth_problem(),
        "signature_method_rejected"
    );
    // A missing parameter, named.
    let r = refused(&header(", oauth_nonce=\"n\"", ""), &ALL);
    assert_eq!(
        (r.oauth_problem(), r.status, r.parameters.clone()),
        ("parameter_absent", 400, vec!["oauth_nonce"])
    );
    assert!(
        r.form_body()
            .ends_with("oauth_parameters_absent=oauth_nonce"),
        "{}",
        r.form_body()
    );
    // oauth_version 2.0.
    let r = refused(
        &header("oauth_version=\"1.0\"", "oauth_version=\"2.0\""),
        &ALL,
    );
    assert_eq!(r.oauth_problem(), "version_rejected");
    assert!(r.form_body().contains("oauth_acceptable_versions=1.0-1.0"));
    // A parameter given twice, here and in the query.
    let r = refused(&with(&|s| s.url.push_str("&oauth_nonce=n")), &ALL);
    assert_eq!(
        (r.oauth_problem(), r.parameters.clone()),
        ("parameter_rejected", vec!["oauth_nonce"])
    );
    // No token where the consumer requires one.
    let two = Signer::new(
        &SignerOptions {
            consumer_key: "ck",
            consumer_secret: "cs é",
            two_legged: true,
            signature_method: SignatureMethod::HmacSha256,
            ..SignerOptions::default()
        },
        Runtime::Server,
    )
    .unwrap();
    let s = sent(
        &two.sign(&Request::new("GET", "https://h.example/x"), "n", NOW)
            .unwrap(),
    );
    assert_eq!(refused(&s, &ALL).parameters, vec!["oauth_token"]);
    assert!(check(
        &s,
        &Policy {
            require_token: false,
            ..ALL
        },
        &mut Vec::new()
    )
    .is_ok());
    // A malformed header.
    assert_eq!(
        refused(&header("oauth_nonce=\"n\"", "oauth_nonce=n"), &ALL).oauth_problem(),
        "parameter_rejected"
    );
}

#[test]
fn the_body_hash_is_checked() {
    let s = signer(SignatureMethod::HmacSha512);
    let request = Request {
        body: Body::Text("{\"a\":1}"),
        content_type: Some("application/json"),
        body_hash: true,
        ..Request::new("POST", "https://h.example/x")
    };
    let good = sent(&s.sign(&request, "n", NOW).unwrap());
    assert!(check(&good, &ALL, &mut Vec::new()).is_ok());
    let mut bad = Sent {
        body: b"{\"a\":2}".to_vec(),
        ..good
    };
    let r = check(&bad, &ALL, &mut Vec::new()).unwrap_err();
    assert_eq!(
        (r.oauth_problem(), r.parameters.clone()),
        ("parameter_rejected", vec!["oauth_body_hash"])
    );
    // The same body as a form: its parameters are signed instead, and the hash is refused.
    bad.body = b"{\"a\":1}".to_vec();
    bad.headers[1].1 = "application/x-www-form-urlencoded".into();
    assert!(check(&bad, &ALL, &mut Vec::new()).is_err());
}

#[test]
fn plaintext_only_over_tls_or_to_loopback() {
    let s = signer(SignatureMethod::Plaintext);
    let tls = sent(
        &s.sign(&Request::new("GET", "https://h.example/x"), "n", NOW)
            .unwrap(),
    );
    assert!(check(&tls, &ALL, &mut Vec::new()).is_ok());
    let plain = Sent {
        url: "http://h.example/x".into(),
        ..tls
    };
    assert_eq!(
        check(&plain, &ALL, &mut Vec::new())
            .unwrap_err()
            .oauth_problem(),
        "signature_method_rejected"
    );
    let local = Sent {
        url: "http://127.0.0.1:8080/x".into(),
        ..plain
    };
    // The signature covers no URL: the same one verifies to loopback.
    assert!(check(&local, &ALL, &mut Vec::new()).is_ok());
}

#[test]
fn no_refusal_holds_a_secret() {
    let signed = signer(SignatureMethod::HmacSha1)
        .sign(&Request::new("GET", "https://h.example/x"), "n", NOW)
        .unwrap();
    let mut s = sent(&signed);
    s.url.push_str("?x=1");
    let r = check(
        &s,
        &Policy {
            debug_base_string: true,
            ..ALL
        },
        &mut Vec::new(),
    )
    .unwrap_err();
    for text in [r.challenge("r"), r.form_body(), alloc::format!("{r:?}")] {
        assert!(
            !text.contains("cs") && !text.contains("ts%2B1") && !text.contains("ts+1"),
            "{text}"
        );
    }
    assert_eq!(
        alloc::format!(
            "{:?}",
            Secrets {
                consumer_secret: "cs",
                token_secret: Some("ts")
            }
        ),
        "Secrets(<hidden>)"
    );
}

/// A request as received, written by hand: its Authorization header, a content type, a body.
fn read_raw(header: &str, content_type: Option<&str>, body: &[u8]) -> Result<Claim, Refusal> {
    let mut headers = vec![("Authorization", header)];
    if let Some(c) = content_type {
        headers.push(("Content-Type", c));
    }
    read(&Received {
        method: "POST",
        url: "https://h.example/x",
        headers: &headers,
        body,
    })
}

#[test]
fn an_empty_protocol_value_is_no_value() {
    let full = [
        ("oauth_consumer_key", "ck"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_signature", "c2ln"),
        ("oauth_timestamp", "1700000000"),
        ("oauth_nonce", "n"),
    ];
    let header = |empty: &str| {
        let pairs: Vec<String> = full
            .iter()
            .map(|(n, v)| alloc::format!("{n}=\"{}\"", if *n == empty { "" } else { v }))
            .collect();
        alloc::format!("OAuth {}", pairs.join(", "))
    };
    for (name, _) in full {
        let r = read_raw(&header(name), None, b"").unwrap_err();
        assert_eq!(
            (r.oauth_problem(), r.status, r.parameters.as_slice()),
            ("parameter_absent", 400, [name].as_slice()),
            "{name} empty"
        );
    }
    // An empty token is no token (a consumer-only client may send one).
    let claim = read_raw(
        &alloc::format!("{}, oauth_token=\"\"", header("")),
        None,
        b"",
    )
    .unwrap();
    assert_eq!(claim.token(), None);
    // PLAINTEXT may leave out the timestamp and the nonce, and an empty one is left out.
    let plain = "OAuth oauth_consumer_key=\"ck\", oauth_signature_method=\"PLAINTEXT\", \
                 oauth_signature=\"cs%26\", oauth_timestamp=\"\", oauth_nonce=\"\"";
    let claim = read_raw(plain, None, b"").unwrap();
    assert_eq!((claim.timestamp(), claim.nonce()), (None, None));
}

#[test]
fn a_body_hash_where_there_can_be_none_is_refused_before_any_lookup() {
    let hmac = "OAuth oauth_consumer_key=\"ck\", oauth_signature_method=\"HMAC-SHA1\", \
                oauth_signature=\"c2ln\", oauth_timestamp=\"1\", oauth_nonce=\"n\", \
                oauth_body_hash=\"2jmj7l5rSw0yVb%2FvlWAYkK%2FYBwk%3D\"";
    let r = read_raw(hmac, Some("application/x-www-form-urlencoded"), b"a=1").unwrap_err();
    assert_eq!(
        (r.oauth_problem(), r.parameters.as_slice()),
        ("parameter_rejected", ["oauth_body_hash"].as_slice())
    );
    let plain = hmac.replace("HMAC-SHA1", "PLAINTEXT");
    let r = read_raw(&plain, Some("text/plain"), b"a").unwrap_err();
    assert_eq!(
        (r.oauth_problem(), r.parameters.as_slice()),
        ("parameter_rejected", ["oauth_body_hash"].as_slice())
    );
    // On a text body with an HMAC it is read (and checked against the body after the signature).
    assert!(read_raw(hmac, Some("text/plain"), b"").is_ok());
}

#[test]
fn debug_sbs_hides_the_values_of_secret_named_parameters() {
    let signed = signer(SignatureMethod::HmacSha1)
        .sign(
            &Request {
                query: &[
                    ("password", "hunter2-xyz"),
                    ("client_secret", "zz-9q"),
                    ("a", "1"),
                ],
                ..Request::new("GET", "https://h.example/x")
            },
            "n",
            NOW,
        )
        .unwrap();
    let mut s = sent(&signed);
    s.url = s.url.replace("a=1", "a=2");
    let debug = Policy {
        debug_base_string: true,
        ..ALL
    };
    let r = check(&s, &debug, &mut Vec::new()).unwrap_err();
    assert_eq!(r.oauth_problem(), "signature_invalid");
    let base = r.base_string.clone().expect("debug_sbs");
    for shown in [base.as_str(), &r.challenge("x"), &r.form_body()] {
        assert!(
            !shown.contains("hunter2") && !shown.contains("zz-9q"),
            "{shown}"
        );
    }
    // Hidden where the value stood, the rest as the server computed it.
    assert!(base.contains("password%3D%253Chidden%253E"), "{base}");
    assert!(base.contains("client_secret%3D%253Chidden%253E"), "{base}");
    assert!(base.contains("a%3D2"), "{base}");
    // Without secret-named parameters, debug_sbs is the base string itself.
    let plain = signer(SignatureMethod::HmacSha1)
        .sign(&Request::new("GET", "https://h.example/y?b=1"), "n", NOW)
        .unwrap();
    let mut p = sent(&plain);
    p.url = p.url.replace("b=1", "b=3");
    let r = check(&p, &debug, &mut Vec::new()).unwrap_err();
    assert_eq!(
        r.base_string.as_deref(),
        Some(plain.base_string().replace("b%3D1", "b%3D3").as_str())
    );
}

#[test]
fn requests_that_cannot_be_read_are_parameter_rejected() {
    let header = "OAuth oauth_consumer_key=\"ck\", oauth_signature_method=\"HMAC-SHA1\", \
                  oauth_signature=\"c2ln\", oauth_timestamp=\"1\", oauth_nonce=\"n\"";
    let rejected = |r: Refusal, naming: &[&str]| {
        assert_eq!((r.oauth_problem(), r.status), ("parameter_rejected", 400));
        assert_eq!(r.parameters.as_slice(), naming);
    };
    // Two Authorization headers, or two Content-Type headers: two meanings.
    for twice in ["Authorization", "content-type"] {
        let headers = [
            ("Authorization", header),
            ("Content-Type", "text/plain"),
            (twice, "x"),
        ];
        rejected(
            read(&Received {
                method: "POST",
                url: "https://h.example/x",
                headers: &headers,
                body: b"",
            })
            .unwrap_err(),
            &[],
        );
    }
    // A URL that is not an absolute http(s) URL, a method that is not an HTTP token.
    for (method, url) in [("GET", "/x"), ("GET", "ftp://h/x"), ("GE T", "https://h/x")] {
        let headers = [("Authorization", header)];
        rejected(
            read(&Received {
                method,
                url,
                headers: &headers,
                body: b"",
            })
            .unwrap_err(),
            &[],
        );
    }
    // A timestamp that is no whole number of seconds, or longer than 16 digits.
    for t in ["12.5", "-5", "1e9", " 1", "12345678901234567"] {
        let h = header.replace(
            "oauth_timestamp=\"1\"",
            &alloc::format!("oauth_timestamp=\"{t}\""),
        );
        rejected(read_raw(&h, None, b"").unwrap_err(), &["oauth_timestamp"]);
    }
}

#[test]
fn parameter_absent_names_every_missing_one() {
    let r = read_raw(
        "OAuth oauth_consumer_key=\"ck\", oauth_signature_method=\"HMAC-SHA1\"",
        None,
        b"",
    )
    .unwrap_err();
    assert_eq!((r.oauth_problem(), r.status), ("parameter_absent", 400));
    assert_eq!(
        r.parameters,
        ["oauth_signature", "oauth_timestamp", "oauth_nonce"]
    );
    assert_eq!(
        r.form_body(),
        "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_signature%26oauth_timestamp%26oauth_nonce"
    );
}

#[test]
fn a_timestamp_ahead_of_the_window_is_refused_too() {
    let signed = signer(SignatureMethod::HmacSha1)
        .sign(&Request::new("GET", "https://h.example/x"), "n", NOW + 301)
        .unwrap();
    let r = check(&sent(&signed), &ALL, &mut Vec::new()).unwrap_err();
    assert_eq!((r.oauth_problem(), r.status), ("timestamp_refused", 401));
    assert_eq!(r.acceptable_timestamps, Some((NOW - 300, NOW + 300)));
    let edge = signer(SignatureMethod::HmacSha1)
        .sign(&Request::new("GET", "https://h.example/x"), "n", NOW + 300)
        .unwrap();
    assert!(check(&sent(&edge), &ALL, &mut Vec::new()).is_ok());
}

#[test]
fn plaintext_without_timestamp_and_nonce_is_verified_and_no_nonce_is_asked() {
    // RFC 5849 §3.3: PLAINTEXT may leave out oauth_timestamp and oauth_nonce.
    let header = "OAuth oauth_consumer_key=\"ck\", oauth_token=\"tok\", \
                  oauth_signature_method=\"PLAINTEXT\", oauth_signature=\"cs%2520%25C3%25A9%26ts%252B1\"";
    let headers = [("Authorization", header)];
    let mut asked = false;
    let v = verify(
        &Received {
            method: "GET",
            url: "https://h.example/x",
            headers: &headers,
            body: b"",
        },
        &ALL,
        |key| (key == "ck").then(|| "cs é".to_string()),
        |_, token| (token == "tok").then(|| "ts+1".to_string()),
        |_, _, _, _| {
            asked = true;
            true
        },
    )
    .unwrap_or_else(|r| panic!("{r:?}"));
    assert_eq!(v.signature_method, SignatureMethod::Plaintext);
    assert!(!asked, "no nonce to record");
}
