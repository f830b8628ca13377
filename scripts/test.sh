#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the web apps, then
#   1. native unit and API tests (published vectors, every refusal, the HTTP API), the
#      API tests a second time on PostgreSQL,
#   2. wasm tests in headless Chromium (the widget's verification, the companion's key store),
#   3. end-to-end tests: the real server, the real pages, real headless Chromium browsers,
#      all of them a second time on PostgreSQL.
set -euo pipefail
source "$(dirname "$0")/env.sh"
started=$(date +%s)
bash scripts/setup.sh
bash scripts/build-web.sh
bash scripts/dist.sh
mkdir -p target && rm -f target/metrics.txt

echo "== module structure: no import cycles"
python3 scripts/module-cycles.py crates/server/src crates/companion/src crates/widget/src crates/demo-bank

echo "== native tests"
cargo test --quiet -p tessera-protocol -p tessera-oath -p tessera-server -p tessera-httpkit -p tessera-ui -p tessera-widget -p tessera-companion -p tessera-webpush \
  -p tessera-demo-bank -p tessera-demo-bank-pages

echo "== the server's API tests again, on PostgreSQL"
# A throw-away PostgreSQL on 127.0.0.1 (scripts/postgres.sh), one schema per test. Left
# out: signals.rs, which runs the demo (its Demo Bank keeps to SQLite).
source scripts/postgres.sh
postgres_start
pg_tests=()
for file in crates/server/tests/*.rs crates/server/tests/*/main.rs; do
  name=$(basename "${file%/main.rs}" .rs)
  [[ $name == signals ]] || pg_tests+=(--test "$name")
done
cargo test --quiet -p tessera-server "${pg_tests[@]}"
postgres_stop

echo "== fuzzing: every parser of outside bytes, 15 s per target"
bash scripts/fuzz.sh 15

echo "== wasm tests in headless Chromium"
# Bounded, with one more try only after a hang: the runner's own limit does not stop a
# headless Chromium that never answers. (The runner's page hung about every other run
# while the companion imported three JS snippets; it imports one now.)
bounded() {
  local try status
  for try in 1 2; do
    status=0
    timeout --kill-after=10 900 "$@" || status=$?
    [[ $status -ne 124 ]] && return "$status"
    echo "!! timed out after 15 minutes (try $try): $*" >&2
  done
  return 124
}
WASM_BINDGEN_TEST_TIMEOUT=120 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  bounded cargo test --target wasm32-unknown-unknown -p tessera-widget -p tessera-companion
# The companion's NFC check by the browser's own Unicode data against the tables, on every
# code point, pair and triple; prints the code points the two Unicode versions disagree on.
WASM_BINDGEN_TEST_TIMEOUT=120 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  bounded cargo test --target wasm32-unknown-unknown -p tessera-protocol --features browser-unicode \
  --lib browser_tests -- --nocapture

echo "== verification time (reported, not asserted)"
# Natively with the server's profile, and in Chromium with the wasm apps' release profile.
cargo run --quiet --profile native -p tessera-protocol --features testkit --example bench_verify \
  | sed 's/^/native /' >>target/metrics.txt
WASM_BINDGEN_TEST_TIMEOUT=120 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  bounded cargo test --release --target wasm32-unknown-unknown -p tessera-widget --test verify \
  verification_time_is_reported -- --nocapture | grep -o 'verify::check in wasm: .*' >>target/metrics.txt || true

echo "== end-to-end tests in headless Chromium"
cargo build --quiet -p tessera-server -p tessera-demo-bank
cargo test --quiet -p tessera-e2e -- --test-threads=2

echo "== end-to-end tests again, on PostgreSQL"
# Every server of these tests keeps its data in a schema of its own on a throw-away
# PostgreSQL; the two-instance tests use it too instead of starting their own. The Demo
# Bank keeps its own SQLite database either way.
postgres_start
cargo test --quiet -p tessera-e2e -- --test-threads=2
postgres_stop

echo "== measurements (reported, not asserted)"
bash scripts/sizes.sh
echo "== all tests passed in $(( $(date +%s) - started )) s"
