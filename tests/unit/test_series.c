/* test_series.c - series of captures: 32-bit counter wraps, steady versus
 * noisy growth, the thresholds at their edges, unknown order, the drsd
 * before/after samples, least squares, and capture times from content. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024ull * 1024ull)

/* A capture holding one row of tag `tag`. */
static pt_snapshot snap1(pt_arena *a, int64_t time, const char *tag, uint64_t allocs,
                         uint64_t frees, uint64_t bytes)
{
    pt_snapshot s;
    pt_snapshot_init(&s, pt_arena_printf(a, "cap-%lld", (long long)time),
                     PT_FMT_POOLMON_SNAPSHOT);
    s.time = time;
    s.rows = pt_arena_alloc(a, sizeof *s.rows);
    memcpy(s.rows[0].tag, tag, 5);
    s.rows[0].pool = PT_POOL_NONPAGED;
    s.rows[0].allocs = allocs;
    s.rows[0].frees = frees;
    s.rows[0].diff = (int64_t)(allocs - frees);
    s.rows[0].bytes = bytes;
    s.row_count = 1;
    return s;
}

/* A series of one tag with these bytes, one capture an hour. */
static pt_series bytes_series(pt_arena *a, const uint64_t *bytes, size_t n,
                              const pt_series_limits *lim)
{
    pt_snapshot *s = pt_arena_alloc(a, n * sizeof *s);
    for (size_t i = 0; i < n; i++)
        s[i] = snap1(a, (int64_t)i * 3600, "Leak", 1000 + i, 10, bytes[i]);
    pt_series out;
    pt_error err = {0};
    assert_int_equal(pt_series_build(a, s, n, lim, &out, &err), PT_OK);
    assert_int_equal(out.tag_count, 1);
    return out;
}

static void a_32_bit_alloc_counter_that_wraps_is_unwrapped(void **state)
{
    pt_arena *a = *state;
    pt_snapshot s[3] = {
        snap1(a, 0, "MFE0", 4294967000ull, 4294966000ull, 1000),
        snap1(a, 600, "MFE0", 500, 4294966500ull, 2000),      /* allocs wrapped */
        snap1(a, 1200, "MFE0", 900, 200, 3000),               /* then frees wrapped */
    };
    pt_series sr;
    pt_error err = {0};
    assert_int_equal(pt_series_build(a, s, 3, NULL, &sr, &err), PT_OK);
    const pt_tag_series *t = pt_series_find(&sr, "MFE0", PT_POOL_NONPAGED);
    assert_non_null(t);
    assert_true(t->wrapped);
    assert_false(t->reset);
    assert_int_equal(t->points[0].outstanding, 1000);
    assert_int_equal(t->points[1].allocs, (1ull << 32) + 500);
    assert_int_equal(t->points[1].outstanding, (int64_t)((1ull << 32) + 500 - 4294966500ull));
    assert_int_equal(t->points[2].allocs, (1ull << 32) + 900);
    assert_int_equal(t->points[2].frees, (1ull << 32) + 200);
    assert_int_equal(t->points[2].outstanding, 700);
    assert_int_equal(t->outstanding_delta, -300);
}

static void allocs_below_frees_in_one_capture_means_allocs_wrapped_first(void **state)
{
    pt_arena *a = *state;
    /* the incident's MFE0 neighbourhood: allocs already past 2^32 once */
    pt_snapshot s[2] = {snap1(a, 0, "MFE0", 100, 4294967000ull, 1000),
                        snap1(a, 60, "MFE0", 300, 4294967100ull, 1500)};
    pt_series sr;
    assert_int_equal(pt_series_build(a, s, 2, NULL, &sr, NULL), PT_OK);
    const pt_tag_series *t = &sr.tags[0];
    assert_true(t->wrapped);
    assert_int_equal(t->points[0].outstanding, (int64_t)((1ull << 32) + 100 - 4294967000ull));
    assert_int_equal(t->points[1].outstanding, (int64_t)((1ull << 32) + 300 - 4294967100ull));
    assert_int_equal(t->outstanding_delta, 100);
}

static void a_64_bit_counter_that_drops_is_a_reset_not_a_wrap(void **state)
{
    pt_arena *a = *state;
    pt_snapshot s[2] = {snap1(a, 0, "Big ", 6000000000ull, 5000000000ull, 1000),
                        snap1(a, 60, "Big ", 50, 10, 100)};
    pt_series sr;
    assert_int_equal(pt_series_build(a, s, 2, NULL, &sr, NULL), PT_OK);
    assert_false(sr.tags[0].wrapped);
    assert_true(sr.tags[0].reset);
    assert_int_equal(sr.tags[0].points[1].allocs, 50);
    assert_int_equal(sr.tags[0].points[1].outstanding, 40);
}

static void steady_growth_is_told_from_noisy_growth(void **state)
{
    pt_arena *a = *state;
    const uint64_t steady[] = {100 * MIB, 110 * MIB, 120 * MIB, 130 * MIB, 140 * MIB};
    pt_series s = bytes_series(a, steady, 5, NULL);
    assert_true(s.tags[0].steady);
    assert_int_equal(s.tags[0].rising, 4);
    assert_int_equal(s.tags[0].intervals, 4);
    assert_int_equal(s.tags[0].delta_bytes, (int64_t)(40 * MIB));
    assert_float_equal(s.tags[0].growth_percent, 40.0, 1e-9);
    assert_float_equal(s.tags[0].bytes_per_hour, 10.0 * MIB, 1e-3);
    /* ends 60 MiB higher, but rises in only 3 of 5 intervals */
    const uint64_t noisy[] = {100 * MIB, 140 * MIB, 90 * MIB, 150 * MIB, 95 * MIB, 160 * MIB};
    s = bytes_series(a, noisy, 6, NULL);
    assert_false(s.tags[0].steady);
    assert_int_equal(s.tags[0].rising, 3);
    assert_int_equal(s.tags[0].delta_bytes, (int64_t)(60 * MIB));
    assert_true(s.tags[0].has_rate);
}

static void the_rising_share_threshold_holds_at_exactly_80_percent(void **state)
{
    pt_arena *a = *state;
    const pt_series_limits *d = pt_series_default_limits();
    assert_int_equal(d->min_rising_percent, 80);
    assert_int_equal(d->min_growth_percent, 10);
    assert_int_equal(d->min_growth_bytes, 16 * MIB);
    /* 5 intervals, 4 rising: 80 % */
    const uint64_t four[] = {100 * MIB, 110 * MIB, 120 * MIB, 119 * MIB, 130 * MIB, 140 * MIB};
    assert_true(bytes_series(a, four, 6, NULL).tags[0].steady);
    /* 5 intervals, 3 rising: 60 % */
    const uint64_t three[] = {100 * MIB, 110 * MIB, 109 * MIB, 119 * MIB, 118 * MIB, 140 * MIB};
    assert_false(bytes_series(a, three, 6, NULL).tags[0].steady);
}

static void the_growth_thresholds_hold_at_exactly_10_percent_and_16_mib(void **state)
{
    pt_arena *a = *state;
    /* 160 MiB -> 176 MiB: exactly 10 % and exactly 16 MiB */
    const uint64_t edge[] = {160 * MIB, 176 * MIB};
    assert_true(bytes_series(a, edge, 2, NULL).tags[0].steady);
    const uint64_t under_pct[] = {170 * MIB, 186 * MIB}; /* 16 MiB but 9.4 % */
    assert_false(bytes_series(a, under_pct, 2, NULL).tags[0].steady);
    const uint64_t under_bytes[] = {100 * MIB, 116 * MIB - 1}; /* 16 % but 1 byte short */
    assert_false(bytes_series(a, under_bytes, 2, NULL).tags[0].steady);
    const uint64_t at_bytes[] = {100 * MIB, 116 * MIB};
    assert_true(bytes_series(a, at_bytes, 2, NULL).tags[0].steady);
    /* from nothing: any growth is "infinite" percent */
    const uint64_t from_zero[] = {0, 20 * MIB};
    pt_series s = bytes_series(a, from_zero, 2, NULL);
    assert_true(s.tags[0].steady);
    assert_true(isinf(s.tags[0].growth_percent));
    /* the limits are the caller's to change */
    pt_series_limits lim = {100, 1, 1024};
    const uint64_t small[] = {10000, 11024};
    assert_true(bytes_series(a, small, 2, &lim).tags[0].steady);
    assert_false(bytes_series(a, small, 2, NULL).tags[0].steady);
}

static void an_unknown_order_is_flagged_and_no_growth_is_guessed(void **state)
{
    pt_arena *a = *state;
    pt_snapshot s[2] = {snap1(a, 0, "Leak", 10, 0, 100 * MIB),
                        snap1(a, 0, "Leak", 20, 0, 200 * MIB)};
    pt_series sr;
    assert_int_equal(pt_series_build(a, s, 2, NULL, &sr, NULL), PT_OK);
    assert_true(sr.order_unknown);
    assert_true(pt_capture_order_unknown(s, 2));
    assert_false(sr.tags[0].steady);
    assert_false(sr.tags[0].has_rate);
    assert_int_equal(sr.tags[0].delta_bytes, 0);
    s[1].rows[0].allocs = 5; /* a drop between captures in no known order is no wrap */
    assert_int_equal(pt_series_build(a, s, 2, NULL, &sr, NULL), PT_OK);
    assert_false(sr.tags[0].wrapped);
    assert_int_equal(sr.tags[0].points[1].allocs, 5);
    s[1].rows[0].allocs = 20;
    s[1].time = PT_UNKNOWN; /* one capture has no time */
    assert_int_equal(pt_series_build(a, s, 2, NULL, &sr, NULL), PT_OK);
    assert_true(sr.order_unknown);
    assert_false(sr.timed);
    s[1].time = 60;
    assert_int_equal(pt_series_build(a, s, 2, NULL, &sr, NULL), PT_OK);
    assert_false(sr.order_unknown);
    assert_true(sr.tags[0].steady);
    assert_false(pt_capture_order_unknown(s, 1));
}

static void the_drsd_samples_give_the_growth_of_the_print_job(void **state)
{
    pt_arena *a = *state;
    pt_snapshot s[2];
    pt_error err = {0};
    assert_int_equal(pt_capture_load(a, fixture("pool/poolmon-docs-drsd-after.txt"),
                                     PT_FMT_UNKNOWN, &s[0], &err), PT_OK);
    assert_int_equal(pt_capture_load(a, fixture("pool/poolmon-docs-drsd-before.txt"),
                                     PT_FMT_UNKNOWN, &s[1], &err), PT_OK);
    s[0].time = 1800; /* after, given first */
    s[1].time = 0;
    pt_capture_sort(s, 2);
    assert_true(strstr(s[0].source, "before") != NULL);
    pt_series sr;
    assert_int_equal(pt_series_build(a, s, 2, NULL, &sr, &err), PT_OK);
    assert_int_equal(sr.tag_count, 1);
    assert_float_equal(sr.hours, 0.5, 1e-12);
    const pt_tag_series *t = pt_series_find(&sr, "Drsd", PT_POOL_PAGED);
    assert_non_null(t);
    assert_null(pt_series_find(&sr, "Drsd", PT_POOL_NONPAGED));
    assert_int_equal(t->first_bytes, 17472);
    assert_int_equal(t->last_bytes, 22464);
    assert_int_equal(t->delta_bytes, 4992);
    assert_int_equal(t->points[0].outstanding, 21);
    assert_int_equal(t->points[1].outstanding, 27);
    assert_int_equal(t->outstanding_delta, 6);
    assert_float_equal(t->growth_percent, 4992.0 * 100 / 17472.0, 1e-9);
    assert_float_equal(t->bytes_per_hour, 9984.0, 1e-9);
    assert_false(t->steady); /* 4,992 bytes is far below 16 MiB */
    pt_series_limits lim = {80, 10, 4096};
    assert_int_equal(pt_series_build(a, s, 2, &lim, &sr, &err), PT_OK);
    assert_true(sr.tags[0].steady);
}

static void least_squares_is_exact_on_a_line_and_on_known_points(void **state)
{
    pt_arena *a = *state;
    const int64_t hours[] = {0, 1, 3, 7};
    pt_snapshot s[4];
    for (int i = 0; i < 4; i++)
        s[i] = snap1(a, hours[i] * 3600, "Line", 1, 0, 1000 + 250 * (uint64_t)hours[i]);
    pt_series sr;
    assert_int_equal(pt_series_build(a, s, 4, NULL, &sr, NULL), PT_OK);
    assert_float_equal(sr.tags[0].bytes_per_hour, 250.0, 1e-9);
    /* x = 0,1,2,3 h, y = 1,3,2,5: slope = 5.5 / 5 */
    const uint64_t y[] = {1, 3, 2, 5};
    for (int i = 0; i < 4; i++)
        s[i] = snap1(a, i * 3600, "Pts ", 1, 0, y[i]);
    assert_int_equal(pt_series_build(a, s, 4, NULL, &sr, NULL), PT_OK);
    assert_float_equal(sr.tags[0].bytes_per_hour, 1.1, 1e-12);
}

static void a_tag_absent_from_a_capture_counts_as_zero_bytes_there(void **state)
{
    pt_arena *a = *state;
    pt_snapshot s[2] = {snap1(a, 0, "Old ", 5, 0, 500), snap1(a, 3600, "New ", 7, 1, 20 * MIB)};
    pt_series sr;
    assert_int_equal(pt_series_build(a, s, 2, NULL, &sr, NULL), PT_OK);
    assert_int_equal(sr.tag_count, 2);
    const pt_tag_series *n = pt_series_find(&sr, "New ", PT_POOL_NONPAGED);
    assert_false(n->points[0].present);
    assert_true(n->points[1].present);
    assert_int_equal(n->first_bytes, 0);
    assert_int_equal(n->delta_bytes, (int64_t)(20 * MIB));
    assert_int_equal(n->outstanding_delta, 6);
    const pt_tag_series *o = pt_series_find(&sr, "Old ", PT_POOL_NONPAGED);
    assert_int_equal(o->delta_bytes, -500);
    assert_false(o->steady);
}

static void sorting_puts_captures_without_a_time_last(void **state)
{
    pt_arena *a = *state;
    pt_snapshot s[3] = {snap1(a, PT_UNKNOWN, "A   ", 1, 0, 1), snap1(a, 50, "A   ", 1, 0, 1),
                        snap1(a, 10, "A   ", 1, 0, 1)};
    s[0].source = "z";
    pt_capture_sort(s, 3);
    assert_int_equal(s[0].time, 10);
    assert_int_equal(s[1].time, 50);
    assert_int_equal(s[2].time, PT_UNKNOWN);
}

static int64_t utc(const char *iso)
{
    int64_t t;
    if (!pt_time_parse(iso, true, &t))
        fail_msg("bad test time %s", iso);
    return t;
}

static void content_times_are_read_from_script_lines_and_windbg(void **state)
{
    (void)state;
    int64_t t = 0;
    const char *plain = "2026-11-20 08:00:00\r\nTag  Type  Allocs Frees Diff Bytes\n";
    assert_true(pt_capture_content_time(plain, strlen(plain), &t));
    assert_int_equal(t, utc("2026-11-20T08:00:00Z"));
    const char *label = "Date: 2026-11-20T08:00:00.1234567+01:00\n";
    assert_true(pt_capture_content_time(label, strlen(label), &t));
    assert_int_equal(t, utc("2026-11-20T07:00:00Z"));
    const char *kd = "Loading Dump File [C:\\MEMORY.DMP]\n"
                     "Debug session time: Fri Nov 20 08:00:00.123 2026 (UTC - 8:00)\n"
                     "System Uptime: 0 days 3:12:01.234\n";
    assert_true(pt_capture_content_time(kd, strlen(kd), &t));
    assert_int_equal(t, utc("2026-11-20T16:00:00Z"));
    const char *zulu = "  Captured: 2026-11-20T08:30Z  \n";
    assert_true(pt_capture_content_time(zulu, strlen(zulu), &t));
    assert_int_equal(t, utc("2026-11-20T08:30:00Z"));
    /* no time, a time after the header, a time inside other words */
    const char *none[] = {
        " Memory:  260620K Avail:   96364K  PageFlts:     0   InRam Krnl: 1916K P:17856K\n",
        "Tag  Type     Allocs         Frees    Diff   Bytes    Per Alloc\n2026-11-20 08:00\n",
        "poolmon run at 2026-11-20 08:00:00 by the scheduler\n",
        "2026-13-20 08:00:00\n",
        "Date: 2026-11-20 08:00:00 and more\n",
    };
    for (size_t i = 0; i < sizeof none / sizeof *none; i++)
        assert_false(pt_capture_content_time(none[i], strlen(none[i]), &t));
}

static void a_capture_is_dated_by_at_then_name_then_content_then_mtime(void **state)
{
    pt_arena *a = *state;
    char dir[] = "/tmp/test_series_XXXXXX";
    assert_non_null(pt_platform_make_temp_dir(dir));
    char *named = pt_arena_printf(a, "%s/pool_20261120_0900.txt", dir);
    char *plain = pt_arena_printf(a, "%s/poolmon.txt", dir);
    const char *body = "2026-11-20 08:00:00\nTag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n"
                       "Drsd Paged 737 710 27 22464 832\n";
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(i ? plain : named, "wb");
        assert_non_null(f);
        fputs(body, f);
        fclose(f);
    }
    pt_snapshot s;
    pt_error err = {0};
    assert_int_equal(pt_capture_load(a, plain, PT_FMT_UNKNOWN, &s, &err), PT_OK);
    assert_int_equal(s.row_count, 1); /* the time line does not disturb the parser */
    assert_int_equal(pt_capture_set_time(&s, plain, NULL, &err), PT_OK);
    assert_int_equal(s.time_source, PT_TIME_CONTENT);
    assert_int_equal(s.time, utc("2026-11-20T08:00:00Z"));
    pt_snapshot_init(&s, named, PT_FMT_POOLMON_SNAPSHOT);
    assert_int_equal(pt_capture_set_time(&s, named, NULL, &err), PT_OK);
    assert_int_equal(s.time_source, PT_TIME_NAME);
    assert_int_equal(s.time, utc("2026-11-20T09:00:00Z"));
    pt_snapshot_init(&s, named, PT_FMT_POOLMON_SNAPSHOT);
    assert_int_equal(pt_capture_set_time(&s, named, "2026-11-21T00:00:00Z", &err), PT_OK);
    assert_int_equal(s.time_source, PT_TIME_AT);
    assert_int_equal(pt_capture_set_time(&s, named, "yesterday", &err), PT_EUSAGE);
    assert_string_equal(err.where, "--at");
    FILE *f = fopen(plain, "wb");
    fputs("Tag  Type  Allocs  Frees  Diff  Bytes  Per Alloc\n", f);
    fclose(f);
    pt_snapshot_init(&s, plain, PT_FMT_POOLMON_SNAPSHOT);
    assert_int_equal(pt_capture_set_time(&s, plain, NULL, &err), PT_OK);
    assert_int_equal(s.time_source, PT_TIME_MTIME);
    pt_file_info st;
    assert_true(pt_platform_stat(plain, &st));
    assert_int_equal(s.time, st.mtime);
    pt_platform_remove(named);
    pt_platform_remove(plain);
    pt_platform_rmdir(dir);
}

static void allocation_failures_in_a_series_are_reported(void **state)
{
    (void)state;
    for (long fail = 0; fail < 40; fail++) {
        pt_arena *a = pt_arena_new();
        if (a == NULL)
            continue;
        pt_snapshot s[2] = {snap1(a, 0, "Leak", 1, 0, 1), snap1(a, 60, "Leak", 2, 0, 2)};
        pt_series sr;
        pt_error err = {0};
        pt_alloc_fail_after(fail);
        pt_code rc = pt_series_build(a, s, 2, NULL, &sr, &err);
        pt_alloc_fail_after(-1);
        assert_true(rc == PT_OK || rc == PT_ENOMEM);
        if (rc == PT_OK)
            assert_int_equal(sr.tags[0].delta_bytes, 1);
        pt_arena_free(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_32_bit_alloc_counter_that_wraps_is_unwrapped, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(allocs_below_frees_in_one_capture_means_allocs_wrapped_first, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(a_64_bit_counter_that_drops_is_a_reset_not_a_wrap, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(steady_growth_is_told_from_noisy_growth, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(the_rising_share_threshold_holds_at_exactly_80_percent, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(the_growth_thresholds_hold_at_exactly_10_percent_and_16_mib, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(an_unknown_order_is_flagged_and_no_growth_is_guessed, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(the_drsd_samples_give_the_growth_of_the_print_job, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(least_squares_is_exact_on_a_line_and_on_known_points, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(a_tag_absent_from_a_capture_counts_as_zero_bytes_there, test_arena_setup, test_arena_teardown),
        cmocka_unit_test_setup_teardown(sorting_puts_captures_without_a_time_last, test_arena_setup, test_arena_teardown),
        cmocka_unit_test(content_times_are_read_from_script_lines_and_windbg),
        cmocka_unit_test_setup_teardown(a_capture_is_dated_by_at_then_name_then_content_then_mtime, test_arena_setup, test_arena_teardown),
        cmocka_unit_test(allocation_failures_in_a_series_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
