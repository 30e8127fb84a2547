//! Tier 1: the signing rules of RFC 5849 and the 3-legged requirement, one test each.
//! Expected base strings here are written out by hand from the RFC's rules; expected
//! signatures come only from the published vectors (tests/vectors.rs) and the independent
//! implementations of the JS tiers.
// Native only: these tests read files, use the system clock or the fuzz corpus.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use contextio_signer::{
    Body, Error, Mode, NoncePool, Placement, Request, Runtime, Signer, SignerOptions,
    MAX_CLOCK_OFFSET, MAX_TIMESTAMP,
};
#[cfg(feature = "internals")]
use {contextio_signer::MAX_NONCE_LEN, std::cell::Cell};

fn opts<'a>() -> SignerOptions<'a> {
    SignerOptions {
        consumer_key: "ck",
        consumer_secret: "cs",
        token: Some("tok"),
        token_secret: Some("ts"),
        ..SignerOptions::default()
    }
}

fn three() -> Signer {
    Signer::new(&opts(), Runtime::Browser).unwrap()
}

const OAUTH: &str = "oauth_consumer_key%3Dck%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dtok%26oauth_version%3D1.0";

fn base(r: &Request<'_>) -> String {
    three().sign(r, "n", 1).unwrap().base_string().to_owned()
}

#[test]
fn three_legged_is_required_at_construction() {
    for (token, secret) in [
        (None, None),
        (Some("t"), None),
        (None, Some("s")),
        (Some(""), Some("s")),
        (Some("t"), Some("")),
    ] {
        let o = SignerOptions {
            token,
            token_secret: secret,
            ..opts()
        };
        for rt in [Runtime::Browser, Runtime::Server] {
            assert_eq!(
                Signer::new(&o, rt).unwrap_err().code(),
                "THREE_LEGGED_REQUIRED",
                "{token:?} {secret:?}"
            );
        }
    }
    assert_eq!(three().mode(), Mode::ThreeLegged);
}

#[test]
fn two_legged_only_in_a_server_runtime_and_never_with_a_token() {
    let o = SignerOptions {
        token: None,
        token_secret: None,
        two_legged: true,
        ..opts()
    };
    assert_eq!(
        Signer::new(&o, Runtime::Browser).unwrap_err(),
        Error::TwoLeggedForbidden
    );
    assert_eq!(
        Signer::new(&o, Runtime::Server).unwrap().mode(),
        Mode::TwoLegged
    );
    let with_token = SignerOptions {
        two_legged: true,
        ..opts()
    };
    assert_eq!(
        Signer::new(&with_token, Runtime::Server)
            .unwrap_err()
            .code(),
        "INVALID_OPTIONS"
    );
    // 2-legged sends no oauth_token at all, not an empty one.
    let signed = Signer::new(&o, Runtime::Server)
        .unwrap()
        .sign(&Request::new("GET", "http://h/"), "n", 1)
        .unwrap();
    assert!(!signed.base_string().contains("oauth_token"));
    assert!(!signed.authorization().unwrap().contains("oauth_token"));
    assert_eq!(signed.oauth_parameter("oauth_token"), None);
}

#[test]
fn empty_consumer_credentials_are_invalid() {
    for o in [
        SignerOptions {
            consumer_key: "",
            ..opts()
        },
        SignerOptions {
            consumer_secret: "",
            ..opts()
        },
    ] {
        assert_eq!(
            Signer::new(&o, Runtime::Server).unwrap_err().code(),
            "INVALID_OPTIONS"
        );
        assert_eq!(
            Signer::for_new_user(&o).unwrap_err().code(),
            "INVALID_OPTIONS"
        );
    }
}

#[test]
fn for_new_user_signs_only_adding_users() {
    let o = SignerOptions {
        token: None,
        token_secret: None,
        ..opts()
    };
    let s = Signer::for_new_user(&o).unwrap();
    assert_eq!(s.mode(), Mode::NewUser);
    for url in [
        "https://api.context.io/lite/users",
        "https://api.context.io/2.0/accounts",
        "http://127.0.0.1:8787/lite/connect_tokens",
        "https://api.context.io/lite/users/",
    ] {
        let mut r = Request::new("post", url);
        r.body = Body::Pairs(&[]);
        assert!(s.sign(&r, "n", 1).is_ok(), "{url}");
    }
    for (m, url) in [
        ("GET", "https://api.context.io/lite/users"),
        ("POST", "https://api.context.io/lite/users/u1"),
        ("DELETE", "https://api.context.io/lite/users"),
        ("POST", "https://api.context.io/lite/users/u1/webhooks"),
        ("POST", "https://api.context.io/lite/xusers"),
    ] {
        assert_eq!(
            s.sign(&Request::new(m, url), "n", 1).unwrap_err(),
            Error::OutOfScope,
            "{m} {url}"
        );
    }
    assert_eq!(
        Signer::for_new_user(&opts()).unwrap_err().code(),
        "INVALID_OPTIONS"
    );
}

#[test]
fn method_is_upper_cased() {
    let b = base(&Request::new("get", "http://h/"));
    assert!(b.starts_with("GET&http%3A%2F%2Fh%2F&"), "{b}");
}

#[test]
fn query_and_fragment_leave_the_base_string_uri() {
    let b = base(&Request::new("GET", "HTTP://H.Example:80/a%2Fb/?x=1#frag"));
    assert_eq!(
        b,
        format!("GET&http%3A%2F%2Fh.example%2Fa%252Fb%2F&{OAUTH}%26x%3D1")
    );
}

#[test]
fn query_and_form_body_are_parameters_json_is_not() {
    let mut r = Request::new("POST", "http://h/p?a=1+2&b");
    r.body = Body::Text("c=%33&c=&d");
    r.content_type = Some("Application/X-WWW-Form-Urlencoded ; charset=UTF-8");
    assert_eq!(
        base(&r),
        format!("POST&http%3A%2F%2Fh%2Fp&a%3D1%25202%26b%3D%26c%3D%26c%3D3%26d%3D%26{OAUTH}")
    );
    r.body = Body::Text("{\"c\": 3}");
    r.content_type = Some("application/json");
    assert_eq!(
        base(&r),
        format!("POST&http%3A%2F%2Fh%2Fp&a%3D1%25202%26b%3D%26{OAUTH}")
    );
    r.body = Body::Text("c=3");
    r.content_type = None; // a string without a form content type is not a parameter source
    assert_eq!(
        base(&r),
        format!("POST&http%3A%2F%2Fh%2Fp&a%3D1%25202%26b%3D%26{OAUTH}")
    );
}

#[test]
fn include_version_false_omits_it_and_realm_never_signs() {
    let mut r = Request::new("GET", "http://h/");
    r.include_version = false;
    r.realm = Some("Example");
    let signed = three().sign(&r, "n", 1).unwrap();
    assert!(!signed.base_string().contains("oauth_version"));
    assert!(!signed.base_string().contains("realm"));
    assert!(signed
        .authorization()
        .unwrap()
        .starts_with("OAuth realm=\"Example\", oauth_consumer_key=\"ck\""));
    assert_eq!(signed.oauth_parameter("oauth_version"), None);
}

#[test]
fn placements() {
    let s = three();
    let mut r = Request::new("POST", "https://h/users?x=a%20b");
    let pairs = [("email", "a+b@example.com")];
    r.body = Body::Pairs(&pairs);
    let header = s.sign(&r, "n", 1).unwrap();
    r.placement = Some(Placement::Query);
    let query = s.sign(&r, "n", 1).unwrap();
    r.placement = Some(Placement::Body);
    let body = s.sign(&r, "n", 1).unwrap();
    // Same signature wherever the parameters go.
    assert_eq!(header.signature(), query.signature());
    assert_eq!(header.signature(), body.signature());
    assert_eq!(header.url(), "https://h/users?x=a%20b");
    assert_eq!(header.body(), Some("email=a%2Bb%40example.com"));
    assert_eq!(
        header.content_type(),
        Some("application/x-www-form-urlencoded")
    );
    assert!(query.authorization().is_none() && body.authorization().is_none());
    assert!(
        query.url().starts_with(
            "https://h/users?x=a%20b&oauth_consumer_key=ck&oauth_nonce=n&oauth_signature="
        ),
        "{}",
        query.url()
    );
    assert!(body
        .body()
        .unwrap()
        .starts_with("email=a%2Bb%40example.com&oauth_consumer_key=ck&"));
    assert_eq!(body.url(), "https://h/users?x=a%20b");
    let names: Vec<&str> = header.oauth_parameters().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "oauth_consumer_key",
            "oauth_nonce",
            "oauth_signature",
            "oauth_signature_method",
            "oauth_timestamp",
            "oauth_token",
            "oauth_version"
        ]
    );
}

#[test]
fn extra_query_is_appended_with_percent_twenty() {
    let q = [("q", "a b+c"), ("q", "")];
    let mut r = Request::new("GET", "http://h/p?z=1");
    r.query = &q;
    let signed = three().sign(&r, "n", 1).unwrap();
    assert_eq!(signed.url(), "http://h/p?z=1&q=a%20b%2Bc&q=");
    assert!(signed
        .normalized_parameters()
        .starts_with("oauth_consumer_key=ck&"));
    assert!(signed
        .normalized_parameters()
        .ends_with("&q=&q=a%20b%2Bc&z=1"));
}

#[test]
fn body_placement_needs_a_form_body() {
    let s = three();
    let mut r = Request::new("POST", "http://h/p");
    r.placement = Some(Placement::Body);
    assert_eq!(s.sign(&r, "n", 1).unwrap_err().code(), "INVALID_PLACEMENT");
    r.body = Body::Text("{}");
    r.content_type = Some("application/json");
    assert_eq!(s.sign(&r, "n", 1).unwrap_err().code(), "INVALID_PLACEMENT");
}

#[test]
fn body_errors() {
    let s = three();
    let mut r = Request::new("GET", "http://h/p");
    r.body = Body::Text("x");
    assert_eq!(s.sign(&r, "n", 1).unwrap_err().code(), "INVALID_BODY");
    let mut r = Request::new("POST", "http://h/p");
    r.body = Body::Pairs(&[]);
    r.content_type = Some("application/json");
    assert_eq!(s.sign(&r, "n", 1).unwrap_err().code(), "INVALID_BODY");
    r.body = Body::Text("a=%zz");
    r.content_type = Some("application/x-www-form-urlencoded");
    assert_eq!(s.sign(&r, "n", 1).unwrap_err().code(), "INVALID_ENCODING");
}

#[test]
fn nonce_and_timestamp() {
    let s = three();
    let r = Request::new("GET", "http://h/");
    assert_eq!(s.sign(&r, "", 1).unwrap_err().code(), "INVALID_NONCE");
    assert_eq!(
        s.sign(&r, &"x".repeat(257), 1).unwrap_err().code(),
        "INVALID_NONCE"
    );
    assert!(s
        .sign(&r, "n o/n+ce é", 0)
        .unwrap()
        .base_string()
        .contains("oauth_nonce%3Dn%2520o%252Fn%252Bce%2520%25C3%25A9"));
    let skewed = Signer::new(
        &SignerOptions {
            clock_offset: -100,
            ..opts()
        },
        Runtime::Browser,
    )
    .unwrap();
    assert_eq!(skewed.timestamp_at(1000).unwrap(), 900);
    assert_eq!(
        skewed.timestamp_at(50).unwrap_err().code(),
        "INVALID_TIMESTAMP"
    );
    let n1 = contextio_signer::random_nonce().unwrap();
    let n2 = contextio_signer::random_nonce().unwrap();
    assert_ne!(n1, n2);
    assert_eq!(n1.len(), 25);
    assert!(n1
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
}

#[test]
fn own_protocol_parameters_in_the_request_are_refused() {
    let s = three();
    assert_eq!(
        s.sign(&Request::new("GET", "http://h/?oauth_nonce=x"), "n", 1)
            .unwrap_err()
            .code(),
        "INVALID_URL"
    );
    let q = [("oauth_signature", "x")];
    let mut r = Request::new("GET", "http://h/");
    r.query = &q;
    assert_eq!(s.sign(&r, "n", 1).unwrap_err().code(), "INVALID_OPTIONS");
    // The protocol parameters the caller supplies go with the others (issue 22): as query or
    // body parameters they are refused, naming the request field to use (tests/methods.rs).
    assert_eq!(
        s.sign(&Request::new("GET", "http://h/?oauth_callback=oob"), "n", 1)
            .unwrap_err()
            .code(),
        "INVALID_OPTIONS"
    );
    // Other oauth_* parameters are ordinary parameters.
    assert!(s
        .sign(
            &Request::new("GET", "http://h/?oauth_session_handle=x"),
            "n",
            1
        )
        .is_ok());
}

#[test]
fn secrets_never_appear_in_debug_or_errors() {
    let o = SignerOptions {
        consumer_secret: "CONSUMER-SECRET-123",
        token_secret: Some("TOKEN-SECRET-456"),
        ..opts()
    };
    let s = Signer::new(&o, Runtime::Browser).unwrap();
    assert_eq!(s.summary(), "Signer(consumerKey=ck, mode=three-legged)");
    let signed = s.sign(&Request::new("GET", "http://h/"), "n", 1).unwrap();
    let mut pool = NoncePool::default();
    pool.next_nonce().unwrap();
    for text in [
        format!("{s:?}"),
        format!("{o:?}"),
        s.summary(),
        format!("{signed:?}"),
        format!("{pool:?}"),
    ] {
        assert!(!text.contains("SECRET-"), "{text}");
    }
    let bad = SignerOptions {
        two_legged: true,
        ..o.clone()
    };
    let e = Signer::new(&bad, Runtime::Browser).unwrap_err();
    assert!(!format!("{e} {e:?}").contains("SECRET-"));
}

#[test]
fn nonce_pool_hands_out_distinct_nonces_across_refills() {
    let mut pool = contextio_signer::NoncePool::default();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..100 {
        let n = pool.next_nonce().unwrap();
        assert_eq!(n.len(), 25);
        assert_ne!(n, "AAAAAAAAAAAAAAAAAAAAAAAA");
        assert!(seen.insert(n), "a nonce repeated");
    }
}

// The rules that moved from the JavaScript binding into the core (issue 9): what `sign_with`
// does with what the caller leaves out, and the bounds of the clock offset and the timestamp.
// The pool tests fill the pool with known bytes (`NoncePool::next_with`, an `internals` hook).

#[cfg(feature = "internals")]
#[test]
fn sign_with_uses_a_given_nonce_and_timestamp_as_given() {
    let s = three();
    let r = Request::new("GET", "http://h/");
    let fills = Cell::new(0);
    let (mut pool, nonces) = common::pool::primed(&fills);
    // A clock reading that would be refused: it is not read when the timestamp is given.
    let signed = s
        .sign_with(&r, Some("given"), Some(42), &mut pool, i64::MIN)
        .unwrap();
    assert_eq!(Ok(&signed), s.sign(&r, "given", 42).as_ref());
    assert_eq!(signed.oauth_parameter("oauth_nonce"), Some("given"));
    assert_eq!(signed.oauth_parameter("oauth_timestamp"), Some("42"));
    assert!(signed.base_string().contains(
        "oauth_nonce%3Dgiven%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D42%26"
    ));
    // The pool was not drawn from.
    assert_eq!(pool.next_with(|_| panic!("refilled")).unwrap(), nonces[1]);
    assert_eq!(fills.get(), 1);
    // A given nonce is checked as sign checks it.
    for bad in ["", &"x".repeat(MAX_NONCE_LEN + 1)] {
        assert_eq!(
            s.sign_with(&r, Some(bad), Some(1), &mut pool, 0)
                .unwrap_err()
                .code(),
            "INVALID_NONCE"
        );
    }
    assert!(s
        .sign_with(&r, Some(&"x".repeat(MAX_NONCE_LEN)), Some(1), &mut pool, 0)
        .is_ok());
}

#[cfg(feature = "internals")]
#[test]
fn sign_with_draws_absent_nonces_from_the_pool_and_refusals_keep_them() {
    let s = three();
    let new_user = Signer::for_new_user(&SignerOptions {
        token: None,
        token_secret: None,
        ..opts()
    })
    .unwrap();
    let fills = Cell::new(0);
    let (mut pool, nonces) = common::pool::primed(&fills);
    let good = Request::new("GET", "http://h/");
    let mut with_body = Request::new("GET", "http://h/");
    with_body.body = Body::Text("x");
    let mut bad_realm = Request::new("GET", "http://h/");
    bad_realm.realm = Some("é");
    let mut bad_placement = Request::new("POST", "http://h/");
    bad_placement.placement = Some(Placement::Body);
    let reserved = [("oauth_nonce", "x")];
    let mut with_reserved = Request::new("GET", "http://h/");
    with_reserved.query = &reserved;
    let refusals: Vec<(&Signer, Request<'_>, Option<u64>, i64, &str)> = vec![
        (
            &s,
            Request::new("", "http://h/"),
            Some(1),
            0,
            "INVALID_METHOD",
        ),
        (
            &s,
            Request::new("GET", "ftp://h/"),
            Some(1),
            0,
            "INVALID_URL",
        ),
        (
            &s,
            Request::new("GET", "http://h/?a=%zz"),
            Some(1),
            0,
            "INVALID_ENCODING",
        ),
        (&s, with_body, Some(1), 0, "INVALID_BODY"),
        (&s, bad_realm, Some(1), 0, "INVALID_OPTIONS"),
        (&s, bad_placement, Some(1), 0, "INVALID_PLACEMENT"),
        (&s, with_reserved, Some(1), 0, "INVALID_OPTIONS"),
        (&s, good, Some(MAX_TIMESTAMP + 1), 0, "INVALID_TIMESTAMP"),
        (&s, good, None, -1, "INVALID_TIMESTAMP"),
        (&new_user, good, Some(1), 0, "OUT_OF_SCOPE"),
    ];
    for (signer, request, timestamp, clock, code) in &refusals {
        let e = signer
            .sign_with(request, None, *timestamp, &mut pool, *clock)
            .unwrap_err();
        assert_eq!(e.code(), *code, "{request:?}");
    }
    // The next request signed gets the pool's next nonce: none was used up.
    let signed = s.sign_with(&good, None, Some(1), &mut pool, 0).unwrap();
    assert_eq!(
        signed.oauth_parameter("oauth_nonce"),
        Some(nonces[1].as_str())
    );
    assert_eq!(Ok(&signed), s.sign(&good, &nonces[1], 1).as_ref());
    // And the rest of the batch is still there, in order, before the generator is asked again.
    for expected in &nonces[2..] {
        assert_eq!(
            &pool.next_with(|_| panic!("refilled early")).unwrap(),
            expected
        );
    }
    assert_eq!(fills.get(), 1);
    let refill = Cell::new(false);
    pool.next_with(|b| {
        refill.set(true);
        b.fill(1);
        Ok(())
    })
    .unwrap();
    assert!(refill.get());
}

#[test]
fn sign_with_takes_absent_timestamps_from_the_clock_plus_the_offset() {
    let r = Request::new("GET", "http://h/");
    let signer = |offset: i64| {
        Signer::new(
            &SignerOptions {
                clock_offset: offset,
                ..opts()
            },
            Runtime::Browser,
        )
        .unwrap()
    };
    let max = 9_007_199_254_740_991_u64;
    assert_eq!(MAX_TIMESTAMP, max);
    let max_ms = 9_007_199_254_740_991_i64 * 1000;
    for (clock_ms, offset, expected) in [
        (1_500_000_000_999_i64, 0_i64, Some(1_500_000_000_u64)),
        (1_500_000_000_000, -100, Some(1_499_999_900)),
        (999, 0, Some(0)),
        (0, 0, Some(0)),
        // Before the epoch, whole seconds round down (div_euclid), not toward zero.
        (-1, 0, None),
        (-1, 1, Some(0)),
        (-1, 10, Some(9)),
        (-999, 1, Some(0)),
        (-1000, 1, Some(0)),
        (-1001, 1, None),
        (-1001, 2, Some(0)),
        (-5_000, 316_224_000, Some(316_223_995)),
        (max_ms + 999, 0, Some(max)),
        (max_ms + 1000, 0, None),
        (max_ms + 1000, -1, Some(max)),
        (max_ms, 1, None),
        (i64::MAX, 0, None),
        (i64::MAX, -316_224_000, None),
        (i64::MIN, 0, None),
        (i64::MIN, 316_224_000, None),
    ] {
        let s = signer(offset);
        let result = s.sign_with(&r, Some("n"), None, &mut NoncePool::default(), clock_ms);
        match expected {
            Some(t) => {
                let signed = result.unwrap_or_else(|e| panic!("{clock_ms} {offset}: {e}"));
                assert_eq!(
                    signed.oauth_parameter("oauth_timestamp"),
                    Some(t.to_string().as_str()),
                    "clock {clock_ms} ms, offset {offset}"
                );
                assert_eq!(Ok(&signed), s.sign(&r, "n", t).as_ref());
            }
            None => assert_eq!(
                result.unwrap_err().code(),
                "INVALID_TIMESTAMP",
                "clock {clock_ms} ms, offset {offset}"
            ),
        }
    }
    // timestamp_at, in seconds.
    assert_eq!(signer(0).timestamp_at(9_007_199_254_740_991), Ok(max));
    for (now, offset) in [
        (9_007_199_254_740_992, 0),
        (9_007_199_254_740_991, 1),
        (i64::MAX, 1),
        (i64::MIN, -1),
        (-1, 0),
    ] {
        assert_eq!(
            signer(offset).timestamp_at(now).unwrap_err().code(),
            "INVALID_TIMESTAMP",
            "{now} {offset}"
        );
    }
}

#[test]
fn clock_offset_beyond_ten_years_is_refused() {
    assert_eq!(MAX_CLOCK_OFFSET, 10 * 366 * 86_400);
    for (offset, ok) in [
        (0, true),
        (316_224_000, true),
        (-316_224_000, true),
        (316_224_001, false),
        (-316_224_001, false),
        (i64::MAX, false),
        (i64::MIN, false),
    ] {
        let o = SignerOptions {
            clock_offset: offset,
            ..opts()
        };
        let consumer_only = SignerOptions {
            token: None,
            token_secret: None,
            ..o.clone()
        };
        for result in [
            Signer::new(&o, Runtime::Browser),
            Signer::new(&o, Runtime::Server),
            Signer::for_new_user(&consumer_only),
        ] {
            match result {
                Ok(s) => {
                    assert!(ok, "{offset} accepted");
                    assert_eq!(s.clock_offset(), offset);
                }
                Err(e) => {
                    assert!(!ok, "{offset} refused: {e}");
                    assert_eq!(e.code(), "INVALID_OPTIONS");
                }
            }
        }
    }
}

#[test]
fn timestamps_go_up_to_two_to_the_53_minus_one() {
    let s = three();
    let r = Request::new("GET", "http://h/");
    let signed = s.sign(&r, "n", 9_007_199_254_740_991).unwrap();
    assert_eq!(
        signed.oauth_parameter("oauth_timestamp"),
        Some("9007199254740991")
    );
    assert!(signed
        .base_string()
        .contains("oauth_timestamp%3D9007199254740991%26"));
    for t in [9_007_199_254_740_992, u64::MAX] {
        assert_eq!(s.sign(&r, "n", t).unwrap_err().code(), "INVALID_TIMESTAMP");
        assert_eq!(
            s.sign_with(&r, Some("n"), Some(t), &mut NoncePool::default(), 0)
                .unwrap_err()
                .code(),
            "INVALID_TIMESTAMP"
        );
    }
}

#[test]
fn sign_now_uses_a_fresh_nonce_and_the_system_clock_plus_the_offset() {
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    let r = Request::new("GET", "http://h/");
    for offset in [0_i64, -3600, 86_400] {
        let s = Signer::new(
            &SignerOptions {
                clock_offset: offset,
                ..opts()
            },
            Runtime::Browser,
        )
        .unwrap();
        let before = now().checked_add_signed(offset).unwrap();
        let a = s.sign_now(&r).unwrap();
        let b = s.sign_now(&r).unwrap();
        let after = now().checked_add_signed(offset).unwrap();
        for signed in [&a, &b] {
            let t: u64 = signed
                .oauth_parameter("oauth_timestamp")
                .unwrap()
                .parse()
                .unwrap();
            assert!((before..=after).contains(&t), "{before} <= {t} <= {after}");
            let n = signed.oauth_parameter("oauth_nonce").unwrap();
            assert_eq!(n.len(), 25);
            assert!(n
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
            assert_eq!(
                Ok(signed),
                s.sign(&r, n, t).as_ref(),
                "sign_now is sign with its nonce and timestamp"
            );
        }
        assert_ne!(
            a.oauth_parameter("oauth_nonce"),
            b.oauth_parameter("oauth_nonce")
        );
    }
}
