#!/usr/bin/env bash
# update_tests.sh - end-to-end tests of `pooltriage update`, `kb bundle`,
# `kb sign` and `kb links` against local servers (update_server.py) on
# 127.0.0.1, over HTTP and HTTPS with a test CA made here by openssl.
# Each attack asserts the exact error message, exit code 5 and that the
# installed KB is byte-for-byte unchanged.
# usage: update_tests.sh BINARY SOURCE_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$src"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" NO_COLOR=1
fails=0 passes=0
ok() { passes=$((passes + 1)); echo "ok: $1"; }
bad() { fails=$((fails + 1)); echo "FAIL: $1"; [ -f "$tmp/err" ] && sed 's/^/    stderr: /' "$tmp/err"; [ -f "$tmp/out" ] && sed 's/^/    stdout: /' "$tmp/out"; }
kb="$tmp/data/pooltriage/kb.sqlite"
exp_future=2099-01-01T00:00:00Z

# ---- keys: the committed test key; minisign's own when it is installed ----
key="$src/tests/fixtures/fetch/test.key"
pub=$(tail -n 1 "$src/tests/fixtures/fetch/test.pub")
have_minisign=0
command -v minisign >/dev/null && have_minisign=1
openssl genpkey -algorithm ed25519 -out "$tmp/other.pem" 2>/dev/null
# a second minisign key, made from raw OpenSSL key bytes (no minisign needed)
python3 - "$tmp/other.pem" "$tmp/other.key" <<'EOF'
import base64, subprocess, sys
der = subprocess.run(["openssl", "pkey", "-in", sys.argv[1], "-outform", "DER"],
                     capture_output=True, check=True).stdout
seed = der[-32:]
pubder = subprocess.run(["openssl", "pkey", "-in", sys.argv[1], "-pubout", "-outform", "DER"],
                        capture_output=True, check=True).stdout
pk = pubder[-32:]
raw = b"Ed" + b"\0\0" + b"B2" + bytes(48) + bytes.fromhex("0102030405060708") + seed + pk + bytes(32)
open(sys.argv[2], "w").write("untrusted comment: other test key\n" + base64.b64encode(raw).decode() + "\n")
EOF

# ---- feeds: v1 and v2 (v2 adds a rule), signed by pooltriage kb sign ----
mkdir -p "$tmp/rules2" "$tmp/www/good" "$tmp/www/v1" "$tmp/www/badsig" "$tmp/www/otherkey" \
         "$tmp/www/expired" "$tmp/www/comment" "$tmp/www/trigger" "$tmp/www/v3" "$tmp/www/minisign"
cp rules/*.lua "$tmp/rules2/"
cat > "$tmp/rules2/feed-canary.lua" <<'EOF'
-- A rule that only the v2 feed ships: proves a feed's new rule runs.
return {
  id = "feed-canary",
  title = "Feed canary",
  author = "update_tests.sh",
  evaluate = function(ctx)
    return { { level = "info", title = "feed canary rule ran",
               explanation = "this rule came from the update feed" } }
  end,
}
EOF
mk() { # dir version expires rules [key]
  "$bin" kb bundle --out "$tmp/www/$1/kb.sqlite" --version "$2" --expires "$3" --rules "$4" >/dev/null &&
  "$bin" kb sign --key "${5:-$key}" "$tmp/www/$1/kb.sqlite" >/dev/null
}
mk good 2 $exp_future "$tmp/rules2" || { echo "FAIL: cannot build the feed"; exit 1; }
mk v1 1 $exp_future rules
mk v3 3 $exp_future "$tmp/rules2"
mk expired 5 2020-01-01T00:00:00Z "$tmp/rules2"
mk otherkey 6 $exp_future "$tmp/rules2" "$tmp/other.key"
cp "$tmp/www/good/kb.sqlite" "$tmp/www/good/kb.sqlite.minisig" "$tmp/www/badsig/"
printf 'x' | dd of="$tmp/www/badsig/kb.sqlite" bs=1 seek=5000 conv=notrunc 2>/dev/null
cp "$tmp/www/v3/kb.sqlite" "$tmp/www/v3/kb.sqlite.minisig" "$tmp/www/comment/"
sed -i 's/version=3 /version=99 /' "$tmp/www/comment/kb.sqlite.minisig"
cp "$tmp/www/v3/kb.sqlite" "$tmp/www/trigger/kb.sqlite"
python3 -c "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute('CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM issues; END'); d.execute(\"UPDATE meta SET value='7' WHERE key='feed_version'\"); d.commit()" "$tmp/www/trigger/kb.sqlite"
"$bin" kb sign --key "$key" "$tmp/www/trigger/kb.sqlite" >/dev/null

# ---- servers: HTTP, and HTTPS with a test CA ----
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -keyout "$tmp/ca.key" \
  -out "$tmp/ca.pem" -days 2 -subj /CN=pooltriage-test-ca 2>/dev/null
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -keyout "$tmp/srv.key" \
  -out "$tmp/srv.csr" -subj /CN=127.0.0.1 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' > "$tmp/ext"
openssl x509 -req -in "$tmp/srv.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
  -out "$tmp/srv.pem" -days 2 -extfile "$tmp/ext" 2>/dev/null
python3 "$src/tests/e2e/update_server.py" --root "$tmp/www" --port-file "$tmp/http.port" & pids+=($!)
python3 "$src/tests/e2e/update_server.py" --root "$tmp/www" --port-file "$tmp/https.port" \
  --cert "$tmp/srv.pem" --key "$tmp/srv.key" & pids+=($!)
for _ in $(seq 100); do [ -f "$tmp/http.port" ] && [ -f "$tmp/https.port" ] && break; sleep 0.1; done
H="http://127.0.0.1:$(cat "$tmp/http.port")"
S="https://127.0.0.1:$(cat "$tmp/https.port")"

mkdir -p "$tmp/config/pooltriage"
config() { # extra lines
  { echo "# test config"; echo "feed = $H/good/kb.sqlite"; echo "key = $pub"
    echo "timeout = 2"; echo "connect_timeout = 2"; echo "retries = 1"
    echo "retry_delay_ms = 50"; echo "max_size = 1048576"; printf '%s\n' "$@"; } \
    > "$tmp/config/pooltriage/config"
}
config
run() { # FSIZE=N run ... limits the file size (RLIMIT_FSIZE, KiB) of the run
  ( [ -n "${FSIZE:-}" ] && ulimit -f "$FSIZE"; exec "$bin" "$@" ) > "$tmp/out" 2> "$tmp/err"
  echo $? > "$tmp/rc"
}
rc() { cat "$tmp/rc"; }
triage_has_canary() {
  "$bin" triage examples/mfeavfk-2012r2 --json 2>/dev/null | grep -q '"rule":"feed-canary"'
}

# ---- a clean install updates, and the feed's new rule takes effect ----
if triage_has_canary; then bad "the canary rule runs before any update"; else ok "no canary rule before the update"; fi
run update
if [ "$(rc)" = 0 ] && grep -q "^installed .* at feed version 2 (key ID 1644F8B7B1EC5CCB)" "$tmp/out"; then
  ok "a clean install updates from the local feed"; else bad "clean install update"; fi
if triage_has_canary; then ok "the feed's new rule takes effect in the next triage"; else bad "new rule not in triage"; fi
run update --status
if grep -q "^version:  2 (expires 2099-01-01T00:00:00Z)" "$tmp/out" && grep -q "^key id:   1644F8B7B1EC5CCB" "$tmp/out" &&
   grep -q "^feed:     $H/good/kb.sqlite" "$tmp/out" && grep -Eq "^entries:  [0-9]+ issues, [0-9]+ rules" "$tmp/out"; then
  ok "--status shows feed, version, expiry, key id and counts"; else bad "--status"; fi
run update --status --json
python3 -c "import json,sys; o=json.load(open(sys.argv[1])); assert o['version']==2 and o['key_id']=='1644F8B7B1EC5CCB' and o['rules']>=2, o" "$tmp/out" 2>/dev/null &&
  ok "--status --json" || bad "--status --json"
run update
if [ "$(rc)" = 0 ] && grep -q "already up to date: feed version 2 (the server says not modified)" "$tmp/out" &&
   grep -q '^GET /good/kb.sqlite "' "$tmp/www/requests.log"; then
  ok "a second update sends If-None-Match and gets 304"; else bad "ETag / 304"; fi

# ---- every attack is refused: exact message, exit 5, KB untouched ----
cp "$kb" "$tmp/kb.before"
attack() { # name expected-stderr-line args...
  local name=$1 want=$2; shift 2
  run "$@"
  local got; got=$(cat "$tmp/err")
  if [ "$(rc)" != 5 ]; then bad "$name: exit $(rc), expected 5"
  elif [ "$got" != "$want" ]; then bad "$name: message"; echo "    expected: $want"
  elif ! cmp -s "$kb" "$tmp/kb.before"; then bad "$name: the KB changed"
  elif ls "$tmp/data/pooltriage/" | grep -q part-; then bad "$name: a partial download was left"
  else ok "$name is refused"; fi
}
attack "a slow server" "pooltriage: $H/slow/kb.sqlite: download timed out after 2 s (tries: 2); check the network or raise 'timeout' in the config" \
  update --feed "$H/slow/kb.sqlite"
attack "a truncated download" "pooltriage: $H/truncated/kb.sqlite: download was cut short after $(( $(stat -c %s "$tmp/www/good/kb.sqlite") / 2 )) bytes (tries: 2); try again later" \
  update --feed "$H/truncated/kb.sqlite"
attack "an oversized download (Content-Length)" "pooltriage: $H/oversized/kb.sqlite: download is larger than the limit of 1048576 bytes; raise 'max_size' in the config if the feed is genuine" \
  update --feed "$H/oversized/kb.sqlite"
attack "an oversized download (streamed)" "pooltriage: $H/oversized-stream/kb.sqlite: download is larger than the limit of 1048576 bytes; raise 'max_size' in the config if the feed is genuine" \
  update --feed "$H/oversized-stream/kb.sqlite"
attack "a wrong signature" "pooltriage: $H/badsig/kb.sqlite: signature does not match the bundle (key ID 1644F8B7B1EC5CCB); the KB was not changed: check the feed's origin" \
  update --feed "$H/badsig/kb.sqlite"
attack "a key that is not pinned" "pooltriage: $H/otherkey/kb.sqlite: signed with key ID 0807060504030201, which is not pinned; add its public key to the config only if you trust it" \
  update --feed "$H/otherkey/kb.sqlite"
attack "an edited trusted comment" "pooltriage: $H/comment/kb.sqlite: signature of the trusted comment does not match (key ID 1644F8B7B1EC5CCB); the KB was not changed: check the feed's origin" \
  update --feed "$H/comment/kb.sqlite"
attack "an older version (rollback)" "pooltriage: $H/v1/kb.sqlite: feed version 1 is older than the installed version 2; refusing a rollback (use 'pooltriage update --rollback' to go back on purpose)" \
  update --feed "$H/v1/kb.sqlite"
attack "an expired feed" "pooltriage: $H/expired/kb.sqlite: feed version 5 expired on 2020-01-01T00:00:00Z; refusing a stale feed: ask its maintainer to publish a fresh signature" \
  update --feed "$H/expired/kb.sqlite"
attack "a signed KB with a trigger" "pooltriage: $H/trigger/kb.sqlite: the signed bundle is not a valid KB: the new KB's schema differs from schema version 2 (extra or changed tables, views or triggers); the KB was not changed" \
  update --feed "$H/trigger/kb.sqlite"
attack "a 404" "pooltriage: $H/404/kb.sqlite: HTTP 404 from the server; check 'feed' in the config or --feed" \
  update --feed "$H/404/kb.sqlite"
[ "$(grep -c '^GET /404/kb.sqlite ' "$tmp/www/requests.log")" = 1 ] &&
  ok "a 404 is not retried (retries = 1)" || bad "404 retried: $(grep -c '^GET /404/kb.sqlite ' "$tmp/www/requests.log") requests"
attack "a Retry-After past the cap" "pooltriage: $H/busy/kb.sqlite: HTTP 503: the server asks to wait 3600 s, more than 60 s; run again later" \
  update --feed "$H/busy/kb.sqlite"
[ "$(grep -c '^GET /busy/kb.sqlite ' "$tmp/www/requests.log")" = 1 ] &&
  ok "a Retry-After past the cap is not waited for" || bad "busy: $(grep -c '^GET /busy/kb.sqlite ' "$tmp/www/requests.log") requests"
rm -f "$tmp/www/500.count"
attack "a 500" "pooltriage: $H/500/kb.sqlite: HTTP 500 from the server (tries: 2); try again later" \
  update --feed "$H/500/kb.sqlite"
[ "$(cat "$tmp/www/500.count")" = 2 ] && ok "a 500 is retried once (retries = 1)" || bad "500 retry count $(cat "$tmp/www/500.count")"
attack "a redirect loop" "pooltriage: $H/loop/kb.sqlite: more than 5 redirects (a redirect loop?); check the feed URL" \
  update --feed "$H/loop/kb.sqlite"
attack "plain http to a remote host" "pooltriage: http://example.org/kb.sqlite: refusing plain http:// to 'example.org': use https:// (http:// is allowed only to 127.0.0.0/8, ::1 and localhost)" \
  update --feed "http://example.org/kb.sqlite"
attack "an unknown scheme" "pooltriage: ftp://127.0.0.1/kb.sqlite: refusing the 'ftp' scheme: use https://" \
  update --feed "ftp://127.0.0.1/kb.sqlite"
run update --feed "$S/good/kb.sqlite"
if [ "$(rc)" = 5 ] && grep -q "download failed: .*certificate" "$tmp/err" && cmp -s "$kb" "$tmp/kb.before"; then
  ok "HTTPS with an unknown CA is refused"; else bad "HTTPS without the test CA"; fi

# ---- a full disk (RLIMIT_FSIZE) and a kill -9 leave the KB working ----
FSIZE=64 attack "a full disk (RLIMIT_FSIZE)" "pooltriage: $H/v3/kb.sqlite: cannot write the download: File too large; the KB was not changed" \
  update --feed "$H/v3/kb.sqlite"
config "timeout = 60"
"$bin" update --feed "$H/slow/kb.sqlite" >/dev/null 2>&1 & victim=$!
for _ in $(seq 50); do ls "$tmp/data/pooltriage/" | grep -q part- && break; sleep 0.1; done
sleep 0.5; kill -9 $victim; wait $victim 2>/dev/null
if cmp -s "$kb" "$tmp/kb.before" && "$bin" triage examples/mfeavfk-2012r2 >/dev/null 2>&1; [ $? = 1 ]; then
  ok "kill -9 mid-download leaves the KB unchanged and working"; else bad "kill -9"; fi
config
run update --feed "$H/v3/kb.sqlite"
if [ "$(rc)" = 0 ] && ! ls "$tmp/data/pooltriage/" | grep -q part- && grep -q "to feed version 3" "$tmp/out"; then
  ok "the next update cleans up after the killed one and applies"; else bad "update after kill"; fi

# ---- rollback ----
run update --rollback
if [ "$(rc)" = 0 ] && grep -q "rolled back to feed version 2" "$tmp/out" && cmp -s "$kb" "$tmp/kb.before"; then
  ok "--rollback restores the previous KB byte for byte"; else bad "--rollback"; fi
run update --rollback
if [ "$(rc)" = 0 ] && grep -q "rolled back to feed version 3" "$tmp/out"; then
  ok "a second --rollback undoes the first"; else bad "second --rollback"; fi

# ---- HTTPS with the test CA, on a clean install ----
export XDG_DATA_HOME="$tmp/data2"
config "ca_file = $tmp/ca.pem"
run update --feed "$S/good/kb.sqlite"
if [ "$(rc)" = 0 ] && grep -q "at feed version 2" "$tmp/out"; then ok "HTTPS with the test CA"; else bad "HTTPS with the test CA"; fi
cp "$tmp/data2/pooltriage/kb.sqlite" "$tmp/kb.first"
run update --rollback
if [ "$(rc)" = 0 ] && grep -q "rolled back to the built-in KB" "$tmp/out" &&
   [ ! -e "$tmp/data2/pooltriage/kb.sqlite" ] &&
   "$bin" -V | grep -q "^KB path: $(realpath "$(dirname "$bin")/../share/pooltriage/kb.sqlite")"; then
  ok "--rollback after the first update goes back to the built-in KB"
else bad "--rollback after the first update"; fi
run update --rollback
if [ "$(rc)" = 0 ] && grep -q "rolled back to feed version 2" "$tmp/out" &&
   cmp -s "$tmp/data2/pooltriage/kb.sqlite" "$tmp/kb.first"; then
  ok "a second --rollback brings the first update back"; else bad "second --rollback after the first update"; fi
export XDG_DATA_HOME="$tmp/data-none"
run update --rollback
[ "$(rc)" = 5 ] && grep -q "no previous KB to roll back to" "$tmp/err" && ok "--rollback before any update fails with 5" || bad "--rollback with nothing"
export XDG_DATA_HOME="$tmp/data2"

# ---- retries: 503, then 503 with Retry-After: 1, then 200 ----
export XDG_DATA_HOME="$tmp/data4"
config "retries = 2"
start=$(date +%s%N)
run update --feed "$H/flaky/kb.sqlite"
took=$(( ($(date +%s%N) - start) / 1000000 ))
nget=$(grep -c '^GET /flaky/kb.sqlite ' "$tmp/www/requests.log")
nsig=$(grep -c '^GET /flaky/kb.sqlite.minisig ' "$tmp/www/requests.log")
if [ "$(rc)" = 0 ] && grep -q "at feed version 2" "$tmp/out" && [ "$nget" = 3 ] && [ "$nsig" = 3 ] &&
   [ "$took" -ge 2000 ]; then
  ok "503 twice, then 200: the update succeeds on the third try, after Retry-After"
else bad "update after 503s: rc $(rc), $nget + $nsig requests, ${took} ms"; fi
export XDG_DATA_HOME="$tmp/data2"

# ---- kb links retries a 503 (as the transport says), not a 404 ----
mkdir -p "$tmp/issues-retry"
cat > "$tmp/issues-retry/retry-test.lua" <<EOF
-- references that answer 503 twice, then 200; and a 404
return {
  id = "PT-9002", title = "Link retry test", vendor = "Test", drivers = { "y.sys" },
  severity = "low", author = "update_tests.sh", date = "2024-05-17",
  references = {
    { kind = "vendor-kb", title = "flaky", url = "$H/flaky/page",
      archived_url = "https://web.archive.org/web/2019/y" },
    { kind = "forum", title = "dead", url = "$H/links/dead-again",
      archived_url = "https://web.archive.org/web/2019/z" },
  },
}
EOF
run kb links --issues "$tmp/issues-retry" --wayback "$H/wayback/available" --delay-ms 20 --no-cache --json
python3 - "$tmp/out" "$tmp/www/requests.log" <<'EOF' && ok "kb links retries a 503 until it answers; a 404 only falls back from HEAD to GET" || bad "kb links retries"
import json, sys
o = json.load(open(sys.argv[1]))
by = {l["url"].rsplit("/", 1)[1]: l for l in o["links"]}
assert by["page"]["status"] == "alive" and by["page"]["http_status"] == 200, by["page"]
assert by["dead-again"]["status"] == "dead" and by["dead-again"]["http_status"] == 404
log = [l.split()[:2] for l in open(sys.argv[2])]
assert log.count(["HEAD", "/flaky/page"]) == 1 and log.count(["GET", "/flaky/page"]) == 2, log
assert log.count(["HEAD", "/links/dead-again"]) == 1 and log.count(["GET", "/links/dead-again"]) == 1
EOF

# ---- minisign interop ----
if [ "$have_minisign" = 1 ]; then
  export XDG_DATA_HOME="$tmp/data3"
  config
  if minisign -Vq -P "$pub" -m "$tmp/www/good/kb.sqlite" -x "$tmp/www/good/kb.sqlite.minisig"; then
    ok "minisign verifies a 'pooltriage kb sign' signature"; else bad "minisign -V of kb sign"; fi
  "$bin" kb bundle --out "$tmp/www/minisign/kb.sqlite" --version 8 --expires $exp_future --rules "$tmp/rules2" >/dev/null
  minisign -S -s "$key" -m "$tmp/www/minisign/kb.sqlite" -t "pooltriage-feed version=8 expires=$exp_future" >/dev/null
  run update --feed "$H/minisign/kb.sqlite"
  [ "$(rc)" = 0 ] && grep -q "at feed version 8" "$tmp/out" && ok "a 'minisign -S' (prehashed) signature is accepted" || bad "minisign -S"
  "$bin" kb bundle --out "$tmp/www/minisign/kb.sqlite" --version 9 --expires $exp_future --rules "$tmp/rules2" >/dev/null
  minisign -S -l -s "$key" -m "$tmp/www/minisign/kb.sqlite" -t "pooltriage-feed version=9 expires=$exp_future" >/dev/null
  run update --feed "$H/minisign/kb.sqlite"
  [ "$(rc)" = 0 ] && grep -q "to feed version 9" "$tmp/out" && ok "a 'minisign -S -l' (legacy) signature is accepted" || bad "minisign -S -l"
  minisign -S -s "$key" -m "$tmp/www/minisign/kb.sqlite" -t "version=10" >/dev/null
  run update --feed "$H/minisign/kb.sqlite"
  [ "$(rc)" = 5 ] && grep -q "is not 'pooltriage-feed version=N" "$tmp/err" && ok "a signature without a feed comment is refused" || bad "foreign trusted comment"
else
  echo "skip: minisign is not installed (apt-get install minisign); the interop tests did not run"
fi

# ---- kb links: alive, dead, archived from the fake Wayback endpoint ----
mkdir -p "$tmp/issues"
cat > "$tmp/issues/links-test.lua" <<EOF
-- a KB entry whose references point at the test server
return {
  id = "PT-9001", title = "Link test", vendor = "Test", drivers = { "x.sys" },
  severity = "low", author = "update_tests.sh", date = "2024-05-17",
  references = {
    { kind = "vendor-kb", title = "alive", url = "$H/links/alive" },
    { kind = "forum", title = "dead", url = "$H/links/dead", archived_url = nil },
    { kind = "blog", title = "no head", url = "$H/links/nohead" -- HEAD is refused
    },
    { kind = "issue", title = "dead, archived", url = "$H/links/gone",
      archived_url = "https://web.archive.org/web/2019/x" },
  },
}
EOF
cp "$tmp/issues/links-test.lua" "$tmp/links-before.lua"
run kb links --issues "$tmp/issues" --wayback "$H/wayback/available" --delay-ms 20 --json --write
python3 - "$tmp/out" <<EOF && ok "kb links --json reports alive, dead, archived and missing" || bad "kb links --json"
import json, sys
o = json.load(open(sys.argv[1]))
s = o["summary"]
assert s == {"alive": 2, "dead": 2, "archived": 3, "missing": 1}, s
by = {l["url"].rsplit("/", 1)[1]: l for l in o["links"]}
assert by["dead"]["status"] == "dead" and by["dead"]["http_status"] == 404
assert by["dead"]["archive"] == "found"
assert by["dead"]["archived_url"] == "https://web.archive.org/web/20240517000000/$H/links/dead"
assert by["nohead"]["status"] == "alive" and by["nohead"]["archive"] == "found"
assert by["gone"]["archive"] == "recorded" and by["alive"]["archive"] == "none"
assert o["files_written"] == 1
EOF
if grep -q "url = \"$H/links/dead\", archived_url = \"https://web.archive.org/web/20240517000000/$H/links/dead\" }," "$tmp/issues/links-test.lua" &&
   grep -q "url = \"$H/links/nohead\", archived_url = \"https://web.archive.org/web/20240517000000/$H/links/nohead\" -- HEAD is refused" "$tmp/issues/links-test.lua" &&
   [ "$(diff "$tmp/links-before.lua" "$tmp/issues/links-test.lua" | grep -c '^>')" = 2 ]; then
  ok "kb links --write fills archived_url with a minimal edit"; else bad "kb links --write"; diff "$tmp/links-before.lua" "$tmp/issues/links-test.lua"; fi
"$bin" kb build --issues "$tmp/issues" --rules rules --out "$tmp/links.sqlite" >/dev/null 2>&1 &&
  ok "the edited issue file still builds" || bad "edited file does not build"
run kb links --issues "$tmp/issues" --wayback "$H/wayback/available" --delay-ms 20
if [ "$(rc)" = 0 ] && grep -q "^summary: 2 alive, 2 dead, 3 archived, 1 missing" "$tmp/out" &&
   grep -q "^dead   404  recorded" "$tmp/out"; then ok "kb links prints the table"; else bad "kb links table"; fi
n=$(wc -l < "$tmp/www/requests.log")
run kb links --issues "$tmp/issues" --wayback "$H/wayback/available" --delay-ms 20 --json
[ "$(wc -l < "$tmp/www/requests.log")" = "$n" ] && grep -q '"cached":true' "$tmp/out" &&
  ok "a second kb links run answers from the cache" || bad "kb links cache"

echo "update tests: $passes passed, $fails failed"
[ "$fails" = 0 ]
