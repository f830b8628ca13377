#!/usr/bin/env bash
# Where a web app's wasm bytes go (issue 19), grouped by crate, on the same pipeline as
# Trunk (wasm-bindgen, then wasm-opt -Oz) but keeping the name section so twiggy can
# name every function. Usage, after a release build of the app (e.g. build-web.sh):
#   bash scripts/wasm-by-crate.sh target/wasm32-unknown-unknown/release/tessera-companion.wasm
# Prints the code and data sections (raw, brotli -q 11) and code bytes per crate. Our own
# html! views appear under yew as `CompStateInner<COMP>::view` (one per component).
set -euo pipefail
wasm="$(realpath "$1")"
source "$(dirname "$0")/env.sh"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
wasm-bindgen --target web --out-dir "$scratch" "$wasm"
wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals "$scratch"/*_bg.wasm -o "$scratch/named.wasm"
twiggy top -n 1000000 -f csv "$scratch/named.wasm" > "$scratch/top.csv"
python3 - "$scratch/named.wasm" "$scratch/top.csv" <<'EOF'
import collections, csv, re, subprocess, sys

def brotli(data):
    return len(subprocess.run(["brotli", "-q", "11", "-c"], input=data, capture_output=True).stdout)

def leb(b, i):
    value = shift = 0
    while True:
        byte = b[i]; i += 1
        value |= (byte & 0x7F) << shift; shift += 7
        if byte < 0x80:
            return value, i

wasm = open(sys.argv[1], "rb").read()
i = 8
print("| section | raw | brotli |\n|---|---|---|")
while i < len(wasm):
    kind = wasm[i]
    size, start = leb(wasm, i + 1)
    if kind in (10, 11):
        body = wasm[start:start + size]
        print(f"| {'code' if kind == 10 else 'data'} | {size:,} | {brotli(body):,} |")
    i = start + size

def crate(name):
    path = re.sub(r"^(mut |dyn |\[)+", "", name.lstrip("<&"))
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)", path)
    if not m:
        return "other"
    first = m.group(1)
    if first == "impl":
        m = re.search(r" for ([a-z_0-9]+)::", name)
        return m.group(1) if m else "impl"
    if first[0].isupper() or first in ("str", "u8", "u16", "u32", "u64", "usize", "i32", "f64", "bool", "char"):
        return "core (impls on primitives)"
    if first == "yew" or first.startswith("yew"):
        return "yew (our views)" if "CompStateInner<COMP>" in name and "::view" in name else "yew"
    return first

sizes = collections.Counter()
for row in csv.DictReader(open(sys.argv[2])):
    name = row["Name"]
    if "section" in name or name.startswith("data segment"):
        continue
    sizes[crate(name)] += int(row["ShallowSize"])
total = sum(sizes.values())
print(f"\n| crate (code) | raw bytes | share |\n|---|---|---|")
for name, size in sizes.most_common(30):
    print(f"| {name} | {size:,} | {100 * size / total:.1f}% |")
print(f"| total | {total:,} | 100% |")
EOF
