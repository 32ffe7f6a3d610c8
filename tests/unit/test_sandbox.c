/* test_sandbox.c - every hostile rule in tests/fixtures/rules/hostile gives
 * exactly the rule error its first line expects, and a well-behaved rule
 * run beside it still reports its finding. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



static int setup(void **state)
{
    pt_rules_set_time_limit(1000);
    return test_kb_setup(state) == 0 && test_kb() ? 0 : -1;
}

static int teardown(void **state)
{
    pt_rules_set_time_limit(0);
    return test_kb_teardown(state);
}

static const char good[] =
    "return { id = 'good', title = 'good', evaluate = function(ctx)\n"
    "  return { { level = 'info', title = 'still here', tag = ctx.suspects[1].tag } } end }\n";

static void run_one(const char *file)
{
    pt_arena *a = pt_arena_new();
    char rel[512];
    snprintf(rel, sizeof rel, "rules/hostile/%s", file);
    size_t len;
    char *text = fixture_text(a, rel, &len);
    const char *mark = "-- expect: ";
    assert_memory_equal(text, mark, strlen(mark));
    char *want = pt_arena_strndup(a, text + strlen(mark), strcspn(text + strlen(mark), "\n"));
    /* an optional second line "-- findings: N": what the rule may still
     * report besides the good rule's one finding */
    size_t findings = 1;
    const char *second = strchr(text, '\n');
    if (second && strncmp(second + 1, "-- findings: ", 13) == 0)
        findings = (size_t)strtoul(second + 14, NULL, 10);

    static pt_suspect s;
    memset(&s, 0, sizeof s);
    memcpy(s.tag, "MFeS", 5);
    s.bytes = 1000;
    s.share = 0.5;
    pt_verdict v;
    memset(&v, 0, sizeof v);
    v.suspects = &s;
    v.suspect_count = 1;
    v.host.os_build = PT_UNKNOWN;
    pt_rule_source src[2] = {{file, text, len}, {"good.lua", good, strlen(good)}};
    pt_error err = {0};
    /* Rules meant to hit the time limit get a short one; the others keep the
     * default, so that a loaded machine (or ASan) cannot turn an exhausted
     * instruction budget into a time-out. */
    pt_rules_set_time_limit(strstr(want, "time limit") ? 1000 : 0);
    assert_int_equal(pt_rules_run(a, test_kb(), src, 2, &v, &err), PT_OK);
    if (v.rule_error_count != 1)
        fail_msg("%s: %zu rule errors", file, v.rule_error_count);
    if (strcmp(v.rule_errors[0].message, want) != 0)
        fail_msg("%s: got \"%s\", expected \"%s\"", file, v.rule_errors[0].message, want);
    assert_int_equal(v.finding_count, findings);
    bool still_here = false;
    for (size_t i = 0; i < v.finding_count; i++)
        still_here |= strcmp(v.findings[i].title, "still here") == 0;
    assert_true(still_here);
    pt_arena_free(a);
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void every_hostile_rule_fails_exactly_as_expected(void **state)
{
    (void)state;
    char **all;
    size_t all_count;
    assert_int_equal(pt_platform_names(fixture("rules/hostile"), &all, &all_count, NULL), PT_OK);
    char *names[128];
    size_t n = 0;
    for (size_t i = 0; i < all_count && n < 128; i++)
        if (strstr(all[i], ".lua"))
            names[n++] = strdup(all[i]);
    pt_platform_names_free(all, all_count);
    qsort(names, n, sizeof *names, by_name);
    assert_true(n >= 20);
    for (size_t i = 0; i < n; i++) {
        run_one(names[i]);
        free(names[i]);
    }
}

static void nothing_escaped_to_the_file_system(void **state)
{
    (void)state;
    assert_false(pt_platform_exists("/tmp/pooltriage-pwned"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_hostile_rule_fails_exactly_as_expected),
        cmocka_unit_test(nothing_escaped_to_the_file_system),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
