#!/usr/bin/env bash
# Builds the two web apps with Trunk (offline; the pinned wasm-bindgen and wasm-opt):
#   dist/            the Demo Bank page with the widget
#   dist-companion/  the phone companion, served under /companion/
set -euo pipefail
source "$(dirname "$0")/env.sh"
cargo fetch --quiet
trunk build --release true --dist dist index.html
trunk build --release true --dist dist-companion --public-url /companion/ crates/companion/index.html
