/*
 * platform_int.h - what the shared parts of the platform layer (walk.c)
 * need from each system's part (posix/, win32/).  Private to engine/platform.
 */
#ifndef PT_PLATFORM_INT_H
#define PT_PLATFORM_INT_H

#include "pooltriage/core.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One folder entry.  A symbolic link or junction to a folder is is_link
 * (never walked into); special files (FIFOs, devices) are neither is_dir
 * nor is_file. */
typedef struct pt_dir_entry {
    char *name;
    bool is_dir, is_file, is_link;
    bool size_known;           /* the listing gave the size (Windows) */
    uint64_t size;
} pt_dir_entry;

/* The entries of `dir` without "." and "..", sorted by name (strcmp).
 * PT_EIO "cannot open folder: ..." or PT_ENOMEM. */
pt_code pt_platform_dir_read(const char *dir, pt_dir_entry **out, size_t *out_count,
                             pt_error *err);
void pt_platform_dir_free(pt_dir_entry *entries, size_t count);

/* The reader of a file on disk, per system; file.c's pt_rfile_* call them
 * for every pt_rfile that is not in memory (opening a named input and
 * closing go through the descriptor calls of platform.h). */
struct pt_rfile;
struct pt_rfile_id;
pt_code pt_sys_rfile_open(struct pt_rfile *f, const char *path, pt_error *err);
bool pt_sys_rfile_identity(const struct pt_rfile *f, struct pt_rfile_id *out);
pt_code pt_sys_rfile_read(struct pt_rfile *f, void *buf, size_t len, size_t *got,
                          pt_error *err);
pt_code pt_sys_rfile_read_at(const struct pt_rfile *f, uint64_t off, void *buf, size_t len,
                             size_t *got, pt_error *err);

#endif /* PT_PLATFORM_INT_H */
