#!/usr/bin/env bash
# Parse speed of `pooltriage pool` on a ~100 MB series of poolmon captures
# generated from the fixtures (bench/gen_series.py) in a temp folder that is
# removed afterwards.  Prints seconds and MB/s for the best of N runs.
#   bench/parse.sh [BINARY] [TOTAL_MB] [RUNS]
#   (defaults: build/bin/pooltriage, 100, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bin/pooltriage}
mb=${2:-100}
runs=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 bench/gen_series.py "$tmp/series" "$mb"
bytes=$(cat "$tmp"/series/* | wc -c)
files=$(ls "$tmp/series" | wc -l)
"$bin" pool "$tmp"/series/* > /dev/null   # warm the page cache
best=""
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$bin" pool "$tmp"/series/* > "$tmp/out.txt"
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc -l)
  echo "run $i: ${t}s"
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
head -n 3 "$tmp/out.txt" | cut -c1-100
grep -m1 '^Leak' "$tmp/out.txt" | cut -c1-160 || true
printf 'parsed %d captures, %.1f MB in %.3f s (best of %d): %.0f MB/s\n' \
  "$files" "$(echo "$bytes / 1000000" | bc -l)" "$best" "$runs" \
  "$(echo "$bytes / 1000000 / $best" | bc -l)"
