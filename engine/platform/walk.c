/*
 * walk.c - the one folder walk, on every system: over the folder listing of
 * platform/posix or platform/win32 (pt_platform_dir_read), files in name
 * order, folders depth first, links not followed, with the limits of
 * pooltriage/limits.h said to the caller instead of applied silently.
 */
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"
#include "platform_int.h"

#include <stdio.h>
#include <string.h>

typedef struct walk_state {
    pt_walk_fn sized;          /* one of these two is set */
    pt_walk_name_fn named;
    pt_walk_problem_fn problem;
    void *ctx;
    size_t files;
    bool stop;
    size_t unreadable, too_deep; /* folders left out */
    char *first_deep;            /* the first folder past the depth limit */
} walk_state;

static void say(walk_state *ws, const char *path, const char *message)
{
    if (ws->problem)
        ws->problem(ws->ctx, path, message);
}

static void too_many_files(walk_state *ws, const char *path)
{
    char msg[160];
    snprintf(msg, sizeof msg, "more than %u files: the folder walk stopped here, the rest "
             "of the folder is not searched", PT_MAX_WALK_FILES);
    say(ws, path, msg);
}

/* The summary at the end: the unreadable folders past the first
 * PT_MAX_WALK_PROBLEMS, and the folders past the depth limit. */
static void report_end(walk_state *ws, const char *dir)
{
    char msg[200];
    if (ws->unreadable > PT_MAX_WALK_PROBLEMS) {
        snprintf(msg, sizeof msg, "%zu more unreadable folders left out",
                 ws->unreadable - PT_MAX_WALK_PROBLEMS);
        say(ws, dir, msg);
    }
    if (ws->too_deep) {
        snprintf(msg, sizeof msg, "%zu folder%s deeper than %u levels not searched "
                 "(the folder walk's depth limit)%s", ws->too_deep,
                 ws->too_deep == 1 ? "" : "s", PT_MAX_WALK_DEPTH,
                 ws->too_deep > 1 ? "; this is the first" : "");
        say(ws, ws->first_deep ? ws->first_deep : dir, msg);
    }
}

/* Hands one file to the caller; false stops the walk. */
static bool visit(walk_state *ws, const char *path, const pt_dir_entry *e)
{
    if (ws->named)
        return ws->named(ws->ctx, path, e->name);
    uint64_t size = e->size;
    if (!e->size_known) {
        pt_file_info st;
        if (!pt_platform_stat(path, &st) || !st.is_file)
            return true;    /* gone, or replaced, since the listing */
        size = st.size;
    }
    return ws->sized(ws->ctx, path, e->name, size);
}

static pt_code walk(walk_state *ws, const char *dir, unsigned depth, pt_error *err)
{
    if (depth > PT_MAX_WALK_DEPTH) {
        if (ws->too_deep++ == 0 && ws->problem) {
            size_t n = strlen(dir) + 1;
            ws->first_deep = pt_malloc(n);
            if (ws->first_deep)
                memcpy(ws->first_deep, dir, n);
        }
        return PT_OK;
    }
    pt_dir_entry *es;
    size_t count;
    pt_code rc = pt_platform_dir_read(dir, &es, &count, err);
    if (rc != PT_OK) {
        if (depth == 0 || rc == PT_ENOMEM)
            return rc;
        /* an unreadable subfolder: left out, said */
        if (++ws->unreadable <= PT_MAX_WALK_PROBLEMS)
            say(ws, dir, err ? err->message : "cannot open folder");
        return PT_OK;
    }
    for (size_t i = 0; i < count && !ws->stop && rc == PT_OK; i++) {
        const pt_dir_entry *e = &es[i];
        if (e->is_link ? !e->is_file : !(e->is_dir || e->is_file))
            continue;       /* links to folders, FIFOs, devices */
        char *path = pt_path_join(dir, e->name);
        if (path == NULL) {
            rc = pt_error_set(err, PT_ENOMEM, dir, "out of memory");
        } else if (e->is_dir) {
            rc = walk(ws, path, depth + 1, err);
        } else if (++ws->files > PT_MAX_WALK_FILES) {
            ws->stop = true;
            too_many_files(ws, path);
        } else if (!visit(ws, path, e)) {
            ws->stop = true;
        }
        pt_free(path);
    }
    pt_platform_dir_free(es, count);
    return rc;
}

static pt_code run(walk_state *ws, const char *dir, pt_error *err)
{
    pt_code rc = walk(ws, dir, 0, err);
    if (rc == PT_OK)
        report_end(ws, dir);
    pt_free(ws->first_deep);
    return rc;
}

pt_code pt_platform_walk_checked(const char *dir, pt_walk_fn fn, pt_walk_problem_fn problem,
                                 void *ctx, pt_error *err)
{
    walk_state ws = {.sized = fn, .problem = problem, .ctx = ctx};
    return run(&ws, dir, err);
}

pt_code pt_platform_walk_names(const char *dir, pt_walk_name_fn fn, pt_walk_problem_fn problem,
                               void *ctx, pt_error *err)
{
    walk_state ws = {.named = fn, .problem = problem, .ctx = ctx};
    return run(&ws, dir, err);
}
