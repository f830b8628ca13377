#!/usr/bin/env bash
# Builds the two web apps with Trunk (offline; the pinned wasm-bindgen and wasm-opt):
#   dist-demo-bank/  the Demo Bank's pages with the widget (tessera-demo-bank serves them)
#   dist-companion/  the phone companion, served under /companion/: the daily part, and
#                    in setup/ the setup part (crates/companion/src/part.rs), built after
#                    it (a Trunk build replaces its whole dist directory)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cargo fetch --quiet
wasm_release_env
trunk build --release true --dist dist-demo-bank crates/demo-bank/pages/index.html
trunk build --release true --dist dist-companion --public-url /companion/ crates/companion/index.html
trunk build --release true --dist dist-companion/setup --public-url /companion/setup/ crates/companion/setup/index.html
bash scripts/precompress.sh dist-demo-bank dist-companion
