#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![cfg_attr(not(target_arch = "wasm32"), forbid(unsafe_code))]
// The shipped wasm package is built without the `std` feature: see `binding::runtime`.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

// One module per step of RFC 5849, crate-private: the public surface is the re-exports below.
mod base_string;
mod body;
mod encoding;
mod params;
mod placement;
mod protocol;
mod signature;
mod uri;

mod diagnose;
mod error;
mod nonce;
// The problems and the secret-parameter rule that the verifier and the diagnosis share.
mod problem;
mod request;
mod signer;
// The verifier: in every native build, and in a wasm build that asks for it (the signing
// package's module leaves it out: compiled in, it changes how LLVM inlines the signer's shared
// steps, 276 B more gzipped, measured 2026-12-08).
#[cfg(any(not(target_arch = "wasm32"), feature = "verify"))]
pub mod verify;

// The wasm binding: the packets of each entry, the input area, the runtime of the no_std build.
#[cfg(any(target_arch = "wasm32", feature = "internals"))]
mod binding;

/// The exports of the wasm build, one group per entry, each with its Cargo feature (see
/// `src/binding/mod.rs`): `sign-exports` (`RawSigner`, `signOnce`, `inputArea`),
/// `diagnose-exports` (`diagnose`), `verify-exports` (`verifyRead`, `verifyCheck`), `bench`
/// (`BenchHmac`). The public JavaScript API over them is in `js/`.
#[cfg(target_arch = "wasm32")]
pub mod wasm {
    #[cfg(any(feature = "sign-exports", feature = "bench"))]
    pub use crate::binding::area::input_area;
    #[cfg(feature = "bench")]
    pub use crate::binding::bench::BenchHmac;
    #[cfg(feature = "diagnose-exports")]
    pub use crate::binding::diagnose::exports::*;
    #[cfg(feature = "sign-exports")]
    pub use crate::binding::sign::exports::*;
    #[cfg(feature = "verify-exports")]
    pub use crate::binding::verify::exports::*;
}

pub use body::FORM_CONTENT_TYPE;
pub use diagnose::{
    diagnose, diagnose_sent, Answer, BaseStringSource, Diagnosis, Difference, DifferenceComponent,
    DifferenceKind, Retry, Sent,
};
pub use encoding::percent_encode;
pub use error::Error;
pub use nonce::{random_nonce, NoncePool, NONCE_BYTES, NONCE_LEN};
pub use placement::Placement;
pub use problem::{is_secret_parameter, Problem};
pub use protocol::{MAX_NONCE_LEN, MAX_TIMESTAMP};
pub use request::{Body, Request, SignedRequest};
pub use signature::SignatureMethod;
pub use signer::{Mode, Runtime, Signer, SignerOptions, MAX_CLOCK_OFFSET};

/// The steps behind the public API, for the fuzz targets and the native benchmark (the
/// `internals` feature). Not a stable API.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals {
    pub use crate::binding::diagnose::diagnose_packet;
    pub use crate::binding::sign::{sign_once_packet, sign_packet, signer_from_packet};
    pub use crate::binding::verify::{verify_check_packet, verify_read_packet};
    pub use crate::encoding::for_each_form_pair;
    pub use crate::nonce::nonce_from_bytes;
    pub use crate::params::ParamList;
    pub use crate::signature::SigningKey;
    pub use crate::uri::{RequestUrl, Scheme};
}
