/* test_support.c - helpers shared by the cmocka unit tests. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <string.h>

const char *fixture(const char *rel)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", PT_FIXTURES, rel);
    return path;
}

char *fixture_text(pt_arena *arena, const char *rel, size_t *len)
{
    uint8_t *data = NULL;
    size_t n = 0;
    pt_error err = {0};
    pt_code rc = pt_file_read(arena, fixture(rel), 64u << 20, &data, &n, &err);
    if (rc != PT_OK)
        fail_msg("cannot read fixture %s: %s", rel, err.message);
    if (len)
        *len = n;
    return (char *)data;
}

static char kb_file[64];

const char *test_kb_path(void)
{
    if (kb_file[0])
        return kb_file;
    snprintf(kb_file, sizeof kb_file, "/tmp/pt_test_kb_%ld.sqlite", (long)pt_platform_pid());
    pt_error err = {0};
    if (pt_kb_build(PT_SOURCE_DIR "/kb/issues", PT_SOURCE_DIR "/rules", kb_file, &err) != PT_OK) {
        kb_file[0] = '\0';
        return NULL;
    }
    return kb_file;
}

void test_kb_remove(void)
{
    if (kb_file[0])
        pt_platform_remove(kb_file);
    kb_file[0] = '\0';
}

static pt_kb *kb_open;

pt_kb *test_kb(void)
{
    pt_error err = {0};
    if (kb_open == NULL && test_kb_path() && pt_kb_open(test_kb_path(), &kb_open, &err) != PT_OK)
        kb_open = NULL;
    return kb_open;
}

int test_kb_setup(void **state)
{
    (void)state;
    return test_kb_path() ? 0 : -1;
}

int test_kb_teardown(void **state)
{
    (void)state;
    pt_kb_close(kb_open);
    kb_open = NULL;
    test_kb_remove();
    return 0;
}

int test_arena_setup(void **state)
{
    *state = pt_arena_new();
    return *state ? 0 : -1;
}

int test_arena_teardown(void **state)
{
    pt_alloc_fail_after(-1);
    pt_arena_free(*state);
    return 0;
}

void test_load_signed(pt_arena *arena, const char *rel, test_signed *out)
{
    out->data = (uint8_t *)fixture_text(arena, rel, &out->len);
    assert_int_equal(pt_pe_parse(arena, out->data, out->len, &out->pe), PT_OK);
    assert_int_equal(pt_authenticode_read(arena, out->data, out->len, &out->pe, &out->sig), PT_OK);
}

int test_remove_tree(const char *path)
{
    pt_file_info st;
    if (!pt_platform_stat(path, &st))
        return pt_platform_exists(path) && pt_platform_remove(path) != 0 ? -1 : 0;
    if (!st.is_dir)
        return pt_platform_remove(path);
    char **names;
    size_t count;
    int rc = 0;
    if (pt_platform_names(path, &names, &count, NULL) == PT_OK) {
        for (size_t i = 0; i < count; i++) {
            char *child = pt_path_join(path, names[i]);
            if (child == NULL || test_remove_tree(child) != 0)
                rc = -1;
            pt_free(child);
        }
        pt_platform_names_free(names, count);
    }
    return pt_platform_rmdir(path) != 0 ? -1 : rc;
}

const char *test_join(const char *dir, const char *name)
{
    static char buf[4096];
    if (!pt_path_join_buf(buf, sizeof buf, dir, name))
        buf[0] = '\0';
    return buf;
}

pt_snapshot test_capture(void **state, const char *rel)
{
    pt_snapshot snap;
    pt_error err = {0};
    if (pt_capture_load(*state, fixture(rel), PT_FMT_UNKNOWN, &snap, &err) != PT_OK)
        fail_msg("%s: %s: %s", rel, err.where, err.message);
    return snap;
}

pt_snapshot test_capture_text(void **state, const char *text)
{
    pt_snapshot snap;
    pt_error err = {0};
    if (pt_capture_parse(*state, "mem.txt", text, strlen(text), PT_FMT_UNKNOWN, &snap,
                         &err) != PT_OK)
        fail_msg("%s: %s", err.where, err.message);
    return snap;
}

const pt_pool_row *test_row(const pt_snapshot *s, const char *tag, pt_pool_type pool)
{
    for (size_t i = 0; i < s->row_count; i++)
        if (strcmp(s->rows[i].tag, tag) == 0 && s->rows[i].pool == pool)
            return &s->rows[i];
    fail_msg("no row [%s] %s", tag, pt_pool_type_name(pool));
    return NULL;
}
