/*
 * pooltriage/collect.h - collect: pool captures (poolmon, poolmon -n, !poolused) and pooltag.txt maps.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_COLLECT_H
#define POOLTRIAGE_COLLECT_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* collect: pool captures                                              */
/* ------------------------------------------------------------------ */

typedef enum pt_pool_type {
    PT_POOL_NONPAGED = 0,
    PT_POOL_PAGED = 1
} pt_pool_type;

/* "nonpaged" or "paged". */
const char *pt_pool_type_name(pt_pool_type pool);

typedef enum pt_capture_format {
    PT_FMT_UNKNOWN = 0,
    PT_FMT_POOLMON_CONSOLE,  /* poolmon screen: title line or "-----" rule, ( ) deltas */
    PT_FMT_POOLMON_SNAPSHOT, /* poolmon -n file: no delta columns */
    PT_FMT_POOLUSED          /* WinDbg !poolused */
} pt_capture_format;

/* "poolmon-console", "poolmon-snapshot", "poolused", or "unknown". */
const char *pt_capture_format_name(pt_capture_format fmt);
/* Parses a name as above; PT_FMT_UNKNOWN for "auto" or an unknown name. */
pt_capture_format pt_capture_format_parse(const char *name);

typedef enum pt_time_source {
    PT_TIME_NONE = 0,
    PT_TIME_CONTENT,
    PT_TIME_NAME,
    PT_TIME_AT,
    PT_TIME_MTIME
} pt_time_source;

/* "content", "name", "--at", "mtime", or NULL for PT_TIME_NONE. */
const char *pt_time_source_name(pt_time_source src);

#define PT_UNKNOWN (-1) /* an unknown signed quantity (bytes, KB, counts) */

/* One tag row of a capture.  A tag is exactly 4 characters and may hold
 * spaces; tag[4] is NUL.  !poolused prints only outstanding allocations:
 * its rows have allocs = diff = that count and frees = 0. */
typedef struct pt_pool_row {
    char tag[5];
    pt_pool_type pool;
    uint64_t allocs;
    uint64_t frees;
    int64_t diff;     /* outstanding allocations as printed (allocs - frees) */
    uint64_t bytes;
    uint64_t per_alloc; /* as printed; bytes / diff when not printed */
    bool has_delta;   /* all three ( ) columns were read whole */
    int64_t allocs_delta;
    int64_t frees_delta;
    int64_t bytes_delta;
    /* Mapped_Driver cell without brackets (groups joined by "; "), or the
     * !poolused "Binary:"; NULL when absent or "Unknown Driver". */
    const char *mapped_driver;
    const char *description;   /* !poolused description, or NULL */
    uint32_t line;             /* 1-based line number in the source */
} pt_pool_row;

/* A row the parser skipped, with why. */
typedef struct pt_parse_issue {
    uint32_t line;
    const char *message;
} pt_parse_issue;

/* One capture of one host at one time. */
typedef struct pt_snapshot {
    const char *source;          /* path or name given to the parser */
    pt_capture_format format;
    int64_t time;                /* Unix seconds, or PT_UNKNOWN */
    pt_time_source time_source;
    bool session;                /* a session pool screen (/s, /sN) */
    int session_id;              /* N of /sN, or -1 for all sessions */
    /* Summary lines, in KiB as printed; PT_UNKNOWN when absent. */
    int64_t memory_kb, avail_kb, commit_kb, limit_kb, peak_kb;
    /* "Pool N:" and the "P:" after it; for !poolused the !vm NonPagedPool
     * and PagedPool Usage, else its TOTAL line rounded up to KiB. */
    int64_t nonpaged_kb;
    int64_t paged_kb;
    /* The same totals in exact bytes when the capture gives bytes (the
     * !poolused TOTAL line), else PT_UNKNOWN: read them through
     * pt_snapshot_pool_total, which falls back to the KiB figures. */
    int64_t nonpaged_bytes;
    int64_t paged_bytes;
    int64_t nonpaged_max_kb;     /* !vm NonPagedPool Max, or PT_UNKNOWN */
    pt_pool_row *rows;
    size_t row_count;
    pt_parse_issue *skipped;
    size_t skipped_count;
    /* Bytes of the rows a display filter took out (pool --tag, --exclude),
     * by pt_pool_type: still part of the pool, so shares and the check
     * against the header's total count them; 0 unless filtered. */
    uint64_t filtered_bytes[2];
} pt_snapshot;

/* The pool's total as the capture states it: exact bytes when it gives
 * them, else its KiB figure times 1024.  False, *out untouched, when the
 * capture says nothing about that pool's total (then it is unknown, not 0). */
bool pt_snapshot_pool_total(const pt_snapshot *snap, pt_pool_type pool, uint64_t *out);

/* Bytes of a pool in a snapshot: pt_snapshot_pool_total when known, else
 * the sum of the rows of that pool type (a floor, for shares only); when
 * the rows add up to more than the stated total (a torn or mislabelled
 * capture), their sum, so no share passes 100 %. */
uint64_t pt_snapshot_pool_bytes(const pt_snapshot *snap, pt_pool_type pool);
/* The sum of the bytes of a pool's rows in a snapshot, with the rows a
 * display filter took out (filtered_bytes). */
uint64_t pt_snapshot_rows_bytes(const pt_snapshot *snap, pt_pool_type pool);

/* The warning for a pool whose tag rows add up to more than the capture's
 * stated total ("the non-paged tag rows add up to N bytes, more than the
 * header's total of M bytes; shares are taken against the rows' sum"),
 * allocated in arena; NULL when they do not (or the total is not stated),
 * and on out of memory (*oom set).  Every command that reads captures says
 * it the same way. */
const char *pt_snapshot_over_total(pt_arena *arena, const pt_snapshot *snap, pt_pool_type pool,
                                   bool *oom);

/* Turns UTF-16LE (with BOM), UTF-8 (with or without BOM) into UTF-8 text in
 * the arena; CRLF is kept (the parsers accept it). */
pt_code pt_text_decode(pt_arena *arena, const uint8_t *data, size_t len,
                       char **out, size_t *out_len, pt_error *err);

/* Parses one capture held in memory.  `name` is used in messages and as
 * the snapshot's source.  `hint` PT_FMT_UNKNOWN auto-detects.  A text that
 * is not a capture gives PT_EFORMAT with err->where set to "name:line". */
pt_code pt_capture_parse(pt_arena *arena, const char *name, const char *text,
                         size_t len, pt_capture_format hint, pt_snapshot *out,
                         pt_error *err);

/* Reads, decodes and parses a capture file (size-capped by pt_limits.h). */
pt_code pt_capture_load(pt_arena *arena, const char *path,
                        pt_capture_format hint, pt_snapshot *out,
                        pt_error *err);

/* ---- collect: pooltag.txt / localtag.txt maps (pooltag.c) ---- */

/* Which kind of tag file a map line came from. */
typedef enum pt_tagmap_kind {
    PT_TAGMAP_AUTO = 0,   /* localtag when the file name holds "localtag", else pooltag */
    PT_TAGMAP_POOLTAG,    /* "<tag> - <binary> - <description>"; rem, REM, // comments */
    PT_TAGMAP_LOCALTAG    /* poolmon /c: "<tag>   -     <driver name without .sys>" */
} pt_tagmap_kind;

/* One line of a tag file.  A tag file may name a tag several times (with
 * different owners); every line is kept. */
typedef struct pt_tag_entry {
    char tag[5];             /* as written, padded with spaces to 4: "Afd?", "I4e ", "Dh 0" */
    bool wildcard;           /* holds '?' (any one character) or '*' (any rest) */
    const char *binary;      /* "afd.sys", "nt!cm", "el90xbc5"; NULL when absent or "<unknown>" */
    const char *driver;      /* a file to look for: "afd.sys", "ntoskrnl.exe" (nt!...),
                                "win32kbase.sys" (win32kbase!...), "el90xbc5.sys"; or NULL */
    const char *description; /* or NULL */
    const char *source;      /* the name given to the parser */
    uint32_t line;           /* 1-based */
    uint32_t order;          /* load order: earlier files and lines first */
    pt_tagmap_kind kind;     /* PT_TAGMAP_POOLTAG or PT_TAGMAP_LOCALTAG */
} pt_tag_entry;

/* A tag -> owners map built from any number of tag files.  It owns its
 * memory; pt_pooltag_free(NULL) is a no-op. */
typedef struct pt_pooltag_map pt_pooltag_map;
pt_pooltag_map *pt_pooltag_new(void);          /* NULL on out of memory */
void pt_pooltag_free(pt_pooltag_map *map);

/* Adds the lines of a tag file held in memory (UTF-8, CRLF accepted).
 * Comments, blank lines and prose lines (no "tag - owner" shape, or a tag
 * longer than 4 characters) are skipped and counted; they are never an
 * error.  PT_ENOMEM, or PT_EFORMAT for text holding a NUL byte. */
pt_code pt_pooltag_parse(pt_pooltag_map *map, const char *name, const char *text,
                         size_t len, pt_tagmap_kind kind, pt_error *err);
/* Reads (size-capped by pt_limits.h), decodes (UTF-16LE with BOM, UTF-8)
 * and adds a tag file.  PT_EIO, PT_ELIMIT, PT_EFORMAT, PT_ENOMEM. */
pt_code pt_pooltag_load(pt_pooltag_map *map, const char *path, pt_tagmap_kind kind,
                        pt_error *err);

/* The owners of a capture tag (4 characters): the entries naming exactly
 * that tag, in load order; else the wildcard pattern matching it with the
 * most literal characters (all its entries); else NULL with *out_count 0.
 * Tags are case-sensitive.  The pointer stays valid until the next parse. */
const pt_tag_entry *pt_pooltag_lookup(const pt_pooltag_map *map, const char *tag,
                                      size_t *out_count);
/* Entries held, lines skipped (comments, prose, blank), and entry i (the
 * entries are ordered exact tags first, by tag then load order). */
size_t pt_pooltag_count(const pt_pooltag_map *map);
size_t pt_pooltag_skipped(const pt_pooltag_map *map);
const pt_tag_entry *pt_pooltag_entry(const pt_pooltag_map *map, size_t index);

/* ---- end of collect: pooltag maps ---- */


/* A capture time written in the capture itself, before its column header:
 * a line that is an ISO-8601 time ("2026-11-20 08:00:00",
 * "2026-11-20T08:00:00Z", "2026-11-20T08:00:00.123+01:00"), optionally after
 * a label ("Date:", "Time:", "Timestamp:", "Captured:"), as scheduled
 * capture scripts write; or WinDbg's "Debug session time: Fri Nov 20
 * 08:00:00.000 2026 (UTC + 1:00)".  Times without an offset are UTC. */
bool pt_capture_content_time(const char *text, size_t len, int64_t *out);
/* Sets a capture's time, first found of: `at` (--at, ISO-8601; PT_EUSAGE
 * when unreadable), a timestamp in the file name, the content (reads the
 * head of the file at `path`), the file's mtime.  Sets time_source. */
pt_code pt_capture_set_time(pt_snapshot *snap, const char *path, const char *at,
                           pt_error *err);

/* Sorts captures by time (then by source, so equal times sort the same way
 * every run; captures without a time go last). */
void pt_capture_sort(pt_snapshot *snaps, size_t count);
/* True when two captures share a time or one has none (count >= 2). */
bool pt_capture_order_unknown(const pt_snapshot *snaps, size_t count);

#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_COLLECT_H */
