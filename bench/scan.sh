#!/usr/bin/env bash
# bench/scan.sh - `pooltriage scan` against grep -rlF, rg -a -lF, yara and the
# memchr floor, in the same run, for 1, 10, 100 and 1,000 tags, present and
# absent, with a warm page cache; then a full pass over a 200 MB subset
# (scan + PE facts + sha256 of every file) and its cached re-run.
# Prints a table of median wall times (seconds) and ratios.
#
# usage: bench/scan.sh CORPUS_DIR [RUNS]
#   CORPUS_DIR  built by bench/fetch-bench-corpus.sh (bench/README.md)
#   RUNS        runs per measurement, the median is kept (default 5)
# env: PT_BIN (default build/bin/pooltriage), WORK (default a fresh /tmp folder)
set -euo pipefail

corpus=${1:?usage: bench/scan.sh CORPUS_DIR [RUNS]}
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
bin=${PT_BIN:-$here/../build/bin/pooltriage}
work=${WORK:-$(mktemp -d /tmp/ptbench.XXXXXX)}
mkdir -p "$work"
for tool in rg grep yara gcc python3; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing; apt-get install ripgrep yara gcc python3" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "bench: no pooltriage at $bin; build it or set PT_BIN" >&2; exit 2; }

gcc -O2 -pthread -o "$work/memchr_floor" "$here/memchr_floor.c"
find "$corpus" -type f ! -name MANIFEST.tsv | sort > "$work/files.list"
nfiles=$(wc -l < "$work/files.list")
bytes=$(xargs -d '\n' cat < "$work/files.list" | wc -c) # also warms the page cache
echo "corpus: $corpus, $nfiles files, $bytes bytes; cpus: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "pooltriage: $("$bin" --version 2>/dev/null || echo "$bin"); $(rg --version | head -1); $(grep --version | head -1); yara $(yara --version)"

# ---- tag lists: present ones are 4-character ASCII runs taken from the
# corpus; absent ones are random and checked absent by every tool below ----
python3 - "$work" "$work/files.list" <<'EOF'
import os, random, re, sys
work, listing = sys.argv[1], sys.argv[2]
random.seed(20261126)
files = open(listing).read().split("\n")[:-1]
seen = {}
for path in random.sample(files, min(200, len(files))):
    data = open(path, "rb").read()
    for m in re.finditer(rb"[A-Za-z][A-Za-z0-9]{3}", data[: 1 << 20]):
        seen.setdefault(m.group().decode(), path)
present = sorted(seen)
random.shuffle(present)
alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
cand = set()
while len(cand) < 3000:
    cand.add("".join(random.choice(alpha) for _ in range(4)))
cand -= set(seen)
open(os.path.join(work, "absent-candidates.txt"), "w").write("\n".join(sorted(cand)) + "\n")
for n in (1, 10, 100, 1000):
    open(os.path.join(work, f"present-{n}.txt"), "w").write("\n".join(present[:n]) + "\n")
EOF
# keep only candidates that no file holds (pooltriage finds them; rg confirms)
"$bin" scan --no-cache --json --tags-file "$work/absent-candidates.txt" "$corpus" > "$work/cand.json" || true
python3 - "$work" <<'EOF'
import json, os, sys
work = sys.argv[1]
doc = json.load(open(os.path.join(work, "cand.json")))
absent = [t for t, c in doc["attributions"].items() if not c]
for n in (1, 10, 100, 1000):
    open(os.path.join(work, f"absent-{n}.txt"), "w").write("\n".join(absent[:n]) + "\n")
EOF
if rg -a -l -F -f "$work/absent-1000.txt" "$corpus" >/dev/null; then
  echo "bench: rg finds an 'absent' tag; pooltriage missed it" >&2; exit 1
fi

yara_rules() { # tags-file -> rules file
  python3 - "$1" > "$2" <<'EOF'
import sys
tags = open(sys.argv[1]).read().split("\n")[:-1]
print("rule tags {\n  strings:")
for i, t in enumerate(tags):
    print(f'    $t{i} = "{t}"')
print("  condition:\n    any of them\n}")
EOF
}

# median wall time of a command, in seconds
measure() {
  local times=() i s e
  for ((i = 0; i < runs; i++)); do
    s=$(date +%s%N)
    "$@" > /dev/null 2>&1 || true
    e=$(date +%s%N)
    times+=($(((e - s) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]/1e6}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

floor_of() { # tags-file: the memchr floor for the first byte of its first tag
  local byte
  byte=$(head -c 1 "$1")
  "$work/memchr_floor" "$2" "$byte" < "$work/files.list"
}

printf '\n%-13s %7s %7s %7s %7s %7s %7s %7s %7s | %6s %6s %7s %7s\n' case pt pt-1t rg rg-1t \
  rg-c grep yara floor rg/pt pt/flr rg1/pt1 rgc/pt
for kind in present absent; do
  for n in 1 10 100 1000; do
    tf="$work/$kind-$n.txt"
    yara_rules "$tf" "$work/rules-$kind-$n.yar"
    if [ "$n" = 1 ]; then
      tag=$(head -n 1 "$tf")
      pt=$(measure "$bin" scan --no-cache --tag "$tag" "$corpus")
      pt1=$(measure "$bin" scan --no-cache --threads 1 --tag "$tag" "$corpus")
      rgt=$(measure rg -a -l -F "$tag" "$corpus")
      rgc=$(measure rg -a -c -F "$tag" "$corpus")
      rg1=$(measure rg -j1 -a -l -F "$tag" "$corpus")
      gr=$(measure grep -rlF "$tag" "$corpus")
    else
      pt=$(measure "$bin" scan --no-cache --tags-file "$tf" "$corpus")
      pt1=$(measure "$bin" scan --no-cache --threads 1 --tags-file "$tf" "$corpus")
      rgt=$(measure rg -a -l -F -f "$tf" "$corpus")
      rgc=$(measure rg -a -c -F -f "$tf" "$corpus")
      rg1=$(measure rg -j1 -a -l -F -f "$tf" "$corpus")
      gr=$(measure grep -rlF -f "$tf" "$corpus")
    fi
    ya=$(measure yara -r -p 2 "$work/rules-$kind-$n.yar" "$corpus")
    fl=$(measure floor_of "$tf" 2)
    printf '%-13s %7s %7s %7s %7s %7s %7s %7s %7s | %6.2f %6.2f %7.2f %7.2f\n' "$kind-$n" "$pt" \
      "$pt1" "$rgt" "$rg1" "$rgc" "$gr" "$ya" "$fl" "$(ratio "$rgt" "$pt")" "$(ratio "$pt" "$fl")" \
      "$(ratio "$rg1" "$pt1")" "$(ratio "$rgc" "$pt")"
  done
done
fl1=$(measure floor_of "$work/absent-1.txt" 1)
fl1e9=$(awk -v s="$fl1" 'BEGIN { printf "%.0f", s * 1e9 }')
echo "memchr floor, 1 thread: $fl1 s ($(ratio "$bytes" "$fl1e9") GB/s)"

# ---- a full pass over a 200 MB subset, then its cached re-run ----
sub="$work/subset-200MB"
rm -rf "$sub" "$work/cache.sqlite"*
mkdir -p "$sub"
total=0
while IFS= read -r f && [ "$total" -lt 200000000 ]; do
  rel=${f#"$corpus"/}
  mkdir -p "$sub/$(dirname "$rel")"
  cp "$f" "$sub/$rel"
  total=$((total + $(stat -c %s "$f")))
done < <(shuf --random-source=<(yes) "$work/files.list")
find "$sub" -type f -exec cat {} + > /dev/null
echo
echo "subset: $(find "$sub" -type f | wc -l) files, $total bytes"
full_args=(scan --hash --describe-all --tags-file "$work/absent-1000.txt" "$sub")
full=$(measure "$bin" "${full_args[@]}" --no-cache)
full1=$(measure "$bin" "${full_args[@]}" --no-cache --threads 1)
ten=$(measure "$bin" scan --no-cache --hash --tags-file "$work/present-10.txt" "$sub")
"$bin" "${full_args[@]}" --cache "$work/cache.sqlite" >/dev/null || true
cached=$(measure "$bin" "${full_args[@]}" --cache "$work/cache.sqlite")
{ "$bin" "${full_args[@]}" --cache "$work/cache.sqlite" --stats 2>&1 >/dev/null || true; } | tail -1
capture="$here/../examples/mfeavfk-2012r2/poolmon.txt"
triage=$(measure "$bin" triage --pool "$capture" --drivers "$sub" --os 2012R2)
printf '%-60s %7s s\n' "full pass: 1,000 tags + PE facts + sha256 of every file" "$full" \
  "the same on 1 thread" "$full1" \
  "10 present tags, holders described and hashed (triage's scan)" "$ten" \
  "cached re-run of the full pass" "$cached" \
  "pooltriage triage: example capture + the 200 MB folder" "$triage"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
