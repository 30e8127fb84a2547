//! Tier 2 of the verifier in Node: `wasm-pack test --node -- --features verify-exports --test
//! wasm_verify_node`.
#![cfg(all(target_arch = "wasm32", feature = "verify-exports"))]

mod wasm_verify_common;

#[wasm_bindgen_test::wasm_bindgen_test]
async fn every_published_vector_verified_and_every_refusal() {
    wasm_verify_common::run().await;
}
