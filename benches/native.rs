//! The Rust core natively, on the benchmark's three requests (`bench/requests.json`), so the
//! cost of the JavaScript boundary is visible next to the wasm figures (issue 5).
//!
//! `cargo bench --bench native` prints µs per signature (median of the rounds, with the spread)
//! for `Signer::sign` and for the floor, a bare `SigningKey::sign` over the same base string,
//! then one line `BENCH_JSON {...}` that `bench/run.mjs` merges into its report.
//!
//! And, on the requests whose parameter names need no encoding (it never encodes names: the
//! listing and the new user), the `oauth1-request` crate (0.6) itself, as a Rust caller writes
//! it (a `ParameterList` of the pairs, a `Builder`, `authorize`: the header only), beside
//! `Signer::sign` with the query as pairs and with the query in the URL (issue 24). Each is
//! checked to give the same signature before it is timed.
//! `BENCH_ROUNDS` (default 7) and `BENCH_ROUND_MS` (default 150) tune the loop.

use contextio_signer::internals::SigningKey;
use contextio_signer::{percent_encode, Body, Request, Runtime, Signer, SignerOptions};
use oauth1_request::{Builder, Credentials, ParameterList, HMAC_SHA1};
use serde_json::{json, Value};
use std::hint::black_box;
use std::num::NonZeroU64;
use std::time::{Duration, Instant};

const FIXTURE: &str = include_str!("../bench/requests.json");

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("requests.json: {key} must be a string"))
}

fn pairs(v: &Value) -> Vec<(&str, &str)> {
    v.as_array()
        .expect("requests.json: query and form are arrays of [name, value]")
        .iter()
        .map(|p| (str_of_index(p, 0), str_of_index(p, 1)))
        .collect()
}

fn str_of_index(v: &Value, i: usize) -> &str {
    v[i].as_str().expect("requests.json: a pair is two strings")
}

/// Per-call times of the rounds, in µs, and their summary (the same as bench/lib/timing.mjs).
fn measure(rounds: u64, round: Duration, mut f: impl FnMut() -> usize) -> Value {
    let run = |n: u64, f: &mut dyn FnMut() -> usize| {
        let t = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        t.elapsed()
    };
    let mut n = 1u64;
    let mut elapsed = run(n, &mut f);
    while elapsed < round / 4 {
        n *= 2;
        elapsed = run(n, &mut f);
    }
    n = ((n as f64 * round.as_secs_f64() / elapsed.as_secs_f64()).round() as u64).max(1);
    let mut us: Vec<f64> = (0..rounds)
        .map(|_| run(n, &mut f).as_secs_f64() * 1e6 / n as f64)
        .collect();
    let per_round = us.clone();
    us.sort_by(f64::total_cmp);
    let mid = us.len() / 2;
    let median = if us.len() % 2 == 1 {
        us[mid]
    } else {
        (us[mid - 1] + us[mid]) / 2.0
    };
    let (min, max) = (us[0], us[us.len() - 1]);
    json!({
        "median": median,
        "min": min,
        "max": max,
        "spreadPct": if median > 0.0 { (max - min) / 2.0 / median * 100.0 } else { 0.0 },
        "rounds": per_round,
        "iterations": n,
    })
}

fn main() {
    let fx: Value = serde_json::from_str(FIXTURE).expect("bench/requests.json is valid JSON");
    let rounds = env_or("BENCH_ROUNDS", 7).max(1);
    let round = Duration::from_millis(env_or("BENCH_ROUND_MS", 150).max(1));
    let nonce = str_of(&fx, "nonce");
    let timestamp = fx["timestamp"]
        .as_u64()
        .expect("timestamp is a whole number");
    let (ck, cs) = (
        str_of(&fx["consumer"], "key"),
        str_of(&fx["consumer"], "secret"),
    );
    let (tk, ts) = (str_of(&fx["token"], "key"), str_of(&fx["token"], "secret"));

    let mut out = serde_json::Map::new();
    println!("native Rust core, µs per signature (median of {rounds} rounds, ± half the range)");
    for req in fx["requests"].as_array().expect("requests is an array") {
        let id = str_of(req, "id");
        let three_legged = str_of(req, "signer") == "three-legged";
        let opts = SignerOptions {
            consumer_key: ck,
            consumer_secret: cs,
            token: three_legged.then_some(tk),
            token_secret: three_legged.then_some(ts),
            ..Default::default()
        };
        let signer = if three_legged {
            Signer::new(&opts, Runtime::Server)
        } else {
            Signer::for_new_user(&opts)
        }
        .unwrap_or_else(|e| panic!("{id}: cannot build the signer: {e}"));
        let query = pairs(&req["query"]);
        let form = pairs(&req["form"]);
        let mut request = Request::new(str_of(req, "method"), str_of(req, "url"));
        request.query = &query;
        if !form.is_empty() {
            request.body = Body::Pairs(&form);
        }
        let signed = signer
            .sign(&request, nonce, timestamp)
            .unwrap_or_else(|e| panic!("{id}: signing failed: {e}"));
        let key = SigningKey::new(cs, if three_legged { ts } else { "" });
        assert_eq!(
            key.sign(signed.base_string()),
            signed.signature(),
            "{id}: the floor signs differently"
        );

        let sign = measure(rounds, round, || {
            signer
                .sign(black_box(&request), black_box(nonce), black_box(timestamp))
                .map(|s| s.signature().len())
                .unwrap_or(0)
        });
        let base = signed.base_string();
        let floor = measure(rounds, round, || key.sign(black_box(base)).len());

        // oauth1-request, on requests whose names it can sign; and this signer with the query in
        // the URL (the crate is handed the pairs).
        let uri_safe = query.iter().chain(&form).all(|(n, _)| {
            n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
        });
        let contender = uri_safe.then(|| {
            let all: Vec<(&str, &str)> = query.iter().chain(&form).copied().collect();
            let method = str_of(req, "method");
            let url = str_of(req, "url");
            let authorize = || {
                let list = ParameterList::new(all.clone());
                let mut builder =
                    Builder::<_, &str, &str>::new(Credentials::new(ck, cs), HMAC_SHA1);
                if three_legged {
                    builder.token(Credentials::new(tk, ts));
                }
                builder
                    .nonce(nonce)
                    .timestamp(NonZeroU64::new(timestamp))
                    .version(true);
                builder.authorize(method, url, &list)
            };
            let header = authorize();
            let theirs = header
                .split("oauth_signature=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default();
            assert_eq!(
                theirs,
                percent_encode(signed.signature()),
                "{id}: oauth1-request signs differently"
            );
            let crate_time = measure(rounds, round, || authorize().len());
            let in_url = if query.is_empty() {
                url.to_owned()
            } else {
                let q: Vec<String> = query
                    .iter()
                    .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
                    .collect();
                format!("{url}?{}", q.join("&"))
            };
            let mut url_request = Request::new(method, &in_url);
            if !form.is_empty() {
                url_request.body = Body::Pairs(&form);
            }
            let url_signed = signer
                .sign(&url_request, nonce, timestamp)
                .unwrap_or_else(|e| panic!("{id}: signing the URL's query failed: {e}"));
            assert_eq!(
                url_signed.signature(),
                signed.signature(),
                "{id}: the query in the URL signs differently"
            );
            let url_time = measure(rounds, round, || {
                signer
                    .sign(
                        black_box(&url_request),
                        black_box(nonce),
                        black_box(timestamp),
                    )
                    .map(|s| s.signature().len())
                    .unwrap_or(0)
            });
            (crate_time, url_time)
        });
        println!(
            "  {id:<10} sign {:>8.2} µs ±{:>4.1}%   floor (SigningKey::sign) {:>8.2} µs ±{:>4.1}%   signature {}",
            sign["median"].as_f64().unwrap_or(0.0),
            sign["spreadPct"].as_f64().unwrap_or(0.0),
            floor["median"].as_f64().unwrap_or(0.0),
            floor["spreadPct"].as_f64().unwrap_or(0.0),
            signed.signature(),
        );
        if let Some((crate_time, url_time)) = &contender {
            println!(
                "  {id:<10} oauth1-request (header only) {:>8.2} µs   Signer::sign, query in the URL {:>8.2} µs",
                crate_time["median"].as_f64().unwrap_or(0.0),
                url_time["median"].as_f64().unwrap_or(0.0),
            );
        }
        let mut entry = json!({
            "signature": signed.signature(),
            "baseStringBytes": signed.base_string().len(),
            "sign": sign,
            "floor": floor,
        });
        if let Some((crate_time, url_time)) = contender {
            entry["oauth1Request"] = crate_time;
            entry["signUrlQuery"] = url_time;
        }
        out.insert(id.to_owned(), entry);
    }
    println!("BENCH_JSON {}", json!({ "requests": out }));
}
