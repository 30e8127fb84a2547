//! Tier 1: the rules of the signature methods, the body hash and RFC 5849 §2's protocol
//! parameters, through the public API. (Their published vectors are in `tests/vectors.rs`.)
#![cfg(not(target_arch = "wasm32"))]

mod common;

use base64::Engine as _;
use contextio_signer::{Body, Placement, Request, Runtime, SignatureMethod, Signer, SignerOptions};
use sha2::Digest as _;

fn signer(method: SignatureMethod) -> Signer {
    Signer::new(
        &SignerOptions {
            signature_method: method,
            ..common::user_options()
        },
        Runtime::Browser,
    )
    .expect("a 3-legged signer")
}

fn new_user(method: SignatureMethod) -> Signer {
    Signer::for_new_user(&SignerOptions {
        consumer_key: "ck",
        consumer_secret: "cs",
        signature_method: method,
        ..SignerOptions::default()
    })
    .expect("the consumer-only signer")
}

fn code<T: std::fmt::Debug>(r: Result<T, contextio_signer::Error>) -> &'static str {
    r.expect_err("refused").code()
}

#[test]
fn plaintext_goes_only_over_tls_or_to_loopback() {
    let s = signer(SignatureMethod::Plaintext);
    for url in [
        "http://api.example.com/x",
        "http://10.0.0.1/",
        "http://127.example.com/",
        "http://[::2]/",
        "http://localhost.example/",
        "http://a.localhost/",
    ] {
        assert_eq!(
            code(s.sign(&Request::new("GET", url), "n", 1)),
            "PLAINTEXT_NEEDS_HTTPS",
            "{url}"
        );
    }
    for url in [
        "https://api.example.com/x",
        "HTTPS://API.example.com/",
        "http://127.0.0.1:8787/",
        "http://127.255.0.9/",
        "http://localhost/",
        "http://LOCALHOST:8080/",
        "http://[::1]:80/",
    ] {
        let signed = s
            .sign(&Request::new("GET", url), "n", 1)
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        // RFC 5849 §3.4.4: the encoded secrets, whatever the request.
        assert_eq!(signed.signature(), "cs&ts", "{url}");
    }
    // The message names the rule and no secret; Debug hides the signature wherever it goes.
    let e = s
        .sign(&Request::new("GET", "http://h/"), "n", 1)
        .unwrap_err();
    assert!(
        e.message().contains("https") && !e.message().contains("cs&"),
        "{e}"
    );
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let pairs = [("a", "b")];
        let signed = s
            .sign(
                &Request {
                    placement: Some(placement),
                    body: Body::Pairs(&pairs),
                    ..Request::new("POST", "https://h/")
                },
                "n",
                1,
            )
            .unwrap();
        let shown = format!("{signed:?}");
        assert!(
            !shown.contains("cs&ts") && !shown.contains("cs%26ts"),
            "{placement:?}: {shown}"
        );
    }
}

#[test]
fn each_method_names_itself_and_signs_its_own_way() {
    for (method, len) in [
        (SignatureMethod::HmacSha1, 28),
        (SignatureMethod::HmacSha256, 44),
        (SignatureMethod::HmacSha512, 88),
    ] {
        let s = signer(method);
        assert_eq!(s.signature_method(), method);
        let signed = s.sign(&Request::new("GET", "https://h/"), "n", 1).unwrap();
        assert_eq!(signed.signature().len(), len, "{method:?}");
        assert_eq!(
            signed.oauth_parameter("oauth_signature_method"),
            Some(method.as_str())
        );
        assert!(signed
            .normalized_parameters()
            .contains(&format!("oauth_signature_method={}", method.as_str())));
        assert!(signed
            .authorization()
            .unwrap()
            .contains(&format!("oauth_signature_method=\"{}\"", method.as_str())));
        // A signer's Debug names the method and no secret.
        let shown = format!("{s:?}");
        assert!(
            shown.contains(&format!("{method:?}"))
                && !shown.contains("\"ts\"")
                && !shown.contains("\"cs\""),
            "{shown}"
        );
    }
    assert_eq!(
        Signer::new(&common::user_options(), Runtime::Server)
            .unwrap()
            .signature_method(),
        SignatureMethod::HmacSha1
    );
}

#[test]
fn the_body_hash_is_the_methods_hash_of_the_body_sent() {
    let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    let body = "<?xml version=\"1.0\"?><imsx_POXEnvelopeRequest>é</imsx_POXEnvelopeRequest>";
    for (method, expected) in [
        (SignatureMethod::HmacSha1, b64(&sha1::Sha1::digest(body))),
        (
            SignatureMethod::HmacSha256,
            b64(&sha2::Sha256::digest(body)),
        ),
        (
            SignatureMethod::HmacSha512,
            b64(&sha2::Sha512::digest(body)),
        ),
    ] {
        let s = signer(method);
        let request = Request {
            body: Body::Text(body),
            content_type: Some("application/xml"),
            body_hash: true,
            ..Request::new("POST", "https://h/outcomes")
        };
        let signed = s.sign(&request, "n", 1).unwrap();
        assert_eq!(
            signed.oauth_parameter("oauth_body_hash"),
            Some(expected.as_str()),
            "{method:?}"
        );
        assert!(signed
            .normalized_parameters()
            .contains(&format!("oauth_body_hash={}", common_encode(&expected))));
        assert_eq!(signed.body(), Some(body));
        // No body: the hash of nothing.
        let empty = s
            .sign(
                &Request {
                    body_hash: true,
                    ..Request::new("GET", "https://h/")
                },
                "n",
                1,
            )
            .unwrap();
        let nothing = match method {
            SignatureMethod::HmacSha1 => b64(&sha1::Sha1::digest(b"")),
            SignatureMethod::HmacSha256 => b64(&sha2::Sha256::digest(b"")),
            _ => b64(&sha2::Sha512::digest(b"")),
        };
        assert_eq!(
            empty.oauth_parameter("oauth_body_hash"),
            Some(nothing.as_str())
        );
        // Without the flag, none.
        let plain = s
            .sign(
                &Request {
                    body_hash: false,
                    ..request
                },
                "n",
                1,
            )
            .unwrap();
        assert_eq!(plain.oauth_parameter("oauth_body_hash"), None);
        // A form body never has one (draft-eaton-oauth-bodyhash §3.1).
        let pairs = [("a", "1")];
        assert_eq!(
            code(s.sign(
                &Request {
                    body: Body::Pairs(&pairs),
                    body_hash: true,
                    ..Request::new("POST", "https://h/")
                },
                "n",
                1
            )),
            "INVALID_BODY"
        );
        assert_eq!(
            code(s.sign(
                &Request {
                    body: Body::Text("a=1"),
                    content_type: Some("application/x-www-form-urlencoded; charset=utf-8"),
                    body_hash: true,
                    ..Request::new("POST", "https://h/")
                },
                "n",
                1
            )),
            "INVALID_BODY"
        );
    }
    // PLAINTEXT has no hash.
    let request = Request {
        body: Body::Text("x"),
        content_type: Some("text/plain"),
        body_hash: true,
        ..Request::new("PUT", "https://h/")
    };
    assert_eq!(
        code(signer(SignatureMethod::Plaintext).sign(&request, "n", 1)),
        "INVALID_OPTIONS"
    );
}

/// RFC 3986 encoding by the `percent-encoding` crate.
fn common_encode(s: &str) -> String {
    common::rfc3986(s.as_bytes())
}

#[test]
fn callback_and_verifier_travel_with_the_protocol_parameters() {
    let temp = new_user(SignatureMethod::HmacSha256);
    let callback = "https://app.example/cb?x=1&y=é";
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        // A scope in the query (the consumer-only signer sends no body of its own: an empty
        // form for body placement).
        let request = Request {
            placement: Some(placement),
            callback: Some(callback),
            query: &[("scope", "read write")],
            body: if placement == Placement::Body {
                Body::Pairs(&[])
            } else {
                Body::None
            },
            ..Request::new("POST", "https://provider.example/oauth/request_token")
        };
        let signed = temp.sign(&request, "n", 1).unwrap();
        let encoded = format!("oauth_callback={}", common_encode(callback));
        assert!(
            signed
                .normalized_parameters()
                .split('&')
                .any(|p| p == encoded),
            "signed"
        );
        let (header, url, body) = (
            signed.authorization().unwrap_or(""),
            signed.url(),
            signed.body().unwrap_or(""),
        );
        let places = [
            header.contains("oauth_callback=\""),
            url.contains("oauth_callback="),
            body.contains("oauth_callback="),
        ];
        let expected = match placement {
            Placement::Header => [true, false, false],
            Placement::Query => [false, true, false],
            Placement::Body => [false, false, true],
        };
        assert_eq!(places, expected, "{placement:?}: {header} {url} {body}");
        assert_eq!(signed.oauth_parameter("oauth_callback"), Some(callback));
        assert_eq!(signed.oauth_parameter("oauth_token"), None);
    }
    // The consumer-only signer: the callback POST anywhere, nothing else new.
    assert_eq!(
        code(temp.sign(
            &Request {
                callback: Some("oob"),
                ..Request::new("GET", "https://p/request_token")
            },
            "n",
            1
        )),
        "OUT_OF_SCOPE"
    );
    assert_eq!(
        code(temp.sign(&Request::new("POST", "https://p/request_token"), "n", 1)),
        "OUT_OF_SCOPE"
    );
    // Body placement with an empty form, and a form of the provider's own parameters.
    let empty = Request {
        callback: Some("oob"),
        body: Body::Pairs(&[]),
        placement: Some(Placement::Body),
        ..Request::new("POST", "https://p/request_token")
    };
    assert!(temp.sign(&empty, "n", 1).is_ok());
    let scope = [("scope", "photos")];
    assert!(temp
        .sign(
            &Request {
                body: Body::Pairs(&scope),
                ..empty
            },
            "n",
            1
        )
        .is_ok());
    assert_eq!(
        code(temp.sign(
            &Request {
                callback: Some("oob"),
                verifier: Some("v"),
                ..Request::new("POST", "https://p/request_token")
            },
            "n",
            1
        )),
        "INVALID_OPTIONS"
    );
    // The token request: the temporary pair and the verifier.
    let token = signer(SignatureMethod::HmacSha1);
    let signed = token
        .sign(
            &Request {
                verifier: Some("v é"),
                ..Request::new("POST", "https://p/access_token")
            },
            "n",
            1,
        )
        .unwrap();
    assert_eq!(signed.oauth_parameter("oauth_verifier"), Some("v é"));
    assert!(signed
        .authorization()
        .unwrap()
        .contains("oauth_verifier=\"v%20%C3%A9\""));
    // 2-legged: no verifier (it goes with a temporary token).
    let two = Signer::new(
        &SignerOptions {
            consumer_key: "ck",
            consumer_secret: "cs",
            two_legged: true,
            ..SignerOptions::default()
        },
        Runtime::Server,
    )
    .unwrap();
    assert_eq!(
        code(two.sign(
            &Request {
                verifier: Some("v"),
                ..Request::new("POST", "https://p/x")
            },
            "n",
            1
        )),
        "INVALID_OPTIONS"
    );
    // Values.
    for bad in ["", "/cb", "cb", "http://a b/", "https:"] {
        assert_eq!(
            code(token.sign(
                &Request {
                    callback: Some(bad),
                    ..Request::new("POST", "https://p/")
                },
                "n",
                1
            )),
            "INVALID_OPTIONS",
            "{bad:?}"
        );
    }
    assert_eq!(
        code(token.sign(
            &Request {
                verifier: Some(""),
                ..Request::new("POST", "https://p/")
            },
            "n",
            1
        )),
        "INVALID_OPTIONS"
    );
}

#[test]
fn the_callers_protocol_parameters_are_never_ordinary_parameters() {
    let s = signer(SignatureMethod::HmacSha1);
    for (name, field) in [
        ("oauth_callback", "callback"),
        ("oauth_verifier", "verifier"),
        ("oauth_body_hash", "body hash"),
    ] {
        let pair = [(name, "x")];
        let url = format!("https://h/?{name}=x");
        let form = format!("{name}=x");
        for request in [
            Request {
                query: &pair,
                ..Request::new("GET", "https://h/")
            },
            Request::new("GET", &url),
            Request {
                body: Body::Pairs(&pair),
                ..Request::new("POST", "https://h/")
            },
            Request {
                body: Body::Form(&form),
                ..Request::new("POST", "https://h/")
            },
        ] {
            let e = s.sign(&request, "n", 1).unwrap_err();
            assert_eq!(e.code(), "INVALID_OPTIONS", "{name}");
            assert!(
                e.message().starts_with(name) && e.message().contains(field),
                "{e}"
            );
        }
        // In a body that is not a form, it is no parameter at all.
        let text = format!("{name}=x");
        assert!(s
            .sign(
                &Request {
                    body: Body::Text(&text),
                    content_type: Some("text/plain"),
                    ..Request::new("POST", "https://h/")
                },
                "n",
                1
            )
            .is_ok());
    }
    // Other oauth_ names stay ordinary parameters.
    assert!(s
        .sign(
            &Request {
                query: &[("oauth_state", "x")],
                ..Request::new("GET", "https://h/")
            },
            "n",
            1
        )
        .is_ok());
}

#[test]
fn methods_parse_from_their_names_only() {
    for m in SignatureMethod::ALL {
        assert_eq!(SignatureMethod::parse(m.as_str()), Ok(m));
    }
    for bad in ["hmac-sha1", "HMAC-SHA-256", "RSA-SHA1", "", " PLAINTEXT"] {
        assert_eq!(
            SignatureMethod::parse(bad).unwrap_err().code(),
            "INVALID_OPTIONS"
        );
    }
}
