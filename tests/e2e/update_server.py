#!/usr/bin/env python3
"""update_server.py - the test feed for tests/e2e/update_tests.sh.

Serves ROOT on 127.0.0.1 (a free port; the port is written to --port-file)
over HTTP, or HTTPS with --cert/--key, and misbehaves on purpose:

  /<dir>/<file>          a file under ROOT, with ETag and If-None-Match (304)
  /slow/<file>           headers, then one byte every 0.5 s
  /truncated/<file>      Content-Length of the whole file, half of it, close
  /oversized/<file>      Content-Length of 64 MiB (body never sent)
  /oversized-stream/<f>  no Content-Length, bytes until the client gives up
  /404/<file>            404
  /500/<file>            500 every time (counted in ROOT/500.count)
  /loop/<file>           302 to itself, forever
  /flaky/<file>          503, then 503 with Retry-After: 1, then the file
                         under good/ (or "ok" when there is none); counted
                         per path in ROOT/flaky.json
  /busy/<file>           503 with Retry-After: 3600, every time
  /links/alive           200 to HEAD and GET
  /links/nohead          405 to HEAD, 200 to GET
  /links/dead, /links/*  404
  /wayback/available     the Wayback availability API: a snapshot for URLs
                         that contain "dead" or "nohead", none for others

Python 3 standard library only.
"""
import argparse
import hashlib
import json
import os
import ssl
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."

    def log_message(self, fmt, *args):  # keep the test output quiet
        with open(os.path.join(self.root, "requests.log"), "a") as f:
            f.write("%s %s %s\n" % (self.command, self.path,
                                     self.headers.get("If-None-Match", "-")))

    def send_plain(self, code, body=b"", headers=None):
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def file_for(self, rest):
        path = os.path.normpath(os.path.join(self.root, rest.lstrip("/")))
        if not path.startswith(os.path.abspath(self.root)) or not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.lstrip("/").split("/", 1)
        kind, rest = parts[0], (parts[1] if len(parts) > 1 else "")
        special = getattr(self, "route_" + kind.replace("-", "_"), None)
        if special:
            return special(rest, url)
        data = self.file_for(url.path)
        if data is None:
            return self.send_plain(404, b"not found\n")
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:16]
        if self.headers.get("If-None-Match") == etag:
            return self.send_plain(304, b"", {"ETag": etag})
        self.send_plain(200, data, {"ETag": etag,
                                    "Last-Modified": "Wed, 25 Nov 2026 10:00:00 GMT"})

    def route_slow(self, rest, url):
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(200):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass
        self.close_connection = True

    def route_truncated(self, rest, url):
        data = self.file_for("good/" + rest) or b"x" * 1000
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True

    def route_oversized(self, rest, url):
        self.send_response(200)
        self.send_header("Content-Length", str(64 * 1024 * 1024))
        self.end_headers()
        self.close_connection = True

    def route_oversized_stream(self, rest, url):
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            for _ in range(4096):
                self.wfile.write(b"y" * 65536)
        except OSError:
            pass
        self.close_connection = True

    def route_404(self, rest, url):
        self.send_plain(404, b"not here\n")

    def route_500(self, rest, url):
        path = os.path.join(self.root, "500.count")
        n = int(open(path).read()) if os.path.exists(path) else 0
        with open(path, "w") as f:
            f.write(str(n + 1))
        self.send_plain(500, b"broken\n")

    def route_flaky(self, rest, url):
        path = os.path.join(self.root, "flaky.json")
        counts = json.load(open(path)) if os.path.exists(path) else {}
        n = counts.get(url.path, 0) + 1
        counts[url.path] = n
        with open(path, "w") as f:
            json.dump(counts, f)
        if n == 1:
            return self.send_plain(503, b"busy\n")
        if n == 2:
            return self.send_plain(503, b"busy\n", {"Retry-After": "1"})
        data = self.file_for("good/" + rest)
        self.send_plain(200, data if data is not None else b"ok\n")

    def route_busy(self, rest, url):
        self.send_plain(503, b"busy\n", {"Retry-After": "3600"})

    def route_loop(self, rest, url):
        self.send_plain(302, b"", {"Location": "/loop/" + rest})

    def route_links(self, rest, url):
        if rest == "alive":
            return self.send_plain(200, b"<html>alive</html>\n")
        if rest == "nohead":
            if self.command == "HEAD":
                return self.send_plain(405, b"")
            return self.send_plain(200, b"<html>no head</html>\n")
        self.send_plain(404, b"gone\n")

    def route_wayback(self, rest, url):
        q = urllib.parse.parse_qs(url.query)
        target = q.get("url", [""])[0]
        stamp = q.get("timestamp", [""])[0]
        snaps = {}
        if "dead" in target or "nohead" in target:
            snaps = {"closest": {"status": "200", "available": True,
                                 "url": "http://web.archive.org/web/%s000000/%s" % (stamp, target),
                                 "timestamp": stamp + "000000"}}
        body = json.dumps({"url": target, "archived_snapshots": snaps}).encode()
        self.send_plain(200, body, {"Content-Type": "application/json"})


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that give up (timeouts, size caps, kill -9) are expected


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    a = ap.parse_args()
    Handler.root = os.path.abspath(a.root)
    httpd = Server(("127.0.0.1", 0), Handler)
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(httpd.server_address[1]))
    os.rename(tmp, a.port_file)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
