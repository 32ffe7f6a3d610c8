#!/usr/bin/env bash
# The contributor's path of CONTRIBUTING.md in one pass, on a copy of the
# checkout's kb/ and rules/: kb new -> kb check (the TODOs are reported) ->
# fill in the entry and its two rule cases -> kb check -> rules test.
# usage: kb_new_tests.sh BINARY SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" NO_COLOR=1
pass=0 fail=0
check() { # name command-status expected-status
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); echo "ok: $1"
  else fail=$((fail + 1)); echo "FAIL: $1 (exit $2, expected $3)"; cat "$tmp/out" "$tmp/err"; fi
}
has() { # name file text
  if grep -qF -- "$3" "$2"; then pass=$((pass + 1)); echo "ok: $1"
  else fail=$((fail + 1)); echo "FAIL: $1: no '$3' in:"; cat "$2"; fi
}

# a fresh copy of the checkout, as a clone holds it: the files git tracks
# (and new ones not ignored), without build folders or a built KB
mkdir -p "$tmp/co"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard) |
    (cd "$src" && while IFS= read -r -d '' f; do
       [ -f "$f" ] && mkdir -p "$tmp/co/$(dirname "$f")" && cp -p "$f" "$tmp/co/$f"; done)
else
  cp -r "$src/kb" "$src/rules" "$src/CONTRIBUTING.md" "$tmp/co/"
fi
cd "$tmp/co"
[ -f CONTRIBUTING.md ] && [ ! -e build ] && [ ! -e kb.sqlite ]
check "the copy is a checkout without a build" $? 0

"$bin" kb new --id PT-0999 --driver ctsnet.sys --tag CtNt --vendor "Contoso Ltd." >"$tmp/out" 2>"$tmp/err"
check "kb new writes the skeleton" $? 0
has "kb new names the entry" "$tmp/out" "wrote kb/issues/ctsnet-pt-0999.lua"
has "kb new names the affected case" "$tmp/out" "wrote rules/tests/known-issue/pt-0999-affected-known.lua"
has "kb new names the fixed case" "$tmp/out" "wrote rules/tests/known-issue/pt-0999-fixed-info.lua"

"$bin" kb new --id PT-0999 --driver ctsnet.sys --tag CtNt >"$tmp/out" 2>"$tmp/err"
check "kb new refuses an id that is in use" $? 3
has "kb new names the file using the id" "$tmp/err" "id 'PT-0999' is already used by kb/issues/ctsnet-pt-0999.lua"

"$bin" kb check >"$tmp/out" 2>"$tmp/err"
check "kb check fails on the untouched skeleton" $? 4
has "kb check points at the TODO title" "$tmp/err" "kb/issues/ctsnet-pt-0999.lua:6: field 'title' still holds the scaffold's TODO"
has "kb check counts every problem" "$tmp/err" "kb check: "

# the contributor fills it in (the sed stands for the editor)
e=kb/issues/ctsnet-pt-0999.lua
sed -i -e 's/title = "TODO: the source", url = "TODO: https:\/\/..."/title = "fixture", url = "https:\/\/example.invalid\/1"/' \
  -e 's/^-- TODO: one or two lines.*/-- Contoso ctsnet.sys 2.4.1.7 leaks CtNt (fixture for the scaffold test)./' \
  -e '/^-- source that says so/d' -e '/^-- stays out (or goes/d' \
  -e 's/title = "TODO[^"]*"/title = "Contoso ctsnet.sys non-paged pool leak (tag CtNt)"/' \
  -e '/product = "TODO/d' \
  -e 's/id = "ctsnet-TODO", min = "TODO", max = "TODO"/id = "ctsnet-2.4.1.7", min = "2.4.1.7", max = "2.4.1.7"/' \
  -e 's/note = "TODO[^"]*"/note = "fixture"/' -e 's/fixed_in = "TODO"/fixed_in = "2.4.2.0"/' \
  -e 's/symptoms = "TODO[^"]*"/symptoms = "CtNt grows"/' -e 's/workaround = "TODO[^"]*"/workaround = "Upgrade to 2.4.2.0"/' \
  -e 's/notes = "TODO[^"]*"/notes = "fixture"/' \
  -e 's/author = "TODO[^"]*"/author = "kb_new_tests.sh"/' "$e"
c=rules/tests/known-issue
sed -i -e 's/^-- TODO: put.*/-- fixture/' -e '/^-- (pooltriage info FILE/d' \
  -e 's/file_version = "TODO[^"]*"/file_version = "2.4.1.7"/' \
  -e 's/file_version_numeric = "TODO[^"]*"/file_version_numeric = "2.4.1.7"/' "$c/pt-0999-affected-known.lua"
sed -i -e 's/^-- TODO: put.*/-- fixture/' -e '/^-- (pooltriage info FILE/d' \
  -e 's/file_version = "TODO[^"]*"/file_version = "2.4.2.0"/' \
  -e 's/file_version_numeric = "TODO[^"]*"/file_version_numeric = "2.4.2.0"/' "$c/pt-0999-fixed-info.lua"

"$bin" kb check >"$tmp/out" 2>"$tmp/err"
check "kb check passes once the entry is filled in" $? 0
has "kb check counts the new entry" "$tmp/out" "ok: "

"$bin" rules test known-issue >"$tmp/out" 2>"$tmp/err"
check "rules test passes with the new cases" $? 0
has "rules test says it tested the checkout's KB" "$tmp/out" "against the KB built from this checkout's kb/issues, kb/tags and rules/"
has "the affected case passes" "$tmp/out" "ok   known-issue/pt-0999-affected-known.lua"
has "the fixed case passes" "$tmp/out" "ok   known-issue/pt-0999-fixed-info.lua"

# a broken version in the edited entry fails with the file and the line
sed -i 's/max = "2.4.1.7"/max = "two"/' "$e"
"$bin" kb check >"$tmp/out" 2>"$tmp/err"
check "kb check rejects max = \"two\"" $? 4
has "with the file and the line" "$tmp/err" "kb/issues/ctsnet-pt-0999.lua:13: max 'two' is not a version"
"$bin" rules test known-issue >"$tmp/out" 2>"$tmp/err"
check "rules test refuses sources that do not build" $? 4

# CONTRIBUTING.md, section 4: a feed maintainer builds and signs a bundle
sed -i 's/max = "two"/max = "2.4.1.7"/' "$e"
"$bin" kb check >"$tmp/out" 2>"$tmp/err"
check "kb check passes again" $? 0

# an entry without its rule cases fails kb check, naming the entry's file
mkdir -p "$tmp/cases" && mv "$c"/pt-0999-*.lua "$tmp/cases/"
"$bin" kb check >"$tmp/out" 2>"$tmp/err"
check "kb check fails on an entry without rule cases" $? 4
has "and names the entry, its file and line" "$tmp/err" \
  "kb/issues/ctsnet-pt-0999.lua:3: PT-0999 has no rule case: no file in rules/tests expects kb = \"PT-0999\""
mv "$tmp/cases"/*.lua "$c/"
"$bin" kb check >"$tmp/out" 2>"$tmp/err"
check "kb check passes with the cases back" $? 0
if command -v minisign >/dev/null; then
  minisign -G -W -p "$tmp/feed.pub" -s "$tmp/feed.key" >/dev/null 2>&1
  mkdir -p feed
  "$bin" kb bundle --out feed/kb.sqlite --version 42 --expires 2099-06-30 >"$tmp/out" 2>"$tmp/err"
  check "kb bundle builds the feed" $? 0
  has "the bundle holds every entry, the new one too" "$tmp/out" "$(ls kb/issues/*.lua | wc -l) issues"
  "$bin" kb sign --key "$tmp/feed.key" feed/kb.sqlite >"$tmp/out" 2>"$tmp/err"
  check "kb sign signs it" $? 0
  minisign -V -q -p "$tmp/feed.pub" -m feed/kb.sqlite >"$tmp/out" 2>"$tmp/err"
  check "minisign verifies the signature" $? 0
  "$bin" kb show PT-0999 --kb feed/kb.sqlite >"$tmp/out" 2>"$tmp/err"
  check "the signed bundle serves the new entry" $? 0
else
  fail=$((fail + 1)); echo "FAIL: minisign is not installed (scripts/deps.sh installs it)"
fi

echo "kb new tests: $pass passed, $fail failed"
[ "$fail" = 0 ]
