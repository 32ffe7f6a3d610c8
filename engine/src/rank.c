/*
 * rank.c - the rank stage: turns the tag rows of a series of captures into
 * suspects, scored by bytes, share of their pool and growth, with the
 * kernel's own generic tags flagged as proxies rather than culprits.
 */
#include "pt_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Tags the kernel itself allocates with (kb-seed.md); a third-party leak
 * often shows up through them. */
static const char *const generic_tags[] = {
    "Proc", "Thre", "Toke", "File", "IoWI", "Strg", "Pp  ",
    "Mdl ", "NtFC", "MmSt", "EtwB", "Even", "Irp ", NULL,
};

bool pt_tag_is_generic(const char *tag)
{
    for (const char *const *g = generic_tags; *g; g++)
        if (memcmp(*g, tag, 4) == 0)
            return true;
    return false;
}

#define DEFAULT_MAX_SUSPECTS 10

/* Least-squares slope of bytes over hours for one tag+pool across the
 * series; false when fewer than two snapshots have a time and the tag. */
static bool growth_rate(const pt_snapshot *snaps, size_t count, const char *tag,
                        pt_pool_type pool, double *out)
{
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    double t0 = 0;
    for (size_t i = 0; i < count; i++) {
        if (snaps[i].time == PT_UNKNOWN)
            return false;
        if (n == 0)
            t0 = (double)snaps[i].time;
        double y = 0;
        for (size_t r = 0; r < snaps[i].row_count; r++) {
            const pt_pool_row *row = &snaps[i].rows[r];
            if (row->pool == pool && memcmp(row->tag, tag, 4) == 0)
                y = (double)row->bytes;
        }
        double x = ((double)snaps[i].time - t0) / 3600.0;
        n += 1;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    double den = n * sxx - sx * sx;
    if (n < 2 || fabs(den) < 1e-12)
        return false;
    *out = (n * sxy - sx * sy) / den;
    return true;
}

static int by_score(const void *a, const void *b)
{
    const pt_suspect *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    return memcmp(x->tag, y->tag, 4);
}

/* The score: share of the pool dominates, size breaks ties between pools of
 * different sizes, steady growth lifts a tag. */
static double score_of(const pt_suspect *s)
{
    double sc = s->share * 100.0 + log2((double)s->bytes + 1.0);
    if (s->has_growth && s->growth_bytes_per_hour > 0)
        sc += 10.0;
    if (s->generic)
        sc -= 5.0;
    return sc;
}

pt_code pt_rank(pt_arena *arena, const pt_snapshot *snaps, size_t snap_count,
                const pt_rank_opts *opts, pt_suspect **out, size_t *out_count,
                pt_error *err)
{
    *out = NULL;
    *out_count = 0;
    if (snap_count == 0)
        return PT_OK;
    const pt_snapshot *last = &snaps[snap_count - 1];
    size_t max = opts && opts->max_suspects ? opts->max_suspects : DEFAULT_MAX_SUSPECTS;
    pt_suspect *all = pt_arena_alloc(arena, (last->row_count + 1) * sizeof *all);
    if (all == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    uint64_t pool_bytes[2] = {pt_snapshot_pool_bytes(last, PT_POOL_NONPAGED),
                              pt_snapshot_pool_bytes(last, PT_POOL_PAGED)};
    size_t n = 0;
    for (size_t r = 0; r < last->row_count; r++) {
        const pt_pool_row *row = &last->rows[r];
        if (row->bytes == 0)
            continue;
        pt_suspect *s = &all[n];
        memcpy(s->tag, row->tag, 5);
        s->pool = row->pool;
        s->bytes = row->bytes;
        s->allocs = row->allocs;
        s->frees = row->frees;
        s->diff = row->diff;
        s->mapped_driver = row->mapped_driver;
        uint64_t total = pool_bytes[row->pool];
        s->share = total ? (double)row->bytes / (double)total : 0.0;
        if (s->share > 1.0)
            s->share = 1.0;
        s->generic = pt_tag_is_generic(row->tag);
        s->has_growth = snap_count > 1 &&
                        growth_rate(snaps, snap_count, row->tag, row->pool,
                                    &s->growth_bytes_per_hour);
        s->score = score_of(s);
        bool keep = (!opts || row->bytes >= opts->min_bytes ||
                     s->share >= opts->min_share);
        if (keep)
            n++;
    }
    qsort(all, n, sizeof *all, by_score);
    *out = all;
    *out_count = n < max ? n : max;
    return PT_OK;
}
