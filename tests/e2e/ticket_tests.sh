#!/usr/bin/env bash
# ticket_tests.sh - end-to-end tests of `pooltriage ticket` against a local
# stand-in ticket system (ticket_server.py) on 127.0.0.1: the exact webhook,
# Jira and ServiceNow payloads, credentials from the environment only, no
# double filing on a re-run, 401 / 429 Retry-After / 500 / a hang, a
# partial failure whose re-run files only what is missing, and reports read
# as JSON Lines from standard input (`fleet -`, `ticket -`), which e2e case
# folders can't feed.
# usage: ticket_tests.sh BINARY SOURCE_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
srv_pid=
cleanup() {
  [ -n "$srv_pid" ] && { kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null; }
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$src"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY
unset POOLTRIAGE_TICKET_USER POOLTRIAGE_TICKET_TOKEN POOLTRIAGE_TICKET_PASSWORD \
      POOLTRIAGE_TICKET_CREDENTIALS POOLTRIAGE_JIRA_PROJECT POOLTRIAGE_JIRA_ISSUETYPE
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" NO_COLOR=1
fails=0 passes=0
ok() { passes=$((passes + 1)); echo "ok: $1"; }
bad() {
  fails=$((fails + 1)); echo "FAIL: $1"
  [ -f "$tmp/err" ] && sed 's/^/    stderr: /' "$tmp/err"
  [ -f "$tmp/out" ] && sed 's/^/    stdout: /' "$tmp/out"
}

# ---- reports: three hosts with the seed problem, one with a second problem ----
mkdir -p "$tmp/reports" "$tmp/more"
for h in srv01 srv02 srv03; do
  "$bin" triage examples/mfeavfk-2012r2 --host "$h" --json > "$tmp/reports/$h.json"
done
"$bin" triage examples/mfeavfk-2012r2 --host srv04 --json > "$tmp/more/srv04.json"
python3 - "$tmp/reports/srv01.json" "$tmp/reports/srv05.json" <<'PY'
import hashlib, json, sys
v = json.load(open(sys.argv[1]))
v["host"]["name"] = "srv05"
f = v["findings"][0]
f["kb"]["id"] = "PT-9999"
f["kb"]["title"] = "A second known issue"
f["title"] = "A second known issue"
f["fingerprint"] = hashlib.sha256(b"known-issue|PT-9999|other.sys|r1").hexdigest()
open(sys.argv[2], "w").write(json.dumps(v) + "\n")
PY
fp1=abc8d0518b0071c916fbc700eb6825fea088e5864e31cee0b2f71d91f2bc03e0  # sha256 of "leak|PT-0001|mfeavfk.sys|mfeavfk-18.10.0.189"
fp2=$(python3 -c 'import hashlib; print(hashlib.sha256(b"known-issue|PT-9999|other.sys|r1").hexdigest())')

# ---- the server ----
log="$tmp/requests.jsonl" plan="$tmp/plan"
python3 tests/e2e/ticket_server.py "$tmp/port" "$log" "$plan" &
srv_pid=$!
for _ in $(seq 50); do [ -f "$tmp/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$tmp/port")"
: > "$log"

reset() {
  : > "$log"; : > "$plan"; rm -rf "$tmp/state"
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/__reset").read()' "$url"
}
nreq() { wc -l < "$log" | tr -d ' '; }
run() { # expected-exit label args...
  local want=$1 label=$2; shift 2
  "$bin" ticket "$@" > "$tmp/out" 2> "$tmp/err"
  local code=$?
  if [ "$code" != "$want" ]; then bad "$label: exit $code, expected $want"; return 1; fi
  return 0
}
check() { # label python-expression over `reqs` (the log), `out`, `err`
  if python3 - "$log" "$tmp/out" "$tmp/err" "$2" "$fp1" "$fp2" <<'PY'
import base64, json, sys
reqs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
out = open(sys.argv[2]).read()
err = open(sys.argv[3]).read()
fp1, fp2 = sys.argv[5], sys.argv[6]
b64 = lambda s: "Basic " + base64.b64encode(s.encode()).decode()
ok = eval("(" + sys.argv[4] + ")")
if not ok:
    print("    requests:", json.dumps(reqs)[:3000])
sys.exit(0 if ok else 1)
PY
  then ok "$1"; else bad "$1"; fi
}

# ---- dry run: prints the payloads, sends nothing, creates no map ----
reset
if run 0 "dry run" --to webhook --url "$url/hook" --dry-run "$tmp/reports"; then
  check "dry run prints one JSON line per problem and sends nothing" \
    'len(reqs) == 0 and [json.loads(l)["fingerprint"] for l in out.splitlines()] == [fp1, fp2]'
  [ ! -e "$tmp/state/pooltriage/tickets.sqlite" ] && ok "dry run creates no map" \
    || bad "dry run created the map"
fi

# ---- webhook: the exact payload, Bearer token from the environment ----
reset
"$bin" fleet "$tmp/reports" --json > "$tmp/fleet.json"
if POOLTRIAGE_TICKET_TOKEN=hook-secret run 0 "webhook" --to webhook --url "$url/hook" "$tmp/reports"; then
  check "webhook posts one create event per problem with the fleet's problem object" "$(cat <<PY
len(reqs) == 2 and reqs[0]["method"] == "POST" and reqs[0]["path"] == "/hook"
and reqs[0]["authorization"] == "Bearer hook-secret"
and reqs[0]["content_type"] == "application/json"
and set(reqs[0]["body"]) == {"schema", "event", "ticket_id", "fingerprint", "summary", "description", "new_hosts", "problem"}
and reqs[0]["body"]["schema"] == "pooltriage.ticket/1" and reqs[0]["body"]["event"] == "create"
and reqs[0]["body"]["ticket_id"] is None and reqs[0]["body"]["fingerprint"] == fp1
and reqs[0]["body"]["summary"] == "[pooltriage] KNOWN LEAK: PT-0001 McAfee ENS mfeavfk.sys non-paged pool leak (tags NFeS, MFeS) on Windows Server 2012 R2"
and reqs[0]["body"]["description"].startswith("**KNOWN LEAK** on **3 hosts**")
and reqs[0]["body"]["new_hosts"] == ["srv01", "srv02", "srv03"]
and reqs[0]["body"]["problem"] == json.load(open("$tmp/fleet.json"))["problems"][0]
and reqs[1]["body"]["fingerprint"] == fp2 and reqs[1]["body"]["new_hosts"] == ["srv05"]
and "created   hook-1 http://tickets/hook-1" in out
PY
)"
fi
run 0 "webhook re-run" --to webhook --url "$url/hook" "$tmp/reports" "$tmp/more" &&
  check "webhook re-run sends one update event naming only the new host" \
    'len(reqs) == 3 and reqs[2]["body"]["event"] == "update" and reqs[2]["body"]["ticket_id"] == "hook-1" and reqs[2]["body"]["new_hosts"] == ["srv04"] and reqs[2]["body"]["problem"]["hosts"]["count"] == 4 and reqs[2]["authorization"] is None'

# ---- Jira: create-issue payload, fingerprint label, Basic auth ----
reset
if POOLTRIAGE_TICKET_USER=ops@example.com POOLTRIAGE_TICKET_TOKEN=jira-token POOLTRIAGE_JIRA_PROJECT=OPS \
   run 0 "jira" --to jira --jira-api 3 --url "$url/" "$tmp/reports"; then
  check "jira posts the create-issue payload with the fingerprint as a label" "$(cat <<'PY'
len(reqs) == 2 and reqs[0]["method"] == "POST" and reqs[0]["path"] == "/rest/api/3/issue"
and reqs[0]["authorization"] == b64("ops@example.com:jira-token")
and set(reqs[0]["body"]) == {"fields"}
and set(reqs[0]["body"]["fields"]) == {"project", "summary", "description", "labels", "issuetype"}
and reqs[0]["body"]["fields"]["project"] == {"key": "OPS"}
and reqs[0]["body"]["fields"]["issuetype"] == {"name": "Bug"}
and reqs[0]["body"]["fields"]["labels"] == ["pooltriage", fp1]
and reqs[1]["body"]["fields"]["labels"] == ["pooltriage", fp2]
and reqs[0]["body"]["fields"]["summary"].startswith("[pooltriage] KNOWN LEAK: PT-0001 ")
and reqs[0]["body"]["fields"]["description"]["type"] == "doc"
and reqs[0]["body"]["fields"]["description"]["version"] == 1
and reqs[0]["body"]["fields"]["description"]["content"][1] == {"type": "paragraph", "content": [{"type": "text", "text": "Hosts affected: 3: srv01, srv02, srv03"}]}
and {"type": "text", "text": "https://kc.mcafee.com/corporate/index?page=content&id=KB65784", "marks": [{"type": "link", "attrs": {"href": "https://kc.mcafee.com/corporate/index?page=content&id=KB65784"}}]} in [t for p in reqs[0]["body"]["fields"]["description"]["content"] for t in p["content"]]
and "OPS-1 " in out and "/browse/OPS-1" in out
PY
)"
fi
POOLTRIAGE_TICKET_USER=ops@example.com POOLTRIAGE_TICKET_TOKEN=jira-token POOLTRIAGE_JIRA_PROJECT=OPS \
  run 0 "jira re-run" --to jira --jira-api 3 --url "$url" "$tmp/reports" &&
  check "jira re-run with the same reports files nothing" 'len(reqs) == 2 and out.count("unchanged") == 2'
POOLTRIAGE_TICKET_USER=ops@example.com POOLTRIAGE_TICKET_TOKEN=jira-token \
  run 0 "jira new host" --to jira --jira-api 3 --url "$url" --project OPS "$tmp/reports" "$tmp/more" &&
  check "jira re-run with a new host adds a comment naming it" \
    'len(reqs) == 3 and reqs[2]["path"] == "/rest/api/3/issue/OPS-1/comment" and "New host: srv04." in json.dumps(reqs[2]["body"]) and reqs[2]["body"]["body"]["type"] == "doc" and "updated   OPS-1" in out'
run 2 "jira without project" --to jira --url "$url" "$tmp/reports" &&
  check "jira without a project key is a usage error" '"POOLTRIAGE_JIRA_PROJECT" in err and len(reqs) == 3'

# ---- ServiceNow: incident payload, correlation_id, Basic user:password ----
reset
if POOLTRIAGE_TICKET_USER=admin POOLTRIAGE_TICKET_PASSWORD='pa:ss' \
   run 0 "servicenow" --to servicenow --url "$url" "$tmp/reports"; then
  check "servicenow posts the incident payload with correlation_id = fingerprint" "$(cat <<'PY'
len(reqs) == 2 and reqs[0]["method"] == "POST" and reqs[0]["path"] == "/api/now/table/incident"
and reqs[0]["authorization"] == b64("admin:pa:ss")
and set(reqs[0]["body"]) == {"short_description", "description", "correlation_id", "correlation_display"}
and reqs[0]["body"]["correlation_id"] == fp1 and reqs[1]["body"]["correlation_id"] == fp2
and reqs[0]["body"]["correlation_display"] == "pooltriage"
and len(reqs[0]["body"]["short_description"]) <= 160
and reqs[0]["body"]["short_description"].startswith("[pooltriage] KNOWN LEAK: PT-0001 McAfee ENS")
and reqs[0]["body"]["description"].startswith("KNOWN LEAK on 3 hosts: PT-0001 ")
and "Hosts affected: 3: srv01, srv02, srv03\n" in reqs[0]["body"]["description"]
and ("Fingerprint: " + fp1) in reqs[0]["body"]["description"]
and "INC0000001" in out
PY
)"
fi
POOLTRIAGE_TICKET_USER=admin POOLTRIAGE_TICKET_PASSWORD='pa:ss' \
  run 0 "servicenow new host" --to servicenow --url "$url" "$tmp/reports" "$tmp/more" &&
  check "servicenow re-run with a new host PATCHes a work note" \
    'len(reqs) == 3 and reqs[2]["method"] == "PATCH" and reqs[2]["path"] == "/api/now/table/incident/sys1" and set(reqs[2]["body"]) == {"work_notes"} and "New host: srv04." in reqs[2]["body"]["work_notes"]'

# ---- credentials: never from the command line; a file must be private ----
reset
run 2 "token on the command line" --to webhook --url "$url/hook" --token x "$tmp/reports" &&
  check "a token on the command line is refused" '"never taken from the command line" in err and len(reqs) == 0'
printf 'user = fileuser\ntoken = filetoken\n' > "$tmp/creds"
chmod 644 "$tmp/creds"
POOLTRIAGE_TICKET_CREDENTIALS="$tmp/creds" run 2 "open creds file" --to webhook --url "$url/hook" "$tmp/reports" &&
  check "a credentials file readable by others is refused" '"chmod 600" in err and len(reqs) == 0'
chmod 600 "$tmp/creds"
POOLTRIAGE_TICKET_CREDENTIALS="$tmp/creds" run 0 "creds file" --to webhook --url "$url/hook" "$tmp/reports" &&
  check "credentials come from the file named by POOLTRIAGE_TICKET_CREDENTIALS" \
    'len(reqs) == 2 and reqs[0]["authorization"] == b64("fileuser:filetoken")'

# ---- transport policy ----
reset
run 2 "plain http elsewhere" --to webhook --url http://example.invalid/hook "$tmp/reports" &&
  check "plain http:// to a non-loopback host is refused before any work (exit 2)" \
    '"https" in err and "--allow-http" in err and len(reqs) == 0'

# ---- 401: an immediate error that stops the run; nothing recorded ----
reset
echo 401 > "$plan"
run 5 "401" --to webhook --url "$url/hook" --retry-delay 10 "$tmp/reports" &&
  check "401 stops at once, is not retried and records nothing" \
    'len(reqs) == 1 and "credentials were refused" in err and "failed" in out'
run 0 "after 401" --to webhook --url "$url/hook" "$tmp/reports" &&
  check "after a 401 a re-run files both" 'len(reqs) == 3 and out.count("created") == 2'

# ---- 429 with Retry-After: honoured, and bounded ----
reset
echo "429 1" > "$plan"
run 0 "429" --to webhook --url "$url/hook" --retry-delay 10 "$tmp/reports" &&
  check "429 waits for Retry-After, then files" \
    'len(reqs) == 3 and reqs[1]["time"] - reqs[0]["time"] >= 0.9 and out.count("created") == 2'
reset
echo "429 3600" > "$plan"
run 5 "429 too long" --to webhook --url "$url/hook" --max-retry-after 5 "$tmp/reports" &&
  check "a Retry-After past --max-retry-after fails that ticket without waiting" \
    'len(reqs) == 2 and "wait 3600 s" in err and out.count("created") == 1'

# ---- 500: retried with back-off, bounded ----
reset
printf '500\n500\n' > "$plan"
run 0 "500 then ok" --to webhook --url "$url/hook" --retries 2 --retry-delay 50 "$tmp/reports" &&
  check "5xx is retried with back-off until it works" \
    'len(reqs) == 4 and reqs[2]["time"] - reqs[1]["time"] >= 0.09 and out.count("created") == 2'
reset
printf '500\n500\n500\n' > "$plan"
run 5 "500 always" --to webhook --url "$url/hook" --retries 2 --retry-delay 10 "$tmp/reports" &&
  check "5xx past --retries fails that ticket and the run goes on" \
    'len(reqs) == 4 and "HTTP 500" in err and out.count("created") == 1 and out.count("failed") == 1'

# ---- a hang: the timeout ends it, not retried ----
reset
echo hang > "$plan"
start=$(date +%s)
run 5 "hang" --to webhook --url "$url/hook" --timeout 1 --retries 3 "$tmp/reports" &&
  check "a server that hangs times out, is not retried, and the others are filed" \
    'len(reqs) == 2 and "no answer within 1 s" in err and out.count("created") == 1'
[ $(( $(date +%s) - start )) -le 8 ] && ok "the timeout is bounded" || bad "the hang took too long"

# ---- Jira Server / Data Center: REST API 2, detected, wiki markup ----
reset
export POOLTRIAGE_TICKET_TOKEN=dc-pat
if run 0 "jira dc" --to jira --url "$url/dc" --project OPS "$tmp/reports"; then
  check "jira without --jira-api asks serverInfo and posts to API 2 on Data Center" "$(cat <<'PY'
len(reqs) == 3 and reqs[0]["method"] == "GET" and reqs[0]["path"] == "/dc/rest/api/2/serverInfo"
and reqs[1]["path"] == "/dc/rest/api/2/issue" and reqs[2]["path"] == "/dc/rest/api/2/issue"
and reqs[1]["authorization"] == "Bearer dc-pat"
and isinstance(reqs[1]["body"]["fields"]["description"], str)
PY
)"
  check "the API 2 description is wiki markup: bold labels, escaped text, [title|url] links" "$(cat <<'PY'
(lambda d: d.startswith("*KNOWN LEAK on 3 hosts:* PT\\-0001 McAfee ENS mfeavfk.sys non\\-paged pool leak")
 and "\n*Hosts affected:* 3: srv01, srv02, srv03\n" in d
 and "\n*Driver:* mfeavfk.sys" in d
 and any(l.startswith("*Link (") and "|https://" in l and l.endswith("]") for l in d.splitlines())
 and "\n*Fingerprint:* " + fp1 in d)(reqs[1]["body"]["fields"]["description"])
PY
)"
fi
run 0 "jira dc new host" --to jira --url "$url/dc" --project OPS "$tmp/reports" "$tmp/more" &&
  check "an API 2 update is a comment whose body is a string" \
    'len(reqs) == 5 and reqs[3]["path"] == "/dc/rest/api/2/serverInfo" and reqs[4]["path"] == "/dc/rest/api/2/issue/OPS-1/comment" and isinstance(reqs[4]["body"]["body"], str) and "New host: srv04." in reqs[4]["body"]["body"]'
reset
run 0 "jira server" --to jira --url "$url/server" --project OPS "$tmp/reports" &&
  check "deploymentType Server is API 2 too" 'len(reqs) == 3 and reqs[1]["path"] == "/server/rest/api/2/issue"'
reset
run 0 "jira cloud" --to jira --url "$url/cloud" --project OPS "$tmp/reports" &&
  check "deploymentType Cloud is API 3 (ADF)" 'len(reqs) == 3 and reqs[1]["path"] == "/cloud/rest/api/3/issue" and reqs[1]["body"]["fields"]["description"]["type"] == "doc"'
reset
run 0 "jira forced 2" --to jira --jira-api 2 --url "$url/cloud" --project OPS "$tmp/reports" &&
  check "--jira-api 2 asks nothing and posts to API 2" 'len(reqs) == 2 and reqs[0]["path"] == "/cloud/rest/api/2/issue"'
reset
run 5 "jira odd" --to jira --url "$url/odd" --project OPS "$tmp/reports" &&
  check "an unknown deployment fails and files nothing, naming --jira-api" 'len(reqs) == 1 and "--jira-api" in err and "deploymentType" in err'
reset
printf '500\n500\n' > "$plan"
run 5 "jira detect fails" --to jira --url "$url/dc" --project OPS --retries 1 --retry-delay 10 "$tmp/reports" &&
  check "a serverInfo that fails is exit 5 naming --jira-api" 'len(reqs) == 2 and "--jira-api 2" in err'
run 2 "jira-api 4" --to jira --jira-api 4 --url "$url" --project OPS "$tmp/reports" &&
  check "--jira-api 4 is a usage error" '"--jira-api takes 2 or 3" in err'
reset
run 0 "jira dry run" --to jira --url "$url/dc" --project OPS --dry-run "$tmp/reports" &&
  check "a dry run asks nothing and plans API 3" 'len(reqs) == 0 and "/rest/api/3/issue" in out'
unset POOLTRIAGE_TICKET_TOKEN

# ---- Slack incoming webhook: text + blocks, one message per problem ----
reset
if run 0 "slack" --to slack --url "$url/slack/T0/B0/x" "$tmp/reports"; then
  check "slack posts a header and a mrkdwn section per problem" "$(cat <<'PY'
len(reqs) == 2 and reqs[0]["path"] == "/slack/T0/B0/x" and reqs[0]["authorization"] is None
and reqs[0]["body"]["text"].startswith("[pooltriage] KNOWN LEAK: PT-0001")
and [b["type"] for b in reqs[0]["body"]["blocks"]] == ["header", "section"]
and reqs[0]["body"]["blocks"][0]["text"]["type"] == "plain_text"
and len(reqs[0]["body"]["blocks"][0]["text"]["text"]) <= 150
and reqs[0]["body"]["blocks"][1]["text"]["type"] == "mrkdwn"
and reqs[0]["body"]["blocks"][1]["text"]["text"].startswith("*KNOWN LEAK on 3 hosts:* PT-0001")
and "*Hosts affected:* 3: srv01, srv02, srv03" in reqs[0]["body"]["blocks"][1]["text"]["text"]
and any("<https://" in l and "|" in l for l in reqs[0]["body"]["blocks"][1]["text"]["text"].splitlines())
and out.count("created") == 2
PY
)"
fi
run 0 "slack re-run" --to slack --url "$url/slack/T0/B0/x" "$tmp/reports" &&
  check "slack re-run with the same reports posts nothing" 'len(reqs) == 2 and out.count("unchanged") == 2'
run 0 "slack new host" --to slack --url "$url/slack/T0/B0/x" "$tmp/reports" "$tmp/more" &&
  check "slack posts one update message naming the new host" \
    'len(reqs) == 3 and "New host: srv04." in reqs[2]["body"]["blocks"][1]["text"]["text"] and "updated" in out'
python3 - "$tmp/state/pooltriage/tickets.sqlite" "$fp1" <<'PY' && ok "slack messages are in the same map" || bad "slack map rows"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT ticket_id, host_count FROM tickets WHERE system = 'slack' AND fingerprint = ?", (sys.argv[2],)).fetchall()
sys.exit(0 if rows == [(sys.argv[2], 4)] else (print(rows), 1)[1])
PY

# ---- Teams (Workflows) incoming webhook: an Adaptive Card message ----
reset
if run 0 "teams" --to teams --url "$url/teams/workflows/abc" "$tmp/reports"; then
  check "teams posts a message with one Adaptive Card per problem" "$(cat <<'PY'
len(reqs) == 2 and reqs[0]["path"] == "/teams/workflows/abc"
and reqs[0]["body"]["type"] == "message" and len(reqs[0]["body"]["attachments"]) == 1
and reqs[0]["body"]["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
and (lambda c: c["type"] == "AdaptiveCard" and c["version"] == "1.4"
     and c["body"][0]["weight"] == "Bolder" and "PT-0001" in c["body"][0]["text"]
     and any(b["text"].startswith("**Hosts affected:** 3: srv01") for b in c["body"])
     and all(a["type"] == "Action.OpenUrl" and a["url"].startswith("http") for a in c["actions"])
     and len(c["actions"]) >= 1)(reqs[0]["body"]["attachments"][0]["content"])
and out.count("created") == 2
PY
)"
fi
run 0 "teams new host" --to teams --url "$url/teams/workflows/abc" "$tmp/reports" "$tmp/more" &&
  check "teams posts one update card naming the new host" \
    'len(reqs) == 3 and "New host: srv04." in json.dumps(reqs[2]["body"]) and out.count("unchanged") == 1'

# ---- partial failure, then a re-run files only what is missing ----
reset
printf 'ok\n500\n500\n' > "$plan"
run 5 "partial" --to jira --jira-api 3 --url "$url" --project OPS --retries 1 --retry-delay 10 "$tmp/reports" &&
  check "a partial failure files the first and fails the second" \
    'len(reqs) == 3 and out.count("created") == 1 and out.count("failed") == 1'
run 0 "partial re-run" --to jira --jira-api 3 --url "$url" --project OPS "$tmp/reports" &&
  check "the re-run files only the missing ticket" \
    'len(reqs) == 4 and reqs[3]["body"]["fields"]["labels"][1] == fp2 and out.count("unchanged") == 1 and out.count("created") == 1'
python3 - "$tmp/state/pooltriage/tickets.sqlite" "$fp1" "$fp2" <<'PY' && ok "the map holds each ticket once" || bad "the map is not consistent"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = sorted(db.execute("SELECT fingerprint, ticket_id, host_count FROM tickets WHERE system = 'jira'"))
want = sorted([(sys.argv[2], "OPS-1", 3), (sys.argv[3], "OPS-2", 1)])
sys.exit(0 if rows == want else (print(rows), 1)[1])
PY

# ---- JSON Lines on standard input (`fleet -` and `ticket -` read alike) ----
cat "$tmp/reports"/*.json "$tmp/more/srv04.json" | "$bin" fleet - --json > "$tmp/out" 2> "$tmp/err"
[ $? = 1 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["reports"] == 5 and d["problems"][0]["hosts"]["count"] == 4 else 1)' "$tmp/out" \
  && ok "fleet - reads JSON Lines from standard input" || bad "fleet - reads JSON Lines from standard input"
reset
printf 'garbage line\n' | cat - "$tmp/reports/srv01.json" | "$bin" ticket --to webhook --url "$url/hook" --dry-run - > "$tmp/out" 2> "$tmp/err"
[ $? = 0 ] && grep -q -- '-:1: not JSON' "$tmp/err" && [ "$(wc -l < "$tmp/out")" = 1 ] && [ "$(nreq)" = 0 ] \
  && ok "ticket - reads standard input, warns about a bad line with -:LINE" || bad "ticket - reads standard input"

# ---- a map written from verdict/1 reports: found again, not filed twice ----
# The map holds a ticket under the old (rule-based) fingerprint of the seed
# leak; a run over version-1 reports of that leak updates it.
reset
src_dir=$(pwd)
if run 0 "legacy create" --to webhook --url "$url/hook" "$src_dir/tests/fixtures/fleet/v1/srv01.json"; then
  python3 - "$tmp/state/pooltriage/tickets.sqlite" "$fp1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
old = "dd97be006933d231074be7eaa5eb977c34883e7c2a868d07bc45b24c49ac8cdb"  # verdict/1
db.execute("UPDATE tickets SET fingerprint = ? WHERE fingerprint = ?", (old, sys.argv[2]))
db.execute("DELETE FROM ticket_hosts")
db.commit()
PY
  run 0 "legacy update" --to webhook --url "$url/hook" "$src_dir/tests/fixtures/fleet/v1/srv01.json" \
      "$src_dir/tests/fixtures/fleet/v1/srv03.json" &&
    check "a ticket filed under a verdict/1 fingerprint is updated, not filed again" \
      'len(reqs) == 2 and reqs[0]["body"]["event"] == "create" and reqs[1]["body"]["event"] == "update" and reqs[1]["body"]["ticket_id"] == "hook-1" and reqs[1]["body"]["fingerprint"] == fp1'
fi

# ---- one leak seen two ways: growing on one host, dominant on another ----
# Verdicts made now (not the fixtures): CtNt of ctsnet.sys 2.4.1.7 growing
# in a series on grow01 (growing-tag) and dominant in one capture on dom01
# (dominant-tag) are one problem, one fingerprint, one ticket.
reset
mkdir -p "$tmp/same"
"$bin" triage tests/fixtures/cases/growth-series --host grow01 --json > "$tmp/same/grow01.json"
"$bin" triage --pool tests/fixtures/cases/dominant-ctnt/poolmon.txt --root tests/fixtures/cases/growth-series \
  --host dom01 --json > "$tmp/same/dom01.json"
"$bin" fleet "$tmp/same" --json > "$tmp/out" 2> "$tmp/err"
python3 - "$tmp/same/grow01.json" "$tmp/same/dom01.json" "$tmp/out" <<'PY' \
  && ok "growing on one host and dominant on another: one problem, one fingerprint" \
  || bad "growing on one host and dominant on another: one problem, one fingerprint"
import json, sys
g, d, fleet = (json.load(open(p)) for p in sys.argv[1:4])
fg, fd = g["findings"][0], d["findings"][0]
assert fg["reasons"][0]["rule"] == "growing-tag" and "growing-tag" not in [r["rule"] for r in fd["reasons"]], (fg["reasons"], fd["reasons"])
assert fd["rule"] == "dominant-tag" and fg["fingerprint"] == fd["fingerprint"], (fg["fingerprint"], fd["fingerprint"])
assert len(fleet["problems"]) == 1 and fleet["problems"][0]["hosts"]["names"] == ["dom01", "grow01"], fleet
assert fleet["problems"][0]["fingerprint"] == fg["fingerprint"]
PY
run 0 "same leak, dry run" --to jira --jira-api 3 --project OPS --url "$url" --dry-run "$tmp/same" &&
  check "ticket --dry-run plans one ticket for the leak on both hosts" \
    'len(reqs) == 0 and len(out.splitlines()) == 1 and "dom01, grow01" in json.dumps(json.loads(out)["body"])'
run 0 "same leak" --to webhook --url "$url/hook" "$tmp/same" &&
  check "ticket files one ticket for the leak on both hosts" \
    'len(reqs) == 1 and reqs[0]["body"]["new_hosts"] == ["dom01", "grow01"]'

# ---- one known leak seen with its driver on one host, from a capture alone
# on another: one problem, one ticket; a ticket filed while only the capture
# was in is found again, not filed twice ----
reset
mkdir -p "$tmp/np1" "$tmp/np2"
"$bin" triage --pool tests/fixtures/cases/npcap-4321/snap.txt --host cap01 --json > "$tmp/np1/cap01.json"
cp "$tmp/np1/cap01.json" "$tmp/np2/"
"$bin" triage tests/fixtures/cases/npcap-0.9995 --host drv01 --json > "$tmp/np2/drv01.json"
run 0 "capture alone" --to webhook --url "$url/hook" "$tmp/np1" &&
  check "a capture alone that cites PT-0003 files one ticket" \
    'len(reqs) == 1 and reqs[0]["body"]["new_hosts"] == ["cap01"]'
run 0 "capture and driver" --to webhook --url "$url/hook" "$tmp/np2" &&
  check "the same leak seen with its driver updates that ticket with the new host" \
    'len(reqs) == 2 and reqs[1]["body"]["event"] == "update" and reqs[1]["body"]["ticket_id"] == "hook-1" and reqs[1]["body"]["new_hosts"] == ["drv01"] and reqs[1]["body"]["problem"]["level"] == "known"'
"$bin" fleet "$tmp/np2" --json > "$tmp/out" 2> "$tmp/err"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); p=d["problems"]; sys.exit(0 if len(p) == 1 and p[0]["kb"]["id"] == "PT-0003" and p[0]["driver"]["name"] == "npcap.sys" and sorted(p[0]["hosts"]["names"]) == ["cap01", "drv01"] else 1)' "$tmp/out" \
  && ok "fleet: a capture alone joins the problem that names its driver" \
  || bad "fleet: a capture alone joins the problem that names its driver"

# ---- -o FILE: the run's lines in a file, written when the run ends ----
reset
run 0 "-o dry run" --to webhook --url "$url/hook" --dry-run -o "$tmp/planned.jsonl" "$tmp/reports" &&
  check "ticket --dry-run -o FILE writes the payloads there and nothing to stdout" \
    'out == "" and [json.loads(l)["fingerprint"] for l in open("'"$tmp"'/planned.jsonl")] == [fp1, fp2]'
reset
printf 'ok\n500\n500\n' > "$plan"
run 5 "-o partial" --to jira --jira-api 3 --url "$url" --project OPS --retries 1 --retry-delay 10 \
    --output "$tmp/filed.txt" "$tmp/reports" &&
  check "after a ticket failed, -o FILE still says what was filed" \
    'out == "" and len(reqs) == 3 and open("'"$tmp"'/filed.txt").read().count("created") == 1 and open("'"$tmp"'/filed.txt").read().count("failed") == 1'
reset
echo "kept" > "$tmp/kept.txt"
run 3 "-o missing report" --to webhook --url "$url/hook" -o "$tmp/kept.txt" "$tmp/nope.json" &&
  check "a run that can't read its reports leaves -o FILE as it was" \
    'open("'"$tmp"'/kept.txt").read() == "kept\n" and len(reqs) == 0'

# ---- reports: bad input ----
reset
echo 'not json' > "$tmp/bad.json"
run 3 "strict bad report" --to webhook --url "$url/hook" --strict "$tmp/reports" "$tmp/bad.json" &&
  check "with --strict a bad report files nothing and exits 3" 'len(reqs) == 0 and "bad.json:1" in err'
run 0 "bad report" --to webhook --url "$url/hook" "$tmp/bad.json" "$tmp/reports" &&
  check "without --strict a bad report is a warning and the rest is filed" 'len(reqs) == 2 and "warning" in err'
run 3 "missing report" --to webhook --url "$url/hook" "$tmp/nope.json" &&
  check "a missing report exits 3" '"nope.json" in err'
run 2 "usage" --to email --url "$url" "$tmp/reports" && ok "an unknown --to is a usage error"

echo "ticket tests: $passes passed, $fails failed"
[ "$fails" = 0 ]
