/*
 * path.c - platform layer, the parts every system shares: joining and
 * splitting paths, case-blind names, and mkdir -p over pt_platform_mkdir.
 */
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"
#include "pt_io.h"

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
static size_t root_len(const char *p)
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

pt_code pt_platform_mkdir_p(const char *path, pt_error *err)
{
    size_t len = strlen(path);
    char *dir = pt_malloc(len + 1);
    if (dir == NULL)
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    memcpy(dir, path, len + 1);
    pt_code rc = PT_OK;
    for (size_t i = root_len(dir); rc == PT_OK; i++) {
        if (dir[i] != '\0' && !pt_path_is_sep(dir[i]))
            continue;
        char c = dir[i];
        dir[i] = '\0';
        if (dir[0] && pt_platform_mkdir(dir) != 0)
            rc = pt_error_set(err, PT_EIO, dir, "cannot create folder: %s", strerror(errno));
        dir[i] = c;
        if (c == '\0')
            break;
    }
    pt_free(dir);
    return rc;
}

pt_code pt_platform_mkdir_parent(const char *path, pt_error *err)
{
    const char *base = pt_path_base(path);
    size_t root = root_len(path);
    if (base <= path + root)
        return PT_OK;
    size_t len = (size_t)(base - path);
    char *dir = pt_malloc(len + 1);
    if (dir == NULL)
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    memcpy(dir, path, len);
    dir[len] = '\0';
    pt_code rc = pt_platform_mkdir_p(dir, err);
    pt_free(dir);
    return rc;
}

void pt_walk_report_too_many(pt_walk_problem_fn problem, void *ctx, const char *path)
{
    if (problem == NULL)
        return;
    char msg[160];
    snprintf(msg, sizeof msg, "more than %u files: the folder walk stopped here, the rest "
             "of the folder is not searched", PT_MAX_WALK_FILES);
    problem(ctx, path, msg);
}

void pt_walk_report_end(pt_walk_problem_fn problem, void *ctx, const char *dir,
                        size_t unreadable, size_t too_deep, const char *first_deep)
{
    if (problem == NULL)
        return;
    char msg[200];
    if (unreadable > PT_MAX_WALK_PROBLEMS) {
        snprintf(msg, sizeof msg, "%zu more unreadable folders left out",
                 unreadable - PT_MAX_WALK_PROBLEMS);
        problem(ctx, dir, msg);
    }
    if (too_deep) {
        snprintf(msg, sizeof msg, "%zu folder%s deeper than %u levels not searched "
                 "(the folder walk's depth limit)%s", too_deep, too_deep == 1 ? "" : "s",
                 PT_MAX_WALK_DEPTH, too_deep > 1 ? "; this is the first" : "");
        problem(ctx, first_deep ? first_deep : dir, msg);
    }
}
