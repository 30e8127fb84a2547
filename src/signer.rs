//! The signer: its options, the 3-legged rule, and the whole signing call
//! ([RFC 5849 §3](https://www.rfc-editor.org/rfc/rfc5849#section-3)).
//!
//! The rule this crate exists for: an API key used from a browser must be used 3-legged, with
//! each user's own access token, because a page, worker or extension distributes the consumer
//! secret. So a [`Signer`] is refused *at construction* without a token and token secret,
//! unless 2-legged signing is asked for explicitly in a server runtime; and the one
//! consumer-only signer allowed everywhere, [`Signer::for_new_user`], signs nothing but the
//! requests that add a user and RFC 5849 §2.1's temporary-credentials request (a `POST` that
//! names a callback).
//!
//! Signing is deterministic: the nonce and the timestamp are inputs of [`Signer::sign`].
//! [`Signer::sign_with`] applies the defaults (a nonce from a [`NoncePool`], the clock plus the
//! signer's clock offset) from a clock reading the caller supplies.

use crate::base_string::{check_method, write_prefix};
use crate::body::{plan, BodyPlan};
use crate::encoding::{decimal, encode_into, percent_encode, UNRESERVED};
use crate::error::Error;
use crate::nonce::NoncePool;
use crate::params::ParamList;
use crate::placement::{check_realm, span, write_request, Placement, SentBody};
use crate::protocol::{
    check_callback, check_nonce, check_timestamp, check_verifier, reserved_parameter_error,
    Protocol, PROTOCOL_LEN, RESERVED,
};
use crate::request::{Body, Request, SignedRequest};
use crate::signature::{write_body_hash, SignatureMethod, SigningKey};
use crate::uri::{path_ends_with_segment, RequestUrl, Scheme};
use alloc::borrow::ToOwned;
use alloc::string::String;
use core::fmt;
use core::ops::Range;

/// Where a signer is being constructed; decides whether 2-legged signing is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// A server runtime (Node, Deno, Bun; native Rust), where a consumer secret can stay secret.
    Server,
    /// A browser page, a worker, an extension, or anything not positively known to be a server.
    Browser,
}

/// What a signer signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Consumer key and a user's access token (the only mode for requests about a user in a
    /// browser).
    ThreeLegged,
    /// Consumer key only, explicitly opted into, server runtimes only.
    TwoLegged,
    /// Consumer key only, limited to adding users ([`Signer::for_new_user`]).
    NewUser,
}

impl Mode {
    /// `"three-legged"`, `"two-legged"` or `"new-user"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Mode::ThreeLegged => "three-legged",
            Mode::TwoLegged => "two-legged",
            Mode::NewUser => "new-user",
        }
    }
}

/// The most a clock offset may shift the clock, in seconds (ten years).
pub const MAX_CLOCK_OFFSET: i64 = 10 * 366 * 86_400;

/// The message for a clock offset that breaks the rule.
pub(crate) const CLOCK_OFFSET_RULE: &str =
    "the clock offset must be a whole number of seconds, at most ten years either way";

/// The options of [`Signer::new`] and [`Signer::for_new_user`].
#[derive(Clone, Default)]
pub struct SignerOptions<'a> {
    /// The consumer key (API key); required, non-empty.
    pub consumer_key: &'a str,
    /// The consumer secret; required, non-empty.
    pub consumer_secret: &'a str,
    /// The user's access token (`access_token`).
    pub token: Option<&'a str>,
    /// The user's access token secret (`access_token_secret`).
    pub token_secret: Option<&'a str>,
    /// Explicit opt-in to 2-legged signing (server runtimes only).
    pub two_legged: bool,
    /// The default `realm` of the Authorization header (never signed); printable ASCII.
    pub realm: Option<&'a str>,
    /// The default placement of the protocol parameters.
    pub placement: Placement,
    /// Whole seconds added to the clock for default timestamps (server clock correction), at
    /// most [`MAX_CLOCK_OFFSET`] either way.
    pub clock_offset: i64,
    /// How requests are signed; HMAC-SHA1 (Context.IO's method) by default.
    pub signature_method: SignatureMethod,
}

impl fmt::Debug for SignerOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignerOptions")
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &"<hidden>")
            .field("token", &self.token)
            .field("token_secret", &self.token_secret.map(|_| "<hidden>"))
            .field("two_legged", &self.two_legged)
            .field("realm", &self.realm)
            .field("placement", &self.placement)
            .field("clock_offset", &self.clock_offset)
            .field("signature_method", &self.signature_method)
            .finish()
    }
}

/// An OAuth 1.0a signer for one consumer and, usually, one user, with one signature method.
///
/// Holds its secrets only as a precomputed HMAC key; `Debug` shows no secret.
#[derive(Clone)]
pub struct Signer {
    consumer_key: String,
    consumer_key_encoded: String,
    token: Option<(String, String)>,
    key: SigningKey,
    mode: Mode,
    realm: Option<String>,
    placement: Placement,
    clock_offset: i64,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("consumer_key", &self.consumer_key)
            .field("mode", &self.mode)
            .field("signature_method", &self.key.method())
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

/// What a forNewUser signer may sign: `POST` to a path ending in one of these (Context.IO Lite
/// and 2.0: adding a user, an account, or a connect token).
const NEW_USER_PATHS: [&str; 3] = ["users", "accounts", "connect_tokens"];

impl Signer {
    /// Builds a signer, enforcing the 3-legged rule.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidOptions`]: an empty consumer key or secret, `two_legged` together with
    ///   a token, a realm that is not printable ASCII, a clock offset beyond ten years.
    /// - [`Error::ThreeLeggedRequired`]: no non-empty token and token secret, and no
    ///   `two_legged`.
    /// - [`Error::TwoLeggedForbidden`]: `two_legged` outside [`Runtime::Server`].
    pub fn new(options: &SignerOptions<'_>, runtime: Runtime) -> Result<Signer, Error> {
        check_consumer(options)?;
        let token = non_empty(options.token);
        let token_secret = non_empty(options.token_secret);
        let mode = if options.two_legged {
            if options.token.is_some() || options.token_secret.is_some() {
                return Err(Error::InvalidOptions(
                    "2-legged signing cannot be combined with a token or token secret; drop one or the other",
                ));
            }
            if runtime != Runtime::Server {
                return Err(Error::TwoLeggedForbidden);
            }
            Mode::TwoLegged
        } else {
            match (token, token_secret) {
                (Some(_), Some(_)) => Mode::ThreeLegged,
                (None, None) => {
                    return Err(Error::ThreeLeggedRequired(
                        "a token and token secret are required: sign each user's requests with that user's access_token and access_token_secret (the consumer-only signer for new users adds users)",
                    ))
                }
                (Some(_), None) => {
                    return Err(Error::ThreeLeggedRequired(
                        "the token secret is missing or empty: it is the user's access_token_secret",
                    ))
                }
                (None, Some(_)) => {
                    return Err(Error::ThreeLeggedRequired(
                        "the token is missing or empty: it is the user's access_token",
                    ))
                }
            }
        };
        Ok(Signer::build(
            options,
            token,
            token_secret.unwrap_or(""),
            mode,
        ))
    }

    /// Builds the consumer-only signer that may only add users: it signs `POST` to a path
    /// ending in `/users`, `/accounts` or `/connect_tokens` (Context.IO Lite and 2.0), and a
    /// `POST` with a [`callback`](Request::callback), the temporary-credentials request of
    /// RFC 5849 §2.1 (at any URL: the provider names it), and nothing else. Allowed in every
    /// runtime.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOptions`] for an empty consumer key or secret, any token or
    /// `two_legged` in the options, a bad realm or clock offset.
    pub fn for_new_user(options: &SignerOptions<'_>) -> Result<Signer, Error> {
        check_consumer(options)?;
        if options.token.is_some() || options.token_secret.is_some() || options.two_legged {
            return Err(Error::InvalidOptions(
                "the consumer-only signer for new users takes no token and is never 2-legged: sign a user's requests with that user's token and token secret",
            ));
        }
        Ok(Signer::build(options, None, "", Mode::NewUser))
    }

    fn build(
        options: &SignerOptions<'_>,
        token: Option<&str>,
        token_secret: &str,
        mode: Mode,
    ) -> Signer {
        Signer {
            consumer_key: options.consumer_key.to_owned(),
            consumer_key_encoded: percent_encode(options.consumer_key),
            token: token.map(|t| (t.to_owned(), percent_encode(t))),
            key: SigningKey::for_method(
                options.signature_method,
                options.consumer_secret,
                token_secret,
            ),
            mode,
            realm: options.realm.map(str::to_owned),
            placement: options.placement,
            clock_offset: options.clock_offset,
        }
    }

    /// `Signer(consumerKey=..., mode=...)`: what a signer shows of itself, never a secret.
    pub fn summary(&self) -> String {
        let mut s = String::with_capacity(40 + self.consumer_key.len());
        s.push_str("Signer(consumerKey=");
        s.push_str(&self.consumer_key);
        s.push_str(", mode=");
        s.push_str(self.mode.as_str());
        s.push(')');
        s
    }

    /// The consumer key.
    pub fn consumer_key(&self) -> &str {
        &self.consumer_key
    }

    /// The mode this signer signs in.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The signature method this signer signs with.
    pub fn signature_method(&self) -> SignatureMethod {
        self.key.method()
    }

    /// The default placement.
    pub fn placement(&self) -> Placement {
        self.placement
    }

    /// The clock offset in seconds.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset
    }

    /// The default timestamp for a clock reading of `unix_now` seconds: the reading plus the
    /// signer's clock offset.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTimestamp`] when the result is negative or beyond 2^53 - 1.
    pub fn timestamp_at(&self, unix_now: i64) -> Result<u64, Error> {
        let t = unix_now
            .checked_add(self.clock_offset)
            .and_then(|t| u64::try_from(t).ok())
            .ok_or(Error::InvalidTimestamp(
                "the clock plus the clock offset gives a negative timestamp",
            ))?;
        check_timestamp(t)?;
        Ok(t)
    }

    /// Signs with the defaults for what the caller leaves out: the nonce is `nonce`, or else
    /// the next of `nonces`; the timestamp is `timestamp`, or else the clock reading
    /// `unix_now_ms` (milliseconds since the epoch, as `Date.now()` gives it) in whole seconds
    /// plus the signer's clock offset.
    ///
    /// # Errors
    ///
    /// As [`sign`](Signer::sign), plus [`Error::RandomUnavailable`] when a nonce is needed and
    /// the platform has no random generator, and [`Error::InvalidTimestamp`] from
    /// [`timestamp_at`](Signer::timestamp_at).
    pub fn sign_with(
        &self,
        request: &Request<'_>,
        nonce: Option<&str>,
        timestamp: Option<u64>,
        nonces: &mut NoncePool,
        unix_now_ms: i64,
    ) -> Result<SignedRequest, Error> {
        let timestamp = match timestamp {
            Some(t) => t,
            None => self.timestamp_at(unix_now_ms.div_euclid(1000))?,
        };
        // Check the request before drawing: a refused request must not use up a nonce.
        let prepared = self.prepare(request, nonce, timestamp)?;
        let drawn;
        let nonce = match nonce {
            Some(n) => n,
            None => {
                drawn = nonces.next_nonce()?;
                drawn.as_str()
            }
        };
        Ok(self.finish(request, prepared, nonce, timestamp))
    }

    /// Signs a request now: a fresh random nonce and the system clock plus the clock offset.
    /// Not on `wasm32-unknown-unknown`, which has no clock (there, the JavaScript API supplies
    /// `Date.now()` through [`sign_with`](Signer::sign_with)).
    ///
    /// # Errors
    ///
    /// As [`sign_with`](Signer::sign_with).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn sign_now(&self, request: &Request<'_>) -> Result<SignedRequest, Error> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let timestamp = self.timestamp_at(now.div_euclid(1000))?;
        self.sign(request, &crate::nonce::random_nonce()?, timestamp)
    }

    /// Signs a request with the given nonce and timestamp.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfScope`] for a [`for_new_user`](Signer::for_new_user) signer outside its
    /// scope; [`Error::PlaintextNeedsHttps`] for PLAINTEXT over plain `http:` to another host
    /// than loopback; [`Error::InvalidMethod`], [`Error::InvalidUrl`],
    /// [`Error::InvalidEncoding`], [`Error::InvalidBody`] (also a body hash of a form body),
    /// [`Error::InvalidPlacement`], [`Error::InvalidNonce`], [`Error::InvalidTimestamp`],
    /// [`Error::InvalidOptions`] (realm, protocol parameters in the request, a callback that is
    /// not an absolute URL or `oob`, an empty verifier or one without a token, a body hash with
    /// PLAINTEXT) for malformed input.
    pub fn sign(
        &self,
        request: &Request<'_>,
        nonce: &str,
        timestamp: u64,
    ) -> Result<SignedRequest, Error> {
        let prepared = self.prepare(request, Some(nonce), timestamp)?;
        Ok(self.finish(request, prepared, nonce, timestamp))
    }

    /// Every check, and the request parameters collected: what can fail, before any output.
    fn prepare<'r>(
        &'r self,
        request: &Request<'r>,
        nonce: Option<&str>,
        timestamp: u64,
    ) -> Result<Prepared<'r>, Error> {
        check_method(request.method)?;
        let method = request.method;
        let url = RequestUrl::parse(request.url)?;
        // The consumer-only signer: adding a user, or the temporary-credentials request (a POST
        // that names the callback, at whatever URL the provider has: RFC 5849's own example is
        // `/initiate`, and it may carry parameters such as a scope, in the query or the body).
        if self.mode == Mode::NewUser
            && !(method.eq_ignore_ascii_case("POST")
                && (request.callback.is_some()
                    || path_ends_with_segment(&url.path, &NEW_USER_PATHS)))
        {
            return Err(Error::OutOfScope);
        }
        let signature_method = self.key.method();
        if signature_method == SignatureMethod::Plaintext
            && url.scheme == Scheme::Http
            && !is_loopback(&url.host)
        {
            return Err(Error::PlaintextNeedsHttps);
        }
        if let Some(callback) = request.callback {
            check_callback(callback)?;
        }
        if let Some(verifier) = request.verifier {
            check_verifier(verifier)?;
            if self.mode != Mode::ThreeLegged {
                return Err(Error::InvalidOptions(
                    "a verifier goes with the temporary credentials: sign with them as the token and token secret",
                ));
            }
        }
        if let Some(nonce) = nonce {
            check_nonce(nonce)?;
        }
        check_timestamp(timestamp)?;
        let realm = request.realm.or(self.realm.as_deref());
        if let Some(realm) = realm {
            check_realm(realm)?;
        }
        let placement = request.placement.unwrap_or(self.placement);
        let plan = plan(&request.body, request.content_type, method)?;
        if placement == Placement::Body && !plan.form {
            return Err(Error::InvalidPlacement(
                "placement 'body' needs a form body: pairs, or a text body with the content type application/x-www-form-urlencoded",
            ));
        }
        if request.body_hash {
            if !signature_method.hashes() {
                return Err(Error::InvalidOptions(
                    "PLAINTEXT has no hash for a body hash: sign with an HMAC method",
                ));
            }
            if plan.form {
                return Err(Error::InvalidBody(
                    "a form body has no body hash: its parameters are signed already",
                ));
            }
        }

        // Parameters (§3.4.1.3.1): the URL's query, the extra query, a form body.
        let body_len = match request.body {
            Body::Text(s) | Body::Form(s) if plan.form => s.len(),
            Body::Pairs(p) => p.iter().map(|(n, v)| n.len() + v.len()).sum(),
            _ => 0,
        };
        let query_len: usize = request.query.iter().map(|(n, v)| n.len() + v.len()).sum();
        let mut params = ParamList::with_capacity(
            16 + request.query.len(),
            160 + url.query.as_ref().map_or(0, |q| q.len())
                + request.query_form.map_or(0, str::len)
                + query_len
                + query_len / 2
                + body_len
                + body_len / 2,
        );
        if let Some(q) = &url.query {
            params.push_form(
                q,
                "url query has a '%' not followed by two hex digits, or escapes that are not UTF-8",
            )?;
        }
        let url_params = params.len();
        for (name, value) in request.query {
            params.push(name, value);
        }
        if let Some(form) = request.query_form {
            params.push_form(
                form,
                "query has a '%' not followed by two hex digits, or escapes that are not UTF-8",
            )?;
        }
        let extra_query = url_params..params.len();
        match request.body {
            // The pairs themselves: no need to parse back what the signer encodes.
            Body::Pairs(pairs) => {
                for (name, value) in pairs {
                    params.push(name, value);
                }
            }
            Body::Text(s) | Body::Form(s) if plan.form => params.push_form(
                s,
                "form body has a '%' not followed by two hex digits, or escapes that are not UTF-8",
            )?,
            _ => {}
        }
        let body_pairs = extra_query.end..params.len();
        if let Some(i) = params.position_named("oauth_", &RESERVED) {
            return Err(reserved_parameter_error(params.encoded(i).0, i, url_params));
        }
        Ok(Prepared {
            url,
            plan,
            placement,
            realm,
            params,
            extra_query,
            body_pairs,
        })
    }

    /// Adds the protocol parameters, signs, and writes every part of the result into one
    /// buffer. Cannot fail: [`prepare`](Signer::prepare) checked everything.
    ///
    /// Every value is percent-encoded once, when it joins the signed parameters; the URL, the
    /// `Authorization` header and a form body reuse those encodings.
    fn finish(
        &self,
        request: &Request<'_>,
        prepared: Prepared<'_>,
        nonce: &str,
        timestamp: u64,
    ) -> SignedRequest {
        let Prepared {
            url,
            plan,
            placement,
            realm,
            mut params,
            extra_query,
            body_pairs,
        } = prepared;
        let mut text = String::with_capacity(self.capacity(request, &url, &params));

        let method = span(&mut text, |t| {
            for b in request.method.bytes() {
                t.push(char::from(b.to_ascii_uppercase()));
            }
        });
        let mut digits = [0; 20];
        let method_used = self.key.method();
        let body_hash = request.body_hash.then(|| {
            let mut hash = String::with_capacity(88);
            let bytes = match request.body {
                Body::Text(s) => s.as_bytes(),
                _ => &[],
            };
            write_body_hash(method_used, bytes, &mut hash);
            hash
        });
        let protocol = Protocol {
            body_hash: body_hash.as_deref(),
            callback: request.callback,
            consumer_key: &self.consumer_key,
            consumer_key_encoded: &self.consumer_key_encoded,
            nonce,
            method: method_used,
            timestamp: decimal(timestamp, &mut digits),
            token: self.token.as_ref().map(|(t, e)| (t.as_str(), e.as_str())),
            verifier: request.verifier,
            version: request.include_version,
        };

        // The signed parameters (§3.4.1.3), the base string (§3.4.1.1), the signature (§3.4.2,
        // §3.4.4).
        let first_oauth = protocol.push_signed(&mut params);
        let base_start = text.len();
        write_prefix(request.method, &url, &mut text);
        let normalized_start = params.write_normalized(&mut text);
        let base_string = base_start..normalized_start;
        let normalized = normalized_start..text.len();
        let sig = self
            .key
            .signature(text.get(base_string.clone()).unwrap_or_default().as_bytes());
        let signature = span(&mut text, |t| sig.write_to(t));
        let sig = text.get(signature.clone()).unwrap_or_default();
        let mut signature_encoded = String::with_capacity(3 * sig.len());
        encode_into(sig, &mut signature_encoded, UNRESERVED);

        // Placement (§3.5): the URL's query, the Authorization header or the form body.
        let sent = protocol.pairs(&signature_encoded, Some((&params, first_oauth)));
        let encoded = |range: Range<usize>| range.map(|i| params.encoded(i));
        let body = plan.present.then(|| match request.body {
            Body::Pairs(_) => SentBody::Pairs(encoded(body_pairs.clone())),
            Body::Text(s) | Body::Form(s) => SentBody::Text(s),
            Body::None => SentBody::Text(""),
        });
        let placed = write_request(
            &mut text,
            placement,
            realm,
            &url,
            encoded(extra_query),
            body,
            sent.iter().flatten().copied(),
        );
        let content_type = plan
            .content_type
            .map(|ct| span(&mut text, |t| t.push_str(ct)));

        // The protocol parameters' values, for `oauth_parameters`.
        let mut oauth: [(&'static str, Range<usize>); PROTOCOL_LEN] = Default::default();
        let mut oauth_len = 0;
        let values = protocol.pairs("", None);
        for (slot, (name, value)) in oauth.iter_mut().zip(values.iter().flatten()) {
            *slot = match *name {
                "oauth_signature" => (name, signature.clone()),
                _ => (name, span(&mut text, |t| t.push_str(value))),
            };
            oauth_len += 1;
        }
        SignedRequest {
            text,
            method,
            url: placed.url,
            authorization: placed.authorization,
            content_type,
            body: placed.body,
            signature,
            base_string,
            normalized,
            oauth,
            oauth_len,
            signature_method: method_used,
        }
    }

    /// The length of a signed request's buffer, estimated once so that it is not regrown.
    fn capacity(&self, request: &Request<'_>, url: &RequestUrl<'_>, params: &ParamList) -> usize {
        let body_len = match request.body {
            Body::Text(s) | Body::Form(s) => s.len(),
            Body::Pairs(p) => p.iter().map(|(n, v)| 3 * (n.len() + v.len()) + 2).sum(),
            Body::None => 0,
        };
        let uri_len = url.host.len() + url.path.len() + 16;
        let n = params.normalized_len() + 200;
        request.method.len() * 4 + 4 * uri_len + 3 * n + n / 2 + 400 + body_len
    }
}

/// What [`Signer::prepare`] checked and collected for [`Signer::finish`].
struct Prepared<'r> {
    url: RequestUrl<'r>,
    plan: BodyPlan<'r>,
    placement: Placement,
    realm: Option<&'r str>,
    params: ParamList,
    /// The parameters of `Request::query`, in `params`.
    extra_query: Range<usize>,
    /// The parameters of a `Body::Pairs` body, in `params`.
    body_pairs: Range<usize>,
}

/// Whether a host is loopback, where PLAINTEXT may go over plain `http:`: `localhost`,
/// `127.0.0.0/8` (the parser refuses an IPv4 address that is not in dotted-quad form), `[::1]`
/// (the parser writes IPv6 canonically). Not `*.localhost`: browsers resolve it to loopback,
/// but a server runtime may ask DNS, which a hostile resolver answers.
pub(crate) fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host == "[::1]"
        || (host.starts_with("127.") && host.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

fn check_consumer(options: &SignerOptions<'_>) -> Result<(), Error> {
    if options.consumer_key.is_empty() {
        return Err(Error::InvalidOptions("the consumer key must not be empty"));
    }
    if options.consumer_secret.is_empty() {
        return Err(Error::InvalidOptions(
            "the consumer secret must not be empty",
        ));
    }
    if let Some(realm) = options.realm {
        check_realm(realm)?;
    }
    if !(-MAX_CLOCK_OFFSET..=MAX_CLOCK_OFFSET).contains(&options.clock_offset) {
        return Err(Error::InvalidOptions(CLOCK_OFFSET_RULE));
    }
    Ok(())
}
