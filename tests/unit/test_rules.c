/* test_rules.c - the rule engine and its sandbox: read-only facts, KB
 * lookups from Lua, findings, and hostile rules that must fail cleanly. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



static int setup(void **state)
{
    return test_kb_setup(state) == 0 && test_kb() ? 0 : -1;
}

static int teardown(void **state)
{
    return test_kb_teardown(state);
}

/* A verdict with one suspect tag and no drivers. */
static void small_verdict(pt_verdict *v)
{
    static pt_suspect s;
    memset(v, 0, sizeof *v);
    memset(&s, 0, sizeof s);
    memcpy(s.tag, "MFeS", 5);
    s.pool = PT_POOL_NONPAGED;
    s.bytes = 5053046496ull;
    s.share = 0.77;
    v->suspects = &s;
    v->suspect_count = 1;
    v->host.os_build = PT_UNKNOWN;
    v->tool_version = PT_VERSION;
}

/* Runs one rule given as text on the small verdict. */
static pt_code run(pt_arena *a, const char *text, pt_verdict *v)
{
    small_verdict(v);
    pt_rule_source src = {"test.lua", text, strlen(text)};
    pt_error err = {0};
    return pt_rules_run(a, test_kb(), &src, 1, v, &err);
}

static const char *only_error(pt_verdict *v)
{
    assert_int_equal(v->rule_error_count, 1);
    return v->rule_errors[0].message;
}

#define RULE(body) "return { id = 't', title = 't', evaluate = function(ctx) " body " end }"

static void a_rule_reads_facts_and_returns_a_finding(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    assert_int_equal(run(a, RULE("local s = ctx.suspects[1]\n"
                                 "return { { level = 'suspect', title = 'big ' .. s.tag,"
                                 " tag = s.tag, pool = s.pool, bytes = s.bytes } }"), &v), PT_OK);
    assert_int_equal(v.finding_count, 1);
    assert_int_equal(v.findings[0].level, PT_LEVEL_SUSPECT);
    assert_int_equal(v.level, PT_LEVEL_SUSPECT);
    assert_string_equal(v.findings[0].title, "big MFeS");
    assert_int_equal(v.findings[0].bytes, 5053046496ull);
    assert_int_equal(strlen(v.findings[0].fingerprint), 64);
    pt_arena_free(a);
}

static void facts_are_read_only_and_unknown_facts_are_errors(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    assert_int_equal(run(a, RULE("ctx.suspects[1].bytes = 0"), &v), PT_OK);
    assert_string_equal(only_error(&v), "facts are read-only: cannot set 'bytes'");
    assert_int_equal(run(a, RULE("return ctx.nonsense"), &v), PT_OK);
    assert_string_equal(only_error(&v), "unknown fact 'nonsense'");
    assert_int_equal(run(a, RULE("rawset(ctx, 'x', 1)"), &v), PT_OK);
    assert_int_equal(v.rule_error_count, 0); /* the proxy, not the facts, was changed */
    assert_int_equal(run(a, RULE("setmetatable(ctx, nil)"), &v), PT_OK);
    assert_non_null(strstr(only_error(&v), "protected metatable"));
    /* a known fact that is null reads as nil, not as an error */
    assert_int_equal(run(a, RULE("assert(ctx.host.os.build == nil)"
                                 " assert(ctx.suspects[1].growth_bytes_per_hour == nil)"
                                 " assert(#ctx.suspects == 1)"
                                 " local n = 0 for k, v in pairs(ctx.suspects[1]) do n = n + 1 end"
                                 " assert(n > 5)"), &v), PT_OK);
    assert_int_equal(v.rule_error_count, 0);
    pt_arena_free(a);
}

static void dangerous_libraries_are_absent(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    static const char *const probes[] = {"io", "os", "package", "debug", "require",
                                         "dofile", "loadfile", "load", "collectgarbage",
                                         "string.dump", "math.random", NULL};
    for (const char *const *p = probes; *p; p++) {
        char text[256];
        snprintf(text, sizeof text, RULE("assert(%s == nil, '%s is reachable')"), *p, *p);
        assert_int_equal(run(a, text, &v), PT_OK);
        assert_int_equal(v.rule_error_count, 0);
    }
    pt_arena_free(a);
}

static void bytecode_rules_are_refused(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    assert_int_equal(run(a, "\x1bLuaT\x00\x19\x93\r\n", &v), PT_ERULE);
    assert_non_null(strstr(only_error(&v), "binary chunk"));
    pt_arena_free(a);
}

static void an_endless_loop_is_killed_even_inside_pcall(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    assert_int_equal(run(a, RULE("while true do end"), &v), PT_OK);
    assert_string_equal(only_error(&v), "instruction budget exhausted");
    assert_int_equal(run(a, RULE("while true do pcall(function() while true do end end) end"),
                         &v), PT_OK);
    assert_string_equal(only_error(&v), "instruction budget exhausted");
    pt_arena_free(a);
}

static void a_memory_bomb_hits_the_cap(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    assert_int_equal(run(a, RULE("local t = {} for i = 1, 1e9 do t[i] = {i} end"), &v), PT_OK);
    assert_non_null(strstr(only_error(&v), "not enough memory"));
    pt_arena_free(a);
}

static void malformed_findings_become_rule_errors(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    assert_int_equal(run(a, RULE("return { { level = 'catastrophic', title = 'x' } }"), &v), PT_OK);
    assert_non_null(strstr(only_error(&v), "finding 1: field 'level'"));
    assert_int_equal(v.finding_count, 0);
    assert_int_equal(run(a, RULE("return { { level = 'info' } }"), &v), PT_OK);
    assert_non_null(strstr(only_error(&v), "field 'title'"));
    assert_int_equal(run(a, RULE("return { { level = 'info', title = 'x', driver = {id = 7} } }"),
                         &v), PT_OK);
    assert_non_null(strstr(only_error(&v), "field 'driver'"));
    assert_int_equal(run(a, RULE("return { { level = 'info', title = 'x', kb = 'PT-4040' } }"),
                         &v), PT_OK);
    assert_non_null(strstr(only_error(&v), "field 'kb'"));
    /* the parent checks what the child sends: a bare number is no driver,
     * a non-table finding is refused by its place in the list, and a
     * value JSON cannot carry (a function) is refused, not dropped */
    assert_int_equal(run(a, RULE("return { { level = 'info', title = 'x', driver = 1 } }"),
                         &v), PT_OK);
    assert_non_null(strstr(only_error(&v), "field 'driver'"));
    assert_int_equal(run(a, RULE("return { { level = 'info', title = 'ok' }, 'str' }"), &v),
                     PT_OK);
    assert_non_null(strstr(only_error(&v), "finding 2: a finding must be a table"));
    assert_int_equal(v.finding_count, 1);
    assert_int_equal(run(a, RULE("return { { level = 'info', title = print or tostring } }"),
                         &v), PT_OK);
    assert_non_null(strstr(only_error(&v), "field 'title'"));
    assert_int_equal(run(a, RULE("return { { level = 'info', title = 'x', tags = {'ok', 5} } }"),
                         &v), PT_OK);
    assert_non_null(strstr(only_error(&v), "field 'tags'"));
    assert_int_equal(run(a, RULE("return 'nope'"), &v), PT_OK);
    assert_non_null(strstr(only_error(&v), "list of findings"));
    assert_int_equal(run(a, "return { id = 'x' }", &v), PT_ERULE);
    assert_non_null(strstr(only_error(&v), "title"));
    pt_arena_free(a);
}

static void kb_lookups_from_lua_return_entries_with_references(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    assert_int_equal(run(a, RULE(
        "local e = ctx.kb.lookup{ tag = 'MFeS', driver = 'mfeavfk.sys',"
        "  file_version = 'SYSCORE.18.10.0.189', build = 9600 }[1]\n"
        "assert(e.id == 'PT-0001' and e.version_match == true and e.os_match == true)\n"
        "assert(e.version_field == 'FileVersion string SYSCORE.18.10.0.189')\n"
        "assert(e.references[4].kind == 'forum' and e.references[4].archived_url ~= nil)\n"
        "assert(e.fixed_in == nil and e.fixed == nil and e.tags[1] == 'NFeS')\n"
        "assert(ctx.version_cmp('SYSCORE.18.10.0.189', '18.9') == 1)\n"
        "return { { level = 'known', title = e.title, kb = e, tag = 'MFeS' } }"), &v), PT_OK);
    assert_int_equal(v.rule_error_count, 0);
    assert_int_equal(v.finding_count, 1);
    assert_string_equal(v.findings[0].kb->id, "PT-0001");
    assert_int_equal(v.findings[0].kb->ref_count, 5);
    pt_arena_free(a);
}

static void one_failing_rule_does_not_stop_the_others(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    small_verdict(&v);
    const char *bad = RULE("error('boom')");
    const char *good = "return { id = 'good', title = 'good', evaluate = function(ctx) "
                       "return { { level = 'info', title = 'ok' } } end }";
    pt_rule_source src[2] = {{"bad.lua", bad, strlen(bad)}, {"good.lua", good, strlen(good)}};
    pt_error err = {0};
    assert_int_equal(pt_rules_run(a, test_kb(), src, 2, &v, &err), PT_OK);
    assert_int_equal(v.finding_count, 1);
    assert_int_equal(v.rule_error_count, 1);
    assert_string_equal(v.rule_errors[0].where, "bad.lua:1");
    assert_string_equal(v.rule_errors[0].message, "boom");
    pt_arena_free(a);
}

static void text_from_a_rule_cannot_forge_report_lines_or_break_json(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    assert_int_equal(run(a, RULE("return { { level = 'info', tag = 'MFeS',"
                                 " title = 'line1\\nKNOWN LEAK: forged\\27]0;pwned\\7\\xff' } }"),
                         &v), PT_OK);
    assert_int_equal(v.rule_error_count, 0);
    assert_string_equal(v.findings[0].title, "line1?KNOWN LEAK: forged?]0;pwned??");
    assert_int_equal(run(a, RULE("return { { level = 'info', title = 't', tag = '' } }"), &v), PT_OK);
    assert_non_null(strstr(only_error(&v), "field 'tag'"));
    pt_arena_free(a);
}

static void findings_about_one_problem_fold_into_one_with_every_tag(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    small_verdict(&v);
    const char *r1 = "return { id = 'a', title = 'a', evaluate = function(ctx) return {"
                     " { level = 'known', title = 'k', tag = 'MFeS', tags = { 'MFeS', 'MFe0' } } } end }";
    const char *r2 = "return { id = 'b', title = 'b', evaluate = function(ctx) return {"
                     " { level = 'suspect', title = 's', tag = 'MFe0', tags = { 'MFe0', 'NFeS' } } } end }";
    pt_rule_source src[2] = {{"b.lua", r2, strlen(r2)}, {"a.lua", r1, strlen(r1)}};
    pt_error err = {0};
    assert_int_equal(pt_rules_run(a, test_kb(), src, 2, &v, &err), PT_OK);
    assert_int_equal(v.finding_count, 1);
    assert_int_equal(v.findings[0].level, PT_LEVEL_KNOWN);
    assert_string_equal(v.findings[0].tag, "MFeS");
    assert_int_equal(v.findings[0].tag_count, 3); /* MFeS, MFe0, NFeS */
    pt_arena_free(a);
}

static void the_same_problem_twice_is_one_finding_at_the_higher_level(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    assert_int_equal(run(a, RULE("return { { level = 'info', title = 'a', tag = 'MFeS' },"
                                 " { level = 'likely', title = 'b', tag = 'MFeS' } }"), &v), PT_OK);
    assert_int_equal(v.finding_count, 1);
    assert_int_equal(v.findings[0].level, PT_LEVEL_LIKELY);
    char fp[65];
    pt_fingerprint("leak", NULL, "MFeS", NULL, NULL, fp); /* the kind, not the rule */
    assert_string_equal(v.findings[0].fingerprint, fp);
    pt_arena_free(a);
}

static void rules_that_see_one_problem_give_one_finding_with_each_reason(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    small_verdict(&v);
    const char *r1 = "return { id = 'grows', title = 'g', evaluate = function(ctx) return {"
                     " { level = 'likely', title = 'MFeS grows', tag = 'MFeS' } } end }";
    const char *r2 = "return { id = 'dominates', title = 'd', evaluate = function(ctx) return {"
                     " { level = 'suspect', title = 'MFeS holds 77%', tag = 'MFeS' } } end }";
    const char *r3 = "return { id = 'signs', title = 's', evaluate = function(ctx) return {"
                     " { level = 'info', kind = 'signature', title = 'unsigned', tag = 'VoSm' } } end }";
    pt_rule_source src[3] = {{"d.lua", r2, strlen(r2)}, {"g.lua", r1, strlen(r1)},
                             {"s.lua", r3, strlen(r3)}};
    pt_error err = {0};
    assert_int_equal(pt_rules_run(a, test_kb(), src, 3, &v, &err), PT_OK);
    assert_int_equal(v.finding_count, 2);
    const pt_finding *f = &v.findings[0];
    assert_int_equal(f->level, PT_LEVEL_LIKELY);
    assert_string_equal(f->rule, "grows");
    assert_string_equal(f->kind, "leak");
    assert_int_equal(f->reason_count, 2);
    assert_string_equal(f->reasons[0].rule, "grows");
    assert_string_equal(f->reasons[1].rule, "dominates");
    assert_string_equal(f->reasons[1].title, "MFeS holds 77%");
    char fp[65];
    pt_fingerprint("leak", NULL, "MFeS", NULL, NULL, fp);
    assert_string_equal(f->fingerprint, fp);
    assert_string_equal(v.findings[1].kind, "signature");
    pt_fingerprint("signature", NULL, "VoSm", NULL, NULL, fp);
    assert_string_equal(v.findings[1].fingerprint, fp);
    pt_arena_free(a);
}

static void fingerprints_ignore_driver_name_case_and_never_hold_the_host(void **state)
{
    (void)state;
    char a[65], b[65], c[65];
    pt_fingerprint("known-issue", "PT-0001", "MFeS", "MFEAVFK.SYS", "mfeavfk-18.10.0.189", a);
    pt_fingerprint("known-issue", "PT-0001", "MFeS", "mfeavfk.sys", "mfeavfk-18.10.0.189", b);
    pt_fingerprint("known-issue", "PT-0001", "MFeS", "mfeavfk.sys", "18.10.0.190", c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    char want[65];
    const char *raw = "known-issue|PT-0001|mfeavfk.sys|mfeavfk-18.10.0.189";
    pt_sha256_hex(raw, strlen(raw), want);
    assert_string_equal(a, want);
}

/* Found by tests/fuzz/fuzz_rule_case.c: 1/0 as pool bytes was converted to
 * an integer (undefined behaviour, a UBSan report). */
static void a_case_file_with_infinite_or_nan_pool_bytes_still_reads(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char *text = "return { facts = { captures = { { nonpaged_bytes = 1/0,"
                       " paged_bytes = 0/0, rows = { { tag = 'CtNt', bytes = 1/0 } } } } },"
                       " expect = {} }";
    pt_verdict v;
    const char *failure = "unset";
    pt_error err = {0};
    assert_int_equal(pt_rule_case_run(a, test_kb(), NULL, "inf.lua", text, strlen(text), &v,
                                      &failure, &err), PT_OK);
    assert_null(failure);
    assert_int_equal(v.snapshot_count, 1);
    assert_int_equal(v.snapshots[0].nonpaged_kb, (int64_t)(UINT64_MAX / 1024));
    assert_int_equal(v.snapshots[0].paged_kb, 0);
    assert_true(v.snapshots[0].rows[0].bytes == UINT64_MAX);
    pt_arena_free(a);
}

/* Found with tests/fuzz/fuzz_rule_case.c: shared tables made a short case
 * file list the same rows in every capture, and reading it ran out of
 * memory (10^10 rows from 200 bytes). */
static void a_case_file_that_repeats_shared_lists_is_refused(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char *text = "local rows = {} for i = 1, 1000 do rows[i] = { tag = 'AAAA' } end"
                       " local caps = {} for i = 1, 1000 do caps[i] = { rows = rows } end"
                       " return { facts = { captures = caps }, expect = {} }";
    pt_verdict v;
    const char *failure = NULL;
    pt_error err = {0};
    assert_int_equal(pt_rule_case_run(a, test_kb(), NULL, "shared.lua", text, strlen(text), &v,
                                      &failure, &err), PT_ERULE);
    assert_non_null(strstr(err.message, "items in all"));
    pt_arena_free(a);
}

static void a_rule_may_not_take_an_id_already_taken(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    small_verdict(&v);
    const char *one = RULE("return { { level = 'info', title = 'first' } }");
    const char *two = RULE("return { { level = 'info', title = 'second' } }");
    const char *shipped = "return { id = 'known-issue', title = 'x', evaluate = function(ctx) "
                          "return { { level = 'known', title = 'impostor' } } end }";
    pt_rule_source src[3] = {{"one.lua", one, strlen(one)}, {"two.lua", two, strlen(two)},
                             {"evil.lua", shipped, strlen(shipped)}};
    pt_error err = {0};
    assert_int_equal(pt_rules_run(a, test_kb(), src, 3, &v, &err), PT_OK);
    assert_int_equal(v.finding_count, 1);
    assert_string_equal(v.findings[0].title, "first");
    assert_int_equal(v.rule_error_count, 2);
    assert_string_equal(v.rule_errors[0].where, "two.lua");
    assert_non_null(strstr(v.rule_errors[0].message, "rule id 't' is also used by one.lua"));
    assert_string_equal(v.rule_errors[1].where, "evil.lua");
    assert_non_null(strstr(v.rule_errors[1].message, "belongs to the shipped rule known-issue.lua"));
    pt_arena_free(a);
}

/* The shipped kb-tag-match rule on a capture alone whose top tag three KB
 * entries list ("Mdl ": PT-0002, PT-0018, PT-0037), taken here as not
 * generic: one finding cites the first entry, and its explanation names
 * every entry and carries the others' references. */
static void a_tag_of_several_entries_cites_each_entrys_references(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    size_t len;
    char *text = fixture_text(a, "../../rules/kb-tag-match.lua", &len);
    pt_verdict v;
    small_verdict(&v);
    pt_suspect *s = (pt_suspect *)v.suspects;
    memcpy(s->tag, "Mdl ", 5);
    s->generic = false;
    pt_rule_source src = {"kb-tag-match.lua", text, len};
    pt_error err = {0};
    assert_int_equal(pt_rules_run(a, test_kb(), &src, 1, &v, &err), PT_OK);
    assert_int_equal(v.rule_error_count, 0);
    assert_int_equal(v.finding_count, 1);
    const pt_finding *f = &v.findings[0];
    assert_int_equal(f->level, PT_LEVEL_LIKELY);
    assert_non_null(f->kb);
    const char *others = strstr(f->explanation, "References of the other entries: ");
    assert_non_null(others);
    int named = 0;
    static const char *const ids[] = {"PT-0002", "PT-0018", "PT-0037"};
    for (size_t k = 0; k < 3; k++) {
        assert_non_null(strstr(f->explanation, ids[k]));       /* every entry named */
        if (strcmp(ids[k], f->kb->id) != 0) {                  /* the others' links */
            char ref[32];
            snprintf(ref, sizeof ref, "%s: ", ids[k]);
            assert_non_null(strstr(others, ref));
            named++;
        }
    }
    assert_int_equal(named, 2);
    assert_non_null(strstr(others, "<http"));
    pt_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_tag_of_several_entries_cites_each_entrys_references,
                                        setup, teardown),
        cmocka_unit_test(a_rule_reads_facts_and_returns_a_finding),
        cmocka_unit_test(facts_are_read_only_and_unknown_facts_are_errors),
        cmocka_unit_test(dangerous_libraries_are_absent),
        cmocka_unit_test(bytecode_rules_are_refused),
        cmocka_unit_test(an_endless_loop_is_killed_even_inside_pcall),
        cmocka_unit_test(a_memory_bomb_hits_the_cap),
        cmocka_unit_test(malformed_findings_become_rule_errors),
        cmocka_unit_test(kb_lookups_from_lua_return_entries_with_references),
        cmocka_unit_test(one_failing_rule_does_not_stop_the_others),
        cmocka_unit_test(a_rule_may_not_take_an_id_already_taken),
        cmocka_unit_test(text_from_a_rule_cannot_forge_report_lines_or_break_json),
        cmocka_unit_test(findings_about_one_problem_fold_into_one_with_every_tag),
        cmocka_unit_test(the_same_problem_twice_is_one_finding_at_the_higher_level),
        cmocka_unit_test(rules_that_see_one_problem_give_one_finding_with_each_reason),
        cmocka_unit_test(fingerprints_ignore_driver_name_case_and_never_hold_the_host),
        cmocka_unit_test(a_case_file_with_infinite_or_nan_pool_bytes_still_reads),
        cmocka_unit_test(a_case_file_that_repeats_shared_lists_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
