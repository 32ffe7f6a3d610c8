#!/usr/bin/env bash
# collect_tests.sh - `pooltriage collect --out CASE.zip` against a fake host
# tree (the example case: a capture and a Windows/System32 tree with
# drivers and ntoskrnl.exe, and the signed test tree with a catalog): the
# manifest lists every file with its sha256, `triage` of the written case
# gives the tree's verdict, an existing file is never overwritten, and a
# failed run leaves nothing behind.
# usage: collect_tests.sh BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh" "$@"
tree=$src/examples/mfeavfk-2012r2
mkdir -p "$tmp/out"

# ---- the case of the example host ----
"$bin" collect "$tree" --out "$tmp/out/host42.zip" > "$tmp/stdout" 2> "$tmp/err"
code=$?
[ "$code" = 0 ] && grep -q "^wrote $tmp/out/host42.zip: 1 capture, 2 drivers, ntoskrnl.exe" \
  "$tmp/stdout" && ok "collect writes the case (exit 0, one summary line)" ||
  bad "collect: exit $code: $(cat "$tmp/stdout")"

if python3 - "$tmp/out/host42.zip" "$tree" <<'PY'
import hashlib, json, os, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = sorted(z.namelist())
want = sorted(["host42/poolmon.txt", "host42/Windows/System32/drivers/mfeavfk.sys",
               "host42/Windows/System32/drivers/mfehidk.sys",
               "host42/Windows/System32/ntoskrnl.exe", "host42/manifest.json"])
assert names == want, names
m = json.loads(z.read("host42/manifest.json"))
assert m["schema"] == "pooltriage-case/1" and m["host"] == "host42", m
assert m["os"]["build"] == 9600 and m["os"]["version"] == "6.3.9600.19000", m["os"]
listed = {f["path"]: f for f in m["files"]}
assert sorted(listed) == [n for n in want if not n.endswith("manifest.json")], listed
for path, f in listed.items():
    data = z.read(path)
    assert f["size"] == len(data), path
    assert f["sha256"] == hashlib.sha256(data).hexdigest(), path
    assert f["sha256"] == hashlib.sha256(open(f["from"], "rb").read()).hexdigest(), path
    assert os.path.realpath(f["from"]).startswith(os.path.realpath(sys.argv[2])), f["from"]
PY
then ok "the manifest lists every file with its size, source and sha256 (checked against both)"
else bad "manifest"; fi

# ---- triage of the written case gives the tree's verdict ----
"$bin" triage "$tree" --json > "$tmp/tree.json" 2> "$tmp/err"; c1=$?
"$bin" triage "$tmp/out/host42.zip" --json > "$tmp/case.json" 2> "$tmp/err"; c2=$?
if [ "$c1" = 1 ] && [ "$c2" = 1 ] && python3 - "$tmp/tree.json" "$tmp/case.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
key = lambda v: [(f["level"], f["fingerprint"], (f.get("kb") or {}).get("id"),
                  f["tag"], f["driver"]["name"] if f.get("driver") else None,
                  f["driver"]["sha256"] if f.get("driver") else None) for f in v["findings"]]
assert key(a) == key(b), (key(a), key(b))
assert a["verdict"] == b["verdict"], (a["verdict"], b["verdict"])
assert a["host"]["os"] == b["host"]["os"], (a["host"], b["host"])
assert b["host"]["name"] == "host42" and b["errors"] == [], b["host"]
PY
then ok "triage of the case gives the tree's verdict: level, findings, fingerprints, KB, OS (exit 1 both)"
else bad "triage case vs tree: exit $c1/$c2"; fi

# ---- never overwrites, leaves nothing behind ----
before=$(sha256sum "$tmp/out/host42.zip")
"$bin" collect "$tree" --out "$tmp/out/host42.zip" > "$tmp/stdout" 2> "$tmp/err"
code=$?
[ "$code" = 3 ] && [ "$(grep -c . "$tmp/err")" = 1 ] && grep -q "exists: collect never overwrites" "$tmp/err" &&
  [ "$(sha256sum "$tmp/out/host42.zip")" = "$before" ] && [ "$(ls "$tmp/out")" = host42.zip ] &&
  ok "an existing --out is refused (exit 3, one line) and left as it was" ||
  bad "overwrite: exit $code"
"$bin" collect "$tree" --out "$tmp/nowhere/x.zip" > /dev/null 2> "$tmp/err"
code=$?
[ "$code" = 3 ] && [ ! -e "$tmp/nowhere" ] && ok "a folder that does not exist: exit 3, nothing made" ||
  bad "missing folder: exit $code"
"$bin" collect --pool "$tmp/missing.txt" --out "$tmp/out/bad.zip" > /dev/null 2> "$tmp/err"
code=$?
[ "$code" = 3 ] && [ "$(ls "$tmp/out")" = host42.zip ] &&
  ok "an unreadable input: exit 3 and no archive, no temporary file" || bad "bad input: exit $code"

# ---- a catalog-signed driver brings its catalog; --all-drivers ----
"$bin" collect --pool "$src/tests/fixtures/cases/growth-series/pool_20261120_1100.txt" \
  --root "$src/tests/fixtures/signed/root" --out "$tmp/out/signed.zip" > /dev/null 2> "$tmp/err"
code=$?
if [ "$code" = 0 ] && python3 - "$tmp/out/signed.zip" <<'PY'
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
cat = "signed/Windows/System32/CatRoot/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}/test.cat"
assert cat in z.namelist(), z.namelist()
assert "signed/Windows/System32/drivers/ctsnet.sys" in z.namelist(), z.namelist()
m = json.loads(z.read("signed/manifest.json"))
assert cat in [f["path"] for f in m["files"]]
PY
then ok "the catalog that signs a collected driver is collected under CatRoot"
else bad "catalog: exit $code"; fi
# triage of that case reads the catalog it carries, as triage of the tree does
pool=$src/tests/fixtures/cases/growth-series/pool_20261120_1100.txt
"$bin" triage --pool "$pool" --root "$src/tests/fixtures/signed/root" --json > "$tmp/tree.json" 2> /dev/null
"$bin" triage "$tmp/out/signed.zip" --json > "$tmp/case.json" 2> "$tmp/err"
if python3 - "$tmp/tree.json" "$tmp/case.json" "$tmp/out/signed.zip" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
def ctsnet(v):
    d = [f["driver"] for f in v["findings"]
         if f.get("driver") and f["driver"]["name"].lower() == "ctsnet.sys"]
    assert d, v["findings"]
    return d[0]["signer"]
ta, tb = ctsnet(a), ctsnet(b)
assert ta["catalog"].endswith("test.cat") and tb["catalog"] is not None, (ta, tb)
assert tb["catalog"] == sys.argv[3] + ":signed/Windows/System32/CatRoot/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}/test.cat", tb["catalog"]
for k in ("status", "subject", "issuer", "signing_time", "trust", "root"):
    assert ta[k] == tb[k], (k, ta[k], tb[k])
PY
then ok "triage of the case signs ctsnet.sys by the catalog in the archive, as triage of the tree does"
else bad "triage of the case does not read its catalog: $(cat "$tmp/err")"; fi
"$bin" collect "$tree" --all-drivers --out "$tmp/out/all.zip" > /dev/null 2> "$tmp/err"
code=$?
n=$(find "$tree" -iname '*.sys' | wc -l)
[ "$code" = 0 ] && [ "$(python3 -c 'import sys, zipfile; print(sum(n.endswith(".sys") for n in zipfile.ZipFile(sys.argv[1]).namelist()))' "$tmp/out/all.zip")" = "$n" ] &&
  ok "--all-drivers copies every *.sys ($n)" || bad "--all-drivers: exit $code"

# ---- usage ----
for args in "$tree" "$tree --out $tmp/out/u.zip --json" "$tree --out $tmp/out/u.zip --every 5"; do
  "$bin" collect $args > /dev/null 2> "$tmp/err"
  code=$?
  [ "$code" = 2 ] && [ ! -e "$tmp/out/u.zip" ] && ok "usage error (exit 2): collect $args" ||
    bad "collect $args: exit $code"
done
"$bin" triage "$tree" --out "$tmp/out/u.zip" > /dev/null 2> "$tmp/err"
[ $? = 2 ] && ok "--out is collect's, not triage's" || bad "triage --out"

finish
