//! Tier 2 in Node: `wasm-pack test --node -- --test wasm_node`. Node is a server runtime, so
//! 2-legged signing is accepted here.
#![cfg(target_arch = "wasm32")]

mod wasm_common;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_common::Expect;

#[wasm_bindgen_test]
fn published_vectors() {
    wasm_common::vectors(Expect::Server);
}

#[wasm_bindgen_test]
fn published_tables() {
    wasm_common::tables();
}

#[wasm_bindgen_test]
fn every_error_code() {
    wasm_common::errors(Expect::Server);
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
