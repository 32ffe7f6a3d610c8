"""Checks "path = JSON value" expectations against a JSON document.

A path is dot-separated: object keys, list indexes, and `#` for a list's
length (`findings.#`).  `path ~ text` checks that a string contains text.
The document must be exactly one line (CONTRACT.md: JSON Lines friendly).
"""
import json
import sys


def walk(doc, path):
    cur = doc
    for part in path.split("."):
        if part == "#":
            return len(cur)
        if isinstance(cur, list):
            cur = cur[int(part)]
        else:
            if part not in cur:
                raise KeyError(f"no key '{part}' in path '{path}'")
            cur = cur[part]
    return cur


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    if text.count("\n") != 1 or not text.endswith("\n"):
        print("FAIL: JSON output is not exactly one line")
        return 1
    doc = json.loads(text)
    bad = 0
    for line in open(sys.argv[2], encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if " ~ " in line:
            path, want = line.split(" ~ ", 1)
            try:
                got = walk(doc, path.strip())
            except (KeyError, IndexError, TypeError) as e:
                print(f"FAIL: {e}")
                bad = 1
                continue
            if not isinstance(got, str) or want.strip() not in got:
                print(f"FAIL: {path.strip()} is {got!r}, expected to contain {want.strip()!r}")
                bad = 1
            continue
        path, want = line.split(" = ", 1)
        try:
            got = walk(doc, path.strip())
        except (KeyError, IndexError, TypeError) as e:
            print(f"FAIL: {e}")
            bad = 1
            continue
        if got != json.loads(want):
            print(f"FAIL: {path.strip()} is {got!r}, expected {want.strip()}")
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
