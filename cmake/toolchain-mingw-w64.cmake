# Cross-compiling pooltriage for 64-bit Windows with Debian's mingw-w64
# (gcc-mingw-w64-x86-64).  scripts/build-windows.sh passes this file and
# PT_WIN_DEPS, the prefix of the static libraries it built from Debian's
# sources; tests run under wine64 through CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(PT_MINGW_PREFIX x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${PT_MINGW_PREFIX}-gcc)
set(CMAKE_RC_COMPILER ${PT_MINGW_PREFIX}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${PT_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

# Debian's wine64 package installs the loader here (the `wine` wrapper is a
# separate package).
find_program(PT_WINE64 NAMES wine64 PATHS /usr/lib/wine /usr/bin NO_CMAKE_FIND_ROOT_PATH)
if(PT_WINE64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${PT_WINE64})
endif()
