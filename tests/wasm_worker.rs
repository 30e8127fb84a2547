//! Tier 2 in a dedicated worker of a headless browser: a worker is no server either.
#![cfg(target_arch = "wasm32")]

mod wasm_common;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_common::Expect;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
fn published_vectors() {
    wasm_common::vectors(Expect::Browser);
}

#[wasm_bindgen_test]
fn published_tables() {
    wasm_common::tables();
}

#[wasm_bindgen_test]
fn every_error_code() {
    wasm_common::errors(Expect::Browser);
}

#[wasm_bindgen_test]
fn default_nonce_and_timestamp() {
    wasm_common::defaults();
}

#[wasm_bindgen_test]
fn no_secret_is_shown() {
    wasm_common::no_secret_shown();
}

#[wasm_bindgen_test]
fn query_and_body_values() {
    wasm_common::values();
}
