/*
 * capture_time.c - collect stage: when a capture was taken, from --at, a
 * timestamp in its file name, a time written in its content (a capture
 * script's date line, WinDbg's "Debug session time"), or its mtime; and
 * the order of a series of captures.
 */
#include "pooltriage/platform.h"
#include "pooltriage/pooltriage.h"
#include "collect_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* How much of a file is read to find a time in its content. */
#define CONTENT_HEAD_BYTES 16384u
/* Lines looked at before the column header. */
#define CONTENT_HEAD_LINES 64u

/* ---- time from the content ---- */

static bool num(const char **p, const char *end, int digits, int *out)
{
    int v = 0;
    for (int i = 0; i < digits; i++, (*p)++) {
        if (*p >= end || !isdigit((unsigned char)**p))
            return false;
        v = v * 10 + (**p - '0');
    }
    *out = v;
    return true;
}

static bool lit(const char **p, const char *end, char c)
{
    if (*p < end && **p == c) {
        (*p)++;
        return true;
    }
    return false;
}

/* Unix seconds of a UTC calendar time, through pt_time_parse's checks. */
static bool civil(int y, int mo, int d, int h, int mi, int s, int64_t *out)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
    return pt_time_parse(buf, true, out);
}

/* "+01:00", "-0800", "Z" or nothing; seconds east of UTC. */
static bool offset_of(const char **p, const char *end, int *out)
{
    *out = 0;
    if (*p == end || lit(p, end, 'Z'))
        return true;
    int sign = **p == '+' ? 1 : **p == '-' ? -1 : 0;
    int h, m;
    if (sign == 0)
        return false;
    (*p)++;
    if (!num(p, end, 2, &h))
        return false;
    lit(p, end, ':');
    if (!num(p, end, 2, &m) || h > 14 || m > 59)
        return false;
    *out = sign * (h * 3600 + m * 60);
    return true;
}

/* "YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|+HH:MM]" and nothing else. */
static bool iso_time(const char *p, const char *end, int64_t *out)
{
    int y, mo, d, h, mi, s = 0, off;
    if (!num(&p, end, 4, &y) || !lit(&p, end, '-') || !num(&p, end, 2, &mo) ||
        !lit(&p, end, '-') || !num(&p, end, 2, &d) ||
        !(lit(&p, end, 'T') || lit(&p, end, ' ')) || !num(&p, end, 2, &h) ||
        !lit(&p, end, ':') || !num(&p, end, 2, &mi))
        return false;
    if (lit(&p, end, ':')) {
        if (!num(&p, end, 2, &s))
            return false;
        if (lit(&p, end, '.') || lit(&p, end, ','))
            while (p < end && isdigit((unsigned char)*p))
                p++;
    }
    while (p < end && *p == ' ')
        p++;
    if (end - p == 3 && memcmp(p, "UTC", 3) == 0)
        p = end;
    if (!offset_of(&p, end, &off) || p != end || !civil(y, mo, d, h, mi, s, out))
        return false;
    *out -= off;
    return true;
}

static int month_of(const char *s)
{
    static const char *const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; i++)
        if (memcmp(s, names[i], 3) == 0)
            return i + 1;
    return 0;
}

/* WinDbg: "Fri Nov 20 08:00:00.000 2026 (UTC + 1:00)" (after the label). */
static bool windbg_time(const char *p, const char *end, int64_t *out)
{
    int mo, d, h, mi, s, y, oh = 0, om = 0;
    char wd[4], mon[4], sign = '+';
    char buf[128];
    size_t n = (size_t)(end - p) < sizeof buf - 1 ? (size_t)(end - p) : sizeof buf - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    int got = sscanf(buf, "%3s %3s %d %d:%d:%d%*[.0-9] %d (UTC %c %d:%d)", wd, mon, &d, &h,
                     &mi, &s, &y, &sign, &oh, &om);
    if (got < 7)
        got = sscanf(buf, "%3s %3s %d %d:%d:%d %d (UTC %c %d:%d)", wd, mon, &d, &h, &mi, &s,
                     &y, &sign, &oh, &om);
    if (got < 7 || (mo = month_of(mon)) == 0 || !civil(y, mo, d, h, mi, s, out))
        return false;
    if (got == 10 && oh >= 0 && oh <= 14 && om >= 0 && om <= 59)
        *out -= (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    return true;
}

/* One line: a time, maybe after a short "Label:". */
static bool line_time(const pt_text_line *l, int64_t *out)
{
    const char *s = l->s;
    size_t len = l->len;
    pt_text_trim(&s, &len);
    const char *end = s + len;
    static const char session[] = "Debug session time:";
    if (len > sizeof session && memcmp(s, session, sizeof session - 1) == 0) {
        const char *p = s + sizeof session - 1;
        while (p < end && pt_text_is_blank(*p))
            p++;
        return windbg_time(p, end, out);
    }
    if (iso_time(s, end, out))
        return true;
    const char *colon = memchr(s, ':', len < 24 ? len : 24);
    if (colon == NULL || colon == s)
        return false;
    for (const char *p = s; p < colon; p++)
        if (!isalpha((unsigned char)*p) && *p != ' ' && *p != '_')
            return false;
    const char *p = colon + 1;
    while (p < end && pt_text_is_blank(*p))
        p++;
    return iso_time(p, end, out);
}

bool pt_capture_content_time(const char *text, size_t len, int64_t *out)
{
    pt_line_iter it;
    pt_text_line l;
    size_t tag_col;
    pt_line_iter_init(&it, text, len);
    while (pt_line_next(&it, &l) && l.no <= CONTENT_HEAD_LINES) {
        if (l.len > PT_MAX_LINE_BYTES)
            continue;
        if (pt_poolmon_is_header(&l, &tag_col) || pt_poolused_is_header(&l))
            return false;
        if (line_time(&l, out))
            return true;
    }
    return false;
}

/* Reads the head of a file and looks for a time in it. */
static bool file_content_time(const char *path, int64_t *out)
{
    FILE *f;
    if (pt_platform_fopen_input(path, &f, NULL) != PT_OK)
        return false;
    uint8_t buf[CONTENT_HEAD_BYTES];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (n == sizeof buf) /* do not decode half a line or half a UTF-16 unit */
        while (n > 0 && buf[n - 1] != '\n')
            n--;
    pt_arena *a = pt_arena_new();
    char *text = NULL;
    size_t len = 0;
    bool ok = a && pt_text_decode(a, buf, n, &text, &len, NULL) == PT_OK &&
              pt_capture_content_time(text, len, out);
    pt_arena_free(a);
    return ok;
}

static const char *base_name(const char *path)
{
    const char *s = pt_path_base(path);
    return s[0] ? s : path;
}

pt_code pt_capture_set_time(pt_snapshot *s, const char *path, const char *at, pt_error *err)
{
    if (at) {
        if (!pt_time_parse(at, true, &s->time))
            return pt_error_set(err, PT_EUSAGE, "--at", "cannot read time '%s': use "
                                "ISO-8601 such as 2026-11-20T08:00:00Z", at);
        s->time_source = PT_TIME_AT;
    } else if (s->time_source == PT_TIME_NONE) {
        if (pt_time_parse(base_name(path), false, &s->time)) {
            s->time_source = PT_TIME_NAME;
        } else if (file_content_time(path, &s->time)) {
            s->time_source = PT_TIME_CONTENT;
        } else if ((s->time = pt_platform_mtime(path)) >= 0) {
            s->time_source = PT_TIME_MTIME;
        } else {
            s->time = PT_UNKNOWN;
        }
    }
    return PT_OK;
}

/* ---- order ---- */

static int by_time(const void *a, const void *b)
{
    const pt_snapshot *x = a, *y = b;
    bool xu = x->time == PT_UNKNOWN, yu = y->time == PT_UNKNOWN;
    if (xu != yu)
        return xu ? 1 : -1;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return strcmp(x->source ? x->source : "", y->source ? y->source : "");
}

void pt_capture_sort(pt_snapshot *snaps, size_t count)
{
    if (count > 1)
        qsort(snaps, count, sizeof *snaps, by_time);
}

bool pt_capture_order_unknown(const pt_snapshot *snaps, size_t count)
{
    if (count < 2)
        return false;
    for (size_t i = 0; i < count; i++) {
        if (snaps[i].time == PT_UNKNOWN)
            return true;
        for (size_t j = 0; j < i; j++)
            if (snaps[j].time == snaps[i].time)
                return true;
    }
    return false;
}
