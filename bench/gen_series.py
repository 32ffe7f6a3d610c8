#!/usr/bin/env python3
"""Writes a series of poolmon console captures (WDK 10 layout, with delta
columns and the summary lines) into a folder, for bench/parse.sh.  Tags are
the fixtures' tags plus made-up ones, so a capture has as many rows as a
busy server; one tag, "Leak", grows steadily.  Files are named
poolsnap-YYYY-MM-DDTHH-MM-SS.log, one an hour, so the series is ordered
by file name.
  gen_series.py OUT_DIR TOTAL_MB [TAGS_PER_CAPTURE]"""
import os
import random
import re
import string
import sys

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "tests", "fixtures", "pool")


def fixture_tags():
    tags = set()
    for name in os.listdir(fixtures):
        if not name.startswith("poolmon-") or "utf16" in name:
            continue
        for line in open(os.path.join(fixtures, name), encoding="utf-8", errors="replace"):
            m = re.match(r"^ ?(.{4}) (Nonp|Paged)\b", line)
            if m:
                tags.add(m.group(1))
    return sorted(tags)


def all_tags(count):
    rnd = random.Random(1)
    tags = fixture_tags()
    seen = set(tags)
    alphabet = string.ascii_letters + string.digits
    while len(tags) < count:
        t = "".join(rnd.choice(alphabet) for _ in range(4))
        if t not in seen:
            seen.add(t)
            tags.append(t)
    return tags[:count]


def capture(tags, hour, rnd):
    out = [
        " Memory:16468560K Avail:12072536K  PageFlts:468600648   InRam Krnl:56708K P:950888K",
        " Commit:4100436K Limit:17517136K Peak:11685564K            Pool N:%dK P:983564K"
        % (710920 + hour * 1024),
        " System pool information",
        " Tag  Type     Allocs            Frees            Diff   Bytes       Per Alloc",
        "",
    ]
    rows = []
    for i, tag in enumerate(tags):
        typ = "Nonp" if i % 2 == 0 else "Paged"
        per = 16 + (i * 37) % 4000
        diff = 1 + (i * 7919) % 50000 + rnd.randint(0, 50)
        if tag == "Leak":
            diff = 1000 + hour * 20000
            per = 1024
        allocs = 1000000 + i * 131 + hour * 977 + diff
        frees = allocs - diff
        rows.append((diff * per, " %s %-5s %10d (%4d) %10d (%4d) %8d %10d (%6d) %6d"
                     % (tag, typ, allocs, rnd.randint(0, 99), frees, rnd.randint(0, 99),
                        diff, diff * per, rnd.randint(-999, 999), per)))
    rows.sort(reverse=True)
    out.extend(r[1] for r in rows)
    return "\n".join(out) + "\n"


def main():
    out_dir, total_mb = sys.argv[1], float(sys.argv[2])
    tags = all_tags(int(sys.argv[3]) if len(sys.argv) > 3 else 3000)
    tags[len(tags) // 2] = "Leak"
    os.makedirs(out_dir, exist_ok=True)
    rnd = random.Random(2)
    written, hour = 0, 0
    while written < total_mb * 1e6:
        text = capture(tags, hour, rnd)
        day, h = divmod(hour, 24)
        name = "poolsnap-2026-11-%02dT%02d-00-00.log" % (1 + day % 28, h)
        with open(os.path.join(out_dir, name), "w", encoding="ascii") as f:
            f.write(text)
        written += len(text)
        hour += 1
    print("%d captures, %d bytes" % (hour, written))


if __name__ == "__main__":
    main()
