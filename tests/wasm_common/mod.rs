//! Tier 2, shared by the Node, browser-page and worker test binaries: the package's JavaScript
//! API (`js/api.js`, loaded here as it ships) over this test build of the wasm binding, in
//! whichever runtime the binary runs in, through the checks every tier shares
//! (`tests/support/api-checks.js`): the published vectors, every error code, the strict input
//! rules, values and hostile objects, defaults, and no secret shown.

use contextio_signer::wasm::{input_area, sign_once, RawSigner};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

/// Defines the tier-2 tests in a test binary, for the runtime it runs in (`Expect::Server` in
/// Node, `Expect::Browser` in pages and workers): one test per group of checks.
#[macro_export]
macro_rules! tier2_tests {
    ($expect:expr) => {
        #[wasm_bindgen_test::wasm_bindgen_test]
        fn published_vectors() {
            wasm_common::run("vectors", $expect);
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn published_tables() {
            wasm_common::run("tables", $expect);
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn every_error_code() {
            wasm_common::run("errors", $expect);
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn strict_input() {
            wasm_common::run("strict", $expect);
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn query_and_body_values() {
            wasm_common::run("values", $expect);
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn default_nonce_and_timestamp() {
            wasm_common::run("defaults", $expect);
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn method_vectors() {
            wasm_common::run("methods", $expect);
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn no_secret_is_shown() {
            wasm_common::run("secrets", $expect);
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn the_runtime_is_detected() {
            wasm_common::runtime_detected($expect);
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn the_input_area_is_read_safely() {
            wasm_common::input_area_reads();
        }

        #[wasm_bindgen_test::wasm_bindgen_test]
        fn no_call_of_the_binding_inside_a_read() {
            wasm_common::calls_inside_a_read();
        }
    };
}

/// The published vectors, compiled in (a wasm test cannot read files).
const PUBLISHED: &str = include_str!("../../../shared/vectors/published.json");
/// The vectors of the other signature methods, the callback, the verifier and the body hash.
const METHODS: &str = include_str!("../../../shared/vectors/methods.json");

/// Whether this binary runs where 2-legged signing is allowed (each binary uses one variant).
#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Expect {
    Server,
    Browser,
}

#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    #[wasm_bindgen(js_name = createApi)]
    fn create_api(raw: &Object) -> JsValue;
}

#[wasm_bindgen(module = "/js/suggest.js")]
extern "C" {
    /// The package's did-you-mean rule, as the package hands it to `createApi`.
    #[wasm_bindgen(thread_local_v2, js_name = didYouMean)]
    static DID_YOU_MEAN: JsValue;
}

#[wasm_bindgen(module = "/tests/support/vectors.js")]
extern "C" {
    #[wasm_bindgen(js_name = vectorOptions)]
    fn vector_options(vector: &JsValue) -> JsValue;
}

#[wasm_bindgen(module = "/tests/support/api-checks.js")]
extern "C" {
    #[wasm_bindgen(js_name = checkApi)]
    fn check_api(api: &JsValue, published: &JsValue, options: &Object) -> JsValue;
    fn failures(checks: &JsValue) -> Array;
}

fn set(o: &Object, key: &str, value: &JsValue) {
    Reflect::set(o, &key.into(), value).expect("set a property of a fresh object");
}

/// The public API as the package builds it (`js/contextio_signer.js`), over this build's
/// binding: `inputArea` is the exported function (the front writes each packet into this
/// module's memory), `createSigner` makes a real `RawSigner` (whose `sign` is the exported method
/// the package calls), `signOnce` is the exported function.
fn api() -> JsValue {
    let input_area = Closure::<dyn Fn(usize) -> JsValue>::new(|bytes: usize| {
        input_area(bytes).map_or(JsValue::UNDEFINED, JsValue::from)
    });
    let create_signer = Closure::<dyn Fn(usize, bool) -> Result<JsValue, JsValue>>::new(
        |len: usize, new_user: bool| {
            RawSigner::new(len, new_user)
                .map(JsValue::from)
                .map_err(JsValue::from)
        },
    );
    let sign_once = Closure::<dyn Fn(usize) -> String>::new(sign_once);
    let raw = Object::new();
    set(&raw, "inputArea", input_area.as_ref());
    set(&raw, "createSigner", create_signer.as_ref());
    set(&raw, "signOnce", sign_once.as_ref());
    DID_YOU_MEAN.with(|f| set(&raw, "didYouMean", f));
    // The API lives as long as the test binary.
    input_area.forget();
    create_signer.forget();
    sign_once.forget();
    create_api(&raw)
}

/// Runs one group of the shared checks and fails with every failed check.
pub fn run(group: &str, expect: Expect) {
    let published = JSON::parse(PUBLISHED).expect("published.json parses");
    let options = Object::new();
    set(
        &options,
        "server",
        &JsValue::from_bool(expect == Expect::Server),
    );
    set(&options, "groups", &Array::of1(&group.into()));
    set(
        &options,
        "methods",
        &JSON::parse(METHODS).expect("methods.json parses"),
    );
    let result = check_api(&api(), &published, &options);
    let checks = Reflect::get(&result, &"checks".into()).expect("checks");
    let count = checks.unchecked_ref::<Array>().length();
    let failed: Vec<String> = failures(&checks)
        .iter()
        .filter_map(|f| f.as_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {count} checks failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    // Each group's size, as a floor: a group that silently stopped checking fails here.
    let least = match group {
        "vectors" => 10,
        "tables" => 20,
        "errors" => 50,
        "strict" => 25,
        "values" => 15,
        "methods" => 100,
        _ => 4,
    };
    assert!(count >= least, "group {group} ran only {count} checks");
}

/// The runtime this binary runs in is detected as what it is: the published 2-legged vectors'
/// options (from the one vector helper) build a signer exactly in Node.
pub fn runtime_detected(expect: Expect) {
    let api = api();
    let signer_class = Reflect::get(&api, &"Signer".into()).expect("Signer");
    let published = JSON::parse(PUBLISHED).expect("published.json parses");
    let vectors: Array = Reflect::get(&published, &"vectors".into())
        .expect("vectors")
        .unchecked_into();
    let mut two_legged = 0;
    for v in vectors.iter() {
        if !Reflect::get(&v, &"token".into())
            .expect("token")
            .is_undefined()
        {
            continue;
        }
        two_legged += 1;
        let options = vector_options(&v);
        let result = Reflect::construct(
            signer_class.unchecked_ref::<js_sys::Function>(),
            &Array::of1(&options),
        );
        match expect {
            Expect::Server => {
                let signer = result.expect("twoLegged is accepted in Node");
                let mode = Reflect::get(&signer, &"mode".into()).expect("mode");
                assert_eq!(mode.as_string().as_deref(), Some("two-legged"));
            }
            Expect::Browser => {
                let error = result.expect_err("twoLegged is refused in a browser");
                let code = Reflect::get(&error, &"code".into()).expect("code");
                assert_eq!(code.as_string().as_deref(), Some("TWO_LEGGED_FORBIDDEN"));
            }
        }
    }
    assert!(
        two_legged > 0,
        "the published vectors have no 2-legged vector"
    );
}

/// The binding reads its input area defensively: a packet length past the area's end, or bytes
/// that are not UTF-8, are the malformed-packet error (never a trap, never a read past the
/// area), and an area the module cannot get is `undefined` (the front's `INVALID_BODY`), after
/// which a normal area is had again.
pub fn input_area_reads() {
    let past = {
        input_area(64).expect("an area of 64 bytes");
        sign_once(65)
    };
    assert!(malformed(&past), "a length past the area: {past:?}");
    // Taken again: the call above may have grown wasm memory, which detaches an older view.
    let view = input_area(64).expect("an area of 64 bytes");
    assert_eq!(view.length(), 64);
    // `S` (the runtime), then a lone continuation byte and an overlong `/`.
    view.subarray(0, 4).copy_from(&[b'S', 0x80, 0xC0, 0xAF]);
    let not_utf8 = sign_once(4);
    assert!(
        malformed(&not_utf8),
        "bytes that are not UTF-8: {not_utf8:?}"
    );
    let refused = RawSigner::new(4, false).err().unwrap_or_default();
    assert!(
        malformed(&refused),
        "a signer from bytes that are not UTF-8: {refused:?}"
    );
    assert!(
        input_area(usize::MAX).is_none(),
        "an area of usize::MAX bytes (more than any allocation may be) is undefined"
    );
    let again = input_area(16384).expect("a normal area after a refused one");
    assert_eq!(again.length(), 16384);
}

/// The malformed-packet error answer.
fn malformed(answer: &str) -> bool {
    answer.starts_with("\u{0}INVALID_OPTIONS\u{1}internal: ")
}

/// A page's `crypto.getRandomValues` that calls the binding itself, past the front, while the
/// core reads a packet in place (it draws a nonce): the area cannot be resized under the read
/// (`undefined`) and no second packet is read (the malformed-packet error), and the signature
/// around them is whole.
pub fn calls_inside_a_read() {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).expect("crypto");
    let real: js_sys::Function = Reflect::get(&crypto, &"getRandomValues".into())
        .expect("getRandomValues")
        .unchecked_into();
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let hook = {
        let (crypto, seen) = (crypto.clone(), seen.clone());
        Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(move |array: JsValue| {
            let resized = input_area(16).is_some();
            let inner = sign_once(0);
            seen.borrow_mut().push((resized, inner));
            real.call1(&crypto, &array)
        })
    };
    set(crypto.unchecked_ref(), "getRandomValues", hook.as_ref());
    let api = api();
    let signed = (|| {
        let signer_class: js_sys::Function = Reflect::get(&api, &"Signer".into())?.unchecked_into();
        let options = JSON::parse(
            r#"{"consumerKey":"ck","consumerSecret":"cs","token":"tk","tokenSecret":"ts"}"#,
        )?;
        let signer = Reflect::construct(&signer_class, &Array::of1(&options))?;
        let sign: js_sys::Function = Reflect::get(&signer, &"signRequest".into())?.unchecked_into();
        let request = JSON::parse(r#"{"method":"GET","url":"http://outer.example/x?a=b"}"#)?;
        sign.call1(&signer, &request)
    })();
    Reflect::delete_property(crypto.unchecked_ref::<Object>(), &"getRandomValues".into())
        .expect("the page's getRandomValues removed");
    let signed = signed.expect("the outer signature");
    let base = Reflect::get(&signed, &"baseString".into())
        .expect("baseString")
        .as_string()
        .unwrap_or_default();
    assert!(
        base.starts_with("GET&http%3A%2F%2Fouter.example%2Fx&a%3Db%26oauth_consumer_key%3Dck%26"),
        "the outer signature is whole: {base}"
    );
    let seen = seen.borrow();
    assert!(
        !seen.is_empty(),
        "the core drew a nonce through getRandomValues"
    );
    for (resized, inner) in seen.iter() {
        assert!(!resized, "the area was resized under the read");
        assert!(
            malformed(inner),
            "a packet was read inside a read: {inner:?}"
        );
    }
}
