//! Parameter collection and normalization (RFC 5849 §3.4.1.3): `ParamList::push_form` on any
//! form string plus `push` of any decoded pairs, then `normalized`, against a strict reference
//! decoder and normalizer (`checks::params`). Input: UTF-8 text, the first line the form
//! string, each further line a decoded `name<TAB>value` pair.

#![no_main]

#[path = "checks.rs"]
mod checks;
#[path = "refs.rs"]
mod refs;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        checks::params(text);
    }
});
