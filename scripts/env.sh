# Sourced by the scripts: where the pinned tools live.
TESSERA_TOOLS_DIR="${TESSERA_TOOLS_DIR:-$HOME/.cache/tessera-tools}"
export PATH="$TESSERA_TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The release builds of the wasm apps (build-web.sh, dist.sh) rebuild the standard library
# with panic=immediate-abort: no panic messages, locations or formatting machinery in the
# wasm, so a panic is a plain trap (the apps already abort on one). Rust 1.95 ships this
# only as unstable flags; RUSTC_BOOTSTRAP lets the same stable compiler that builds and
# tests everything else take them, for these builds only (docs/DECISIONS.md, issue 19).
# Cargo merges these flags with .cargo/config.toml's. std's own dependencies are fetched
# first, since Trunk and dist.sh build offline.
wasm_release_env() {
  export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"
  cargo fetch --quiet --manifest-path "$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
}
