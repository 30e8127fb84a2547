//! Tier 2 in a dedicated worker of a headless browser: a worker is no server either.
#![cfg(all(target_arch = "wasm32", feature = "sign-exports"))]

mod wasm_common;
use wasm_common::Expect;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

tier2_tests!(Expect::Browser);
