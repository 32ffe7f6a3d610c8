/*
 * platform_posix.c - platform layer on POSIX: files, folder walks, the
 * isolated child process, threads and the terminal (pooltriage/platform.h;
 * engine/platform/win32 has the same functions for Windows).
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

pt_code pt_platform_names(const char *dir, char ***out, size_t *out_count, pt_error *err)
{
    return read_names(dir, out, out_count, err);
}

void pt_platform_names_free(char **names, size_t count)
{
    free_names(names, count);
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
            found = pt_path_join(dir, names[i]);
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
        char *path = pt_path_join(dir, names[i]);
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
    (void)pt_platform_write_all(fd, p, len);
}

bool pt_platform_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
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

bool pt_platform_os_trust(const char *path, pt_os_trust *out)
{
    (void)path;
    memset(out, 0, sizeof *out);
    return false;   /* only Windows has a verdict of its own */
}

unsigned pt_platform_isolated_at_once(unsigned cap)
{
    (void)cap;
    return 1;
}

/* One at a time (pt_platform_isolated_at_once): a child forked while
 * another thread runs could inherit that thread's locks and pipes. */
pt_code pt_platform_run_isolated(pt_isolated_fn fn, const void *in, size_t in_len,
                                 unsigned wall_ms, size_t max_out, pt_buf *out,
                                 pt_error *err)
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
        fn(in, in_len, &b);
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

/* ---- files ---- */

static void fill_info(const struct stat *st, pt_file_info *out)
{
    out->size = (uint64_t)st->st_size;
    out->mtime = (int64_t)st->st_mtim.tv_sec;
    out->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
    out->ino = (uint64_t)st->st_ino;
    out->is_dir = S_ISDIR(st->st_mode);
    out->is_file = S_ISREG(st->st_mode);
}

bool pt_platform_stat(const char *path, pt_file_info *out)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    fill_info(&st, out);
    return true;
}

bool pt_platform_fstat(int fd, pt_file_info *out)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return false;
    fill_info(&st, out);
    return true;
}

bool pt_platform_can_read(const char *path) { return access(path, R_OK) == 0; }
bool pt_platform_can_exec(const char *path) { return access(path, X_OK) == 0; }

int pt_platform_open(const char *path, pt_open_mode mode)
{
    int flags = O_CLOEXEC;
    switch (mode) {
    case PT_OPEN_READ: flags |= O_RDONLY; break;
    case PT_OPEN_CREATE: flags |= O_WRONLY | O_CREAT | O_TRUNC; break;
    case PT_OPEN_EXCL: flags |= O_RDWR | O_CREAT | O_EXCL; break;
    case PT_OPEN_APPEND: flags |= O_WRONLY | O_CREAT | O_APPEND; break;
    case PT_OPEN_RW: flags |= O_RDWR | O_CREAT; break;
    }
    int fd;
    do
        fd = open(path, flags, 0644);
    while (fd < 0 && errno == EINTR);
    return fd;
}

int64_t pt_platform_read(int fd, void *buf, size_t len)
{
    for (;;) {
        ssize_t n = read(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        return (int64_t)n;
    }
}

int pt_platform_close(int fd) { return close(fd); }
int pt_platform_sync(int fd) { return fsync(fd); }
int pt_platform_truncate(int fd, uint64_t len) { return ftruncate(fd, (off_t)len); }

bool pt_platform_sync_path(const char *path, bool dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    return close(fd) == 0 && ok;
}

bool pt_platform_owner_only(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && (st.st_mode & 077) == 0;
}

const char *pt_platform_private_hint(void) { return "run 'chmod 600' on it"; }

int pt_platform_chmod(const char *path, unsigned mode) { return chmod(path, (mode_t)mode); }

int pt_platform_rmdir(const char *path) { return rmdir(path); }

bool pt_platform_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int pt_platform_set_mtime(const char *path, int64_t sec, int64_t nsec)
{
    struct timespec ts[2] = {{0, UTIME_OMIT}, {(time_t)sec, (long)nsec}};
    return utimensat(AT_FDCWD, path, ts, 0);
}

char *pt_platform_make_temp_dir(char *path_template) { return mkdtemp(path_template); }

const char *pt_platform_temp_root(void)
{
    const char *t = getenv("TMPDIR");
    return t && t[0] == '/' ? t : "/tmp";
}

int pt_platform_dup(int fd) { return fcntl(fd, F_DUPFD_CLOEXEC, 0); }

int64_t pt_platform_seek(int fd, int64_t off)
{
    return (int64_t)lseek(fd, (off_t)off, SEEK_SET);
}

int pt_platform_link(const char *from, const char *to) { return link(from, to); }

int pt_platform_lock(int fd, bool wait)
{
    int r;
    do
        r = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
    while (r != 0 && errno == EINTR);
    return r;
}

int pt_platform_temp_file(char *path_template)
{
    int fd = mkstemp(path_template);
    if (fd >= 0)
        (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

int pt_platform_chmod_default(int fd)
{
    mode_t mask = umask(0);
    umask(mask);
    return fchmod(fd, 0666 & ~mask);
}

char *pt_platform_realpath(const char *path)
{
    char *r = realpath(path, NULL);
    if (r == NULL)
        return NULL;
    char *p = pt_malloc(strlen(r) + 1);
    if (p)
        strcpy(p, r);
    free(r);
    return p;
}

int pt_platform_remove(const char *path) { return unlink(path); }
int pt_platform_rename(const char *from, const char *to) { return rename(from, to); }

int pt_platform_mkdir(const char *path)
{
    if (mkdir(path, 0700) == 0)
        return 0;
    int e = errno;
    if (e == EEXIST && pt_platform_is_dir(path))
        return 0;
    errno = e;
    return -1;
}

/* ---- processes ---- */

unsigned long pt_platform_pid(void) { return (unsigned long)getpid(); }

char *pt_platform_self_exe(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *p = pt_malloc((size_t)n + 1);
    if (p)
        memcpy(p, exe, (size_t)n + 1);
    return p;
}

char *pt_platform_exe_dir(void)
{
    char *exe = pt_platform_self_exe();
    if (exe == NULL)
        return NULL;
    char *slash = strrchr(exe, '/');
    if (slash == NULL) {
        pt_free(exe);
        return NULL;
    }
    *slash = '\0';
    return exe;
}

int pt_platform_exec(const char *path, char *const argv[])
{
    fflush(NULL);
    execv(path, argv);
    return -1;
}

int64_t pt_platform_now_ms(void) { return now_ms(); }

char **pt_platform_utf8_argv(int argc, char **argv)
{
    (void)argc;
    return argv;
}

void pt_platform_soft_write_limits(void) { signal(SIGXFSZ, SIG_IGN); }

void pt_platform_sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

unsigned pt_platform_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

const char *pt_platform_getenv(const char *name) { return getenv(name); }
int pt_platform_setenv(const char *name, const char *value) { return setenv(name, value, 1); }

/* ---- threads ---- */

struct pt_thread {
    pthread_t id;
    void (*fn)(void *);
    void *arg;
};

struct pt_mutex {
    pthread_mutex_t m;
};

static void *thread_main(void *p)
{
    pt_thread *t = p;
    t->fn(t->arg);
    return NULL;
}

pt_code pt_thread_start(pt_thread **out, void (*fn)(void *arg), void *arg)
{
    *out = NULL;
    pt_thread *t = pt_malloc(sizeof *t);
    if (t == NULL)
        return PT_ENOMEM;
    t->fn = fn;
    t->arg = arg;
    if (pthread_create(&t->id, NULL, thread_main, t) != 0) {
        pt_free(t);
        return PT_EIO;
    }
    *out = t;
    return PT_OK;
}

void pt_thread_join(pt_thread *t)
{
    if (t == NULL)
        return;
    pthread_join(t->id, NULL);
    pt_free(t);
}

pt_mutex *pt_mutex_new(void)
{
    pt_mutex *m = pt_malloc(sizeof *m);
    if (m && pthread_mutex_init(&m->m, NULL) != 0) {
        pt_free(m);
        m = NULL;
    }
    return m;
}

void pt_mutex_lock(pt_mutex *m) { pthread_mutex_lock(&m->m); }
void pt_mutex_unlock(pt_mutex *m) { pthread_mutex_unlock(&m->m); }

void pt_mutex_free(pt_mutex *m)
{
    if (m == NULL)
        return;
    pthread_mutex_destroy(&m->m);
    pt_free(m);
}

/* ---- terminal and places ---- */

bool pt_platform_isatty(FILE *f) { return isatty(fileno(f)) == 1; }
bool pt_platform_console_init(void) { return true; }

char *pt_platform_user_dir(pt_user_dir kind)
{
    static const char *const vars[] = {"XDG_DATA_HOME", "XDG_CONFIG_HOME",
                                       "XDG_STATE_HOME", "XDG_CACHE_HOME"};
    static const char *const defaults[] = {".local/share", ".config", ".local/state",
                                           ".cache"};
    const char *xdg = getenv(vars[kind]);
    if (xdg && xdg[0] == '/')
        return pt_path_join(xdg, "pooltriage");
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0')
        return NULL;
    char *base = pt_path_join(home, defaults[kind]);
    char *dir = base ? pt_path_join(base, "pooltriage") : NULL;
    pt_free(base);
    return dir;
}

/* ---- the live host ---- */

static pt_code not_windows(pt_error *err)
{
    return pt_error_set(err, PT_EIO, "--live", "a live reading needs the Windows kernel: run "
                        "pooltriage.exe on the Windows host, or give a poolmon capture file");
}

pt_code pt_platform_live_query(pt_live_source what, uint8_t **out, size_t *len, pt_error *err)
{
    (void)what;
    *out = NULL;
    *len = 0;
    return not_windows(err);
}

pt_code pt_platform_live_totals(pt_live_totals *out, pt_error *err)
{
    (void)out;
    return not_windows(err);
}

pt_code pt_platform_live_os(char *out, size_t len, pt_error *err)
{
    if (len)
        out[0] = '\0';
    return not_windows(err);
}
