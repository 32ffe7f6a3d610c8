/*
 * capture_text.c - collect stage: the small text toolkit every capture
 * parser shares (a line walker over text that need not end in NUL, blanks,
 * trimming, numbers, the 4-character tag column).  It calls only core.
 */
#include "pooltriage/pooltriage.h"
#include "collect_int.h"

#include <string.h>

/* ---- lines ---- */

void pt_line_iter_init(pt_line_iter *it, const char *text, size_t len)
{
    it->p = text;
    it->end = text + len;
    it->no = 0;
}

bool pt_line_next(pt_line_iter *it, pt_text_line *out)
{
    if (it->p >= it->end)
        return false;
    const char *s = it->p;
    const char *nl = memchr(s, '\n', (size_t)(it->end - s));
    const char *stop = nl ? nl : it->end;
    it->p = nl ? nl + 1 : it->end;
    size_t len = (size_t)(stop - s);
    if (len > 0 && s[len - 1] == '\r')
        len--;
    out->s = s;
    out->len = len;
    out->no = ++it->no;
    return true;
}

bool pt_text_is_blank(char c) { return c == ' ' || c == '\t'; }

/* One mark of pt_text_prompt_len at s: its length, or 0. */
static size_t prompt_mark(const char *s, size_t n)
{
    size_t k = 0;
    if (n > 0 && (s[0] == '#' || s[0] == '>')) {
        while (k < n && s[k] == s[0])
            k++;
        return k;
    }
    if (n > 3 && memcmp(s, "PS ", 3) == 0 && !pt_text_is_blank(s[3])) {
        const char *gt = memchr(s + 3, '>', n - 3);
        return gt != NULL ? (size_t)(gt - s) + 1 : 0;
    }
    while (k < n && s[k] >= '0' && s[k] <= '9')
        k++;
    if (k > 0 && k < n && s[k] == ':') {
        for (k++; k < n && pt_text_is_blank(s[k]); k++)
            ;
    } else {
        k = 0;
    }
    if (n - k >= 3 && memcmp(s + k, "kd>", 3) == 0)
        return k + 3;
    if (n - k >= 4 && memcmp(s + k, "lkd>", 4) == 0)
        return k + 4;
    return 0;
}

size_t pt_text_prompt_len(const char *s, size_t len)
{
    size_t done = 0;
    for (;;) {
        size_t j = done;
        while (j < len && pt_text_is_blank(s[j]))
            j++;
        size_t k = prompt_mark(s + j, len - j);
        if (k == 0)
            return done;
        done = j + k;
    }
}

void pt_text_trim(const char **s, size_t *len)
{
    while (*len > 0 && pt_text_is_blank(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && pt_text_is_blank((*s)[*len - 1]))
        (*len)--;
}

bool pt_text_is_fence(const pt_text_line *l)
{
    const char *t = l->s;
    size_t n = l->len;
    pt_text_trim(&t, &n);
    return n >= 3 && (memcmp(t, "```", 3) == 0 || memcmp(t, "~~~", 3) == 0);
}

bool pt_text_is_snip(const pt_text_line *l)
{
    const char *t = l->s;
    size_t n = l->len;
    pt_text_trim(&t, &n);
    if (n < 2 || t[0] != '[' || t[n - 1] != ']')
        return false;
    t++;
    n -= 2;
    pt_text_trim(&t, &n);
    return pt_text_same_ci(t, n, "snip");
}

bool pt_text_same_ci(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)lit[i];
        if (a != b && !(a < 0x80 && b < 0x80 && (a | 0x20) == (b | 0x20) &&
                        (a | 0x20) >= 'a' && (a | 0x20) <= 'z'))
            return false;
    }
    return true;
}

bool pt_text_u64(const char **p, const char *end, uint64_t *out)
{
    uint64_t v = 0;
    const char *start = *p;
    for (; *p < end && **p >= '0' && **p <= '9'; (*p)++) {
        unsigned d = (unsigned)(**p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return *p > start;
}

bool pt_text_tag_at(const pt_text_line *l, size_t start, char tag[5])
{
    if (start + 5 > l->len || !pt_text_is_blank(l->s[start + 4]))
        return false;
    for (size_t i = 0; i < start; i++)
        if (!pt_text_is_blank(l->s[i]))
            return false;
    return pt_tag_normalize(l->s + start, 4, tag);
}
