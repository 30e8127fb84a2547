//! Tier 2 of the verifier, shared by the Node and worker test binaries: the verify entry's
//! JavaScript side (`js/verify-api.js`, loaded here as it ships) over this test build of the
//! `verify-exports` binding, through the checks every tier shares
//! (`tests/support/verify-checks.js`): every published vector accepted in the header and the
//! query, each refusal with its word, status and challenge, `debug_sbs` the published base
//! string, and the calls that are wrong themselves.

use contextio_signer::wasm::{verify_check, verify_read};
use js_sys::{Array, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The published vectors, compiled in (a wasm test cannot read files).
const PUBLISHED: &str = include_str!("../../../shared/vectors/published.json");
const METHODS: &str = include_str!("../../../shared/vectors/methods.json");

#[wasm_bindgen(module = "/js/verify-api.js")]
extern "C" {
    #[wasm_bindgen(js_name = createVerify)]
    fn create_verify(raw: &Object) -> js_sys::Function;
}

// js/verify-api.js imports ./headers.js: the import here makes wasm-bindgen copy it beside (its
// snippets keep the crate's paths).
#[wasm_bindgen(module = "/js/headers.js")]
extern "C" {
    #[wasm_bindgen(js_name = headerPairs)]
    fn header_pairs(headers: &JsValue, what: &str, fail: &JsValue) -> JsValue;
}

#[wasm_bindgen(module = "/tests/support/verify-checks.js")]
extern "C" {
    #[wasm_bindgen(js_name = checkVerify)]
    fn check_verify(verify_request: &js_sys::Function, docs: &Array) -> Promise;
    fn failures(checks: &JsValue) -> Array;
}

/// `verifyRequest` as the package builds it (`js/verify.js`), over this build's exports.
fn verify_request() -> js_sys::Function {
    let read = Closure::<dyn Fn(String, Vec<u8>) -> String>::new(|p: String, b: Vec<u8>| {
        verify_read(&p, &b)
    });
    let check = Closure::<dyn Fn(String, Vec<u8>) -> String>::new(|p: String, b: Vec<u8>| {
        verify_check(&p, &b)
    });
    let raw = Object::new();
    Reflect::set(&raw, &"verifyRead".into(), read.as_ref()).unwrap();
    Reflect::set(&raw, &"verifyCheck".into(), check.as_ref()).unwrap();
    // The function lives as long as the test binary.
    read.forget();
    check.forget();
    create_verify(&raw)
}

/// Runs every check; fails with the list of those that failed.
pub async fn run() {
    let pairs = JSON::parse(r#"[["Authorization","OAuth x"]]"#).unwrap();
    let fail = Closure::<dyn Fn(String) -> JsValue>::new(|m: String| js_sys::Error::new(&m).into());
    let pairs = JSON::stringify(&header_pairs(&pairs, "h", fail.as_ref())).unwrap();
    assert_eq!(String::from(pairs), r#"[["Authorization","OAuth x"]]"#);

    let docs = Array::of2(
        &JSON::parse(PUBLISHED).expect("published.json parses"),
        &JSON::parse(METHODS).expect("methods.json parses"),
    );
    let checks = JsFuture::from(check_verify(&verify_request(), &docs))
        .await
        .expect("the checks ran");
    let count = Array::from(&checks).length();
    let failed: Vec<String> = failures(&checks)
        .iter()
        .map(|f| f.as_string().unwrap_or_default())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {count} checks failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    // 22 vectors, a dozen checks each, and the calls.
    assert!(count >= 300, "only {count} checks ran");
}
