//! Tier 2 of the diagnosis (issue 16), shared by the Node and browser-page test binaries: the
//! diagnose entry's JavaScript side (`js/diagnose-api.js`, loaded here as it ships) over this
//! test build of the `diagnose` binding, on every recorded refusal of
//! `tests/support/refusals.json`. Each answer must be the Rust core's own (`diagnose_sent`, the
//! core compiled to wasm in this very binary), and name the problem written in the case.

use contextio_signer::wasm::diagnose;
use js_sys::JSON;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[path = "../common/refusals.rs"]
mod refusals;

const REFUSALS: &str = include_str!("../support/refusals.json");

#[wasm_bindgen(module = "/js/diagnose-api.js")]
extern "C" {
    #[wasm_bindgen(js_name = createDiagnose)]
    fn create_diagnose(diagnose: &JsValue) -> js_sys::Function;
}

// js/diagnose-api.js imports ./headers.js: the import here makes wasm-bindgen copy it beside
// (its snippets keep the crate's paths), and `run` checks it once.
#[wasm_bindgen(module = "/js/headers.js")]
extern "C" {
    #[wasm_bindgen(js_name = headerPairs)]
    fn header_pairs(headers: &JsValue, what: &str, fail: &JsValue) -> JsValue;
}

/// Runs every recorded refusal through the JavaScript entry and compares with the core.
pub fn run() {
    let object = JSON::parse(r#"{"Date":"x","X-Two":["a","b"],"Skip":null}"#).unwrap();
    let fail = Closure::<dyn Fn(String) -> JsValue>::new(|m: String| js_sys::Error::new(&m).into());
    let pairs = JSON::stringify(&header_pairs(&object, "h", fail.as_ref())).unwrap();
    assert_eq!(
        String::from(pairs),
        r#"[["Date","x"],["X-Two","a"],["X-Two","b"]]"#
    );
    let raw = Closure::<dyn Fn(String) -> String>::new(|packet: String| diagnose(&packet));
    let diagnose_refusal = create_diagnose(raw.as_ref());
    raw.forget();
    let doc: Value = serde_json::from_str(REFUSALS).expect("refusals.json");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= 12);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let sent = &case["sent"];
        let signed = serde_json::json!({
            "baseString": sent["baseString"],
            "oauthParameters": match sent["timestamp"].as_u64() {
                Some(t) => serde_json::json!({ "oauth_timestamp": t.to_string() }),
                None => serde_json::json!({}),
            },
        });
        let js_signed = JSON::parse(&signed.to_string()).unwrap();
        let js_answer = JSON::parse(&case["answer"].to_string()).unwrap();
        let js = diagnose_refusal
            .call2(&JsValue::NULL, &js_signed, &js_answer)
            .unwrap_or_else(|e| panic!("{name}: diagnoseRefusal threw {e:?}"));
        let js: Value = serde_json::from_str(&String::from(JSON::stringify(&js).unwrap())).unwrap();

        let core = refusals::diagnose_case(case);
        let core: Value = serde_json::from_str(&core.to_json()).unwrap();
        assert_eq!(js, core, "{name}: JS and Rust answer alike");
        assert_eq!(js["problem"], case["expect"]["problem"], "{name}");
    }
}
