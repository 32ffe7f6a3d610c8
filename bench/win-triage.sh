#!/usr/bin/env bash
# Benchmark: pooltriage.exe triage under Wine over a folder of 200 drivers
# (copies of the test fixtures' PE files under distinct names, the
# mfeavfk.sys of the example case among them) with the example's capture.
#   bash bench/win-triage.sh [BUILD_DIR]     (default build-win)
# Prints the wall time of 5 runs without the scan cache and 5 with it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-win}
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
export WINEDEBUG=-all
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/drivers" "$work/cache"
mapfile -t pes < <(find "$root/tests/fixtures/pe" "$root/tests/fixtures/drivers/bin/x64" \
                     -name '*.sys' | sort)
for i in $(seq 1 199); do
  src=${pes[$(( i % ${#pes[@]} ))]}
  cp "$src" "$work/drivers/drv$(printf %03d "$i")_$(basename "$src")"
done
cp "$root/examples/mfeavfk-2012r2/Windows/System32/drivers/mfeavfk.sys" "$work/drivers/"
echo "drivers: $(ls "$work/drivers" | wc -l) files, $(du -sh "$work/drivers" | cut -f1)"
run() {
  local t0 t1
  t0=$(date +%s.%N)
  LOCALAPPDATA="$work/cache" "$wine" "$build/bin/pooltriage.exe" triage "$@" \
    --pool "$root/examples/mfeavfk-2012r2/poolmon.txt" --drivers "$work/drivers" \
    --kb "$build/share/pooltriage/kb.sqlite" > "$work/out.txt" || [ $? -eq 1 ]
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
"$wine" "$build/bin/pooltriage.exe" --version > /dev/null   # wineserver up
for mode in --no-cache cached; do
  times=()
  for r in 1 2 3 4 5; do
    if [ "$mode" = cached ]; then times+=("$(run)"); else times+=("$(run --no-cache)"); fi
  done
  echo "$mode: ${times[*]} s"
done
grep -m1 -E "KNOWN|LIKELY" "$work/out.txt"
