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

static void small_verdict(pt_verdict *v)
{
    static pt_suspect s;
    memset(&s, 0, sizeof s);
    memcpy(s.tag, "MFeS", 5);
    s.bytes = 1000;
    s.share = 0.5;
    memset(v, 0, sizeof *v);
    v->suspects = &s;
    v->suspect_count = 1;
    v->host.os_build = PT_UNKNOWN;
}

#define BOMB(id) "return { id = '" id "', title = 'slow', evaluate = function(ctx)\n" \
    "  local s = ('a'):rep(5000)\n" \
    "  return string.find(s, ('a*'):rep(12) .. 'b') end }\n"

static void the_rules_of_one_run_share_one_time_budget(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    small_verdict(&v);
    const char *b1 = BOMB("b1"), *b2 = BOMB("b2"), *b3 = BOMB("b3");
    pt_rule_source src[4] = {{"b1.lua", b1, strlen(b1)}, {"b2.lua", b2, strlen(b2)},
                             {"b3.lua", b3, strlen(b3)}, {"good.lua", good, strlen(good)}};
    pt_rules_set_time_limit(800);
    pt_rules_set_time_budget(1200);
    pt_rules_set_workers(1);   /* one at a time: the budget's order is known */
    pt_error err = {0};
    int64_t t0 = pt_platform_now_ms();
    assert_int_equal(pt_rules_run(a, test_kb(), src, 4, &v, &err), PT_OK);
    int64_t took = pt_platform_now_ms() - t0;
    pt_rules_set_time_budget(0);
    pt_rules_set_workers(0);
    /* 800 ms, then what is left of 1200, then nothing: not 3 x 800 ms (plus
     * the short load checks after each time-out) */
    if (took > 2400)
        fail_msg("the rule run took %lld ms", (long long)took);
    assert_int_equal(v.rule_error_count, 4);
    assert_non_null(strstr(v.rule_errors[0].message, "time limit exceeded"));
    assert_non_null(strstr(v.rule_errors[1].message, "time limit exceeded"));
    assert_string_equal(v.rule_errors[2].message,
                        "not run: the rules' time budget of 1200 ms for one run is spent");
    assert_string_equal(v.rule_errors[3].where, "good.lua");
    assert_int_equal(v.finding_count, 0);
    pt_arena_free(a);
}

/* Two workers asked for: where the platform runs two rules at once
 * (Windows, 2 CPUs or more), b1 and b2 both time out at 800 ms and b3
 * starts with what is left of 1200 (about 400 ms); where it runs one
 * (POSIX: a fork must come from one thread), b2 gets what is left and b3 is
 * not run.  Either way the results come back in rule order. */
static void rules_run_at_once_share_the_budget_and_report_in_order(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    small_verdict(&v);
    const char *b1 = BOMB("b1"), *b2 = BOMB("b2"), *b3 = BOMB("b3");
    pt_rule_source src[4] = {{"b1.lua", b1, strlen(b1)}, {"good.lua", good, strlen(good)},
                             {"b2.lua", b2, strlen(b2)}, {"b3.lua", b3, strlen(b3)}};
    pt_rules_set_time_limit(800);
    pt_rules_set_time_budget(1200);
    pt_rules_set_workers(2);
    bool two = pt_platform_isolated_at_once(4) >= 2;
    pt_error err = {0};
    assert_int_equal(pt_rules_run(a, test_kb(), src, 4, &v, &err), PT_OK);
    pt_rules_set_time_budget(0);
    pt_rules_set_workers(0);
    pt_rules_set_time_limit(0);
    assert_int_equal(v.rule_error_count, 3);
    assert_string_equal(v.rule_errors[0].where, "b1.lua");
    assert_string_equal(v.rule_errors[1].where, "b2.lua");
    assert_string_equal(v.rule_errors[2].where, "b3.lua");
    assert_non_null(strstr(v.rule_errors[0].message, "time limit exceeded"));
    if (two) {
        assert_non_null(strstr(v.rule_errors[1].message, "time limit exceeded"));
        assert_non_null(strstr(v.rule_errors[2].message, "what was left of the rules' budget"));
    } else {
        assert_non_null(strstr(v.rule_errors[1].message, "what was left of the rules' budget"));
        assert_string_equal(v.rule_errors[2].message,
                            "not run: the rules' time budget of 1200 ms for one run is spent");
    }
    pt_arena_free(a);
}

static void a_time_out_in_evaluate_is_one_rule_that_errors(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    small_verdict(&v);
    const char *bomb = BOMB("only");
    pt_rule_source src[1] = {{"only.lua", bomb, strlen(bomb)}};
    pt_rules_set_time_limit(500);
    pt_error err = {0};
    /* as error() in evaluate: a warning, not "no rule could load" (exit 4) */
    assert_int_equal(pt_rules_run(a, test_kb(), src, 1, &v, &err), PT_OK);
    assert_int_equal(v.rule_error_count, 1);
    assert_non_null(strstr(v.rule_errors[0].message, "time limit exceeded"));
    /* a rule that never gets as far as evaluate() still could not load */
    const char *stuck = "local s = ('a'):rep(5000)\n"
                        "string.find(s, ('a*'):rep(12) .. 'b')\n"
                        "return { id = 'stuck', title = 't', evaluate = function() end }\n";
    pt_rule_source src2[1] = {{"stuck.lua", stuck, strlen(stuck)}};
    assert_int_equal(pt_rules_run(a, test_kb(), src2, 1, &v, &err), PT_ERULE);
    assert_non_null(strstr(err.message, "no rule could load"));
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
        cmocka_unit_test(the_rules_of_one_run_share_one_time_budget),
        cmocka_unit_test(rules_run_at_once_share_the_budget_and_report_in_order),
        cmocka_unit_test(a_time_out_in_evaluate_is_one_rule_that_errors),
        cmocka_unit_test(every_hostile_rule_fails_exactly_as_expected),
        cmocka_unit_test(nothing_escaped_to_the_file_system),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
