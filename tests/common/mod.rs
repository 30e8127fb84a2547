//! The one Rust helper that turns a published vector (`../shared/vectors/published.json`, or
//! the file `$CONTEXTIO_VECTORS` names) into signer options and a request (issue 9). Every
//! native test that maps a vector goes through [`options`] and [`request`]; the JavaScript
//! tiers have their own one helper, `tests/support/vectors.js`, with the same rules:
//!
//! - 3-legged when the vector has a token, else explicit 2-legged (so: a server runtime);
//! - the realm when the vector has one (never signed);
//! - the body as a string sent as it is, signed only with a form content type;
//! - `"version": false` means no `oauth_version`;
//! - the vector's fixed nonce and timestamp ([`nonce`], [`timestamp`]).
//!
//! [`pool`] holds the other helper the native tests share: nonce pools filled with known bytes.

// Each test crate uses a different part of this module.
#![allow(dead_code)]

// Fills pools through `NoncePool::next_with`, an `internals` hook.
#[cfg(feature = "internals")]
pub mod pool;

use contextio_signer::{Body, Error, Request, Runtime, SignatureMethod, Signer, SignerOptions};
use serde_json::Value;

/// The consumer and user of the tests that need some 3-legged signer (not a vector's): `ck`/`cs`
/// with the token `t`/`ts`.
pub fn user_options() -> SignerOptions<'static> {
    SignerOptions {
        consumer_key: "ck",
        consumer_secret: "cs",
        token: Some("t"),
        token_secret: Some("ts"),
        ..SignerOptions::default()
    }
}

/// RFC 5849 §3.6 percent-encoding by the `percent-encoding` crate (RFC 3986's unreserved set
/// left as it is): independent of the crate's own encoder.
pub fn rfc3986(bytes: &[u8]) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
    const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::percent_encode(bytes, RFC3986).to_string()
}

/// The whole published file, parsed.
pub fn published() -> Value {
    read_vectors("CONTEXTIO_VECTORS", "published.json")
}

/// The vectors of the other signature methods, the callback, the verifier and the body hash
/// (`../shared/vectors/methods.json`, or the file `$CONTEXTIO_METHOD_VECTORS` names), at least
/// the thirteen published so far.
pub fn method_vectors() -> Vec<Value> {
    let list = read_vectors("CONTEXTIO_METHOD_VECTORS", "methods.json")["vectors"]
        .as_array()
        .expect("methods.json has a vectors array")
        .clone();
    assert!(
        list.len() >= 13,
        "expected the method vectors, found {}",
        list.len()
    );
    list
}

fn read_vectors(variable: &str, file: &str) -> Value {
    let path = std::env::var(variable)
        .unwrap_or_else(|_| format!("{}/../shared/vectors/{file}", env!("CARGO_MANIFEST_DIR")));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the vectors at {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// The signature vectors of the published file (at least the nine published so far).
pub fn vectors() -> Vec<Value> {
    let list = published()["vectors"]
        .as_array()
        .expect("published.json has a vectors array")
        .clone();
    assert!(
        list.len() >= 9,
        "expected the published vectors, found {}",
        list.len()
    );
    list
}

/// A string field of a vector or table row, `None` when absent.
pub fn field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// A required string field.
pub fn required<'a>(v: &'a Value, key: &str) -> &'a str {
    field(v, key).unwrap_or_else(|| panic!("{}: no {key:?}", describe(v)))
}

/// How a failing vector is reported: its name and inputs, never its secrets.
pub fn describe(v: &Value) -> String {
    let mut s = format!(
        "vector {}: {} {}",
        field(v, "name").unwrap_or("?"),
        field(v, "method").unwrap_or("?"),
        field(v, "url").unwrap_or("?")
    );
    if let Some(body) = field(v, "body") {
        s.push_str(&format!(" body={body:?}"));
    }
    if let Some(ct) = field(v, "contentType") {
        s.push_str(&format!(" contentType={ct:?}"));
    }
    if let Some(m) = field(v, "signatureMethod") {
        s.push_str(&format!(" {m}"));
    }
    s
}

/// The signer options of a vector: 3-legged when it has a token; without one, the consumer-only
/// signer of a temporary-credentials request when it has a callback ([`new_user`]), else
/// explicit 2-legged (which needs [`Runtime::Server`](contextio_signer::Runtime::Server)). The
/// signature method when it names one.
pub fn options(v: &Value) -> SignerOptions<'_> {
    let token = field(v, "token");
    SignerOptions {
        consumer_key: required(v, "consumerKey"),
        consumer_secret: required(v, "consumerSecret"),
        token,
        token_secret: token.and(field(v, "tokenSecret")),
        two_legged: token.is_none() && !new_user(v),
        realm: field(v, "realm"),
        signature_method: field(v, "signatureMethod").map_or(SignatureMethod::default(), |m| {
            SignatureMethod::parse(m).unwrap_or_else(|e| panic!("{}: {e}", describe(v)))
        }),
        ..SignerOptions::default()
    }
}

/// Whether a vector is signed by the consumer-only signer (no token, a callback).
pub fn new_user(v: &Value) -> bool {
    field(v, "token").is_none() && field(v, "callback").is_some()
}

/// The signer of a vector (see [`options`]).
pub fn signer(v: &Value) -> Result<Signer, Error> {
    if new_user(v) {
        Signer::for_new_user(&options(v))
    } else {
        Signer::new(&options(v), Runtime::Server)
    }
}

/// The pairs of a vector's form body (`form`), empty without one.
pub fn form(v: &Value) -> Vec<(&str, &str)> {
    v.get("form")
        .and_then(Value::as_array)
        .map_or_else(Vec::new, |pairs| {
            pairs
                .iter()
                .map(|p| {
                    (
                        p[0].as_str().expect("a name"),
                        p[1].as_str().expect("a value"),
                    )
                })
                .collect()
        })
}

/// The request of a vector (its nonce and timestamp are [`nonce`] and [`timestamp`]): a text
/// body, or the pairs of a form body (`form`, from [`form`]), the callback, the verifier, and a
/// body hash when the vector has one.
pub fn request<'a>(v: &'a Value, form: &'a [(&'a str, &'a str)]) -> Request<'a> {
    Request {
        body: match field(v, "body") {
            Some(text) => Body::Text(text),
            None if !form.is_empty() => Body::Pairs(form),
            None => Body::None,
        },
        content_type: field(v, "contentType"),
        include_version: v.get("version") != Some(&Value::Bool(false)),
        callback: field(v, "callback"),
        verifier: field(v, "verifier"),
        body_hash: field(v, "bodyHash").is_some(),
        ..Request::new(required(v, "method"), required(v, "url"))
    }
}

/// The vector's fixed nonce.
pub fn nonce(v: &Value) -> &str {
    required(v, "nonce")
}

/// The vector's fixed timestamp (written as a decimal string in the file).
pub fn timestamp(v: &Value) -> u64 {
    required(v, "timestamp")
        .parse()
        .unwrap_or_else(|e| panic!("{}: timestamp: {e}", describe(v)))
}

/// The published signature.
pub fn signature(v: &Value) -> &str {
    required(v, "signature")
}

/// The published signature base string.
pub fn base_string(v: &Value) -> &str {
    required(v, "baseString")
}

/// The rows of one of the published tables (`percentEncoding`, `baseStringUri`,
/// `normalizeParameters`).
pub fn table(name: &str) -> Vec<Value> {
    let rows = published()[name]
        .as_array()
        .unwrap_or_else(|| panic!("published.json has no {name} table"))
        .clone();
    assert!(!rows.is_empty(), "the {name} table is empty");
    rows
}
