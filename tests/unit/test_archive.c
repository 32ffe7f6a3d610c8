/* test_archive.c - the case archive reader with small limits: archives are
 * written here with libarchive's writer, then read back: entries passed in
 * order, bytes kept only up to max_keep, and each limit (entries, depth,
 * bytes, ratio) refusing the archive with PT_ELIMIT. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64], path[96];

/* Writes a gzip'd pax tar of `count` files named PREFIX0, PREFIX1..., each of `size`
 * bytes of `fill`. */
static void write_tar(size_t count, const char *prefix, size_t size, char fill)
{
    struct archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    char *data = malloc(size + 1);
    memset(data, fill, size);
    for (size_t i = 0; i < count; i++) {
        char name[256];
        snprintf(name, sizeof name, "%s%zu", prefix, i);
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)size);
        archive_entry_set_mtime(e, 1700000000 + (time_t)i, 0);
        archive_write_header(a, e);
        archive_write_data(a, data, size);
        archive_entry_free(e);
    }
    free(data);
    archive_write_close(a);
    archive_write_free(a);
}

typedef struct seen {
    size_t count, kept;
    char first[64];
    int64_t first_mtime;
} seen;

static bool on_entry(void *ctx, const pt_archive_entry *e)
{
    seen *s = ctx;
    if (s->count++ == 0) {
        snprintf(s->first, sizeof s->first, "%s", e->name);
        s->first_mtime = e->mtime;
    }
    s->kept += e->data != NULL;
    return true;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/pt_archive_XXXXXX", pt_platform_temp_root());
    if (pt_platform_make_temp_dir(dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/case.tar.gz", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pt_platform_remove(path);
    pt_platform_rmdir(dir);
    return 0;
}

static void every_file_reaches_the_callback_with_clean_names(void **state)
{
    (void)state;
    write_tar(3, "./case//f", 10, 'a');
    seen s = {0};
    pt_error err = {0};
    assert_int_equal(pt_archive_read(path, NULL, 1024, on_entry, &s, &err), PT_OK);
    assert_int_equal(s.count, 3);
    assert_int_equal(s.kept, 3);
    assert_string_equal(s.first, "case/f0");
    assert_int_equal(s.first_mtime, 1700000000);
}

static void bytes_past_max_keep_are_counted_not_kept(void **state)
{
    (void)state;
    write_tar(2, "f", 4096, 'b');
    seen s = {0};
    pt_error err = {0};
    assert_int_equal(pt_archive_read(path, NULL, 100, on_entry, &s, &err), PT_OK);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.kept, 0);
}

static void more_entries_than_the_limit_refuse_the_archive(void **state)
{
    (void)state;
    write_tar(11, "f", 1, 'c');
    pt_archive_limits lim = pt_archive_limits_default();
    lim.max_entries = 10;
    seen s = {0};
    pt_error err = {0};
    assert_int_equal(pt_archive_read(path, &lim, 100, on_entry, &s, &err), PT_ELIMIT);
    assert_non_null(strstr(err.message, "more entries"));
    lim.max_entries = 11;
    assert_int_equal(pt_archive_read(path, &lim, 100, on_entry, &s, &err), PT_OK);
}

static void more_bytes_than_the_limit_refuse_the_archive(void **state)
{
    (void)state;
    write_tar(4, "f", 1000, 'd');
    pt_archive_limits lim = pt_archive_limits_default();
    lim.max_bytes = 3999;
    seen s = {0};
    pt_error err = {0};
    assert_int_equal(pt_archive_read(path, &lim, 100, on_entry, &s, &err), PT_ELIMIT);
    assert_non_null(strstr(err.message, "more bytes unpacked"));
    assert_non_null(strstr(err.message, "f3"));   /* the entry that crossed it */
}

static void a_high_ratio_past_the_free_bytes_is_a_bomb(void **state)
{
    (void)state;
    write_tar(1, "zeros", 1u << 20, '\0');   /* 1 MiB packs into about 1 KB */
    pt_archive_limits lim = pt_archive_limits_default();
    lim.ratio_free = 64 * 1024;
    seen s = {0};
    pt_error err = {0};
    assert_int_equal(pt_archive_read(path, &lim, 100, on_entry, &s, &err), PT_ELIMIT);
    assert_non_null(strstr(err.message, "decompression bomb"));
    /* the same archive under the default free bytes is fine */
    assert_int_equal(pt_archive_read(path, NULL, 100, on_entry, &s, &err), PT_OK);
}

static void a_path_deeper_than_the_limit_is_refused(void **state)
{
    (void)state;
    write_tar(1, "a/b/c/d", 1, 'e');
    pt_archive_limits lim = pt_archive_limits_default();
    lim.max_depth = 2;
    seen s = {0};
    pt_error err = {0};
    assert_int_equal(pt_archive_read(path, &lim, 100, on_entry, &s, &err), PT_ELIMIT);
    lim.max_depth = 3;
    assert_int_equal(pt_archive_read(path, &lim, 100, on_entry, &s, &err), PT_OK);
}

static void archive_names_are_known_by_suffix(void **state)
{
    (void)state;
    assert_true(pt_archive_name("case.ZIP"));
    assert_true(pt_archive_name("a/case.tar.gz"));
    assert_true(pt_archive_name("case.tar.xz"));
    assert_true(pt_archive_name("case.tgz"));
    assert_false(pt_archive_name("poolmon.txt"));
    assert_false(pt_archive_name("case.gz"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_file_reaches_the_callback_with_clean_names, setup, teardown),
        cmocka_unit_test_setup_teardown(bytes_past_max_keep_are_counted_not_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(more_entries_than_the_limit_refuse_the_archive, setup, teardown),
        cmocka_unit_test_setup_teardown(more_bytes_than_the_limit_refuse_the_archive, setup, teardown),
        cmocka_unit_test_setup_teardown(a_high_ratio_past_the_free_bytes_is_a_bomb, setup, teardown),
        cmocka_unit_test_setup_teardown(a_path_deeper_than_the_limit_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(archive_names_are_known_by_suffix, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
