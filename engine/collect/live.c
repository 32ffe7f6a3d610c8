/*
 * live.c - collect stage, live sources: decoders of the Windows kernel's
 * pool-tag and loaded-module buffers (bounds-checked against their length,
 * whatever count they claim), module path rules, and the `poolmon -n`
 * writer that turns a live reading into a snapshot file.
 */
#include "pooltriage/pooltriage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* The count in the header, checked against the bytes that follow. */
static pt_code checked_count(const uint8_t *buf, size_t len, size_t header, size_t entry,
                             const char *what, size_t *out, pt_error *err)
{
    if (buf == NULL || len < header)
        return pt_error_set(err, PT_EFORMAT, what, "buffer of %zu bytes is shorter than "
                            "its %zu-byte header", len, header);
    uint32_t count = rd32(buf);
    size_t room = (len - header) / entry;
    if (count > room)
        return pt_error_set(err, PT_EFORMAT, what, "count says %lu entries, the buffer of "
                            "%zu bytes holds %zu", (unsigned long)count, len, room);
    *out = count;
    return PT_OK;
}

pt_code pt_live_pooltags_decode(pt_arena *arena, const uint8_t *buf, size_t len,
                                pt_live_pooltag **out, size_t *out_count, pt_error *err)
{
    *out = NULL;
    *out_count = 0;
    size_t count = 0;
    pt_code rc = checked_count(buf, len, PT_LIVE_POOLTAG_HEADER, PT_LIVE_POOLTAG_ENTRY,
                               "pool tags", &count, err);
    if (rc != PT_OK)
        return rc;
    pt_live_pooltag *tags = pt_arena_alloc(arena, (count ? count : 1) * sizeof *tags);
    if (tags == NULL)
        return pt_error_set(err, PT_ENOMEM, "pool tags", "out of memory");
    for (size_t i = 0; i < count; i++) {
        const uint8_t *e = buf + PT_LIVE_POOLTAG_HEADER + i * PT_LIVE_POOLTAG_ENTRY;
        pt_live_pooltag *t = &tags[i];
        for (int k = 0; k < 4; k++)
            t->tag[k] = e[k] >= 0x20 && e[k] < 0x7f ? (char)e[k] : '?';
        t->tag[4] = '\0';
        t->paged_allocs = rd32(e + 4);
        t->paged_frees = rd32(e + 8);
        t->paged_used = rd64(e + 16);
        t->nonpaged_allocs = rd32(e + 24);
        t->nonpaged_frees = rd32(e + 28);
        t->nonpaged_used = rd64(e + 32);
    }
    *out = tags;
    *out_count = count;
    return PT_OK;
}

pt_code pt_live_modules_decode(pt_arena *arena, const uint8_t *buf, size_t len,
                               pt_live_module **out, size_t *out_count, pt_error *err)
{
    *out = NULL;
    *out_count = 0;
    size_t count = 0;
    pt_code rc = checked_count(buf, len, PT_LIVE_MODULES_HEADER, PT_LIVE_MODULE_ENTRY,
                               "loaded modules", &count, err);
    if (rc != PT_OK)
        return rc;
    pt_live_module *mods = pt_arena_alloc(arena, (count ? count : 1) * sizeof *mods);
    if (mods == NULL)
        return pt_error_set(err, PT_ENOMEM, "loaded modules", "out of memory");
    for (size_t i = 0; i < count; i++) {
        const uint8_t *e = buf + PT_LIVE_MODULES_HEADER + i * PT_LIVE_MODULE_ENTRY;
        const char *raw = (const char *)e + 40;
        size_t plen = strnlen(raw, PT_LIVE_MODULE_PATH);
        char *path = pt_arena_strndup(arena, raw, plen);
        if (path == NULL)
            return pt_error_set(err, PT_ENOMEM, "loaded modules", "out of memory");
        size_t off = rd16(e + 38);
        if (off > plen || (off > 0 && path[off - 1] != '\\')) {
            const char *slash = strrchr(path, '\\');
            off = slash ? (size_t)(slash - path) + 1 : 0;
        }
        mods[i].path = path;
        mods[i].name = path + off;
        mods[i].image_base = rd64(e + 16);
        mods[i].image_size = rd32(e + 24);
        mods[i].load_order = rd16(e + 32);
    }
    *out = mods;
    *out_count = count;
    return PT_OK;
}

static bool starts_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        int a = (unsigned char)*s, b = (unsigned char)*prefix;
        if (a >= 'A' && a <= 'Z') a += 32;
        if (b >= 'A' && b <= 'Z') b += 32;
        if (a != b)
            return false;
    }
    return true;
}

char *pt_live_module_win32_path(pt_arena *arena, const char *path, const char *windir,
                                const char *sysdrive)
{
    if (starts_ci(path, "\\SystemRoot\\"))
        return pt_arena_printf(arena, "%s%s", windir, path + 11);
    if (starts_ci(path, "\\??\\"))
        return pt_arena_strdup(arena, path + 4);
    if (starts_ci(path, "\\Windows\\"))
        return pt_arena_printf(arena, "%s%s", sysdrive, path);
    if (path[0] != '\\' && !(path[0] && path[1] == ':'))
        return pt_arena_printf(arena, "%s\\%s", windir, path);
    return pt_arena_strdup(arena, path);
}

typedef struct live_row {
    const char *tag;
    bool paged;
    uint64_t allocs, frees, used;
} live_row;

static int by_bytes(const void *a, const void *b)
{
    const live_row *x = a, *y = b;
    if (x->used != y->used)
        return x->used < y->used ? 1 : -1;
    int c = strcmp(x->tag, y->tag);
    return c ? c : (int)x->paged - (int)y->paged;
}

static void kb_field(pt_buf *out, const char *label, int64_t kb)
{
    if (kb == PT_UNKNOWN)
        pt_buf_printf(out, "%s?K", label);
    else
        pt_buf_printf(out, "%s%lldK", label, (long long)kb);
}

void pt_live_poolmon_text(const pt_live_pooltag *tags, size_t count,
                          const pt_live_totals *t, pt_buf *out)
{
    kb_field(out, "Memory:", t->memory_kb);
    kb_field(out, " Avail:", t->avail_kb);
    pt_buf_puts(out, "  PageFlts:0   InRam Krnl:0K P:0K\n");
    kb_field(out, "Commit:", t->commit_kb);
    kb_field(out, " Limit:", t->limit_kb);
    kb_field(out, " Peak:", t->peak_kb);
    kb_field(out, "            Pool N:", t->nonpaged_kb);
    kb_field(out, " P:", t->paged_kb);
    pt_buf_puts(out, "\n\nTag  Type     Allocs         Frees    Diff   Bytes    Per Alloc\n\n");
    live_row *rows = count ? malloc(2 * count * sizeof *rows) : NULL;
    if (count && rows == NULL) {
        out->failed = true;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        const pt_live_pooltag *g = &tags[i];
        if (g->nonpaged_allocs || g->nonpaged_used)
            rows[n++] = (live_row){g->tag, false, g->nonpaged_allocs, g->nonpaged_frees,
                                   g->nonpaged_used};
        if (g->paged_allocs || g->paged_used)
            rows[n++] = (live_row){g->tag, true, g->paged_allocs, g->paged_frees, g->paged_used};
    }
    if (n > 1)
        qsort(rows, n, sizeof *rows, by_bytes);
    for (size_t i = 0; i < n; i++) {
        const live_row *r = &rows[i];
        long long diff = (long long)(r->allocs - r->frees);
        unsigned long long per = diff > 0 ? r->used / (unsigned long long)diff : 0;
        pt_buf_printf(out, "%-4s %-5s %9llu %13llu %9lld %9llu %10llu\n", r->tag,
                      r->paged ? "Paged" : "Nonp", (unsigned long long)r->allocs,
                      (unsigned long long)r->frees, diff, (unsigned long long)r->used, per);
    }
    free(rows);
}
