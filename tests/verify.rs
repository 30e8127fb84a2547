//! Tier 1: the verifier (`contextio_signer::verify`) against signatures it did not make:
//!
//! - every published vector (`../shared/vectors/published.json` and `methods.json`), read back
//!   as the server receives it (the Authorization header written here from the vector), verifies
//!   with the vector's secrets, and refuses with `signature_invalid` under another secret;
//! - requests signed by oauthlib's own client (`tests/oauthlib/clients_sign.py`, Debian's
//!   python3-oauthlib), for every method and for the header, query and body, with callbacks and
//!   verifiers, verify; changed by one value, they are refused.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use contextio_signer::verify::{self, Policy, Received, Refusal, Verified};
use contextio_signer::SignatureMethod;
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

fn enc(s: &str) -> String {
    common::rfc3986(s.as_bytes())
}

fn run(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    now: u64,
    cs: &str,
    ts: Option<&str>,
) -> Result<Verified, Refusal> {
    let policy = Policy {
        now,
        signature_methods: &SignatureMethod::ALL,
        require_token: false,
        ..Policy::default()
    };
    verify::verify(
        &Received {
            method,
            url,
            headers,
            body,
        },
        &policy,
        |_| Some(cs.to_owned()),
        |_, _| ts.map(str::to_owned),
        |_, _, _, _| true,
    )
}

#[test]
fn every_published_vector_verifies() {
    let mut count = 0;
    for v in common::vectors()
        .into_iter()
        .chain(common::method_vectors())
    {
        let what = common::describe(&v);
        let field = |k| common::field(&v, k);
        let mut oauth: Vec<(&str, String)> = vec![
            (
                "oauth_consumer_key",
                common::required(&v, "consumerKey").to_owned(),
            ),
            ("oauth_nonce", common::nonce(&v).to_owned()),
            (
                "oauth_signature_method",
                field("signatureMethod").unwrap_or("HMAC-SHA1").to_owned(),
            ),
            ("oauth_timestamp", common::timestamp(&v).to_string()),
            ("oauth_signature", common::signature(&v).to_owned()),
        ];
        for (name, key) in [
            ("oauth_token", "token"),
            ("oauth_callback", "callback"),
            ("oauth_verifier", "verifier"),
            ("oauth_body_hash", "bodyHash"),
        ] {
            if let Some(x) = field(key) {
                oauth.push((name, x.to_owned()));
            }
        }
        if v.get("version") != Some(&Value::Bool(false)) {
            oauth.push(("oauth_version", "1.0".to_owned()));
        }
        let header = format!(
            "OAuth realm=\"{}\", {}",
            field("realm").unwrap_or("r"),
            oauth
                .iter()
                .map(|(n, x)| format!("{n}=\"{}\"", enc(x)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let form: String = common::form(&v)
            .iter()
            .map(|(n, x)| format!("{}={}", enc(n), enc(x)))
            .collect::<Vec<_>>()
            .join("&");
        let (body, content_type) = match field("body") {
            Some(b) => (b.to_owned(), field("contentType")),
            None if !form.is_empty() => (form, Some("application/x-www-form-urlencoded")),
            None => (String::new(), None),
        };
        let mut headers = vec![("Authorization", header.as_str())];
        if let Some(ct) = content_type {
            headers.push(("Content-Type", ct));
        }
        let now = common::timestamp(&v);
        let cs = common::required(&v, "consumerSecret");
        let ts = field("tokenSecret");
        let method = common::required(&v, "method");
        let url = common::required(&v, "url");
        let verified = run(method, url, &headers, body.as_bytes(), now, cs, ts)
            .unwrap_or_else(|r| panic!("{what}: refused: {r:?}"));
        assert_eq!(
            verified.consumer_key,
            common::required(&v, "consumerKey"),
            "{what}"
        );
        let wrong = run(
            method,
            url,
            &headers,
            body.as_bytes(),
            now,
            &format!("{cs}x"),
            ts,
        )
        .unwrap_err();
        assert_eq!(wrong.oauth_problem(), "signature_invalid", "{what}");
        count += 1;
    }
    assert!(count >= 22, "{count} vectors");
}

#[test]
fn oauthlib_signs_and_the_verifier_verifies() {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/oauthlib/clients_sign.py"
    );
    let mut child = Command::new("/usr/bin/python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("/usr/bin/python3 with oauthlib (scripts/setup.sh installs it)");
    let mut cases = Vec::new();
    for method in ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"] {
        for kind in ["AUTH_HEADER", "QUERY", "BODY"] {
            for k in 0..4 {
                // oauthlib's own quirk: it decodes an oauth_ value from the query or the body a
                // second time, so there the values hold nothing that needs encoding.
                let odd = kind == "AUTH_HEADER";
                cases.push(json!({
                    "method": "POST",
                    "url": if k % 2 == 0 { "https://api.example.com/lite/users?a=1&b=x%20y" } else { "https://api.example.com:8443/p/%C3%A9" },
                    "body": if k == 3 && kind != "BODY" { Value::Null } else { json!("c=2&d=%C3%A9&d=") },
                    "contentType": if k == 3 && kind != "BODY" { Value::Null } else { json!("application/x-www-form-urlencoded") },
                    "signatureMethod": method,
                    "signatureType": kind,
                    "consumerKey": "ck0123456789abcdefgh",
                    "consumerSecret": if odd { "cs é&+" } else { "cs0123" },
                    "token": if k == 2 { Value::Null } else { json!("tok0123456789abcdefgh") },
                    "tokenSecret": if k == 2 { Value::Null } else if odd { json!("ts/1") } else { json!("ts1") },
                    "callback": if k == 2 { json!(if odd { "https://app.example/cb?x=1" } else { "oob" }) } else { Value::Null },
                    "verifier": if k == 1 { json!("verifier0123456789ab") } else { Value::Null },
                    "timestamp": "1700000000",
                    "nonce": format!("nonce{k}abcdefghijklmnop"),
                }));
            }
        }
    }
    let input: String = cases.iter().map(|c| format!("{c}\n")).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let signed: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(signed.len(), cases.len());
    let mut compared = 0;
    for (case, s) in cases.iter().zip(&signed) {
        let what = format!("{} {}", case["signatureMethod"], case["signatureType"]);
        let headers: Vec<(&str, &str)> = s["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str().unwrap()))
            .collect();
        let body = s["body"].as_str().unwrap_or("");
        let url = s["url"].as_str().unwrap();
        let cs = case["consumerSecret"].as_str().unwrap();
        let ts = case["tokenSecret"].as_str();
        let v = run(
            "POST",
            url,
            &headers,
            body.as_bytes(),
            1_700_000_000,
            cs,
            ts,
        )
        .unwrap_or_else(|r| panic!("{what}: refused {r:?}: {s}"));
        assert_eq!(
            v.signature_method.as_str(),
            case["signatureMethod"],
            "{what}"
        );
        assert_eq!(v.token.as_deref(), case["token"].as_str(), "{what}");
        // One value changed in the body or the query: refused (PLAINTEXT signs no value).
        if case["signatureMethod"] == "PLAINTEXT" {
            continue;
        }
        let changed_url = url.replace("a=1", "a=3");
        let (u, b) = if changed_url != url {
            (changed_url, body.to_owned())
        } else if body.contains("c=2") {
            (url.to_owned(), body.replace("c=2", "c=3"))
        } else {
            (url.replace("/p/", "/q/"), body.to_owned())
        };
        assert!(u != url || b != body, "{what}: nothing to change");
        let r = run("POST", &u, &headers, b.as_bytes(), 1_700_000_000, cs, ts).unwrap_err();
        assert_eq!(r.oauth_problem(), "signature_invalid", "{what}");
        compared += 1;
    }
    assert!(compared >= 30, "{compared} mutations refused");
}

proptest::proptest! {
    /// Any text as the Authorization header, the query and the body: a verdict, never a panic;
    /// a refusal is 400 or 401 and says its problem in both forms.
    #[test]
    fn any_input_gets_a_verdict(header in ".{0,200}", query in "[a-z_=&%+0-9A-F]{0,80}", body in proptest::collection::vec(proptest::num::u8::ANY, 0..120), oauth in proptest::bool::ANY) {
        let header = if oauth { format!("OAuth {header}") } else { header };
        let url = format!("https://h.example/x?{query}");
        let headers = [("Authorization", header.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
        match run("POST", &url, &headers, &body, 1_700_000_000, "cs", Some("ts")) {
            Ok(_) => {}
            Err(r) => {
                proptest::prop_assert!(r.status == 400 || r.status == 401);
                proptest::prop_assert!(r.challenge("r").contains(r.oauth_problem()));
                proptest::prop_assert!(r.form_body().starts_with("oauth_problem="));
            }
        }
    }
}
