"""Copies a KB and damages one table's data: 200 bytes of 0xff over the
b-tree page of TABLE, past its page header.  The file still opens (page 1
and the schema are intact); queries that touch the table fail or lie.
usage: damage_kb.py SOURCE_KB OUT_KB TABLE"""
import shutil
import sqlite3
import sys

src, out, table = sys.argv[1:4]
shutil.copyfile(src, out)
db = sqlite3.connect(out)
page_size = db.execute("PRAGMA page_size").fetchone()[0]
root = db.execute("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?",
                  (table,)).fetchone()[0]
db.close()
with open(out, "r+b") as f:
    f.seek((root - 1) * page_size + 8)
    f.write(b"\xff" * 200)
