/*
 * pooltriage.h - the one public header of the pooltriage engine.
 *
 * The pipeline is collect -> rank -> scan -> attribute -> describe -> judge ->
 * report; each stage takes and returns the plain structs declared here.  The
 * library never prints: results leave it as data and errors as pt_error.
 * Memory that a stage produces belongs to the pt_arena passed to it.
 */
#ifndef POOLTRIAGE_H
#define POOLTRIAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PT_VERSION "0.1.0"
#define PT_VERDICT_SCHEMA "pooltriage.verdict/1"

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* Small positive codes, never renumbered.  The CLI maps them to exit codes. */
typedef enum pt_code {
    PT_OK = 0,
    PT_ENOMEM = 1,   /* an allocation failed */
    PT_EIO = 2,      /* a file could not be read or written */
    PT_EFORMAT = 3,  /* an input is not what it claims to be */
    PT_ELIMIT = 4,   /* an input exceeds a limit in pt_limits.h */
    PT_EKB = 5,      /* the knowledge base is missing or broken */
    PT_ERULE = 6,    /* the rule infrastructure is broken */
    PT_ENET = 7,     /* network or update failure */
    PT_EUSAGE = 8    /* the caller passed bad arguments */
} pt_code;

/* Where and what.  `where` is "file:line", "file, offset 0x1f0" or "". */
typedef struct pt_error {
    pt_code code;
    char where[512];
    char message[512];
} pt_error;

/* Sets *err (err may be NULL) and returns code. */
pt_code pt_error_set(pt_error *err, pt_code code, const char *where,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Keeps err's where and message but files it under another code (a rule
 * file that cannot be read is a rules problem, not an input problem);
 * returns code. */
pt_code pt_error_recode(pt_error *err, pt_code code);

/* A short English name of a code, for messages ("out of memory"). */
const char *pt_code_name(pt_code code);

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

/* Every allocation in the engine goes through these, so tests can fail the
 * Nth allocation.  pt_free(NULL) is a no-op. */
void *pt_malloc(size_t len);
void *pt_calloc(size_t count, size_t len);
void *pt_realloc(void *ptr, size_t len);
void pt_free(void *ptr);
/* Test hook: the next `n` allocations succeed and every later one fails;
 * n < 0 turns injection off. */
void pt_alloc_fail_after(long n);

/* An arena owns everything one run produces; pt_arena_free(NULL) is a no-op. */
typedef struct pt_arena pt_arena;
pt_arena *pt_arena_new(void);
void pt_arena_free(pt_arena *arena);
/* Zeroed memory that lives as long as the arena; NULL on out of memory. */
void *pt_arena_alloc(pt_arena *arena, size_t len);
char *pt_arena_strdup(pt_arena *arena, const char *s);     /* s may be NULL */
char *pt_arena_strndup(pt_arena *arena, const char *s, size_t len);
char *pt_arena_printf(pt_arena *arena, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A copy of len bytes of untrusted text (a rule's title, a driver's
 * CompanyName, a file name) that is safe to print and to put in JSON:
 * control characters and broken UTF-8 become '?'.  NULL when s is NULL or
 * on out of memory. */
char *pt_arena_clean_text(pt_arena *arena, const char *s, size_t len);
/* Hands a pt_malloc'd block to the arena, which frees it with itself.
 * On failure the block is freed and false returned. */
bool pt_arena_adopt(pt_arena *arena, void *block);

/* A growable byte buffer.  Zero-initialise, then append; pt_buf_free frees. */
typedef struct pt_buf {
    char *data;
    size_t len;
    size_t cap;
    bool failed; /* an append ran out of memory; the content is incomplete */
} pt_buf;
void pt_buf_append(pt_buf *buf, const char *s, size_t len);
void pt_buf_puts(pt_buf *buf, const char *s);
void pt_buf_printf(pt_buf *buf, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void pt_buf_free(pt_buf *buf);

/* Reads a whole file of at most max_len bytes into arena memory, NUL-terminated. */
pt_code pt_file_read(pt_arena *arena, const char *path, size_t max_len,
                     uint8_t **out, size_t *out_len, pt_error *err);

/* Hex of a sha256 digest of a whole file, read in chunks (out: 65 bytes). */
pt_code pt_sha256_file(const char *path, char out[65], pt_error *err);
/* Hex of a sha256 digest of a buffer (out: 65 bytes). */
void pt_sha256_hex(const void *data, size_t len, char out[65]);

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
    int64_t nonpaged_max_kb;     /* !vm NonPagedPool Max, or PT_UNKNOWN */
    pt_pool_row *rows;
    size_t row_count;
    pt_parse_issue *skipped;
    size_t skipped_count;
} pt_snapshot;

/* Bytes of a pool in a snapshot: from the summary when known, else the sum
 * of the rows of that pool type. */
uint64_t pt_snapshot_pool_bytes(const pt_snapshot *snap, pt_pool_type pool);

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
    /* Added by issue 3 (series.c); zero when there is no series. */
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

/* Sorts captures by time (then by source, so equal times sort the same way
 * every run; captures without a time go last). */
void pt_series_sort(pt_snapshot *snaps, size_t count);
/* True when two captures share a time or one has none (count >= 2). */
bool pt_series_order_unknown(const pt_snapshot *snaps, size_t count);
/* Builds the series of captures already in time order.  limits NULL means
 * the defaults.  PT_ENOMEM only. */
pt_code pt_series_build(pt_arena *arena, const pt_snapshot *snaps, size_t count,
                        const pt_series_limits *limits, pt_series *out, pt_error *err);
/* The series of one tag and pool, or NULL. */
const pt_tag_series *pt_series_find(const pt_series *series, const char *tag,
                                    pt_pool_type pool);

/* A capture time written in the capture itself, before its column header:
 * a line that is an ISO-8601 time ("2026-11-20 08:00:00",
 * "2026-11-20T08:00:00Z", "2026-11-20T08:00:00.123+01:00"), optionally after
 * a label ("Date:", "Time:", "Timestamp:", "Captured:"), as scheduled
 * capture scripts write; or WinDbg's "Debug session time: Fri Nov 20
 * 08:00:00.000 2026 (UTC + 1:00)".  Times without an offset are UTC. */
bool pt_series_content_time(const char *text, size_t len, int64_t *out);
/* Sets a capture's time, first found of: `at` (--at, ISO-8601; PT_EUSAGE
 * when unreadable), a timestamp in the file name, the content (reads the
 * head of the file at `path`), the file's mtime.  Sets time_source. */
pt_code pt_series_set_time(pt_snapshot *snap, const char *path, const char *at,
                           pt_error *err);

/* ---- end of series ---- */

/* ------------------------------------------------------------------ */
/* describe: PE facts                                                  */
/* ------------------------------------------------------------------ */

/* Parse flags: what was wrong with a file.  Facts behind a flag are missing. */
enum {
    PT_PE_NOT_PE = 1u << 0,          /* no MZ/PE signature */
    PT_PE_TRUNCATED = 1u << 1,       /* a header or table runs past the end */
    PT_PE_BAD_SECTIONS = 1u << 2,    /* section table out of bounds or odd */
    PT_PE_BAD_IMPORTS = 1u << 3,     /* import directory unreadable */
    PT_PE_BAD_RESOURCES = 1u << 4,   /* resource tree out of bounds, loops, too deep */
    PT_PE_BAD_VERSION = 1u << 5,     /* VS_VERSIONINFO malformed */
    PT_PE_BAD_SECURITY = 1u << 6,    /* security directory out of bounds */
    PT_PE_LIMIT = 1u << 7            /* a limit in pt_limits.h was hit */
};

/* Imports of the pool allocator (bit set when imported from ntoskrnl.exe). */
enum {
    PT_IMP_EXALLOCATEPOOLWITHTAG = 1u << 0,
    PT_IMP_EXALLOCATEPOOLWITHQUOTATAG = 1u << 1,
    PT_IMP_EXALLOCATEPOOL2 = 1u << 2,
    PT_IMP_EXALLOCATEPOOL3 = 1u << 3,
    PT_IMP_EXFREEPOOLWITHTAG = 1u << 4,
    PT_IMP_EXALLOCATEPOOL = 1u << 5,
    PT_IMP_EXFREEPOOL = 1u << 6
};
/* Imports that take a tag argument. */
#define PT_IMP_TAGGED                                                        \
    (PT_IMP_EXALLOCATEPOOLWITHTAG | PT_IMP_EXALLOCATEPOOLWITHQUOTATAG |      \
     PT_IMP_EXALLOCATEPOOL2 | PT_IMP_EXALLOCATEPOOL3 | PT_IMP_EXFREEPOOLWITHTAG)

typedef struct pt_section {
    char name[9];
    uint32_t virtual_address;
    uint32_t virtual_size;
    uint32_t raw_offset;
    uint32_t raw_size;
    uint32_t characteristics;
} pt_section;

#define PT_SCN_MEM_EXECUTE 0x20000000u
#define PT_SCN_CNT_CODE 0x00000020u

/* One StringFileInfo table.  Absent strings are NULL. */
typedef struct pt_string_table {
    char key[9]; /* language + code page as in the file, e.g. "040904B0" */
    const char *company_name;
    const char *file_description;
    const char *file_version;
    const char *internal_name;
    const char *legal_copyright;
    const char *original_filename;
    const char *product_name;
    const char *product_version;
} pt_string_table;

typedef struct pt_pe_info {
    unsigned flags;              /* PT_PE_* parse flags */
    uint16_t machine;            /* IMAGE_FILE_MACHINE_* */
    uint16_t subsystem;          /* IMAGE_SUBSYSTEM_* */
    uint16_t characteristics;
    bool pe32plus;
    uint32_t timestamp;
    uint32_t checksum;
    uint32_t checksum_offset;    /* file offset of OptionalHeader.CheckSum, 0 if unknown */
    uint32_t image_base_low;
    pt_section *sections;
    size_t section_count;
    unsigned pool_imports;       /* PT_IMP_* bits */
    /* RVA of the import address table slot of each pool import from
     * ntoskrnl.exe, indexed by the bit number of its PT_IMP_* flag (0 for
     * ExAllocatePoolWithTag ... 6 for ExFreePool); 0 when not imported.
     * attribute.c matches `call [slot]` after a tag immediate. */
    uint32_t pool_iat_rva[7];
    uint32_t security_offset;    /* data directory 4: a file offset */
    uint32_t security_size;
    uint32_t security_dir_offset;/* file offset of the data directory entry 4, 0 if none */
    bool has_version;            /* a VS_FIXEDFILEINFO was read */
    uint16_t file_version[4];
    uint16_t product_version[4];
    pt_string_table *string_tables;
    size_t string_table_count;
} pt_pe_info;

/* Parses the PE facts of a file held in memory.  Malformed input never
 * fails: it leaves facts missing and sets flags.  Returns PT_ENOMEM only. */
pt_code pt_pe_parse(pt_arena *arena, const uint8_t *data, size_t len,
                    pt_pe_info *out);

/* Parses the version resource (VS_VERSIONINFO) blob `data` into `out`'s
 * version fields and string tables; sets PT_PE_BAD_VERSION on bad input.
 * Each call appends its string tables; the first fixed version read stays.
 * Returns PT_ENOMEM only. */
pt_code pt_pe_version_parse(pt_arena *arena, const uint8_t *data, size_t len,
                            pt_pe_info *out);

/* "x64", "x86", "ARM64", "ARM", or "unknown" (static strings). */
const char *pt_pe_machine_name(uint16_t machine);
/* The section holding file offset `off`, or NULL. */
const pt_section *pt_pe_section_at(const pt_pe_info *pe, uint64_t off);
/* A version string: the first non-NULL value among the 0409 (US English)
 * tables, else among all tables in file order; NULL when none has it. */
const char *pt_pe_company(const pt_pe_info *pe);
const char *pt_pe_description(const pt_pe_info *pe);
const char *pt_pe_file_version(const pt_pe_info *pe);
const char *pt_pe_product_name(const pt_pe_info *pe);
const char *pt_pe_product_version(const pt_pe_info *pe);

/* ------------------------------------------------------------------ */
/* Versions                                                            */
/* ------------------------------------------------------------------ */

/* A four-part numeric version; parts that are absent are 0. */
typedef struct pt_version {
    uint32_t part[4];
    int count; /* how many parts were given, 0 when none could be read */
} pt_version;

/* Reads the first run of dot-separated numbers in a string:
 * "SYSCORE.18.10.0.189" -> 18.10.0.189, "6.3.9600.19000 (winblue)" -> ...
 * Returns false when the string holds no number. */
bool pt_version_parse(const char *s, pt_version *out);
/* <0, 0, >0 like strcmp; missing parts count as 0. */
int pt_version_cmp(const pt_version *a, const pt_version *b);
/* "18.10.0.189" into buf (at least 48 bytes). */
void pt_version_format(const pt_version *v, char *buf, size_t len);

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
    size_t described;      /* files whose PE facts and sha256 were read */
    unsigned threads;      /* worker threads used */
    const char *simd;      /* "avx2", "sse2" or "scalar" */
} pt_scan_stats;

/* Called from the calling thread between files; never from a worker. */
typedef void (*pt_scan_progress_fn)(void *ctx, size_t done, size_t total);

typedef struct pt_scan_opts {
    pt_scan_cache *cache;         /* NULL: read every file */
    unsigned threads;             /* 0: one per online CPU, at most 8 */
    bool describe_all;            /* PE facts (and sha256) of every file, not
                                     only the holders (a full pass, for benchmarks) */
    bool no_hash;                 /* skip the sha256 of described files (the
                                     scan command's default; triage hashes) */
    pt_scan_progress_fn progress; /* or NULL */
    void *progress_ctx;
    const struct pt_pooltag_map *pooltag; /* owners as hints, or NULL */
} pt_scan_opts;

/* The result of `pooltriage scan`: the files that hold a tag (walk order),
 * and per distinct tag its candidate drivers, best first. */
typedef struct pt_scan_report {
    struct pt_driver *drivers;          size_t driver_count;
    struct pt_attribution *attributions; size_t attribution_count;
    struct pt_input_error *errors;      size_t error_count; /* unreadable inputs */
    pt_scan_stats stats;
} pt_scan_report;

/* Walks every folder (files in name order), scans every file once for all
 * tags with a pool of threads, describes the holders and ranks the
 * evidence.  The result is the same whatever the thread timing.  An
 * unreadable folder or file is an entry in out->errors, not a failure;
 * PT_ENOMEM and PT_ELIMIT (too many tags) are. */
pt_code pt_scan(pt_arena *arena, const char *const *dirs, size_t dir_count,
                const char (*tags)[5], size_t tag_count, const pt_scan_opts *opts,
                pt_scan_report *out, pt_error *err);

/* ---- end of scan: cache ---- */

/* ------------------------------------------------------------------ */
/* attribute: tag -> driver                                            */
/* ------------------------------------------------------------------ */

typedef enum pt_evidence_kind {
    PT_EV_IMMEDIATE = 1, /* immediate operand of the tag argument, pool API imported */
    PT_EV_CODE = 2,      /* inside an executable section */
    PT_EV_FILE = 3,      /* anywhere in the file */
    PT_EV_HINT = 4       /* pooltag.txt, localtag.txt, Mapped_Driver or KMDF default */
} pt_evidence_kind;

/* "immediate", "code", "file", "hint". */
const char *pt_evidence_kind_name(pt_evidence_kind kind);

typedef struct pt_evidence {
    pt_evidence_kind kind;
    uint64_t offset;        /* file offset, 0 for hints */
    const char *section;    /* section name, or NULL */
    const char *detail;     /* e.g. "mov r8d, imm32" or "pooltag.txt" */
} pt_evidence;

/* ---- describe: signatures (authenticode.c, catalog.c) ---- */

/* One SignedData signature: an entry of the certificate table, a
 * signature nested in one (unauthenticated attribute 1.3.6.1.4.1.311.2.4.1),
 * or a catalog's.  Strings are UTF-8 in the arena; NULL when unknown. */
typedef struct pt_signature {
    const char *subject;          /* signer certificate subject CN (else O, else the DN) */
    const char *subject_dn;       /* the whole subject, RFC 2253 */
    const char *issuer;           /* issuer CN (else O, else the DN) */
    const char *serial;           /* signer certificate serial, lower-case hex */
    const char *thumbprint;       /* sha1 of the DER certificate, lower-case hex (sigcheck's) */
    const char *digest_algorithm; /* of the image digest: "sha1", "sha256", ... */
    const char *image_digest;     /* the signed image digest, lower-case hex */
    const char *signing_time;     /* "2022-09-20T04:54:19Z" */
    /* "signingTime" (authenticated attribute), "rfc3161" (token in
     * 1.3.6.1.4.1.311.3.3.1) or "countersignature" (PKCS#9, 1.2.840.113549.1.9.6) */
    const char *signing_time_source;
    bool digest_ok;               /* image_digest equals the recomputed one */
    bool signature_ok;            /* the SignerInfo verifies with the signer certificate */
    const char *problem;          /* why this signature is not intact, or NULL */
    uint32_t offset;              /* file offset of its WIN_CERTIFICATE entry */
    unsigned entry;               /* 1-based certificate table entry it belongs to */
    unsigned depth;               /* 0: an entry's own signature; 1+: nested */
} pt_signature;

/* The signature facts of a file.  The first four fields are part of the
 * verdict JSON contract; keep them. */
typedef struct pt_signer {
    const char *status;     /* "signed", "invalid", "unsigned" */
    const char *subject;    /* of the first signature: signer CN */
    const char *issuer;     /* of the first signature: issuer CN */
    const char *signing_time;
    /* Added by issue 4; all describe the first signature unless said. */
    const char *serial;
    const char *thumbprint;
    const char *digest_algorithm;
    const char *signing_time_source;
    /* Why the status is "invalid" ("digest mismatch", "malformed PKCS#7 at
     * offset 0x1f0"), or why an "unsigned" file has no usable signature
     * ("security directory points outside the file"); NULL otherwise. */
    const char *reason;
    const char *catalog;    /* path of the .cat that signs the file, or NULL */
    bool digest_ok;         /* every signed image digest matches the file */
    bool chain_verified;    /* always false: chains are not checked against a trust store */
    unsigned entry_count;   /* WIN_CERTIFICATE entries read */
    pt_signature *signatures; /* every entry's signature, each followed by its nested ones */
    size_t signature_count;
} pt_signer;

/* Reads the embedded Authenticode signature of a PE file held in memory
 * (data, len) whose facts pt_pe_parse put in `pe`.  Walks the certificate
 * table (8-byte aligned WIN_CERTIFICATE entries, bounded by the security
 * directory and the file), decodes each PKCS#7 SignedData and its nested
 * signatures, and recomputes the image digest of each.  Broken input never
 * fails: it gives status "invalid" or "unsigned" with out->reason.  All
 * strings live in `arena`.  Returns PT_ENOMEM only (out is then partial). */
pt_code pt_authenticode_read(pt_arena *arena, const uint8_t *data, size_t len,
                             const pt_pe_info *pe, pt_signer *out);

/* The Authenticode image hash of a PE file with digest `md_name` ("sha1",
 * "sha256", ...; OpenSSL names): the file without the CheckSum field, the
 * security directory entry and the certificate table (an unsigned file is
 * not padded; the corpus README's hashes agree).  out needs EVP_MAX_MD_SIZE (64) bytes.
 * PT_EFORMAT when the file is not a PE image or its security directory
 * is unusable (clam-upack.exe); PT_EUSAGE for an unknown digest name. */
pt_code pt_authenticode_hash(const uint8_t *data, size_t len,
                             const pt_pe_info *pe, const char *md_name,
                             uint8_t out[64], size_t *out_len);

/* The hashes sigcheck prints, as lower-case hex; "" when not computable
 * (pesha1/pesha256 of a file whose image hash is undefined). */
typedef struct pt_file_hashes {
    char md5[33];
    char sha1[41];
    char sha256[65];
    char pesha1[41];
    char pesha256[65];
} pt_file_hashes;

/* Computes all five hashes of a file held in memory; pe may be NULL (no PE
 * hashes).  Returns PT_OK or PT_ENOMEM. */
pt_code pt_file_hashes_compute(const uint8_t *data, size_t len,
                               const pt_pe_info *pe, pt_file_hashes *out);

/* Catalog signatures: the .cat files of a Windows tree.  The handle owns its
 * memory; pt_catalog_close(NULL) is a no-op. */
typedef struct pt_catalog_index pt_catalog_index;

/* Finds ROOT/Windows/System32/CatRoot (names matched case-insensitively),
 * reads every .cat file below it (PKCS#7 SignedData of a CTL, OID
 * 1.3.6.1.4.1.311.10.1) and indexes the member hashes.  A tree without a
 * CatRoot gives an empty index, not an error.  Unreadable or malformed
 * .cat files are skipped and counted.  PT_ENOMEM, PT_ELIMIT (past
 * PT_MAX_CATALOG_FILES) or PT_EIO (root unreadable); *out is NULL then. */
pt_code pt_catalog_open(const char *root, pt_catalog_index **out, pt_error *err);
void pt_catalog_close(pt_catalog_index *idx);
/* Catalog files indexed / skipped as unreadable or malformed / member hashes. */
size_t pt_catalog_file_count(const pt_catalog_index *idx);
size_t pt_catalog_skipped_count(const pt_catalog_index *idx);
size_t pt_catalog_member_count(const pt_catalog_index *idx);
/* The path of the catalog listing an Authenticode hash (20 or 32 bytes),
 * or NULL.  idx may be NULL.  The string is owned by idx. */
const char *pt_catalog_lookup(const pt_catalog_index *idx, const uint8_t *hash,
                              size_t hash_len);

/* When `signer` (from pt_authenticode_read) has no embedded signature,
 * looks the file's PESHA1 and PESHA256 up in `idx`; on a hit, sets status
 * "signed", catalog to the .cat path and the signer fields to the
 * catalog's signer (status "invalid" with a reason when the catalog's own
 * signature does not verify).  idx may be NULL (nothing happens).  Strings
 * live in `arena`.  Returns PT_ENOMEM only. */
pt_code pt_catalog_resolve(pt_arena *arena, const pt_catalog_index *idx,
                           const uint8_t *data, size_t len, const pt_pe_info *pe,
                           pt_signer *signer);

/* ---- end of describe: signatures ---- */

/* A driver file and its facts. */
typedef struct pt_driver {
    const char *path;
    const char *name;            /* file name, as found */
    uint64_t size;
    char sha256[65];             /* "" when not computed */
    bool pe_read;                /* pe holds facts */
    pt_pe_info pe;
    const pt_signer *signer;     /* NULL until issue 4 */
    const char *error;           /* why facts are missing, or NULL */
} pt_driver;

typedef struct pt_candidate {
    pt_driver *driver;
    double confidence;           /* 0..1 */
    pt_evidence_kind best;
    pt_evidence *evidence;
    size_t evidence_count;
} pt_candidate;

typedef struct pt_attribution {
    char tag[5];
    pt_candidate *candidates;    /* best first */
    size_t candidate_count;
} pt_attribution;

/* ------------------------------------------------------------------ */
/* describe: host                                                      */
/* ------------------------------------------------------------------ */

typedef struct pt_os_name {
    const char *alias;   /* "2012R2" */
    const char *name;    /* "Windows Server 2012 R2" */
    uint32_t major, minor, build;
} pt_os_name;

/* The table of CONTRACT.md ("2012R2" -> 6.3.9600), ended by alias NULL. */
const pt_os_name *pt_os_names(void);

typedef struct pt_host {
    const char *name;            /* --host or the case folder's name, or NULL */
    const char *os_version;      /* "6.3.9600.19000", or NULL */
    int64_t os_build;            /* 9600, or PT_UNKNOWN */
    const char *os_names[4];     /* friendly names sharing the build */
    size_t os_name_count;
    const char *os_source;       /* "ntoskrnl.exe", "--os", or NULL */
} pt_host;

/* Fills host->os_* from an --os value ("6.3.9600", "2012R2", ...). */
pt_code pt_host_set_os(pt_arena *arena, pt_host *host, const char *os,
                       const char *source, pt_error *err);

/* ------------------------------------------------------------------ */
/* judge: knowledge base                                               */
/* ------------------------------------------------------------------ */

typedef struct pt_kb pt_kb;

typedef struct pt_kb_ref {
    const char *kind;      /* vendor-kb, forum, advisory, changelog, issue, blog */
    const char *title;
    const char *url;
    const char *archived_url;
} pt_kb_ref;

typedef struct pt_kb_range {
    const char *id;
    const char *min_version;   /* NULL: open below */
    const char *max_version;   /* NULL: open above */
    const char *note;
} pt_kb_range;

typedef struct pt_kb_os {
    const char *nt;            /* "6.3", or NULL */
    int64_t build_min;         /* PT_UNKNOWN: open */
    int64_t build_max;
    const char *name;
} pt_kb_os;

typedef struct pt_kb_entry {
    const char *id;
    const char *title;
    const char *vendor;
    const char *product;
    const char *severity;
    const char *fixed_in;
    const char *workaround;
    const char *symptoms;
    const char *notes;
    const char **tags;     /* 4 characters each */
    size_t tag_count;
    const char **drivers;  /* file names */
    size_t driver_count;
    pt_kb_ref *refs;
    size_t ref_count;
    const char *pool;      /* "nonpaged", "paged" or NULL */
    const char *confidence;
    const char *author;
    const char *date;
    pt_kb_range *ranges;
    size_t range_count;
    pt_kb_os *os;
    size_t os_count;
} pt_kb_entry;

/* Opens a KB read-only.  PT_EKB when it is missing or has the wrong schema. */
pt_code pt_kb_open(const char *path, pt_kb **out, pt_error *err);
void pt_kb_close(pt_kb *kb);
/* The KB's version string ("1+3f2a..."), owned by kb. */
const char *pt_kb_version(const pt_kb *kb);
/* The path the KB was opened from, owned by kb. */
const char *pt_kb_path(const pt_kb *kb);
/* The underlying sqlite3 handle, for the rule engine and CLI listings. */
struct sqlite3 *pt_kb_db(pt_kb *kb);

/* Where the KB sources are.  tags_dir and rules_dir may be NULL. */
typedef struct pt_kb_sources {
    const char *issues_dir;   /* kb/issues: one file per known issue */
    const char *tags_dir;     /* kb/tags: tag facts */
    const char *rules_dir;    /* rules: rule files, and tests/<rule-id>/ cases */
} pt_kb_sources;

/* Compiles the sources into a new SQLite KB at out_path (written to a
 * temporary file, then renamed).  Every file is checked first; the first
 * invalid one gives PT_EKB (or PT_ERULE for a rule) with file:line.  The
 * same inputs give a byte-identical file. */
pt_code pt_kb_build_from(const pt_kb_sources *src, const char *out_path, pt_error *err);
/* The same, with tags_dir = issues_dir/../tags when that folder exists. */
pt_code pt_kb_build(const char *issues_dir, const char *rules_dir,
                    const char *out_path, pt_error *err);

/* Reads one KB entry (with references, ranges and OS builds) by id;
 * PT_EKB if absent. */
pt_code pt_kb_get(pt_arena *arena, pt_kb *kb, const char *id,
                  pt_kb_entry *out, pt_error *err);

/* The ids of the entries whose id, title, vendor, product, driver, tag,
 * symptoms or notes contain `term` (case-insensitive), in id order; every
 * entry when term is NULL. */
pt_code pt_kb_search(pt_arena *arena, pt_kb *kb, const char *term,
                     const char ***out, size_t *out_count, pt_error *err);

/* Checks the rows of a compiled KB (one that came from a feed) against the
 * rules `kb check` applies to sources: enum values, tag lengths, reference
 * kinds and URLs, dangling ids.  PT_EKB naming the first bad entry. */
pt_code pt_kb_check_db(pt_kb *kb, pt_error *err);

/* Counts of what a KB holds. */
typedef struct pt_kb_stats {
    size_t issues, tag_sets, tag_facts, rules, rule_cases;
} pt_kb_stats;
pt_code pt_kb_stats_read(pt_kb *kb, pt_kb_stats *out, pt_error *err);

/* ------------------------------------------------------------------ */
/* judge: rules                                                        */
/* ------------------------------------------------------------------ */

typedef enum pt_level {
    PT_LEVEL_CLEAN = 0,
    PT_LEVEL_INFO = 1,
    PT_LEVEL_SUSPECT = 2,
    PT_LEVEL_LIKELY = 3,
    PT_LEVEL_KNOWN = 4
} pt_level;

/* "clean", "info", "suspect", "likely", "known". */
const char *pt_level_name(pt_level level);
/* Parses a level name; false when unknown. */
bool pt_level_parse(const char *name, pt_level *out);

typedef struct pt_rule_source {
    const char *name;     /* file name, used in messages ("known-issue.lua") */
    const char *text;
    size_t len;
} pt_rule_source;

/* What a rule file declares about itself. */
typedef struct pt_rule_meta {
    const char *id;
    const char *title;
    const char *author;
} pt_rule_meta;

/* Loads a rule file in the sandbox, in a child process, and reads its
 * metadata.  PT_ERULE (err->where "file:line") when the file does not
 * compile or lacks an id, a title or an evaluate function. */
pt_code pt_rule_meta_read(pt_arena *arena, const char *name, const char *text,
                          size_t len, pt_rule_meta *out, pt_error *err);
/* The rule sources stored in a KB, by id. */
pt_code pt_rules_from_kb(pt_arena *arena, pt_kb *kb, pt_rule_source **out,
                         size_t *out_count, pt_error *err);
/* The *.lua files of a folder, by name. */
pt_code pt_rules_from_dir(pt_arena *arena, const char *dir, pt_rule_source **out,
                          size_t *out_count, pt_error *err);
/* The test cases a KB stores for one rule, by name. */
pt_code pt_rule_cases_from_kb(pt_arena *arena, pt_kb *kb, const char *rule_id,
                              pt_rule_source **out, size_t *out_count, pt_error *err);

typedef struct pt_verdict pt_verdict;

/* Runs one rule on the facts of a test case file (rules/tests/ID/NAME.lua):
 * out gets what the rule found, *failure is NULL when the findings are
 * exactly the expected ones, else says why not.  With rule NULL it only
 * reads and checks the case file.  PT_ERULE (err) when the case file is
 * broken; PT_ENOMEM. */
pt_code pt_rule_case_run(pt_arena *arena, pt_kb *kb, const pt_rule_source *rule,
                         const char *case_name, const char *text, size_t len,
                         pt_verdict *out, const char **failure, pt_error *err);

typedef struct pt_finding {
    const char *rule;
    pt_level level;
    const char *title;
    const char *explanation;
    char tag[5];                 /* "" when none */
    const char **tags;
    size_t tag_count;
    bool has_pool;
    pt_pool_type pool;
    uint64_t bytes;
    double share;
    const pt_driver *driver;     /* or NULL */
    const pt_candidate *candidate; /* the attribution behind driver, or NULL */
    const pt_kb_entry *kb;       /* or NULL */
    const char *range_id;        /* the KB's affected-range id, or NULL */
    const char *action;          /* what to do next, or NULL */
    char fingerprint[65];
} pt_finding;

typedef struct pt_rule_error {
    const char *rule;
    const char *where;
    const char *message;
} pt_rule_error;

/* ------------------------------------------------------------------ */
/* triage: the whole pipeline                                          */
/* ------------------------------------------------------------------ */

typedef struct pt_pool_input {
    const char *path;
    const char *at;              /* --at TIME, or NULL */
} pt_pool_input;

typedef struct pt_triage_opts {
    const char **case_dirs;   size_t case_dir_count;
    pt_pool_input *pools;     size_t pool_count;
    const char **driver_dirs; size_t driver_dir_count;
    const char **roots;       size_t root_count;
    const char *os;              /* --os, or NULL */
    const char *host;            /* --host, or NULL */
    const char *kb_path;         /* resolved KB path (the CLI picks the default) */
    const char *rules_dir;       /* --rules DIR, or NULL for the KB's rules */
    const char *pooltag;         /* --pooltag FILE, or NULL */
    pt_capture_format pool_format;
    bool no_cache;               /* --no-cache: read every driver again */
    const char *cache_path;      /* the scan cache, or NULL for the default */
    void (*progress)(void *ctx, size_t done, size_t total); /* scan progress, or NULL */
    void *progress_ctx;
} pt_triage_opts;

/* A non-fatal problem with one input. */
typedef struct pt_input_error {
    const char *source;
    const char *where;
    const char *message;
} pt_input_error;

/* A file found in the driver folders, by name. */
typedef struct pt_file_ref {
    const char *name;
    const char *path;
} pt_file_ref;

struct pt_verdict {
    const char *tool_version;
    const char *kb_version;
    pt_host host;
    pt_snapshot *snapshots;      size_t snapshot_count;   /* in time order */
    pt_suspect *suspects;        size_t suspect_count;
    pt_driver *drivers;          size_t driver_count;
    pt_attribution *attributions; size_t attribution_count;
    const char **searched;       size_t searched_count;   /* driver folders scanned */
    pt_file_ref *driver_files;   size_t driver_file_count; /* every *.sys found there */
    const char **roots;          size_t root_count;       /* Windows trees (--root, case folders) */
    pt_finding *findings;        size_t finding_count;    /* most severe first */
    pt_rule_error *rule_errors;  size_t rule_error_count;
    pt_input_error *errors;      size_t error_count;
    pt_level level;
};

/* Runs collect, rank, scan, attribute, describe, judge.  A run that cannot
 * complete returns an error (inputs: PT_EIO/PT_EFORMAT, KB: PT_EKB, rules:
 * PT_ERULE); problems that do not stop it are in out->errors and
 * out->rule_errors. */
pt_code pt_triage(pt_arena *arena, const pt_triage_opts *opts, pt_verdict *out,
                  pt_error *err);

/* ------------------------------------------------------------------ */
/* report                                                              */
/* ------------------------------------------------------------------ */

typedef struct pt_report_opts {
    bool color;                  /* ANSI colour (text only) */
    bool pretty;                 /* indented JSON */
} pt_report_opts;

/* The verdict as text for a person: the verdict line first, then the chain
 * of evidence, then what to do. */
void pt_report_text(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out);
/* The verdict as one line of JSON (schema pooltriage.verdict/1), with a
 * trailing newline. */
void pt_report_json(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out);

/* The verdict as a Markdown ticket body (issue 7): a summary, then per
 * finding the evidence table, the KB, forum and archived links, the
 * workaround and fixed version; then the raw top-10 pool table. */
void pt_report_markdown(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out);
/* The verdict as CSV (RFC 4180, CRLF): a header row, then one row per
 * finding (a clean verdict gives the header only).  The columns are listed
 * in docs/fleet.md.  Text cells starting with = + - @ are prefixed with '
 * so that a spreadsheet does not run them as formulas. */
void pt_report_csv(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out);

/* Whether to colour text: `when` is "always", "never" or "auto"/NULL; auto
 * colours only when stdout is a terminal and NO_COLOR (its value passed as
 * no_color, NULL when unset) is unset or empty (https://no-color.org). */
bool pt_report_want_color(const char *when, bool is_tty, const char *no_color);

/* ---- fleet (fleet.c, fleet_report.c): many verdicts, one entry per problem ---- */

/* What one problem (one fingerprint) looks like across the fleet.  Strings
 * belong to the pt_fleet; NULL when no report gave them. */
typedef struct pt_fleet_ref {
    const char *kind, *title, *url, *archived_url;
} pt_fleet_ref;

typedef struct pt_fleet_problem {
    char fingerprint[65];
    const char *rule;
    pt_level level;              /* the highest level any report gave it */
    const char *title;
    const char *kb_id, *kb_title, *fixed_in;
    const char *tag;             /* the largest tag, from the first report */
    const char *pool;            /* "nonpaged", "paged" or NULL */
    const char *driver;          /* driver file name, or NULL */
    const char **versions;       /* distinct driver file versions seen (capped) */
    size_t version_count;
    pt_fleet_ref *refs;          /* from the first report that had any */
    size_t ref_count;
    const char *action;
    size_t host_count;           /* distinct host names */
    bool host_count_approx;      /* past PT_FLEET_MAX_TRACKED_HOSTS: reports counted */
    const char **hosts;          /* the first PT_FLEET_MAX_HOST_NAMES names, in order seen */
    size_t host_name_count;
    size_t report_count;         /* reports that had this problem */
    int64_t first_seen, last_seen; /* capture times, Unix seconds, or PT_UNKNOWN */
    int64_t bytes_min, bytes_max;  /* the finding's bytes, or PT_UNKNOWN */
} pt_fleet_problem;

typedef struct pt_fleet pt_fleet;

/* Called for a report that is skipped (not JSON, not a verdict): `where`
 * is "file:line", `message` says what is wrong.  The library never prints. */
typedef void (*pt_fleet_warn_fn)(void *ctx, const char *where, const char *message);

/* A new, empty aggregate; NULL on out of memory.  pt_fleet_close(NULL) is
 * a no-op.  warn may be NULL (bad reports are then only counted). */
pt_fleet *pt_fleet_open(pt_fleet_warn_fn warn, void *ctx);
void pt_fleet_close(pt_fleet *fleet);

/* Adds one verdict document held in memory; `name` and `line` say where it
 * came from.  A document that is not a pooltriage.verdict/1 is reported to
 * the warn function, counted as skipped, and PT_EFORMAT returned; the
 * aggregate is unchanged then.  PT_ENOMEM. */
pt_code pt_fleet_add_json(pt_fleet *fleet, const char *text, size_t len,
                          const char *name, uint32_t line, pt_error *err);
/* Adds every document read from a file descriptor: one JSON object, several, or JSON Lines,
 * read in chunks (never whole).  Bad documents are skipped (warn); only
 * I/O errors, PT_ENOMEM and PT_ELIMIT (too many problems) return. */
pt_code pt_fleet_add_fd(pt_fleet *fleet, int fd, const char *name, pt_error *err);
/* Adds a REPORT argument: a file, a folder (its *.json and *.jsonl files,
 * recursively, in name order) or "-" (stdin).  PT_EIO when it is missing. */
pt_code pt_fleet_add_path(pt_fleet *fleet, const char *path, pt_error *err);

/* Counts: documents read as verdicts, documents skipped, distinct hosts
 * (approximate past PT_FLEET_MAX_TRACKED_HOSTS), verdicts with no finding. */
typedef struct pt_fleet_stats {
    size_t reports, skipped, hosts, clean;
    bool hosts_approx;
} pt_fleet_stats;
void pt_fleet_stats_get(const pt_fleet *fleet, pt_fleet_stats *out);

/* The problems, most severe first, then most hosts, then by fingerprint
 * (sorted on first call after an add).  The pointers stay valid until the
 * next add or close. */
size_t pt_fleet_count(pt_fleet *fleet);
const pt_fleet_problem *pt_fleet_problem_at(pt_fleet *fleet, size_t index);
/* The highest level of any problem (PT_LEVEL_CLEAN when none). */
pt_level pt_fleet_level(pt_fleet *fleet);

/* Reports of the whole fleet: text (colour when opts->color), Markdown,
 * one line of JSON (schema pooltriage.fleet/1) and CSV (one row per
 * problem).  Formats are described in docs/fleet.md. */
void pt_fleet_report_text(pt_fleet *fleet, const pt_report_opts *opts, pt_buf *out);
void pt_fleet_report_markdown(pt_fleet *fleet, const pt_report_opts *opts, pt_buf *out);
void pt_fleet_report_json(pt_fleet *fleet, const pt_report_opts *opts, pt_buf *out);
void pt_fleet_report_csv(pt_fleet *fleet, const pt_report_opts *opts, pt_buf *out);
/* One problem: as a Markdown ticket body, and as one JSON object (the
 * element of "problems" in the fleet JSON), for the ticket payloads. */
void pt_fleet_problem_markdown(const pt_fleet_problem *p, pt_buf *out);
void pt_fleet_problem_json(const pt_fleet_problem *p, pt_buf *out);

/* ---- end of fleet ---- */

/* The stable fingerprint of a finding: sha256 hex of
 * "rule|kb id or tag|driver name lower case|range id or numeric version". */
void pt_fingerprint(const char *rule, const char *kb_id, const char *tag,
                    const char *driver_name, const char *range_or_version,
                    char out[65]);

#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_H */
