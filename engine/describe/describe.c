/*
 * describe.c - the describe stage: pt_describe_file() reads a file once,
 * by offset and through one bounded window, and gives its PE facts,
 * version resource, Authenticode or catalog signer and hashes.
 * pt_describe_files() runs it on a few workers, each with its own arena,
 * so the digests and signature checks of different files run in parallel.
 */
#include "describe_int.h"
#include "pooltriage/limits.h"

#include <stdatomic.h>
#include <string.h>

#define MAX_WORKERS 8u

const char *pt_sig_status_name(pt_sig_status status)
{
    switch (status) {
    case PT_SIG_SIGNED: return "signed";
    case PT_SIG_INVALID: return "invalid";
    default: return "unsigned";
    }
}

bool pt_sig_status_parse(const char *s, pt_sig_status *out)
{
    static const pt_sig_status all[] = {PT_SIG_UNSIGNED, PT_SIG_SIGNED, PT_SIG_INVALID};
    for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
        if (strcmp(s, pt_sig_status_name(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    return false;
}

/* The digests this file needs, so one pass computes them all. */
static void plan_digests(pt_src *src, const pt_pe_info *pe, bool pe_read, unsigned what,
                         const pt_catalog_index *cats, pt_digests *d)
{
    memset(d, 0, sizeof *d);
    bool all = (what & PT_DESCRIBE_HASHES) != 0;
    d->want_md5 = d->want_sha1 = all;
    d->want_sha256 = all || (what & PT_DESCRIBE_SHA256);
    if (!pe_read)
        return;
    bool signed_file = pe->security_size > 0;
    /* a catalog is searched by both image digests; a signature needs the
     * one it names, SHA-256 nearly always */
    d->want_pesha256 = all || signed_file || cats != NULL;
    d->want_pesha1 = all || cats != NULL || (signed_file && pt_authenticode_wants_sha1(src, pe));
}

/* Describes one file through `win` (PT_DESCRIBE_WINDOW bytes): the file
 * at `path`, or with mem, bytes in memory shown as `path`. */
static pt_code describe_one(pt_arena *arena, const char *path, const pt_archive_entry *mem,
                            unsigned what, const pt_catalog_index *cats, uint8_t *win,
                            pt_description *out, pt_error *err)
{
    memset(out, 0, sizeof *out);
    out->path = pt_arena_strdup(arena, path);
    if (out->path == NULL)
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    pt_rfile f;
    pt_rfile_id id;
    pt_error ferr = {0};
    pt_code rc = PT_OK;
    if (mem)
        pt_rfile_open_memory(&f, out->path, mem->data, mem->len);
    else
        rc = pt_rfile_open_input(&f, path, &ferr);
    if (rc == PT_OK && !pt_rfile_identity(&f, &id))
        rc = pt_error_set(&ferr, PT_EIO, path, "cannot read its size");
    pt_src src = {.file = &f, .len = rc == PT_OK ? id.size : 0, .win = win};
    out->size = src.len;
    if (rc == PT_OK)
        rc = pt_pe_parse_src(arena, &src, &out->pe);
    out->pe_read = rc == PT_OK && !(out->pe.flags & PT_PE_NOT_PE);
    pt_digests d;
    plan_digests(&src, &out->pe, out->pe_read, what, cats, &d);
    bool pe_only = (what & PT_DESCRIBE_PE_ONLY) != 0;
    if (rc == PT_OK && !pe_only)
        rc = pt_digests_compute(&src, &out->pe, &d, &ferr);
    if (rc == PT_OK && !pe_only)
        rc = pt_authenticode_read_src(arena, &src, &out->pe, &d, &out->signer);
    if (rc == PT_OK && !pe_only)
        rc = pt_catalog_resolve_digests(arena, cats, d.pesha256_ok ? d.pesha256 : NULL,
                                        d.pesha1_ok ? d.pesha1 : NULL, &out->signer);
    if (rc == PT_OK && src.failed)
        rc = pt_error_set(&ferr, PT_EIO, path, "cannot read: the file changed or failed");
    pt_os_trust os;
    if (rc == PT_OK && !pe_only && mem == NULL && out->pe_read && pt_platform_os_trust(path, &os)) {
        out->signer.windows_verdict = pt_arena_strdup(arena, os.verdict);
        out->signer.windows_detail = pt_arena_strdup(arena, os.detail);
        out->signer.windows_catalog = os.catalog[0] ? pt_arena_strdup(arena, os.catalog) : NULL;
        if (out->signer.windows_verdict == NULL || out->signer.windows_detail == NULL)
            rc = PT_ENOMEM;
    }
    if (rc == PT_OK)
        pt_digests_hex(&d, &out->hashes);
    pt_rfile_close(&f);
    if (rc == PT_EIO) {
        out->error = pt_arena_strdup(arena, ferr.message);
        out->pe_read = false;
        if (out->error == NULL)
            rc = PT_ENOMEM;
    }
    if (rc == PT_ENOMEM)
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    if (rc != PT_OK && err)
        *err = ferr;
    return rc;
}

/* describe_one with a window of its own. */
static pt_code describe_alone(pt_arena *arena, const char *path, const pt_archive_entry *mem,
                              unsigned what, const pt_catalog_index *cats,
                              pt_description *out, pt_error *err)
{
    uint8_t *win = pt_malloc(PT_DESCRIBE_WINDOW);
    if (win == NULL) {
        memset(out, 0, sizeof *out);
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    }
    pt_code rc = describe_one(arena, path, mem, what, cats, win, out, err);
    pt_free(win);
    return rc;
}

pt_code pt_describe_file(pt_arena *arena, const char *path, unsigned what,
                         const pt_catalog_index *cats, pt_description *out, pt_error *err)
{
    return describe_alone(arena, path, NULL, what, cats, out, err);
}

pt_code pt_describe_memory(pt_arena *arena, const char *shown, const uint8_t *data, size_t len,
                           unsigned what, const pt_catalog_index *cats, pt_description *out,
                           pt_error *err)
{
    pt_archive_entry mem = {shown, data, len, PT_UNKNOWN};
    return describe_alone(arena, shown, &mem, what, cats, out, err);
}

/* ---- entries of a case archive ---- */

typedef struct archive_job {
    pt_arena *arena;
    const char *archive;
    const char *const *entries;
    size_t count;
    unsigned what;
    const pt_catalog_index *cats;
    uint8_t *win;
    pt_description *out;
    bool *done;
    pt_error *err;
    pt_code rc;
} archive_job;

static bool on_entry(void *ctx, const pt_archive_entry *e)
{
    archive_job *j = ctx;
    for (size_t i = 0; i < j->count; i++) {
        if (j->done[i] || strcmp(j->entries[i], e->name) != 0)
            continue;
        j->done[i] = true;
        char *shown = pt_arena_printf(j->arena, "%s:%s", j->archive, e->name);
        if (shown == NULL) {
            j->rc = pt_error_set(j->err, PT_ENOMEM, j->archive, "out of memory");
            return false;
        }
        if (e->data == NULL) {
            memset(&j->out[i], 0, sizeof j->out[i]);
            j->out[i].path = shown;
            j->out[i].size = e->len;
            j->out[i].error = "too large to read inside a case archive";
            continue;
        }
        pt_error derr = {0};
        if (describe_one(j->arena, shown, e, j->what, j->cats, j->win, &j->out[i], &derr) ==
            PT_ENOMEM) {
            j->rc = pt_error_set(j->err, PT_ENOMEM, shown, "out of memory");
            return false;
        }
    }
    return true;
}

pt_code pt_describe_archive(pt_arena *arena, const char *archive, const char *const *entries,
                            size_t count, unsigned what, const pt_catalog_index *cats,
                            pt_description *out, pt_error *err)
{
    if (count == 0)
        return PT_OK;
    archive_job j = {arena, archive, entries, count, what, cats, pt_malloc(PT_DESCRIBE_WINDOW),
                     out, pt_calloc(count, sizeof(bool)), err, PT_OK};
    pt_code rc = j.win && j.done ? PT_OK : pt_error_set(err, PT_ENOMEM, archive, "out of memory");
    pt_error aerr = {0};
    if (rc == PT_OK)
        rc = pt_archive_read(archive, NULL, PT_MAX_ARCHIVE_MEMBER_BYTES, on_entry, &j, &aerr);
    if (j.rc != PT_OK)
        rc = j.rc;
    else if (rc == PT_ENOMEM)
        rc = pt_error_set(err, PT_ENOMEM, archive, "out of memory");
    for (size_t i = 0; rc != PT_ENOMEM && i < count; i++) {
        if (j.done[i])
            continue;
        memset(&out[i], 0, sizeof out[i]);   /* the archive changed, or was refused */
        out[i].path = pt_arena_printf(arena, "%s:%s", archive, entries[i]);
        out[i].error = pt_arena_strdup(arena, rc != PT_OK ? aerr.message
                                                          : "no longer in the case archive");
    }
    pt_free(j.win);
    pt_free(j.done);
    return rc == PT_ENOMEM ? PT_ENOMEM : PT_OK;
}

/* ---- many files, in parallel ---- */

typedef struct describe_job {
    const char *const *paths;
    size_t count;
    unsigned what;
    const pt_catalog_index *cats;
    pt_description *out;
    pt_arena *arenas[MAX_WORKERS];
    atomic_size_t next;
    atomic_int failed;
} describe_job;

static void describe_worker(void *ctx, unsigned worker)
{
    describe_job *job = ctx;
    pt_arena *arena = pt_arena_new();
    uint8_t *win = pt_malloc(PT_DESCRIBE_WINDOW);
    job->arenas[worker] = arena;
    if (arena == NULL || win == NULL)
        atomic_store(&job->failed, 1);
    while (!atomic_load(&job->failed)) {
        size_t k = atomic_fetch_add(&job->next, 1);
        if (k >= job->count)
            break;
        pt_error err = {0};
        if (describe_one(arena, job->paths[k], NULL, job->what, job->cats, win, &job->out[k],
                         &err) == PT_ENOMEM)
            atomic_store(&job->failed, 1);
    }
    pt_free(win);
}

pt_code pt_describe_files(pt_arena *arena, const char *const *paths, size_t count,
                          unsigned what, const pt_catalog_index *cats, unsigned threads,
                          pt_description *out, pt_error *err)
{
    if (count == 0)
        return PT_OK;
    describe_job job;
    memset(&job, 0, sizeof job);
    job.paths = paths;
    job.count = count;
    job.what = what;
    job.cats = cats;
    job.out = out;
    unsigned n = threads ? threads : pt_platform_cpu_count();
    if (n > MAX_WORKERS)
        n = MAX_WORKERS;
    if (n > count)
        n = (unsigned)count;
    pt_parallel_run(n, describe_worker, &job);
    for (unsigned i = 0; i < MAX_WORKERS; i++)
        pt_arena_absorb(arena, job.arenas[i]);
    if (atomic_load(&job.failed))
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    return PT_OK;
}

void pt_driver_set_description(pt_driver *d, const pt_description *desc)
{
    d->size = desc->size ? desc->size : d->size;
    d->pe_read = desc->pe_read;
    d->pe = desc->pe;
    d->signer = desc->pe_read ? &desc->signer : NULL;
    memcpy(d->sha256, desc->hashes.sha256, sizeof d->sha256);
    d->error = desc->error ? desc->error : desc->pe_read ? NULL : "not a PE file";
}
