//! The verifier: the server's side of a signed request.
//!
//! Implements [RFC 5849 §3.2](https://www.rfc-editor.org/rfc/rfc5849#section-3.2): a server
//! collects the parameters of the request as it arrived (§3.4.1.3: the `Authorization` header,
//! the query, a form body: [`Param`], [`Source`]), checks the protocol parameters, recomputes the
//! signature base string and the signature with the credentials it holds, and refuses, in the
//! words of OAuth Problem Reporting ([`Refusal`]), what does not verify. Every signature method
//! of the signer is verified (HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, PLAINTEXT), and
//! `oauth_body_hash` when present.
//!
//! Two steps, so that a server can look the credentials up in between (in JavaScript, awaited):
//! [`read`] finds what the request claims (the consumer key, the token, the method) or refuses
//! a request that cannot be verified at all; [`Claim::verify`] checks it against the secrets and
//! the server's policy. The nonce is the server's to remember: [`Claim::nonce`] and
//! [`Claim::timestamp`] are what it records, checked last, only for an authentic request, and
//! [`Claim::nonce_used`] is the refusal of a replay. [`verify`] does all of it in one call.
//!
//! Checks, in order (the first failure wins; the project's local server orders them alike, and
//! `tests/differential/verify.test.mjs` holds the two to the same verdicts):
//!
//! 1. [`read`], before any lookup: the header's syntax and the encodings (one `Authorization`
//!    and one `Content-Type` header at most); each protocol parameter at most once; the
//!    required ones present (an empty value is none, and an empty `oauth_token` no token);
//!    `oauth_version` `1.0` when present; a signature method this crate knows; no body hash on
//!    a form body or with PLAINTEXT;
//! 2. the consumer, looked up by the server ([`Claim::unknown_consumer`] when it is not known);
//! 3. [`Claim::check_policy`], with that consumer's policy: a method it may use (and PLAINTEXT
//!    only over TLS or to loopback), a token when it requires one;
//! 4. the token, looked up ([`Claim::unknown_token`]);
//! 5. [`Claim::verify`]: the signature (compared in constant time), then the body hash against
//!    the body, then the timestamp's window: after the signature, so that only an authentic
//!    request is told the server's window, as the local server does;
//! 6. the nonce, the server's to record, last and only for an authentic request
//!    ([`Claim::nonce_used`]), so that a forger cannot fill the store.
//!
//! [`verify`] in one call takes one policy for every consumer, so it checks step 3 before step 2
//! (a method no consumer may use is refused without a lookup).

mod collect;
mod refuse;

pub use collect::{Param, Source};
pub use refuse::Refusal;

use crate::base_string::write_prefix;
use crate::encoding::is_form_content_type;
use crate::params::ParamList;
use crate::problem::{is_secret_parameter, Problem};
use crate::signature::{write_body_hash, SignatureMethod, SigningKey};
use crate::uri::{RequestUrl, Scheme};
use alloc::string::String;
use alloc::vec::Vec;

/// A request as a server received it.
#[derive(Debug, Clone, Copy)]
pub struct Received<'a> {
    /// The HTTP method, as received.
    pub method: &'a str,
    /// The absolute URL as the server sees it (scheme, host and port of the public address, when
    /// a proxy ends TLS in front of the server).
    pub url: &'a str,
    /// The headers, names in any case (`Authorization` and `Content-Type` are read).
    pub headers: &'a [(&'a str, &'a str)],
    /// The body bytes as received.
    pub body: &'a [u8],
}

/// What the server holds and decides.
#[derive(Debug, Clone, Copy)]
pub struct Policy<'a> {
    /// The server's clock, seconds since the epoch.
    pub now: u64,
    /// How far a timestamp may be from `now`, in seconds either way (300 is usual).
    pub window: u64,
    /// The signature methods this consumer may use.
    pub signature_methods: &'a [SignatureMethod],
    /// Whether this consumer's requests must carry a token (3-legged).
    pub require_token: bool,
    /// Whether a refused signature shows the base string the server computed (`debug_sbs`).
    pub debug_base_string: bool,
}

impl Default for Policy<'_> {
    /// HMAC-SHA1 only, a token required, a 300-second window, no `debug_sbs`, at time 0 (set
    /// `now`).
    fn default() -> Self {
        Policy {
            now: 0,
            window: 300,
            signature_methods: &[SignatureMethod::HmacSha1],
            require_token: true,
            debug_base_string: false,
        }
    }
}

/// The secrets the server looked up for a claim. `Debug` shows none.
#[derive(Clone, Copy)]
pub struct Secrets<'a> {
    /// The consumer secret.
    pub consumer_secret: &'a str,
    /// The token secret, when the request carries a token.
    pub token_secret: Option<&'a str>,
}

impl core::fmt::Debug for Secrets<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Secrets(<hidden>)")
    }
}

/// What a request claims: read from it, not yet verified. `Debug` shows a PLAINTEXT signature,
/// which is the secrets themselves, as `<hidden>` (as `SignedRequest` does).
#[derive(Clone)]
pub struct Claim {
    params: Vec<Param>,
    base_prefix: String,
    plain_http: bool,
    consumer_key: String,
    token: Option<String>,
    signature_method: SignatureMethod,
    signature: String,
    timestamp: Option<u64>,
    nonce: Option<String>,
    body_hash: Option<String>,
    /// The body, kept for its hash only when the request carries one.
    body: Vec<u8>,
    form_body: bool,
}

impl core::fmt::Debug for Claim {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        /// The parameters, the PLAINTEXT signature hidden.
        struct Params<'a>(&'a [Param], bool);
        impl core::fmt::Debug for Params<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list()
                    .entries(self.0.iter().map(|p| {
                        let value = if self.1 && p.name == "oauth_signature" {
                            "<hidden>"
                        } else {
                            p.value.as_str()
                        };
                        (p.name.as_str(), value, p.source)
                    }))
                    .finish()
            }
        }
        let plaintext = self.signature_method == SignatureMethod::Plaintext;
        f.debug_struct("Claim")
            .field("params", &Params(&self.params, plaintext))
            .field("base_prefix", &self.base_prefix)
            .field("plain_http", &self.plain_http)
            .field("consumer_key", &self.consumer_key)
            .field("token", &self.token)
            .field("signature_method", &self.signature_method)
            .field(
                "signature",
                &if plaintext {
                    "<hidden>"
                } else {
                    self.signature.as_str()
                },
            )
            .field("timestamp", &self.timestamp)
            .field("nonce", &self.nonce)
            .field("body_hash", &self.body_hash)
            .field("body", &self.body)
            .field("form_body", &self.form_body)
            .finish()
    }
}

/// A verified request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The consumer key.
    pub consumer_key: String,
    /// The token, when the request carried one.
    pub token: Option<String>,
    /// The signature method that signed it.
    pub signature_method: SignatureMethod,
    /// The request's own parameters (every parameter but the protocol ones and `realm`), in
    /// the order received: header, query, body.
    pub parameters: Vec<(String, String)>,
}

/// The protocol parameters a request may carry, each at most once.
const PROTOCOL: [&str; 10] = crate::protocol::RESERVED;

/// Reads what a request claims.
///
/// # Errors
///
/// A [`Refusal`]: `parameter_rejected` for a request that cannot be read or a protocol
/// parameter given twice, `parameter_absent` for missing ones, `version_rejected`,
/// `signature_method_rejected` for a method this crate does not know.
pub fn read(received: &Received<'_>) -> Result<Claim, Refusal> {
    let url = RequestUrl::parse(received.url).map_err(|_| {
        Refusal::malformed("the request's url cannot be read as an absolute http(s) url")
    })?;
    crate::base_string::check_method(received.method)
        .map_err(|_| Refusal::malformed("the request's method is not an HTTP token"))?;
    let header = |name: &str| {
        received
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    };
    // Two of either would make the request mean two things (which one a proxy or framework
    // keeps differs).
    for name in ["Authorization", "Content-Type"] {
        if received
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .nth(1)
            .is_some()
        {
            return Err(Refusal::malformed(
                "the request has more than one Authorization or Content-Type header",
            ));
        }
    }
    let content_type = header("Content-Type");
    let params = collect::collect(
        url.query.as_deref(),
        header("Authorization"),
        content_type,
        received.body,
    )?;

    let mut found: [Option<&str>; 10] = [None; 10];
    for p in &params {
        if let Some(i) = PROTOCOL.iter().position(|&n| n == p.name) {
            let slot = found.get_mut(i).ok_or(Refusal::malformed("internal"))?;
            if slot.is_some() {
                let name = PROTOCOL.get(i).copied().unwrap_or("oauth_");
                return Err(Refusal::new(
                    Problem::ParameterRejected,
                    "a protocol parameter is given twice",
                )
                .naming(name));
            }
            *slot = Some(&p.value);
        }
    }
    let get = |name: &str| {
        PROTOCOL
            .iter()
            .position(|&n| n == name)
            .and_then(|i| found.get(i).copied().flatten())
    };

    // An empty value is no value: a client that sends `oauth_token=""` for a consumer-only
    // request sends no token, and an empty nonce or signature is none at all.
    let present = |name: &str| get(name).filter(|v| !v.is_empty());
    let method = present("oauth_signature_method");
    let plaintext = method == Some("PLAINTEXT");
    let mut absent = Refusal::new(
        Problem::ParameterAbsent,
        "a required protocol parameter is missing",
    );
    for name in [
        "oauth_consumer_key",
        "oauth_signature_method",
        "oauth_signature",
        "oauth_timestamp",
        "oauth_nonce",
    ] {
        // PLAINTEXT may leave out the timestamp and the nonce (RFC 5849 §3.3).
        if present(name).is_none()
            && !(plaintext && matches!(name, "oauth_timestamp" | "oauth_nonce"))
        {
            absent = absent.naming(name);
        }
    }
    if !absent.parameters.is_empty() {
        return Err(absent);
    }
    if get("oauth_version").is_some_and(|v| v != "1.0") {
        return Err(Refusal::new(
            Problem::VersionRejected,
            "oauth_version must be 1.0",
        ));
    }
    let signature_method = SignatureMethod::parse(method.unwrap_or_default()).map_err(|_| {
        Refusal::new(
            Problem::SignatureMethodRejected,
            "an unknown signature method",
        )
    })?;
    // A body hash where there can be none is refused before any lookup.
    let form_body = content_type.is_some_and(is_form_content_type);
    if get("oauth_body_hash").is_some() && (form_body || !signature_method.hashes()) {
        return Err(Refusal::new(
            Problem::ParameterRejected,
            if form_body {
                "a form body has no body hash"
            } else {
                "PLAINTEXT has no body hash"
            },
        )
        .naming("oauth_body_hash"));
    }
    let timestamp = match present("oauth_timestamp") {
        None => None,
        Some(t) if !t.is_empty() && t.len() <= 16 && t.bytes().all(|b| b.is_ascii_digit()) => {
            Some(t.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')))
        }
        Some(_) => {
            return Err(Refusal::new(
                Problem::ParameterRejected,
                "oauth_timestamp is not a whole number of seconds",
            )
            .naming("oauth_timestamp"))
        }
    };

    let mut base_prefix = String::new();
    write_prefix(received.method, &url, &mut base_prefix);
    let owned = |name: &str| present(name).map(String::from);
    Ok(Claim {
        base_prefix,
        plain_http: url.scheme == Scheme::Http && !crate::signer::is_loopback(&url.host),
        consumer_key: owned("oauth_consumer_key").unwrap_or_default(),
        token: owned("oauth_token"),
        signature_method,
        signature: owned("oauth_signature").unwrap_or_default(),
        timestamp,
        nonce: owned("oauth_nonce"),
        body_hash: get("oauth_body_hash").map(String::from),
        body: if get("oauth_body_hash").is_some() {
            received.body.to_vec()
        } else {
            Vec::new()
        },
        form_body,
        params,
    })
}

/// Whether two strings are equal, in time that depends only on their lengths.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

impl Claim {
    /// The consumer key the request names.
    pub fn consumer_key(&self) -> &str {
        &self.consumer_key
    }

    /// The token the request names, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The signature method the request names.
    pub fn signature_method(&self) -> SignatureMethod {
        self.signature_method
    }

    /// The timestamp (absent only with PLAINTEXT).
    pub fn timestamp(&self) -> Option<u64> {
        self.timestamp
    }

    /// The nonce (absent only with PLAINTEXT).
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }

    /// The refusal of an unknown consumer key (`consumer_key_unknown`, 401).
    pub fn unknown_consumer(&self) -> Refusal {
        Refusal::new(Problem::ConsumerKeyRefused, "the consumer key is not known")
    }

    /// The refusal of an unknown, expired or revoked token (`token_rejected`, 401).
    pub fn unknown_token(&self) -> Refusal {
        Refusal::new(
            Problem::TokenRefused,
            "the token is not known, or not this consumer's",
        )
    }

    /// The refusal of a nonce the server has seen with this timestamp (`nonce_used`, 401).
    pub fn nonce_used(&self) -> Refusal {
        Refusal::new(
            Problem::NonceUsed,
            "the nonce was used before with this timestamp",
        )
    }

    /// The signature base string the server computes (RFC 5849 §3.4.1.1).
    pub fn base_string(&self) -> String {
        self.base_string_with(false)
    }

    /// The base string, with the value of every parameter whose name marks it as secret
    /// ([`is_secret_parameter`](crate::is_secret_parameter)) as `<hidden>` when `hide`: what
    /// `debug_sbs` shows.
    fn base_string_with(&self, hide: bool) -> String {
        let mut params = ParamList::default();
        for p in self.params.iter().filter(|p| p.name != "oauth_signature") {
            let value = if hide && is_secret_parameter(&p.name) {
                "<hidden>"
            } else {
                p.value.as_str()
            };
            params.push(&p.name, value);
        }
        let mut out = self.base_prefix.clone();
        // The encoded normalized parameters end the base string; the plain ones follow.
        let end = params.write_normalized(&mut out);
        out.truncate(end);
        out
    }

    /// Checks the claim against the policy and the secrets the server looked up: everything but
    /// the nonce, which the caller checks last ([`Claim::nonce_used`]).
    ///
    /// # Errors
    ///
    /// A [`Refusal`]: `signature_method_rejected` (a method the policy does not allow, or
    /// PLAINTEXT over plain http to a host that is not loopback), `parameter_absent` (no token
    /// where the policy requires one), `signature_invalid`, `parameter_rejected` naming
    /// `oauth_body_hash` (a body hash that does not match, on a form body, or with PLAINTEXT),
    /// `timestamp_refused` with the acceptable timestamps.
    pub fn verify(&self, secrets: &Secrets<'_>, policy: &Policy<'_>) -> Result<Verified, Refusal> {
        self.check_policy(policy)?;
        let key = SigningKey::for_method(
            self.signature_method,
            secrets.consumer_secret,
            if self.token.is_some() {
                secrets.token_secret.unwrap_or_default()
            } else {
                ""
            },
        );
        let base = self.base_string();
        let mut expected = String::new();
        key.signature(base.as_bytes()).write_to(&mut expected);
        if !same(&expected, &self.signature) {
            let mut r = Refusal::new(Problem::SignatureInvalid, "the signature does not match");
            if policy.debug_base_string {
                // The base string as signed but for the values of secret-named parameters (a
                // password in a form body): the same rule as the diagnosis and the local server.
                r.base_string = Some(
                    if self.params.iter().any(|p| is_secret_parameter(&p.name)) {
                        self.base_string_with(true)
                    } else {
                        base
                    },
                );
            }
            return Err(r);
        }
        if let Some(hash) = &self.body_hash {
            self.check_body_hash(hash)?;
        }
        if let Some(t) = self.timestamp {
            let (from, to) = (
                policy.now.saturating_sub(policy.window),
                policy.now.saturating_add(policy.window),
            );
            if t < from || t > to {
                let mut r = Refusal::new(
                    Problem::TimestampRefused,
                    "the timestamp is outside the server's window",
                );
                r.acceptable_timestamps = Some((from, to));
                return Err(r);
            }
        }
        Ok(Verified {
            consumer_key: self.consumer_key.clone(),
            token: self.token.clone(),
            signature_method: self.signature_method,
            parameters: self
                .params
                .iter()
                .filter(|p| !PROTOCOL.contains(&p.name.as_str()))
                .map(|p| (p.name.clone(), p.value.clone()))
                .collect(),
        })
    }

    /// The policy's checks: before the secrets are looked up, so that a server refuses a method
    /// it does not allow without a lookup.
    ///
    /// # Errors
    ///
    /// As in [`Claim::verify`].
    pub fn check_policy(&self, policy: &Policy<'_>) -> Result<(), Refusal> {
        if !policy.signature_methods.contains(&self.signature_method) {
            return Err(Refusal::new(
                Problem::SignatureMethodRejected,
                "this consumer may not use this signature method",
            ));
        }
        if self.signature_method == SignatureMethod::Plaintext && self.plain_http {
            return Err(Refusal::new(
                Problem::SignatureMethodRejected,
                "PLAINTEXT over plain http to a host that is not loopback",
            ));
        }
        if policy.require_token && self.token.is_none() {
            return Err(Refusal::new(
                Problem::ParameterAbsent,
                "this consumer's requests must carry a token",
            )
            .naming("oauth_token"));
        }
        Ok(())
    }

    fn check_body_hash(&self, hash: &str) -> Result<(), Refusal> {
        let rejected = |reason| {
            Err(Refusal::new(Problem::ParameterRejected, reason).naming("oauth_body_hash"))
        };
        if self.form_body {
            return rejected("a form body has no body hash");
        }
        if !self.signature_method.hashes() {
            return rejected("PLAINTEXT has no body hash");
        }
        let mut expected = String::new();
        write_body_hash(self.signature_method, &self.body, &mut expected);
        if expected != hash {
            return rejected("the body hash does not match the body");
        }
        Ok(())
    }
}

/// Verifies a request in one call: [`read`], then `consumer_secret(consumer key)` (`None`: not
/// known), `token_secret(consumer key, token)` when it carries a token (`None`: not known),
/// [`Claim::verify`], and last `nonce_fresh(consumer key, token, timestamp, nonce)`, which
/// records the nonce and says whether it is new (PLAINTEXT may have neither: not asked then).
///
/// # Errors
///
/// The first [`Refusal`] of the checks, in the order the module docs give.
pub fn verify(
    received: &Received<'_>,
    policy: &Policy<'_>,
    consumer_secret: impl FnOnce(&str) -> Option<String>,
    token_secret: impl FnOnce(&str, &str) -> Option<String>,
    nonce_fresh: impl FnOnce(&str, Option<&str>, u64, &str) -> bool,
) -> Result<Verified, Refusal> {
    let claim = read(received)?;
    claim.check_policy(policy)?;
    let consumer = consumer_secret(claim.consumer_key()).ok_or_else(|| claim.unknown_consumer())?;
    let token = match claim.token() {
        Some(t) => {
            Some(token_secret(claim.consumer_key(), t).ok_or_else(|| claim.unknown_token())?)
        }
        None => None,
    };
    let verified = claim.verify(
        &Secrets {
            consumer_secret: &consumer,
            token_secret: token.as_deref(),
        },
        policy,
    )?;
    if let (Some(t), Some(n)) = (claim.timestamp(), claim.nonce()) {
        if !nonce_fresh(claim.consumer_key(), claim.token(), t, n) {
            return Err(claim.nonce_used());
        }
    }
    Ok(verified)
}

#[cfg(test)]
mod tests;
