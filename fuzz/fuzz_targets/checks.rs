//! The checks of the fuzz targets that need nothing but the crate (its public API and its
//! `internals`), shared with `tests/fuzz-regressions.rs`, which replays the whole corpus through
//! them under `cargo test`, and with `tests/packet.rs`. The targets add the checks against other
//! crates (the WHATWG URL parser, HMAC-SHA1).
//!
//! The inputs:
//! - `url_parse`: the URL, as text;
//! - `params`: text, the first line a form string, each further line a decoded `name<TAB>value`;
//! - `sign`: text, one field per line, see [`SignCase::parse`];
//! - `packet`: any bytes, fed as text to the three packet entry points, and read with
//!   `arbitrary` as a [`PacketCase`] whose values are written into valid packets, see [`packet`].

#![allow(dead_code)]

use super::refs;
use arbitrary::{Arbitrary, Unstructured};
use contextio_signer::internals::{
    diagnose_packet, nonce_from_bytes, sign_once_packet, sign_packet, signer_from_packet,
    verify_check_packet, verify_read_packet, ParamList, RequestUrl,
};
use contextio_signer::{
    Body, Error, Mode, NoncePool, Placement, Request, Runtime, SignatureMethod, SignedRequest,
    Signer, SignerOptions, MAX_TIMESTAMP, NONCE_BYTES, NONCE_LEN,
};
use std::borrow::Cow;
use std::fmt;

/// Parses `s` and checks the result: only the documented errors; an accepted URL is ASCII,
/// sendable as it is, with a path starting with `/`, a lower-case host and no default port, and
/// its normalized form (what is returned for fetching) parses again to itself.
pub fn url_parse(s: &str) -> Option<RequestUrl<'_>> {
    let u = match RequestUrl::parse(s) {
        Ok(u) => u,
        Err(e) => {
            assert!(
                matches!(e.code(), "INVALID_URL" | "INVALID_ENCODING"),
                "unexpected error {e:?} for {s:?}"
            );
            return None;
        }
    };
    assert!(u.path.starts_with('/'), "{u:?}");
    assert!(!u.host.is_empty(), "{u:?}");
    assert_eq!(u.host, u.host.to_ascii_lowercase(), "{u:?}");
    assert_ne!(u.port, Some(u.scheme.default_port()), "{u:?}");
    for part in [&*u.path, u.query.as_deref().unwrap_or("")] {
        assert!(
            part.bytes()
                .all(|b| b.is_ascii_graphic() && b != b'#' && b != b'\\'),
            "not sendable as it is: {part:?} in {u:?}"
        );
    }
    let normalized = normalized_url(&u);
    let again = RequestUrl::parse(&normalized).expect("the normalized url parses");
    assert_eq!(again, u, "normalizing twice changes {s:?}");
    Some(u)
}

/// The URL as this crate returns it for fetching.
pub fn normalized_url(u: &RequestUrl<'_>) -> String {
    match &u.query {
        Some(q) => format!("{}?{q}", u.base_string_uri()),
        None => u.base_string_uri(),
    }
}

/// `ParamList::push_form` of the first line and `push` of the others, then `normalized`: a
/// refusal (INVALID_ENCODING) exactly when the strict reference decoder refuses, otherwise the
/// reference normalization of the same pairs.
pub fn params(text: &str) {
    let mut lines = text.split('\n');
    let form = lines.next().unwrap_or("");
    let extra: Vec<(&str, &str)> = lines
        .map(|l| l.split_once('\t').unwrap_or((l, "")))
        .collect();
    let mut list = ParamList::default();
    let result = list.push_form(form, "form");
    let Some(mut pairs) = refs::form_pairs(form) else {
        assert_eq!(
            result.map_err(|e| e.code()),
            Err("INVALID_ENCODING"),
            "{form:?}"
        );
        return;
    };
    assert_eq!(result, Ok(()), "{form:?}");
    for (n, v) in &extra {
        list.push(n, v);
        pairs.push((n.to_string(), v.to_string()));
    }
    assert_eq!(list.len(), pairs.len());
    let normalized = list.normalized();
    assert_eq!(normalized, refs::normalize(&pairs), "{text:?}");
    assert_eq!(list.normalized(), normalized, "normalizing again");
}

/// One signing call read from text: one field per line, missing lines take their defaults, a
/// line `<none>` is an absent optional value.
///
/// ```text
/// 0  flags: mode (3 = 3-legged, 2 = 2-legged, n = forNewUser, b = 3-legged in a browser),
///    signer placement, request placement or '-', body kind (n none, t text, p pairs,
///    f form), include_version (1 or 0), signature method (1 HMAC-SHA1, 2 HMAC-SHA256,
///    5 HMAC-SHA512, p PLAINTEXT), body hash (h or -); e.g. "3h-t12h"; then, after a TAB, the
///    callback, and after another the verifier (absent when the line has no such TAB)
/// 1  consumer key          2  consumer secret      3  token        4  token secret
/// 5  signer realm          6  request realm        7  clock offset 8  clock reading
/// 9  timestamp             10 nonce                11 method       12 url
/// 13 content type          14 body (pairs: name TAB value TAB name TAB value ...)
/// 15.. extra query pairs, name TAB value
/// ```
///
/// The clock reading is whole seconds for [`Signer::timestamp_at`] and milliseconds (as
/// `Date.now()` gives it) for [`Signer::sign_with`].
pub struct SignCase<'a> {
    pub flags: &'a [u8],
    pub signature_method: SignatureMethod,
    pub body_hash: bool,
    pub callback: Option<&'a str>,
    pub verifier: Option<&'a str>,
    pub mode: u8,
    pub signer_placement: Placement,
    pub placement: Option<Placement>,
    pub body_kind: u8,
    pub include_version: bool,
    pub consumer_key: &'a str,
    pub consumer_secret: &'a str,
    pub token: Option<&'a str>,
    pub token_secret: Option<&'a str>,
    pub signer_realm: Option<&'a str>,
    pub realm: Option<&'a str>,
    pub clock_offset: i64,
    pub clock: i64,
    pub timestamp: u64,
    pub nonce: &'a str,
    pub method: &'a str,
    pub url: &'a str,
    pub content_type: Option<&'a str>,
    pub body: &'a str,
    pub body_pairs: Vec<(&'a str, &'a str)>,
    pub query: Vec<(&'a str, &'a str)>,
}

fn placement_of(c: u8) -> Option<Placement> {
    match c {
        b'h' => Some(Placement::Header),
        b'q' => Some(Placement::Query),
        b'b' => Some(Placement::Body),
        _ => None,
    }
}

fn pairs_of<'a>(items: impl Iterator<Item = &'a str>) -> Vec<(&'a str, &'a str)> {
    let items: Vec<&str> = items.collect();
    items
        .chunks(2)
        .map(|c| (c[0], c.get(1).copied().unwrap_or("")))
        .collect()
}

impl<'a> SignCase<'a> {
    pub fn parse(text: &'a str) -> SignCase<'a> {
        let lines: Vec<&str> = text.split('\n').collect();
        let line = |i: usize| lines.get(i).copied().unwrap_or("");
        let opt = |i: usize| match lines.get(i) {
            None | Some(&"<none>") => None,
            Some(s) => Some(*s),
        };
        let mut head = line(0).split('\t');
        let flags = head.next().unwrap_or("").as_bytes();
        let (callback, verifier) = (head.next(), head.next());
        let flag = |i: usize, d: u8| flags.get(i).copied().unwrap_or(d);
        SignCase {
            flags,
            signature_method: match flag(5, b'1') {
                b'2' => SignatureMethod::HmacSha256,
                b'5' => SignatureMethod::HmacSha512,
                b'p' => SignatureMethod::Plaintext,
                _ => SignatureMethod::HmacSha1,
            },
            body_hash: flag(6, b'-') == b'h',
            callback,
            verifier,
            mode: flag(0, b'3'),
            signer_placement: placement_of(flag(1, b'h')).unwrap_or_default(),
            placement: placement_of(flag(2, b'-')),
            body_kind: flag(3, b'n'),
            include_version: flag(4, b'1') != b'0',
            consumer_key: line(1),
            consumer_secret: line(2),
            token: opt(3),
            token_secret: opt(4),
            signer_realm: opt(5),
            realm: opt(6),
            clock_offset: line(7).parse().unwrap_or(0),
            clock: line(8).parse().unwrap_or(0),
            timestamp: line(9).parse().unwrap_or(0),
            nonce: line(10),
            method: line(11),
            url: line(12),
            content_type: opt(13),
            body: line(14),
            body_pairs: pairs_of(line(14).split('\t')),
            query: lines
                .iter()
                .skip(15)
                .map(|l| l.split_once('\t').unwrap_or((l, "")))
                .collect(),
        }
    }

    /// The flag at `i` of line 0, `default` past its end.
    pub fn flag(&self, i: usize, default: u8) -> u8 {
        self.flags.get(i).copied().unwrap_or(default)
    }

    pub fn options(&self) -> SignerOptions<'a> {
        SignerOptions {
            consumer_key: self.consumer_key,
            consumer_secret: self.consumer_secret,
            token: self.token,
            token_secret: self.token_secret,
            two_legged: self.mode == b'2',
            realm: self.signer_realm,
            placement: self.signer_placement,
            clock_offset: self.clock_offset,
            signature_method: self.signature_method,
        }
    }

    /// `S` (a server) unless the mode is `b`.
    pub fn server(&self) -> bool {
        self.mode != b'b'
    }

    pub fn signer(&self) -> Result<Signer, Error> {
        let options = self.options();
        match self.mode {
            b'n' => Signer::for_new_user(&options),
            b'b' => Signer::new(&options, Runtime::Browser),
            _ => Signer::new(&options, Runtime::Server),
        }
    }

    pub fn request(&self) -> Request<'_> {
        self.request_with(&self.query, &self.body_pairs)
    }

    /// The request with the given query and body pairs in place of the case's own.
    pub fn request_with<'r>(
        &'r self,
        query: &'r [(&'r str, &'r str)],
        body_pairs: &'r [(&'r str, &'r str)],
    ) -> Request<'r> {
        Request {
            method: self.method,
            url: self.url,
            query,
            query_form: None,
            body: match self.body_kind {
                b't' => Body::Text(self.body),
                b'p' => Body::Pairs(body_pairs),
                b'f' => Body::Form(self.body),
                _ => Body::None,
            },
            content_type: self.content_type,
            placement: self.placement,
            realm: self.realm,
            include_version: self.include_version,
            callback: self.callback,
            verifier: self.verifier,
            body_hash: self.body_hash,
        }
    }
}

fn check_error(e: &Error) {
    assert!(Error::ALL_CODES.contains(&e.code()), "{e:?}");
    assert!(!e.message().is_empty(), "{e:?}");
}

fn decode_pct(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("base string escape"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("base string part is UTF-8")
}

/// The default timestamp for a clock reading of `clock_ms` milliseconds and a clock offset,
/// computed here: whole seconds rounded down (also before the epoch), plus the offset; `None`
/// when that is negative or beyond 2^53 - 1.
pub fn default_timestamp(clock_ms: i64, clock_offset: i64) -> Option<u64> {
    clock_ms
        .div_euclid(1000)
        .checked_add(clock_offset)
        .and_then(|t| u64::try_from(t).ok())
        .filter(|&t| t <= MAX_TIMESTAMP)
}

/// Signs the case and checks it: no panic, documented error codes only; a signed request's
/// base string is `enc(METHOD)&enc(base uri)&enc(normalized parameters)`, its URL parses again
/// to the same base string URI, and signing the returned request again (its URL, body and
/// content type, header placement) gives the same base string. `sign_with` with the nonce and
/// timestamp given answers exactly as `sign`, and with the timestamp left to the clock reading
/// as `sign` at the default timestamp. Returns the signed request and the HMAC key
/// `enc(consumer secret)&enc(token secret)` for the caller's signature check.
pub fn sign(text: &str) -> Option<(SignedRequest, String)> {
    let case = SignCase::parse(text);
    let signer = match case.signer() {
        Ok(s) => s,
        Err(e) => {
            check_error(&e);
            return None;
        }
    };
    // timestamp_at: the reading plus the offset, refused when negative or beyond 2^53 - 1.
    let at = signer.timestamp_at(case.clock);
    if let Err(e) = &at {
        assert_eq!(e.code(), "INVALID_TIMESTAMP", "{e:?}");
    }
    assert_eq!(
        at.ok(),
        case.clock
            .checked_add(signer.clock_offset())
            .and_then(|t| u64::try_from(t).ok())
            .filter(|&t| t <= MAX_TIMESTAMP),
        "timestamp_at({}) with offset {}",
        case.clock,
        signer.clock_offset()
    );
    let request = case.request();
    let result = signer.sign(&request, case.nonce, case.timestamp);

    // sign_with: the nonce and timestamp as given, so the pool and the clock are not used.
    let mut unused = NoncePool::default();
    assert_eq!(
        signer.sign_with(
            &request,
            Some(case.nonce),
            Some(case.timestamp),
            &mut unused,
            case.clock
        ),
        result,
        "sign_with with the nonce and timestamp given"
    );
    let by_clock = signer.sign_with(&request, Some(case.nonce), None, &mut unused, case.clock);
    match default_timestamp(case.clock, signer.clock_offset()) {
        Some(t) => assert_eq!(
            by_clock,
            signer.sign(&request, case.nonce, t),
            "sign_with at the clock reading {}",
            case.clock
        ),
        None => assert_eq!(
            by_clock.map_err(|e| e.code()),
            Err("INVALID_TIMESTAMP"),
            "clock reading {} offset {}",
            case.clock,
            signer.clock_offset()
        ),
    }

    let signed = match result {
        Ok(s) => s,
        Err(e) => {
            check_error(&e);
            return None;
        }
    };

    let parts: Vec<&str> = signed.base_string().split('&').collect();
    assert_eq!(parts.len(), 3, "{}", signed.base_string());
    assert_eq!(parts[0], refs::rfc3986(signed.method()));
    assert_eq!(parts[2], refs::rfc3986(signed.normalized_parameters()));
    let base_uri = decode_pct(parts[1]);
    let reparsed = RequestUrl::parse(signed.url()).expect("the returned url parses");
    assert_eq!(reparsed.base_string_uri(), base_uri);
    assert!(signed.url().starts_with(&base_uri));
    let method = signer.signature_method();
    assert_eq!(method, case.signature_method, "the case's method signs");
    assert_eq!(signed.signature_method(), method);
    assert_eq!(
        signed.oauth_parameter("oauth_signature_method"),
        Some(method.as_str())
    );
    let key = hmac_key(case.consumer_secret, case.token_secret, signer.mode());
    match method {
        SignatureMethod::HmacSha1 => assert_eq!(signed.signature().len(), 28),
        SignatureMethod::HmacSha256 => assert_eq!(signed.signature().len(), 44),
        SignatureMethod::HmacSha512 => assert_eq!(signed.signature().len(), 88),
        // RFC 5849 §3.4.4, and never over plain http to another host.
        SignatureMethod::Plaintext => {
            assert_eq!(signed.signature(), key);
            assert!(
                signed.url().starts_with("https:")
                    || reparsed.host == "localhost"
                    || reparsed.host.ends_with(".localhost")
                    || reparsed.host == "[::1]"
                    || reparsed.host.starts_with("127."),
                "PLAINTEXT over plain http: {}",
                signed.url()
            );
        }
        _ => unreachable!("a method of this crate"),
    }
    // The caller's protocol parameters and the body hash are sent as given, and signed.
    assert_eq!(signed.oauth_parameter("oauth_callback"), case.callback);
    assert_eq!(signed.oauth_parameter("oauth_verifier"), case.verifier);
    assert_eq!(
        signed.oauth_parameter("oauth_body_hash").is_some(),
        case.body_hash
    );
    for name in ["oauth_callback", "oauth_verifier", "oauth_body_hash"] {
        if let Some(value) = signed.oauth_parameter(name) {
            let pair = format!("{name}={}", refs::rfc3986(value));
            assert!(
                signed.normalized_parameters().split('&').any(|p| p == pair),
                "{pair} not signed"
            );
        }
    }
    assert_eq!(
        signed.oauth_parameter("oauth_signature"),
        Some(signed.signature())
    );
    assert_eq!(signed.oauth_parameter("oauth_nonce"), Some(case.nonce));
    let ts = case.timestamp.to_string();
    assert_eq!(signed.oauth_parameter("oauth_timestamp"), Some(ts.as_str()));

    if case.placement.unwrap_or(signer.placement()) == Placement::Header {
        let again = Request {
            method: signed.method(),
            url: signed.url(),
            query: &[],
            query_form: None,
            body: match signed.body() {
                Some(b) if matches!(case.body_kind, b'p' | b'f') => Body::Form(b),
                Some(b) => Body::Text(b),
                None => Body::None,
            },
            content_type: signed.content_type(),
            placement: Some(Placement::Header),
            realm: case.realm,
            include_version: case.include_version,
            callback: case.callback,
            verifier: case.verifier,
            body_hash: case.body_hash,
        };
        let resigned = signer
            .sign(&again, case.nonce, case.timestamp)
            .expect("the signed request signs again");
        assert_eq!(resigned.base_string(), signed.base_string());
        assert_eq!(resigned.url(), signed.url());
        assert_eq!(resigned.signature(), signed.signature());
    }

    Some((signed, key))
}

/// The HMAC key `enc(consumer secret)&enc(token secret)` of a signer in `mode` (RFC 5849
/// §3.4.2): the token secret only for a 3-legged signer.
pub fn hmac_key(consumer_secret: &str, token_secret: Option<&str>, mode: Mode) -> String {
    let token_secret = match mode {
        Mode::ThreeLegged => token_secret.unwrap_or(""),
        _ => "",
    };
    format!(
        "{}&{}",
        refs::rfc3986(consumer_secret),
        refs::rfc3986(token_secret)
    )
}

/// The bytes the checks fill nonce pools with: the first nonce of a pool primed with them is
/// made of bytes `0..18`, the next of `18..36`.
fn pool_byte(i: usize) -> u8 {
    (i as u8).wrapping_mul(37).wrapping_add(11)
}

/// A nonce pool whose first nonce has been drawn from [`pool_byte`]s, so that the next one it
/// hands out is [`second_pool_nonce`].
pub fn primed_pool() -> NoncePool {
    let mut pool = NoncePool::default();
    pool.next_with(|batch| {
        for (i, b) in batch.iter_mut().enumerate() {
            *b = pool_byte(i);
        }
        Ok(())
    })
    .expect("the fill cannot fail");
    pool
}

/// The nonce a [`primed_pool`] hands out next.
pub fn second_pool_nonce() -> String {
    let bytes: [u8; NONCE_BYTES] = core::array::from_fn(|i| pool_byte(NONCE_BYTES + i));
    nonce_from_bytes(&bytes)
}

// The packet target: the wasm binding's packets (src/binding/packet.rs), read natively.

/// A placement as a packet holds it: one of the three, or any other text (which the core
/// refuses).
#[derive(Clone, Copy, Debug, Arbitrary)]
pub enum Place<'a> {
    Header,
    Query,
    Body,
    Other(&'a str),
}

impl<'a> Place<'a> {
    pub fn of(p: Placement) -> Place<'a> {
        match p {
            Placement::Header => Place::Header,
            Placement::Query => Place::Query,
            Placement::Body => Place::Body,
        }
    }

    pub fn text(self) -> &'a str {
        match self {
            Place::Header => "header",
            Place::Query => "query",
            Place::Body => "body",
            Place::Other(s) => s,
        }
    }
}

/// Which calls a case makes: `new Signer` / `Signer.forNewUser` (an options packet) and then
/// `signRequest` (a request packet), or the one-call `signRequest(options, request)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Entry {
    Signer,
    NewUser,
    Once,
}

/// The method: mostly one the API takes, so that the fuzzer gets past it.
#[derive(Clone, Copy, Debug, Arbitrary)]
pub enum Method<'a> {
    Get,
    Post,
    Put,
    Delete,
    Other(&'a str),
}

/// The URL: the API's users collection with any text after it (so that the fuzzer gets past
/// the URL rules), or any text.
#[derive(Clone, Copy, Debug, Arbitrary)]
pub enum Url<'a> {
    Api(&'a str),
    Other(&'a str),
}

#[derive(Clone, Copy, Debug, Arbitrary)]
pub enum ContentType<'a> {
    Form,
    Json,
    Other(&'a str),
}

/// An integer: mostly one of the sizes that matter (a clock offset within its ten years, a
/// timestamp of this century), or any.
#[derive(Clone, Copy, Debug, Arbitrary)]
pub enum Int {
    Small(i16),
    Seconds(i32),
    Any(i64),
}

impl Int {
    pub fn get(self) -> i64 {
        match self {
            Int::Small(n) => n.into(),
            Int::Seconds(n) => n.into(),
            Int::Any(n) => n,
        }
    }
}

/// A query or a body as a packet holds it (a text body only, never a text query).
#[derive(Clone, Debug, Arbitrary)]
pub enum Params<'a> {
    None,
    Text(&'a str),
    Form(&'a str),
    Pairs(Vec<(&'a str, &'a str)>),
}

/// A signature method as a packet holds it: one of the four, or any other text (which the core
/// refuses).
#[derive(Clone, Copy, Debug, Arbitrary)]
pub enum MethodName<'a> {
    HmacSha1,
    HmacSha256,
    HmacSha512,
    Plaintext,
    Other(&'a str),
}

impl<'a> MethodName<'a> {
    pub fn of(m: SignatureMethod) -> MethodName<'a> {
        match m {
            SignatureMethod::HmacSha256 => MethodName::HmacSha256,
            SignatureMethod::HmacSha512 => MethodName::HmacSha512,
            SignatureMethod::Plaintext => MethodName::Plaintext,
            _ => MethodName::HmacSha1,
        }
    }

    pub fn text(self) -> &'a str {
        match self {
            MethodName::HmacSha1 => "HMAC-SHA1",
            MethodName::HmacSha256 => "HMAC-SHA256",
            MethodName::HmacSha512 => "HMAC-SHA512",
            MethodName::Plaintext => "PLAINTEXT",
            MethodName::Other(s) => s,
        }
    }
}

/// One call or two through the packets, with every value the JavaScript front can write: any
/// strings (never a lone surrogate: a Rust `str` has none), integers, flags, lists of pairs.
#[derive(Clone, Arbitrary)]
pub struct PacketCase<'a> {
    pub entry: Entry,
    pub server: bool,
    pub consumer_key: &'a str,
    pub consumer_secret: &'a str,
    pub token: Option<&'a str>,
    pub token_secret: Option<&'a str>,
    pub two_legged: bool,
    pub realm: Option<&'a str>,
    pub placement: Option<Place<'a>>,
    pub clock_offset: Int,
    /// The clock reading, `Date.now()` in milliseconds.
    pub now: Int,
    pub method: Method<'a>,
    pub url: Url<'a>,
    pub query: Params<'a>,
    pub body: Params<'a>,
    pub content_type: Option<ContentType<'a>>,
    pub request_placement: Option<Place<'a>>,
    pub request_realm: Option<&'a str>,
    pub nonce: Option<&'a str>,
    pub timestamp: Option<Int>,
    pub include_version: bool,
    pub signature_method: Option<MethodName<'a>>,
    pub callback: Option<&'a str>,
    pub verifier: Option<&'a str>,
    pub body_hash: bool,
}

/// Secrets hidden, as everywhere in this crate.
impl fmt::Debug for PacketCase<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PacketCase")
            .field("entry", &self.entry)
            .field("server", &self.server)
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &"<hidden>")
            .field("token", &self.token)
            .field("token_secret", &self.token_secret.map(|_| "<hidden>"))
            .field("two_legged", &self.two_legged)
            .field("realm", &self.realm)
            .field("placement", &self.placement)
            .field("clock_offset", &self.clock_offset)
            .field("now", &self.now)
            .field("method", &self.method)
            .field("url", &self.url)
            .field("query", &self.query)
            .field("body", &self.body)
            .field("content_type", &self.content_type)
            .field("request_placement", &self.request_placement)
            .field("request_realm", &self.request_realm)
            .field("nonce", &self.nonce)
            .field("timestamp", &self.timestamp)
            .field("include_version", &self.include_version)
            .field("signature_method", &self.signature_method)
            .field("callback", &self.callback)
            .field("verifier", &self.verifier)
            .field("body_hash", &self.body_hash)
            .finish()
    }
}

/// The largest integer JavaScript writes exactly: 2^53 - 1.
const MAX_SAFE: i64 = (1 << 53) - 1;

// The packet format of src/binding/packet.rs, as the JavaScript front writes it (js/api.js).

/// A string: its length in UTF-16 code units, `:`, its text.
fn put_str(out: &mut String, s: &str) {
    out.push_str(&format!("{}:{s}", s.encode_utf16().count()));
}

/// An optional string: `_` when absent.
fn put_opt(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => put_str(out, s),
        None => out.push('_'),
    }
}

fn put_params(out: &mut String, p: &Params<'_>) {
    match p {
        Params::None => out.push('_'),
        Params::Text(s) => {
            out.push('s');
            put_str(out, s);
        }
        Params::Form(s) => {
            out.push('f');
            put_str(out, s);
        }
        Params::Pairs(pairs) => {
            out.push_str(&format!("p{};", pairs.len()));
            for (name, value) in pairs {
                put_str(out, name);
                put_str(out, value);
            }
        }
    }
}

/// A diagnosis packet: the base string sent, the timestamp sent, the status, the headers, the
/// body.
pub fn diagnosis_packet(
    base_string: &str,
    timestamp: Option<u64>,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> String {
    let mut out = String::new();
    put_str(&mut out, base_string);
    match timestamp {
        Some(t) => out.push_str(&format!("{t};")),
        None => out.push('_'),
    }
    out.push_str(&format!("{status};"));
    put_params(&mut out, &Params::Pairs(headers.to_vec()));
    put_str(&mut out, body);
    out
}

fn flag(b: bool) -> char {
    if b {
        't'
    } else {
        'f'
    }
}

impl<'a> PacketCase<'a> {
    /// The case of native values (a text query is not in a packet: `query_form` and `query`
    /// may not both be given).
    #[allow(clippy::too_many_arguments)]
    pub fn of(
        entry: Entry,
        runtime: Runtime,
        options: &SignerOptions<'a>,
        request: &Request<'a>,
        nonce: Option<&'a str>,
        timestamp: Option<u64>,
        now: i64,
    ) -> PacketCase<'a> {
        let pairs = |p: &[(&'a str, &'a str)]| Params::Pairs(p.to_vec());
        assert!(
            request.query.is_empty() || request.query_form.is_none(),
            "a packet has one query"
        );
        PacketCase {
            entry,
            server: runtime == Runtime::Server,
            consumer_key: options.consumer_key,
            consumer_secret: options.consumer_secret,
            token: options.token,
            token_secret: options.token_secret,
            two_legged: options.two_legged,
            realm: options.realm,
            placement: Some(Place::of(options.placement)),
            clock_offset: Int::Any(options.clock_offset),
            now: Int::Any(now),
            method: Method::Other(request.method),
            url: Url::Other(request.url),
            query: match request.query_form {
                Some(form) => Params::Form(form),
                None if request.query.is_empty() => Params::None,
                None => pairs(request.query),
            },
            body: match request.body {
                Body::None => Params::None,
                Body::Text(s) => Params::Text(s),
                Body::Form(s) => Params::Form(s),
                Body::Pairs(p) => pairs(p),
            },
            content_type: request.content_type.map(ContentType::Other),
            request_placement: request.placement.map(Place::of),
            request_realm: request.realm,
            nonce,
            timestamp: timestamp.map(|t| Int::Any(t.try_into().expect("a timestamp below 2^63"))),
            include_version: request.include_version,
            signature_method: Some(MethodName::of(options.signature_method)),
            callback: request.callback,
            verifier: request.verifier,
            body_hash: request.body_hash,
        }
    }

    /// The case with its integers as the JavaScript front writes them: the clock reading and
    /// the clock offset safe integers (a bigger one is the front's error), a timestamp not
    /// negative (the front allows up to 2^53 - 1; the core's own bound is checked beyond it).
    pub fn into_written(mut self) -> Self {
        let safe = |n: Int| Int::Any(n.get().clamp(-MAX_SAFE, MAX_SAFE));
        self.now = safe(self.now);
        self.clock_offset = safe(self.clock_offset);
        self.timestamp = self.timestamp.map(|t| Int::Any(t.get().saturating_abs()));
        self
    }

    pub fn now(&self) -> i64 {
        self.now.get()
    }

    pub fn clock_offset(&self) -> i64 {
        self.clock_offset.get()
    }

    pub fn timestamp(&self) -> Option<u64> {
        self.timestamp.map(|t| t.get().unsigned_abs())
    }

    pub fn runtime(&self) -> Runtime {
        if self.server {
            Runtime::Server
        } else {
            Runtime::Browser
        }
    }

    pub fn method(&self) -> &'a str {
        match self.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Other(s) => s,
        }
    }

    pub fn url(&self) -> Cow<'a, str> {
        match self.url {
            Url::Api(rest) => Cow::Owned(format!("https://api.context.io/lite/users{rest}")),
            Url::Other(s) => Cow::Borrowed(s),
        }
    }

    pub fn content_type(&self) -> Option<&'a str> {
        self.content_type.map(|c| match c {
            ContentType::Form => "application/x-www-form-urlencoded",
            ContentType::Json => "application/json",
            ContentType::Other(s) => s,
        })
    }

    /// The caller's text of a text or form body, which an answer does not repeat.
    pub fn body_text(&self) -> Option<&'a str> {
        match self.body {
            Params::Text(s) | Params::Form(s) => Some(s),
            _ => None,
        }
    }

    /// The options packet: the runtime, then the options.
    pub fn options_packet(&self) -> String {
        let mut out = String::from(if self.server { "S" } else { "B" });
        put_str(&mut out, self.consumer_key);
        put_str(&mut out, self.consumer_secret);
        put_opt(&mut out, self.token);
        put_opt(&mut out, self.token_secret);
        out.push(flag(self.two_legged));
        put_opt(&mut out, self.realm);
        put_opt(&mut out, self.placement.map(Place::text));
        out.push_str(&format!("{};", self.clock_offset()));
        put_opt(&mut out, self.signature_method.map(MethodName::text));
        out
    }

    /// The request packet, beginning with the clock reading.
    pub fn request_packet(&self) -> String {
        let mut out = format!("{};", self.now());
        put_str(&mut out, self.method());
        put_str(&mut out, &self.url());
        match &self.query {
            // A query is never text; a text one is written as the form it would be.
            Params::Text(s) => put_params(&mut out, &Params::Form(s)),
            q => put_params(&mut out, q),
        }
        put_params(&mut out, &self.body);
        put_opt(&mut out, self.content_type());
        put_opt(&mut out, self.request_placement.map(Place::text));
        put_opt(&mut out, self.request_realm);
        put_opt(&mut out, self.nonce);
        match self.timestamp() {
            Some(t) => out.push_str(&format!("{t};")),
            None => out.push('_'),
        }
        out.push(flag(self.include_version));
        put_opt(&mut out, self.callback);
        put_opt(&mut out, self.verifier);
        out.push(flag(self.body_hash));
        out
    }

    /// The packet of the one-call form: options, then request.
    pub fn once_packet(&self) -> String {
        self.options_packet() + &self.request_packet()
    }

    /// The packets of the case's calls, in order.
    pub fn packets(&self) -> Vec<String> {
        match self.entry {
            Entry::Once => vec![self.once_packet()],
            _ => vec![self.options_packet(), self.request_packet()],
        }
    }

    // The same calls natively, in the order the packet reader makes them.

    /// The signer: the placement parsed, then `Signer::new` (`for_new_user` for
    /// [`Entry::NewUser`]).
    pub fn signer(&self) -> Result<Signer, Error> {
        let options = SignerOptions {
            consumer_key: self.consumer_key,
            consumer_secret: self.consumer_secret,
            token: self.token,
            token_secret: self.token_secret,
            two_legged: self.two_legged,
            realm: self.realm,
            placement: self
                .placement
                .map(|p| Placement::parse(p.text()))
                .transpose()?
                .unwrap_or_default(),
            clock_offset: self.clock_offset(),
            signature_method: self
                .signature_method
                .map(|m| SignatureMethod::parse(m.text()))
                .transpose()?
                .unwrap_or_default(),
        };
        match self.entry {
            Entry::NewUser => Signer::for_new_user(&options),
            _ => Signer::new(&options, self.runtime()),
        }
    }

    /// The request (its placement parsed), with `url` for its URL.
    pub fn request<'r>(&'r self, url: &'r str) -> Result<Request<'r>, Error> {
        let pairs = |p: &'r Params<'a>| match p {
            Params::Pairs(pairs) => &pairs[..],
            _ => &[],
        };
        Ok(Request {
            method: self.method(),
            url,
            query: pairs(&self.query),
            query_form: match self.query {
                Params::Text(s) | Params::Form(s) => Some(s),
                _ => None,
            },
            body: match &self.body {
                Params::None => Body::None,
                Params::Text(s) => Body::Text(s),
                Params::Form(s) => Body::Form(s),
                Params::Pairs(p) => Body::Pairs(p),
            },
            content_type: self.content_type(),
            placement: self
                .request_placement
                .map(|p| Placement::parse(p.text()))
                .transpose()?,
            realm: self.request_realm,
            include_version: self.include_version,
            callback: self.callback,
            verifier: self.verifier,
            body_hash: self.body_hash,
        })
    }
}

/// An answer packet, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Error { code: String, message: String },
    Signed { mask: u8, parts: Vec<String> },
}

/// The parts of a signed answer, in order (src/binding/packet.rs).
pub const PARTS: [&str; 13] = [
    "method",
    "url",
    "authorization",
    "content type",
    "signature",
    "base string",
    "normalized parameters",
    "timestamp",
    "drawn nonce",
    "body",
    "signature method",
    "version",
    "body hash",
];

impl Answer {
    /// Reads an answer: `\0` code `\u{1}` message, with a code of [`Error::ALL_CODES`] and a
    /// message; or `\u{2}`, a mask character `@` + 0..63, and the thirteen parts, each followed
    /// by `\u{1}`.
    pub fn read(s: &str) -> Result<Answer, String> {
        if let Some(rest) = s.strip_prefix('\0') {
            let (code, message) = rest.split_once('\u{1}').ok_or("an error with no message")?;
            if !Error::ALL_CODES.contains(&code) || message.is_empty() {
                return Err(format!("not an error answer: {s:?}"));
            }
            return Ok(Answer::Error {
                code: code.to_owned(),
                message: message.to_owned(),
            });
        }
        let rest = s
            .strip_prefix('\u{2}')
            .ok_or("neither an error nor a result")?;
        let mut chars = rest.chars();
        let mask = chars
            .next()
            .and_then(|c| u8::try_from(u32::from(c).wrapping_sub(64)).ok())
            .filter(|&m| m < 64)
            .ok_or("no mask")?;
        let mut parts: Vec<String> = chars.as_str().split('\u{1}').map(str::to_owned).collect();
        if parts.len() != PARTS.len() + 1 || parts.pop().as_deref() != Some("") {
            return Err(format!("not thirteen parts: {s:?}"));
        }
        Ok(Answer::Signed { mask, parts })
    }

    /// The error answer of `e`.
    pub fn error(e: &Error) -> Answer {
        Answer::Error {
            code: e.code().to_owned(),
            message: e.message().to_owned(),
        }
    }

    /// The answer a packet must give for the native `result`, written here from the format's
    /// docs: `body_text` is the caller's text or form body (which a result does not repeat),
    /// `drawn` whether the nonce was drawn.
    pub fn of(
        result: &Result<SignedRequest, Error>,
        body_text: Option<&str>,
        drawn: bool,
    ) -> Answer {
        let signed = match result {
            Ok(s) => s,
            Err(e) => return Answer::error(e),
        };
        let oauth = |name| signed.oauth_parameter(name);
        // What the core added to the caller's body: its text comes first, unchanged.
        let body = signed.body().map(|b| match body_text {
            Some(text) => b.strip_prefix(text).unwrap_or_else(|| {
                panic!("the signed body does not begin with the caller's: {b:?}")
            }),
            None => b,
        });
        let parts = [
            signed.method(),
            signed.url(),
            signed.authorization().unwrap_or(""),
            signed.content_type().unwrap_or(""),
            signed.signature(),
            signed.base_string(),
            signed.normalized_parameters(),
            oauth("oauth_timestamp").unwrap_or(""),
            if drawn {
                oauth("oauth_nonce").unwrap_or("")
            } else {
                ""
            },
            body.unwrap_or(""),
            oauth("oauth_signature_method").unwrap_or(""),
            oauth("oauth_version").unwrap_or(""),
            oauth("oauth_body_hash").unwrap_or(""),
        ];
        let bits = [
            signed.authorization().is_some(),
            signed.content_type().is_some(),
            body.is_some(),
            oauth("oauth_token").is_some(),
            oauth("oauth_version").is_some(),
            drawn,
        ];
        Answer::Signed {
            mask: bits
                .iter()
                .enumerate()
                .map(|(i, &b)| u8::from(b) << i)
                .sum(),
            parts: parts.iter().map(|&p| p.to_owned()).collect(),
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            Answer::Error { code, .. } => Some(code),
            Answer::Signed { .. } => None,
        }
    }

    /// A part of a signed answer by its name in [`PARTS`].
    pub fn part(&self, name: &str) -> Option<&str> {
        let Answer::Signed { parts, .. } = self else {
            return None;
        };
        let i = PARTS
            .iter()
            .position(|&p| p == name)
            .expect("a part's name");
        Some(&parts[i])
    }

    /// Whether this is the error of a packet the reader cannot read (`INVALID_OPTIONS`, its
    /// message beginning `internal:`).
    pub fn is_malformed(&self) -> bool {
        matches!(self, Answer::Error { code, message }
            if code == "INVALID_OPTIONS" && message.starts_with("internal:"))
    }
}

fn read(answer: &str) -> Answer {
    Answer::read(answer).unwrap_or_else(|e| panic!("malformed answer: {e}"))
}

/// The 3-legged signer of the `ck`/`cs`, `t`/`ts` credentials.
pub fn user_signer() -> Signer {
    let options = SignerOptions {
        consumer_key: "ck",
        consumer_secret: "cs",
        token: Some("t"),
        token_secret: Some("ts"),
        ..SignerOptions::default()
    };
    Signer::new(&options, Runtime::Browser).expect("a 3-legged signer")
}

/// Any text to the four entry points (`sign_packet` with [`user_signer`]): a well-formed
/// answer from each, never a panic; a diagnosis (`diagnose_packet`) an error answer or a JSON
/// object; the verifier's two (`verify_read_packet`, `verify_check_packet`) an answer of one of
/// their four forms. Returns the answers of `sign_packet`, `sign_once_packet`, `signer_from_packet`
/// (`new Signer`) and (`forNewUser`), a signer built as `None`.
pub fn packet_text(text: &str) -> [Option<Answer>; 4] {
    let signer = user_signer();
    let built = |new_user| {
        let answer = read(&signer_from_packet(text, new_user).err()?);
        // A signer's refusal is an error, never a result.
        assert!(answer.code().is_some(), "{answer:?}");
        Some(answer)
    };
    let diagnosis = diagnose_packet(text);
    if diagnosis.starts_with('\0') {
        read(&diagnosis);
    } else {
        let json: serde_json::Value = serde_json::from_str(&diagnosis)
            .unwrap_or_else(|e| panic!("a diagnosis that is not JSON ({e}): {diagnosis:?}"));
        assert!(json.is_object(), "{diagnosis:?}");
    }
    // The verifier's packets (src/binding/verify.rs), the text as the packet and as the body: an
    // error, a claim, a verified request or a refusal with a status RFC 5849 §3.2 gives.
    for answer in [
        verify_read_packet(text, text.as_bytes()),
        verify_check_packet(text, text.as_bytes()),
    ] {
        match answer.chars().next() {
            Some('\0') => {
                read(&answer);
            }
            Some('\u{2}' | '\u{3}') => {}
            Some('\u{4}') => assert!(
                answer.starts_with("\u{4}400;") || answer.starts_with("\u{4}401;"),
                "{answer:?}"
            ),
            _ => panic!("a verifier answer of no known form: {answer:?}"),
        }
    }
    [
        Some(read(&sign_packet(&signer, &mut NoncePool::default(), text))),
        Some(read(&sign_once_packet(text))),
        built(false),
        built(true),
    ]
}

/// What the packet target checked: the answer of the case's last call, and the HMAC key of its
/// signer for the target's signature check (`None` when no signer was built).
pub struct PacketChecked {
    pub answer: Answer,
    pub key: Option<String>,
}

/// Makes the case's calls through packets and checks each answer against the same call made
/// natively, in the reader's order: the placements parsed, `Signer::new` / `for_new_user`,
/// `Signer::sign_with` with the same clock reading and a pool filled the same way (for the
/// one-call form, which draws from a fresh random pool, with the nonce the answer reports).
/// Errors: the same code and message; results: the same parts (see [`Answer::of`]).
pub fn packet_case(case: &PacketCase<'_>) -> PacketChecked {
    let native_signer = case.signer();
    let (answer, signer) = if case.entry == Entry::Once {
        let answer = read(&sign_once_packet(&case.once_packet()));
        match native_signer {
            Ok(s) => (answer, s),
            Err(e) => {
                assert_eq!(answer, Answer::error(&e), "{case:?}");
                return PacketChecked { answer, key: None };
            }
        }
    } else {
        let built = signer_from_packet(&case.options_packet(), case.entry == Entry::NewUser);
        let signer = match (native_signer, built) {
            (Ok(native), Ok(built)) => {
                assert_eq!(built.summary(), native.summary(), "{case:?}");
                assert_eq!(built.mode(), native.mode(), "{case:?}");
                assert_eq!(built.placement(), native.placement(), "{case:?}");
                assert_eq!(built.clock_offset(), native.clock_offset(), "{case:?}");
                built
            }
            (Err(native), Err(built)) => {
                let answer = read(&built);
                assert_eq!(answer, Answer::error(&native), "{case:?}");
                return PacketChecked { answer, key: None };
            }
            (native, built) => panic!("natively {native:?}, through a packet {built:?}: {case:?}"),
        };
        let answer = read(&sign_packet(
            &signer,
            &mut primed_pool(),
            &case.request_packet(),
        ));
        (answer, signer)
    };
    let key = Some(hmac_key(
        case.consumer_secret,
        case.token_secret,
        signer.mode(),
    ));

    let url = case.url();
    let request = match case.request(&url) {
        Ok(r) => r,
        Err(e) => {
            assert_eq!(answer, Answer::error(&e), "{case:?}");
            return PacketChecked { answer, key };
        }
    };
    let drawn = case.nonce.is_none();
    let native = if case.entry == Entry::Once && drawn {
        // A fresh random nonce: natively, the one the answer reports (and any nonce for a
        // refusal, which comes before the draw).
        let reported = answer.part("drawn nonce");
        if let Some(n) = reported {
            assert!(
                n.len() == NONCE_LEN && n.bytes().all(|b| b.is_ascii_alphanumeric()),
                "not a fresh nonce: {n:?}"
            );
        }
        let mut pool = NoncePool::default();
        signer.sign_with(&request, reported, case.timestamp(), &mut pool, case.now())
    } else {
        signer.sign_with(
            &request,
            case.nonce,
            case.timestamp(),
            &mut primed_pool(),
            case.now(),
        )
    };
    assert_eq!(
        answer,
        Answer::of(&native, case.body_text(), drawn),
        "{case:?}"
    );
    if drawn && case.entry != Entry::Once {
        if let Some(n) = answer.part("drawn nonce") {
            assert_eq!(n, second_pool_nonce());
        }
    }
    PacketChecked { answer, key }
}

/// The packet target on any bytes: [`packet_text`] on them when they are UTF-8, and
/// [`packet_case`] on the [`PacketCase`] `arbitrary` reads from them.
pub fn packet(data: &[u8]) -> Option<PacketChecked> {
    if let Ok(text) = std::str::from_utf8(data) {
        packet_text(text);
    }
    let case = PacketCase::arbitrary(&mut Unstructured::new(data)).ok()?;
    Some(packet_case(&case.into_written()))
}
