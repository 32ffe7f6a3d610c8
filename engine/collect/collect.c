/*
 * collect.c - the collect stage: finds the inputs of a case (captures,
 * driver folders, a Windows tree) from case folders and explicit options,
 * loads every capture and orders them in time.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"

#include <stdlib.h>
#include <string.h>

typedef struct collector {
    pt_arena *arena;
    pt_verdict *v;
    pt_snapshot *snaps;
    size_t snap_count, snap_cap;
    const char **drivers;
    size_t driver_count, driver_cap;
    const char **roots;
    size_t root_count, root_cap;
    pt_input_error *errors;
    size_t error_count, error_cap;
} collector;

/* The last component of a path, in arena memory; "case/" and "case" give
 * the same host name. */
static const char *base_name_of(pt_arena *arena, const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    static const char *const archive[] = {".tar.gz", ".tar.xz", ".zip", ".tar", ".tgz", ".txz"};
    for (size_t i = 0; i < sizeof archive / sizeof archive[0]; i++) {
        size_t n = strlen(archive[i]);
        if (len - start > n && pt_ends_with_ci(path, archive[i])) { /* case.zip -> case */
            len -= n;
            break;
        }
    }
    return pt_arena_strndup(arena, path + start, len - start);
}


static pt_code oom(pt_error *err) { return pt_error_set(err, PT_ENOMEM, "", "out of memory"); }

/* Sets the time of a capture: --at, then the file name, then the content,
 * then the mtime (series.c holds the rule). */
static pt_code set_time(pt_snapshot *s, const char *path, const char *at, pt_error *err)
{
    return pt_capture_set_time(s, path, at, err);
}

static pt_code add_capture(collector *c, const pt_snapshot *s, pt_error *err)
{
    if (!PT_PUSH(c->snaps, c->snap_count, c->snap_cap, *s))
        return oom(err);
    for (size_t i = 0; i < s->skipped_count; i++) {
        pt_input_error e = {s->source,
                            pt_arena_printf(c->arena, "line %u", s->skipped[i].line),
                            s->skipped[i].message};
        if (!PT_PUSH(c->errors, c->error_count, c->error_cap, e))
            return oom(err);
    }
    return PT_OK;
}

static pt_code add_path(collector *c, const char ***list, size_t *count, size_t *cap,
                        const char *path, pt_error *err)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp((*list)[i], path) == 0)
            return PT_OK;
    const char *copy = pt_arena_strdup(c->arena, path);
    if (copy == NULL || !PT_PUSH(*list, *count, *cap, copy))
        return oom(err);
    return PT_OK;
}

/* A case archive: every entry that parses as a capture; the archive is
 * searched for drivers too (the scan reads its drivers folders from the
 * stream). */
static pt_code add_case_archive(collector *c, const char *path, pt_capture_format fmt,
                                pt_error *err)
{
    pt_snapshot *snaps;
    size_t count;
    pt_code rc = pt_capture_load_archive(c->arena, path, fmt, &snaps, &count, err);
    for (size_t i = 0; i < count && rc == PT_OK; i++)
        rc = add_capture(c, &snaps[i], err);
    if (rc == PT_OK)
        rc = add_path(c, &c->drivers, &c->driver_count, &c->driver_cap, path, err);
    return rc;
}

/* A case folder: its captures (any top-level file that parses as one),
 * its drivers/ folder and its Windows tree. */
static pt_code add_case_dir(collector *c, const char *dir, pt_capture_format fmt,
                            pt_error *err)
{
    if (pt_archive_name(dir) && pt_platform_is_file(dir))
        return add_case_archive(c, dir, fmt, err);
    if (!pt_platform_is_dir(dir))
        return pt_error_set(err, PT_EIO, dir, "case folder not found");
    char **files;
    size_t count;
    pt_code rc = pt_platform_list(dir, &files, &count, err);
    if (rc != PT_OK)
        return rc;
    for (size_t i = 0; i < count; i++) {
        pt_snapshot s;
        pt_error perr = {0};
        if (rc == PT_OK && pt_capture_load(c->arena, files[i], fmt, &s, &perr) == PT_OK) {
            rc = set_time(&s, files[i], NULL, err);
            if (rc == PT_OK)
                rc = add_capture(c, &s, err);
        } else if (rc == PT_OK && perr.code == PT_ENOMEM) {
            rc = oom(err);
        }
        pt_free(files[i]);
    }
    pt_free(files);
    if (rc != PT_OK)
        return rc;
    char *drv = pt_platform_find_ci(dir, "drivers");
    if (drv && pt_platform_is_dir(drv))
        rc = add_path(c, &c->drivers, &c->driver_count, &c->driver_cap, drv, err);
    pt_free(drv);
    char *win = pt_platform_find_ci(dir, "Windows");
    if (rc == PT_OK && win && pt_platform_is_dir(win))
        rc = add_path(c, &c->roots, &c->root_count, &c->root_cap, dir, err);
    pt_free(win);
    return rc;
}

/* A Windows tree: its driver folders (triage reads its kernel's version). */
static pt_code add_root(collector *c, const char *root, pt_error *err)
{
    if (!pt_platform_is_dir(root))
        return pt_error_set(err, PT_EIO, root, "Windows root not found");
    char *win = pt_platform_find_ci(root, "Windows");
    char *sys = win ? pt_platform_find_ci(win, "System32") : NULL;
    char *drv = sys ? pt_platform_find_ci(sys, "drivers") : NULL;
    char *store = sys ? pt_platform_find_ci(sys, "DriverStore") : NULL;
    char *repo = store ? pt_platform_find_ci(store, "FileRepository") : NULL;
    pt_code rc = PT_OK;
    if (sys == NULL)
        rc = pt_error_set(err, PT_EFORMAT, root, "no Windows/System32 folder under this root");
    if (rc == PT_OK && drv)
        rc = add_path(c, &c->drivers, &c->driver_count, &c->driver_cap, drv, err);
    if (rc == PT_OK && repo)
        rc = add_path(c, &c->drivers, &c->driver_count, &c->driver_cap, repo, err);
    pt_free(win);
    pt_free(sys);
    pt_free(drv);
    pt_free(store);
    pt_free(repo);
    return rc;
}



static pt_code collect_all(collector *c, const pt_triage_opts *o, pt_error *err)
{
    pt_code rc = PT_OK;
    for (size_t i = 0; i < o->pool_count && rc == PT_OK; i++) {
        pt_snapshot s;
        rc = pt_capture_load(c->arena, o->pools[i].path, o->pool_format, &s, err);
        if (rc == PT_OK)
            rc = set_time(&s, o->pools[i].path, o->pools[i].at, err);
        if (rc == PT_OK)
            rc = add_capture(c, &s, err);
    }
    for (size_t i = 0; i < o->case_dir_count && rc == PT_OK; i++)
        rc = add_case_dir(c, o->case_dirs[i], o->pool_format, err);
    for (size_t i = 0; i < o->driver_dir_count && rc == PT_OK; i++) {
        if (!pt_platform_is_dir(o->driver_dirs[i]) && !pt_platform_is_file(o->driver_dirs[i]))
            return pt_error_set(err, PT_EIO, o->driver_dirs[i], "drivers folder or file not found");
        rc = add_path(c, &c->drivers, &c->driver_count, &c->driver_cap, o->driver_dirs[i], err);
    }
    for (size_t i = 0; i < o->root_count && rc == PT_OK; i++)
        rc = add_path(c, &c->roots, &c->root_count, &c->root_cap, o->roots[i], err);
    for (size_t i = 0; i < c->root_count && rc == PT_OK; i++)
        rc = add_root(c, c->roots[i], err);
    if (rc == PT_OK && c->snap_count == 0)
        rc = pt_error_set(err, PT_EFORMAT, o->case_dir_count ? o->case_dirs[0] : "",
                          "no pool capture found: give one with --pool FILE (poolmon "
                          "screen or poolmon -n snapshot)");
    return rc;
}

pt_code pt_collect(pt_arena *arena, const pt_triage_opts *o, pt_verdict *v, pt_error *err)
{
    collector c = {0};
    c.arena = arena;
    c.v = v;
    pt_code rc = collect_all(&c, o, err);
    if (rc == PT_OK) {
        pt_capture_sort(c.snaps, c.snap_count);
        /* say so rather than guess: growth stays unknown (rank and series) */
        pt_input_error e = {"captures", "", "the order of the captures is unknown (two share "
                            "a time, or one has none): give each --pool an --at TIME"};
        if (pt_capture_order_unknown(c.snaps, c.snap_count) &&
            !PT_PUSH(c.errors, c.error_count, c.error_cap, e))
            rc = oom(err);
    }
    bool adopted = pt_arena_adopt(arena, c.snaps) & pt_arena_adopt(arena, c.drivers) &
                   pt_arena_adopt(arena, c.roots) & pt_arena_adopt(arena, c.errors);
    if (rc == PT_OK && !adopted)
        rc = oom(err);
    if (rc != PT_OK)
        return rc;
    v->snapshots = c.snaps;
    v->snapshot_count = c.snap_count;
    v->searched = c.drivers;
    v->searched_count = c.driver_count;
    v->roots = c.roots;
    v->root_count = c.root_count;
    v->errors = c.errors;
    v->error_count = c.error_count;
    v->host.name = o->host ? o->host
                   : o->case_dir_count ? base_name_of(arena, o->case_dirs[0])
                                       : NULL;
    return PT_OK;
}

pt_code pt_input_errors_append(pt_arena *arena, pt_verdict *v,
                               const pt_input_error *more, size_t count, pt_error *err)
{
    if (count == 0)
        return PT_OK;
    pt_input_error *all = pt_arena_alloc(arena, (v->error_count + count) * sizeof *all);
    if (all == NULL)
        return oom(err);
    if (v->error_count)
        memcpy(all, v->errors, v->error_count * sizeof *all);
    memcpy(all + v->error_count, more, count * sizeof *all);
    v->errors = all;
    v->error_count += count;
    return PT_OK;
}
