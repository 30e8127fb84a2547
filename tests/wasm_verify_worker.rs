//! Tier 2 of the verifier in a dedicated worker of a headless browser (a server runtime such as
//! a Cloudflare worker is one): `wasm-pack test --headless --chrome` / `--firefox`, `--
//! --features verify-exports --test wasm_verify_worker`.
#![cfg(all(target_arch = "wasm32", feature = "verify-exports"))]

mod wasm_verify_common;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test::wasm_bindgen_test]
async fn every_published_vector_verified_and_every_refusal() {
    wasm_verify_common::run().await;
}
