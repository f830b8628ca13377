#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test Tessera, and skips what is there.
# Versions are pinned to the ones known to build here (see docs/DECISIONS.md):
# the newest Trunk needs a newer rustc, and only binaryen 132 parses Rust 1.95 output.
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate pinned in Cargo.toml
BINARYEN_VERSION=132
ESBUILD_VERSION=0.28.2  # minifies the widget's JS and CSS (scripts/dist.sh)
SWAGGER_PARSER_VERSION=12.1.0  # validates the OpenAPI document in the tests (13 needs Node 22)
CARGO_FUZZ_VERSION=0.13.2  # libFuzzer on the stable toolchain (sanitizer none), for scripts/fuzz.sh
AXE_CORE_VERSION=4.14.1  # the accessibility rules the browser tests run (Browser::axe)
AUTHLIB_VERSION=1.9.10  # the OpenID relying party of the e2e tests (tests/oidc/rp.py)
REQUESTS_VERSION=2.34.2
TOOLS_DIR="${TESSERA_TOOLS_DIR:-$HOME/.cache/tessera-tools}"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# The wasm apps' release builds rebuild std from its source (scripts/env.sh).
if ! rustup component list --installed | grep -qx 'rust-src'; then
  say "adding the standard library's source"
  rustup component add rust-src
fi

missing_debs=()
command -v chromium >/dev/null || missing_debs+=(chromium)
command -v chromedriver >/dev/null || missing_debs+=(chromium-driver)
command -v brotli >/dev/null || missing_debs+=(brotli)
command -v zbarimg >/dev/null || missing_debs+=(zbar-tools)  # reads the widget's QR in the e2e tests
# The server tests run a second time on PostgreSQL (scripts/postgres.sh).
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing_debs+=(postgresql)
python3 -c 'import ensurepip' 2>/dev/null || missing_debs+=(python3-venv)  # the relying party's venv
if ((${#missing_debs[@]})); then
  say "installing ${missing_debs[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_debs[@]}" >/dev/null
  # Where it can, the package starts a cluster of its own; the tests start theirs
  # (scripts/postgres.sh), so nothing is left listening.
  if [[ " ${missing_debs[*]} " == *" postgresql "* ]]; then
    pg_lsclusters -h 2>/dev/null | awk '$4 == "online" {print $1, $2}' |
      while read -r version cluster; do pg_ctlcluster "$version" "$cluster" stop || true; done
  fi
fi

if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
  say "building trunk $TRUNK_VERSION (about 9 minutes on 2 cores, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [[ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
  say "building cargo-fuzz $CARGO_FUZZ_VERSION (about 3 minutes, once)"
  cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes, once)"
  # Not --locked: its lockfile names a webpki-roots version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [[ "$("$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null)" != *"version $BINARYEN_VERSION"* ]]; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
  mkdir -p "$TOOLS_DIR"
  npm install --silent --prefix "$TOOLS_DIR" "binaryen@$BINARYEN_VERSION" >/dev/null
fi

if [[ "$("$TOOLS_DIR/node_modules/.bin/esbuild" --version 2>/dev/null)" != "$ESBUILD_VERSION" ]]; then
  say "installing esbuild $ESBUILD_VERSION (minifies the widget's JS and CSS) from npm"
  mkdir -p "$TOOLS_DIR"
  npm install --silent --prefix "$TOOLS_DIR" "esbuild@$ESBUILD_VERSION" >/dev/null
fi

swagger_parser="$TOOLS_DIR/node_modules/@apidevtools/swagger-parser/package.json"
if ! grep -qs "\"version\": \"$SWAGGER_PARSER_VERSION\"" "$swagger_parser"; then
  say "installing swagger-parser $SWAGGER_PARSER_VERSION (OpenAPI validator) from npm"
  mkdir -p "$TOOLS_DIR"
  npm install --silent --prefix "$TOOLS_DIR" "@apidevtools/swagger-parser@$SWAGGER_PARSER_VERSION" >/dev/null
fi

axe_core="$TOOLS_DIR/node_modules/axe-core/package.json"
if ! grep -qs "\"version\": \"$AXE_CORE_VERSION\"" "$axe_core"; then
  say "installing axe-core $AXE_CORE_VERSION (accessibility checks in the browser tests) from npm"
  mkdir -p "$TOOLS_DIR"
  npm install --silent --prefix "$TOOLS_DIR" "axe-core@$AXE_CORE_VERSION" >/dev/null
fi

# A third-party OpenID client for the e2e tests (issue 18): Authlib from PyPI, in a venv
# of the project's own (target/oidc-venv), never in the system's Python.
oidc_venv="$(dirname "$0")/../target/oidc-venv"
if ! "$oidc_venv/bin/python" -c "import authlib, requests, sys; sys.exit(authlib.__version__ != '$AUTHLIB_VERSION')" 2>/dev/null; then
  say "installing authlib $AUTHLIB_VERSION (OpenID relying party of the tests) from PyPI"
  python3 -m venv "$oidc_venv"
  "$oidc_venv/bin/pip" install --quiet --disable-pip-version-check \
    "authlib==$AUTHLIB_VERSION" "requests==$REQUESTS_VERSION"
fi
