//! Tier 1: property tests. No input panics; signing is deterministic; what is signed is what is
//! sent.
// Native only: these tests read files, use the system clock or the fuzz corpus.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use contextio_signer::{Body, Placement, Request, Runtime, Signer, SignerOptions};
use percent_encoding::{percent_decode_str, AsciiSet, NON_ALPHANUMERIC};
use proptest::prelude::*;

fn signer(placement: Placement) -> Signer {
    Signer::new(
        &SignerOptions {
            placement,
            ..common::user_options()
        },
        Runtime::Browser,
    )
    .unwrap()
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[a-zA-Z0-9%+=&?#/:@ .~!*'();,\\[\\]\\\\-]{0,40}",
        "(https?|HTTP|ftp)://[a-zA-Z0-9.:\\[\\]@%-]{0,20}(/[a-zA-Z0-9%. é+-]{0,10}){0,4}(\\?[a-z0-9=&%+ ]{0,20})?(#.*)?",
    ]
}

/// Borrowed pairs, as `Request::query` takes them.
fn borrowed(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// The RFC 3986 unreserved set, for the independent `percent-encoding` crate.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The normalized parameters of §3.4.1.3.2 from form-encoded pairs, computed here: form-decode
/// (`+` is a space) with the `percent-encoding` crate, encode with it, sort, join.
fn reference_normalized<'a>(segments: impl Iterator<Item = &'a str>) -> String {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8()
            .expect("UTF-8")
            .into_owned()
    };
    let encode = |s: &str| percent_encoding::utf8_percent_encode(s, RFC3986).to_string();
    let mut pairs: Vec<(String, String)> = segments
        .filter(|seg| !seg.is_empty())
        .map(|seg| {
            let (n, v) = seg.split_once('=').unwrap_or((seg, ""));
            (encode(&decode(n)), encode(&decode(v)))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn no_input_panics(
        method in "[A-Za-z!#]{0,8}|.{0,4}",
        url in any_text(),
        body in proptest::option::of(any_text()),
        ct in proptest::option::of(prop_oneof![Just("application/x-www-form-urlencoded; charset=UTF-8".to_owned()), ".{0,30}"]),
        nonce in ".{0,300}",
        realm in proptest::option::of(".{0,10}"),
        placement in prop_oneof![Just(Placement::Header), Just(Placement::Query), Just(Placement::Body)],
        ts in any::<u64>(),
        clock in any::<i64>(),
        query in proptest::collection::vec((".{0,6}", ".{0,6}"), 0..4),
    ) {
        let s = signer(placement);
        let query = borrowed(&query);
        let mut r = Request::new(&method, &url);
        r.body = body.as_deref().map_or(Body::None, Body::Text);
        r.content_type = ct.as_deref();
        r.realm = realm.as_deref();
        r.query = &query;
        #[cfg(feature = "internals")]
        let _ = contextio_signer::internals::RequestUrl::parse(&url);
        let _ = s.sign_with(&r, None, None, &mut contextio_signer::NoncePool::default(), clock);
        if let Ok(signed) = s.sign(&r, &nonce, ts) {
            // Deterministic, and the URL we hand to fetch is itself signable to the same
            // base string URI.
            let again = s.sign(&r, &nonce, ts).unwrap();
            prop_assert_eq!(&signed, &again);
            // The URL to fetch starts with the base string URI signed (the second part of the
            // base string, decoded).
            let signed_uri = signed.base_string().split('&').nth(1).unwrap();
            let signed_uri = percent_decode_str(signed_uri).decode_utf8().unwrap();
            prop_assert!(signed.url().starts_with(&*signed_uri), "{} {}", signed.url(), signed_uri);
            #[cfg(feature = "internals")]
            {
                use contextio_signer::internals::RequestUrl;
                let reparsed = RequestUrl::parse(signed.url()).unwrap();
                prop_assert_eq!(reparsed.base_string_uri(), RequestUrl::parse(&url).unwrap().base_string_uri());
            }
        }
    }

    #[cfg(feature = "internals")]
    #[test]
    fn form_parsing_never_panics(s in ".*") {
        let mut p = contextio_signer::internals::ParamList::default();
        let _ = p.push_form(&s, "bad");
        let _ = p.normalized();
    }

    /// The URL returned for fetching (query placement) carries exactly the signed parameters:
    /// re-collecting them from it, independently, gives the same normalized string.
    #[test]
    fn query_placement_round_trips(
        pairs in proptest::collection::vec(("[a-z!* é+%]{0,5}", "[a-z!* é+&=]{0,5}"), 0..6),
    ) {
        let s = signer(Placement::Query);
        let pairs = borrowed(&pairs);
        let mut r = Request::new("GET", "https://api.context.io/lite/users/u1/x");
        r.query = &pairs;
        let signed = s.sign(&r, "n0nce", 1_500_000_000).unwrap();
        let (_, query) = signed.url().split_once('?').unwrap();
        let without_sig = query.split('&').filter(|seg| !seg.starts_with("oauth_signature="));
        prop_assert_eq!(reference_normalized(without_sig), signed.normalized_parameters());
        #[cfg(feature = "internals")]
        {
            use contextio_signer::internals::{ParamList, RequestUrl};
            let parsed = RequestUrl::parse(signed.url()).unwrap();
            let mut without_sig = ParamList::default();
            for seg in parsed.query.as_deref().unwrap().split('&') {
                if !seg.starts_with("oauth_signature=") {
                    without_sig.push_form(seg, "bad").unwrap();
                }
            }
            prop_assert_eq!(without_sig.normalized(), signed.normalized_parameters());
        }
    }
}
