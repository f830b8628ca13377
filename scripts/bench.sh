#!/usr/bin/env bash
# Measures a native-profile server on 127.0.0.1 with tessera-bench and prints, one per line:
#   sessions_per_s=N   streams_held=N rss_mb=N   approve_to_event_p95_ms=N
# Bounded: every phase has its own count and timeout, the server is stopped at the end.
#   bash scripts/bench.sh [--streams N] [--seconds S] [--approvals N]
set -euo pipefail
source "$(dirname "$0")/env.sh"

cargo build --quiet --profile native -p tessera-server -p tessera-bench
bin="${CARGO_TARGET_DIR:-target}/native"
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bank_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server=
cleanup() {
  [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$data"
}
trap cleanup EXIT

# The Demo Bank's partner account (its origin; the bank itself does not run): the sessions
# are opened with its API key, which `serve --demo` writes to demo-bank-api-key.
RUST_LOG=warn "$bin/tessera" serve --demo --data "$data" --port "$port" \
  --demo-bank-origin "http://127.0.0.1:$bank_port" --session-ttl 600 >"$data/server.log" 2>&1 &
server=$!
api_key=
for _ in $(seq 100); do
  api_key=$(cat "$data/demo-bank-api-key" 2>/dev/null || true)
  [[ -n "$api_key" ]] && break
  sleep 0.1
done
[[ -n "$api_key" ]] || { cat "$data/server.log"; echo "the server did not start" >&2; exit 1; }

echo "store=sqlite"
timeout --kill-after=10 600 "$bin/tessera-bench" --server "127.0.0.1:$port" \
  --api-key "$api_key" --origin "http://127.0.0.1:$bank_port" --pid "$server" "$@"
