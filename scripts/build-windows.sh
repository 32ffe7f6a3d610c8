#!/usr/bin/env bash
# Cross-builds pooltriage.exe and pooltriage-net.exe for 64-bit Windows on
# Debian 12, from Debian's own source packages of the dependencies, and
# packages dist/pooltriage-<version>-win64.zip.
#
#   bash scripts/build-windows.sh            deps (cached), build, zip
#   bash scripts/build-windows.sh --deps     only the cached dependencies
#   bash scripts/build-windows.sh --test     deps, build, and the suite under Wine
#
# The static libraries are built once into ${PT_WIN_CACHE:-/var/cache/pooltriage-win},
# one folder per library and source version, then merged into a prefix whose
# name is a key over all of them; a second run reuses them.  Prints nothing
# more than progress lines; the build logs stay in the cache folder.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${PT_WIN_CACHE:-/var/cache/pooltriage-win}
build=${PT_WIN_BUILD:-$root/build-win}
recipe=1          # bump when every library's build recipe changes
# one library's own recipe revision (curl 1.1: the file protocol, for feeds
# on a share and the tests' file:// URLs)
recipe_of() { case $1 in curl) echo "$recipe.1" ;; *) echo "$recipe" ;; esac; }
host=x86_64-w64-mingw32
jobs=${PT_JOBS:-2}
mode=all
case "${1:-}" in
  --deps) mode=deps ;;
  --test) mode=test ;;
  "") ;;
  *) echo "usage: build-windows.sh [--deps|--test]" >&2; exit 2 ;;
esac

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
log() { printf 'build-windows: %s\n' "$*" >&2; }

# ---- build tools from Debian ----
tools=(gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 cmake make perl tcl dpkg-dev
       zip wine64 ca-certificates)
missing=()
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# ---- deb-src entry: same URIs, Suites, Components and Signed-By as the system ----
src_list=/etc/apt/sources.list.d/pooltriage-deb-src.sources
if [ ! -e "$src_list" ]; then
  sys=/etc/apt/sources.list.d/debian.sources
  [ -r "$sys" ] || { log "no $sys to copy the archive entries from"; exit 1; }
  sed -e 's/^Types:.*/Types: deb-src/' "$sys" | $sudo tee "$src_list" > /dev/null
  log "added $src_list"
  $sudo apt-get update -qq
elif ! apt-cache showsrc lua5.4 2>/dev/null | grep -q '^Version:'; then
  $sudo apt-get update -qq
fi

mkdir -p "$cache/src" "$cache/libs"

# Versions of a source package, newest first.
versions() {
  apt-cache showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' |
    sort -u | sort -r -V -t: -k1,1 | {
      # sort -V does not know Debian's ordering rules; dpkg does.
      mapfile -t v
      for ((i = 0; i < ${#v[@]}; i++)); do
        for ((j = i + 1; j < ${#v[@]}; j++)); do
          if dpkg --compare-versions "${v[j]}" gt "${v[i]}"; then
            t=${v[i]}; v[i]=${v[j]}; v[j]=$t
          fi
        done
      done
      printf '%s\n' "${v[@]}"
    }
}

# Unpacks source package $1 at version $2 into $cache/src/$1_$2, or fails
# (for example on a 404 of the .dsc: the newest listed is not always there).
fetch_source() {
  local pkg=$1 ver=$2 dir="$cache/src/$1_$2"
  [ -e "$dir/.unpacked" ] && return 0
  rm -rf "$dir" && mkdir -p "$dir"
  if ! (cd "$dir" && apt-get source -qq "$pkg=$ver" > fetch.log 2>&1); then
    log "$pkg $ver: source not downloadable (see $dir/fetch.log)"
    return 1
  fi
  touch "$dir/.unpacked"
}

# The unpacked tree of a fetched source package.
source_tree() {
  find "$cache/src/$1_$2" -mindepth 1 -maxdepth 1 -type d | head -n 1
}

cc="$host-gcc"
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
ar="$host-ar"
cflags="-O2 -g0"

build_lua() {   # $1 tree, $2 prefix
  local t=$1 p=$2 o
  mkdir -p "$p/lib" "$p/include" "$p/obj"
  for f in "$t"/src/*.c; do
    case "$(basename "$f")" in lua.c|luac.c) continue ;; esac
    o="$p/obj/$(basename "$f" .c).o"
    $cc $cflags -DLUA_COMPAT_5_3 -c "$f" -o "$o"
  done
  $ar rcs "$p/lib/liblua.a" "$p"/obj/*.o
  rm -rf "$p/obj"
  cp "$t"/src/{lua.h,luaconf.h,lualib.h,lauxlib.h} "$p/include/"
  printf '#include "lua.h"\n#include "lualib.h"\n#include "lauxlib.h"\n' > "$p/include/lua.hpp"
}

build_sqlite3() {
  local t=$1 p=$2 w="$1/pt-native"
  mkdir -p "$w" "$p/lib" "$p/include"
  (cd "$w" && ../configure --disable-tcl > /dev/null && make -j"$jobs" sqlite3.c > /dev/null)
  $cc $cflags -DSQLITE_THREADSAFE=1 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_ENABLE_FTS5 \
      -c "$w/sqlite3.c" -o "$w/sqlite3.o"
  $ar rcs "$p/lib/libsqlite3.a" "$w/sqlite3.o"
  cp "$w/sqlite3.h" "$w/sqlite3ext.h" "$p/include/"
}

build_openssl() {
  local t=$1 p=$2
  (cd "$t" && ./Configure mingw64 --cross-compile-prefix="$host-" --prefix="$p" \
      --libdir=lib no-shared no-tests no-engine no-module > /dev/null &&
   make -j"$jobs" build_libs > /dev/null)
  mkdir -p "$p/lib" "$p/include"
  cp "$t/libcrypto.a" "$t/libssl.a" "$p/lib/"
  cp -r "$t/include/openssl" "$p/include/"
}

build_cjson() {
  local t=$1 p=$2
  mkdir -p "$p/lib" "$p/include/cjson"
  $cc $cflags -c "$t/cJSON.c" -o "$t/cJSON.o"
  $ar rcs "$p/lib/libcjson.a" "$t/cJSON.o"
  cp "$t/cJSON.h" "$p/include/cjson/"
}

build_curl() {
  local t=$1 p=$2
  (cd "$t" && ./configure --host="$host" --prefix="$p" --disable-shared --enable-static \
      --with-schannel --without-openssl --without-libpsl --without-brotli --without-zstd \
      --without-zlib --without-libidn2 --without-nghttp2 --without-librtmp \
      --without-libssh2 --disable-ldap --disable-ldaps --disable-rtsp --disable-dict \
      --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smtp \
      --disable-gopher --disable-mqtt --disable-smb --disable-ftp \
      --disable-manual --disable-pthreads --disable-threaded-resolver \
      CFLAGS="$cflags" > /dev/null &&
   make -j"$jobs" -C lib > /dev/null)
  mkdir -p "$p/lib" "$p/include"
  cp "$t/lib/.libs/libcurl.a" "$p/lib/"
  cp -r "$t/include/curl" "$p/include/"
}

build_zlib() {
  local t=$1 p=$2
  # Debian's source has no win32/ makefile: the library is its top-level C files
  mkdir -p "$p/lib" "$p/include" "$p/obj"
  for f in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast \
           inflate inftrees trees uncompr zutil; do
    $cc $cflags -c "$t/$f.c" -o "$p/obj/$f.o"
  done
  $ar rcs "$p/lib/libz.a" "$p"/obj/*.o
  rm -rf "$p/obj"
  cp "$t/zlib.h" "$t/zconf.h" "$p/include/"
}

# needs zlib (built before it) for zip and gzip
build_libarchive() {
  local t=$1 p=$2 w="$1/pt-build" z
  z=$(ls -d "$cache"/libs/zlib_*-r"$recipe" | tail -n 1)
  mkdir -p "$w" "$p/lib" "$p/include"
  # its configure runs one test program (is ZLIB_WINAPI needed?): under wine64
  (cd "$w" && WINEDEBUG=-all cmake .. -DCMAKE_SYSTEM_NAME=Windows -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_RC_COMPILER="$host-windres" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CROSSCOMPILING_EMULATOR="$wine" -DCMAKE_PREFIX_PATH="$z" \
      -DENABLE_TEST=OFF -DENABLE_OPENSSL=OFF -DENABLE_LZMA=OFF -DENABLE_ZSTD=OFF \
      -DENABLE_BZip2=OFF -DENABLE_LZ4=OFF -DENABLE_LIBXML2=OFF -DENABLE_EXPAT=OFF \
      -DENABLE_ICONV=OFF -DENABLE_CNG=OFF > /dev/null &&
   make -j"$jobs" archive_static > /dev/null)
  grep -q '^ZLIB_WINAPI_WITH_LIB:INTERNAL=.*libz.a' "$w/CMakeCache.txt"   # zip/gzip inside
  cp "$(find "$w" -name 'libarchive_static.a' | head -n 1)" "$p/lib/libarchive.a"
  cp "$t/libarchive/archive.h" "$t/libarchive/archive_entry.h" "$p/include/"
}

build_cmocka() {
  local t=$1 p=$2 w="$1/pt-build"
  mkdir -p "$w" "$p/lib" "$p/include"
  (cd "$w" && cmake .. -DCMAKE_SYSTEM_NAME=Windows -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_BUILD_TYPE=Release -DWITH_STATIC_LIB=ON -DBUILD_SHARED_LIBS=OFF \
      -DUNIT_TESTING=OFF -DWITH_EXAMPLES=OFF -DPICKY_DEVELOPER=OFF > /dev/null &&
   make -j"$jobs" > /dev/null)
  local a
  a=$(find "$w" -name 'libcmocka*.a' | grep -v '\.dll\.a$' | head -n 1)
  [ -n "$a" ] || { log "cmocka: no static library built"; return 1; }
  cp "$a" "$p/lib/libcmocka.a"
  cp "$t/include/cmocka.h" "$p/include/"
}

# name:source-package pairs, in build order
libs=(lua:lua5.4 sqlite3:sqlite3 openssl:openssl cjson:cjson curl:curl cmocka:cmocka
      zlib:zlib libarchive:libarchive)
key_parts=()
lib_dirs=()
for entry in "${libs[@]}"; do
  name=${entry%%:*} pkg=${entry#*:}
  mapfile -t cands < <(versions "$pkg")
  [ ${#cands[@]} -gt 0 ] || { log "apt-cache showsrc $pkg lists no version"; exit 1; }
  done_dir=""
  for ver in "${cands[@]}"; do
    dir="$cache/libs/${pkg}_${ver//[:~+]/_}-r$(recipe_of "$name")"
    if [ -e "$dir/.built" ]; then done_dir=$dir; break; fi
    fetch_source "$pkg" "$ver" || continue
    tree=$(source_tree "$pkg" "$ver")
    log "building $pkg $ver (log: $dir.log)"
    rm -rf "$dir"
    start=$(date +%s)
    # a subshell with errexit of its own: any failing step fails the build
    # (errexit does not apply inside an `if` condition)
    set +e
    ( set -e; "build_$name" "$tree" "$dir" ) > "$dir.log" 2>&1
    status=$?
    set -e
    if [ "$status" -ne 0 ]; then
      log "$pkg $ver: build failed, see $dir.log"; tail -n 20 "$dir.log" >&2; exit 1
    fi
    printf '%s %s\n' "$pkg" "$ver" > "$dir/VERSION"
    touch "$dir/.built"
    log "built $pkg $ver in $(( $(date +%s) - start )) s"
    done_dir=$dir
    break
  done
  [ -n "$done_dir" ] || { log "no version of $pkg could be downloaded"; exit 1; }
  key_parts+=("$(cat "$done_dir/VERSION") r$(recipe_of "$name")")
  lib_dirs+=("$done_dir")
done

# ---- one prefix keyed by every library's version ----
key=$( (printf 'recipe %s\n' "$recipe"; printf '%s\n' "${key_parts[@]}"; $cc -dumpversion) |
       sha256sum | cut -c1-16)
prefix="$cache/win64-$key"
if [ ! -e "$prefix/.complete" ]; then
  rm -rf "$prefix" && mkdir -p "$prefix/lib" "$prefix/include"
  for d in "${lib_dirs[@]}"; do
    cp -r "$d/lib/." "$prefix/lib/" && cp -r "$d/include/." "$prefix/include/"
  done
  printf '%s\n' "${key_parts[@]}" > "$prefix/VERSIONS"
  touch "$prefix/.complete"
fi
log "dependencies: $prefix"
sed 's/^/  /' "$prefix/VERSIONS" >&2
[ "$mode" = deps ] && { echo "$prefix"; exit 0; }

# ---- pooltriage itself ----
cmake -S "$root" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-mingw-w64.cmake" \
      -DPT_WIN_DEPS="$prefix" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build" -j"$jobs"

for exe in pooltriage.exe pooltriage-net.exe; do
  bad=$($host-objdump -p "$build/bin/$exe" | sed -n 's/^\s*DLL Name: //p' |
        grep -viE '^(kernel32|user32|advapi32|ws2_32|crypt32|bcrypt|secur32|iphlpapi|normaliz|msvcrt|ntdll|wintrust|shell32|ole32|psapi|userenv|shlwapi|version)\.dll$' || true)
  [ -z "$bad" ] || { log "$exe imports non-system DLLs: $bad"; exit 1; }
done

if [ "$mode" = test ]; then
  export WINEDEBUG=-all
  skip=$( { grep -v '^#' "$root/tests/wine-known-failures.txt" | grep . || true; } |
         sed 's/[.]/[.]/g' | paste -sd'|')
  ctest --test-dir "$build" --output-on-failure -j"$jobs" ${skip:+-E "^($skip)\$"}
fi

# ---- dist/pooltriage-<version>-win64.zip ----
version=$(sed -n 's/^project(pooltriage VERSION \([^ )]*\).*/\1/p' "$root/CMakeLists.txt")
stage="$build/dist/pooltriage-$version-win64"
rm -rf "$stage" && mkdir -p "$stage/docs"
cp "$build/bin/pooltriage.exe" "$build/bin/pooltriage-net.exe" "$stage/"
cp "$build/share/pooltriage/kb.sqlite" "$stage/"
cp "$root/README.md" "$root/LICENSE" "$stage/"
cp "$root"/docs/*.md "$stage/docs/" 2>/dev/null || true
mkdir -p "$root/dist"
zip_out="$root/dist/pooltriage-$version-win64.zip"
rm -f "$zip_out"
(cd "$build/dist" && zip -qr "$zip_out" "pooltriage-$version-win64")
log "wrote $zip_out"
