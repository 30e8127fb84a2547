//! The signing entry (`contextio-signer`): its packets (options, a request, one call) and its
//! answers, see [`packet`](super::packet); and, in wasm, its exports (`RawSigner`, `signOnce`).

use super::packet::{error_answer, Reader, MALFORMED};
use crate::error::Error;
use crate::nonce::NoncePool;
use crate::placement::Placement;
use crate::request::{Body, Request, SignedRequest};
use crate::signature::SignatureMethod;
use crate::signer::{Runtime, Signer, SignerOptions};
use alloc::string::String;
use alloc::vec::Vec;

impl<'a> Reader<'a> {
    fn int(&mut self) -> Result<i64, Error> {
        let negative = self.s.starts_with('-');
        if negative {
            self.byte()?;
        }
        let n = i64::try_from(self.digits(b';')?).map_err(|_| MALFORMED)?;
        Ok(if negative { -n } else { n })
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

/// The signing entry's exports.
#[cfg(all(target_arch = "wasm32", feature = "sign-exports"))]
pub mod exports {
    use super::super::area::with_packet;
    use crate::nonce::NoncePool;
    use alloc::string::String;
    use core::cell::RefCell;
    use wasm_bindgen::prelude::*;

    /// A signer and its nonce pool, behind the JavaScript `Signer` class.
    #[wasm_bindgen]
    pub struct RawSigner {
        inner: crate::signer::Signer,
        nonces: RefCell<NoncePool>,
    }

    #[wasm_bindgen]
    impl RawSigner {
        /// Builds a signer from the options packet of `len` bytes in the input area (`new Signer`
        /// when `new_user` is false, `Signer.forNewUser` when true). Throws the error answer as a
        /// string.
        #[wasm_bindgen(constructor)]
        pub fn new(len: usize, new_user: bool) -> Result<RawSigner, String> {
            let inner = with_packet(len, |p| super::signer_from_packet(p, new_user))?;
            Ok(RawSigner {
                inner,
                nonces: RefCell::new(NoncePool::default()),
            })
        }

        /// Signs the request packet of `len` bytes in the input area: a result or error answer.
        pub fn sign(&self, len: usize) -> String {
            // The pool is busy only in a call made from inside a signature, which reads the empty
            // packet (`with_packet`) and is refused as malformed: a fresh pool does for that one.
            with_packet(len, |p| match self.nonces.try_borrow_mut() {
                Ok(mut pool) => super::sign_packet(&self.inner, &mut pool, p),
                Err(_) => super::sign_packet(&self.inner, &mut NoncePool::default(), p),
            })
        }

        /// `three-legged`, `two-legged` or `new-user`.
        #[wasm_bindgen(getter)]
        pub fn mode(&self) -> String {
            String::from(self.inner.mode().as_str())
        }
    }

    /// The one-call form, `signRequest(options, request)`, over the packet of `len` bytes in the
    /// input area: a result or error answer.
    #[wasm_bindgen(js_name = signOnce)]
    pub fn sign_once(len: usize) -> String {
        with_packet(len, super::sign_once_packet)
    }
}
