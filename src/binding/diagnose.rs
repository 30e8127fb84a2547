//! The diagnosis entry (`contextio-signer/diagnose`): its packet (the base string sent, the
//! `oauth_timestamp` sent?, the status, the headers as a list of pairs, the body) and its answer
//! (the diagnosis as JSON); in wasm, its export (`diagnose`).

use super::packet::{error_answer, Reader, MALFORMED};
use alloc::string::String;
use alloc::vec::Vec;

/// A diagnosis packet's answer: the diagnosis as JSON, or an error answer.
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

/// The diagnosis entry's export.
#[cfg(all(target_arch = "wasm32", feature = "diagnose-exports"))]
pub mod exports {
    use alloc::string::String;
    use wasm_bindgen::prelude::*;

    /// The diagnosis of a refusal, `diagnoseRefusal(signed, response)`: its JSON, or an error
    /// answer.
    #[wasm_bindgen]
    pub fn diagnose(packet: &str) -> String {
        super::diagnose_packet(packet)
    }
}
