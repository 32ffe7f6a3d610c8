/* test_findings.c - the judge stage's last step: a finding gets the bytes
 * of the suspects table, its growth, and the hours until its pool's limit,
 * against the best limit the capture gives (!vm NonPagedPool Max, else the
 * available memory, else the commit limit; paged pool: the commit limit). */
#include "test_support.h"

#include <string.h>

#define GIB (1024.0 * 1024 * 1024)

/* One capture with every header figure unknown, a 1 GiB non-paged "LeaK"
 * row and a 256 MiB paged "PagD" row; suspects with a growth of 1 GiB/h. */
static void make(pt_verdict *v, pt_snapshot *s, pt_pool_row rows[2], pt_suspect sus[2],
                 pt_finding *f)
{
    memset(v, 0, sizeof *v);
    memset(s, 0, sizeof *s);
    s->source = "cap.txt";
    s->time = PT_UNKNOWN;
    s->memory_kb = s->avail_kb = s->commit_kb = s->limit_kb = s->peak_kb = PT_UNKNOWN;
    s->nonpaged_kb = s->paged_kb = s->nonpaged_max_kb = PT_UNKNOWN;
    s->nonpaged_bytes = s->paged_bytes = PT_UNKNOWN;
    memset(rows, 0, 2 * sizeof *rows);
    memcpy(rows[0].tag, "LeaK", 5);
    rows[0].pool = PT_POOL_NONPAGED;
    rows[0].bytes = (uint64_t)GIB;
    memcpy(rows[1].tag, "PagD", 5);
    rows[1].pool = PT_POOL_PAGED;
    rows[1].bytes = 256u * 1024 * 1024;
    s->rows = rows;
    s->row_count = 2;
    memset(sus, 0, 2 * sizeof *sus);
    for (int i = 0; i < 2; i++) {
        memcpy(sus[i].tag, rows[i].tag, 5);
        sus[i].pool = rows[i].pool;
        sus[i].bytes = rows[i].bytes;
        sus[i].share = 0.5;
        sus[i].has_growth = true;
        sus[i].steady = true;
        sus[i].growth_bytes_per_hour = GIB;
    }
    v->snapshots = s;
    v->snapshot_count = 1;
    v->suspects = sus;
    v->suspect_count = 2;
    memset(f, 0, sizeof *f);
    f->rule = "r";
    f->kind = "leak";
    f->level = PT_LEVEL_LIKELY;
    f->title = "LeaK leaks";
    memcpy(f->tag, "LeaK", 5);
    v->findings = f;
    v->finding_count = 1;
}

static void the_vm_maximum_is_the_best_limit(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    pt_snapshot s;
    pt_pool_row rows[2];
    pt_suspect sus[2];
    pt_finding f;
    make(&v, &s, rows, sus, &f);
    s.nonpaged_max_kb = 8 * 1024 * 1024;    /* 8 GiB */
    s.nonpaged_kb = 2 * 1024 * 1024;        /* 2 GiB in use */
    s.avail_kb = 1024;                      /* ignored: the max is better */
    s.limit_kb = 100;
    s.commit_kb = 50;
    pt_findings_finish(a, &v);
    assert_int_equal(f.limit_source, PT_LIMIT_VM_NONPAGED_MAX);
    assert_string_equal(pt_limit_source_name(f.limit_source), "!vm NonPagedPool Max");
    assert_true(f.time_to_limit_hours > 5.99 && f.time_to_limit_hours < 6.01); /* 6 GiB at 1 GiB/h */
    assert_int_equal(f.bytes, (uint64_t)GIB);                 /* the suspects table's bytes */
    assert_true(f.has_pool && f.pool == PT_POOL_NONPAGED);
    assert_non_null(strstr(f.title, "growing 1024.0 MiB/h steadily"));
    assert_non_null(strstr(f.title, "(!vm NonPagedPool Max) in about 6.0 h"));
    pt_arena_free(a);
}

static void without_the_maximum_the_available_memory_then_the_commit_limit(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    pt_snapshot s;
    pt_pool_row rows[2];
    pt_suspect sus[2];
    pt_finding f;
    make(&v, &s, rows, sus, &f);
    s.avail_kb = 3 * 1024 * 1024;           /* 3 GiB left */
    s.limit_kb = 16 * 1024 * 1024;
    s.commit_kb = 8 * 1024 * 1024;
    pt_findings_finish(a, &v);
    assert_int_equal(f.limit_source, PT_LIMIT_AVAILABLE);
    assert_true(f.time_to_limit_hours > 2.99 && f.time_to_limit_hours < 3.01);
    make(&v, &s, rows, sus, &f);
    s.limit_kb = 16 * 1024 * 1024;
    s.commit_kb = 8 * 1024 * 1024;          /* 8 GiB of room */
    pt_findings_finish(a, &v);
    assert_int_equal(f.limit_source, PT_LIMIT_COMMIT);
    assert_true(f.time_to_limit_hours > 7.99 && f.time_to_limit_hours < 8.01);
    pt_arena_free(a);
}

static void paged_pool_runs_into_the_commit_limit_only(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    pt_snapshot s;
    pt_pool_row rows[2];
    pt_suspect sus[2];
    pt_finding f;
    make(&v, &s, rows, sus, &f);
    memcpy(f.tag, "PagD", 5);
    s.nonpaged_max_kb = 8 * 1024 * 1024;
    s.avail_kb = 1024;
    pt_findings_finish(a, &v);
    assert_int_equal(f.limit_source, PT_LIMIT_NONE);
    assert_true(f.time_to_limit_hours < 0);
    assert_true(f.pool == PT_POOL_PAGED);
    make(&v, &s, rows, sus, &f);
    memcpy(f.tag, "PagD", 5);
    s.limit_kb = 2 * 1024 * 1024;
    s.commit_kb = 1024 * 1024;
    pt_findings_finish(a, &v);
    assert_int_equal(f.limit_source, PT_LIMIT_COMMIT);
    assert_true(f.time_to_limit_hours > 0.99 && f.time_to_limit_hours < 1.01);
    pt_arena_free(a);
}

static void no_growth_no_time_and_a_tag_outside_the_suspects_gets_its_row(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_verdict v;
    pt_snapshot s;
    pt_pool_row rows[2];
    pt_suspect sus[2];
    pt_finding f;
    make(&v, &s, rows, sus, &f);
    sus[0].has_growth = false;
    s.avail_kb = 1024;
    pt_findings_finish(a, &v);
    assert_int_equal(f.limit_source, PT_LIMIT_AVAILABLE);
    assert_true(f.time_to_limit_hours < 0);
    assert_false(f.has_growth);
    assert_string_equal(f.title, "LeaK leaks");
    make(&v, &s, rows, sus, &f);
    v.suspect_count = 0;                    /* not ranked: the capture's row */
    pt_findings_finish(a, &v);
    assert_int_equal(f.bytes, (uint64_t)GIB);
    assert_true(f.has_pool && f.pool == PT_POOL_NONPAGED);
    assert_int_equal(f.capture_count, 1);
    pt_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_vm_maximum_is_the_best_limit),
        cmocka_unit_test(without_the_maximum_the_available_memory_then_the_commit_limit),
        cmocka_unit_test(paged_pool_runs_into_the_commit_limit_only),
        cmocka_unit_test(no_growth_no_time_and_a_tag_outside_the_suspects_gets_its_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
