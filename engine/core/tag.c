/*
 * tag.c - pool tags: the one normal form of a tag, and patterns with * and
 * ?, as poolmon /i /x and WinDbg !poolused accept them: matching a tag
 * (pool filters) and expanding a pattern into the tags it stands for (scan
 * looks for literal bytes).  Core helpers; no I/O.
 */
#include "pooltriage/core.h"

#include <stdlib.h>
#include <string.h>

/* Tags are printable ASCII, so a wildcard stands for one of these. */
#define FIRST ' '
#define LAST '~'

bool pt_tag_normalize(const char *s, size_t len, char out[5])
{
    if (s == NULL || len < 1 || len > 4)
        return false;
    bool blank = true;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] < FIRST || (unsigned char)s[i] > LAST)
            return false;
        blank = blank && s[i] == ' ';
    }
    if (blank)
        return false;
    memset(out, ' ', 4);
    memcpy(out, s, len);
    out[4] = '\0';
    return true;
}

bool pt_tag_is_glob(const char *pattern)
{
    return strpbrk(pattern, "*?") != NULL;
}

/* Does pattern p match the tag's characters from position d on?  The end
 * of the pattern matches only the spaces that pad a short tag. */
static bool match_from(const char *p, const char tag[4], int d)
{
    if (*p == '\0') {
        for (; d < 4; d++)
            if (tag[d] != ' ')
                return false;
        return true;
    }
    if (*p == '*')
        return match_from(p + 1, tag, d) || (d < 4 && match_from(p, tag, d + 1));
    if (d >= 4)
        return false;
    if (*p == '?' || *p == tag[d])
        return match_from(p + 1, tag, d + 1);
    return false;
}

bool pt_tag_glob_match(const char *pattern, const char tag[4])
{
    return match_from(pattern, tag, 0);
}

typedef struct gen {
    char (*tags)[5];
    size_t count, max;
    bool over;
} gen;

static void emit(gen *g, const char cur[4])
{
    if (g->count >= g->max) {
        g->over = true;
        return;
    }
    memcpy(g->tags[g->count], cur, 4);
    g->tags[g->count++][4] = '\0';
}

static void expand(gen *g, const char *p, char cur[4], int d)
{
    if (g->over)
        return;
    if (*p == '\0') {
        char full[4];
        memcpy(full, cur, 4);
        for (int k = d; k < 4; k++)
            full[k] = ' ';
        emit(g, full);
        return;
    }
    if (*p == '*') {
        expand(g, p + 1, cur, d);
        for (int c = FIRST; d < 4 && c <= LAST && !g->over; c++) {
            cur[d] = (char)c;
            expand(g, p, cur, d + 1);
        }
        return;
    }
    if (d >= 4)
        return;
    if (*p == '?') {
        for (int c = FIRST; c <= LAST && !g->over; c++) {
            cur[d] = (char)c;
            expand(g, p + 1, cur, d + 1);
        }
        return;
    }
    cur[d] = *p;
    expand(g, p + 1, cur, d + 1);
}

static int by_tag(const void *a, const void *b) { return memcmp(a, b, 4); }

pt_code pt_tag_glob_expand(const char *pattern, size_t max, char (**out)[5], size_t *count,
                           pt_error *err)
{
    *out = NULL;
    *count = 0;
    /* "**" explores the same tags twice; dedupe after, so allow for it */
    gen g = {pt_calloc(max + 1, sizeof *g.tags), 0, max, false};
    if (g.tags == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    char cur[4] = {' ', ' ', ' ', ' '};
    expand(&g, pattern, cur, 0);
    qsort(g.tags, g.count, sizeof *g.tags, by_tag);
    size_t n = 0;
    for (size_t i = 0; i < g.count; i++)
        if (n == 0 || memcmp(g.tags[n - 1], g.tags[i], 4) != 0)
            memcpy(g.tags[n++], g.tags[i], 5);
    if (g.over) {
        pt_free(g.tags);
        return pt_error_set(err, PT_ELIMIT, pattern, "the pattern stands for more than %zu "
                            "tags; give more of the tag", max);
    }
    *out = g.tags;
    *count = n;
    return PT_OK;
}
