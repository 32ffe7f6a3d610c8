/* test_tagscan.c - one pass finds every tag of a set, across read chunks. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct hits {
    pt_tag_hit v[64];
    size_t n;
    size_t stop_after;
} hits;

static bool collect(void *ctx, const pt_tag_hit *h)
{
    hits *x = ctx;
    if (x->n < 64)
        x->v[x->n] = *h;
    x->n++;
    return x->stop_after == 0 || x->n < x->stop_after;
}

static void every_tag_of_the_set_is_found_with_its_offset(void **state)
{
    (void)state;
    const char tags[3][5] = {"MFeS", "NFeS", "Irp "};
    pt_tagset *set = pt_tagset_new(tags, 3);
    assert_non_null(set);
    assert_int_equal(pt_tagset_count(set), 3);
    const char buf[] = "xxMFeSyyIrp zzNFeSMFeSMFe";
    hits h = {0};
    pt_tagscan_buffer(set, (const uint8_t *)buf, sizeof buf - 1, 1000, collect, &h);
    assert_int_equal(h.n, 4);
    assert_int_equal(h.v[0].offset, 1002);
    assert_string_equal(pt_tagset_tag(set, h.v[0].tag_index), "MFeS");
    assert_int_equal(h.v[1].offset, 1008);
    assert_string_equal(pt_tagset_tag(set, h.v[1].tag_index), "Irp ");
    assert_string_equal(pt_tagset_tag(set, h.v[2].tag_index), "NFeS");
    assert_int_equal(h.v[3].offset, 1018);
    pt_tagset_free(set);
}

static void one_tag_uses_the_same_answers(void **state)
{
    (void)state;
    const char tags[2][5] = {"WDiv", "WDiv"};
    pt_tagset *set = pt_tagset_new(tags, 2);
    assert_int_equal(pt_tagset_count(set), 1); /* duplicates fold */
    const char buf[] = "WDivWDiWDivW";
    hits h = {0};
    pt_tagscan_buffer(set, (const uint8_t *)buf, sizeof buf - 1, 0, collect, &h);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.v[0].offset, 0);
    assert_int_equal(h.v[1].offset, 7);
    h.n = 0;
    h.stop_after = 1;
    pt_tagscan_buffer(set, (const uint8_t *)buf, sizeof buf - 1, 0, collect, &h);
    assert_int_equal(h.n, 1);
    pt_tagset_free(set);
}

static void tags_straddling_read_chunks_are_found_once(void **state)
{
    (void)state;
    char path[] = "/tmp/pt_tagscan_XXXXXX";
    int fd = pt_platform_temp_file(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    /* place a tag across every possible boundary of a 64-byte buffer */
    size_t expected = 0;
    for (int i = 0; i < 200; i++) {
        fputs(i % 7 == 0 ? "MFeS" : "....", f);
        expected += i % 7 == 0;
        fputc('.', f);
    }
    fclose(f);
    const char tags[2][5] = {"MFeS", "zzzz"};
    pt_tagset *set = pt_tagset_new(tags, 2);
    uint8_t scratch[64];
    hits h = {0};
    pt_error err = {0};
    assert_int_equal(pt_tagscan_file(set, path, scratch, sizeof scratch, collect, &h, &err), PT_OK);
    assert_int_equal(h.n, expected);
    for (size_t i = 0; i < h.n && i < 64; i++)
        assert_int_equal(h.v[i].offset, i * 7 * 5);
    assert_int_equal(pt_tagscan_file(set, "/nonexistent", scratch, sizeof scratch, collect, &h,
                                     &err), PT_EIO);
    pt_tagset_free(set);
    pt_platform_remove(path);
}

static void a_thousand_tags_find_only_the_present_ones(void **state)
{
    (void)state;
    char (*tags)[5] = calloc(1000, 5);
    for (int i = 0; i < 1000; i++)
        snprintf(tags[i], 5, "T%03d", i);
    pt_tagset *set = pt_tagset_new((const char (*)[5])tags, 1000);
    const char buf[] = "....T999....T000..T500.T5";
    hits h = {0};
    pt_tagscan_buffer(set, (const uint8_t *)buf, sizeof buf - 1, 0, collect, &h);
    assert_int_equal(h.n, 3);
    assert_string_equal(pt_tagset_tag(set, h.v[0].tag_index), "T999");
    assert_string_equal(pt_tagset_tag(set, h.v[2].tag_index), "T500");
    pt_tagset_free(set);
    free(tags);
}

static void the_example_driver_holds_its_tags_and_the_others_do_not(void **state)
{
    (void)state;
    const char tags[2][5] = {"NFeS", "MFeS"};
    pt_tagset *set = pt_tagset_new(tags, 2);
    uint8_t scratch[4096];
    hits h = {0};
    pt_error err = {0};
    assert_int_equal(pt_tagscan_file(set, fixture("drivers/bin/x64/mfeavfk.sys"), scratch,
                                     sizeof scratch, collect, &h, &err), PT_OK);
    assert_true(h.n >= 4); /* each tag at its allocation and its free */
    h.n = 0;
    assert_int_equal(pt_tagscan_file(set, fixture("drivers/bin/x64/ctsnet.sys"), scratch,
                                     sizeof scratch, collect, &h, &err), PT_OK);
    assert_int_equal(h.n, 0);
    pt_tagset_free(set);
}


/* Every hit of a buffer, as (tag, offset) pairs in order. */
typedef struct all_hits {
    pt_tag_hit *v;
    size_t n, cap;
} all_hits;

static bool collect_all(void *ctx, const pt_tag_hit *h)
{
    all_hits *x = ctx;
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 256;
        x->v = realloc(x->v, x->cap * sizeof *x->v);
        assert_non_null(x->v);
    }
    x->v[x->n++] = *h;
    return true;
}

static void simd_and_scalar_paths_give_identical_hits_on_random_buffers(void **state)
{
    (void)state;
    srand(4242);
    const size_t counts[] = {1, 2, 5, PT_TAGSCAN_SIMD_TAGS, PT_TAGSCAN_SIMD_TAGS + 1, 40,
                             PT_TAGSCAN_TEDDY_TAGS, PT_TAGSCAN_TEDDY_TAGS + 1, 700};
    int best = pt_tagscan_simd(-1);
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        size_t n = counts[c];
        char (*tags)[5] = calloc(n, 5);
        for (size_t t = 0; t < n; t++)
            for (int k = 0; k < 4; k++)
                tags[t][k] = "A0b 1C"[rand() % (n > 100 ? 6 : 4)]; /* few bytes: many hits */
        pt_tagset *set = pt_tagset_new((const char (*)[5])tags, n);
        for (int round = 0; round < 20; round++) {
            size_t len = (size_t)(rand() % 5000);
            uint8_t *buf = malloc(len + 1);
            for (size_t i = 0; i < len; i++)
                buf[i] = (uint8_t)("A0b 1Cx\0\xe1"[rand() % 9]);
            all_hits ref = {0};
            pt_tagscan_simd(0);
            pt_tagscan_buffer(set, buf, len, 7, collect_all, &ref);
            for (int level = 1; level <= best; level++) {
                all_hits got = {0};
                assert_int_equal(pt_tagscan_simd(level), level);
                pt_tagscan_buffer(set, buf, len, 7, collect_all, &got);
                assert_int_equal(got.n, ref.n);
                for (size_t i = 0; i < ref.n; i++) {
                    assert_int_equal(got.v[i].tag_index, ref.v[i].tag_index);
                    assert_int_equal(got.v[i].offset, ref.v[i].offset);
                }
                free(got.v);
            }
            /* and the reference is right: every position checked by hand */
            size_t expect = 0;
            for (size_t i = 0; i + 4 <= len; i++)
                for (size_t t = 0; t < pt_tagset_count(set); t++)
                    expect += memcmp(buf + i, pt_tagset_tag(set, t), 4) == 0;
            assert_int_equal(ref.n, expect);
            free(ref.v);
            free(buf);
        }
        pt_tagscan_simd(best);
        pt_tagset_free(set);
        free(tags);
    }
}

static void the_simd_level_is_chosen_at_run_time_and_named(void **state)
{
    (void)state;
    int level = pt_tagscan_simd(99); /* capped at what the CPU has */
    assert_true(level >= 0 && level <= 2);
    assert_int_equal(pt_tagscan_simd(-1), level);
    const char *name = pt_tagscan_simd_name();
    assert_string_equal(name, level == 2 ? "avx2" : level == 1 ? "sse2" : "scalar");
    assert_int_equal(pt_tagscan_simd(0), 0);
    assert_string_equal(pt_tagscan_simd_name(), "scalar");
    pt_tagscan_simd(level);
}

static void a_tag_is_found_by_its_index_and_an_absent_one_is_not(void **state)
{
    (void)state;
    const char tags[3][5] = {"MFeS", "Irp ", "MFeS"};
    pt_tagset *set = pt_tagset_new(tags, 3);
    assert_int_equal(pt_tagset_find(set, "Irp "), 1);
    assert_int_equal(pt_tagset_find(set, "MFeS"), 0);
    assert_int_equal(pt_tagset_find(set, "Irp_"), -1);
    pt_tagset_free(set);
}

static bool count_hit(void *ctx, const pt_tag_hit *hit)
{
    uint64_t *v = ctx;
    v[0]++;
    v[1] += hit->offset;
    return true;
}

static void one_tag_by_memchr_finds_what_the_scalar_path_finds(void **state)
{
    (void)state;
    srand(7);
    size_t len = 1 << 16;
    uint8_t *buf = malloc(len);
    /* every byte position of the rarest byte, and tags cut at the ends */
    const char tags[4][5] = {"Zq9x", "\x00\x00Ab", "ab  ", "MFeS"};
    for (int t = 0; t < 4; t++) {
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)(rand() % 4 == 0 ? tags[t][rand() % 4] : rand() % 256);
        for (int k = 0; k < 50; k++)
            memcpy(buf + (size_t)rand() % (len - 4), tags[t], 4);
        memcpy(buf, tags[t], 4);
        memcpy(buf + len - 4, tags[t], 4);
        pt_tagset *set = pt_tagset_new(&tags[t], 1);
        uint64_t fast[2] = {0, 0}, slow[2] = {0, 0};
        pt_tagscan_simd(-2);
        pt_tagscan_buffer(set, buf, len, 0, count_hit, fast);
        pt_tagscan_simd(0);
        pt_tagscan_buffer(set, buf, len, 0, count_hit, slow);
        pt_tagscan_simd(-2);
        assert_true(fast[0] >= 52);
        assert_int_equal(fast[0], slow[0]);
        assert_int_equal(fast[1], slow[1]);
        pt_tagset_free(set);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_tag_of_the_set_is_found_with_its_offset),
        cmocka_unit_test(one_tag_by_memchr_finds_what_the_scalar_path_finds),
        cmocka_unit_test(one_tag_uses_the_same_answers),
        cmocka_unit_test(tags_straddling_read_chunks_are_found_once),
        cmocka_unit_test(a_thousand_tags_find_only_the_present_ones),
        cmocka_unit_test(the_example_driver_holds_its_tags_and_the_others_do_not),
        cmocka_unit_test(simd_and_scalar_paths_give_identical_hits_on_random_buffers),
        cmocka_unit_test(the_simd_level_is_chosen_at_run_time_and_named),
        cmocka_unit_test(a_tag_is_found_by_its_index_and_an_absent_one_is_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
