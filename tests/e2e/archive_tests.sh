#!/usr/bin/env bash
# archive_tests.sh - case archives: triage and pool read a .zip, .tar,
# .tar.gz and .tar.xz of the seed case in memory, and refuse hostile
# archives made here with Python's zipfile and tarfile (absolute and '..'
# paths, links out of the archive, a device entry, too many entries, too
# deep a path, a decompression bomb, garbage) with exit 3, writing nothing
# outside the test's folder.
# usage: archive_tests.sh BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh" "$@"

mkdir -p "$tmp/a" "$tmp/work"
cp -r "$src/examples/mfeavfk-2012r2" "$tmp/work/case"
python3 - "$tmp/work" "$tmp/a" <<'PY'
import io, os, sys, tarfile, time, zipfile
work, out = sys.argv[1], sys.argv[2]
os.chdir(work)
capture = open("case/poolmon.txt", "rb").read()

# the good ones: the whole case folder, as "Send to compressed folder" and tar make them
with zipfile.ZipFile(f"{out}/case.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk("case"):
        for f in files:
            z.write(os.path.join(root, f))
for mode, ext in (("w", "tar"), ("w:gz", "tar.gz"), ("w:xz", "tar.xz")):
    with tarfile.open(f"{out}/case.{ext}", mode) as t:
        t.add("case")

def zip_with(name, entries):
    with zipfile.ZipFile(f"{out}/{name}", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("case/poolmon.txt", capture)
        for arcname, data in entries:
            z.writestr(zipfile.ZipInfo(arcname), data)

def tar_with(name, members):
    with tarfile.open(f"{out}/{name}", "w:gz") as t:
        info = tarfile.TarInfo("case/poolmon.txt")
        info.size = len(capture)
        t.addfile(info, io.BytesIO(capture))
        for m in members:
            t.addfile(m, io.BytesIO(b"x" * m.size) if m.size else None)

def member(name, type=tarfile.REGTYPE, link="", size=0):
    m = tarfile.TarInfo(name)
    m.type, m.linkname, m.size = type, link, size
    return m

zip_with("abs.zip", [("/etc/cron.d/evil", b"x")])
zip_with("dotdot.zip", [("case/../../evil.txt", b"x")])
zip_with("drive.zip", [("C:/Windows/evil.sys", b"x")])
zip_with("backslash.zip", [("case\\..\\..\\evil.txt", b"x")])
tar_with("abs.tar.gz", [member("/tmp/evil", size=1)])
tar_with("dotdot.tar.gz", [member("a/../../evil", size=1)])
tar_with("symlink-abs.tar.gz", [member("case/drivers", tarfile.SYMTYPE, "/etc")])
tar_with("symlink-up.tar.gz", [member("case/up", tarfile.SYMTYPE, "../../..")])
tar_with("hardlink-up.tar.gz", [member("case/h", tarfile.LNKTYPE, "../outside")])
tar_with("device.tar.gz", [member("case/dev", tarfile.CHRTYPE)])
tar_with("deep.tar.gz", [member("/".join(["d"] * 18) + "/f.txt", size=1)])
# a link inside the archive is fine (skipped, never followed)
tar_with("symlink-in.tar.gz", [member("case/copy.txt", tarfile.SYMTYPE, "poolmon.txt")])
# a bomb: 200 MiB of zeros packs into about 200 KB
with zipfile.ZipFile(f"{out}/bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("case/poolmon.txt", capture)
    with z.open("case/zeros.bin", "w") as f:
        block = bytes(1 << 20)
        for _ in range(200):
            f.write(block)
# more entries than the folder walk's limit (200,000)
with zipfile.ZipFile(f"{out}/many.zip", "w", zipfile.ZIP_STORED) as z:
    for i in range(200_001):
        z.writestr(zipfile.ZipInfo(f"f{i}"), b"")
open(f"{out}/garbage.zip", "wb").write(b"PK\x03\x04 this is not a zip at all" * 10)
PY
[ -f "$tmp/a/many.zip" ] || { echo "FAIL: the archives were not made"; exit 1; }

# ---- the good archives ----
for ext in zip tar tar.gz tar.xz; do
  "$bin" pool "$tmp/a/case.$ext" --json > "$tmp/out" 2> "$tmp/err"
  code=$?
  if [ "$code" = 0 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["captures"]
sys.exit(0 if len(c) == 1 and c[0]["source"] == sys.argv[2] + ":case/poolmon.txt" else 1)' "$tmp/out" "$tmp/a/case.$ext"; then
    ok "pool reads case.$ext in memory"
  else
    bad "pool case.$ext: exit $code"
  fi
done
"$bin" triage "$tmp/a/case.zip" --json > "$tmp/out" 2> "$tmp/err"
code=$?
if [ "$code" = 1 ] && python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
f = v["findings"][0]
ok = v["host"]["name"] == "case" and f["kb"]["id"] == "PT-0001" \
     and v["host"]["os"]["build"] == 9600 and v["host"]["os"]["source"] == "ntoskrnl.exe" \
     and f["level"] == "known" \
     and v["captures"][0]["source"].endswith("case.zip:case/poolmon.txt") \
     and f["driver"]["path"].endswith("case.zip:case/Windows/System32/drivers/mfeavfk.sys") \
     and f["driver"]["file_version"] == "SYSCORE.18.10.0.189" \
     and f["driver"]["evidence"][0]["kind"] == "immediate" and v["errors"] == []
sys.exit(0 if ok else 1)' "$tmp/out"; then
  ok "triage case.zip: the captures, host 'case', the OS from its ntoskrnl.exe and the drivers read from the stream: known PT-0001"
else
  bad "triage case.zip: exit $code"
fi
for ext in tar tar.gz tar.xz; do
  "$bin" triage "$tmp/a/case.$ext" --json > "$tmp/out" 2> "$tmp/err"
  code=$?
  if [ "$code" = 1 ] && python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))["findings"][0]
sys.exit(0 if f["level"] == "known" and f["driver"]["name"] == "mfeavfk.sys" else 1)' "$tmp/out"; then
    ok "triage case.$ext: known, driver mfeavfk.sys from the archive"
  else
    bad "triage case.$ext: exit $code"
  fi
done
"$bin" scan --tag MFeS "$tmp/a/case.zip" > "$tmp/out" 2> "$tmp/err"
code=$?
grep -q "case.zip:case/Windows/System32/drivers/mfeavfk.sys" "$tmp/out" && [ "$code" = 0 ] &&
  ok "scan --tag MFeS case.zip names the entry" || bad "scan case.zip: exit $code"
[ -z "$(ls "$tmp/work" | grep -v '^case$')" ] && ok "triage of an archive wrote nothing to disk" ||
  bad "triage of an archive extracted something"
"$bin" pool "$tmp/a/symlink-in.tar.gz" > /dev/null 2> "$tmp/err"
[ $? = 0 ] && ok "a link that stays inside is skipped, not refused" || bad "symlink inside"

# ---- the hostile ones: exit 3, one line naming the archive and why ----
refused() { # archive expected-words...
  local a=$1; shift
  for cmd in pool triage; do
    (cd "$tmp/work" && "$bin" $cmd "$tmp/a/$a" > "$tmp/out" 2> "$tmp/err")
    local code=$?
    if [ "$code" != 3 ]; then bad "$cmd $a: exit $code, expected 3"; return; fi
    if [ "$(grep -c . "$tmp/err")" != 1 ] || ! grep -q "$tmp/a/$a" "$tmp/err"; then
      bad "$cmd $a: not one line naming the archive"; return
    fi
    for w in "$@"; do
      grep -qF -- "$w" "$tmp/err" || { bad "$cmd $a: no '$w' in the message"; return; }
    done
    [ -s "$tmp/out" ] && { bad "$cmd $a: wrote a report"; return; }
  done
  ok "refused with exit 3: $a ($*)"
}
refused abs.zip "absolute path"
refused drive.zip "absolute path"
refused dotdot.zip "'..'"
refused backslash.zip "'..'"
refused abs.tar.gz "absolute path"
refused dotdot.tar.gz "'..'"
refused symlink-abs.tar.gz "symbolic link out of the archive"
refused symlink-up.tar.gz "symbolic link out of the archive"
refused hardlink-up.tar.gz "hard link out of the archive"
refused device.tar.gz "device"
refused deep.tar.gz "deeper"
refused bomb.zip "decompression bomb" "limit 100"
refused many.zip "more entries" "limit 200000"
refused garbage.zip "not a readable archive"
[ ! -e "$tmp/evil.txt" ] && [ ! -e /tmp/evil ] && [ -z "$(ls "$tmp/work" | grep -v '^case$')" ] &&
  ok "nothing was written outside" || bad "something was extracted"

finish
