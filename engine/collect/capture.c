/*
 * capture.c - collect stage entry: decodes a capture's bytes to UTF-8 text,
 * tells which tool printed it and hands it to poolmon.c or poolused.c (the
 * row collector they share is capture_rows.c).
 */
#include "pooltriage/pooltriage.h"
#include "collect_int.h"
#include "pooltriage/limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define REPLACEMENT 0xFFFDu

/* ---- decoding ---- */

/* A NUL never occurs in a text capture: where is "[name, ]offset 0x..". */
static pt_code binary_file(pt_error *err, const char *name, size_t offset)
{
    char where[4200];   /* a whole path: pt_error_set keeps its end */
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
            char where[4200];   /* a whole path: pt_error_set keeps its end */
            snprintf(where, sizeof where, "%s%s%s", path, *err->where ? ", " : "", err->where);
            pt_error_set(err, err->code, where, "%s", err->message);
        }
        return rc;
    }
    return pt_capture_parse(arena, path, text, text_len, hint, out, err);
}
