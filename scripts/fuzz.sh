#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz with clang under ASan+UBSan and
# runs each one, seeded with the fixtures (a copy, so the fixtures are never
# changed).  The build is CMake's own (-DPT_FUZZ=ON), so the engine's
# sources, include folders and generated files are the ones every other
# build uses.  Crashes are left in build-fuzz/crashes/<target>/
# ($PT_FUZZ_OUT instead of build-fuzz when set).
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

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi

echo "== building ${targets[*]} (clang, libFuzzer, ASan+UBSan)"
CC=clang cmake -S . -B "$out/build" -DPT_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
  -DPT_WERROR=OFF > "$out/cmake.log" || { cat "$out/cmake.log"; exit 2; }
cmake --build "$out/build" -j2 --target "${targets[@]}" > "$out/build.log" 2>&1 ||
  { tail -n 40 "$out/build.log"; exit 2; }

status=0
for t in "${targets[@]}"; do
  corpus="$out/corpus/$t"
  mkdir -p "$corpus" "$out/crashes/$t"
  for d in $(seeds_for "$t"); do
    find "$d" -type f -size -2M -exec cp -n {} "$corpus/" \; 2>/dev/null || true
  done
  echo "== $t: running ${secs}s"
  if ! "$out/build/bin/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$out/crashes/$t/" "$corpus" 2> "$out/$t.log"; then
    echo "!! $t found a problem: see $out/$t.log and $out/crashes/$t/"
    status=1
  fi
  grep -E "^#[0-9]+.*DONE|^Done" "$out/$t.log" | tail -n 1 || true
done
exit $status
