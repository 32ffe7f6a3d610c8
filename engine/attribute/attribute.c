/*
 * attribute.c - the attribute stage: for each suspect tag, the drivers
 * that hold it, each with ranked evidence (the tag argument of a call to a
 * pool API > inside code > anywhere in the file > hints from Mapped_Driver
 * and the KMDF default tag) and a confidence.
 */
#include "pooltriage/pooltriage.h"
#include "scan_int.h"

#include <stdlib.h>
#include <string.h>

/* Bytes after the tag's imm32 in which the call must start: the longest
 * gap in WinDivert is 20 bytes (x86 alloc: push imm32, push, push, call). */
#define CALL_WINDOW 32u

enum { API_WITHTAG, API_QUOTA, API_POOL2, API_POOL3, API_FREE, API_COUNT };

/* How the tag argument is loaded (pooltriage.h PT_IMP_* bits 0-4 are the
 * APIs above, in the same order). */
enum { FORM_MOV_R8D, FORM_MOV_EDX, FORM_PUSH, FORM_MOV_ESP, FORM_COUNT };

static const char *const form_names[FORM_COUNT] = {
    "mov r8d, imm32", "mov edx, imm32", "push imm32", "mov dword [esp+N], imm32"};

/* Details are static strings: evidence and the cache keep the pointers. */
#define DETAIL(f)                                                            \
    {f "; call ExAllocatePoolWithTag", f "; call ExAllocatePoolWithQuotaTag",  \
     f "; call ExAllocatePool2", f "; call ExAllocatePool3",                    \
     f "; call ExFreePoolWithTag"}
static const char *const call_details[FORM_COUNT][API_COUNT] = {
    DETAIL("mov r8d, imm32"), DETAIL("mov edx, imm32"), DETAIL("push imm32"),
    DETAIL("mov dword [esp+N], imm32")};
static const char *const tail_details[FORM_COUNT] = {
    "mov r8d, imm32; tail jump to a pool API", "mov edx, imm32; tail jump to a pool API",
    "push imm32; tail jump to a pool API", "mov dword [esp+N], imm32; tail jump to a pool API"};

/* The APIs whose tag argument a form can load. */
static unsigned form_apis(int form)
{
    const unsigned alloc = 1u << API_WITHTAG | 1u << API_QUOTA | 1u << API_POOL2 |
                           1u << API_POOL3;
    switch (form) {
    case FORM_MOV_R8D: return alloc;               /* x64: third argument */
    case FORM_MOV_EDX: return 1u << API_FREE;      /* x64: second argument */
    default: return alloc | 1u << API_FREE;        /* x86: on the stack */
    }
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* The form of the instruction whose imm32 is the tag at `off`, or -1. */
static int immediate_form(const uint8_t *file, size_t len, uint64_t off, uint16_t machine)
{
    if (off >= len)
        return -1;
    if (machine == 0x8664) {
        if (off >= 2 && file[off - 2] == 0x41 && file[off - 1] == 0xB8)
            return FORM_MOV_R8D;
        if (off >= 1 && file[off - 1] == 0xBA)
            return FORM_MOV_EDX;
    } else if (machine == 0x14c) {
        if (off >= 1 && file[off - 1] == 0x68)
            return FORM_PUSH;
        if (off >= 4 && file[off - 4] == 0xC7 && file[off - 3] == 0x44 &&
            file[off - 2] == 0x24)
            return FORM_MOV_ESP;
    }
    return -1;
}

/* The pool API whose IAT slot an `FF 15`/`FF 25` at file offset k (in
 * section s) reads, or -1. */
static int slot_api(const pt_driver *d, const pt_section *s, const uint8_t *file,
                    uint64_t k, unsigned apis)
{
    uint32_t operand = rd32(file + k + 2), rva;
    if (d->pe.machine == 0x8664) /* RIP-relative: from the next instruction */
        rva = (uint32_t)(s->virtual_address + (k + 6 - s->raw_offset) + operand);
    else                         /* absolute: VA minus the image base */
        rva = operand - d->pe.image_base_low;
    for (int a = 0; a < API_COUNT; a++)
        if ((apis & 1u << a) && d->pe.pool_iat_rva[a] && d->pe.pool_iat_rva[a] == rva)
            return a;
    return -1;
}

/* Looks for the first indirect call (FF 15) or jump (FF 25) in the window
 * after the imm32; sets *detail when it goes through a pool API's slot. */
static pt_evidence_kind call_follows(const pt_driver *d, const pt_section *s,
                                     const uint8_t *file, size_t len, uint64_t off,
                                     int form, const char **detail)
{
    uint64_t end = s->raw_offset + (uint64_t)s->raw_size;
    if (end > len)
        end = len;
    for (uint64_t k = off + 4; k < off + 4 + CALL_WINDOW && k + 6 <= end; k++) {
        if (file[k] != 0xFF || (file[k + 1] != 0x15 && file[k + 1] != 0x25))
            continue;
        int api = slot_api(d, s, file, k, form_apis(form));
        if (api < 0)
            return PT_EV_CODE; /* the argument goes to another call */
        if (file[k + 1] == 0x25) {
            *detail = tail_details[form];
            return PT_EV_CODE;
        }
        *detail = call_details[form][api];
        return PT_EV_IMMEDIATE;
    }
    return PT_EV_CODE;
}

pt_evidence pt_attribute_classify(const pt_driver *d, const uint8_t *file,
                                  size_t len, uint64_t off)
{
    pt_evidence ev = {PT_EV_FILE, off, NULL, NULL};
    if (!d->pe_read)
        return ev;
    const pt_section *s = pt_pe_section_at(&d->pe, off);
    if (s == NULL)
        return ev;
    ev.section = s->name;
    if (!(s->characteristics & (PT_SCN_MEM_EXECUTE | PT_SCN_CNT_CODE)))
        return ev;
    ev.kind = PT_EV_CODE;
    int form = file ? immediate_form(file, len, off, d->pe.machine) : -1;
    if (form < 0 || !(d->pe.pool_imports & PT_IMP_TAGGED))
        return ev;
    ev.detail = form_names[form];
    ev.kind = call_follows(d, s, file, len, off, form, &ev.detail);
    return ev;
}

void pt_attribute_kmdf_tag(const char *file_name, char out[5])
{
    const char *base = pt_path_base(file_name);
    size_t n = strlen(base);
    if (pt_ends_with_ci(base, ".sys"))
        n -= 4;
    if (n >= 3 && (base[0] == 'W' || base[0] == 'w') && (base[1] == 'D' || base[1] == 'd') &&
        (base[2] == 'F' || base[2] == 'f')) {
        base += 3;
        n -= 3;
    }
    memcpy(out, n >= 4 ? base : "FxDr", 4);
    out[4] = '\0';
}

/* ---- candidates ---- */

/* Confidence given by the strongest evidence of a candidate; each hint
 * beside byte evidence adds a little. */
static double confidence_of(pt_evidence_kind best, size_t immediates, size_t hints)
{
    double c = 0.0;
    switch (best) {
    case PT_EV_IMMEDIATE: c = immediates > 1 ? 0.97 : 0.9; break;
    case PT_EV_CODE: c = 0.6; break;
    case PT_EV_FILE: c = 0.35; break;
    case PT_EV_HINT: c = hints > 1 ? 0.25 : 0.15; break;
    }
    if (best != PT_EV_HINT)
        c += 0.01 * (double)hints;
    return c > 0.99 ? 0.99 : c;
}

/* An evidence detail naming a free: an allocation is the stronger proof of
 * who holds the pool, so frees sort after allocations of the same kind. */
static int frees_last(const pt_evidence *e)
{
    return e->detail && strstr(e->detail, "ExFreePool") ? 1 : 0;
}

static int by_kind(const void *a, const void *b)
{
    const pt_evidence *x = a, *y = b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    if (frees_last(x) != frees_last(y))
        return frees_last(x) - frees_last(y);
    return (x->offset > y->offset) - (x->offset < y->offset);
}

static size_t immediates_of(const pt_candidate *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->evidence_count; i++)
        n += c->evidence[i].kind == PT_EV_IMMEDIATE;
    return n;
}

static int by_confidence(const void *a, const void *b)
{
    const pt_candidate *x = a, *y = b;
    if (x->confidence != y->confidence)
        return x->confidence < y->confidence ? 1 : -1;
    size_t ix = immediates_of(x), iy = immediates_of(y);
    if (ix != iy)
        return ix < iy ? 1 : -1;
    return strcmp(x->driver->path, y->driver->path);
}

/* True when a Mapped_Driver cell ("mfeavfk.sys", "a.sys; b.sys",
 * "[ndis.sys]") names the file. */
static bool mapped_names(const char *mapped, const char *name)
{
    size_t ln = strlen(name);
    for (const char *p = mapped; p && *p;) {
        while (*p && strchr(" \t;,[]<>", *p))
            p++;
        size_t n = strcspn(p, " \t;,[]<>");
        if (n == ln) {
            char tok[256];
            if (n < sizeof tok) {
                memcpy(tok, p, n);
                tok[n] = '\0';
                if (pt_strcasecmp(tok, name) == 0)
                    return true;
            }
        }
        p += n;
    }
    return false;
}

typedef struct hint_list {
    pt_evidence ev[8];
    size_t count;
} hint_list;

/* The pooltag.txt / localtag.txt lines naming the file as the tag's owner. */
static void pooltag_hints(pt_arena *arena, const pt_pooltag_map *map, const char *tag,
                          const char *name, hint_list *out)
{
    size_t n = 0;
    const pt_tag_entry *e = map ? pt_pooltag_lookup(map, tag, &n) : NULL;
    for (size_t i = 0; e && i < n && out->count < 8; i++) {
        if (e[i].driver == NULL || pt_strcasecmp(e[i].driver, name) != 0)
            continue;
        const char *file = e[i].kind == PT_TAGMAP_LOCALTAG ? "localtag.txt" : "pooltag.txt";
        const char *detail = pt_arena_printf(arena, "%s line %u: %s%s%s", file,
                                             (unsigned)e[i].line, e[i].binary ? e[i].binary : name,
                                             e[i].description ? " - " : "",
                                             e[i].description ? e[i].description : "");
        out->ev[out->count++] = (pt_evidence){PT_EV_HINT, 0, NULL, detail ? detail : file};
    }
}

static void hints_for(pt_arena *arena, const pt_driver *d, const pt_file_tags *ft,
                      const pt_suspect *s, const pt_pooltag_map *map, hint_list *out)
{
    out->count = 0;
    if (ft && ft->kmdf_hint)
        out->ev[out->count++] =
            (pt_evidence){PT_EV_HINT, 0, NULL, "KMDF default tag of the file name"};
    if (s->mapped_driver && mapped_names(s->mapped_driver, d->name))
        out->ev[out->count++] =
            (pt_evidence){PT_EV_HINT, 0, NULL, "Mapped_Driver in the capture"};
    pooltag_hints(arena, map, s->tag, d->name, out);
}

/* True when a hint other than the KMDF one names the file for the tag. */
static bool named_by_hint(const pt_suspect *s, const pt_pooltag_map *map, const char *name)
{
    if (s->mapped_driver && mapped_names(s->mapped_driver, name))
        return true;
    size_t n = 0;
    const pt_tag_entry *e = map ? pt_pooltag_lookup(map, s->tag, &n) : NULL;
    for (size_t i = 0; e && i < n; i++)
        if (e[i].driver && pt_strcasecmp(e[i].driver, name) == 0)
            return true;
    return false;
}

static pt_code build_candidate(pt_arena *arena, pt_driver *d, const pt_file_tags *ft,
                               const pt_suspect *s, const pt_pooltag_map *map,
                               pt_candidate *out)
{
    hint_list hl;
    hints_for(arena, d, ft, s, map, &hl);
    size_t n = ft ? ft->offset_count : 0;
    out->driver = d;
    out->evidence = pt_arena_alloc(arena, (n + hl.count + 1) * sizeof(pt_evidence));
    if (out->evidence == NULL)
        return PT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        out->evidence[i] = ft->evidence[i];
    for (size_t i = 0; i < hl.count; i++)
        out->evidence[n + i] = hl.ev[i];
    out->evidence_count = n + hl.count;
    qsort(out->evidence, out->evidence_count, sizeof *out->evidence, by_kind);
    out->best = out->evidence_count ? out->evidence[0].kind : PT_EV_HINT;
    out->confidence = confidence_of(out->best, immediates_of(out), hl.count);
    return PT_OK;
}

/* ---- files that only a hint names ---- */

static bool is_driver(const pt_scan_result *scan, const char *path)
{
    for (size_t i = 0; i < scan->driver_count; i++)
        if (strcmp(scan->drivers[i].path, path) == 0)
            return true;
    return false;
}

static bool hinted_file(const pt_suspect *suspects, size_t suspect_count,
                        const pt_scan_result *scan, size_t f)
{
    for (size_t s = 0; s < suspect_count; s++)
        if (named_by_hint(&suspects[s], scan->pooltag, scan->names[f]))
            return !is_driver(scan, scan->paths[f]);
    return false;
}

/* Adds (described) every walked file a Mapped_Driver cell or a tag file
 * names that is not a driver yet, before any candidate points into
 * scan->drivers. */
static pt_code add_hinted_drivers(pt_arena *arena, const pt_suspect *suspects,
                                  size_t suspect_count, pt_scan_result *scan)
{
    size_t extra = 0;
    for (size_t f = 0; f < scan->name_count; f++)
        extra += hinted_file(suspects, suspect_count, scan, f);
    if (extra == 0)
        return PT_OK;
    pt_driver *all = pt_arena_alloc(arena, (scan->driver_count + extra) * sizeof *all);
    if (all == NULL)
        return PT_ENOMEM;
    memcpy(all, scan->drivers, scan->driver_count * sizeof *all);
    size_t n = scan->driver_count;
    for (size_t f = 0; f < scan->name_count; f++) {
        if (!hinted_file(suspects, suspect_count, scan, f))
            continue;
        pt_driver *d = &all[n++];
        d->path = scan->paths[f];
        d->name = scan->names[f];
        if (pt_scan_describe(arena, NULL, d, true, NULL, NULL) != PT_OK)
            return PT_ENOMEM;
    }
    scan->drivers = all;
    scan->driver_count = n;
    return PT_OK;
}

/* ---- the stage ---- */

/* The hits of each tag index: order[start[t] .. start[t + 1]) are the
 * indexes into scan->hits, in scan order (a counting sort, so 1,000 tags
 * do not each walk every hit). */
typedef struct hit_index {
    size_t *start, *order;
} hit_index;

static bool index_hits(const pt_scan_result *scan, size_t tag_count, hit_index *out)
{
    out->start = pt_calloc(tag_count + 2, sizeof *out->start);
    out->order = pt_malloc((scan->hit_count + 1) * sizeof *out->order);
    if (out->start == NULL || out->order == NULL)
        return false;
    for (size_t h = 0; h < scan->hit_count; h++)
        out->start[scan->hits[h].tag_index + 1]++;
    for (size_t t = 0; t < tag_count; t++)
        out->start[t + 1] += out->start[t];
    size_t *fill = pt_malloc((tag_count + 1) * sizeof *fill);
    if (fill == NULL)
        return false;
    memcpy(fill, out->start, (tag_count + 1) * sizeof *fill);
    for (size_t h = 0; h < scan->hit_count; h++)
        out->order[fill[scan->hits[h].tag_index]++] = h;
    pt_free(fill);
    return true;
}

static pt_code attribute_tag(pt_arena *arena, const pt_suspect *s, int idx,
                             pt_scan_result *scan, const hit_index *hi, pt_attribution *a)
{
    memcpy(a->tag, s->tag, 5);
    size_t first = idx >= 0 ? hi->start[idx] : 0, last = idx >= 0 ? hi->start[idx + 1] : 0;
    size_t n = last - first;
    for (size_t i = 0; i < scan->driver_count; i++)
        n += named_by_hint(s, scan->pooltag, scan->drivers[i].name);
    a->candidates = pt_arena_alloc(arena, (n + 1) * sizeof *a->candidates);
    if (a->candidates == NULL)
        return PT_ENOMEM;
    bool *seen = pt_calloc(scan->driver_count + 1, 1);
    if (seen == NULL)
        return PT_ENOMEM;
    pt_code rc = PT_OK;
    for (size_t k = first; k < last && rc == PT_OK; k++) {
        const pt_file_tags *ft = &scan->hits[hi->order[k]];
        seen[ft->driver_index] = true;
        rc = build_candidate(arena, &scan->drivers[ft->driver_index], ft, s, scan->pooltag,
                             &a->candidates[a->candidate_count++]);
    }
    for (size_t i = 0; i < scan->driver_count && rc == PT_OK; i++)
        if (!seen[i] && named_by_hint(s, scan->pooltag, scan->drivers[i].name))
            rc = build_candidate(arena, &scan->drivers[i], NULL, s, scan->pooltag,
                                 &a->candidates[a->candidate_count++]);
    pt_free(seen);
    if (rc == PT_OK)
        qsort(a->candidates, a->candidate_count, sizeof *a->candidates, by_confidence);
    return rc;
}

pt_code pt_attribute(pt_arena *arena, const pt_suspect *suspects, size_t suspect_count,
                     const pt_tagset *set, pt_scan_result *scan,
                     pt_attribution **out, size_t *out_count, pt_error *err)
{
    *out = pt_arena_alloc(arena, (suspect_count + 1) * sizeof **out);
    *out_count = 0;
    hit_index hi = {NULL, NULL};
    pt_code rc = *out && add_hinted_drivers(arena, suspects, suspect_count, scan) == PT_OK &&
                         index_hits(scan, pt_tagset_count(set), &hi)
                     ? PT_OK
                     : PT_ENOMEM;
    for (size_t s = 0; s < suspect_count && rc == PT_OK; s++) {
        /* a tag seen in both pools is attributed once */
        bool seen = false;
        for (size_t k = 0; k < *out_count; k++)
            seen |= memcmp((*out)[k].tag, suspects[s].tag, 4) == 0;
        if (seen)
            continue;
        int idx = pt_tagset_find(set, suspects[s].tag);
        rc = attribute_tag(arena, &suspects[s], idx, scan, &hi, &(*out)[(*out_count)++]);
    }
    pt_free(hi.start);
    pt_free(hi.order);
    return rc == PT_OK ? PT_OK : pt_error_set(err, PT_ENOMEM, "", "out of memory");
}
