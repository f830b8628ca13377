#!/usr/bin/env bash
# Writes a brotli (-q 11) and a gzip (-9) twin next to every text and wasm file of the
# built web apps given (directories), which the servers send to browsers that take them
# (tessera_httpkit::web_app): the widget's wasm travels at a third of its size.
# Browsers take brotli over https only, gzip everywhere (the demo runs on plain http).
#   bash scripts/precompress.sh dist-widget dist-demo-bank dist-companion
set -euo pipefail
for dir in "$@"; do
  find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \
    -o -name '*.svg' -o -name '*.json' -o -name '*.webmanifest' \) -print0 |
    while IFS= read -r -d '' file; do
      brotli -q 11 -f -k -o "$file.br" "$file"
      gzip -9 -n -f -k "$file"
    done
done
