#!/usr/bin/env bash
# Runs the demo: installs what is missing, builds the web apps and the server, seeds demo
# users and starts everything on 127.0.0.1. The URLs and demo users are printed.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash scripts/setup.sh
bash scripts/build-web.sh
cargo build --release --quiet -p tessera-server
exec target/release/tessera serve --demo "$@"
