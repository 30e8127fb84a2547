//! The checks of the fuzz targets that need nothing but the crate's public API, shared with
//! `tests/fuzz-regressions.rs`, which replays the whole corpus through them under `cargo test`.
//! The targets add the checks against other crates (the WHATWG URL parser, HMAC-SHA1).
//!
//! Every input is UTF-8 text, so the corpus stays readable and replayable:
//! - `url_parse`: the URL;
//! - `params`: the first line a form string, each further line a decoded `name<TAB>value`;
//! - `sign`: one field per line, see [`SignCase::parse`].

#![allow(dead_code)]

use super::common;
use contextio_signer::uri::RequestUrl;
use contextio_signer::{
    Body, Error, Mode, Placement, Request, Runtime, SignedRequest, Signer, SignerOptions,
};

/// Parses `s` and checks the result: only the documented errors; an accepted URL is ASCII,
/// sendable as it is, with a path starting with `/`, a lower-case host and no default port, and
/// its normalized form (what is returned for fetching) parses again to itself.
pub fn url_parse(s: &str) -> Option<RequestUrl> {
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
    for part in [u.path.as_str(), u.query.as_deref().unwrap_or("")] {
        assert!(
            part.bytes()
                .all(|b| b.is_ascii_graphic() && b != b'#' && b != b'\\'),
            "not sendable as it is: {part:?} in {u:?}"
        );
    }
    let again = RequestUrl::parse(&normalized_url(&u)).expect("the normalized url parses");
    assert_eq!(again, u, "normalizing twice changes {s:?}");
    Some(u)
}

/// The URL as this crate returns it for fetching.
pub fn normalized_url(u: &RequestUrl) -> String {
    match &u.query {
        Some(q) => format!("{}?{q}", u.base_string_uri()),
        None => u.base_string_uri(),
    }
}

/// `ParamList::push_form` of the first line and `push` of the others, then `normalized`: a
/// refusal (INVALID_ENCODING) exactly when the strict reference decoder refuses, otherwise the
/// reference normalization of the same pairs.
pub fn params(text: &str) {
    use contextio_signer::params::ParamList;
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
///    f form), include_version (1 or 0); e.g. "3h-t1"
/// 1  consumer key          2  consumer secret      3  token        4  token secret
/// 5  signer realm          6  request realm        7  clock offset 8  clock reading
/// 9  timestamp             10 nonce                11 method       12 url
/// 13 content type          14 body (pairs: name TAB value TAB name TAB value ...)
/// 15.. extra query pairs, name TAB value
/// ```
pub struct SignCase {
    pub mode: u8,
    pub signer_placement: Placement,
    pub placement: Option<Placement>,
    pub body_kind: u8,
    pub include_version: bool,
    pub consumer_key: String,
    pub consumer_secret: String,
    pub token: Option<String>,
    pub token_secret: Option<String>,
    pub signer_realm: Option<String>,
    pub realm: Option<String>,
    pub clock_offset: i64,
    pub clock: i64,
    pub timestamp: u64,
    pub nonce: String,
    pub method: String,
    pub url: String,
    pub content_type: Option<String>,
    pub body: String,
    pub body_pairs: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
}

fn placement_of(c: u8) -> Option<Placement> {
    match c {
        b'h' => Some(Placement::Header),
        b'q' => Some(Placement::Query),
        b'b' => Some(Placement::Body),
        _ => None,
    }
}

fn pairs_of<'a>(items: impl Iterator<Item = &'a str>) -> Vec<(String, String)> {
    let items: Vec<&str> = items.collect();
    items
        .chunks(2)
        .map(|c| (c[0].to_owned(), c.get(1).copied().unwrap_or("").to_owned()))
        .collect()
}

impl SignCase {
    pub fn parse(text: &str) -> SignCase {
        let lines: Vec<&str> = text.split('\n').collect();
        let line = |i: usize| lines.get(i).copied().unwrap_or("");
        let opt = |i: usize| match lines.get(i) {
            None | Some(&"<none>") => None,
            Some(s) => Some((*s).to_owned()),
        };
        let flags = line(0).as_bytes();
        let flag = |i: usize, d: u8| flags.get(i).copied().unwrap_or(d);
        SignCase {
            mode: flag(0, b'3'),
            signer_placement: placement_of(flag(1, b'h')).unwrap_or_default(),
            placement: placement_of(flag(2, b'-')),
            body_kind: flag(3, b'n'),
            include_version: flag(4, b'1') != b'0',
            consumer_key: line(1).to_owned(),
            consumer_secret: line(2).to_owned(),
            token: opt(3),
            token_secret: opt(4),
            signer_realm: opt(5),
            realm: opt(6),
            clock_offset: line(7).parse().unwrap_or(0),
            clock: line(8).parse().unwrap_or(0),
            timestamp: line(9).parse().unwrap_or(0),
            nonce: line(10).to_owned(),
            method: line(11).to_owned(),
            url: line(12).to_owned(),
            content_type: opt(13),
            body: line(14).to_owned(),
            body_pairs: pairs_of(line(14).split('\t')),
            query: lines
                .iter()
                .skip(15)
                .map(|l| {
                    let (n, v) = l.split_once('\t').unwrap_or((l, ""));
                    (n.to_owned(), v.to_owned())
                })
                .collect(),
        }
    }

    pub fn signer(&self) -> Result<Signer, Error> {
        let options = SignerOptions {
            consumer_key: &self.consumer_key,
            consumer_secret: &self.consumer_secret,
            token: self.token.as_deref(),
            token_secret: self.token_secret.as_deref(),
            two_legged: self.mode == b'2',
            realm: self.signer_realm.as_deref(),
            placement: self.signer_placement,
            clock_offset: self.clock_offset,
        };
        match self.mode {
            b'n' => Signer::for_new_user(&options),
            b'b' => Signer::new(&options, Runtime::Browser),
            _ => Signer::new(&options, Runtime::Server),
        }
    }

    pub fn request(&self) -> Request<'_> {
        Request {
            method: &self.method,
            url: &self.url,
            query: &self.query,
            body: match self.body_kind {
                b't' => Body::Text(&self.body),
                b'p' => Body::Pairs(&self.body_pairs),
                b'f' => Body::Form(&self.body),
                _ => Body::None,
            },
            content_type: self.content_type.as_deref(),
            placement: self.placement,
            realm: self.realm.as_deref(),
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

/// Signs the case and checks it: no panic, documented error codes only; a signed request's
/// base string is `enc(METHOD)&enc(base uri)&enc(normalized parameters)`, its URL parses again
/// to the same base string URI, and signing the returned request again (its URL, body and
/// content type, header placement) gives the same base string. Returns the signed request and
/// the HMAC key `enc(consumer secret)&enc(token secret)` for the caller's signature check.
pub fn sign(text: &str) -> Option<(SignedRequest, String)> {
    let case = SignCase::parse(text);
    let signer = match case.signer() {
        Ok(s) => s,
        Err(e) => {
            check_error(&e);
            return None;
        }
    };
    if let Err(e) = signer.timestamp_at(case.clock) {
        check_error(&e);
    }
    let signed = match signer.sign(&case.request(), &case.nonce, case.timestamp) {
        Ok(s) => s,
        Err(e) => {
            check_error(&e);
            return None;
        }
    };

    let parts: Vec<&str> = signed.base_string.split('&').collect();
    assert_eq!(parts.len(), 3, "{}", signed.base_string);
    assert_eq!(parts[0], common::rfc3986(&signed.method));
    assert_eq!(parts[2], common::rfc3986(&signed.normalized_parameters));
    let base_uri = decode_pct(parts[1]);
    let reparsed = RequestUrl::parse(&signed.url).expect("the returned url parses");
    assert_eq!(reparsed.base_string_uri(), base_uri);
    assert!(signed.url.starts_with(&base_uri));
    assert_eq!(signed.signature.len(), 28, "{}", signed.signature);

    if case.placement.unwrap_or(signer.placement()) == Placement::Header {
        let again = Request {
            method: &signed.method,
            url: &signed.url,
            query: &[],
            body: match &signed.body {
                Some(b) if matches!(case.body_kind, b'p' | b'f') => Body::Form(b),
                Some(b) => Body::Text(b),
                None => Body::None,
            },
            content_type: signed.content_type.as_deref(),
            placement: Some(Placement::Header),
            realm: case.realm.as_deref(),
            include_version: case.include_version,
        };
        let resigned = signer
            .sign(&again, &case.nonce, case.timestamp)
            .expect("the signed request signs again");
        assert_eq!(resigned.base_string, signed.base_string);
        assert_eq!(resigned.url, signed.url);
        assert_eq!(resigned.signature, signed.signature);
    }

    let token_secret = match signer.mode() {
        Mode::ThreeLegged => case.token_secret.as_deref().unwrap_or(""),
        _ => "",
    };
    let key = format!(
        "{}&{}",
        common::rfc3986(&case.consumer_secret),
        common::rfc3986(token_secret)
    );
    Some((signed, key))
}
