#!/usr/bin/env bash
# Checks the platform rule: every OS call lives in engine/platform/.
#  1. No C file outside engine/platform/ includes <unistd.h>, <dirent.h>,
#     <pthread.h>, <sys/*.h>, <poll.h>, <fcntl.h>, <arpa/*.h> or <netinet/*.h> (engine/, fetch/, tests/;
#     bench/ holds stand-alone Linux measuring tools and is not checked;
#     tests/unit/test_platform.c tests the POSIX layer itself).
#  2. No raw mkdir(): one mkdir -p, pt_platform_mkdir_p.
#  3. No path joined or split with a hard-coded '/' in engine/ and fetch/
#     ("%s/%s", strrchr(p, '/')): pt_path_join and pt_path_base.  A line that
#     builds a logical name (a URL, a name shown in the KB) says so with the
#     comment "not a file path".
# Prints each violation as FILE:LINE: text, and exits 1 when there is one.
set -euo pipefail
cd "$(dirname "$0")/.."

found=$(mktemp)
trap 'rm -f "$found"' EXIT
report() {   # $1 rule, then grep -n output on stdin
  local rule=$1 line
  while IFS= read -r line; do
    echo "$line   <- $rule" | tee -a "$found"
  done
}

c_files() {
  find "$@" -type f \( -name '*.c' -o -name '*.h' \) -not -path 'engine/platform/*' \
    -not -path 'tests/unit/test_platform.c' | sort
}

mapfile -t all < <(c_files engine fetch tests)
mapfile -t product < <(c_files engine fetch)

grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(unistd|dirent|pthread|poll|fcntl|sys/[^>]+|arpa/[^>]+|netinet/[^>]+)\.h>' \
  "${all[@]}" | report "OS header outside engine/platform (use pooltriage/platform.h)" || true

grep -nE '(^|[^_[:alnum:]])mkdir[[:space:]]*\(' "${all[@]}" |
  grep -vE 'pt_platform_mkdir|^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)' | report "raw mkdir (use pt_platform_mkdir_p)" || true

grep -nE '(snprintf|printf\(arena|_printf\([a-z>-]*arena)[^;]*("[^"]*%s/%s[^"]*"|"%s/[^"]*")' "${product[@]}" | grep -v 'not a file path' |
  grep -vE 'https?:|%s/rest/|%s/api/|%s/browse/|%s/nav_to' |
  report "path joined with '/' (use pt_path_join)" || true

grep -nE "strrchr\([^,]+, *'/'\)" "${product[@]}" | grep -v 'not a file path' |
  report "path split at '/' (use pt_path_base)" || true

if [ -s "$found" ]; then
  echo "check-platform: $(wc -l < "$found") violation(s)"
  exit 1
fi
echo "check-platform: ok (${#all[@]} files)"
