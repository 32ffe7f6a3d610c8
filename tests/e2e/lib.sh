# lib.sh - what the script-driven e2e suites share, sourced after their
# header comment:  . "$(dirname "$0")/lib.sh" "$@"
# Sets bin and src (absolute) from the arguments BINARY SOURCE_DIR, a
# private $tmp removed at exit, per-user folders inside it (so a test never
# touches the real ones), NO_COLOR; ok/bad count the checks (bad shows the
# first lines of $tmp/err), and finish prints the tally and sets the exit.
set -u
bin=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" NO_COLOR=1
fails=0 passes=0
: > "$tmp/err"
ok() { passes=$((passes + 1)); echo "ok: $1"; }
bad() { fails=$((fails + 1)); echo "FAIL: $1"; sed 's/^/    stderr: /' "$tmp/err" | head -5; }
finish() { echo "$passes passed, $fails failed"; [ "$fails" = 0 ]; }
