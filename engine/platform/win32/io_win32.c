/*
 * io_win32.c - platform layer on Windows, the part the scan and describe
 * stages use (pt_io.h): files read in order or by offset, the name walk and
 * parallel workers, over the wide-path functions of platform_win32.c.
 */
#include "pooltriage/pooltriage.h"
#include "pt_io.h"

#include <windows.h>

#include <errno.h>
#include <io.h>
#include <stdio.h>
#include <string.h>

static pt_code open_with(pt_rfile *f, const char *path, bool input, pt_error *err)
{
    f->handle = -1;
    f->path = path;
    int fd;
    if (input) {
        pt_code rc = pt_platform_open_input(path, &fd, err);
        if (rc != PT_OK)
            return rc;
    } else {
        fd = pt_platform_open(path, PT_OPEN_READ);
        if (fd < 0)
            return pt_error_set(err, PT_EIO, path, "cannot open: %s", strerror(errno));
    }
    f->handle = fd;
    return PT_OK;
}

pt_code pt_rfile_open(pt_rfile *f, const char *path, pt_error *err)
{
    return open_with(f, path, false, err);
}

pt_code pt_rfile_open_input(pt_rfile *f, const char *path, pt_error *err)
{
    return open_with(f, path, true, err);
}

void pt_rfile_close(pt_rfile *f)
{
    if (f->handle >= 0)
        pt_platform_close((int)f->handle);
    f->handle = -1;
}

static void to_id(const pt_file_info *st, pt_rfile_id *out)
{
    out->size = st->size;
    out->mtime_ns = st->mtime * 1000000000 + st->mtime_ns;
    out->ino = st->ino;
}

bool pt_platform_file_id(const char *path, pt_rfile_id *out)
{
    pt_file_info st;
    if (!pt_platform_stat(path, &st))
        return false;
    to_id(&st, out);
    return true;
}

bool pt_rfile_identity(const pt_rfile *f, pt_rfile_id *out)
{
    pt_file_info st;
    if (f->handle < 0 || !pt_platform_fstat((int)f->handle, &st))
        return false;
    to_id(&st, out);
    return true;
}

pt_code pt_rfile_read(pt_rfile *f, void *buf, size_t len, size_t *got, pt_error *err)
{
    *got = 0;
    int64_t n = pt_platform_read((int)f->handle, buf, len);
    if (n < 0)
        return pt_error_set(err, PT_EIO, f->path, "cannot read: %s", strerror(errno));
    *got = (size_t)n;
    return PT_OK;
}

pt_code pt_rfile_read_at(const pt_rfile *f, uint64_t off, void *buf, size_t len,
                         size_t *got, pt_error *err)
{
    *got = 0;
    HANDLE h = (HANDLE)_get_osfhandle((int)f->handle);
    __int64 keep = _lseeki64((int)f->handle, 0, SEEK_CUR);
    while (*got < len) {
        OVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        uint64_t at = off + *got;
        ov.Offset = (DWORD)at;
        ov.OffsetHigh = (DWORD)(at >> 32);
        size_t want = len - *got;
        DWORD n = 0;
        if (!ReadFile(h, (char *)buf + *got, want > (1u << 30) ? (1u << 30) : (DWORD)want, &n,
                      &ov)) {
            if (GetLastError() == ERROR_HANDLE_EOF)
                break;
            if (keep >= 0)
                _lseeki64((int)f->handle, keep, SEEK_SET);
            return pt_error_set(err, PT_EIO, f->path, "cannot read at offset %llu",
                                (unsigned long long)at);
        }
        if (n == 0)
            break;
        *got += n;
    }
    if (keep >= 0)   /* ReadFile at an offset moves the file pointer */
        _lseeki64((int)f->handle, keep, SEEK_SET);
    return PT_OK;
}

typedef struct names_ctx {
    pt_walk_name_fn fn;
    pt_walk_problem_fn problem;
    void *ctx;
} names_ctx;

static bool on_file(void *c, const char *path, const char *name, uint64_t size)
{
    names_ctx *n = c;
    (void)size;
    return n->fn(n->ctx, path, name);
}

static void on_problem(void *c, const char *path, const char *message)
{
    names_ctx *n = c;
    if (n->problem)
        n->problem(n->ctx, path, message);
}

pt_code pt_platform_walk_names(const char *dir, pt_walk_name_fn fn, pt_walk_problem_fn problem,
                               void *ctx, pt_error *err)
{
    names_ctx n = {fn, problem, ctx};
    return pt_platform_walk_checked(dir, on_file, on_problem, &n, err);
}

unsigned pt_parallel_cpus(void) { return pt_platform_cpu_count(); }

typedef struct par_job {
    void (*fn)(void *ctx, unsigned worker);
    void *ctx;
    unsigned worker;
} par_job;

static void par_main(void *p)
{
    par_job *j = p;
    j->fn(j->ctx, j->worker);
}

void pt_parallel_run(unsigned n, void (*fn)(void *ctx, unsigned worker), void *ctx)
{
    enum { MAX = 64 };
    pt_thread *t[MAX] = {0};
    par_job jobs[MAX];
    if (n > MAX)
        n = MAX;
    for (unsigned i = 1; i < n; i++) {
        jobs[i] = (par_job){fn, ctx, i};
        if (pt_thread_start(&t[i], par_main, &jobs[i]) != PT_OK)
            t[i] = NULL;   /* fewer workers: the queue is shared */
    }
    fn(ctx, 0);
    for (unsigned i = 1; i < n; i++)
        pt_thread_join(t[i]);
}

void pt_parallel_pause(void) { SwitchToThread(); }
