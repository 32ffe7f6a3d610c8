/*
 * io_win32.c - platform layer on Windows, the file reader the scan and
 * describe stages use (pt_rfile), written on the rest of the platform
 * layer (pooltriage/platform.h): files by descriptor, and worker threads.
 */
#include "pooltriage/limits.h"
#include "pooltriage/platform.h"
#include "platform_int.h"

#include <errno.h>
#include <string.h>

pt_code pt_sys_rfile_open(pt_rfile *f, const char *path, pt_error *err)
{
    f->path = path;
    int fd = pt_platform_open(path, PT_OPEN_READ);
    f->handle = fd;
    if (fd < 0)
        return pt_error_set(err, PT_EIO, path, "cannot open: %s", strerror(errno));
    return PT_OK;
}

static void id_of(const pt_file_info *st, pt_rfile_id *out)
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
    id_of(&st, out);
    return true;
}

bool pt_sys_rfile_identity(const pt_rfile *f, pt_rfile_id *out)
{
    pt_file_info st;
    if (!pt_platform_fstat((int)f->handle, &st))
        return false;
    id_of(&st, out);
    return true;
}

pt_code pt_sys_rfile_read(pt_rfile *f, void *buf, size_t len, size_t *got, pt_error *err)
{
    int64_t n = pt_platform_read((int)f->handle, buf, len);
    *got = n > 0 ? (size_t)n : 0;
    if (n < 0)
        return pt_error_set(err, PT_EIO, f->path, "cannot read: %s", strerror(errno));
    return PT_OK;
}

/* A seek, then reads: callers never mix it with pt_rfile_read on one file
 * (the scan reads by offset only after its sequential pass). */
pt_code pt_sys_rfile_read_at(const pt_rfile *f, uint64_t off, void *buf, size_t len,
                         size_t *got, pt_error *err)
{
    size_t have = 0;
    *got = 0;
    if (off > (uint64_t)INT64_MAX || pt_platform_seek((int)f->handle, (int64_t)off) < 0)
        return pt_error_set(err, PT_EIO, f->path, "cannot read at offset 0x%llx: %s",
                            (unsigned long long)off, strerror(errno));
    while (have < len) {
        int64_t n = pt_platform_read((int)f->handle, (char *)buf + have, len - have);
        if (n < 0)
            return pt_error_set(err, PT_EIO, f->path, "cannot read at offset 0x%llx: %s",
                                (unsigned long long)(off + have), strerror(errno));
        if (n == 0)
            break;
        have += (size_t)n;
    }
    *got = have;
    return PT_OK;
}

typedef struct thread_arg {
    void (*fn)(void *ctx, unsigned worker);
    void *ctx;
    unsigned worker;
} thread_arg;

static void thread_main(void *p)
{
    thread_arg *a = p;
    a->fn(a->ctx, a->worker);
}

#define MAX_PARALLEL 64u

void pt_parallel_run(unsigned n, void (*fn)(void *ctx, unsigned worker), void *ctx)
{
    pt_thread *tids[MAX_PARALLEL];
    thread_arg args[MAX_PARALLEL];
    unsigned started = 0;
    if (n > MAX_PARALLEL)
        n = MAX_PARALLEL;
    for (unsigned i = 1; i < n; i++) {
        args[i] = (thread_arg){fn, ctx, i};
        if (pt_thread_start(&tids[i], thread_main, &args[i]) != PT_OK)
            break; /* fewer threads still finish the work */
        started = i;
    }
    fn(ctx, 0);
    for (unsigned i = 1; i <= started; i++)
        pt_thread_join(tids[i]);
}

void pt_parallel_pause(void)
{
    pt_platform_sleep_ms(1);
}
