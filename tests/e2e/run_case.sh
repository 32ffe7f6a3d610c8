#!/usr/bin/env bash
# Runs one end-to-end case folder on the built binary.
#   args             one argument per line; @SRC@ is the source tree, @TMP@ a
#                    fresh temporary folder
#   exit             the expected exit code
#   stdout.first     a prefix the first line of stdout must have (optional)
#   stdout.contains  lines that must each appear in stdout (optional)
#   stderr.contains  lines that must each appear in stderr (optional)
#   stdout.absent    lines that must not appear in stdout (optional)
#   json.expect      "path = JSON value" lines checked on stdout (optional)
#   setup            a bash script run first in @TMP@, with SRC, TMP, BIN and
#                    BUILT_KB (the kb.sqlite the build made) set: it makes
#                    inputs a folder cannot hold (a FIFO, a big
#                    generated file) (optional)
#   stdin            the command's standard input; else @TMP@/stdin when the
#                    setup wrote one (optional)
#   env              NAME=VALUE lines exported for the command (@SRC@, @TMP@
#                    replaced) (optional)
#   timeout          seconds the command may take; past it the case fails,
#                    so a command that blocks can't hang the suite (optional)
# usage: run_case.sh BINARY CASE_DIR SOURCE_DIR
set -u
bin=$1 case=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" NO_COLOR=1

args=()
while IFS= read -r line || [ -n "$line" ]; do
  line=${line//@SRC@/$src}
  line=${line//@TMP@/$tmp}
  args+=("$line")
done < "$case/args"

# the KB the build made (beside bin/, or beside the emulated wrapper)
built_kb=$(dirname "$bin")/../share/pooltriage/kb.sqlite
[ -f "$built_kb" ] || built_kb=$(dirname "$bin")/share/pooltriage/kb.sqlite
if [ -f "$case/setup" ]; then
  (cd "$tmp" && SRC=$src TMP=$tmp BIN=$bin BUILT_KB=$built_kb bash "$case/setup") ||
    { echo "FAIL: the case's setup script failed"; exit 1; }
fi
if [ -f "$case/env" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    [ -z "$line" ] && continue
    line=${line//@SRC@/$src}
    line=${line//@TMP@/$tmp}
    export "${line%%=*}=${line#*=}"
  done < "$case/env"
fi
input=/dev/stdin
[ -f "$tmp/stdin" ] && input=$tmp/stdin
[ -f "$case/stdin" ] && input=$case/stdin
limit=()
[ -f "$case/timeout" ] && limit=(timeout -k 2 "$(cat "$case/timeout")")

cd "$src"
"${limit[@]}" "$bin" "${args[@]}" < "$input" > "$tmp/stdout" 2> "$tmp/stderr"
code=$?
if [ ${#limit[@]} -gt 0 ] && [ "$code" = 124 ]; then
  echo "FAIL: still running after $(cat "$case/timeout") s (blocked?)"; code=timeout
fi
fail=0
# The Windows build (the emulated wrapper) joins paths with '\': compared
# as the Linux build's, apart from the separator, in both the output and
# the expectations; and what Windows itself says of a signature ("; Windows
# says trusted ...", info's "Windows says:" line), which only it can add,
# is left out of its text output.
exp=$case
case "$bin" in
  *-emulated.sh)
    exp=$tmp/expect
    mkdir -p "$exp"
    # JSON keeps its escapes: only an escaped '\' ("\\") is a separator
    unjson() { sed 's#\\\\#/#g' "$1"; }
    untext() { sed 's#\\\\#/#g; s#\\#/#g' "$1"; }
    unwindows() {
      sed 's/; Windows says [a-z]*\( by catalog [^ |;,]*\)\{0,1\}\( (0x[^)]*)\)\{0,1\}//g
           /^[[:space:]]*Windows says:/d' "$1"
    }
    for f in "$case"/*; do
      case "$(basename "$f")" in
        json.expect) unjson "$f" > "$exp/json.expect" ;;
        stdout.*|stderr.*) untext "$f" > "$exp/$(basename "$f")" ;;
      esac
    done
    for f in stdout stderr; do
      if head -c 1 "$tmp/$f" | grep -q '[{[]'; then unjson "$tmp/$f"
      else untext "$tmp/$f" > "$tmp/$f.t" && unwindows "$tmp/$f.t"; fi \
        > "$tmp/$f.n" && mv "$tmp/$f.n" "$tmp/$f"
    done ;;
esac
want=$(cat "$case/exit")
if [ "$code" != "$want" ]; then
  echo "FAIL: exit code $code, expected $want"; fail=1
fi
if [ -f "$exp/stdout.first" ]; then
  first=$(head -n 1 "$tmp/stdout")
  prefix=$(cat "$exp/stdout.first")
  case "$first" in
    "$prefix"*) ;;
    *) echo "FAIL: first line of stdout is: $first"; echo "      expected prefix: $prefix"; fail=1 ;;
  esac
fi
check_contains() { # file expectations-file negate
  while IFS= read -r want_line || [ -n "$want_line" ]; do
    [ -z "$want_line" ] && continue
    if grep -qF -- "$want_line" "$1"; then
      [ "$3" = 1 ] && { echo "FAIL: $(basename "$1") has: $want_line"; fail=1; }
    else
      [ "$3" = 0 ] && { echo "FAIL: $(basename "$1") lacks: $want_line"; fail=1; }
    fi
  done < "$2"
}
[ -f "$exp/stdout.contains" ] && check_contains "$tmp/stdout" "$exp/stdout.contains" 0
[ -f "$exp/stderr.contains" ] && check_contains "$tmp/stderr" "$exp/stderr.contains" 0
[ -f "$exp/stdout.absent" ] && check_contains "$tmp/stdout" "$exp/stdout.absent" 1
if [ -f "$exp/json.expect" ]; then
  python3 "$(dirname "$0")/json_expect.py" "$tmp/stdout" "$exp/json.expect" || fail=1
fi
if [ "$fail" != 0 ]; then
  echo "--- stdout"; cat "$tmp/stdout"; echo "--- stderr"; cat "$tmp/stderr"
  exit 1
fi
echo "ok: $(basename "$case")"
