/*
 * pooltriage/scan.h - scan: one pass over every file for many tags, and the scan cache.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_SCAN_H
#define POOLTRIAGE_SCAN_H

#include "describe.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* scan: one pass, many tags                                           */
/* ------------------------------------------------------------------ */

typedef struct pt_tagset pt_tagset;

/* Compiles a set of 4-byte tags (display order, "MFeS") for scanning.
 * Duplicates are folded.  NULL on out of memory. */
pt_tagset *pt_tagset_new(const char (*tags)[5], size_t count);
void pt_tagset_free(pt_tagset *set);
size_t pt_tagset_count(const pt_tagset *set);
const char *pt_tagset_tag(const pt_tagset *set, size_t index);
/* The index of a 4-byte tag in the set, or -1. */
int pt_tagset_find(const pt_tagset *set, const char *tag);

/* One place a tag was found. */
typedef struct pt_tag_hit {
    uint32_t tag_index;
    uint64_t offset;
} pt_tag_hit;

/* Called for each hit; return false to stop this file. */
typedef bool (*pt_tag_hit_fn)(void *ctx, const pt_tag_hit *hit);

/* Scans a buffer; `base` is the file offset of buf[0]. */
void pt_tagscan_buffer(const pt_tagset *set, const uint8_t *buf, size_t len,
                       uint64_t base, pt_tag_hit_fn fn, void *ctx);

/* Scans a file with read() into `scratch` (reused between calls), keeping
 * 3 bytes of overlap so tags across reads are found. */
pt_code pt_tagscan_file(const pt_tagset *set, const char *path,
                        uint8_t *scratch, size_t scratch_len, pt_tag_hit_fn fn,
                        void *ctx, pt_error *err);

/* ---- scan: cache (scan_cache.c) ---- */

/* The scan cache: SQLite, keyed by path, size, mtime (ns) and inode; it
 * keeps each file's tag hits for the tag set it was last scanned with and
 * the facts and hashes of files that hold a tag, so an unchanged file is
 * never read again.  The file is untrusted data: it is opened in defensive
 * mode, a corrupt one is deleted and rebuilt, and every blob is
 * bounds-checked when read back. */
typedef struct pt_scan_cache pt_scan_cache;

/* The default location: $XDG_CACHE_HOME/pooltriage/scan.sqlite, else
 * ~/.cache/pooltriage/scan.sqlite.  Static buffer; NULL without HOME. */
const char *pt_scan_cache_default_path(void);
/* Opens or creates the cache at `path` (NULL: the default), creating its
 * folder.  A file that is not a usable cache is deleted and rebuilt.
 * PT_EIO when no cache can be created there; the caller may go on without. */
pt_code pt_scan_cache_open(const char *path, pt_scan_cache **out, pt_error *err);
void pt_scan_cache_close(pt_scan_cache *cache);   /* NULL is a no-op */
/* The file the cache lives in (owned by the cache). */
const char *pt_scan_cache_file(const pt_scan_cache *cache);
/* True when the last open found a corrupt cache and rebuilt it. */
bool pt_scan_cache_was_rebuilt(const pt_scan_cache *cache);

/* What one scan did, for progress lines, benchmarks and tests. */
typedef struct pt_scan_stats {
    size_t files;          /* regular files walked */
    size_t files_read;     /* files read (not answered by the cache) */
    size_t cache_hits;     /* files answered by the cache */
    uint64_t bytes;        /* bytes of all walked files */
    uint64_t bytes_read;   /* bytes read by the tag scan */
    size_t described;      /* files described (PE facts, signer, hashes) this run */
    unsigned threads;      /* worker threads used */
    const char *simd;      /* "avx2", "sse2" or "scalar" */
} pt_scan_stats;

/* Called from the calling thread between files; never from a worker. */
typedef void (*pt_scan_progress_fn)(void *ctx, size_t done, size_t total);

typedef struct pt_scan_opts {
    pt_scan_cache *cache;         /* NULL: read every file */
    unsigned threads;             /* 0: one per online CPU, at most 8 */
    bool describe_all;            /* describe every file, not only the ones
                                     attribution needs (a full pass, for benchmarks) */
    bool no_hash;                 /* skip the sha256 of described files (the
                                     scan command's default; triage hashes) */
    pt_scan_progress_fn progress; /* or NULL */
    void *progress_ctx;
    const struct pt_pooltag_map *pooltag; /* owners as hints, or NULL */
} pt_scan_opts;

/* The bytes around one hit, kept so that the attribute stage can read the
 * instruction that loads the tag without opening the file again. */
#define PT_HIT_BEFORE 8u    /* bytes kept before the tag */
#define PT_HIT_WINDOW 64u   /* bytes kept in all */
typedef struct pt_hit_window {
    uint8_t bytes[PT_HIT_WINDOW];
    uint8_t before;         /* bytes[before] is the tag's first byte */
    uint8_t len;            /* valid bytes (fewer at either end of the file) */
} pt_hit_window;

/* The hits of one tag in one file. */
typedef struct pt_file_tags {
    uint32_t tag_index;
    uint32_t offset_count;     /* offsets kept, at most PT_MAX_HITS_PER_TAG */
    uint64_t *offsets;         /* ascending */
    pt_hit_window *windows;    /* one per offset */
    uint64_t total;            /* every hit, kept or not */
} pt_file_tags;

/* One walked file. */
typedef struct pt_scan_file {
    const char *path;
    const char *name;
    uint64_t size;
    int64_t mtime_ns;          /* with a cache only: its key */
    uint64_t ino;
    pt_file_tags *hits;        /* sorted by tag index */
    size_t hit_count;
    const char *error;         /* it could not be read: why */
    const char *archive;       /* the case archive holding it (path is
                                  "ARCHIVE:ENTRY"), or NULL: a file on disk */
    bool from_cache;           /* hits came from the cache */
    const struct pt_driver *cached; /* its facts as the cache holds them, or NULL */
} pt_scan_file;

/* The scan stage's result: every walked file in walk order (folders in the
 * order given, files in name order), with its hits. */
typedef struct pt_scan_result {
    pt_scan_file *files;       size_t file_count;
    struct pt_input_error *errors; size_t error_count; /* unreadable folders and files */
    pt_scan_stats stats;
} pt_scan_result;

/* The scan stage: walks every folder (a file among them is scanned as it
 * is; a case archive among them: its
 * entries below a folder named "drivers", read from the stream, never
 * extracted) and scans every file once for every
 * tag of `set` on a pool of threads (the walk runs while the first files
 * are scanned), keeping the offsets of each tag and a small window of
 * bytes around each.  With opts->cache, unchanged files are answered from
 * it (hits, and the facts it holds).  Nothing is parsed or described.
 * The result does not depend on thread timing.  opts may be NULL.  An
 * unreadable folder or file is an entry in out->errors; PT_ENOMEM is an
 * error. */
pt_code pt_scan_files(pt_arena *arena, const char *const *dirs, size_t dir_count,
                      const pt_tagset *set, const pt_scan_opts *opts,
                      pt_scan_result *out, pt_error *err);

/* Stores what a run learned in the cache given to the pt_scan_files that
 * made `scan`: each file's hits, and the facts in facts[i] (NULL: none) of
 * scan->files[i] (facts may be NULL).  A cache that fails is left as it
 * was; cache NULL is a no-op. */
void pt_scan_cache_store(pt_scan_cache *cache, const pt_scan_result *scan,
                         const struct pt_driver *const *facts);

/* The result of `pooltriage scan`: the files that hold a tag (walk order),
 * and per distinct tag its candidate drivers, best first. */
typedef struct pt_scan_report {
    struct pt_driver *drivers;          size_t driver_count;
    struct pt_attribution *attributions; size_t attribution_count;
    struct pt_input_error *errors;      size_t error_count; /* unreadable inputs */
    pt_scan_stats stats;
} pt_scan_report;

/* ---- end of scan: cache ---- */


#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_SCAN_H */
