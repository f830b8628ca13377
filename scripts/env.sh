# Sourced by the scripts: where the pinned tools live.
TESSERA_TOOLS_DIR="${TESSERA_TOOLS_DIR:-$HOME/.cache/tessera-tools}"
export PATH="$TESSERA_TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
