/*
 * libarchive_posix.c - libarchive loaded at first use (dlopen), so that a
 * run that reads no archive never maps it and the libraries it pulls in
 * (pooltriage/libarchive.h).
 */
#undef PT_LAZY_LIBARCHIVE   /* the real names, to load them */
#include "pooltriage/pooltriage.h"
#include "pooltriage/libarchive.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define PT_LIBARCHIVE_SONAME "libarchive.so.13"

static pt_libarchive table;
static char failure[300];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    void *h = dlopen(PT_LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        const char *why = dlerror();
        snprintf(failure, sizeof failure, "%s cannot be loaded (%s); install it "
                 "(apt-get install libarchive13)", PT_LIBARCHIVE_SONAME, why ? why : "?");
        return;
    }
#define PT_LIBARCHIVE_LOAD(name)                                                    \
    if (failure[0] == '\0' && (*(void **)&table.name = dlsym(h, #name)) == NULL)    \
        snprintf(failure, sizeof failure, "%s has no %s: install libarchive 3.6 or "  \
                 "later", PT_LIBARCHIVE_SONAME, #name);
    PT_LIBARCHIVE_FNS(PT_LIBARCHIVE_LOAD)
#undef PT_LIBARCHIVE_LOAD
}

pt_code pt_libarchive_load(const char *where, pt_error *err)
{
    pthread_once(&once, load);
    if (failure[0] == '\0')
        return PT_OK;
    return pt_error_set(err, PT_EIO, where, "cannot read or write archives: %s", failure);
}

const pt_libarchive *pt_libarchive_get(void) { return &table; }
