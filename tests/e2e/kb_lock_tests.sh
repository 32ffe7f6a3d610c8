#!/usr/bin/env bash
# kb_lock_tests.sh - a KB that another process holds locked: a reader waits
# for it (up to PT_KB_BUSY_MS, 5 s), and past that says it is locked, not
# damaged (exit 4, one line naming the KB file).
# usage: kb_lock_tests.sh BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh" "$@"
cp "$(dirname "$bin")/../share/pooltriage/kb.sqlite" "$tmp/kb.sqlite"
# holds an exclusive lock on the KB for $1 seconds, in the background
hold() {
  python3 - "$tmp/kb.sqlite" "$1" "$tmp/held" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
open(sys.argv[3], "w").close()
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
PY
  while [ ! -e "$tmp/held" ]; do sleep 0.05; done
}

hold 1
"$bin" kb list --kb "$tmp/kb.sqlite" > "$tmp/out" 2> "$tmp/err"
code=$?
wait
rm -f "$tmp/held"
[ "$code" = 0 ] && grep -q "PT-0001" "$tmp/out" &&
  ok "a lock held for 1 s: the reader waits and lists the KB (exit 0)" || bad "wait: exit $code"

hold 8
"$bin" kb list --kb "$tmp/kb.sqlite" > "$tmp/out" 2> "$tmp/err"
code=$?
wait
[ "$code" = 4 ] && [ "$(grep -c . "$tmp/err")" = 1 ] &&
  grep -q "$tmp/kb.sqlite: the knowledge base stayed locked by another process for 5000 ms" "$tmp/err" &&
  ! grep -q damaged "$tmp/err" &&
  ok "a lock held past 5 s: exit 4, 'stayed locked', not 'damaged'" || bad "locked: exit $code"
finish
