/* test_fleet.c - many hosts' verdicts: grouping by fingerprint
 * across hosts, distinct host counts, first and last seen, the bytes range,
 * ordering, bad documents (skipped with file:line, aggregate unchanged),
 * JSON Lines and pretty JSON from files and folders, and the host-name cap. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FP_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FP_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

typedef struct warnings {
    int count;
    char where[8][128];
    char message[8][256];
} warnings;

static void on_warn(void *ctx, const char *where, const char *message)
{
    warnings *w = ctx;
    if (w->count < 8) {
        snprintf(w->where[w->count], sizeof w->where[0], "%s", where);
        snprintf(w->message[w->count], sizeof w->message[0], "%s", message);
    }
    w->count++;
}

/* One verdict on one line: host, one finding (fp, level, bytes; bytes < 0
 * is null) and a capture at `time` (NULL: no time). */
static const char *doc(const char *host, const char *fp, const char *level, long long bytes,
                       const char *time)
{
    static char buf[4096];
    char b[32], t[64];
    snprintf(b, sizeof b, "%lld", bytes);
    snprintf(t, sizeof t, "\"%s\"", time ? time : "");
    snprintf(buf, sizeof buf,
             "{\"schema\":\"pooltriage.verdict/2\",\"tool\":{\"version\":\"0.1.0\","
             "\"kb_version\":\"1+x\"},\"host\":{\"name\":%s%s%s,\"os\":null},"
             "\"captures\":[{\"source\":\"p.txt\",\"time\":%s}],\"verdict\":\"%s\","
             "\"findings\":[{\"rule\":\"known-issue\",\"level\":\"%s\",\"title\":\"Leak\","
             "\"tag\":\"MFeS\",\"tags\":[\"MFeS\"],\"pool\":\"nonpaged\",\"bytes\":%s,"
             "\"driver\":{\"name\":\"mfeavfk.sys\",\"file_version\":\"v1\"},"
             "\"kb\":{\"id\":\"PT-0001\",\"title\":\"McAfee leak\",\"fixed_in\":null,"
             "\"references\":[{\"kind\":\"vendor-kb\",\"title\":\"KB\",\"url\":\"https://kb/1\","
             "\"archived_url\":\"https://web.archive.org/1\"}]},\"action\":\"patch\","
             "\"fingerprint\":\"%s\"}],\"rule_errors\":[],\"errors\":[]}",
             host ? "\"" : "", host ? host : "null", host ? "\"" : "",
             time ? t : "null", level, level, bytes < 0 ? "null" : b, fp);
    return buf;
}

static void add(pt_fleet *f, const char *text)
{
    pt_error err = {0};
    assert_int_equal(pt_fleet_add_json(f, text, strlen(text), "t.json", 1, &err), PT_OK);
}

static void findings_with_one_fingerprint_on_three_hosts_make_one_problem(void **state)
{
    (void)state;
    pt_fleet *f = pt_fleet_open(NULL, NULL);
    add(f, doc("srv01", FP_A, "known", 100, "2026-11-20T08:00:00Z"));
    add(f, doc("srv02", FP_A, "known", 300, "2026-11-21T08:00:00Z"));
    add(f, doc("srv03", FP_A, "known", 200, "2026-11-19T08:00:00Z"));
    assert_int_equal(pt_fleet_count(f), 1);
    const pt_fleet_problem *p = pt_fleet_problem_at(f, 0);
    assert_string_equal(p->fingerprint, FP_A);
    assert_int_equal(p->host_count, 3);
    assert_int_equal(p->host_name_count, 3);
    assert_string_equal(p->hosts[0], "srv01");
    assert_string_equal(p->hosts[2], "srv03");
    assert_int_equal(p->report_count, 3);
    assert_string_equal(p->kb_id, "PT-0001");
    assert_string_equal(p->driver, "mfeavfk.sys");
    assert_int_equal(p->ref_count, 1);
    assert_string_equal(p->refs[0].archived_url, "https://web.archive.org/1");
    assert_int_equal(pt_fleet_level(f), PT_LEVEL_KNOWN);
    pt_fleet_close(f);
}

static void first_and_last_seen_span_the_capture_times_and_bytes_their_range(void **state)
{
    (void)state;
    pt_fleet *f = pt_fleet_open(NULL, NULL);
    add(f, doc("srv01", FP_A, "known", 100, "2026-11-20T08:00:00Z"));
    add(f, doc("srv02", FP_A, "known", 300, "2026-11-21T09:30:00Z"));
    add(f, doc("srv03", FP_A, "known", -1, NULL));
    add(f, doc("srv04", FP_A, "known", 200, "2026-11-19T07:00:00Z"));
    const pt_fleet_problem *p = pt_fleet_problem_at(f, 0);
    int64_t first, last;
    assert_true(pt_time_parse("2026-11-19T07:00:00Z", true, &first));
    assert_true(pt_time_parse("2026-11-21T09:30:00Z", true, &last));
    assert_int_equal(p->first_seen, first);
    assert_int_equal(p->last_seen, last);
    assert_int_equal(p->bytes_min, 100);
    assert_int_equal(p->bytes_max, 300);
    pt_fleet_close(f);
}

static void the_same_host_twice_counts_once_whatever_its_case(void **state)
{
    (void)state;
    pt_fleet *f = pt_fleet_open(NULL, NULL);
    add(f, doc("srv01", FP_A, "known", 100, NULL));
    add(f, doc("SRV01", FP_A, "known", 150, NULL));
    add(f, doc(NULL, FP_A, "known", 150, NULL));
    const pt_fleet_problem *p = pt_fleet_problem_at(f, 0);
    assert_int_equal(p->host_count, 2);
    assert_int_equal(p->report_count, 3);
    assert_string_equal(p->hosts[1], "(unnamed host: t.json:1)");
    pt_fleet_stats st;
    pt_fleet_stats_get(f, &st);
    assert_int_equal(st.hosts, 2);
    assert_int_equal(st.reports, 3);
    pt_fleet_close(f);
}

static void problems_come_most_severe_first_then_by_hosts(void **state)
{
    (void)state;
    pt_fleet *f = pt_fleet_open(NULL, NULL);
    add(f, doc("srv01", FP_B, "suspect", 1, NULL));
    add(f, doc("srv02", FP_B, "suspect", 1, NULL));
    add(f, doc("srv03", FP_A, "likely", 1, NULL));
    assert_int_equal(pt_fleet_count(f), 2);
    assert_string_equal(pt_fleet_problem_at(f, 0)->fingerprint, FP_A);
    assert_int_equal(pt_fleet_problem_at(f, 0)->level, PT_LEVEL_LIKELY);
    assert_string_equal(pt_fleet_problem_at(f, 1)->fingerprint, FP_B);
    add(f, doc("srv04", FP_B, "known", 1, NULL));
    assert_string_equal(pt_fleet_problem_at(f, 0)->fingerprint, FP_B);
    assert_int_equal(pt_fleet_problem_at(f, 0)->level, PT_LEVEL_KNOWN);
    pt_fleet_close(f);
}

static void documents_that_are_not_verdicts_are_skipped_and_change_nothing(void **state)
{
    (void)state;
    warnings w = {0};
    pt_fleet *f = pt_fleet_open(on_warn, &w);
    pt_error err = {0};
    const char *bad[] = {
        "{\"schema\":\"other/1\",\"findings\":[]}",
        "[1,2]",
        "{\"schema\":\"pooltriage.verdict/1\",\"findings\":{}}",
        "{\"schema\":\"pooltriage.verdict/1\",\"findings\":[{\"rule\":\"r\",\"level\":\"known\","
        "\"fingerprint\":\"short\"}]}",
        "{\"schema\":\"pooltriage.verdict/1\",\"findings\":[{\"rule\":\"r\",\"level\":\"loud\","
        "\"fingerprint\":\"" FP_A "\"}]}",
        "{\"schema\": \"pooltriage.verdict/1\",\n\"findings\": [,]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(pt_fleet_add_json(f, bad[i], strlen(bad[i]), "x.json", 10, &err),
                         PT_EFORMAT);
    assert_int_equal(pt_fleet_count(f), 0);
    pt_fleet_stats st;
    pt_fleet_stats_get(f, &st);
    assert_int_equal(st.skipped, 6);
    assert_int_equal(st.reports, 0);
    assert_int_equal(w.count, 6);
    assert_string_equal(w.where[0], "x.json:10");
    assert_non_null(strstr(w.message[0], "schema is 'other/1'"));
    assert_non_null(strstr(w.message[3], "finding 1 lacks"));
    assert_string_equal(w.where[5], "x.json:11");
    assert_non_null(strstr(w.message[5], "not valid JSON"));
    pt_fleet_close(f);
}

static char tmpdir[64];

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    pt_platform_mkdir(path);
    *slash = '/';
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

static void a_file_may_hold_json_lines_pretty_json_and_junk(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/pt_fleet_XXXXXX");
    assert_non_null(pt_platform_make_temp_dir(tmpdir));
    pt_buf text = {0};
    pt_buf_printf(&text, "%s\n", doc("srv01", FP_A, "known", 1, NULL));
    pt_buf_printf(&text, "%s\n", doc("srv02", FP_A, "known", 1, NULL));
    pt_buf_puts(&text, "not json at all\n");
    /* a pretty-printed verdict spanning lines, with braces inside strings */
    cJSON *pretty = cJSON_Parse(doc("srv{3}]\\\"", FP_B, "likely", 5, NULL));
    char *p = cJSON_Print(pretty);
    pt_buf_printf(&text, "%s\n", p);
    free(p);
    cJSON_Delete(pretty);
    pt_buf_puts(&text, "{\"schema\": \"pooltriage.verdict/2\", \"findings\": [\n");
    char path[256];
    snprintf(path, sizeof path, "%s", write_file("reports/a.json", text.data));
    pt_buf_free(&text);
    write_file("reports/ignored.txt", "nothing");
    write_file("reports/sub/b.jsonl", doc("srv09", FP_A, "known", 7, NULL));
    warnings w = {0};
    pt_fleet *f = pt_fleet_open(on_warn, &w);
    pt_error err = {0};
    char dir[128];
    snprintf(dir, sizeof dir, "%s/reports", tmpdir);
    assert_int_equal(pt_fleet_add_path(f, dir, &err), PT_OK);
    assert_int_equal(pt_fleet_count(f), 2);
    assert_int_equal(pt_fleet_problem_at(f, 0)->host_count, 3);
    assert_string_equal(pt_fleet_problem_at(f, 0)->hosts[2], "srv09");
    assert_string_equal(pt_fleet_problem_at(f, 1)->hosts[0], "srv{3}]\"");
    assert_int_equal(w.count, 2);
    char want[300];
    snprintf(want, sizeof want, "%s:3", path);
#ifdef _WIN32   /* the walk joins with the system's separator */
    for (char *c = want + strlen(tmpdir) + strlen("/reports"); *c; c++)
        if (*c == '/')
            *c = '\\';
#endif
    assert_string_equal(w.where[0], want);
    assert_non_null(strstr(w.message[1], "truncated"));
    assert_int_equal(pt_fleet_add_path(f, "/nonexistent/report.json", &err), PT_EIO);
    assert_non_null(strstr(err.message, "cannot open"));
    pt_fleet_close(f);
    assert_int_equal(test_remove_tree(tmpdir), 0);
}

static void past_the_cap_host_names_are_counted_not_kept(void **state)
{
    (void)state;
    pt_fleet *f = pt_fleet_open(NULL, NULL);
    char host[32];
    for (int i = 0; i < (int)PT_FLEET_MAX_HOST_NAMES + 5; i++) {
        snprintf(host, sizeof host, "srv%05d", i);
        add(f, doc(host, FP_A, "known", i, NULL));
    }
    const pt_fleet_problem *p = pt_fleet_problem_at(f, 0);
    assert_int_equal(p->host_count, PT_FLEET_MAX_HOST_NAMES + 5);
    assert_int_equal(p->host_name_count, PT_FLEET_MAX_HOST_NAMES);
    assert_false(p->host_count_approx);
    pt_buf md = {0}, js = {0};
    pt_fleet_problem_markdown(p, &md);
    assert_non_null(strstr(md.data, "The first 1000 host names are listed; 5 more are only counted."));
    pt_fleet_problem_json(p, &js);
    cJSON *o = cJSON_Parse(js.data);
    cJSON *hosts = cJSON_GetObjectItem(o, "hosts");
    assert_int_equal(cJSON_GetObjectItem(hosts, "count")->valuedouble, 1005);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(hosts, "names")), 1000);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(hosts, "names_truncated")));
    cJSON_Delete(o);
    pt_buf_free(&md);
    pt_buf_free(&js);
    pt_fleet_close(f);
}

static void the_fleet_reports_carry_every_problem(void **state)
{
    (void)state;
    pt_fleet *f = pt_fleet_open(NULL, NULL);
    add(f, doc("srv01", FP_A, "known", 100, "2026-11-20T08:00:00Z"));
    add(f, doc("srv02", FP_B, "suspect", 5, NULL));
    pt_report_opts o = {false, false};
    pt_buf js = {0}, csv = {0}, text = {0};
    pt_fleet_report_json(f, &o, &js);
    cJSON *root = cJSON_Parse(js.data);
    assert_string_equal(cJSON_GetObjectItem(root, "schema")->valuestring, "pooltriage.fleet/1");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "problems")), 2);
    cJSON *p0 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "problems"), 0);
    assert_string_equal(cJSON_GetObjectItem(p0, "first_seen")->valuestring, "2026-11-20T08:00:00Z");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(p0, "bytes"), "max")->valuedouble, 100);
    assert_null(strchr(js.data, '\n') + 1 == js.data + js.len ? NULL : "more than one line");
    cJSON_Delete(root);
    pt_fleet_report_csv(f, &o, &csv);
    int rows = 0;
    for (const char *c = csv.data; (c = strstr(c, "\r\n")); c += 2)
        rows++;
    assert_int_equal(rows, 3);
    assert_true(strncmp(csv.data, "fingerprint,level,rule,title,", 29) == 0);
    pt_fleet_report_text(f, &o, &text);
    assert_true(strncmp(text.data, "2 problems on 2 hosts (2 reports read, 0 skipped", 48) == 0);
    assert_non_null(strstr(text.data, "KNOWN LEAK: PT-0001 McAfee leak\n"));
    pt_buf_free(&js);
    pt_buf_free(&csv);
    pt_buf_free(&text);
    pt_fleet_close(f);
}

/* A verdict/1 document with one finding of `rule` about CtNt in
 * ctsnet.sys 2.4.1.7, with its own (rule-based) fingerprint. */
static const char *v1_doc(const char *host, const char *rule, const char *kb,
                          const char *explanation)
{
    static char buf[2048];
    char kbj[128] = "null";
    if (kb)
        snprintf(kbj, sizeof kbj, "{\"id\":\"%s\",\"title\":\"t\",\"references\":[]}", kb);
    snprintf(buf, sizeof buf,
             "{\"schema\":\"pooltriage.verdict/1\",\"host\":{\"name\":\"%s\"},"
             "\"captures\":[],\"findings\":[{\"rule\":\"%s\",\"level\":\"likely\","
             "\"title\":\"CtNt\",\"explanation\":\"%s\",\"tag\":\"CtNt\",\"pool\":\"nonpaged\","
             "\"bytes\":1,\"driver\":{\"name\":\"ctsnet.sys\",\"file_version\":\"2.4.1.7\","
             "\"file_version_numeric\":\"2.4.1.7\"},\"kb\":%s,\"fingerprint\":\"%s\"}]}",
             host, rule, explanation, kbj, FP_B);
    return buf;
}

static void a_version_1_finding_is_grouped_by_the_version_2_key(void **state)
{
    (void)state;
    char key[65];
    pt_fingerprint("leak", NULL, "CtNt", "ctsnet.sys", "2.4.1.7", key);
    pt_fleet *f = pt_fleet_open(NULL, NULL);
    add(f, v1_doc("grow01", "growing-tag", NULL, "grows"));
    add(f, v1_doc("dom01", "dominant-tag", NULL, "dominates"));
    char v2[4096];
    snprintf(v2, sizeof v2, "%s", doc("dom02", key, "likely", 5, NULL));
    add(f, v2);
    assert_int_equal(pt_fleet_count(f), 1);
    const pt_fleet_problem *p = pt_fleet_problem_at(f, 0);
    assert_string_equal(p->fingerprint, key);
    assert_string_equal(p->legacy_fingerprint, FP_B);
    assert_int_equal(p->host_count, 3);
    assert_string_equal(p->kind, "leak");
    pt_fleet_close(f);
}

static void a_version_1_known_issue_key_takes_the_range_from_its_explanation(void **state)
{
    (void)state;
    char want[65], got[65];
    pt_fingerprint("leak", "PT-0009", "CtNt", "ctsnet.sys", "ctsnet-2.4", want);
    pt_fleet_v1_key("known-issue", "PT-0009", "CtNt", "CTSNET.SYS", "2.4.1.7",
                    "ctsnet.sys holds CtNt; version 2.4.1.7 is in the affected range "
                    "ctsnet-2.4 of PT-0009; OS build 17763.", got);
    assert_string_equal(got, want);
    /* without the sentence: the numeric file version */
    pt_fingerprint("leak", "PT-0009", "CtNt", "ctsnet.sys", "2.4.1.7", want);
    pt_fleet_v1_key("known-issue", "PT-0009", "CtNt", "ctsnet.sys", "2.4.1.7", "likely", got);
    assert_string_equal(got, want);
    /* an unsigned driver is a signature problem */
    pt_fingerprint("signature", NULL, "CtNt", "ctsnet.sys", "2.4.1.7", want);
    pt_fleet_v1_key("unsigned-driver", NULL, "CtNt", "ctsnet.sys", "2.4.1.7", NULL, got);
    assert_string_equal(got, want);
}

/* doc() with "driver": null, as a capture triaged alone gives. */
static const char *driverless(const char *host, const char *fp, const char *level, long long bytes,
                              const char *time)
{
    static char buf[4096];
    const char *d = doc(host, fp, level, bytes, time);
    const char *drv = "\"driver\":{\"name\":\"mfeavfk.sys\",\"file_version\":\"v1\"}";
    const char *at = strstr(d, drv);
    assert_non_null(at);
    snprintf(buf, sizeof buf, "%.*s\"driver\":null%s", (int)(at - d), d, at + strlen(drv));
    return buf;
}

static void a_capture_alone_joins_the_problem_that_names_its_driver(void **state)
{
    (void)state;
    pt_fleet *f = pt_fleet_open(NULL, NULL);
    add(f, driverless("poolmon01", FP_B, "likely", 900, "2026-11-19T08:00:00Z"));
    add(f, doc("srv01", FP_A, "known", 100, "2026-11-20T08:00:00Z"));
    add(f, doc("srv02", FP_A, "known", 300, "2026-11-21T08:00:00Z"));
    assert_int_equal(pt_fleet_count(f), 1);
    const pt_fleet_problem *p = pt_fleet_problem_at(f, 0);
    assert_string_equal(p->fingerprint, FP_A);
    assert_string_equal(p->legacy_fingerprint, FP_B); /* a ticket filed under it is found */
    assert_int_equal(p->level, PT_LEVEL_KNOWN);
    assert_int_equal(p->host_count, 3);
    assert_int_equal(p->host_name_count, 3);
    assert_string_equal(p->hosts[2], "poolmon01");
    assert_int_equal(p->report_count, 3);
    assert_int_equal(p->bytes_min, 100);
    assert_int_equal(p->bytes_max, 900);
    assert_string_equal(p->driver, "mfeavfk.sys");
    char t[40];
    pt_time_format(p->first_seen, t, sizeof t);
    assert_string_equal(t, "2026-11-19T08:00:00Z");
    /* a later driverless report of the same leak goes to the same problem */
    add(f, driverless("poolmon02", FP_B, "likely", 50, NULL));
    add(f, driverless("poolmon01", FP_B, "likely", 50, NULL));
    assert_int_equal(pt_fleet_count(f), 1);
    p = pt_fleet_problem_at(f, 0);
    assert_int_equal(p->host_count, 4);
    assert_int_equal(p->report_count, 5);
    assert_int_equal(pt_fleet_level(f), PT_LEVEL_KNOWN);
    pt_fleet_close(f);
}

static void a_capture_alone_stays_apart_when_two_driver_problems_could_be_it(void **state)
{
    (void)state;
    pt_fleet *f = pt_fleet_open(NULL, NULL);
    add(f, doc("srv01", FP_A, "known", 100, NULL));
    char other[65];
    memset(other, 'c', 64);
    other[64] = '\0';
    add(f, doc("srv02", other, "known", 100, NULL));  /* same KB entry, another range */
    add(f, driverless("poolmon01", FP_B, "likely", 900, NULL));
    assert_int_equal(pt_fleet_count(f), 3);
    pt_fleet_close(f);
    /* and with no driver problem at all it is a problem of its own */
    f = pt_fleet_open(NULL, NULL);
    add(f, driverless("poolmon01", FP_B, "likely", 900, NULL));
    assert_int_equal(pt_fleet_count(f), 1);
    assert_string_equal(pt_fleet_problem_at(f, 0)->fingerprint, FP_B);
    assert_string_equal(pt_fleet_problem_at(f, 0)->legacy_fingerprint, "");
    pt_fleet_close(f);
}

/* Reads `text` through pt_fleet_add_fd, as from a file or stdin. */
static void add_stream(pt_fleet *f, const char *text, size_t len)
{
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    assert_int_equal(fwrite(text, 1, len, tmp), len);
    fflush(tmp);
    int fd = pt_platform_dup(fileno(tmp));
    pt_platform_seek(fd, 0);
    pt_error err = {0};
    assert_int_equal(pt_fleet_add_fd(f, fd, "-", &err), PT_OK);
    pt_platform_close(fd);
    fclose(tmp);
}

/* `bad` on line `at` (1-based) of 1,000 + 1 lines; the 1,000 others are
 * verdicts of distinct hosts with one known leak. */
static void one_bad_line_costs_one_line(const char *bad, int at)
{
    pt_buf text = {0};
    char host[32];
    for (int i = 1, h = 0; i <= 1001; i++) {
        if (i == at) {
            pt_buf_printf(&text, "%s\n", bad);
            continue;
        }
        snprintf(host, sizeof host, "srv%04d", h++);
        pt_buf_printf(&text, "%s\n", doc(host, FP_A, "known", 100, NULL));
    }
    warnings w = {0};
    pt_fleet *f = pt_fleet_open(on_warn, &w);
    add_stream(f, text.data, text.len);
    pt_fleet_stats st;
    pt_fleet_stats_get(f, &st);
    assert_int_equal(st.reports, 1000);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(st.hosts, 1000);
    assert_int_equal(pt_fleet_count(f), 1);
    assert_int_equal(pt_fleet_problem_at(f, 0)->host_count, 1000);
    assert_int_equal(pt_fleet_level(f), PT_LEVEL_KNOWN);
    assert_int_equal(w.count, 1);
    char want[32];
    snprintf(want, sizeof want, "-:%d", at);
    assert_string_equal(w.where[0], want);
    pt_fleet_close(f);
    pt_buf_free(&text);
}

static void half_a_line_then_a_thousand_verdicts_gives_a_thousand_hosts(void **state)
{
    (void)state;
    char half[2048];
    const char *full = doc("cut", FP_A, "known", 1, NULL);
    snprintf(half, sizeof half, "%.*s", (int)strlen(full) / 2, full);
    one_bad_line_costs_one_line(half, 1);
    one_bad_line_costs_one_line(half, 501);
    one_bad_line_costs_one_line(half, 1001);
    /* cut where no string is open: brackets unbalanced only */
    const char *cut = strstr(full, "\"findings\":[{");
    snprintf(half, sizeof half, "%.*s", (int)(cut - full) + 13, full);
    one_bad_line_costs_one_line(half, 1);
    one_bad_line_costs_one_line(half, 501);
}

static void a_lone_brace_or_an_unclosed_string_costs_one_line(void **state)
{
    (void)state;
    one_bad_line_costs_one_line("{", 1);
    one_bad_line_costs_one_line("{", 600);
    one_bad_line_costs_one_line("{\"schema\": \"pooltriage.verd", 1);
    one_bad_line_costs_one_line("{\"schema\": \"pooltriage.verd\\", 1);
    one_bad_line_costs_one_line("{\"a\": [[[[", 1);
    one_bad_line_costs_one_line("{\"a\": 1 2}", 1);
}

static void warnings_stop_at_the_cap_and_the_rest_are_counted(void **state)
{
    (void)state;
    pt_buf text = {0};
    for (int i = 0; i < 300; i++)
        pt_buf_puts(&text, i % 3 == 0 ? "{\n" : i % 3 == 1 ? "{\"x\n" : "garbage\n");
    pt_buf_printf(&text, "%s\n", doc("srv01", FP_A, "known", 100, NULL));
    warnings w = {0};
    pt_fleet *f = pt_fleet_open(on_warn, &w);
    add_stream(f, text.data, text.len);
    pt_fleet_stats st;
    pt_fleet_stats_get(f, &st);
    assert_int_equal(st.reports, 1);
    assert_int_equal(st.skipped, 300);
    assert_int_equal(w.count, PT_FLEET_MAX_WARNINGS);
    assert_int_equal(st.warnings_suppressed, 300 - PT_FLEET_MAX_WARNINGS);
    pt_fleet_close(f);
    pt_buf_free(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(findings_with_one_fingerprint_on_three_hosts_make_one_problem),
        cmocka_unit_test(first_and_last_seen_span_the_capture_times_and_bytes_their_range),
        cmocka_unit_test(the_same_host_twice_counts_once_whatever_its_case),
        cmocka_unit_test(problems_come_most_severe_first_then_by_hosts),
        cmocka_unit_test(documents_that_are_not_verdicts_are_skipped_and_change_nothing),
        cmocka_unit_test(a_file_may_hold_json_lines_pretty_json_and_junk),
        cmocka_unit_test(past_the_cap_host_names_are_counted_not_kept),
        cmocka_unit_test(the_fleet_reports_carry_every_problem),
        cmocka_unit_test(a_version_1_finding_is_grouped_by_the_version_2_key),
        cmocka_unit_test(a_version_1_known_issue_key_takes_the_range_from_its_explanation),
        cmocka_unit_test(a_capture_alone_joins_the_problem_that_names_its_driver),
        cmocka_unit_test(a_capture_alone_stays_apart_when_two_driver_problems_could_be_it),
        cmocka_unit_test(half_a_line_then_a_thousand_verdicts_gives_a_thousand_hosts),
        cmocka_unit_test(a_lone_brace_or_an_unclosed_string_costs_one_line),
        cmocka_unit_test(warnings_stop_at_the_cap_and_the_rest_are_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
