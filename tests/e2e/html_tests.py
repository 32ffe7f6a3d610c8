#!/usr/bin/env python3
"""HTML reports: triage (a series, one capture), pool and fleet pages.

usage: html_tests.py BINARY SOURCE_DIR (static|browser) [SCREENSHOT_OUT]
       html_tests.py BINARY SOURCE_DIR shot OUT.png

static   parses each page with html.parser: one self-contained page (no
         script, no event handler, nothing loaded: no src, no link, no
         url() in CSS), the verdict, the chart's series, the links, and the
         hostile host name and file name present as text, never as markup.
browser  renders each page in headless Chromium (Debian's `chromium`):
         --dump-dom must hold the verdict, the chart's series and the
         escaped hostile text (and no element the hostile text tried to
         make); --screenshot must not be blank (PNG decoded with zlib) and
         must show the leak's red line.  Exits 77 (skipped) without
         chromium.  With SCREENSHOT_OUT, the series page's screenshot is
         copied there.
shot     renders the README's example page (the mfeavfk series, --host srv01)
         and writes its screenshot to OUT.png, checked as above: how
         docs/triage-html.png is made.
Python standard library only.
"""
import html.parser
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HOSTILE_HOST = '<script>alert("host")</script><img src=x onerror=alert(1)>&amp;'
HOSTILE_FILE = '<b onmouseover=alert(2)>snap&amp;.txt'
LEAK_RED = (0xdc, 0x26, 0x26)

failures = 0


def check(ok, what):
    global failures
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures += 1


class Page(html.parser.HTMLParser):
    """Elements (tag, attrs, id, classes), text, and what a page must not do."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.text = []
        self.stack = []
        self.bad = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag in ("script", "iframe", "object", "embed", "link", "img", "base", "form"):
            self.bad.append("element <%s>" % tag)
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append("attribute %s on <%s>" % (k, tag))
            if k in ("src", "srcset", "xlink:href"):
                self.bad.append("attribute %s on <%s>" % (k, tag))
            if k == "href" and not (v or "").startswith(("https://", "http://")):
                self.bad.append("href %r" % v)
            if k == "style" and "url(" in (v or ""):
                self.bad.append("url() in style")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style" and "url(" in data:
            self.bad.append("url() in CSS")
        self.text.append(data)

    def all_text(self):
        return "".join(self.text)

    def find(self, tag=None, id=None, cls=None, **attrs):
        out = []
        for t, a in self.elements:
            if tag and t != tag:
                continue
            if id and a.get("id") != id:
                continue
            if cls and cls not in (a.get("class") or "").split():
                continue
            if any(a.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            out.append(a)
        return out


def parse(text):
    p = Page()
    p.feed(text)
    p.close()
    # text of #verdict: the h1's content
    start = text.find('id="verdict"')
    end = text.find("</h1>", start)
    inner = Page()
    inner.feed(text[text.find(">", start) + 1:end] if start >= 0 else "")
    p.verdict = inner.all_text()
    return p


def run(binary, src, args, out):
    r = subprocess.run([binary] + args + ["-o", out], cwd=src, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        print(r.stderr)
    return r.returncode


def make_pages(binary, src, tmp):
    """The pages under test: name -> (path, expectations)."""
    hostile = os.path.join(tmp, HOSTILE_FILE)
    shutil.copy(os.path.join(src, "tests/fixtures/cases/npcap-4321/snap.txt"), hostile)
    pages = {}
    p = os.path.join(tmp, "series.html")
    run(binary, src, ["triage", "tests/fixtures/cases/mfeavfk-series", "--root",
                      "examples/mfeavfk-2012r2", "--host", HOSTILE_HOST, "--format", "html"], p)
    pages["triage-series"] = p
    p = os.path.join(tmp, "single.html")
    run(binary, src, ["triage", "--pool", hostile, "--format", "html"], p)
    pages["triage-single"] = p
    p = os.path.join(tmp, "pool.html")
    run(binary, src, ["pool"] + [os.path.join("tests/fixtures/cases/growth-series", f) for f in
                                 sorted(os.listdir(os.path.join(src, "tests/fixtures/cases/growth-series")))
                                 if f.startswith("pool_")] + ["--format", "html"], p)
    pages["pool-series"] = p
    p = os.path.join(tmp, "fleet.html")
    run(binary, src, ["fleet", "tests/fixtures/fleet/ok", "tests/fixtures/fleet/same-leak/dom01.json",
                      "--format", "html"], p)
    pages["fleet"] = p
    return pages


def expect(name, page, where):
    """The checks every page must pass, from source or from the DOM."""
    check(not page.bad, "%s (%s): no script, handler or load: %s" % (name, where, page.bad[:3]))
    text = page.all_text()
    if name == "triage-series":
        check(page.verdict.startswith("KNOWN LEAK: MFeS nonpaged 5,053,046,496 bytes")
              and "growing 136.0 MiB/h steadily" in page.verdict
              and "(available memory) in about 0.7 h" in page.verdict,
              "%s (%s): the verdict line names the known leak, its rate and time" % (name, where))
        series = page.find("g", cls="series")
        tags = [s.get("data-tag") for s in series]
        check("MFeS" in tags and "MFe0" in tags and len(series) >= 4,
              "%s (%s): the chart draws the top tags %s" % (name, where, tags))
        check([s.get("data-tag") for s in page.find("g", cls="leak")] == ["MFeS"],
              "%s (%s): the leaking tag is highlighted" % (name, where))
        check(len(page.find("circle")) >= 3 * 4, "%s (%s): one point per capture" % (name, where))
        check(bool(page.find("g", id="limit")), "%s (%s): the limit is drawn" % (name, where))
        check(HOSTILE_HOST in text, "%s (%s): the hostile host name is text" % (name, where))
        links = [a.get("href") for a in page.find("a")]
        check(any(h and h.startswith("https://web.archive.org/") for h in links),
              "%s (%s): the archived link is there" % (name, where))
        check("at this rate the non-paged pool limit is reached in about 0.7 h" in text,
              "%s (%s): the time to the limit, with its source" % (name, where))
    elif name == "triage-single":
        check(page.verdict.startswith("LIKELY LEAK: 4321 nonpaged")
              and "known issue PT-0003" in page.verdict,
              "%s (%s): the verdict cites PT-0003" % (name, where))
        bars = page.find("g", cls="bar")
        check(bars and bars[0].get("data-tag") == "4321" and float(bars[0].get("data-share")) > 0.96,
              "%s (%s): the share chart's first bar is 4321 at 97 %%" % (name, where))
        check(bool(page.find("svg", id="share-paged")), "%s (%s): a chart per pool" % (name, where))
        check(HOSTILE_FILE in text,
              "%s (%s): the hostile file name is text" % (name, where))
        check("One capture cannot show growth" in text, "%s (%s): says how to take a series"
              % (name, where))
    elif name == "pool-series":
        check([s.get("data-tag") for s in page.find("g", cls="leak")] == ["CtNt"],
              "%s (%s): the steadily growing CtNt is highlighted" % (name, where))
        check(len(page.find("tr")) > 10, "%s (%s): the table" % (name, where))
        lim = page.find("g", id="limit")
        check(bool(lim) and lim[0].get("data-bytes") == "13528570880",
              "%s (%s): the limit triage finds is drawn" % (name, where))
        check("limit: available memory, reached in about 126.0 h" in page.all_text(),
              "%s (%s): the limit names its source and the time to it" % (name, where))
    elif name == "fleet":
        check(page.verdict.startswith("KNOWN LEAK: 3 problems on 8 hosts"),
              "%s (%s): the fleet verdict %r" % (name, where, page.verdict))
        problems = page.find("section", cls="problem")
        check(len(problems) == 3 and len(page.find("g", cls="bar")) == 3,
              "%s (%s): one section and one bar per problem" % (name, where))
        ctnt = [p for p in problems if p.get("data-fingerprint") ==
                "e3884a3c4064af54af4bc8818b632beb4d62f33701d54c33665e2d37d7e2c21f"]
        check(ctnt and ctnt[0].get("data-hosts") == "2",
              "%s (%s): the growing and the dominant CtNt host are one problem" % (name, where))
        check("OS builds:" in text and "6.3.9600.19000" in text and "driver versions:" in text,
              "%s (%s): driver versions and OS builds" % (name, where))


# ---- PNG ----

def png_pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "unexpected PNG type"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def screenshot_checks(name, path, want_red):
    w, h, bpp, rows = png_pixels(path)
    counts = {}
    red = 0
    for r in rows[::2]:
        for x in range(0, w * bpp, bpp * 2):
            px = r[x:x + 3]
            counts[px] = counts.get(px, 0) + 1
            if abs(px[0] - LEAK_RED[0]) < 12 and abs(px[1] - LEAK_RED[1]) < 12 and \
                    abs(px[2] - LEAK_RED[2]) < 12:
                red += 1
    total = sum(counts.values())
    top = max(counts.values())
    check(len(counts) > 50 and top < 0.95 * total,
          "%s: the screenshot is not blank (%d colours, background %.0f %%)"
          % (name, len(counts), 100.0 * top / total))
    if want_red:
        check(red > 100, "%s: the screenshot shows the leak in red (%d pixels)" % (name, red))


def chromium():
    for c in ("chromium", "chromium-browser"):
        p = shutil.which(c)
        if p:
            return p
    return None


def browse(exe, page, *args):
    profile = tempfile.mkdtemp(prefix="pt-chromium-")
    try:
        r = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu",
                            "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--no-first-run", "--user-data-dir=" + profile]
                           + list(args) + ["file://" + page],
                           capture_output=True, text=True, timeout=120)
        return r.stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def readme_screenshot(binary, src, exe, out):
    """docs/triage-html.png: the README's command, rendered."""
    tmp = tempfile.mkdtemp(prefix="pt-shot-")
    try:
        page = os.path.join(tmp, "srv01.html")
        run(binary, src, ["triage", "tests/fixtures/cases/mfeavfk-series", "--root",
                          "examples/mfeavfk-2012r2", "--host", "srv01", "--format", "html"], page)
        png = os.path.join(tmp, "srv01.png")
        browse(exe, page, "--window-size=1200,900", "--hide-scrollbars", "--screenshot=" + png)
        check(os.path.exists(png), "chromium wrote the screenshot")
        if os.path.exists(png):
            screenshot_checks("srv01", png, True)
            if failures == 0:
                shutil.copy(png, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


def main():
    binary, src, mode = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
    if mode == "shot":
        exe = chromium()
        if exe is None:
            print("no chromium (apt-get install chromium)")
            return 77
        return readme_screenshot(binary, src, exe, os.path.abspath(sys.argv[4]))
    shot_out = sys.argv[4] if len(sys.argv) > 4 else None
    exe = chromium()
    if mode == "browser" and exe is None:
        print("skipped: no chromium (apt-get install chromium; .ci/run installs it)")
        return 77
    tmp = tempfile.mkdtemp(prefix="pt-html-")
    try:
        pages = make_pages(binary, src, tmp)
        for name, path in pages.items():
            text = open(path, encoding="utf-8").read()
            if mode == "static":
                check(text.startswith("<!DOCTYPE html>") and "default-src 'none'" in text,
                      "%s: one page with a policy that loads nothing" % name)
                check(HOSTILE_HOST not in text and "<script>" not in text,
                      "%s: no raw hostile markup in the source" % name)
                expect(name, parse(text), "source")
                continue
            dom = browse(exe, path, "--dump-dom")
            expect(name, parse(dom), "DOM")
            shot = os.path.join(tmp, name + ".png")
            browse(exe, path, "--window-size=1200,900", "--screenshot=" + shot)
            check(os.path.exists(shot), "%s: chromium wrote a screenshot" % name)
            if os.path.exists(shot):
                screenshot_checks(name, shot, name in ("triage-series", "triage-single", "pool-series"))
                if shot_out and name == "triage-series":
                    shutil.copy(shot, shot_out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("html tests (%s): %s" % (mode, "all passed" if failures == 0 else "%d failed" % failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
