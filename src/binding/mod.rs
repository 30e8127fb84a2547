//! The wasm binding: one packet in, one string out, per call; nothing is decided here.
//!
//! The package has three entries, each with its own JavaScript module and its own wasm build,
//! so that a page that signs loads none of the diagnosis or the verifier:
//!
//! | entry | Cargo feature | module | JavaScript front |
//! |---|---|---|---|
//! | `contextio-signer` | `sign-exports` | [`sign`] | `js/api.js` |
//! | `contextio-signer/diagnose` | `diagnose-exports` | [`diagnose`] | `js/diagnose-api.js` |
//! | `contextio-signer/verify` | `verify-exports` | [`verify`] | `js/verify-api.js` |
//!
//! The features are additive: `--all-features` builds one module with every export (the
//! tests), and `scripts/build-pkg.mjs` builds each entry with its one feature.
//!
//! Each front checks the caller's values and packs each call into one string ([`packet`] has
//! the format); the entry's module reads it into the core's types and writes the answer. The
//! packet readers are plain Rust with no wasm types, compiled for the binding (wasm32) and,
//! with the `internals` feature, for the tests and the fuzz targets; the exports, the input
//! area ([`area`]) and the runtime of the no_std build ([`runtime`]) are wasm32 only.

#[cfg(any(
    feature = "sign-exports",
    feature = "diagnose-exports",
    feature = "verify-exports",
    feature = "internals"
))]
pub(crate) mod packet;

#[cfg(any(feature = "sign-exports", feature = "internals"))]
pub(crate) mod sign;

#[cfg(any(feature = "diagnose-exports", feature = "internals"))]
pub(crate) mod diagnose;

#[cfg(any(feature = "verify-exports", feature = "internals"))]
pub(crate) mod verify;

#[cfg(all(
    target_arch = "wasm32",
    any(feature = "sign-exports", feature = "bench")
))]
pub(crate) mod area;

#[cfg(all(target_arch = "wasm32", feature = "bench"))]
pub(crate) mod bench;

#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
mod runtime;
