/*
 * capture.c - collect stage entry: decodes a capture's bytes to UTF-8 text,
 * tells which tool printed it and hands it to poolmon.c or poolused.c.  Also
 * holds the row collector those parsers share.
 */
#include "pooltriage/pooltriage.h"
#include "collect_int.h"
#include "pooltriage/limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define REPLACEMENT 0xFFFDu

/* ---- errors and snapshots ---- */

pt_code pt_capture_fail(pt_error *err, pt_code code, const char *name,
                        uint32_t line, const char *fmt, ...)
{
    char where[512];
    char message[512];
    snprintf(where, sizeof where, "%s:%u", name, (unsigned)line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return pt_error_set(err, code, where, "%s", message);
}

void pt_snapshot_init(pt_snapshot *out, const char *name, pt_capture_format fmt)
{
    memset(out, 0, sizeof *out);
    out->source = name;
    out->format = fmt;
    out->time = PT_UNKNOWN;
    out->time_source = PT_TIME_NONE;
    out->session_id = -1;
    out->memory_kb = out->avail_kb = out->commit_kb = PT_UNKNOWN;
    out->limit_kb = out->peak_kb = PT_UNKNOWN;
    out->nonpaged_kb = out->paged_kb = out->nonpaged_max_kb = PT_UNKNOWN;
    out->nonpaged_bytes = out->paged_bytes = PT_UNKNOWN;
}

bool pt_snapshot_pool_total(const pt_snapshot *snap, pt_pool_type pool, uint64_t *out)
{
    int64_t bytes = pool == PT_POOL_PAGED ? snap->paged_bytes : snap->nonpaged_bytes;
    int64_t kb = pool == PT_POOL_PAGED ? snap->paged_kb : snap->nonpaged_kb;
    if (bytes >= 0) {
        *out = (uint64_t)bytes;
        return true;
    }
    if (kb >= 0 && (uint64_t)kb <= UINT64_MAX / 1024u) {
        *out = (uint64_t)kb * 1024u;
        return true;
    }
    return false;
}

uint64_t pt_snapshot_rows_bytes(const pt_snapshot *snap, pt_pool_type pool)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < snap->row_count; i++)
        if (snap->rows[i].pool == pool)
            sum = snap->rows[i].bytes > UINT64_MAX - sum ? UINT64_MAX
                                                         : sum + snap->rows[i].bytes;
    return sum;
}

uint64_t pt_snapshot_pool_bytes(const pt_snapshot *snap, pt_pool_type pool)
{
    uint64_t total = 0, sum = pt_snapshot_rows_bytes(snap, pool);
    if (pt_snapshot_pool_total(snap, pool, &total) && total >= sum)
        return total;
    return sum; /* no total, or rows past it: shares against the rows' sum */
}

/* ---- row collector ---- */

pt_code pt_capture_rows_add(pt_capture_rows *b, const pt_pool_row *row,
                            const char *name, pt_error *err)
{
    if (b->count >= PT_MAX_CAPTURE_ROWS)
        return pt_capture_fail(err, PT_ELIMIT, name, row->line,
                               "more than %u rows in one capture",
                               PT_MAX_CAPTURE_ROWS);
    if (!PT_PUSH(b->rows, b->count, b->cap, *row))
        return pt_capture_fail(err, PT_ENOMEM, name, row->line, "out of memory");
    return PT_OK;
}

pt_code pt_capture_rows_skip(pt_capture_rows *b, uint32_t line,
                             const char *name, pt_error *err,
                             const char *fmt, ...)
{
    if (b->skipped_count > PT_MAX_CAPTURE_ISSUES)
        return PT_OK;
    char message[512];
    if (b->skipped_count == PT_MAX_CAPTURE_ISSUES) {
        snprintf(message, sizeof message,
                 "more rows were skipped from here on; they are not listed");
    } else {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof message, fmt, ap);
        va_end(ap);
    }
    pt_parse_issue issue = {line, pt_arena_strdup(b->arena, message)};
    if (issue.message == NULL ||
        !PT_PUSH(b->skipped, b->skipped_count, b->skipped_cap, issue))
        return pt_capture_fail(err, PT_ENOMEM, name, line, "out of memory");
    return PT_OK;
}

pt_code pt_capture_rows_finish(pt_capture_rows *b, pt_snapshot *out,
                               const char *name, pt_error *err)
{
    if (!pt_arena_adopt(b->arena, b->rows)) {
        b->rows = NULL;
        return pt_error_set(err, PT_ENOMEM, name, "out of memory");
    }
    out->rows = b->rows;
    out->row_count = b->count;
    b->rows = NULL;
    if (!pt_arena_adopt(b->arena, b->skipped)) {
        b->skipped = NULL;
        return pt_error_set(err, PT_ENOMEM, name, "out of memory");
    }
    out->skipped = b->skipped;
    out->skipped_count = b->skipped_count;
    b->skipped = NULL;
    return PT_OK;
}

void pt_capture_rows_free(pt_capture_rows *b)
{
    if (b == NULL)
        return;
    pt_free(b->rows);
    pt_free(b->skipped);
    b->rows = NULL;
    b->skipped = NULL;
}

/* ---- decoding ---- */

/* A NUL never occurs in a text capture: where is "[name, ]offset 0x..". */
static pt_code binary_file(pt_error *err, const char *name, size_t offset)
{
    char where[512];
    snprintf(where, sizeof where, "%s%soffset 0x%zx", name, *name ? ", " : "",
             offset);
    return pt_error_set(err, PT_EFORMAT, where, "binary file");
}

static size_t utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static uint32_t utf16_unit(const uint8_t *p, bool big_endian)
{
    return big_endian ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

/* Reads the code point at data[*i] (a whole number of units remain or one
 * odd byte); lone surrogates and an odd last byte become U+FFFD. */
static uint32_t utf16_next(const uint8_t *data, size_t len, size_t *i,
                           bool big_endian)
{
    if (len - *i < 2) {
        *i = len;
        return REPLACEMENT;
    }
    uint32_t u = utf16_unit(data + *i, big_endian);
    *i += 2;
    if (u < 0xD800 || u > 0xDFFF)
        return u;
    if (u >= 0xDC00 || len - *i < 2)
        return REPLACEMENT;
    uint32_t lo = utf16_unit(data + *i, big_endian);
    if (lo < 0xDC00 || lo > 0xDFFF)
        return REPLACEMENT;
    *i += 2;
    return 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
}

/* Every UTF-16 unit gives at most 3 bytes of UTF-8 (a pair of units 4). */
static pt_code decode_utf16(pt_arena *arena, const uint8_t *data, size_t len,
                            size_t base, bool big_endian, char **out,
                            size_t *out_len, pt_error *err)
{
    char *text = pt_arena_alloc(arena, len / 2 * 3 + 4);
    if (text == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t cp = utf16_next(data, len, &i, big_endian);
        if (cp == 0)
            return binary_file(err, "", base + at);
        n += utf8_put(text + n, cp);
    }
    text[n] = '\0';
    *out = text;
    *out_len = n;
    return PT_OK;
}

/* UTF-16LE without a BOM: the first two characters are ASCII. */
static bool looks_utf16le(const uint8_t *data, size_t len)
{
    return len >= 4 && len % 2 == 0 && data[0] != 0 && data[1] == 0 &&
           data[2] != 0 && data[3] == 0 && data[0] < 0x80 && data[2] < 0x80;
}

pt_code pt_text_decode(pt_arena *arena, const uint8_t *data, size_t len,
                       char **out, size_t *out_len, pt_error *err)
{
    if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
        return decode_utf16(arena, data + 2, len - 2, 2, false, out, out_len, err);
    if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
        return decode_utf16(arena, data + 2, len - 2, 2, true, out, out_len, err);
    if (looks_utf16le(data, len))
        return decode_utf16(arena, data, len, 0, false, out, out_len, err);
    size_t skip = 0;
    if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        skip = 3;
    const uint8_t *nul = len > skip ? memchr(data + skip, 0, len - skip) : NULL;
    if (nul != NULL)
        return binary_file(err, "", (size_t)(nul - data));
    char *text = pt_arena_strndup(arena, (const char *)data + skip, len - skip);
    if (text == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    *out = text;
    *out_len = len - skip;
    return PT_OK;
}

/* ---- detection and entry points ---- */

static pt_capture_format detect(const char *text, size_t len)
{
    pt_line_iter it;
    pt_text_line line;
    size_t tag_col;
    pt_line_iter_init(&it, text, len);
    while (pt_line_next(&it, &line)) {
        if (line.len > PT_MAX_LINE_BYTES)
            continue;
        if (pt_poolmon_is_header(&line, &tag_col))
            return PT_FMT_POOLMON_CONSOLE; /* poolmon.c tells console from -n */
        if (pt_poolused_is_header(&line))
            return PT_FMT_POOLUSED;
    }
    return PT_FMT_UNKNOWN;
}

pt_code pt_capture_parse(pt_arena *arena, const char *name, const char *text,
                         size_t len, pt_capture_format hint, pt_snapshot *out,
                         pt_error *err)
{
    if (name == NULL)
        name = "<capture>";
    const char *nul = memchr(text, 0, len);
    if (nul != NULL)
        return binary_file(err, name, (size_t)(nul - text));
    const char *source = pt_arena_strdup(arena, name);
    if (source == NULL)
        return pt_error_set(err, PT_ENOMEM, name, "out of memory");
    pt_capture_format fmt = hint != PT_FMT_UNKNOWN ? hint : detect(text, len);
    switch (fmt) {
    case PT_FMT_POOLUSED:
        return pt_poolused_parse(arena, source, text, len, out, err);
    case PT_FMT_POOLMON_CONSOLE:
    case PT_FMT_POOLMON_SNAPSHOT:
        return pt_poolmon_parse(arena, source, text, len, hint, out, err);
    case PT_FMT_UNKNOWN:
        break;
    }
    return pt_capture_fail(err, PT_EFORMAT, name, 1,
                           "no poolmon header line (\"Tag  Type  Allocs ...\") "
                           "or !poolused header line (\"Tag  Allocs  Used ...\") found");
}

pt_code pt_capture_load(pt_arena *arena, const char *path,
                        pt_capture_format hint, pt_snapshot *out,
                        pt_error *err)
{
    uint8_t *data = NULL;
    size_t len = 0;
    char *text = NULL;
    size_t text_len = 0;
    pt_code rc = pt_file_read(arena, path, PT_MAX_CAPTURE_BYTES, &data, &len, err);
    if (rc != PT_OK)
        return rc;
    rc = pt_text_decode(arena, data, len, &text, &text_len, err);
    if (rc != PT_OK) {
        if (err != NULL) { /* where: "offset 0x.." or "" -> "path, offset 0x.." */
            char offset[sizeof err->where];
            memcpy(offset, err->where, sizeof offset);
            if (snprintf(err->where, sizeof err->where, "%s%s%s", path,
                         *offset ? ", " : "", offset) < 0)
                err->where[0] = '\0';
        }
        return rc;
    }
    return pt_capture_parse(arena, path, text, text_len, hint, out, err);
}
