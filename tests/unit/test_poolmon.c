/* test_poolmon.c - the poolmon parsers against every real poolmon sample,
 * the incident transcript and hand-made broken screens. */
#include "test_support.h"

#include <string.h>

static void wdk_screen_sorted_by_allocs_reads_rows_deltas_and_summary(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-docs-a-sorted-by-allocs.txt");
    assert_int_equal(s.format, PT_FMT_POOLMON_CONSOLE);
    assert_int_equal(s.row_count, 8);
    assert_int_equal(s.skipped_count, 0);
    assert_false(s.session);
    assert_int_equal(s.memory_kb, 260620);
    assert_int_equal(s.avail_kb, 96364);
    assert_int_equal(s.commit_kb, 203500);
    assert_int_equal(s.limit_kb, 640916);
    assert_int_equal(s.peak_kb, 260632);
    assert_int_equal(s.nonpaged_kb, 8332);
    assert_int_equal(s.paged_kb, 27220); /* not InRam Krnl's P:17856K */
    assert_int_equal(s.nonpaged_max_kb, PT_UNKNOWN);
    assert_int_equal(s.time, PT_UNKNOWN);
    assert_int_equal(s.time_source, PT_TIME_NONE);
    const pt_pool_row *r = &s.rows[0];
    assert_string_equal(r->tag, "Wait");
    assert_int_equal(r->pool, PT_POOL_NONPAGED);
    assert_int_equal(r->allocs, 3971107);
    assert_int_equal(r->frees, 3971077);
    assert_int_equal(r->diff, 30);
    assert_int_equal(r->bytes, 8456);
    assert_int_equal(r->per_alloc, 281);
    assert_true(r->has_delta);
    assert_int_equal(r->line, 6);
    assert_null(r->mapped_driver);
    r = test_row(&s, "Io  ", PT_POOL_NONPAGED);
    assert_int_equal(r->allocs_delta, 1);
    assert_int_equal(r->frees_delta, 1);
    assert_int_equal(r->bytes, 91912);
    r = test_row(&s, "Key ", PT_POOL_PAGED);
    assert_int_equal(r->diff, 842);
    assert_int_equal(r->bytes, 87528);
}

static void legacy_layout_reads_tags_at_column_zero_and_one(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-docs-b-legacy-xp-era.txt");
    assert_int_equal(s.format, PT_FMT_POOLMON_CONSOLE);
    assert_int_equal(s.row_count, 4);
    assert_int_equal(s.skipped_count, 0);
    assert_string_equal(s.rows[0].tag, "CM  ");
    assert_string_equal(s.rows[1].tag, "Strg");
    assert_string_equal(s.rows[2].tag, "Fat ");
    assert_string_equal(s.rows[3].tag, "MmSt");
    assert_int_equal(s.rows[0].bytes, 1377312);
    assert_int_equal(s.rows[0].per_alloc, 4901);
    assert_int_equal(s.rows[1].allocs_delta, 10);
    assert_int_equal(s.rows[1].frees_delta, 4);
    assert_int_equal(s.rows[1].bytes_delta, 512);
    assert_int_equal(s.memory_kb, 16224);
    assert_int_equal(s.nonpaged_kb, 744);
    assert_int_equal(s.paged_kb, 2180);
}

static void localtag_cells_give_the_mapped_driver(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-docs-c-localtag.txt");
    assert_int_equal(s.row_count, 3);
    assert_string_equal(s.rows[0].tag, "1MEM");
    assert_string_equal(s.rows[0].mapped_driver, "el90xbc5");
    assert_int_equal(s.rows[2].bytes, 248);
    assert_int_equal(s.rows[2].per_alloc, 82);
    assert_int_equal(s.nonpaged_kb, 8496);
    assert_int_equal(s.paged_kb, 32904);
}

static void pooltag_cells_keep_the_text_inside_the_brackets(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-docs-g-ntfs.txt");
    assert_int_equal(s.row_count, 13);
    assert_string_equal(s.rows[0].tag, "NtFA");
    assert_string_equal(s.rows[0].mapped_driver, "ntfs.sys  -  AttrSup.c");
    const pt_pool_row *r = test_row(&s, "NtFs", PT_POOL_NONPAGED);
    assert_int_equal(r->diff, 1599);
    assert_int_equal(r->bytes, 64536);
    assert_string_equal(r->mapped_driver, "ntfs.sys  -  StrucSup.c");
    r = test_row(&s, "NtFB", PT_POOL_PAGED);
    assert_int_equal(r->bytes, 252088);
    assert_int_equal(r->per_alloc, 25208);
}

static void unknown_driver_cells_give_no_mapped_driver(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-docs-g-unknown-driver.txt");
    assert_int_equal(s.row_count, 3);
    assert_int_equal(s.skipped_count, 0);
    for (size_t i = 0; i < s.row_count; i++)
        assert_null(s.rows[i].mapped_driver);
    assert_int_equal(s.rows[1].bytes, 3944);
    assert_int_equal(s.memory_kb, PT_UNKNOWN);
    assert_int_equal(s.nonpaged_kb, PT_UNKNOWN);
    assert_int_equal(s.paged_kb, PT_UNKNOWN);
}

static void mapped_driver_cells_of_every_form_are_read(void **state)
{
    pt_snapshot s = test_capture_text(state,
        " Tag  Type     Allocs            Frees            Diff   Bytes      Per Alloc  Mapped_Driver\n"
        " Ipsc Nonp        10 (   0)         4 (   0)     6     600 (     0)    100 [ipsec][ipsec.sys    -  event queue]\n"
        " Gfnt Paged       10 (   0)         4 (   0)     6     600 (     0)    100 [Font related stuff]\n"
        " Cut  Paged       10 (   0)         4 (   0)     6     600 (     0)    100 [ntfs.sys  -  Attr\n");
    assert_int_equal(s.row_count, 3);
    assert_string_equal(s.rows[0].mapped_driver, "ipsec; ipsec.sys    -  event queue");
    assert_string_equal(s.rows[1].mapped_driver, "Font related stuff");
    /* an unclosed cell was cut at the window edge: what is there is kept */
    assert_string_equal(s.rows[2].mapped_driver, "ntfs.sys  -  Attr");
}

static void mapped_driver_cut_at_the_window_edge_keeps_the_file_name(void **state)
{
    static const char *const files[] = {"pool/poolmon-docs-g-hid-cut-2022.txt",
                                        "pool/poolmon-docs-g-hid-cut-2025.txt"};
    for (size_t i = 0; i < 2; i++) {
        pt_snapshot s = test_capture(state, files[i]);
        assert_int_equal(s.row_count, 3);
        assert_int_equal(s.skipped_count, 0);
        const pt_pool_row *r = test_row(&s, "HidC", PT_POOL_PAGED);
        assert_string_equal(r->mapped_driver, "hidclass.sys - HID Class d");
        assert_int_equal(r->bytes, 896);
        assert_int_equal(r->frees, 1659);
        r = test_row(&s, "HidC", PT_POOL_NONPAGED);
        assert_string_equal(r->mapped_driver, "hidclass.sys - HID Class d");
        assert_int_equal(r->bytes, 19808);
        assert_int_equal(r->diff, 119);
        r = test_row(&s, "HidP", PT_POOL_NONPAGED);
        assert_string_equal(r->mapped_driver, "hidparse.sys - HID Parser");
        assert_int_equal(r->bytes, 6704);
        assert_int_equal(r->per_alloc, 419);
        assert_int_equal(s.nonpaged_kb, 1023400);
        assert_int_equal(s.paged_kb, 1955448);
        assert_int_equal(s.memory_kb, 33473120);
    }
}

/* The docs page "Using PoolMon to find a kernel-mode memory leak" renders
 * the header as a Markdown heading: "## Tag   Type ..." over rows at
 * column 0 (2017 and 2025 versions of the page). */
static void markdown_heading_before_the_header_of_the_docs_page_is_read(void **state)
{
    static const char *const files[] = {"pool/poolmon-docs-markdown-heading-2017.txt",
                                        "pool/poolmon-docs-markdown-heading-2025.txt"};
    for (size_t i = 0; i < 2; i++) {
        pt_snapshot s = test_capture(state, files[i]);
        assert_int_equal(s.format, PT_FMT_POOLMON_CONSOLE);
        assert_int_equal(s.row_count, 4);
        assert_int_equal(s.skipped_count, 0);
        const pt_pool_row *r = test_row(&s, "CM  ", PT_POOL_PAGED);
        assert_int_equal(r->allocs, 1283);
        assert_int_equal(r->frees, 1002);
        assert_int_equal(r->diff, 281);
        assert_int_equal(r->bytes, 1377312);
        assert_int_equal(r->per_alloc, 4901);
        r = test_row(&s, "Strg", PT_POOL_PAGED);
        assert_true(r->has_delta);
        assert_int_equal(r->allocs_delta, 10);
        assert_int_equal(r->bytes_delta, 512);
        assert_int_equal(test_row(&s, "Fat ", PT_POOL_PAGED)->bytes, 174560);
        assert_int_equal(test_row(&s, "MmSt", PT_POOL_PAGED)->per_alloc, 482);
        assert_int_equal(s.nonpaged_kb, 744);
        assert_int_equal(s.paged_kb, 2180);
    }
}

/* Server Fault question 52125: a poolmon screen pasted into a web page,
 * every run of blanks collapsed into one space. */
static void collapsed_server_fault_paste_is_read(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-serverfault-52125-collapsed.txt");
    assert_int_equal(s.format, PT_FMT_POOLMON_SNAPSHOT);
    assert_int_equal(s.row_count, 4);
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *r = test_row(&s, "Ntfr", PT_POOL_NONPAGED);
    assert_int_equal(r->allocs, 2690737);
    assert_int_equal(r->frees, 2528557);
    assert_int_equal(r->diff, 162180);
    assert_int_equal(r->bytes, 10379976);
    assert_int_equal(r->per_alloc, 64);
    assert_int_equal(test_row(&s, "File", PT_POOL_NONPAGED)->bytes, 13203912);
    assert_int_equal(test_row(&s, "NtFs", PT_POOL_NONPAGED)->diff, 93696);
    assert_int_equal(test_row(&s, "Ntfn", PT_POOL_NONPAGED)->per_alloc, 40);
    uint64_t total;
    assert_false(pt_snapshot_pool_total(&s, PT_POOL_NONPAGED, &total));
}

static void prompts_quotes_and_indentation_do_not_hide_the_header(void **state)
{
    static const char *const texts[] = {
        "# Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "Aaaa Nonp  3 ( 0) 1 ( 0) 2 64 ( 0) 32\n",
        "> Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "> Aaaa Nonp  3 ( 0) 1 ( 0) 2 64 ( 0) 32\n",
        "> > Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "> > Aaaa Nonp  3 ( 0) 1 ( 0) 2 64 ( 0) 32\n",
        "PS C:\\> Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "Aaaa Nonp  3 ( 0) 1 ( 0) 2 64 ( 0) 32\n",
        "PS C:\\Windows\\system32> Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "PS C:\\Windows\\system32> Aaaa Nonp  3 ( 0) 1 ( 0) 2 64 ( 0) 32\n",
        "kd> Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "Aaaa Nonp  3 ( 0) 1 ( 0) 2 64 ( 0) 32\n",
        "0: kd> Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "Aaaa Nonp  3 ( 0) 1 ( 0) 2 64 ( 0) 32\n",
        "        Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "Aaaa Nonp  3 ( 0) 1 ( 0) 2 64 ( 0) 32\n",
        "\t\tTag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "\t\tAaaa Nonp  3 ( 0) 1 ( 0) 2 64 ( 0) 32\n",
        "Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "          Aaaa Nonp  3 ( 0) 1 ( 0) 2 64 ( 0) 32\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        pt_snapshot s = test_capture_text(state, texts[i]);
        assert_int_equal(s.row_count, 1);
        assert_int_equal(s.skipped_count, 0);
        const pt_pool_row *r = test_row(&s, "Aaaa", PT_POOL_NONPAGED);
        assert_int_equal(r->allocs, 3);
        assert_int_equal(r->frees, 1);
        assert_int_equal(r->bytes, 64);
    }
}

static void drsd_snapshots_without_title_show_growth(void **state)
{
    pt_snapshot before = test_capture(state, "pool/poolmon-docs-drsd-before.txt");
    pt_snapshot after = test_capture(state, "pool/poolmon-docs-drsd-after.txt");
    assert_int_equal(before.format, PT_FMT_POOLMON_CONSOLE);
    assert_int_equal(before.row_count, 1);
    assert_int_equal(after.row_count, 1);
    assert_string_equal(before.rows[0].tag, "Drsd");
    assert_int_equal(before.rows[0].pool, PT_POOL_PAGED);
    assert_int_equal(before.rows[0].bytes, 17472);
    assert_int_equal(before.rows[0].allocs_delta, 177);
    assert_int_equal(before.rows[0].frees_delta, 171);
    assert_int_equal(before.rows[0].bytes_delta, 4992);
    assert_int_equal(after.rows[0].bytes, 22464);
    assert_int_equal(after.rows[0].diff, 27);
    assert_int_equal(after.rows[0].per_alloc, 832);
    assert_int_equal(before.paged_kb, 8004);
    assert_int_equal(after.paged_kb, 8012);
    assert_int_equal(after.nonpaged_kb, 2224);
}

static void all_sessions_screen_is_session_minus_one(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-docs-s-all-sessions.txt");
    assert_true(s.session);
    assert_int_equal(s.session_id, -1);
    assert_int_equal(s.row_count, 16);
    assert_int_equal(s.skipped_count, 0); /* the "..." line is not an error */
    assert_string_equal(test_row(&s, "Dh 1", PT_POOL_PAGED)->tag, "Dh 1");
    assert_int_equal(test_row(&s, "Gcac", PT_POOL_PAGED)->bytes, 288968);
    assert_int_equal(s.limit_kb, 1279764); /* "Limit:1279764K" */
    assert_int_equal(s.nonpaged_kb, 14332);
    assert_int_equal(s.paged_kb, 18644);
}

static void session_zero_screen_is_session_zero(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-docs-s0-session0.txt");
    assert_true(s.session);
    assert_int_equal(s.session_id, 0);
    assert_int_equal(s.row_count, 16);
    const pt_pool_row *r = test_row(&s, "GTmp", PT_POOL_PAGED);
    assert_int_equal(r->allocs, 89079);
    assert_int_equal(r->allocs_delta, 99);
    assert_int_equal(s.nonpaged_kb, 14340);
}

static void empty_session_screen_parses_with_no_rows(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-docs-s-empty-xp.txt");
    assert_int_equal(s.format, PT_FMT_POOLMON_CONSOLE);
    assert_int_equal(s.row_count, 0);
    assert_int_equal(s.skipped_count, 0);
    assert_true(s.session);
    assert_int_equal(s.session_id, -1);
    assert_int_equal(s.paged_kb, 20648);
}

static void system_title_is_not_a_session(void **state)
{
    pt_snapshot s = test_capture_text(state, "Session 12 pool information\n"
                                 "Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
                                 "Gh05 Paged 2 (0) 1 (0) 1 64 (0) 64\n");
    assert_true(s.session);
    assert_int_equal(s.session_id, 12);
    s = test_capture(state, "pool/poolmon-docs-g-ntfs.txt");
    assert_false(s.session);
}

static void poolmon_n_snapshot_has_no_deltas(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-n-snapshot-intel-mfd-test.txt");
    assert_int_equal(s.format, PT_FMT_POOLMON_SNAPSHOT);
    assert_int_equal(s.row_count, 13);
    assert_int_equal(s.skipped_count, 0);
    assert_string_equal(s.rows[0].tag, "EtwB");
    assert_false(s.rows[0].has_delta);
    assert_int_equal(s.rows[0].bytes, 163418368);
    assert_int_equal(s.rows[0].per_alloc, 69896);
    const pt_pool_row *r = test_row(&s, "CM25", PT_POOL_PAGED);
    assert_int_equal(r->allocs, 4849);
    assert_int_equal(r->frees, 0);
    assert_int_equal(r->bytes, 21708800);
    assert_int_equal(s.memory_kb, 16468560); /* "Memory:16468560K" */
    assert_int_equal(s.commit_kb, 4100436);
    assert_int_equal(s.nonpaged_kb, 710920);
    assert_int_equal(s.paged_kb, 983564);
}

static void same_tag_in_both_pools_gives_two_rows(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-made-same-tag-both-pools.txt");
    assert_int_equal(s.row_count, 3);
    const pt_pool_row *np = test_row(&s, "File", PT_POOL_NONPAGED);
    const pt_pool_row *pg = test_row(&s, "File", PT_POOL_PAGED);
    assert_int_equal(np->bytes, 70145152);
    assert_int_equal(np->bytes_delta, 800);
    assert_int_equal(pg->bytes, 128000);
    assert_int_equal(pg->line, 7);
}

static void incident_keeps_64_bit_counters_and_rows_cut_after_bytes(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-made-incident-transcript.txt");
    assert_int_equal(s.row_count, 6);
    assert_int_equal(s.skipped_count, 0);
    assert_int_equal(s.memory_kb, 10485236);
    assert_int_equal(s.nonpaged_kb, 6422012); /* "Pool N:6422012K" */
    assert_int_equal(s.paged_kb, PT_UNKNOWN); /* "P:52…" was cut */
    const pt_pool_row *r = &s.rows[0];
    assert_string_equal(r->tag, "MFeS");
    assert_true(r->bytes == 5053046496ull);
    assert_int_equal(r->allocs, 115522324);
    assert_int_equal(r->diff, 105271802);
    assert_false(r->has_delta); /* the Bytes delta "(13824…" was cut */
    assert_int_equal(r->per_alloc, 5053046496ull / 105271802);
    r = &s.rows[1];
    assert_string_equal(r->tag, "MFE0");
    assert_true(r->allocs == 3687119148ull);
    assert_true(r->frees == 3685419422ull);
    assert_int_equal(r->bytes, 323956448);
    r = test_row(&s, "mfeA", PT_POOL_NONPAGED);
    assert_true(r->has_delta);
    assert_int_equal(r->bytes_delta, 384);
    assert_string_equal(s.rows[5].tag, "mfe9");
}

static void negative_delta_touching_the_number_is_read(void **state)
{
    pt_snapshot s = test_capture_text(state,
        " Tag  Type     Allocs            Frees            Diff   Bytes       Per Alloc\n"
        " Thre Nonp   28286672( -184)  28280000(  -3)     6672 28286672( -184)   4239\n");
    assert_int_equal(s.row_count, 1);
    assert_int_equal(s.rows[0].allocs, 28286672);
    assert_int_equal(s.rows[0].allocs_delta, -184);
    assert_int_equal(s.rows[0].frees_delta, -3);
    assert_int_equal(s.rows[0].bytes_delta, -184);
}

static void type_words_are_read_in_any_spelling(void **state)
{
    pt_snapshot s = test_capture_text(state,
        "Tag  Type     Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "Aaaa NonP  3 1 2 64 32\n"
        "Bbbb Nonpaged 3 1 2 64 32\n"
        "Cccc PAGED 3 1 2 64 32\n");
    assert_int_equal(s.row_count, 3);
    assert_int_equal(s.rows[0].pool, PT_POOL_NONPAGED);
    assert_int_equal(s.rows[1].pool, PT_POOL_NONPAGED);
    assert_int_equal(s.rows[2].pool, PT_POOL_PAGED);
    assert_int_equal(s.format, PT_FMT_POOLMON_SNAPSHOT);
}

static void garbage_rows_are_skipped_with_their_line_numbers(void **state)
{
    pt_snapshot s = test_capture_text(state,
        " System pool information\n"
        " Tag  Type     Allocs            Frees            Diff   Bytes       Per Alloc\n"
        "\n"
        " Wait Nonp    3971107 (   0)   3971077 (   0)       30    8456 (     0)    281\n"
        " Oops Nope    3971107 (   0)   3971077 (   0)       30    8456 (     0)    281\n"
        " ObSt Nonp    2791258 (   0)      abc (   0)        0       0 (     0)      0\n"
        "hello world\n"
        " Io   Nonp    1021112 (   1)   1020985 (   1)      127   91912 (     0)    723\n"
        " Cut1 Nonp    1021112 (   1)   1020985 (   1)      127   919");
    assert_int_equal(s.row_count, 2);
    assert_string_equal(s.rows[1].tag, "Io  ");
    assert_int_equal(s.skipped_count, 4);
    assert_int_equal(s.skipped[0].line, 5);
    assert_string_equal(s.skipped[0].message,
                        "no 4-character tag followed by a pool type (Nonp or Paged)");
    assert_int_equal(s.skipped[1].line, 6);
    assert_string_equal(s.skipped[1].message, "expected a number in the \"Frees\" column");
    assert_int_equal(s.skipped[2].line, 7);
    assert_int_equal(s.skipped[3].line, 9);
    assert_string_equal(s.skipped[3].message, "the row stops in the \"Bytes\" column");
}

static void last_row_cut_mid_delta_keeps_its_bytes(void **state)
{
    pt_snapshot s = test_capture_text(state,
        "Tag  Type     Allocs              Frees              Diff      Bytes\n"
        "VoSm Nonp     146515 (    0)    144545 (    0)      1970  121644384 (    0)\n"
        "MFeS Nonp  115522324 (  288)  10250522 (    0)  105271802 5053046496 (138");
    assert_int_equal(s.row_count, 2);
    assert_int_equal(s.skipped_count, 0);
    assert_true(s.rows[1].bytes == 5053046496ull);
    assert_false(s.rows[1].has_delta);
    assert_int_equal(s.rows[1].allocs_delta, 0);
}

static void rows_cut_before_bytes_is_whole_are_skipped(void **state)
{
    pt_snapshot s = test_capture_text(state,
        "Tag  Type     Allocs              Frees              Diff      Bytes\n"
        "VoSm Nonp     146515 (    0)    144545 (    0)      1970  121644384 (    0)\n"
        "MFeS Nonp  115522324 (  288)  10250522 (    0)  10527\n"
        "MFE0 Nonp 3687119148 (154064) 3685419422 (154266)  1699726  3239…\n");
    assert_int_equal(s.row_count, 1);
    assert_int_equal(s.skipped_count, 2);
    assert_string_equal(s.skipped[0].message, "the row stops in the \"Diff\" column");
    assert_int_equal(s.skipped[1].line, 4);
    assert_string_equal(s.skipped[1].message, "the row stops in the \"Bytes\" column");
}

static void crlf_line_ends_read_like_lf(void **state)
{
    pt_snapshot s = test_capture_text(state,
        " Memory:  260620K Avail:   96364K  PageFlts:     0   InRam Krnl: 1916K P:17856K\r\n"
        " Commit: 203500K Limit: 640916K Peak: 260632K            Pool N: 8332K P:27220K\r\n"
        " System pool information\r\n"
        " Tag  Type     Allocs            Frees            Diff   Bytes      Per Alloc  Mapped_Driver\r\n"
        "\r\n"
        " 1MEM Nonp          1 (   0)         0 (   0)        1    3344 (     0)   3344 [el90xbc5]\r\n");
    assert_int_equal(s.row_count, 1);
    assert_int_equal(s.skipped_count, 0);
    assert_string_equal(s.rows[0].mapped_driver, "el90xbc5");
    assert_int_equal(s.rows[0].per_alloc, 3344);
    assert_int_equal(s.paged_kb, 27220);
}

static void second_screen_is_not_read_and_is_reported(void **state)
{
    pt_snapshot s = test_capture_text(state,
        "Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "Aaaa Nonp  3 1 2 64 32\n"
        "Memory:  130480K Avail:   91808K  PageFlts:  1240   InRam Krnl: 2488K P: 7996K\n"
        "Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
        "Bbbb Nonp  3 1 2 64 32\n");
    assert_int_equal(s.row_count, 1);
    assert_int_equal(s.skipped_count, 1);
    assert_int_equal(s.skipped[0].line, 3);
    assert_int_equal(s.memory_kb, PT_UNKNOWN);
}

static void header_with_only_garbage_rows_is_a_format_error(void **state)
{
    const char *text = "Tag  Type  Allocs  Frees  Diff  Bytes\n\nthis is not\na row\n";
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_parse(*state, "junk.txt", text, strlen(text),
                                      PT_FMT_UNKNOWN, &s, &err),
                     PT_EFORMAT);
    assert_string_equal(err.where, "junk.txt:3");
}

static void console_hint_is_kept_for_a_snapshot_layout(void **state)
{
    const char *text = "Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\nAaaa Nonp  3 1 2 64 32\n";
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_parse(*state, "x", text, strlen(text),
                                      PT_FMT_POOLMON_CONSOLE, &s, &err),
                     PT_OK);
    assert_int_equal(s.format, PT_FMT_POOLMON_CONSOLE);
    assert_int_equal(s.row_count, 1);
}

static void out_of_memory_at_every_step_fails_cleanly(void **state)
{
    size_t len;
    const char *text = fixture_text(*state, "pool/poolmon-docs-g-ntfs.txt", &len);
    for (long n = 0; n < 200; n++) {
        pt_arena *arena = pt_arena_new();
        assert_non_null(arena);
        pt_snapshot s;
        pt_error err = {0};
        pt_alloc_fail_after(n);
        pt_code rc = pt_capture_parse(arena, "ntfs", text, len, PT_FMT_UNKNOWN, &s, &err);
        pt_alloc_fail_after(-1);
        assert_true(rc == PT_OK || rc == PT_ENOMEM);
        if (rc == PT_OK)
            assert_int_equal(s.row_count, 13);
        pt_arena_free(arena);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(wdk_screen_sorted_by_allocs_reads_rows_deltas_and_summary, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(legacy_layout_reads_tags_at_column_zero_and_one, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(localtag_cells_give_the_mapped_driver, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(pooltag_cells_keep_the_text_inside_the_brackets, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(unknown_driver_cells_give_no_mapped_driver, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(mapped_driver_cells_of_every_form_are_read, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(mapped_driver_cut_at_the_window_edge_keeps_the_file_name, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(markdown_heading_before_the_header_of_the_docs_page_is_read, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(prompts_quotes_and_indentation_do_not_hide_the_header, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(collapsed_server_fault_paste_is_read, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(drsd_snapshots_without_title_show_growth, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(all_sessions_screen_is_session_minus_one, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(session_zero_screen_is_session_zero, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(empty_session_screen_parses_with_no_rows, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(system_title_is_not_a_session, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(poolmon_n_snapshot_has_no_deltas, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(same_tag_in_both_pools_gives_two_rows, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(incident_keeps_64_bit_counters_and_rows_cut_after_bytes, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(negative_delta_touching_the_number_is_read, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(type_words_are_read_in_any_spelling, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(garbage_rows_are_skipped_with_their_line_numbers, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(last_row_cut_mid_delta_keeps_its_bytes, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(rows_cut_before_bytes_is_whole_are_skipped, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(crlf_line_ends_read_like_lf, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(second_screen_is_not_read_and_is_reported, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(header_with_only_garbage_rows_is_a_format_error, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(console_hint_is_kept_for_a_snapshot_layout, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(out_of_memory_at_every_step_fails_cleanly, test_arena_setup, test_arena_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
