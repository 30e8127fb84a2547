//! A server that verifies OAuth 1.0a requests with `contextio_signer::verify`, std only: two
//! consumers (`ck` / `cs`, every signature method; `ck1` / `cs1`, HMAC-SHA1 only), each with one
//! user's token (`t` / `ts`, `t1` / `ts1`). The same server as `examples/verify-server.mjs`.
//!
//!     cargo run --example verify -- [PORT]      # 0 (the default): a free port
//!
//! Prints `listening on http://127.0.0.1:PORT`, then answers each request with 200 and the
//! verified parameters, or with the refusal's status, its `WWW-Authenticate` challenge and its
//! form body. Nonces are remembered while it runs. Loopback only.

use contextio_signer::verify::{self, Policy, Received, Refusal, Secrets, Verified};
use contextio_signer::SignatureMethod;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{SystemTime, UNIX_EPOCH};

fn main() -> std::io::Result<()> {
    let port = std::env::args().nth(1).unwrap_or_else(|| "0".into());
    let listener = TcpListener::bind(format!("127.0.0.1:{port}"))?;
    println!("listening on http://{}", listener.local_addr()?);
    let mut nonces = HashSet::new();
    for stream in listener.incoming() {
        if let Err(e) = answer(stream?, &mut nonces) {
            eprintln!("verify example: {e}");
        }
    }
    Ok(())
}

/// Every signature method (PLAINTEXT only over TLS or to loopback, which the verifier checks).
const ALL: &[SignatureMethod] = &[
    SignatureMethod::HmacSha1,
    SignatureMethod::HmacSha256,
    SignatureMethod::HmacSha512,
    SignatureMethod::Plaintext,
];

/// The consumers: their secrets and the methods each may use (`ck1`: HMAC-SHA1 only).
fn consumer(key: &str) -> Option<(&'static str, &'static [SignatureMethod])> {
    match key {
        "ck" => Some(("cs", ALL)),
        "ck1" => Some(("cs1", &[SignatureMethod::HmacSha1])),
        _ => None,
    }
}

/// The token secrets: one user of each consumer.
fn token_secret(key: &str, token: &str) -> Option<&'static str> {
    match (key, token) {
        ("ck", "t") => Some("ts"),
        ("ck1", "t1") => Some("ts1"),
        _ => None,
    }
}

/// The verifier's two steps, with the consumer's own policy looked up between them.
fn verify_one(
    received: &Received<'_>,
    now: u64,
    nonces: &mut HashSet<String>,
) -> Result<Verified, Refusal> {
    let claim = verify::read(received)?;
    let (secret, methods) =
        consumer(claim.consumer_key()).ok_or_else(|| claim.unknown_consumer())?;
    let policy = Policy {
        now,
        signature_methods: methods,
        ..Policy::default()
    };
    claim.check_policy(&policy)?;
    let token = match claim.token() {
        Some(t) => {
            Some(token_secret(claim.consumer_key(), t).ok_or_else(|| claim.unknown_token())?)
        }
        None => None,
    };
    let secrets = Secrets {
        consumer_secret: secret,
        token_secret: token,
    };
    let verified = claim.verify(&secrets, &policy)?;
    // The nonce last, only for an authentic request (PLAINTEXT may have none).
    if let (Some(t), Some(n)) = (claim.timestamp(), claim.nonce()) {
        let seen = format!("{} {:?} {t} {n}", claim.consumer_key(), claim.token());
        if !nonces.insert(seen) {
            return Err(claim.nonce_used());
        }
    }
    Ok(verified)
}

fn answer(mut stream: TcpStream, nonces: &mut HashSet<String>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or("").to_owned(),
        parts.next().unwrap_or("/").to_owned(),
    );
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = h.trim_end().split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let length = header("Content-Length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0usize)
        .min(1 << 20);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;

    // The URL as this server is reached: its Host header and the request target.
    let url = format!("http://{}{target}", header("Host").unwrap_or("127.0.0.1"));
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let received = Received {
        method: &method,
        url: &url,
        headers: &pairs,
        body: &body,
    };
    let result = verify_one(&received, now, nonces);
    let response = match result {
        Ok(v) => {
            let mut text = format!(
                "verified {} {}\n",
                v.consumer_key,
                v.signature_method.as_str()
            );
            for (n, x) in &v.parameters {
                text.push_str(&format!("{n}={x}\n"));
            }
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}", text.len())
        }
        Err(r) => {
            let text = r.form_body();
            let reason = if r.status == 400 {
                "Bad Request"
            } else {
                "Unauthorized"
            };
            format!(
                "HTTP/1.1 {} {reason}\r\nWWW-Authenticate: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                r.status,
                r.challenge("example"),
                text.len()
            )
        }
    };
    stream.write_all(response.as_bytes())
}
