#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the web apps, then
#   1. native unit and API tests (published vectors, every refusal, the HTTP API),
#   2. wasm tests in headless Chromium (the widget's verification, the companion's key store),
#   3. end-to-end tests: the real server, the real pages, real headless Chromium browsers.
set -euo pipefail
source "$(dirname "$0")/env.sh"
started=$(date +%s)
bash scripts/setup.sh
bash scripts/build-web.sh
bash scripts/dist.sh
mkdir -p target && rm -f target/metrics.txt

echo "== native tests"
cargo test --quiet -p tessera-protocol -p tessera-oath -p tessera-server -p tessera-ui -p tessera-companion

echo "== wasm tests in headless Chromium"
WASM_BINDGEN_TEST_TIMEOUT=120 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown -p tessera-widget -p tessera-companion

echo "== end-to-end tests in headless Chromium"
cargo build --quiet -p tessera-server
cargo test --quiet -p tessera-e2e -- --test-threads=2

echo "== measurements (reported, not asserted)"
bash scripts/sizes.sh
cat target/metrics.txt 2>/dev/null || true
echo "== all tests passed in $(( $(date +%s) - started )) s"
