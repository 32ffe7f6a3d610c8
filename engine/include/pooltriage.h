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

/* The signature facts of a file.  The first four fields are part of the
 * verdict JSON contract; keep them. */
typedef struct pt_signer {
    const char *status;     /* "signed", "invalid", "unsigned" */
    const char *subject;
    const char *issuer;
    const char *signing_time;
} pt_signer;

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
} pt_kb_entry;

/* Opens a KB read-only.  PT_EKB when it is missing or has the wrong schema. */
pt_code pt_kb_open(const char *path, pt_kb **out, pt_error *err);
void pt_kb_close(pt_kb *kb);
/* The KB's version string ("1+3f2a..."), owned by kb. */
const char *pt_kb_version(const pt_kb *kb);
/* The underlying sqlite3 handle, for the rule engine and CLI listings. */
struct sqlite3 *pt_kb_db(pt_kb *kb);

/* Compiles kb/ issue files and rules/ rule files into a new SQLite KB at
 * out_path (written to a temporary file, then renamed).  Reproducible. */
pt_code pt_kb_build(const char *issues_dir, const char *rules_dir,
                    const char *out_path, pt_error *err);

/* Reads one KB entry (with references) by id; PT_EKB if absent. */
pt_code pt_kb_get(pt_arena *arena, pt_kb *kb, const char *id,
                  pt_kb_entry *out, pt_error *err);

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
} pt_triage_opts;

/* A non-fatal problem with one input. */
typedef struct pt_input_error {
    const char *source;
    const char *where;
    const char *message;
} pt_input_error;

typedef struct pt_verdict {
    const char *tool_version;
    const char *kb_version;
    pt_host host;
    pt_snapshot *snapshots;      size_t snapshot_count;   /* in time order */
    pt_suspect *suspects;        size_t suspect_count;
    pt_driver *drivers;          size_t driver_count;
    pt_attribution *attributions; size_t attribution_count;
    const char **searched;       size_t searched_count;   /* driver folders scanned */
    pt_finding *findings;        size_t finding_count;    /* most severe first */
    pt_rule_error *rule_errors;  size_t rule_error_count;
    pt_input_error *errors;      size_t error_count;
    pt_level level;
} pt_verdict;

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

/* The stable fingerprint of a finding: sha256 hex of
 * "rule|kb id or tag|driver name lower case|range id or numeric version". */
void pt_fingerprint(const char *rule, const char *kb_id, const char *tag,
                    const char *driver_name, const char *range_or_version,
                    char out[65]);

#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_H */
