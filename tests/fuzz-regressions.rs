//! Regressions found by the fuzzers (`fuzz/`) and the differential test
//! (`tests/differential/`), and a replay of the whole fuzz corpus (`fuzz/corpus/`) through the
//! fuzz targets' own checks (`fuzz/fuzz_targets/checks.rs`) without libFuzzer, so that
//! `cargo test` keeps running every input the fuzzers kept. The targets' checks against other
//! crates (the WHATWG URL parser, HMAC-SHA1) run only under `fuzz/run.sh`.
//!
//! The checks use the crate's `internals` (`cargo test --features internals`).
// Native only: these tests read files, use the system clock or the fuzz corpus.
#![cfg(not(target_arch = "wasm32"))]
#![cfg(feature = "internals")]

#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;
mod common;
#[path = "../fuzz/fuzz_targets/refs.rs"]
mod refs;
// The verify target keeps its checks in its own file, its fuzz entry point left out here.
#[path = "../fuzz/fuzz_targets/verify.rs"]
mod verify_target;

use contextio_signer::{Body, Placement, Request, Runtime, Signer, SignerOptions};
use std::fs;
use std::path::PathBuf;

/// The inputs of one target's corpus, by file name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("corpus entry").path();
            let bytes = fs::read(&path).expect("corpus file");
            (path.display().to_string(), bytes)
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "{} has too few inputs", dir.display());
    inputs
}

/// Runs `check` on every input. A failing test shows its captured output, whose last line
/// names the input that failed.
fn replay(target: &str, check: impl Fn(&[u8])) {
    for (name, bytes) in corpus(target) {
        eprintln!("replaying {name}");
        check(&bytes);
    }
}

/// [`replay`] of the inputs that are UTF-8, for the targets that read text (the fuzzers skip
/// the others).
fn replay_text(target: &str, check: impl Fn(&str)) {
    replay(target, |bytes| {
        if let Ok(text) = std::str::from_utf8(bytes) {
            check(text);
        }
    });
}

#[test]
fn fuzz_corpus_url_parse_replays() {
    replay_text("url_parse", |s| {
        checks::url_parse(s);
    });
}

#[test]
fn fuzz_corpus_params_replays() {
    replay_text("params", checks::params);
}

#[test]
fn fuzz_corpus_sign_replays() {
    replay_text("sign", |s| {
        checks::sign(s);
    });
}

#[test]
fn fuzz_corpus_packet_replays() {
    replay("packet", |bytes| {
        checks::packet(bytes);
    });
}

#[test]
fn fuzz_corpus_verify_replays() {
    replay("verify", verify_target::check);
}

/// Writes the seed corpus of the verify target (`fuzz/corpus/verify/`), replacing what is
/// there: requests signed with the target's credentials for every signature method and
/// placement (3-legged and 2-legged, form and other bodies, a body hash), in its input format,
/// each checked to verify as the target receives it. Run it after a change of the input format.
#[test]
#[ignore = "writes fuzz/corpus/verify: cargo test --features internals --test fuzz-regressions -- --ignored"]
fn write_the_verify_seed_corpus() {
    use contextio_signer::verify::{self, Policy, Received};
    use contextio_signer::SignatureMethod;

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/verify");
    fs::create_dir_all(&dir).expect("the corpus directory");
    let mut seeds: Vec<(String, Vec<u8>)> = Vec::new();
    let pairs = [("c", "3 4"), ("d", "é&+")];
    for (i, method) in SignatureMethod::ALL.into_iter().enumerate() {
        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            let two_legged = i % 2 == 1 && placement != Placement::Query;
            let request = Request {
                query: &[("a", "1 2"), ("b", "x+y")],
                body: Body::Pairs(&pairs),
                placement: Some(placement),
                realm: Some("Photos"),
                ..Request::new("POST", verify_target::URL)
            };
            let signed = verify_target::signer(method, two_legged)
                .sign(&request, "n0nce", verify_target::NOW)
                .expect("signed");
            let name = format!("{}-{}", method.as_str(), placement.as_str());
            seeds.push((name, verify_target::as_input(&signed).expect("the URL").0));
        }
    }
    for method in [SignatureMethod::HmacSha1, SignatureMethod::HmacSha512] {
        let request = Request {
            body: Body::Text("{\"a\":[1,2]}"),
            content_type: Some("application/json"),
            body_hash: true,
            ..Request::new("POST", verify_target::URL)
        };
        let signed = verify_target::signer(method, false)
            .sign(&request, "n1", verify_target::NOW + 200)
            .expect("signed");
        let name = format!("{}-body-hash", method.as_str());
        seeds.push((name, verify_target::as_input(&signed).expect("the URL").0));
    }
    let get = Request {
        query: &[("q", "x")],
        ..Request::new("GET", verify_target::URL)
    };
    let signed = verify_target::signer(SignatureMethod::HmacSha256, false)
        .sign(&get, "n2", verify_target::NOW - 100)
        .expect("signed");
    seeds.push((
        "get-query".to_owned(),
        verify_target::as_input(&signed).expect("the URL").0,
    ));

    // Each seed verifies as the target receives it (a POST to the URL with that query; a form
    // content type exactly for a form body): the fuzzer starts from accepted requests.
    for (name, bytes) in &seeds {
        let (header, query, body) = verify_target::split(bytes);
        let url = format!("{}?{query}", verify_target::URL);
        let is_form = !name.contains("body-hash") && !name.starts_with("get");
        let mut headers = vec![("Authorization", header.as_str())];
        if is_form {
            headers.push(("Content-Type", "application/x-www-form-urlencoded"));
        }
        let method = if name.starts_with("get") {
            "GET"
        } else {
            "POST"
        };
        let policy = Policy {
            now: verify_target::NOW,
            signature_methods: &SignatureMethod::ALL,
            require_token: false,
            ..Policy::default()
        };
        let received = Received {
            method,
            url: &url,
            headers: &headers,
            body,
        };
        verify::verify(
            &received,
            &policy,
            |_| Some(verify_target::CONSUMER_SECRET.to_owned()),
            |_, _| Some(verify_target::TOKEN_SECRET.to_owned()),
            |_, _, _, _| true,
        )
        .unwrap_or_else(|r| panic!("{name}: {r:?}"));
        verify_target::check(bytes);
    }
    for entry in fs::read_dir(&dir).expect("the corpus directory") {
        fs::remove_file(entry.expect("a corpus file").path()).expect("removed");
    }
    for (name, bytes) in &seeds {
        fs::write(dir.join(name.to_lowercase()), bytes).expect("a seed written");
    }
    assert!(seeds.len() >= 12, "{}", seeds.len());
}

/// Writes the seed corpus of the packet target (`fuzz/corpus/packet/`), replacing what is there:
/// the packets of the published vectors as text (the one-call packet of each, and the options
/// and request packets of the first two), which the target feeds to the reader as they are;
/// and inputs whose `arbitrary` reading is a call that signs, found among pseudo-random bytes
/// (mostly printable ASCII, so that strings are not cut short at the first invalid UTF-8 byte).
/// Run it after a change of the packet format or of `checks::PacketCase`.
#[test]
#[ignore = "writes fuzz/corpus/packet: cargo test --features internals --test fuzz-regressions -- --ignored"]
fn write_the_packet_seed_corpus() {
    use arbitrary::{Arbitrary, Unstructured};
    use checks::{packet_case, Entry, PacketCase};
    use contextio_signer::internals::diagnose_packet;

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/packet");
    let mut seeds: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, v) in common::vectors().iter().enumerate() {
        let name = common::required(v, "name");
        let (options, request) = (common::options(v), common::request(v, &[]));
        let case = |entry| {
            PacketCase::of(
                entry,
                Runtime::Server,
                &options,
                &request,
                Some(common::nonce(v)),
                Some(common::timestamp(v)),
                1_700_000_000_000,
            )
        };
        let once = case(Entry::Once);
        assert!(packet_case(&once).answer.code().is_none(), "{name}");
        seeds.push((
            format!("vector-once-{name}"),
            once.once_packet().into_bytes(),
        ));
        if i < 2 {
            // A server's refusal of it, for the diagnosis reader.
            let refusal = checks::diagnosis_packet(
                common::base_string(v),
                Some(common::timestamp(v)),
                401,
                &[(
                    "WWW-Authenticate",
                    "OAuth realm=\"x\", oauth_problem=\"signature_invalid\"",
                )],
                "oauth_problem=signature_invalid&debug_sbs=GET&x&y",
            );
            assert!(diagnose_packet(&refusal).starts_with('{'), "{name}");
            seeds.push((format!("diagnosis-{name}"), refusal.into_bytes()));
            let case = case(Entry::Signer);
            seeds.push((
                format!("vector-options-{name}"),
                case.options_packet().into_bytes(),
            ));
            seeds.push((
                format!("vector-request-{name}"),
                case.request_packet().into_bytes(),
            ));
        }
    }
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let b = (x >> 24) as u8;
        if b.is_multiple_of(4) {
            b
        } else {
            0x20 + b % 0x5F
        }
    };
    let mut found = [0; 3];
    for _ in 0..1_000_000 {
        let bytes: Vec<u8> = (0..300).map(|_| next()).collect();
        let Ok(case) = PacketCase::arbitrary(&mut Unstructured::new(&bytes)) else {
            continue;
        };
        let case = case.into_written();
        let entry = case.entry as usize;
        if found[entry] < 3 && packet_case(&case).answer.code().is_none() {
            found[entry] += 1;
            seeds.push((format!("signs-{:?}-{}", case.entry, found[entry]), bytes));
        }
        if found.iter().all(|&n| n == 3) {
            break;
        }
    }
    assert_eq!(found, [3; 3], "too few generated calls sign");
    for entry in fs::read_dir(&dir).expect("the corpus directory") {
        fs::remove_file(entry.expect("a corpus file").path()).expect("removed");
    }
    for (name, bytes) in &seeds {
        fs::write(dir.join(name.to_lowercase()), bytes).expect("a seed written");
    }
    assert!(seeds.len() >= 24, "{}", seeds.len());
}

fn user_signer() -> Signer {
    Signer::new(
        &SignerOptions {
            consumer_key: "ck",
            consumer_secret: "cs",
            token: Some("t"),
            token_secret: Some("ts"),
            ..SignerOptions::default()
        },
        Runtime::Server,
    )
    .expect("a 3-legged signer")
}

/// Found by the differential test: `fetch` strips leading and trailing HTTP whitespace (tab,
/// space, CR, LF) from header values, so a server receives these content types as
/// `application/x-www-form-urlencoded` and signs the body's parameters. The signer must do the
/// same (or refuse the content type); it used to trim only spaces and tabs, leave the body out
/// of the signature, and so produce a signature every server rejects.
#[test]
fn form_content_type_with_cr_lf_around_it_is_a_form() {
    let signer = user_signer();
    for content_type in [
        "\napplication/x-www-form-urlencoded",
        "application/x-www-form-urlencoded\r\n",
        "\r\n application/x-www-form-urlencoded; charset=utf-8",
    ] {
        for placement in [Placement::Header, Placement::Body] {
            let request = Request {
                body: Body::Text("a=1&b=2"),
                content_type: Some(content_type),
                placement: Some(placement),
                ..Request::new("POST", "http://example.com/")
            };
            match signer.sign(&request, "nonce", 1) {
                Ok(signed) => assert!(
                    signed.normalized_parameters().starts_with("a=1&b=2&oauth_"),
                    "{content_type:?}: the body is not signed: {}",
                    signed.normalized_parameters()
                ),
                // A refusal is no wrong signature; with body placement the body must be a form.
                Err(e) => assert!(
                    e.code() == "INVALID_BODY"
                        || (placement == Placement::Body && e.code() == "INVALID_PLACEMENT"),
                    "{content_type:?} {placement:?}: {e:?}"
                ),
            }
        }
    }
}

/// Found by the verify fuzz target: a realm may hold a `"` (printable ASCII), which the signer
/// writes in the header's quoted-string as `\"` (RFC 9110 §5.6.4); the verifier ended the
/// realm at that quote and refused every such request as a malformed header
/// (`parameter_rejected`).
#[test]
fn a_realm_with_a_quote_verifies() {
    use contextio_signer::verify::{self, Policy, Received};

    for realm in ["a\"b", "\"", "x\\\"y\\", "\\"] {
        let signed = user_signer()
            .sign(
                &Request {
                    realm: Some(realm),
                    ..Request::new("GET", "https://h.example/x")
                },
                "n",
                1_700_000_000,
            )
            .expect("signed");
        let header = signed.authorization().expect("a header");
        let verdict = verify::verify(
            &Received {
                method: "GET",
                url: signed.url(),
                headers: &[("Authorization", header)],
                body: b"",
            },
            &Policy {
                now: 1_700_000_000,
                ..Policy::default()
            },
            |_| Some("cs".to_owned()),
            |_, _| Some("ts".to_owned()),
            |_, _, _, _| true,
        );
        assert!(verdict.is_ok(), "{header}: {verdict:?}");
    }
}

/// Found by the verify fuzz target: a PLAINTEXT signature is the secrets themselves
/// (`enc(consumer secret)&enc(token secret)`), and `Claim`'s `Debug` showed it twice (the
/// signature and the parameter), so a server that logs a claim logs its secrets.
#[test]
fn a_plaintext_claim_shows_no_secret() {
    use contextio_signer::verify::{self, Received};

    let signer = Signer::new(
        &SignerOptions {
            signature_method: contextio_signer::SignatureMethod::Plaintext,
            consumer_secret: "consumer-secret",
            token_secret: Some("token-secret"),
            ..common::user_options()
        },
        Runtime::Server,
    )
    .expect("a signer");
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let signed = signer
            .sign(
                &Request {
                    placement: Some(placement),
                    body: Body::Pairs(&[("a", "1")]),
                    ..Request::new("POST", "https://h.example/x")
                },
                "n",
                1_700_000_000,
            )
            .expect("signed");
        let mut headers = Vec::new();
        headers.extend(signed.authorization().map(|a| ("Authorization", a)));
        headers.extend(signed.content_type().map(|c| ("Content-Type", c)));
        let claim = verify::read(&Received {
            method: "POST",
            url: signed.url(),
            headers: &headers,
            body: signed.body().unwrap_or("").as_bytes(),
        })
        .expect("read");
        let shown = format!("{claim:?}");
        assert!(
            !shown.contains("consumer-secret") && !shown.contains("token-secret"),
            "{placement:?}: {shown}"
        );
    }
}
