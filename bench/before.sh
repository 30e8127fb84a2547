#!/usr/bin/env bash
# The "before" column of issue 9's targets: runs the benchmark of the code before the redesign
# (commit 6115616 by default), with that commit's own bench/run.mjs, in a git worktree on this
# machine, and keeps its report as target/bench/before.json (the commit recorded under
# `source`) and its printed tables as target/bench/before.txt. bench/run.mjs then prints the
# same figures of both runs side by side. Run it right before `bash scripts/bench.sh`, on a
# quiet machine, so that both come from the same conditions.
#
#   bash bench/before.sh [COMMIT] [-- ARGS for the old bench/run.mjs, e.g. --quick]
#   BEFORE_WORKTREE=DIR   where the worktree goes (default $TMPDIR/contextio-signer-before);
#                         a worktree this script did not create is used and left in place.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
commit=6115616
if [ $# -gt 0 ] && [ "$1" != "--" ]; then commit=$1; shift; fi
[ "${1:-}" = "--" ] && shift
wt=${BEFORE_WORKTREE:-${TMPDIR:-/tmp}/contextio-signer-before}
full=$(git rev-parse --verify "$commit^{commit}")

created=0
cleanup() {
  rm -f "$root/target/bench/before.txt.partial"
  if [ "$created" = 1 ]; then git -C "$root" worktree remove --force "$wt"; fi
}
trap cleanup EXIT
if [ ! -e "$wt" ]; then
  git worktree add --detach "$wt" "$full" >&2
  created=1
fi
if [ "$(git -C "$wt" rev-parse HEAD)" != "$full" ]; then
  echo "before.sh: $wt is at $(git -C "$wt" rev-parse --short HEAD), not $commit" >&2
  exit 1
fi

mkdir -p target/bench
# The old command, as it was: its own set-up (npm ci in the worktree), build and report.
# Kept only when it succeeds: a failed run leaves the last good before.json and before.txt.
(cd "$wt" && bash scripts/bench.sh "$@") | tee target/bench/before.txt.partial
node -e '
  const fs = require("node:fs");
  const [from, to, commit, subject] = process.argv.slice(1);
  const report = JSON.parse(fs.readFileSync(from, "utf8"));
  report.source = { commit, subject, command: "bash scripts/bench.sh (that commit'"'"'s own), via bench/before.sh" };
  fs.writeFileSync(to, JSON.stringify(report, null, 2) + "\n");
' "$wt/target/bench/latest.json" target/bench/before.json "$(git rev-parse --short "$full")" "$(git log -1 --format=%s "$full")"
mv target/bench/before.txt.partial target/bench/before.txt
echo "before.sh: wrote target/bench/before.json and target/bench/before.txt" >&2
