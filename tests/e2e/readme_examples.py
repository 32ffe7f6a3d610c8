#!/usr/bin/env python3
"""The README's example runs, checked against the binary.

usage: readme_examples.py BINARY SOURCE_DIR

Each code block of README.md that starts with `$ pooltriage ...` is run (in
the source tree, with fresh XDG folders and NO_COLOR=1), and every line the
block shows must be a line of the output.  Lines holding `...` are the
README's own elisions and are skipped.  So the first thing a new user reads
can't drift from what pooltriage prints (a changed KB title, a new field).
Python standard library only.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile


def blocks(readme):
    """(command, shown lines) of each ``` block that starts with `$ pooltriage`."""
    out = []
    for m in re.finditer(r"^```\n\$ (pooltriage [^\n]*)\n(.*?)^```", readme, re.M | re.S):
        out.append((m.group(1), m.group(2).splitlines()))
    return out


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    readme = open(os.path.join(src, "README.md"), encoding="utf-8").read()
    found = blocks(readme)
    failures = 0
    if not found:
        print("FAIL: no `$ pooltriage` example in README.md")
        return 1
    with tempfile.TemporaryDirectory(prefix="pt-readme-") as tmp:
        env = dict(os.environ, NO_COLOR="1")
        for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[k] = os.path.join(tmp, k.lower())
        for command, shown in found:
            argv = [binary] + shlex.split(command)[1:]
            r = subprocess.run(argv, cwd=src, env=env, capture_output=True, text=True)
            lines = set(r.stdout.splitlines())
            missing = [l for l in shown if "..." not in l and l.strip() and l not in lines]
            if r.returncode not in (0, 1):
                print("FAIL: %s: exit %d: %s" % (command, r.returncode, r.stderr.strip()))
                failures += 1
            elif missing:
                print("FAIL: %s: the README shows lines the output lacks:" % command)
                for l in missing:
                    print("    " + l)
                failures += 1
            else:
                print("ok: %s (%d lines checked)" % (command, len(shown)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
