/*
 * pt_io.h - platform layer, the part the scan and describe stages use:
 * reading a file in order or by offset, a folder walk that takes each
 * entry's type from the folder listing, and running workers in parallel.
 * engine/platform/posix/io_posix.c implements it (a Windows build adds the
 * same functions under engine/platform/win32).
 */
#ifndef PT_IO_H
#define PT_IO_H

#include "pooltriage/core.h"
#include "pooltriage/platform.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A file open for reading.  A plain value: no allocation. */
typedef struct pt_rfile {
    intptr_t handle;
    const char *path;          /* for messages; not owned */
} pt_rfile;

/* What the scan cache keys a file by. */
typedef struct pt_rfile_id {
    uint64_t size;
    int64_t mtime_ns;
    uint64_t ino;
} pt_rfile_id;

/* Opens `path` for reading; PT_EIO with "cannot open: ..." otherwise. */
pt_code pt_rfile_open(pt_rfile *f, const char *path, pt_error *err);
/* The same for a file named by the user: anything but a regular file
 * (a FIFO, a device) is refused with "not a regular file", never waited on. */
pt_code pt_rfile_open_input(pt_rfile *f, const char *path, pt_error *err);
/* Closes it; a file that was never opened (handle -1) is a no-op. */
void pt_rfile_close(pt_rfile *f);
/* Size, modification time and inode of a file by name (stat); false on error. */
bool pt_platform_file_id(const char *path, pt_rfile_id *out);
/* The same of the open file; false on error. */
bool pt_rfile_identity(const pt_rfile *f, pt_rfile_id *out);
/* The next bytes, in order: *got is 0 at the end.  PT_EIO on error. */
pt_code pt_rfile_read(pt_rfile *f, void *buf, size_t len, size_t *got, pt_error *err);
/* Up to len bytes at file offset off (fewer only at the end of the file);
 * the position of pt_rfile_read does not move.  PT_EIO on error. */
pt_code pt_rfile_read_at(const pt_rfile *f, uint64_t off, void *buf, size_t len,
                         size_t *got, pt_error *err);

/* Called for each regular file under a folder, in name order; return false
 * to stop.  Unlike pt_platform_walk, no stat is made per file (the type
 * comes from the folder entry), so the size is not known here. */
typedef bool (*pt_walk_name_fn)(void *ctx, const char *path, const char *name);
/* Walks `dir` recursively (bounded by PT_MAX_WALK_*); symbolic links are
 * not followed.  What it leaves out (unreadable subfolders, folders past
 * the depth limit, files past the count limit) goes to `problem` (may be
 * NULL) as pt_platform_walk_checked says it.  PT_EIO when `dir` itself
 * can't be read. */
pt_code pt_platform_walk_names(const char *dir, pt_walk_name_fn fn, pt_walk_problem_fn problem,
                               void *ctx, pt_error *err);

/* Online processors, at least 1. */
unsigned pt_parallel_cpus(void);
/* Runs fn(ctx, 0) on the calling thread and fn(ctx, i) for i = 1..n-1 on
 * new threads, and returns when all have returned.  When a thread can't be
 * started, fewer run: fn must take its work from a shared queue. */
void pt_parallel_run(unsigned n, void (*fn)(void *ctx, unsigned worker), void *ctx);
/* Gives the processor to another thread for a moment (a worker waiting
 * for the walk to find more files). */
void pt_parallel_pause(void);

/* The folder walk's limit messages, the same on every platform (path.c):
 * the file where PT_MAX_WALK_FILES stopped it, and at its end the
 * unreadable folders past the first PT_MAX_WALK_PROBLEMS and the folders
 * past PT_MAX_WALK_DEPTH (first_deep: the first, or NULL).  problem may be
 * NULL (nothing is said). */
void pt_walk_report_too_many(pt_walk_problem_fn problem, void *ctx, const char *path);
void pt_walk_report_end(pt_walk_problem_fn problem, void *ctx, const char *dir,
                        size_t unreadable, size_t too_deep, const char *first_deep);

#endif /* PT_IO_H */
