#!/usr/bin/env bash
# Builds the widget for partners, one command:
#   dist-widget/             tessera-<hash>.js (wasm-bindgen glue + web/embed/loader.js, minified),
#                            tessera-<hash>.wasm (release, wasm-opt -Oz --converge), tessera-<hash>.css (minified),
#                            tessera-tags.html (the <script>/<link> tags with SRI hashes),
#                            manifest.json, README.md (web/embed/README.md)
#   dist-partner-example/    web/partner-example/ with those tags filled in and a copy of
#                            dist-widget/: a web root (tessera serve --demo --web DIR)
# Prints the SRI hashes and the sizes (raw, brotli -q 11).
set -euo pipefail
source "$(dirname "$0")/env.sh"
# Its own target directory: the library built as a cdylib (cargo rustc --crate-type), which
# would otherwise rebuild back and forth with Trunk's build of the Demo Bank.
target="${CARGO_TARGET_DIR:-target}/dist-widget"
out=dist-widget
example=dist-partner-example
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo fetch --quiet
wasm_release_env
CARGO_TARGET_DIR="$target" cargo rustc --offline --quiet --release -p tessera-widget --lib \
  --target wasm32-unknown-unknown --crate-type cdylib
wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name tessera \
  "$target/wasm32-unknown-unknown/release/tessera_widget.wasm"
# -Oz until nothing shrinks (--converge); no debug or producers sections; the module owns
# its memory (zero-filled at start) and Rust never uses its lowest 1 KiB (null page), which
# lets wasm-opt fold constant addresses. Trunk's builds pass the same (data-wasm-opt-params).
wasm-opt -Oz --converge --strip-debug --strip-producers --zero-filled-memory --low-memory-unused \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$work/tessera.opt.wasm" "$work/tessera_bg.wasm"
python3 scripts/shorten-imports.py "$work/tessera.opt.wasm" "$work/tessera.js"

# One module under one SRI hash: JS snippets (inline_js / module imports) would be files the
# hash does not cover, so none may appear.
if [[ -d "$work/snippets" ]]; then
  echo "dist.sh: wasm-bindgen wrote JS snippets; the loader cannot cover them with SRI" >&2
  exit 1
fi

short() { sha256sum "$1" | cut -c1-16; }
sri() { echo "sha384-$(openssl dgst -sha384 -binary "$1" | openssl base64 -A)"; }

rm -rf "$out" "$example"
mkdir -p "$out"
wasm="tessera-$(short "$work/tessera.opt.wasm").wasm"
cp "$work/tessera.opt.wasm" "$out/$wasm"
wasm_sri="$(sri "$out/$wasm")"
{
  cat "$work/tessera.js"
  sed -e "s|__TESSERA_WASM__|$wasm|" -e "s|__TESSERA_WASM_SRI__|$wasm_sri|" web/embed/loader.js
} >"$work/module.js"
# Every bank page loads these two: minified (esbuild, which keeps the module's imports,
# exports and import.meta as they are), about 2.7 KB less brotli than as written.
esbuild --minify --log-level=warning --outfile="$work/module.min.js" "$work/module.js"
esbuild --minify --log-level=warning --outfile="$work/widget.min.css" web/widget.css
js="tessera-$(short "$work/module.min.js").js"
cp "$work/module.min.js" "$out/$js"
css="tessera-$(short "$work/widget.min.css").css"
cp "$work/widget.min.css" "$out/$css"
js_sri="$(sri "$out/$js")" css_sri="$(sri "$out/$css")"
cp web/embed/README.md "$out/README.md"

# The tags for the partner's page; PREFIX is where the partner serves dist-widget/. The
# .wasm is preloaded with the loader's own request (CORS, same SRI hash), so it downloads
# while the page parses instead of after the module script ran.
tags() {
  printf '<link rel="stylesheet" href="%s%s" integrity="%s" crossorigin="anonymous">\n' "$1" "$css" "$css_sri"
  printf '<link rel="preload" href="%s%s" as="fetch" type="application/wasm" integrity="%s" crossorigin="anonymous">\n' "$1" "$wasm" "$wasm_sri"
  printf '<script type="module" src="%s%s" integrity="%s" crossorigin="anonymous"></script>\n' "$1" "$js" "$js_sri"
}
tags "/dist-widget/" >"$out/tessera-tags.html"
cat >"$out/manifest.json" <<JSON
{
  "js": {"file": "$js", "integrity": "$js_sri"},
  "wasm": {"file": "$wasm", "integrity": "$wasm_sri"},
  "css": {"file": "$css", "integrity": "$css_sri"}
}
JSON

# The example partner page: its own files, plus the tags, plus dist-widget/ as is.
mkdir -p "$example"
cp -r web/partner-example/. "$example/"
tags "dist-widget/" >"$work/tags.html"
for page in "$example"/*.html; do
  python3 - "$page" "$work/tags.html" <<'PY'
import sys
page, tags = sys.argv[1], open(sys.argv[2]).read().strip()
text = open(page).read()
assert "<!-- tessera:tags -->" in text, page
open(page, "w").write(text.replace("<!-- tessera:tags -->", tags))
PY
done
bash scripts/precompress.sh "$out" "$example"
cp -r "$out" "$example/dist-widget"

echo "dist-widget/ — put these tags in the partner's page (href/src where you serve it):"
cat "$out/tessera-tags.html"
echo
total_raw=0 total_br=0
for file in "$out/$wasm" "$out/$js" "$out/$css"; do
  raw=$(stat -c %s "$file")
  br=$(brotli -q 11 -c "$file" | wc -c)
  total_raw=$((total_raw + raw)) total_br=$((total_br + br))
  printf '%-48s %9d raw %8d brotli\n' "$file" "$raw" "$br"
done
printf '%-48s %9d raw %8d brotli\n' "$out (total)" "$total_raw" "$total_br"
