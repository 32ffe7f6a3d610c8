/* test_triage.c - the whole pipeline on the example and clean cases, and
 * the reports it feeds (text first line, JSON fields and nulls). */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>


static pt_code triage_case(pt_arena *a, const char *dir, pt_verdict *v, pt_error *err)
{
    static const char *dirs[1];
    dirs[0] = dir;
    pt_triage_opts o = {0};
    o.case_dirs = dirs;
    o.case_dir_count = 1;
    o.kb_path = test_kb_path();
    o.no_cache = true;
    return pt_triage(a, &o, v, err);
}

static void the_seed_case_gives_a_known_verdict_naming_the_kb_entry(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    pt_error err = {0};
    assert_int_equal(triage_case(a, PT_SOURCE_DIR "/examples/mfeavfk-2012r2", &v, &err), PT_OK);
    assert_int_equal(v.level, PT_LEVEL_KNOWN);
    assert_int_equal(v.snapshot_count, 1);
    assert_int_equal(v.host.os_build, 9600);
    assert_string_equal(v.host.name, "mfeavfk-2012r2");
    /* the known issue, and the stand-in mfehidk.sys (mfeA) is unsigned */
    assert_int_equal(v.finding_count, 2);
    assert_string_equal(v.findings[1].rule, "unsigned-driver");
    assert_int_equal(v.findings[1].level, PT_LEVEL_INFO);
    const pt_finding *f = &v.findings[0];
    assert_string_equal(f->rule, "known-issue");
    assert_string_equal(f->tag, "MFeS");
    assert_int_equal(f->tag_count, 2);
    assert_string_equal(f->driver->name, "mfeavfk.sys");
    assert_string_equal(f->kb->id, "PT-0001");
    assert_string_equal(f->range_id, "mfeavfk-18.10.0.189");
    assert_non_null(f->candidate);
    assert_int_equal(f->candidate->best, PT_EV_IMMEDIATE);
    assert_int_equal(v.rule_error_count, 0);
    assert_int_equal(v.error_count, 0);

    pt_buf text = {0};
    pt_report_text(&v, NULL, &text);
    assert_non_null(text.data);
    const char *want = "KNOWN LEAK: MFeS nonpaged 5,053,046,496 bytes (76.8% of non-paged "
                       "pool) held by mfeavfk.sys (McAfee, LLC SYSCORE, file version "
                       "SYSCORE.18.10.0.189) = known issue PT-0001: ";
    assert_memory_equal(text.data, want, strlen(want));
    assert_non_null(strstr(text.data, "archived: https://web.archive.org/web/20201028165000/"));
    pt_buf_free(&text);
    pt_arena_free(a);
}

static void json_keeps_every_contract_field_with_null_for_what_does_not_apply(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    pt_error err = {0};
    assert_int_equal(triage_case(a, PT_SOURCE_DIR "/examples/mfeavfk-2012r2", &v, &err), PT_OK);
    pt_buf out = {0};
    pt_report_json(&v, NULL, &out);
    assert_false(out.failed);
    /* one line, newline-terminated */
    assert_int_equal(strchr(out.data, '\n'), out.data + out.len - 1);
    cJSON *root = cJSON_Parse(out.data);
    assert_non_null(root);
    static const char *const top[] = {"schema", "tool", "host", "captures", "verdict",
                                      "suspects", "findings", "rule_errors", "errors", NULL};
    for (const char *const *k = top; *k; k++)
        assert_non_null(cJSON_GetObjectItemCaseSensitive(root, *k));
    cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "findings"), 0);
    cJSON *d = cJSON_GetObjectItem(f, "driver");
    cJSON *sig = cJSON_GetObjectItem(d, "signer");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(sig, "status")), "unsigned");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(sig, "subject")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "kb"), "fixed_in")));
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(f, "bytes")), 5053046496.0);
    cJSON_Delete(root);
    pt_buf_free(&out);
    pt_arena_free(a);
}

static void a_clean_host_has_no_findings_and_a_clean_verdict(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    pt_error err = {0};
    assert_int_equal(triage_case(a, fixture("cases/clean-2019"), &v, &err), PT_OK);
    assert_int_equal(v.level, PT_LEVEL_CLEAN);
    assert_int_equal(v.finding_count, 0);
    assert_int_equal(v.host.os_build, 17763);
    pt_buf text = {0};
    pt_report_text(&v, NULL, &text);
    assert_memory_equal(text.data, "CLEAN: ", 7);
    pt_buf_free(&text);
    pt_arena_free(a);
}

static void inputs_that_cannot_be_read_stop_the_run_with_where(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    pt_error err = {0};
    assert_int_equal(triage_case(a, fixture("garbage"), &v, &err), PT_EFORMAT);
    assert_non_null(strstr(err.message, "no pool capture found"));
    pt_pool_input pool = {fixture("garbage/not-a-capture.txt"), NULL};
    pt_triage_opts o = {0};
    o.pools = &pool;
    o.pool_count = 1;
    o.kb_path = test_kb_path();
    assert_int_equal(pt_triage(a, &o, &v, &err), PT_EFORMAT);
    assert_non_null(strstr(err.where, "not-a-capture.txt:"));
    pool.path = fixture("nothing-here.txt");
    assert_int_equal(pt_triage(a, &o, &v, &err), PT_EIO);
    pool.path = PT_SOURCE_DIR "/examples/mfeavfk-2012r2/poolmon.txt";
    pool.at = "not a time";
    assert_int_equal(pt_triage(a, &o, &v, &err), PT_EUSAGE);
    pt_arena_free(a);
}

static void a_broken_kb_stops_the_run_as_a_kb_error(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    pt_error err = {0};
    const char *dirs[] = {PT_SOURCE_DIR "/examples/mfeavfk-2012r2"};
    pt_triage_opts o = {0};
    o.case_dirs = dirs;
    o.case_dir_count = 1;
    o.kb_path = PT_SOURCE_DIR "/LICENSE";
    assert_int_equal(pt_triage(a, &o, &v, &err), PT_EKB);
    pt_arena_free(a);
}

static void a_cached_second_run_gives_the_same_verdict(void **state)
{
    (void)state;
    char cache[64];
    snprintf(cache, sizeof cache, "/tmp/pt_triage_cache_%ld.sqlite", (long)pt_platform_pid());
    pt_platform_remove(cache);
    const char *dirs[] = {PT_SOURCE_DIR "/examples/mfeavfk-2012r2"};
    pt_triage_opts o = {0};
    o.case_dirs = dirs;
    o.case_dir_count = 1;
    o.kb_path = test_kb_path();
    o.cache_path = cache;
    pt_buf out[2] = {{0}, {0}};
    for (int run = 0; run < 2; run++) {
        pt_arena *a = pt_arena_new();
        pt_verdict v;
        pt_error err = {0};
        assert_int_equal(pt_triage(a, &o, &v, &err), PT_OK);
        assert_int_equal(v.level, PT_LEVEL_KNOWN);
        assert_string_equal(v.findings[0].driver->sha256,
                            "4f153d29cc203394ba7a1914d5ad5933158c47e452b75ac149c4f863ce1c3571");
        assert_string_equal(pt_sig_status_name(v.findings[0].driver->signer->status), "unsigned");
        v.snapshots[0].time = 0; /* the mtime is not what is compared */
        pt_report_json(&v, NULL, &out[run]);
        pt_arena_free(a);
    }
    assert_true(pt_platform_exists(cache));
    assert_string_equal(out[0].data, out[1].data);
    pt_buf_free(&out[0]);
    pt_buf_free(&out[1]);
    pt_platform_remove(cache);
}

static void out_of_memory_anywhere_fails_cleanly(void **state)
{
    (void)state;
    /* fail the Nth allocation for every N the pipeline makes: each run must
     * end with an error, or with a verdict whose failed rules are listed,
     * never a crash or a leak (ASan checks); the loop ends at the first
     * run that had everything it needed */
    bool complete = false;
    for (long n = 0; n < 20000 && !complete; n += n < 200 ? 1 : 37) {
        pt_arena *a = pt_arena_new();
        if (a == NULL)
            continue;
        pt_verdict v;
        pt_error err = {0};
        pt_alloc_fail_after(n);
        pt_code rc = triage_case(a, PT_SOURCE_DIR "/examples/mfeavfk-2012r2", &v, &err);
        pt_alloc_fail_after(-1);
        if (rc == PT_OK && v.rule_error_count == 0) {
            assert_int_equal(v.level, PT_LEVEL_KNOWN);
            complete = true;
        } else if (rc == PT_OK) {
            assert_non_null(v.rule_errors[0].message);
        } else {
            assert_true(rc == PT_ENOMEM || err.message[0] != '\0');
        }
        pt_arena_free(a);
    }
    assert_true(complete);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_seed_case_gives_a_known_verdict_naming_the_kb_entry),
        cmocka_unit_test(json_keeps_every_contract_field_with_null_for_what_does_not_apply),
        cmocka_unit_test(a_clean_host_has_no_findings_and_a_clean_verdict),
        cmocka_unit_test(inputs_that_cannot_be_read_stop_the_run_with_where),
        cmocka_unit_test(a_broken_kb_stops_the_run_as_a_kb_error),
        cmocka_unit_test(a_cached_second_run_gives_the_same_verdict),
        cmocka_unit_test(out_of_memory_anywhere_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, test_kb_setup, test_kb_teardown);
}
