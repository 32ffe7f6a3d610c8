#!/usr/bin/env bash
# man_tests.sh - installs the build into a temporary prefix with
# `cmake --install`, renders every installed man page with `man -l` (no
# groff warnings), and checks that each option its command's --help names
# is in the rendered page.
# The copies in docs/man (linked from the README) must equal the
# generated pages.
# usage: man_tests.sh BUILD_DIR SOURCE_DIR
set -u
build=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); echo "ok: $1"; }
bad() { fails=$((fails + 1)); echo "FAIL: $1"; }

cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }
mandir="$tmp/prefix/share/man/man1"
bin="$tmp/prefix/bin/pooltriage"
pages=(pooltriage triage pool scan info kb rules update fleet ticket)
for p in "${pages[@]}"; do
  if [ "$p" = pooltriage ]; then file="$mandir/pooltriage.1" help=(--help)
  else file="$mandir/pooltriage-$p.1" help=("$p" --help); fi
  if [ ! -f "$file" ]; then bad "$p: $file is not installed"; continue; fi
  MANWIDTH=100 man --warnings -l "$file" > "$tmp/page" 2> "$tmp/warn"
  code=$?
  # man-db pipes through col -b when stdout is not a terminal: plain text
  if [ "$code" != 0 ] || [ -s "$tmp/warn" ]; then
    bad "$p: man -l exit $code: $(cat "$tmp/warn")"; continue
  fi
  for section in NAME SYNOPSIS "EXIT STATUS" "SEE ALSO"; do
    grep -q "^$section" "$tmp/page" || { bad "$p: no $section section"; continue 2; }
  done
  missing=
  for opt in $("$bin" "${help[@]}" | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
    grep -qF -- "$opt" "$tmp/page" || missing="$missing $opt"
  done
  [ -z "$missing" ] && ok "$p: man -l renders it, with every option of --help" ||
    bad "$p: options of --help missing from the page:$missing"
done
for f in "$mandir"/*.1; do
  if ! cmp -s "$f" "$src/docs/man/$(basename "$f")"; then
    bad "docs/man/$(basename "$f") differs from the --help text: run 'cmake --build build --target update-man' and commit docs/man"
  fi
done
[ "$(ls "$src/docs/man" | grep -c '\.1$')" = "$(ls "$mandir" | wc -l)" ] && ok "docs/man has every page" ||
  bad "docs/man and the generated pages differ in number"
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
