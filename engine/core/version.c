/*
 * version.c - core: four-part version numbers.  Lenient parsing of what a
 * driver carries ("SYSCORE.18.10.0.189", "6.3.9600.19000 (winblue)"),
 * strict parsing of what a KB source writes, the one comparison rule, and
 * vendor release schemes ("5.{1}.{2}.*": Npcap's numeric version).
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
        if (*p == '.' && is_digit(p[1])) {
            p++;
        } else if (*p == ',') { /* "5, 46, 5, 0": what old resource scripts write */
            const char *q = p + 1;
            while (*q == ' ')
                q++;
            if (!is_digit(*q))
                break;
            p = q;
        } else {
            break;
        }
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

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Reads 1 to 4 dot-separated numbers of at most 10 digits from p to the end
 * of the string; false on anything else. */
static bool parse_dotted(const char *p, pt_version *out)
{
    while (out->count < 4) {
        if (!is_digit(*p))
            return false;
        uint64_t v = 0;
        int digits = 0;
        while (is_digit(*p)) {
            v = v * 10 + (uint64_t)(*p - '0');
            if (++digits > 10 || v > UINT32_MAX)
                return false;
            p++;
        }
        out->part[out->count++] = (uint32_t)v;
        if (*p == '\0')
            return true;
        if (*p != '.')
            return false;
        p++;
    }
    return false; /* a fifth part */
}

bool pt_version_parse_strict(const char *s, pt_version *out)
{
    memset(out, 0, sizeof *out);
    if (s == NULL)
        return false;
    const char *p = s;
    if (is_alpha(*p)) { /* a vendor prefix: letters, '_' or '-', then '.' */
        while (is_alpha(*p) || *p == '_' || *p == '-')
            p++;
        if (*p != '.')
            return false;
        p++;
    }
    if (!parse_dotted(p, out)) {
        memset(out, 0, sizeof *out);
        return false;
    }
    return true;
}

/* One element of a numeric pattern: a literal number, "{n}" (part n of the
 * release, 1-based) or "*" (anything). */
typedef struct pat_part {
    enum { PAT_LITERAL, PAT_RELEASE, PAT_ANY } kind;
    uint32_t value;
} pat_part;

static int pattern_read(const char *pattern, pat_part parts[4])
{
    const char *p = pattern;
    int n = 0;
    while (n < 4) {
        if (*p == '*') {
            parts[n].kind = PAT_ANY;
            p++;
        } else if (*p == '{' && p[1] >= '1' && p[1] <= '4' && p[2] == '}') {
            parts[n].kind = PAT_RELEASE;
            parts[n].value = (uint32_t)(p[1] - '1');
            p += 3;
        } else if (is_digit(*p)) {
            uint64_t v = 0;
            while (is_digit(*p) && v <= 65535)
                v = v * 10 + (uint64_t)(*p++ - '0');
            if (v > 65535)
                return -1;
            parts[n].kind = PAT_LITERAL;
            parts[n].value = (uint32_t)v;
        } else {
            return -1;
        }
        n++;
        if (*p == '\0')
            return n;
        if (*p++ != '.')
            return -1;
    }
    return -1;
}

bool pt_version_pattern_check(const char *pattern)
{
    pat_part parts[4];
    int n = pattern ? pattern_read(pattern, parts) : -1;
    if (n != 4)
        return false;
    /* the release parts it maps must be {1}, then {2}, ... with no gap */
    unsigned seen = 0;
    for (int i = 0; i < n; i++)
        if (parts[i].kind == PAT_RELEASE)
            seen |= 1u << parts[i].value;
    return seen != 0 && (seen & (seen + 1)) == 0;
}

bool pt_version_from_pattern(const char *pattern, const pt_version *numeric,
                             pt_version *out)
{
    memset(out, 0, sizeof *out);
    pat_part parts[4];
    if (pattern == NULL || numeric == NULL || numeric->count == 0 ||
        pattern_read(pattern, parts) != 4)
        return false;
    for (int i = 0; i < 4; i++) {
        if (parts[i].kind == PAT_LITERAL && numeric->part[i] != parts[i].value) {
            memset(out, 0, sizeof *out);
            return false;
        }
        if (parts[i].kind == PAT_RELEASE) {
            out->part[parts[i].value] = numeric->part[i];
            if ((int)parts[i].value + 1 > out->count)
                out->count = (int)parts[i].value + 1;
        }
    }
    return out->count > 0;
}
