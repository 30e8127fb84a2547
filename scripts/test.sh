#!/usr/bin/env bash
# The README's test command: sets the machine up (idempotent), then runs every tier.
# Each tier fails when it ran no test. Long runs (fuzzing, 1M differential) have their own
# commands; see the README.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/lib.sh

LOGDIR=target/test-logs
mkdir -p "$LOGDIR"
TOTAL=0

# Runs a test command, shows its output, and fails unless it reported at least one passed test
# and no failure. Understands cargo/wasm-bindgen-test ("test result: ok. N passed"), node's test
# runner ("# pass N") and the plain closing line "N passed, N failed" (fuzz/run.sh).
counted() {
  local name=$1; shift
  say "$name"
  local log="$LOGDIR/${name//[^a-zA-Z0-9_-]/_}.log"
  if ! "$@" 2>&1 | tee "$log"; then
    echo "FAILED: $name" >&2
    exit 1
  fi
  local passed
  passed=$(grep -aoE '(test result: ok\. [0-9]+ passed|^# pass [0-9]+|^ℹ pass [0-9]+|^[0-9]+ passed, [0-9]+ failed)' "$log" | grep -oE '^[^0-9]*[0-9]+' | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  if grep -aqE '(test result: FAILED|^# fail [1-9]|^ℹ fail [1-9]|^[0-9]+ passed, [1-9][0-9]* failed)' "$log"; then
    echo "FAILED: $name reported failures" >&2
    exit 1
  fi
  if [ "${passed:-0}" -eq 0 ]; then
    echo "FAILED: $name ran no test" >&2
    exit 1
  fi
  echo "-- $name: $passed passed"
  TOTAL=$((TOTAL + passed))
}

say "lint: rustfmt, clippy, rustdoc"
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo clippy --all-targets --all-features -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --tests --all-features -- -D warnings
# Each wasm build of the package (scripts/build-pkg.mjs), and none at all.
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings
for exports in sign-exports diagnose-exports verify-exports; do
  cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features "$exports" -- -D warnings
done
RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps --quiet

# Tier 1: the pure core on the host (`internals` reaches the steps behind the public API: the
# packet boundary, URL parsing, parameter lists, and the fuzz corpus replay).
counted "tier1-native" cargo test --all-features

# Tier 2: the wasm boundary in Node and in headless Chromium and Firefox (page and worker).
counted "tier2-node" wasm-pack test --node -- --test wasm_node
counted "tier2-chromium" env -u GECKODRIVER wasm-pack test --headless --chrome -- --test wasm_browser --test wasm_worker
counted "tier2-firefox" env -u CHROMEDRIVER wasm-pack test --headless --firefox -- --test wasm_browser --test wasm_worker

# Tier 2 of the diagnosis (issue 16): the diagnose build of the binding under its JS entry.
counted "tier2-diagnose-node" wasm-pack test --node -- --features diagnose-exports --test wasm_diagnose_node
counted "tier2-diagnose-chromium" env -u GECKODRIVER wasm-pack test --headless --chrome -- --features diagnose-exports --test wasm_diagnose_browser
counted "tier2-diagnose-firefox" env -u CHROMEDRIVER wasm-pack test --headless --firefox -- --features diagnose-exports --test wasm_diagnose_browser

# Tier 2 of the verifier (issue 23): the verify build under its JS entry, in Node and in both
# browsers' dedicated workers (server runtimes of the web kind).
counted "tier2-verify-node" wasm-pack test --node -- --features verify-exports --test wasm_verify_node
counted "tier2-verify-chromium" env -u GECKODRIVER wasm-pack test --headless --chrome -- --features verify-exports --test wasm_verify_worker
counted "tier2-verify-firefox" env -u CHROMEDRIVER wasm-pack test --headless --firefox -- --features verify-exports --test wasm_verify_worker

# Tier 3: the JS side.
say "build the npm package"
node scripts/build-pkg.mjs --quiet
counted "tier3-package" node --test tests/js/
counted "tier3-bundlers" node --test tests/bundlers/
# Tier 3 against a real peer: the RFC 5849 §2 flow and protected requests, every method, over
# HTTP against oauthlib's provider endpoints; the oauthlib referee checked against methods.json.
counted "tier3-oauthlib" node --test tests/oauthlib/
# The package's three entries under Deno and Bun (npm packages that carry their binaries), with
# Node as the control.
counted "tier3-runtimes" node --test tests/runtimes/

# Robustness (issue 6): the differential test against an independent signer, and a short
# fuzzing run of the core (the long runs have their own commands: see the README).
counted "differential" node --test tests/differential/
counted "fuzz-short" bash fuzz/run.sh --short

# The local API server, with requests signed by this package and by a second implementation.
counted "devserver" node --test tests/devserver/

# The load test of the local server (issue 6): 20,000 signed requests, replays, a crash mid-run.
counted "devserver-load" node --test tests/load/

# The extension: unit tests with a fake browser, end to end in headless Chromium and Firefox
# against a freshly started local server, and web-ext lint.
say "build the extension"
node scripts/build-extension.mjs --quiet
counted "extension-unit" node --test tests/extension/unit/
counted "extension-e2e" node tests/extension/e2e.mjs
say "web-ext lint"
# DOMPurify sets innerHTML on its own inert fallback document (only when DOMParser fails):
# the one finding in vendor/dompurify/purify.es.mjs, which the build test pins.
web-ext lint --source-dir dist/firefox --output text --ignore-files vendor/dompurify/purify.es.mjs

# The main command's own job, end to end: build, start the server, run the sample against it.
say "main command smoke check"
bash scripts/main.sh --check

# The README's benchmark command, as written: it prints figures (no timing is asserted) and
# stops if any contender signs a request differently.
say "benchmark command (README)"
bash scripts/bench.sh

echo
echo "all tiers passed: $TOTAL tests"
echo "$TOTAL passed, 0 failed"
