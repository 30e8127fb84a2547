//! The wasm binding's packets: one string in, one string out, per call.
//!
//! Crossing between JavaScript and wasm costs more than signing, per value crossed, so the
//! package's JavaScript front (`js/api.js`) hands the binding one string per call (written in
//! UTF-8 into the binding's input area, `src/wasm.rs`) and takes one back. The front has
//! already applied the JavaScript API's value rules (known fields, types, getters, safe
//! integers, lone surrogates, the size limit): a packet holds only strings, integers, flags and
//! lists of pairs, in a fixed order. This module reads them into the core's
//! own types and writes the answer; every OAuth and URL rule is the core's. Plain Rust with no
//! wasm types, compiled for the binding (wasm32) and, with the `internals` feature, for the
//! tests and the fuzz target.
//!
//! # Values
//!
//! | form | value |
//! |---|---|
//! | *len* `:` *text* | a string of *len* UTF-16 code units |
//! | `_` | an absent optional value |
//! | `-`? *digits* `;` | an integer |
//! | `t`, `f` | a flag |
//! | `p` *count* `;` (*name* *value*)* | a list of pairs, each a string |
//!
//! # Packets
//!
//! - Options (`new Signer`, `Signer.forNewUser`): the runtime (`S` server, `B` browser), then
//!   consumer key, consumer secret, token?, token secret?, two-legged flag, realm?, placement?,
//!   clock offset, signature method?.
//! - A request (`signer.signRequest`): the clock (`Date.now()` in whole milliseconds), method,
//!   url, query, body, content type?, placement?, realm?, nonce?, timestamp?, version flag,
//!   callback?, verifier?, body-hash flag. A
//!   query is `_`, `f` and a `URLSearchParams` serialization, or a list of pairs; a body is `_`,
//!   `s` and a text, `f` and a form serialization, or a list of pairs.
//! - One call (`signRequest(options, request)`): an options packet, then a request packet.
//! - A diagnosis (`diagnoseRefusal(signed, response)`, the `diagnose` build): the base string
//!   sent, the `oauth_timestamp` sent?, the status, the headers as a list of pairs, the body.
//!
//! # Answers
//!
//! An error is `\0`, its code, `\u{1}`, its message. A diagnosis is its JSON form
//! ([`Diagnosis::to_json`](crate::Diagnosis::to_json)).
//!
//! A signed request is `\u{2}`, a mask character (`@` plus 1 authorization, 2 content type, 4
//! body, 8 token, 16 `oauth_version`, 32 a drawn nonce), then the parts the core wrote, each
//! followed by `\u{1}` (none can contain it: they are tokens, percent-encoded text, base64,
//! digits, a content type without control characters): method, url, authorization, content
//! type, signature, base string, normalized parameters, timestamp, the drawn nonce, the body
//! (what the core appended to a text or form body, or the whole body it wrote from pairs),
//! `oauth_signature_method`, `oauth_version`, `oauth_body_hash`; an absent one empty. The
//! caller's own text (the consumer key and token, a nonce it fixed, a text or form body, the
//! callback and the verifier) is not repeated: the front has it.

// The diagnosis build of the binding reads only diagnosis packets.
#![cfg_attr(feature = "diagnose", allow(dead_code))]

use crate::nonce::NoncePool;
use crate::placement::Placement;
use crate::request::{Body, Request, SignedRequest};
use crate::signature::SignatureMethod;
use crate::signer::{Runtime, Signer, SignerOptions};
use crate::Error;
use alloc::string::String;
use alloc::vec::Vec;

const MALFORMED: Error = Error::InvalidOptions(
    "internal: the JavaScript module packed a call this build cannot read (mismatched package files?)",
);

/// Reads the values of a packet, front to back.
struct Reader<'a> {
    s: &'a str,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, Error> {
        let (&b, _) = self.s.as_bytes().split_first().ok_or(MALFORMED)?;
        self.s = self.s.get(1..).ok_or(MALFORMED)?;
        Ok(b)
    }

    /// Whether the next value is `_` (absent), which is then skipped.
    fn absent(&mut self) -> bool {
        let absent = self.s.starts_with('_');
        if absent {
            self.s = self.s.get(1..).unwrap_or_default();
        }
        absent
    }

    /// Decimal digits up to `end`.
    fn digits(&mut self, end: u8) -> Result<u64, Error> {
        let mut n: u64 = 0;
        let mut any = false;
        loop {
            match self.byte()? {
                // Overflow checked by comparison: a checked 64-bit multiply is a call on wasm32.
                d @ b'0'..=b'9' if n <= (u64::MAX - 9) / 10 => {
                    n = n * 10 + u64::from(d - b'0');
                    any = true;
                }
                b if b == end && any => return Ok(n),
                _ => return Err(MALFORMED),
            }
        }
    }

    fn int(&mut self) -> Result<i64, Error> {
        let negative = self.s.starts_with('-');
        if negative {
            self.byte()?;
        }
        let n = i64::try_from(self.digits(b';')?).map_err(|_| MALFORMED)?;
        Ok(if negative { -n } else { n })
    }

    /// `len` `:` text: a string of `len` UTF-16 code units.
    fn string(&mut self) -> Result<&'a str, Error> {
        let units = usize::try_from(self.digits(b':')?).map_err(|_| MALFORMED)?;
        let end = if self.s.as_bytes().get(..units).is_some_and(<[u8]>::is_ascii) {
            units
        } else {
            let mut seen = 0;
            let mut end = self.s.len();
            for (i, c) in self.s.char_indices() {
                if seen >= units {
                    end = i;
                    break;
                }
                seen += c.len_utf16();
            }
            if seen != units {
                return Err(MALFORMED);
            }
            end
        };
        let text = self.s.get(..end).ok_or(MALFORMED)?;
        self.s = self.s.get(end..).ok_or(MALFORMED)?;
        Ok(text)
    }

    fn optional(&mut self) -> Result<Option<&'a str>, Error> {
        if self.absent() {
            Ok(None)
        } else {
            self.string().map(Some)
        }
    }

    fn flag(&mut self) -> Result<bool, Error> {
        match self.byte()? {
            b't' => Ok(true),
            b'f' => Ok(false),
            _ => Err(MALFORMED),
        }
    }

    /// After the `p` tag: a count and that many pairs, appended to `pairs`.
    fn pairs(&mut self, pairs: &mut Vec<(&'a str, &'a str)>) -> Result<(), Error> {
        let count = self.digits(b';')?;
        for _ in 0..count {
            pairs.push((self.string()?, self.string()?));
        }
        Ok(())
    }

    fn placement(&mut self) -> Result<Option<Placement>, Error> {
        self.optional()?.map(Placement::parse).transpose()
    }

    fn runtime(&mut self) -> Result<Runtime, Error> {
        match self.byte()? {
            b'S' => Ok(Runtime::Server),
            b'B' => Ok(Runtime::Browser),
            _ => Err(MALFORMED),
        }
    }

    fn options(&mut self) -> Result<SignerOptions<'a>, Error> {
        Ok(SignerOptions {
            consumer_key: self.string()?,
            consumer_secret: self.string()?,
            token: self.optional()?,
            token_secret: self.optional()?,
            two_legged: self.flag()?,
            realm: self.optional()?,
            placement: self.placement()?.unwrap_or_default(),
            clock_offset: self.int()?,
            signature_method: self
                .optional()?
                .map(SignatureMethod::parse)
                .transpose()?
                .unwrap_or_default(),
        })
    }

    fn end(&self) -> Result<(), Error> {
        if self.s.is_empty() {
            Ok(())
        } else {
            Err(MALFORMED)
        }
    }
}

/// Where a query's or a body's parameters are.
enum Params<'a> {
    None,
    Text(&'a str),
    Form(&'a str),
    Pairs(core::ops::Range<usize>),
}

/// A request as a packet holds it: the clock reading, the core request's parts, the nonce and
/// timestamp the caller fixed.
struct Parsed<'a> {
    now: i64,
    method: &'a str,
    url: &'a str,
    query: Params<'a>,
    body: Params<'a>,
    content_type: Option<&'a str>,
    placement: Option<Placement>,
    realm: Option<&'a str>,
    nonce: Option<&'a str>,
    timestamp: Option<u64>,
    include_version: bool,
    callback: Option<&'a str>,
    verifier: Option<&'a str>,
    body_hash: bool,
}

fn params<'a>(
    r: &mut Reader<'a>,
    pairs: &mut Vec<(&'a str, &'a str)>,
    text: bool,
) -> Result<Params<'a>, Error> {
    Ok(match r.byte()? {
        b'_' => Params::None,
        b's' if text => Params::Text(r.string()?),
        b'f' => Params::Form(r.string()?),
        b'p' => {
            let start = pairs.len();
            r.pairs(pairs)?;
            Params::Pairs(start..pairs.len())
        }
        _ => return Err(MALFORMED),
    })
}

fn request<'a>(
    r: &mut Reader<'a>,
    pairs: &mut Vec<(&'a str, &'a str)>,
) -> Result<Parsed<'a>, Error> {
    let parsed = Parsed {
        now: r.int()?,
        method: r.string()?,
        url: r.string()?,
        query: params(r, pairs, false)?,
        body: params(r, pairs, true)?,
        content_type: r.optional()?,
        placement: r.placement()?,
        realm: r.optional()?,
        nonce: r.optional()?,
        timestamp: if r.absent() {
            None
        } else {
            Some(r.digits(b';')?)
        },
        include_version: r.flag()?,
        callback: r.optional()?,
        verifier: r.optional()?,
        body_hash: r.flag()?,
    };
    r.end()?;
    Ok(parsed)
}

/// Signs the request at the reader with `signer`.
fn sign<'a>(
    signer: &Signer,
    nonces: &mut NoncePool,
    r: &mut Reader<'a>,
) -> Result<(SignedRequest, usize, bool), Error> {
    let mut pairs = Vec::new();
    let p = request(r, &mut pairs)?;
    let pick = |range: &core::ops::Range<usize>| pairs.get(range.clone()).unwrap_or_default();
    let (query, query_form) = match &p.query {
        Params::Pairs(range) => (pick(range), None),
        Params::Form(form) => (&[][..], Some(*form)),
        Params::None | Params::Text(_) => (&[][..], None),
    };
    let (body, caller_body) = match &p.body {
        Params::None => (Body::None, 0),
        Params::Text(s) => (Body::Text(s), s.len()),
        Params::Form(s) => (Body::Form(s), s.len()),
        Params::Pairs(range) => (Body::Pairs(pick(range)), 0),
    };
    let core = Request {
        method: p.method,
        url: p.url,
        query,
        query_form,
        body,
        content_type: p.content_type,
        placement: p.placement,
        realm: p.realm,
        include_version: p.include_version,
        callback: p.callback,
        verifier: p.verifier,
        body_hash: p.body_hash,
    };
    let signed = signer.sign_with(&core, p.nonce, p.timestamp, nonces, p.now)?;
    Ok((signed, caller_body, p.nonce.is_none()))
}

/// Builds a signer from an options packet for `new Signer` (`new_user` false) or
/// `Signer.forNewUser` (`new_user` true).
///
/// # Errors
///
/// The error answer (see the module docs) for options the core refuses.
pub fn signer_from_packet(packet: &str, new_user: bool) -> Result<Signer, String> {
    let build = || {
        let mut r = Reader { s: packet };
        let runtime = r.runtime()?;
        let options = r.options()?;
        r.end()?;
        if new_user {
            Signer::for_new_user(&options)
        } else {
            Signer::new(&options, runtime)
        }
    };
    build().map_err(|e| error_answer(&e))
}

/// Signs a request packet with `signer`, drawing default nonces from `nonces`: a result or an
/// error answer.
pub fn sign_packet(signer: &Signer, nonces: &mut NoncePool, packet: &str) -> String {
    answer(sign(signer, nonces, &mut Reader { s: packet }))
}

/// The one-call form: builds a signer from the options (as `new Signer`) and signs the request.
pub fn sign_once_packet(packet: &str) -> String {
    let mut r = Reader { s: packet };
    answer((|| {
        let runtime = r.runtime()?;
        let signer = Signer::new(&r.options()?, runtime)?;
        sign(&signer, &mut NoncePool::default(), &mut r)
    })())
}

fn answer(result: Result<(SignedRequest, usize, bool), Error>) -> String {
    match result {
        Ok((signed, caller_body, drawn)) => result_answer(&signed, caller_body, drawn),
        Err(e) => error_answer(&e),
    }
}

/// `\0` code `\u{1}` message.
fn error_answer(e: &Error) -> String {
    let message = e.message();
    let mut out = String::with_capacity(2 + e.code().len() + message.len());
    out.push('\u{0}');
    out.push_str(e.code());
    out.push('\u{1}');
    out.push_str(message);
    out
}

/// The answer for a signed request (see the module docs); `caller_body` is the length of the
/// caller's own text at the start of the body.
fn result_answer(signed: &SignedRequest, caller_body: usize, drawn: bool) -> String {
    // The protocol parameters the answer carries, found in one pass.
    let (mut timestamp, mut nonce, mut method, mut version, mut body_hash) = ("", "", "", None, "");
    let mut token = false;
    for (name, value) in signed.oauth_parameters() {
        match name {
            "oauth_timestamp" => timestamp = value,
            "oauth_nonce" => nonce = value,
            "oauth_signature_method" => method = value,
            "oauth_version" => version = Some(value),
            "oauth_body_hash" => body_hash = value,
            "oauth_token" => token = true,
            _ => {}
        }
    }
    let body = signed
        .body()
        .map(|b| b.get(caller_body..).unwrap_or_default());
    let parts = [
        signed.method(),
        signed.url(),
        signed.authorization().unwrap_or_default(),
        signed.content_type().unwrap_or_default(),
        signed.signature(),
        signed.base_string(),
        signed.normalized_parameters(),
        timestamp,
        if drawn { nonce } else { "" },
        body.unwrap_or_default(),
        method,
        version.unwrap_or_default(),
        body_hash,
    ];
    let mask = u8::from(signed.authorization().is_some())
        | u8::from(signed.content_type().is_some()) << 1
        | u8::from(body.is_some()) << 2
        | u8::from(token) << 3
        | u8::from(version.is_some()) << 4
        | u8::from(drawn) << 5;
    // The exact length: the binding hands the string over as a boxed `str`, which would
    // otherwise be reallocated (and copied) to fit.
    let mut out = String::with_capacity(2 + parts.iter().map(|s| s.len() + 1).sum::<usize>());
    out.push('\u{2}');
    out.push(char::from(b'@' + mask));
    for part in parts {
        out.push_str(part);
        out.push('\u{1}');
    }
    out
}

/// A diagnosis packet's answer: the diagnosis as JSON, or an error answer.
#[cfg(any(feature = "diagnose", feature = "internals"))]
pub fn diagnose_packet(packet: &str) -> String {
    let mut r = Reader { s: packet };
    let read = (|| {
        let base_string = r.string()?;
        let timestamp = if r.absent() {
            None
        } else {
            Some(r.digits(b';')?)
        };
        let status = u16::try_from(r.digits(b';')?).map_err(|_| MALFORMED)?;
        if r.byte()? != b'p' {
            return Err(MALFORMED);
        }
        let mut headers = Vec::new();
        r.pairs(&mut headers)?;
        let body = r.string()?;
        r.end()?;
        Ok((base_string, timestamp, status, headers, body))
    })();
    match read {
        Ok((base_string, timestamp, status, headers, body)) => crate::diagnose::diagnose_sent(
            &crate::diagnose::Sent {
                base_string,
                timestamp,
            },
            &crate::diagnose::Answer {
                status,
                headers: &headers,
                body,
            },
        )
        .to_json(),
        Err(e) => error_answer(&e),
    }
}
