#!/usr/bin/env python3
"""ticket_server.py - a stand-in ticket system for tests/e2e/ticket_tests.sh.

Listens on 127.0.0.1 (a free port, written to PORT_FILE), records every
request as one JSON line in LOG_FILE (method, path, headers, body), and
answers like Jira (/rest/api/3/issue, .../comment, and /rest/api/2/...),
ServiceNow (/api/now/table/incident), a Slack incoming webhook (/slack/...:
"ok" as text/plain, 400 "invalid_payload" without text or blocks), a Teams
Workflows webhook (/teams/...: 202 and no body, 400 unless the body is a
message with an Adaptive Card) or a generic webhook (any other path).

A first path segment /cloud, /dc or /server is stripped before routing and
names the Jira deployment GET .../rest/api/2/serverInfo reports (Cloud,
DataCenter, Server; /odd reports none); without one it is Cloud.  Jira
bodies are checked: API 3 wants an ADF description or comment body, API 2
a string (400 otherwise).

Failures are scripted: each request pops the first line of PLAN_FILE:
  ok            answer normally (also when the plan is empty)
  401 | 500     answer with that status
  429 SECONDS   answer 429 with Retry-After: SECONDS
  hang          answer nothing for 10 s (the client times out)
  echo STATUS   answer STATUS with a text body that echoes the request's
                Authorization header and holds terminal escapes
  evil-id       answer normally, but with an id, key and url that hold
                terminal escapes
GET /__reset (not recorded) makes the ids start again at 1.
usage: ticket_server.py PORT_FILE LOG_FILE PLAN_FILE
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_file, plan_file = sys.argv[1:4]
lock = threading.Lock()
counter = {"n": 0}


def next_plan():
    with lock:
        try:
            with open(plan_file) as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            lines = []
        step = lines[0].strip() if lines else "ok"
        with open(plan_file, "w") as f:
            f.write("".join(line + "\n" for line in lines[1:]))
        return step


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, body):
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = {"unparsed": body.decode("utf-8", "replace")}
        entry = {"method": self.command, "path": self.path,
                 "authorization": self.headers.get("Authorization"),
                 "content_type": self.headers.get("Content-Type"),
                 "body": parsed, "time": time.time()}
        with lock:
            with open(log_file, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def reply(self, status, obj, extra=None):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def reply_text(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def jira_body_ok(self, p, body):
        if not p.startswith("/rest/api/") or self.command != "POST":
            return True
        v3 = p.startswith("/rest/api/3/")
        doc = (body.get("fields") or {}).get("description") if p.endswith("/issue") \
            else body.get("body")
        return (isinstance(doc, dict) and doc.get("type") == "doc") if v3 \
            else isinstance(doc, str)

    def answer_ok(self, body):
        p, deployment = self.path, "Cloud"
        for prefix, kind in (("/cloud/", "Cloud"), ("/dc/", "DataCenter"),
                             ("/server/", "Server"), ("/odd/", None)):
            if p.startswith(prefix):
                p, deployment = p[len(prefix) - 1:], kind
        if p == "/rest/api/2/serverInfo":
            info = {"version": "9.12.2", "baseUrl": "http://jira"}
            if deployment:
                info["deploymentType"] = deployment
            return self.reply(200, info)
        if p.startswith("/slack/"):
            if not isinstance(body, dict) or not (body.get("text") or body.get("blocks")):
                return self.reply_text(400, "invalid_payload")
            return self.reply_text(200, "ok")
        if p.startswith("/teams/"):
            att = (body or {}).get("attachments") or [{}]
            if body.get("type") != "message" or \
               att[0].get("contentType") != "application/vnd.microsoft.card.adaptive":
                return self.reply(400, {"error": "not a message with an Adaptive Card"})
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if not self.jira_body_ok(p, body or {}):
            return self.reply(400, {"errorMessages": ["wrong description type for this API"]})
        p = p.replace("/rest/api/2/", "/rest/api/3/")
        with lock:
            counter["n"] += 1
            n = counter["n"]
        if p == "/rest/api/3/issue":
            return self.reply(201, {"id": str(10000 + n), "key": "OPS-%d" % n,
                                    "self": "http://x/rest/api/3/issue/%d" % (10000 + n)})
        if p.startswith("/rest/api/3/issue/") and p.endswith("/comment"):
            return self.reply(201, {"id": str(20000 + n)})
        if p == "/api/now/table/incident":
            return self.reply(201, {"result": {"sys_id": "sys%d" % n,
                                               "number": "INC%07d" % n}})
        if p.startswith("/api/now/table/incident/"):
            return self.reply(200, {"result": {"sys_id": p.rsplit("/", 1)[1]}})
        return self.reply(200, {"id": "hook-%d" % n, "url": "http://tickets/hook-%d" % n})

    def handle_any(self):
        if self.path == "/__reset":      # test control: ids start again at 1
            with lock:
                counter["n"] = 0
            return self.reply(200, {})
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.record(body)
        step = next_plan().split()
        if step[0] == "hang":
            time.sleep(10)
            return
        if step[0] == "429":
            return self.reply(429, {"error": "slow down"}, {"Retry-After": step[1]})
        if step[0] == "echo":
            return self.reply_text(int(step[1]), "denied for Authorization: %s \x1b]0;pwned\x07\r\n"
                                   % self.headers.get("Authorization"))
        if step[0] == "evil-id":
            return self.reply(201, {"id": "hook-\x1b]0;pwned\x07", "key": "OPS-\x1b[2J",
                                    "url": "http://t/\x1b]0;x\x07",
                                    "result": {"sys_id": "sys\x1b[2J", "number": "INC\x07"}})
        if step[0] in ("401", "500", "403", "400"):
            return self.reply(int(step[0]), {"error": "scripted " + step[0]})
        try:
            parsed = json.loads(body) if body else {}
        except ValueError:
            parsed = {}
        return self.answer_ok(parsed)

    do_POST = do_PATCH = do_PUT = do_GET = handle_any


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
