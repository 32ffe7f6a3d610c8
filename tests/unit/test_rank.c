/* test_rank.c - suspects ranked by share and bytes, growth, generic tags. */
#include "test_support.h"

#include <string.h>

static pt_snapshot load(pt_arena *a, const char *path)
{
    pt_snapshot s;
    pt_error err = {0};
    if (pt_capture_load(a, path, PT_FMT_UNKNOWN, &s, &err) != PT_OK)
        fail_msg("%s: %s", err.where, err.message);
    return s;
}

static void incident_top_suspect_is_mfes_with_its_share_of_nonpaged_pool(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_snapshot s = load(a, PT_SOURCE_DIR "/examples/mfeavfk-2012r2/poolmon.txt");
    pt_suspect *sus;
    size_t n;
    pt_error err = {0};
    assert_int_equal(pt_rank(a, &s, 1, NULL, &sus, &n, &err), PT_OK);
    assert_int_equal(n, 10);
    assert_string_equal(sus[0].tag, "MFeS");
    assert_int_equal(sus[0].pool, PT_POOL_NONPAGED);
    assert_int_equal(sus[0].bytes, 5053046496ull);
    /* Pool N: 6422012K */
    assert_float_equal(sus[0].share, 5053046496.0 / (6422012.0 * 1024), 1e-9);
    assert_false(sus[0].generic);
    assert_false(sus[0].has_growth);
    for (size_t i = 1; i < n; i++)
        assert_true(sus[i - 1].score >= sus[i].score);
    pt_arena_free(a);
}

static void generic_kernel_tags_are_flagged(void **state)
{
    (void)state;
    assert_true(pt_tag_is_generic("File"));
    assert_true(pt_tag_is_generic("Irp "));
    assert_true(pt_tag_is_generic("Pp  "));
    assert_false(pt_tag_is_generic("MFeS"));
    assert_false(pt_tag_is_generic("Irp?"));
}

static void a_tag_growing_across_timed_snapshots_gets_a_rate_per_hour(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_snapshot s[2];
    s[0] = load(a, fixture("pool/poolmon-docs-drsd-before.txt"));
    s[1] = load(a, fixture("pool/poolmon-docs-drsd-after.txt"));
    s[0].time = 0;
    s[1].time = 1800; /* half an hour later */
    pt_suspect *sus;
    size_t n;
    pt_error err = {0};
    assert_int_equal(pt_rank(a, s, 2, NULL, &sus, &n, &err), PT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(sus[0].tag, "Drsd");
    assert_true(sus[0].has_growth);
    /* 17472 -> 22464 bytes in 0.5 h */
    assert_float_equal(sus[0].growth_bytes_per_hour, (22464.0 - 17472.0) * 2, 1e-6);
    s[0].time = PT_UNKNOWN;
    assert_int_equal(pt_rank(a, s, 2, NULL, &sus, &n, &err), PT_OK);
    assert_false(sus[0].has_growth);
    pt_arena_free(a);
}

static void zero_byte_tags_and_empty_series_give_no_suspects(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_suspect *sus;
    size_t n = 99;
    pt_error err = {0};
    assert_int_equal(pt_rank(a, NULL, 0, NULL, &sus, &n, &err), PT_OK);
    assert_int_equal(n, 0);
    pt_snapshot s = load(a, fixture("pool/poolmon-docs-g-ntfs.txt"));
    pt_rank_opts o = {3, 0, 0};
    assert_int_equal(pt_rank(a, &s, 1, &o, &sus, &n, &err), PT_OK);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        assert_true(sus[i].bytes > 0);
    pt_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(incident_top_suspect_is_mfes_with_its_share_of_nonpaged_pool),
        cmocka_unit_test(generic_kernel_tags_are_flagged),
        cmocka_unit_test(a_tag_growing_across_timed_snapshots_gets_a_rate_per_hour),
        cmocka_unit_test(zero_byte_tags_and_empty_series_give_no_suspects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
