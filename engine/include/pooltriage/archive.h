/*
 * pooltriage/archive.h - case archives (collect stage): a .zip, .tar,
 * .tar.gz or .tar.xz read as a stream with libarchive, never extracted to
 * disk.  Each regular file reaches the caller in memory; an archive that
 * tries to leave its own tree or to exhaust memory is refused whole.
 */
#ifndef POOLTRIAGE_ARCHIVE_H
#define POOLTRIAGE_ARCHIVE_H

#include "collect.h"
#include "core.h"

/* The limits on one archive.  Entries and folder depth are the folder
 * walk's (PT_MAX_WALK_FILES, PT_MAX_WALK_DEPTH); these are the rest. */
/* Bytes of all entries together, unpacked. */
#define PT_MAX_ARCHIVE_BYTES (4ull * 1024u * 1024u * 1024u)
/* Unpacked bytes per byte of archive: past PT_ARCHIVE_RATIO_FREE bytes,
 * more than this is a decompression bomb.  Text captures pack about 10:1
 * and drivers 3:1; a bomb of zeros packs about 1000:1. */
#define PT_MAX_ARCHIVE_RATIO 100u
/* The largest archive entry the scan and describe stages read from the
 * stream (one at a time, in memory); a larger one is an input error. */
#define PT_MAX_ARCHIVE_MEMBER_BYTES (128u * 1024u * 1024u)
#define PT_ARCHIVE_RATIO_FREE (16u * 1024u * 1024u)

/* True when the name ends in .zip, .tar, .tar.gz, .tgz, .tar.xz or .txz
 * (case-insensitively): the names pooltriage reads as archives. */
bool pt_archive_name(const char *path);

/* One regular file of an archive, as the callback sees it.  `name` is its
 * path inside the archive, cleaned ("./a//b" is "a/b").  `data` holds its
 * bytes when len <= the max_keep given to pt_archive_read, else NULL (the
 * bytes were read and counted, not kept).  Both live until the callback
 * returns. */
typedef struct pt_archive_entry {
    const char *name;
    const uint8_t *data;
    size_t len;
    int64_t mtime;       /* Unix seconds from the archive, or PT_UNKNOWN */
} pt_archive_entry;

/* The limits of one read; pt_archive_limits_default gives the ones above. */
typedef struct pt_archive_limits {
    uint64_t max_entries;        /* PT_MAX_WALK_FILES */
    unsigned max_depth;          /* PT_MAX_WALK_DEPTH */
    uint64_t max_bytes;          /* PT_MAX_ARCHIVE_BYTES */
    uint64_t max_ratio;          /* PT_MAX_ARCHIVE_RATIO */
    uint64_t ratio_free;         /* PT_ARCHIVE_RATIO_FREE */
} pt_archive_limits;

pt_archive_limits pt_archive_limits_default(void);

/* Return false to stop (pt_archive_read then returns PT_OK). */
typedef bool (*pt_archive_fn)(void *ctx, const pt_archive_entry *e);

/* Streams the archive at `path` (limits NULL: the defaults) and calls fn for each regular file, in
 * archive order.  Folders are skipped, and so are links that stay inside
 * the archive (nothing is ever followed).  The whole archive is refused
 * (nothing more is passed on) with PT_EFORMAT for an absolute path or a
 * ".." component, a link whose target is absolute or leaves the archive,
 * a device or FIFO entry, an encrypted entry, a damaged or unknown format;
 * with PT_ELIMIT for more entries, a deeper path, more bytes unpacked, or
 * more unpacked bytes per archive byte (past the first ratio_free) than
 * the limits allow; PT_EIO when it can't be read.  err->where names
 * "ARCHIVE: ENTRY" when an entry is at fault.  Entries passed before a
 * refusal were complete: callers that must not act on a refused archive
 * collect first and act after PT_OK. */
pt_code pt_archive_read(const char *path, const pt_archive_limits *limits, size_t max_keep,
                        pt_archive_fn fn, void *ctx, pt_error *err);

/* Every entry of the archive that parses as a pool capture, in archive
 * order, as pt_capture_load would give it: source "ARCHIVE:ENTRY", time
 * from the entry name, then its content, then the entry's time in the
 * archive (PT_TIME_MTIME).  *out is arena memory.  Errors as
 * pt_archive_read; an archive without a capture is PT_OK with count 0. */
pt_code pt_capture_load_archive(pt_arena *arena, const char *path, pt_capture_format hint,
                                pt_snapshot **out, size_t *count, pt_error *err);

#endif
