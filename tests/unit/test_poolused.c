/* test_poolused.c - the WinDbg !poolused parser against the real samples,
 * glued and TAB-separated descriptions, and !vm totals. */
#include "test_support.h"

#include <string.h>

static pt_snapshot load(void **state, const char *rel)
{
    pt_snapshot snap = test_capture(state, rel);
    assert_int_equal(snap.format, PT_FMT_POOLUSED);
    return snap;
}

static void flags_0_rows_give_one_row_per_pool_in_use(void **state)
{
    pt_snapshot s = load(state, "pool/poolused-0-docs-sorted-by-tag.txt");
    assert_int_equal(s.row_count, 40);
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *r = test_row(&s, "AcpA", PT_POOL_NONPAGED);
    assert_int_equal(r->diff, 3);
    assert_int_equal(r->allocs, 3);
    assert_int_equal(r->frees, 0);
    assert_int_equal(r->bytes, 192);
    assert_int_equal(r->line, 14);
    r = test_row(&s, "AcpA", PT_POOL_PAGED);
    assert_int_equal(r->bytes, 504);
    assert_string_equal(r->description, "ACPI Pooltags");
    assert_string_equal(r->mapped_driver, "acpi.sys");
    r = test_row(&s, "Wmit", PT_POOL_PAGED);
    assert_int_equal(r->bytes, 49480);
    assert_false(r->has_delta);
}

static void glued_description_starting_with_digits_is_split_by_column(void **state)
{
    pt_snapshot s = load(state, "pool/poolused-0-docs-sorted-by-tag.txt");
    const pt_pool_row *r = test_row(&s, "ohci", PT_POOL_NONPAGED);
    assert_int_equal(r->bytes, 136);
    assert_string_equal(r->description, "1394 OHCI host controller driver");
    for (size_t i = 0; i < s.row_count; i++)
        assert_false(strcmp(s.rows[i].tag, "ohci") == 0 && s.rows[i].pool == PT_POOL_PAGED);
    r = test_row(&s, "8042", PT_POOL_NONPAGED);
    assert_string_equal(r->description, "PS/2 kb and mouse");
    assert_string_equal(r->mapped_driver, "i8042prt.sys");
}

static void unknown_pooltag_message_names_the_real_tag(void **state)
{
    pt_snapshot s = load(state, "pool/poolused-0-docs-sorted-by-tag.txt");
    const pt_pool_row *r = test_row(&s, "  rx", PT_POOL_NONPAGED); /* printed "rx.." */
    assert_int_equal(r->bytes, 1248);
    assert_null(r->description);
    r = test_row(&s, "AGP ", PT_POOL_PAGED);
    assert_int_equal(r->bytes, 384);
    assert_int_equal(test_row(&s, "1394", PT_POOL_NONPAGED)->bytes, 520);
}

static void total_line_gives_the_pool_sizes(void **state)
{
    pt_snapshot s = load(state, "pool/poolused-0-docs-sorted-by-tag.txt");
    assert_int_equal(s.nonpaged_kb, (209120008 + 1023) / 1024);
    assert_int_equal(s.paged_kb, (13066104 + 1023) / 1024);
    /* the exact bytes, not rounded to whole KiB */
    assert_int_equal(s.nonpaged_bytes, 209120008);
    assert_int_equal(s.paged_bytes, 13066104);
    uint64_t total = 0;
    assert_true(pt_snapshot_pool_total(&s, PT_POOL_NONPAGED, &total));
    assert_int_equal(total, 209120008);
    assert_int_equal(pt_snapshot_pool_bytes(&s, PT_POOL_PAGED), 13066104);
}

static void no_total_line_leaves_the_pool_totals_unknown(void **state)
{
    pt_snapshot s = load(state, "pool/poolused-2-win7x64.txt");
    uint64_t total = 12345;
    assert_false(pt_snapshot_pool_total(&s, PT_POOL_NONPAGED, &total));
    assert_false(pt_snapshot_pool_total(&s, PT_POOL_PAGED, &total));
    assert_int_equal(total, 12345);
    assert_int_equal(s.nonpaged_bytes, PT_UNKNOWN);
}

/* !poolused 1 (verbose): Allocs Frees Diff Used per pool, read as named. */
static void verbose_flag_1_reads_allocs_frees_and_diff(void **state)
{
    pt_snapshot s = load(state, "pool/poolused-1-verbose-insightengineering.txt");
    assert_int_equal(s.row_count, 5);
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *r = test_row(&s, "ALPC", PT_POOL_NONPAGED);
    assert_int_equal(r->allocs, 4528);
    assert_int_equal(r->frees, 2111);
    assert_int_equal(r->diff, 2417);
    assert_int_equal(r->bytes, 1440624);
    assert_string_equal(r->description, "ALPC port objects");
    assert_string_equal(r->mapped_driver, "nt!alpc");
    r = test_row(&s, "APpt", PT_POOL_PAGED);
    assert_int_equal(r->allocs, 109457);
    assert_int_equal(r->frees, 107115);
    assert_int_equal(r->diff, 2342);
    assert_int_equal(r->bytes, 255952);
    r = test_row(&s, "APpt", PT_POOL_NONPAGED);
    assert_int_equal(r->frees, 0);
    assert_int_equal(r->diff, 968);
    assert_int_equal(r->bytes, 124112);
    assert_int_equal(test_row(&s, "-UMD", PT_POOL_NONPAGED)->bytes, 48);
    assert_int_equal(test_row(&s, ".UMD", PT_POOL_NONPAGED)->frees, 1);
    for (size_t i = 0; i < s.row_count; i++) /* all-zero pools give no row */
        assert_false(strcmp(s.rows[i].tag, "ALPC") == 0 && s.rows[i].pool == PT_POOL_PAGED);
    assert_int_equal(s.nonpaged_bytes, PT_UNKNOWN);
}

/* Copies of web pages whose HTML collapsed every run of blanks into one
 * space: the numbers no longer line up under the header. */
static void collapsed_web_page_copies_are_read(void **state)
{
    pt_snapshot s = load(state, "pool/poolused-0-askperf-blog-collapsed.txt");
    assert_int_equal(s.row_count, 17);
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *r = test_row(&s, "AcpR", PT_POOL_PAGED);
    assert_int_equal(r->diff, 9);
    assert_int_equal(r->bytes, 4208);
    assert_string_equal(r->description, "ACPI resource data");
    assert_string_equal(r->mapped_driver, "acpi.sys");
    assert_int_equal(test_row(&s, "AcpB", PT_POOL_PAGED)->bytes, 704);
    assert_int_equal(test_row(&s, "AcpD", PT_POOL_NONPAGED)->bytes, 14720);
    assert_int_equal(test_row(&s, "8042", PT_POOL_NONPAGED)->bytes, 3944);
    assert_string_equal(test_row(&s, "AcdN", PT_POOL_NONPAGED)->description, "TDI AcdObjectInfoG");
    /* learn.microsoft.com's !poolused page: collapsed, glued and cut short */
    s = load(state, "pool/poolused-0-learn-page-collapsed-cut.txt");
    assert_int_equal(s.row_count, 2);
    assert_int_equal(s.skipped_count, 0);
    assert_int_equal(test_row(&s, "1394", PT_POOL_NONPAGED)->bytes, 520);
    assert_int_equal(test_row(&s, "1MEM", PT_POOL_NONPAGED)->bytes, 3368);
}

static void every_flag_layout_is_read_by_the_columns_its_header_names(void **state)
{
    /* group words on the header line itself */
    pt_snapshot s = test_capture_text(state,
        " Tag  NonPaged Allocs Frees Diff Used  Paged Allocs Frees Diff Used\n"
        " Abcd      10    4    6   600      3    1    2   200\tSome driver , Binary: abcd.sys\n"
        " TOTAL     10    4    6   600      3    1    2   200\n");
    /* the verbose TOTAL line: Allocs Frees Diff Used per pool */
    assert_int_equal(s.row_count, 2);
    const pt_pool_row *r = test_row(&s, "Abcd", PT_POOL_PAGED);
    assert_int_equal(r->allocs, 3);
    assert_int_equal(r->frees, 1);
    assert_int_equal(r->diff, 2);
    assert_int_equal(r->bytes, 200);
    assert_string_equal(r->mapped_driver, "abcd.sys");
    assert_int_equal(s.paged_bytes, 200);
    assert_int_equal(s.nonpaged_bytes, 600);
    /* one group, its pool named on the line above (session pool, flag 9) */
    s = test_capture_text(state,
        "                    Paged\n"
        " Tag    Allocs    Frees     Diff     Used\n"
        " Gh05       40       10       30     3000\n"
        " TOTAL      40       10       30     3000\n");
    assert_int_equal(s.row_count, 1);
    r = test_row(&s, "Gh05", PT_POOL_PAGED);
    assert_int_equal(r->frees, 10);
    assert_int_equal(r->diff, 30);
    assert_int_equal(s.paged_bytes, 3000);
    assert_int_equal(s.nonpaged_bytes, PT_UNKNOWN);
    /* Diff is negative when frees passed allocs (32-bit counters wrap) */
    s = test_capture_text(state,
        " Tag    Allocs    Frees     Diff     Used   Allocs    Frees     Diff     Used\n"
        " Wrap        1        3       -2        0        0        0        0        0\n");
    assert_int_equal(test_row(&s, "Wrap", PT_POOL_NONPAGED)->diff, -2);
    /* a Markdown heading or a prompt before the header */
    s = test_capture_text(state,
        "## Tag    Allocs     Used    Allocs     Used\n"
        " Xyzw        2      128         1       64\n");
    assert_int_equal(s.format, PT_FMT_POOLUSED);
    assert_int_equal(test_row(&s, "Xyzw", PT_POOL_PAGED)->bytes, 64);
}

static void flags_2_with_tab_descriptions_and_noise_before_the_header(void **state)
{
    pt_snapshot s = load(state, "pool/poolused-2-win7x64.txt");
    assert_int_equal(s.row_count, 6);
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *r = test_row(&s, "EtwB", PT_POOL_NONPAGED);
    assert_int_equal(r->bytes, 5041136);
    assert_int_equal(r->diff, 128);
    assert_string_equal(r->description, "Etw Buffer");
    assert_string_equal(r->mapped_driver, "nt!etw");
    r = test_row(&s, "EtwB", PT_POOL_PAGED);
    assert_int_equal(r->bytes, 163840);
    r = test_row(&s, "Pool", PT_POOL_NONPAGED);
    assert_string_equal(r->description, "Pool tables, etc.");
    assert_null(r->mapped_driver);
    assert_int_equal(s.nonpaged_kb, PT_UNKNOWN);
}

static void flags_4_modern_layout(void **state)
{
    pt_snapshot s = load(state, "pool/poolused-4-win7x64.txt");
    assert_int_equal(s.row_count, 8);
    const pt_pool_row *r = test_row(&s, "CM31", PT_POOL_PAGED);
    assert_int_equal(r->bytes, 91705344);
    assert_int_equal(r->diff, 19797);
    assert_string_equal(r->mapped_driver, "nt!cm");
    r = test_row(&s, "Ntff", PT_POOL_NONPAGED);
    assert_int_equal(r->bytes, 1600);
    assert_string_equal(r->description, "FCB_DATA");
}

static void flags_4_legacy_layout_reads_three_character_tags(void **state)
{
    pt_snapshot s = load(state, "pool/poolused-4-docs-legacy.txt");
    assert_int_equal(s.row_count, 6);
    assert_int_equal(s.skipped_count, 0);
    assert_int_equal(test_row(&s, "Abc ", PT_POOL_PAGED)->bytes, 33930272);
    assert_int_equal(test_row(&s, "Ggb ", PT_POOL_PAGED)->bytes, 828384);
    assert_int_equal(test_row(&s, "Gla5", PT_POOL_NONPAGED)->bytes, 128);
    assert_int_equal(test_row(&s, "Gla5", PT_POOL_PAGED)->diff, 2222);
}

static void vm_totals_in_the_same_text_set_the_pool_sizes(void **state)
{
    size_t vm_len, pu_len;
    const char *vm = fixture_text(*state, "pool/vm-win7x64.txt", &vm_len);
    const char *pu = fixture_text(*state, "pool/poolused-4-win7x64.txt", &pu_len);
    char *both = pt_arena_alloc(*state, vm_len + pu_len + 1);
    memcpy(both, pu, pu_len);
    memcpy(both + pu_len, vm, vm_len);
    pt_snapshot s = test_capture_text(state, both);
    assert_int_equal(s.row_count, 8);
    assert_int_equal(s.skipped_count, 0);
    assert_int_equal(s.nonpaged_kb, 36444);
    assert_int_equal(s.nonpaged_max_kb, 3096560);
    assert_int_equal(s.paged_kb, 147968);
}

static void vm_totals_before_the_listing_are_read_too(void **state)
{
    size_t vm_len, pu_len;
    const char *vm = fixture_text(*state, "pool/vm-1-docs.txt", &vm_len);
    const char *pu = fixture_text(*state, "pool/poolused-0-docs-sorted-by-tag.txt", &pu_len);
    char *both = pt_arena_alloc(*state, vm_len + pu_len + 1);
    memcpy(both, vm, vm_len);
    memcpy(both + vm_len, pu, pu_len);
    pt_snapshot s = test_capture_text(state, both);
    assert_int_equal(s.row_count, 40);
    assert_int_equal(s.nonpaged_kb, 3508); /* !vm wins over TOTAL */
    assert_int_equal(s.nonpaged_max_kb, 25008);
    assert_int_equal(s.paged_kb, 6388);
}

static void bad_listing_rows_are_skipped_with_line_numbers(void **state)
{
    pt_snapshot s = test_capture_text(state,
        " Tag     Allocs         Used     Allocs         Used\n"
        " Cont      1094      6525216          0            0\tContiguous\n"
        " Oops      many      6525216          0            0\n"
        " Zero         0            0          0            0\n");
    assert_int_equal(s.row_count, 1);
    assert_int_equal(s.skipped_count, 1);
    assert_int_equal(s.skipped[0].line, 3);
    assert_string_equal(s.skipped[0].message,
                        "expected a number in the nonpaged \"Allocs\" column");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, test_arena_setup, test_arena_teardown)
    const struct CMUnitTest tests[] = {
        T(flags_0_rows_give_one_row_per_pool_in_use),
        T(glued_description_starting_with_digits_is_split_by_column),
        T(unknown_pooltag_message_names_the_real_tag),
        T(total_line_gives_the_pool_sizes),
        T(no_total_line_leaves_the_pool_totals_unknown),
        T(verbose_flag_1_reads_allocs_frees_and_diff),
        T(every_flag_layout_is_read_by_the_columns_its_header_names),
        T(collapsed_web_page_copies_are_read),
        T(flags_2_with_tab_descriptions_and_noise_before_the_header),
        T(flags_4_modern_layout),
        T(flags_4_legacy_layout_reads_three_character_tags),
        T(vm_totals_in_the_same_text_set_the_pool_sizes),
        T(vm_totals_before_the_listing_are_read_too),
        T(bad_listing_rows_are_skipped_with_line_numbers),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
