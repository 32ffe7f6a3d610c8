#!/usr/bin/env bash
# An installed tree: `cmake --install BUILD --prefix P` into a temporary
# prefix, then both binaries must find the KB relative to themselves
# (P/bin/pooltriage and P/libexec/pooltriage/pooltriage-net), never in the
# compiled-in prefix.
# usage: install_tests.sh BUILD_DIR SOURCE_DIR
set -u
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" NO_COLOR=1
fail=0
P="$tmp/prefix with space"
if ! cmake --install "$build" --prefix "$P" > "$tmp/install.log" 2>&1; then
  echo "FAIL: cmake --install"; cat "$tmp/install.log"; exit 1
fi
bin="$P/bin/pooltriage"
net=$(find "$P" -name pooltriage-net -type f | head -n 1)
kb=$(find "$P" -name kb.sqlite -type f | head -n 1)
[ -x "$bin" ] || { echo "FAIL: no $bin"; exit 1; }
[ -n "$net" ] && [ -n "$kb" ] || { echo "FAIL: pooltriage-net or kb.sqlite not installed"; exit 1; }
kb_real=$(realpath "$kb")

expect() { # name want-exit command...
  local name=$1 want=$2; shift 2
  "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
  local code=$?
  if [ "$code" != "$want" ]; then
    echo "FAIL: $name: exit $code, expected $want"; cat "$tmp/out" "$tmp/err"; fail=1
    return 1
  fi
  echo "ok: $name"
}
cd "$src" || exit 1
expect "installed triage finds its KB" 1 "$bin" triage examples/mfeavfk-2012r2
expect "installed kb list" 0 "$bin" kb list
expect "update --status through pooltriage" 0 "$bin" update --status
grep -qF "$kb_real" "$tmp/out" || { echo "FAIL: --status does not name $kb_real"; cat "$tmp/out"; fail=1; }
expect "update --status --json through pooltriage" 0 "$bin" update --status --json
python3 - "$tmp/out" "$kb_real" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "pooltriage.update-status/1", d
assert d["kb"] == sys.argv[2], (d["kb"], sys.argv[2])
assert d["updated"] is False and d["rules"] > 0, d
PY
expect "pooltriage-net run directly: update --status --json" 0 "$net" update --status --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["kb"]==sys.argv[2], d' \
  "$tmp/out" "$kb_real" || { echo "FAIL: pooltriage-net names another KB"; fail=1; }
exit $fail
