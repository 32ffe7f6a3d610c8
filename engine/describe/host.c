/*
 * host.c - the describe stage for the host: the OS version and build from
 * --os or from ntoskrnl.exe's version resource, and the friendly names of
 * that build (CONTRACT.md "OS names").
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"

#include <stdio.h>
#include <string.h>

static const pt_os_name os_names[] = {
    {"2008R2", "Windows Server 2008 R2", 6, 1, 7601},
    {"7", "Windows 7", 6, 1, 7601},
    {"2012", "Windows Server 2012", 6, 2, 9200},
    {"8", "Windows 8", 6, 2, 9200},
    {"2012R2", "Windows Server 2012 R2", 6, 3, 9600},
    {"8.1", "Windows 8.1", 6, 3, 9600},
    {"2016", "Windows Server 2016", 10, 0, 14393},
    {"10-1607", "Windows 10 1607", 10, 0, 14393},
    {"2019", "Windows Server 2019", 10, 0, 17763},
    {"10-1809", "Windows 10 1809", 10, 0, 17763},
    {"2022", "Windows Server 2022", 10, 0, 20348},
    {"10-22H2", "Windows 10 22H2", 10, 0, 19045},
    {"2025", "Windows Server 2025", 10, 0, 26100},
    {"11-24H2", "Windows 11 24H2", 10, 0, 26100},
    {"11-25H2", "Windows 11 25H2", 10, 0, 26200},
    {NULL, NULL, 0, 0, 0},
};

const pt_os_name *pt_os_names(void) { return os_names; }

/* Sets the version string, build and every name that shares the build. */
static pt_code set_version(pt_arena *arena, pt_host *host, const pt_version *v,
                           const char *source, pt_error *err)
{
    char buf[64];
    pt_version_format(v, buf, sizeof buf);
    host->os_version = pt_arena_strdup(arena, buf);
    host->os_source = pt_arena_strdup(arena, source);
    if (host->os_version == NULL || host->os_source == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    host->os_build = v->count >= 3 ? (int64_t)v->part[2] : PT_UNKNOWN;
    host->os_name_count = 0;
    for (const pt_os_name *n = os_names; n->alias; n++) {
        if (n->major == v->part[0] && n->minor == v->part[1] &&
            (int64_t)n->build == host->os_build &&
            host->os_name_count < sizeof host->os_names / sizeof host->os_names[0])
            host->os_names[host->os_name_count++] = n->name;
    }
    return PT_OK;
}

pt_code pt_host_set_os(pt_arena *arena, pt_host *host, const char *os,
                       const char *source, pt_error *err)
{
    for (const pt_os_name *n = os_names; n->alias; n++) {
        if (pt_strcasecmp(n->alias, os) == 0) {
            pt_version v = {{n->major, n->minor, n->build, 0}, 3};
            return set_version(arena, host, &v, source, err);
        }
    }
    pt_version v;
    const char *p = os;
    uint64_t part = 0;
    bool too_big = false;
    for (; *p; p++) {
        if (*p == '.') {
            part = 0;
        } else if (*p >= '0' && *p <= '9') {
            part = part * 10 + (uint64_t)(*p - '0');
            too_big |= part > UINT32_MAX; /* never clamped to 4294967295 */
            if (too_big)
                part = (uint64_t)UINT32_MAX + 1; /* no wrap while the rest is read */
        } else {
            break;
        }
    }
    if (too_big)
        return pt_error_set(err, PT_EUSAGE, "--os", "OS version '%.64s' is out of range: each "
                            "part is a number from 0 to 4294967295", os);
    if (*p != '\0' || !pt_version_parse(os, &v) || v.count < 3)
        return pt_error_set(err, PT_EUSAGE, "--os",
                            "unknown OS '%s': give a version such as 6.3.9600 "
                            "or a name such as 2012R2 (see --help)", os);
    return set_version(arena, host, &v, source, err);
}

/* The OS of a described ntoskrnl.exe; an unreadable one leaves it unknown. */
static pt_code from_kernel(pt_arena *arena, pt_host *host, const pt_description *desc,
                           pt_error *err)
{
    if (desc->error != NULL)
        return PT_OK;
    const pt_pe_info *pe = &desc->pe;
    pt_version v = {{0}, 0};
    if (pe->has_version) {
        for (int i = 0; i < 4; i++)
            v.part[i] = pe->file_version[i];
        v.count = 4;
    } else if (!pt_version_parse(pt_pe_file_version(pe), &v)) {
        return PT_OK;
    }
    return set_version(arena, host, &v, "ntoskrnl.exe", err);
}

char *pt_host_kernel_path(const char *root)
{
    char *win = pt_platform_find_ci(root, "Windows");
    char *sys = win ? pt_platform_find_ci(win, "System32") : NULL;
    char *krnl = sys ? pt_platform_find_ci(sys, "ntoskrnl.exe") : NULL;
    pt_free(win);
    pt_free(sys);
    return krnl;
}

pt_code pt_host_from_root(pt_arena *arena, pt_host *host, const char *root,
                          pt_error *err)
{
    char *krnl = pt_host_kernel_path(root);
    if (krnl == NULL)
        return PT_OK; /* no kernel image: the OS stays unknown */
    pt_description desc;
    pt_error ferr = {0};
    pt_code rc = pt_describe_file(arena, krnl, PT_DESCRIBE_PE_ONLY, NULL, &desc, &ferr);
    if (rc == PT_ENOMEM)
        rc = pt_error_set(err, rc, krnl, "out of memory");
    else
        rc = from_kernel(arena, host, &desc, err);
    pt_free(krnl);
    return rc;
}

/* ---- a case archive ---- */

typedef struct kernel_find {
    pt_arena *arena;
    const char *archive;
    pt_host *host;
    pt_error *err;
    pt_code rc;
} kernel_find;

/* ntoskrnl.exe in a Windows/System32 folder of the archive, by name: its
 * OS read from the entry's bytes in hand, in the one pass. */
static bool find_kernel(void *ctx, const pt_archive_entry *e)
{
    kernel_find *k = ctx;
    const char *tail = "windows/system32/ntoskrnl.exe";
    size_t n = strlen(e->name), t = strlen(tail);
    if (n < t || pt_strcasecmp(e->name + n - t, tail) != 0 ||
        (n > t && e->name[n - t - 1] != '/'))
        return true;
    if (e->data == NULL)   /* too large to hold: the OS stays unknown */
        return false;
    char *shown = pt_arena_printf(k->arena, "%s:%s", k->archive, e->name);
    pt_description desc;
    k->rc = shown ? pt_describe_memory(k->arena, shown, e->data, e->len, PT_DESCRIBE_PE_ONLY,
                                       NULL, &desc, k->err)
                  : pt_error_set(k->err, PT_ENOMEM, k->archive, "out of memory");
    if (k->rc == PT_OK)
        k->rc = from_kernel(k->arena, k->host, &desc, k->err);
    return false;
}

pt_code pt_host_from_archive(pt_arena *arena, pt_host *host, const char *archive,
                             pt_error *err)
{
    kernel_find k = {arena, archive, host, err, PT_OK};
    pt_error aerr = {0};
    pt_code rc = pt_archive_read(archive, NULL, PT_MAX_ARCHIVE_MEMBER_BYTES, find_kernel, &k,
                                 &aerr);
    if (rc == PT_ENOMEM)
        return pt_error_set(err, rc, archive, "out of memory");
    return k.rc;   /* none, or the archive is refused: the scan says so */
}
