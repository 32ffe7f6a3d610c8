/* test_capture_real.c - real poolmon, !poolused and !vm output found pasted
 * on public pages (blogs, notes, docs), kept verbatim with the Markdown
 * around it (tests/fixtures/pool/README.md names each source): what the
 * parsers read from each, and that a page's own marks (code fences, "[snip]")
 * are not reported as bad rows. */
#include "test_support.h"
#include "collect_int.h"

#include <string.h>

/* The row with the most bytes. */
static const pt_pool_row *top_row(const pt_snapshot *s)
{
    const pt_pool_row *top = NULL;
    for (size_t i = 0; i < s->row_count; i++)
        if (top == NULL || s->rows[i].bytes > top->bytes)
            top = &s->rows[i];
    assert_non_null(top);
    return top;
}

static void refused_at_line_one(void **state, const char *rel)
{
    pt_snapshot s;
    pt_error err = {0};
    const char *path = fixture(rel);
    char want[4200];
    snprintf(want, sizeof want, "%s:1", path);
    assert_int_equal(pt_capture_load(*state, path, PT_FMT_UNKNOWN, &s, &err), PT_EFORMAT);
    assert_string_equal(err.where, want);
}

/* A live kernel debug of an AMD audio driver leaking WDF work items: the
 * leaking tag leads by far, in both pools; the closing ``` is no row. */
static void blog_live_dump_poolused_2_names_the_leaking_tag(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolused-2-blog-nickkuo-amda-live-2024.txt");
    assert_int_equal(s.format, PT_FMT_POOLUSED);
    assert_int_equal(s.row_count, 12); /* 8 tags, 4 of them in paged pool too */
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *top = top_row(&s);
    assert_string_equal(top->tag, "amda");
    assert_int_equal(top->pool, PT_POOL_NONPAGED);
    assert_int_equal(top->allocs, 5768754);
    assert_int_equal(top->bytes, 1938325232);
    assert_null(top->description); /* "UNKNOWN pooltag 'amda', ..." */
    assert_int_equal(test_row(&s, "amda", PT_POOL_PAGED)->bytes, 9360);
    assert_int_equal(test_row(&s, "DAL2", PT_POOL_PAGED)->bytes, 6288352);
    assert_int_equal(test_row(&s, "IoWI", PT_POOL_NONPAGED)->bytes, 646239888);
    assert_int_equal(s.nonpaged_kb, PT_UNKNOWN); /* no TOTAL line, no !vm */
}

/* "Using a machine size ..." and the kd cache report before the listing,
 * a lone "." progress line, descriptions with runs of blanks inside. */
static void blog_poolused_2_after_kd_cache_noise(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolused-2-blog-cn-win10-kd-cache-noise.txt");
    assert_int_equal(s.format, PT_FMT_POOLUSED);
    assert_int_equal(s.row_count, 21); /* 20 tags, EtwB in both pools */
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *top = top_row(&s);
    assert_string_equal(top->tag, "ConT");
    assert_int_equal(top->bytes, 5935104);
    const pt_pool_row *r = test_row(&s, "EtwB", PT_POOL_PAGED);
    assert_int_equal(r->allocs, 16);
    assert_int_equal(r->bytes, 442368);
    r = test_row(&s, "NtxF", PT_POOL_NONPAGED);
    assert_int_equal(r->allocs, 7350);
    assert_int_equal(r->bytes, 2704800);
    assert_int_equal(test_row(&s, "Vad ", PT_POOL_NONPAGED)->bytes, 2192480);
    assert_int_equal(test_row(&s, "EtwG", PT_POOL_NONPAGED)->bytes, 908992);
}

/* "!poolused 2 Even": one tag, then the TOTAL line of the filtered listing. */
static void one_tag_listing_with_total_line(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolused-2-one-tag-total-hevd-blog.txt");
    assert_int_equal(s.format, PT_FMT_POOLUSED);
    assert_int_equal(s.row_count, 1);
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *r = test_row(&s, "Even", PT_POOL_NONPAGED);
    assert_int_equal(r->allocs, 19248);
    assert_int_equal(r->bytes, 2470752);
    assert_string_equal(r->description, "Event objects");
    assert_int_equal(s.nonpaged_bytes, 2470752);
    assert_int_equal(s.nonpaged_kb, 2413); /* rounded up */
    assert_int_equal(s.paged_bytes, 0);
}

/* Windows 10 "!vm 1": nonpaged pool is "NonPagedPool Usage" (executable,
 * 1072 Kb) plus "NonPagedPoolNx Usage" (146492 Kb).  Alone it is no
 * capture; before a listing it sets the pool sizes. */
static void windows_10_vm_adds_the_nx_nonpaged_pool(void **state)
{
    refused_at_line_one(state, "pool/vm-1-win10-nonpagedpoolnx-notes.txt");
    size_t vm_len, pu_len;
    const char *vm = fixture_text(*state, "pool/vm-1-win10-nonpagedpoolnx-notes.txt", &vm_len);
    const char *pu = fixture_text(*state, "pool/poolused-2-one-tag-total-hevd-blog.txt", &pu_len);
    char *both = pt_arena_alloc(*state, vm_len + pu_len + 1);
    memcpy(both, vm, vm_len);
    memcpy(both + vm_len, pu, pu_len);
    both[vm_len + pu_len] = '\0';
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_parse(*state, "vm-then-poolused.txt", both, vm_len + pu_len,
                                      PT_FMT_UNKNOWN, &s, &err),
                     PT_OK);
    assert_int_equal(s.row_count, 1);
    assert_int_equal(s.skipped_count, 0);
    assert_int_equal(s.nonpaged_kb, 1072 + 146492); /* !vm wins over TOTAL */
    assert_int_equal(s.paged_kb, 274400);
    assert_int_equal(s.nonpaged_max_kb, 17179869184);
}

/* The Art of Memory Forensics' poolmon -b screen as notes copied it: a
 * "C:\...> poolmon.exe -b" prompt, a header line with one blank under it,
 * a count too wide for its column glued to the next one
 * ("( 128)126675442"), and "[snip  ]" where the copy stopped. */
static void poolmon_screen_with_glued_columns_and_snip(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-b-amf-notes-glued-columns.txt");
    assert_int_equal(s.format, PT_FMT_POOLMON_CONSOLE);
    assert_int_equal(s.row_count, 20);
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *top = top_row(&s);
    assert_string_equal(top->tag, "CM31");
    assert_int_equal(top->pool, PT_POOL_PAGED);
    assert_int_equal(top->bytes, 74838016);
    const pt_pool_row *r = test_row(&s, "File", PT_POOL_NONPAGED);
    assert_int_equal(r->allocs, 126693501);
    assert_int_equal(r->frees, 126675442);
    assert_int_equal(r->diff, 18059);
    assert_int_equal(r->bytes, 3311048);
    assert_true(r->has_delta);
    assert_int_equal(r->allocs_delta, 128);
    assert_int_equal(r->bytes_delta, -736);
    assert_int_equal(test_row(&s, "NtFs", PT_POOL_PAGED)->frees, 13760105);
    assert_int_equal(test_row(&s, "AWP6", PT_POOL_NONPAGED)->per_alloc, 1003520);
    assert_int_equal(s.memory_kb, 2096696);
    assert_int_equal(s.nonpaged_kb, 43452);
    assert_int_equal(s.paged_kb, 187796);
}

/* The same screen retyped with TABs inside a Markdown list: every line
 * indented by a TAB, "169392( 0)" with no blank before the parenthesis. */
static void poolmon_screen_retyped_with_tabs(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-b-amf-notes-tabbed.txt");
    assert_int_equal(s.format, PT_FMT_POOLMON_CONSOLE);
    assert_int_equal(s.row_count, 3);
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *r = test_row(&s, "MmSt", PT_POOL_PAGED);
    assert_int_equal(r->allocs, 673616);
    assert_int_equal(r->frees, 656049);
    assert_int_equal(r->diff, 17567);
    assert_int_equal(r->bytes, 28286672);
    assert_int_equal(r->per_alloc, 1610);
    assert_int_equal(top_row(&s)->bytes, 74838016);
    assert_int_equal(s.paged_kb, 187796);
}

/* Only poolmon's two summary lines were pasted: no tag to read. */
static void poolmon_summary_without_rows_is_refused(void **state)
{
    refused_at_line_one(state, "pool/poolmon-header-only-ko-notes.txt");
}

/* The docs' "!poolused 4" example as the page holds it: inside a numbered
 * list, every line indented by four blanks, trailing blanks, a 3-character
 * tag ("Ggb"). */
static void docs_poolused_4_inside_a_markdown_list(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolused-4-docs-list-indented.txt");
    assert_int_equal(s.format, PT_FMT_POOLUSED);
    assert_int_equal(s.row_count, 6); /* 5 tags, Gla5 in both pools */
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *top = top_row(&s);
    assert_string_equal(top->tag, "Abc ");
    assert_int_equal(top->pool, PT_POOL_PAGED);
    assert_int_equal(top->allocs, 36405);
    assert_int_equal(top->bytes, 33930272);
    assert_int_equal(test_row(&s, "Ggb ", PT_POOL_PAGED)->bytes, 828384);
    assert_int_equal(test_row(&s, "Gla5", PT_POOL_NONPAGED)->bytes, 128);
}

/* "!poolused 1 Hack" pasted into a C comment of an exploit: verbose
 * layout, one tag, the TOTAL line, then the comment goes on ("* 2. Free
 * around ..."): nothing after TOTAL belongs to the listing. */
static void verbose_listing_in_a_source_comment_ends_at_total(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolused-1-hevd-exploit-source-comment.txt");
    assert_int_equal(s.format, PT_FMT_POOLUSED);
    assert_int_equal(s.row_count, 1);
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *r = test_row(&s, "Hack", PT_POOL_NONPAGED);
    assert_int_equal(r->allocs, 1);
    assert_int_equal(r->frees, 0);
    assert_int_equal(r->diff, 1);
    assert_int_equal(r->bytes, 112);
    assert_int_equal(s.nonpaged_bytes, 112);
    assert_int_equal(s.paged_bytes, 0);
}

/* A 64-bit "poolmon -n -g" file as a parser test keeps it: the wide
 * columns, "Unknown Driver" and a bracketed Mapped_Driver. */
static void x64_snapshot_file_with_mapped_driver(void **state)
{
    pt_snapshot s = test_capture(state, "pool/poolmon-n-x64-mapped-driver-jest-test.txt");
    assert_int_equal(s.format, PT_FMT_POOLMON_SNAPSHOT);
    assert_int_equal(s.row_count, 2);
    assert_int_equal(s.skipped_count, 0);
    const pt_pool_row *r = top_row(&s);
    assert_string_equal(r->tag, "ConT");
    assert_int_equal(r->allocs, 3097);
    assert_int_equal(r->frees, 2409);
    assert_int_equal(r->diff, 688);
    assert_int_equal(r->bytes, 42770432);
    assert_int_equal(r->per_alloc, 62166);
    r = test_row(&s, "Thre", PT_POOL_NONPAGED);
    assert_int_equal(r->bytes, 13179648);
    assert_non_null(r->mapped_driver);
    assert_non_null(strstr(r->mapped_driver, "nt!ps"));
}

/* The marks themselves, wherever they come. */
static void fences_and_snip_marks_are_recognised(void **state)
{
    (void)state;
    static const char *const fences[] = {"```", "```cpp", "    ```", "\t``` cmd", "~~~"};
    static const char *const snips[] = {"[snip]", " [snip  ]", "[ SNIP ]"};
    static const char *const neither[] = {"``", "snip", "[snipped]", "[]", "Tag ```"};
    for (size_t i = 0; i < sizeof fences / sizeof fences[0]; i++) {
        pt_text_line l = {fences[i], strlen(fences[i]), 1};
        assert_true(pt_text_is_fence(&l));
        assert_false(pt_text_is_snip(&l));
    }
    for (size_t i = 0; i < sizeof snips / sizeof snips[0]; i++) {
        pt_text_line l = {snips[i], strlen(snips[i]), 1};
        assert_true(pt_text_is_snip(&l));
    }
    for (size_t i = 0; i < sizeof neither / sizeof neither[0]; i++) {
        pt_text_line l = {neither[i], strlen(neither[i]), 1};
        assert_false(pt_text_is_fence(&l));
        assert_false(pt_text_is_snip(&l));
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, test_arena_setup, test_arena_teardown)
    const struct CMUnitTest tests[] = {
        T(blog_live_dump_poolused_2_names_the_leaking_tag),
        T(blog_poolused_2_after_kd_cache_noise),
        T(one_tag_listing_with_total_line),
        T(windows_10_vm_adds_the_nx_nonpaged_pool),
        T(poolmon_screen_with_glued_columns_and_snip),
        T(poolmon_screen_retyped_with_tabs),
        T(poolmon_summary_without_rows_is_refused),
        T(docs_poolused_4_inside_a_markdown_list),
        T(verbose_listing_in_a_source_comment_ends_at_total),
        T(x64_snapshot_file_with_mapped_driver),
        T(fences_and_snip_marks_are_recognised),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
