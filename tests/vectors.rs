//! Tier 1: every published vector in `../shared/vectors/published.json` through the pure core.
//! A failing vector prints its name and inputs (never the expected secret-derived key).

use contextio_signer::encoding::{encode, encode_bytes_into};
use contextio_signer::params::ParamList;
use contextio_signer::uri::RequestUrl;
use contextio_signer::{Body, Request, Runtime, Signer, SignerOptions};
use serde_json::Value;

fn vectors() -> Value {
    let path = std::env::var("CONTEXTIO_VECTORS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/vectors/published.json"
        )
        .to_owned()
    });
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the published vectors at {path}: {e}"));
    serde_json::from_str(&text).expect("published.json is valid JSON")
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

#[test]
fn signature_vectors() {
    let all = vectors();
    let list = all["vectors"].as_array().expect("vectors array");
    assert!(
        list.len() >= 9,
        "expected the published vectors, found {}",
        list.len()
    );
    for v in list {
        let name = s(v, "name").unwrap();
        let options = SignerOptions {
            consumer_key: s(v, "consumerKey").unwrap(),
            consumer_secret: s(v, "consumerSecret").unwrap(),
            token: s(v, "token"),
            token_secret: s(v, "tokenSecret"),
            two_legged: s(v, "token").is_none(),
            realm: s(v, "realm"),
            ..SignerOptions::default()
        };
        let signer = Signer::new(&options, Runtime::Server).unwrap();
        let mut request = Request::new(s(v, "method").unwrap(), s(v, "url").unwrap());
        if let Some(body) = s(v, "body") {
            request.body = Body::Text(body);
        }
        request.content_type = s(v, "contentType");
        request.include_version = v.get("version") != Some(&Value::Bool(false));
        let ts: u64 = s(v, "timestamp").unwrap().parse().unwrap();
        let signed = signer
            .sign(&request, s(v, "nonce").unwrap(), ts)
            .unwrap_or_else(|e| {
                panic!(
                    "vector {name}: {} {} failed: {e}",
                    request.method, request.url
                )
            });
        assert_eq!(
            signed.base_string,
            s(v, "baseString").unwrap(),
            "vector {name}: base string of {} {}",
            request.method,
            request.url
        );
        assert_eq!(
            signed.signature,
            s(v, "signature").unwrap(),
            "vector {name}: signature of {} {}",
            request.method,
            request.url
        );
        let header = signed.authorization.as_deref().unwrap();
        let encoded_sig = encode(&signed.signature);
        assert!(
            header.contains(&format!("oauth_signature=\"{encoded_sig}\"")),
            "vector {name}: header {header}"
        );
        if let Some(realm) = s(v, "realm") {
            assert!(
                header.starts_with(&format!("OAuth realm=\"{realm}\", ")),
                "vector {name}: {header}"
            );
        }
    }
}

#[test]
fn percent_encoding_table() {
    let all = vectors();
    for row in all["percentEncoding"].as_array().unwrap() {
        let input = s(row, "input").unwrap();
        assert_eq!(
            encode(input),
            s(row, "encoded").unwrap(),
            "percentEncoding input {input:?}"
        );
    }
}

#[test]
fn base_string_uri_table() {
    let all = vectors();
    for row in all["baseStringUri"].as_array().unwrap() {
        let url = s(row, "url").unwrap();
        let got = RequestUrl::parse(url).unwrap_or_else(|e| panic!("baseStringUri {url}: {e}"));
        assert_eq!(
            got.base_string_uri(),
            s(row, "baseStringUri").unwrap(),
            "baseStringUri {url}"
        );
    }
}

#[test]
fn normalization_table() {
    let all = vectors();
    for row in all["normalizeParameters"].as_array().unwrap() {
        let query = s(row, "query").unwrap();
        let mut p = ParamList::default();
        p.push_form(query, "bad").unwrap();
        assert_eq!(
            p.normalized(),
            s(row, "normalized").unwrap(),
            "normalizeParameters {query:?}"
        );
    }
}

/// Every byte value, against the independent `percent-encoding` crate with the RFC 3986
/// unreserved set.
#[test]
fn encoding_all_256_bytes() {
    use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const SET: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let mut unreserved = 0;
    for b in 0u8..=255 {
        let mut ours = String::new();
        encode_bytes_into(&[b], &mut ours);
        let reference = percent_encode(&[b], SET).to_string();
        assert_eq!(ours, reference, "byte 0x{b:02X}");
        if ours.len() == 1 {
            unreserved += 1;
        } else {
            assert_eq!(ours.len(), 3, "byte 0x{b:02X}");
            assert_eq!(
                ours,
                ours.to_ascii_uppercase(),
                "upper-case hex for 0x{b:02X}"
            );
        }
    }
    assert_eq!(unreserved, 26 + 26 + 10 + 4);
    // And every byte inside a longer string, and every code point class through UTF-8.
    let all: Vec<u8> = (0u8..=255).collect();
    let mut ours = String::new();
    encode_bytes_into(&all, &mut ours);
    assert_eq!(ours, percent_encode(&all, SET).to_string());
    for c in [
        '\0',
        '\u{7f}',
        '\u{80}',
        '\u{7ff}',
        '\u{800}',
        '\u{ffff}',
        '\u{10000}',
        '\u{10ffff}',
        '😀',
    ] {
        let text = format!("a{c}b");
        assert_eq!(
            encode(&text),
            percent_encode(text.as_bytes(), SET).to_string(),
            "{c:?}"
        );
    }
}
