#!/usr/bin/env bash
# untrusted_text.sh - end-to-end tests of what pooltriage does with hostile
# text: file names with terminal escapes or bytes that are not UTF-8,
# version strings and capture cells that look like spreadsheet formulas,
# KB titles, rule error messages, fleet host names and ticket server
# replies.  Such names can't live in an e2e case folder (git, portability),
# so this script makes them in a temporary folder.
# Checked: no ESC, BEL, CR or other control byte reaches a terminal from
# text output or stderr, JSON parses (python json.loads) and keeps a path's
# bytes in its _bytes twin, CSV cells never start a formula.
# usage: untrusted_text.sh BINARY SOURCE_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
srv_pid=
cleanup() {
  [ -n "$srv_pid" ] && { kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null; }
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$src"
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" NO_COLOR=1
fails=0 passes=0
ok() { passes=$((passes + 1)); echo "ok: $1"; }
bad() {
  fails=$((fails + 1)); echo "FAIL: $1"
  [ -f "$tmp/err" ] && head -c 3000 "$tmp/err" | sed 's/^/    stderr: /' | cat -v
  [ -f "$tmp/out" ] && head -c 3000 "$tmp/out" | sed 's/^/    stdout: /' | cat -v
}
# run ARGS...: stdout to $tmp/out, stderr to $tmp/err, exit code in $code
run() { "$bin" "$@" > "$tmp/out" 2> "$tmp/err"; code=$?; }
# True when a file holds a control byte other than LF (and TAB, which
# `info` uses as its column separator, when $2 is "tab"; a CR before LF,
# the CSV line end, when $2 is "csv").
has_control() {
  local tab=$'\x09' crlf='$^'
  [ "${2:-}" = tab ] && tab=
  [ "${2:-}" = csv ] && crlf=$'\r$'
  sed "s/$crlf//" "$1" | LC_ALL=C grep -q "[$tab"$'\x01-\x08\x0b-\x1f\x7f]'
}
# clean_terminal NAME [tab|csv]: stdout and stderr hold no control byte
clean_terminal() {
  if has_control "$tmp/out" "${2:-}" || has_control "$tmp/err"; then
    bad "$1: a control character reached the terminal"
  else
    ok "$1: no control character reaches the terminal"
  fi
}
contains() { # NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1 (no '$3')"; fi
}
json_ok() { # NAME FILE [python assertion on v]
  if python3 - "$2" "${3:-True}" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")                      # strict: the JSON is valid UTF-8
for line in raw.splitlines():
    v = json.loads(line)
    assert eval(sys.argv[2]), sys.argv[2]
PY
  then ok "$1"; else bad "$1"; fi
}

esc_name=$'evil\e]0;pwned\a.sys'        # sets a terminal's title when printed raw
esc_shown='evil\x1b]0;pwned\x07.sys'
mfe=tests/fixtures/drivers/bin/x64/mfeavfk.sys

# ---- a case whose leaking driver has a hostile name ----
case1="$tmp/case-esc"
mkdir -p "$case1"
cp -r examples/mfeavfk-2012r2/. "$case1/"
mv "$case1/Windows/System32/drivers/mfeavfk.sys" "$case1/Windows/System32/drivers/=$esc_name"

run triage "$case1"
clean_terminal "triage text, driver $esc_shown"
contains "triage text shows the escaped name" "$tmp/out" "=$esc_shown"

run triage "$case1" --format markdown
clean_terminal "triage markdown, driver $esc_shown"

run triage "$case1" --format csv
clean_terminal "triage csv, driver $esc_shown" csv
contains "triage csv: the driver cell is defused and escaped" "$tmp/out" ",'=$esc_shown,"

run triage "$case1" --format html
clean_terminal "triage html, driver $esc_shown" tab
contains "triage html shows the control characters as U+FFFD" "$tmp/out" "=evil&#xfffd;]0;pwned"

run triage "$case1" --json
json_ok "triage --json with an escape in a driver name parses" "$tmp/out" \
  'v["findings"][0]["driver"]["name"].startswith("=evil\x1b]0;pwned\x07")'

run scan "$case1" --tag MFeS
clean_terminal "scan text, file $esc_shown"
contains "scan text shows the escaped name" "$tmp/out" "$esc_shown"

run info "$case1/Windows/System32/drivers/=$esc_name"
clean_terminal "info text, file $esc_shown" tab
contains "info text shows the escaped name" "$tmp/out" "$esc_shown:"

run info "$case1/Windows/System32/drivers/=$esc_name" --format csv
contains "info csv: the path cell is escaped" "$tmp/out" "/=$esc_shown,"
clean_terminal "info csv, file $esc_shown" csv

run info "$tmp/missing-$esc_name"
clean_terminal "info error message, missing file $esc_shown" tab

cp examples/mfeavfk-2012r2/poolmon.txt "$tmp/$esc_name.txt"
run pool "$tmp/$esc_name.txt"
clean_terminal "pool text, capture $esc_shown"
contains "pool text shows the escaped name" "$tmp/out" "$esc_shown.txt"

run pool "$tmp/$esc_name.txt" "$tmp/$esc_name.txt"
clean_terminal "pool series warnings, capture $esc_shown"

# ---- file names that are not UTF-8: JSON stays valid, paths keep their bytes ----
case2="$tmp/case-latin1"
mkdir -p "$case2"
cp -r examples/mfeavfk-2012r2/. "$case2/"
mv "$case2/Windows/System32/drivers/mfeavfk.sys" "$case2/Windows/System32/drivers/"$'caf\xe9\xff.sys'
cp examples/mfeavfk-2012r2/poolmon.txt "$case2/"$'pool\xfe.txt'
rm "$case2/poolmon.txt"

run triage "$case2" --json
json_ok "triage --json with non-UTF-8 file names parses" "$tmp/out" \
  'v["findings"][0]["driver"]["name"] == "caf\ufffd\ufffd.sys"'
json_ok "triage --json: driver.path_bytes reads back the exact path" "$tmp/out" \
  'open(bytes.fromhex(v["findings"][0]["driver"]["path_bytes"]), "rb") and bytes.fromhex(v["findings"][0]["driver"]["path_bytes"]).endswith(b"caf\xe9\xff.sys")'
json_ok "triage --json: captures[].source_bytes reads back the capture path" "$tmp/out" \
  'bytes.fromhex(v["captures"][0]["source_bytes"]).endswith(b"pool\xfe.txt") and v["captures"][0]["source"].endswith("pool\ufffd.txt")'
json_ok "triage --json: a UTF-8 path has source_bytes null" "$tmp/out" \
  'all(c["source_bytes"] is None or "\ufffd" in c["source"] for c in v["captures"])'

run scan "$case2" --tag MFeS --json
json_ok "scan --json with non-UTF-8 file names parses" "$tmp/out" \
  'bytes.fromhex(v["files"][0]["path_bytes"]).endswith(b"caf\xe9\xff.sys")'
run scan "$case2" --tag MFeS
clean_terminal "scan text, non-UTF-8 file name"
contains "scan text shows the bytes as \\xHH" "$tmp/out" 'caf\xe9\xff.sys'

run info "$case2/Windows/System32/drivers/"$'caf\xe9\xff.sys' --json
json_ok "info --json with a non-UTF-8 file name parses" "$tmp/out" \
  'bytes.fromhex(v["files"][0]["path_bytes"]).endswith(b"caf\xe9\xff.sys")'

run pool "$case2/"$'pool\xfe.txt' --json
json_ok "pool --json with a non-UTF-8 file name parses" "$tmp/out" \
  'bytes.fromhex(v["captures"][0]["source_bytes"]).endswith(b"pool\xfe.txt")'
run pool "$case2/"$'pool\xfe.txt' --format csv
contains "pool csv shows the bytes as \\xHH" "$tmp/out" 'pool\xfe.txt'

# ---- version resource: CompanyName "=cAfee, LLC" (CSV injection) ----
python3 - "$mfe" "$tmp/cafee.sys" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
old = "McAfee, LLC".encode("utf-16le")
assert d.count(old) >= 1
open(sys.argv[2], "wb").write(d.replace(old, "=cAfee, LLC".encode("utf-16le")))
PY
run info "$tmp/cafee.sys" --format csv
contains "info csv defuses CompanyName =cAfee, LLC" "$tmp/out" ",\"'=cAfee, LLC\","
if grep -qF ',"=cAfee' "$tmp/out"; then bad "info csv writes =cAfee as a formula"; fi

# ---- capture cells: a hostile tag and Mapped_Driver (CSV injection) ----
cat > "$tmp/hostile-poolmon.txt" <<'EOF'
 Memory:  260620K Avail:   65152K  PageFlts:    85   InRam Krnl: 2116K P:19560K
 Commit: 237688K Limit: 640916K Peak: 260632K            Pool N: 8500K P:33024K
 System pool information
 Tag  Type     Allocs            Frees            Diff   Bytes      Per Alloc  Mapped_Driver

 =1+2 Nonp       9112 (   0)      9012 (   0)   100   25200 (     0)    252 [=HYPERLINK("http://x")]
 @Ev1 Paged      3996 (   0)      3986 (   0)    10  252088 (     0)  25208 [-cmd|' /C calc'!A0]
 +Ev2 Paged      3996 (   0)      3986 (   0)    10  252088 (     0)  25208 [+ntfs.sys  -  x]
EOF
run pool "$tmp/hostile-poolmon.txt" --format csv
if LC_ALL=C grep -qE '(^|,)"?[=+@-][^0-9]' "$tmp/out"; then
  bad "pool csv writes a cell that starts a formula"
else
  ok "pool csv: no cell starts a formula"
fi
contains "pool csv defuses the tag" "$tmp/out" ",'=1+2,"
contains "pool csv defuses the mapped driver" "$tmp/out" "'=HYPERLINK"

# ---- KB text: a title with an escape, a line break and a byte that is not UTF-8 ----
cp -r kb/issues "$tmp/issues"
sed -i 's|^  title = "McAfee|  title = "\\27]0;pwned\\7 line\\nsecond \\255 McAfee|' \
  "$tmp/issues/mcafee-mfeavfk-nonpaged-2012r2.lua"
if "$bin" kb build --issues "$tmp/issues" --tags kb/tags --rules rules --out "$tmp/kb.sqlite" \
     > "$tmp/out" 2> "$tmp/err"; then
  ok "a KB with a hostile title builds"
else
  bad "a KB with a hostile title builds"
fi
run kb list --kb "$tmp/kb.sqlite"
clean_terminal "kb list, hostile KB title"
contains "kb list shows the title escaped" "$tmp/out" '\x1b]0;pwned\x07 line\x0asecond \xff McAfee'
run kb show PT-0001 --kb "$tmp/kb.sqlite"
clean_terminal "kb show, hostile KB title"
run kb show PT-0001 --kb "$tmp/kb.sqlite" --json
json_ok "kb show --json with a hostile title parses, the stray byte as U+FFFD" "$tmp/out" \
  'v["issue"]["title"].startswith("\x1b]0;pwned\x07 line\nsecond \ufffd McAfee")'
run kb list --kb "$tmp/kb.sqlite" --json
json_ok "kb list --json with a hostile title parses" "$tmp/out"
run triage examples/mfeavfk-2012r2 --kb "$tmp/kb.sqlite"
clean_terminal "triage text, hostile KB title"
contains "triage text shows the KB title escaped" "$tmp/out" 'PT-0001: \x1b]0;pwned\x07 line\x0asecond \xff'
run triage examples/mfeavfk-2012r2 --kb "$tmp/kb.sqlite" --format markdown
clean_terminal "triage markdown, hostile KB title"
run triage examples/mfeavfk-2012r2 --kb "$tmp/kb.sqlite" --format csv
clean_terminal "triage csv, hostile KB title" csv
run triage examples/mfeavfk-2012r2 --kb "$tmp/kb.sqlite" --json
json_ok "triage --json with a hostile KB title parses" "$tmp/out" \
  'v["findings"][0]["kb"]["title"].startswith("\x1b]0;pwned\x07 line\nsecond \ufffd")'

# ---- HTML: markup in a KB title, a rule's finding and error, host names ----
# no_markup NAME: the page in $tmp/out holds none of the markup the hostile
# text tried to make (it must arrive as text: &lt;...)
no_markup() {
  if grep -qiE '<(script|img|svg/onload|iframe)[ >]|<b onmouseover' "$tmp/out"; then
    bad "$1: hostile markup reached the page"
  else
    ok "$1: no hostile markup in the page"
  fi
}
cp -r kb/issues "$tmp/issues-html"
sed -i 's|^  title = "McAfee|  title = "<img src=x onerror=alert(1)><script>alert(2)</script> \&amp; McAfee|' \
  "$tmp/issues-html/mcafee-mfeavfk-nonpaged-2012r2.lua"
"$bin" kb build --issues "$tmp/issues-html" --tags kb/tags --rules rules --out "$tmp/kb-html.sqlite" \
  > /dev/null 2>&1 || bad "a KB with markup in a title builds"
run triage examples/mfeavfk-2012r2 --kb "$tmp/kb-html.sqlite" --format html
no_markup "triage html, KB title with markup"
contains "triage html shows the KB title's markup as text" "$tmp/out" \
  '&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp;amp; McAfee'
run triage examples/mfeavfk-2012r2 --kb "$tmp/kb-html.sqlite" --format markdown
if grep -qE '(^|[^\\])<(img|script)' "$tmp/out"; then bad "triage markdown writes the KB title's markup raw"
else ok "triage markdown escapes the KB title's markup"; fi
contains "triage markdown keeps an entity in a KB title as text" "$tmp/out" '\&amp; McAfee'

mkdir -p "$tmp/rules-html"
cat > "$tmp/rules-html/markup.lua" <<'LUA'
-- A finding and an error whose text is markup.
return {
  id = "markup",
  title = "writes markup",
  author = "tests",
  evaluate = function(ctx)
    local s = ctx.suspects[1]
    if ctx.captures[1].source:find("poolmon") then
      error('<script>alert("rule error")</script>')
    end
    return { { level = "likely", title = '<svg/onload=alert(3)> holds it', tag = s.tag,
               explanation = '<iframe src="https://evil.example/"></iframe>' } }
  end,
}
LUA
run triage examples/mfeavfk-2012r2 --rules "$tmp/rules-html" --format html
no_markup "triage html, a rule error made of markup (the Warnings section)"
contains "triage html lists the rule error as text" "$tmp/out" \
  '&lt;script&gt;alert(&quot;rule error&quot;)&lt;/script&gt;'
cp examples/mfeavfk-2012r2/poolmon.txt "$tmp/snap.txt"
run triage --pool "$tmp/snap.txt" --rules "$tmp/rules-html" --format html
no_markup "triage html, a rule's finding made of markup"
contains "triage html shows the finding's title as text" "$tmp/out" '&lt;svg/onload=alert(3)&gt; holds it'
mkdir -p "$tmp/reports-html"
"$bin" triage examples/mfeavfk-2012r2 --host '<script>alert("host")</script>' --json \
  > "$tmp/reports-html/a.json"
"$bin" triage examples/mfeavfk-2012r2 --host $'<b onmouseover=alert(1)>srv\e]0;x\a02' --json \
  > "$tmp/reports-html/b.json"
run fleet "$tmp/reports-html" --format html
no_markup "fleet html, host names made of markup"
clean_terminal "fleet html, a host name with an escape" tab
contains "fleet html shows the host name as text" "$tmp/out" '&lt;script&gt;alert(&quot;host&quot;)&lt;/script&gt;'
cp examples/mfeavfk-2012r2/poolmon.txt "$tmp/<script>alert(4)<"$'\e'"script>.txt"
run pool "$tmp/<script>alert(4)<"$'\e'"script>.txt" --format html
no_markup "pool html, a capture named with markup"
clean_terminal "pool html, a capture named with an escape" tab

# ---- a rule whose error message holds a terminal escape ----
mkdir -p "$tmp/rules"
cat > "$tmp/rules/escape-error.lua" <<'EOF'
-- Fails with an error message that sets a terminal's title.
return {
  id = "escape-error",
  title = "fails with an escape sequence",
  author = "tests",
  evaluate = function(ctx)
    error('\27]0;x\7')
  end,
}
EOF
run triage examples/mfeavfk-2012r2 --rules "$tmp/rules"
clean_terminal "triage: a rule's error message with an escape"
contains "the rule warning names the rule" "$tmp/err" "rule 'escape-error' failed"
run triage examples/mfeavfk-2012r2 --rules "$tmp/rules" --json
json_ok "triage --json: rule_errors[].message parses" "$tmp/out" \
  'any(e["rule"] == "escape-error" for e in v["rule_errors"])'
clean_terminal "triage --json: nothing raw on stderr or in the JSON text"

# ---- fleet: host names from the reports ----
mkdir -p "$tmp/reports"
"$bin" triage examples/mfeavfk-2012r2 --host $'srv\e]0;pwned\a01' --json > "$tmp/reports/a.json"
"$bin" triage examples/mfeavfk-2012r2 --host $'srv\xff02' --json > "$tmp/reports/b.json"
json_ok "triage --json with hostile --host parses" "$tmp/reports/b.json" \
  'v["host"]["name"] == "srv\ufffd02"'
run fleet "$tmp/reports"
clean_terminal "fleet text, host names with escapes"
contains "fleet text shows the escaped host name" "$tmp/out" 'srv\x1b]0;pwned\x0701'
run fleet "$tmp/reports" --format markdown
clean_terminal "fleet markdown, host names with escapes"
run fleet "$tmp/reports" --format csv
clean_terminal "fleet csv, host names with escapes" csv
run fleet "$tmp/reports" --json
json_ok "fleet --json with hostile host names parses" "$tmp/out"

# ---- ticket servers: replies are cleaned, our credentials removed ----
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY
unset POOLTRIAGE_TICKET_USER POOLTRIAGE_TICKET_PASSWORD POOLTRIAGE_TICKET_CREDENTIALS
python3 tests/e2e/ticket_server.py "$tmp/port" "$tmp/requests.jsonl" "$tmp/plan" &
srv_pid=$!
for _ in $(seq 50); do [ -f "$tmp/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$tmp/port")"
rm -f "$tmp/reports/b.json"
echo "echo 400" > "$tmp/plan"
POOLTRIAGE_TICKET_TOKEN=hook-secret-4711 run ticket --to webhook --url "$url/hook" "$tmp/reports"
clean_terminal "ticket: an error body with escapes"
if grep -q "hook-secret-4711" "$tmp/out" "$tmp/err"; then
  bad "ticket: the Bearer token echoed by the server reached the output"
else
  ok "ticket: the Bearer token echoed by the server is removed"
fi
contains "ticket: the error says what was removed" "$tmp/err" "Authorization: Bearer [redacted]"
basic=$(printf 'ops@example.com:jira-secret-4711' | base64)
rm -rf "$tmp/state"
echo "echo 400" > "$tmp/plan"
POOLTRIAGE_TICKET_USER=ops@example.com POOLTRIAGE_TICKET_TOKEN=jira-secret-4711 \
  POOLTRIAGE_JIRA_PROJECT=OPS run ticket --to jira --jira-api 3 --url "$url" "$tmp/reports"
if grep -qe "jira-secret-4711" -e "$basic" "$tmp/out" "$tmp/err"; then
  bad "ticket: the Basic credentials echoed by the server reached the output"
else
  ok "ticket: the Basic credentials echoed by the server are removed"
fi
contains "ticket: the Basic header is shown redacted" "$tmp/err" "Authorization: Basic [redacted]"
rm -rf "$tmp/state"
echo "evil-id" > "$tmp/plan"
POOLTRIAGE_TICKET_TOKEN=hook-secret-4711 run ticket --to webhook --url "$url/hook" "$tmp/reports"
clean_terminal "ticket: ids and urls with escapes from the server"
contains "ticket: the id is shown escaped" "$tmp/out" 'hook-\x1b]0;pwned\x07'
rm -rf "$tmp/state"
echo "evil-id" > "$tmp/plan"
POOLTRIAGE_TICKET_TOKEN=hook-secret-4711 run ticket --to webhook --url "$url/hook" --json "$tmp/reports"
json_ok "ticket --json with hostile ids parses" "$tmp/out"

echo "untrusted_text: $passes passed, $fails failed"
[ "$fails" = 0 ]
