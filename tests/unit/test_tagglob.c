/* test_tagglob.c - pool tag patterns: * and ? as poolmon /i /x and
 * !poolused take them, matching and expansion into literal tags. */
#include "test_support.h"

#include <string.h>

static void star_and_question_match_as_poolmon_does(void **state)
{
    (void)state;
    assert_true(pt_tag_glob_match("MFe*", "MFeS"));
    assert_true(pt_tag_glob_match("MFe*", "MFe "));
    assert_false(pt_tag_glob_match("MFe*", "mfeA"));       /* case-sensitive */
    assert_true(pt_tag_glob_match("M?e0", "MFe0"));
    assert_false(pt_tag_glob_match("M?e0", "MFeS"));
    assert_true(pt_tag_glob_match("*S", "MFeS"));
    assert_false(pt_tag_glob_match("*S", "MFS0"));
    assert_true(pt_tag_glob_match("*", "Irp "));
    assert_true(pt_tag_glob_match("*e*", "MFeS"));
}

static void a_short_pattern_is_padded_with_spaces(void **state)
{
    (void)state;
    assert_true(pt_tag_glob_match("Irp", "Irp "));
    assert_false(pt_tag_glob_match("Irp", "IrpX"));
    assert_true(pt_tag_glob_match("Irp?", "Irp "));
    assert_true(pt_tag_glob_match("Ir?", "Irp "));
}

static void expansion_lists_each_printable_tag_once(void **state)
{
    (void)state;
    char (*tags)[5];
    size_t n;
    pt_error err = {0};
    assert_int_equal(pt_tag_glob_expand("MFe?", 1000, &tags, &n, &err), PT_OK);
    assert_int_equal(n, 95);                  /* ' ' to '~' */
    assert_string_equal(tags[0], "MFe ");
    assert_string_equal(tags[94], "MFe~");
    pt_free(tags);
    assert_int_equal(pt_tag_glob_expand("MF**", 100000, &tags, &n, &err), PT_OK);
    assert_int_equal(n, 95 * 95);   /* "MF" and spaces is one of the two-character tails */
    pt_free(tags);
    assert_int_equal(pt_tag_glob_expand("Irp", 10, &tags, &n, &err), PT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(tags[0], "Irp ");
    pt_free(tags);
}

static void too_broad_a_pattern_is_refused(void **state)
{
    (void)state;
    char (*tags)[5];
    size_t n;
    pt_error err = {0};
    assert_int_equal(pt_tag_glob_expand("*", 65536, &tags, &n, &err), PT_ELIMIT);
    assert_non_null(strstr(err.message, "more than 65536"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(star_and_question_match_as_poolmon_does),
        cmocka_unit_test(a_short_pattern_is_padded_with_spaces),
        cmocka_unit_test(expansion_lists_each_printable_tag_once),
        cmocka_unit_test(too_broad_a_pattern_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
