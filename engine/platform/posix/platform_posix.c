/*
 * platform_posix.c - the only OS-specific code: folder walks, case-blind
 * name lookup and file metadata on POSIX.  A Windows build adds
 * platform_win32.c with the same functions (pooltriage/platform.h).
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int pt_strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z') ca += 32;
        if (cb >= 'A' && cb <= 'Z') cb += 32;
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

bool pt_ends_with_ci(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && pt_strcasecmp(s + ls - lx, suffix) == 0;
}

pt_code pt_platform_open_input(const char *path, int *out, pt_error *err)
{
    *out = -1;
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
     * writer forever; O_NOCTTY: a terminal device never becomes ours */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        pt_error_set(err, PT_EIO, path, "cannot open: %s", strerror(e));
        errno = e;
        return PT_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return pt_error_set(err, PT_EIO, path, "cannot open: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        pt_error_set(err, PT_EIO, path, "not a regular file");
        errno = 0;
        return PT_EIO;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags != -1)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    *out = fd;
    return PT_OK;
}

pt_code pt_platform_fopen_input(const char *path, FILE **out, pt_error *err)
{
    int fd;
    *out = NULL;
    pt_code rc = pt_platform_open_input(path, &fd, err);
    if (rc != PT_OK)
        return rc;
    *out = fdopen(fd, "rb");
    if (*out == NULL) {
        close(fd);
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    }
    return PT_OK;
}

bool pt_platform_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool pt_platform_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int64_t pt_platform_mtime(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_mtime : -1;
}

static char *join(const char *dir, const char *name)
{
    size_t ld = strlen(dir), ln = strlen(name);
    char *p = pt_malloc(ld + ln + 2);
    if (p == NULL)
        return NULL;
    memcpy(p, dir, ld);
    size_t o = ld;
    if (o == 0 || p[o - 1] != '/')
        p[o++] = '/';
    memcpy(p + o, name, ln + 1);
    return p;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the names in `dir` (without . and ..), sorted. */
static pt_code read_names(const char *dir, char ***out, size_t *out_count,
                          pt_error *err)
{
    *out = NULL;
    *out_count = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return pt_error_set(err, PT_EIO, dir, "cannot open folder: %s", strerror(errno));
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    pt_code rc = PT_OK;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *copy = pt_malloc(strlen(e->d_name) + 1);
        if (copy == NULL || !PT_PUSH(names, count, cap, copy)) {
            pt_free(copy);
            rc = pt_error_set(err, PT_ENOMEM, dir, "out of memory");
            break;
        }
        strcpy(copy, e->d_name);
    }
    closedir(d);
    if (rc != PT_OK) {
        for (size_t i = 0; i < count; i++)
            pt_free(names[i]);
        pt_free(names);
        return rc;
    }
    if (count > 1)
        qsort(names, count, sizeof *names, name_cmp);
    *out = names;
    *out_count = count;
    return PT_OK;
}

static void free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        pt_free(names[i]);
    pt_free(names);
}

typedef struct walk_state {
    pt_walk_fn fn;
    void *ctx;
    size_t files;
    bool stop;
} walk_state;

static pt_code walk(walk_state *ws, const char *dir, unsigned depth, pt_error *err)
{
    if (depth > PT_MAX_WALK_DEPTH)
        return PT_OK;
    char **names;
    size_t count;
    pt_code rc = read_names(dir, &names, &count, err);
    if (rc != PT_OK)
        return depth == 0 ? rc : PT_OK; /* unreadable subfolders are skipped */
    for (size_t i = 0; i < count && !ws->stop && rc == PT_OK; i++) {
        char *path = join(dir, names[i]);
        if (path == NULL) {
            rc = pt_error_set(err, PT_ENOMEM, dir, "out of memory");
            break;
        }
        struct stat st;
        if (lstat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                rc = walk(ws, path, depth + 1, err);
            } else if (S_ISREG(st.st_mode)) {
                if (++ws->files > PT_MAX_WALK_FILES)
                    ws->stop = true;
                else if (!ws->fn(ws->ctx, path, names[i], (uint64_t)st.st_size))
                    ws->stop = true;
            }
        }
        pt_free(path);
    }
    free_names(names, count);
    return rc;
}

pt_code pt_platform_walk(const char *dir, pt_walk_fn fn, void *ctx, pt_error *err)
{
    walk_state ws = {fn, ctx, 0, false};
    return walk(&ws, dir, 0, err);
}

char *pt_platform_find_ci(const char *dir, const char *name)
{
    char **names;
    size_t count;
    if (read_names(dir, &names, &count, NULL) != PT_OK)
        return NULL;
    char *found = NULL;
    for (size_t i = 0; i < count && found == NULL; i++)
        if (pt_strcasecmp(names[i], name) == 0)
            found = join(dir, names[i]);
    free_names(names, count);
    return found;
}

pt_code pt_platform_list(const char *dir, char ***out, size_t *out_count, pt_error *err)
{
    char **names;
    size_t count;
    pt_code rc = read_names(dir, &names, &count, err);
    if (rc != PT_OK)
        return rc;
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        char *path = join(dir, names[i]);
        pt_free(names[i]);
        if (path == NULL) {
            for (size_t j = i + 1; j < count; j++)
                pt_free(names[j]);
            free_names(names, kept);
            return pt_error_set(err, PT_ENOMEM, dir, "out of memory");
        }
        if (pt_platform_is_file(path))
            names[kept++] = path;
        else
            pt_free(path);
    }
    *out = names;
    *out_count = kept;
    return PT_OK;
}

/* ---- isolation: a child process under CPU and wall-clock limits ---- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        p += n;
        len -= (size_t)n;
    }
}

/* Reads the child's output until EOF, the deadline or max bytes; false on
 * timeout or when there is more than max. */
static bool read_until(int fd, int64_t deadline, size_t max, pt_buf *out, bool *too_much)
{
    char chunk[16384];
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return false;
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0 ? false : true;
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return true;
        if (out->len + (size_t)n > max) {
            *too_much = true;
            return false;
        }
        pt_buf_append(out, chunk, (size_t)n);
    }
}

pt_code pt_platform_run_isolated(pt_isolated_fn fn, void *ctx, unsigned wall_ms,
                                 size_t max_out, pt_buf *out, pt_error *err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return pt_error_set(err, PT_EIO, "", "cannot create a pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return pt_error_set(err, PT_EIO, "", "cannot fork: %s", strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        struct rlimit cpu = {(wall_ms + 999) / 1000, (wall_ms + 999) / 1000 + 1};
        setrlimit(RLIMIT_CPU, &cpu);
        struct rlimit none = {0, 0};   /* the child writes no file, only the pipe */
        setrlimit(RLIMIT_FSIZE, &none);
#ifdef __linux__
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
#endif
        pt_buf b = {0};
        fn(ctx, &b);
        if (!b.failed)
            write_all(fds[1], b.data ? b.data : "", b.len);
        _exit(b.failed ? 3 : 0);
    }
    close(fds[1]);
    bool too_much = false;
    bool finished = read_until(fds[0], now_ms() + wall_ms, max_out, out, &too_much);
    close(fds[0]);
    if (!finished)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (too_much)
        return pt_error_set(err, PT_ELIMIT, "", "output larger than %zu bytes", max_out);
    if (!finished || (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU))
        return pt_error_set(err, PT_ELIMIT, "", "time limit of %u ms exceeded", wall_ms);
    if (WIFSIGNALED(status))
        return pt_error_set(err, PT_EIO, "", "killed by signal %d", WTERMSIG(status));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return pt_error_set(err, PT_EIO, "", "exited with status %d",
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return PT_OK;
}
