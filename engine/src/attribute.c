/*
 * attribute.c - the attribute stage: for each suspect tag, the drivers
 * that hold it, each with ranked evidence (immediate operand of the tag
 * argument > inside code > anywhere in the file) and a confidence.
 */
#include "pt_internal.h"

#include <stdlib.h>
#include <string.h>

/* Confidence given by the strongest evidence of a candidate. */
static double confidence_of(pt_evidence_kind kind, size_t immediates)
{
    switch (kind) {
    case PT_EV_IMMEDIATE: return immediates > 1 ? 0.97 : 0.9;
    case PT_EV_CODE: return 0.6;
    case PT_EV_FILE: return 0.35;
    case PT_EV_HINT: return 0.15;
    }
    return 0.0;
}

/* Is the tag at `off` the imm32 of an instruction that loads a tag
 * argument?  x64: mov r8d, imm32 (ExAllocatePool*WithTag, ExAllocatePool2/3
 * take the tag third) or mov edx, imm32 (ExFreePoolWithTag takes it second).
 * x86: push imm32, or mov dword [esp+N], imm32. */
static const char *immediate_form(const uint8_t *file, size_t len, uint64_t off,
                                  uint16_t machine)
{
    if (off >= len)
        return NULL;
    if (machine == 0x8664) {
        if (off >= 2 && file[off - 2] == 0x41 && file[off - 1] == 0xB8)
            return "mov r8d, imm32";
        if (off >= 1 && file[off - 1] == 0xBA)
            return "mov edx, imm32";
    } else if (machine == 0x14c) {
        if (off >= 1 && file[off - 1] == 0x68)
            return "push imm32";
        if (off >= 4 && file[off - 4] == 0xC7 && file[off - 3] == 0x44 &&
            file[off - 2] == 0x24)
            return "mov dword [esp+N], imm32";
    }
    return NULL;
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
    const char *form = file ? immediate_form(file, len, off, d->pe.machine) : NULL;
    if (form && (d->pe.pool_imports & PT_IMP_TAGGED)) {
        ev.kind = PT_EV_IMMEDIATE;
        ev.detail = form;
    }
    return ev;
}

static int by_kind(const void *a, const void *b)
{
    const pt_evidence *x = a, *y = b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int by_confidence(const void *a, const void *b)
{
    const pt_candidate *x = a, *y = b;
    if (x->confidence != y->confidence)
        return x->confidence < y->confidence ? 1 : -1;
    return strcmp(x->driver->path, y->driver->path);
}

static pt_code build_candidate(pt_arena *arena, pt_driver *d, const pt_file_tags *ft,
                               pt_candidate *out)
{
    out->driver = d;
    out->evidence = pt_arena_alloc(arena, (ft->offset_count + 1) * sizeof(pt_evidence));
    if (out->evidence == NULL)
        return PT_ENOMEM;
    size_t immediates = 0;
    for (uint32_t i = 0; i < ft->offset_count; i++) {
        out->evidence[i] = ft->evidence[i];
        immediates += out->evidence[i].kind == PT_EV_IMMEDIATE;
    }
    out->evidence_count = ft->offset_count;
    qsort(out->evidence, out->evidence_count, sizeof *out->evidence, by_kind);
    out->best = out->evidence_count ? out->evidence[0].kind : PT_EV_FILE;
    out->confidence = confidence_of(out->best, immediates);
    return PT_OK;
}

pt_code pt_attribute(pt_arena *arena, const pt_suspect *suspects, size_t suspect_count,
                     const pt_tagset *set, pt_scan_result *scan,
                     pt_attribution **out, size_t *out_count, pt_error *err)
{
    *out = pt_arena_alloc(arena, (suspect_count + 1) * sizeof **out);
    *out_count = 0;
    if (*out == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    for (size_t s = 0; s < suspect_count; s++) {
        /* a tag seen in both pools is attributed once */
        bool seen = false;
        for (size_t k = 0; k < *out_count; k++)
            seen |= memcmp((*out)[k].tag, suspects[s].tag, 4) == 0;
        if (seen)
            continue;
        pt_attribution *a = &(*out)[(*out_count)++];
        memcpy(a->tag, suspects[s].tag, 5);
        size_t n = 0;
        for (size_t h = 0; h < scan->hit_count; h++)
            n += memcmp(pt_tagset_tag(set, scan->hits[h].tag_index), a->tag, 4) == 0;
        a->candidates = pt_arena_alloc(arena, (n + 1) * sizeof *a->candidates);
        if (a->candidates == NULL)
            return pt_error_set(err, PT_ENOMEM, "", "out of memory");
        for (size_t h = 0; h < scan->hit_count; h++) {
            const pt_file_tags *ft = &scan->hits[h];
            if (memcmp(pt_tagset_tag(set, ft->tag_index), a->tag, 4) != 0)
                continue;
            if (build_candidate(arena, &scan->drivers[ft->driver_index], ft,
                                &a->candidates[a->candidate_count++]) != PT_OK)
                return pt_error_set(err, PT_ENOMEM, "", "out of memory");
        }
        qsort(a->candidates, a->candidate_count, sizeof *a->candidates, by_confidence);
    }
    return PT_OK;
}
