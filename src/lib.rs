#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![cfg_attr(not(target_arch = "wasm32"), forbid(unsafe_code))]
// The shipped wasm package is built without the `std` feature: see `wasm_runtime`.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

pub mod base_string;
pub mod encoding;
mod error;
pub mod hmac_sha1;
pub mod params;
pub mod placement;
mod signer;
pub mod uri;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
mod wasm_runtime;

pub use error::Error;
pub use placement::Placement;
pub use signer::{
    nonce_from_bytes, random_nonce, Body, Mode, NoncePool, Request, Runtime, SignedRequest, Signer,
    SignerOptions, FORM_CONTENT_TYPE, MAX_NONCE_LEN, NONCE_BYTES,
};
