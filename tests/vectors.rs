//! Tier 1: every published vector in `../shared/vectors/published.json` through the pure core.
//! A failing vector prints its name and inputs (never the expected secret-derived key).
// Native only: these tests read files, use the system clock or the fuzz corpus.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use contextio_signer::{percent_encode, Body, NoncePool, Placement, Request, Runtime, Signer};

/// RFC 5849 §3.6 encoding by the `percent-encoding` crate: independent of ours.
fn reference_encode(bytes: &[u8]) -> String {
    common::rfc3986(bytes)
}

/// The `Authorization` header of a signed vector, which must carry its published signature,
/// percent-encoded.
fn header_with_signature<'s>(
    signed: &'s contextio_signer::SignedRequest,
    v: &serde_json::Value,
    what: &str,
) -> &'s str {
    let header = signed.authorization().expect("header placement");
    let encoded_sig = reference_encode(common::signature(v).as_bytes());
    assert!(
        header.contains(&format!("oauth_signature=\"{encoded_sig}\"")),
        "{what}: header {header}"
    );
    header
}

/// A signer for the tables' requests (whose signatures are not looked at).
fn table_signer() -> Signer {
    Signer::new(&common::user_options(), Runtime::Server).expect("a 3-legged signer")
}

#[test]
fn signature_vectors() {
    for v in common::vectors() {
        let what = common::describe(&v);
        let signer = Signer::new(&common::options(&v), Runtime::Server)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let request = common::request(&v, &[]);
        let signed = signer
            .sign(&request, common::nonce(&v), common::timestamp(&v))
            .unwrap_or_else(|e| panic!("{what} failed: {e}"));
        assert_eq!(
            signed.base_string(),
            common::base_string(&v),
            "{what}: base string"
        );
        assert_eq!(
            signed.signature(),
            common::signature(&v),
            "{what}: signature"
        );
        assert_eq!(
            signed.oauth_parameter("oauth_signature"),
            Some(common::signature(&v)),
            "{what}"
        );
        let header = header_with_signature(&signed, &v, &what);
        if let Some(realm) = common::field(&v, "realm") {
            assert!(
                header.starts_with(&format!("OAuth realm=\"{realm}\", ")),
                "{what}: {header}"
            );
        }
        // sign_with with the vector's nonce and timestamp signs the same, whatever the clock.
        let with = signer
            .sign_with(
                &request,
                Some(common::nonce(&v)),
                Some(common::timestamp(&v)),
                &mut NoncePool::default(),
                -1,
            )
            .unwrap_or_else(|e| panic!("{what}: sign_with failed: {e}"));
        assert_eq!(with, signed, "{what}: sign_with");
    }
}

/// `../shared/vectors/methods.json`: HMAC-SHA256, HMAC-SHA512 and PLAINTEXT, `oauth_callback` and
/// `oauth_verifier` as protocol parameters, the body hash; each in every placement it allows.
#[test]
fn method_vectors() {
    let mut signed_count = 0;
    for v in common::method_vectors() {
        let what = common::describe(&v);
        let signer = common::signer(&v).unwrap_or_else(|e| panic!("{what}: {e}"));
        let method = common::required(&v, "signatureMethod");
        assert_eq!(signer.signature_method().as_str(), method, "{what}");
        let form = common::form(&v);
        let request = common::request(&v, &form);
        let sign = |request: &Request<'_>| {
            signer
                .sign(request, common::nonce(&v), common::timestamp(&v))
                .unwrap_or_else(|e| panic!("{what} failed: {e}"))
        };
        let signed = sign(&request);
        assert_eq!(
            signed.signature(),
            common::signature(&v),
            "{what}: signature"
        );
        assert_eq!(signed.signature_method().as_str(), method, "{what}");
        assert_eq!(
            signed.oauth_parameter("oauth_signature_method"),
            Some(method),
            "{what}"
        );
        if let Some(base) = common::field(&v, "baseString") {
            assert_eq!(signed.base_string(), base, "{what}: base string");
        }
        for name in ["callback", "verifier"] {
            assert_eq!(
                signed.oauth_parameter(&format!("oauth_{name}")),
                common::field(&v, name),
                "{what}: {name}"
            );
        }
        assert_eq!(
            signed.oauth_parameter("oauth_body_hash"),
            common::field(&v, "bodyHash"),
            "{what}: body hash"
        );
        header_with_signature(&signed, &v, &what);
        // Every protocol parameter goes where the placement says, all of them there, and the
        // signature is the same.
        let mut placements = vec![Placement::Query];
        if matches!(request.body, Body::Pairs(_)) {
            placements.push(Placement::Body);
        }
        for placement in placements {
            let placed = sign(&Request {
                placement: Some(placement),
                ..request
            });
            assert_eq!(
                placed.signature(),
                signed.signature(),
                "{what}: {placement:?}"
            );
            assert_eq!(placed.authorization(), None, "{what}: {placement:?}");
            let sent = match placement {
                Placement::Query => placed.url().split_once('?').map_or("", |(_, q)| q),
                _ => placed.body().unwrap_or(""),
            };
            for (name, value) in placed.oauth_parameters() {
                let pair = format!("{name}={}", reference_encode(value.as_bytes()));
                assert!(
                    sent.split('&').any(|p| p == pair),
                    "{what}: {placement:?} lacks {name} in {sent}"
                );
            }
        }
        signed_count += 1;
    }
    assert!(signed_count >= 13, "{signed_count} method vectors signed");
}

#[test]
fn percent_encoding_table() {
    for row in common::table("percentEncoding") {
        let input = common::required(&row, "input");
        assert_eq!(
            percent_encode(input),
            common::required(&row, "encoded"),
            "percentEncoding input {input:?}"
        );
    }
}

/// The base string URI of each row, read from the base string of a GET to the URL (its second
/// part, percent-encoded once more).
#[test]
fn base_string_uri_table() {
    let signer = table_signer();
    for row in common::table("baseStringUri") {
        let url = common::required(&row, "url");
        let expected = common::required(&row, "baseStringUri");
        let signed = signer
            .sign(&Request::new("GET", url), "n", 1)
            .unwrap_or_else(|e| panic!("baseStringUri {url}: {e}"));
        let parts: Vec<&str> = signed.base_string().split('&').collect();
        assert_eq!(
            parts[1],
            reference_encode(expected.as_bytes()),
            "baseStringUri {url}"
        );
        assert!(
            signed.url().starts_with(expected),
            "baseStringUri {url}: fetches {}",
            signed.url()
        );
    }
}

/// The same table through the URL parser itself.
#[cfg(feature = "internals")]
#[test]
fn base_string_uri_table_through_the_parser() {
    use contextio_signer::internals::RequestUrl;
    for row in common::table("baseStringUri") {
        let url = common::required(&row, "url");
        let got = RequestUrl::parse(url).unwrap_or_else(|e| panic!("baseStringUri {url}: {e}"));
        assert_eq!(
            got.base_string_uri(),
            common::required(&row, "baseStringUri"),
            "baseStringUri {url}"
        );
    }
}

/// The normalized parameters of each row's query, read from a signed GET: its normalized
/// parameters without the protocol parameters.
#[test]
fn normalization_table() {
    let signer = table_signer();
    for row in common::table("normalizeParameters") {
        let query = common::required(&row, "query");
        let url = format!("https://h.example/p?{query}");
        let signed = signer
            .sign(&Request::new("GET", &url), "n", 1)
            .unwrap_or_else(|e| panic!("normalizeParameters {query:?}: {e}"));
        let own: Vec<&str> = signed
            .normalized_parameters()
            .split('&')
            .filter(|p| {
                ![
                    "oauth_consumer_key=",
                    "oauth_nonce=",
                    "oauth_signature_method=",
                    "oauth_timestamp=",
                    "oauth_token=",
                    "oauth_version=",
                ]
                .iter()
                .any(|name| p.starts_with(name))
            })
            .collect();
        assert_eq!(
            own.join("&"),
            common::required(&row, "normalized"),
            "normalizeParameters {query:?}"
        );
    }
}

/// The same table through the parameter list itself.
#[cfg(feature = "internals")]
#[test]
fn normalization_table_through_the_parameter_list() {
    use contextio_signer::internals::ParamList;
    for row in common::table("normalizeParameters") {
        let query = common::required(&row, "query");
        let mut p = ParamList::default();
        p.push_form(query, "bad").unwrap();
        assert_eq!(
            p.normalized(),
            common::required(&row, "normalized"),
            "normalizeParameters {query:?}"
        );
    }
}

/// Every byte value that can occur in a string, against the independent `percent-encoding`
/// crate with the RFC 3986 unreserved set: each ASCII byte alone, and every Unicode scalar
/// value (so every byte a UTF-8 sequence can hold) at once. The bytes no `&str` can hold (0xC0,
/// 0xC1, 0xF5..=0xFF) cannot reach the public API.
#[test]
fn encoding_all_256_bytes() {
    let mut unreserved = 0;
    for b in 0u8..=127 {
        let s = char::from(b).to_string();
        let ours = percent_encode(&s);
        assert_eq!(ours, reference_encode(&[b]), "byte 0x{b:02X}");
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

    let every_char: String = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
    let mut seen = [false; 256];
    for &b in every_char.as_bytes() {
        seen[usize::from(b)] = true;
    }
    let missing: Vec<usize> = (0..256).filter(|&b| !seen[b]).collect();
    let impossible: Vec<usize> = [0xC0, 0xC1].into_iter().chain(0xF5..=0xFF).collect();
    assert_eq!(missing, impossible);
    assert_eq!(
        percent_encode(&every_char),
        reference_encode(every_char.as_bytes())
    );

    // And the code point classes of UTF-8, inside a string.
    for c in [
        '\0',
        '\u{7f}',
        '\u{80}',
        '\u{7ff}',
        '\u{800}',
        '\u{d7ff}',
        '\u{e000}',
        '\u{ffff}',
        '\u{10000}',
        '\u{10ffff}',
        '😀',
    ] {
        let text = format!("a{c}b");
        assert_eq!(
            percent_encode(&text),
            reference_encode(text.as_bytes()),
            "{c:?}"
        );
    }
}
