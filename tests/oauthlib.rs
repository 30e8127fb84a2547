//! Tier 1 against the second referee: requests signed natively by the core, for every signature
//! method and placement, with callbacks, verifiers and body hashes, handed as they would be sent
//! to oauthlib's own server-side code (`tests/oauthlib/oracle.py`, Debian's python3-oauthlib,
//! which scripts/setup.sh installs), which must verify each signature and body hash. Where
//! oauthlib is known to read a request otherwise than RFC 5849 (it says so: "quirks"), the case
//! is counted, not compared; most cases must be compared.
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine as _;
use contextio_signer::{Body, Placement, Request, Runtime, SignatureMethod, Signer, SignerOptions};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const PYTHON: &str = "/usr/bin/python3";

/// A small deterministic generator (a 64-bit LCG): the same cases at every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const VALUES: [&str; 8] = ["plain", "a b", "a+b", "x=y&z", "é😀", "!*'()", "~-._", ""];
const NAMES: [&str; 5] = ["q", "name with space", "ä", "a[b]", "status"];

struct Case {
    method: SignatureMethod,
    mode: u8,
    placement: Placement,
    callback: Option<&'static str>,
    verifier: Option<&'static str>,
    text_body: Option<&'static str>,
    body_hash: bool,
    query: Vec<(&'static str, &'static str)>,
    form: Vec<(&'static str, &'static str)>,
}

fn cases() -> Vec<Case> {
    let mut rng = Rng(22);
    let mut out = Vec::new();
    for method in SignatureMethod::ALL {
        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            for k in 0..12 {
                // 3-legged, 2-legged, or the consumer-only signer's temporary-credentials POST.
                let mode = *rng.pick(b"332n");
                let text_body = (placement != Placement::Body && k % 3 == 0)
                    .then(|| *rng.pick(&["{\"a\": 1}", "<x>é</x>", "plain text", ""]));
                let body_hash = text_body.is_some() && method != SignatureMethod::Plaintext;
                let query = (0..rng.next() % 3)
                    .map(|_| (*rng.pick(&NAMES), *rng.pick(&VALUES)))
                    .collect();
                let form = if placement == Placement::Body || (text_body.is_none() && k % 2 == 1) {
                    (0..1 + rng.next() % 3)
                        .map(|_| (*rng.pick(&NAMES), *rng.pick(&VALUES)))
                        .collect()
                } else {
                    Vec::new()
                };
                out.push(Case {
                    method,
                    mode,
                    placement,
                    callback: (mode == b'n').then(|| {
                        *rng.pick(&[
                            "oob",
                            "https://app.example/cb",
                            "https://app.example/cb?state=a%20b",
                        ])
                    }),
                    verifier: (mode == b'3' && k % 4 == 1)
                        .then(|| *rng.pick(&["pDNg57prOHapMbhv25RNf75l", "v é"])),
                    text_body,
                    body_hash,
                    query,
                    form,
                });
            }
        }
    }
    out
}

/// The secrets of case `id`: ones that need percent-encoding, and (every other case) ones that
/// do not, so that PLAINTEXT is compared in the query and the body too (oauthlib decodes an
/// `oauth_` value from there twice: a quirk).
fn secrets(id: usize) -> (&'static str, &'static str) {
    if id.is_multiple_of(2) {
        ("consumer secret&é", "token+secret")
    } else {
        ("cs0123", "ts4567")
    }
}

fn signer(c: &Case, id: usize) -> Signer {
    let (consumer_secret, token_secret) = secrets(id);
    let consumer = SignerOptions {
        consumer_key: "ck",
        consumer_secret,
        signature_method: c.method,
        ..SignerOptions::default()
    };
    match c.mode {
        b'n' => Signer::for_new_user(&consumer),
        b'2' => Signer::new(
            &SignerOptions {
                two_legged: true,
                ..consumer
            },
            Runtime::Server,
        ),
        _ => Signer::new(
            &SignerOptions {
                token: Some("tok en"),
                token_secret: Some(token_secret),
                ..consumer
            },
            Runtime::Server,
        ),
    }
    .expect("a signer")
}

#[test]
fn oauthlib_verifies_what_the_core_signs() {
    let have = Command::new(PYTHON)
        .args(["-c", "import oauthlib"])
        .status();
    assert!(
        have.is_ok_and(|s| s.success()),
        "{PYTHON} with oauthlib is needed (scripts/setup.sh installs Debian's python3-oauthlib)"
    );
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oauthlib/oracle.py");
    let mut child = Command::new(PYTHON)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the oauthlib oracle starts");

    let cases = cases();
    let mut lines = String::new();
    let mut sent = Vec::new();
    for (id, c) in cases.iter().enumerate() {
        let s = signer(c, id);
        let (consumer_secret, token_secret) = secrets(id);
        let (url, method) = if c.mode == b'n' {
            ("https://api.example.com/oauth/request_token", "POST")
        } else {
            (
                "https://api.example.com:8443/lite/users/u1/messages",
                if c.text_body.is_some() || !c.form.is_empty() {
                    "POST"
                } else {
                    "GET"
                },
            )
        };
        let request = Request {
            query: &c.query,
            body: match c.text_body {
                Some(t) => Body::Text(t),
                None if !c.form.is_empty() => Body::Pairs(&c.form),
                None => Body::None,
            },
            content_type: c.text_body.map(|_| "application/json"),
            placement: Some(if c.placement == Placement::Body && c.form.is_empty() {
                Placement::Header
            } else {
                c.placement
            }),
            callback: c.callback,
            verifier: c.verifier,
            body_hash: c.body_hash,
            ..Request::new(method, url)
        };
        let signed = s
            .sign(&request, &format!("nonce{id}"), 1_700_000_000 + id as u64)
            .expect("signed");
        let body = signed
            .body()
            .map(|b| base64::engine::general_purpose::STANDARD.encode(b));
        let line = json!({
            "id": id,
            "method": signed.method(),
            "url": signed.url(),
            "authorization": signed.authorization(),
            "contentType": signed.content_type(),
            "body": body,
            "bodyIsForm": signed.content_type() == Some("application/x-www-form-urlencoded"),
            "consumerSecret": consumer_secret,
            "tokenSecret": if c.mode == b'3' { token_secret } else { "" },
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
        sent.push(signed);
    }
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(lines.as_bytes())
        .expect("written");
    let answers: Vec<Value> = BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map(|l| serde_json::from_str(&l.expect("a line")).expect("JSON"))
        .filter(|v: &Value| v.get("ready").is_none())
        .collect();
    assert!(child.wait().expect("the oracle exits").success());
    assert_eq!(answers.len(), cases.len());

    let (mut compared, mut quirky, mut hashes) = (0, 0, 0);
    let mut per_method = std::collections::BTreeMap::new();
    for ((c, signed), a) in cases.iter().zip(&sent).zip(&answers) {
        let what = format!(
            "{:?} {:?} mode {} {}",
            c.method,
            c.placement,
            c.mode as char,
            signed.url()
        );
        if a["quirks"].as_array().is_some_and(|q| !q.is_empty()) {
            quirky += 1;
            continue;
        }
        assert_eq!(a["ok"], true, "{what}: oauthlib cannot read it: {a}");
        assert_eq!(a["signatureMethod"], c.method.as_str(), "{what}");
        // Every protocol parameter in one place, each once (what oauthlib's endpoints demand).
        assert!(
            a["notes"].as_array().is_none_or(Vec::is_empty),
            "{what}: oauthlib's endpoints would refuse it: {}",
            a["notes"]
        );
        assert_eq!(
            a["verified"],
            true,
            "{what}: oauthlib refuses the signature: {a}\nours: {}",
            signed.base_string()
        );
        if let Some(hash) = signed.oauth_parameter("oauth_body_hash") {
            let name = match c.method {
                SignatureMethod::HmacSha1 => "SHA-1",
                SignatureMethod::HmacSha256 => "SHA-256",
                _ => "SHA-512",
            };
            assert_eq!(a["bodyHash"][name], hash, "{what}: body hash");
            hashes += 1;
        }
        compared += 1;
        *per_method.entry(c.method.as_str()).or_insert(0) += 1;
    }
    assert!(
        compared >= cases.len() * 3 / 4,
        "only {compared} of {} compared ({quirky} with oauthlib's quirks)",
        cases.len()
    );
    assert!(hashes >= 10, "only {hashes} body hashes compared");
    for m in SignatureMethod::ALL {
        assert!(
            per_method.get(m.as_str()).copied().unwrap_or(0) >= 20,
            "{m:?}: {per_method:?}"
        );
    }
}
