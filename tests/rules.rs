//! Tier 1: the signing rules of RFC 5849 and the 3-legged requirement, one test each.
//! Expected base strings here are written out by hand from the RFC's rules; expected
//! signatures come only from the published vectors (tests/vectors.rs) and the independent
//! implementations of the JS tiers.

use contextio_signer::{Body, Error, Mode, Placement, Request, Runtime, Signer, SignerOptions};

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
    three().sign(r, "n", 1).unwrap().base_string
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
    assert!(!signed.base_string.contains("oauth_token"));
    assert!(!signed.authorization.unwrap().contains("oauth_token"));
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
    assert!(!signed.base_string.contains("oauth_version"));
    assert!(!signed.base_string.contains("realm"));
    assert!(signed
        .authorization
        .unwrap()
        .starts_with("OAuth realm=\"Example\", oauth_consumer_key=\"ck\""));
}

#[test]
fn placements() {
    let s = three();
    let mut r = Request::new("POST", "https://h/users?x=a%20b");
    let pairs = vec![("email".to_owned(), "a+b@example.com".to_owned())];
    r.body = Body::Pairs(&pairs);
    let header = s.sign(&r, "n", 1).unwrap();
    r.placement = Some(Placement::Query);
    let query = s.sign(&r, "n", 1).unwrap();
    r.placement = Some(Placement::Body);
    let body = s.sign(&r, "n", 1).unwrap();
    // Same signature wherever the parameters go.
    assert_eq!(header.signature, query.signature);
    assert_eq!(header.signature, body.signature);
    assert_eq!(header.url, "https://h/users?x=a%20b");
    assert_eq!(header.body.as_deref(), Some("email=a%2Bb%40example.com"));
    assert_eq!(
        header.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert!(query.authorization.is_none() && body.authorization.is_none());
    assert!(
        query.url.starts_with(
            "https://h/users?x=a%20b&oauth_consumer_key=ck&oauth_nonce=n&oauth_signature="
        ),
        "{}",
        query.url
    );
    assert!(body
        .body
        .as_deref()
        .unwrap()
        .starts_with("email=a%2Bb%40example.com&oauth_consumer_key=ck&"));
    assert_eq!(body.url, "https://h/users?x=a%20b");
    let names: Vec<&str> = header.oauth_parameters.iter().map(|(n, _)| *n).collect();
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
    let q = vec![
        ("q".to_owned(), "a b+c".to_owned()),
        ("q".to_owned(), "".to_owned()),
    ];
    let mut r = Request::new("GET", "http://h/p?z=1");
    r.query = &q;
    let signed = three().sign(&r, "n", 1).unwrap();
    assert_eq!(signed.url, "http://h/p?z=1&q=a%20b%2Bc&q=");
    assert!(signed
        .normalized_parameters
        .starts_with("oauth_consumer_key=ck&"));
    assert!(signed
        .normalized_parameters
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
        .base_string
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
    assert_eq!(n1.len(), 24);
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
    let q = vec![("oauth_signature".to_owned(), "x".to_owned())];
    let mut r = Request::new("GET", "http://h/");
    r.query = &q;
    assert_eq!(s.sign(&r, "n", 1).unwrap_err().code(), "INVALID_OPTIONS");
    // Other oauth_* parameters are ordinary parameters.
    assert!(s
        .sign(&Request::new("GET", "http://h/?oauth_callback=oob"), "n", 1)
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
    for text in [format!("{s:?}"), format!("{o:?}")] {
        assert!(!text.contains("SECRET-"), "{text}");
    }
    let bad = SignerOptions {
        two_legged: true,
        ..o.clone()
    };
    let e = Signer::new(&bad, Runtime::Browser).unwrap_err();
    assert!(!format!("{e} {e:?}").contains("SECRET-"));
    for code in Error::ALL_CODES {
        assert!(code.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
    }
}

#[test]
fn nonce_pool_hands_out_distinct_nonces_across_refills() {
    let mut pool = contextio_signer::NoncePool::default();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..100 {
        let n = pool.next_nonce().unwrap();
        assert_eq!(n.len(), 24);
        assert_ne!(n, "AAAAAAAAAAAAAAAAAAAAAAAA");
        assert!(seen.insert(n), "a nonce repeated");
    }
}
