/* test_host.c - the OS from --os and from a Windows tree's ntoskrnl.exe. */
#include "test_support.h"

#include <string.h>

static void os_name_gives_version_build_and_both_names_of_the_kernel(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_host h = {0};
    pt_error err = {0};
    assert_int_equal(pt_host_set_os(a, &h, "2012R2", "--os", &err), PT_OK);
    assert_string_equal(h.os_version, "6.3.9600");
    assert_int_equal(h.os_build, 9600);
    assert_int_equal(h.os_name_count, 2);
    assert_string_equal(h.os_names[0], "Windows Server 2012 R2");
    assert_string_equal(h.os_names[1], "Windows 8.1");
    assert_string_equal(h.os_source, "--os");
    assert_int_equal(pt_host_set_os(a, &h, "11-25h2", "--os", &err), PT_OK);
    assert_int_equal(h.os_build, 26200);
    assert_int_equal(h.os_name_count, 1);
    pt_arena_free(a);
}

static void numeric_os_versions_are_accepted_and_junk_is_a_usage_error(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_host h = {0};
    pt_error err = {0};
    assert_int_equal(pt_host_set_os(a, &h, "6.3.9600.19000", "--os", &err), PT_OK);
    assert_string_equal(h.os_version, "6.3.9600.19000");
    assert_int_equal(h.os_build, 9600);
    assert_int_equal(pt_host_set_os(a, &h, "10.0.99999", "--os", &err), PT_OK);
    assert_int_equal(h.os_name_count, 0);
    assert_int_equal(pt_host_set_os(a, &h, "vista", "--os", &err), PT_EUSAGE);
    assert_int_equal(pt_host_set_os(a, &h, "6.3", "--os", &err), PT_EUSAGE);
    assert_int_equal(pt_host_set_os(a, &h, "6.3.9600x", "--os", &err), PT_EUSAGE);
    /* a part past 32 bits is refused, never clamped to 4294967295 */
    assert_int_equal(pt_host_set_os(a, &h, "99999999999999999999.1.1.1", "--os", &err),
                     PT_EUSAGE);
    assert_non_null(strstr(err.message, "out of range"));
    assert_int_equal(pt_host_set_os(a, &h, "4294967295.1.1", "--os", &err), PT_OK);
    pt_arena_free(a);
}

static void windows_tree_gives_the_kernel_version(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_host h = {0};
    h.os_build = PT_UNKNOWN;
    pt_error err = {0};
    assert_int_equal(pt_host_from_root(a, &h, PT_SOURCE_DIR "/examples/mfeavfk-2012r2", &err),
                     PT_OK);
    assert_string_equal(h.os_version, "6.3.9600.19000");
    assert_int_equal(h.os_build, 9600);
    assert_string_equal(h.os_source, "ntoskrnl.exe");
    pt_host h2 = {0};
    h2.os_build = PT_UNKNOWN;
    assert_int_equal(pt_host_from_root(a, &h2, fixture("cases/clean-2019"), &err), PT_OK);
    assert_int_equal(h2.os_build, 17763);
    pt_host h3 = {0};
    h3.os_build = PT_UNKNOWN;
    assert_int_equal(pt_host_from_root(a, &h3, fixture("garbage"), &err), PT_OK);
    assert_null(h3.os_version);
    assert_int_equal(h3.os_build, PT_UNKNOWN);
    pt_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(os_name_gives_version_build_and_both_names_of_the_kernel),
        cmocka_unit_test(numeric_os_versions_are_accepted_and_junk_is_a_usage_error),
        cmocka_unit_test(windows_tree_gives_the_kernel_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
