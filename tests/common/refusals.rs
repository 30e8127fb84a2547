//! A recorded refusal of `tests/support/refusals.json` (`sent` and `answer`) diagnosed by the
//! core: the one reading of a case, for tier 1 (`tests/diagnose.rs`) and tier 2
//! (`tests/wasm_diagnose_common`).

use contextio_signer::{diagnose_sent, Answer, Diagnosis, Sent};
use serde_json::Value;

/// The core's diagnosis of one case.
pub fn diagnose_case(case: &Value) -> Diagnosis {
    let sent = Sent {
        base_string: case["sent"]["baseString"]
            .as_str()
            .expect("sent.baseString"),
        timestamp: case["sent"]["timestamp"].as_u64(),
    };
    let headers: Vec<(&str, &str)> = case["answer"]["headers"]
        .as_array()
        .expect("answer.headers")
        .iter()
        .map(|h| {
            (
                h[0].as_str().expect("a header name"),
                h[1].as_str().expect("a header value"),
            )
        })
        .collect();
    let answer = Answer {
        status: case["answer"]["status"].as_u64().expect("answer.status") as u16,
        headers: &headers,
        body: case["answer"]["body"].as_str().expect("answer.body"),
    };
    diagnose_sent(&sent, &answer)
}
