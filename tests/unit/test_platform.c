/* test_platform.c - the platform layer's input opener: a file named by the
 * user is opened without blocking, and anything but a regular file (a FIFO
 * with no writer, a device, a folder) is refused at once; the folder walk
 * reports what it leaves out (unreadable folders, its depth and file
 * limits) instead of dropping it silently. */
#include "test_support.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/pt_platform_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void a_fifo_without_a_writer_is_refused_at_once(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    time_t t0 = time(NULL);
    int fd = 123;
    pt_error err = {0};
    assert_int_equal(pt_platform_open_input(path, &fd, &err), PT_EIO);
    assert_true(time(NULL) - t0 <= 1);
    assert_int_equal(fd, -1);
    assert_int_equal(errno, 0);
    assert_string_equal(err.message, "not a regular file");
    assert_string_equal(err.where, path);
    FILE *f = (FILE *)1;
    assert_int_equal(pt_platform_fopen_input(path, &f, NULL), PT_EIO);
    assert_null(f);
}

static void every_reader_of_a_named_file_refuses_a_fifo(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/fifo2", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    pt_arena *arena = pt_arena_new();
    uint8_t *data;
    size_t len;
    pt_error err = {0};
    assert_int_equal(pt_file_read(arena, path, 1024, &data, &len, &err), PT_EIO);
    assert_string_equal(err.message, "not a regular file");
    pt_fleet *fleet = pt_fleet_open(NULL, NULL);
    assert_int_equal(pt_fleet_add_path(fleet, path, &err), PT_EIO);
    assert_string_equal(err.message, "not a regular file");
    pt_fleet_close(fleet);
    pt_arena_free(arena);
}

static void a_device_or_a_folder_is_not_a_regular_file(void **state)
{
    (void)state;
    int fd;
    pt_error err = {0};
    assert_int_equal(pt_platform_open_input("/dev/null", &fd, &err), PT_EIO);
    assert_string_equal(err.message, "not a regular file");
    assert_int_equal(pt_platform_open_input(dir, &fd, &err), PT_EIO);
    assert_string_equal(err.message, "not a regular file");
}

static void a_missing_file_says_why_and_keeps_errno(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/missing", dir);
    int fd;
    pt_error err = {0};
    assert_int_equal(pt_platform_open_input(path, &fd, &err), PT_EIO);
    assert_int_equal(errno, ENOENT);
    assert_non_null(strstr(err.message, "cannot open"));
}

static void a_regular_file_opens_blocking(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/file", dir);
    FILE *w = fopen(path, "w");
    assert_non_null(w);
    fputs("Tag  Type\n", w);
    fclose(w);
    int fd = -1;
    assert_int_equal(pt_platform_open_input(path, &fd, NULL), PT_OK);
    assert_true(fd >= 0);
    assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    char buf[16];
    assert_int_equal(read(fd, buf, sizeof buf), 10);
    close(fd);
    FILE *f = NULL;
    assert_int_equal(pt_platform_fopen_input(path, &f, NULL), PT_OK);
    assert_non_null(fgets(buf, sizeof buf, f));
    assert_string_equal(buf, "Tag  Type\n");
    fclose(f);
}

typedef struct walk_log {
    size_t files;
    int problems;
    char path[8][512];
    char message[8][256];
} walk_log;

static bool count_file(void *ctx, const char *path, const char *name, uint64_t size)
{
    (void)path, (void)name, (void)size;
    ((walk_log *)ctx)->files++;
    return true;
}

static void log_problem(void *ctx, const char *path, const char *message)
{
    walk_log *w = ctx;
    if (w->problems < 8) {
        snprintf(w->path[w->problems], sizeof w->path[0], "%s", path);
        snprintf(w->message[w->problems], sizeof w->message[0], "%s", message);
    }
    w->problems++;
}

static void mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    mkdir(path, 0755);
}

static void touch(const char *folder, const char *name)
{
    char path[1200];
    snprintf(path, sizeof path, "%.1024s/%.64s", folder, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static void folders_past_the_depth_limit_are_reported_once(void **state)
{
    (void)state;
    char root[128], deep[1024], level16[512] = "";
    snprintf(root, sizeof root, "%s/deep", dir);
    int n = snprintf(deep, sizeof deep, "%s", root);
    for (unsigned i = 1; i <= PT_MAX_WALK_DEPTH + 2; i++) {
        n += snprintf(deep + n, sizeof deep - (size_t)n, "/d%u", i);
        if (i == PT_MAX_WALK_DEPTH) {
            mkdirs(deep);
            touch(deep, "at16.sys");
            snprintf(level16, sizeof level16, "%.500s", deep);
        }
    }
    mkdirs(deep);
    touch(deep, "at18.sys");
    snprintf(deep, sizeof deep, "%.500s/d%u", level16, PT_MAX_WALK_DEPTH + 1);
    touch(deep, "at17.sys");
    walk_log w = {0};
    pt_error err = {0};
    assert_int_equal(pt_platform_walk_checked(root, count_file, log_problem, &w, &err), PT_OK);
    assert_int_equal(w.files, 1);         /* at16.sys only */
    assert_int_equal(w.problems, 1);
    assert_string_equal(w.path[0], deep); /* the first folder left out */
    assert_non_null(strstr(w.message[0], "1 folder deeper than 16 levels not searched"));
    /* the unchecked walk still leaves them out, without a word */
    walk_log quiet = {0};
    assert_int_equal(pt_platform_walk_checked(root, count_file, NULL, &quiet, &err), PT_OK);
    assert_int_equal(quiet.files, 1);
}

static void the_file_past_the_limit_is_reported(void **state)
{
    (void)state;
    /* tmpfs when there is one: 200,001 files are made quickly there */
    char root[128];
    snprintf(root, sizeof root, "/dev/shm/pt_walk_XXXXXX");
    if (mkdtemp(root) == NULL) {
        snprintf(root, sizeof root, "%s/many_XXXXXX", dir);
        assert_non_null(mkdtemp(root));
    }
    char path[256];
    for (unsigned i = 0; i <= PT_MAX_WALK_FILES; i++) {
        snprintf(path, sizeof path, "%s/f%06u", root, i);
        assert_int_equal(mknod(path, S_IFREG | 0644, 0), 0);
    }
    walk_log w = {0};
    pt_error err = {0};
    assert_int_equal(pt_platform_walk_checked(root, count_file, log_problem, &w, &err), PT_OK);
    assert_int_equal(w.files, PT_MAX_WALK_FILES);
    assert_int_equal(w.problems, 1);
    snprintf(path, sizeof path, "%s/f%06u", root, PT_MAX_WALK_FILES);
    assert_string_equal(w.path[0], path);
    assert_non_null(strstr(w.message[0], "more than 200000 files"));
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
}

/* As root every folder is readable, so the walk runs in a child that has
 * dropped to nobody; the child's exit status is the number of failures. */
static void an_unreadable_subfolder_is_reported_not_skipped(void **state)
{
    (void)state;
    char root[128], sub[160], locked[200];
    snprintf(root, sizeof root, "%s/perm", dir);
    snprintf(sub, sizeof sub, "%s/ok", root);
    snprintf(locked, sizeof locked, "%s/locked", root);
    mkdir(root, 0755);
    mkdir(sub, 0755);
    mkdir(locked, 0755);
    touch(sub, "a.sys");
    touch(locked, "hidden.sys");
    assert_int_equal(chmod(locked, 0), 0);
    chmod(dir, 0755);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(100);
        walk_log w = {0};
        pt_error err = {0};
        int fails = 0;
        fails += pt_platform_walk_checked(root, count_file, log_problem, &w, &err) != PT_OK;
        fails += w.files != 1;
        fails += w.problems != 1;
        fails += strcmp(w.path[0], locked) != 0;
        fails += strstr(w.message[0], "cannot open folder") == NULL;
        _exit(fails);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    chmod(locked, 0755);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* An archive entry is read through the same reader as a file on disk. */
static void bytes_in_memory_read_as_a_file(void **state)
{
    (void)state;
    static const char data[] = "0123456789";
    pt_rfile f;
    pt_rfile_open_memory(&f, "case.zip:drivers/x.sys", data, 10);
    pt_rfile_id id;
    assert_true(pt_rfile_identity(&f, &id));
    assert_int_equal(id.size, 10);
    char buf[8];
    size_t got;
    pt_error err = {0};
    assert_int_equal(pt_rfile_read(&f, buf, 6, &got, &err), PT_OK);
    assert_int_equal(got, 6);
    assert_memory_equal(buf, "012345", 6);
    assert_int_equal(pt_rfile_read(&f, buf, 8, &got, &err), PT_OK);
    assert_int_equal(got, 4);                 /* the rest, then the end */
    assert_memory_equal(buf, "6789", 4);
    assert_int_equal(pt_rfile_read(&f, buf, 8, &got, &err), PT_OK);
    assert_int_equal(got, 0);
    assert_int_equal(pt_rfile_read_at(&f, 8, buf, 8, &got, &err), PT_OK);
    assert_int_equal(got, 2);                 /* by offset, the position untouched */
    assert_memory_equal(buf, "89", 2);
    assert_int_equal(pt_rfile_read_at(&f, 11, buf, 8, &got, &err), PT_OK);
    assert_int_equal(got, 0);
    assert_string_equal(f.path, "case.zip:drivers/x.sys");
    pt_rfile_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bytes_in_memory_read_as_a_file),
        cmocka_unit_test(a_fifo_without_a_writer_is_refused_at_once),
        cmocka_unit_test(every_reader_of_a_named_file_refuses_a_fifo),
        cmocka_unit_test(a_device_or_a_folder_is_not_a_regular_file),
        cmocka_unit_test(a_missing_file_says_why_and_keeps_errno),
        cmocka_unit_test(a_regular_file_opens_blocking),
        cmocka_unit_test(folders_past_the_depth_limit_are_reported_once),
        cmocka_unit_test(the_file_past_the_limit_is_reported),
        cmocka_unit_test(an_unreadable_subfolder_is_reported_not_skipped),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
