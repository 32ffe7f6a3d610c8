/*
 * cli_live.c - `--live` for pool and triage: reads the running Windows
 * kernel's pool tags (through the platform layer), writes each reading as
 * a `poolmon -n` snapshot file, and hands the files to the usual readers,
 * so a live run and a run on saved captures take the same path.
 */
#include "cli.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One reading into a new file in dir; its path (pt_malloc'd) in *out. */
static pt_code take_one(const char *dir, char **out, pt_error *err)
{
    *out = NULL;
    uint8_t *raw = NULL;
    size_t len = 0;
    pt_code rc = pt_platform_live_query(PT_LIVE_POOLTAGS, &raw, &len, err);
    if (rc != PT_OK)
        return rc;
    pt_arena *arena = pt_arena_new();
    pt_live_pooltag *tags = NULL;
    size_t count = 0;
    rc = arena ? pt_live_pooltags_decode(arena, raw, len, &tags, &count, err)
               : pt_error_set(err, PT_ENOMEM, "--live", "out of memory");
    pt_free(raw);
    pt_live_totals totals;
    if (rc == PT_OK)
        rc = pt_platform_live_totals(&totals, err);
    pt_buf text = {0};
    if (rc == PT_OK)
        pt_live_poolmon_text(tags, count, &totals, &text);
    if (rc == PT_OK && text.failed)
        rc = pt_error_set(err, PT_ENOMEM, "--live", "out of memory");
    char name[64];
    time_t now = time(NULL);
    struct tm tm;
#ifdef _WIN32
    gmtime_s(&tm, &now);
#else
    gmtime_r(&now, &tm);
#endif
    strftime(name, sizeof name, "poolmon_%Y%m%d_%H%M%S.txt", &tm);
    char *path = rc == PT_OK ? pt_path_join(dir, name) : NULL;
    if (rc == PT_OK && path == NULL)
        rc = pt_error_set(err, PT_ENOMEM, "--live", "out of memory");
    if (rc == PT_OK) {
        int fd = pt_platform_open(path, PT_OPEN_EXCL);   /* never overwrites */
        bool ok = fd >= 0 && pt_platform_write_all(fd, text.data, text.len);
        if (fd >= 0 && pt_platform_close(fd) != 0)
            ok = false;
        if (!ok) {
            rc = pt_error_set(err, PT_EIO, path, "cannot write the snapshot");
            if (fd >= 0)
                pt_platform_remove(path);
        }
    }
    pt_buf_free(&text);
    pt_arena_free(arena);
    if (rc != PT_OK) {
        pt_free(path);
        return rc;
    }
    *out = path;
    return PT_OK;
}

int pt_cli_live_series(const char *dir, unsigned every, unsigned count, char ***out,
                       size_t *out_count)
{
    *out = NULL;
    *out_count = 0;
    pt_error err = {0};
    char tmp[4096];
    if (dir == NULL) {
        if (!pt_path_join_buf(tmp, sizeof tmp, pt_platform_temp_root(), "pooltriage-live-XXXXXX") ||
            pt_platform_make_temp_dir(tmp) == NULL) {
            fprintf(stderr, "pooltriage: cannot create a folder for the live snapshots\n");
            return PT_EXIT_INPUT;
        }
        dir = tmp;
    } else if (pt_platform_mkdir_p(dir, &err) != PT_OK) {
        return pt_cli_fail(&err);
    }
    char **paths = calloc(count ? count : 1, sizeof *paths);
    if (paths == NULL)
        return PT_EXIT_INPUT;
    for (unsigned i = 0; i < (count ? count : 1); i++) {
        if (i > 0)
            pt_platform_sleep_ms(every * 1000u);
        if (take_one(dir, &paths[i], &err) != PT_OK) {
            for (unsigned k = 0; k < i; k++)
                pt_free(paths[k]);
            free(paths);
            return pt_cli_fail(&err);
        }
        if (count > 1)
            fprintf(stderr, "pooltriage: snapshot %u of %u: %s\n", i + 1, count, paths[i]);
        /* a second in the name: two readings must not share one */
        if (i + 1 < count && every == 0)
            pt_platform_sleep_ms(1000);
    }
    *out = paths;
    *out_count = count ? count : 1;
    return PT_EXIT_OK;
}

pt_code pt_cli_live_modules(const char *windir, const char *sysdrive, char ***out,
                            size_t *out_count, pt_error *err)
{
    *out = NULL;
    *out_count = 0;
    uint8_t *raw = NULL;
    size_t len = 0;
    pt_code rc = pt_platform_live_query(PT_LIVE_MODULES, &raw, &len, err);
    if (rc != PT_OK)
        return rc;
    pt_arena *arena = pt_arena_new();
    pt_live_module *mods = NULL;
    size_t count = 0;
    rc = arena ? pt_live_modules_decode(arena, raw, len, &mods, &count, err)
               : pt_error_set(err, PT_ENOMEM, "--live", "out of memory");
    pt_free(raw);
    char **paths = rc == PT_OK ? calloc(count + 1, sizeof *paths) : NULL;
    if (rc == PT_OK && paths == NULL)
        rc = pt_error_set(err, PT_ENOMEM, "--live", "out of memory");
    size_t n = 0;
    for (size_t i = 0; rc == PT_OK && i < count; i++) {
        const char *p = pt_live_module_win32_path(arena, mods[i].path, windir, sysdrive);
        if (p == NULL) {
            rc = pt_error_set(err, PT_ENOMEM, "--live", "out of memory");
        } else if (pt_platform_is_file(p)) {   /* the kernel's own entries may not be */
            paths[n] = pt_malloc(strlen(p) + 1);
            if (paths[n] == NULL)
                rc = pt_error_set(err, PT_ENOMEM, "--live", "out of memory");
            else
                strcpy(paths[n++], p);
        }
    }
    pt_arena_free(arena);
    if (rc != PT_OK) {
        for (size_t i = 0; i < n; i++)
            pt_free(paths[i]);
        free(paths);
        return rc;
    }
    *out = paths;
    *out_count = n;
    return PT_OK;
}
