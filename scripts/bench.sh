#!/usr/bin/env bash
# The benchmark command (not part of the tests): sets the machine up, adds twiggy for the
# per-crate size breakdown, and runs bench/run.mjs. Arguments are passed on (--quick, --no-build,
# --skip-chromium, --profile, --before FILE, --before-pkg DIR). The "before" column of issue 15's
# targets comes from target/bench/before.json, which `bash bench/before.sh` writes; the build of
# another commit for --before-pkg comes from `bash bench/build-before.sh [COMMIT] DIR`
# (bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/lib.sh
if [ "$(twiggy --version 2>/dev/null | awk '{print $2}')" != "0.8.0" ]; then
  cargo install --force twiggy@0.8.0
fi
exec node bench/run.mjs "$@"
