#!/usr/bin/env bash
# Measures a native-profile server on 127.0.0.1 with tessera-bench, on SQLite and then on
# PostgreSQL (a throw-away one, scripts/postgres.sh, with fsync=off: its numbers are not
# those of a durable database), each over two transports, a fresh server for each run:
#   http1  every waiting widget on a connection of its own (browsers straight to the server)
#   h2c    HTTP/2 without TLS, the waiting widgets multiplexed over a few connections (what a
#          TLS-terminating load balancer speaks to the instances, docs/DEPLOYMENT.md)
# and prints for each run, one per line:
#   store=sqlite|postgres transport=http1|h2c
#   sessions_per_s=N   streams_held=N rss_mb=N   approve_to_event_p95_ms=N
# Bounded: every phase has its own count and timeout, each server is stopped after its
# run, PostgreSQL at the end.
#   bash scripts/bench.sh [--store sqlite|postgres] [--transport http1|h2c] [--streams N]
#                         [--seconds S] [--approvals N]
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/postgres.sh"

stores=(sqlite postgres)
transports=(http1 h2c)
while [[ ${1:-} == --store || ${1:-} == --transport ]]; do
  case $1 in
    --store) stores=("$2") ;;
    --transport) transports=("$2") ;;
  esac
  shift 2
done

cargo build --quiet --profile native -p tessera-server -p tessera-bench
bin="${CARGO_TARGET_DIR:-target}/native"
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
data=
server=
stop_server() {
  if [[ -n "$server" ]]; then
    kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  fi
  server=
  [[ -n "$data" ]] && rm -rf "$data"
  data=
}
cleanup() {
  stop_server
  postgres_stop
}
trap cleanup EXIT

# Runs the demo server on `store`, then the bench against it over `transport`; extra
# arguments go to the bench.
# The Demo Bank's partner account (its origin; the bank itself does not run): the sessions
# are opened with its API key, which `serve --demo` writes to demo-bank-api-key.
bench() {
  local store=$1 transport=$2 api_key= database=()
  shift 2
  data=$(mktemp -d)
  local port bank_port
  port=$(free_port)
  bank_port=$(free_port)
  if [[ $store == postgres ]]; then
    postgres_start >/dev/null
    trap cleanup EXIT  # postgres_start set its own
    database=(--database "$TESSERA_TEST_DATABASE_URL")
  fi
  RUST_LOG=warn "$bin/tessera" serve --demo --data "$data" "${database[@]}" --port "$port" \
    --demo-bank-origin "http://127.0.0.1:$bank_port" --session-ttl 600 >"$data/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    api_key=$(cat "$data/demo-bank-api-key" 2>/dev/null || true)
    [[ -n "$api_key" ]] && break
    sleep 0.1
  done
  [[ -n "$api_key" ]] || { cat "$data/server.log"; echo "the server did not start" >&2; exit 1; }

  echo "store=$store transport=$transport"
  timeout --kill-after=10 600 "$bin/tessera-bench" --server "127.0.0.1:$port" \
    --api-key "$api_key" --origin "http://127.0.0.1:$bank_port" --pid "$server" \
    --transport "$transport" "$@"
  stop_server
  [[ $store == postgres ]] && postgres_stop
  return 0
}

for store in "${stores[@]}"; do
  for transport in "${transports[@]}"; do
    bench "$store" "$transport" "$@"
  done
done
