/*
 * scan.c - the scan stage: walk the driver folders and scan every file
 * once for every tag, on a small pool of threads.  Without a cache the
 * calling thread walks while the other workers already scan the files it
 * has listed; with one, the walk and the cache lookups come first.  Each
 * hit keeps its offset and a small window of bytes around it for the
 * attribute stage; nothing is parsed here.  Each worker writes into its
 * own arena and results land in per-file slots, so they do not depend on
 * thread timing.
 */
#include "pooltriage/pooltriage.h"
#include "scan_int.h"
#include "pooltriage/limits.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 8u
/* The walk lists files in blocks that never move, so workers can read
 * the list while it grows. */
#define BLOCK_FILES 1024u
#define MAX_BLOCKS 4096u

typedef struct scan_job {
    const pt_tagset *set;
    const pt_scan_opts *opts;
    const char *const *dirs;
    size_t dir_count;
    pt_arena *walk_arena;          /* paths and names; the walker's alone */
    pt_scan_file *blocks[MAX_BLOCKS];
    size_t listed;                 /* the walker's count */
    atomic_size_t published;       /* files workers may take */
    atomic_int walk_done;
    bool walk_in_run;              /* worker 0 walks while the others scan */
    pt_input_error *errors;        /* the walk's, pt_malloc'd */
    size_t error_count, error_cap;
    pt_arena *arenas[MAX_THREADS + 1]; /* one per worker, and the archives' */
    atomic_size_t next;
    atomic_size_t done;
    atomic_int failed;             /* out of memory */
    atomic_ullong bytes_read;
} scan_job;

static pt_scan_file *file_at(scan_job *job, size_t i)
{
    return &job->blocks[i / BLOCK_FILES][i % BLOCK_FILES];
}

/* ---- the walk ---- */

static bool add_walk_error(scan_job *job, const char *path, const char *message)
{
    pt_input_error e = {pt_arena_strdup(job->walk_arena, path), "",
                        pt_arena_strdup(job->walk_arena, message)};
    return e.source && e.message &&
           PT_PUSH(job->errors, job->error_count, job->error_cap, e);
}

static bool on_walk(void *ctx, const char *path, const char *name)
{
    scan_job *job = ctx;
    size_t i = job->listed;
    if (i / BLOCK_FILES >= MAX_BLOCKS)
        return false; /* far past any real drivers folder */
    if (i % BLOCK_FILES == 0 && job->blocks[i / BLOCK_FILES] == NULL) {
        job->blocks[i / BLOCK_FILES] = pt_calloc(BLOCK_FILES, sizeof(pt_scan_file));
        if (job->blocks[i / BLOCK_FILES] == NULL) {
            atomic_store(&job->failed, 1);
            return false;
        }
    }
    pt_scan_file *f = file_at(job, i);
    memset(f, 0, sizeof *f);
    size_t lp = strlen(path), ln = strlen(name);
    char *copy = pt_arena_strndup(job->walk_arena, path, lp);
    if (copy == NULL) {
        atomic_store(&job->failed, 1);
        return false;
    }
    f->path = copy;
    f->name = copy + (lp >= ln ? lp - ln : 0);
    job->listed = i + 1;
    atomic_store_explicit(&job->published, job->listed, memory_order_release);
    return true;
}

/* What the walk left out (an unreadable folder, a limit) is an input error:
 * a warning, an `errors` entry, exit 3 with --strict. */
static void on_walk_problem(void *ctx, const char *path, const char *message)
{
    scan_job *job = ctx;
    if (!add_walk_error(job, path, message))
        atomic_store(&job->failed, 1);
}

/* A case archive among the folders: scanned after them (scan_archives). */
static bool is_archive(const char *path)
{
    return pt_archive_name(path) && pt_platform_is_file(path);
}

static pt_code walk_all(scan_job *job)
{
    pt_code rc = PT_OK;
    for (size_t i = 0; i < job->dir_count && rc == PT_OK; i++) {
        pt_error werr = {0};
        if (is_archive(job->dirs[i]))
            continue;
        if (pt_platform_is_file(job->dirs[i])) {   /* one driver, named */
            if (!on_walk(job, job->dirs[i], pt_path_base(job->dirs[i])))
                rc = PT_ENOMEM;
            continue;
        }
        if (pt_platform_walk_names(job->dirs[i], on_walk, on_walk_problem, job, &werr) != PT_OK &&
            (werr.code == PT_ENOMEM || !add_walk_error(job, job->dirs[i], werr.message)))
            rc = PT_ENOMEM;
        if (atomic_load(&job->failed))
            rc = PT_ENOMEM;
    }
    if (rc != PT_OK)
        atomic_store(&job->failed, 1);
    atomic_store_explicit(&job->walk_done, 1, memory_order_release);
    return rc;
}

/* ---- one file ---- */

/* A worker's own memory, reused from file to file. */
typedef struct worker {
    scan_job *job;
    pt_arena *arena;
    uint8_t *scratch;
    int32_t *slot_of;          /* tag index -> entry of this file, or -1 */
    pt_file_tags *entries;
    size_t entry_count, entry_cap;
    uint64_t *offsets;         /* PT_MAX_HITS_PER_TAG per entry */
    pt_hit_window *windows;    /* the same */
    size_t offset_cap;         /* in entries */
    const uint8_t *buf;        /* the block being scanned */
    size_t buf_len;
    uint64_t buf_base;
    bool oom;
} worker;

static void on_chunk(void *ctx, const uint8_t *buf, size_t len, uint64_t base)
{
    worker *w = ctx;
    w->buf = buf;
    w->buf_len = len;
    w->buf_base = base;
}

static bool grow_offsets(worker *w)
{
    size_t cap = w->entry_cap;
    uint64_t *o = pt_realloc(w->offsets, cap * PT_MAX_HITS_PER_TAG * sizeof *o);
    if (o != NULL)
        w->offsets = o;
    pt_hit_window *h = o ? pt_realloc(w->windows, cap * PT_MAX_HITS_PER_TAG * sizeof *h) : NULL;
    if (h != NULL)
        w->windows = h;
    if (o == NULL || h == NULL)
        return false;
    w->offset_cap = cap;
    return true;
}

/* Copies the window around `off` from the block in hand; len 0 when part
 * of it lies outside (filled later by reading the file at the offset). */
static void take_window(const worker *w, uint64_t off, pt_hit_window *win)
{
    uint64_t from = off >= PT_HIT_BEFORE ? off - PT_HIT_BEFORE : 0;
    win->before = (uint8_t)(off - from);
    win->len = 0;
    uint64_t to = from + PT_HIT_WINDOW;
    if (from < w->buf_base || to > w->buf_base + w->buf_len)
        return;
    memcpy(win->bytes, w->buf + (from - w->buf_base), PT_HIT_WINDOW);
    win->len = PT_HIT_WINDOW;
}

static bool on_hit(void *ctx, const pt_tag_hit *hit)
{
    worker *w = ctx;
    int32_t e = w->slot_of[hit->tag_index];
    if (e < 0) {
        pt_file_tags fresh = {0};
        fresh.tag_index = hit->tag_index;
        if (!PT_PUSH(w->entries, w->entry_count, w->entry_cap, fresh) ||
            (w->entry_count > w->offset_cap && !grow_offsets(w))) {
            w->oom = true;
            return false;
        }
        e = (int32_t)(w->entry_count - 1);
        w->slot_of[hit->tag_index] = e;
    }
    pt_file_tags *ft = &w->entries[e];
    if (ft->offset_count < PT_MAX_HITS_PER_TAG) {
        size_t k = (size_t)e * PT_MAX_HITS_PER_TAG + ft->offset_count++;
        w->offsets[k] = hit->offset;
        take_window(w, hit->offset, &w->windows[k]);
    }
    ft->total++;
    return true;
}

/* Windows that crossed a block edge, read from the file by offset. */
static void fill_windows(worker *w, pt_rfile *f)
{
    for (size_t e = 0; e < w->entry_count; e++)
        for (uint32_t k = 0; k < w->entries[e].offset_count; k++) {
            pt_hit_window *win = &w->windows[e * PT_MAX_HITS_PER_TAG + k];
            if (win->len != 0)
                continue;
            uint64_t off = w->offsets[e * PT_MAX_HITS_PER_TAG + k];
            size_t got = 0;
            if (pt_rfile_read_at(f, off - win->before, win->bytes, PT_HIT_WINDOW, &got,
                                 NULL) == PT_OK)
                win->len = (uint8_t)got;
        }
}

/* Copies the worker's entries for this file into its arena. */
static bool keep_hits(worker *w, pt_scan_file *f)
{
    f->hits = pt_arena_alloc(w->arena, w->entry_count * sizeof *f->hits);
    for (size_t i = 0; f->hits && i < w->entry_count; i++) {
        pt_file_tags *ft = &f->hits[i];
        *ft = w->entries[i];
        size_t n = ft->offset_count + 1;
        ft->offsets = pt_arena_alloc(w->arena, n * sizeof *ft->offsets);
        ft->windows = pt_arena_alloc(w->arena, n * sizeof *ft->windows);
        if (ft->offsets == NULL || ft->windows == NULL)
            return false;
        memcpy(ft->offsets, w->offsets + i * PT_MAX_HITS_PER_TAG,
               ft->offset_count * sizeof *ft->offsets);
        memcpy(ft->windows, w->windows + i * PT_MAX_HITS_PER_TAG,
               ft->offset_count * sizeof *ft->windows);
    }
    f->hit_count = w->entry_count;
    return f->hits != NULL;
}

static int by_tag_index(const void *a, const void *b)
{
    const pt_file_tags *x = a, *y = b;
    return (x->tag_index > y->tag_index) - (x->tag_index < y->tag_index);
}

/* Scans one file: on disk, or (mem) an archive entry's bytes. */
static pt_code scan_one(worker *w, pt_scan_file *f, const pt_archive_entry *mem)
{
    scan_job *job = w->job;
    for (size_t i = 0; i < w->entry_count; i++)
        w->slot_of[w->entries[i].tag_index] = -1;
    w->entry_count = 0;
    pt_error ferr = {0};
    pt_rfile file;
    uint64_t bytes = 0;
    pt_code rc = PT_OK;
    if (mem)
        pt_rfile_open_memory(&file, f->path, mem->data, mem->len);
    else
        rc = pt_rfile_open(&file, f->path, &ferr);
    if (rc == PT_OK)
        rc = pt_tagscan_rfile(job->set, &file, w->scratch, PT_SCAN_BUFFER_BYTES, on_chunk,
                              on_hit, w, &bytes, &ferr);
    if (rc == PT_OK && w->entry_count)
        fill_windows(w, &file);
    pt_rfile_close(&file);
    if (rc != PT_OK) {
        f->error = pt_arena_strdup(w->arena, ferr.message);
        return f->error ? PT_OK : PT_ENOMEM;
    }
    if (w->oom)
        return PT_ENOMEM;
    if (!job->opts->cache || mem)
        f->size = bytes; /* no stat was made: the bytes read are its size */
    atomic_fetch_add(&job->bytes_read, bytes);
    if (w->entry_count && !keep_hits(w, f))
        return PT_ENOMEM;
    if (f->hit_count > 1)
        qsort(f->hits, f->hit_count, sizeof *f->hits, by_tag_index);
    return PT_OK;
}

/* The index of the next file to scan, waiting for the walk when it has
 * not listed that many yet; false when there is none. */
static bool take_next(scan_job *job, size_t *out)
{
    size_t k = atomic_fetch_add(&job->next, 1);
    for (;;) {
        if (atomic_load(&job->failed))
            return false;
        if (k < atomic_load_explicit(&job->published, memory_order_acquire))
            break;
        if (atomic_load_explicit(&job->walk_done, memory_order_acquire)) {
            if (k < atomic_load_explicit(&job->published, memory_order_acquire))
                break;
            return false;
        }
        pt_parallel_pause();
    }
    *out = k;
    return true;
}

static bool worker_init(worker *w, scan_job *job, unsigned index)
{
    memset(w, 0, sizeof *w);
    w->job = job;
    size_t tags = pt_tagset_count(job->set);
    w->arena = job->arenas[index] = pt_arena_new();
    w->scratch = pt_malloc(PT_SCAN_BUFFER_BYTES);
    w->slot_of = pt_malloc((tags + 1) * sizeof *w->slot_of);
    if (w->slot_of)
        memset(w->slot_of, 0xff, (tags + 1) * sizeof *w->slot_of);
    return w->arena && w->scratch && w->slot_of;
}

static void worker_free(worker *w)
{
    pt_free(w->scratch);
    pt_free(w->slot_of);
    pt_free(w->entries);
    pt_free(w->offsets);
    pt_free(w->windows);
}

static void work(void *ctx, unsigned index)
{
    scan_job *job = ctx;
    worker w;
    bool ok = worker_init(&w, job, index);
    if (!ok)
        atomic_store(&job->failed, 1);
    if (index == 0 && job->walk_in_run)
        walk_all(job); /* the others scan what it lists meanwhile */
    size_t k;
    while (ok && take_next(job, &k)) {
        pt_scan_file *f = file_at(job, k);
        if (!f->from_cache && scan_one(&w, f, NULL) != PT_OK)
            atomic_store(&job->failed, 1);
        size_t done = atomic_fetch_add(&job->done, 1) + 1;
        if (index == 0 && job->opts->progress)
            job->opts->progress(job->opts->progress_ctx, done,
                                atomic_load(&job->published));
    }
    worker_free(&w);
}

/* ---- case archives ---- */

/* The entries of an archive a scan reads: any file below a folder named
 * "drivers" (a case's drivers/, or Windows/System32/drivers/). */
static bool in_drivers_folder(const char *name)
{
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        char part[8] = "";
        if (p[n] == '/' && n == 7) {
            memcpy(part, p, 7);
            if (pt_strcasecmp(part, "drivers") == 0)
                return true;
        }
        p += n + (p[n] == '/');
    }
    return false;
}

typedef struct archive_pass {
    worker *w;
    const char *archive;
    pt_code rc;
} archive_pass;

static bool on_archive_entry(void *ctx, const pt_archive_entry *e)
{
    archive_pass *ap = ctx;
    scan_job *job = ap->w->job;
    if (!in_drivers_folder(e->name))
        return true;
    char *path = pt_arena_printf(job->walk_arena, "%s:%s", ap->archive, e->name);
    if (path == NULL || !on_walk(job, path, pt_path_base(e->name))) {
        ap->rc = PT_ENOMEM;
        return false;
    }
    pt_scan_file *f = file_at(job, job->listed - 1);
    f->archive = ap->archive;
    f->size = e->len;
    if (e->data == NULL) {
        f->error = pt_arena_printf(job->walk_arena, "larger than %u MiB: not read inside a "
                                   "case archive; extract it and give --drivers DIR",
                                   PT_MAX_ARCHIVE_MEMBER_BYTES >> 20);
        ap->rc = f->error ? PT_OK : PT_ENOMEM;
    } else {
        ap->rc = scan_one(ap->w, f, e);
    }
    return ap->rc == PT_OK;
}

/* The case archives among the folders, one after the other on this
 * thread: each entry in a drivers folder is scanned from the stream. */
static pt_code scan_archives(scan_job *job)
{
    worker w;
    bool ok = false;
    for (size_t i = 0; i < job->dir_count; i++) {
        if (!is_archive(job->dirs[i]))
            continue;
        if (!ok && !(ok = worker_init(&w, job, MAX_THREADS))) {
            worker_free(&w);
            return PT_ENOMEM;
        }
        archive_pass ap = {&w, job->dirs[i], PT_OK};
        pt_error aerr = {0};
        pt_code rc = pt_archive_read(job->dirs[i], NULL, PT_MAX_ARCHIVE_MEMBER_BYTES,
                                     on_archive_entry, &ap, &aerr);
        if (ap.rc == PT_ENOMEM || rc == PT_ENOMEM ||
            (rc != PT_OK && !add_walk_error(job, aerr.where[0] ? aerr.where : job->dirs[i],
                                            aerr.message))) {
            worker_free(&w);
            return PT_ENOMEM;
        }
    }
    if (ok)
        worker_free(&w);
    return PT_OK;
}

/* ---- the cache ---- */

/* With a cache: every file's key (one stat each), then its answer. */
static pt_code consult_cache(scan_job *job, pt_arena *arena)
{
    pt_scan_cache *cache = job->opts->cache;
    bool use = pt_scan_cache_begin(cache, job->set) == PT_OK; /* a cache that fails is none */
    for (size_t i = 0; i < job->listed; i++) {
        pt_scan_file *f = file_at(job, i);
        pt_rfile_id id;
        if (!pt_platform_file_id(f->path, &id))
            continue; /* the scan reports it */
        f->size = id.size;
        f->mtime_ns = id.mtime_ns;
        f->ino = id.ino;
        pt_file_key key = {f->path, f->size, f->mtime_ns, f->ino};
        pt_cache_entry e;
        pt_code rc = use ? pt_scan_cache_get(cache, arena, &key, &e) : PT_EIO;
        if (rc == PT_ENOMEM)
            return rc;
        if (rc != PT_OK || !e.found || !e.has_tags)
            continue;
        f->from_cache = true;
        f->hits = e.hits;
        f->hit_count = e.hit_count;
        if (e.described) {
            pt_driver *facts = pt_arena_alloc(arena, sizeof *facts);
            if (facts == NULL)
                return PT_ENOMEM;
            *facts = e.facts;
            facts->path = f->path;
            facts->name = f->name;
            facts->size = f->size;
            f->cached = facts;
        }
    }
    return PT_OK;
}

/* ---- the result ---- */

static pt_code assemble(scan_job *job, pt_arena *arena, pt_scan_result *out)
{
    size_t n = job->listed;
    out->files = pt_arena_alloc(arena, (n + 1) * sizeof *out->files);
    if (out->files == NULL)
        return PT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        out->files[i] = *file_at(job, i);
        const pt_scan_file *f = &out->files[i];
        if (f->error && !add_walk_error(job, f->path, f->error))
            return PT_ENOMEM;
        out->stats.bytes += f->size;
        out->stats.files_read += !f->from_cache;
        out->stats.cache_hits += f->from_cache;
    }
    out->file_count = n;
    out->stats.files = n;
    out->stats.bytes_read = atomic_load(&job->bytes_read);
    if (!pt_arena_adopt(arena, job->errors))
        return PT_ENOMEM;
    out->errors = job->errors;
    out->error_count = job->error_count;
    job->errors = NULL;
    return PT_OK;
}

static unsigned thread_count(const pt_scan_opts *opts)
{
    unsigned n = opts->threads ? opts->threads : pt_platform_cpu_count();
    return n > MAX_THREADS ? MAX_THREADS : n;
}

pt_code pt_scan_files(pt_arena *arena, const char *const *dirs, size_t dir_count,
                      const pt_tagset *set, const pt_scan_opts *opts,
                      pt_scan_result *out, pt_error *err)
{
    static const pt_scan_opts defaults = {0};
    memset(out, 0, sizeof *out);
    scan_job *job = pt_calloc(1, sizeof *job);
    if (job == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    job->set = set;
    job->opts = opts ? opts : &defaults;
    job->dirs = dirs;
    job->dir_count = dir_count;
    job->walk_arena = pt_arena_new();
    pt_tagscan_simd(-1); /* chosen here, before any worker reads it */
    unsigned threads = thread_count(job->opts);
    pt_code rc = job->walk_arena ? PT_OK : PT_ENOMEM;
    if (rc == PT_OK && job->opts->cache) {
        rc = walk_all(job);
        if (rc == PT_OK)
            rc = consult_cache(job, job->walk_arena);
        if (threads > job->listed)
            threads = job->listed ? (unsigned)job->listed : 1;
    } else {
        job->walk_in_run = true;
    }
    if (rc == PT_OK) {
        pt_parallel_run(threads, work, job);
        if (atomic_load(&job->failed))
            rc = PT_ENOMEM;
    }
    if (rc == PT_OK)
        rc = scan_archives(job);
    if (rc == PT_OK)
        rc = assemble(job, job->walk_arena, out);
    out->stats.threads = threads;
    out->stats.simd = pt_tagscan_simd_name();
    for (unsigned i = 0; i <= MAX_THREADS; i++)
        pt_arena_absorb(arena, job->arenas[i]);
    pt_arena_absorb(arena, job->walk_arena);
    for (size_t b = 0; b < MAX_BLOCKS && job->blocks[b]; b++)
        pt_free(job->blocks[b]);
    pt_free(job->errors);
    pt_free(job);
    if (rc != PT_OK) {
        memset(out, 0, sizeof *out);
        return pt_error_set(err, rc, "", "out of memory");
    }
    return PT_OK;
}

/* ---- storing what a run learned ---- */

void pt_scan_cache_store(pt_scan_cache *cache, const pt_scan_result *scan,
                         const pt_driver *const *facts)
{
    if (cache == NULL)
        return;
    bool any = false;
    for (size_t i = 0; i < scan->file_count; i++) {
        const pt_scan_file *f = &scan->files[i];
        const pt_driver *d = facts ? facts[i] : NULL;
        /* nothing new: answered by the cache and described by it, or not at all */
        if (f->error || f->archive || (f->mtime_ns == 0 && f->ino == 0) ||
            (f->from_cache && (d == NULL || d == f->cached)))
            continue;
        pt_file_key key = {f->path, f->size, f->mtime_ns, f->ino};
        any = true;
        if (pt_scan_cache_put(cache, &key, f->hits, f->hit_count, d ? d : f->cached) != PT_OK)
            break;
    }
    if (any)
        pt_scan_cache_end(cache);
}
