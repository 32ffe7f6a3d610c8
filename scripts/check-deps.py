#!/usr/bin/env python3
"""Checks the engine's file dependencies: which object file uses a symbol
another one defines (nm), and fails on a cycle between files, or on a stage
calling a later stage of the pipeline (docs/ARCHITECTURE.md).

usage: check-deps.py OBJECT_DIR   (build/CMakeFiles/pooltriage_engine.dir)
"""
import os
import subprocess
import sys

# Pipeline order (fleet groups verdicts; report writes every document,
# fleet's too): a file may call files of its own stage or of an earlier
# (lower) one.  triage.c calls every stage; core and platform call nothing
# above them.
ORDER = {"core": 0, "platform": 1, "collect": 2, "rank": 3, "scan": 4,
         "describe": 4, "attribute": 5, "judge": 6, "fleet": 7, "report": 8,
         "triage.c": 9}


def stage_of(rel):
    parts = rel.split(os.sep)
    if parts[0] == "engine":
        parts = parts[1:]
    return parts[0] if parts[0] in ORDER else None


def symbols(obj):
    out = subprocess.run(["nm", "--defined-only", "-g", obj], capture_output=True,
                         text=True, check=True).stdout
    defined = {l.split()[-1] for l in out.splitlines() if len(l.split()) == 3}
    out = subprocess.run(["nm", "-u", obj], capture_output=True, text=True,
                         check=True).stdout
    used = {l.split()[-1] for l in out.splitlines() if l.strip()}
    return defined, used


def main():
    root = sys.argv[1]
    objs = {}
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".o"):
                path = os.path.join(d, f)
                rel = os.path.relpath(path, root)[:-2]  # engine/scan/scan.c
                objs[rel] = symbols(path)
    if not objs:
        print("check-deps: no object files under %s: build the engine first" % root)
        return 2
    owner = {}
    for rel, (defined, _) in objs.items():
        for s in defined:
            owner[s] = rel
    edges = {rel: set() for rel in objs}
    for rel, (_, used) in objs.items():
        for s in used:
            o = owner.get(s)
            if o and o != rel:
                edges[rel].add(o)
    problems = []
    # stage order
    for a, outs in sorted(edges.items()):
        sa = stage_of(a)
        for b in sorted(outs):
            sb = stage_of(b)
            if sa and sb and ORDER[sb] > ORDER[sa]:
                problems.append("%s (%s) calls %s (%s), a later stage" % (a, sa, b, sb))
    # cycles: Tarjan's strongly connected components
    index, low, stack, on, sccs = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    for comp in sccs:
        problems.append("cycle between files: " + " <-> ".join(comp))
    for p in problems:
        print("check-deps: " + p)
    print("check-deps: %d files, %d dependencies, %d problems" %
          (len(objs), sum(len(e) for e in edges.values()), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
