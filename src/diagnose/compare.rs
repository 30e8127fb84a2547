//! Comparing the server's signature base string with ours, component by component
//! ([RFC 5849 §3.4.1.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.1)): the method,
//! the base string URI's scheme, host, port and path (§3.4.1.2), each normalized parameter
//! (§3.4.1.3.2), and their order. Each difference gets the kind that names its classic cause;
//! its sentence for a person is [`DifferenceKind::note`] (in [`super::explain`]).
//!
//! No secret is shown: the value of a parameter whose name marks it as secret
//! ([`crate::is_secret_parameter`]) is `<hidden>` in a difference and in the server's base string
//! as the diagnosis keeps it ([`redacted`]).

use super::answer::decode_lossy;
use crate::problem::is_secret_parameter;
use alloc::string::String;
use alloc::vec::Vec;

/// Which part of the base string differs.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DifferenceComponent {
    /// The HTTP method (`"method"`).
    Method,
    /// The base string URI's scheme (`"scheme"`).
    Scheme,
    /// Its host (`"host"`).
    Host,
    /// Its port (`"port"`).
    Port,
    /// Its path (`"path"`).
    Path,
    /// One parameter (`"parameter"`).
    Parameter,
    /// The order of the parameters, all else equal (`"order"`).
    Order,
}

impl DifferenceComponent {
    /// Every component, in declaration order.
    pub const ALL: [DifferenceComponent; 7] = [
        DifferenceComponent::Method,
        DifferenceComponent::Scheme,
        DifferenceComponent::Host,
        DifferenceComponent::Port,
        DifferenceComponent::Path,
        DifferenceComponent::Parameter,
        DifferenceComponent::Order,
    ];

    /// The stable word, as in the JSON form: `"method"`, `"scheme"`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            DifferenceComponent::Method => "method",
            DifferenceComponent::Scheme => "scheme",
            DifferenceComponent::Host => "host",
            DifferenceComponent::Port => "port",
            DifferenceComponent::Path => "path",
            DifferenceComponent::Parameter => "parameter",
            DifferenceComponent::Order => "order",
        }
    }
}

impl core::fmt::Display for DifferenceComponent {
    /// The stable word ([`DifferenceComponent::as_str`]).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of difference: its likely cause.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DifferenceKind {
    /// Another HTTP method (`"method"`).
    Method,
    /// Another scheme: TLS ends at a proxy (`"scheme_behind_proxy"`).
    SchemeBehindProxy,
    /// The host in another case (`"host_case"`).
    HostCase,
    /// `www.` on one side only (`"host_www"`).
    HostWww,
    /// Another host (`"host"`).
    Host,
    /// The scheme's default port written on one side (`"default_port"`).
    DefaultPort,
    /// Another port (`"port"`).
    Port,
    /// A trailing slash on one side only (`"trailing_slash"`).
    TrailingSlash,
    /// The same path, encoded differently (`"path_encoding"`).
    PathEncoding,
    /// Another path (`"path"`).
    Path,
    /// We signed the parameter, the server did not see it (`"missing"`).
    Missing,
    /// The server saw the parameter, we did not sign it (`"extra"`).
    Extra,
    /// `+` read as a space on one side (`"plus_for_space"`).
    PlusForSpace,
    /// The value percent-encoded twice on one side (`"double_encoding"`).
    DoubleEncoding,
    /// The same value with lower-case hex digits (`"lowercase_hex"`).
    LowercaseHex,
    /// The same value with characters left unencoded (`"unencoded_characters"`).
    UnencodedCharacters,
    /// Another value (`"value"`).
    Value,
    /// The same parameters in another order (`"order"`).
    Order,
}

impl DifferenceKind {
    /// Every kind, in declaration order.
    pub const ALL: [DifferenceKind; 18] = [
        DifferenceKind::Method,
        DifferenceKind::SchemeBehindProxy,
        DifferenceKind::HostCase,
        DifferenceKind::HostWww,
        DifferenceKind::Host,
        DifferenceKind::DefaultPort,
        DifferenceKind::Port,
        DifferenceKind::TrailingSlash,
        DifferenceKind::PathEncoding,
        DifferenceKind::Path,
        DifferenceKind::Missing,
        DifferenceKind::Extra,
        DifferenceKind::PlusForSpace,
        DifferenceKind::DoubleEncoding,
        DifferenceKind::LowercaseHex,
        DifferenceKind::UnencodedCharacters,
        DifferenceKind::Value,
        DifferenceKind::Order,
    ];

    /// The stable word, as in the JSON form: `"scheme_behind_proxy"`, `"missing"`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            DifferenceKind::Method => "method",
            DifferenceKind::SchemeBehindProxy => "scheme_behind_proxy",
            DifferenceKind::HostCase => "host_case",
            DifferenceKind::HostWww => "host_www",
            DifferenceKind::Host => "host",
            DifferenceKind::DefaultPort => "default_port",
            DifferenceKind::Port => "port",
            DifferenceKind::TrailingSlash => "trailing_slash",
            DifferenceKind::PathEncoding => "path_encoding",
            DifferenceKind::Path => "path",
            DifferenceKind::Missing => "missing",
            DifferenceKind::Extra => "extra",
            DifferenceKind::PlusForSpace => "plus_for_space",
            DifferenceKind::DoubleEncoding => "double_encoding",
            DifferenceKind::LowercaseHex => "lowercase_hex",
            DifferenceKind::UnencodedCharacters => "unencoded_characters",
            DifferenceKind::Value => "value",
            DifferenceKind::Order => "order",
        }
    }

    /// The component a difference of this kind is in.
    pub const fn component(self) -> DifferenceComponent {
        use DifferenceKind as K;
        match self {
            K::Method => DifferenceComponent::Method,
            K::SchemeBehindProxy => DifferenceComponent::Scheme,
            K::HostCase | K::HostWww | K::Host => DifferenceComponent::Host,
            K::DefaultPort | K::Port => DifferenceComponent::Port,
            K::TrailingSlash | K::PathEncoding | K::Path => DifferenceComponent::Path,
            K::Missing
            | K::Extra
            | K::PlusForSpace
            | K::DoubleEncoding
            | K::LowercaseHex
            | K::UnencodedCharacters
            | K::Value => DifferenceComponent::Parameter,
            K::Order => DifferenceComponent::Order,
        }
    }
}

impl core::fmt::Display for DifferenceKind {
    /// The stable word ([`DifferenceKind::as_str`]).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference between the server's base string and ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Which part differs (always `kind.component()`).
    pub component: DifferenceComponent,
    /// What kind of difference.
    pub kind: DifferenceKind,
    /// The parameter's name, for a parameter.
    pub name: Option<String>,
    /// Our side (decoded once from the base string), if any.
    pub ours: Option<String>,
    /// The server's side, if any.
    pub theirs: Option<String>,
    /// One sentence for a person (`kind.note()`).
    pub note: &'static str,
}

impl Difference {
    fn new(kind: DifferenceKind, ours: Option<String>, theirs: Option<String>) -> Difference {
        Difference {
            component: kind.component(),
            kind,
            name: None,
            ours,
            theirs,
            note: kind.note(),
        }
    }
}

/// A base string's parts, the URI and parameters decoded once (parameter names and values
/// stay encoded as normalization wrote them).
#[derive(Debug, PartialEq, Eq)]
struct Parts {
    method: String,
    scheme: String,
    host: String,
    port: Option<String>,
    path: String,
    params: Vec<(String, String)>,
}

fn parts(base: &str) -> Parts {
    let mut it = base.splitn(3, '&');
    let method = String::from(it.next().unwrap_or_default());
    let uri = decode_lossy(it.next().unwrap_or_default(), false);
    let params = decode_lossy(it.next().unwrap_or_default(), false);
    let (scheme, rest) = uri.split_once("://").unwrap_or(("", &uri));
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            (h, Some(String::from(p)))
        }
        _ => (authority, None),
    };
    Parts {
        method,
        scheme: String::from(scheme),
        host: String::from(host),
        port,
        path: String::from(path),
        params: params
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (n, v) = p.split_once('=').unwrap_or((p, ""));
                (String::from(n), String::from(v))
            })
            .collect(),
    }
}

/// A base string with the value of every parameter whose name marks it as secret replaced by
/// `<hidden>` (encoded as the rest); unchanged when there is none.
pub(super) fn redacted(base: &str) -> String {
    let mut it = base.splitn(3, '&');
    let (Some(method), Some(uri), Some(params)) = (it.next(), it.next(), it.next()) else {
        return String::from(base);
    };
    let params = decode_lossy(params, false);
    let secret = |name: &str| is_secret_parameter(&decode_lossy(name, false));
    if !params
        .split('&')
        .any(|p| secret(p.split('=').next().unwrap_or("")))
    {
        return String::from(base);
    }
    let shown: Vec<String> = params
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((n, _)) if secret(n) => {
                let mut out = String::from(n);
                out.push_str("=%3Chidden%3E");
                out
            }
            _ => String::from(p),
        })
        .collect();
    let mut out = String::from(method);
    out.push('&');
    out.push_str(uri);
    out.push('&');
    out.push_str(&crate::encoding::percent_encode(&shown.join("&")));
    out
}

/// A parameter's value as a difference shows it.
fn shown(name: &str, value: &str) -> String {
    if is_secret_parameter(&decode_lossy(name, false)) {
        String::from("<hidden>")
    } else {
        String::from(value)
    }
}

/// Every difference between our base string and the server's.
pub(super) fn compare(ours: &str, theirs: &str) -> Vec<Difference> {
    use DifferenceKind as K;
    let mut out = Vec::new();
    if ours == theirs {
        return out;
    }
    let (a, b) = (parts(ours), parts(theirs));
    let mut diff = |kind, ours: &str, theirs: &str| {
        out.push(Difference::new(
            kind,
            Some(String::from(ours)),
            Some(String::from(theirs)),
        ));
    };
    if a.method != b.method {
        diff(K::Method, &a.method, &b.method);
    }
    if a.scheme != b.scheme {
        diff(K::SchemeBehindProxy, &a.scheme, &b.scheme);
    }
    if a.host != b.host {
        let www = |h: &str| String::from(h.strip_prefix("www.").unwrap_or(h));
        let kind = if a.host.eq_ignore_ascii_case(&b.host) {
            K::HostCase
        } else if www(&a.host.to_ascii_lowercase()) == www(&b.host.to_ascii_lowercase()) {
            K::HostWww
        } else {
            K::Host
        };
        diff(kind, &a.host, &b.host);
    }
    if a.port != b.port {
        let default = if a.scheme == "https" { "443" } else { "80" };
        let is_default = |p: &Option<String>| p.as_deref().is_none_or(|p| p == default);
        let kind = if is_default(&a.port) && is_default(&b.port) {
            K::DefaultPort
        } else {
            K::Port
        };
        diff(
            kind,
            a.port.as_deref().unwrap_or(""),
            b.port.as_deref().unwrap_or(""),
        );
    }
    if a.path != b.path {
        let kind = if a.path.trim_end_matches('/') == b.path.trim_end_matches('/') {
            K::TrailingSlash
        } else if decode_lossy(&a.path, false) == decode_lossy(&b.path, false) {
            K::PathEncoding
        } else {
            K::Path
        };
        diff(kind, &a.path, &b.path);
    }
    compare_params(&a.params, &b.params, &mut out);
    out
}

/// The differences between two normalized parameter lists (names and values as they stand in
/// the base strings, encoded once).
fn compare_params(
    ours: &[(String, String)],
    theirs: &[(String, String)],
    out: &mut Vec<Difference>,
) {
    let mut left: Vec<Option<&(String, String)>> = theirs.iter().map(Some).collect();
    let mut unmatched = Vec::new();
    // Exact matches first, then pairs by name.
    for p in ours {
        match left.iter_mut().find(|q| q.is_some_and(|q| q == p)) {
            Some(slot) => *slot = None,
            None => unmatched.push(p),
        }
    }
    let param = |kind, name: &str, o: Option<&str>, t: Option<&str>| Difference {
        name: Some(String::from(name)),
        ..Difference::new(kind, o.map(|v| shown(name, v)), t.map(|v| shown(name, v)))
    };
    // A value the server hid of its own accord (as `redacted` does): nothing to compare.
    let hidden = |v: &str| v == "%3Chidden%3E" || v == "<hidden>";
    for (name, value) in unmatched {
        let other = left
            .iter_mut()
            .find(|q| q.is_some_and(|(n, _)| n == name))
            .and_then(Option::take);
        match other {
            Some((_, theirs)) if hidden(theirs) => {}
            Some((_, theirs)) => {
                let kind = value_difference(value, theirs);
                out.push(param(kind, name, Some(value), Some(theirs)));
            }
            None => out.push(param(DifferenceKind::Missing, name, Some(value), None)),
        }
    }
    for (name, value) in left.into_iter().flatten() {
        // A parameter of ours by another encoding of its name is reported once, as a name.
        out.push(param(DifferenceKind::Extra, name, None, Some(value)));
    }
    // The same parameters: in the same places, unless the order differs.
    let same_place =
        |(o, t): (&(String, String), &(String, String))| o.0 == t.0 && (o.1 == t.1 || hidden(&t.1));
    if out
        .iter()
        .all(|d| d.component != DifferenceComponent::Parameter)
        && !(ours.len() == theirs.len() && ours.iter().zip(theirs).all(same_place))
    {
        out.push(Difference::new(DifferenceKind::Order, None, None));
    }
}

/// How two values of one parameter differ, as they stand in the base strings (encoded once).
fn value_difference(ours: &str, theirs: &str) -> DifferenceKind {
    let (o, t) = (decode_lossy(ours, false), decode_lossy(theirs, false));
    if o == t {
        if theirs.eq_ignore_ascii_case(ours) {
            return DifferenceKind::LowercaseHex;
        }
        return DifferenceKind::UnencodedCharacters;
    }
    if decode_lossy(&t, false) == o || decode_lossy(&o, false) == t {
        return DifferenceKind::DoubleEncoding;
    }
    if o.replace('+', " ") == t.replace('+', " ") {
        return DifferenceKind::PlusForSpace;
    }
    DifferenceKind::Value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::percent_encode;
    use alloc::format;
    use DifferenceKind as K;

    /// A base string from its parts, written as RFC 5849 §3.4.1.1 writes one: the method, the
    /// URI and the normalized parameters (`name=value` encoded once, then joined by `&`),
    /// the last two encoded again.
    fn base(method: &str, uri: &str, params: &[(&str, &str)]) -> String {
        let norm: Vec<String> = params.iter().map(|(n, v)| format!("{n}={v}")).collect();
        format!(
            "{method}&{}&{}",
            percent_encode(uri),
            percent_encode(&norm.join("&"))
        )
    }

    const URI: &str = "https://api.example.com/a/b";
    const PARAMS: &[(&str, &str)] = &[("a", "1"), ("q", "x%20y"), ("z", "%2A")];

    /// The kinds (and parameter names) of the differences when the server's side is `theirs`.
    fn kinds(theirs: &str) -> Vec<(DifferenceKind, Option<String>)> {
        compare(&base("GET", URI, PARAMS), theirs)
            .into_iter()
            .map(|d| {
                assert_eq!(d.component, d.kind.component());
                assert_eq!(d.note, d.kind.note());
                (d.kind, d.name)
            })
            .collect()
    }

    fn one(kind: DifferenceKind) -> Vec<(DifferenceKind, Option<String>)> {
        alloc::vec![(kind, None)]
    }

    fn named(kind: DifferenceKind, name: &str) -> Vec<(DifferenceKind, Option<String>)> {
        alloc::vec![(kind, Some(String::from(name)))]
    }

    #[test]
    fn words_are_unique_and_each_kind_has_its_component() {
        for (i, k) in K::ALL.iter().enumerate() {
            assert!(K::ALL[..i].iter().all(|j| j.as_str() != k.as_str()));
            assert_eq!(format!("{k}"), k.as_str());
        }
        for (i, c) in DifferenceComponent::ALL.iter().enumerate() {
            assert!(DifferenceComponent::ALL[..i]
                .iter()
                .all(|j| j.as_str() != c.as_str()));
            assert!(K::ALL.iter().any(|k| k.component() == *c), "{c:?}");
            assert_eq!(format!("{c}"), c.as_str());
        }
        assert_eq!(K::SchemeBehindProxy.as_str(), "scheme_behind_proxy");
        assert_eq!(K::UnencodedCharacters.as_str(), "unencoded_characters");
        assert_eq!(DifferenceComponent::Parameter.as_str(), "parameter");
    }

    #[test]
    fn the_same_base_string_has_no_difference() {
        assert!(kinds(&base("GET", URI, PARAMS)).is_empty());
    }

    #[test]
    fn method_and_scheme() {
        assert_eq!(kinds(&base("POST", URI, PARAMS)), one(K::Method));
        assert_eq!(
            kinds(&base("GET", "http://api.example.com/a/b", PARAMS)),
            one(K::SchemeBehindProxy)
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(
            kinds(&base("GET", "https://API.example.com/a/b", PARAMS)),
            one(K::HostCase)
        );
        assert_eq!(
            kinds(&base("GET", "https://www.api.example.com/a/b", PARAMS)),
            one(K::HostWww)
        );
        assert_eq!(
            kinds(&base("GET", "https://api.example.org/a/b", PARAMS)),
            one(K::Host)
        );
    }

    #[test]
    fn ports() {
        // RFC 5849 §3.4.1.2: the port is left out when it is the scheme's default (443 for
        // https).
        assert_eq!(
            kinds(&base("GET", "https://api.example.com:443/a/b", PARAMS)),
            one(K::DefaultPort)
        );
        assert_eq!(
            kinds(&base("GET", "https://api.example.com:8443/a/b", PARAMS)),
            one(K::Port)
        );
        // 80 is not https' default.
        assert_eq!(
            kinds(&base("GET", "https://api.example.com:80/a/b", PARAMS)),
            one(K::Port)
        );
        let d = compare(
            &base("GET", URI, PARAMS),
            &base("GET", "https://api.example.com:8443/a/b", PARAMS),
        );
        assert_eq!(
            (d[0].ours.as_deref(), d[0].theirs.as_deref()),
            (Some(""), Some("8443"))
        );
    }

    #[test]
    fn paths() {
        assert_eq!(
            kinds(&base("GET", "https://api.example.com/a/b/", PARAMS)),
            one(K::TrailingSlash)
        );
        assert_eq!(
            kinds(&base("GET", "https://api.example.com/a/%62", PARAMS)),
            one(K::PathEncoding)
        );
        assert_eq!(
            kinds(&base("GET", "https://api.example.com/v1/a/b", PARAMS)),
            one(K::Path)
        );
    }

    #[test]
    fn a_parameter_missing_or_extra() {
        assert_eq!(
            kinds(&base("GET", URI, &[("a", "1"), ("z", "%2A")])),
            named(K::Missing, "q")
        );
        assert_eq!(
            kinds(&base(
                "GET",
                URI,
                &[("a", "1"), ("b", "2"), ("q", "x%20y"), ("z", "%2A")]
            )),
            named(K::Extra, "b")
        );
    }

    #[test]
    fn a_value_by_each_kind() {
        let with_q = |v: &str| base("GET", URI, &[("a", "1"), ("q", v), ("z", "%2A")]);
        let with_z = |v: &str| base("GET", URI, &[("a", "1"), ("q", "x%20y"), ("z", v)]);
        // `x y` encoded twice is x%2520y.
        assert_eq!(kinds(&with_q("x%2520y")), named(K::DoubleEncoding, "q"));
        // Our space (%20) is a plus (%2B) on the server's side.
        assert_eq!(kinds(&with_q("x%2By")), named(K::PlusForSpace, "q"));
        assert_eq!(kinds(&with_q("xy")), named(K::Value, "q"));
        // `*` (%2A) written as it is, and in lower-case hex.
        assert_eq!(kinds(&with_z("*")), named(K::UnencodedCharacters, "z"));
        assert_eq!(kinds(&with_z("%2a")), named(K::LowercaseHex, "z"));
    }

    #[test]
    fn the_same_parameters_in_another_order() {
        assert_eq!(
            kinds(&base(
                "GET",
                URI,
                &[("q", "x%20y"), ("a", "1"), ("z", "%2A")]
            )),
            one(K::Order)
        );
    }

    #[test]
    fn differences_are_listed_in_base_string_order() {
        let theirs = base("POST", "http://api.example.com:8080/a/b/", &[("a", "2")]);
        assert_eq!(
            kinds(&theirs),
            [
                (K::Method, None),
                (K::SchemeBehindProxy, None),
                (K::Port, None),
                (K::TrailingSlash, None),
                (K::Value, Some(String::from("a"))),
                (K::Missing, Some(String::from("q"))),
                (K::Missing, Some(String::from("z"))),
            ]
        );
    }

    #[test]
    fn parts_of_a_base_string() {
        let p = parts(&base(
            "GET",
            "http://h.example:8080/p%20q",
            &[("a", "1"), ("b", "")],
        ));
        assert_eq!(
            p,
            Parts {
                method: String::from("GET"),
                scheme: String::from("http"),
                host: String::from("h.example"),
                port: Some(String::from("8080")),
                path: String::from("/p%20q"),
                params: alloc::vec![
                    (String::from("a"), String::from("1")),
                    (String::from("b"), String::new())
                ],
            }
        );
        // Anything: no panic, and what is not there is empty.
        let p = parts("");
        assert!(p.method.is_empty() && p.host.is_empty() && p.params.is_empty());
        assert_eq!(parts("GET&http%3A%2F%2Fh%3Ax&").port, None);
    }

    #[test]
    fn a_secret_value_is_hidden_in_a_difference() {
        let ours = base("POST", URI, &[("password", "hunter2")]);
        let theirs = base("POST", URI, &[("password", "hunter3")]);
        let d = compare(&ours, &theirs);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, K::Value);
        assert_eq!(d[0].ours.as_deref(), Some("<hidden>"));
        assert_eq!(d[0].theirs.as_deref(), Some("<hidden>"));
        // A value the server hid itself is not a difference.
        let hidden = base("POST", URI, &[("password", "%3Chidden%3E")]);
        assert!(compare(&ours, &hidden).is_empty());
        // Nor is it a difference of order, beside others in their places.
        let ours = base(
            "POST",
            URI,
            &[("a", "1"), ("password", "hunter2"), ("z", "2")],
        );
        let hidden = base(
            "POST",
            URI,
            &[("a", "1"), ("password", "<hidden>"), ("z", "2")],
        );
        assert!(compare(&ours, &hidden).is_empty());
        let moved = base(
            "POST",
            URI,
            &[("password", "<hidden>"), ("a", "1"), ("z", "2")],
        );
        assert_eq!(compare(&ours, &moved)[0].kind, K::Order);
    }

    #[test]
    fn redaction() {
        let b = base(
            "POST",
            URI,
            &[("client_secret", "s3"), ("x", "1"), ("Password", "p%20w")],
        );
        assert_eq!(
            redacted(&b),
            base(
                "POST",
                URI,
                &[
                    ("client_secret", "%3Chidden%3E"),
                    ("x", "1"),
                    ("Password", "%3Chidden%3E")
                ]
            )
        );
        let plain = base("POST", URI, PARAMS);
        assert_eq!(redacted(&plain), plain);
        assert_eq!(redacted("not a base string"), "not a base string");
    }
}
