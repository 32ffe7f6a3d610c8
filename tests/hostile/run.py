#!/usr/bin/env python3
"""Runs every line of tests/hostile/MANIFEST.tsv on the built binary.

usage: run.py BINARY SOURCE_DIR [PATTERN]

Each line: file, command, exit, expect, flags (tab-separated; see
tests/hostile/README.md).  A case passes when the exit code is the expected
one, `expect` (placeholders replaced) is in stderr (or, as `out:TEXT`, in
stdout), stderr holds no sanitizer report, and the flags hold.  Exit 0 when
every case passes, 1 otherwise, with a summary of the failures.
"""
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile

TIMEOUT = int(os.environ.get("PT_HOSTILE_TIMEOUT", "120"))
FORBIDDEN = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
             "runtime error:", "Segmentation fault", "stack smashing", "double free")


def expand(text, env):
    for k, v in env.items():
        text = text.replace("{" + k + "}", v)
    return text


def run_case(binary, src, num, file_, cmd, code, expect, flags):
    flags = set() if flags == "-" else set(flags.split(","))
    tmp = tempfile.mkdtemp(prefix="pt-hostile-")
    try:
        env = dict(os.environ)
        for k, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                       ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
            env[k] = os.path.join(tmp, sub)
        env["NO_COLOR"] = "1"
        for k in list(env):
            if k.startswith("POOLTRIAGE_"):
                del env[k]
        copy_name = None
        for f in flags:
            if f.startswith("copyas="):
                copy_name = f[len("copyas="):]
        # the input: a file of the corpus, or one the runner makes
        if file_ == "@fifo":
            path = os.path.join(tmp, "fifo")
            os.mkfifo(path)
        elif file_ == "@dir":
            path = os.path.join(tmp, "adir")
            os.mkdir(path)
        elif file_ == "@missing":
            path = os.path.join(tmp, "missing.txt")
        else:
            path = file_
        indir = os.path.join(tmp, "in")
        if "deep" in flags:   # a path longer than a message's room for it
            indir = os.path.join(tmp, "d" * 200, "e" * 200, "f" * 200)
        os.makedirs(indir)
        name = copy_name or os.path.basename(path)
        if os.path.isfile(os.path.join(src, path)):
            shutil.copyfile(os.path.join(src, path), os.path.join(indir, name))
            if "mode600" in flags:
                os.chmod(os.path.join(indir, name), 0o600)
        for f in flags:   # place=REL: the input copied to {tmp}/REL before the run
            if f.startswith("place="):
                dst = os.path.join(tmp, f[len("place="):])
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(os.path.join(src, path), dst)
        holes = {"tmp": tmp, "src": src, "dir": indir, "name": name,
                 "abs": os.path.join(src, path), "": path}
        words = shlex.split(expand(cmd, holes))
        for w in list(words):   # leading NAME=VALUE words set the environment
            if "=" in w and w.split("=", 1)[0].isupper():
                k, v = w.split("=", 1)
                env[k] = v
                words.pop(0)
            else:
                break
        stdin = subprocess.DEVNULL
        if "stdin" in flags:
            stdin = open(os.path.join(src, path), "rb")
        try:
            p = subprocess.run([binary] + words, cwd=src, env=env, stdin=stdin,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=TIMEOUT)
            got, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            got, out, err = "timeout", e.stdout or b"", e.stderr or b""
        finally:
            if stdin is not subprocess.DEVNULL:
                stdin.close()
        out_s = out.decode("utf-8", "replace")
        err_s = err.decode("utf-8", "replace")
        problems = []
        if str(got) != str(code):
            problems.append("exit %s, expected %s" % (got, code))
        want = expand(expect, holes).replace("\\t", "\t")
        if want.startswith("out:"):
            if want[4:] not in out_s:
                problems.append("stdout lacks: %r" % want[4:])
        elif want and want not in err_s:
            problems.append("stderr lacks: %r" % want)
        for bad in FORBIDDEN:
            if bad in err_s:
                problems.append("stderr has %r" % bad)
        if "oneline" in flags:
            lines = err_s.splitlines()
            if len(lines) != 1 or not err_s.endswith("\n"):
                problems.append("stderr is %d lines, expected exactly one" % len(lines))
        if "noout" in flags:
            left = [n for n in os.listdir(tmp) if n.startswith("out")]
            if left:
                problems.append("a failed run left %s behind (partial write)" % ", ".join(left))
        if "nostdout" in flags and out:   # a run that fails prints no half report
            problems.append("a failed run wrote %d bytes to stdout" % len(out))
        if "nokb" in flags:   # a refused update installs nothing and leaves no part file
            kbdir = os.path.join(tmp, "data", "pooltriage")
            left = [n for n in (os.listdir(kbdir) if os.path.isdir(kbdir) else [])
                    if n.startswith("kb.sqlite") and not n.endswith(".lock")]
            if left:
                problems.append("a refused update left %s in the KB folder" % ", ".join(left))
        if any(ord(c) < 32 and c not in "\n\t" for c in err_s):
            problems.append("stderr holds raw control characters")
        return problems, " ".join(shlex.quote(w) for w in words), out_s, err_s
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[2])
        return 2
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    pattern = sys.argv[3] if len(sys.argv) > 3 else ""
    manifest = os.path.join(src, "tests", "hostile", "MANIFEST.tsv")
    cases = []
    with open(manifest, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 5:
                print("%s:%d: expected 5 tab-separated columns, found %d" % (manifest, n, len(cols)))
                return 1
            cases.append((n,) + tuple(cols))
    failed = []
    ran = 0
    for n, file_, cmd, code, expect, flags in cases:
        if pattern and pattern not in file_ and pattern not in cmd:
            continue
        ran += 1
        problems, shown, out_s, err_s = run_case(binary, src, n, file_, cmd, code, expect, flags)
        if problems:
            failed.append(n)
            print("FAIL MANIFEST.tsv:%d %s\n  $ pooltriage %s" % (n, file_, shown))
            for p in problems:
                print("  - " + p)
            print("  stderr: " + (err_s[:600].replace("\n", "\n          ") or "(empty)"))
            if not err_s and out_s:
                print("  stdout: " + out_s[:300].replace("\n", "\n          "))
    print("hostile inputs: %d cases run, %d passed, %d failed" % (ran, ran - len(failed), len(failed)))
    if failed:
        print("failed lines of MANIFEST.tsv: " + " ".join(str(n) for n in failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
