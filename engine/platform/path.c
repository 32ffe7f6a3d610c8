/*
 * path.c - platform layer, the parts every system shares: joining and
 * splitting paths, and case-blind names.  Pure string work: no OS call.
 */
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

bool pt_path_is_sep(char c)
{
#ifdef _WIN32
    return c == '/' || c == '\\';
#else
    return c == '/';
#endif
}

static size_t joined_len(const char *dir, size_t *ld, bool *sep)
{
    *ld = strlen(dir);
    *sep = *ld > 0 && !pt_path_is_sep(dir[*ld - 1]);
#ifdef _WIN32
    if (*ld == 2 && dir[1] == ':')
        *sep = false;   /* "C:" + name is relative to that drive's folder */
#endif
    return *ld + (*sep ? 1 : 0);
}

static void fill(char *p, const char *dir, size_t ld, bool sep, const char *name, size_t ln)
{
    memcpy(p, dir, ld);
    if (sep)
        p[ld++] = PT_PATH_SEP;
    memcpy(p + ld, name, ln + 1);
}

char *pt_path_join(const char *dir, const char *name)
{
    size_t ld, ln = strlen(name);
    bool sep;
    size_t n = joined_len(dir, &ld, &sep);
    char *p = pt_malloc(n + ln + 1);
    if (p)
        fill(p, dir, ld, sep, name, ln);
    return p;
}

bool pt_path_join_buf(char *out, size_t len, const char *dir, const char *name)
{
    size_t ld, ln = strlen(name);
    bool sep;
    size_t n = joined_len(dir, &ld, &sep);
    if (n + ln + 1 > len)
        return false;
    fill(out, dir, ld, sep, name, ln);
    return true;
}

char *pt_path_join_arena(pt_arena *arena, const char *dir, const char *name)
{
    size_t ld, ln = strlen(name);
    bool sep;
    size_t n = joined_len(dir, &ld, &sep);
    char *p = pt_arena_alloc(arena, n + ln + 1);
    if (p)
        fill(p, dir, ld, sep, name, ln);
    return p;
}

const char *pt_path_base(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (pt_path_is_sep(*p) || (p == path + 1 && *p == ':'))
            b = p + 1;
    return b;
}

size_t pt_path_split_last(char *buf, size_t len, const char *path)
{
    if (len == 0)
        return 0;
    snprintf(buf, len, "%s", path);
    size_t n = strlen(buf);
    while (n > 1 && pt_path_is_sep(buf[n - 1]))
        buf[--n] = '\0';
    while (n > 0 && !pt_path_is_sep(buf[n - 1]))
        n--;
    return n;
}

int pt_strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z') ca += 32;
        if (cb >= 'A' && cb <= 'Z') cb += 32;
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

bool pt_ends_with_ci(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && pt_strcasecmp(s + ls - lx, suffix) == 0;
}

/* Where the first component that mkdir may create starts: after "/",
 * "C:\", "\\server\share\" or "\\?\C:\". */
size_t pt_path_root_len(const char *p)
{
#ifdef _WIN32
    if (pt_path_is_sep(p[0]) && pt_path_is_sep(p[1])) {
        size_t i = 2;
        if ((p[2] == '?' || p[2] == '.') && pt_path_is_sep(p[3])) {
            i = 4;
            if (p[i] && p[i + 1] == ':')
                return pt_path_is_sep(p[i + 2]) ? i + 3 : i + 2;
        }
        int parts = 0;   /* server and share */
        while (p[i] && parts < 2) {
            if (pt_path_is_sep(p[i]))
                parts++;
            i++;
        }
        return i;
    }
    if (p[0] && p[1] == ':')
        return pt_path_is_sep(p[2]) ? 3 : 2;
#endif
    return pt_path_is_sep(p[0]) ? 1 : 0;
}
