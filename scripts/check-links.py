#!/usr/bin/env python3
"""check-links.py - every relative link in the repository's Markdown files
must name a file or folder inside the repository (a clone has nothing
beside it), and no Markdown file may name the project's shared folder
(../shared, /work/shared): docs/sources/ holds the copies.  Links to http(s), mailto and in-page anchors are not checked.
Prints each broken link as FILE:LINE: target, and exits 1 when there is one.
usage: check-links.py [REPO_DIR]"""
import os
import re
import subprocess
import sys

root = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else
                        os.path.join(os.path.dirname(__file__), ".."))
files = subprocess.run(["git", "-C", root, "ls-files", "*.md"], capture_output=True,
                       text=True, check=True).stdout.split()
# [text](target) and [text](<target>), and reference definitions "[x]: target"
inline = re.compile(r"\]\(\s*<?([^)<>\s]+)>?(?:\s+\"[^\"]*\")?\s*\)")
refdef = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
fence = re.compile(r"^\s*(```|~~~)")
bad = 0
for rel in files:
    path = os.path.join(root, rel)
    in_code = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for no, line in enumerate(f, 1):
            outside = re.search(r"(\.\./shared/|/work/shared)", line)
            if outside:
                print(f"{rel}:{no}: {outside.group(1)}: names a file outside the repository")
                bad += 1
            if fence.match(line):
                in_code = not in_code
                continue
            if in_code:
                continue
            text = re.sub(r"`[^`]*`", "", line)   # code spans are not links
            targets = inline.findall(text) + refdef.findall(text)
            for t in targets:
                if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", t) or t.startswith("#"):
                    continue
                target = t.split("#", 1)[0].split("?", 1)[0]
                if not target:
                    continue
                full = os.path.realpath(os.path.join(os.path.dirname(path), target))
                if not (full == root or full.startswith(root + os.sep)):
                    print(f"{rel}:{no}: {t}: leaves the repository")
                    bad += 1
                elif not os.path.exists(full):
                    print(f"{rel}:{no}: {t}: no such file in the repository")
                    bad += 1
print(f"check-links: {'ok' if bad == 0 else str(bad) + ' broken link(s)'} ({len(files)} files)")
sys.exit(1 if bad else 0)
