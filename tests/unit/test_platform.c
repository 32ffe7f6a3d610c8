/* test_platform.c - the platform layer's input opener: a file named by the
 * user is opened without blocking, and anything but a regular file (a FIFO
 * with no writer, a device, a folder) is refused at once. */
#include "test_support.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_fifo_without_a_writer_is_refused_at_once),
        cmocka_unit_test(every_reader_of_a_named_file_refuses_a_fifo),
        cmocka_unit_test(a_device_or_a_folder_is_not_a_regular_file),
        cmocka_unit_test(a_missing_file_says_why_and_keeps_errno),
        cmocka_unit_test(a_regular_file_opens_blocking),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
