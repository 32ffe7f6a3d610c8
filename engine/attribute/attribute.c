/*
 * attribute.c - the attribute stage: for each suspect tag, the drivers
 * that hold it, each with ranked evidence (the tag argument of a call to a
 * pool API > inside code > anywhere in the file > hints from Mapped_Driver
 * and the KMDF default tag) and a confidence.  Pure: it reads the scan's
 * hits (with the bytes kept around each) and the described drivers, and
 * does no I/O.
 */
#include "pooltriage/pooltriage.h"

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

/* The byte at file offset `pos` from the window kept around the hit at
 * `off`, or -1 when the window does not hold it. */
static int byte_at(const pt_hit_window *w, uint64_t off, uint64_t pos)
{
    if (w == NULL || pos + w->before < off)
        return -1;
    uint64_t i = pos + w->before - off;
    return i < w->len ? w->bytes[i] : -1;
}

/* 4 little-endian bytes at `pos`; false when the window lacks one. */
static bool rd32_at(const pt_hit_window *w, uint64_t off, uint64_t pos, uint32_t *v)
{
    *v = 0;
    for (int i = 3; i >= 0; i--) {
        int b = byte_at(w, off, pos + (uint64_t)i);
        if (b < 0)
            return false;
        *v = *v << 8 | (uint32_t)b;
    }
    return true;
}

/* The form of the instruction whose imm32 is the tag at `off`, or -1. */
static int immediate_form(const pt_hit_window *w, uint64_t off, uint16_t machine)
{
    int b1 = off >= 1 ? byte_at(w, off, off - 1) : -1;
    int b2 = off >= 2 ? byte_at(w, off, off - 2) : -1;
    if (machine == 0x8664) {
        if (b2 == 0x41 && b1 == 0xB8)
            return FORM_MOV_R8D;
        if (b1 == 0xBA)
            return FORM_MOV_EDX;
    } else if (machine == 0x14c) {
        if (b1 == 0x68)
            return FORM_PUSH;
        if (off >= 4 && byte_at(w, off, off - 4) == 0xC7 && byte_at(w, off, off - 3) == 0x44 &&
            b2 == 0x24)
            return FORM_MOV_ESP;
    }
    return -1;
}

/* The pool API whose IAT slot an `FF 15`/`FF 25` at file offset k (in
 * section s) reads, or -1. */
static int slot_api(const pt_driver *d, const pt_section *s, uint32_t operand, uint64_t k,
                    unsigned apis)
{
    uint32_t rva;
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
                                     const pt_hit_window *w, uint64_t off, int form,
                                     const char **detail)
{
    uint64_t end = s->raw_offset + (uint64_t)s->raw_size;
    if (d->size && end > d->size)
        end = d->size;
    for (uint64_t k = off + 4; k < off + 4 + CALL_WINDOW && k + 6 <= end; k++) {
        int op = byte_at(w, off, k), mod = byte_at(w, off, k + 1);
        uint32_t operand;
        if (op < 0 || mod < 0)
            break; /* past the bytes the scan kept */
        if (op != 0xFF || (mod != 0x15 && mod != 0x25))
            continue;
        if (!rd32_at(w, off, k + 2, &operand))
            break;
        int api = slot_api(d, s, operand, k, form_apis(form));
        if (api < 0)
            return PT_EV_CODE; /* the argument goes to another call */
        if (mod == 0x25) {
            *detail = tail_details[form];
            return PT_EV_CODE;
        }
        *detail = call_details[form][api];
        return PT_EV_IMMEDIATE;
    }
    return PT_EV_CODE;
}

pt_evidence pt_attribute_classify(const pt_driver *d, const pt_hit_window *w, uint64_t off)
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
    int form = w ? immediate_form(w, off, d->pe.machine) : -1;
    if (form < 0 || !(d->pe.pool_imports & PT_IMP_TAGGED))
        return ev;
    ev.detail = form_names[form];
    ev.kind = call_follows(d, s, w, off, form, &ev.detail);
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

static void hints_for(pt_arena *arena, const pt_driver *d, bool kmdf, const pt_suspect *s,
                      const pt_pooltag_map *map, hint_list *out)
{
    out->count = 0;
    if (kmdf)
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

/* One candidate: the driver's hits of the tag (ft, or NULL), classified
 * on the bytes kept around each, and its hints. */
static pt_code build_candidate(pt_arena *arena, pt_driver *d, const pt_file_tags *ft,
                               bool kmdf, const pt_suspect *s, const pt_pooltag_map *map,
                               pt_candidate *out)
{
    hint_list hl;
    hints_for(arena, d, kmdf, s, map, &hl);
    size_t n = ft ? ft->offset_count : 0;
    out->driver = d;
    out->evidence = pt_arena_alloc(arena, (n + hl.count + 1) * sizeof(pt_evidence));
    if (out->evidence == NULL)
        return PT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        out->evidence[i] = pt_attribute_classify(d, &ft->windows[i], ft->offsets[i]);
    for (size_t i = 0; i < hl.count; i++)
        out->evidence[n + i] = hl.ev[i];
    out->evidence_count = n + hl.count;
    qsort(out->evidence, out->evidence_count, sizeof *out->evidence, by_kind);
    out->best = out->evidence_count ? out->evidence[0].kind : PT_EV_HINT;
    out->confidence = confidence_of(out->best, immediates_of(out), hl.count);
    return PT_OK;
}

/* ---- which files need describing ---- */

/* The tag index of a .sys file's KMDF default tag in the set, or -1. */
static int kmdf_index(const pt_tagset *set, const char *name)
{
    if (!pt_ends_with_ci(name, ".sys"))
        return -1;
    char tag[5];
    pt_attribute_kmdf_tag(name, tag);
    return pt_tagset_find(set, tag); /* tags are case-sensitive */
}

void pt_attribute_select(const pt_suspect *suspects, size_t suspect_count,
                         const pt_tagset *set, const pt_scan_result *scan,
                         const pt_pooltag_map *pooltag, uint8_t *out)
{
    for (size_t i = 0; i < scan->file_count; i++) {
        const pt_scan_file *f = &scan->files[i];
        out[i] = 0;
        if (f->error)
            continue;
        if (f->hit_count > 0 || kmdf_index(set, f->name) >= 0) {
            out[i] = PT_ATTR_HOLDS;
            continue;
        }
        for (size_t s = 0; s < suspect_count && !out[i]; s++)
            if (named_by_hint(&suspects[s], pooltag, f->name))
                out[i] = PT_ATTR_HINTED;
    }
}

/* ---- the stage ---- */

/* Per tag index, the files that hold it or whose KMDF default tag it is:
 * entries[start[t] .. start[t + 1]), in walk order (a counting sort, so
 * 1,000 tags do not each walk every file). */
typedef struct tag_entry {
    size_t file;
    const pt_file_tags *ft;   /* NULL: only the KMDF default tag */
    bool kmdf;
} tag_entry;

typedef struct tag_index {
    size_t *start;
    tag_entry *entries;
} tag_index;

/* Calls fn for every (tag index, entry) of the scan, in walk order. */
static void for_each_entry(const pt_attribute_input *in, const int *kmdf,
                           void (*fn)(void *ctx, uint32_t tag, tag_entry e), void *ctx)
{
    for (size_t i = 0; i < in->scan->file_count; i++) {
        const pt_scan_file *f = &in->scan->files[i];
        if (in->driver_of[i] == SIZE_MAX)
            continue; /* not described: nothing to point at */
        bool kmdf_seen = false;
        for (size_t h = 0; h < f->hit_count; h++) {
            bool k = kmdf[i] >= 0 && f->hits[h].tag_index == (uint32_t)kmdf[i];
            kmdf_seen |= k;
            fn(ctx, f->hits[h].tag_index, (tag_entry){i, &f->hits[h], k});
        }
        if (kmdf[i] >= 0 && !kmdf_seen)
            fn(ctx, (uint32_t)kmdf[i], (tag_entry){i, NULL, true});
    }
}

static void count_entry(void *ctx, uint32_t tag, tag_entry e)
{
    (void)e;
    ((tag_index *)ctx)->start[tag + 1]++;
}

typedef struct fill_ctx {
    tag_index *ti;
    size_t *fill;
} fill_ctx;

static void put_entry(void *ctx, uint32_t tag, tag_entry e)
{
    fill_ctx *c = ctx;
    c->ti->entries[c->fill[tag]++] = e;
}

static bool index_tags(const pt_attribute_input *in, const int *kmdf, tag_index *out)
{
    size_t tags = pt_tagset_count(in->set), total = 0;
    out->start = pt_calloc(tags + 2, sizeof *out->start);
    if (out->start == NULL)
        return false;
    for_each_entry(in, kmdf, count_entry, out);
    for (size_t t = 0; t < tags; t++) {
        total += out->start[t + 1];
        out->start[t + 1] += out->start[t];
    }
    out->entries = pt_malloc((total + 1) * sizeof *out->entries);
    size_t *fill = pt_malloc((tags + 1) * sizeof *fill);
    if (out->entries && fill) {
        memcpy(fill, out->start, (tags + 1) * sizeof *fill);
        fill_ctx c = {out, fill};
        for_each_entry(in, kmdf, put_entry, &c);
    }
    pt_free(fill);
    return out->entries != NULL && fill != NULL;
}

static pt_code attribute_tag(pt_arena *arena, const pt_attribute_input *in, const pt_suspect *s,
                             int idx, const tag_index *ti, pt_attribution *a)
{
    memcpy(a->tag, s->tag, 5);
    size_t first = idx >= 0 ? ti->start[idx] : 0, last = idx >= 0 ? ti->start[idx + 1] : 0;
    size_t n = last - first;
    for (size_t i = 0; i < in->driver_count; i++)
        n += named_by_hint(s, in->pooltag, in->drivers[i].name);
    a->candidates = pt_arena_alloc(arena, (n + 1) * sizeof *a->candidates);
    bool *seen = pt_calloc(in->driver_count + 1, 1);
    pt_code rc = a->candidates && seen ? PT_OK : PT_ENOMEM;
    for (size_t k = first; k < last && rc == PT_OK; k++) {
        const tag_entry *e = &ti->entries[k];
        size_t di = in->driver_of[e->file];
        seen[di] = true;
        rc = build_candidate(arena, &in->drivers[di], e->ft, e->kmdf, s, in->pooltag,
                             &a->candidates[a->candidate_count++]);
    }
    for (size_t i = 0; i < in->driver_count && rc == PT_OK; i++)
        if (!seen[i] && named_by_hint(s, in->pooltag, in->drivers[i].name))
            rc = build_candidate(arena, &in->drivers[i], NULL, false, s, in->pooltag,
                                 &a->candidates[a->candidate_count++]);
    pt_free(seen);
    if (rc == PT_OK)
        qsort(a->candidates, a->candidate_count, sizeof *a->candidates, by_confidence);
    return rc;
}

pt_code pt_attribute(pt_arena *arena, const pt_attribute_input *in,
                     pt_attribution **out, size_t *out_count, pt_error *err)
{
    *out = pt_arena_alloc(arena, (in->suspect_count + 1) * sizeof **out);
    *out_count = 0;
    tag_index ti = {NULL, NULL};
    int *kmdf = pt_malloc((in->scan->file_count + 1) * sizeof *kmdf);
    for (size_t i = 0; kmdf && i < in->scan->file_count; i++)
        kmdf[i] = kmdf_index(in->set, in->scan->files[i].name);
    pt_code rc = *out && kmdf && index_tags(in, kmdf, &ti) ? PT_OK : PT_ENOMEM;
    for (size_t s = 0; s < in->suspect_count && rc == PT_OK; s++) {
        /* a tag seen in both pools is attributed once */
        bool seen = false;
        for (size_t k = 0; k < *out_count; k++)
            seen |= memcmp((*out)[k].tag, in->suspects[s].tag, 4) == 0;
        if (seen)
            continue;
        int idx = pt_tagset_find(in->set, in->suspects[s].tag);
        rc = attribute_tag(arena, in, &in->suspects[s], idx, &ti, &(*out)[(*out_count)++]);
    }
    pt_free(kmdf);
    pt_free(ti.start);
    pt_free(ti.entries);
    return rc == PT_OK ? PT_OK : pt_error_set(err, PT_ENOMEM, "", "out of memory");
}
