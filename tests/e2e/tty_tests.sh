#!/usr/bin/env bash
# Colour on a real terminal: triage and fleet run under a pseudo-terminal
# (util-linux `script`).  TERM=xterm gets ANSI colour, TERM=dumb none.
# usage: tty_tests.sh BINARY SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache"
unset NO_COLOR
cd "$src" || exit 1
if ! command -v script > /dev/null; then
  echo "skipped: no 'script' (util-linux) to make a terminal"; exit 0
fi
fail=0
esc=$(printf '\033[')
on_tty() { # TERM, then the pooltriage arguments; prints the terminal's output
  local term=$1; shift
  TERM=$term script -qec "$(printf '%q ' "$bin" "$@")" /dev/null < /dev/null
}
check() { # name TERM want(colour|plain) args...
  local name=$1 term=$2 want=$3; shift 3
  local out; out=$(on_tty "$term" "$@")
  case "$out" in
    *"$esc"*) got=colour ;;
    *) got=plain ;;
  esac
  if [ "$got" != "$want" ]; then
    echo "FAIL: $name: TERM=$term gave $got output, expected $want"; fail=1
  else
    echo "ok: $name"
  fi
}
check triage-xterm xterm colour triage examples/mfeavfk-2012r2
check triage-dumb dumb plain triage examples/mfeavfk-2012r2
check triage-dumb-always dumb colour triage examples/mfeavfk-2012r2 --color always
check fleet-xterm xterm colour fleet tests/fixtures/fleet
check fleet-dumb dumb plain fleet tests/fixtures/fleet
check scan-xterm-progress xterm colour scan examples/mfeavfk-2012r2 --tag MFeS
check scan-dumb-no-progress dumb plain scan examples/mfeavfk-2012r2 --tag MFeS
exit $fail
