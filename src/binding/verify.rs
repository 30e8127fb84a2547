//! The verifier entry (`contextio-signer/verify`): its packets and answers; in wasm, its exports
//! (`verifyRead`, `verifyCheck`).
//!
//! The JavaScript front awaits the server's lookups (the consumer, the token, the nonce), so a
//! verification is two or three calls, each over the request as received (read again each time:
//! nothing is kept between calls, and a lookup may take as long as it likes):
//!
//! 1. [`verify_read_packet`]: what the request claims, or the refusal of a request that cannot
//!    be verified at all;
//! 2. [`verify_check_packet`] with the consumer's policy and the secrets looked up (or the word
//!    that a lookup found nothing): the verified request or the refusal;
//! 3. after the nonce lookup said "seen before", [`verify_check_packet`] once more for the
//!    refusal of the replay.
//!
//! The request's body bytes are an argument of their own (`body`); the packets hold:
//!
//! - The request: method, url, headers as a list of pairs.
//! - The check (after the request): the step, `c` (the consumer is unknown), `n` (the nonce was
//!   used) or `v` (verify), and for `v` the policy: now `;`, window `;`, the allowed signature
//!   methods as a list of pairs (name and an empty string), the require-token flag, the
//!   debug-base-string flag; the consumer secret; the token secret: `_` (no token), `u` (the
//!   token is unknown) or `s` and the secret.
//! - The realm of the challenge? ends every packet.
//!
//! # Answers
//!
//! Values as in packets (*len* `:` *text*, `_` for absent, *digits* `;`).
//!
//! - An error: `\0`, its code, `\u{1}`, its message (a packet this build cannot read, a
//!   signature method the core does not know in the policy).
//! - A claim: `\u{3}`, the consumer key, the token?, the signature method, the timestamp?, the
//!   nonce?.
//! - A verified request: `\u{2}`, the consumer key, the token?, the signature method, the
//!   request's own parameters as a list of pairs.
//! - A refusal: `\u{4}`, the status `;`, the Problem Reporting word, the `WWW-Authenticate`
//!   challenge, the form-encoded body, the reason (for the server's log).
//!
//! No answer holds a secret: the secrets go in, and only the verdict comes out.

use super::packet::{error_answer, Reader, MALFORMED};
use crate::error::Error;
use crate::signature::SignatureMethod;
use crate::verify::{read, Claim, Policy, Received, Refusal, Secrets, Verified};
use alloc::string::String;
use alloc::vec::Vec;

/// The request part of a packet: method, url, headers.
type Head<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);

fn received<'a>(r: &mut Reader<'a>) -> Result<Head<'a>, Error> {
    let method = r.string()?;
    let url = r.string()?;
    if r.byte()? != b'p' {
        return Err(MALFORMED);
    }
    let mut headers = Vec::new();
    r.pairs(&mut headers)?;
    Ok((method, url, headers))
}

/// Appends `len:text`, the length in UTF-16 code units (the front slices JavaScript strings).
fn put(out: &mut String, s: &str) {
    crate::encoding::push_decimal(out, s.encode_utf16().count() as u64);
    out.push(':');
    out.push_str(s);
}

fn put_optional(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => put(out, s),
        None => out.push('_'),
    }
}

fn refusal_answer(refusal: &Refusal, realm: &str) -> String {
    let mut out = String::from("\u{4}");
    crate::encoding::push_decimal(&mut out, u64::from(refusal.status));
    out.push(';');
    put(&mut out, refusal.oauth_problem());
    put(&mut out, &refusal.challenge(realm));
    put(&mut out, &refusal.form_body());
    put(&mut out, refusal.reason);
    out
}

fn claim_answer(claim: &Claim) -> String {
    let mut out = String::from("\u{3}");
    put(&mut out, claim.consumer_key());
    put_optional(&mut out, claim.token());
    put(&mut out, claim.signature_method().as_str());
    match claim.timestamp() {
        Some(t) => {
            crate::encoding::push_decimal(&mut out, t);
            out.push(';');
        }
        None => out.push('_'),
    }
    put_optional(&mut out, claim.nonce());
    out
}

fn verified_answer(v: &Verified) -> String {
    let mut out = String::from("\u{2}");
    put(&mut out, &v.consumer_key);
    put_optional(&mut out, v.token.as_deref());
    put(&mut out, v.signature_method.as_str());
    out.push('p');
    crate::encoding::push_decimal(&mut out, v.parameters.len() as u64);
    out.push(';');
    for (name, value) in &v.parameters {
        put(&mut out, name);
        put(&mut out, value);
    }
    out
}

/// Step 1: the claim of the request in `packet` (with `body`), or its refusal.
pub fn verify_read_packet(packet: &str, body: &[u8]) -> String {
    let mut r = Reader { s: packet };
    let mut read_packet = || -> Result<_, Error> {
        let head = received(&mut r)?;
        let realm = r.optional()?;
        r.end()?;
        Ok((head, realm))
    };
    let ((method, url, headers), realm) = match read_packet() {
        Ok(p) => p,
        Err(e) => return error_answer(&e),
    };
    match read(&Received {
        method,
        url,
        headers: &headers,
        body,
    }) {
        Ok(claim) => claim_answer(&claim),
        Err(refusal) => refusal_answer(&refusal, realm.unwrap_or_default()),
    }
}

/// The policy and secrets of a `v` step.
struct Check<'a> {
    now: u64,
    window: u64,
    methods: Vec<SignatureMethod>,
    require_token: bool,
    debug_base_string: bool,
    consumer_secret: &'a str,
    /// `None`: no token; `Some(None)`: the token is unknown.
    token_secret: Option<Option<&'a str>>,
}

fn check<'a>(r: &mut Reader<'a>) -> Result<Check<'a>, Error> {
    let now = r.digits(b';')?;
    let window = r.digits(b';')?;
    if r.byte()? != b'p' {
        return Err(MALFORMED);
    }
    let mut names = Vec::new();
    r.pairs(&mut names)?;
    let methods = names
        .iter()
        .map(|(name, _)| SignatureMethod::parse(name))
        .collect::<Result<Vec<_>, _>>()?;
    let require_token = r.flag()?;
    let debug_base_string = r.flag()?;
    let consumer_secret = r.string()?;
    let token_secret = match r.byte()? {
        b'_' => None,
        b'u' => Some(None),
        b's' => Some(Some(r.string()?)),
        _ => return Err(MALFORMED),
    };
    Ok(Check {
        now,
        window,
        methods,
        require_token,
        debug_base_string,
        consumer_secret,
        token_secret,
    })
}

/// Steps 2 and 3: the verdict on the request in `packet` (with `body`) after the lookups.
pub fn verify_check_packet(packet: &str, body: &[u8]) -> String {
    let mut r = Reader { s: packet };
    let mut read_packet = || -> Result<_, Error> {
        let head = received(&mut r)?;
        let step = r.byte()?;
        let check = if step == b'v' {
            Some(check(&mut r)?)
        } else {
            None
        };
        let realm = r.optional()?;
        r.end()?;
        Ok((head, step, check, realm))
    };
    let ((method, url, headers), step, check, realm) = match read_packet() {
        Ok(p) => p,
        Err(e) => return error_answer(&e),
    };
    let realm = realm.unwrap_or_default();
    let claim = match read(&Received {
        method,
        url,
        headers: &headers,
        body,
    }) {
        Ok(claim) => claim,
        Err(refusal) => return refusal_answer(&refusal, realm),
    };
    let verdict = match (step, check) {
        (b'c', None) => Err(claim.unknown_consumer()),
        (b'n', None) => Err(claim.nonce_used()),
        (b'v', Some(c)) => {
            let policy = Policy {
                now: c.now,
                window: c.window,
                signature_methods: &c.methods,
                require_token: c.require_token,
                debug_base_string: c.debug_base_string,
            };
            match c.token_secret {
                // The policy's refusal first (as `Claim::verify` orders it), then the token's.
                Some(None) => claim
                    .check_policy(&policy)
                    .and_then(|()| Err(claim.unknown_token())),
                // `Claim::verify` checks the policy itself.
                token_secret => claim.verify(
                    &Secrets {
                        consumer_secret: c.consumer_secret,
                        token_secret: token_secret.flatten(),
                    },
                    &policy,
                ),
            }
        }
        _ => return error_answer(&MALFORMED),
    };
    match verdict {
        Ok(v) => verified_answer(&v),
        Err(refusal) => refusal_answer(&refusal, realm),
    }
}

/// The verifier entry's exports.
#[cfg(all(target_arch = "wasm32", feature = "verify-exports"))]
pub mod exports {
    use alloc::string::String;
    use wasm_bindgen::prelude::*;

    /// Step 1 of `verifyRequest`: the claim or the refusal (see the module docs).
    #[wasm_bindgen(js_name = verifyRead)]
    pub fn verify_read(packet: &str, body: &[u8]) -> String {
        super::verify_read_packet(packet, body)
    }

    /// Steps 2 and 3 of `verifyRequest`: the verdict (see the module docs).
    #[wasm_bindgen(js_name = verifyCheck)]
    pub fn verify_check(packet: &str, body: &[u8]) -> String {
        super::verify_check_packet(packet, body)
    }
}
