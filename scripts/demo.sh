#!/usr/bin/env bash
# Runs the demo: installs what is missing, builds the web apps, the server and the Demo
# Bank, seeds demo users and starts both on 127.0.0.1. The URLs and demo users are printed.
#   bash scripts/demo.sh [--port N] [--bank-port N] [--host ADDR] [--data DIR]
#                        [--web DIR: the bank's pages, default dist-demo-bank]
#                        [any other option of `tessera serve`]
# The Demo Bank is a partner like any other: `tessera serve --demo` registers it and writes
# its API key and pinned root into DIR; `tessera-demo-bank` reads them. Ctrl+C stops both.
set -euo pipefail
source "$(dirname "$0")/env.sh"
port=8080 bank_port=8081 host=127.0.0.1 data=tessera-data web=dist-demo-bank
serve=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --bank-port) bank_port="$2"; shift 2 ;;
    --host) host="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --web) web="$2"; shift 2 ;;
    *) serve+=("$1"); shift ;;
  esac
done
public_url="http://$host:$port"
for ((i = 0; i < ${#serve[@]}; i++)); do
  [[ "${serve[$i]}" == --public-url ]] && public_url="${serve[$((i + 1))]:-$public_url}"
done
bash scripts/setup.sh
bash scripts/build-web.sh
bash scripts/dist.sh >/dev/null  # dist-widget/: the widget of the OpenID sign-in page
# Speed-optimised; `release` is for the wasm's size.
cargo build --profile native --quiet -p tessera-server -p tessera-demo-bank
bin="${CARGO_TARGET_DIR:-target}/native"

server= bank=
stop() {
  trap - INT TERM EXIT
  for pid in $bank $server; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT
# A key file from an earlier run would say "seeded" too early: wait for this run's.
rm -f "$data/demo-bank-api-key"
"$bin/tessera" serve --demo --data "$data" --host "$host" --port "$port" \
  --demo-bank-origin "http://$host:$bank_port" "${serve[@]}" &
server=$!
until [[ -s "$data/demo-bank-api-key" ]]; do
  kill -0 "$server" 2>/dev/null || { echo "demo.sh: the server stopped" >&2; exit 1; }
  sleep 0.2
done
"$bin/tessera-demo-bank" --api-key-file "$data/demo-bank-api-key" \
  --root-file "$data/demo-bank-root-key" --tessera "http://127.0.0.1:$port" \
  --tessera-public-url "$public_url" --host "$host" --port "$bank_port" \
  --origin "http://$host:$bank_port" \
  --data "$data/demo-bank" --web "$web" &
bank=$!
# Either one stopping ends the demo.
wait -n "$server" "$bank" || true
