//! `RequestUrl::parse` (RFC 5849 §3.4.1.2) on any string: the checks of `checks::url_parse`
//! (no panic, documented errors only, a normalized form that parses again to itself), and for
//! every URL it accepts, the WHATWG URL parser (the `url` crate, what `fetch` applies) reads the
//! same scheme, host, port, path and query parameters from the URL as given and from the
//! normalized one, and rebuilds the same base string URI.

#![no_main]

#[path = "checks.rs"]
mod checks;
#[path = "refs.rs"]
mod refs;

use contextio_signer::internals::{for_each_form_pair, Scheme};
use libfuzzer_sys::fuzz_target;

/// The decoded pairs of a query, as the signer collects them; `None` where it refuses.
fn decoded_pairs(q: &str) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for_each_form_pair(q, &mut (Vec::new(), Vec::new()), "query", |n, v| {
        pairs.push((n.to_owned(), v.to_owned()))
    })
    .ok()?;
    Some(pairs)
}

fn check(s: &str) {
    let Some(u) = checks::url_parse(s) else {
        return;
    };
    let base = u.base_string_uri();
    let normalized = checks::normalized_url(&u);
    for given in [s, normalized.as_str()] {
        // A URL WHATWG refuses makes fetch throw: no signature is ever sent for it.
        let Ok(w) = url::Url::parse(given) else {
            continue;
        };
        let scheme = match u.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
        };
        assert_eq!(w.scheme(), scheme, "{given:?}");
        assert_eq!(w.host_str(), Some(&*u.host), "host of {given:?}");
        assert_eq!(w.port(), u.port, "port of {given:?}");
        assert_eq!(refs::canonical_path(w.path()), u.path, "path of {given:?}");
        assert_eq!(w.query().is_some(), u.query.is_some(), "query of {given:?}");
        if let (Some(wq), Some(q)) = (w.query(), &u.query) {
            // This crate decodes strictly (and refuses non-UTF-8 when signing): compare where
            // it decodes at all.
            if let Some(ours) = decoded_pairs(q) {
                let theirs: Vec<(String, String)> = url::form_urlencoded::parse(wq.as_bytes())
                    .map(|(a, b)| (a.into_owned(), b.into_owned()))
                    .collect();
                assert_eq!(ours, theirs, "query parameters of {given:?}");
            }
        }
        if given == normalized {
            // The base string URI is what a server rebuilds from what it receives.
            let mut rebuilt = format!("{}://{}", w.scheme(), w.host_str().unwrap_or(""));
            if let Some(p) = w.port() {
                rebuilt.push_str(&format!(":{p}"));
            }
            rebuilt.push_str(w.path());
            assert_eq!(rebuilt, base, "base string uri of {s:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        check(s);
    }
});
