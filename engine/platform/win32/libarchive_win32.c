/*
 * libarchive_win32.c - the Windows build links libarchive in: the table of
 * pooltriage/libarchive.h points at it, and loading cannot fail.
 */
#undef PT_LAZY_LIBARCHIVE
#include "pooltriage/pooltriage.h"
#include "pooltriage/libarchive.h"

static const pt_libarchive table = {
#define PT_LIBARCHIVE_INIT(name) .name = name,
    PT_LIBARCHIVE_FNS(PT_LIBARCHIVE_INIT)
#undef PT_LIBARCHIVE_INIT
};

pt_code pt_libarchive_load(const char *where, pt_error *err)
{
    (void)where;
    (void)err;
    return PT_OK;
}

const pt_libarchive *pt_libarchive_get(void) { return &table; }
