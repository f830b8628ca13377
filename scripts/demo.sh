#!/usr/bin/env bash
# Runs the demo: installs what is missing, builds the web apps and the server, seeds demo
# users and starts everything on 127.0.0.1. The URLs and demo users are printed.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash scripts/setup.sh
bash scripts/build-web.sh
bash scripts/dist.sh >/dev/null  # dist-widget/: the widget of the OpenID sign-in page
cargo build --profile native --quiet -p tessera-server  # speed-optimised; `release` is for the wasm's size
exec target/native/tessera serve --demo "$@"
