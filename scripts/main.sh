#!/usr/bin/env bash
# The README's main command: set the machine up (idempotent), build the npm package and the
# extension, show a signed sample Context.IO request with its base string, then run the local
# Context.IO-compatible API server with the demo consumer in the foreground (Ctrl-C stops it).
#   bash scripts/main.sh            # serve on http://127.0.0.1:8787
#   bash scripts/main.sh --check    # build, start on a free port, run the sample against it, stop
# Other arguments are passed to devserver/server.mjs (e.g. --port 9000 --reset).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/lib.sh

say "build the npm package (pkg/)"
node scripts/build-pkg.mjs --quiet

if [ -f scripts/build-extension.mjs ]; then
  say "build the extension (dist/chrome, dist/firefox, dist/*.zip)"
  node scripts/build-extension.mjs
fi

if [ "${1:-}" = "--check" ]; then
  say "smoke check: the sample against a fresh server"
  node scripts/sample.mjs --start-server
  exit 0
fi

say "a signed sample request"
node scripts/sample.mjs

say "the local API server"
exec node devserver/server.mjs "$@"
