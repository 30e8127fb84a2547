//! The JavaScript API's calls as packets: one string in, one string out.
//!
//! Crossing between JavaScript and wasm costs more than signing, per value crossed. So the
//! package's small JavaScript module (`js/api.js`) reads the caller's objects on the JS side
//! and packs each call into one string; the wasm binding hands that string to this module,
//! which applies *every* rule of the JavaScript API (which fields exist, which types they take,
//! what an absent one means, the timestamp and clock rules, the nonce default) and answers
//! with one string. The JavaScript side converts and never decides; this module decides and
//! is plain Rust, tested natively.
//!
//! # Values
//!
//! A JavaScript value is written as one of:
//!
//! | form | value |
//! |---|---|
//! | `s` *len* `:` *text* | a string of *len* UTF-16 code units |
//! | `n` *text* `;` | a number, *text* being `String(n)` |
//! | `t`, `f` | `true`, `false` |
//! | `z` | `null` or `undefined` |
//! | `u` *len* `:` *text* | a `URL` instance, *text* its `href` |
//! | `p` *len* `:` *text* | a `URLSearchParams` instance, *text* its `toString()` |
//! | `o` *count* `:` *len* `:` (`~`? *len* `:` *key* *value*)* | an object: its own enumerable string keys, in order (the first *len*: the UTF-16 length of the entries); for the options and the request also, marked `~`, their other string-keyed properties (a class's getters, inherited or non-enumerable ones, up to but not including `Object.prototype`) |
//! | `a` *count* `:` *len* `:` *value** | an array (*len*: the UTF-16 length of the items) |
//! | `x` | anything else (a `Map`, a class instance, a function, a typed array, too deep) |
//! | `!` | reading the value threw (a getter or a `Proxy` trap) |
//!
//! # Packets
//!
//! Every packet starts with `W` when the whole packet is well-formed UTF-16 and `L` when some
//! string in it has a lone surrogate (which has no UTF-8 form, and which the encoder would
//! silently replace by U+FFFD: that would sign a different value). A packet whose body would
//! exceed [`MAX_PACKET_UNITS`] is `T` alone.
//!
//! - Options (`new Signer`, `Signer.forNewUser`): `W`, the runtime (`S` server, `B` browser),
//!   the options value.
//! - A request (`signer.signRequest`): `W`, `String(Date.now())`, `;`, the request value.
//! - One call (`signRequest(options, request)`): `W`, the runtime, `Date.now()`, `;`, the
//!   options value, the request value.
//!
//! # Answers
//!
//! An error is `\0`, its code, `\u{1}`, its message.
//!
//! A signed request is made for a cheap unpacking: `String#split('\u{1}')` and a few slices.
//! It starts with `\u{2}` (an error never does). Then the parts that hold the caller's text as it is, and so may contain any character:
//! the consumer key, the nonce, the token (if any) and the body (if any), back to back. Then
//! the parts that cannot contain `\u{1}` (tokens, percent-encoded text, base64, digits, a
//! content type without control characters), each followed by `\u{1}`: method, url,
//! authorization, content type, signature, base string, normalized parameters,
//! `oauth_signature_method`, `oauth_timestamp`, `oauth_version` (an absent one empty). Last, a
//! header of decimal numbers separated by `,`: a presence mask (1 authorization, 2 content
//! type, 4 body, 8 token, 16 `oauth_version`) and the lengths in UTF-16 code units of the
//! consumer key, the nonce, the token and the body.

// Only the wasm binding (and the tests and fuzz targets) call into this module.
#![cfg_attr(
    not(any(target_arch = "wasm32", feature = "internals")),
    allow(dead_code)
)]

use crate::nonce::NoncePool;
use crate::placement::Placement;
use crate::request::{Body, Request, SignedRequest};
use crate::signer::{Runtime, Signer, SignerOptions, CLOCK_OFFSET_RULE};
use crate::{Error, UnknownField};
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

/// The fields of an options object.
pub const OPTION_FIELDS: [&str; 8] = [
    "consumerKey",
    "consumerSecret",
    "token",
    "tokenSecret",
    "twoLegged",
    "realm",
    "placement",
    "clockOffset",
];

/// The fields of a request object.
pub const REQUEST_FIELDS: [&str; 10] = [
    "method",
    "url",
    "query",
    "body",
    "contentType",
    "placement",
    "realm",
    "nonce",
    "timestamp",
    "includeVersion",
];

const MALFORMED: Error = Error::InvalidOptions(
    "internal: the JavaScript module packed a call this build cannot read (mismatched package files?)",
);
const LONE_SURROGATE: Error = Error::InvalidEncoding(
    "a string contains a lone UTF-16 surrogate, which has no UTF-8 encoding",
);

/// One JavaScript value of a packet, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value<'a> {
    Str(&'a str),
    Num(&'a str),
    Bool(bool),
    Absent,
    Url(&'a str),
    Params(&'a str),
    Object(Record<'a>),
    Array(Record<'a>),
    Other,
    Unreadable,
}

/// An object's or array's entries, still packed: `count` of them from `text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record<'a> {
    count: usize,
    text: &'a str,
}

/// Reads values from a packet.
struct Reader<'a> {
    s: &'a str,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, Error> {
        let b = *self.s.as_bytes().first().ok_or(MALFORMED)?;
        self.s = self.s.get(1..).ok_or(MALFORMED)?;
        Ok(b)
    }

    /// Decimal digits up to `end`.
    fn number(&mut self, end: u8) -> Result<usize, Error> {
        let mut n: usize = 0;
        loop {
            match self.byte()? {
                d @ b'0'..=b'9' => {
                    n = n
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(usize::from(d - b'0')))
                        .ok_or(MALFORMED)?;
                }
                b if b == end => return Ok(n),
                _ => return Err(MALFORMED),
            }
        }
    }

    /// Text up to `end` (exclusive), which is skipped.
    fn until(&mut self, end: u8) -> Result<&'a str, Error> {
        let i = self.s.bytes().position(|b| b == end).ok_or(MALFORMED)?;
        let text = self.s.get(..i).ok_or(MALFORMED)?;
        self.s = self.s.get(i + 1..).ok_or(MALFORMED)?;
        Ok(text)
    }

    /// `len` `:` text: a string of `len` UTF-16 code units.
    fn string(&mut self) -> Result<&'a str, Error> {
        let units = self.number(b':')?;
        let bytes = self.s.as_bytes();
        let end = if bytes.get(..units).is_some_and(<[u8]>::is_ascii) {
            units
        } else {
            let mut seen = 0;
            let mut end = None;
            for (i, c) in self.s.char_indices() {
                if seen == units {
                    end = Some(i);
                    break;
                }
                seen += c.len_utf16();
            }
            match end {
                Some(i) => i,
                None if seen == units => self.s.len(),
                None => return Err(MALFORMED),
            }
        };
        let text = self.s.get(..end).ok_or(MALFORMED)?;
        self.s = self.s.get(end..).ok_or(MALFORMED)?;
        Ok(text)
    }

    /// The packet's last value: nothing may follow it.
    fn last_value(&mut self) -> Result<Value<'a>, Error> {
        let v = self.value()?;
        if self.s.is_empty() {
            Ok(v)
        } else {
            Err(MALFORMED)
        }
    }

    fn value(&mut self) -> Result<Value<'a>, Error> {
        Ok(match self.byte()? {
            b's' => Value::Str(self.string()?),
            b'n' => Value::Num(self.until(b';')?),
            b't' => Value::Bool(true),
            b'f' => Value::Bool(false),
            b'z' => Value::Absent,
            b'u' => Value::Url(self.string()?),
            b'p' => Value::Params(self.string()?),
            tag @ (b'o' | b'a') => {
                // The entries are read when the record is used; here they are skipped by their
                // length, so that a nested record is not parsed once per level.
                let count = self.number(b':')?;
                let text = self.string()?;
                let record = Record { count, text };
                if tag == b'o' {
                    Value::Object(record)
                } else {
                    Value::Array(record)
                }
            }
            b'x' => Value::Other,
            b'!' => Value::Unreadable,
            _ => return Err(MALFORMED),
        })
    }
}

impl<'a> Record<'a> {
    /// The `(key, value)` entries of an object.
    /// Text left after the stated number of entries is malformed (a mismatched packer). The
    /// flag is set for an entry marked `~`: a property that is not own and enumerable.
    fn entries(self) -> impl Iterator<Item = Result<(&'a str, Value<'a>, bool), Error>> {
        self.read(|r| {
            let hidden = r.s.as_bytes().first() == Some(&b'~');
            if hidden {
                r.byte()?;
            }
            Ok((r.string()?, r.value()?, hidden))
        })
    }

    /// The items of an array.
    fn items(self) -> impl Iterator<Item = Result<Value<'a>, Error>> {
        self.read(Reader::value)
    }

    fn read<T, F: FnMut(&mut Reader<'a>) -> Result<T, Error>>(
        self,
        mut one: F,
    ) -> impl Iterator<Item = Result<T, Error>> + use<'a, T, F> {
        let mut r = Reader { s: self.text };
        let mut left = Some(self.count);
        core::iter::from_fn(move || match left? {
            0 => {
                left = None;
                (!r.s.is_empty()).then_some(Err(MALFORMED))
            }
            n => {
                left = Some(n - 1);
                let item = one(&mut r);
                if item.is_err() {
                    left = None;
                }
                Some(item)
            }
        })
    }
}

/// The fields of an object, by the index of their name in `known`; the first unknown name is
/// an error (with a suggestion).
fn fields<'a, const N: usize>(
    record: Record<'a>,
    object: &'static str,
    known: &[&'static str; N],
) -> Result<[Value<'a>; N], Error> {
    let mut slots = [Value::Absent; N];
    for entry in record.entries() {
        let (key, value, hidden) = entry?;
        match known
            .iter()
            .position(|k| *k == key)
            .and_then(|i| slots.get_mut(i))
        {
            // A field is read wherever it is defined: an own property, a class's getter, an
            // inherited or non-enumerable property (below Object.prototype).
            Some(slot) => *slot = value,
            // Only own enumerable properties must be fields; others (a class's methods, say)
            // are not the caller's data.
            None if hidden => {}
            None => {
                return Err(Error::UnknownField(UnknownField::new(object, key, known)));
            }
        }
    }
    Ok(slots)
}

/// A packet's leading well-formedness flag.
fn well_formed(r: &mut Reader<'_>) -> Result<(), Error> {
    // A packet over the limit is `T` alone (the JavaScript module does not send the text); a
    // caller of the binding that sends one anyway gets the same error.
    if r.s.len() > 3 * MAX_PACKET_UNITS + 64 {
        return Err(TOO_LARGE);
    }
    match r.byte()? {
        b'W' => Ok(()),
        b'L' => Err(LONE_SURROGATE),
        b'T' => Err(TOO_LARGE),
        _ => Err(MALFORMED),
    }
}

/// The longest packet body read, in UTF-16 code units (4 Mi): a signature of a longer request
/// would need more than a gigabyte of wasm memory in the worst case (every character escaped
/// twice), which a page may not get; the module must not trap for want of it.
pub(crate) const MAX_PACKET_UNITS: usize = 4 << 20;

const TOO_LARGE: Error = Error::InvalidBody(
    "the request is too large to sign: the options and the request (url, query, body, ...) may hold 4,194,304 characters in all",
);

fn runtime(r: &mut Reader<'_>) -> Result<Runtime, Error> {
    match r.byte()? {
        b'S' => Ok(Runtime::Server),
        b'B' => Ok(Runtime::Browser),
        _ => Err(MALFORMED),
    }
}

/// `String(Date.now())`: milliseconds, whole or with a fraction (a mocked clock), floored to
/// whole milliseconds; `None` for any other number (`NaN`, an exponent: a clock mocked badly,
/// an error only if the default timestamp is needed). Text that no number is written as is
/// malformed.
fn clock(r: &mut Reader<'_>) -> Result<Option<i64>, Error> {
    let text = r.until(b';')?;
    if !is_number_text(text) {
        return Err(MALFORMED);
    }
    let (negative, number) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text),
    };
    let (whole, fraction) = match crate::encoding::split_once_at(number, b'.') {
        Some((w, f)) => (w, Some(f)),
        None => (number, None),
    };
    let fraction_ok =
        fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    let n = whole_number(whole)
        .filter(|_| fraction_ok)
        .and_then(|n| i64::try_from(n).ok());
    Ok(n.map(|n| {
        if !negative {
            n
        } else if fraction.is_some_and(|f| f.bytes().any(|b| b != b'0')) {
            -n - 1
        } else {
            -n
        }
    }))
}

/// Whether `text` is how JavaScript writes a number: `NaN`, `Infinity`, or an optional `-`,
/// digits, an optional fraction, an optional exponent.
fn is_number_text(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    if matches!(text, "NaN" | "Infinity" | "-Infinity") {
        return true;
    }
    let (mantissa, exponent) = match crate::encoding::split_once_at(unsigned, b'e') {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (whole, fraction) = match crate::encoding::split_once_at(mantissa, b'.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    digits(whole)
        && fraction.is_none_or(digits)
        && exponent.is_none_or(|e| {
            digits(
                e.strip_prefix('+')
                    .or_else(|| e.strip_prefix('-'))
                    .unwrap_or(e),
            )
        })
}

/// The value of `String(n)` for a whole number `n` that fits a `u64`, `None` for anything
/// else (a fraction, an exponent, `NaN`, a sign). The core applies the ranges.
fn whole_number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Overflow checked by comparison: a checked 64-bit multiply is a call on wasm32.
    text.bytes().try_fold(0u64, |n, d| {
        (n <= (u64::MAX - 9) / 10).then(|| n * 10 + u64::from(d - b'0'))
    })
}

/// A string field: `None` when absent, `wrong_type` when not a string.
fn string<'a>(v: Value<'a>, wrong_type: Error) -> Result<Option<&'a str>, Error> {
    match v {
        Value::Absent => Ok(None),
        Value::Str(s) => Ok(Some(s)),
        _ => Err(wrong_type),
    }
}

fn placement(v: Value<'_>) -> Result<Option<Placement>, Error> {
    const WRONG: Error = Error::InvalidPlacement("placement must be 'header', 'query' or 'body'");
    string(v, WRONG)?.map(Placement::parse).transpose()
}

/// Reads an options packet's options value into [`SignerOptions`].
fn options<'a>(v: Value<'a>) -> Result<SignerOptions<'a>, Error> {
    const UNREADABLE: Error =
        Error::InvalidOptions("options could not be read: a getter or Proxy trap threw");
    let Value::Object(record) = v else {
        return Err(if v == Value::Unreadable {
            UNREADABLE
        } else {
            Error::InvalidOptions("options must be an object with consumerKey and consumerSecret")
        });
    };
    let f = fields(record, "option", &OPTION_FIELDS)?;
    if f.contains(&Value::Unreadable) {
        return Err(UNREADABLE);
    }
    let [key, secret, token, token_secret, two_legged, realm, place, clock_offset] = f;
    Ok(SignerOptions {
        consumer_key: string(key, Error::InvalidOptions("consumerKey must be a string"))?
            .unwrap_or_default(),
        consumer_secret: string(
            secret,
            Error::InvalidOptions("consumerSecret must be a string"),
        )?
        .unwrap_or_default(),
        token: string(token, Error::InvalidOptions("token must be a string"))?,
        token_secret: string(
            token_secret,
            Error::InvalidOptions("tokenSecret must be a string"),
        )?,
        two_legged: match two_legged {
            Value::Absent => false,
            Value::Bool(b) => b,
            _ => return Err(Error::InvalidOptions("twoLegged must be a boolean")),
        },
        realm: string(realm, Error::InvalidOptions("realm must be a string"))?,
        placement: placement(place)?.unwrap_or_default(),
        clock_offset: match clock_offset {
            Value::Absent => 0,
            // A whole number: the core checks its range (out of range saturates, and is refused
            // there); anything else is refused here.
            Value::Num(text) => {
                let (negative, digits) = match text.strip_prefix('-') {
                    Some(d) => (true, d),
                    None => (false, text),
                };
                let n = whole_number(digits).ok_or(Error::InvalidOptions(CLOCK_OFFSET_RULE))?;
                let n = i64::try_from(n).unwrap_or(i64::MAX);
                if negative {
                    -n
                } else {
                    n
                }
            }
            _ => return Err(Error::InvalidOptions(CLOCK_OFFSET_RULE)),
        },
    })
}

/// A request value read from a packet: the core request, plus the nonce and timestamp the
/// caller fixed. Its query and pairs body borrow from `pairs`.
struct ParsedRequest<'a> {
    method: &'a str,
    url: &'a str,
    query: ParsedQuery<'a>,
    body: ParsedBody<'a>,
    content_type: Option<&'a str>,
    placement: Option<Placement>,
    realm: Option<&'a str>,
    include_version: bool,
    nonce: Option<&'a str>,
    timestamp: Option<u64>,
}

enum ParsedQuery<'a> {
    /// Pairs in the caller's `pairs`.
    Pairs(Range<usize>),
    /// A `URLSearchParams` serialization (`Request::query_form`).
    Form(&'a str),
}

enum ParsedBody<'a> {
    None,
    Text(&'a str),
    Form(&'a str),
    Pairs(Range<usize>),
}

/// The text of a boolean in a query or form value, as `String(value)` writes it.
fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// One query or form value: a string, a finite number (its `String(n)` text) or a boolean.
fn param_value<'a>(v: Value<'a>, wrong: &Error) -> Result<&'a str, Error> {
    match v {
        Value::Str(s) => Ok(s),
        Value::Num(n) if n != "NaN" && n != "Infinity" && n != "-Infinity" => Ok(n),
        Value::Bool(b) => Ok(bool_text(b)),
        _ => Err(wrong.clone()),
    }
}

/// Appends the pairs of a plain object of parameters: an array repeats the name, `null` and
/// `undefined` are skipped.
fn push_pairs<'a>(
    record: Record<'a>,
    pairs: &mut Vec<(&'a str, &'a str)>,
    wrong: &Error,
    unreadable: &Error,
) -> Result<(), Error> {
    for entry in record.entries() {
        let (name, value, hidden) = entry?;
        if hidden {
            // The packer marks properties of the options and the request only.
            return Err(MALFORMED);
        }
        match value {
            Value::Absent => {}
            Value::Unreadable => return Err(unreadable.clone()),
            Value::Array(items) => {
                for item in items.items() {
                    pairs.push((name, param_value(item?, wrong)?));
                }
            }
            v => pairs.push((name, param_value(v, wrong)?)),
        }
    }
    Ok(())
}

fn request<'a>(
    v: Value<'a>,
    pairs: &mut Vec<(&'a str, &'a str)>,
) -> Result<ParsedRequest<'a>, Error> {
    const UNREADABLE: Error =
        Error::InvalidOptions("request could not be read: a getter or Proxy trap threw");
    let Value::Object(record) = v else {
        return Err(if v == Value::Unreadable {
            UNREADABLE
        } else {
            Error::InvalidOptions("request must be an object with method and url")
        });
    };
    let f = fields(record, "request", &REQUEST_FIELDS)?;
    if f.contains(&Value::Unreadable) {
        return Err(UNREADABLE);
    }
    let [method, url, query, body, content_type, place, realm, nonce, timestamp, include_version] =
        f;
    let method = match method {
        Value::Str(m) => m,
        Value::Absent => {
            return Err(Error::InvalidMethod(
                "method is required: a non-empty HTTP token such as GET or POST",
            ))
        }
        _ => {
            return Err(Error::InvalidMethod(
                "method must be a string, an HTTP token such as GET or POST",
            ))
        }
    };
    let url = match url {
        Value::Str(u) | Value::Url(u) => u,
        _ => {
            return Err(Error::InvalidUrl(
                "url must be a string or a URL (an absolute http or https url)",
            ))
        }
    };
    const WRONG_QUERY: Error = Error::InvalidOptions(
        "query must be URLSearchParams or a plain object of strings, numbers, booleans or arrays of them",
    );
    let q0 = pairs.len();
    let query = match query {
        Value::Absent => ParsedQuery::Pairs(q0..q0),
        Value::Params(form) => ParsedQuery::Form(form),
        Value::Object(record) => {
            push_pairs(
                record,
                pairs,
                &WRONG_QUERY,
                &Error::InvalidOptions("query could not be read: a getter or Proxy trap threw"),
            )?;
            ParsedQuery::Pairs(q0..pairs.len())
        }
        _ => return Err(WRONG_QUERY),
    };
    let wrong_body = Error::InvalidBody(
        "body must be a string, URLSearchParams or a plain object of strings, numbers, booleans or arrays of them (binary and multipart bodies cannot be signed)",
    );
    let body = match body {
        Value::Absent => ParsedBody::None,
        Value::Str(s) => ParsedBody::Text(s),
        Value::Params(form) => ParsedBody::Form(form),
        Value::Object(record) => {
            let b0 = pairs.len();
            push_pairs(
                record,
                pairs,
                &wrong_body,
                &Error::InvalidBody("body could not be read: a getter or Proxy trap threw"),
            )?;
            ParsedBody::Pairs(b0..pairs.len())
        }
        _ => return Err(wrong_body),
    };
    Ok(ParsedRequest {
        method,
        url,
        query,
        body,
        content_type: string(
            content_type,
            Error::InvalidBody("contentType must be a string"),
        )?,
        placement: placement(place)?,
        realm: string(realm, Error::InvalidOptions("realm must be a string"))?,
        nonce: string(nonce, Error::InvalidNonce("nonce must be a string"))?,
        timestamp: match timestamp {
            Value::Absent => None,
            Value::Num(n) => Some(
                whole_number(n).ok_or(Error::InvalidTimestamp(crate::protocol::TIMESTAMP_RULE))?,
            ),
            _ => {
                return Err(Error::InvalidTimestamp(
                    "timestamp must be a number: whole seconds since the epoch, not negative",
                ))
            }
        },
        include_version: match include_version {
            Value::Absent => true,
            Value::Bool(b) => b,
            _ => return Err(Error::InvalidOptions("includeVersion must be a boolean")),
        },
    })
}

/// Signs a request packet (`W`, the clock, `;`, the request) with `signer`, drawing default
/// nonces from `nonces`, and answers with a result or error packet.
pub fn sign_packet(signer: &Signer, nonces: &mut NoncePool, packet: &str) -> String {
    answer((|| {
        let mut r = Reader { s: packet };
        well_formed(&mut r)?;
        let now = clock(&mut r)?;
        let v = r.last_value()?;
        sign_value(signer, nonces, now, v)
    })())
}

/// Builds a signer from an options packet for `new Signer` (`new_user` false) or
/// `Signer.forNewUser` (`new_user` true).
///
/// # Errors
///
/// The error packet (see the module docs) for options that are malformed or not allowed.
pub fn signer_from_packet(packet: &str, new_user: bool) -> Result<Signer, String> {
    let build = || {
        let mut r = Reader { s: packet };
        well_formed(&mut r)?;
        let rt = runtime(&mut r)?;
        let o = options(r.last_value()?)?;
        if new_user {
            Signer::for_new_user(&o)
        } else {
            Signer::new(&o, rt)
        }
    };
    build().map_err(|e| error_packet(&e))
}

/// The one-call form: builds a signer from the options (as `new Signer`) and signs the request
/// with a fresh random nonce unless it fixes one.
pub fn sign_once_packet(packet: &str) -> String {
    answer((|| {
        let mut r = Reader { s: packet };
        well_formed(&mut r)?;
        let rt = runtime(&mut r)?;
        let now = clock(&mut r)?;
        let o = options(r.value()?)?;
        let signer = Signer::new(&o, rt)?;
        let v = r.last_value()?;
        sign_value(&signer, &mut NoncePool::default(), now, v)
    })())
}

fn sign_value(
    signer: &Signer,
    nonces: &mut NoncePool,
    now: Option<i64>,
    v: Value<'_>,
) -> Result<SignedRequest, Error> {
    let mut pairs = Vec::new();
    let req = request(v, &mut pairs)?;
    let body = match &req.body {
        ParsedBody::None => Body::None,
        ParsedBody::Text(s) => Body::Text(s),
        ParsedBody::Form(s) => Body::Form(s),
        ParsedBody::Pairs(r) => Body::Pairs(pairs.get(r.clone()).unwrap_or_default()),
    };
    let (query, query_form) = match &req.query {
        ParsedQuery::Pairs(r) => (pairs.get(r.clone()).unwrap_or_default(), None),
        // A URLSearchParams query: its serialization, decoded by the core.
        ParsedQuery::Form(form) => (&[][..], Some(*form)),
    };
    let core = Request {
        method: req.method,
        url: req.url,
        query,
        query_form,
        body,
        content_type: req.content_type,
        placement: req.placement,
        realm: req.realm,
        include_version: req.include_version,
    };
    let now = match (now, req.timestamp) {
        (Some(now), _) => now,
        (None, Some(_)) => 0,
        (None, None) => {
            return Err(Error::InvalidTimestamp(
                "the clock (Date.now()) gives no number of milliseconds: pass a timestamp",
            ))
        }
    };
    signer.sign_with(&core, req.nonce, req.timestamp, nonces, now)
}

fn answer(result: Result<SignedRequest, Error>) -> String {
    match result {
        Ok(signed) => result_packet(&signed),
        Err(e) => error_packet(&e),
    }
}

/// `\0` code `\u{1}` message.
fn error_packet(e: &Error) -> String {
    let message = e.message();
    let mut out = String::with_capacity(2 + e.code().len() + message.len());
    out.push('\u{0}');
    out.push_str(e.code());
    out.push('\u{1}');
    out.push_str(&message);
    out
}

/// The length of `s` in UTF-16 code units.
fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

/// The answer for a signed request (see the module docs).
fn result_packet(signed: &SignedRequest) -> String {
    let part = |r: &Range<usize>| signed.text.get(r.clone()).unwrap_or_default();
    let (mut consumer_key, mut nonce, mut method, mut timestamp) = ("", "", "", "");
    let (mut token, mut version) = (None, None);
    for (name, value) in signed.oauth_parameters() {
        match name {
            "oauth_consumer_key" => consumer_key = value,
            "oauth_nonce" => nonce = value,
            "oauth_signature_method" => method = value,
            "oauth_timestamp" => timestamp = value,
            "oauth_token" => token = Some(value),
            "oauth_version" => version = Some(value),
            _ => {}
        }
    }
    let body = signed.body.as_ref().map(part);
    let caller = [
        consumer_key,
        nonce,
        token.unwrap_or_default(),
        body.unwrap_or_default(),
    ];
    let safe = [
        part(&signed.method),
        part(&signed.url),
        signed.authorization.as_ref().map_or("", part),
        signed.content_type.as_ref().map_or("", part),
        part(&signed.signature),
        part(&signed.base_string),
        part(&signed.normalized),
        method,
        timestamp,
        version.unwrap_or_default(),
    ];
    let mask = u64::from(signed.authorization.is_some())
        | u64::from(signed.content_type.is_some()) << 1
        | u64::from(body.is_some()) << 2
        | u64::from(token.is_some()) << 3
        | u64::from(version.is_some()) << 4;
    let mut header = String::with_capacity(48);
    crate::uri::push_u64(&mut header, mask);
    for text in caller {
        header.push(',');
        crate::uri::push_u64(&mut header, utf16_len(text) as u64);
    }
    // The exact length: the binding hands the string over as a boxed `str`, which would
    // otherwise be reallocated (and copied) to fit.
    let len = 1
        + caller.iter().map(|s| s.len()).sum::<usize>()
        + safe.iter().map(|s| s.len() + 1).sum::<usize>()
        + header.len();
    let mut out = String::with_capacity(len);
    out.push('\u{2}');
    for text in caller {
        out.push_str(text);
    }
    for text in safe {
        out.push_str(text);
        out.push('\u{1}');
    }
    out.push_str(&header);
    out
}
