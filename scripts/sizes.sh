#!/usr/bin/env bash
# Prints the payload of the built web apps: raw and brotli (-q 11) bytes per file.
set -euo pipefail
source "$(dirname "$0")/env.sh"
for dir in dist-widget dist dist-companion; do
  total_raw=0 total_br=0
  for file in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
    [[ -f "$file" ]] || continue
    raw=$(stat -c %s "$file")
    br=$(brotli -q 11 -c "$file" | wc -c)
    total_raw=$((total_raw + raw)) total_br=$((total_br + br))
    printf '%-60s %9d raw %8d brotli\n' "$file" "$raw" "$br"
  done
  printf '%-60s %9d raw %8d brotli\n' "$dir (total)" "$total_raw" "$total_br"
done
