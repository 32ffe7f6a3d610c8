/* test_util.c - errors, allocation fault injection, the arena and buffers. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <string.h>

static void error_set_records_code_where_and_message(void **state)
{
    (void)state;
    pt_error err = {0};
    assert_int_equal(pt_error_set(&err, PT_EFORMAT, "a.txt:3", "bad %s", "row"), PT_EFORMAT);
    assert_int_equal(err.code, PT_EFORMAT);
    assert_string_equal(err.where, "a.txt:3");
    assert_string_equal(err.message, "bad row");
    assert_int_equal(pt_error_set(NULL, PT_EIO, "x", "y"), PT_EIO);
}

static void arena_returns_zeroed_aligned_memory_and_frees_adopted_blocks(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    assert_non_null(a);
    for (int i = 0; i < 1000; i++) {
        unsigned char *p = pt_arena_alloc(a, (size_t)(i % 300) + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        for (int k = 0; k < (i % 300) + 1; k++)
            assert_int_equal(p[k], 0);
        memset(p, 0xAB, (size_t)(i % 300) + 1);
    }
    void *big = pt_arena_alloc(a, 1u << 20);
    assert_non_null(big);
    assert_true(pt_arena_adopt(a, pt_malloc(64)));
    assert_string_equal(pt_arena_strdup(a, "MFeS"), "MFeS");
    assert_null(pt_arena_strdup(a, NULL));
    assert_string_equal(pt_arena_strndup(a, "NFeSxyz", 4), "NFeS");
    assert_string_equal(pt_arena_printf(a, "%d-%s", 42, "x"), "42-x");
    pt_arena_free(a);
    pt_arena_free(NULL);
}

static void allocation_fails_after_the_injected_count(void **state)
{
    (void)state;
    pt_alloc_fail_after(2);
    void *a = pt_malloc(8), *b = pt_malloc(8), *c = pt_malloc(8);
    pt_alloc_fail_after(-1);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    pt_free(a);
    pt_free(b);
    void *d = pt_malloc(8);
    assert_non_null(d);
    pt_free(d);
}

static void buffer_grows_and_marks_failure_instead_of_losing_silently(void **state)
{
    (void)state;
    pt_buf b = {0};
    for (int i = 0; i < 1000; i++)
        pt_buf_printf(&b, "%04d,", i);
    assert_int_equal(b.len, 5000);
    assert_memory_equal(b.data, "0000,0001,", 10);
    assert_false(b.failed);
    pt_buf_free(&b);
    pt_alloc_fail_after(0);
    pt_buf_puts(&b, "x");
    pt_alloc_fail_after(-1);
    assert_true(b.failed);
    pt_buf_puts(&b, "y"); /* stays failed, never half-written */
    assert_true(b.failed);
    assert_int_equal(b.len, 0);
    pt_buf_free(&b);
}

static void file_read_refuses_missing_and_oversized_files(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    uint8_t *data;
    size_t len;
    pt_error err = {0};
    assert_int_equal(pt_file_read(a, fixture("nope.txt"), 100, &data, &len, &err), PT_EIO);
    assert_non_null(strstr(err.message, "cannot open"));
    assert_int_equal(pt_file_read(a, fixture("garbage/not-a-capture.txt"), 10, &data, &len, &err),
                     PT_ELIMIT);
    assert_int_equal(pt_file_read(a, fixture("garbage/not-a-capture.txt"), 1000, &data, &len, &err),
                     PT_OK);
    assert_int_equal(data[len], 0);
    assert_memory_equal(data, "Hi team,", 8);
    pt_arena_free(a);
}

static void sha256_of_a_file_matches_sha256_of_its_bytes(void **state)
{
    (void)state;
    char hex[65], hex2[65];
    pt_error err = {0};
    assert_int_equal(pt_sha256_file(fixture("garbage/not-a-capture.txt"), hex, &err), PT_OK);
    pt_arena *a = pt_arena_new();
    size_t len;
    char *text = fixture_text(a, "garbage/not-a-capture.txt", &len);
    pt_sha256_hex(text, len, hex2);
    assert_string_equal(hex, hex2);
    pt_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    pt_arena_free(a);
}

static void names_of_enums_match_the_contract(void **state)
{
    (void)state;
    assert_string_equal(pt_pool_type_name(PT_POOL_NONPAGED), "nonpaged");
    assert_string_equal(pt_pool_type_name(PT_POOL_PAGED), "paged");
    assert_string_equal(pt_level_name(PT_LEVEL_KNOWN), "known");
    assert_string_equal(pt_level_name(PT_LEVEL_CLEAN), "clean");
    pt_level l;
    assert_true(pt_level_parse("likely", &l));
    assert_int_equal(l, PT_LEVEL_LIKELY);
    assert_false(pt_level_parse("bad", &l));
    assert_string_equal(pt_time_source_name(PT_TIME_AT), "--at");
    assert_null(pt_time_source_name(PT_TIME_NONE));
    assert_int_equal(pt_capture_format_parse("poolmon-snapshot"), PT_FMT_POOLMON_SNAPSHOT);
    assert_int_equal(pt_capture_format_parse("auto"), PT_FMT_UNKNOWN);
}

static void a_path_splits_at_its_last_component(void **state)
{
    (void)state;
    char buf[64];
    size_t n = pt_path_split_last(buf, sizeof buf, "kb/issues/");
    assert_string_equal(buf, "kb/issues");   /* trailing separators gone */
    assert_int_equal(n, 3);
    assert_string_equal(buf + n, "issues");
    n = pt_path_split_last(buf, sizeof buf, "issues");
    assert_int_equal(n, 0);                  /* no folder part */
    n = pt_path_split_last(buf, sizeof buf, "/");
    assert_string_equal(buf, "/");
    assert_int_equal(n, 1);
    n = pt_path_split_last(buf, 6, "a/b/c/d");   /* cut to the buffer: "a/b/c" */
    assert_string_equal(buf, "a/b/c");
    assert_int_equal(n, 4);
#ifdef _WIN32
    n = pt_path_split_last(buf, sizeof buf, "C:\\kb\\issues\\");
    assert_int_equal(n, 6);
    assert_string_equal(buf + n, "issues");
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_set_records_code_where_and_message),
        cmocka_unit_test(a_path_splits_at_its_last_component),
        cmocka_unit_test(arena_returns_zeroed_aligned_memory_and_frees_adopted_blocks),
        cmocka_unit_test(allocation_fails_after_the_injected_count),
        cmocka_unit_test(buffer_grows_and_marks_failure_instead_of_losing_silently),
        cmocka_unit_test(file_read_refuses_missing_and_oversized_files),
        cmocka_unit_test(sha256_of_a_file_matches_sha256_of_its_bytes),
        cmocka_unit_test(names_of_enums_match_the_contract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
