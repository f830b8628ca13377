#!/usr/bin/env bash
# Runs the fuzz targets of fuzz/ (libFuzzer through cargo-fuzz, stable toolchain, no
# sanitizer: the crates forbid unsafe code) for a bounded time each, starting from the
# committed corpus in fuzz/corpus/<target>/ without writing into it. A crash, a panic, a
# timeout (10 s for one input) or more than 2 GB of memory fails the run; the input that
# did it is kept in fuzz/artifacts/<target>/.
#   bash scripts/fuzz.sh [seconds per target, default 15] [target…]
# test.sh runs every target for 15 s. For a long run that grows the committed corpus:
#   FUZZ_KEEP=1 bash scripts/fuzz.sh 3600 approval   # then: cargo fuzz cmin -s none -O approval
set -euo pipefail
source "$(dirname "$0")/env.sh"
seconds=${1:-15}
shift || true
cd fuzz
# Its own target folder: instrumented builds never mix with the project's.
export CARGO_TARGET_DIR="$PWD/target"
targets=("$@")
((${#targets[@]})) || mapfile -t targets < <(cargo fuzz list)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in "${targets[@]}"; do
  new="$scratch/$target"
  [[ -n "${FUZZ_KEEP:-}" ]] && new="corpus/$target"
  mkdir -p "$new"
  echo "== fuzz $target for ${seconds}s"
  status=0
  cargo fuzz run -s none -O "$target" "$new" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$scratch/$target.log" 2>&1 || status=$?
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)|panicked|^==[0-9]+== ERROR|^SUMMARY|Test unit written' \
    "$scratch/$target.log" || true
  if ((status)); then
    tail -40 "$scratch/$target.log" >&2
    echo "!! fuzz $target failed; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
