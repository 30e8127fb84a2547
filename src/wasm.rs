//! The JavaScript binding (wasm32 only): converts arguments, calls the core, maps errors to
//! `OAuthSignError`s, and supplies the platform defaults (nonce from `crypto.getRandomValues`
//! through getrandom, timestamp from `Date.now()`, runtime detection). No signing logic lives
//! here.

use crate::encoding::parse_form;
use crate::signer::{
    random_nonce, Body, NoncePool, Request, Runtime, SignedRequest, SignerOptions,
};
use crate::{Error, Placement};
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use js_sys::{Array, JsString, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Where the OAuth protocol parameters are sent (RFC 5849 §3.5). */
export type Placement = 'header' | 'query' | 'body';

/** What a signer signs with. */
export type SignerMode = 'three-legged' | 'two-legged' | 'new-user';

/** Options of `new Signer(options)` and `signRequest(options, request)`. */
export interface SignerOptions {
  /** The consumer key (API key). Required, non-empty. */
  consumerKey: string;
  /** The consumer secret. Required, non-empty. Never readable back from a signer. */
  consumerSecret: string;
  /** The user's `access_token`. Required with `tokenSecret` unless `twoLegged`. */
  token?: string;
  /** The user's `access_token_secret`. Never readable back from a signer. */
  tokenSecret?: string;
  /**
   * Explicit opt-in to 2-legged signing (consumer key only). Accepted only in a server runtime
   * (Node, Deno, Bun); a page, worker or extension gets `TWO_LEGGED_FORBIDDEN`.
   */
  twoLegged?: boolean;
  /** `realm` of the Authorization header (never signed). Printable ASCII. */
  realm?: string;
  /** Default placement of the protocol parameters. Default `'header'`. */
  placement?: Placement;
  /** Whole seconds added to the local clock for default timestamps (server clock correction). */
  clockOffset?: number;
}

/** Options of `Signer.forNewUser(options)`: consumer credentials only. */
export interface NewUserSignerOptions {
  consumerKey: string;
  consumerSecret: string;
  realm?: string;
  placement?: Placement;
  clockOffset?: number;
}

/** A query or form value. Numbers and booleans are written with `String(value)`. */
export type ParamValue = string | number | boolean;

/** Name/value pairs; an array value repeats the name; `null` and `undefined` are skipped. */
export type ParamRecord = Record<string, ParamValue | readonly ParamValue[] | null | undefined>;

/** A request to sign. */
export interface SignableRequest {
  /** HTTP method, any case (sent upper case). */
  method: string;
  /** Absolute http(s) URL; may carry a query (form-decoded for signing: `+` is a space). */
  url: string | URL;
  /** Extra query parameters, appended to the URL percent-encoded (`%20`, never `+`). */
  query?: ParamRecord | URLSearchParams;
  /**
   * The body. Objects and URLSearchParams are form-encoded and signed; a string is sent as is
   * and signed only when `contentType` is `application/x-www-form-urlencoded`.
   */
  body?: string | URLSearchParams | ParamRecord;
  /** Content-Type of the body; objects and URLSearchParams default to form encoding. */
  contentType?: string;
  /** Overrides the signer's placement. */
  placement?: Placement;
  /** Overrides the signer's realm. */
  realm?: string;
  /** Overrides the random nonce (tests, replaying a failure). */
  nonce?: string;
  /** Overrides the timestamp, in whole seconds since the epoch (tests, replaying a failure). */
  timestamp?: number;
  /** Send `oauth_version=1.0`. Default `true`. */
  includeVersion?: boolean;
}

/** A signed request: `fetch(r.url, { method: r.method, headers: r.headers, body: r.body })`. */
export interface SignedRequest {
  /** The upper-case method. */
  method: string;
  /** What to fetch: the query added, and the protocol parameters for placement `'query'`. */
  url: string;
  /** `Authorization` (placement `'header'`) and `Content-Type` (when the body has one). */
  headers: Record<string, string>;
  /** The body to send, if any. */
  body?: string;
  /** The base64 HMAC-SHA1 signature. */
  signature: string;
  /** The signature base string (RFC 5849 §3.4.1.1), exactly what was signed. */
  baseString: string;
  /** The normalized request parameters (RFC 5849 §3.4.1.3.2). */
  normalizedParameters: string;
  /** Every `oauth_*` parameter sent, `oauth_signature` included (values not encoded). */
  oauthParameters: Record<string, string>;
}

/** Every error code; codes are stable API. */
export type OAuthSignErrorCode =
  | 'INVALID_OPTIONS'
  | 'THREE_LEGGED_REQUIRED'
  | 'TWO_LEGGED_FORBIDDEN'
  | 'OUT_OF_SCOPE'
  | 'INVALID_URL'
  | 'INVALID_METHOD'
  | 'INVALID_ENCODING'
  | 'INVALID_PLACEMENT'
  | 'INVALID_TIMESTAMP'
  | 'INVALID_NONCE'
  | 'INVALID_BODY'
  | 'RANDOM_UNAVAILABLE';

/** The `Error` every function of this package throws. Its message never contains a secret. */
export interface OAuthSignError extends Error {
  name: 'OAuthSignError';
  code: OAuthSignErrorCode;
}

/** What `JSON.stringify(signer)` shows: no secret. */
export interface SignerJSON {
  consumerKey: string;
  mode: SignerMode;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = URLSearchParams)]
    type JsUrlSearchParams;
    #[wasm_bindgen(method, js_name = toString)]
    fn serialize(this: &JsUrlSearchParams) -> JsString;

    #[wasm_bindgen(js_name = URL)]
    type JsUrl;
    #[wasm_bindgen(method, getter)]
    fn href(this: &JsUrl) -> JsString;

    // The reflective calls on caller objects, with `catch`: a Proxy's trap may throw, and a JS
    // exception unwinding through wasm frames would leak the module's stack.
    #[wasm_bindgen(js_namespace = Object, js_name = entries, catch)]
    fn object_entries(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = getPrototypeOf, catch)]
    fn object_prototype(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn array_is_array(value: &JsValue) -> Result<bool, JsValue>;

    /// A JS string, seen through `String.prototype.isWellFormed`.
    type StringValue;
    #[wasm_bindgen(method, js_name = isWellFormed)]
    fn is_well_formed(this: &StringValue) -> bool;
}

/// An OAuth 1.0a HMAC-SHA1 signer for one consumer and, usually, one user.
///
/// `new Signer(options)` requires the user's `token` and `tokenSecret` (3-legged) and throws
/// `THREE_LEGGED_REQUIRED` without them. `twoLegged: true` is accepted only in a server
/// runtime. Use `Signer.forNewUser` to add users. The secrets cannot be read back:
/// `JSON.stringify(signer)` and `String(signer)` show only the consumer key and the mode.
#[wasm_bindgen]
pub struct Signer {
    inner: crate::Signer,
    nonces: RefCell<NoncePool>,
}

impl Signer {
    fn wrap(inner: crate::Signer) -> Signer {
        Signer {
            inner,
            nonces: RefCell::new(NoncePool::default()),
        }
    }
}

#[wasm_bindgen]
impl Signer {
    /// Builds a signer for one user. Throws an `OAuthSignError` (`THREE_LEGGED_REQUIRED`,
    /// `TWO_LEGGED_FORBIDDEN`, `INVALID_OPTIONS`, ...) when the options are not allowed.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SignerOptions")] options: JsValue,
    ) -> Result<Signer, JsValue> {
        let owned = OwnedOptions::read(&options).map_err(js_error)?;
        let inner = crate::Signer::new(&owned.borrow(), runtime()).map_err(js_error)?;
        Ok(Signer::wrap(inner))
    }

    /// The one consumer-only signer allowed everywhere: it signs only `POST` to a path ending
    /// in `/users`, `/accounts` or `/connect_tokens` (adding a user) and throws `OUT_OF_SCOPE`
    /// for anything else.
    #[wasm_bindgen(js_name = forNewUser)]
    pub fn for_new_user(
        #[wasm_bindgen(unchecked_param_type = "NewUserSignerOptions")] options: JsValue,
    ) -> Result<Signer, JsValue> {
        let owned = OwnedOptions::read(&options).map_err(js_error)?;
        let inner = crate::Signer::for_new_user(&owned.borrow()).map_err(js_error)?;
        Ok(Signer::wrap(inner))
    }

    /// Signs a request. The nonce (144 random bits) and timestamp (`Date.now()` plus
    /// `clockOffset`) are generated unless given. Throws an `OAuthSignError` on bad input.
    #[wasm_bindgen(js_name = signRequest, unchecked_return_type = "SignedRequest")]
    pub fn sign_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignableRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        sign_with(&self.inner, &request, Some(&self.nonces)).map_err(js_error)
    }

    /// `'three-legged'`, `'two-legged'` or `'new-user'`.
    #[wasm_bindgen(getter, unchecked_return_type = "SignerMode")]
    pub fn mode(&self) -> String {
        self.inner.mode().as_str().to_owned()
    }

    /// The consumer key (not a secret).
    #[wasm_bindgen(getter, js_name = consumerKey)]
    pub fn consumer_key(&self) -> String {
        self.inner.consumer_key().to_owned()
    }

    /// `{ consumerKey, mode }`: never a secret.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "SignerJSON")]
    pub fn to_json(&self) -> JsValue {
        let o = Object::new();
        set(&o, "consumerKey", &self.inner.consumer_key().into());
        set(&o, "mode", &self.inner.mode().as_str().into());
        o.into()
    }

    /// `Signer(consumerKey=..., mode=...)`: never a secret.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        let mut s = String::from("Signer(consumerKey=");
        s.push_str(self.inner.consumer_key());
        s.push_str(", mode=");
        s.push_str(self.inner.mode().as_str());
        s.push(')');
        s
    }
}

/// Signs one request with a signer built from `options` under the same rules as
/// `new Signer(options)` (3-legged unless `twoLegged` in a server runtime).
#[wasm_bindgen(js_name = signRequest, unchecked_return_type = "SignedRequest")]
pub fn sign_request(
    #[wasm_bindgen(unchecked_param_type = "SignerOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SignableRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    let owned = OwnedOptions::read(&options).map_err(js_error)?;
    let signer = crate::Signer::new(&owned.borrow(), runtime()).map_err(js_error)?;
    sign_with(&signer, &request, None).map_err(js_error)
}

/// Whether `value` is an error thrown by this package (an `OAuthSignError` with a `code`).
#[wasm_bindgen(js_name = isOAuthSignError, unchecked_return_type = "value is OAuthSignError")]
pub fn is_oauth_sign_error(
    #[wasm_bindgen(unchecked_param_type = "unknown")] value: &JsValue,
) -> bool {
    value.is_instance_of::<js_sys::Error>()
        && get(value, "name").as_string().as_deref() == Some(ERROR_NAME)
        && get(value, "code").is_string()
}

/// A bare HMAC-SHA1 key (pads precomputed, as in a `Signer`): `new BenchHmac(consumerSecret,
/// tokenSecret).sign(text)` is the benchmark's floor, one string in and one out. Only in builds
/// with the `bench` feature, never in the shipped package.
#[cfg(feature = "bench")]
#[wasm_bindgen]
pub struct BenchHmac {
    key: crate::hmac_sha1::SigningKey,
}

#[cfg(feature = "bench")]
#[wasm_bindgen]
impl BenchHmac {
    /// Precomputes the key `enc(consumerSecret)&enc(tokenSecret)`.
    #[wasm_bindgen(constructor)]
    pub fn new(consumer_secret: &str, token_secret: &str) -> BenchHmac {
        BenchHmac {
            key: crate::hmac_sha1::SigningKey::new(consumer_secret, token_secret),
        }
    }

    /// The base64 HMAC-SHA1 of `text`.
    pub fn sign(&self, text: &str) -> String {
        self.key.sign(text)
    }
}

const ERROR_NAME: &str = "OAuthSignError";

/// Maps a core error to a JS `Error` with `name` `OAuthSignError` and a stable `code`.
fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(e.message());
    err.set_name(ERROR_NAME);
    set(&err, "code", &e.code().into());
    err.into()
}

/// Declares JS strings made once on the JS side and reused. (A macro, because rustfmt cannot
/// parse the initializers of wasm-bindgen's `static_string` statics and would drop them.)
macro_rules! js_strings {
    ($($name:ident = $value:tt),* $(,)?) => {
        #[wasm_bindgen]
        extern "C" {
            $(
                #[wasm_bindgen(thread_local_v2, static_string)]
                static $name: JsString = $value;
            )*
        }
    };
}

// The property names read from options and requests: converting a name on every read would
// cost more than the read.
js_strings! {
    CONSUMER_KEY = "consumerKey",
    CONSUMER_SECRET = "consumerSecret",
    TOKEN = "token",
    TOKEN_SECRET = "tokenSecret",
    TWO_LEGGED = "twoLegged",
    REALM = "realm",
    PLACEMENT = "placement",
    CLOCK_OFFSET = "clockOffset",
    METHOD = "method",
    URL = "url",
    QUERY = "query",
    BODY = "body",
    CONTENT_TYPE = "contentType",
    NONCE = "nonce",
    TIMESTAMP = "timestamp",
    INCLUDE_VERSION = "includeVersion",
}

type Key = &'static wasm_bindgen::JsThreadLocal<JsString>;

/// `obj[key]`, or `undefined` when reading it throws (a throwing getter or proxy).
fn field(obj: &JsValue, key: Key) -> JsValue {
    key.with(|k| Reflect::get(obj, k).unwrap_or(JsValue::UNDEFINED))
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(obj: &JsValue, key: &str, value: &JsValue) {
    // Setting a fresh plain object's own property cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn is_absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// A JS string as Rust, refusing lone UTF-16 surrogates (which would otherwise be replaced by
/// U+FFFD and signed as a different value).
fn js_to_string(v: &JsValue) -> Option<Result<String, Error>> {
    let s = v.as_string()?;
    if s.contains('\u{FFFD}') && !v.unchecked_ref::<StringValue>().is_well_formed() {
        return Some(Err(Error::InvalidEncoding(
            "a string contains a lone UTF-16 surrogate, which has no UTF-8 encoding",
        )));
    }
    Some(Ok(s))
}

/// An optional string field: `None` when absent, `wrong_type` when not a string.
fn opt_string(obj: &JsValue, key: Key, wrong_type: Error) -> Result<Option<String>, Error> {
    let v = field(obj, key);
    if is_absent(&v) {
        return Ok(None);
    }
    js_to_string(&v).ok_or(wrong_type)?.map(Some)
}

fn opt_bool(obj: &JsValue, key: Key, wrong_type: Error) -> Result<Option<bool>, Error> {
    let v = field(obj, key);
    if is_absent(&v) {
        return Ok(None);
    }
    v.as_bool().map(Some).ok_or(wrong_type)
}

fn opt_placement(obj: &JsValue) -> Result<Option<Placement>, Error> {
    let wrong = Error::InvalidPlacement("placement must be 'header', 'query' or 'body'");
    opt_string(obj, &PLACEMENT, wrong)?
        .map(|p| Placement::parse(&p))
        .transpose()
}

/// The most seconds a clock offset may shift the clock (ten years).
const MAX_CLOCK_OFFSET: f64 = 10.0 * 366.0 * 86_400.0;

struct OwnedOptions {
    consumer_key: String,
    consumer_secret: String,
    token: Option<String>,
    token_secret: Option<String>,
    two_legged: bool,
    realm: Option<String>,
    placement: Placement,
    clock_offset: i64,
}

impl OwnedOptions {
    fn read(v: &JsValue) -> Result<OwnedOptions, Error> {
        if !v.is_object() {
            return Err(Error::InvalidOptions(
                "options must be an object with consumerKey and consumerSecret",
            ));
        }
        let string = |key, msg| opt_string(v, key, Error::InvalidOptions(msg));
        let clock_offset = field(v, &CLOCK_OFFSET);
        let clock_offset = if is_absent(&clock_offset) {
            0
        } else {
            match clock_offset.as_f64() {
                Some(n) if n.abs() <= MAX_CLOCK_OFFSET && n == (n as i64) as f64 => n as i64,
                _ => return Err(Error::InvalidOptions(
                    "clockOffset must be a whole number of seconds, at most ten years either way",
                )),
            }
        };
        Ok(OwnedOptions {
            consumer_key: string(&CONSUMER_KEY, "consumerKey must be a string")?
                .unwrap_or_default(),
            consumer_secret: string(&CONSUMER_SECRET, "consumerSecret must be a string")?
                .unwrap_or_default(),
            token: string(&TOKEN, "token must be a string")?,
            token_secret: string(&TOKEN_SECRET, "tokenSecret must be a string")?,
            two_legged: opt_bool(
                v,
                &TWO_LEGGED,
                Error::InvalidOptions("twoLegged must be a boolean"),
            )?
            .unwrap_or(false),
            realm: string(&REALM, "realm must be a string")?,
            placement: opt_placement(v)?.unwrap_or_default(),
            clock_offset,
        })
    }

    fn borrow(&self) -> SignerOptions<'_> {
        SignerOptions {
            consumer_key: &self.consumer_key,
            consumer_secret: &self.consumer_secret,
            token: self.token.as_deref(),
            token_secret: self.token_secret.as_deref(),
            two_legged: self.two_legged,
            realm: self.realm.as_deref(),
            placement: self.placement,
            clock_offset: self.clock_offset,
        }
    }
}

enum OwnedBody {
    None,
    Text(String),
    Pairs(Vec<(String, String)>),
    Form(String),
}

/// Reads `Record<string, ParamValue | ParamValue[]>` or `URLSearchParams` into pairs.
fn read_params(v: &JsValue, wrong_type: Error) -> Result<Vec<(String, String)>, Error> {
    if let Some(usp) = v.dyn_ref::<JsUrlSearchParams>() {
        let form = String::from(usp.serialize());
        return parse_form(&form, "URLSearchParams could not be read");
    }
    if !is_plain_object(v) {
        return Err(wrong_type);
    }
    let mut pairs = Vec::new();
    for entry in object_entries(v).map_err(|_| wrong_type)?.iter() {
        let entry: Array = entry.unchecked_into();
        let name = js_to_string(&entry.get(0)).ok_or(wrong_type)??;
        let value = entry.get(1);
        if array_is_array(&value).map_err(|_| wrong_type)? {
            for item in value.unchecked_ref::<Array>().iter() {
                pairs.push((name.clone(), param_value(&item, wrong_type)?));
            }
        } else if !is_absent(&value) {
            pairs.push((name, param_value(&value, wrong_type)?));
        }
    }
    Ok(pairs)
}

fn param_value(v: &JsValue, wrong_type: Error) -> Result<String, Error> {
    if let Some(s) = js_to_string(v) {
        return s;
    }
    if let Some(b) = v.as_bool() {
        return Ok(if b { "true" } else { "false" }.to_owned());
    }
    if v.as_f64().is_some_and(f64::is_finite) {
        // Number.prototype.toString(10) is exactly String(n), as URLSearchParams writes it.
        return js_sys::Number::unchecked_from_js_ref(v)
            .to_string_with_radix(10)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or(wrong_type);
    }
    Err(wrong_type)
}

/// Whether `v` is a plain object (`{...}` or `Object.create(null)`), not a Map, a class
/// instance or an array, whose entries would silently be something else.
fn is_plain_object(v: &JsValue) -> bool {
    if !v.is_object() {
        return false;
    }
    let Ok(proto) = object_prototype(v) else {
        return false;
    };
    let plain: JsValue = Object::get_prototype_of(&Object::new()).into();
    proto.is_null() || proto == plain
}

fn read_body(v: &JsValue) -> Result<OwnedBody, Error> {
    if is_absent(v) {
        return Ok(OwnedBody::None);
    }
    if let Some(s) = js_to_string(v) {
        return Ok(OwnedBody::Text(s?));
    }
    let wrong = Error::InvalidBody(
        "body must be a string, URLSearchParams or a plain object of strings (binary and multipart bodies cannot be signed)",
    );
    if let Some(usp) = v.dyn_ref::<JsUrlSearchParams>() {
        return Ok(OwnedBody::Form(String::from(usp.serialize())));
    }
    if !is_plain_object(v) {
        return Err(wrong);
    }
    read_params(v, wrong).map(OwnedBody::Pairs)
}

fn read_timestamp(v: &JsValue) -> Result<Option<u64>, Error> {
    const MSG: &str = "timestamp must be a whole number of seconds since the epoch, not negative";
    if is_absent(v) {
        return Ok(None);
    }
    if let Some(n) = v.as_f64() {
        return if (0.0..=9_007_199_254_740_991.0).contains(&n) && n == (n as u64) as f64 {
            Ok(Some(n as u64))
        } else {
            Err(Error::InvalidTimestamp(MSG))
        };
    }
    if let Some(s) = v.as_string() {
        if !s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit()) {
            return s
                .parse()
                .map(Some)
                .map_err(|_| Error::InvalidTimestamp(MSG));
        }
    }
    Err(Error::InvalidTimestamp(MSG))
}

fn sign_with(
    signer: &crate::Signer,
    request: &JsValue,
    nonces: Option<&RefCell<NoncePool>>,
) -> Result<JsValue, Error> {
    if !request.is_object() {
        return Err(Error::InvalidOptions(
            "request must be an object with method and url",
        ));
    }
    let method = opt_string(request, &METHOD, Error::InvalidMethod)?.ok_or(Error::InvalidMethod)?;
    let url_value = field(request, &URL);
    let url = if let Some(u) = url_value.dyn_ref::<JsUrl>() {
        String::from(u.href())
    } else {
        js_to_string(&url_value).ok_or(Error::InvalidUrl(
            "url must be a string (an absolute http or https url)",
        ))??
    };
    let query_value = field(request, &QUERY);
    let query = if is_absent(&query_value) {
        Vec::new()
    } else {
        read_params(
            &query_value,
            Error::InvalidOptions("query must be URLSearchParams or an object of strings, numbers, booleans or arrays of them"),
        )?
    };
    let body = read_body(&field(request, &BODY))?;
    let content_type = opt_string(
        request,
        &CONTENT_TYPE,
        Error::InvalidBody("contentType must be a string"),
    )?;
    let placement = opt_placement(request)?;
    let realm = opt_string(
        request,
        &REALM,
        Error::InvalidOptions("realm must be a string"),
    )?;
    let nonce = opt_string(
        request,
        &NONCE,
        Error::InvalidNonce("nonce must be a string"),
    )?;
    let timestamp = read_timestamp(&field(request, &TIMESTAMP))?;
    let include_version = opt_bool(
        request,
        &INCLUDE_VERSION,
        Error::InvalidOptions("includeVersion must be a boolean"),
    )?
    .unwrap_or(true);

    let nonce = match (nonce, nonces) {
        (Some(n), _) => n,
        // A failed borrow cannot happen (no re-entry from JS while signing); fall back anyway.
        (None, Some(pool)) => match pool.try_borrow_mut() {
            Ok(mut pool) => pool.next_nonce()?,
            Err(_) => random_nonce()?,
        },
        (None, None) => random_nonce()?,
    };
    let timestamp = match timestamp {
        Some(t) => t,
        None => signer.timestamp_at((js_sys::Date::now() as i64).div_euclid(1000))?,
    };
    let core_request = Request {
        method: &method,
        url: &url,
        query: &query,
        body: match &body {
            OwnedBody::None => Body::None,
            OwnedBody::Text(s) => Body::Text(s),
            OwnedBody::Pairs(p) => Body::Pairs(p),
            OwnedBody::Form(s) => Body::Form(s),
        },
        content_type: content_type.as_deref(),
        placement,
        realm: realm.as_deref(),
        include_version,
    };
    let signed = signer.sign(&core_request, &nonce, timestamp)?;
    Ok(to_js(signed))
}

/// Builds the `SignedRequest` object. All its strings cross the boundary as one JSON text that
/// `JSON.parse` turns into the object: one string conversion instead of one per field, which
/// is most of the cost of a signature otherwise.
fn to_js(signed: SignedRequest) -> JsValue {
    let mut json = String::with_capacity(
        256 + signed.url.len()
            + 2 * signed.base_string.len()
            + signed.body.as_ref().map_or(0, String::len),
    );
    json.push_str("{\"method\":");
    push_json_ascii(&mut json, &signed.method);
    json.push_str(",\"url\":");
    push_json_ascii(&mut json, &signed.url);
    json.push_str(",\"headers\":{");
    if let Some(auth) = &signed.authorization {
        json.push_str("\"Authorization\":");
        push_json_str(&mut json, auth);
    }
    if let Some(ct) = &signed.content_type {
        if signed.authorization.is_some() {
            json.push(',');
        }
        json.push_str("\"Content-Type\":");
        push_json_str(&mut json, ct);
    }
    json.push('}');
    if let Some(body) = &signed.body {
        json.push_str(",\"body\":");
        push_json_str(&mut json, body);
    }
    json.push_str(",\"signature\":");
    push_json_ascii(&mut json, &signed.signature);
    json.push_str(",\"baseString\":");
    push_json_ascii(&mut json, &signed.base_string);
    json.push_str(",\"normalizedParameters\":");
    push_json_ascii(&mut json, &signed.normalized_parameters);
    json.push_str(",\"oauthParameters\":{");
    for (i, (name, value)) in signed.oauth_parameters.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        push_json_str(&mut json, name);
        json.push(':');
        push_json_str(&mut json, value);
    }
    json.push_str("}}");
    // The text is well-formed JSON by construction; parse cannot fail.
    js_sys::JSON::parse(&json).unwrap_or(JsValue::UNDEFINED)
}

/// Appends `s`, known to need no JSON escaping, as a JSON string literal. Used for the fields
/// made only of percent-encoded text (method, URL, signature, base string, parameters), which
/// never contain `"`, `\\` or control characters; anything else goes through
/// [`push_json_str`]. A debug build checks the claim.
fn push_json_ascii(out: &mut String, s: &str) {
    debug_assert!(
        !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20),
        "{s}"
    );
    out.push('"');
    out.push_str(s);
    out.push('"');
}

/// Appends `s` as a JSON string literal (RFC 8259 §7).
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        if b == b'"' || b == b'\\' || b < 0x20 {
            out.push_str(&s[start..i]);
            out.push('\\');
            match b {
                b'"' | b'\\' => out.push(b as char),
                _ => {
                    out.push_str("u00");
                    out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
                    out.push(char::from(b"0123456789abcdef"[usize::from(b & 0xF)]));
                }
            }
            start = i + 1;
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Where this module runs. A server runtime is detected positively (Node, Deno, Bun) and only
/// when no page, worker or extension API is present; anything else is a browser.
fn runtime() -> Runtime {
    let g: JsValue = js_sys::global().into();
    let has = |key: &str| !is_absent(&get(&g, key));
    let browser_like = has("document")
        || has("window")
        || has("WorkerGlobalScope")
        || has("importScripts")
        || !is_absent(&get(&get(&g, "chrome"), "runtime"))
        || !is_absent(&get(&get(&g, "browser"), "runtime"));
    if browser_like {
        return Runtime::Browser;
    }
    let process_versions = get(&get(&g, "process"), "versions");
    let node =
        get(&process_versions, "node").is_string() || get(&process_versions, "bun").is_string();
    let deno = get(&get(&g, "Deno"), "version").is_object();
    if node || deno {
        Runtime::Server
    } else {
        Runtime::Browser
    }
}
