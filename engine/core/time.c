/*
 * capture_time.c - when a capture was taken: from --at, from a timestamp
 * in the file name (poolsnap-2026-11-20T08-00-00.log, pool_20261120_0800.txt,
 * 20261120-080000.log), or from the file's mtime.  Times are UTC seconds.
 */

#include "pooltriage/pooltriage.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static bool digits(const char *p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int mo)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return mo == 2 && leap ? 29 : days[mo - 1];
}

/* A real calendar date: 2026-02-30 is refused, never read as March 2. */
static bool valid(int y, int mo, int d, int h, int mi, int s)
{
    return y >= 1990 && y <= 2100 && mo >= 1 && mo <= 12 && d >= 1 &&
           d <= days_in_month(y, mo) && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 &&
           s >= 0 && s <= 60;
}

static int64_t to_unix(int y, int mo, int d, int h, int mi, int s)
{
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

/* Reads "YYYY?MM?DD" with an optional separator; returns chars used or 0. */
static int read_date(const char *p, int *y, int *mo, int *d)
{
    if (digits(p, 4, y) && digits(p + 4, 2, mo) && digits(p + 6, 2, d))
        return 8;
    if (digits(p, 4, y) && (p[4] == '-' || p[4] == '_' || p[4] == '.') &&
        digits(p + 5, 2, mo) && p[7] == p[4] && digits(p + 8, 2, d))
        return 10;
    return 0;
}

/* Reads "HH?MM[?SS]" after a date; returns chars used or 0. */
static int read_clock(const char *p, int *h, int *mi, int *s)
{
    *s = 0;
    if (digits(p, 2, h) && (p[2] == ':' || p[2] == '-' || p[2] == '.') &&
        digits(p + 3, 2, mi)) {
        if (p[5] == p[2] && digits(p + 6, 2, s))
            return 8;
        return 5;
    }
    if (digits(p, 2, h) && digits(p + 2, 2, mi)) {
        if (digits(p + 4, 2, s))
            return 6;
        return 4;
    }
    return 0;
}

bool pt_time_parse(const char *text, bool whole, int64_t *out)
{
    for (const char *p = text; *p; p++) {
        if (p != text && p[-1] >= '0' && p[-1] <= '9')
            continue;
        int y, mo, d, h = 0, mi = 0, s = 0;
        int n = read_date(p, &y, &mo, &d);
        if (n == 0) {
            if (whole)
                return false;
            continue;
        }
        const char *q = p + n;
        if (*q == 'T' || *q == '_' || *q == '-' || *q == ' ') {
            int c = read_clock(q + 1, &h, &mi, &s);
            if (c)
                q += 1 + c;
        }
        if (*q == 'Z')
            q++;
        if (!valid(y, mo, d, h, mi, s) || (*q >= '0' && *q <= '9'))
            return false;
        if (whole && *q != '\0')
            return false;
        *out = to_unix(y, mo, d, h, mi, s);
        return true;
    }
    return false;
}

void pt_time_format(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, len, "%lld", (long long)t);
}
