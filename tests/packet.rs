//! Tier 1: the wasm binding's packets (`src/binding/packet.rs`), natively, through
//! `contextio_signer::internals` (`cargo test --features internals`). Packets are written as
//! the JavaScript front writes them, by the few lines of `PacketCase` in the fuzz targets'
//! checks (`fuzz/fuzz_targets/checks.rs`), and every answer is compared with the same call
//! made on the Rust API (`checks::packet_case`): the reader converts, the core decides.
//! Expected signatures come from the published vectors only.
//!
//! The JavaScript value rules (types, unknown fields, safe integers, lone surrogates, the size
//! limit) are the front's, tested at tiers 2 and 3 (`tests/support/api-checks.js`); here, that
//! the front throws the Rust codes.
// Native only: these tests read files.
#![cfg(not(target_arch = "wasm32"))]
#![cfg(feature = "internals")]

#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;
mod common;
#[path = "../fuzz/fuzz_targets/refs.rs"]
mod refs;

use arbitrary::{Arbitrary, Unstructured};
use checks::{packet_case, packet_text, Answer, Entry, Int, MethodName, PacketCase, Params, Place};
use contextio_signer::internals::{sign_once_packet, sign_packet, signer_from_packet};
use contextio_signer::{
    Body, Error, NoncePool, Placement, Request, Runtime, Signer, SignerOptions, MAX_CLOCK_OFFSET,
    MAX_NONCE_LEN, MAX_TIMESTAMP,
};
use proptest::prelude::*;
use std::cell::Cell;
use std::collections::BTreeSet;

/// The answer to a packet the reader cannot read.
fn malformed() -> Answer {
    let answer = Answer::read(&sign_once_packet("")).expect("an answer");
    assert!(answer.is_malformed(), "{answer:?}");
    answer
}

/// A 3-legged `GET` of the users, nonce `n`, timestamp 1, clock reading 0, as `entry`.
fn get_users<'a>(entry: Entry) -> PacketCase<'a> {
    PacketCase::of(
        entry,
        Runtime::Browser,
        &common::user_options(),
        &Request::new("GET", "https://api.context.io/lite/users"),
        Some("n"),
        Some(1),
        0,
    )
}

#[test]
fn published_vectors_sign_the_same_through_packets() {
    for v in common::vectors() {
        let what = common::describe(&v);
        let options = common::options(&v);
        let request = common::request(&v, &[]);
        let (nonce, timestamp) = (common::nonce(&v), common::timestamp(&v));
        let native =
            Signer::new(&options, Runtime::Server).and_then(|s| s.sign(&request, nonce, timestamp));
        let expected = Answer::of(&native, common::field(&v, "body"), false);
        for entry in [Entry::Signer, Entry::Once] {
            // A clock reading that would be refused: it is not read when the timestamp is given.
            let case = PacketCase::of(
                entry,
                Runtime::Server,
                &options,
                &request,
                Some(nonce),
                Some(timestamp),
                -5_000,
            );
            let answer = packet_case(&case).answer;
            assert_eq!(answer, expected, "{what} ({entry:?})");
            assert_eq!(
                answer.part("signature"),
                Some(common::signature(&v)),
                "{what} ({entry:?})"
            );
            assert_eq!(
                answer.part("base string"),
                Some(common::base_string(&v)),
                "{what} ({entry:?})"
            );
        }
    }
}

/// [`get_users`] as a [`Entry::Signer`], changed by `f`.
fn changed<'a>(f: impl FnOnce(&mut PacketCase<'a>)) -> PacketCase<'a> {
    let mut case = get_users(Entry::Signer);
    f(&mut case);
    case
}

#[test]
fn every_core_error_comes_through_with_its_code_and_message() {
    let user = common::user_options();
    let consumer = SignerOptions {
        token: None,
        token_secret: None,
        ..user.clone()
    };
    let get = Request::new("GET", "https://api.context.io/lite/users");
    let long_nonce = "n".repeat(MAX_NONCE_LEN + 1);
    let reserved = [("oauth_token", "x")];
    let case = |options: &SignerOptions<'static>, request: &Request<'static>| {
        PacketCase::of(
            Entry::Signer,
            Runtime::Browser,
            options,
            request,
            Some("n"),
            Some(1),
            0,
        )
    };
    let refused: Vec<(PacketCase<'_>, &str)> = vec![
        (
            case(
                &SignerOptions {
                    consumer_key: "",
                    ..user.clone()
                },
                &get,
            ),
            "INVALID_OPTIONS",
        ),
        (
            case(
                &SignerOptions {
                    token_secret: None,
                    ..user.clone()
                },
                &get,
            ),
            "THREE_LEGGED_REQUIRED",
        ),
        (
            case(
                &SignerOptions {
                    realm: Some("réalm"),
                    ..user.clone()
                },
                &get,
            ),
            "INVALID_OPTIONS",
        ),
        (
            case(
                &SignerOptions {
                    clock_offset: MAX_CLOCK_OFFSET + 1,
                    ..user.clone()
                },
                &get,
            ),
            "INVALID_OPTIONS",
        ),
        (case(&consumer, &get), "THREE_LEGGED_REQUIRED"),
        (
            case(
                &SignerOptions {
                    two_legged: true,
                    ..consumer.clone()
                },
                &get,
            ),
            "TWO_LEGGED_FORBIDDEN",
        ),
        (
            changed(|c| {
                c.entry = Entry::NewUser;
                c.token = None;
                c.token_secret = None;
            }),
            "OUT_OF_SCOPE",
        ),
        (
            changed(|c| {
                c.entry = Entry::NewUser;
            }),
            "INVALID_OPTIONS",
        ),
        (
            changed(|c| c.placement = Some(Place::Other("sideways"))),
            "INVALID_PLACEMENT",
        ),
        (
            changed(|c| c.request_placement = Some(Place::Other("Header"))),
            "INVALID_PLACEMENT",
        ),
        (
            changed(|c| c.request_placement = Some(Place::Body)),
            "INVALID_PLACEMENT",
        ),
        (
            changed(|c| c.url = checks::Url::Other("ftp://api.context.io/")),
            "INVALID_URL",
        ),
        (
            changed(|c| c.url = checks::Url::Other("users")),
            "INVALID_URL",
        ),
        (
            changed(|c| c.method = checks::Method::Other("")),
            "INVALID_METHOD",
        ),
        (
            changed(|c| c.method = checks::Method::Other("GET POST")),
            "INVALID_METHOD",
        ),
        (
            changed(|c| c.query = Params::Form("a=%zz")),
            "INVALID_ENCODING",
        ),
        (
            changed(|c| c.url = checks::Url::Api("?a=%C3")),
            "INVALID_ENCODING",
        ),
        (
            changed(|c| c.query = Params::Pairs(reserved.to_vec())),
            "INVALID_OPTIONS",
        ),
        (
            changed(|c| c.request_realm = Some("\u{7f}")),
            "INVALID_OPTIONS",
        ),
        (
            changed(|c| c.timestamp = Some(Int::Any(MAX_TIMESTAMP as i64 + 1))),
            "INVALID_TIMESTAMP",
        ),
        (
            changed(|c| {
                c.timestamp = None;
                c.now = Int::Any(-1);
            }),
            "INVALID_TIMESTAMP",
        ),
        (
            changed(|c| {
                c.signature_method = Some(MethodName::Plaintext);
                c.url = checks::Url::Other("http://api.example.com/x");
            }),
            "PLAINTEXT_NEEDS_HTTPS",
        ),
        (
            changed(|c| c.signature_method = Some(MethodName::Other("HMAC-SHA-256"))),
            "INVALID_OPTIONS",
        ),
        (
            changed(|c| {
                c.signature_method = Some(MethodName::Plaintext);
                c.body_hash = true;
            }),
            "INVALID_OPTIONS",
        ),
        (
            changed(|c| {
                c.method = checks::Method::Post;
                c.body = Params::Pairs(vec![("a", "b")]);
                c.body_hash = true;
            }),
            "INVALID_BODY",
        ),
        (
            changed(|c| c.callback = Some("/relative")),
            "INVALID_OPTIONS",
        ),
        (changed(|c| c.verifier = Some("")), "INVALID_OPTIONS"),
        (
            changed(|c| c.query = Params::Pairs(vec![("oauth_callback", "oob")])),
            "INVALID_OPTIONS",
        ),
        (
            changed(|c| c.url = checks::Url::Api("?oauth_verifier=v")),
            "INVALID_OPTIONS",
        ),
        (
            changed(|c| {
                c.entry = Entry::NewUser;
                c.token = None;
                c.token_secret = None;
                c.method = checks::Method::Get;
                c.callback = Some("oob");
            }),
            "OUT_OF_SCOPE",
        ),
        (changed(|c| c.nonce = Some("")), "INVALID_NONCE"),
        (changed(|c| c.nonce = Some(&long_nonce)), "INVALID_NONCE"),
        (changed(|c| c.body = Params::Text("x")), "INVALID_BODY"),
    ];
    let mut seen = BTreeSet::new();
    for (case, code) in &refused {
        for entry in [case.entry, Entry::Once] {
            // The one-call form builds as `new Signer` does.
            if entry == Entry::Once && case.entry == Entry::NewUser {
                continue;
            }
            let case = PacketCase {
                entry,
                ..case.clone()
            };
            // packet_case checks the code and the message against the native call.
            let answer = packet_case(&case).answer;
            assert_eq!(answer.code(), Some(*code), "{case:?}");
            seen.insert(*code);
        }
    }
    // Every code the core can give natively (no random generator is missing here).
    let all: BTreeSet<&str> = Error::ALL_CODES
        .into_iter()
        .filter(|&c| c != "RANDOM_UNAVAILABLE")
        .collect();
    assert_eq!(seen, all);
}

#[test]
fn what_the_core_accepts_comes_through_signed() {
    let consumer = SignerOptions {
        token: None,
        token_secret: None,
        ..common::user_options()
    };
    let two_legged = SignerOptions {
        two_legged: true,
        ..consumer.clone()
    };
    let add_user = Request {
        body: Body::Pairs(&[("email", "a@example.com")]),
        ..Request::new("POST", "https://api.context.io/lite/users")
    };
    let get = Request::new("GET", "https://api.context.io/lite/users");
    let accepted = [
        (Entry::Signer, Runtime::Server, two_legged.clone(), &get),
        (Entry::Once, Runtime::Server, two_legged, &get),
        (
            Entry::NewUser,
            Runtime::Browser,
            consumer.clone(),
            &add_user,
        ),
        (Entry::NewUser, Runtime::Server, consumer, &add_user),
        (
            Entry::Signer,
            Runtime::Browser,
            SignerOptions {
                clock_offset: MAX_CLOCK_OFFSET,
                placement: Placement::Query,
                ..common::user_options()
            },
            &get,
        ),
        (
            Entry::Once,
            Runtime::Browser,
            SignerOptions {
                clock_offset: -MAX_CLOCK_OFFSET,
                realm: Some("Example"),
                ..common::user_options()
            },
            &add_user,
        ),
    ];
    for (entry, runtime, options, request) in &accepted {
        let case = PacketCase::of(*entry, *runtime, options, request, None, None, 1 << 40);
        let answer = packet_case(&case).answer;
        assert!(answer.code().is_none(), "{case:?}: {answer:?}");
    }
}

#[test]
fn non_ascii_strings_are_read_by_their_utf16_lengths() {
    // One, two, three and four UTF-8 bytes; one UTF-16 unit, or two (a surrogate pair); and the
    // answer's separators inside the caller's text.
    let options = SignerOptions {
        consumer_key: "ckü€😀",
        consumer_secret: "cs€😀",
        token: Some("tök😀\u{1}\u{2}"),
        token_secret: Some("ts😀"),
        realm: Some("Example"),
        ..SignerOptions::default()
    };
    let json = "{\"name\":\"Zoë 😀\",\"x\":\"\u{1}\u{2}\u{0}\"}";
    let form = "a=é😀&b=%C3%A9+x&%F0%9F%98%80=1";
    let pairs = [("é", "😀 x"), ("a", "\u{1}"), ("😀😀", "")];
    let nonce = "ñ😀\u{1},";
    let requests = [
        Request {
            body: Body::Text(json),
            content_type: Some("application/jsön; 😀"),
            ..Request::new("put", "https://api.context.io/lite/users/Zoë/x?q=é😀")
        },
        Request {
            body: Body::Text(form),
            content_type: Some("application/x-www-form-urlencoded; charset=ütf-8"),
            placement: Some(Placement::Body),
            ..Request::new("POST", "https://api.context.io/lite/users/u1/webhooks")
        },
        Request {
            body: Body::Form(form),
            query_form: Some("q=%F0%9F%98%80+é"),
            placement: Some(Placement::Query),
            include_version: false,
            ..Request::new("POST", "https://api.context.io/lite/users")
        },
        Request {
            body: Body::Pairs(&pairs),
            query: &[("q", "é😀"), ("😀", "")],
            ..Request::new("PATCH", "https://api.context.io/lite/users/😀")
        },
    ];
    for request in &requests {
        for entry in [Entry::Signer, Entry::Once] {
            let case = PacketCase::of(
                entry,
                Runtime::Browser,
                &options,
                request,
                Some(nonce),
                Some(1_500_000_000),
                0,
            );
            let answer = packet_case(&case).answer;
            assert!(answer.code().is_none(), "{request:?}: {answer:?}");
        }
    }

    // A length counted in anything but UTF-16 code units is malformed: "ckü€😀" is 6 units, 5
    // characters, 11 bytes.
    let packet = PacketCase::of(
        Entry::Signer,
        Runtime::Browser,
        &options,
        &requests[0],
        None,
        None,
        0,
    )
    .options_packet();
    assert!(packet.starts_with("B6:ckü€😀"), "{packet:?}");
    assert!(signer_from_packet(&packet, false).is_ok());
    let malformed = malformed();
    for wrong in ["B5:", "B7:", "B11:"] {
        let packet = packet.replacen("B6:", wrong, 1);
        let answer = Answer::read(&signer_from_packet(&packet, false).unwrap_err()).unwrap();
        assert_eq!(answer, malformed, "{wrong}");
    }
    // A length that ends inside a surrogate pair.
    let answer = Answer::read(&signer_from_packet("B1:😀2:cs__f__0;_", false).unwrap_err());
    assert_eq!(answer, Ok(malformed.clone()));
    // And the same key, counted right.
    assert_eq!(
        signer_from_packet("B2:😀2:cs1:t2:tsf__0;_", false)
            .expect("a signer")
            .consumer_key(),
        "😀"
    );
}

/// Valid packets of each entry point: (packet, the entry points it is for).
fn valid_packets() -> Vec<(String, Entry)> {
    let pairs = [("é", "😀"), ("k", "1")];
    let post = PacketCase {
        method: checks::Method::Post,
        body: Params::Pairs(pairs.to_vec()),
        query: Params::Form("a=b"),
        realm: Some("R"),
        timestamp: None,
        nonce: None,
        now: Int::Any(1_500_000_000_000),
        ..get_users(Entry::Once)
    };
    vec![
        (get_users(Entry::Signer).options_packet(), Entry::Signer),
        (get_users(Entry::Signer).request_packet(), Entry::NewUser),
        (get_users(Entry::Once).once_packet(), Entry::Once),
        (post.options_packet(), Entry::Signer),
        (post.request_packet(), Entry::NewUser),
        (post.once_packet(), Entry::Once),
    ]
}

/// The answer of the entry point a packet is for (`Entry::NewUser` stands for `sign_packet`
/// here), a signer built as `None`.
fn answer_of(packet: &str, entry: Entry) -> Option<Answer> {
    let answer = match entry {
        Entry::Signer => signer_from_packet(packet, false).err()?,
        Entry::NewUser => sign_packet(&checks::user_signer(), &mut NoncePool::default(), packet),
        Entry::Once => sign_once_packet(packet),
    };
    Some(Answer::read(&answer).expect("a well-formed answer"))
}

#[test]
fn truncated_or_extended_packets_are_malformed() {
    let malformed = malformed();
    for (packet, entry) in valid_packets() {
        let answer = answer_of(&packet, entry);
        assert!(
            answer.as_ref().is_none_or(|a| a.code().is_none()),
            "{answer:?}"
        );
        for (end, _) in packet.char_indices() {
            assert_eq!(
                answer_of(&packet[..end], entry),
                Some(malformed.clone()),
                "{entry:?} cut at {end}"
            );
        }
        for more in ["x", "_", "0:", "t", ";", "\u{1}"] {
            assert_eq!(
                answer_of(&format!("{packet}{more}"), entry),
                Some(malformed.clone()),
                "{entry:?} and {more:?}"
            );
        }
    }
    // A value of the wrong form where another is expected.
    for packet in [
        "X2:ck2:cs1:t2:tsf__0;_",
        "S2:ck2:cs1:t2:tsx__0;_",
        "S2:ck2:cs1:t2:tsf__0",
        "S2:ck2:cs1:t2:tsf__+1;_",
        "S2:ck2:cs1:t2:tsf__1.5;_",
        "S2:ck2:cs1:t2:tsf__--1;_",
        "S2:ck2:cs1:t2:tsf__-;_",
        "S2:ck2:cs1:t2:tsf__9223372036854775808;_",
        "S2:ck2:cs1:t2:tsf__99999999999999999999;_",
        "S-2:ck2:cs1:t2:tsf__0;_",
        "S:ck2:cs1:t2:tsf__0;_",
        "S2ck2:cs1:t2:tsf__0;_",
    ] {
        assert_eq!(
            answer_of(packet, Entry::Signer),
            Some(malformed.clone()),
            "{packet:?}"
        );
    }
}

/// Strings in a packet's alphabet, and valid packets with a few characters inserted, replaced
/// or removed.
fn packet_like() -> impl Strategy<Value = String> {
    let valid: Vec<String> = valid_packets().into_iter().map(|(p, _)| p).collect();
    let edit = (
        prop::sample::select(valid),
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                "[0-9:;_tfpsSB\u{1}é😀-]?",
                0..3usize,
            ),
            1..4,
        ),
    )
        .prop_map(|(packet, edits)| {
            let mut chars: Vec<char> = packet.chars().collect();
            for (at, text, cut) in edits {
                let i = at.index(chars.len() + 1);
                let end = (i + cut).min(chars.len());
                chars.splice(i..end, text.chars());
            }
            chars.into_iter().collect()
        });
    prop_oneof![edit, "[0-9:;_tfpsSB\u{1}é😀-]{0,40}", any::<String>()]
}

proptest! {
    /// Any text is read or refused as malformed by every entry point, never a panic: each
    /// answer is well formed (`packet_text`), and the only internal error is the malformed one.
    #[test]
    fn any_text_is_read_or_refused_as_malformed(text in packet_like()) {
        let malformed = malformed();
        for answer in packet_text(&text).into_iter().flatten() {
            if let Answer::Error { message, .. } = &answer {
                if message.starts_with("internal:") {
                    prop_assert_eq!(&answer, &malformed);
                }
            }
        }
    }

    /// The fuzz target's check on the calls `arbitrary` reads from its corpus with a few bytes
    /// changed, or from random bytes: each answer is the native call's.
    #[test]
    fn generated_calls_answer_as_natively(
        seed in prop::sample::select(fuzz_corpus()),
        random in prop::option::weighted(0.2, prop::collection::vec(any::<u8>(), 0..400)),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    ) {
        let mut input = random.unwrap_or(seed);
        for (at, b) in edits {
            if !input.is_empty() {
                let i = at.index(input.len());
                input[i] = b;
            }
        }
        if let Ok(case) = PacketCase::arbitrary(&mut Unstructured::new(&input)) {
            packet_case(&case.into_written());
        }
    }
}

/// The inputs of the packet fuzz target's corpus (`fuzz/corpus/packet`).
fn fuzz_corpus() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/packet");
    let inputs: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .expect("fuzz/corpus/packet")
        .map(|entry| std::fs::read(entry.expect("a corpus entry").path()).expect("an input"))
        .collect();
    assert!(!inputs.is_empty(), "{dir} is empty");
    inputs
}

#[test]
fn absent_nonces_and_timestamps_come_from_the_pool_and_the_clock() {
    let signer = Signer::new(&common::user_options(), Runtime::Browser).unwrap();
    let fills = Cell::new(0);
    let (mut pool, nonces) = common::pool::primed(&fills);
    let no_nonce = PacketCase {
        nonce: None,
        ..get_users(Entry::Signer)
    };
    // Refusals draw no nonce.
    for refused in [
        PacketCase {
            url: checks::Url::Other("ftp://h/"),
            ..no_nonce.clone()
        },
        PacketCase {
            timestamp: None,
            now: Int::Any(-1),
            ..no_nonce.clone()
        },
        PacketCase {
            body: Params::Text("x"),
            ..no_nonce.clone()
        },
    ] {
        let answer = Answer::read(&sign_packet(&signer, &mut pool, &refused.request_packet()));
        assert!(answer.unwrap().code().is_some(), "{refused:?}");
    }
    let answer =
        Answer::read(&sign_packet(&signer, &mut pool, &no_nonce.request_packet())).unwrap();
    assert_eq!(answer.part("drawn nonce"), Some(nonces[1].as_str()));
    let native = signer.sign(
        &Request::new("GET", "https://api.context.io/lite/users"),
        &nonces[1],
        1,
    );
    assert_eq!(answer, Answer::of(&native, None, true));
    // A nonce given is not repeated in the answer.
    let given = Answer::read(&sign_packet(
        &signer,
        &mut pool,
        &get_users(Entry::Signer).request_packet(),
    ));
    assert_eq!(given.unwrap().part("drawn nonce"), Some(""));
    assert_eq!(fills.get(), 1);

    // The clock reading in milliseconds, floored to seconds, plus the clock offset.
    for (now, offset, expected) in [
        (1_500_000_000_999_i64, 0_i64, Some("1500000000")),
        (1_500_000_000_999, -100, Some("1499999900")),
        (999, 0, Some("0")),
        (-1, 10, Some("9")),
        (-1, 0, None),
        (-1001, 1, None),
        ((1 << 53) - 1, MAX_CLOCK_OFFSET, Some("9007515478740")),
    ] {
        let case = PacketCase {
            timestamp: None,
            now: Int::Any(now),
            clock_offset: Int::Any(offset),
            ..get_users(Entry::Signer)
        };
        let answer = packet_case(&case).answer;
        match expected {
            Some(t) => assert_eq!(answer.part("timestamp"), Some(t), "{now} {offset}"),
            None => assert_eq!(answer.code(), Some("INVALID_TIMESTAMP"), "{now} {offset}"),
        }
    }
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}")) + start.len();
    let len = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {start:?}"));
    &text[from..from + len]
}

/// The strings quoted (with `'` or `"`) in a list of JavaScript or TypeScript literals.
fn quoted(list: &str) -> Vec<String> {
    list.split([',', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.strip_prefix(['\'', '"'])
                .and_then(|s| s.strip_suffix(['\'', '"']))
                .unwrap_or_else(|| panic!("not a quoted string: {s:?}"))
                .to_owned()
        })
        .collect()
}

/// Whether `s` looks like an error code: upper-case letters and digits in words joined by `_`.
fn code_like(s: &str) -> bool {
    s.contains('_')
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Checks that the JavaScript front (`api`, the text of js/api.js) has the codes of the Rust
/// `Error` and throws no other.
fn check_front_codes(api: &str) {
    let codes = quoted(between(api, "export const CODES = [", "];"));
    assert_eq!(codes, Error::ALL_CODES, "js/api.js CODES");
    for code in Error::ALL_CODES {
        assert!(code_like(code), "{code}");
    }

    // The front's names for the codes: `const [OPTIONS, , , , URL_CODE, ...] = CODES;`.
    let before = &api[..api.find("] = CODES;").expect("a destructuring of CODES")];
    let pattern = &before[before.rfind("const [").expect("const [") + "const [".len()..];
    assert!(!pattern.contains(['[', ']']), "{pattern:?}");
    let names: Vec<(&str, &str)> = pattern
        .split(',')
        .map(str::trim)
        .enumerate()
        .filter(|(_, name)| !name.is_empty())
        .map(|(i, name)| {
            let code = Error::ALL_CODES
                .get(i)
                .unwrap_or_else(|| panic!("{name}: past the codes"));
            (name, *code)
        })
        .collect();
    assert!(names.len() >= 5, "{names:?}");

    // Every error the front makes: `fail(CODE, message)`, CODE one of those names, a code
    // forwarded by a function of the front (its parameter `code`), or the core's own (read from
    // its answer).
    let mut calls = 0;
    for call in api.split("fail(").skip(1) {
        let first = call.split(',').next().unwrap_or("").trim();
        if api.contains(&format!("function fail({first}")) {
            continue; // the definition
        }
        calls += 1;
        let known = names.iter().any(|(name, _)| *name == first)
            || first == "code"
            || first.starts_with("answer.slice(");
        assert!(
            known,
            "js/api.js: fail({first}, ...): not a name of a code of CODES"
        );
    }
    assert!(calls >= 10, "only {calls} calls of fail in js/api.js");
    // And no code written out anywhere else: every quoted code-like word in the file is a
    // Rust code.
    let bytes = api.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut start = 0;
    while start < bytes.len() {
        let end = start + bytes[start..].iter().take_while(|&&b| word(b)).count();
        if end > start {
            let quoted = start > 0
                && matches!(bytes[start - 1], b'\'' | b'"' | b'`')
                && bytes.get(end) == Some(&bytes[start - 1]);
            let w = &api[start..end];
            if quoted && code_like(w) {
                assert!(
                    Error::ALL_CODES.contains(&w),
                    "js/api.js has the code {w:?}, which the Rust Error has not"
                );
            }
        }
        start = end + 1;
    }
}

#[test]
fn the_javascript_front_throws_the_rust_error_codes() {
    let root = env!("CARGO_MANIFEST_DIR");
    let api = std::fs::read_to_string(format!("{root}/js/api.js")).expect("js/api.js");
    check_front_codes(&api);
    // The TypeScript declaration of the codes is the same list.
    let dts = std::fs::read_to_string(format!("{root}/js/contextio_signer.d.ts"))
        .expect("js/contextio_signer.d.ts");
    let declared = quoted(between(&dts, "export type OAuthSignErrorCode =", ";"));
    assert_eq!(declared, Error::ALL_CODES, "OAuthSignErrorCode");
}

/// The check above fails on a front that throws a code the Rust `Error` has not.
#[test]
fn the_codes_check_refuses_a_front_with_another_code() {
    let root = env!("CARGO_MANIFEST_DIR");
    let api = std::fs::read_to_string(format!("{root}/js/api.js")).expect("js/api.js");
    let call = "fail(METHOD,";
    assert!(api.contains(call));
    for changed in [
        api.replacen(call, "fail('INVALID_THING',", 1),
        api.replacen(call, "fail(\"INVALID_THING\",", 1),
        api.replacen(call, "fail(THING,", 1),
        api.replacen(call, "fail(`INVALID_THING`,", 1),
        api.replacen(
            "'RANDOM_UNAVAILABLE',",
            "'RANDOM_UNAVAILABLE', 'INVALID_THING',",
            1,
        ),
        api.replacen("'INVALID_URL',", "", 1),
        api.replacen(
            "const WRONG_OPTIONS",
            "const X = 'INVALID_THING';\nconst WRONG_OPTIONS",
            1,
        ),
    ] {
        assert_ne!(changed, api);
        let refused = std::panic::catch_unwind(|| check_front_codes(&changed));
        assert!(refused.is_err(), "a changed front passed");
    }
}

/// The verifier's packets (src/binding/verify.rs) read natively: a claim, then the verdict, for a
/// request the crate signed; a packet cut short is an error answer.
#[test]
fn verify_packets_read_a_request_and_its_lookups() {
    use contextio_signer::internals::{verify_check_packet, verify_read_packet};
    use contextio_signer::{Request, Runtime, Signer, SignerOptions};
    let s = |x: &str| format!("{}:{x}", x.encode_utf16().count());
    let signer = Signer::new(
        &SignerOptions {
            consumer_key: "ck",
            consumer_secret: "cs-SECRET-1",
            token: Some("t"),
            token_secret: Some("ts-SECRET-2"),
            ..SignerOptions::default()
        },
        Runtime::Server,
    )
    .unwrap();
    let signed = signer
        .sign(
            &Request::new("GET", "https://h.example/x?a=%C3%A9"),
            "n1",
            1_700_000_000,
        )
        .unwrap();
    let auth = signed.authorization().unwrap();
    let request = format!(
        "{}{}p1;{}{}",
        s("GET"),
        s(signed.url()),
        s("Authorization"),
        s(auth)
    );
    // The claim: consumer key, token, method, timestamp, nonce.
    assert_eq!(
        verify_read_packet(&format!("{request}_"), b""),
        "\u{3}2:ck1:t9:HMAC-SHA11700000000;2:n1"
    );
    let check = |now: u64, token: &str| {
        format!(
            "{request}v{now};300;p1;{}0:tf{}{token}1:R",
            s("HMAC-SHA1"),
            s("cs-SECRET-1")
        )
    };
    // Verified: the request's own parameters, decoded (é is one UTF-16 unit).
    assert_eq!(
        verify_check_packet(
            &check(1_700_000_000, &format!("s{}", s("ts-SECRET-2"))),
            b""
        ),
        "\u{2}2:ck1:t9:HMAC-SHA1p1;1:a1:é"
    );
    // The token unknown, then a stale timestamp: refusals with their status and challenge.
    let unknown = verify_check_packet(&check(1_700_000_000, "u"), b"");
    assert!(
        unknown.starts_with("\u{4}401;14:token_rejected"),
        "{unknown:?}"
    );
    assert!(
        unknown.contains("OAuth realm=\"R\", oauth_problem=\"token_rejected\""),
        "{unknown:?}"
    );
    let stale = verify_check_packet(
        &check(1_700_009_000, &format!("s{}", s("ts-SECRET-2"))),
        b"",
    );
    assert!(
        stale.starts_with("\u{4}401;17:timestamp_refused"),
        "{stale:?}"
    );
    // No secret crosses back.
    for answer in [unknown, stale] {
        assert!(!answer.contains("SECRET"), "{answer:?}");
    }
    // A packet cut short, and an unknown step, are error answers.
    for bad in [
        request.clone(),
        format!("{request}x_"),
        format!("{request}v1;"),
    ] {
        assert!(verify_check_packet(&bad, b"").starts_with('\0'), "{bad:?}");
    }
}
