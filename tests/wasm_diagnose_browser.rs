//! Tier 2 of the diagnosis in a browser page: `wasm-pack test --headless --chrome` /
//! `--firefox`, `-- --features diagnose-exports --test wasm_diagnose_browser`.
#![cfg(all(target_arch = "wasm32", feature = "diagnose-exports"))]

mod wasm_diagnose_common;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test::wasm_bindgen_test]
fn every_recorded_refusal_as_the_core_answers() {
    wasm_diagnose_common::run();
}
