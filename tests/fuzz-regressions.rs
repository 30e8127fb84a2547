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
#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;
#[path = "../fuzz/fuzz_targets/packets.rs"]
mod packets;

use contextio_signer::{Body, Placement, Request, Runtime, Signer, SignerOptions};
use std::fs;
use std::path::PathBuf;

/// The inputs of one target's corpus that are UTF-8 (every target reads text), by file name.
fn corpus(target: &str) -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.expect("corpus entry").path();
            let text = String::from_utf8(fs::read(&path).expect("corpus file")).ok()?;
            Some((path.display().to_string(), text))
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "{} has too few inputs", dir.display());
    inputs
}

/// Runs `check` on every input. A failing test shows its captured output, whose last line
/// names the input that failed.
fn replay(target: &str, check: impl Fn(&str)) {
    for (name, text) in corpus(target) {
        eprintln!("replaying {name}");
        check(&text);
    }
}

#[test]
fn fuzz_corpus_url_parse_replays() {
    replay("url_parse", |s| {
        checks::url_parse(s);
    });
}

#[test]
fn fuzz_corpus_params_replays() {
    replay("params", checks::params);
}

#[test]
fn fuzz_corpus_sign_replays() {
    replay("sign", |s| {
        checks::sign(s);
    });
}

#[test]
fn fuzz_corpus_packet_replays() {
    replay("packet", |s| {
        checks::packet(s);
    });
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
