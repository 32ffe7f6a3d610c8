/*
 * pooltriage/libarchive.h - libarchive as the engine calls it.  On Linux it
 * is loaded at the first archive a run reads or writes (dlopen of
 * libarchive.so.13), so the many libraries it pulls in (libxml2, ICU,
 * libstdc++, the compressors) cost nothing to the runs that read no
 * archive; the Windows build links it in and the table points at it.
 * Include it instead of <archive.h>: with PT_LAZY_LIBARCHIVE each call
 * below goes through the table, which pt_libarchive_load must have filled.
 */
#ifndef PT_LIBARCHIVE_H
#define PT_LIBARCHIVE_H

#include "pooltriage/core.h"

#include <archive.h>
#include <archive_entry.h>

#define PT_LIBARCHIVE_FNS(X) \
    X(archive_entry_filetype) \
    X(archive_entry_free) \
    X(archive_entry_hardlink) \
    X(archive_entry_is_encrypted) \
    X(archive_entry_mtime) \
    X(archive_entry_mtime_is_set) \
    X(archive_entry_new) \
    X(archive_entry_pathname) \
    X(archive_entry_set_filetype) \
    X(archive_entry_set_mtime) \
    X(archive_entry_set_pathname) \
    X(archive_entry_set_perm) \
    X(archive_entry_set_size) \
    X(archive_entry_symlink) \
    X(archive_error_string) \
    X(archive_read_data) \
    X(archive_read_free) \
    X(archive_read_new) \
    X(archive_read_next_header) \
    X(archive_read_open_fd) \
    X(archive_read_support_filter_gzip) \
    X(archive_read_support_filter_xz) \
    X(archive_read_support_format_gnutar) \
    X(archive_read_support_format_tar) \
    X(archive_read_support_format_zip) \
    X(archive_write_close) \
    X(archive_write_data) \
    X(archive_write_free) \
    X(archive_write_header) \
    X(archive_write_new) \
    X(archive_write_open_fd) \
    X(archive_write_set_format_zip)

typedef struct pt_libarchive {
#define PT_LIBARCHIVE_FIELD(name) __typeof__(name) *name;
    PT_LIBARCHIVE_FNS(PT_LIBARCHIVE_FIELD)
#undef PT_LIBARCHIVE_FIELD
} pt_libarchive;

/* Loads libarchive once (thread-safe); PT_EIO "cannot read or write
 * archives: ..." saying what to install when it cannot. */
pt_code pt_libarchive_load(const char *where, pt_error *err);
/* The table, after a successful pt_libarchive_load. */
const pt_libarchive *pt_libarchive_get(void);

#ifdef PT_LAZY_LIBARCHIVE
#define archive_entry_filetype (pt_libarchive_get()->archive_entry_filetype)
#define archive_entry_free (pt_libarchive_get()->archive_entry_free)
#define archive_entry_hardlink (pt_libarchive_get()->archive_entry_hardlink)
#define archive_entry_is_encrypted (pt_libarchive_get()->archive_entry_is_encrypted)
#define archive_entry_mtime (pt_libarchive_get()->archive_entry_mtime)
#define archive_entry_mtime_is_set (pt_libarchive_get()->archive_entry_mtime_is_set)
#define archive_entry_new (pt_libarchive_get()->archive_entry_new)
#define archive_entry_pathname (pt_libarchive_get()->archive_entry_pathname)
#define archive_entry_set_filetype (pt_libarchive_get()->archive_entry_set_filetype)
#define archive_entry_set_mtime (pt_libarchive_get()->archive_entry_set_mtime)
#define archive_entry_set_pathname (pt_libarchive_get()->archive_entry_set_pathname)
#define archive_entry_set_perm (pt_libarchive_get()->archive_entry_set_perm)
#define archive_entry_set_size (pt_libarchive_get()->archive_entry_set_size)
#define archive_entry_symlink (pt_libarchive_get()->archive_entry_symlink)
#define archive_error_string (pt_libarchive_get()->archive_error_string)
#define archive_read_data (pt_libarchive_get()->archive_read_data)
#define archive_read_free (pt_libarchive_get()->archive_read_free)
#define archive_read_new (pt_libarchive_get()->archive_read_new)
#define archive_read_next_header (pt_libarchive_get()->archive_read_next_header)
#define archive_read_open_fd (pt_libarchive_get()->archive_read_open_fd)
#define archive_read_support_filter_gzip (pt_libarchive_get()->archive_read_support_filter_gzip)
#define archive_read_support_filter_xz (pt_libarchive_get()->archive_read_support_filter_xz)
#define archive_read_support_format_gnutar (pt_libarchive_get()->archive_read_support_format_gnutar)
#define archive_read_support_format_tar (pt_libarchive_get()->archive_read_support_format_tar)
#define archive_read_support_format_zip (pt_libarchive_get()->archive_read_support_format_zip)
#define archive_write_close (pt_libarchive_get()->archive_write_close)
#define archive_write_data (pt_libarchive_get()->archive_write_data)
#define archive_write_free (pt_libarchive_get()->archive_write_free)
#define archive_write_header (pt_libarchive_get()->archive_write_header)
#define archive_write_new (pt_libarchive_get()->archive_write_new)
#define archive_write_open_fd (pt_libarchive_get()->archive_write_open_fd)
#define archive_write_set_format_zip (pt_libarchive_get()->archive_write_set_format_zip)
#endif

#endif /* PT_LIBARCHIVE_H */
