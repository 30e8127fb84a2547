//! A server that verifies OAuth 1.0a requests with `contextio_signer::verify`, std only: one
//! consumer (`ck` / `cs`, HMAC-SHA1 or HMAC-SHA256) and one user's token (`t` / `ts`).
//!
//!     cargo run --example verify -- [PORT]      # 0 (the default): a free port
//!
//! Prints `listening on http://127.0.0.1:PORT`, then answers each request with 200 and the
//! verified parameters, or with the refusal's status, its `WWW-Authenticate` challenge and its
//! form body. Nonces are remembered while it runs. Loopback only.

use contextio_signer::verify::{self, Policy, Received};
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
    let policy = Policy {
        now,
        signature_methods: &[SignatureMethod::HmacSha1, SignatureMethod::HmacSha256],
        ..Policy::default()
    };
    let result = verify::verify(
        &Received {
            method: &method,
            url: &url,
            headers: &pairs,
            body: &body,
        },
        &policy,
        |key| (key == "ck").then(|| "cs".to_owned()),
        |key, token| (key == "ck" && token == "t").then(|| "ts".to_owned()),
        |key, token, timestamp, nonce| {
            nonces.insert(format!("{key} {token:?} {timestamp} {nonce}"))
        },
    );
    let response = match result {
        Ok(v) => {
            let params: Vec<String> = v
                .parameters
                .iter()
                .map(|(n, x)| format!("{n}={x}"))
                .collect();
            let text = format!(
                "verified {} {}\n{}\n",
                v.consumer_key,
                v.signature_method.as_str(),
                params.join("\n")
            );
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
