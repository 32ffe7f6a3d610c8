/* test_capture.c - decoding capture bytes, telling formats apart, refusing
 * what is not a capture, and pool totals of a snapshot. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* UTF-8 text (ASCII here) as UTF-16LE with a BOM and CRLF line ends. */
static uint8_t *to_utf16le_crlf(const char *text, size_t len, size_t *out_len)
{
    uint8_t *out = malloc(2 + len * 4);
    assert_non_null(out);
    size_t n = 0;
    out[n++] = 0xFF;
    out[n++] = 0xFE;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            out[n++] = '\r';
            out[n++] = 0;
        }
        out[n++] = (uint8_t)text[i];
        out[n++] = 0;
    }
    *out_len = n;
    return out;
}

static pt_code decode(void **state, const void *data, size_t len, char **text,
                      size_t *text_len, pt_error *err)
{
    return pt_text_decode(*state, data, len, text, text_len, err);
}

static void utf16le_with_bom_and_crlf_parses_like_the_utf8_sample(void **state)
{
    size_t len, wide_len, text_len;
    const char *utf8 = fixture_text(*state, "pool/poolmon-docs-s-all-sessions.txt", &len);
    uint8_t *wide = to_utf16le_crlf(utf8, len, &wide_len);
    char *text;
    pt_error err = {0};
    assert_int_equal(decode(state, wide, wide_len, &text, &text_len, &err), PT_OK);
    free(wide);
    assert_memory_equal(text, "Memory:  523572K", 16);
    assert_non_null(strstr(text, "information\r\n"));
    pt_snapshot s;
    assert_int_equal(pt_capture_parse(*state, "wide", text, text_len, PT_FMT_UNKNOWN, &s, &err),
                     PT_OK);
    assert_int_equal(s.row_count, 16);
    assert_int_equal(s.skipped_count, 0);
    assert_true(s.session);
    assert_string_equal(s.rows[15].tag, "Gdbr");
    assert_int_equal(s.rows[15].per_alloc, 312);
    assert_int_equal(s.paged_kb, 18644);
}

static void utf16le_fixture_file_loads(void **state)
{
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_load(*state,
                                     fixture("pool/poolmon-made-utf16le-bom-crlf-s0-session0.txt"),
                                     PT_FMT_UNKNOWN, &s, &err),
                     PT_OK);
    assert_int_equal(s.format, PT_FMT_POOLMON_CONSOLE);
    assert_int_equal(s.row_count, 16);
    assert_int_equal(s.session_id, 0);
    assert_string_equal(s.rows[3].tag, "Dh 1");
    assert_int_equal(s.rows[13].bytes, 283632);
}

static void surrogate_pairs_become_four_byte_utf8(void **state)
{
    /* BOM, "A", U+1F600 as D83D DE00, U+00E9, "\n" */
    const uint8_t data[] = {0xFF, 0xFE, 'A', 0, 0x3D, 0xD8, 0x00, 0xDE, 0xE9, 0, '\n', 0};
    char *text;
    size_t len;
    pt_error err = {0};
    assert_int_equal(decode(state, data, sizeof data, &text, &len, &err), PT_OK);
    assert_int_equal(len, 1 + 4 + 2 + 1);
    assert_string_equal(text, "A\xF0\x9F\x98\x80\xC3\xA9\n");
}

static void invalid_utf16_becomes_replacement_characters(void **state)
{
    /* a lone low surrogate, a high surrogate before "B", and an odd byte */
    const uint8_t data[] = {0xFF, 0xFE, 0x00, 0xDC, 0x00, 0xD8, 'B', 0, 'C'};
    char *text;
    size_t len;
    pt_error err = {0};
    assert_int_equal(decode(state, data, sizeof data, &text, &len, &err), PT_OK);
    assert_string_equal(text, "\xEF\xBF\xBD\xEF\xBF\xBD" "B" "\xEF\xBF\xBD");
}

static void utf8_bom_is_stripped(void **state)
{
    const char data[] = "\xEF\xBB\xBFTag  Type";
    char *text;
    size_t len;
    pt_error err = {0};
    assert_int_equal(decode(state, data, sizeof data - 1, &text, &len, &err), PT_OK);
    assert_int_equal(len, 9);
    assert_string_equal(text, "Tag  Type");
}

static void utf16le_without_bom_is_recognised(void **state)
{
    const uint8_t data[] = {'T', 0, 'a', 0, 'g', 0};
    char *text;
    size_t len;
    pt_error err = {0};
    assert_int_equal(decode(state, data, sizeof data, &text, &len, &err), PT_OK);
    assert_string_equal(text, "Tag");
}

static void nul_bytes_in_utf8_are_a_binary_file(void **state)
{
    const char data[] = "MZ\x90\0\x03\0\0\0";
    char *text;
    size_t len;
    pt_error err = {0};
    assert_int_equal(decode(state, data, sizeof data - 1, &text, &len, &err), PT_EFORMAT);
    assert_string_equal(err.message, "binary file");
    assert_string_equal(err.where, "offset 0x3");
}

static void binary_file_on_disk_names_the_path_and_offset(void **state)
{
    char path[] = "/tmp/pt_capture_binXXXXXX";
    int fd = pt_platform_temp_file(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    fwrite("Tag  Type\0\0\x01", 1, 12, f);
    fclose(f);
    pt_snapshot s;
    pt_error err = {0};
    pt_code rc = pt_capture_load(*state, path, PT_FMT_UNKNOWN, &s, &err);
    remove(path);
    assert_int_equal(rc, PT_EFORMAT);
    assert_string_equal(err.message, "binary file");
    char want[128];
    snprintf(want, sizeof want, "%s, offset 0x9", path);
    assert_string_equal(err.where, want);
}

static void nul_in_text_given_to_the_parser_is_binary(void **state)
{
    const char text[] = "Tag  Type  Allocs\0";
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_parse(*state, "x.txt", text, sizeof text - 1,
                                      PT_FMT_UNKNOWN, &s, &err),
                     PT_EFORMAT);
    assert_string_equal(err.message, "binary file");
}

static void empty_input_is_not_a_capture(void **state)
{
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_parse(*state, "empty.txt", "", 0, PT_FMT_UNKNOWN, &s, &err),
                     PT_EFORMAT);
    assert_string_equal(err.where, "empty.txt:1");
    assert_non_null(strstr(err.message, "no poolmon header line (\"Tag  Type  Allocs ...\")"));
}

static void random_text_is_a_format_error_at_line_one(void **state)
{
    const char *text = "Lorem ipsum dolor sit amet\nTag, you're it\n1 2 3 4 5\n";
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_parse(*state, "lorem.txt", text, strlen(text),
                                      PT_FMT_UNKNOWN, &s, &err),
                     PT_EFORMAT);
    assert_string_equal(err.where, "lorem.txt:1");
}

static void console_messages_vm_and_pooltag_files_are_not_captures(void **state)
{
    static const char *const files[] = {
        "pool/poolmon-docs-c-localtag-console-messages.txt", "pool/vm-1-docs.txt",
        "pool/vm-win7x64.txt", "pool/pooltag-sdk10.0.25967-head60.txt",
        "pool/pooltag-sdk10.0.25967-edgecase-lines.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        pt_snapshot s;
        pt_error err = {0};
        const char *path = fixture(files[i]);
        char want[4200];
        snprintf(want, sizeof want, "%s:1", path);
        assert_int_equal(pt_capture_load(*state, path, PT_FMT_UNKNOWN, &s, &err), PT_EFORMAT);
        assert_string_equal(err.where, want);
    }
}

static void missing_file_is_an_io_error(void **state)
{
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_load(*state, fixture("pool/no-such-file.txt"),
                                     PT_FMT_UNKNOWN, &s, &err),
                     PT_EIO);
}

static void formats_are_detected_from_the_header(void **state)
{
    static const struct {
        const char *file;
        pt_capture_format fmt;
    } cases[] = {
        {"pool/poolmon-docs-a-sorted-by-allocs.txt", PT_FMT_POOLMON_CONSOLE},
        {"pool/poolmon-docs-b-legacy-xp-era.txt", PT_FMT_POOLMON_CONSOLE},
        {"pool/poolmon-docs-drsd-before.txt", PT_FMT_POOLMON_CONSOLE},
        {"pool/poolmon-n-snapshot-intel-mfd-test.txt", PT_FMT_POOLMON_SNAPSHOT},
        {"pool/poolused-0-docs-sorted-by-tag.txt", PT_FMT_POOLUSED},
        {"pool/poolused-4-docs-legacy.txt", PT_FMT_POOLUSED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pt_snapshot s;
        pt_error err = {0};
        assert_int_equal(pt_capture_load(*state, fixture(cases[i].file), PT_FMT_UNKNOWN,
                                         &s, &err),
                         PT_OK);
        assert_int_equal(s.format, cases[i].fmt);
        assert_string_equal(s.source, fixture(cases[i].file));
    }
}

static void poolused_hint_on_a_poolmon_screen_is_a_format_error(void **state)
{
    size_t len;
    const char *text = fixture_text(*state, "pool/poolmon-docs-g-ntfs.txt", &len);
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_parse(*state, "ntfs.txt", text, len, PT_FMT_POOLUSED, &s, &err),
                     PT_EFORMAT);
    assert_string_equal(err.where, "ntfs.txt:1");
}

static void pool_bytes_come_from_the_summary_when_known(void **state)
{
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_load(*state, fixture("pool/poolmon-docs-a-sorted-by-allocs.txt"),
                                     PT_FMT_UNKNOWN, &s, &err),
                     PT_OK);
    assert_int_equal(pt_snapshot_pool_bytes(&s, PT_POOL_NONPAGED), 8332ull * 1024);
    assert_int_equal(pt_snapshot_pool_bytes(&s, PT_POOL_PAGED), 27220ull * 1024);
}

static void pool_bytes_sum_the_rows_without_a_summary(void **state)
{
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_load(*state, fixture("pool/poolmon-docs-g-unknown-driver.txt"),
                                     PT_FMT_UNKNOWN, &s, &err),
                     PT_OK);
    assert_int_equal(pt_snapshot_pool_bytes(&s, PT_POOL_NONPAGED), 3344 + 3944 + 248);
    assert_int_equal(pt_snapshot_pool_bytes(&s, PT_POOL_PAGED), 0);
}

static void a_fresh_snapshot_has_every_figure_unknown(void **state)
{
    size_t len;
    const char *text = fixture_text(*state, "pool/poolmon-docs-g-unknown-driver.txt", &len);
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_parse(*state, NULL, text, len, PT_FMT_UNKNOWN, &s, &err), PT_OK);
    assert_int_equal(s.time, PT_UNKNOWN);
    assert_int_equal(s.time_source, PT_TIME_NONE);
    assert_int_equal(s.memory_kb, PT_UNKNOWN);
    assert_int_equal(s.avail_kb, PT_UNKNOWN);
    assert_int_equal(s.commit_kb, PT_UNKNOWN);
    assert_int_equal(s.limit_kb, PT_UNKNOWN);
    assert_int_equal(s.peak_kb, PT_UNKNOWN);
    assert_int_equal(s.nonpaged_kb, PT_UNKNOWN);
    assert_int_equal(s.paged_kb, PT_UNKNOWN);
    assert_int_equal(s.nonpaged_max_kb, PT_UNKNOWN);
    assert_false(s.session);
}

static void rows_past_the_header_total_warn_and_shares_take_their_sum(void **state)
{
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_load(*state, fixture("cases/rows-past-total/poolmon.txt"),
                                     PT_FMT_UNKNOWN, &s, &err),
                     PT_OK);
    uint64_t total = 0;
    assert_true(pt_snapshot_pool_total(&s, PT_POOL_NONPAGED, &total));
    assert_int_equal(total, 102400000);
    assert_int_equal(pt_snapshot_rows_bytes(&s, PT_POOL_NONPAGED), 404274784);
    assert_int_equal(pt_snapshot_pool_bytes(&s, PT_POOL_NONPAGED), 404274784);
    bool oom = false;
    const char *m = pt_snapshot_over_total(*state, &s, PT_POOL_NONPAGED, &oom);
    assert_false(oom);
    assert_non_null(m);
    assert_string_equal(m, "the non-paged tag rows add up to 404274784 bytes, more than the "
                           "header's total of 102400000 bytes; shares are taken against the "
                           "rows' sum");
    assert_null(pt_snapshot_over_total(*state, &s, PT_POOL_PAGED, &oom)); /* within its total */
    assert_false(oom);
}

static void rows_a_filter_took_out_still_count_in_the_pool(void **state)
{
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_load(*state, fixture("pool/poolmon-docs-g-unknown-driver.txt"),
                                     PT_FMT_UNKNOWN, &s, &err),
                     PT_OK);
    uint64_t all = pt_snapshot_pool_bytes(&s, PT_POOL_NONPAGED);
    /* keep only the first non-paged row, as pool --tag does */
    size_t keep = 0;
    while (s.rows[keep].pool != PT_POOL_NONPAGED)
        keep++;
    for (size_t r = 0; r < s.row_count; r++)
        if (r != keep)
            s.filtered_bytes[s.rows[r].pool] += s.rows[r].bytes;
    s.rows[0] = s.rows[keep];
    s.row_count = 1;
    assert_int_equal(pt_snapshot_pool_bytes(&s, PT_POOL_NONPAGED), all);
    assert_null(pt_snapshot_over_total(*state, &s, PT_POOL_NONPAGED, NULL)); /* no total given */
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, test_arena_setup, test_arena_teardown)
    const struct CMUnitTest tests[] = {
        T(utf16le_with_bom_and_crlf_parses_like_the_utf8_sample),
        T(utf16le_fixture_file_loads),
        T(surrogate_pairs_become_four_byte_utf8),
        T(invalid_utf16_becomes_replacement_characters),
        T(utf8_bom_is_stripped),
        T(utf16le_without_bom_is_recognised),
        T(nul_bytes_in_utf8_are_a_binary_file),
        T(binary_file_on_disk_names_the_path_and_offset),
        T(nul_in_text_given_to_the_parser_is_binary),
        T(empty_input_is_not_a_capture),
        T(random_text_is_a_format_error_at_line_one),
        T(console_messages_vm_and_pooltag_files_are_not_captures),
        T(missing_file_is_an_io_error),
        T(formats_are_detected_from_the_header),
        T(poolused_hint_on_a_poolmon_screen_is_a_format_error),
        T(pool_bytes_come_from_the_summary_when_known),
        T(pool_bytes_sum_the_rows_without_a_summary),
        T(a_fresh_snapshot_has_every_figure_unknown),
        T(rows_past_the_header_total_warn_and_shares_take_their_sum),
        T(rows_a_filter_took_out_still_count_in_the_pool),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
