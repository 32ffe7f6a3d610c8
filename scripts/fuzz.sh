#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz with clang under ASan+UBSan and
# runs each one, seeded with the fixtures (a copy, so the fixtures are never
# changed).  Crashes are left in build-fuzz/crashes/<target>/.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]    (default 60, all)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
out=build-fuzz
mkdir -p "$out"

# Seeds per target: folders under tests/fixtures.
seeds_for() {
  case "$1" in
    fuzz_capture) echo tests/fixtures/pool ;;
    fuzz_pe|fuzz_pe_version|fuzz_authenticode) echo tests/fixtures/pe tests/fixtures/drivers/bin ;;
    fuzz_pooltag) echo tests/fixtures/pool tests/fixtures/pooltag ;;
    *) echo tests/fixtures ;;
  esac
}

cflags=(-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
        -Iengine/include -Iengine/src -Ikb/src $(pkg-config --cflags lua5.4 libcjson))
libs=($(pkg-config --libs lua5.4 sqlite3 libcrypto libcjson) -lm -lpthread)
sources=(engine/src/*.c kb/src/*.c)

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi
status=0
for t in "${targets[@]}"; do
  echo "== $t: building"
  clang "${cflags[@]}" "${sources[@]}" "tests/fuzz/$t.c" "${libs[@]}" -o "$out/$t"
  corpus="$out/corpus/$t"
  mkdir -p "$corpus" "$out/crashes/$t"
  for d in $(seeds_for "$t"); do
    find "$d" -type f -size -2M -exec cp -n {} "$corpus/" \; 2>/dev/null || true
  done
  echo "== $t: running ${secs}s"
  if ! "$out/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$out/crashes/$t/" "$corpus" 2> "$out/$t.log"; then
    echo "!! $t found a problem: see $out/$t.log and $out/crashes/$t/"
    status=1
  fi
  grep -E "^#[0-9]+.*DONE|^Done" "$out/$t.log" | tail -n 1 || true
done
exit $status
