/* test_version.c - version parsing, comparison and capture times. */
#include "test_support.h"

static void vendor_prefixed_file_version_reads_as_its_numbers(void **state)
{
    (void)state;
    pt_version v;
    assert_true(pt_version_parse("SYSCORE.18.10.0.189", &v));
    assert_int_equal(v.count, 4);
    assert_int_equal(v.part[0], 18);
    assert_int_equal(v.part[3], 189);
    assert_true(pt_version_parse("6.3.9600.19000 (winblue_ltsb.180410-0600)", &v));
    assert_int_equal(v.part[2], 9600);
    assert_int_equal(v.part[3], 19000);
    assert_true(pt_version_parse("4.00 (WinBuild.160101.0800)", &v));
    assert_int_equal(v.count, 2);
    assert_int_equal(v.part[0], 4);
    /* commas, as old resource scripts write the FileVersion string */
    assert_true(pt_version_parse("5, 46, 5, 0", &v));
    assert_int_equal(v.count, 4);
    assert_int_equal(v.part[1], 46);
    assert_int_equal(v.part[2], 5);
    assert_true(pt_version_parse("2,4,1,7", &v));
    assert_int_equal(v.count, 4);
    assert_int_equal(v.part[3], 7);
    assert_true(pt_version_parse("1.2, beta", &v));
    assert_int_equal(v.count, 2);
    assert_false(pt_version_parse("n/a", &v));
    assert_false(pt_version_parse(NULL, &v));
}

static void comparison_treats_missing_parts_as_zero(void **state)
{
    (void)state;
    pt_version a, b;
    pt_version_parse("18.10", &a);
    pt_version_parse("18.10.0.0", &b);
    assert_int_equal(pt_version_cmp(&a, &b), 0);
    pt_version_parse("18.10.0.189", &a);
    pt_version_parse("18.9.9999.9999", &b);
    assert_true(pt_version_cmp(&a, &b) > 0);
    pt_version_parse("0.9988", &a);
    pt_version_parse("0.9989", &b);
    assert_true(pt_version_cmp(&a, &b) < 0);
    char buf[48];
    pt_version_parse("SYSCORE.18.10.0.189", &a);
    pt_version_format(&a, buf, sizeof buf);
    assert_string_equal(buf, "18.10.0.189");
}

static void huge_parts_saturate_instead_of_wrapping(void **state)
{
    (void)state;
    pt_version v;
    assert_true(pt_version_parse("99999999999999999999.1", &v));
    assert_int_equal(v.part[0], UINT32_MAX);
    assert_int_equal(v.part[1], 1);
}

static void kb_versions_parse_strictly_and_refuse_words_and_junk(void **state)
{
    (void)state;
    pt_version v;
    assert_true(pt_version_parse_strict("18.10.0.189", &v));
    assert_int_equal(v.count, 4);
    assert_true(pt_version_parse_strict("SYSCORE.18.10.0.189", &v));
    assert_int_equal(v.part[0], 18);
    assert_int_equal(v.part[3], 189);
    assert_true(pt_version_parse_strict("0.9995", &v));
    assert_int_equal(v.count, 2);
    assert_int_equal(v.part[1], 9995);
    assert_false(pt_version_parse_strict("two", &v));
    assert_false(pt_version_parse_strict("2.4.1.x", &v));
    assert_false(pt_version_parse_strict("v2", &v));
    assert_false(pt_version_parse_strict("1..2", &v));
    assert_false(pt_version_parse_strict("1.2.3.4.5", &v));
    assert_false(pt_version_parse_strict("", &v));
    assert_false(pt_version_parse_strict("18.10 (beta)", &v));
    assert_false(pt_version_parse_strict(NULL, &v));
}

static void a_release_scheme_maps_the_numeric_version_to_the_release(void **state)
{
    (void)state;
    pt_version n, r, want;
    assert_true(pt_version_pattern_check("5.{1}.{2}.*"));
    assert_false(pt_version_pattern_check("5.{2}.*.*"));   /* {1} missing */
    assert_false(pt_version_pattern_check("5.{1}.*"));     /* three parts */
    assert_false(pt_version_pattern_check("5.x.{1}.*"));
    assert_false(pt_version_pattern_check("70000.{1}.*.*"));
    pt_version_parse("5.0.9995.709", &n);
    assert_true(pt_version_from_pattern("5.{1}.{2}.*", &n, &r));
    pt_version_parse("0.9995", &want);
    assert_int_equal(pt_version_cmp(&r, &want), 0);
    pt_version_parse("5.1.77.926", &n);
    assert_true(pt_version_from_pattern("5.{1}.{2}.*", &n, &r));
    pt_version_parse("1.77", &want);
    assert_int_equal(pt_version_cmp(&r, &want), 0);
    pt_version_parse("4.1.77.926", &n); /* not in the scheme */
    assert_false(pt_version_from_pattern("5.{1}.{2}.*", &n, &r));
}

static void iso_times_and_file_name_stamps_are_read_as_utc(void **state)
{
    (void)state;
    int64_t t;
    assert_true(pt_time_parse("2026-11-20T08:00:00Z", true, &t));
    assert_int_equal(t, 1795161600);
    assert_true(pt_time_parse("2026-11-20 08:00", true, &t));
    assert_int_equal(t, 1795161600);
    assert_false(pt_time_parse("yesterday", true, &t));
    assert_false(pt_time_parse("2026-13-01", true, &t));
    assert_true(pt_time_parse("poolsnap-2026-11-20T08-00-00.log", false, &t));
    assert_int_equal(t, 1795161600);
    assert_true(pt_time_parse("pool_20261120_0800.txt", false, &t));
    assert_int_equal(t, 1795161600);
    assert_true(pt_time_parse("20261120-080000.log", false, &t));
    assert_int_equal(t, 1795161600);
    assert_false(pt_time_parse("poolmon.txt", false, &t));
    char buf[40];
    pt_time_format(1795161600, buf, sizeof buf);
    assert_string_equal(buf, "2026-11-20T08:00:00Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vendor_prefixed_file_version_reads_as_its_numbers),
        cmocka_unit_test(comparison_treats_missing_parts_as_zero),
        cmocka_unit_test(huge_parts_saturate_instead_of_wrapping),
        cmocka_unit_test(kb_versions_parse_strictly_and_refuse_words_and_junk),
        cmocka_unit_test(a_release_scheme_maps_the_numeric_version_to_the_release),
        cmocka_unit_test(iso_times_and_file_name_stamps_are_read_as_utc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
