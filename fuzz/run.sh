#!/usr/bin/env bash
# Fuzzes the signer's core and the verifier with cargo-fuzz (libFuzzer, AddressSanitizer) on five
# targets:
#
#   url_parse  RequestUrl::parse on any string, checked against the WHATWG parser (url crate)
#   params     ParamList::push_form + push + normalized, checked against a reference normalizer
#   sign       Signer::new / for_new_user + Signer::sign / sign_with on arbitrary options and
#              requests, checked against an independent HMAC-SHA1 and by signing the result again
#   packet     the wasm binding's packet readers (src/binding/: sign_packet, signer_from_packet,
#              sign_once_packet, diagnose_packet, verify_read_packet, verify_check_packet) on the input as text: well-formed answers,
#              never a panic; and on valid packets of the options and requests `arbitrary` reads
#              from the input (checks::PacketCase): the same answers as the native calls,
#              signatures checked against an independent HMAC-SHA1. Its seeds (fuzz/corpus/packet)
#              are written by tests/fuzz-regressions.rs (write_the_packet_seed_corpus, ignored)
#   verify     the verifier (verify::read, Claim::check_policy, Claim::verify, verify::verify) on
#              the input as `header\nquery\nbody` (a POST to a fixed URL with that query, and to
#              the query as the URL; with a form Content-Type and without): never a panic, each
#              refusal 400 or 401 with its Problem Reporting word, its challenge and form body
#              read back by the diagnosis, no secret in any refusal or claim; and a request it
#              signs itself from the input's parts is accepted. Its seeds (fuzz/corpus/verify)
#              are written by tests/fuzz-regressions.rs (write_the_verify_seed_corpus, ignored)
#
#   fuzz/run.sh --short      every target FUZZ_SECONDS (default 25) s: the test command's run;
#                            the corpus in fuzz/corpus/ is read, never written
#   fuzz/run.sh --long       every target FUZZ_SECONDS (default 1800) s; then fuzz/corpus/ is
#                            replaced by a smallest set of the old and new inputs that covers
#                            every edge either covered (libFuzzer -set_cover_merge, edges only)
#   fuzz/run.sh --minimize   the same shrinking of fuzz/corpus/, without fuzzing
#   FUZZ_TARGETS="sign packet" fuzz/run.sh --short    only some targets
#
# Only the stable toolchain is needed: RUSTC_BOOTSTRAP=1 lets rustc take the nightly-only flags
# cargo-fuzz passes (-Zsanitizer=address and friends). cargo-fuzz itself is installed from
# crates.io (pinned) when missing. Limits: -rss_limit_mb=2048 for the process, -malloc_limit_mb=256
# for any single allocation (an unbounded allocation is a crash), -max_len=4096, -timeout=10 s
# per input. Prints the executions of each target; on a crash prints the input (Debug form) and
# the artifact to replay (`RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET ARTIFACT` in fuzz/), and
# exits 1. The last line is "N passed, M failed" (one per target).
set -euo pipefail
cd "$(dirname "$0")"

CARGO_FUZZ_VERSION=0.13.2
mode=${1:---short}
case "$mode" in
  --short) seconds=${FUZZ_SECONDS:-25} ;;
  --long) seconds=${FUZZ_SECONDS:-1800} ;;
  --minimize) seconds=0 ;;
  *) echo "usage: fuzz/run.sh --short | --long | --minimize" >&2; exit 2 ;;
esac

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz $CARGO_FUZZ_VERSION (crates.io)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --quiet
fi
export RUSTC_BOOTSTRAP=1

targets=${FUZZ_TARGETS:-"url_parse params sign packet verify"}
limits=(-rss_limit_mb=2048 -malloc_limit_mb=256 -max_len=4096 -timeout=10)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "building the fuzz targets"
# A build failure is not a crash of any target: say so and stop.
if ! cargo fuzz build >"$logs/build.log" 2>&1; then
  grep -vE '^\s+(Compiling|Downloaded|Downloading)' "$logs/build.log" | tail -40
  echo "fuzz: the targets do not build"
  exit 1
fi

# Replaces corpus/TARGET by a smallest set of inputs from it and the given directories that
# covers every edge they cover (edges only: no hit counts, no comparison operands), so that the
# corpus kept in the repository stays small.
shrink() {
  local t=$1; shift
  local min="$logs/min-$t"
  rm -rf "$min"
  mkdir -p "$min"
  local before
  before=$(find "corpus/$t" -type f | wc -l)
  cargo fuzz run "$t" "$min" "corpus/$t" "$@" -- -set_cover_merge=1 -use_counters=0 -use_cmp=0 \
    -use_value_profile=0 "${limits[@]}" >"$logs/$t-merge.log" 2>&1 || { tail -30 "$logs/$t-merge.log"; exit 1; }
  if [ -z "$(ls -A "$min")" ]; then
    echo "fuzz $t: the merge kept nothing; corpus left as it was"
    return
  fi
  find "corpus/$t" -type f -delete
  cp "$min"/* "corpus/$t/"
  echo "fuzz $t: corpus $before -> $(find "corpus/$t" -type f | wc -l) inputs ($(du -sk --apparent-size "corpus/$t" | cut -f1) KiB)"
}

if [ "$mode" = --minimize ]; then
  for t in $targets; do shrink "$t"; done
  exit 0
fi

passed=0
failed=0
total=0
for t in $targets; do
  mkdir -p "corpus/$t"
  fresh="$logs/new-$t"
  mkdir -p "$fresh"
  # New inputs go to the scratch directory (libFuzzer writes to the first corpus directory).
  if cargo fuzz run "$t" "$fresh" "corpus/$t" -- -max_total_time="$seconds" -print_final_stats=1 "${limits[@]}" >"$logs/$t.log" 2>&1; then
    runs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$logs/$t.log" | grep -oE '[0-9]+$' | tail -1)
    echo "fuzz $t: ${runs:-?} executions in ${seconds} s, no crash"
    total=$((total + ${runs:-0}))
    passed=$((passed + 1))
    if [ "$mode" = --long ]; then shrink "$t" "$fresh"; fi
  else
    echo "fuzz $t: CRASH"
    grep -aE -A2 'panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer|SUMMARY' "$logs/$t.log" | head -12 \
      || tail -20 "$logs/$t.log"
    sed -n '/Output of `std::fmt::Debug`/,/^$/p' "$logs/$t.log" | head -40
    grep -aE 'Test unit written to|Reproduce with' -A1 "$logs/$t.log" | head -6 || true
    failed=$((failed + 1))
  fi
done
echo "fuzz: $total executions in total, $failed target(s) crashed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
