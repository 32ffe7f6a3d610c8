/* test_report_formats.c - the Markdown and CSV reports : sections
 * and links of the ticket body, CSV columns and RFC 4180 quoting, escaping
 * of hostile text, colour codes only when asked (NO_COLOR), and the JSON
 * fields a fleet relies on, on a hand-made verdict and on the seed case. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>


/* ---- a hand-made verdict with awkward text ---- */

static pt_kb_ref refs[] = {
    {"vendor-kb", "Vendor [KB] 1", "https://vendor.example/kb?id=1&x=2", NULL},
    {"forum", "Forum thread", "https://forum.example/t/1", "https://web.archive.org/web/2020/https://forum.example/t/1"},
    {"blog", "Evil", "javascript:alert(1)", NULL},
};
static pt_kb_entry kb = {.id = "PT-0042", .title = "Widget leak, \"big\" one",
                         .fixed_in = "2.0.1", .workaround = "update the widget",
                         .severity = "high", .refs = refs, .ref_count = 3};
static const char *tags[] = {"Wdgt", "Wdg2"};
static pt_snapshot snaps[2];
static pt_finding findings[2];

static void make_verdict(pt_verdict *v)
{
    memset(v, 0, sizeof *v);
    memset(snaps, 0, sizeof snaps);
    memset(findings, 0, sizeof findings);
    v->tool_version = "0.1.0";
    v->kb_version = "7+abc";
    v->host.name = "srv,01";
    v->host.os_build = PT_UNKNOWN;
    snaps[0].source = "a.txt";
    snaps[0].time = 1795600000;
    snaps[1].source = "b.txt";
    snaps[1].time = 1795603600;
    v->snapshots = snaps;
    v->snapshot_count = 2;
    pt_finding *f = &findings[0];
    f->rule = "known-issue";
    f->level = PT_LEVEL_KNOWN;
    f->title = "Widget leak, \"big\" one\nsecond line";
    f->explanation = "see <script>alert(1)</script> | and *this* &amp; R & D";
    memcpy(f->tag, "Wdgt", 5);
    f->tags = tags;
    f->tag_count = 2;
    f->has_pool = true;
    f->pool = PT_POOL_NONPAGED;
    f->bytes = 123456789;
    f->share = 0.5;
    f->kb = &kb;
    f->range_id = "widget-1";
    f->action = "=HYPERLINK(\"http://x\")";
    memset(f->fingerprint, 'a', 64);
    pt_finding *g = &findings[1];
    g->rule = "tag-dominates";
    g->level = PT_LEVEL_SUSPECT;
    g->title = "plain";
    memset(g->fingerprint, 'b', 64);
    v->findings = findings;
    v->finding_count = 2;
    v->level = PT_LEVEL_KNOWN;
}

static char *render(void (*fn)(const pt_verdict *, const pt_report_opts *, pt_buf *),
                    const pt_verdict *v, bool color)
{
    static pt_buf out;
    pt_buf_free(&out);
    memset(&out, 0, sizeof out);
    pt_report_opts o = {color, false};
    fn(v, &o, &out);
    assert_false(out.failed);
    assert_non_null(out.data);
    return out.data;
}

/* ---- CSV ---- */

/* Splits one RFC 4180 record at *p into cells; returns the count. */
static int csv_record(const char **p, char cells[][512], int max)
{
    int n = 0;
    size_t len = 0;
    bool quoted = false;
    for (; **p; (*p)++) {
        char c = **p;
        if (quoted) {
            if (c == '"' && (*p)[1] == '"') {
                cells[n][len++] = '"';
                (*p)++;
            } else if (c == '"') {
                quoted = false;
            } else {
                cells[n][len++] = c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',' || (c == '\r' && (*p)[1] == '\n')) {
            cells[n][len] = '\0';
            n++;
            len = 0;
            if (c == '\r') {
                *p += 2;
                return n;
            }
            if (n == max)
                return n;
        } else {
            cells[n][len++] = c;
        }
    }
    return n;
}

static int column(char header[][512], int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(header[i], name) == 0)
            return i;
    fail_msg("no column %s", name);
    return -1;
}

static void csv_has_a_header_then_one_row_per_finding_with_rfc4180_quoting(void **state)
{
    (void)state;
    pt_verdict v;
    make_verdict(&v);
    const char *csv = render(pt_report_csv, &v, false);
    static char header[64][512], row[64][512], row2[64][512];
    const char *p = csv;
    int n = csv_record(&p, header, 64);
    assert_int_equal(n, 43);   /* 33 of verdict/1, then kind .. time_text */
    assert_string_equal(header[0], "host");
    assert_string_equal(header[33], "kind");
    assert_string_equal(header[40], "signed_by");
    assert_string_equal(header[41], "growth_text");
    assert_string_equal(header[42], "time_text");
    assert_int_equal(csv_record(&p, row, 64), n);
    assert_int_equal(csv_record(&p, row2, 64), n);
    assert_string_equal(p, "");
    assert_string_equal(row[column(header, n, "host")], "srv,01");
    assert_string_equal(row[column(header, n, "title")], "Widget leak, \"big\" one\nsecond line");
    assert_string_equal(row[column(header, n, "tags")], "Wdgt;Wdg2");
    assert_string_equal(row[column(header, n, "bytes")], "123456789");
    assert_string_equal(row[column(header, n, "kb_id")], "PT-0042");
    assert_string_equal(row[column(header, n, "vendor_kb_url")], "https://vendor.example/kb?id=1&x=2");
    assert_string_equal(row[column(header, n, "forum_url")], "https://forum.example/t/1");
    assert_string_equal(row[column(header, n, "archived_urls")],
                        "https://web.archive.org/web/2020/https://forum.example/t/1");
    assert_string_equal(row[column(header, n, "first_capture")], "2026-11-25T09:46:40Z");
    assert_string_equal(row[column(header, n, "last_capture")], "2026-11-25T10:46:40Z");
    assert_string_equal(row[column(header, n, "fingerprint")], findings[0].fingerprint);
    assert_string_equal(row2[column(header, n, "level")], "suspect");
    assert_string_equal(row2[column(header, n, "kb_id")], "");
    assert_non_null(strstr(csv, "\"Widget leak, \"\"big\"\" one\nsecond line\""));
}

static void csv_cells_that_look_like_formulas_are_defused(void **state)
{
    (void)state;
    pt_verdict v;
    make_verdict(&v);
    const char *csv = render(pt_report_csv, &v, false);
    assert_non_null(strstr(csv, ",\"'=HYPERLINK(\"\"http://x\"\")\","));
    pt_buf b = {0};
    pt_csv_cell(&b, "-1+2", false);
    pt_csv_cell(&b, "@SUM", false);
    pt_csv_cell(&b, "a\"b", false);
    pt_csv_cell(&b, NULL, true);
    assert_string_equal(b.data, "'-1+2,'@SUM,\"a\"\"b\",\r\n");
    pt_buf_free(&b);
}

static void a_clean_verdict_gives_the_csv_header_only(void **state)
{
    (void)state;
    pt_verdict v;
    make_verdict(&v);
    v.finding_count = 0;
    v.level = PT_LEVEL_CLEAN;
    const char *csv = render(pt_report_csv, &v, false);
    assert_true(strncmp(csv, "host,verdict,level,rule,", 24) == 0);
    assert_int_equal(strchr(csv, '\n') - csv + 1, (long)strlen(csv));
}

/* ---- Markdown ---- */

static void markdown_has_the_ticket_sections_and_links(void **state)
{
    (void)state;
    pt_verdict v;
    make_verdict(&v);
    const char *md = render(pt_report_markdown, &v, false);
    const char *head = "# KNOWN LEAK on srv,01: Widget leak, \"big\" one\n";
    assert_true(strncmp(md, head, strlen(head)) == 0);
    const char *sections[] = {"\n## Summary\n", "\n## Finding 1: KNOWN LEAK: ", "\n### Evidence\n",
                              "\n### Links\n", "\n### What to do\n", "\n## Finding 2: SUSPECT: ",
                              "\n## Top pool tags\n"};
    const char *at = md;
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        const char *s = strstr(at, sections[i]);
        assert_non_null(s);
        at = s;
    }
    assert_non_null(strstr(md, "- Vendor KB: [Vendor \\[KB\\] 1](<https://vendor.example/kb?id=1&x=2>)\n"));
    assert_non_null(strstr(md, "- Forum: [Forum thread](<https://forum.example/t/1>) "
                               "([archived](<https://web.archive.org/web/2020/https://forum.example/t/1>))\n"));
    assert_non_null(strstr(md, "**Fixed in:** 2.0.1\n"));
    assert_non_null(strstr(md, "| Fingerprint | `aaaaaaaa"));
    assert_non_null(strstr(md, "| Known issue | PT-0042, severity high, affected range widget-1 |"));
}

static void markdown_escapes_hostile_text(void **state)
{
    (void)state;
    pt_verdict v;
    make_verdict(&v);
    const char *md = render(pt_report_markdown, &v, false);
    assert_null(strstr(md, "<script>"));
    assert_non_null(strstr(md, "\\<script\\>"));
    assert_non_null(strstr(md, "\\| and \\*this\\*"));
    /* an entity stays text; a lone & is left alone */
    assert_non_null(strstr(md, "\\*this\\* \\&amp; R & D"));
    assert_null(strstr(md, "](<javascript:"));
    assert_non_null(strstr(md, "- Blog: Evil `javascript:alert(1)`"));
    assert_null(strstr(md, "one\nsecond line"));
}

/* ---- colour ---- */

static void text_has_colour_codes_only_when_asked(void **state)
{
    (void)state;
    pt_verdict v;
    make_verdict(&v);
    assert_non_null(strstr(render(pt_report_text, &v, true), "\033[1;31mKNOWN LEAK\033[0m"));
    assert_null(strchr(render(pt_report_text, &v, false), '\033'));
    assert_null(strchr(render(pt_report_markdown, &v, true), '\033'));
    assert_null(strchr(render(pt_report_csv, &v, true), '\033'));
}

static void colour_follows_the_tty_and_no_color(void **state)
{
    (void)state;
    assert_true(pt_report_want_color(NULL, true, NULL, "xterm-256color"));
    assert_true(pt_report_want_color("auto", true, "", NULL));
    assert_false(pt_report_want_color(NULL, true, "1", "xterm"));
    assert_false(pt_report_want_color("auto", true, "0", "xterm"));
    assert_false(pt_report_want_color(NULL, false, NULL, "xterm"));
    assert_true(pt_report_want_color("always", false, "1", "xterm"));
    assert_false(pt_report_want_color("never", true, NULL, "xterm"));
}

static void a_dumb_terminal_gets_no_colour_unless_asked(void **state)
{
    (void)state;
    assert_false(pt_report_want_color(NULL, true, NULL, "dumb"));
    assert_false(pt_report_want_color("auto", true, "", "dumb"));
    assert_true(pt_report_want_color("always", true, NULL, "dumb"));
}

/* ---- the seed case ---- */

static pt_code triage_seed(pt_arena *a, const char *host, pt_verdict *v)
{
    static const char *dirs[] = {PT_SOURCE_DIR "/examples/mfeavfk-2012r2"};
    pt_triage_opts o = {0};
    o.case_dirs = dirs;
    o.case_dir_count = 1;
    o.kb_path = test_kb_path();
    o.host = host;
    pt_error err = {0};
    return pt_triage(a, &o, v, &err);
}

static void the_seed_markdown_names_the_kb_forum_and_archived_links(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    assert_int_equal(triage_seed(a, NULL, &v), PT_OK);
    const char *md = render(pt_report_markdown, &v, false);
    assert_non_null(strstr(md, "# KNOWN LEAK on mfeavfk-2012r2: McAfee ENS mfeavfk.sys"));
    assert_non_null(strstr(md, "- Vendor KB: [McAfee KB65784 (linked by the 0xttfx write-up; content not read)](<https://kc.mcafee.com/"));
    assert_non_null(strstr(md, "- Forum: [Nonpaged pool memory leak mfeavfk.sys"));
    assert_non_null(strstr(md, "([archived](<https://web.archive.org/web/"));
    assert_non_null(strstr(md, "| Version | SYSCORE.18.10.0.189 (numeric 18.10.0.189) |"));
    assert_non_null(strstr(md, "**Fixed in:** not known"));
    assert_non_null(strstr(md, "| 1 | `MFeS` | nonpaged | 5,053,046,496 | 76.8% | - | `mfeavfk.sys` |"));
    assert_non_null(strstr(md, "| 10 | "));
    assert_null(strstr(md, "| 11 | "));
    pt_arena_free(a);
}

static void the_seed_json_has_host_times_versions_and_fingerprint(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    assert_int_equal(triage_seed(a, "srv42", &v), PT_OK);
    const char *text = render(pt_report_json, &v, false);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    cJSON *tool = cJSON_GetObjectItem(root, "tool");
    assert_string_equal(cJSON_GetObjectItem(tool, "version")->valuestring, PT_VERSION);
    assert_non_null(cJSON_GetStringValue(cJSON_GetObjectItem(tool, "kb_version")));
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "host"), "name")->valuestring,
                        "srv42");
    cJSON *cap = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "captures"), 0);
    int64_t t;
    assert_true(pt_time_parse(cJSON_GetStringValue(cJSON_GetObjectItem(cap, "time")), true, &t));
    cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "findings"), 0);
    /* verdict/2: sha256 of "leak|PT-0001|mfeavfk.sys|mfeavfk-18.10.0.189" */
    assert_string_equal(cJSON_GetObjectItem(f, "fingerprint")->valuestring,
                        "abc8d0518b0071c916fbc700eb6825fea088e5864e31cee0b2f71d91f2bc03e0");
    assert_string_equal(cJSON_GetObjectItem(f, "kind")->valuestring, "leak");
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(f, "reasons")) >= 1);
    cJSON_Delete(root);
    pt_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_has_a_header_then_one_row_per_finding_with_rfc4180_quoting),
        cmocka_unit_test(csv_cells_that_look_like_formulas_are_defused),
        cmocka_unit_test(a_clean_verdict_gives_the_csv_header_only),
        cmocka_unit_test(markdown_has_the_ticket_sections_and_links),
        cmocka_unit_test(markdown_escapes_hostile_text),
        cmocka_unit_test(text_has_colour_codes_only_when_asked),
        cmocka_unit_test(colour_follows_the_tty_and_no_color),
        cmocka_unit_test(a_dumb_terminal_gets_no_colour_unless_asked),
        cmocka_unit_test(the_seed_markdown_names_the_kb_forum_and_archived_links),
        cmocka_unit_test(the_seed_json_has_host_times_versions_and_fingerprint),
    };
    return cmocka_run_group_tests(tests, test_kb_setup, test_kb_teardown);
}
