/*
 * pooltriage/platform.h - every OS call the engine, the CLI and fetch make:
 * folder walks, file tests, isolated runs.  engine/platform/posix and
 * engine/platform/win32 implement it; nothing else includes OS headers.
 */
#ifndef POOLTRIAGE_PLATFORM_H
#define POOLTRIAGE_PLATFORM_H

#include "core.h"

#include <stdio.h>

/* Opens a file named by the user (a capture, a report, a tags, config or
 * credentials file) for reading, without ever blocking: the open itself
 * does not wait (a FIFO with no writer, a device), then anything that is
 * not a regular file is refused with PT_EIO "not a regular file" (exit 3).
 * *out is a blocking, close-on-exec descriptor; close it.  PT_EIO "cannot
 * open: ..." when it can't be opened, with errno as open() left it (ENOENT:
 * missing); errno is 0 for "not a regular file".  err may be NULL. */
pt_code pt_platform_open_input(const char *path, int *out, pt_error *err);
/* The same as a stdio stream opened "rb"; fclose it.  PT_ENOMEM. */
pt_code pt_platform_fopen_input(const char *path, FILE **out, pt_error *err);

/* Called for each regular file under a folder; return false to stop. */
typedef bool (*pt_walk_fn)(void *ctx, const char *path, const char *name,
                           uint64_t size);
/* Walks `dir` recursively (bounded by PT_MAX_WALK_*), files in name order. */
pt_code pt_platform_walk(const char *dir, pt_walk_fn fn, void *ctx, pt_error *err);
/* Finds `name` in `dir` case-insensitively; returns a malloc'd path or NULL. */
char *pt_platform_find_ci(const char *dir, const char *name);
/* True when path is a directory / a regular file. */
bool pt_platform_is_dir(const char *path);
bool pt_platform_is_file(const char *path);
/* Modification time in Unix seconds, or -1. */
int64_t pt_platform_mtime(const char *path);
/* Work to run in a child process: writes its result to `out`. */
typedef void (*pt_isolated_fn)(void *ctx, pt_buf *out);
/* Runs fn in a child process limited to wall_ms of wall-clock time and as
 * much CPU time, that may write no file and gain no privilege; *out
 * receives what it wrote, at most max_out bytes.  PT_ELIMIT when it ran out
 * of time or wrote too much, PT_EIO when it crashed or failed. */
pt_code pt_platform_run_isolated(pt_isolated_fn fn, void *ctx, unsigned wall_ms,
                                 size_t max_out, pt_buf *out, pt_error *err);
/* Lists the regular files directly in `dir` in name order, as malloc'd
 * paths in a malloc'd array (free each, then the array). */
pt_code pt_platform_list(const char *dir, char ***out, size_t *out_count, pt_error *err);

#endif /* POOLTRIAGE_PLATFORM_H */
