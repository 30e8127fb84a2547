//! What is signed and what comes back: [`Request`], [`Body`] and [`SignedRequest`].

use crate::placement::Placement;
use crate::protocol::PROTOCOL_LEN;
use crate::signature::SignatureMethod;
use alloc::string::String;
use core::ops::Range;

/// A request body.
#[derive(Debug, Clone, Copy, Default)]
pub enum Body<'a> {
    /// No body.
    #[default]
    None,
    /// A string sent as it is. Its parameters are signed only when the request's content type
    /// is `application/x-www-form-urlencoded` (RFC 5849 §3.4.1.3.1).
    Text(&'a str),
    /// Name/value pairs, form-encoded by the signer (a space is `%20`) and signed.
    Pairs(&'a [(&'a str, &'a str)]),
    /// An already form-encoded string (such as `URLSearchParams#toString()`), sent as it is
    /// and signed as a form body.
    Form(&'a str),
}

/// A request to sign.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The HTTP method, any case (sent upper case).
    pub method: &'a str,
    /// An absolute `http(s)` URL, possibly with a query (form-decoded for signing: `+` is a
    /// space).
    pub url: &'a str,
    /// Extra query parameters, appended to the URL percent-encoded (a space is `%20`).
    pub query: &'a [(&'a str, &'a str)],
    /// More extra query parameters as a form-encoded string (such as
    /// `URLSearchParams#toString()`): decoded (`+` is a space) and appended after `query`,
    /// percent-encoded like them.
    pub query_form: Option<&'a str>,
    /// The body.
    pub body: Body<'a>,
    /// The `Content-Type` of the body.
    pub content_type: Option<&'a str>,
    /// Overrides the signer's placement.
    pub placement: Option<Placement>,
    /// Overrides the signer's realm.
    pub realm: Option<&'a str>,
    /// Whether `oauth_version=1.0` is sent (default `true`).
    pub include_version: bool,
    /// `oauth_callback` (RFC 5849 §2.1), for a temporary-credentials request: an absolute URL
    /// or `oob`. Sent and signed with the other protocol parameters.
    pub callback: Option<&'a str>,
    /// `oauth_verifier` (RFC 5849 §2.3), for a token-credentials request, signed with the
    /// temporary credentials as the token. Sent and signed with the other protocol parameters.
    pub verifier: Option<&'a str>,
    /// Whether `oauth_body_hash` is sent (draft-eaton-oauth-bodyhash): the base64 of the
    /// signature method's hash of the body bytes (of the empty string without a body). Not for
    /// form bodies, nor with PLAINTEXT.
    pub body_hash: bool,
}

impl<'a> Request<'a> {
    /// A request with no query, no body and the defaults.
    pub fn new(method: &'a str, url: &'a str) -> Request<'a> {
        Request {
            method,
            url,
            query: &[],
            query_form: None,
            body: Body::None,
            content_type: None,
            placement: None,
            realm: None,
            include_version: true,
            callback: None,
            verifier: None,
            body_hash: false,
        }
    }
}

/// A signed request: what to hand to `fetch` (or any HTTP client), plus what was signed.
///
/// Every part lives in one buffer; the accessors borrow from it.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub(crate) text: String,
    pub(crate) method: Range<usize>,
    pub(crate) url: Range<usize>,
    pub(crate) authorization: Option<Range<usize>>,
    pub(crate) content_type: Option<Range<usize>>,
    pub(crate) body: Option<Range<usize>>,
    pub(crate) signature: Range<usize>,
    pub(crate) base_string: Range<usize>,
    pub(crate) normalized: Range<usize>,
    /// The protocol parameters in name order: name and the span of the value.
    pub(crate) oauth: [(&'static str, Range<usize>); PROTOCOL_LEN],
    pub(crate) oauth_len: usize,
    pub(crate) signature_method: SignatureMethod,
}

impl SignedRequest {
    fn part(&self, r: &Range<usize>) -> &str {
        self.text.get(r.clone()).unwrap_or_default()
    }

    /// The upper-case method.
    pub fn method(&self) -> &str {
        self.part(&self.method)
    }

    /// The URL to fetch: the query added, and the protocol parameters for query placement.
    pub fn url(&self) -> &str {
        self.part(&self.url)
    }

    /// The `Authorization` header value, for header placement.
    pub fn authorization(&self) -> Option<&str> {
        self.authorization.as_ref().map(|r| self.part(r))
    }

    /// The `Content-Type` header value, when the request has a body with a content type.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_ref().map(|r| self.part(r))
    }

    /// The body to send (with the protocol parameters for body placement).
    pub fn body(&self) -> Option<&str> {
        self.body.as_ref().map(|r| self.part(r))
    }

    /// The signature: the base64 HMAC for the HMAC methods, the encoded secrets themselves for
    /// PLAINTEXT.
    pub fn signature(&self) -> &str {
        self.part(&self.signature)
    }

    /// The signature method that signed.
    pub fn signature_method(&self) -> SignatureMethod {
        self.signature_method
    }

    /// The signature base string (RFC 5849 §3.4.1.1), exactly what was signed (for PLAINTEXT,
    /// which signs no text, the base string an HMAC method would have signed).
    pub fn base_string(&self) -> &str {
        self.part(&self.base_string)
    }

    /// The normalized request parameters (RFC 5849 §3.4.1.3.2).
    pub fn normalized_parameters(&self) -> &str {
        self.part(&self.normalized)
    }

    /// Every protocol parameter sent, `oauth_signature` included, in name order, with its
    /// value not percent-encoded.
    pub fn oauth_parameters(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.oauth
            .iter()
            .take(self.oauth_len)
            .map(|(name, r)| (*name, self.part(r)))
    }

    /// The value of one protocol parameter, such as `"oauth_nonce"`.
    pub fn oauth_parameter(&self, name: &str) -> Option<&str> {
        self.oauth_parameters()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

/// A PLAINTEXT signature is the secrets: the parts that carry it show `<hidden>`.
impl core::fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let secret = self.signature_method == SignatureMethod::Plaintext;
        // The signature as sent: percent-encoded in the header, the query and a form body.
        let sent = secret.then(|| crate::encoding::percent_encode(self.signature()));
        fn show<'p>(sent: &Option<String>, part: Option<&'p str>) -> Option<&'p str> {
            match (sent, part) {
                (Some(sig), Some(p)) if p.contains(sig.as_str()) => Some("<hidden>"),
                _ => part,
            }
        }
        let show = |part| show(&sent, part);
        f.debug_struct("SignedRequest")
            .field("method", &self.method())
            .field("url", &show(Some(self.url())))
            .field("authorization", &show(self.authorization()))
            .field("content_type", &self.content_type())
            .field("body", &show(self.body()))
            .field("signature_method", &self.signature_method.as_str())
            .field(
                "signature",
                &if secret { "<hidden>" } else { self.signature() },
            )
            .field("base_string", &self.base_string())
            .finish_non_exhaustive()
    }
}
