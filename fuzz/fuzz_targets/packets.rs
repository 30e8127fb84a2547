//! An independent writer of the packets the package's JavaScript module hands to wasm, and
//! reader of the answers, written from the format documented at the top of `src/boundary.rs`
//! (not from its code), and [`every_entry`], the check that any text gets a well-formed answer
//! from each entry point. Shared by the `packet` fuzz target, its checks (`checks.rs`) and the
//! tier-1 boundary tests (`tests/boundary.rs`).
//!
//! Lengths are UTF-16 code units, counted here with `str::encode_utf16`; an answer's lengths
//! are applied to its text converted to UTF-16, as JavaScript's `String#slice` applies them.

#![allow(dead_code)]

use contextio_signer::internals::{sign_once_packet, sign_packet, signer_from_packet};
use contextio_signer::{
    Body, Error, NoncePool, Placement, Request, Runtime, SignedRequest, Signer, SignerOptions,
};

/// A JavaScript value as the package's JavaScript module packs it.
#[derive(Debug, Clone, PartialEq)]
pub enum Js {
    /// A string (`s`).
    Str(String),
    /// A number (`n`): the text of `String(n)`.
    Num(String),
    /// `true` or `false` (`t`, `f`).
    Bool(bool),
    /// `null` or `undefined` (`z`).
    Absent,
    /// A `URL` instance (`u`): its `href`.
    Url(String),
    /// A `URLSearchParams` instance (`p`): its `toString()`.
    Params(String),
    /// A plain object (`o`): its own enumerable string keys, in order; packed as the count of
    /// entries and the UTF-16 length of the packed entries.
    Object(Vec<(String, Js)>),
    /// An array (`a`): packed as the count and the UTF-16 length of the packed items.
    Array(Vec<Js>),
    /// Anything else (`x`): a `Map`, a class instance, a function.
    Other,
    /// A value whose reading threw (`!`).
    Unreadable,
    /// As an entry's value, in the options or the request: a property `Object.keys` leaves out
    /// (a getter of a class, an inherited or non-enumerable property), its entry marked `~`.
    /// Anywhere else it is written the same way, which makes the packet malformed.
    Hidden(Box<Js>),
}

/// The length of `s` in UTF-16 code units.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn write_str(tag: char, s: &str, out: &mut String) {
    out.push(tag);
    out.push_str(&utf16_len(s).to_string());
    out.push(':');
    out.push_str(s);
}

/// An object or array: the tag, the number of entries, `:`, the UTF-16 length of the packed
/// entries, `:`, the packed entries.
fn write_record(tag: char, count: usize, packed: &str, out: &mut String) {
    out.push(tag);
    out.push_str(&count.to_string());
    out.push(':');
    out.push_str(&utf16_len(packed).to_string());
    out.push(':');
    out.push_str(packed);
}

impl Js {
    /// A string value.
    pub fn s(s: &str) -> Js {
        Js::Str(s.to_owned())
    }

    /// A number value from its JavaScript text.
    pub fn n(text: &str) -> Js {
        Js::Num(text.to_owned())
    }

    /// An object from `(key, value)` entries.
    pub fn object<'k>(entries: impl IntoIterator<Item = (&'k str, Js)>) -> Js {
        Js::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    /// Appends the packed value to `out`.
    pub fn write(&self, out: &mut String) {
        match self {
            Js::Str(s) => write_str('s', s, out),
            Js::Num(text) => {
                out.push('n');
                out.push_str(text);
                out.push(';');
            }
            Js::Bool(true) => out.push('t'),
            Js::Bool(false) => out.push('f'),
            Js::Absent => out.push('z'),
            Js::Url(href) => write_str('u', href, out),
            Js::Params(form) => write_str('p', form, out),
            Js::Object(entries) => {
                let mut packed = String::new();
                for (key, value) in entries {
                    let value = match value {
                        Js::Hidden(inner) => {
                            packed.push('~');
                            inner
                        }
                        v => v,
                    };
                    packed.push_str(&utf16_len(key).to_string());
                    packed.push(':');
                    packed.push_str(key);
                    value.write(&mut packed);
                }
                write_record('o', entries.len(), &packed, out);
            }
            Js::Array(items) => {
                let mut packed = String::new();
                for item in items {
                    item.write(&mut packed);
                }
                write_record('a', items.len(), &packed, out);
            }
            Js::Other => out.push('x'),
            Js::Unreadable => out.push('!'),
            Js::Hidden(inner) => {
                out.push('~');
                inner.write(out);
            }
        }
    }

    /// The packed value.
    pub fn packed(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// This object with `key` set to `value` (replaced where it is, or added at the end).
    pub fn with(mut self, key: &str, value: Js) -> Js {
        if let Js::Object(entries) = &mut self {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key.to_owned(), value)),
            }
        }
        self
    }

    /// This object without `key`.
    pub fn without(mut self, key: &str) -> Js {
        if let Js::Object(entries) = &mut self {
            entries.retain(|(k, _)| k != key);
        }
        self
    }
}

/// `S` (server) or `B` (browser).
pub fn runtime_tag(server: bool) -> char {
    if server {
        'S'
    } else {
        'B'
    }
}

/// An options packet (`new Signer`, `Signer.forNewUser`): `W`, the runtime, the options.
pub fn options_packet(server: bool, options: &Js) -> String {
    let mut out = String::from("W");
    out.push(runtime_tag(server));
    options.write(&mut out);
    out
}

/// A request packet (`signer.signRequest`): `W`, `Date.now()`, `;`, the request.
pub fn request_packet(now_ms: i64, request: &Js) -> String {
    let mut out = format!("W{now_ms};");
    request.write(&mut out);
    out
}

/// A one-call packet (`signRequest(options, request)`): `W`, the runtime, `Date.now()`, `;`,
/// the options, the request.
pub fn once_packet(server: bool, now_ms: i64, options: &Js, request: &Js) -> String {
    let mut out = format!("W{}{now_ms};", runtime_tag(server));
    options.write(&mut out);
    request.write(&mut out);
    out
}

/// The options object a JavaScript caller writes for `options`: every field that is set
/// (`placement` only when not the default header placement, `clockOffset` only when not 0).
pub fn options_js(o: &SignerOptions<'_>) -> Js {
    let mut entries = vec![
        ("consumerKey", Js::s(o.consumer_key)),
        ("consumerSecret", Js::s(o.consumer_secret)),
    ];
    if let Some(t) = o.token {
        entries.push(("token", Js::s(t)));
    }
    if let Some(t) = o.token_secret {
        entries.push(("tokenSecret", Js::s(t)));
    }
    if o.two_legged {
        entries.push(("twoLegged", Js::Bool(true)));
    }
    if let Some(r) = o.realm {
        entries.push(("realm", Js::s(r)));
    }
    if o.placement != Placement::Header {
        entries.push(("placement", Js::s(o.placement.as_str())));
    }
    if o.clock_offset != 0 {
        entries.push(("clockOffset", Js::n(&o.clock_offset.to_string())));
    }
    Js::object(entries)
}

/// Pairs as a plain object the way a JavaScript caller writes repeated names: one key per
/// name, in order of first appearance, an array when the name repeats. [`grouped`] gives the
/// order in which the signer then sees the pairs.
pub fn pairs_js(pairs: &[(&str, &str)]) -> Js {
    let mut entries: Vec<(String, Vec<&str>)> = Vec::new();
    for (name, value) in pairs {
        match entries.iter_mut().find(|(n, _)| n == name) {
            Some((_, values)) => values.push(value),
            None => entries.push(((*name).to_owned(), vec![value])),
        }
    }
    Js::Object(
        entries
            .into_iter()
            .map(|(name, values)| {
                let value = match values.as_slice() {
                    [one] => Js::s(one),
                    many => Js::Array(many.iter().map(|v| Js::s(v)).collect()),
                };
                (name, value)
            })
            .collect(),
    )
}

/// `pairs` grouped by name in order of first appearance: the order [`pairs_js`] hands them to
/// the signer.
pub fn grouped<'a>(pairs: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut names: Vec<&str> = Vec::new();
    for (name, _) in pairs {
        if !names.contains(name) {
            names.push(name);
        }
    }
    names
        .iter()
        .flat_map(|name| pairs.iter().filter(move |(n, _)| n == name).copied())
        .collect()
}

/// The WHATWG `application/x-www-form-urlencoded` serializer (what `URLSearchParams#toString`
/// writes): a space is `+`, `*-._` and ASCII alphanumerics stay, every other byte is `%XX`.
pub fn form_serialize(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        let mut out = String::new();
        for &b in s.as_bytes() {
            match b {
                b' ' => out.push('+'),
                b'*' | b'-' | b'.' | b'_' => out.push(char::from(b)),
                b if b.is_ascii_alphanumeric() => out.push(char::from(b)),
                b => out.push_str(&format!("%{b:02X}")),
            }
        }
        out
    };
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", enc(n), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The request object a JavaScript caller writes for `request`, with the nonce and timestamp
/// it fixes: query and pairs bodies as plain objects ([`pairs_js`]; sign the request with
/// [`grouped`] pairs to compare), a text body as a string, a form body as `URLSearchParams`.
pub fn request_js(r: &Request<'_>, nonce: Option<&str>, timestamp: Option<u64>) -> Js {
    let mut entries = vec![("method", Js::s(r.method)), ("url", Js::s(r.url))];
    if !r.query.is_empty() {
        entries.push(("query", pairs_js(r.query)));
    }
    match r.body {
        Body::None => {}
        Body::Text(s) => entries.push(("body", Js::s(s))),
        Body::Form(s) => entries.push(("body", Js::Params(s.to_owned()))),
        Body::Pairs(p) => entries.push(("body", pairs_js(p))),
    }
    if let Some(ct) = r.content_type {
        entries.push(("contentType", Js::s(ct)));
    }
    if let Some(p) = r.placement {
        entries.push(("placement", Js::s(p.as_str())));
    }
    if let Some(realm) = r.realm {
        entries.push(("realm", Js::s(realm)));
    }
    if let Some(n) = nonce {
        entries.push(("nonce", Js::s(n)));
    }
    if let Some(t) = timestamp {
        entries.push(("timestamp", Js::n(&t.to_string())));
    }
    if !r.include_version {
        entries.push(("includeVersion", Js::Bool(false)));
    }
    Js::object(entries)
}

/// A signed request read back from a result packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub method: String,
    pub url: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: Option<String>,
    pub signature: String,
    pub base_string: String,
    pub normalized_parameters: String,
    pub oauth_parameters: Vec<(String, String)>,
}

impl Signed {
    /// The same parts of a [`SignedRequest`], read through its accessors.
    pub fn of(s: &SignedRequest) -> Signed {
        Signed {
            method: s.method().to_owned(),
            url: s.url().to_owned(),
            authorization: s.authorization().map(str::to_owned),
            content_type: s.content_type().map(str::to_owned),
            body: s.body().map(str::to_owned),
            signature: s.signature().to_owned(),
            base_string: s.base_string().to_owned(),
            normalized_parameters: s.normalized_parameters().to_owned(),
            oauth_parameters: s
                .oauth_parameters()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect(),
        }
    }

    /// The value of one protocol parameter.
    pub fn oauth(&self, name: &str) -> Option<&str> {
        self.oauth_parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer packet, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// `\0` code `\u{1}` message.
    Error { code: String, message: String },
    /// A signed request (boxed: an error is much smaller).
    Signed(Box<Signed>),
}

impl Answer {
    /// The answer `result` must give.
    pub fn of(result: &Result<SignedRequest, Error>) -> Answer {
        match result {
            Ok(s) => Answer::Signed(Box::new(Signed::of(s))),
            Err(e) => Answer::error(e),
        }
    }

    /// The error answer of `e`.
    pub fn error(e: &Error) -> Answer {
        Answer::Error {
            code: e.code().to_owned(),
            message: e.message().into_owned(),
        }
    }

    /// The error's code, `None` for a signed request.
    pub fn code(&self) -> Option<&str> {
        match self {
            Answer::Error { code, .. } => Some(code),
            Answer::Signed(_) => None,
        }
    }

    /// The signed request, `None` for an error.
    pub fn into_signed(self) -> Option<Signed> {
        match self {
            Answer::Signed(s) => Some(*s),
            Answer::Error { .. } => None,
        }
    }

    /// The signed request; panics (with the error) otherwise.
    pub fn signed(self) -> Signed {
        match self {
            Answer::Signed(s) => *s,
            Answer::Error { code, message } => {
                panic!("expected a signed request, got {code}: {message}")
            }
        }
    }
}

/// Reads an answer packet, checking that it is well-formed.
///
/// An error is `\0`, one of [`Error::ALL_CODES`], `\u{1}` and a non-empty message.
///
/// A signed request is `\u{2}`; the caller's text as it is, back to back: the consumer key,
/// the nonce, the token (if any), the body (if any); then ten parts each followed by `\u{1}`:
/// method, url, authorization, content type, signature, base string, normalized parameters,
/// `oauth_signature_method`, `oauth_timestamp`, `oauth_version` (an absent one empty); then a
/// header of five decimal numbers separated by `,`: a presence mask (1 authorization, 2 content
/// type, 4 body, 8 token, 16 `oauth_version`) and the lengths in UTF-16 code units of the
/// consumer key, the nonce, the token and the body (0 when absent). The lengths must lie
/// within the text and never split a surrogate pair; an absent part must be empty.
///
/// # Errors
///
/// What is wrong with the packet.
pub fn read_answer(packet: &str) -> Result<Answer, String> {
    if let Some(rest) = packet.strip_prefix('\0') {
        let (code, message) = rest
            .split_once('\u{1}')
            .ok_or("an error packet without \\u{1}")?;
        if !Error::ALL_CODES.contains(&code) {
            return Err(format!("unknown error code {code:?}"));
        }
        if message.is_empty() {
            return Err(format!("{code}: empty message"));
        }
        return Ok(Answer::Error {
            code: code.to_owned(),
            message: message.to_owned(),
        });
    }
    let rest = packet
        .strip_prefix('\u{2}')
        .ok_or("neither an error (\\0) nor a signed request (\\u{2})")?;
    let (text, header) = rest
        .rsplit_once('\u{1}')
        .ok_or("a result packet without \\u{1}")?;
    let numbers = header
        .split(',')
        .map(|n| {
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("header {header:?}: {n:?} is not a number"));
            }
            n.parse::<usize>()
                .map_err(|e| format!("header {header:?}: {n:?}: {e}"))
        })
        .collect::<Result<Vec<usize>, String>>()?;
    let [mask, lengths @ ..] = numbers.as_slice() else {
        return Err(format!("header {header:?}: empty"));
    };
    let &[key_len, nonce_len, token_len, body_len] = lengths else {
        return Err(format!("header {header:?}: not five numbers"));
    };
    if *mask > 31 {
        return Err(format!("header {header:?}: mask beyond 31"));
    }
    let has = |bit: usize| mask & bit != 0;
    if (!has(8) && token_len != 0) || (!has(4) && body_len != 0) {
        return Err(format!("header {header:?}: a length for an absent part"));
    }
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut at: usize = 0;
    let mut take = |len: usize| -> Result<String, String> {
        let end = at
            .checked_add(len)
            .filter(|&e| e <= units.len())
            .ok_or_else(|| {
                format!(
                    "{len} units at {at}: beyond the text ({} units)",
                    units.len()
                )
            })?;
        let s = String::from_utf16(&units[at..end])
            .map_err(|_| format!("{len} units at {at}: a surrogate pair split"))?;
        at = end;
        Ok(s)
    };
    let consumer_key = take(key_len)?;
    let nonce = take(nonce_len)?;
    let token = take(token_len)?;
    let body = take(body_len)?;
    let safe = String::from_utf16(&units[at..])
        .map_err(|_| format!("the parts after {at} units start inside a surrogate pair"))?;
    let fields: Vec<&str> = safe.split('\u{1}').collect();
    let [method, url, authorization, content_type, signature, base_string, normalized, signature_method, timestamp, version] =
        fields.as_slice()
    else {
        return Err(format!("{} parts, not 10: {safe:?}", fields.len()));
    };
    let optional = |bit: usize, s: &str, what: &str| -> Result<Option<String>, String> {
        match (has(bit), s.is_empty()) {
            (true, _) => Ok(Some(s.to_owned())),
            (false, true) => Ok(None),
            (false, false) => Err(format!("absent {what} is not empty: {s:?}")),
        }
    };
    let mut oauth_parameters = vec![
        ("oauth_consumer_key".to_owned(), consumer_key),
        ("oauth_nonce".to_owned(), nonce),
        ("oauth_signature".to_owned(), (*signature).to_owned()),
        (
            "oauth_signature_method".to_owned(),
            (*signature_method).to_owned(),
        ),
        ("oauth_timestamp".to_owned(), (*timestamp).to_owned()),
    ];
    if has(8) {
        oauth_parameters.push(("oauth_token".to_owned(), token));
    }
    if let Some(v) = optional(16, version, "oauth_version")? {
        oauth_parameters.push(("oauth_version".to_owned(), v));
    }
    Ok(Answer::Signed(Box::new(Signed {
        method: (*method).to_owned(),
        url: (*url).to_owned(),
        authorization: optional(1, authorization, "authorization")?,
        content_type: optional(2, content_type, "content type")?,
        body: has(4).then_some(body),
        signature: (*signature).to_owned(),
        base_string: (*base_string).to_owned(),
        normalized_parameters: (*normalized).to_owned(),
        oauth_parameters,
    })))
}

/// Any text through the three packet entry points: each answers a well-formed packet
/// ([`packets::read_answer`]) and never panics; `signer_from_packet` gives a signer or an
/// error packet. A signed request read back is coherent: its signature is 28 characters and
/// is its `oauth_signature`, its base string starts with its method.
pub fn every_entry(text: &str) {
    let check = |answer: &str, entry: &str| match read_answer(answer) {
        Ok(Answer::Signed(s)) => {
            assert_eq!(s.signature.len(), 28, "{entry}: {s:?}");
            assert_eq!(s.oauth("oauth_signature"), Some(s.signature.as_str()));
            // The method is a token: its encoding is itself but for its few symbols.
            let method: String = s
                .method
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        char::from(b).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            assert!(
                s.base_string.starts_with(&format!("{method}&")),
                "{entry}: {s:?}"
            );
        }
        Ok(Answer::Error { .. }) => {}
        Err(e) => panic!("{entry} answered a malformed packet ({e}): {answer:?} for {text:?}"),
    };
    let signer = Signer::new(
        &SignerOptions {
            consumer_key: "ck",
            consumer_secret: "cs",
            token: Some("tok"),
            token_secret: Some("ts"),
            ..SignerOptions::default()
        },
        Runtime::Browser,
    )
    .expect("a 3-legged signer");
    check(
        &sign_packet(&signer, &mut NoncePool::default(), text),
        "sign_packet",
    );
    // A request every kind of signer signs (adding a user), for the signers built from `text`.
    let add_user = request_packet(
        1_500_000_000_000,
        &Js::object([
            ("method", Js::s("POST")),
            ("url", Js::s("https://api.context.io/lite/users")),
            ("body", Js::object([("email", Js::s("a@example.com"))])),
            ("nonce", Js::s("n")),
        ]),
    );
    for new_user in [false, true] {
        match signer_from_packet(text, new_user) {
            Ok(s) => check(
                &sign_packet(&s, &mut NoncePool::default(), &add_user),
                "sign_packet with a signer from the packet",
            ),
            Err(e) => match read_answer(&e) {
                Ok(Answer::Error { .. }) => {}
                other => panic!("signer_from_packet: {other:?} for {text:?}"),
            },
        }
    }
    check(&sign_once_packet(text), "sign_once_packet");
}
