#!/usr/bin/env bash
# Builds the npm package of a commit (default HEAD: the code before the change in the working
# tree) into a directory, for `node bench/run.mjs --before-pkg DIR`, which then times that
# build next to this one in the same run, pair by pair (bench/README.md, "Before and after").
#
#   bash bench/build-before.sh [COMMIT] OUT_DIR
#
# It changes no git state (no worktree, no checkout): `git archive COMMIT` is unpacked into a
# scratch directory (BEFORE_SRC, default $TMPDIR/contextio-signer-before-src, emptied first),
# whose node_modules is a symlink to this checkout's, and that commit's own
# scripts/build-pkg.mjs builds there with a cargo target directory of its own
# (BEFORE_TARGET, default target/before-build/ of this checkout, kept between runs so that a
# second build only recompiles the crate), so that it never replaces this checkout's
# target/wasm32-unknown-unknown/release, which the benchmark reads. OUT_DIR is replaced; it
# receives a BUILT-FROM file naming the commit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# The tools scripts/setup.sh installs (wasm-pack, wasm-bindgen; the npm binaryen and esbuild).
source scripts/lib.sh
for tool in wasm-pack wasm-bindgen; do
  command -v "$tool" >/dev/null || { echo "build-before.sh: no $tool: run bash scripts/setup.sh first" >&2; exit 1; }
done
[ -x node_modules/.bin/esbuild ] || { echo "build-before.sh: no node_modules: run bash scripts/setup.sh first" >&2; exit 1; }
commit=HEAD
if [ $# -eq 2 ]; then commit=$1; shift; fi
if [ $# -ne 1 ]; then
  echo "usage: bash bench/build-before.sh [COMMIT] OUT_DIR" >&2
  exit 2
fi
out=$(realpath -m "$1")
full=$(git rev-parse --verify "$commit^{commit}")
src=${BEFORE_SRC:-${TMPDIR:-/tmp}/contextio-signer-before-src}
target=${BEFORE_TARGET:-$root/target/before-build}
case "$out/" in "$root"/pkg/*|"$root"/src/*|"$root"/js/*) echo "build-before.sh: refusing to write into $out" >&2; exit 2 ;; esac

rm -rf "$src"
mkdir -p "$src" "$target"
git archive "$full" | tar -x -C "$src"
ln -s "$root/node_modules" "$src/node_modules"
# Lower priority than whatever else runs: this is a preparation, not a measurement.
(cd "$src" && CARGO_TARGET_DIR="$target" nice -n 10 node scripts/build-pkg.mjs --quiet --out-dir "$out")
printf '%s %s\n' "$(git rev-parse --short "$full")" "$(git log -1 --format=%s "$full" | cut -c1-120)" >"$out/BUILT-FROM"
rm -rf "$src"
echo "build-before.sh: built $(git rev-parse --short "$full") into $out" >&2
