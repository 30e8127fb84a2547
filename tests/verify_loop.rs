//! Tier 1: the loop closed (issue 23). A random request (method, URL with a query, a form body
//! or another body, header, query or body placement, every signature method; PLAINTEXT only
//! over TLS or to loopback, where the signer allows it) is signed by `Signer` and verifies as
//! it is; then one mutation is made to it on the wire, between the signer and the verifier (a
//! value changed, a parameter added or dropped, the scheme, host, port, path or method changed,
//! a `+` for a space, a value encoded twice, the nonce or the signature changed). The verifier,
//! with `debug_base_string`, refuses it with `signature_invalid`, and the diagnosis of its
//! answer (the challenge and the form body, `contextio_signer::diagnose`) names exactly the one
//! difference the mutation makes: its component, kind, parameter name and both sides, all
//! written here from the mutation (RFC 5849 §3.4.1: what the base string keeps of each part),
//! never read from the code under test. A changed signature leaves the base strings identical
//! (no difference: the key differs). PLAINTEXT signs no part of the request: a mutation of it is
//! accepted, but over plain http to a host that is not loopback (`signature_method_rejected`)
//! and for a changed signature.
#![cfg(not(target_arch = "wasm32"))]

use contextio_signer::verify::{self, Policy, Received, Refusal, Verified};
use contextio_signer::{
    diagnose, Answer, Body, Difference, Placement, Problem, Request, Runtime, SignatureMethod,
    SignedRequest, Signer, SignerOptions,
};
use proptest::prelude::*;

const NOW: u64 = 1_700_000_000;
const NONCE: &str = "n0nce";

/// The stable string forms of a difference's component and kind.
fn words(d: &Difference) -> (&'static str, &'static str) {
    (d.component.as_str(), d.kind.as_str())
}

/// Whether the diagnosis shows a parameter's values as `<hidden>` (its name marks it secret).
fn secret_name(name: &str) -> bool {
    name.contains("password")
}

#[derive(Debug, Clone)]
enum BodyCase {
    None,
    Pairs(Vec<(String, String)>),
    /// A JSON body, with a body hash or not.
    Json(bool),
}

/// Where a parameter's mutation is made.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    Query,
    Body,
}

#[derive(Debug, Clone, Copy)]
enum Mutation {
    /// A request parameter's value changed (`Z` appended).
    Value(Place, usize),
    /// A parameter added to the query.
    Added,
    /// A request parameter dropped.
    Dropped(Place, usize),
    /// `https` for `http` or the other way round.
    Scheme,
    /// Another host.
    Host,
    /// `www.` before the host.
    HostWww,
    /// Another port.
    Port,
    /// A slash after the path.
    TrailingSlash,
    /// Another path.
    Path,
    /// The path's last segment's first character percent-encoded (`/a/bc` sent as `/a/%62c`).
    PathEncoding,
    /// Another HTTP method.
    Method,
    /// A value's `+` (sent as `%2B`) sent as `+`, which a form decoder reads as a space.
    PlusForSpace(Place, usize),
    /// A value percent-encoded twice.
    DoubleEncoding(Place, usize),
    /// The nonce changed, where the protocol parameters are.
    Nonce,
    /// The signature changed.
    Signature,
}

#[derive(Debug, Clone)]
struct Case {
    method: &'static str,
    scheme: &'static str,
    host: &'static str,
    port: Option<u16>,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    body: BodyCase,
    placement: Placement,
    signature_method: SignatureMethod,
    mutation: Mutation,
}

fn pair() -> impl Strategy<Value = (String, String)> {
    (
        prop::sample::select(vec!["a", "b", "q", "page", "x y", "é", "a+b", "password"]),
        "[a-z0-9 +/=&é%~*-]{0,6}",
    )
        .prop_map(|(n, v)| (n.to_owned(), v))
}

fn place() -> impl Strategy<Value = Place> {
    prop_oneof![Just(Place::Query), Just(Place::Body)]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = || (place(), 0usize..8);
    prop_oneof![
        at().prop_map(|(p, i)| Mutation::Value(p, i)),
        Just(Mutation::Added),
        at().prop_map(|(p, i)| Mutation::Dropped(p, i)),
        Just(Mutation::Scheme),
        Just(Mutation::Host),
        Just(Mutation::HostWww),
        Just(Mutation::Port),
        Just(Mutation::TrailingSlash),
        Just(Mutation::Path),
        Just(Mutation::PathEncoding),
        Just(Mutation::Method),
        at().prop_map(|(p, i)| Mutation::PlusForSpace(p, i)),
        at().prop_map(|(p, i)| Mutation::DoubleEncoding(p, i)),
        Just(Mutation::Nonce),
        Just(Mutation::Signature),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH"]),
            prop::sample::select(vec!["https", "http"]),
            prop::sample::select(vec!["api.example.com", "h.example", "localhost"]),
            prop::option::of(prop::sample::select(vec![8080u16, 8443])),
            prop::collection::vec("[a-z0-9]{1,6}", 1..4),
        ),
        (
            prop::collection::vec(pair(), 1..4),
            prop_oneof![
                Just(BodyCase::None),
                prop::collection::vec(pair(), 1..4).prop_map(BodyCase::Pairs),
                any::<bool>().prop_map(BodyCase::Json),
            ],
            prop::sample::select(vec![Placement::Header, Placement::Query, Placement::Body]),
            prop::sample::select(SignatureMethod::ALL.to_vec()),
            mutation(),
        ),
    )
        .prop_map(
            |(
                (method, scheme, host, port, segments),
                (query, body, placement, signature_method, mutation),
            )| {
                let mut c = Case {
                    method,
                    scheme,
                    host,
                    port,
                    segments,
                    query,
                    body,
                    placement,
                    signature_method,
                    mutation,
                };
                // What the signer allows: no body with GET (nor, here, with DELETE); body
                // placement only with a form body; PLAINTEXT over plain http only to loopback,
                // and with no body hash.
                if matches!(c.method, "GET" | "DELETE") {
                    c.body = BodyCase::None;
                }
                if c.placement == Placement::Body && !matches!(c.body, BodyCase::Pairs(_)) {
                    c.placement = Placement::Header;
                }
                if c.signature_method == SignatureMethod::Plaintext {
                    if c.scheme == "http" && c.host != "localhost" {
                        c.scheme = "https";
                    }
                    if let BodyCase::Json(hash) = &mut c.body {
                        *hash = false;
                    }
                }
                // The parameter a `+` or a double encoding is about holds what it needs: a
                // `+`, a character that is encoded.
                if let Mutation::PlusForSpace(p, i) | Mutation::DoubleEncoding(p, i) = c.mutation {
                    let tail = if matches!(c.mutation, Mutation::PlusForSpace(..)) {
                        "+x"
                    } else {
                        " x"
                    };
                    let list = match (&mut c.body, p) {
                        (BodyCase::Pairs(b), Place::Body) => b,
                        _ => &mut c.query,
                    };
                    let n = list.len();
                    list[i % n].1.push_str(tail);
                }
                c
            },
        )
}

fn signer(method: SignatureMethod) -> Signer {
    Signer::new(
        &SignerOptions {
            consumer_key: "ck",
            consumer_secret: "cs é&",
            token: Some("tok"),
            token_secret: Some("ts/+"),
            signature_method: method,
            ..SignerOptions::default()
        },
        Runtime::Server,
    )
    .expect("a signer")
}

fn sign(c: &Case) -> SignedRequest {
    let port = c.port.map(|p| format!(":{p}")).unwrap_or_default();
    let url = format!("{}://{}{port}/{}", c.scheme, c.host, c.segments.join("/"));
    let query: Vec<(&str, &str)> = c
        .query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let body_pairs: Vec<(&str, &str)> = match &c.body {
        BodyCase::Pairs(b) => b.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect(),
        _ => Vec::new(),
    };
    let (body, content_type, body_hash) = match &c.body {
        BodyCase::None => (Body::None, None, false),
        BodyCase::Pairs(_) => (Body::Pairs(&body_pairs), None, false),
        BodyCase::Json(hash) => (Body::Text("{\"k\":[1,2]}"), Some("application/json"), *hash),
    };
    let request = Request {
        query: &query,
        body,
        content_type,
        body_hash,
        placement: Some(c.placement),
        ..Request::new(c.method, &url)
    };
    signer(c.signature_method)
        .sign(&request, NONCE, NOW)
        .unwrap_or_else(|e| panic!("{c:?}: {e:?}"))
}

/// A request as it travels: what the verifier receives.
#[derive(Debug, Clone)]
struct Wire {
    method: String,
    url: String,
    authorization: Option<String>,
    content_type: Option<String>,
    body: String,
}

impl Wire {
    fn of(s: &SignedRequest) -> Wire {
        Wire {
            method: s.method().to_owned(),
            url: s.url().to_owned(),
            authorization: s.authorization().map(str::to_owned),
            content_type: s.content_type().map(str::to_owned),
            body: s.body().unwrap_or("").to_owned(),
        }
    }

    fn verify(&self) -> Result<Verified, Refusal> {
        let mut headers = Vec::new();
        headers.extend(self.authorization.as_deref().map(|a| ("Authorization", a)));
        headers.extend(self.content_type.as_deref().map(|c| ("Content-Type", c)));
        verify::verify(
            &Received {
                method: &self.method,
                url: &self.url,
                headers: &headers,
                body: self.body.as_bytes(),
            },
            &Policy {
                now: NOW,
                window: 300,
                signature_methods: &SignatureMethod::ALL,
                require_token: true,
                debug_base_string: true,
            },
            |key| (key == "ck").then(|| "cs é&".to_owned()),
            |key, token| (key == "ck" && token == "tok").then(|| "ts/+".to_owned()),
            |_, _, _, _| true,
        )
    }

    /// The URL's parts: before the authority's end, the authority, the path, the query.
    fn url_parts(&self) -> (String, String, String, Option<String>) {
        let (scheme, rest) = self.url.split_once("://").expect("absolute");
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q.to_owned())),
            None => (rest, None),
        };
        let slash = rest.find('/').expect("a path");
        (
            scheme.to_owned(),
            rest[..slash].to_owned(),
            rest[slash..].to_owned(),
            query,
        )
    }

    fn set_url(&mut self, scheme: &str, authority: &str, path: &str, query: Option<&str>) {
        self.url = match query {
            Some(q) if !q.is_empty() => format!("{scheme}://{authority}{path}?{q}"),
            _ => format!("{scheme}://{authority}{path}"),
        };
    }

    /// The raw `name=value` pairs of the query or the body.
    fn pairs(&self, place: Place) -> Vec<String> {
        let text = match place {
            Place::Query => self.url_parts().3.unwrap_or_default(),
            Place::Body => self.body.clone(),
        };
        text.split('&')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn set_pairs(&mut self, place: Place, pairs: &[String]) {
        let joined = pairs.join("&");
        match place {
            Place::Query => {
                let (s, a, p, _) = self.url_parts();
                self.set_url(&s, &a, &p, Some(&joined));
            }
            Place::Body => self.body = joined,
        }
    }
}

/// What the mutation implies.
#[derive(Debug, PartialEq)]
enum Expected {
    /// `signature_invalid`, and the diagnosis names this one difference.
    Difference {
        component: &'static str,
        kind: &'static str,
        name: Option<String>,
        ours: Option<String>,
        theirs: Option<String>,
    },
    /// `signature_invalid`, the base strings identical.
    Identical,
    /// `signature_invalid`, and the one difference is in the value of a secret-named parameter,
    /// which `debug_sbs` shows as `<hidden>` (the project's one rule): the diagnosis cannot see
    /// it, and names no difference.
    HiddenValue,
    /// Accepted (PLAINTEXT).
    Accepted,
    /// Refused with this word (PLAINTEXT over plain http).
    Refused(&'static str),
}

fn url_difference(
    component: &'static str,
    kind: &'static str,
    ours: &str,
    theirs: &str,
) -> Expected {
    Expected::Difference {
        component,
        kind,
        name: None,
        ours: Some(ours.to_owned()),
        theirs: Some(theirs.to_owned()),
    }
}

fn param_difference(
    kind: &'static str,
    name: &str,
    ours: Option<&str>,
    theirs: Option<&str>,
) -> Expected {
    if secret_name(name) && ours.is_some() && theirs.is_some() {
        return Expected::HiddenValue;
    }
    let shown = |v: Option<&str>| {
        v.map(|v| {
            if secret_name(name) {
                "<hidden>".to_owned()
            } else {
                v.to_owned()
            }
        })
    };
    Expected::Difference {
        component: "parameter",
        kind,
        name: Some(name.to_owned()),
        ours: shown(ours),
        theirs: shown(theirs),
    }
}

/// The place a parameter mutation is made: the body only when it is a form.
fn place_of(c: &Case, p: Place) -> Place {
    match (&c.body, p) {
        (BodyCase::Pairs(_), Place::Body) => Place::Body,
        _ => Place::Query,
    }
}

/// Applies the case's mutation to `w` and says what it implies for an HMAC signature. Names
/// and values in the base string are encoded once (RFC 5849 §3.4.1.3.2), as the wire has them.
fn mutate(c: &Case, w: &mut Wire) -> Expected {
    let (scheme, authority, path, query) = w.url_parts();
    // The request's own parameters at `place` (not the protocol ones): their indexes among
    // the raw pairs.
    let own = |w: &Wire, place: Place| -> Vec<usize> {
        w.pairs(place)
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.starts_with("oauth_"))
            .map(|(i, _)| i)
            .collect()
    };
    let change_pair =
        |w: &mut Wire, p: Place, i: usize, f: &dyn Fn(&str, &str) -> Option<String>| {
            let place = place_of(c, p);
            let mut pairs = w.pairs(place);
            let indexes = own(w, place);
            let at = indexes[i % indexes.len()];
            let (name, value) = pairs[at].split_once('=').expect("name=value");
            let (name, value) = (name.to_owned(), value.to_owned());
            match f(&name, &value) {
                Some(v) => pairs[at] = format!("{name}={v}"),
                None => {
                    pairs.remove(at);
                }
            }
            w.set_pairs(place, &pairs);
            (name, value)
        };
    match c.mutation {
        Mutation::Value(p, i) => {
            let (name, value) = change_pair(w, p, i, &|_, v| Some(format!("{v}Z")));
            param_difference("value", &name, Some(&value), Some(&format!("{value}Z")))
        }
        Mutation::Added => {
            let mut pairs = w.pairs(Place::Query);
            pairs.push("added=1".to_owned());
            w.set_pairs(Place::Query, &pairs);
            param_difference("extra", "added", None, Some("1"))
        }
        Mutation::Dropped(p, i) => {
            let (name, value) = change_pair(w, p, i, &|_, _| None);
            param_difference("missing", &name, Some(&value), None)
        }
        Mutation::Scheme => {
            let other = if scheme == "https" { "http" } else { "https" };
            w.set_url(other, &authority, &path, query.as_deref());
            url_difference("scheme", "scheme_behind_proxy", &scheme, other)
        }
        Mutation::Host | Mutation::HostWww => {
            let new = match c.mutation {
                Mutation::Host => "other.example".to_owned(),
                _ => format!("www.{}", c.host),
            };
            let port = c.port.map(|p| format!(":{p}")).unwrap_or_default();
            w.set_url(&scheme, &format!("{new}{port}"), &path, query.as_deref());
            let kind = if matches!(c.mutation, Mutation::Host) {
                "host"
            } else {
                "host_www"
            };
            url_difference("host", kind, c.host, &new)
        }
        Mutation::Port => {
            let new = c.port.map_or(9000, |p| p + 1);
            w.set_url(
                &scheme,
                &format!("{}:{new}", c.host),
                &path,
                query.as_deref(),
            );
            let ours = c.port.map(|p| p.to_string()).unwrap_or_default();
            url_difference("port", "port", &ours, &new.to_string())
        }
        Mutation::TrailingSlash | Mutation::Path | Mutation::PathEncoding => {
            let (new, kind) = match c.mutation {
                Mutation::TrailingSlash => (format!("{path}/"), "trailing_slash"),
                Mutation::Path => (format!("{path}x"), "path"),
                _ => {
                    let last = path.rfind('/').expect("a slash") + 1;
                    let first = path.as_bytes()[last];
                    (
                        format!("{}%{first:02X}{}", &path[..last], &path[last + 1..]),
                        "path_encoding",
                    )
                }
            };
            w.set_url(&scheme, &authority, &new, query.as_deref());
            url_difference("path", kind, &path, &new)
        }
        Mutation::Method => {
            let new = match c.method {
                "GET" => "DELETE",
                "DELETE" => "GET",
                "POST" => "PUT",
                _ => "POST",
            };
            w.method = new.to_owned();
            url_difference("method", "method", c.method, new)
        }
        Mutation::PlusForSpace(p, i) => {
            let (name, value) = change_pair(w, p, i, &|_, v| Some(v.replace("%2B", "+")));
            let theirs = value.replace("%2B", "%20");
            param_difference("plus_for_space", &name, Some(&value), Some(&theirs))
        }
        Mutation::DoubleEncoding(p, i) => {
            let (name, value) = change_pair(w, p, i, &|_, v| Some(v.replace('%', "%25")));
            let theirs = value.replace('%', "%25");
            param_difference("double_encoding", &name, Some(&value), Some(&theirs))
        }
        Mutation::Nonce | Mutation::Signature => {
            let name = if matches!(c.mutation, Mutation::Nonce) {
                "oauth_nonce"
            } else {
                "oauth_signature"
            };
            let changed = |v: &str| {
                if name == "oauth_nonce" {
                    format!("{v}Z")
                } else {
                    format!("x{v}")
                }
            };
            match c.placement {
                Placement::Header => {
                    let header = w.authorization.as_deref().expect("a header");
                    let at =
                        header.find(&format!("{name}=\"")).expect("the parameter") + name.len() + 2;
                    let end = at + header[at..].find('"').expect("closed");
                    let new = format!(
                        "{}{}{}",
                        &header[..at],
                        changed(&header[at..end]),
                        &header[end..]
                    );
                    w.authorization = Some(new);
                }
                Placement::Query | Placement::Body => {
                    let place = if c.placement == Placement::Query {
                        Place::Query
                    } else {
                        Place::Body
                    };
                    let mut pairs = w.pairs(place);
                    let prefix = format!("{name}=");
                    let p = pairs
                        .iter_mut()
                        .find(|p| p.starts_with(&prefix))
                        .expect("the parameter");
                    *p = format!("{prefix}{}", changed(&p[prefix.len()..]));
                    w.set_pairs(place, &pairs);
                }
            }
            if name == "oauth_nonce" {
                param_difference("value", name, Some(NONCE), Some(&changed(NONCE)))
            } else {
                Expected::Identical
            }
        }
    }
}

/// What the mutation implies for this case's signature method.
fn expected(c: &Case, hmac: Expected) -> Expected {
    if c.signature_method != SignatureMethod::Plaintext || hmac == Expected::Identical {
        return hmac;
    }
    // PLAINTEXT signs nothing of the request; it is refused over plain http to another host than
    // loopback.
    match c.mutation {
        Mutation::Scheme if c.scheme == "https" && c.host != "localhost" => {
            Expected::Refused("signature_method_rejected")
        }
        Mutation::Host | Mutation::HostWww if c.scheme == "http" => {
            Expected::Refused("signature_method_rejected")
        }
        _ => Expected::Accepted,
    }
}

fn run(c: &Case) -> Result<(), TestCaseError> {
    let signed = sign(c);
    let mut wire = Wire::of(&signed);
    prop_assert!(
        wire.verify().is_ok(),
        "unchanged, refused: {:?}",
        wire.verify()
    );
    let expected = expected(c, mutate(c, &mut wire));
    let verdict = wire.verify();
    let refusal = match (&expected, verdict) {
        (Expected::Accepted, Ok(_)) => return Ok(()),
        (Expected::Refused(word), Err(r)) => {
            prop_assert_eq!(r.oauth_problem(), *word, "{:?}", wire);
            return Ok(());
        }
        (Expected::Difference { .. } | Expected::Identical | Expected::HiddenValue, Err(r)) => r,
        (e, v) => {
            return Err(TestCaseError::fail(format!(
                "expected {e:?}, got {v:?} for {wire:?}"
            )))
        }
    };
    prop_assert_eq!(
        (refusal.oauth_problem(), refusal.status),
        ("signature_invalid", 401),
        "{:?}",
        wire
    );
    let challenge = refusal.challenge("api");
    let body = refusal.form_body();
    let d = diagnose(
        &signed,
        &Answer {
            status: refusal.status,
            headers: &[("WWW-Authenticate", &challenge)],
            body: &body,
        },
    );
    prop_assert_eq!(d.problem, Problem::SignatureInvalid);
    prop_assert_eq!(d.base_string_source.map(|s| s.as_str()), Some("debug_sbs"));
    match expected {
        Expected::Identical => {
            prop_assert_eq!(d.identical, Some(true), "{:?}", d);
            prop_assert!(d.differences.is_empty(), "{:?}", d.differences);
        }
        Expected::HiddenValue => {
            prop_assert!(d.differences.is_empty(), "{:?}", d.differences);
            // The value is nowhere in the refusal.
            let sbs = refusal.base_string.as_deref().unwrap_or_default();
            prop_assert!(sbs.contains("%253Chidden%253E"), "{}", sbs);
        }
        Expected::Difference {
            component,
            kind,
            name,
            ours,
            theirs,
        } => {
            prop_assert_eq!(d.identical, Some(false));
            let found: Vec<_> = d
                .differences
                .iter()
                .map(|x| (words(x), x.name.clone(), x.ours.clone(), x.theirs.clone()))
                .collect();
            prop_assert_eq!(
                found,
                vec![((component, kind), name, ours, theirs)],
                "{:?} from {:?}",
                c.mutation,
                wire
            );
        }
        _ => unreachable!(),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// One mutation between the signer and the verifier; the verifier's refusal, diagnosed,
    /// names it.
    #[test]
    fn one_mutation_is_refused_and_diagnosed(c in case()) {
        run(&c)?;
    }
}

/// Every mutation at least once, on a fixed request of each signature method and placement
/// (the property's cases are random: this keeps each kind of difference covered).
#[test]
fn every_mutation_on_a_fixed_request() {
    let mutations = [
        Mutation::Value(Place::Query, 0),
        Mutation::Value(Place::Body, 1),
        Mutation::Added,
        Mutation::Dropped(Place::Query, 1),
        Mutation::Dropped(Place::Body, 0),
        Mutation::Scheme,
        Mutation::Host,
        Mutation::HostWww,
        Mutation::Port,
        Mutation::TrailingSlash,
        Mutation::Path,
        Mutation::PathEncoding,
        Mutation::Method,
        Mutation::PlusForSpace(Place::Query, 0),
        Mutation::PlusForSpace(Place::Body, 0),
        Mutation::DoubleEncoding(Place::Query, 1),
        Mutation::DoubleEncoding(Place::Body, 1),
        Mutation::Nonce,
        Mutation::Signature,
    ];
    let mut runs = 0;
    for signature_method in SignatureMethod::ALL {
        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            for mutation in mutations {
                let c = Case {
                    method: "POST",
                    scheme: "https",
                    host: "api.example.com",
                    port: Some(8443),
                    segments: vec!["v1".into(), "things".into()],
                    query: vec![("a".into(), "1 2+3".into()), ("x y".into(), "é".into())],
                    body: BodyCase::Pairs(vec![
                        ("c".into(), "4+5".into()),
                        ("password".into(), "p w".into()),
                    ]),
                    placement,
                    signature_method,
                    mutation,
                };
                run(&c).unwrap_or_else(|e| panic!("{c:?}: {e}"));
                runs += 1;
            }
        }
    }
    assert_eq!(runs, 4 * 3 * mutations.len());
}
