//! Tier 2 in a browser page: `wasm-pack test --headless --chrome` / `--firefox`, `-- --test
//! wasm_browser`. A page distributes the consumer secret, so 2-legged signing is refused.
#![cfg(all(target_arch = "wasm32", feature = "sign-exports"))]

mod wasm_common;
use wasm_common::Expect;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

tier2_tests!(Expect::Browser);
