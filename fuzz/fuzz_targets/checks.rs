//! The checks of the fuzz targets that need nothing but the crate (its public API and its
//! `internals`), shared with `tests/fuzz-regressions.rs`, which replays the whole corpus through
//! them under `cargo test`. The targets add the checks against other crates (the WHATWG URL
//! parser, HMAC-SHA1).
//!
//! Every input is UTF-8 text, so the corpus stays readable and replayable:
//! - `url_parse`: the URL;
//! - `params`: the first line a form string, each further line a decoded `name<TAB>value`;
//! - `sign`: one field per line, see [`SignCase::parse`];
//! - `packet`: any text, fed as it is to the three packet entry points, and read as a
//!   [`SignCase`] with more flags to build valid packets from, see [`packet`].

#![allow(dead_code)]

use super::common;
use super::packets::{self, Answer, Js, Signed};
use contextio_signer::internals::{
    sign_once_packet, sign_packet, signer_from_packet, ParamList, RequestUrl,
};
use contextio_signer::{
    nonce_from_bytes, Body, Error, Mode, NoncePool, Placement, Request, Runtime, SignedRequest,
    Signer, SignerOptions, MAX_TIMESTAMP, NONCE_BYTES,
};

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
    let Some(mut pairs) = common::form_pairs(form) else {
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
    assert_eq!(normalized, common::normalize(&pairs), "{text:?}");
    assert_eq!(list.normalized(), normalized, "normalizing again");
}

/// One signing call read from text: one field per line, missing lines take their defaults, a
/// line `<none>` is an absent optional value.
///
/// ```text
/// 0  flags: mode (3 = 3-legged, 2 = 2-legged, n = forNewUser, b = 3-legged in a browser),
///    signer placement, request placement or '-', body kind (n none, t text, p pairs,
///    f form), include_version (1 or 0); e.g. "3h-t1" (the packet target reads more flags)
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
        let flags = line(0).as_bytes();
        let flag = |i: usize, d: u8| flags.get(i).copied().unwrap_or(d);
        SignCase {
            flags,
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
    assert_eq!(parts[0], common::rfc3986(signed.method()));
    assert_eq!(parts[2], common::rfc3986(signed.normalized_parameters()));
    let base_uri = decode_pct(parts[1]);
    let reparsed = RequestUrl::parse(signed.url()).expect("the returned url parses");
    assert_eq!(reparsed.base_string_uri(), base_uri);
    assert!(signed.url().starts_with(&base_uri));
    assert_eq!(signed.signature().len(), 28, "{}", signed.signature());
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
        };
        let resigned = signer
            .sign(&again, case.nonce, case.timestamp)
            .expect("the signed request signs again");
        assert_eq!(resigned.base_string(), signed.base_string());
        assert_eq!(resigned.url(), signed.url());
        assert_eq!(resigned.signature(), signed.signature());
    }

    let key = hmac_key(&case, signer.mode());
    Some((signed, key))
}

/// The HMAC key `enc(consumer secret)&enc(token secret)` of a case's signer.
fn hmac_key(case: &SignCase<'_>, mode: Mode) -> String {
    let token_secret = match mode {
        Mode::ThreeLegged => case.token_secret.unwrap_or(""),
        _ => "",
    };
    format!(
        "{}&{}",
        common::rfc3986(case.consumer_secret),
        common::rfc3986(token_secret)
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

/// A JavaScript value for one query or body value, as the structured packet mode types it
/// (flag 9 `y`): `true`/`false` as booleans, number-like text as a number (whose text the
/// signer then signs as it is), anything else as a string.
fn typed_value(v: &str) -> Js {
    let number_like = {
        let digits = v.strip_prefix('-').unwrap_or(v);
        let (int, frac) = digits.split_once('.').unwrap_or((digits, "1"));
        !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && (int == "0" || !int.starts_with('0'))
            && !frac.is_empty()
            && frac.bytes().all(|b| b.is_ascii_digit())
    };
    match v {
        "true" => Js::Bool(true),
        "false" => Js::Bool(false),
        _ if number_like && v.len() <= 24 => Js::n(v),
        _ => Js::s(v),
    }
}

/// Pairs as a plain object (grouped by name, see [`packets::pairs_js`]), typed when `typed`,
/// with a name whose one value is `<null>` written as `null` (which the signer skips); and the
/// pairs the signer then sees.
fn pairs_object<'a>(pairs: &[(&'a str, &'a str)], typed: bool) -> (Js, Vec<(&'a str, &'a str)>) {
    let Js::Object(mut entries) = packets::pairs_js(pairs) else {
        unreachable!("pairs_js gives an object")
    };
    let value_of = |v: &str| if typed { typed_value(v) } else { Js::s(v) };
    let mut skipped: Vec<String> = Vec::new();
    for (name, value) in entries.iter_mut() {
        *value = match std::mem::replace(value, Js::Absent) {
            Js::Str(v) if typed && v == "<null>" => {
                skipped.push(name.clone());
                Js::Absent
            }
            Js::Str(v) => value_of(&v),
            Js::Array(items) => Js::Array(
                items
                    .into_iter()
                    .map(|item| match item {
                        Js::Str(v) => value_of(&v),
                        other => other,
                    })
                    .collect(),
            ),
            other => other,
        };
    }
    let seen = packets::grouped(pairs)
        .into_iter()
        .filter(|(n, _)| !skipped.iter().any(|s| s == n))
        .collect();
    (Js::Object(entries), seen)
}

/// The packet target: [`packets::every_entry`] on the text as it is, then the text read as a
/// [`SignCase`] whose values are packed into *valid* packets, so that the fuzzer reaches deep
/// into the signer through the boundary. More flags on line 0:
///
/// ```text
/// 5  nonce: a = absent (drawn from the pool), else line 10
/// 6  timestamp: a = absent (line 8 as Date.now() in milliseconds, within ±(2^53 - 1), plus
///    the clock offset), else line 9
/// 7  query: p = a URLSearchParams, else a plain object
/// 8  entry: o = the one-call packet (new Signer + sign, a fresh pool), else an options packet
///    (new Signer, or forNewUser for mode n) and a request packet
/// 9  values: y = typed (true/false booleans, number-like text numbers, <null> alone null),
///    else strings
/// ```
///
/// The answers must be exactly what the same calls give natively (`Signer::new` /
/// `for_new_user`, `Signer::sign_with` with the same clock reading and an identically filled
/// pool), and a signed request what `Signer::sign` gives with the nonce and timestamp it
/// reports, which are the ones given, or the pool's next nonce and the clock reading in whole
/// seconds plus the offset. Returns the signed request read back and the HMAC key for the
/// caller's signature check.
pub fn packet(text: &str) -> Option<(Signed, String)> {
    packets::every_entry(text);

    let case = SignCase::parse(text);
    let nonce = (case.flag(5, b'g') != b'a').then_some(case.nonce);
    let timestamp = (case.flag(6, b'g') != b'a').then_some(case.timestamp);
    let query_params = case.flag(7, b'o') == b'p';
    let once = case.flag(8, b's') == b'o';
    let typed = case.flag(9, b's') == b'y';
    // Date.now() as JavaScript gives it: a whole number within ±(2^53 - 1).
    let max_clock = MAX_TIMESTAMP as i64;
    let clock = case.clock.clamp(-max_clock, max_clock);

    // The request as packed, and the query and body pairs as the signer sees them.
    let (query_js, query) = if query_params {
        (
            Js::Params(packets::form_serialize(&case.query)),
            case.query.clone(),
        )
    } else {
        pairs_object(&case.query, typed)
    };
    let (body_js, body_pairs) = pairs_object(&case.body_pairs, typed);
    let request = case.request_with(&query, &body_pairs);
    let mut request_js = packets::request_js(&request, nonce, timestamp);
    if !case.query.is_empty() {
        request_js = request_js.with("query", query_js);
    }
    if case.body_kind == b'p' {
        request_js = request_js.with("body", body_js);
    }
    let options_js = packets::options_js(&case.options());

    // The signer, natively and through a packet.
    let native = if once {
        let runtime = if case.server() {
            Runtime::Server
        } else {
            Runtime::Browser
        };
        Signer::new(&case.options(), runtime)
    } else {
        case.signer()
    };
    let (signer, answer, pool_nonce) = if once {
        let packet = packets::once_packet(case.server(), clock, &options_js, &request_js);
        let answer = packets::read_answer(&sign_once_packet(&packet))
            .unwrap_or_else(|e| panic!("{e}: {packet:?}"));
        let signer = match native {
            Ok(s) => s,
            Err(e) => {
                assert_eq!(answer, Answer::error(&e), "{packet:?}");
                return None;
            }
        };
        // A fresh random nonce: the one reported, if it is one.
        let drawn = match &answer {
            Answer::Signed(s) if nonce.is_none() => {
                let n = s.oauth("oauth_nonce").expect("a nonce").to_owned();
                assert!(
                    n.len() == 24
                        && n.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                    "not a fresh nonce: {n:?}"
                );
                n
            }
            _ => second_pool_nonce(),
        };
        (signer, answer, drawn)
    } else {
        let packet = packets::options_packet(case.server(), &options_js);
        let from_packet = signer_from_packet(&packet, case.mode == b'n');
        let signer = match (native, from_packet) {
            (Ok(n), Ok(p)) => {
                assert_eq!(p.mode(), n.mode());
                assert_eq!(p.consumer_key(), n.consumer_key());
                assert_eq!(p.placement(), n.placement());
                assert_eq!(p.clock_offset(), n.clock_offset());
                p
            }
            (Err(e), Err(answer)) => {
                assert_eq!(
                    packets::read_answer(&answer),
                    Ok(Answer::error(&e)),
                    "{packet:?}"
                );
                return None;
            }
            (n, p) => panic!("natively {n:?}, through {packet:?}: {p:?}"),
        };
        let packet = packets::request_packet(clock, &request_js);
        let answer = packets::read_answer(&sign_packet(&signer, &mut primed_pool(), &packet))
            .unwrap_or_else(|e| panic!("{e}: {packet:?}"));
        (signer, answer, second_pool_nonce())
    };

    // The same call natively (with a pool that hands out the same nonce).
    let native = signer.sign_with(&request, nonce, timestamp, &mut primed_pool(), clock);
    if !(once && nonce.is_none()) {
        assert_eq!(answer, Answer::of(&native), "{text:?}");
    }
    let used_nonce = nonce.map_or(pool_nonce, str::to_owned);
    let Some(used_timestamp) =
        timestamp.or_else(|| default_timestamp(clock, signer.clock_offset()))
    else {
        assert_eq!(answer.code(), Some("INVALID_TIMESTAMP"), "{text:?}");
        return None;
    };
    let direct = signer.sign(&request, &used_nonce, used_timestamp);
    assert_eq!(answer, Answer::of(&direct), "{text:?}");
    let signed = answer.into_signed()?;
    assert_eq!(signed.oauth("oauth_nonce"), Some(used_nonce.as_str()));
    assert_eq!(
        signed.oauth("oauth_timestamp"),
        Some(used_timestamp.to_string().as_str())
    );
    let key = hmac_key(&case, signer.mode());
    Some((signed, key))
}
