/*
 * pt_internal.h - helpers shared between engine source files but not part
 * of the public contract in pooltriage.h.
 */
#ifndef PT_INTERNAL_H
#define PT_INTERNAL_H

#include "pooltriage/pooltriage.h"
#include "pt_limits.h"

#include <stdbool.h>
#include <stddef.h>

/* Grows *items (pt_realloc'd, item_len bytes each) so that `need` fit. */
bool pt_grow(void **items, size_t *cap, size_t need, size_t item_len);

/* Appends one item to a growable array; evaluates to false on out of memory. */
#define PT_PUSH(arr, count, cap, item)                                        \
    (pt_grow((void **)&(arr), &(cap), (count) + 1, sizeof *(arr))             \
         ? ((arr)[(count)++] = (item), true)                                  \
         : false)

/* Case-insensitive ASCII comparisons (file names on Windows volumes). */
int pt_strcasecmp(const char *a, const char *b);
bool pt_ends_with_ci(const char *s, const char *suffix);

/* ---- collect (capture.c, poolmon.c, poolused.c): capture parsing ---- */

/* One line of a capture, without its "\n" or "\r\n"; `no` is 1-based. */
typedef struct pt_text_line {
    const char *s;
    size_t len;
    uint32_t no;
} pt_text_line;

/* Walks the lines of a text that need not be NUL-terminated. */
typedef struct pt_line_iter {
    const char *p, *end;
    uint32_t no;
} pt_line_iter;
void pt_line_iter_init(pt_line_iter *it, const char *text, size_t len);
bool pt_line_next(pt_line_iter *it, pt_text_line *out);

/* Small scanners over (s, len) ranges: blanks are ' ' and TAB. */
bool pt_text_is_blank(char c);
/* The 4 printable columns at `start` of a row, when only blanks precede
 * them and a blank follows; a tag may hold spaces ("AGP ", "Io  ") but not
 * only spaces.  tag gets them, NUL-terminated. */
bool pt_text_tag_at(const pt_text_line *l, size_t start, char tag[5]);
void pt_text_trim(const char **s, size_t *len);
bool pt_text_same_ci(const char *s, size_t len, const char *lit);
/* Reads decimal digits at *p (not past end); false when there are none or
 * they overflow 64 bits. */
bool pt_text_u64(const char **p, const char *end, uint64_t *out);

/* Rows and skipped rows collected while parsing one capture, in pt_malloc'd
 * arrays that pt_capture_rows_finish hands to the arena. */
typedef struct pt_capture_rows {
    pt_arena *arena;
    pt_pool_row *rows;
    size_t count, cap;
    pt_parse_issue *skipped;
    size_t skipped_count, skipped_cap;
} pt_capture_rows;
/* Appends a row; PT_ELIMIT past PT_MAX_CAPTURE_ROWS, PT_ENOMEM. */
pt_code pt_capture_rows_add(pt_capture_rows *b, const pt_pool_row *row,
                            const char *name, pt_error *err);
/* Records a skipped line (at most PT_MAX_CAPTURE_ISSUES; later ones are
 * folded into one last issue); PT_ENOMEM only. */
pt_code pt_capture_rows_skip(pt_capture_rows *b, uint32_t line,
                             const char *name, pt_error *err,
                             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Moves rows and skipped rows into *out (arena-owned); PT_ENOMEM. */
pt_code pt_capture_rows_finish(pt_capture_rows *b, pt_snapshot *out,
                               const char *name, pt_error *err);
/* Frees what pt_capture_rows_finish did not take; NULL is a no-op. */
void pt_capture_rows_free(pt_capture_rows *b);

/* A snapshot with every figure unknown and no rows; source is `name`. */
void pt_snapshot_init(pt_snapshot *out, const char *name, pt_capture_format fmt);
/* Sets a PT_EFORMAT error at "name:line". */
pt_code pt_capture_fail(pt_error *err, pt_code code, const char *name,
                        uint32_t line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* True when the line is a poolmon column header ("Tag  Type  Allocs ...
 * Frees ... Diff ... Bytes"); *tag_col gets the column of "Tag". */
bool pt_poolmon_is_header(const pt_text_line *line, size_t *tag_col);
/* True when the line is a !poolused column header ("Tag Allocs Used
 * Allocs Used"). */
bool pt_poolused_is_header(const pt_text_line *line);
/* Parse a poolmon screen or poolmon -n file / a WinDbg !poolused listing.
 * `hint` is the format the caller asked for (PT_FMT_UNKNOWN: decide). */
pt_code pt_poolmon_parse(pt_arena *arena, const char *name, const char *text,
                         size_t len, pt_capture_format hint, pt_snapshot *out,
                         pt_error *err);
pt_code pt_poolused_parse(pt_arena *arena, const char *name, const char *text,
                          size_t len, pt_snapshot *out, pt_error *err);

/* ---- end of collect ---- */

/* ---- platform (platform_posix.c): the only OS-specific code ---- */

/* Called for each regular file under a folder; return false to stop. */
typedef bool (*pt_walk_fn)(void *ctx, const char *path, const char *name,
                           uint64_t size);
/* Walks `dir` recursively (bounded by PT_MAX_WALK_*), files in name order. */
pt_code pt_platform_walk(const char *dir, pt_walk_fn fn, void *ctx, pt_error *err);
/* Finds `name` in `dir` case-insensitively; returns a malloc'd path or NULL. */
char *pt_platform_find_ci(const char *dir, const char *name);
/* True when path is a directory / a regular file. */
bool pt_platform_is_dir(const char *path);
bool pt_platform_is_file(const char *path);
/* Modification time in Unix seconds, or -1. */
int64_t pt_platform_mtime(const char *path);
/* Work to run in a child process: writes its result to `out`. */
typedef void (*pt_isolated_fn)(void *ctx, pt_buf *out);
/* Runs fn in a child process limited to wall_ms of wall-clock time and as
 * much CPU time, that may write no file and gain no privilege; *out
 * receives what it wrote, at most max_out bytes.  PT_ELIMIT when it ran out
 * of time or wrote too much, PT_EIO when it crashed or failed. */
pt_code pt_platform_run_isolated(pt_isolated_fn fn, void *ctx, unsigned wall_ms,
                                 size_t max_out, pt_buf *out, pt_error *err);
/* Lists the regular files directly in `dir` in name order, as malloc'd
 * paths in a malloc'd array (free each, then the array). */
pt_code pt_platform_list(const char *dir, char ***out, size_t *out_count, pt_error *err);

/* ---- host.c ---- */

/* Reads the OS version from ROOT/Windows/System32/ntoskrnl.exe (names
 * matched case-insensitively); leaves host unchanged when there is none. */
pt_code pt_host_from_root(pt_arena *arena, pt_host *host, const char *root,
                          pt_error *err);

/* ---- scan.c and attribute.c ---- */

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

/* ---- kb_build.c and rules.c ---- */

struct sqlite3;

/* Checks one KB issue file against the schema; with db, also inserts it.
 * `shown` names the file in messages ("kb/issues/x.lua"). */
pt_code pt_kb_check_file(pt_arena *arena, const char *path, const char *shown,
                         struct sqlite3 *db, pt_error *err);


/* ---- kb.c: lookups for the rules ---- */

typedef struct pt_kb_query {
    const char *tag;      /* 4-character tag, or NULL */
    const char *driver;   /* file name, matched case-insensitively, or NULL */
    const char *version;  /* a version of unknown kind (older callers): used as
                             the numeric version and the FileVersion string */
    int64_t build;        /* OS build, or PT_UNKNOWN */
    /* The driver's version facts; each may be NULL.  An entry compares in
     * the space its `versions` names (docs/kb.md). */
    const char *file_version;     /* FileVersion string ("0.9995") */
    const char *product_version;  /* ProductVersion string */
    const char *numeric;          /* VS_FIXEDFILEINFO ("5.0.9995.709") */
} pt_kb_query;

/* One KB entry that lists the tag or the driver, and how well it matches.
 * The *_match fields are 1 (yes), 0 (no) or -1 (unknown: the entry gives
 * no range, or the query gives no value). */
typedef struct pt_kb_match {
    const char *id;
    bool tag_match;
    bool driver_match;
    int version_match;
    int os_match;
    const char *range_id;  /* the affected range holding the version, or NULL */
    int fixed;             /* 1: at or past fixed_in, 0: before it, -1: unknown */
    const char *version_field;  /* what was compared, for explanations:
                                   "FileVersion string 0.9995", or NULL */
} pt_kb_match;

pt_code pt_kb_lookup(pt_arena *arena, pt_kb *kb, const pt_kb_query *q,
                     pt_kb_match **out, size_t *out_count, pt_error *err);

/* What the KB's tag-fact files (kb/tags) say about one tag. */
typedef struct pt_tag_fact {
    const char *set_id;        /* "TAGS-INTEL-NIC" */
    const char *kind;          /* "vendor" or "generic" */
    const char *tag;
    const char *vendor;
    const char *note;
    const char **drivers;      /* file-name globs ("e1e*.sys") */
    size_t driver_count;
    const char **leaks_through;/* KB ids whose leak shows through this tag */
    size_t leak_count;
} pt_tag_fact;

pt_code pt_kb_tag_facts(pt_arena *arena, pt_kb *kb, const char *tag,
                        pt_tag_fact **out, size_t *out_count, pt_error *err);

/* ---- rules.c and rules_facts.c ---- */

/* What one rule run judges: the verdict's facts and the KB. */
typedef struct pt_judge {
    pt_arena *arena;
    pt_kb *kb;
    const pt_verdict *verdict;
} pt_judge;

struct lua_State;
/* Pushes the sealed, read-only `ctx` table of a rule run. */
void pt_rules_push_ctx(struct lua_State *L, pt_judge *j);

/* Runs every rule over the verdict's facts; fills v->findings (most severe
 * first), v->rule_errors and v->level.  PT_ERULE when no rule could load. */
pt_code pt_rules_run(pt_arena *arena, pt_kb *kb, const pt_rule_source *rules,
                     size_t rule_count, pt_verdict *v, pt_error *err);
/* With rule NULL, pt_rule_case_run only reads and checks the case file. */
/* The wall-clock limit of one rule run in ms (tests shorten it); 0 resets. */
void pt_rules_set_time_limit(unsigned ms);
/* "18.10.0.189" from VS_FIXEDFILEINFO, or NULL. */
const char *pt_driver_numeric_version(pt_arena *arena, const pt_driver *d);
/* Computes f->fingerprint (CONTRACT.md). */
void pt_finding_fingerprint(pt_arena *arena, pt_finding *f);

/* ---- capture_time.c ---- */

/* Reads a UTC time: with `whole`, the text must be one ISO-8601 time
 * ("2026-11-20T08:00:00Z", "2026-11-20 08:00"); else the first timestamp
 * inside a file name ("pool_20261120_0800.txt"). */
bool pt_time_parse(const char *text, bool whole, int64_t *out);
/* "2026-11-20T08:00:00Z". */
void pt_time_format(int64_t t, char *buf, size_t len);

/* ---- collect.c ---- */

/* Finds and loads the inputs: v->snapshots (in time order), v->searched
 * (driver folders), v->host (name, OS), v->errors (skipped rows). */
pt_code pt_collect(pt_arena *arena, const pt_triage_opts *opts, pt_verdict *v,
                   pt_error *err);
/* Appends problems with inputs to v->errors. */
pt_code pt_input_errors_append(pt_arena *arena, pt_verdict *v,
                               const pt_input_error *more, size_t count, pt_error *err);

/* ---- report_json.c: shared by the JSON writers ---- */

struct cJSON;
/* A JSON string, or JSON null for NULL (the contract never omits a field). */
struct cJSON *pt_json_str(const char *s);

#endif /* PT_INTERNAL_H */
