//! The wasm binding's packets: one string in, one string out, per call.
//!
//! Crossing between JavaScript and wasm costs more than signing, per value crossed, so the
//! package's JavaScript front (`js/api.js`) hands the binding one string per call (written in
//! UTF-8 into the binding's input area, `src/binding/area.rs`) and takes one back. The front has
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
//!
//! Each entry's packets are read in its own module: [`sign`](super::sign),
//! [`diagnose`](super::diagnose), [`verify`](super::verify). This module holds what they share:
//! the reader of values and the error answer.

use crate::error::Error;
use alloc::string::String;
use alloc::vec::Vec;

pub(super) const MALFORMED: Error = Error::InvalidOptions(
    "internal: the JavaScript module packed a call this build cannot read (mismatched package files?)",
);

/// Reads the values of a packet, front to back.
pub(super) struct Reader<'a> {
    pub(super) s: &'a str,
}

impl<'a> Reader<'a> {
    pub(super) fn byte(&mut self) -> Result<u8, Error> {
        let (&b, _) = self.s.as_bytes().split_first().ok_or(MALFORMED)?;
        self.s = self.s.get(1..).ok_or(MALFORMED)?;
        Ok(b)
    }

    /// Whether the next value is `_` (absent), which is then skipped.
    pub(super) fn absent(&mut self) -> bool {
        let absent = self.s.starts_with('_');
        if absent {
            self.s = self.s.get(1..).unwrap_or_default();
        }
        absent
    }

    /// Decimal digits up to `end`.
    pub(super) fn digits(&mut self, end: u8) -> Result<u64, Error> {
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

    /// `len` `:` text: a string of `len` UTF-16 code units.
    pub(super) fn string(&mut self) -> Result<&'a str, Error> {
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

    #[cfg(any(
        feature = "sign-exports",
        feature = "verify-exports",
        feature = "internals"
    ))]
    pub(super) fn optional(&mut self) -> Result<Option<&'a str>, Error> {
        if self.absent() {
            Ok(None)
        } else {
            self.string().map(Some)
        }
    }

    #[cfg(any(
        feature = "sign-exports",
        feature = "verify-exports",
        feature = "internals"
    ))]
    pub(super) fn flag(&mut self) -> Result<bool, Error> {
        match self.byte()? {
            b't' => Ok(true),
            b'f' => Ok(false),
            _ => Err(MALFORMED),
        }
    }

    /// After the `p` tag: a count and that many pairs, appended to `pairs`.
    pub(super) fn pairs(&mut self, pairs: &mut Vec<(&'a str, &'a str)>) -> Result<(), Error> {
        let count = self.digits(b';')?;
        for _ in 0..count {
            pairs.push((self.string()?, self.string()?));
        }
        Ok(())
    }

    pub(super) fn end(&self) -> Result<(), Error> {
        if self.s.is_empty() {
            Ok(())
        } else {
            Err(MALFORMED)
        }
    }
}

/// `\0` code `\u{1}` message.
pub(super) fn error_answer(e: &Error) -> String {
    let message = e.message();
    let mut out = String::with_capacity(2 + e.code().len() + message.len());
    out.push('\u{0}');
    out.push_str(e.code());
    out.push('\u{1}');
    out.push_str(message);
    out
}
