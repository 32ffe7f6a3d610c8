/*
 * pooltriage/rank.h - rank: suspects, series and growth.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_RANK_H
#define POOLTRIAGE_RANK_H

#include "collect.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* rank: suspects                                                      */
/* ------------------------------------------------------------------ */

typedef struct pt_suspect {
    char tag[5];
    pt_pool_type pool;
    uint64_t bytes;              /* in the latest snapshot */
    double share;                /* of that pool, 0..1 */
    bool has_growth;
    double growth_bytes_per_hour;
    bool generic;                /* a tag the kernel itself uses */
    double score;
    const char *mapped_driver;   /* from the capture, or NULL */
    uint64_t allocs, frees;
    int64_t diff;
    /* From the series (series.c); zero when there is no series. */
    bool steady;                 /* grows steadily (pt_series_limits) */
    int64_t delta_bytes;         /* last - first capture */
    double growth_percent;       /* delta / first * 100 (INFINITY from 0) */
    int64_t outstanding_delta;   /* change of allocs - frees, counters unwrapped */
    double limit_share;          /* bytes / the pool's limit (!vm NonPagedPool Max,
                                    else the commit Limit; non-paged only), or -1 */
} pt_suspect;

typedef struct pt_rank_opts {
    size_t max_suspects;         /* 0: the default (10) */
    double min_share;            /* a tag below this share and below min_bytes is dropped */
    uint64_t min_bytes;
} pt_rank_opts;

/* True when `tag` is one of the generic kernel tags (Proc, Thre, File, ...). */
bool pt_tag_is_generic(const char *tag);

/* Ranks the tags of a series (snapshots in time order) into suspects,
 * largest score first. */
pt_code pt_rank(pt_arena *arena, const pt_snapshot *snaps, size_t snap_count,
                const pt_rank_opts *opts, pt_suspect **out, size_t *out_count,
                pt_error *err);

/* ---- series (series.c) ---- */

/* What "grows steadily" means.  pt_series_default_limits() holds the
 * defaults, in one place: bytes rise in at least 80 % of the intervals
 * between captures, and by at least 10 % and 16 MiB from first to last. */
typedef struct pt_series_limits {
    unsigned min_rising_percent;  /* of the intervals where bytes rose (80) */
    unsigned min_growth_percent;  /* last - first, as a percentage of first (10) */
    uint64_t min_growth_bytes;    /* last - first (16 MiB) */
} pt_series_limits;

const pt_series_limits *pt_series_default_limits(void);

/* One tag and pool in one capture of a series.  Counters are unwrapped:
 * poolmon's 32-bit alloc and free counters wrap at 2^32, so when a later
 * value is lower than the one before it and the one before fits in 32 bits,
 * 2^32 is added to it and to every later value of that counter; a counter
 * that was already past 2^32 and drops is a reset (a reboot), not a wrap.
 * Within one capture, allocs lower than frees (both below 2^32) means the
 * allocs counter has wrapped once more than the frees counter. */
typedef struct pt_series_point {
    bool present;                 /* the tag has a row in this capture (else 0 bytes) */
    uint64_t allocs, frees;       /* unwrapped */
    int64_t outstanding;          /* allocs - frees, unwrapped */
    uint64_t bytes;
} pt_series_point;

typedef struct pt_tag_series {
    char tag[5];
    pt_pool_type pool;
    pt_series_point *points;      /* one per capture, in series order */
    uint64_t first_bytes, last_bytes;
    int64_t delta_bytes;          /* last - first */
    double growth_percent;        /* delta / first * 100; 0 when first is 0 and
                                     delta is 0; INFINITY when first is 0 */
    int64_t outstanding_delta;    /* last outstanding - first outstanding */
    size_t intervals;             /* captures - 1 */
    size_t rising;                /* intervals where bytes rose */
    bool has_rate;                /* every capture has a time and the order is known */
    double bytes_per_hour;        /* least-squares slope of bytes over hours */
    bool steady;                  /* grows steadily by the limits (order known) */
    bool wrapped;                 /* a 32-bit counter wrap was unwrapped */
    bool reset;                   /* a counter dropped: the host was restarted */
    const char *mapped_driver;    /* from the latest row that has one, or NULL */
    const char *description;
} pt_tag_series;

typedef struct pt_series {
    size_t capture_count;
    /* Two captures have no time, or the same time, or one has none: their
     * order is a guess, so no growth is computed (has_rate and steady are
     * false and delta_bytes is 0). */
    bool order_unknown;
    bool timed;                   /* every capture has a time */
    double hours;                 /* from the first capture to the last, or 0 */
    pt_tag_series *tags;          /* one per tag and pool seen, by tag then pool */
    size_t tag_count;
} pt_series;

/* Builds the series of captures already in time order.  limits NULL means
 * the defaults.  PT_ENOMEM only. */
pt_code pt_series_build(pt_arena *arena, const pt_snapshot *snaps, size_t count,
                        const pt_series_limits *limits, pt_series *out, pt_error *err);
/* The series of one tag and pool, or NULL. */
const pt_tag_series *pt_series_find(const pt_series *series, const char *tag,
                                    pt_pool_type pool);

/* ---- end of series ---- */


#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_RANK_H */
