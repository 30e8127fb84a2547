//! A thin wasm-bindgen wrapper over the `oauth1-request` crate (0.6), for the benchmark only:
//! the credentials are kept in a [`Signer`], and [`Signer::authorize`] signs one request with
//! `oauth1_request::Builder` over an `oauth1_request::ParameterList` and returns the
//! `Authorization` header, as a Rust caller of the crate would write it.
//!
//! `ParameterList` takes parameter names as they are ("must be URI-safe"): the crate never
//! percent-encodes names, so a request whose names need encoding (the benchmark's large
//! request has `tags[12]`) would be signed wrongly, and the benchmark runs this contender on
//! the listing and new-user requests only.
use std::num::NonZeroU64;

use oauth1_request::{Builder, Credentials, ParameterList, HMAC_SHA1};
use wasm_bindgen::prelude::*;

/// One consumer, with or without a token.
#[wasm_bindgen]
pub struct Signer {
    client_key: String,
    client_secret: String,
    token: Option<(String, String)>,
}

#[wasm_bindgen]
impl Signer {
    /// Credentials of a consumer, and of a token when both `token` and `token_secret` are given.
    #[wasm_bindgen(constructor)]
    pub fn new(consumer_key: String, consumer_secret: String, token: Option<String>, token_secret: Option<String>) -> Signer {
        Signer {
            client_key: consumer_key,
            client_secret: consumer_secret,
            token: token.zip(token_secret),
        }
    }

    /// The `Authorization` header of one HMAC-SHA1 request: `url` without its query, `pairs`
    /// the query or form parameters as name, value, name, value, ... (names must be URI-safe),
    /// with `oauth_version="1.0"` as the other contenders send it. `timestamp` is a JavaScript
    /// number (seconds), as `Date.now() / 1000` gives it, rather than a `u64`'s BigInt.
    pub fn authorize(&self, method: &str, url: &str, pairs: Vec<String>, nonce: &str, timestamp: f64) -> String {
        let list: Vec<(&str, &str)> = pairs.chunks_exact(2).map(|p| (p[0].as_str(), p[1].as_str())).collect();
        let request = ParameterList::new(list);
        let mut builder = Builder::<_, &str, &str>::new(Credentials::new(self.client_key.as_str(), self.client_secret.as_str()), HMAC_SHA1);
        if let Some((key, secret)) = &self.token {
            builder.token(Credentials::new(key.as_str(), secret.as_str()));
        }
        builder.nonce(nonce).timestamp(NonZeroU64::new(timestamp as u64)).version(true);
        builder.authorize(method, url, &request)
    }
}
