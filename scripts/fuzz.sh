#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz with clang under ASan+UBSan and
# runs each one, seeded with the fixtures (a copy, so the fixtures are never
# changed).  Crashes are left in build-fuzz/crashes/<target>/ ($PT_FUZZ_OUT
# instead of build-fuzz when set).  Targets named fuzz_minisign* or
# fuzz_fetch* also link fetch/src/minisign.c and feed.c (never libcurl).
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]    (default 60, all)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
out=${PT_FUZZ_OUT:-build-fuzz}
mkdir -p "$out"

# Seeds per target: tests/fuzz/seeds.txt (CTest replays the same folders).
seeds_for() {
  sed -n "s/^$1: //p" tests/fuzz/seeds.txt
}

cflags=(-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1
        -fno-sanitize-recover=undefined -Iengine/include $(for d in engine/core engine/platform/posix engine/collect engine/rank engine/scan engine/describe engine/attribute engine/judge engine/report engine/fleet; do printf -- "-I%s " "$d"; done)
        -Ifetch/include $(pkg-config --cflags lua5.4 libcjson))
libs=($(pkg-config --libs lua5.4 sqlite3 libcrypto libcjson) -lm -lpthread)
sources=(engine/triage.c engine/{core,platform/posix,collect,rank,scan,describe,attribute,judge,report,fleet}/*.c)
# The update stage's parsers need no network code: only these two files.
fetch_sources=(fetch/src/minisign.c fetch/src/feed.c)

# The engine is compiled once (instrumented, not linked to the fuzzer's
# main), two files at a time; each target then only links.
obj="$out/obj"
mkdir -p "$obj"
echo "== compiling the engine"
printf '%s\n' "${sources[@]}" "${fetch_sources[@]}" |
  xargs -P 2 -I{} sh -c 'clang "$@" -fsanitize=fuzzer-no-link,address,undefined -c "{}" \
    -o "'"$obj"'/$(echo "{}" | tr / _).o"' _ "${cflags[@]}"
engine_objs=()
for src in "${sources[@]}"; do engine_objs+=("$obj/$(echo "$src" | tr / _).o"); done
extra_for() {
  case "$1" in
    fuzz_minisign*|fuzz_fetch*)
      for src in "${fetch_sources[@]}"; do echo "$obj/$(echo "$src" | tr / _).o"; done ;;
  esac
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi
status=0
for t in "${targets[@]}"; do
  echo "== $t: building"
  clang "${cflags[@]}" -fsanitize=fuzzer,address,undefined "${engine_objs[@]}" \
        $(extra_for "$t") "tests/fuzz/$t.c" "${libs[@]}" -o "$out/$t"
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
