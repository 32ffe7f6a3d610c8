/*
 * scan.c - the scan stage: walk every driver folder first, then scan the
 * file list with a small pool of threads (one 256 KiB read buffer each),
 * finding all tags in one pass per file; the files that hold a tag are
 * described (PE facts, sha256) by the same workers.  Results land in
 * per-file slots, so they do not depend on thread timing.
 */
#include "pooltriage/pooltriage.h"
#include "scan_int.h"
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 8u

/* One walked file and what became of it. */
typedef struct scan_file {
    pt_file_key key;          /* path in the arena */
    const char *name;
    bool kmdf_hint;           /* its KMDF default tag is in the set */
    bool need_scan, need_describe, from_cache;
    pt_file_tags *hits;       /* arena; tag_index set, driver_index later */
    size_t hit_count;
    pt_driver facts;          /* when described */
    bool described;
    const char *error;        /* unreadable: why */
} scan_file;

typedef struct scan_job {
    pt_arena *arena;
    const pt_tagset *set;
    const pt_scan_opts *opts;
    scan_file *files;
    size_t file_count, file_cap;
    pt_input_error *errors;
    size_t error_count, error_cap;
    pt_mutex *lock;           /* guards the arena */
    size_t *order;            /* file indexes, largest file first */
    atomic_size_t next;       /* the next entry of order to take */
    atomic_size_t done;
    atomic_int failed;        /* a worker ran out of memory */
    atomic_ullong bytes_read;
} scan_job;

/* A worker's own memory, reused from file to file. */
typedef struct worker {
    scan_job *job;
    uint8_t *scratch;
    int32_t *slot_of;         /* tag index -> entry of this file, or -1 */
    pt_file_tags *entries;
    size_t entry_count, entry_cap;
    uint64_t *offsets;        /* PT_MAX_HITS_PER_TAG per entry */
    size_t offset_cap;        /* in entries */
    bool oom;
} worker;

/* ---- the walk ---- */

static bool on_walk(void *ctx, const char *path, const char *name, uint64_t size)
{
    scan_job *job = ctx;
    pt_file_info st;
    scan_file f = {0};
    f.key.size = size;
    /* mtime and inode only matter to the cache; without one, no stat */
    if (job->opts->cache && pt_platform_stat(path, &st)) {
        f.key.size = st.size;
        f.key.mtime_ns = st.mtime * 1000000000 + st.mtime_ns;
        f.key.ino = st.ino;
    }
    f.key.path = pt_arena_strdup(job->arena, path);
    f.name = pt_arena_strdup(job->arena, name);
    if (f.key.path == NULL || f.name == NULL ||
        !PT_PUSH(job->files, job->file_count, job->file_cap, f)) {
        atomic_store(&job->failed, 1);
        return false;
    }
    return true;
}

static bool add_error(scan_job *job, const char *path, const char *message)
{
    pt_input_error e = {pt_arena_strdup(job->arena, path), "",
                        pt_arena_strdup(job->arena, message)};
    return e.source && e.message &&
           PT_PUSH(job->errors, job->error_count, job->error_cap, e);
}

/* What the walk left out (an unreadable folder, a limit) is an input error:
 * a warning, an `errors` entry, exit 3 with --strict. */
static void on_walk_problem(void *ctx, const char *path, const char *message)
{
    scan_job *job = ctx;
    if (!add_error(job, path, message))
        atomic_store(&job->failed, 1);
}

static pt_code walk_all(scan_job *job, const char *const *dirs, size_t dir_count)
{
    for (size_t i = 0; i < dir_count; i++) {
        pt_error werr = {0};
        if (pt_platform_walk_checked(dirs[i], on_walk, on_walk_problem, job, &werr) != PT_OK &&
            (werr.code == PT_ENOMEM || !add_error(job, dirs[i], werr.message)))
            return PT_ENOMEM;
        if (atomic_load(&job->failed))
            return PT_ENOMEM;
    }
    return PT_OK;
}

/* ---- the per-file work ---- */

static bool on_hit(void *ctx, const pt_tag_hit *hit)
{
    worker *w = ctx;
    int32_t e = w->slot_of[hit->tag_index];
    if (e < 0) {
        pt_file_tags fresh = {0};
        fresh.tag_index = hit->tag_index;
        if (!PT_PUSH(w->entries, w->entry_count, w->entry_cap, fresh)) {
            w->oom = true;
            return false;
        }
        if (w->entry_count > w->offset_cap) {
            size_t cap = w->entry_cap;
            uint64_t *p = pt_realloc(w->offsets, cap * PT_MAX_HITS_PER_TAG * sizeof *p);
            if (p == NULL) {
                w->oom = true;
                return false;
            }
            w->offsets = p;
            w->offset_cap = cap;
        }
        e = (int32_t)(w->entry_count - 1);
        w->slot_of[hit->tag_index] = e;
    }
    pt_file_tags *ft = &w->entries[e];
    if (ft->offset_count < PT_MAX_HITS_PER_TAG)
        w->offsets[(size_t)e * PT_MAX_HITS_PER_TAG + ft->offset_count++] = hit->offset;
    ft->total++;
    return true;
}

/* Copies the worker's entries for this file into the arena. */
static bool keep_hits(worker *w, scan_file *f)
{
    scan_job *job = w->job;
    bool ok = true;
    pt_mutex_lock(job->lock);
    f->hits = pt_arena_alloc(job->arena, w->entry_count * sizeof *f->hits);
    for (size_t i = 0; f->hits && i < w->entry_count && ok; i++) {
        pt_file_tags *ft = &f->hits[i];
        *ft = w->entries[i];
        ft->offsets = pt_arena_alloc(job->arena, (ft->offset_count + 1) * sizeof *ft->offsets);
        ft->evidence = pt_arena_alloc(job->arena, (ft->offset_count + 1) * sizeof *ft->evidence);
        ok = ft->offsets && ft->evidence;
        if (ok)
            memcpy(ft->offsets, w->offsets + i * PT_MAX_HITS_PER_TAG,
                   ft->offset_count * sizeof *ft->offsets);
    }
    pt_mutex_unlock(job->lock);
    f->hit_count = w->entry_count;
    return ok && f->hits;
}

static void reset_entries(worker *w)
{
    for (size_t i = 0; i < w->entry_count; i++)
        w->slot_of[w->entries[i].tag_index] = -1;
    w->entry_count = 0;
}

static pt_code scan_one(worker *w, scan_file *f)
{
    scan_job *job = w->job;
    reset_entries(w);
    pt_error ferr = {0};
    if (pt_tagscan_file(job->set, f->key.path, w->scratch, PT_SCAN_BUFFER_BYTES, on_hit, w,
                        &ferr) != PT_OK) {
        pt_mutex_lock(job->lock);
        f->error = pt_arena_strdup(job->arena, ferr.message);
        pt_mutex_unlock(job->lock);
        return f->error ? PT_OK : PT_ENOMEM;
    }
    if (w->oom)
        return PT_ENOMEM;
    atomic_fetch_add(&job->bytes_read, f->key.size);
    if (w->entry_count && !keep_hits(w, f))
        return PT_ENOMEM;
    return PT_OK;
}

/* Classifies every kept hit of a described file. */
static void classify(scan_file *f, const uint8_t *data, size_t len)
{
    for (size_t h = 0; h < f->hit_count; h++)
        for (uint32_t i = 0; i < f->hits[h].offset_count; i++)
            f->hits[h].evidence[i] =
                pt_attribute_classify(&f->facts, data, len, f->hits[h].offsets[i]);
}

static pt_code describe_one(worker *w, scan_file *f)
{
    scan_job *job = w->job;
    f->facts.path = f->key.path;
    f->facts.name = f->name;
    f->facts.size = f->key.size;
    uint8_t *data = NULL;
    size_t len = 0;
    pt_code rc = pt_scan_describe(job->arena, job->lock, &f->facts, !job->opts->no_hash,
                                  f->hit_count ? &data : NULL, &len);
    if (rc == PT_OK) {
        f->described = true;
        classify(f, data, len);
    }
    pt_free(data);
    return rc;
}

/* Takes and handles the next file; false when none is left. */
static bool work_step(worker *w)
{
    scan_job *job = w->job;
    size_t k = atomic_fetch_add(&job->next, 1);
    if (k >= job->file_count || atomic_load(&job->failed))
        return false;
    scan_file *f = &job->files[job->order[k]];
    pt_code rc = PT_OK;
    if (f->need_scan)
        rc = scan_one(w, f);
    bool holds = f->hit_count > 0 || f->kmdf_hint;
    if (rc == PT_OK && f->error == NULL && !f->described &&
        (holds || job->opts->describe_all))
        rc = describe_one(w, f);
    if (rc != PT_OK)
        atomic_store(&job->failed, 1);
    atomic_fetch_add(&job->done, 1);
    return true;
}

static void work(void *arg)
{
    while (work_step(arg))
        ;
}

static bool worker_init(worker *w, scan_job *job)
{
    memset(w, 0, sizeof *w);
    w->job = job;
    size_t tags = pt_tagset_count(job->set);
    w->scratch = pt_malloc(PT_SCAN_BUFFER_BYTES);
    w->slot_of = pt_malloc((tags + 1) * sizeof *w->slot_of);
    if (w->slot_of)
        memset(w->slot_of, 0xff, (tags + 1) * sizeof *w->slot_of);
    return w->scratch && w->slot_of;
}

static void worker_free(worker *w)
{
    pt_free(w->scratch);
    pt_free(w->slot_of);
    pt_free(w->entries);
    pt_free(w->offsets);
}

typedef struct sized {
    uint64_t size;
    size_t index;
} sized;

static int by_size(const void *a, const void *b)
{
    const sized *x = a, *y = b;
    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Largest files first, so no thread is left alone with a big one at the
 * end; results still land in walk order. */
static bool plan_order(scan_job *job)
{
    sized *tmp = pt_malloc((job->file_count + 1) * sizeof *tmp);
    job->order = pt_malloc((job->file_count + 1) * sizeof *job->order);
    bool ok = tmp && job->order;
    for (size_t i = 0; ok && i < job->file_count; i++)
        tmp[i] = (sized){job->files[i].key.size, i};
    if (ok)
        qsort(tmp, job->file_count, sizeof *tmp, by_size);
    for (size_t i = 0; ok && i < job->file_count; i++)
        job->order[i] = tmp[i].index;
    pt_free(tmp);
    return ok;
}

static unsigned thread_count(const pt_scan_opts *opts, size_t files)
{
    unsigned n = opts->threads;
    if (n == 0) {
        n = pt_platform_cpu_count();
    }
    if (n > MAX_THREADS)
        n = MAX_THREADS;
    if (n > files)
        n = files ? (unsigned)files : 1;
    return n;
}

/* The calling thread works too, and reports progress between its files. */
static pt_code run_workers(scan_job *job, unsigned nthreads)
{
    worker ws[MAX_THREADS];
    pt_thread *tids[MAX_THREADS];
    unsigned ready = 0, started = 0;
    pt_code rc = PT_OK;
    for (; ready < nthreads; ready++)
        if (!worker_init(&ws[ready], job)) {
            worker_free(&ws[ready]);
            rc = PT_ENOMEM;
            break;
        }
    for (unsigned t = 1; rc == PT_OK && t < nthreads; t++) {
        if (pt_thread_start(&tids[t], work, &ws[t]) != PT_OK)
            break; /* fewer threads still finish the job */
        started = t;
    }
    while (rc == PT_OK && work_step(&ws[0]))
        if (job->opts->progress)
            job->opts->progress(job->opts->progress_ctx, atomic_load(&job->done),
                                job->file_count);
    for (unsigned t = 1; t <= started; t++)
        pt_thread_join(tids[t]);
    for (unsigned t = 0; t < ready; t++)
        worker_free(&ws[t]);
    if (rc == PT_OK && atomic_load(&job->failed))
        rc = PT_ENOMEM;
    return rc;
}

/* ---- describe ---- */

/* Reads a whole file of at most PT_MAX_PE_BYTES into pt_malloc'd memory:
 * PT_ELIMIT when larger, PT_EIO (message in msg) when unreadable. */
static pt_code read_whole(const char *path, uint8_t **out, size_t *out_len,
                          pt_error *err)
{
    *out = NULL;
    *out_len = 0;
    int fd = pt_platform_open(path, PT_OPEN_READ);
    pt_file_info st;
    if (fd < 0 || !pt_platform_fstat(fd, &st)) {
        pt_error_set(err, PT_EIO, path, "cannot open: %s", strerror(errno));
        if (fd >= 0)
            pt_platform_close(fd);
        return PT_EIO;
    }
    pt_code rc = PT_OK;
    size_t len = (size_t)st.size, got = 0;
    uint8_t *data = st.size > PT_MAX_PE_BYTES ? NULL : pt_malloc(len + 1);
    if (st.size > PT_MAX_PE_BYTES)
        rc = PT_ELIMIT;
    else if (data == NULL)
        rc = PT_ENOMEM;
    while (rc == PT_OK && got < len) {
        int64_t n = pt_platform_read(fd, data + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = pt_error_set(err, PT_EIO, path, "cannot read: %s", strerror(errno));
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    pt_platform_close(fd);
    if (rc != PT_OK) {
        pt_free(data);
        return rc;
    }
    *out = data;
    *out_len = got; /* a file that shrank meanwhile is read as it is now */
    return PT_OK;
}

pt_code pt_scan_describe(pt_arena *arena, void *lock, pt_driver *d, bool hash,
                         uint8_t **keep, size_t *keep_len)
{
    pt_mutex *mx = lock;
    uint8_t *data = NULL;
    size_t len = 0;
    pt_error ferr = {0};
    pt_code rc = read_whole(d->path, &data, &len, &ferr);
    if (rc == PT_ENOMEM)
        return rc;
    if (rc == PT_OK) {
        if (hash)
            pt_sha256_hex(data, len, d->sha256);
        if (d->size == 0)
            d->size = len;
    }
    else if (rc == PT_ELIMIT && hash)
        pt_sha256_file(d->path, d->sha256, NULL); /* streamed; "" on failure */
    if (mx)
        pt_mutex_lock(mx);
    pt_code out = PT_OK;
    if (data != NULL) {
        out = pt_pe_parse(arena, data, len, &d->pe);
        d->pe_read = out == PT_OK && !(d->pe.flags & PT_PE_NOT_PE);
        if (out == PT_OK && !d->pe_read)
            d->error = "not a PE file";
        /* the embedded signer: a bad signature is a fact, never an error */
        pt_signer *sg = out == PT_OK && d->pe_read ? pt_arena_alloc(arena, sizeof *sg) : NULL;
        if (sg && (out = pt_authenticode_read(arena, data, len, &d->pe, sg)) == PT_OK)
            d->signer = sg;
        else if (out == PT_OK && d->pe_read)
            out = PT_ENOMEM;
    } else {
        d->error = rc == PT_ELIMIT ? "too large to parse as a PE file"
                                   : pt_arena_strdup(arena, ferr.message);
        if (d->error == NULL)
            out = PT_ENOMEM;
    }
    if (mx)
        pt_mutex_unlock(mx);
    if (keep != NULL && out == PT_OK) {
        *keep = data;
        *keep_len = len;
    } else {
        pt_free(data);
    }
    return out;
}

/* ---- the cache ---- */

static pt_code consult_cache(scan_job *job)
{
    pt_scan_cache *cache = job->opts->cache;
    for (size_t i = 0; i < job->file_count; i++)
        job->files[i].need_scan = true;
    if (cache == NULL || pt_scan_cache_begin(cache, job->set) != PT_OK)
        return PT_OK; /* a cache that fails is no cache */
    for (size_t i = 0; i < job->file_count; i++) {
        scan_file *f = &job->files[i];
        pt_cache_entry e;
        pt_code rc = pt_scan_cache_get(cache, job->arena, &f->key, &e);
        if (rc == PT_ENOMEM)
            return rc;
        if (rc != PT_OK || !e.found || !e.has_tags)
            continue;
        f->need_scan = false;
        f->from_cache = true;
        f->hits = e.hits;
        f->hit_count = e.hit_count;
        /* facts read without the hash this run wants are read again */
        if (e.described && (job->opts->no_hash || e.facts.sha256[0] || e.facts.error)) {
            f->facts = e.facts;
            f->facts.path = f->key.path;
            f->facts.name = f->name;
            f->facts.size = f->key.size;
            f->described = true;
        }
    }
    return PT_OK;
}

/* Stores what was learned this run; a cache that fails is left behind. */
static void update_cache(scan_job *job, const bool *was_described)
{
    pt_scan_cache *cache = job->opts->cache;
    if (cache == NULL)
        return;
    bool any = false;
    for (size_t i = 0; i < job->file_count; i++) {
        scan_file *f = &job->files[i];
        if (f->error || (!f->need_scan && f->described == was_described[i]))
            continue;
        any = true;
        if (pt_scan_cache_put(cache, &f->key, f->hits, f->hit_count,
                              f->described ? &f->facts : NULL) != PT_OK)
            break;
    }
    if (any)
        pt_scan_cache_end(cache);
}

/* ---- hints and results ---- */

/* The tag index of a .sys file's KMDF default tag in the set, or -1. */
static int kmdf_index(const pt_tagset *set, const char *name)
{
    if (!pt_ends_with_ci(name, ".sys"))
        return -1;
    char tag[5];
    pt_attribute_kmdf_tag(name, tag);
    return pt_tagset_find(set, tag); /* tags are case-sensitive */
}

static int by_tag_index(const void *a, const void *b)
{
    const pt_file_tags *x = a, *y = b;
    return (x->tag_index > y->tag_index) - (x->tag_index < y->tag_index);
}

/* Appends one file's hits as driver `di`, with its KMDF hint. */
static bool add_driver_hits(scan_job *job, scan_file *f, int kmdf, size_t di,
                            pt_scan_result *out)
{
    bool hinted = false;
    for (size_t h = 0; h < f->hit_count; h++) {
        pt_file_tags ft = f->hits[h];
        ft.driver_index = di;
        ft.kmdf_hint = kmdf >= 0 && ft.tag_index == (uint32_t)kmdf;
        hinted |= ft.kmdf_hint;
        out->hits[out->hit_count++] = ft;
    }
    if (kmdf >= 0 && !hinted) {
        pt_file_tags ft = {0};
        ft.driver_index = di;
        ft.tag_index = (uint32_t)kmdf;
        ft.kmdf_hint = true;
        ft.offsets = pt_arena_alloc(job->arena, sizeof *ft.offsets);
        ft.evidence = pt_arena_alloc(job->arena, sizeof *ft.evidence);
        if (ft.offsets == NULL || ft.evidence == NULL)
            return false;
        out->hits[out->hit_count++] = ft;
    }
    return true;
}

static pt_code assemble(scan_job *job, const int *kmdf, pt_scan_result *out)
{
    size_t drivers = 0, hits = 0;
    for (size_t i = 0; i < job->file_count; i++) {
        scan_file *f = &job->files[i];
        if (f->hit_count > 1)
            qsort(f->hits, f->hit_count, sizeof *f->hits, by_tag_index);
        drivers += f->hit_count || kmdf[i] >= 0;
        hits += f->hit_count + 1;
        if (f->error && !add_error(job, f->key.path, f->error))
            return PT_ENOMEM;
    }
    out->drivers = pt_arena_alloc(job->arena, (drivers + 1) * sizeof *out->drivers);
    out->hits = pt_arena_alloc(job->arena, (hits + 1) * sizeof *out->hits);
    out->names = pt_arena_alloc(job->arena, (job->file_count + 1) * sizeof *out->names);
    out->paths = pt_arena_alloc(job->arena, (job->file_count + 1) * sizeof *out->paths);
    if (!out->drivers || !out->hits || !out->names || !out->paths)
        return PT_ENOMEM;
    for (size_t i = 0; i < job->file_count; i++) {
        scan_file *f = &job->files[i];
        out->names[out->name_count] = f->name;
        out->paths[out->name_count++] = f->key.path;
        if (f->error || (f->hit_count == 0 && kmdf[i] < 0))
            continue;
        pt_driver *d = &out->drivers[out->driver_count];
        *d = f->facts;
        d->path = f->key.path;
        d->name = f->name;
        d->size = f->key.size;
        if (!add_driver_hits(job, f, kmdf[i], out->driver_count++, out))
            return PT_ENOMEM;
    }
    return PT_OK;
}

static void fill_stats(scan_job *job, unsigned threads, pt_scan_stats *st)
{
    memset(st, 0, sizeof *st);
    st->files = job->file_count;
    st->threads = threads;
    st->simd = pt_tagscan_simd_name();
    st->bytes_read = atomic_load(&job->bytes_read);
    for (size_t i = 0; i < job->file_count; i++) {
        const scan_file *f = &job->files[i];
        st->bytes += f->key.size;
        st->files_read += f->need_scan;
        st->cache_hits += f->from_cache;
        st->described += f->described;
    }
}

static pt_code scan_files(scan_job *job, pt_scan_result *out)
{
    int *kmdf = pt_malloc((job->file_count + 1) * sizeof *kmdf);
    bool *was = pt_malloc(job->file_count + 1);
    pt_code rc = kmdf && was ? consult_cache(job) : PT_ENOMEM;
    for (size_t i = 0; rc == PT_OK && i < job->file_count; i++) {
        kmdf[i] = kmdf_index(job->set, job->files[i].name);
        job->files[i].kmdf_hint = kmdf[i] >= 0;
        was[i] = job->files[i].described;
    }
    unsigned threads = thread_count(job->opts, job->file_count);
    if (rc == PT_OK && !plan_order(job))
        rc = PT_ENOMEM;
    if (rc == PT_OK)
        rc = run_workers(job, threads);
    if (rc == PT_OK)
        update_cache(job, was);
    if (rc == PT_OK)
        rc = assemble(job, kmdf, out);
    fill_stats(job, threads, &out->stats);
    pt_free(kmdf);
    pt_free(was);
    return rc;
}

pt_code pt_scan_drivers_opts(pt_arena *arena, const char *const *dirs, size_t dir_count,
                             const pt_tagset *set, const pt_scan_opts *opts,
                             pt_scan_result *out, pt_error *err)
{
    static const pt_scan_opts defaults = {0};
    memset(out, 0, sizeof *out);
    scan_job job;
    memset(&job, 0, sizeof job);
    job.arena = arena;
    job.set = set;
    job.opts = opts ? opts : &defaults;
    pt_tagscan_simd(-1); /* chosen here, before any worker reads it */
    if ((job.lock = pt_mutex_new()) == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "cannot create a lock");
    pt_code rc = walk_all(&job, dirs, dir_count);
    if (rc == PT_OK)
        rc = scan_files(&job, out);
    pt_mutex_free(job.lock);
    pt_free(job.files);
    pt_free(job.order);
    bool adopted = pt_arena_adopt(arena, job.errors);
    if (rc == PT_OK && !adopted)
        rc = PT_ENOMEM;
    if (rc != PT_OK) {
        memset(out, 0, sizeof *out);
        return pt_error_set(err, rc, "", "out of memory");
    }
    out->errors = job.errors;
    out->error_count = job.error_count;
    return PT_OK;
}

pt_code pt_scan_drivers(pt_arena *arena, const char *const *dirs, size_t dir_count,
                        const pt_tagset *set, pt_scan_result *out, pt_error *err)
{
    return pt_scan_drivers_opts(arena, dirs, dir_count, set, NULL, out, err);
}

pt_code pt_scan(pt_arena *arena, const char *const *dirs, size_t dir_count,
                const char (*tags)[5], size_t tag_count, const pt_scan_opts *opts,
                pt_scan_report *out, pt_error *err)
{
    memset(out, 0, sizeof *out);
    if (tag_count > PT_MAX_TAGS)
        return pt_error_set(err, PT_ELIMIT, "", "more than %u tags; split the list",
                            PT_MAX_TAGS);
    pt_tagset *set = pt_tagset_new(tags, tag_count);
    if (set == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    pt_scan_result r;
    pt_code rc = pt_scan_drivers_opts(arena, dirs, dir_count, set, opts, &r, err);
    pt_suspect *sus = NULL;
    size_t n = pt_tagset_count(set);
    if (rc == PT_OK) {
        sus = pt_calloc(n + 1, sizeof *sus);
        rc = sus ? PT_OK : pt_error_set(err, PT_ENOMEM, "", "out of memory");
    }
    for (size_t i = 0; rc == PT_OK && i < n; i++)
        memcpy(sus[i].tag, pt_tagset_tag(set, i), 5);
    r.pooltag = opts ? opts->pooltag : NULL;
    if (rc == PT_OK)
        rc = pt_attribute(arena, sus, n, set, &r, &out->attributions,
                          &out->attribution_count, err);
    pt_free(sus);
    pt_tagset_free(set);
    if (rc != PT_OK)
        return rc;
    out->drivers = r.drivers;
    out->driver_count = r.driver_count;
    out->errors = r.errors;
    out->error_count = r.error_count;
    out->stats = r.stats;
    return PT_OK;
}
