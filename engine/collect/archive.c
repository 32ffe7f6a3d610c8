/*
 * archive.c - the collect stage's case archives: a .zip or a tar (plain,
 * gzip, xz) streamed through libarchive, each regular file handed over in
 * memory and nothing written to disk.  Every entry is checked before its
 * bytes are read: paths and links that leave the archive, too many
 * entries, too many bytes and decompression bombs refuse the archive.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"

#include "pooltriage/libarchive.h"

#include <string.h>

/* Read in chunks of this size, so a bomb is caught within one chunk. */
#define CHUNK (64u * 1024u)

pt_archive_limits pt_archive_limits_default(void)
{
    pt_archive_limits l = {PT_MAX_WALK_FILES, PT_MAX_WALK_DEPTH, PT_MAX_ARCHIVE_BYTES,
                           PT_MAX_ARCHIVE_RATIO, PT_ARCHIVE_RATIO_FREE};
    return l;
}

bool pt_archive_name(const char *path)
{
    static const char *const names[] = {".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (pt_ends_with_ci(path, names[i]))
            return true;
    return false;
}

/* Cleans an entry path into out ("./a//b/" -> "a/b"), refusing absolute
 * paths (also "C:" and "\\"), ".." and paths deeper than the walk's
 * limit.  Backslashes count as separators: a zip made on Windows may use
 * them.  Returns NULL with the reason, or out. */
static const char *clean_path(const char *in, char *out, size_t len, unsigned max_depth,
                              const char **why, pt_code *code)
{
    *code = PT_EFORMAT;
    if (in == NULL || in[0] == '\0')
        return *why = "an entry without a name", NULL;
    if (in[0] == '/' || in[0] == '\\' ||
        (((in[0] | 0x20) >= 'a' && (in[0] | 0x20) <= 'z') && in[1] == ':'))
        return *why = "an absolute path", NULL;
    size_t o = 0, depth = 0;
    for (const char *p = in; *p;) {
        size_t n = strcspn(p, "/\\");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return *why = "a '..' path that leaves the archive", NULL;
        if (n > 0 && !(n == 1 && p[0] == '.')) {
            if (++depth > max_depth + 1u) {   /* the folders, then the file */
                *code = PT_ELIMIT;
                return *why = "a path deeper than the folder limit", NULL;
            }
            if (o + n + 2 > len)
                return *why = "a path too long", NULL;
            if (o)
                out[o++] = '/';
            memcpy(out + o, p, n);
            o += n;
        }
        p += n;
        while (*p == '/' || *p == '\\')
            p++;
    }
    out[o] = '\0';
    return out;
}

/* A link target is safe when, taken from the folder of the link (or from
 * the top, for a hard link), it stays inside the archive. */
static bool link_stays_inside(const char *entry, const char *target, bool hard)
{
    if (target == NULL || target[0] == '\0' || target[0] == '/' || target[0] == '\\' ||
        (target[0] && target[1] == ':'))
        return false;
    long depth = 0;
    if (!hard)
        for (const char *p = entry; *p; p++)
            depth += *p == '/';
    for (const char *p = target; *p;) {
        size_t n = strcspn(p, "/\\");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0)
                return false;
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n;
        while (*p == '/' || *p == '\\')
            p++;
    }
    return true;
}

typedef struct reader {
    const char *path;
    pt_archive_limits lim;
    struct archive *a;
    uint64_t packed;             /* the archive's size on disk */
    uint64_t unpacked;           /* bytes of all entries so far */
    size_t entries;
    pt_error *err;
} reader;

static pt_code refuse(reader *r, pt_code code, const char *entry, const char *why,
                      uint64_t limit)
{
    char lim[48] = "";
    if (limit)
        snprintf(lim, sizeof lim, " (limit %llu)", (unsigned long long)limit);
    if (entry)   /* a long entry name is cut, so the reason always shows */
        return pt_error_set(r->err, code, r->path, "%.160s%s: refused: %s%s", entry,
                            strlen(entry) > 160 ? "..." : "", why, lim);
    return pt_error_set(r->err, code, r->path, "refused: %s%s", why, lim);
}

/* Reads one entry's bytes, counting them against the limits; keeps them
 * in *buf when they fit in max_keep. */
static pt_code read_entry(reader *r, const char *name, size_t max_keep, pt_buf *buf,
                          size_t *len)
{
    char chunk[CHUNK];
    *len = 0;
    for (;;) {
        la_ssize_t n = archive_read_data(r->a, chunk, sizeof chunk);
        if (n == 0)
            return PT_OK;
        if (n < 0)
            return pt_error_set(r->err, PT_EFORMAT, r->path, "%.160s%s: cannot unpack: %s",
                                name, strlen(name) > 160 ? "..." : "",
                                archive_error_string(r->a) ? archive_error_string(r->a)
                                                           : "damaged entry");
        r->unpacked += (uint64_t)n;
        *len += (size_t)n;
        if (r->unpacked > r->lim.max_bytes)
            return refuse(r, PT_ELIMIT, name, "more bytes unpacked than the archive limit",
                          r->lim.max_bytes);
        if (r->unpacked > r->lim.ratio_free &&
            r->unpacked / (r->packed ? r->packed : 1) >= r->lim.max_ratio)
            return refuse(r, PT_ELIMIT, name, "a decompression bomb: it unpacks to more times "
                          "its size than the ratio limit", r->lim.max_ratio);
        if (*len <= max_keep)
            pt_buf_append(buf, chunk, (size_t)n);
        else
            pt_buf_free(buf);
        if (buf->failed)
            return pt_error_set(r->err, PT_ENOMEM, "", "out of memory");
    }
}

/* Checks one header; *skip is set for entries that are not regular files. */
static pt_code check_entry(reader *r, struct archive_entry *e, char *name, size_t len,
                           bool *skip)
{
    const char *why;
    pt_code code;
    const char *raw = archive_entry_pathname(e);
    if (++r->entries > r->lim.max_entries)
        return refuse(r, PT_ELIMIT, NULL, "more entries than the folder walk's limit",
                      r->lim.max_entries);
    if (clean_path(raw, name, len, r->lim.max_depth, &why, &code) == NULL)
        return refuse(r, code, raw ? raw : "(no name)", why, 0);
    const char *hard = archive_entry_hardlink(e);
    const char *sym = archive_entry_symlink(e);
    if (hard && !link_stays_inside(name, hard, true))
        return refuse(r, PT_EFORMAT, name, "a hard link out of the archive", 0);
    if (sym && !link_stays_inside(name, sym, false))
        return refuse(r, PT_EFORMAT, name, "a symbolic link out of the archive", 0);
    if (archive_entry_is_encrypted(e))
        return refuse(r, PT_EFORMAT, name, "an encrypted entry", 0);
    mode_t type = archive_entry_filetype(e);
    if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK && !hard)
        return refuse(r, PT_EFORMAT, name, "a device, FIFO or socket entry", 0);
    *skip = type != AE_IFREG || hard || sym;
    return PT_OK;
}

static pt_code read_all(reader *r, size_t max_keep, pt_archive_fn fn, void *ctx)
{
    char name[4096];
    struct archive_entry *e;
    for (;;) {
        int st = archive_read_next_header(r->a, &e);
        if (st == ARCHIVE_EOF)
            return PT_OK;
        if (st < ARCHIVE_WARN)
            return pt_error_set(r->err, PT_EFORMAT, r->path, "not a readable archive: %s",
                                archive_error_string(r->a) ? archive_error_string(r->a)
                                                           : "unknown format");
        bool skip = false;
        pt_code rc = check_entry(r, e, name, sizeof name, &skip);
        if (rc != PT_OK)
            return rc;
        if (skip)
            continue;
        pt_buf data = {0};
        size_t len = 0;
        rc = read_entry(r, name, max_keep, &data, &len);
        pt_archive_entry ent = {name, len <= max_keep ? (const uint8_t *)data.data : NULL, len,
                                archive_entry_mtime_is_set(e)
                                    ? (int64_t)archive_entry_mtime(e) : PT_UNKNOWN};
        if (ent.data == NULL && len == 0)
            ent.data = (const uint8_t *)"";
        bool go_on = rc == PT_OK ? fn(ctx, &ent) : false;
        pt_buf_free(&data);
        if (rc != PT_OK || !go_on)
            return rc;
    }
}

pt_code pt_archive_read(const char *path, const pt_archive_limits *limits, size_t max_keep,
                        pt_archive_fn fn, void *ctx, pt_error *err)
{
    int fd = -1;
    pt_code rc = pt_platform_open_input(path, &fd, err);
    if (rc == PT_OK && (rc = pt_libarchive_load(path, err)) != PT_OK)
        pt_platform_close(fd);
    if (rc != PT_OK)
        return rc;
    pt_file_info st;
    reader r = {path, limits ? *limits : pt_archive_limits_default(), archive_read_new(), 0, 0,
                0, err};
    if (pt_platform_fstat(fd, &st))
        r.packed = st.size;
    if (r.a == NULL) {
        pt_platform_close(fd);
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    }
    /* only what a case archive is: zip, tar, and gzip or xz around a tar */
    archive_read_support_format_zip(r.a);
    archive_read_support_format_tar(r.a);
    archive_read_support_format_gnutar(r.a);
    archive_read_support_filter_gzip(r.a);
    archive_read_support_filter_xz(r.a);
    if (archive_read_open_fd(r.a, fd, CHUNK) != ARCHIVE_OK)
        rc = pt_error_set(err, PT_EFORMAT, path, "not a readable archive: %s",
                          archive_error_string(r.a) ? archive_error_string(r.a)
                                                    : "unknown format");
    else
        rc = read_all(&r, max_keep, fn, ctx);
    archive_read_free(r.a);
    pt_platform_close(fd);
    return rc;
}

/* ---- captures from an archive ---- */

typedef struct capture_ctx {
    pt_arena *arena;
    const char *path;
    pt_capture_format hint;
    pt_snapshot *snaps;
    size_t count, cap;
    pt_code rc;
    pt_error *err;
} capture_ctx;

static const char *entry_base(const char *name)
{
    const char *s = strrchr(name, '/'); /* an entry name, not a file path */
    return s ? s + 1 : name;
}

static bool on_capture_entry(void *ctx, const pt_archive_entry *e)
{
    capture_ctx *c = ctx;
    if (e->data == NULL)
        return true;          /* larger than any capture */
    char *text = NULL;
    size_t text_len = 0;
    pt_snapshot s;
    const char *source = pt_arena_printf(c->arena, "%s:%s", c->path, e->name);
    if (source == NULL) {
        c->rc = pt_error_set(c->err, PT_ENOMEM, "", "out of memory");
        return false;
    }
    if (pt_text_decode(c->arena, e->data, e->len, &text, &text_len, NULL) != PT_OK ||
        pt_capture_parse(c->arena, source, text, text_len, c->hint, &s, NULL) != PT_OK)
        return true;          /* not a capture: a driver, a note, a screenshot */
    if (s.time_source == PT_TIME_NONE) {
        if (pt_time_parse(entry_base(e->name), false, &s.time))
            s.time_source = PT_TIME_NAME;
        else if (pt_capture_content_time(text, text_len, &s.time))
            s.time_source = PT_TIME_CONTENT;
        else if ((s.time = e->mtime) != PT_UNKNOWN)
            s.time_source = PT_TIME_MTIME;
    }
    if (!PT_PUSH(c->snaps, c->count, c->cap, s)) {
        c->rc = pt_error_set(c->err, PT_ENOMEM, "", "out of memory");
        return false;
    }
    return true;
}

pt_code pt_capture_load_archive(pt_arena *arena, const char *path, pt_capture_format hint,
                                pt_snapshot **out, size_t *count, pt_error *err)
{
    capture_ctx c = {arena, path, hint, NULL, 0, 0, PT_OK, err};
    pt_code rc = pt_archive_read(path, NULL, PT_MAX_CAPTURE_BYTES, on_capture_entry, &c, err);
    if (rc == PT_OK)
        rc = c.rc;
    if (rc != PT_OK) {
        pt_free(c.snaps);
        return rc;
    }
    if (!pt_arena_adopt(arena, c.snaps))   /* frees them when it fails */
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    *out = c.snaps;
    *count = c.count;
    return PT_OK;
}
