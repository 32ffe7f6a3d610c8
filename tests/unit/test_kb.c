/* test_kb.c - compiling KB sources, reproducibility, entries and lookups. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[64];

static int make_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/pt_kb_XXXXXX");
    return pt_platform_make_temp_dir(tmpdir) ? 0 : -1;
}

static int remove_tmp(void **state)
{
    (void)state;
    return test_remove_tree(tmpdir);
}

static const char *tmp_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static pt_kb *build_seed(void)
{
    pt_error err = {0};
    if (pt_kb_build(PT_SOURCE_DIR "/kb/issues", PT_SOURCE_DIR "/rules", tmp_path("kb.sqlite"),
                    &err) != PT_OK)
        fail_msg("%s: %s", err.where, err.message);
    pt_kb *kb;
    if (pt_kb_open(tmp_path("kb.sqlite"), &kb, &err) != PT_OK)
        fail_msg("%s: %s", err.where, err.message);
    return kb;
}

static void the_seed_case_is_in_the_kb_with_all_its_references(void **state)
{
    (void)state;
    pt_kb *kb = build_seed();
    pt_arena *a = pt_arena_new();
    pt_kb_entry e;
    pt_error err = {0};
    assert_int_equal(pt_kb_get(a, kb, "PT-0001", &e, &err), PT_OK);
    assert_string_equal(e.vendor, "McAfee");
    assert_null(e.fixed_in);
    assert_int_equal(e.tag_count, 2);
    assert_string_equal(e.tags[0], "NFeS");
    assert_string_equal(e.tags[1], "MFeS");
    assert_int_equal(e.driver_count, 1);
    assert_string_equal(e.drivers[0], "mfeavfk.sys");
    assert_string_equal(e.version_field, "file_version");
    assert_int_equal(e.ref_count, 5);
    assert_string_equal(e.refs[0].kind, "blog");
    assert_non_null(strstr(e.refs[0].title, "RTFM & Aleatoriedades"));
    assert_string_equal(e.refs[4].kind, "vendor-kb");
    assert_non_null(strstr(e.refs[4].url, "KB65784"));
    assert_string_equal(e.refs[3].kind, "forum");
    assert_non_null(strstr(e.refs[3].archived_url, "web.archive.org/web/20201028165000/"));
    /* an id the KB does not hold is a bad input (exit 3), not a broken KB */
    assert_int_equal(pt_kb_get(a, kb, "PT-4040", &e, &err), PT_EFORMAT);
    assert_string_equal(err.message, "no known issue 'PT-4040' in the knowledge base");
    assert_non_null(strstr(pt_kb_version(kb), "2+"));
    pt_arena_free(a);
    pt_kb_close(kb);
}

static void lookups_say_how_tag_driver_version_and_os_match(void **state)
{
    (void)state;
    pt_kb *kb = build_seed();
    pt_arena *a = pt_arena_new();
    pt_error err = {0};
    pt_kb_match *m;
    size_t n;
    pt_kb_query q = {.tag = "MFeS", .driver = "MFEAVFK.SYS", .version = "18.10.0.189", .build = 9600};
    assert_int_equal(pt_kb_lookup(a, kb, &q, &m, &n, &err), PT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].id, "PT-0001");
    assert_true(m[0].tag_match);
    assert_true(m[0].driver_match); /* file names match case-insensitively */
    assert_int_equal(m[0].version_match, 1);
    assert_string_equal(m[0].range_id, "mfeavfk-18.10.0.189");
    assert_int_equal(m[0].os_match, 1);

    pt_kb_query q2 = {.tag = "MFeS", .driver = "other.sys", .version = "SYSCORE.18.11.0.1", .build = 17763};
    assert_int_equal(pt_kb_lookup(a, kb, &q2, &m, &n, &err), PT_OK);
    assert_int_equal(n, 1);
    assert_false(m[0].driver_match);
    assert_int_equal(m[0].version_match, 0);
    assert_null(m[0].range_id);
    assert_int_equal(m[0].os_match, 0);

    pt_kb_query q3 = {.tag = "mfes", .driver = NULL, .version = NULL, .build = PT_UNKNOWN}; /* tags are case-sensitive */
    assert_int_equal(pt_kb_lookup(a, kb, &q3, &m, &n, &err), PT_OK);
    assert_int_equal(n, 0);

    pt_kb_query q4 = {.tag = NULL, .driver = "mfeavfk.sys", .version = NULL, .build = PT_UNKNOWN};
    assert_int_equal(pt_kb_lookup(a, kb, &q4, &m, &n, &err), PT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].version_match, -1);
    assert_int_equal(m[0].os_match, -1);
    pt_arena_free(a);
    pt_kb_close(kb);
}

static void npcap_ranges_compare_in_the_release_scheme_and_name_the_field(void **state)
{
    (void)state;
    pt_kb *kb = build_seed();
    pt_arena *a = pt_arena_new();
    pt_error err = {0};
    pt_kb_match *m;
    size_t n;
    /* the real 0.9995 resource: string 0.9995, numeric 5.0.9995.709 */
    pt_kb_query q = {.tag = "4321", .driver = "npcap.sys", .build = PT_UNKNOWN,
                     .file_version = "0.9995", .numeric = "5.0.9995.709"};
    assert_int_equal(pt_kb_lookup(a, kb, &q, &m, &n, &err), PT_OK);
    size_t i = 0;
    while (i < n && strcmp(m[i].id, "PT-0003") != 0)
        i++;
    assert_true(i < n);
    assert_int_equal(m[i].version_match, 1);
    assert_string_equal(m[i].range_id, "npcap-0.9995");
    assert_int_equal(m[i].fixed, 0);
    assert_string_equal(m[i].version_field, "FileVersion string 0.9995");
    /* no string: the numeric version maps to the release */
    pt_kb_query q2 = {.tag = "4321", .driver = "npcap.sys", .build = PT_UNKNOWN,
                      .numeric = "5.0.9996.806"};
    assert_int_equal(pt_kb_lookup(a, kb, &q2, &m, &n, &err), PT_OK);
    for (i = 0; i < n && strcmp(m[i].id, "PT-0003") != 0; i++)
        ;
    assert_true(i < n);
    assert_int_equal(m[i].version_match, 0);
    assert_int_equal(m[i].fixed, 1);
    assert_string_equal(m[i].version_field,
                        "numeric file version 5.0.9996.806 (Npcap release 0.9996)");
    pt_arena_free(a);
    pt_kb_close(kb);
}

static void building_twice_gives_byte_identical_databases(void **state)
{
    (void)state;
    pt_error err = {0};
    assert_int_equal(pt_kb_build(PT_SOURCE_DIR "/kb/issues", PT_SOURCE_DIR "/rules",
                                 tmp_path("a.sqlite"), &err), PT_OK);
    assert_int_equal(pt_kb_build(PT_SOURCE_DIR "/kb/issues", PT_SOURCE_DIR "/rules",
                                 tmp_path("b.sqlite"), &err), PT_OK);
    pt_arena *ar = pt_arena_new();
    uint8_t *x, *y;
    size_t xl, yl;
    char pa[256];
    snprintf(pa, sizeof pa, "%s", tmp_path("a.sqlite"));
    assert_int_equal(pt_file_read(ar, pa, 1u << 26, &x, &xl, &err), PT_OK);
    assert_int_equal(pt_file_read(ar, tmp_path("b.sqlite"), 1u << 26, &y, &yl, &err), PT_OK);
    assert_int_equal(xl, yl);
    assert_memory_equal(x, y, xl);
    pt_arena_free(ar);
}

/* Writes a one-file KB source folder and builds it; returns the code. */
static pt_code build_one(const char *text, pt_error *err)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/src", tmpdir);
    pt_platform_mkdir(dir);
    char path[300];
    snprintf(path, sizeof path, "%s/entry.lua", dir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    memset(err, 0, sizeof *err);
    pt_code rc = pt_kb_build(dir, NULL, tmp_path("one.sqlite"), err);
    pt_platform_remove(path);
    return rc;
}

#define ENTRY_HEAD "return {\n  id = \"PT-9\", title = \"t\", vendor = \"v\",\n"
#define ENTRY_TAIL "  severity = \"low\", author = \"a\", date = \"2026-01-01\",\n" \
                   "  references = { { kind = \"blog\", title = \"x\", url = \"https://x.invalid/\" } },\n}\n"

static void invalid_kb_files_are_refused_with_file_line_and_reason(void **state)
{
    (void)state;
    pt_error err;
    assert_int_equal(build_one(ENTRY_HEAD "  drivers = { \"a.sys\" },\n" ENTRY_TAIL, &err), PT_OK);
    assert_int_equal(build_one(ENTRY_HEAD "  drivers = { \"a.sys\" },\n  tag = { \"Ab\" },\n"
                               ENTRY_TAIL, &err), PT_EKB);
    char where[320];
    snprintf(where, sizeof where, "%s/src/entry.lua:4", tmpdir); /* the path it was read from */
    assert_string_equal(err.where, where);
    assert_string_equal(err.message, "issue: unknown field 'tag'; did you mean 'tags'?");
    assert_int_equal(build_one(ENTRY_HEAD ENTRY_TAIL, &err), PT_EKB);
    assert_string_equal(err.message, "issue: required field 'drivers' is missing");
    assert_int_equal(build_one(ENTRY_HEAD "  drivers = \"a.sys\",\n" ENTRY_TAIL, &err), PT_EKB);
    assert_string_equal(err.message, "field 'drivers' must be a list of strings");
    assert_int_equal(build_one(ENTRY_HEAD "  drivers = { \"a.sys\" }, pool = \"session\",\n"
                               ENTRY_TAIL, &err), PT_EKB);
    assert_non_null(strstr(err.message, "pool 'session'"));
    assert_int_equal(build_one(ENTRY_HEAD "  drivers = { \"a.sys\" }, tags = { \"TOOLONG\" },\n"
                               ENTRY_TAIL, &err), PT_EKB);
    assert_non_null(strstr(err.message, "tag 'TOOLONG'"));
    assert_int_equal(build_one("return {\n  id = \n", &err), PT_EKB);
    snprintf(where, sizeof where, "%s/src/entry.lua:3", tmpdir);
    assert_string_equal(err.where, where);
    assert_int_equal(build_one("return 42\n", &err), PT_EKB);
    assert_non_null(strstr(err.message, "must return a table"));
}

static void kb_files_are_data_and_cannot_run_code_or_loop(void **state)
{
    (void)state;
    pt_error err;
    /* no library at all: os, io and string are absent */
    assert_int_equal(build_one("os.execute('touch /tmp/pwned')\nreturn {}\n", &err), PT_EKB);
    assert_non_null(strstr(err.message, "os"));
    assert_int_equal(build_one("while true do end\n", &err), PT_EKB);
    assert_non_null(strstr(err.message, "instruction budget"));
    assert_int_equal(build_one("local t = {}\nfor i = 1, 1e9 do t[i] = i end\n", &err), PT_EKB);
    /* bytecode is refused: text-only loading */
    assert_int_equal(build_one("\x1bLua", &err), PT_EKB);
    assert_non_null(strstr(err.message, "binary"));
}

/* The KB stores and hashes each source under its logical name (kb/issues/x),
 * so the same sources give the same KB wherever the checkout lives, while
 * messages name the path each file was read from. */
static void the_kb_is_the_same_wherever_the_sources_are(void **state)
{
    (void)state;
    const char *text = ENTRY_HEAD "  drivers = { \"a.sys\" },\n" ENTRY_TAIL;
    char dirs[2][300], kbs[2][300];
    for (int i = 0; i < 2; i++) {
        snprintf(dirs[i], sizeof dirs[i], "%s/place%d", tmpdir, i);
        pt_platform_mkdir(dirs[i]);
        char path[400];
        snprintf(path, sizeof path, "%s/entry.lua", dirs[i]);
        FILE *f = fopen(path, "w");
        fputs(text, f);
        fclose(f);
        snprintf(kbs[i], sizeof kbs[i], "%s/place%d.sqlite", tmpdir, i);
        pt_error err = {0};
        assert_int_equal(pt_kb_build(dirs[i], NULL, kbs[i], &err), PT_OK);
    }
    pt_arena *a = pt_arena_new();
    uint8_t *x, *y;
    size_t xl, yl;
    pt_error err = {0};
    assert_int_equal(pt_file_read(a, kbs[0], 1 << 24, &x, &xl, &err), PT_OK);
    assert_int_equal(pt_file_read(a, kbs[1], 1 << 24, &y, &yl, &err), PT_OK);
    assert_int_equal(xl, yl);
    assert_memory_equal(x, y, xl);
    pt_arena_free(a);
}

static void problem_count(void *arg, const char *where, const char *message)
{
    (void)where;
    (void)message;
    (*(int *)arg)++;
}

/* An empty folder of issues is a problem that names the path: nothing is
 * checked in silence; hidden files are no sources. */
static void an_empty_folder_is_a_problem_and_hidden_files_are_left_out(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/empty", tmpdir);
    pt_platform_mkdir(dir);
    int problems = 0;
    pt_kb_sources src = {.issues_dir = dir, .problem = problem_count, .problem_arg = &problems};
    pt_error err = {0};
    assert_int_equal(pt_kb_build_from(&src, tmp_path("empty.sqlite"), &err), PT_EKB);
    assert_string_equal(err.where, dir);
    assert_non_null(strstr(err.message, "no KB issue file (*.lua) here"));
    assert_int_equal(problems, 1);
    assert_false(pt_platform_is_file(tmp_path("empty.sqlite")));
    /* an editor's hidden lock file is left out, not read as a source (a
     * FIFO named *.lua is a problem: e2e.0519, which can make one) */
    char good[400], hidden[400];
    snprintf(good, sizeof good, "%s/good.lua", dir);
    FILE *f = fopen(good, "w");
    fputs(ENTRY_HEAD "  drivers = { \"a.sys\" },\n" ENTRY_TAIL, f);
    fclose(f);
    snprintf(hidden, sizeof hidden, "%s/.#good.lua", dir);
    f = fopen(hidden, "w");
    fputs("this is not Lua\n", f);
    fclose(f);
    problems = 0;
    memset(&err, 0, sizeof err);
    assert_int_equal(pt_kb_build_from(&src, tmp_path("hidden.sqlite"), &err), PT_OK);
    assert_int_equal(problems, 0);
}

static void open_ended_and_os_ranges_match_at_their_edges(void **state)
{
    (void)state;
    pt_error err;
    assert_int_equal(build_one(ENTRY_HEAD "  drivers = { \"a.sys\" }, tags = { \"Abcd\" },\n"
        "  affected = { { id = \"old\", max = \"1.2\" }, { id = \"new\", min = \"SYSCORE.3.0.0.5\" } },\n"
        "  os = { { nt = \"10.0\", build_min = 19041 } },\n" ENTRY_TAIL, &err), PT_OK);
    pt_kb *kb;
    assert_int_equal(pt_kb_open(tmp_path("one.sqlite"), &kb, &err), PT_OK);
    pt_arena *a = pt_arena_new();
    static const struct { const char *version; int64_t build; int vm; const char *range; int om; } cases[] = {
        {"1.2.0.0", 19041, 1, "old", 1},      /* max is inclusive; missing parts are 0 */
        {"1.2.0.1", 19040, 0, NULL, 0},       /* between the ranges; below the OS range */
        {"0.1", 26100, 1, "old", 1},          /* open below; open above for builds */
        {"3.0.0.5", PT_UNKNOWN, 1, "new", -1},/* min is inclusive, string prefix ignored */
        {"99.0", 19041, 1, "new", 1},         /* open above */
        {"3.0.0.4", 19041, 0, NULL, 1},
        {NULL, 19041, -1, NULL, 1},           /* no version given: unknown */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pt_kb_query q = {.tag = "Abcd", .driver = "A.SYS", .version = cases[i].version, .build = cases[i].build};
        pt_kb_match *m;
        size_t n;
        assert_int_equal(pt_kb_lookup(a, kb, &q, &m, &n, &err), PT_OK);
        assert_int_equal(n, 1);
        assert_int_equal(m[0].version_match, cases[i].vm);
        assert_int_equal(m[0].os_match, cases[i].om);
        if (cases[i].range)
            assert_string_equal(m[0].range_id, cases[i].range);
        else
            assert_null(m[0].range_id);
    }
    pt_arena_free(a);
    pt_kb_close(kb);
}

static void stored_rows_are_checked_like_sources(void **state)
{
    (void)state;
    pt_kb *kb = build_seed();
    pt_error err = {0};
    assert_int_equal(pt_kb_check_db(kb, &err), PT_OK);
    pt_kb_close(kb);
    static const char *const breaks[] = {
        "UPDATE issues SET severity = 'apocalyptic' WHERE id = 'PT-0001'",
        "UPDATE issue_tags SET tag = 'MFeSX' WHERE issue_id = 'PT-0001'",
        "UPDATE refs SET url = 'javascript:alert(1)' WHERE issue_id = 'PT-0001'",
        "UPDATE tag_fact_leaks SET issue_id = 'PT-4242'",
        "DELETE FROM refs WHERE issue_id = 'PT-0001'",
    };
    for (size_t i = 0; i < sizeof breaks / sizeof breaks[0]; i++) {
        sqlite3 *db;
        assert_int_equal(pt_kb_build(PT_SOURCE_DIR "/kb/issues", PT_SOURCE_DIR "/rules",
                                     tmp_path("kb.sqlite"), &err), PT_OK);
        assert_int_equal(sqlite3_open(tmp_path("kb.sqlite"), &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, breaks[i], NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
        assert_int_equal(pt_kb_open(tmp_path("kb.sqlite"), &kb, &err), PT_OK);
        assert_int_equal(pt_kb_check_db(kb, &err), PT_EKB);
        assert_non_null(strstr(err.message, "breaks the schema"));
        pt_kb_close(kb);
    }
}

static void opening_a_non_kb_or_missing_file_is_a_kb_error(void **state)
{
    (void)state;
    pt_kb *kb = NULL;
    pt_error err = {0};
    assert_int_equal(pt_kb_open(tmp_path("missing.sqlite"), &kb, &err), PT_EKB);
    assert_null(kb);
    assert_int_equal(pt_kb_open(PT_SOURCE_DIR "/LICENSE", &kb, &err), PT_EKB);
    assert_null(kb);
    pt_kb_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_seed_case_is_in_the_kb_with_all_its_references),
        cmocka_unit_test(lookups_say_how_tag_driver_version_and_os_match),
        cmocka_unit_test(npcap_ranges_compare_in_the_release_scheme_and_name_the_field),
        cmocka_unit_test(building_twice_gives_byte_identical_databases),
        cmocka_unit_test(invalid_kb_files_are_refused_with_file_line_and_reason),
        cmocka_unit_test(kb_files_are_data_and_cannot_run_code_or_loop),
        cmocka_unit_test(the_kb_is_the_same_wherever_the_sources_are),
        cmocka_unit_test(an_empty_folder_is_a_problem_and_hidden_files_are_left_out),
        cmocka_unit_test(open_ended_and_os_ranges_match_at_their_edges),
        cmocka_unit_test(stored_rows_are_checked_like_sources),
        cmocka_unit_test(opening_a_non_kb_or_missing_file_is_a_kb_error),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
