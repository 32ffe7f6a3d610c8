/* test_pooltag.c - pooltag.txt and localtag.txt maps on the SDK samples:
 * comments, prose, short and spaced tags, duplicates, wildcards, lookup. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
    *state = pt_pooltag_new();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    pt_pooltag_free(*state);
    return 0;
}

static void load(pt_pooltag_map *map, const char *rel, pt_tagmap_kind kind)
{
    pt_error err = {0};
    if (pt_pooltag_load(map, fixture(rel), kind, &err) != PT_OK)
        fail_msg("%s: %s: %s", rel, err.where, err.message);
}

static const pt_tag_entry *one(pt_pooltag_map *map, const char *tag)
{
    size_t n;
    const pt_tag_entry *e = pt_pooltag_lookup(map, tag, &n);
    if (e == NULL || n != 1)
        fail_msg("lookup [%s] gave %zu entries, expected 1", tag, n);
    return e;
}

static void assert_entry(const pt_tag_entry *e, const char *tag, const char *binary,
                         const char *driver, const char *description, uint32_t line)
{
    assert_string_equal(e->tag, tag);
    if (binary)
        assert_string_equal(e->binary, binary);
    else
        assert_null(e->binary);
    if (driver)
        assert_string_equal(e->driver, driver);
    else
        assert_null(e->driver);
    if (description)
        assert_string_equal(e->description, description);
    else
        assert_null(e->description);
    assert_int_equal(e->line, line);
}

static void every_edge_case_line_gives_the_right_entry_or_is_skipped(void **state)
{
    pt_pooltag_map *m = *state;
    load(m, "pool/pooltag-sdk10.0.25967-edgecase-lines.txt", PT_TAGMAP_POOLTAG);
    /* 18 lines: REM, "       <unknown>" and the QUIC prose line are skipped */
    assert_int_equal(pt_pooltag_count(m), 15);
    assert_int_equal(pt_pooltag_skipped(m), 3);
    assert_entry(one(m, "ATmp"), "ATmp", NULL, NULL, "AppTag mount point", 2);
    assert_entry(one(m, "Dh 0"), "Dh 0", NULL, NULL, "DirectDraw/3D default object", 5);
    assert_entry(one(m, "I4e "), "I4e ", "tcpip.sys", "tcpip.sys", "IPv4 Echo data", 8);
    assert_entry(one(m, "Irp "), "Irp ", NULL, NULL, "Io, IRP packets", 9);
    assert_entry(one(m, "Pp  "), "Pp  ", "nt!io", "ntoskrnl.exe", "PNPMGR NtPlugPlayControl", 10);
    assert_entry(one(m, "QUIC"), "QUIC", "msquic.sys", "msquic.sys", "Generic QUIC allocation", 14);
    assert_entry(one(m, "Tun4"), "Tun4", NULL, NULL,
                 "Tunnel cache allocation for long file name", 16);
    assert_entry(one(m, "EKsa"), "EKsa", "win32kbase!CAsyncKeyEventMonitor::operator new",
                 "win32kbase.sys", "USERTAG_ASYNCKEYEVENT", 18);
    assert_string_equal(one(m, "EKsa")->source,
                        fixture("pool/pooltag-sdk10.0.25967-edgecase-lines.txt"));
    assert_int_equal(one(m, "EKsa")->kind, PT_TAGMAP_POOLTAG);
}

static void duplicate_tags_keep_every_owner_in_file_order(void **state)
{
    pt_pooltag_map *m = *state;
    load(m, "pool/pooltag-sdk10.0.25967-edgecase-lines.txt", PT_TAGMAP_AUTO);
    size_t n;
    const pt_tag_entry *e = pt_pooltag_lookup(m, "Bmfd", &n);
    assert_int_equal(n, 2);
    assert_entry(&e[0], "Bmfd", NULL, NULL, "Font related stuff", 3);
    assert_entry(&e[1], "Bmfd", "win32k.sys", "win32k.sys", "GDITAG_BMP_FONT", 17);
    e = pt_pooltag_lookup(m, "PX1 ", &n);
    assert_int_equal(n, 2);
    assert_entry(&e[0], "PX1 ", NULL, NULL, "ndis ProviderEventLookaside", 11);
    assert_entry(&e[1], "PX1 ", "ndproxy.sys", "ndproxy.sys", "PX_EVENT_TAG", 12);
}

static void wildcards_match_any_one_character_after_exact_tags(void **state)
{
    pt_pooltag_map *m = *state;
    load(m, "pool/pooltag-sdk10.0.25967-edgecase-lines.txt", PT_TAGMAP_POOLTAG);
    const pt_tag_entry *e = one(m, "AfdX");
    assert_entry(e, "Afd?", "afd.sys", "afd.sys", "AFD objects", 1);
    assert_true(e->wildcard);
    assert_entry(one(m, "CM25"), "CM??", "nt!cm", "ntoskrnl.exe",
                 "Internal Configuration manager allocations", 4);
    assert_entry(one(m, "smEc"), "sm??", "nt!store or rdyboost.sys", "rdyboost.sys",
                 "ReadyBoost allocations", 15);
    size_t n = 99;
    /* case matters, and '?' stands for exactly one character */
    assert_null(pt_pooltag_lookup(m, "SMEc", &n));
    assert_int_equal(n, 0);
    assert_null(pt_pooltag_lookup(m, "Qc00", &n));
    assert_null(pt_pooltag_lookup(m, "Afd", &n));
}

static void an_exact_tag_wins_over_a_wildcard_and_files_merge(void **state)
{
    pt_pooltag_map *m = *state;
    load(m, "pool/pooltag-sdk10.0.25967-head60.txt", PT_TAGMAP_POOLTAG);
    /* 60 lines: 16 rem or // lines, 5 blank, 39 tags */
    assert_int_equal(pt_pooltag_count(m), 39);
    assert_int_equal(pt_pooltag_skipped(m), 21);
    assert_entry(one(m, "AfdB"), "AfdB", "afd.sys", "afd.sys", "Afd data buffer", 59);
    assert_entry(one(m, "@MP "), "@MP ", NULL, NULL, "(Intel video driver) Miniport related memory", 20);
    assert_entry(one(m, "8042"), "8042", "i8042prt.sys", "i8042prt.sys", "PS/2 keyboard and mouse", 27);
    assert_entry(one(m, "AfdQ"), "Afd?", "afd.sys", "afd.sys", "AFD objects", 57);
    load(m, "pool/pooltag-sdk10.0.25967-edgecase-lines.txt", PT_TAGMAP_POOLTAG);
    assert_int_equal(pt_pooltag_count(m), 54);
    size_t n;
    const pt_tag_entry *e = pt_pooltag_lookup(m, "AfdQ", &n);
    assert_int_equal(n, 2);
    assert_int_equal(e[0].line, 57); /* the file loaded first comes first */
    assert_int_equal(e[1].line, 1);
    assert_true(e[0].order < e[1].order);
    for (size_t i = 1; i < pt_pooltag_count(m); i++)
        assert_true(!pt_pooltag_entry(m, i - 1)->wildcard || pt_pooltag_entry(m, i)->wildcard);
    assert_null(pt_pooltag_entry(m, 54));
}

static void localtag_lines_name_the_driver_poolmon_c_shows(void **state)
{
    pt_pooltag_map *m = *state;
    load(m, "pooltag/localtag-made-el90xbc5.txt", PT_TAGMAP_AUTO);
    assert_int_equal(pt_pooltag_count(m), 4);
    const pt_tag_entry *e = one(m, "1MEM");
    /* the /c screen shows this as the cell [el90xbc5] */
    assert_entry(e, "1MEM", "el90xbc5", "el90xbc5.sys", NULL, 1);
    assert_int_equal(e->kind, PT_TAGMAP_LOCALTAG);
    assert_entry(one(m, "E1kT"), "E1kT", "e1k6232", "e1k6232.sys", NULL, 4);
}

static void a_lone_field_is_a_binary_only_when_it_names_a_file(void **state)
{
    pt_pooltag_map *m = *state;
    const char *text = "// header\n"
                       "rem\n"
                       "Remo - remote.sys - a tag starting with rem is not a comment\n"
                       "Ab-c - ab.sys - a dash inside a tag\n"
                       "Foo1 - foo.sys\n"
                       "Foo2 - nt!mm\n"
                       "Foo3 - Some words\n"
                       "Foo4 -\n"
                       "TooLong - x.sys - more than 4 characters is prose\n"
                       "X* - x.sys - star matches the rest\n";
    pt_error err = {0};
    assert_int_equal(pt_pooltag_parse(m, "t.txt", text, strlen(text), PT_TAGMAP_POOLTAG, &err),
                     PT_OK);
    assert_int_equal(pt_pooltag_count(m), 6);
    assert_entry(one(m, "Remo"), "Remo", "remote.sys", "remote.sys",
                 "a tag starting with rem is not a comment", 3);
    assert_entry(one(m, "Ab-c"), "Ab-c", "ab.sys", "ab.sys", "a dash inside a tag", 4);
    assert_entry(one(m, "Foo1"), "Foo1", "foo.sys", "foo.sys", NULL, 5);
    assert_entry(one(m, "Foo2"), "Foo2", "nt!mm", "ntoskrnl.exe", NULL, 6);
    assert_entry(one(m, "Foo3"), "Foo3", NULL, NULL, "Some words", 7);
    assert_entry(one(m, "Xyzw"), "X*  ", "x.sys", "x.sys", "star matches the rest", 10);
}

static void utf16_files_load_and_binary_or_missing_ones_are_refused(void **state)
{
    pt_pooltag_map *m = *state;
    char path[] = "/tmp/test_pooltag_XXXXXX";
    int fd = pt_platform_temp_file(path);
    assert_true(fd >= 0);
    const char *line = "Afd? - afd.sys - AFD objects\r\n";
    unsigned char buf[128] = {0xFF, 0xFE};
    size_t n = 2;
    for (const char *p = line; *p; p++) {
        buf[n++] = (unsigned char)*p;
        buf[n++] = 0;
    }
    assert_true(pt_platform_write_all(fd, buf, n));
    pt_platform_close(fd);
    pt_error err = {0};
    assert_int_equal(pt_pooltag_load(m, path, PT_TAGMAP_AUTO, &err), PT_OK);
    assert_entry(one(m, "Afd1"), "Afd?", "afd.sys", "afd.sys", "AFD objects", 1);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("AB\0CD", 1, 5, f);
    fclose(f);
    assert_int_equal(pt_pooltag_load(m, path, PT_TAGMAP_AUTO, &err), PT_EFORMAT);
    assert_string_equal(err.where, path);
    assert_non_null(strstr(err.message, "binary file"));
    assert_int_equal(pt_pooltag_load(m, "/nonexistent/pooltag.txt", PT_TAGMAP_AUTO, &err),
                     PT_EIO);
    pt_platform_remove(path);
    assert_int_equal(pt_pooltag_count(m), 1);
}

static void null_maps_and_short_tags_are_harmless(void **state)
{
    (void)state;
    size_t n = 5;
    assert_null(pt_pooltag_lookup(NULL, "Afd1", &n));
    assert_int_equal(n, 0);
    assert_int_equal(pt_pooltag_count(NULL), 0);
    assert_null(pt_pooltag_entry(NULL, 0));
    pt_pooltag_free(NULL);
}

static void allocation_failures_are_reported_not_crashed(void **state)
{
    (void)state;
    size_t len;
    pt_arena *a = pt_arena_new();
    char *text = fixture_text(a, "pool/pooltag-sdk10.0.25967-edgecase-lines.txt", &len);
    for (long fail = 0; fail < 200; fail++) {
        pt_alloc_fail_after(fail);
        pt_pooltag_map *m = pt_pooltag_new();
        pt_error err = {0};
        pt_code rc = m ? pt_pooltag_parse(m, "t", text, len, PT_TAGMAP_POOLTAG, &err)
                       : PT_ENOMEM;
        pt_alloc_fail_after(-1);
        assert_true(rc == PT_OK || rc == PT_ENOMEM);
        if (rc == PT_OK)
            assert_int_equal(pt_pooltag_count(m), 15);
        pt_pooltag_free(m);
    }
    pt_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_edge_case_line_gives_the_right_entry_or_is_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_tags_keep_every_owner_in_file_order, setup, teardown),
        cmocka_unit_test_setup_teardown(wildcards_match_any_one_character_after_exact_tags, setup, teardown),
        cmocka_unit_test_setup_teardown(an_exact_tag_wins_over_a_wildcard_and_files_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(localtag_lines_name_the_driver_poolmon_c_shows, setup, teardown),
        cmocka_unit_test_setup_teardown(a_lone_field_is_a_binary_only_when_it_names_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(utf16_files_load_and_binary_or_missing_ones_are_refused, setup, teardown),
        cmocka_unit_test(null_maps_and_short_tags_are_harmless),
        cmocka_unit_test(allocation_failures_are_reported_not_crashed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
