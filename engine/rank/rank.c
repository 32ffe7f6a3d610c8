/*
 * rank.c - the rank stage: turns the tag rows of a series of captures into
 * suspects, scored by bytes, share of their pool, the pool's headroom and
 * growth (series.c), with the kernel's own generic tags flagged as proxies
 * rather than culprits.
 */

#include "pooltriage/pooltriage.h"
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

/* The limit a pool grows into, in bytes, or 0 when unknown: non-paged pool
 * against the !vm NonPagedPool Max, else the commit Limit (on 64-bit
 * Windows non-paged pool is bounded by memory and commit, not a fixed max). */
static uint64_t pool_limit(const pt_snapshot *last, pt_pool_type pool)
{
    if (pool != PT_POOL_NONPAGED)
        return 0;
    int64_t kb = last->nonpaged_max_kb > 0 ? last->nonpaged_max_kb : last->limit_kb;
    return kb > 0 && (uint64_t)kb <= UINT64_MAX / 1024u ? (uint64_t)kb * 1024u : 0;
}

/* Growth from the series (series.c): rate, delta and whether it is steady. */
static void set_growth(pt_suspect *s, const pt_series *series)
{
    const pt_tag_series *ts = pt_series_find(series, s->tag, s->pool);
    if (ts == NULL)
        return;
    s->has_growth = ts->has_rate;
    s->growth_bytes_per_hour = ts->bytes_per_hour;
    s->steady = ts->steady;
    s->delta_bytes = ts->delta_bytes;
    s->growth_percent = ts->growth_percent;
    s->outstanding_delta = ts->outstanding_delta;
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

/* The score: share of the pool dominates (0..100); size breaks ties between
 * pools of different sizes (log2, about 0..33); a tag eating into the
 * pool's limit is lifted by its share of that limit (0..50); steady growth
 * lifts a tag more than any other growth; a generic kernel tag is a proxy. */
/* A share counts in full from this size on: a large share of a small or
 * cut-off listing (1,600 bytes as 100 % of the non-paged rows shown) is no
 * sign of a leak. */
#define SHARE_FULL_BYTES (16.0 * 1024 * 1024)

static double score_of(const pt_suspect *s)
{
    double weight = (double)s->bytes / SHARE_FULL_BYTES;
    double sc = s->share * 100.0 * (weight < 1.0 ? weight : 1.0) + log2((double)s->bytes + 1.0);
    if (s->limit_share > 0)
        sc += 50.0 * (s->limit_share > 1.0 ? 1.0 : s->limit_share);
    if (s->steady)
        sc += 25.0;
    else if (s->delta_bytes > 0)
        sc += 5.0;
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
    uint64_t limits[2] = {pool_limit(last, PT_POOL_NONPAGED), pool_limit(last, PT_POOL_PAGED)};
    pt_series series;
    pt_code rc = pt_series_build(arena, snaps, snap_count, NULL, &series, err);
    if (rc != PT_OK)
        return rc;
    size_t n = 0;
    for (size_t r = 0; r < last->row_count; r++) {
        const pt_pool_row *row = &last->rows[r];
        if (row->bytes == 0)
            continue;
        pt_suspect *s = &all[n];
        memset(s, 0, sizeof *s);
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
        s->limit_share = limits[row->pool] ? (double)row->bytes / (double)limits[row->pool]
                                           : -1.0;
        set_growth(s, &series);
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
