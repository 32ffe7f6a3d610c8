/* test_live.c - the decoders of the live Windows buffers, on buffers built
 * here from the documented x64 layouts (SYSTEM_POOLTAG_INFORMATION,
 * RTL_PROCESS_MODULES): whole, truncated and with counts that lie; module
 * path rules; the poolmon -n writer read back by the capture parser. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

/* A SystemPoolTagInformation buffer with `count` entries (claimed: `claim`). */
static uint8_t *pooltag_buffer(uint32_t claim, size_t count, size_t *len)
{
    *len = PT_LIVE_POOLTAG_HEADER + count * PT_LIVE_POOLTAG_ENTRY;
    uint8_t *b = calloc(1, *len);
    put32(b, claim);
    static const char *const tags[] = {"MFeS", "Ntfx", "Io  "};
    for (size_t i = 0; i < count; i++) {
        uint8_t *e = b + PT_LIVE_POOLTAG_HEADER + i * PT_LIVE_POOLTAG_ENTRY;
        memcpy(e, tags[i % 3], 4);
        put32(e + 4, 10 + (uint32_t)i);           /* paged allocs */
        put32(e + 8, 4);                          /* paged frees */
        put64(e + 16, 4096ull * (i + 1));         /* paged used */
        put32(e + 24, 5000000 + (uint32_t)i);     /* nonpaged allocs */
        put32(e + 28, 1000);                      /* nonpaged frees */
        put64(e + 32, 5053046496ull - i);         /* nonpaged used, past 4 GiB */
    }
    return b;
}

static void a_pool_tag_buffer_is_decoded_field_by_field(void **state)
{
    pt_arena *a = *state;
    size_t len;
    uint8_t *b = pooltag_buffer(3, 3, &len);
    pt_live_pooltag *t;
    size_t n;
    pt_error err = {0};
    assert_int_equal(pt_live_pooltags_decode(a, b, len, &t, &n, &err), PT_OK);
    assert_int_equal(n, 3);
    assert_string_equal(t[0].tag, "MFeS");
    assert_string_equal(t[2].tag, "Io  ");
    assert_int_equal(t[1].paged_allocs, 11);
    assert_int_equal(t[1].paged_frees, 4);
    assert_int_equal(t[1].paged_used, 8192);
    assert_int_equal(t[0].nonpaged_allocs, 5000000);
    assert_int_equal(t[0].nonpaged_frees, 1000);
    assert_true(t[0].nonpaged_used == 5053046496ull);
    free(b);
}

static void a_count_that_claims_more_than_the_buffer_is_refused(void **state)
{
    pt_arena *a = *state;
    size_t len;
    uint8_t *b = pooltag_buffer(1000000, 2, &len);
    pt_live_pooltag *t;
    size_t n = 7;
    pt_error err = {0};
    assert_int_equal(pt_live_pooltags_decode(a, b, len, &t, &n, &err), PT_EFORMAT);
    assert_int_equal(n, 0);
    assert_non_null(strstr(err.message, "1000000"));
    /* a huge count that would overflow count * entry */
    put32(b, 0xFFFFFFFFu);
    assert_int_equal(pt_live_pooltags_decode(a, b, len, &t, &n, &err), PT_EFORMAT);
    free(b);
}

static void a_truncated_buffer_is_refused_at_every_length(void **state)
{
    pt_arena *a = *state;
    size_t len;
    uint8_t *b = pooltag_buffer(2, 2, &len);
    pt_live_pooltag *t;
    size_t n;
    pt_error err = {0};
    for (size_t cut = 0; cut < len; cut++)
        assert_int_equal(pt_live_pooltags_decode(a, b, cut, &t, &n, &err), PT_EFORMAT);
    assert_int_equal(pt_live_pooltags_decode(a, NULL, 0, &t, &n, &err), PT_EFORMAT);
    /* a count smaller than the entries present reads only those */
    put32(b, 1);
    assert_int_equal(pt_live_pooltags_decode(a, b, len, &t, &n, &err), PT_OK);
    assert_int_equal(n, 1);
    free(b);
}

static void non_printable_tag_bytes_become_question_marks(void **state)
{
    pt_arena *a = *state;
    size_t len;
    uint8_t *b = pooltag_buffer(1, 1, &len);
    b[PT_LIVE_POOLTAG_HEADER + 1] = 0x07;
    b[PT_LIVE_POOLTAG_HEADER + 3] = 0xC3;
    pt_live_pooltag *t;
    size_t n;
    assert_int_equal(pt_live_pooltags_decode(a, b, len, &t, &n, NULL), PT_OK);
    assert_string_equal(t[0].tag, "M?e?");
    free(b);
}

static void put_module(uint8_t *b, size_t i, const char *path, uint16_t name_off)
{
    uint8_t *e = b + PT_LIVE_MODULES_HEADER + i * PT_LIVE_MODULE_ENTRY;
    put64(e + 16, 0xfffff80000000000ull + i * 0x100000);
    put32(e + 24, 0x5000 + (uint32_t)i);
    e[32] = (uint8_t)i;
    e[38] = (uint8_t)name_off;
    e[39] = (uint8_t)(name_off >> 8);
    memcpy(e + 40, path, strnlen(path, 256)); /* path may hold no NUL in 256 bytes */
}

static void a_module_list_is_decoded_with_names_and_bases(void **state)
{
    pt_arena *a = *state;
    size_t len = PT_LIVE_MODULES_HEADER + 4 * PT_LIVE_MODULE_ENTRY;
    uint8_t *b = calloc(1, len);
    put32(b, 4);
    put_module(b, 0, "\\SystemRoot\\system32\\ntoskrnl.exe", 20);
    put_module(b, 1, "\\SystemRoot\\system32\\drivers\\mfeavfk.sys", 29);
    put_module(b, 2, "\\??\\C:\\Program Files\\x\\y.sys", 999);   /* offset lies */
    char full[300];
    memset(full, 'a', sizeof full);   /* no NUL inside the 256 bytes */
    put_module(b, 3, full, 0);
    pt_live_module *m;
    size_t n;
    pt_error err = {0};
    assert_int_equal(pt_live_modules_decode(a, b, len, &m, &n, &err), PT_OK);
    assert_int_equal(n, 4);
    assert_string_equal(m[0].name, "ntoskrnl.exe");
    assert_string_equal(m[1].name, "mfeavfk.sys");
    assert_string_equal(m[1].path, "\\SystemRoot\\system32\\drivers\\mfeavfk.sys");
    assert_true(m[1].image_base == 0xfffff80000100000ull);
    assert_int_equal(m[1].image_size, 0x5001);
    assert_int_equal(m[1].load_order, 1);
    assert_string_equal(m[2].name, "y.sys");
    assert_int_equal(strlen(m[3].path), 256);
    assert_int_equal(pt_live_modules_decode(a, b, len - 1, &m, &n, &err), PT_EFORMAT);
    put32(b, 5);
    assert_int_equal(pt_live_modules_decode(a, b, len, &m, &n, &err), PT_EFORMAT);
    assert_int_equal(pt_live_modules_decode(a, b, 3, &m, &n, &err), PT_EFORMAT);
    free(b);
}

static void module_paths_become_win32_paths(void **state)
{
    pt_arena *a = *state;
    assert_string_equal(pt_live_module_win32_path(a, "\\SystemRoot\\system32\\drivers\\x.sys",
                                                  "C:\\Windows", "C:"),
                        "C:\\Windows\\system32\\drivers\\x.sys");
    assert_string_equal(pt_live_module_win32_path(a, "\\systemroot\\System32\\ntoskrnl.exe",
                                                  "D:\\Win", "D:"),
                        "D:\\Win\\System32\\ntoskrnl.exe");
    assert_string_equal(pt_live_module_win32_path(a, "\\??\\C:\\ProgramData\\a.sys",
                                                  "C:\\Windows", "C:"),
                        "C:\\ProgramData\\a.sys");
    assert_string_equal(pt_live_module_win32_path(a, "\\Windows\\System32\\hal.dll",
                                                  "C:\\Windows", "C:"),
                        "C:\\Windows\\System32\\hal.dll");
    assert_string_equal(pt_live_module_win32_path(a, "System32\\DRIVERS\\wd.sys",
                                                  "C:\\Windows", "C:"),
                        "C:\\Windows\\System32\\DRIVERS\\wd.sys");
    assert_string_equal(pt_live_module_win32_path(a, "\\Device\\HarddiskVolume2\\x.sys",
                                                  "C:\\Windows", "C:"),
                        "\\Device\\HarddiskVolume2\\x.sys");
}

static void a_live_reading_is_written_as_poolmon_n_and_read_back(void **state)
{
    pt_arena *a = *state;
    size_t len;
    uint8_t *b = pooltag_buffer(3, 3, &len);
    pt_live_pooltag *t;
    size_t n;
    assert_int_equal(pt_live_pooltags_decode(a, b, len, &t, &n, NULL), PT_OK);
    pt_live_totals tot = {16468560, 104693, 4100436, 17517136, 11685564, 6580000, 983564};
    pt_buf text = {0};
    pt_live_poolmon_text(t, n, &tot, &text);
    assert_false(text.failed);
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_parse(a, "live", text.data, text.len, PT_FMT_UNKNOWN, &s, &err),
                     PT_OK);
    assert_int_equal(s.format, PT_FMT_POOLMON_SNAPSHOT);
    assert_int_equal(s.row_count, 6);   /* 3 tags, both pools each */
    assert_string_equal(s.rows[0].tag, "MFeS");
    assert_int_equal(s.rows[0].pool, PT_POOL_NONPAGED);
    assert_true(s.rows[0].bytes == 5053046496ull);
    assert_int_equal(s.rows[0].allocs, 5000000);
    assert_int_equal(s.rows[0].diff, 4999000);
    assert_int_equal(s.avail_kb, 104693);
    assert_int_equal(s.nonpaged_kb, 6580000);
    bool io = false;
    for (size_t i = 0; i < s.row_count; i++)
        io |= strcmp(s.rows[i].tag, "Io  ") == 0 && s.rows[i].pool == PT_POOL_PAGED &&
              s.rows[i].bytes == 3 * 4096;
    assert_true(io);
    pt_buf_free(&text);
    free(b);
}

/* The running kernel's version: Windows (and Wine) answer with at least
 * major.minor.build; elsewhere it is a clear refusal. */
static void the_live_os_version_or_a_clear_refusal(void **state)
{
    (void)state;
    char os[64];
    pt_error err = {0};
    pt_code rc = pt_platform_live_os(os, sizeof os, &err);
#ifdef _WIN32
    assert_int_equal(rc, PT_OK);
    unsigned major, minor, build;
    assert_int_equal(sscanf(os, "%u.%u.%u", &major, &minor, &build), 3);
    assert_true(major >= 5 && build > 0);
    pt_host host = {0};
    assert_int_equal(pt_host_set_os(*state, &host, os, "RtlGetVersion", &err), PT_OK);
    assert_int_equal(host.os_build, build);
#else
    assert_int_equal(rc, PT_EIO);
    assert_string_equal(os, "");
    assert_non_null(strstr(err.message, "Windows"));
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_live_os_version_or_a_clear_refusal,
                                        test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(a_pool_tag_buffer_is_decoded_field_by_field,
                                        test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(a_count_that_claims_more_than_the_buffer_is_refused,
                                        test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(a_truncated_buffer_is_refused_at_every_length,
                                        test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(non_printable_tag_bytes_become_question_marks,
                                        test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(a_module_list_is_decoded_with_names_and_bases,
                                        test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(module_paths_become_win32_paths,
                                        test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(a_live_reading_is_written_as_poolmon_n_and_read_back,
                                        test_arena_setup, test_arena_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
