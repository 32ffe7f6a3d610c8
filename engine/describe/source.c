/*
 * source.c - describe stage: the bytes of a file as the parsers read them,
 * whole in memory (tests, fuzzers) or by offset through one bounded window
 * (pt_describe_file), and every digest of a file in one streamed pass.
 */
#include "describe_int.h"
#include "pooltriage/limits.h"

#include <string.h>

pt_src pt_src_memory(const uint8_t *data, size_t len)
{
    pt_src s;
    memset(&s, 0, sizeof s);
    s.data = data;
    s.len = data ? len : 0;
    return s;
}

bool pt_src_fits(const pt_src *s, uint64_t off, uint64_t n)
{
    return off <= s->len && n <= s->len - off;
}

/* Reads the window so that it starts at or before off and holds n bytes
 * from off. */
static bool window_fill(pt_src *s, uint64_t off, uint64_t n)
{
    uint64_t start = off & ~(uint64_t)4095;
    if (off + n - start > PT_DESCRIBE_WINDOW)
        start = off;
    uint64_t want = s->len - start < PT_DESCRIBE_WINDOW ? s->len - start : PT_DESCRIBE_WINDOW;
    size_t got = 0;
    s->win_len = 0;
    if (pt_rfile_read_at(s->file, start, s->win, (size_t)want, &got, NULL) != PT_OK ||
        got < off + n - start) {
        s->failed = true; /* a file that shrank or fails reads as cut off */
        return false;
    }
    s->win_off = start;
    s->win_len = got;
    return true;
}

const uint8_t *pt_src_at(pt_src *s, uint64_t off, uint64_t n)
{
    if (!pt_src_fits(s, off, n))
        return NULL;
    if (s->data != NULL || s->len == 0)
        return s->data ? s->data + off : NULL;
    if (s->failed || s->file == NULL || s->win == NULL || n > PT_DESCRIBE_WINDOW / 2)
        return NULL;
    if (s->win_len == 0 || off < s->win_off || off + n > s->win_off + s->win_len)
        if (!window_fill(s, off, n))
            return NULL;
    return s->win + (off - s->win_off);
}

bool pt_src_copy(pt_src *s, uint64_t off, void *buf, size_t n)
{
    if (!pt_src_fits(s, off, n))
        return false;
    if (s->data != NULL) {
        memcpy(buf, s->data + off, n);
        return true;
    }
    if (n == 0)
        return true;
    size_t got = 0;
    if (s->failed || s->file == NULL ||
        pt_rfile_read_at(s->file, off, buf, n, &got, NULL) != PT_OK || got != n) {
        s->failed = true;
        return false;
    }
    return true;
}
