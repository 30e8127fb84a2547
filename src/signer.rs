//! The signer: its options, the 3-legged rule, and the whole signing call
//! ([RFC 5849 §3](https://www.rfc-editor.org/rfc/rfc5849#section-3)).
//!
//! The rule this crate exists for: an API key used from a browser must be used 3-legged, with
//! each user's own access token, because a page, worker or extension distributes the consumer
//! secret. So a [`Signer`] is refused *at construction* without a token and token secret,
//! unless 2-legged signing is asked for explicitly in a server runtime; and the one
//! consumer-only signer allowed everywhere, [`Signer::for_new_user`], signs nothing but the
//! requests that add a user.
//!
//! Signing is deterministic: the nonce and the timestamp are inputs. Callers on a platform
//! supply them ([`random_nonce`], the clock through [`Signer::timestamp_at`]).

use crate::base_string::{normalize_method, write_base_string};
use crate::hmac_sha1::SigningKey;
use crate::params::{is_form_content_type, ParamList};
use crate::placement::{append_pairs, authorization_header, check_realm, Placement};
use crate::uri::{path_ends_with_segment, push_u64, RequestUrl};
use crate::Error;
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// The media type of a form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The longest nonce accepted, in bytes.
pub const MAX_NONCE_LEN: usize = 256;

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

/// The options of [`Signer::new`]; see the JavaScript `SignerOptions` for their meaning.
#[derive(Clone, Default)]
pub struct SignerOptions<'a> {
    /// The consumer key; required, non-empty.
    pub consumer_key: &'a str,
    /// The consumer secret; required, non-empty.
    pub consumer_secret: &'a str,
    /// The user's access token (`access_token`).
    pub token: Option<&'a str>,
    /// The user's access token secret (`access_token_secret`).
    pub token_secret: Option<&'a str>,
    /// Explicit opt-in to 2-legged signing (server runtimes only).
    pub two_legged: bool,
    /// The default `realm` of the Authorization header.
    pub realm: Option<&'a str>,
    /// The default placement of the protocol parameters.
    pub placement: Placement,
    /// Seconds added to the local clock for default timestamps.
    pub clock_offset: i64,
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
            .finish()
    }
}

/// A request body.
#[derive(Debug, Clone, Copy, Default)]
pub enum Body<'a> {
    /// No body.
    #[default]
    None,
    /// A string sent as it is. Its parameters are signed only when the request's content type
    /// is `application/x-www-form-urlencoded`.
    Text(&'a str),
    /// Name/value pairs, form-encoded by the signer.
    Pairs(&'a [(String, String)]),
    /// An already form-encoded string (such as `URLSearchParams#toString()`), sent as it is.
    Form(&'a str),
}

/// A request to sign.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The HTTP method, any case.
    pub method: &'a str,
    /// An absolute `http(s)` URL, possibly with a query.
    pub url: &'a str,
    /// Extra query parameters, appended to the URL.
    pub query: &'a [(String, String)],
    /// The body.
    pub body: Body<'a>,
    /// The `Content-Type` of the body.
    pub content_type: Option<&'a str>,
    /// Overrides the signer's placement.
    pub placement: Option<Placement>,
    /// Overrides the signer's realm.
    pub realm: Option<&'a str>,
    /// Whether `oauth_version=1.0` is sent (default `true`).
    pub include_version: bool,
}

impl<'a> Request<'a> {
    /// A request with no query, no body and the defaults.
    pub fn new(method: &'a str, url: &'a str) -> Request<'a> {
        Request {
            method,
            url,
            query: &[],
            body: Body::None,
            content_type: None,
            placement: None,
            realm: None,
            include_version: true,
        }
    }
}

/// A signed request: plain data to hand to `fetch`, plus what was signed, for debugging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// The upper-case method.
    pub method: String,
    /// The URL to fetch: the query added, and the protocol parameters for query placement.
    pub url: String,
    /// The `Authorization` header value, for header placement.
    pub authorization: Option<String>,
    /// The `Content-Type` header value, when the request has a body with a content type.
    pub content_type: Option<String>,
    /// The body to send.
    pub body: Option<String>,
    /// The base64 HMAC-SHA1 signature.
    pub signature: String,
    /// The signature base string (§3.4.1.1), exactly what was signed.
    pub base_string: String,
    /// The normalized request parameters (§3.4.1.3.2).
    pub normalized_parameters: String,
    /// Every protocol parameter sent, `oauth_signature` included, in name order.
    pub oauth_parameters: Vec<(&'static str, String)>,
}

/// An OAuth 1.0a HMAC-SHA1 signer for one consumer and, usually, one user.
///
/// Holds its secrets only as a precomputed HMAC key; `Debug` shows no secret.
#[derive(Clone)]
pub struct Signer {
    consumer_key: String,
    token: Option<String>,
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
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

impl Signer {
    /// Builds a signer, enforcing the 3-legged rule.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidOptions`]: an empty consumer key or secret, `two_legged` together with
    ///   a token, a realm that is not printable ASCII.
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
                    "twoLegged: true cannot be combined with a token or token secret; drop one or the other",
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
                        "a token and token secret are required: sign each user's requests with that user's access_token and access_token_secret (use Signer.forNewUser to add users)",
                    ))
                }
                (Some(_), None) => {
                    return Err(Error::ThreeLeggedRequired(
                        "the token secret is missing or empty: pass the user's access_token_secret as tokenSecret",
                    ))
                }
                (None, Some(_)) => {
                    return Err(Error::ThreeLeggedRequired(
                        "the token is missing or empty: pass the user's access_token as token",
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
    /// ending in `/users`, `/accounts` or `/connect_tokens` (Context.IO Lite and 2.0) and
    /// nothing else. Allowed in every runtime.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOptions`] for an empty consumer key or secret, or any token or
    /// `two_legged` in the options.
    pub fn for_new_user(options: &SignerOptions<'_>) -> Result<Signer, Error> {
        check_consumer(options)?;
        if options.token.is_some() || options.token_secret.is_some() || options.two_legged {
            return Err(Error::InvalidOptions(
                "forNewUser takes only consumerKey and consumerSecret (plus realm, placement, clockOffset); sign a user's requests with new Signer({ token, tokenSecret, ... })",
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
            token: token.map(str::to_owned),
            key: SigningKey::new(options.consumer_secret, token_secret),
            mode,
            realm: options.realm.map(str::to_owned),
            placement: options.placement,
            clock_offset: options.clock_offset,
        }
    }

    /// The consumer key.
    pub fn consumer_key(&self) -> &str {
        &self.consumer_key
    }

    /// The mode this signer signs in.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The default placement.
    pub fn placement(&self) -> Placement {
        self.placement
    }

    /// The clock offset in seconds.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset
    }

    /// The default timestamp for a local clock reading of `unix_now` seconds: the reading
    /// plus the signer's clock offset.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTimestamp`] when the result is negative.
    pub fn timestamp_at(&self, unix_now: i64) -> Result<u64, Error> {
        unix_now
            .checked_add(self.clock_offset)
            .and_then(|t| u64::try_from(t).ok())
            .ok_or(Error::InvalidTimestamp(
                "the clock plus clockOffset gives a negative timestamp",
            ))
    }

    /// Signs a request with the given nonce and timestamp.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfScope`] for a [`for_new_user`](Signer::for_new_user) signer outside its
    /// scope; [`Error::InvalidMethod`], [`Error::InvalidUrl`], [`Error::InvalidEncoding`],
    /// [`Error::InvalidBody`], [`Error::InvalidPlacement`], [`Error::InvalidNonce`],
    /// [`Error::InvalidOptions`] (realm) for malformed input.
    pub fn sign(
        &self,
        request: &Request<'_>,
        nonce: &str,
        timestamp: u64,
    ) -> Result<SignedRequest, Error> {
        let method = normalize_method(request.method)?;
        let url = RequestUrl::parse(request.url)?;
        if self.mode == Mode::NewUser
            && !(method == "POST"
                && path_ends_with_segment(&url.path, &["users", "accounts", "connect_tokens"]))
        {
            return Err(Error::OutOfScope);
        }
        if nonce.is_empty() {
            return Err(Error::InvalidNonce("nonce must not be empty"));
        }
        if nonce.len() > MAX_NONCE_LEN {
            return Err(Error::InvalidNonce("nonce must be at most 256 bytes"));
        }
        let realm = request.realm.or(self.realm.as_deref());
        if let Some(realm) = realm {
            check_realm(realm)?;
        }
        let placement = request.placement.unwrap_or(self.placement);

        let request_content_type = match request.content_type {
            Some(ct) => header_value(ct)?,
            None => None,
        };
        // The body: what is sent, its content type, and whether it is a parameter source.
        let (body, content_type, form_body): (Option<String>, Option<&str>, bool) = match request
            .body
        {
            Body::None => (None, request_content_type, false),
            Body::Text(text) => {
                let form = request_content_type.is_some_and(is_form_content_type);
                (Some(text.to_owned()), request_content_type, form)
            }
            Body::Pairs(_) | Body::Form(_) => {
                if request_content_type.is_some_and(|ct| !is_form_content_type(ct)) {
                    return Err(Error::InvalidBody(
                        "object and URLSearchParams bodies are form-encoded: contentType must be application/x-www-form-urlencoded or left out",
                    ));
                }
                let text = match request.body {
                    Body::Form(s) => s.to_owned(),
                    Body::Pairs(pairs) => {
                        let mut s = String::new();
                        append_pairs(&mut s, pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
                        s
                    }
                    _ => String::new(),
                };
                (
                    Some(text),
                    Some(request_content_type.unwrap_or(FORM_CONTENT_TYPE)),
                    true,
                )
            }
        };
        if body.is_some() && (method == "GET" || method == "HEAD") {
            return Err(Error::InvalidBody(
                "GET and HEAD requests cannot have a body",
            ));
        }
        if placement == Placement::Body && !form_body {
            return Err(Error::InvalidPlacement(
                "placement 'body' needs a form body: pass body as an object or URLSearchParams, or a string with contentType application/x-www-form-urlencoded",
            ));
        }

        // Parameters (§3.4.1.3.1): query, extra query, form body, protocol parameters.
        let mut params = ParamList::with_capacity(8 + request.query.len());
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
        if let Body::Pairs(pairs) = request.body {
            // The pairs themselves: no need to parse back what was just encoded.
            for (name, value) in pairs {
                params.push(name, value);
            }
        } else if form_body {
            if let Some(b) = &body {
                params.push_form(b, "form body has a '%' not followed by two hex digits, or escapes that are not UTF-8")?;
            }
        }
        if let Some(i) = params.reserved_parameter_index() {
            return Err(if i < url_params {
                Error::InvalidUrl("url query already has a protocol parameter (oauth_nonce, oauth_signature, ...): remove it, the signer adds its own")
            } else {
                Error::InvalidOptions("query or body already has a protocol parameter (oauth_nonce, oauth_signature, ...): remove it, the signer adds its own")
            });
        }

        let mut ts = String::with_capacity(20);
        push_u64(&mut ts, timestamp);
        let mut oauth: Vec<(&'static str, String)> = Vec::with_capacity(7);
        oauth.push(("oauth_consumer_key", self.consumer_key.clone()));
        oauth.push(("oauth_nonce", nonce.to_owned()));
        oauth.push(("oauth_signature_method", "HMAC-SHA1".to_owned()));
        oauth.push(("oauth_timestamp", ts));
        if let Some(token) = &self.token {
            oauth.push(("oauth_token", token.clone()));
        }
        if request.include_version {
            oauth.push(("oauth_version", "1.0".to_owned()));
        }
        for (name, value) in &oauth {
            params.push(name, value);
        }

        let mut normalized = String::with_capacity(params.encoded_len());
        params.write_normalized(&mut normalized);
        let mut base_uri = String::with_capacity(url.host.len() + url.path.len() + 16);
        url.write_base_string_uri(&mut base_uri);
        // Room for the worst case (every byte escaped), so the buffer never grows.
        let mut base =
            String::with_capacity(3 * (method.len() + base_uri.len() + normalized.len()) + 2);
        write_base_string(&method, &base_uri, &normalized, &mut base);
        let signature = self.key.sign(&base);
        oauth.insert(2, ("oauth_signature", signature.clone()));

        // Placement (§3.5).
        let mut query = url.query.clone().unwrap_or_default();
        append_pairs(
            &mut query,
            request.query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        );
        let oauth_pairs = || oauth.iter().map(|(n, v)| (*n, v.as_str()));
        let mut authorization = None;
        let mut body = body;
        match placement {
            Placement::Header => {
                let pairs: Vec<(&str, &str)> = oauth_pairs().collect();
                authorization = Some(authorization_header(realm, &pairs));
            }
            Placement::Query => append_pairs(&mut query, oauth_pairs()),
            Placement::Body => {
                if let Some(b) = body.as_mut() {
                    append_pairs(b, oauth_pairs());
                }
            }
        }
        let mut full_url = base_uri;
        if !query.is_empty() {
            full_url.push('?');
            full_url.push_str(&query);
        }

        Ok(SignedRequest {
            method,
            url: full_url,
            authorization,
            content_type: content_type.map(str::to_owned),
            body,
            signature,
            base_string: base,
            normalized_parameters: normalized,
            oauth_parameters: oauth,
        })
    }
}

/// A header value as `fetch` sends it: leading and trailing HTTP whitespace (space, tab, CR,
/// LF) removed, `None` when nothing is left.
///
/// # Errors
///
/// [`Error::InvalidBody`] for a control character inside the value, which `fetch` refuses.
fn header_value(value: &str) -> Result<Option<&str>, Error> {
    let trimmed = value.trim_matches([' ', '\t', '\r', '\n']);
    if trimmed
        .bytes()
        .any(|b| (b < 0x20 && b != b'\t') || b == 0x7F)
    {
        return Err(Error::InvalidBody(
            "contentType must be a valid header value (no control characters)",
        ));
    }
    Ok((!trimmed.is_empty()).then_some(trimmed))
}

fn check_consumer(options: &SignerOptions<'_>) -> Result<(), Error> {
    if options.consumer_key.is_empty() {
        return Err(Error::InvalidOptions("consumerKey must not be empty"));
    }
    if options.consumer_secret.is_empty() {
        return Err(Error::InvalidOptions("consumerSecret must not be empty"));
    }
    if let Some(realm) = options.realm {
        check_realm(realm)?;
    }
    Ok(())
}

/// Random bytes in a nonce: 144 bits.
pub const NONCE_BYTES: usize = 18;

/// The nonce made from `NONCE_BYTES` random bytes: URL-safe base64, 24 characters.
pub fn nonce_from_bytes(bytes: &[u8; NONCE_BYTES]) -> String {
    crate::hmac_sha1::base64(bytes, crate::hmac_sha1::URL_SAFE, false)
}

/// Nonces drawn from one call to the random generator per 32 nonces: a `getRandomValues` call
/// costs more than a whole signature otherwise. The bytes are the generator's, unchanged; each
/// is used once.
#[derive(Default)]
pub struct NoncePool {
    bytes: Vec<u8>,
    used: usize,
}

impl NoncePool {
    const BATCH: usize = 32 * NONCE_BYTES;

    /// The next nonce, refilling the pool from the platform's generator when it is empty.
    ///
    /// # Errors
    ///
    /// [`Error::RandomUnavailable`] when the platform has no usable generator.
    pub fn next_nonce(&mut self) -> Result<String, Error> {
        if self.used + NONCE_BYTES > self.bytes.len() {
            // Fill a new batch and only then take it: a failed draw must leave the pool empty,
            // never holding unfilled bytes that later calls would hand out as nonces.
            let mut batch = alloc::vec![0u8; Self::BATCH];
            getrandom::fill(&mut batch).map_err(|_| Error::RandomUnavailable)?;
            self.bytes = batch;
            self.used = 0;
        }
        let mut chunk = [0u8; NONCE_BYTES];
        chunk.copy_from_slice(&self.bytes[self.used..self.used + NONCE_BYTES]);
        self.bytes[self.used..self.used + NONCE_BYTES].fill(0);
        self.used += NONCE_BYTES;
        Ok(nonce_from_bytes(&chunk))
    }
}

impl fmt::Debug for NoncePool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NoncePool(<hidden>)")
    }
}

/// A fresh nonce: 144 bits from the platform's secure random generator (`getrandom`; on the
/// web `crypto.getRandomValues`), as 24 URL-safe base64 characters.
///
/// # Errors
///
/// [`Error::RandomUnavailable`] when the platform has no usable generator.
pub fn random_nonce() -> Result<String, Error> {
    let mut bytes = [0u8; NONCE_BYTES];
    getrandom::fill(&mut bytes).map_err(|_| Error::RandomUnavailable)?;
    Ok(nonce_from_bytes(&bytes))
}
