#!/usr/bin/env bash
# fleet.sh - benchmark of `pooltriage fleet` (issue 7): generates N verdicts
# (default 10,000) from the seed case's JSON with varied host names, capture
# times and bytes, plus every 10th host with a second problem and every 25th
# clean, in a temp folder; then times `fleet` over the folder (text and
# JSON) and over the same verdicts as JSON Lines on stdin, with peak RSS
# from /usr/bin/time -v.
# usage: bench/fleet.sh BUILD/bin/pooltriage [N]
set -eu
bin=$(realpath "$1") n=${2:-10000}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/reports"
"$bin" triage --pool examples/mfeavfk-2012r2/poolmon.txt --at 2026-11-20T08:00:00Z \
  --root examples/mfeavfk-2012r2 --host seed --json > "$tmp/seed.json" || [ $? = 1 ]
python3 - "$tmp/seed.json" "$tmp/reports" "$n" <<'PY'
import copy, hashlib, json, os, sys
seed = json.load(open(sys.argv[1]))
out, n = sys.argv[2], int(sys.argv[3])
other = hashlib.sha256(b"growing-tag|CtNt|ctsnet.sys|2.4.1.7").hexdigest()
for i in range(n):
    v = copy.deepcopy(seed)
    v["host"]["name"] = "srv%05d" % i
    day, hour = 1 + i % 28, i % 24
    v["captures"][0]["time"] = "2026-10-%02dT%02d:00:00Z" % (day, hour)
    f = v["findings"][0]
    f["bytes"] = 4_000_000_000 + (i * 7919) % 1_500_000_000
    if i % 25 == 0:
        v["findings"], v["verdict"] = [], "clean"
    elif i % 10 == 0:
        g = copy.deepcopy(f)
        g.update(rule="growing-tag", level="likely", title="CtNt grows steadily",
                 tag="CtNt", tags=["CtNt"], kb=None, fingerprint=other, bytes=300_000_000 + i)
        v["findings"].append(g)
    with open(os.path.join(out, "srv%05d.json" % i), "w") as fh:
        fh.write(json.dumps(v, separators=(",", ":")) + "\n")
PY
bytes=$(du -sb "$tmp/reports" | cut -f1)
echo "verdicts: $n files, $bytes bytes"
run() { # label, then the command
  local label=$1; shift
  sync
  /usr/bin/time -v "$@" > "$tmp/out" 2> "$tmp/time" || [ $? = 1 ]
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$tmp/time" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$tmp/time" | awk '{print $NF}')
  echo "$label: wall $wall, peak RSS ${rss} KiB, first line: $(head -c 100 "$tmp/out" | head -n 1)"
}
"$bin" fleet "$tmp/reports" > /dev/null || true   # warm the page cache
run "fleet folder (text)" "$bin" fleet "$tmp/reports"
run "fleet folder (json)" "$bin" fleet "$tmp/reports" --json
cat "$tmp/reports"/*.json > "$tmp/all.jsonl"
run "fleet - (JSON Lines on stdin)" sh -c "'$bin' fleet - --json < '$tmp/all.jsonl'"
