/*
 * case_write.c - the report stage's case archive (`pooltriage collect`): a
 * .zip that `triage` reads on any platform, for a shop that escalates to a
 * vendor or analyses elsewhere.  It holds the captures of a verdict, the
 * drivers attribution named (or every driver), the Windows tree's
 * ntoskrnl.exe, the catalogs that sign those drivers, and a manifest with
 * the host, the OS, the time and the sha256 of every file.  Nothing else
 * is ever copied.  The archive is written to a temporary file beside the
 * target and linked into place only when complete: an existing file is
 * never overwritten, and a failed run leaves nothing behind.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"
#include "pt_json.h"

#include "pooltriage/libarchive.h"

#include <cJSON.h>
#include <errno.h>
#include <openssl/evp.h>
#include <string.h>
#include <time.h>

#define CHUNK (64u * 1024u)

typedef struct writer {
    pt_arena *arena;
    struct archive *a;
    const char *name;          /* the folder inside the archive */
    cJSON *files;              /* the manifest's list */
    const char **added;        /* entry paths so far (no file twice) */
    size_t added_count, added_cap;
    uint8_t *chunk;
    pt_case_summary *sum;
    pt_error *err;
} writer;

static bool added_already(writer *w, const char *entry)
{
    for (size_t i = 0; i < w->added_count; i++)
        if (strcmp(w->added[i], entry) == 0)
            return true;
    return false;
}

static pt_code archive_fail(writer *w, const char *where)
{
    const char *why = archive_error_string(w->a);
    return pt_error_set(w->err, PT_EIO, where, "cannot write the case archive: %s",
                        why ? why : "unknown error");
}

/* Copies one file into the archive as NAME/entry, streamed in chunks with
 * its sha256, and lists it in the manifest. */
static pt_code add_file(writer *w, const char *from, const char *entry)
{
    /* not a file path: a zip entry, '/' on every system */
    char *path = pt_arena_printf(w->arena, "%s/%s", w->name, entry); /* not a file path */
    if (path == NULL)
        return pt_error_set(w->err, PT_ENOMEM, from, "out of memory");
    if (added_already(w, path))
        return PT_OK;
    pt_rfile f;
    pt_rfile_id id;
    pt_code rc = pt_rfile_open_input(&f, from, w->err);
    if (rc != PT_OK)
        return rc;
    if (!pt_rfile_identity(&f, &id)) {
        pt_rfile_close(&f);
        return pt_error_set(w->err, PT_EIO, from, "cannot read its size");
    }
    struct archive_entry *e = archive_entry_new();
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (e == NULL || md == NULL || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        rc = pt_error_set(w->err, PT_ENOMEM, from, "out of memory");
        goto done;
    }
    archive_entry_set_pathname(e, path);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)id.size);
    archive_entry_set_mtime(e, (time_t)(id.mtime_ns / 1000000000), 0);
    if (archive_write_header(w->a, e) != ARCHIVE_OK) {
        rc = archive_fail(w, from);
        goto done;
    }
    uint64_t total = 0;
    for (;;) {
        size_t got = 0;
        rc = pt_rfile_read(&f, w->chunk, CHUNK, &got, w->err);
        if (rc != PT_OK || got == 0)
            break;
        total += got;
        if (total > id.size) {
            rc = pt_error_set(w->err, PT_EIO, from, "the file grew while it was collected");
            break;
        }
        EVP_DigestUpdate(md, w->chunk, got);
        if (archive_write_data(w->a, w->chunk, got) != (la_ssize_t)got) {
            rc = archive_fail(w, from);
            break;
        }
    }
    if (rc == PT_OK && total != id.size)
        rc = pt_error_set(w->err, PT_EIO, from, "the file shrank while it was collected");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;
    char hex[65];
    if (rc == PT_OK && (!EVP_DigestFinal_ex(md, digest, &dlen) || dlen != 32))
        rc = pt_error_set(w->err, PT_ENOMEM, from, "out of memory");
    if (rc == PT_OK) {
        pt_hex_into(digest, 32, hex);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "path", pt_json_str(path));
        cJSON_AddItemToObject(o, "from", pt_json_str(from));
        cJSON_AddItemToObject(o, "size", pt_json_int((int64_t)id.size));
        cJSON_AddStringToObject(o, "sha256", hex);
        cJSON_AddItemToArray(w->files, o);
        w->sum->bytes += id.size;
        if (!PT_PUSH(w->added, w->added_count, w->added_cap, path))
            rc = pt_error_set(w->err, PT_ENOMEM, from, "out of memory");
    }
done:
    EVP_MD_CTX_free(md);
    archive_entry_free(e);
    pt_rfile_close(&f);
    return rc;
}

/* The drivers to copy: the ones attribution named, or every *.sys. */
static pt_code add_drivers(writer *w, const pt_verdict *v, bool all, size_t *skipped)
{
    pt_code rc = PT_OK;
    size_t n = all ? v->driver_file_count : v->driver_count;
    for (size_t i = 0; i < n && rc == PT_OK; i++) {
        const char *path = all ? v->driver_files[i].path : v->drivers[i].path;
        const char *name = all ? v->driver_files[i].name : v->drivers[i].name;
        if (!pt_platform_is_file(path)) {   /* an entry of a case archive */
            ++*skipped;
            continue;
        }
        char *entry = pt_arena_printf(w->arena, "Windows/System32/drivers/%s", name);
        size_t before = w->added_count;
        rc = entry ? add_file(w, path, entry)
                   : pt_error_set(w->err, PT_ENOMEM, path, "out of memory");
        w->sum->drivers += w->added_count > before;
        /* the catalog that signs it, under CatRoot as Windows keeps it */
        const pt_signer *s = all ? NULL : v->drivers[i].signer;
        if (rc == PT_OK && s && s->catalog && pt_platform_is_file(s->catalog)) {
            const char *base = pt_path_base(s->catalog);
            char *parent = pt_arena_strndup(w->arena, s->catalog,
                                            (size_t)(base - s->catalog));
            size_t pl = parent ? strlen(parent) : 0;
            while (pl > 0 && pt_path_is_sep(parent[pl - 1]))
                parent[--pl] = '\0';
            char *cat = NULL;
            if (parent)   /* a zip entry */
                cat = pt_arena_printf(w->arena, "Windows/System32/CatRoot/%s/%s", /* not a file path */
                                      pt_path_base(parent), base);
            before = w->added_count;
            rc = cat ? add_file(w, s->catalog, cat)
                     : pt_error_set(w->err, PT_ENOMEM, s->catalog, "out of memory");
            w->sum->catalogs += w->added_count > before;
        }
    }
    return rc;
}

/* ROOT/Windows/System32/ntoskrnl.exe of the first tree that has one. */
static pt_code add_kernel(writer *w, const pt_verdict *v)
{
    for (size_t r = 0; r < v->root_count; r++) {
        char *krnl = pt_host_kernel_path(v->roots[r]);
        pt_code rc = krnl ? add_file(w, krnl, "Windows/System32/ntoskrnl.exe") : PT_OK;
        w->sum->kernels += krnl && rc == PT_OK;
        pt_free(krnl);
        if (rc != PT_OK || w->sum->kernels)
            return rc;
    }
    return PT_OK;
}

static pt_code add_captures(writer *w, const pt_verdict *v)
{
    for (size_t i = 0; i < v->snapshot_count; i++) {
        const char *src = v->snapshots[i].source;
        if (src == NULL || !pt_platform_is_file(src))
            continue;   /* an entry of a case archive */
        const char *entry = pt_path_base(src);
        char *shown = pt_arena_printf(w->arena, "%s/%s", w->name, entry); /* not a file path */
        if (shown && added_already(w, shown))   /* two captures of one name */
            entry = pt_arena_printf(w->arena, "%zu-%s", i + 1, entry);
        if (shown == NULL || entry == NULL)
            return pt_error_set(w->err, PT_ENOMEM, src, "out of memory");
        pt_code rc = add_file(w, src, entry);
        if (rc != PT_OK)
            return rc;
        w->sum->captures++;
    }
    return PT_OK;
}

static pt_code add_manifest(writer *w, const pt_verdict *v)
{
    cJSON *m = cJSON_CreateObject();
    char now[40];
    pt_time_format((int64_t)time(NULL), now, sizeof now);
    cJSON_AddStringToObject(m, "schema", "pooltriage-case/1");
    cJSON_AddStringToObject(m, "tool", PT_VERSION);
    cJSON_AddItemToObject(m, "host", pt_json_str(w->name));
    cJSON *os = cJSON_AddObjectToObject(m, "os");
    cJSON_AddItemToObject(os, "version", pt_json_str(v->host.os_version));
    if (v->host.os_build != PT_UNKNOWN)
        cJSON_AddItemToObject(os, "build", pt_json_int(v->host.os_build));
    else
        cJSON_AddNullToObject(os, "build");
    cJSON_AddItemToObject(os, "source", pt_json_str(v->host.os_source));
    cJSON_AddStringToObject(m, "collected", now);
    cJSON_AddItemToObject(m, "files", w->files);
    w->files = NULL;
    pt_buf text = {0};
    pt_json_finish(&text, m, true);
    cJSON_Delete(m);
    char *path = pt_arena_printf(w->arena, "%s/manifest.json", w->name); /* not a file path */
    struct archive_entry *e = archive_entry_new();
    pt_code rc = text.failed || path == NULL || e == NULL
                     ? pt_error_set(w->err, PT_ENOMEM, "manifest.json", "out of memory")
                     : PT_OK;
    if (rc == PT_OK) {
        archive_entry_set_pathname(e, path);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)text.len);
        archive_entry_set_mtime(e, time(NULL), 0);
        if (archive_write_header(w->a, e) != ARCHIVE_OK ||
            archive_write_data(w->a, text.data, text.len) != (la_ssize_t)text.len)
            rc = archive_fail(w, "manifest.json");
    }
    archive_entry_free(e);
    pt_buf_free(&text);
    return rc;
}

pt_code pt_case_write(pt_arena *arena, const pt_verdict *v, const pt_case_opts *o,
                      const char *out, pt_case_summary *sum, pt_error *err)
{
    memset(sum, 0, sizeof *sum);
    pt_code loaded = pt_libarchive_load(out, err);
    if (loaded != PT_OK)
        return loaded;
    if (pt_platform_exists(out))
        return pt_error_set(err, PT_EIO, out, "exists: collect never overwrites a file; "
                            "give another --out");
    const char *base = pt_path_base(out);
    char *tmp = pt_arena_strndup(arena, out, (size_t)(base - out));
    tmp = tmp ? pt_arena_printf(arena, "%s.%s.XXXXXX", tmp, base) : NULL;
    if (tmp == NULL)
        return pt_error_set(err, PT_ENOMEM, out, "out of memory");
    int fd = pt_platform_temp_file(tmp);
    if (fd < 0)
        return pt_error_set(err, PT_EIO, out, "cannot create a file beside it: %s",
                            strerror(errno));
    writer w = {arena, archive_write_new(), o->name, cJSON_CreateArray(), NULL, 0, 0,
                pt_malloc(CHUNK), sum, err};
    pt_code rc = w.a && w.files && w.chunk ? PT_OK
                                           : pt_error_set(err, PT_ENOMEM, out, "out of memory");
    if (rc == PT_OK && (archive_write_set_format_zip(w.a) != ARCHIVE_OK ||
                        archive_write_open_fd(w.a, fd) != ARCHIVE_OK))
        rc = archive_fail(&w, out);
    if (rc == PT_OK)
        rc = add_captures(&w, v);
    if (rc == PT_OK)
        rc = add_drivers(&w, v, o->all_drivers, &sum->skipped);
    if (rc == PT_OK)
        rc = add_kernel(&w, v);
    if (rc == PT_OK)
        rc = add_manifest(&w, v);
    if (w.a && archive_write_close(w.a) != ARCHIVE_OK && rc == PT_OK)
        rc = archive_fail(&w, out);
    archive_write_free(w.a);
    cJSON_Delete(w.files);
    pt_free(w.added);
    pt_free(w.chunk);
    if (rc == PT_OK && (pt_platform_chmod_default(fd) != 0 || pt_platform_sync(fd) != 0))
        rc = pt_error_set(err, PT_EIO, out, "cannot write: %s", strerror(errno));
    if (pt_platform_close(fd) != 0 && rc == PT_OK)
        rc = pt_error_set(err, PT_EIO, out, "cannot write: %s", strerror(errno));
    if (rc == PT_OK && pt_platform_link(tmp, out) != 0) {   /* never over an existing file */
        if (errno == EEXIST)
            rc = pt_error_set(err, PT_EIO, out, "exists: collect never overwrites a file; "
                              "give another --out");
        else
            rc = pt_error_set(err, PT_EIO, out, "cannot create: %s", strerror(errno));
    }
    pt_platform_remove(tmp);
    return rc;
}
