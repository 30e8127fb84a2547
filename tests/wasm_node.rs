//! Tier 2 in Node: `wasm-pack test --node -- --test wasm_node`. Node is a server runtime, so
//! 2-legged signing is accepted here.
#![cfg(all(target_arch = "wasm32", feature = "sign-exports"))]

mod wasm_common;
use wasm_common::Expect;

tier2_tests!(Expect::Server);
