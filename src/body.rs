//! Which bodies are parameter sources.
//!
//! Implements the body rule of
//! [RFC 5849 §3.4.1.3.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.3.1): an entity
//! body is signed only when it is single-part, form-encoded, and its `Content-Type` is
//! `application/x-www-form-urlencoded`. Bodies the signer form-encodes itself (pairs, and
//! `URLSearchParams` text) always are; a string is only with that content type; JSON or any
//! other body never is. A body on `GET` or `HEAD`, which `fetch` refuses to send, is an error.

use crate::encoding::is_form_content_type;
use crate::error::Error;
use crate::request::Body;

/// The media type of a form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// What the body rule decided for one request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyPlan<'a> {
    /// The `Content-Type` header to send, if any.
    pub content_type: Option<&'a str>,
    /// Whether a body is sent.
    pub present: bool,
    /// Whether the body's parameters are signed (and the protocol parameters may go in it).
    pub form: bool,
}

/// Applies the body rule to a request's body, content type and method (any case).
///
/// # Errors
///
/// [`Error::InvalidBody`] for a content type with control characters, a pairs or form body
/// declared as something other than a form, or a body on `GET` or `HEAD`.
pub(crate) fn plan<'a>(
    body: &Body<'_>,
    content_type: Option<&'a str>,
    method: &str,
) -> Result<BodyPlan<'a>, Error> {
    let content_type = match content_type {
        Some(ct) => header_value(ct)?,
        None => None,
    };
    let plan = match body {
        Body::None => BodyPlan {
            content_type,
            present: false,
            form: false,
        },
        Body::Text(_) => BodyPlan {
            content_type,
            present: true,
            form: content_type.is_some_and(is_form_content_type),
        },
        Body::Pairs(_) | Body::Form(_) => {
            if content_type.is_some_and(|ct| !is_form_content_type(ct)) {
                return Err(Error::InvalidBody(
                    "a body of pairs is form-encoded: its content type must be application/x-www-form-urlencoded or left out",
                ));
            }
            BodyPlan {
                content_type: Some(content_type.unwrap_or(FORM_CONTENT_TYPE)),
                present: true,
                form: true,
            }
        }
    };
    if plan.present && (method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD")) {
        return Err(Error::InvalidBody(
            "GET and HEAD requests cannot have a body",
        ));
    }
    Ok(plan)
}

/// A header value as `fetch` sends it: leading and trailing HTTP whitespace (space, tab, CR,
/// LF) removed, `None` when nothing is left.
///
/// # Errors
///
/// [`Error::InvalidBody`] for a control character inside the value, which `fetch` refuses.
fn header_value(value: &str) -> Result<Option<&str>, Error> {
    let trimmed = crate::encoding::trim_http_whitespace(value);
    if trimmed
        .bytes()
        .any(|b| (b < 0x20 && b != b'\t') || b == 0x7F)
    {
        return Err(Error::InvalidBody(
            "the content type must be a valid header value (no control characters)",
        ));
    }
    Ok((!trimmed.is_empty()).then_some(trimmed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_rule() {
        let pairs = [("a", "b")];
        let p = plan(&Body::Pairs(&pairs), None, "POST").unwrap();
        assert_eq!(
            (p.content_type, p.present, p.form),
            (Some(FORM_CONTENT_TYPE), true, true)
        );
        let p = plan(&Body::Text("{}"), Some("application/json"), "POST").unwrap();
        assert_eq!((p.present, p.form), (true, false));
        let p = plan(
            &Body::Text("a=b"),
            Some(" Application/x-www-form-urlencoded; charset=UTF-8\r\n"),
            "PUT",
        )
        .unwrap();
        assert_eq!(
            (p.content_type, p.form),
            (
                Some("Application/x-www-form-urlencoded; charset=UTF-8"),
                true
            )
        );
        let p = plan(&Body::Text("a=b"), None, "POST").unwrap();
        assert!(
            !p.form,
            "a string without a form content type is not signed"
        );
        let p = plan(&Body::None, Some("  "), "GET").unwrap();
        assert_eq!((p.content_type, p.present), (None, false));
    }

    #[test]
    fn refusals() {
        let code = |r: Result<BodyPlan<'_>, Error>| r.unwrap_err().code();
        assert_eq!(code(plan(&Body::Text("x"), None, "GET")), "INVALID_BODY");
        assert_eq!(code(plan(&Body::Form("a=b"), None, "HEAD")), "INVALID_BODY");
        assert_eq!(
            code(plan(&Body::Form("a=b"), Some("application/json"), "POST")),
            "INVALID_BODY"
        );
        assert_eq!(
            code(plan(&Body::None, Some("text/plain\0"), "POST")),
            "INVALID_BODY"
        );
    }
}
