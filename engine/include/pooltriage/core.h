/*
 * pooltriage/core.h - errors, memory, buffers, files, hashes and versions: the core every stage uses.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_CORE_H
#define POOLTRIAGE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PT_VERSION "0.1.0"
#define PT_VERDICT_SCHEMA "pooltriage.verdict/2"
/* The previous schema, still read by fleet and ticket. */
#define PT_VERDICT_SCHEMA_V1 "pooltriage.verdict/1"

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
/* Moves everything `from` owns into `arena` (no copy: pointers into it stay
 * valid) and frees `from`; NULL is a no-op.  Lets each worker thread fill
 * its own arena and hand the result over at the end. */
void pt_arena_absorb(pt_arena *arena, pt_arena *from);

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

/* Lower-case hex of n bytes into out (2n + 1 bytes, NUL-terminated). */
void pt_hex_into(const uint8_t *bytes, size_t n, char *out);
/* Hex of a sha256 digest of a buffer (out: 65 bytes). */
void pt_sha256_hex(const void *data, size_t len, char out[65]);


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
/* Reads a version as a KB source writes it, and nothing else: an optional
 * vendor prefix of letters, '_' or '-' ending in '.' ("SYSCORE."), then 1
 * to 4 dot-separated decimal numbers.  "18.10.0.189", "0.9995", "1.77" and
 * "SYSCORE.18.10.0.189" parse; "two", "2.4.1.x", "v2", "1..2" and "" do
 * not.  The prefix is a label: only the numbers are compared. */
bool pt_version_parse_strict(const char *s, pt_version *out);
/* A vendor release scheme's numeric pattern: four dot-separated parts,
 * each a literal number, "{n}" (part n of the release) or "*" (any):
 * "5.{1}.{2}.*" says Npcap release 0.9995 is numeric 5.0.9995.x.  True
 * when the pattern is well formed and maps release parts {1}..{n}. */
bool pt_version_pattern_check(const char *pattern);
/* The release a numeric version stands for under `pattern`: 5.0.9995.709
 * under "5.{1}.{2}.*" is 0.9995.  False when a literal part differs (the
 * numeric version is not in the scheme) or the pattern is malformed. */
bool pt_version_from_pattern(const char *pattern, const pt_version *numeric,
                             pt_version *out);


/* ---- pool tags ---- */

/* The one rule for a tag, wherever it comes from (a capture, --tag, a KB
 * file, a rule, a verdict): 1 to 4 printable ASCII characters (0x20-0x7e),
 * not all spaces, padded with spaces to 4 as poolmon shows it ("Irp" is "Irp ").  out gets
 * the 4 characters and a NUL; false (out unchanged) for anything else. */
bool pt_tag_normalize(const char *s, size_t len, char out[5]);
/* The message for a tag pt_tag_normalize refuses. */
#define PT_TAG_RULE "1 to 4 printable ASCII characters"

/* Patterns (poolmon /i /x, !poolused): * any run, ? one. */

/* True when the pattern holds * or ?. */
bool pt_tag_is_glob(const char *pattern);
/* Whether a 4-character tag matches: * stands for any run of characters
 * (spaces too), ? for one; the end of a short pattern matches only the
 * spaces that pad the tag ("Irp" is "Irp ").  Case-sensitive, as tags are. */
bool pt_tag_glob_match(const char *pattern, const char tag[4]);
/* The printable 4-character tags the pattern stands for, sorted, each
 * NUL-terminated, in a pt_malloc'd array (pt_free it).  PT_ELIMIT, naming
 * the pattern, when there are more than max.  PT_ENOMEM. */
pt_code pt_tag_glob_expand(const char *pattern, size_t max, char (**out)[5], size_t *count,
                           pt_error *err);

/* ---- small helpers every stage, the CLI and fetch share ---- */

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

/* Times (core/time.c). */

/* Reads a UTC time: with `whole`, the text must be one ISO-8601 time
 * ("2026-11-20T08:00:00Z", "2026-11-20 08:00"); else the first timestamp
 * inside a file name ("pool_20261120_0800.txt"). */
bool pt_time_parse(const char *text, bool whole, int64_t *out);
/* "2026-11-20T08:00:00Z". */
void pt_time_format(int64_t t, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_CORE_H */
