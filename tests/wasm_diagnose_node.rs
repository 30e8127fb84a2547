//! Tier 2 of the diagnosis in Node: `wasm-pack test --node -- --features diagnose-exports --test
//! wasm_diagnose_node`.
#![cfg(all(target_arch = "wasm32", feature = "diagnose-exports"))]

mod wasm_diagnose_common;

#[wasm_bindgen_test::wasm_bindgen_test]
fn every_recorded_refusal_as_the_core_answers() {
    wasm_diagnose_common::run();
}
