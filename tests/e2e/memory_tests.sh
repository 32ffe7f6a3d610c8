#!/usr/bin/env bash
# memory_tests.sh BIN SRC - bounded memory (DESIGN.md 4): the peak resident
# memory of a triage over a driver folder holding a 2 GiB (sparse) driver
# stays under 64 MiB, and the big driver is still described (hashed).
set -euo pipefail
bin=$1
src=$2
limit_kib=$((64 * 1024))
command -v /usr/bin/time >/dev/null || { echo "SKIP: /usr/bin/time missing (apt-get install time)"; exit 0; }
tmp=$(mktemp -d /tmp/pt_memory.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
case_dir="$src/examples/mfeavfk-2012r2"
mkdir -p "$tmp/drivers"
cp "$case_dir"/Windows/System32/drivers/*.sys "$tmp/drivers/"
# the leaking driver's bytes at the start of a 2 GiB file (sparse: no disk)
truncate -s 2G "$tmp/drivers/mfeavfk.sys"
set +e
/usr/bin/time -v -o "$tmp/time.txt" "$bin" triage --pool "$case_dir/poolmon.txt" \
  --drivers "$tmp/drivers" --os 2012R2 --no-cache --json > "$tmp/verdict.json" 2> "$tmp/stderr.txt"
rc=$?
set -e
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  echo "FAIL: triage exited $rc"; cat "$tmp/stderr.txt"; exit 1
fi
peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
echo "peak RSS of a triage with a 2 GiB driver: $peak KiB (limit $limit_kib KiB)"
[ -n "$peak" ] && [ "$peak" -lt "$limit_kib" ] || { echo "FAIL: peak RSS $peak KiB"; exit 1; }
# the 2 GiB driver was read and hashed, not skipped
python3 - "$tmp/verdict.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
ds = [f["driver"] for f in v["findings"] if f.get("driver") and f["driver"]["name"] == "mfeavfk.sys"]
assert ds, "no finding names mfeavfk.sys"
assert ds[0]["sha256"] and len(ds[0]["sha256"]) == 64, ds[0]
print("mfeavfk.sys (2 GiB) sha256", ds[0]["sha256"])
PY
echo "PASS"
