//! Prints the Rust core's diagnosis of each refusal in a JSON file of cases (default:
//! `tests/support/refusals.json`), one JSON object per line, so that other languages' answers
//! can be compared with the core's (tests/js/diagnose.test.mjs).
//!
//!     cargo run --example diagnose -- [CASES.json]
//!
//! Each case is `{ "sent": { "baseString", "timestamp"? }, "answer": { "status", "headers":
//! [[name, value], ...], "body" } }`.

use contextio_signer::{diagnose_sent, Answer, Sent};
use serde_json::Value;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/support/refusals.json".into());
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("diagnose: cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let doc: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("diagnose: {path} is not JSON: {e}");
            std::process::exit(2);
        }
    };
    let empty = Vec::new();
    for case in doc["cases"].as_array().unwrap_or(&empty) {
        let headers: Vec<(&str, &str)> = case["answer"]["headers"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .filter_map(|h| Some((h[0].as_str()?, h[1].as_str()?)))
            .collect();
        let d = diagnose_sent(
            &Sent {
                base_string: case["sent"]["baseString"].as_str().unwrap_or_default(),
                timestamp: case["sent"]["timestamp"].as_u64(),
            },
            &Answer {
                status: case["answer"]["status"].as_u64().unwrap_or(0) as u16,
                headers: &headers,
                body: case["answer"]["body"].as_str().unwrap_or_default(),
            },
        );
        println!("{}", d.to_json());
    }
}
