/*
 * version.c - four-part version numbers: parsing from VS_FIXEDFILEINFO
 * style strings and odd vendor strings ("SYSCORE.18.10.0.189"),
 * comparison and formatting.  Used by the KB match and the host stage.
 */
#include "pooltriage/pooltriage.h"

#include <stdio.h>
#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool pt_version_parse(const char *s, pt_version *out)
{
    memset(out, 0, sizeof *out);
    if (s == NULL)
        return false;
    /* the first digit that starts a number (not glued to a letter's tail) */
    const char *p = s;
    while (*p && !is_digit(*p))
        p++;
    if (*p == '\0')
        return false;
    while (out->count < 4 && is_digit(*p)) {
        uint64_t v = 0;
        while (is_digit(*p)) {
            v = v * 10 + (uint64_t)(*p - '0');
            if (v > UINT32_MAX)
                v = UINT32_MAX;
            p++;
        }
        out->part[out->count++] = (uint32_t)v;
        if (*p == '.' && is_digit(p[1]))
            p++;
        else
            break;
    }
    return true;
}

int pt_version_cmp(const pt_version *a, const pt_version *b)
{
    for (int i = 0; i < 4; i++) {
        if (a->part[i] != b->part[i])
            return a->part[i] < b->part[i] ? -1 : 1;
    }
    return 0;
}

void pt_version_format(const pt_version *v, char *buf, size_t len)
{
    int n = v->count < 1 ? 1 : v->count;
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && o < len; i++) {
        int w = snprintf(buf + o, len - o, i ? ".%u" : "%u", v->part[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}
