/*
 * util.c - errors, the allocation wrapper (with fault injection), the run
 * arena, growable buffers, whole-file reads and sha256.  Shared by every
 * stage; it holds no pipeline logic.
 */
#include "pooltriage/pooltriage.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

/* ---- errors ---- */

pt_code pt_error_set(pt_error *err, pt_code code, const char *where,
                     const char *fmt, ...)
{
    if (err == NULL)
        return code;
    /* formatted aside first: callers pass err->where or err->message back
     * in ("%s; more", err->message), which must not overlap the output */
    char w[sizeof err->where], m[sizeof err->message];
    size_t wl = where ? strlen(where) : 0;
    if (wl < sizeof w) {
        snprintf(w, sizeof w, "%s", where ? where : "");
    } else { /* a deep path: its end names the file and the line, so keep that */
        const char *tail = where + wl - (sizeof w - 4);
        while ((*tail & 0xC0) == 0x80)   /* not in the middle of a UTF-8 character */
            tail++;
        snprintf(w, sizeof w, "...%s", tail);
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    err->code = code;
    memcpy(err->where, w, sizeof w);
    memcpy(err->message, m, sizeof m);
    return code;
}

pt_code pt_error_recode(pt_error *err, pt_code code)
{
    if (err)
        err->code = code;
    return code;
}

const char *pt_code_name(pt_code code)
{
    switch (code) {
    case PT_OK: return "ok";
    case PT_ENOMEM: return "out of memory";
    case PT_EIO: return "i/o error";
    case PT_EFORMAT: return "bad input";
    case PT_ELIMIT: return "limit exceeded";
    case PT_EKB: return "knowledge base error";
    case PT_ERULE: return "rule error";
    case PT_ENET: return "network error";
    case PT_EUSAGE: return "usage error";
    }
    return "unknown error";
}

/* ---- allocation ---- */

static long fail_after = -1;

static bool alloc_should_fail(void)
{
    if (fail_after < 0)
        return false;
    if (fail_after == 0)
        return true;
    fail_after--;
    return false;
}

void pt_alloc_fail_after(long n) { fail_after = n; }

void *pt_malloc(size_t len)
{
    if (alloc_should_fail())
        return NULL;
    return malloc(len ? len : 1);
}

void *pt_calloc(size_t count, size_t len)
{
    if (alloc_should_fail())
        return NULL;
    return calloc(count ? count : 1, len ? len : 1);
}

void *pt_realloc(void *ptr, size_t len)
{
    if (alloc_should_fail())
        return NULL;
    return realloc(ptr, len ? len : 1);
}

void pt_free(void *ptr) { free(ptr); }

bool pt_grow(void **items, size_t *cap, size_t need, size_t item_len)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / item_len)
            return false;
        ncap *= 2;
    }
    void *p = pt_realloc(*items, ncap * item_len);
    if (p == NULL)
        return false;
    *items = p;
    *cap = ncap;
    return true;
}

/* ---- arena ---- */

#define ARENA_CHUNK (64u * 1024u)

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    max_align_t data[];
} arena_chunk;

typedef struct adopted {
    struct adopted *next;
    void *block;
} adopted;

struct pt_arena {
    arena_chunk *chunks;
    adopted *adopted;
};

pt_arena *pt_arena_new(void)
{
    return pt_calloc(1, sizeof(pt_arena));
}

void pt_arena_free(pt_arena *arena)
{
    if (arena == NULL)
        return;
    for (arena_chunk *c = arena->chunks, *n; c; c = n) {
        n = c->next;
        pt_free(c);
    }
    for (adopted *a = arena->adopted, *n; a; a = n) {
        n = a->next;
        pt_free(a->block);
        pt_free(a);
    }
    pt_free(arena);
}

void *pt_arena_alloc(pt_arena *arena, size_t len)
{
    const size_t align = _Alignof(max_align_t);
    if (len > SIZE_MAX - align)
        return NULL;
    len = (len + align - 1) / align * align;
    if (len == 0)
        len = align;
    arena_chunk *c = arena->chunks;
    if (c == NULL || c->cap - c->used < len) {
        size_t cap = len > ARENA_CHUNK / 4 ? len : ARENA_CHUNK;
        c = pt_malloc(sizeof(arena_chunk) + cap);
        if (c == NULL)
            return NULL;
        c->used = 0;
        c->cap = cap;
        if (len > ARENA_CHUNK / 4 && arena->chunks != NULL) {
            /* a big block: keep the current chunk for small ones */
            c->next = arena->chunks->next;
            arena->chunks->next = c;
        } else {
            c->next = arena->chunks;
            arena->chunks = c;
        }
    }
    void *p = (char *)c->data + c->used;
    c->used += len;
    memset(p, 0, len);
    return p;
}

char *pt_arena_strndup(pt_arena *arena, const char *s, size_t len)
{
    if (s == NULL)
        return NULL;
    char *p = pt_arena_alloc(arena, len + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *pt_arena_strdup(pt_arena *arena, const char *s)
{
    return s ? pt_arena_strndup(arena, s, strlen(s)) : NULL;
}

char *pt_arena_printf(pt_arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = pt_arena_alloc(arena, (size_t)n + 1);
    if (p == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

bool pt_arena_adopt(pt_arena *arena, void *block)
{
    if (block == NULL)
        return true;
    adopted *a = pt_malloc(sizeof *a);
    if (a == NULL) {
        pt_free(block);
        return false;
    }
    a->block = block;
    a->next = arena->adopted;
    arena->adopted = a;
    return true;
}

void pt_arena_absorb(pt_arena *arena, pt_arena *from)
{
    if (from == NULL)
        return;
    /* `from`'s chunks go behind the current one, which stays in front for
     * the next small allocations */
    arena_chunk **tail = &from->chunks;
    while (*tail)
        tail = &(*tail)->next;
    if (arena->chunks != NULL) {
        *tail = arena->chunks->next;
        arena->chunks->next = from->chunks;
    } else {
        arena->chunks = from->chunks;
    }
    adopted **atail = &from->adopted;
    while (*atail)
        atail = &(*atail)->next;
    *atail = arena->adopted;
    arena->adopted = from->adopted;
    pt_free(from);
}

/* ---- buffers ---- */

void pt_buf_append(pt_buf *buf, const char *s, size_t len)
{
    if (buf->failed)
        return;
    if (buf->len + len + 1 > buf->cap) {
        size_t cap = buf->cap ? buf->cap : 256;
        while (cap < buf->len + len + 1)
            cap *= 2;
        char *p = pt_realloc(buf->data, cap);
        if (p == NULL) {
            buf->failed = true;
            return;
        }
        buf->data = p;
        buf->cap = cap;
    }
    memcpy(buf->data + buf->len, s, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
}

void pt_buf_puts(pt_buf *buf, const char *s) { pt_buf_append(buf, s, strlen(s)); }

void pt_buf_printf(pt_buf *buf, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        pt_buf_append(buf, small, (size_t)n);
        return;
    }
    char *big = pt_malloc((size_t)n + 1);
    if (big == NULL) {
        buf->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    pt_buf_append(buf, big, (size_t)n);
    pt_free(big);
}

void pt_buf_free(pt_buf *buf)
{
    if (buf == NULL)
        return;
    pt_free(buf->data);
    memset(buf, 0, sizeof *buf);
}

void pt_hex_into(const uint8_t *bytes, size_t n, char *out)
{
    static const char hexd[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexd[bytes[i] >> 4];
        out[2 * i + 1] = hexd[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

void pt_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
        out[0] = '\0';
        return;
    }
    pt_hex_into(md, mdlen, out);
}

/* ---- small name tables ---- */

const char *pt_pool_type_name(pt_pool_type pool)
{
    return pool == PT_POOL_PAGED ? "paged" : "nonpaged";
}

const char *pt_time_source_name(pt_time_source src)
{
    switch (src) {
    case PT_TIME_CONTENT: return "content";
    case PT_TIME_NAME: return "name";
    case PT_TIME_AT: return "--at";
    case PT_TIME_MTIME: return "mtime";
    case PT_TIME_NONE: break;
    }
    return NULL;
}

const char *pt_capture_format_name(pt_capture_format fmt)
{
    switch (fmt) {
    case PT_FMT_POOLMON_CONSOLE: return "poolmon-console";
    case PT_FMT_POOLMON_SNAPSHOT: return "poolmon-snapshot";
    case PT_FMT_POOLUSED: return "poolused";
    case PT_FMT_UNKNOWN: break;
    }
    return "unknown";
}

pt_capture_format pt_capture_format_parse(const char *name)
{
    static const pt_capture_format all[] = {PT_FMT_POOLMON_CONSOLE,
                                            PT_FMT_POOLMON_SNAPSHOT, PT_FMT_POOLUSED};
    for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++)
        if (strcmp(name, pt_capture_format_name(all[i])) == 0)
            return all[i];
    return PT_FMT_UNKNOWN;
}

const char *pt_level_name(pt_level level)
{
    static const char *names[] = {"clean", "info", "suspect", "likely", "known"};
    return (unsigned)level <= PT_LEVEL_KNOWN ? names[level] : "clean";
}

bool pt_level_parse(const char *name, pt_level *out)
{
    for (int l = PT_LEVEL_CLEAN; l <= PT_LEVEL_KNOWN; l++)
        if (name && strcmp(name, pt_level_name((pt_level)l)) == 0) {
            *out = (pt_level)l;
            return true;
        }
    return false;
}

const char *pt_evidence_kind_name(pt_evidence_kind kind)
{
    switch (kind) {
    case PT_EV_IMMEDIATE: return "immediate";
    case PT_EV_CODE: return "code";
    case PT_EV_FILE: return "file";
    case PT_EV_HINT: return "hint";
    }
    return "file";
}

/* ---- text from untrusted places ---- */

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
             : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n == 0 || (size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
        (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
        return 0; /* overlong, surrogate, or past U+10FFFF */
    return n;
}

char *pt_arena_clean_text(pt_arena *arena, const char *s, size_t len)
{
    if (s == NULL)
        return NULL;
    char *out = pt_arena_alloc(arena, len + 1);
    if (out == NULL)
        return NULL;
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    size_t o = 0;
    while (p < end) {
        size_t n = utf8_len(p, end);
        if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7f))) {
            out[o++] = '?';   /* a control character or broken UTF-8 */
            p++;
            continue;
        }
        memcpy(out + o, p, n);
        o += n;
        p += n;
    }
    out[o] = '\0';
    return out;
}
