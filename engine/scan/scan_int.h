/*
 * scan_int.h - shared by the scan and attribute stages and the scan cache:
 * the tag scanner's internals, per-file hits, the scan result.
 */
#ifndef PT_SCAN_INT_H
#define PT_SCAN_INT_H

#include "pooltriage/pooltriage.h"
#include "pooltriage/limits.h"


/* How tagscan.c picks its filter (AVX2; SSE2 has only the first): up to
 * PT_TAGSCAN_SIMD_TAGS tags, compares of each tag's first and last byte;
 * up to PT_TAGSCAN_TEDDY_TAGS, a nibble-table filter in 8 buckets; more
 * tags that are all ASCII, exact per-position byte sets; else the 4-byte
 * hash filter.  Measured on 150 MB of the benchmark corpus, one core,
 * absent tags: pairs 20 GB/s at 4 tags, 13 at 8; Teddy 12 GB/s from 8 to
 * 150 tags, 6 at 300; byte sets 10.6 at 200, 3.7 at 1,000; the hash
 * filter 1.9 at 8, 1.4-1.6 at 1,000. */
#define PT_TAGSCAN_SIMD_TAGS 8
#define PT_TAGSCAN_TEDDY_TAGS 160

/* The SIMD level of the tag scan: 0 scalar, 1 SSE2, 2 AVX2.  level >= 0
 * forces it (capped at what the CPU has; tests and benchmarks compare
 * the paths; a forced level also sends a single tag through the SIMD
 * paths instead of memchr); -1 only reads it; -2 goes back to the
 * automatic choice.  Returns the level in use. */
int pt_tagscan_simd(int level);
/* "avx2", "sse2" or "scalar". */
const char *pt_tagscan_simd_name(void);
/* The index of a 4-byte tag in the set, or -1. */
int pt_tagset_find(const pt_tagset *set, const char *tag);
/* pt_tagscan_file on an open descriptor, from its current position. */
pt_code pt_tagscan_fd(const pt_tagset *set, int fd, const char *path,
                      uint8_t *scratch, size_t scratch_len, pt_tag_hit_fn fn,
                      void *ctx, pt_error *err);

/* The hits of one tag in one file; offsets and evidence live in the
 * arena of the scan result. */
typedef struct pt_file_tags {
    size_t driver_index;
    uint32_t tag_index;
    uint32_t offset_count;     /* offsets kept, at most PT_MAX_HITS_PER_TAG */
    uint64_t *offsets;         /* ascending */
    pt_evidence *evidence;     /* one per offset, classified when described */
    uint64_t total;            /* every hit, kept or not */
    bool kmdf_hint;            /* the tag is the driver's KMDF default tag */
} pt_file_tags;

/* Classifies one hit of a tag at file offset `off` of a described driver
 * whose bytes are `file` (NULL: no immediate check). */
pt_evidence pt_attribute_classify(const pt_driver *d, const uint8_t *file,
                                  size_t len, uint64_t off);
/* The KMDF default pool tag of a driver file name (kb-seed.md): the first
 * 4 characters of the service name (the file name without ".sys"), after a
 * leading "WDF"; "FxDr" when fewer than 4 are left.  out: 5 bytes. */
void pt_attribute_kmdf_tag(const char *file_name, char out[5]);

typedef struct pt_scan_result {
    pt_driver *drivers;       size_t driver_count;  /* files holding a tag, described */
    pt_file_tags *hits;       size_t hit_count;
    pt_input_error *errors;   size_t error_count;   /* unreadable files */
    const char **names;       size_t name_count;    /* every walked file's name */
    const char **paths;                              /* and path, walk order */
    pt_scan_stats stats;
    /* pooltag.txt / localtag.txt owners for hints (set by the caller
     * before pt_attribute), or NULL */
    const pt_pooltag_map *pooltag;
} pt_scan_result;

/* Walks every folder once, scanning every file for every tag of `set`;
 * files holding a tag (or whose KMDF default tag is in the set) become
 * drivers with PE facts and sha256.  opts may be NULL (no cache, default
 * threads). */
pt_code pt_scan_drivers_opts(pt_arena *arena, const char *const *dirs, size_t dir_count,
                             const pt_tagset *set, const pt_scan_opts *opts,
                             pt_scan_result *out, pt_error *err);
/* The same with no cache and the default threads. */
pt_code pt_scan_drivers(pt_arena *arena, const char *const *dirs, size_t dir_count,
                        const pt_tagset *set, pt_scan_result *out, pt_error *err);
/* Reads the PE facts and, with `hash`, the sha256 of one file into d
 * (missing facts and d->error on a bad file); with `keep`, *keep gets the
 * file's bytes (pt_malloc'd, the caller frees).  `lock` (a pthread mutex,
 * or NULL) guards the arena.  PT_ENOMEM only. */
pt_code pt_scan_describe(pt_arena *arena, void *lock, pt_driver *d, bool hash,
                         uint8_t **keep, size_t *keep_len);

/* Builds, per distinct suspect tag, the candidate drivers best first,
 * with hints from Mapped_Driver, the KMDF default tag and scan->pooltag.
 * Walked files that only a hint names are described and appended to
 * scan->drivers first. */
pt_code pt_attribute(pt_arena *arena, const pt_suspect *suspects, size_t suspect_count,
                     const pt_tagset *set, pt_scan_result *scan,
                     pt_attribution **out, size_t *out_count, pt_error *err);

/* ---- scan_cache.c ---- */

/* One file's cached answer. */
typedef struct pt_cache_entry {
    bool found;              /* a row with the same path, size, mtime and inode */
    bool has_tags;           /* it was scanned for a superset of the tags */
    pt_file_tags *hits;      /* for the current set's tag indexes (arena) */
    size_t hit_count;
    bool described;          /* facts below are valid */
    pt_driver facts;         /* sha256, pe, pe_read, error */
} pt_cache_entry;

/* The identity of a file on disk, for the cache key. */
typedef struct pt_file_key {
    const char *path;
    uint64_t size;
    int64_t mtime_ns;
    uint64_t ino;
} pt_file_key;

/* Tells the cache which tag set this run scans for (once per run). */
pt_code pt_scan_cache_begin(pt_scan_cache *cache, const pt_tagset *set);
/* Looks a file up; any problem reads as a miss. */
pt_code pt_scan_cache_get(pt_scan_cache *cache, pt_arena *arena, const pt_file_key *key,
                          pt_cache_entry *out);
/* Stores a file's hits (for the set given to begin) and, when described,
 * its facts.  Writes go into one transaction, committed by _end. */
pt_code pt_scan_cache_put(pt_scan_cache *cache, const pt_file_key *key,
                          const pt_file_tags *hits, size_t hit_count,
                          const pt_driver *facts);
/* Commits what was put; a failed commit leaves the old cache. */
pt_code pt_scan_cache_end(pt_scan_cache *cache);

#endif /* PT_SCAN_INT_H */
