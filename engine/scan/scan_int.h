/*
 * scan_int.h - shared by the scan and attribute stages and the scan cache:
 * the tag scanner's internals, per-file hits, the scan result.
 */
#ifndef PT_SCAN_INT_H
#define PT_SCAN_INT_H

#include "pooltriage/pooltriage.h"
#include "pooltriage/limits.h"
#include "pooltriage/platform.h"


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
/* Called with each block read, before its hits are reported: the bytes
 * and the file offset of buf[0]. */
typedef void (*pt_tag_chunk_fn)(void *ctx, const uint8_t *buf, size_t len, uint64_t base);
/* pt_tagscan_file on an open file, from its current position; chunk may be
 * NULL.  *bytes gets the bytes read. */
pt_code pt_tagscan_rfile(const pt_tagset *set, pt_rfile *f, uint8_t *scratch,
                         size_t scratch_len, pt_tag_chunk_fn chunk, pt_tag_hit_fn fn,
                         void *ctx, uint64_t *bytes, pt_error *err);

/* ---- scan_cache.c ---- */

/* One file's cached answer. */
typedef struct pt_cache_entry {
    bool found;              /* a row with the same path, size, mtime and inode */
    bool has_tags;           /* it was scanned for a superset of the tags */
    pt_file_tags *hits;      /* for the current set's tag indexes (arena) */
    size_t hit_count;
    bool described;          /* facts below are valid */
    pt_driver facts;         /* sha256, pe, pe_read, error, signer */
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
