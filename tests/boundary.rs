//! Tier 1: the JavaScript API's boundary (`src/boundary.rs`), natively. Packets are built by
//! hand with an independent writer of the documented format (`fuzz/fuzz_targets/packets.rs`),
//! and every answer is read back by its lengths in UTF-16 code units and compared with the
//! same call made directly on the Rust API: the boundary converts, the core decides. Expected
//! signatures come from the published vectors only.
//!
//! The entry points are `contextio_signer::internals` (`cargo test --features internals`).
// Native only: these tests read files, use the system clock or the fuzz corpus.
#![cfg(not(target_arch = "wasm32"))]
#![cfg(feature = "internals")]

mod common;
#[path = "../fuzz/fuzz_targets/packets.rs"]
mod packets;

use contextio_signer::internals::{sign_once_packet, sign_packet, signer_from_packet};
use contextio_signer::{
    nonce_from_bytes, Body, Error, Mode, NoncePool, Placement, Request, Runtime, Signer,
    SignerOptions, MAX_TIMESTAMP, NONCE_BYTES,
};
use packets::{
    once_packet, options_js, options_packet, read_answer, request_js, request_packet, Answer, Js,
};
use proptest::prelude::*;
use std::cell::Cell;

/// Reads an answer, failing the test on a malformed one.
fn read(packet: &str) -> Answer {
    read_answer(packet).unwrap_or_else(|e| panic!("malformed answer ({e}): {packet:?}"))
}

fn error(code: &str, message: &str) -> Answer {
    Answer::Error {
        code: code.to_owned(),
        message: message.to_owned(),
    }
}

/// `signer_from_packet` of an options object, its error packet read.
fn build(server: bool, options: &Js, new_user: bool) -> Result<Signer, Answer> {
    signer_from_packet(&options_packet(server, options), new_user).map_err(|e| read(&e))
}

fn user_options() -> Js {
    Js::object([
        ("consumerKey", Js::s("ck")),
        ("consumerSecret", Js::s("cs")),
        ("token", Js::s("t")),
        ("tokenSecret", Js::s("ts")),
    ])
}

fn user_signer() -> Signer {
    build(false, &user_options(), false).expect("a 3-legged signer from a packet")
}

/// The same signer, built directly.
fn native_user_signer() -> Signer {
    Signer::new(&common::user_options(), Runtime::Browser).expect("a 3-legged signer")
}

/// A request every signer signs, with its nonce and timestamp fixed.
fn get_users() -> Js {
    Js::object([
        ("method", Js::s("GET")),
        ("url", Js::s("https://api.context.io/lite/users")),
        ("nonce", Js::s("n")),
        ("timestamp", Js::n("1")),
    ])
}

/// `sign_packet` of a request object at the clock reading 0, with a fresh pool.
fn sign_js(signer: &Signer, request: &Js) -> Answer {
    read(&sign_packet(
        signer,
        &mut NoncePool::default(),
        &request_packet(0, request),
    ))
}

/// The error a malformed packet gets (whatever its message says, it is this one for all).
fn malformed() -> Answer {
    let answer = read(&sign_once_packet(""));
    let Answer::Error { code, message } = &answer else {
        panic!("an empty packet signed: {answer:?}")
    };
    assert_eq!(code, "INVALID_OPTIONS");
    assert!(message.starts_with("internal:"), "{message}");
    answer
}

#[test]
fn published_vectors_sign_the_same_through_packets() {
    for v in common::vectors() {
        let what = common::describe(&v);
        let options = common::options(&v);
        let request = common::request(&v);
        let (nonce, timestamp) = (common::nonce(&v), common::timestamp(&v));
        let direct =
            Signer::new(&options, Runtime::Server).and_then(|s| s.sign(&request, nonce, timestamp));
        let expected = Answer::of(&direct);

        let options = options_js(&options);
        let request = request_js(&request, Some(nonce), Some(timestamp));
        let signer = build(true, &options, false).unwrap_or_else(|e| panic!("{what}: {e:?}"));
        // The clock is not read when the timestamp is given.
        let answer = read(&sign_packet(
            &signer,
            &mut NoncePool::default(),
            &request_packet(-5, &request),
        ));
        assert_eq!(answer, expected, "{what}");
        let once = read(&sign_once_packet(&once_packet(
            true,
            1_700_000_000_000,
            &options,
            &request,
        )));
        assert_eq!(once, expected, "{what} in one call");

        let signed = answer.signed();
        assert_eq!(signed.signature, common::signature(&v), "{what}");
        assert_eq!(signed.base_string, common::base_string(&v), "{what}");
    }
}

#[test]
fn unknown_fields_are_refused_with_a_suggestion() {
    let signer = user_signer();
    let qurey = get_users().with("qurey", Js::object([("email", Js::s("alice@example.com"))]));
    let want = error(
        "INVALID_OPTIONS",
        r#"unknown request field "qurey" (did you mean "query"?)"#,
    );
    assert_eq!(sign_js(&signer, &qurey), want);
    assert_eq!(
        read(&sign_once_packet(&once_packet(
            false,
            0,
            &user_options(),
            &qurey
        ))),
        want
    );
    // Refused whatever its value, `undefined` included: the key alone is the mistake.
    assert_eq!(
        sign_js(&signer, &get_users().with("qurey", Js::Absent)),
        want
    );

    let options = user_options()
        .without("tokenSecret")
        .with("tokenSecrett", Js::s("SECRET-VALUE-1"));
    let want = error(
        "INVALID_OPTIONS",
        r#"unknown option field "tokenSecrett" (did you mean "tokenSecret"?)"#,
    );
    for server in [false, true] {
        for new_user in [false, true] {
            assert_eq!(build(server, &options, new_user).unwrap_err(), want);
        }
    }
    assert_eq!(
        read(&sign_once_packet(&once_packet(
            true,
            0,
            &options,
            &get_users()
        ))),
        want
    );

    // No suggestion when nothing is close; the name shown safely; UTF-16 key lengths.
    for (key, message) in [
        ("headers", r#"unknown request field "headers""#),
        (
            "Method",
            r#"unknown request field "Method" (did you mean "method"?)"#,
        ),
        ("a\nb\u{1}", r#"unknown request field "a?b?""#),
        ("quéry", r#"unknown request field "quéry""#),
        ("😀", r#"unknown request field "😀""#),
        ("", r#"unknown request field """#),
    ] {
        assert_eq!(
            sign_js(&signer, &get_users().with(key, Js::s("x"))),
            error("INVALID_OPTIONS", message),
            "{key:?}"
        );
    }
    let long = "k".repeat(70);
    assert_eq!(
        build(true, &user_options().with(&long, Js::Bool(true)), false).unwrap_err(),
        error(
            "INVALID_OPTIONS",
            &format!("unknown option field \"{}…\"", "k".repeat(64))
        )
    );
    assert_eq!(
        build(
            true,
            &user_options().with("consumer_key", Js::s("x")),
            false
        )
        .unwrap_err(),
        error(
            "INVALID_OPTIONS",
            r#"unknown option field "consumer_key" (did you mean "consumerKey"?)"#
        )
    );

    // Every known field at once is accepted.
    let all = get_users()
        .with("query", Js::object([("a", Js::s("1"))]))
        .with("method", Js::s("POST"))
        .with("body", Js::s("b=2"))
        .with("contentType", Js::s("application/x-www-form-urlencoded"))
        .with("placement", Js::s("body"))
        .with("realm", Js::s("R"))
        .with("includeVersion", Js::Bool(false));
    assert!(matches!(sign_js(&signer, &all), Answer::Signed(_)));
    let all_options = user_options()
        .with("realm", Js::s("R"))
        .with("placement", Js::s("query"))
        .with("clockOffset", Js::n("-5"))
        .with("twoLegged", Js::Bool(false));
    let s = build(false, &all_options, false).expect("every option field");
    assert_eq!((s.placement(), s.clock_offset()), (Placement::Query, -5));
}

#[test]
fn values_of_the_wrong_type_are_refused() {
    let signer = user_signer();
    let cases: Vec<(&str, Js, &str)> = vec![
        ("string timestamp", Js::s("1191242096"), "INVALID_TIMESTAMP"),
        ("boolean timestamp", Js::Bool(true), "INVALID_TIMESTAMP"),
        ("fraction timestamp", Js::n("1.5"), "INVALID_TIMESTAMP"),
        ("negative timestamp", Js::n("-1"), "INVALID_TIMESTAMP"),
        ("NaN timestamp", Js::n("NaN"), "INVALID_TIMESTAMP"),
        ("exponent timestamp", Js::n("1e+21"), "INVALID_TIMESTAMP"),
        ("Infinity timestamp", Js::n("Infinity"), "INVALID_TIMESTAMP"),
        (
            "2^53 timestamp",
            Js::n("9007199254740992"),
            "INVALID_TIMESTAMP",
        ),
        ("object timestamp", Js::object([]), "INVALID_TIMESTAMP"),
    ];
    for (what, value, code) in cases {
        let answer = sign_js(&signer, &get_users().with("timestamp", value));
        assert_eq!(answer.code(), Some(code), "{what}: {answer:?}");
    }
    let field_cases: Vec<(&str, Js, &str)> = vec![
        ("nonce", Js::n("42"), "INVALID_NONCE"),
        ("nonce", Js::Bool(false), "INVALID_NONCE"),
        ("nonce", Js::s(""), "INVALID_NONCE"),
        ("nonce", Js::s(&"x".repeat(257)), "INVALID_NONCE"),
        ("placement", Js::Bool(true), "INVALID_PLACEMENT"),
        ("placement", Js::s("Header"), "INVALID_PLACEMENT"),
        ("placement", Js::n("1"), "INVALID_PLACEMENT"),
        ("method", Js::n("1"), "INVALID_METHOD"),
        ("method", Js::s(""), "INVALID_METHOD"),
        ("method", Js::Absent, "INVALID_METHOD"),
        ("method", Js::s("GE T"), "INVALID_METHOD"),
        ("url", Js::n("1"), "INVALID_URL"),
        ("url", Js::Absent, "INVALID_URL"),
        ("url", Js::Params("a=b".to_owned()), "INVALID_URL"),
        ("url", Js::s("ftp://h/"), "INVALID_URL"),
        ("query", Js::Other, "INVALID_OPTIONS"),
        ("query", Js::s("a=b"), "INVALID_OPTIONS"),
        ("query", Js::Array(vec![Js::s("a")]), "INVALID_OPTIONS"),
        ("query", Js::Url("https://h/".to_owned()), "INVALID_OPTIONS"),
        (
            "query",
            Js::object([("a", Js::object([]))]),
            "INVALID_OPTIONS",
        ),
        (
            "query",
            Js::object([("a", Js::n("NaN"))]),
            "INVALID_OPTIONS",
        ),
        (
            "query",
            Js::object([("a", Js::n("-Infinity"))]),
            "INVALID_OPTIONS",
        ),
        ("query", Js::object([("a", Js::Other)]), "INVALID_OPTIONS"),
        (
            "query",
            Js::object([("a", Js::Unreadable)]),
            "INVALID_OPTIONS",
        ),
        (
            "query",
            Js::object([("a", Js::Array(vec![Js::Array(vec![])]))]),
            "INVALID_OPTIONS",
        ),
        (
            "query",
            Js::object([("a", Js::Array(vec![Js::Absent]))]),
            "INVALID_OPTIONS",
        ),
        ("contentType", Js::n("1"), "INVALID_BODY"),
        ("realm", Js::n("1"), "INVALID_OPTIONS"),
        ("realm", Js::s("é"), "INVALID_OPTIONS"),
        ("includeVersion", Js::s("false"), "INVALID_OPTIONS"),
        ("includeVersion", Js::n("0"), "INVALID_OPTIONS"),
        ("method", Js::Unreadable, "INVALID_OPTIONS"),
        ("url", Js::Unreadable, "INVALID_OPTIONS"),
        ("nonce", Js::Unreadable, "INVALID_OPTIONS"),
    ];
    for (field, value, code) in field_cases {
        let answer = sign_js(&signer, &get_users().with(field, value.clone()));
        assert_eq!(answer.code(), Some(code), "{field} = {value:?}: {answer:?}");
    }
    // Bodies go on a POST.
    let post = get_users().with("method", Js::s("POST"));
    for value in [
        Js::Other,
        Js::n("1"),
        Js::Bool(true),
        Js::Array(vec![]),
        Js::Url("https://h/".to_owned()),
        Js::object([("a", Js::n("Infinity"))]),
        Js::object([("a", Js::object([]))]),
    ] {
        let answer = sign_js(&signer, &post.clone().with("body", value.clone()));
        assert_eq!(answer.code(), Some("INVALID_BODY"), "body = {value:?}");
    }
    let unreadable_body = sign_js(&signer, &post.clone().with("body", Js::Unreadable));
    assert_eq!(unreadable_body.code(), Some("INVALID_OPTIONS"));
    // A getter that throws inside a query or a body: that field's code, and said so.
    assert_eq!(
        sign_js(
            &signer,
            &get_users().with("query", Js::object([("a", Js::Unreadable)]))
        ),
        error(
            "INVALID_OPTIONS",
            "query could not be read: a getter or Proxy trap threw"
        )
    );
    assert_eq!(
        sign_js(
            &signer,
            &post
                .clone()
                .with("body", Js::object([("a", Js::Unreadable)]))
        ),
        error(
            "INVALID_BODY",
            "body could not be read: a getter or Proxy trap threw"
        )
    );

    // The request itself.
    for request in [Js::s("GET"), Js::Absent, Js::Other, Js::Array(vec![])] {
        assert_eq!(
            sign_js(&signer, &request).code(),
            Some("INVALID_OPTIONS"),
            "{request:?}"
        );
    }
    assert_eq!(
        sign_js(&signer, &Js::Unreadable),
        error(
            "INVALID_OPTIONS",
            "request could not be read: a getter or Proxy trap threw"
        )
    );

    // Options.
    let option_cases: Vec<(&str, Js, &str)> = vec![
        ("consumerKey", Js::n("1"), "INVALID_OPTIONS"),
        ("consumerKey", Js::s(""), "INVALID_OPTIONS"),
        ("consumerSecret", Js::Bool(true), "INVALID_OPTIONS"),
        ("consumerSecret", Js::Absent, "INVALID_OPTIONS"),
        ("token", Js::n("1"), "INVALID_OPTIONS"),
        ("tokenSecret", Js::Other, "INVALID_OPTIONS"),
        ("token", Js::Absent, "THREE_LEGGED_REQUIRED"),
        ("tokenSecret", Js::s(""), "THREE_LEGGED_REQUIRED"),
        ("twoLegged", Js::s("true"), "INVALID_OPTIONS"),
        ("realm", Js::n("1"), "INVALID_OPTIONS"),
        ("placement", Js::Bool(true), "INVALID_PLACEMENT"),
        ("placement", Js::s("cookie"), "INVALID_PLACEMENT"),
        ("clockOffset", Js::s("1"), "INVALID_OPTIONS"),
        ("clockOffset", Js::n("1.5"), "INVALID_OPTIONS"),
        ("clockOffset", Js::n("NaN"), "INVALID_OPTIONS"),
        ("clockOffset", Js::n("316224001"), "INVALID_OPTIONS"),
        ("clockOffset", Js::n("-316224001"), "INVALID_OPTIONS"),
        ("clockOffset", Js::n("1e+21"), "INVALID_OPTIONS"),
        ("consumerKey", Js::Unreadable, "INVALID_OPTIONS"),
    ];
    for (field, value, code) in option_cases {
        let answer = build(false, &user_options().with(field, value.clone()), false);
        assert_eq!(
            answer.err().as_ref().and_then(Answer::code),
            Some(code),
            "{field} = {value:?}"
        );
    }
    for options in [Js::s("ck"), Js::Absent, Js::Other, Js::Array(vec![])] {
        let answer = build(true, &options, false).err();
        assert_eq!(
            answer.as_ref().and_then(Answer::code),
            Some("INVALID_OPTIONS")
        );
    }
    assert_eq!(
        build(true, &Js::Unreadable, false).err(),
        Some(error(
            "INVALID_OPTIONS",
            "options could not be read: a getter or Proxy trap threw"
        ))
    );
}

#[test]
fn lone_surrogates_are_invalid_encoding() {
    let signer = user_signer();
    let l = |packet: String| format!("L{}", packet.strip_prefix('W').expect("starts with W"));
    let want = Some("INVALID_ENCODING");
    let answer = read(&sign_packet(
        &signer,
        &mut NoncePool::default(),
        &l(request_packet(0, &get_users())),
    ));
    assert_eq!(answer.code(), want);
    let answer = signer_from_packet(&l(options_packet(true, &user_options())), false);
    assert_eq!(
        answer
            .err()
            .map(|e| read(&e))
            .as_ref()
            .and_then(Answer::code),
        want
    );
    let answer = read(&sign_once_packet(&l(once_packet(
        true,
        0,
        &user_options(),
        &get_users(),
    ))));
    assert_eq!(answer.code(), want);
}

/// Signs `request` natively and through a request packet (and a one-call packet), and checks
/// that the answers are the same, read by their UTF-16 lengths.
fn same_as_native(
    options: &SignerOptions<'_>,
    request: &Request<'_>,
    nonce: &str,
    request_as_js: &Js,
) -> Answer {
    let native = Signer::new(options, Runtime::Browser).expect("a signer");
    let expected = Answer::of(&native.sign(request, nonce, 1_500_000_000));
    let signer = build(false, &options_js(options), false).expect("a signer from a packet");
    let answer = sign_js(&signer, request_as_js);
    assert_eq!(answer, expected, "{request_as_js:?}");
    let once = read(&sign_once_packet(&once_packet(
        false,
        0,
        &options_js(options),
        request_as_js,
    )));
    assert_eq!(once, expected, "{request_as_js:?} in one call");
    answer
}

#[test]
fn answers_decode_by_utf16_lengths_to_the_native_result() {
    let options = SignerOptions {
        consumer_key: "ckü😀",
        consumer_secret: "cs€",
        token: Some("tök😀\u{1}"),
        token_secret: Some("ts"),
        ..SignerOptions::default()
    };
    let json = "{\"name\":\"Zoë 😀\",\"x\":\"\u{1}\u{2}\"}";
    let form = "a=é😀&b=%C3%A9+x";
    let pairs = [("é", "😀 x"), ("a", "\u{1}")];
    let nonce = "ñ😀\u{1},";
    let cases: Vec<(Request<'_>, &str)> = vec![
        (
            Request {
                body: Body::Text(json),
                content_type: Some("application/jsön; 😀"),
                ..Request::new("put", "https://api.context.io/lite/users/Zoë/x?q=é😀")
            },
            "header, JSON body",
        ),
        (
            Request {
                body: Body::Text(form),
                content_type: Some("application/x-www-form-urlencoded; charset=ütf-8"),
                placement: Some(Placement::Body),
                ..Request::new("POST", "https://api.context.io/lite/users/u1/webhooks")
            },
            "body placement, form text",
        ),
        (
            Request {
                body: Body::Form(form),
                placement: Some(Placement::Query),
                realm: Some("Example"),
                include_version: false,
                ..Request::new("POST", "https://api.context.io/lite/users")
            },
            "query placement, URLSearchParams body",
        ),
        (
            Request {
                body: Body::Pairs(&pairs),
                query: &[("q", "é😀"), ("r", "")],
                ..Request::new("PATCH", "https://api.context.io/lite/users/u1")
            },
            "pairs body and query",
        ),
        (
            Request {
                body: Body::Text(""),
                content_type: Some("text/plain"),
                ..Request::new("DELETE", "https://api.context.io/lite/users/u1")
            },
            "empty body",
        ),
    ];
    for (request, what) in &cases {
        let answer = same_as_native(
            &options,
            request,
            nonce,
            &request_js(request, Some(nonce), Some(1_500_000_000)),
        );
        let signed = answer.signed();
        assert_eq!(signed.oauth("oauth_consumer_key"), Some("ckü😀"), "{what}");
        assert_eq!(signed.oauth("oauth_nonce"), Some(nonce), "{what}");
        assert_eq!(signed.oauth("oauth_token"), Some("tök😀\u{1}"), "{what}");
        assert_eq!(
            signed.oauth("oauth_version"),
            request.include_version.then_some("1.0"),
            "{what}"
        );
    }
    // The caller's text comes back as it was given.
    let signed = sign_js(
        &build(false, &options_js(&options), false).unwrap(),
        &request_js(&cases[0].0, Some(nonce), Some(1)),
    )
    .signed();
    assert_eq!(signed.body.as_deref(), Some(json));
    assert_eq!(signed.content_type.as_deref(), Some("application/jsön; 😀"));
    assert_eq!(signed.method, "PUT");

    // 2-legged: no token in the answer.
    let two = SignerOptions {
        consumer_key: "ck",
        consumer_secret: "cs",
        two_legged: true,
        ..SignerOptions::default()
    };
    let request = Request::new(
        "GET",
        "https://api.context.io/lite/users?email=a%2Bb%40example.com",
    );
    let signer = build(true, &options_js(&two), false).expect("2-legged in a server");
    assert_eq!(signer.mode(), Mode::TwoLegged);
    let answer = sign_js(
        &signer,
        &request_js(&request, Some("n0nce"), Some(1_500_000_000)),
    );
    let direct = Signer::new(&two, Runtime::Server)
        .unwrap()
        .sign(&request, "n0nce", 1_500_000_000);
    assert_eq!(answer, Answer::of(&direct));
    // The published contextio-2legged-plus-at vector.
    assert_eq!(answer.signed().signature, "ARvECIFfxaI6QhYdfmq/PlpFMUY=");
}

#[test]
fn query_and_body_values_as_javascript_writes_them() {
    let signer = user_signer();
    let native = native_user_signer();
    // URLSearchParams query: its pairs, decoded, appended as any query is.
    let request = get_users()
        .with("query", Js::Params("a=1+2&b=%C3%A9&&c".to_owned()))
        .with("method", Js::s("POST"))
        // A plain object body: arrays repeat the name, numbers and booleans are their text,
        // null and undefined are left out.
        .with(
            "body",
            Js::object([
                (
                    "k",
                    Js::Array(vec![Js::s("z"), Js::n("1.5"), Js::Bool(true)]),
                ),
                ("skip", Js::Absent),
                ("n", Js::n("-0.25")),
                ("f", Js::Bool(false)),
            ]),
        )
        .with(
            "url",
            Js::Url("https://api.context.io/lite/users?x=1".to_owned()),
        );
    let expected = native.sign(
        &Request {
            query: &[("a", "1 2"), ("b", "é"), ("c", "")],
            body: Body::Pairs(&[
                ("k", "z"),
                ("k", "1.5"),
                ("k", "true"),
                ("n", "-0.25"),
                ("f", "false"),
            ]),
            ..Request::new("POST", "https://api.context.io/lite/users?x=1")
        },
        "n",
        1,
    );
    assert_eq!(sign_js(&signer, &request), Answer::of(&expected));
    // A URLSearchParams body is sent as it is and signed as a form.
    let request = get_users()
        .with("method", Js::s("POST"))
        .with("body", Js::Params("a=1+2&b=%C3%A9".to_owned()));
    let expected = native.sign(
        &Request {
            body: Body::Form("a=1+2&b=%C3%A9"),
            ..Request::new("POST", "https://api.context.io/lite/users")
        },
        "n",
        1,
    );
    assert_eq!(sign_js(&signer, &request), Answer::of(&expected));
    // A URLSearchParams query that does not decode.
    let bad = get_users().with("query", Js::Params("a=%zz".to_owned()));
    assert_eq!(sign_js(&signer, &bad).code(), Some("INVALID_ENCODING"));
}

#[test]
fn default_nonces_come_from_the_pool_and_refusals_keep_them() {
    let signer = user_signer();
    let fills = Cell::new(0);
    let (mut pool, nonces) = common::pool::primed(&fills);
    let no_nonce = get_users().without("nonce");
    for refused in [
        no_nonce.clone().with("url", Js::s("ftp://h/")),
        no_nonce.clone().with("qurey", Js::object([])),
        no_nonce
            .clone()
            .with("timestamp", Js::n("9007199254740992")),
        no_nonce.clone().without("timestamp"),
        no_nonce.clone().with("method", Js::s("")),
        no_nonce.clone().with("body", Js::s("x")),
    ] {
        // The last but one is refused by its clock reading (-1 ms: before the epoch).
        let answer = read(&sign_packet(
            &signer,
            &mut pool,
            &request_packet(-1, &refused),
        ));
        assert!(answer.code().is_some(), "{refused:?} signed");
    }
    // A nonce given is used as given and draws nothing.
    let given = read(&sign_packet(
        &signer,
        &mut pool,
        &request_packet(0, &get_users()),
    ));
    assert_eq!(given.signed().oauth("oauth_nonce"), Some("n"));
    let drawn = read(&sign_packet(
        &signer,
        &mut pool,
        &request_packet(0, &no_nonce),
    ))
    .signed();
    assert_eq!(drawn.oauth("oauth_nonce"), Some(nonces[1].as_str()));
    assert_eq!(
        Answer::Signed(Box::new(drawn)),
        Answer::of(&native_user_signer().sign(
            &Request::new("GET", "https://api.context.io/lite/users"),
            &nonces[1],
            1
        ))
    );
    // The other 30 nonces of the batch are left: the generator is not asked again before.
    for expected in &nonces[2..] {
        assert_eq!(
            &pool.next_with(|_| panic!("refilled early")).unwrap(),
            expected
        );
    }
    assert_eq!(fills.get(), 1);
    let mut refilled = false;
    pool.next_with(|b| {
        refilled = true;
        b.fill(0);
        Ok(())
    })
    .unwrap();
    assert!(refilled, "the batch had more than 32 nonces");
    // The one-call packet draws a fresh nonce each time.
    let once = || {
        read(&sign_once_packet(&once_packet(
            false,
            0,
            &user_options(),
            &no_nonce.clone().with("timestamp", Js::n("1")),
        )))
        .signed()
        .oauth("oauth_nonce")
        .unwrap()
        .to_owned()
    };
    let (a, b) = (once(), once());
    assert_ne!(a, b);
    for n in [a, b] {
        assert_eq!(n.len(), 24);
        assert!(
            n.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'),
            "{n}"
        );
    }
    // nonce_from_bytes is the same base64url.
    let bytes: [u8; NONCE_BYTES] = std::array::from_fn(|i| (i * 29) as u8);
    assert_eq!(nonce_from_bytes(&bytes), common::pool::base64url(&bytes));
}

#[test]
fn default_timestamps_come_from_the_clock_reading() {
    let no_timestamp = get_users().without("timestamp");
    for (clock_ms, offset, expected) in [
        (1_500_000_000_999_i64, 0_i64, Some(1_500_000_000_u64)),
        (1_500_000_000_999, -100, Some(1_499_999_900)),
        (0, 0, Some(0)),
        (999, 0, Some(0)),
        (-1, 0, None),
        (-1, 10, Some(9)),
        (-1000, 1, Some(0)),
        (-1001, 1, None),
        (-1_000_000, 316_224_000, Some(316_223_000)),
        (
            9_007_199_254_740_991,
            316_224_000,
            Some(9_007_199_254_740 + 316_224_000),
        ),
        (-9_007_199_254_740_991, -316_224_000, None),
    ] {
        let options = user_options().with("clockOffset", Js::n(&offset.to_string()));
        let signer = build(false, &options, false).expect("a signer");
        let answer = read(&sign_packet(
            &signer,
            &mut NoncePool::default(),
            &request_packet(clock_ms, &no_timestamp),
        ));
        match expected {
            Some(t) => assert_eq!(
                answer.signed().oauth("oauth_timestamp"),
                Some(t.to_string().as_str()),
                "clock {clock_ms} offset {offset}"
            ),
            None => assert_eq!(
                answer.code(),
                Some("INVALID_TIMESTAMP"),
                "clock {clock_ms} offset {offset}"
            ),
        }
        // A timestamp given wins over any clock reading.
        let answer = read(&sign_packet(
            &signer,
            &mut NoncePool::default(),
            &request_packet(clock_ms, &get_users().with("timestamp", Js::n("5"))),
        ));
        assert_eq!(answer.signed().oauth("oauth_timestamp"), Some("5"));
    }
    // The largest timestamp.
    let answer = sign_js(
        &user_signer(),
        &get_users().with("timestamp", Js::n(&MAX_TIMESTAMP.to_string())),
    );
    assert_eq!(
        answer.signed().oauth("oauth_timestamp"),
        Some("9007199254740991")
    );
    // The clock is a number as JavaScript writes one; any other text is malformed.
    let malformed = malformed();
    let signer = user_signer();
    for clock in ["", "-", "+1", "--1", "1.", ".5", "1e", "1x", "nan"] {
        let packet = format!("W{clock};{}", get_users().packed());
        assert_eq!(
            read(&sign_packet(&signer, &mut NoncePool::default(), &packet)),
            malformed,
            "{packet:?}"
        );
    }
    // A mocked clock: a fraction of a millisecond is floored; a number that is no whole count
    // of milliseconds is refused only when the default timestamp needs it.
    let at = |clock: &str, request: &Js| {
        let packet = format!("W{clock};{}", request.packed());
        read(&sign_packet(&signer, &mut NoncePool::default(), &packet))
    };
    // (-0.5 ms floors to -1 ms: before the epoch, so no timestamp.)
    for (clock, expected) in [("1999.5", Some("1")), ("0.75", Some("0")), ("-0.5", None)] {
        let answer = at(clock, &no_timestamp);
        match expected {
            Some(t) => assert_eq!(answer.signed().oauth("oauth_timestamp"), Some(t), "{clock}"),
            None => assert_eq!(answer.code(), Some("INVALID_TIMESTAMP"), "{clock}"),
        }
    }
    for clock in [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e21",
        "1.5e3",
        "99999999999999999999",
    ] {
        assert_eq!(
            at(clock, &no_timestamp).code(),
            Some("INVALID_TIMESTAMP"),
            "{clock} without a timestamp"
        );
        assert_eq!(
            at(clock, &get_users()).signed().oauth("oauth_timestamp"),
            Some("1"),
            "{clock} with a timestamp"
        );
    }
}

#[test]
fn runtime_and_new_user_rules_hold_through_packets() {
    let consumer = Js::object([
        ("consumerKey", Js::s("ck")),
        ("consumerSecret", Js::s("cs")),
    ]);
    let two = consumer.clone().with("twoLegged", Js::Bool(true));
    assert_eq!(
        build(false, &two, false)
            .err()
            .as_ref()
            .and_then(Answer::code),
        Some("TWO_LEGGED_FORBIDDEN")
    );
    assert_eq!(build(true, &two, false).unwrap().mode(), Mode::TwoLegged);
    for server in [false, true] {
        assert_eq!(
            build(server, &consumer, false)
                .err()
                .as_ref()
                .and_then(Answer::code),
            Some("THREE_LEGGED_REQUIRED")
        );
        assert_eq!(
            build(server, &user_options(), true)
                .err()
                .as_ref()
                .and_then(Answer::code),
            Some("INVALID_OPTIONS")
        );
        assert_eq!(
            build(server, &two, true)
                .err()
                .as_ref()
                .and_then(Answer::code),
            Some("INVALID_OPTIONS")
        );
        let new_user = build(server, &consumer, true).expect("forNewUser");
        assert_eq!(new_user.mode(), Mode::NewUser);
        assert_eq!(
            sign_js(&new_user, &get_users()),
            Answer::error(&Error::OutOfScope)
        );
        let add = get_users()
            .with("method", Js::s("POST"))
            .with("body", Js::object([("email", Js::s("a@example.com"))]));
        assert!(matches!(sign_js(&new_user, &add), Answer::Signed(_)));
    }
    // The one-call packet builds as new Signer does.
    assert_eq!(
        read(&sign_once_packet(&once_packet(
            false,
            0,
            &two,
            &get_users()
        )))
        .code(),
        Some("TWO_LEGGED_FORBIDDEN")
    );
    assert!(matches!(
        read(&sign_once_packet(&once_packet(true, 0, &two, &get_users()))),
        Answer::Signed(_)
    ));
    // The clock offset's bounds.
    for (offset, ok) in [
        ("316224000", true),
        ("-316224000", true),
        ("316224001", false),
        ("-316224001", false),
        ("9007199254740991", false),
    ] {
        let built = build(
            false,
            &user_options().with("clockOffset", Js::n(offset)),
            false,
        );
        assert_eq!(built.is_ok(), ok, "clockOffset {offset}");
    }
}

/// Valid packets of each entry point, for the malformed and mutated ones.
fn valid_packets() -> Vec<String> {
    vec![
        options_packet(true, &user_options()),
        request_packet(1_500_000_000_000, &get_users()),
        once_packet(
            false,
            -1,
            &user_options().with("realm", Js::s("R")),
            &get_users()
                .with("method", Js::s("POST"))
                .with(
                    "body",
                    Js::object([("é", Js::Array(vec![Js::s("😀"), Js::n("1")]))]),
                )
                .with("query", Js::Params("a=b".to_owned())),
        ),
    ]
}

/// Each entry point's answer to `packet`, read; `signer_from_packet`'s a signer's summary.
fn answers(packet: &str) -> Vec<Result<Answer, String>> {
    let mut out = vec![
        Ok(read(&sign_packet(
            &user_signer(),
            &mut NoncePool::default(),
            packet,
        ))),
        Ok(read(&sign_once_packet(packet))),
    ];
    for new_user in [false, true] {
        out.push(match signer_from_packet(packet, new_user) {
            Ok(s) => Err(s.summary()),
            Err(e) => Ok(read(&e)),
        });
    }
    out
}

#[test]
fn malformed_packets_are_an_internal_error_never_a_panic() {
    let malformed = malformed();
    let mut packets: Vec<String> = [
        "",
        "W",
        "X",
        "\0",
        "\u{1}",
        "\u{2}",
        "w0;o0:",
        "WS",
        "WSo",
        "WSo1",
        "WSo1:",
        "WSo1:11:consumerKey",
        "WSo-1:",
        "WSo99999999999999999999999:",
        "WSo1:3:keys99999999999999999999999:x",
        "WSo1:99:consumerKeys2:ck",
        "WSo1:11:consumerKeys99:ck",
        "WSo1:11:consumerKeys2x:ck",
        "WSo1:11:consumerKeyq2:ck",
        "WSo1:11:consumerKeyn12",
        "WSo1:11:consumerKeys1:😀",
        "WSo1:11:consumerKeys3:😀",
        "WSo1:11:consumerKeya1:",
        "WXo0:",
        "W0;",
        "W0;o1:6:method",
        "W0;o1:6:methods3:GE",
        "W0;a2:t",
        "WS0;",
        "garbage",
        "W😀;o0:",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    // Records whose length in UTF-16 units runs past the packet, or cuts their last entry.
    let options = options_packet(true, &user_options());
    let record = |packed: &str| {
        let len = packed.split(':').nth(1).expect("o count : len :");
        len.parse::<usize>().expect("a length")
    };
    let len = record(options.strip_prefix("WS").expect("an options packet"));
    for wrong in [len - 1, len + 1, 999_999] {
        let packet = options.replacen(&format!("o4:{len}:"), &format!("o4:{wrong}:"), 1);
        assert_ne!(packet, options);
        packets.push(packet);
    }
    let with_array = request_packet(
        0,
        &get_users().with(
            "query",
            Js::object([("q", Js::Array(vec![Js::s("a😀"), Js::s("b")]))]),
        ),
    );
    let array = with_array
        .split_once("a2:")
        .map(|(_, rest)| record(&format!("a2:{rest}")))
        .expect("an array of 2");
    for wrong in [array - 1, array + 1, array - 3] {
        let packet = with_array.replacen(&format!("a2:{array}:"), &format!("a2:{wrong}:"), 1);
        assert_ne!(packet, with_array);
        packets.push(packet);
    }
    // Every strict prefix of a valid packet is cut short somewhere.
    for valid in valid_packets() {
        for (i, _) in valid.char_indices() {
            packets.push(valid[..i].to_owned());
        }
    }
    for packet in &packets {
        for answer in answers(packet) {
            assert_eq!(answer, Ok(malformed.clone()), "{packet:?}");
        }
    }
}

/// A packet is one value (or two, for one call) and nothing after it, and an object or array
/// holds exactly its count of entries: text left over means the JavaScript module and the wasm
/// build disagree about the format, or a length or count was wrong (a string's length one
/// short reads a shorter string and leaves a character over). Either way the packet must be
/// refused as malformed, not signed with a different value.
#[test]
fn text_after_the_last_value_is_malformed() {
    let malformed = malformed();
    let options = options_packet(true, &user_options());
    let short = options.replacen("tokenSecrets2:ts", "tokenSecrets1:ts", 1);
    assert_ne!(short, options);
    // An object's count one short: its last entry, here the query, is left over unread, and
    // the request would be signed without the filter (issue 12's failure, by a packing error).
    let with_query = request_packet(
        0,
        &get_users().with("query", Js::object([("email", Js::s("alice@example.com"))])),
    );
    let count_short = with_query.replacen("o5:", "o4:", 1);
    assert_ne!(count_short, with_query);
    for packet in [
        format!("{options}x"),
        format!("{}o0:0:", request_packet(0, &get_users())),
        format!("{}z", once_packet(true, 0, &user_options(), &get_users())),
        short,
        count_short,
    ] {
        for answer in answers(&packet) {
            assert_eq!(answer, Ok(malformed.clone()), "{packet:?}");
        }
    }
}

/// Strings in a packet's alphabet, and valid packets with a few characters inserted, replaced
/// or removed.
fn packet_like() -> impl Strategy<Value = String> {
    let edits = proptest::collection::vec(
        (
            any::<prop::sample::Index>(),
            0..3u8,
            "[WLSBsntfzupoax!0-9:;,é😀\u{1}-]{0,3}",
        ),
        1..4,
    );
    let mutated = (any::<prop::sample::Index>(), edits).prop_map(|(which, edits)| {
        let packets = valid_packets();
        let mut chars: Vec<char> = which.get(&packets).chars().collect();
        for (at, op, text) in edits {
            let i = at.index(chars.len() + 1);
            match op {
                0 => {
                    chars.splice(i..i, text.chars());
                }
                1 if i < chars.len() => {
                    chars.splice(i..i + 1, text.chars());
                }
                _ if i < chars.len() => {
                    chars.remove(i);
                }
                _ => {}
            }
        }
        chars.into_iter().collect::<String>()
    });
    prop_oneof![".*", "[WLSB]?[WLSB0-9;:o1-3sntfzupax!é😀-]{0,40}", mutated,]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Any text fed to the three entry points gets a well-formed answer and never a panic: an
    /// error packet (`\0`, a known code, `\u{1}`, a message) or a signed request whose lengths
    /// all lie within its text.
    #[test]
    fn any_text_gets_a_well_formed_answer(text in packet_like()) {
        packets::every_entry(&text);
    }
}

#[test]
fn hidden_properties_are_fields_when_known_and_ignored_otherwise() {
    let signer = user_signer();
    let plain = sign_js(&signer, &get_users());
    assert!(matches!(plain, Answer::Signed(_)), "{plain:?}");
    // Every field of the request given as a class getter or an inherited property.
    let hidden = Js::object([
        ("method", Js::Hidden(Box::new(Js::s("GET")))),
        (
            "url",
            Js::Hidden(Box::new(Js::s("https://api.context.io/lite/users"))),
        ),
        ("nonce", Js::Hidden(Box::new(Js::s("n")))),
        ("timestamp", Js::Hidden(Box::new(Js::n("1")))),
    ]);
    assert_eq!(sign_js(&signer, &hidden), plain);
    // A class's other members (methods, unknown getters) are not fields and not refused.
    let with_methods = get_users()
        .with("toJSON", Js::Hidden(Box::new(Js::Other)))
        .with("qurey", Js::Hidden(Box::new(Js::object([]))))
        .with("broken", Js::Hidden(Box::new(Js::Unreadable)));
    assert_eq!(sign_js(&signer, &with_methods), plain);
    // A known field that is hidden is checked like any other.
    let bad = get_users().with("timestamp", Js::Hidden(Box::new(Js::s("1"))));
    assert_eq!(sign_js(&signer, &bad).code(), Some("INVALID_TIMESTAMP"));
    let throws = get_users().with("url", Js::Hidden(Box::new(Js::Unreadable)));
    assert_eq!(
        sign_js(&signer, &throws),
        error(
            "INVALID_OPTIONS",
            "request could not be read: a getter or Proxy trap threw"
        )
    );
    // Options too: a token from a getter makes a 3-legged signer.
    let options = user_options().with("tokenSecret", Js::Hidden(Box::new(Js::s("ts"))));
    let from_getter = build(false, &options, false).expect("a signer from a getter");
    assert_eq!(sign_js(&from_getter, &get_users()), plain);
    // The JavaScript side marks only the options' and the request's own properties: a mark
    // inside a query, a body or an array is a malformed packet.
    for inside in [
        get_users().with(
            "query",
            Js::object([("a", Js::Hidden(Box::new(Js::s("b"))))]),
        ),
        get_users().with(
            "query",
            Js::object([("a", Js::Array(vec![Js::Hidden(Box::new(Js::s("b")))]))]),
        ),
    ] {
        assert_eq!(sign_js(&signer, &inside), malformed(), "{inside:?}");
    }
}

#[test]
fn a_packet_over_the_limit_is_too_large_without_being_read() {
    let signer = user_signer();
    let too_large = error(
        "INVALID_BODY",
        "the request is too large to sign: the options and the request (url, query, body, ...) may hold 4,194,304 characters in all",
    );
    // What the JavaScript side sends for a request over the limit: `T` and nothing else.
    let mut pool = NoncePool::default();
    assert_eq!(read(&sign_packet(&signer, &mut pool, "T")), too_large);
    assert_eq!(read(&sign_once_packet("T")), too_large);
    assert_eq!(
        signer_from_packet("T", false).map_err(|e| read(&e)).err(),
        Some(too_large.clone())
    );
    // A caller of the binding that sends the text anyway gets the same answer.
    let body = "x".repeat(13 << 20);
    let huge = get_users()
        .with("method", Js::s("POST"))
        .with("body", Js::Str(body));
    assert_eq!(sign_js(&signer, &huge), too_large);
    // Just under the limit signs.
    let under = get_users()
        .with("method", Js::s("POST"))
        .with("body", Js::Str("x".repeat((4 << 20) - 200)));
    assert!(matches!(sign_js(&signer, &under), Answer::Signed(_)));
}
