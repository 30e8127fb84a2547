#!/usr/bin/env bash
# Idempotent machine set-up: installs only what is missing. Called by main.sh and test.sh.
# Every tool comes from a registry this machine reaches (Debian, crates.io, npm); nothing
# downloads a prebuilt browser or binary of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '[setup] %s\n' "$*" >&2; }

# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "cargo install wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
  cargo install --force "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  log "cargo install wasm-pack@$WASM_PACK_VERSION"
  cargo install --force "wasm-pack@$WASM_PACK_VERSION"
fi

if [ "$(geckodriver --version 2>/dev/null | head -1 | awk '{print $2}')" != "$GECKODRIVER_VERSION" ]; then
  log "cargo install geckodriver@$GECKODRIVER_VERSION"
  cargo install --force "geckodriver@$GECKODRIVER_VERSION"
fi

# Debian packages. python3-oauthlib is the differential test's second referee and, with its
# provider endpoints, the RFC 5849 §2 peer server of tests/oauthlib/; requests-oauthlib and
# authlib are real clients that check that provider. They are used through /usr/bin/python3
# (the python3 on PATH may be a pyenv shim that does not see Debian's packages).
missing=()
for pkg in chromium chromium-driver firefox-esr zip python3-oauthlib python3-requests-oauthlib python3-authlib; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm dev dependencies (package-lock.json pins them).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
log "ok"
