//! Tier 2, shared by the Node, browser-page and worker test binaries: the published vectors and
//! every error code through the exported JavaScript API (the `#[wasm_bindgen]` functions the
//! JS glue calls), in whichever runtime the binary runs in.

use contextio_signer::wasm::{is_oauth_sign_error, sign_request, Signer};
use js_sys::{Array, Function, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Defines the tier-2 tests in a test binary, for the runtime it runs in (`Expect::Server` in
/// Node, `Expect::Browser` in pages and workers).
#[macro_export]
macro_rules! tier2_tests {
    ($expect:expr) => {
        #[wasm_bindgen_test::wasm_bindgen_test]
        fn published_vectors() {
            wasm_common::vectors($expect);
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn published_tables() {
            wasm_common::tables();
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn every_error_code() {
            wasm_common::errors($expect);
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn default_nonce_and_timestamp() {
            wasm_common::defaults();
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn no_secret_is_shown() {
            wasm_common::no_secret_shown();
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn query_and_body_values() {
            wasm_common::values();
        }
    };
}

/// The published vectors, compiled in (a wasm test cannot read files).
const PUBLISHED: &str = include_str!("../../../shared/vectors/published.json");

/// Whether this binary runs where 2-legged signing is allowed (each binary uses one variant).
#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Expect {
    Server,
    Browser,
}

pub fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    get(obj, key).as_string()
}

pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn published() -> JsValue {
    JSON::parse(PUBLISHED).expect("published.json parses")
}

fn rows(key: &str) -> Vec<JsValue> {
    get(&published(), key)
        .unchecked_into::<Array>()
        .iter()
        .collect()
}

/// The options object of a vector (consumer and token fields copied as they are).
fn vector_options(v: &JsValue) -> JsValue {
    let o = Object::new();
    for key in [
        "consumerKey",
        "consumerSecret",
        "token",
        "tokenSecret",
        "realm",
    ] {
        let val = get(v, key);
        if !val.is_undefined() {
            Reflect::set(&o, &key.into(), &val).unwrap();
        }
    }
    if get(v, "token").is_undefined() {
        Reflect::set(&o, &"twoLegged".into(), &true.into()).unwrap();
    }
    o.into()
}

fn vector_request(v: &JsValue) -> JsValue {
    let ts: f64 = get_str(v, "timestamp").unwrap().parse().unwrap();
    let r = obj(&[
        ("method", get(v, "method")),
        ("url", get(v, "url")),
        ("nonce", get(v, "nonce")),
        ("timestamp", ts.into()),
    ]);
    for key in ["body", "contentType"] {
        let val = get(v, key);
        if !val.is_undefined() {
            Reflect::set(&r, &key.into(), &val).unwrap();
        }
    }
    if get(v, "version") == JsValue::FALSE {
        Reflect::set(&r, &"includeVersion".into(), &false.into()).unwrap();
    }
    r
}

/// The error thrown by `f`, checked to be an `OAuthSignError` with `code`.
pub fn expect_error(what: &str, code: &str, result: Result<impl Sized, JsValue>) -> JsValue {
    let err = match result {
        Ok(_) => panic!("{what}: expected {code}, got success"),
        Err(e) => e,
    };
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "{what}: not an Error"
    );
    assert_eq!(
        get_str(&err, "name").as_deref(),
        Some("OAuthSignError"),
        "{what}"
    );
    assert_eq!(
        get_str(&err, "code").as_deref(),
        Some(code),
        "{what}: message {:?}",
        get_str(&err, "message")
    );
    assert!(
        !get_str(&err, "message").unwrap_or_default().is_empty(),
        "{what}: empty message"
    );
    assert!(is_oauth_sign_error(&err), "{what}: isOAuthSignError");
    err
}

pub fn vectors(expect: Expect) {
    let mut signed = 0;
    for v in rows("vectors") {
        let name = get_str(&v, "name").unwrap();
        let two_legged = get(&v, "token").is_undefined();
        let result = Signer::new(vector_options(&v));
        if two_legged && expect == Expect::Browser {
            expect_error(&name, "TWO_LEGGED_FORBIDDEN", result);
            // The one-call form refuses it too.
            expect_error(
                &name,
                "TWO_LEGGED_FORBIDDEN",
                sign_request(vector_options(&v), vector_request(&v)),
            );
            continue;
        }
        let signer =
            result.unwrap_or_else(|e| panic!("vector {name}: {:?}", get_str(&e, "message")));
        let out = signer.sign_request(vector_request(&v)).unwrap_or_else(|e| {
            panic!(
                "vector {name} ({:?} {:?}): {:?}",
                get_str(&v, "method"),
                get_str(&v, "url"),
                get_str(&e, "message")
            )
        });
        let inputs = format!(
            "{} {} body={:?}",
            get_str(&v, "method").unwrap(),
            get_str(&v, "url").unwrap(),
            get_str(&v, "body")
        );
        assert_eq!(
            get_str(&out, "baseString"),
            get_str(&v, "baseString"),
            "vector {name}: {inputs}"
        );
        assert_eq!(
            get_str(&out, "signature"),
            get_str(&v, "signature"),
            "vector {name}: {inputs}"
        );
        let once = sign_request(vector_options(&v), vector_request(&v)).unwrap();
        assert_eq!(
            get_str(&once, "signature"),
            get_str(&v, "signature"),
            "vector {name} via signRequest()"
        );
        signed += 1;
    }
    assert!(signed >= 5, "only {signed} vectors signed");
}

fn three_legged() -> Signer {
    Signer::new(obj(&[
        ("consumerKey", "ck".into()),
        ("consumerSecret", "CONSUMER-SECRET-X".into()),
        ("token", "tok".into()),
        ("tokenSecret", "TOKEN-SECRET-Y".into()),
    ]))
    .unwrap()
}

fn fixed(method: &str, url: &str) -> JsValue {
    obj(&[
        ("method", method.into()),
        ("url", url.into()),
        ("nonce", "n".into()),
        ("timestamp", 1.into()),
    ])
}

/// RFC 3986 encoding by the platform's own `encodeURIComponent` plus `!'()*`: an encoder
/// independent of ours.
fn js_encode(s: &str) -> String {
    let f = Function::new_with_args(
        "s",
        "return encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase())",
    );
    f.call1(&JsValue::NULL, &s.into())
        .unwrap()
        .as_string()
        .unwrap()
}

fn non_oauth(normalized: &str) -> String {
    normalized
        .split('&')
        .filter(|p| !p.starts_with("oauth_"))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn tables() {
    let signer = three_legged();
    for row in rows("percentEncoding") {
        let input = get_str(&row, "input").unwrap();
        let q = obj(&[("k", input.clone().into())]);
        let r = fixed("GET", "http://h/");
        Reflect::set(&r, &"query".into(), &q).unwrap();
        let out = signer.sign_request(r).unwrap();
        let expected = format!("k={}", get_str(&row, "encoded").unwrap());
        assert_eq!(
            non_oauth(&get_str(&out, "normalizedParameters").unwrap()),
            expected,
            "percentEncoding {input:?}"
        );
    }
    for row in rows("baseStringUri") {
        let url = get_str(&row, "url").unwrap();
        let out = signer.sign_request(fixed("GET", &url)).unwrap();
        let base = get_str(&out, "baseString").unwrap();
        let expected = format!(
            "GET&{}&",
            js_encode(&get_str(&row, "baseStringUri").unwrap())
        );
        assert!(base.starts_with(&expected), "baseStringUri {url}: {base}");
    }
    for row in rows("normalizeParameters") {
        let query = get_str(&row, "query").unwrap();
        let out = signer
            .sign_request(fixed("GET", &format!("http://h/?{query}")))
            .unwrap();
        assert_eq!(
            non_oauth(&get_str(&out, "normalizedParameters").unwrap()),
            get_str(&row, "normalized").unwrap(),
            "normalizeParameters {query:?}"
        );
    }
    // Every code point class up to U+07FF and a sample beyond, against encodeURIComponent.
    let mut text = String::new();
    for c in (1u32..0x800)
        .chain([0xFFFF, 0x10000, 0x1F600, 0x10FFFF])
        .filter_map(char::from_u32)
    {
        text.push(c);
    }
    let r = fixed("GET", "http://h/");
    Reflect::set(&r, &"query".into(), &obj(&[("k", text.clone().into())])).unwrap();
    let out = signer.sign_request(r).unwrap();
    assert_eq!(
        non_oauth(&get_str(&out, "normalizedParameters").unwrap()),
        format!("k={}", js_encode(&text))
    );
}

pub fn errors(expect: Expect) {
    let base = || {
        obj(&[
            ("consumerKey", "ck".into()),
            ("consumerSecret", "cs".into()),
        ])
    };
    let with = |extra: &[(&str, JsValue)]| {
        let o = base();
        for (k, v) in extra {
            Reflect::set(&o, &(*k).into(), v).unwrap();
        }
        o
    };
    expect_error(
        "no options",
        "INVALID_OPTIONS",
        Signer::new(JsValue::UNDEFINED),
    );
    expect_error(
        "empty key",
        "INVALID_OPTIONS",
        Signer::new(with(&[
            ("consumerKey", "".into()),
            ("token", "t".into()),
            ("tokenSecret", "s".into()),
        ])),
    );
    expect_error(
        "numeric secret",
        "INVALID_OPTIONS",
        Signer::new(with(&[("consumerSecret", 5.into())])),
    );
    expect_error("no token", "THREE_LEGGED_REQUIRED", Signer::new(base()));
    expect_error(
        "token only",
        "THREE_LEGGED_REQUIRED",
        Signer::new(with(&[("token", "t".into())])),
    );
    expect_error(
        "one-call no token",
        "THREE_LEGGED_REQUIRED",
        sign_request(base(), fixed("GET", "http://h/")),
    );
    expect_error(
        "twoLegged with token",
        "INVALID_OPTIONS",
        Signer::new(with(&[
            ("twoLegged", true.into()),
            ("token", "t".into()),
            ("tokenSecret", "s".into()),
        ])),
    );
    let two = Signer::new(with(&[("twoLegged", true.into())]));
    match expect {
        Expect::Browser => {
            expect_error("twoLegged in a browser", "TWO_LEGGED_FORBIDDEN", two);
        }
        Expect::Server => {
            let two = two.unwrap_or_else(|e| {
                panic!("twoLegged in a server runtime: {:?}", get_str(&e, "code"))
            });
            assert_eq!(two.mode(), "two-legged");
        }
    }
    let new_user = Signer::for_new_user(base()).unwrap();
    assert_eq!(new_user.mode(), "new-user");
    expect_error(
        "forNewUser GET",
        "OUT_OF_SCOPE",
        new_user.sign_request(fixed("GET", "http://h/lite/users/u1/email_accounts")),
    );
    expect_error(
        "forNewUser token",
        "INVALID_OPTIONS",
        Signer::for_new_user(with(&[("token", "t".into()), ("tokenSecret", "s".into())])),
    );
    let ok = new_user
        .sign_request(obj(&[
            ("method", "POST".into()),
            ("url", "http://127.0.0.1:8787/lite/users".into()),
            ("body", obj(&[("email", "a@b.c".into())])),
        ]))
        .unwrap();
    assert_eq!(get_str(&ok, "body").as_deref(), Some("email=a%40b.c"));

    let s = three_legged();
    expect_error(
        "relative url",
        "INVALID_URL",
        s.sign_request(fixed("GET", "/lite/users")),
    );
    expect_error(
        "ftp url",
        "INVALID_URL",
        s.sign_request(fixed("GET", "ftp://h/x")),
    );
    expect_error(
        "bad port",
        "INVALID_URL",
        s.sign_request(fixed("GET", "http://h:99999/")),
    );
    expect_error(
        "no host",
        "INVALID_URL",
        s.sign_request(fixed("GET", "http:///x")),
    );
    expect_error(
        "method",
        "INVALID_METHOD",
        s.sign_request(fixed("G T", "http://h/")),
    );
    expect_error(
        "no method",
        "INVALID_METHOD",
        s.sign_request(obj(&[("url", "http://h/".into())])),
    );
    expect_error(
        "bad escape",
        "INVALID_ENCODING",
        s.sign_request(fixed("GET", "http://h/?a=%zz")),
    );
    let lone = js_sys::JsString::from_char_code1(0xD800);
    let r = fixed("GET", "http://h/");
    Reflect::set(&r, &"query".into(), &obj(&[("k", lone.clone().into())])).unwrap();
    expect_error(
        "lone surrogate in a value",
        "INVALID_ENCODING",
        s.sign_request(r),
    );
    expect_error(
        "lone surrogate in a secret",
        "INVALID_ENCODING",
        Signer::new(obj(&[
            ("consumerKey", "ck".into()),
            ("consumerSecret", lone.clone().into()),
            ("token", "t".into()),
            ("tokenSecret", "s".into()),
        ])),
    );
    let r = fixed("POST", "http://h/");
    Reflect::set(&r, &"placement".into(), &"body".into()).unwrap();
    expect_error(
        "body placement without a form body",
        "INVALID_PLACEMENT",
        s.sign_request(r),
    );
    let r = fixed("GET", "http://h/");
    Reflect::set(&r, &"placement".into(), &"cookie".into()).unwrap();
    expect_error("unknown placement", "INVALID_PLACEMENT", s.sign_request(r));
    for bad in [
        JsValue::from(-1),
        JsValue::from(1.5),
        JsValue::from(f64::NAN),
        JsValue::from("12a"),
    ] {
        let r = fixed("GET", "http://h/");
        Reflect::set(&r, &"timestamp".into(), &bad).unwrap();
        expect_error("timestamp", "INVALID_TIMESTAMP", s.sign_request(r));
    }
    let r = fixed("GET", "http://h/");
    Reflect::set(&r, &"nonce".into(), &"".into()).unwrap();
    expect_error("empty nonce", "INVALID_NONCE", s.sign_request(r));
    let r = fixed("GET", "http://h/");
    Reflect::set(&r, &"body".into(), &"x".into()).unwrap();
    expect_error("GET with a body", "INVALID_BODY", s.sign_request(r));
    let r = fixed("POST", "http://h/");
    Reflect::set(
        &r,
        &"body".into(),
        &js_sys::Uint8Array::new_with_length(3).into(),
    )
    .unwrap();
    expect_error("binary body", "INVALID_BODY", s.sign_request(r));
    random_unavailable(&s);
}

/// `RANDOM_UNAVAILABLE` when `crypto.getRandomValues` throws; restored afterwards.
fn random_unavailable(s: &Signer) {
    let crypto = get(&js_sys::global(), "crypto");
    let original = get(&crypto, "getRandomValues");
    // An own property shadows the prototype's method; deleting it restores the original.
    let throwing = Function::new_no_args("throw new Error('no entropy')");
    Reflect::set(&crypto, &"getRandomValues".into(), &throwing).unwrap();
    assert_eq!(
        get(&crypto, "getRandomValues"),
        JsValue::from(throwing),
        "override took"
    );
    let result = s.sign_request(obj(&[
        ("method", "GET".into()),
        ("url", "http://h/".into()),
    ]));
    // Restore before asserting, so a failure cannot break later tests.
    Reflect::delete_property(crypto.unchecked_ref::<Object>(), &"getRandomValues".into()).unwrap();
    if get(&crypto, "getRandomValues").is_undefined() || get(&crypto, "getRandomValues") != original
    {
        Reflect::set(&crypto, &"getRandomValues".into(), &original).unwrap();
    }
    expect_error("getRandomValues throws", "RANDOM_UNAVAILABLE", result);
    assert!(
        s.sign_request(obj(&[
            ("method", "GET".into()),
            ("url", "http://h/".into())
        ]))
        .is_ok(),
        "restored"
    );
}

pub fn defaults() {
    let s = three_legged();
    let req = || {
        obj(&[
            ("method", "GET".into()),
            ("url", "https://api.context.io/lite/users/u1".into()),
        ])
    };
    let mut nonces = Vec::new();
    for _ in 0..50 {
        let out = s.sign_request(req()).unwrap();
        let params = get(&out, "oauthParameters");
        let nonce = get_str(&params, "oauth_nonce").unwrap();
        assert!(
            nonce.len() * 6 >= 128,
            "nonce {nonce} has fewer than 128 bits"
        );
        assert!(
            nonce
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "nonce {nonce} not URL-safe"
        );
        nonces.push(nonce);
        let ts: f64 = get_str(&params, "oauth_timestamp")
            .unwrap()
            .parse()
            .unwrap();
        let now = js_sys::Date::now() / 1000.0;
        assert!((now - ts).abs() <= 5.0, "timestamp {ts} vs now {now}");
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 50, "default nonces repeat");
    // clockOffset shifts the default timestamp.
    let skewed = Signer::new(obj(&[
        ("consumerKey", "ck".into()),
        ("consumerSecret", "cs".into()),
        ("token", "t".into()),
        ("tokenSecret", "s".into()),
        ("clockOffset", (-3600).into()),
    ]))
    .unwrap();
    let out = skewed.sign_request(req()).unwrap();
    let ts: f64 = get_str(&get(&out, "oauthParameters"), "oauth_timestamp")
        .unwrap()
        .parse()
        .unwrap();
    assert!((js_sys::Date::now() / 1000.0 - 3600.0 - ts).abs() <= 5.0);
}

pub fn no_secret_shown() {
    let s = three_legged();
    let json = JSON::stringify(&s.to_json()).unwrap().as_string().unwrap();
    let text = s.to_string_js();
    for shown in [&json, &text] {
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(
            shown.contains("ck") && shown.contains("three-legged"),
            "{shown}"
        );
    }
    let out = s.sign_request(fixed("GET", "http://h/")).unwrap();
    let all = JSON::stringify(&out).unwrap().as_string().unwrap();
    assert!(!all.contains("SECRET"), "signed request shows a secret");
    let e = Signer::new(obj(&[
        ("consumerKey", "ck".into()),
        ("consumerSecret", "CONSUMER-SECRET-X".into()),
        ("twoLegged", true.into()),
        ("token", "t".into()),
    ]))
    .err()
    .unwrap();
    let shown = format!(
        "{:?} {:?}",
        get_str(&e, "message"),
        JSON::stringify(&e).ok().and_then(|v| v.as_string())
    );
    assert!(!shown.contains("SECRET"), "{shown}");
}

/// Query and body values: numbers and booleans as `String(value)` writes them, arrays repeat
/// the name, `null`/`undefined` are skipped; a Map, an array of pairs or a nested object is an
/// error rather than silently nothing.
pub fn values() {
    let s = three_legged();
    let q =
        JSON::parse(r#"{"limit": 10, "b": true, "c": 1.5e21, "d": -0, "e": [1, "x"], "n": null}"#)
            .unwrap();
    Reflect::set(&q, &"u".into(), &JsValue::UNDEFINED).unwrap();
    let r = fixed("GET", "http://h/");
    Reflect::set(&r, &"query".into(), &q).unwrap();
    let out = s.sign_request(r).unwrap();
    // String(1.5e21) is "1.5e+21" and String(-0) is "0" in every engine.
    assert_eq!(
        get_str(&out, "url").as_deref(),
        Some("http://h/?limit=10&b=true&c=1.5e%2B21&d=0&e=1&e=x")
    );
    let map = js_sys::Map::new();
    map.set(&"a".into(), &"b".into());
    let pairs = Array::of1(&Array::of2(&"a".into(), &"b".into()));
    let nested = JSON::parse(r#"{"a": {"b": 1}}"#).unwrap();
    let nan = obj(&[("a", f64::NAN.into())]);
    for (what, bad) in [
        ("Map", JsValue::from(map)),
        ("pairs", pairs.into()),
        ("nested", nested),
        ("NaN", nan),
    ] {
        let r = fixed("GET", "http://h/");
        Reflect::set(&r, &"query".into(), &bad).unwrap();
        expect_error(what, "INVALID_OPTIONS", s.sign_request(r));
    }
    // Hostile objects: Proxies whose traps throw are refused, and the module keeps working
    // (a JS exception unwinding through wasm would leak its stack: thousands of calls check it).
    let hostile = Function::new_no_args(
        "return [new Proxy({}, { ownKeys() { throw new Error('ownKeys'); } }),
                 new Proxy({}, { getPrototypeOf() { throw new Error('getPrototypeOf'); } }),
                 { a: (() => { const p = Proxy.revocable([], {}); p.revoke(); return p.proxy; })() }]",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    for _ in 0..3000 {
        for bad in hostile.unchecked_ref::<Array>().iter() {
            let r = fixed("GET", "http://h/");
            Reflect::set(&r, &"query".into(), &bad).unwrap();
            expect_error("hostile query", "INVALID_OPTIONS", s.sign_request(r));
        }
    }
    let body = obj(&[("n", 2.into()), ("t", false.into())]);
    let r = fixed("POST", "http://h/");
    Reflect::set(&r, &"body".into(), &body).unwrap();
    let out = s.sign_request(r).unwrap();
    assert_eq!(get_str(&out, "body").as_deref(), Some("n=2&t=false"));
}
