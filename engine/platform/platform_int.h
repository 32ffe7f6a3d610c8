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

#endif /* PT_PLATFORM_INT_H */
