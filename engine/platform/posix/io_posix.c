/*
 * io_posix.c - platform layer on POSIX: files read in order or by offset,
 * the folder listing of the one walk (engine/platform/walk.c), which needs
 * no stat per file (the type comes from the folder entry, as ripgrep
 * does), and a few worker threads.
 */
#define _GNU_SOURCE /* DT_* and d_type in <dirent.h> */
#include "pooltriage/limits.h"
#include "pooltriage/platform.h"
#include "platform_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- files ---- */

pt_code pt_sys_rfile_open(pt_rfile *f, const char *path, pt_error *err)
{
    f->path = path;
    f->handle = -1;
    int fd;
    do
        /* O_NONBLOCK: a FIFO that slipped into a walk never blocks it
         * (regular files ignore the flag) */
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return pt_error_set(err, PT_EIO, path, "cannot open: %s", strerror(errno));
    f->handle = fd;
    return PT_OK;
}

static void id_of(const struct stat *st, pt_rfile_id *out)
{
    out->size = (uint64_t)st->st_size;
    out->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    out->ino = (uint64_t)st->st_ino;
}

bool pt_platform_file_id(const char *path, pt_rfile_id *out)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    id_of(&st, out);
    return true;
}

bool pt_sys_rfile_identity(const pt_rfile *f, pt_rfile_id *out)
{
    struct stat st;
    if (fstat((int)f->handle, &st) != 0)
        return false;
    id_of(&st, out);
    return true;
}

pt_code pt_sys_rfile_read(pt_rfile *f, void *buf, size_t len, size_t *got, pt_error *err)
{
    ssize_t n;
    do
        n = read((int)f->handle, buf, len);
    while (n < 0 && errno == EINTR);
    *got = n > 0 ? (size_t)n : 0;
    if (n < 0)
        return pt_error_set(err, PT_EIO, f->path, "cannot read: %s", strerror(errno));
    return PT_OK;
}

pt_code pt_sys_rfile_read_at(const pt_rfile *f, uint64_t off, void *buf, size_t len,
                         size_t *got, pt_error *err)
{
    size_t have = 0;
    *got = 0;
    if (off > (uint64_t)INT64_MAX)
        return PT_OK;
    while (have < len) {
        ssize_t n = pread((int)f->handle, (char *)buf + have, len - have,
                          (off_t)(off + have));
        if (n < 0 && errno == EINTR)
            continue;
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

/* ---- the folder listing ---- */

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const pt_dir_entry *)a)->name, ((const pt_dir_entry *)b)->name);
}

/* The type of an entry: from d_type, else (file systems that leave it
 * DT_UNKNOWN) from lstat.  Links and special files are left out. */
static int entry_type(int dfd, const struct dirent *e)
{
    switch (e->d_type) {
    case DT_DIR: return 1;
    case DT_REG: return 0;
    case DT_UNKNOWN: break;
    default: return -1;
    }
    struct stat st;
    if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return -1;
    return S_ISDIR(st.st_mode) ? 1 : S_ISREG(st.st_mode) ? 0 : -1;
}

void pt_platform_dir_free(pt_dir_entry *es, size_t count)
{
    for (size_t i = 0; i < count; i++)
        pt_free(es[i].name);
    pt_free(es);
}

pt_code pt_platform_dir_read(const char *dir, pt_dir_entry **out, size_t *out_count,
                             pt_error *err)
{
    *out = NULL;
    *out_count = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return pt_error_set(err, PT_EIO, dir, "cannot open folder: %s", strerror(errno));
    pt_dir_entry *es = NULL;
    size_t count = 0, cap = 0;
    pt_code rc = PT_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int type = entry_type(dirfd(d), e);
        if (type < 0)
            continue;
        size_t n = strlen(e->d_name);
        pt_dir_entry item = {.name = pt_malloc(n + 1), .is_dir = type == 1,
                             .is_file = type == 0};
        if (item.name == NULL || !PT_PUSH(es, count, cap, item)) {
            pt_free(item.name);
            rc = pt_error_set(err, PT_ENOMEM, dir, "out of memory");
            break;
        }
        memcpy(item.name, e->d_name, n + 1);
    }
    closedir(d);
    if (rc != PT_OK) {
        pt_platform_dir_free(es, count);
        return rc;
    }
    if (count > 1)
        qsort(es, count, sizeof *es, entry_cmp);
    *out = es;
    *out_count = count;
    return PT_OK;
}

/* ---- workers ---- */

typedef struct thread_arg {
    void (*fn)(void *ctx, unsigned worker);
    void *ctx;
    unsigned worker;
} thread_arg;

static void *thread_main(void *p)
{
    thread_arg *a = p;
    a->fn(a->ctx, a->worker);
    return NULL;
}

#define MAX_PARALLEL 64u

void pt_parallel_run(unsigned n, void (*fn)(void *ctx, unsigned worker), void *ctx)
{
    pthread_t tids[MAX_PARALLEL];
    thread_arg args[MAX_PARALLEL];
    unsigned started = 0;
    if (n > MAX_PARALLEL)
        n = MAX_PARALLEL;
    for (unsigned i = 1; i < n; i++) {
        args[i] = (thread_arg){fn, ctx, i};
        if (pthread_create(&tids[i], NULL, thread_main, &args[i]) != 0)
            break; /* fewer threads still finish the work */
        started = i;
    }
    fn(ctx, 0);
    for (unsigned i = 1; i <= started; i++)
        pthread_join(tids[i], NULL);
}

void pt_parallel_pause(void)
{
    /* a short sleep, not sched_yield: on a busy machine a yield returns at
     * once and the waiting worker would take the walker's processor */
    struct timespec ts = {0, 50000};
    nanosleep(&ts, NULL);
}
