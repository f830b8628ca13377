#!/usr/bin/env bash
# Prints one table: the payload of every built web bundle (raw and brotli -q 11 bytes per
# file and per bundle), then the times the tests measured (target/metrics.txt: time to
# ready, time to QR, verification natively and in wasm). Reported, never asserted.
set -euo pipefail
source "$(dirname "$0")/env.sh"
row() { printf '%-58s %12s %12s\n' "$@"; }
row "bundle / file" "raw bytes" "brotli bytes"
# dist-companion: the daily part, what a phone loads to show its home screen and answer a
# request; dist-companion/setup: the setup part, loaded when a rare flow starts.
for dir in dist-widget dist-demo-bank dist-companion dist-companion/setup; do
  total_raw=0 total_br=0
  for file in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
    [[ -f "$file" ]] || continue
    raw=$(stat -c %s "$file")
    br=$(brotli -q 11 -c "$file" | wc -c)
    total_raw=$((total_raw + raw)) total_br=$((total_br + br))
    row "  $file" "$raw" "$br"
  done
  row "$dir (total)" "$total_raw" "$total_br"
done
# Each line of metrics.txt is "what: value unit ..." or free text; shown as measured.
if [[ -s target/metrics.txt ]]; then
  row "measured (target/metrics.txt)" "" ""
  while IFS= read -r line; do printf '  %s\n' "$line"; done <target/metrics.txt
fi
