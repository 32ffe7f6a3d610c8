#!/usr/bin/env bash
# make-fixtures.sh - build the stand-in kernel images used by pooltriage's
# tests and example.
#
# Everything built here is a STAND-IN: small but real kernel-mode PE images
# compiled from tests/fixtures/drivers/src with Debian's mingw-w64.  None of
# it is vendor code.  The McAfee and Microsoft names, version numbers and
# pool tags are copied from the incident notes (see examples/README.md), so
# that pooltriage sees what it would see on the real host; the "Contoso
# Ltd." drivers are invented.
#
# Writes:
#   tests/fixtures/drivers/bin/x64/*.sys, *.exe   every image, x64 build
#   tests/fixtures/drivers/bin/x86/*.sys          every driver, x86 build
#   examples/mfeavfk-2012r2/Windows/System32/...  the example case tree
#   tests/fixtures/cases/clean-2019/Windows/System32/...  clean case tree
#   tests/fixtures/cases/npcap-0.9995/Windows/System32/... npcap.sys with
#   tests/fixtures/cases/npcap-0.9996/Windows/System32/... each release's
#                                          real version resource (x64 only)
#
# Needs: x86_64-w64-mingw32-gcc, i686-w64-mingw32-gcc, the two windres, the
# two objdump, libntoskrnl.a (Debian package mingw-w64-*-dev), coreutils, od,
# awk, grep.  Re-runnable: it replaces only the files listed above.  The
# output is byte-identical from run to run: the linker writes no time stamp
# (--no-insert-timestamp), this script then stores a fixed TimeDateStamp per
# image and recomputes the PE CheckSum.
#
# Usage: bash scripts/make-fixtures.sh
set -euo pipefail

export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC="$ROOT/tests/fixtures/drivers/src"
BIN="$ROOT/tests/fixtures/drivers/bin"
EXAMPLE="$ROOT/examples/mfeavfk-2012r2/Windows/System32"
CLEAN="$ROOT/tests/fixtures/cases/clean-2019/Windows/System32"
NPCAP95="$ROOT/tests/fixtures/cases/npcap-0.9995/Windows/System32"
NPCAP96="$ROOT/tests/fixtures/cases/npcap-0.9996/Windows/System32"

BUILD=$(mktemp -d "${TMPDIR:-/tmp}/pt-fixtures.XXXXXX")
trap 'rm -rf "$BUILD"' EXIT

die() { echo "make-fixtures: $*" >&2; exit 1; }

for tool in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-windres \
            x86_64-w64-mingw32-objdump i686-w64-mingw32-gcc \
            i686-w64-mingw32-windres i686-w64-mingw32-objdump od awk; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done

# Common compiler flags.  -O1 keeps each call as "call [IAT slot]"
# (FF 15), as MSVC emits it; at -O2 gcc loads the IAT entry into a register
# once and calls through it.  -fno-ident drops the "GCC: ..." string.
CFLAGS_COMMON=(-std=c11 -O1 -Wall -Wextra -Wno-multichar
               -ffreestanding -fno-ident -fno-stack-protector
               -mno-stack-arg-probe)
# x86: push the stdcall arguments (push imm32) instead of storing them with
# mov [esp+n]; kernel stacks are 4-byte aligned.
CFLAGS_X86=(-mno-accumulate-outgoing-args -mpreferred-stack-boundary=2)
# shellcheck disable=SC2054  # the commas belong to -Wl, options
LDFLAGS_COMMON=(-nostdlib -nostartfiles -s -Wl,--subsystem,native
                -Wl,--no-insert-timestamp -Wl,--file-alignment,0x200
                -Wl,--section-alignment,0x1000)

# le32 FILE OFFSET -> unsigned little-endian 32-bit value at OFFSET
le32() {
    od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '
}

# put_le32 FILE OFFSET VALUE -> overwrite 4 bytes in place
put_le32() {
    local v=$3
    # shellcheck disable=SC2059  # the format is the escaped bytes
    printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' \
        $((v & 0xff)) $(((v >> 8) & 0xff)) $(((v >> 16) & 0xff)) \
        $(((v >> 24) & 0xff)))" |
        dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# pe_checksum FILE -> the PE CheckSum (as computed by imagehlp's
# CheckSumMappedFile): one's-complement-style 16-bit sum of the file with
# the CheckSum field taken as zero, folded, plus the file length.
pe_checksum() {
    local file=$1 csoff=$2 len
    len=$(stat -c %s "$file")
    od -An -v -tu2 -w2 "$file" | awk -v skip=$((csoff / 2)) -v len="$len" '
        { if (NR - 1 != skip && NR - 1 != skip + 1) {
              s += $1; s = (s % 65536) + int(s / 65536) } }
        END { s = (s % 65536) + int(s / 65536); printf "%d\n", s + len }'
}

# pe_stamp FILE TIMESTAMP -> set COFF TimeDateStamp, then fix CheckSum
pe_stamp() {
    local file=$1 stamp=$2 pe opt
    pe=$(le32 "$file" 60)
    [ "$(od -An -c -j "$pe" -N 4 "$file" | tr -d ' ')" = 'PE\0\0' ] ||
        die "$file: no PE signature"
    opt=$((pe + 24))
    put_le32 "$file" $((pe + 8)) "$stamp"
    put_le32 "$file" $((opt + 64)) 0
    put_le32 "$file" $((opt + 64)) "$(pe_checksum "$file" $((opt + 64)))"
}

# tag_imm TAG -> the 32-bit immediate (hex, lower case, no 0x) that stores
# TAG in memory order, e.g. MFeS -> 5365464d
tag_imm() {
    local hex
    hex=$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')
    [ ${#hex} -eq 8 ] || die "tag '$1' is not 4 bytes"
    echo "${hex:6:2}${hex:4:2}${hex:2:2}${hex:0:2}"
}

# check_image ARCH FILE KIND TAGS... -> sanity checks on a built image
check_image() {
    local arch=$1 file=$2 kind=$3 objdump p d tag imm
    shift 3
    objdump=x86_64-w64-mingw32-objdump
    [ "$arch" = x86 ] && objdump=i686-w64-mingw32-objdump
    p=$("$objdump" -p "$file")
    grep -q $'^Subsystem\t\t00000001\t(NT native)' <<<"$p" ||
        die "$file: subsystem is not Native"
    grep -q 'VS_VERSION_INFO\|Resource Directory \[\.rsrc\]' <<<"$p" ||
        die "$file: no resource directory"
    if [ "$kind" = driver ]; then
        grep -q 'DLL Name: ntoskrnl.exe' <<<"$p" ||
            die "$file: does not import ntoskrnl.exe"
        grep -q ' ExAllocatePoolWithTag$' <<<"$p" ||
            die "$file: does not import ExAllocatePoolWithTag"
    fi
    d=$("$objdump" -d "$file")
    for tag in "$@"; do
        grep -aqF -- "$tag" "$file" || die "$file: bytes '$tag' not found"
        imm=$(tag_imm "$tag")
        if [ "$arch" = x64 ]; then
            grep -q "mov    \$0x$imm,%r8d" <<<"$d" ||
                die "$file: no 'mov r8d,0x$imm' for tag $tag"
        else
            grep -q "push   \$0x$imm\$" <<<"$d" ||
                die "$file: no 'push 0x$imm' for tag $tag"
        fi
    done
}

# build ARCH KIND NAME OUTFILE RC STAMP OSVER TAGS...
#   ARCH  x64 | x86
#   KIND  driver (DriverEntry, imports ntoskrnl.exe) | kernel (stand-in
#         ntoskrnl.exe: own entry point, no imports, two exports)
#   NAME  source base name in $SRC (NAME.c)
#   RC    resource script in $SRC
#   STAMP TimeDateStamp to store (seconds since 1970, UTC)
#   OSVER major.minor written as OS and subsystem version
build() {
    local arch=$1 kind=$2 name=$3 out=$4 rc=$5 stamp=$6 osver=$7
    shift 7
    local cc windres base entry
    local -a cflags=("${CFLAGS_COMMON[@]}") ldflags=("${LDFLAGS_COMMON[@]}")
    local -a libs=()
    local obj="$BUILD/$arch-${out%.*}.o" res="$BUILD/$arch-${out%.*}.res.o"
    local major=${osver%.*} minor=${osver#*.}

    if [ "$arch" = x64 ]; then
        cc=x86_64-w64-mingw32-gcc
        windres=x86_64-w64-mingw32-windres
        base=0x140000000
        entry=DriverEntry
        [ "$kind" = kernel ] && entry=KiSystemStartup
    else
        cc=i686-w64-mingw32-gcc
        windres=i686-w64-mingw32-windres
        base=0x10000
        cflags+=("${CFLAGS_X86[@]}")
        # stdcall decoration: DriverEntry takes 8 bytes of arguments
        entry=_DriverEntry@8
    fi
    [ "$kind" = driver ] && libs=(-lntoskrnl)

    "$cc" "${cflags[@]}" -c "$SRC/$name.c" -o "$obj"
    "$windres" -I "$SRC" -O coff -i "$SRC/$rc" -o "$res"
    # shellcheck disable=SC2054
    ldflags+=(-Wl,-e,"$entry" -Wl,--image-base,"$base"
              -Wl,--major-os-version,"$major" -Wl,--minor-os-version,"$minor"
              -Wl,--major-subsystem-version,"$major"
              -Wl,--minor-subsystem-version,"$minor")
    # Link under the image's real name: ld records the output file name as
    # the export directory's DLL name (ntoskrnl.exe, not ntoskrnl-6.3...).
    local linkdir="$BUILD/link-$arch-${out%.*}" linkname=$out
    [ "$kind" = kernel ] && linkname=ntoskrnl.exe
    mkdir -p "$linkdir" "$BIN/$arch"
    "$cc" "${ldflags[@]}" -o "$linkdir/$linkname" "$obj" "$res" "${libs[@]}"
    cp "$linkdir/$linkname" "$BIN/$arch/$out"
    pe_stamp "$BIN/$arch/$out" "$stamp"
    check_image "$arch" "$BIN/$arch/$out" "$kind" "$@"
    chmod 0644 "$BIN/$arch/$out"
}

# Fixed link time stamps (UTC).  They are arbitrary but plausible choices,
# NOT the time stamps of the real files:
#   mfeavfk  2018-04-04 09:12:40  (before the real file's signing date,
#                                  2018-04-10, shown by sigcheck)
#   mfehidk  2018-04-04 09:14:02
#   ctsnet   2017-06-14 17:45:10
#   ctsdisk  2016-11-02 11:03:57
#   ctsvid   2018-01-22 20:31:44
#   ntoskrnl 6.3.9600.19000  2018-03-03 03:08:15 (after the 180302 build label)
#   ntoskrnl 10.0.17763.1    2018-09-15 07:28:22
TS_MFEAVFK=1522833160
TS_MFEHIDK=1522833242
TS_CTSNET=1497462310
TS_CTSDISK=1478084637
TS_CTSVID=1516653104
TS_NT63=1520046495
TS_NT10=1536996502
#   npcap 0.9995  2020-07-09 10:11:12 (a date in the release's month; arbitrary)
#   npcap 0.9996  2020-08-06 10:11:12
TS_NPCAP95=1594289472
TS_NPCAP96=1596708672

rm -rf "$BIN/x64" "$BIN/x86"

for arch in x64 x86; do
    build "$arch" driver mfeavfk mfeavfk.sys mfeavfk.rc "$TS_MFEAVFK" 6.1 \
        MFeS MFe0 NFeS
    build "$arch" driver mfehidk mfehidk.sys mfehidk.rc "$TS_MFEHIDK" 6.1 \
        mfeA mfe9
    build "$arch" driver ctsnet ctsnet.sys ctsnet.rc "$TS_CTSNET" 6.1 CtNt
    build "$arch" driver ctsdisk ctsdisk.sys ctsdisk.rc "$TS_CTSDISK" 6.1 CtDk
    build "$arch" driver ctsvid ctsvid.sys ctsvid.rc "$TS_CTSVID" 6.1 ctsv
done
# npcap.sys stand-ins: one source, two releases' version resources
build x64 driver npcap npcap-0.9995.sys npcap-0.9995.rc "$TS_NPCAP95" 6.1 4321
build x64 driver npcap npcap-0.9996.sys npcap-0.9996.rc "$TS_NPCAP96" 6.1 4321
build x64 kernel ntoskrnl ntoskrnl-6.3.9600.19000.exe \
    ntoskrnl-6.3.9600.19000.rc "$TS_NT63" 6.3
build x64 kernel ntoskrnl ntoskrnl-10.0.17763.1.exe \
    ntoskrnl-10.0.17763.1.rc "$TS_NT10" 10.0

# The case trees.  ctsdisk.sys is the 32-bit build on purpose: it is a
# stale file left in the tree (x64 Windows would not load it) that makes
# pooltriage read a PE32 image and an x86 push imm32.
install_tree() {
    local dst=$1 kernel=$2
    shift 2
    rm -rf "$dst"
    mkdir -p "$dst/drivers"
    install -m 0644 "$BIN/x64/$kernel" "$dst/ntoskrnl.exe"
    local f
    for f in "$@"; do
        install -m 0644 "$BIN/$f" "$dst/drivers/$(basename "$f")"
    done
}

install_tree "$EXAMPLE" ntoskrnl-6.3.9600.19000.exe \
    x64/mfeavfk.sys x64/mfehidk.sys x64/ctsnet.sys x86/ctsdisk.sys \
    x64/ctsvid.sys
install_tree "$CLEAN" ntoskrnl-10.0.17763.1.exe \
    x64/ctsnet.sys x86/ctsdisk.sys x64/ctsvid.sys
# each Npcap tree holds its release's driver under the real name npcap.sys
install_tree "$NPCAP95" ntoskrnl-10.0.17763.1.exe x64/ctsnet.sys
install -m 0644 "$BIN/x64/npcap-0.9995.sys" "$NPCAP95/drivers/npcap.sys"
install_tree "$NPCAP96" ntoskrnl-10.0.17763.1.exe x64/ctsnet.sys
install -m 0644 "$BIN/x64/npcap-0.9996.sys" "$NPCAP96/drivers/npcap.sys"

# Summary, relative to the repository root.
(cd "$ROOT" && find tests/fixtures/drivers/bin "${EXAMPLE#"$ROOT"/}" \
    "${CLEAN#"$ROOT"/}" "${NPCAP95#"$ROOT"/}" "${NPCAP96#"$ROOT"/}" -type f |
    sort | xargs sha256sum)
