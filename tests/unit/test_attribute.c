/* test_attribute.c - the attribute stage on its own: plain structs in (hits
 * with the bytes the scan kept around each, described drivers, suspects,
 * hints), ranked candidates out, no file touched. */
#include "test_support.h"

#include <stdint.h>
#include <string.h>

#define TEXT_RAW 0x400u
#define TEXT_VA 0x1000u
#define IAT_ALLOC 0x3000u

/* An x64 driver with one code section and ExAllocatePoolWithTag imported
 * through the IAT slot at RVA 0x3000.  No file behind it. */
static pt_driver synthetic_driver(pt_section *text, const char *name)
{
    memset(text, 0, sizeof *text);
    strcpy(text->name, ".text");
    text->virtual_address = TEXT_VA;
    text->virtual_size = 0x1000;
    text->raw_offset = TEXT_RAW;
    text->raw_size = 0x1000;
    text->characteristics = PT_SCN_CNT_CODE | PT_SCN_MEM_EXECUTE;
    pt_driver d;
    memset(&d, 0, sizeof d);
    d.path = name;
    d.name = name;
    d.size = 0x2000;
    d.pe_read = true;
    d.pe.machine = 0x8664;
    d.pe.sections = text;
    d.pe.section_count = 1;
    d.pe.pool_imports = PT_IMP_EXALLOCATEPOOLWITHTAG;
    d.pe.pool_iat_rva[0] = IAT_ALLOC;
    return d;
}

/* The bytes around a tag at `off`: mov r8d, 'tag'; call [rip+rel] to the
 * ExAllocatePoolWithTag slot (or, with `jump`, a tail jump through it). */
static pt_hit_window call_window(uint64_t off, const char *tag, bool jump)
{
    pt_hit_window w;
    memset(&w, 0x90, sizeof w);
    w.before = PT_HIT_BEFORE;
    w.len = PT_HIT_WINDOW;
    uint8_t *t = w.bytes + PT_HIT_BEFORE;
    t[-2] = 0x41;
    t[-1] = 0xB8;
    memcpy(t, tag, 4);
    t[4] = 0xFF;
    t[5] = jump ? 0x25 : 0x15;
    uint64_t next = TEXT_VA + (off + 4 + 6 - TEXT_RAW);
    uint32_t rel = (uint32_t)(IAT_ALLOC - next);
    for (int i = 0; i < 4; i++)
        t[6 + i] = (uint8_t)(rel >> (8 * i));
    return w;
}

#define IAT_FREE 0x3008u

/* mov edx, 'tag'; call [rip+rel] to the ExFreePoolWithTag slot. */
static pt_hit_window free_window(uint64_t off, const char *tag)
{
    pt_hit_window w = call_window(off, tag, false);
    uint8_t *t = w.bytes + PT_HIT_BEFORE;
    t[-2] = 0x90;
    t[-1] = 0xBA;
    uint64_t next = TEXT_VA + (off + 4 + 6 - TEXT_RAW);
    uint32_t rel = (uint32_t)(IAT_FREE - next);
    for (int i = 0; i < 4; i++)
        t[6 + i] = (uint8_t)(rel >> (8 * i));
    return w;
}

static void a_tag_loaded_for_a_pool_call_is_immediate_evidence(void **state)
{
    (void)state;
    pt_section s;
    pt_driver d = synthetic_driver(&s, "a.sys");
    pt_hit_window w = call_window(0x500, "MFeS", false);
    pt_evidence e = pt_attribute_classify(&d, &w, 0x500);
    assert_int_equal(e.kind, PT_EV_IMMEDIATE);
    assert_string_equal(e.detail, "mov r8d, imm32; call ExAllocatePoolWithTag");
    assert_string_equal(e.section, ".text");
    assert_int_equal(e.offset, 0x500);
    /* a tail jump through the slot is code, not a call */
    w = call_window(0x500, "MFeS", true);
    e = pt_attribute_classify(&d, &w, 0x500);
    assert_int_equal(e.kind, PT_EV_CODE);
    assert_string_equal(e.detail, "mov r8d, imm32; tail jump to a pool API");
}

static void missing_bytes_or_facts_weaken_the_evidence(void **state)
{
    (void)state;
    pt_section s;
    pt_driver d = synthetic_driver(&s, "a.sys");
    pt_hit_window w = call_window(0x500, "MFeS", false);
    /* the scan kept no bytes after the tag: only "in code" */
    w.len = PT_HIT_BEFORE + 4;
    assert_int_equal(pt_attribute_classify(&d, &w, 0x500).kind, PT_EV_CODE);
    /* no window at all */
    assert_int_equal(pt_attribute_classify(&d, NULL, 0x500).kind, PT_EV_CODE);
    /* outside every section: anywhere in the file */
    w = call_window(0x100, "MFeS", false);
    assert_int_equal(pt_attribute_classify(&d, &w, 0x100).kind, PT_EV_FILE);
    /* a data section */
    s.characteristics = 0x40000040u;
    pt_evidence e = pt_attribute_classify(&d, &w, 0x500);
    assert_int_equal(e.kind, PT_EV_FILE);
    assert_string_equal(e.section, ".text");
    /* not a PE image */
    d.pe_read = false;
    assert_int_equal(pt_attribute_classify(&d, &w, 0x500).kind, PT_EV_FILE);
}

/* A scan of three files: a.sys holds MFeS at 0x500 for a pool call,
 * b.sys holds it as plain data, ctsvid.sys holds nothing (its KMDF
 * default tag is ctsv), and notes.txt is only a name. */
typedef struct fixture_scan {
    pt_section sa, sb, sc;
    pt_driver drivers[3];
    pt_scan_file files[4];
    pt_file_tags hits[2];
    uint64_t off_a[1], off_b[1];
    pt_hit_window win_a[1], win_b[1];
    pt_scan_result scan;
    size_t driver_of[4];
} fixture_scan;

static void make_scan(fixture_scan *f)
{
    memset(f, 0, sizeof *f);
    f->off_a[0] = 0x500;
    f->win_a[0] = call_window(0x500, "MFeS", false);
    f->off_b[0] = 0x1800; /* past .text's raw data */
    f->win_b[0] = call_window(0x1800, "MFeS", false);
    f->hits[0] = (pt_file_tags){0, 1, f->off_a, f->win_a, 3};
    f->hits[1] = (pt_file_tags){0, 1, f->off_b, f->win_b, 1};
    const char *names[4] = {"a.sys", "b.sys", "ctsvid.sys", "notes.txt"};
    for (size_t i = 0; i < 4; i++) {
        f->files[i].path = names[i];
        f->files[i].name = names[i];
        f->files[i].size = 0x2000;
    }
    f->files[0].hits = &f->hits[0];
    f->files[0].hit_count = 1;
    f->files[1].hits = &f->hits[1];
    f->files[1].hit_count = 1;
    f->scan.files = f->files;
    f->scan.file_count = 4;
    f->drivers[0] = synthetic_driver(&f->sa, "a.sys");
    f->drivers[1] = synthetic_driver(&f->sb, "b.sys");
    f->drivers[2] = synthetic_driver(&f->sc, "ctsvid.sys");
    f->driver_of[0] = 0;
    f->driver_of[1] = 1;
    f->driver_of[2] = 2;
    f->driver_of[3] = SIZE_MAX;
}

static pt_suspect suspect(const char *tag, const char *mapped)
{
    pt_suspect s;
    memset(&s, 0, sizeof s);
    memcpy(s.tag, tag, 5);
    s.mapped_driver = mapped;
    return s;
}

static void select_marks_holders_kmdf_names_and_hinted_files(void **state)
{
    (void)state;
    fixture_scan f;
    make_scan(&f);
    const char tags[2][5] = {"MFeS", "ctsv"};
    pt_tagset *set = pt_tagset_new(tags, 2);
    pt_suspect s[2] = {suspect("MFeS", "notes.txt"), suspect("ctsv", NULL)};
    uint8_t marks[4];
    pt_attribute_select(s, 2, set, &f.scan, NULL, marks);
    assert_int_equal(marks[0], PT_ATTR_HOLDS);
    assert_int_equal(marks[1], PT_ATTR_HOLDS);
    assert_int_equal(marks[2], PT_ATTR_HOLDS); /* its KMDF default tag is in the set */
    assert_int_equal(marks[3], PT_ATTR_HINTED); /* only Mapped_Driver names it */
    pt_tagset_free(set);
}

static void candidates_are_ranked_from_hits_and_hints_without_any_file(void **state)
{
    pt_arena *a = *state;
    fixture_scan f;
    make_scan(&f);
    const char tags[2][5] = {"MFeS", "ctsv"};
    pt_tagset *set = pt_tagset_new(tags, 2);
    /* MFeS twice (both pools): attributed once */
    pt_suspect s[3] = {suspect("MFeS", "b.sys"), suspect("ctsv", NULL), suspect("MFeS", NULL)};
    pt_attribute_input in = {s, 3, set, &f.scan, f.drivers, 3, f.driver_of, NULL};
    pt_attribution *at;
    size_t n;
    pt_error err = {0};
    assert_int_equal(pt_attribute(a, &in, &at, &n, &err), PT_OK);
    assert_int_equal(n, 2);
    assert_string_equal(at[0].tag, "MFeS");
    assert_int_equal(at[0].candidate_count, 2);
    /* a.sys: the pool call, best */
    assert_ptr_equal(at[0].candidates[0].driver, &f.drivers[0]);
    assert_int_equal(at[0].candidates[0].best, PT_EV_IMMEDIATE);
    assert_true(at[0].candidates[0].confidence >= 0.9);
    /* b.sys: a hit outside its sections plus the Mapped_Driver hint */
    const pt_candidate *b = &at[0].candidates[1];
    assert_ptr_equal(b->driver, &f.drivers[1]);
    assert_int_equal(b->best, PT_EV_FILE);
    assert_int_equal(b->evidence_count, 2);
    assert_int_equal(b->evidence[1].kind, PT_EV_HINT);
    assert_string_equal(b->evidence[1].detail, "Mapped_Driver in the capture");
    assert_true(b->confidence < at[0].candidates[0].confidence);
    /* ctsv: ctsvid.sys by its KMDF default tag alone */
    assert_string_equal(at[1].tag, "ctsv");
    assert_int_equal(at[1].candidate_count, 1);
    assert_ptr_equal(at[1].candidates[0].driver, &f.drivers[2]);
    assert_int_equal(at[1].candidates[0].best, PT_EV_HINT);
    assert_string_equal(at[1].candidates[0].evidence[0].detail,
                        "KMDF default tag of the file name");
    pt_tagset_free(set);
}

static void a_tag_no_file_holds_has_no_candidates(void **state)
{
    pt_arena *a = *state;
    fixture_scan f;
    make_scan(&f);
    const char tags[1][5] = {"Zzzz"};
    pt_tagset *set = pt_tagset_new(tags, 1);
    pt_suspect s = suspect("Zzzz", NULL);
    f.files[0].hit_count = f.files[1].hit_count = 0;
    pt_attribute_input in = {&s, 1, set, &f.scan, f.drivers, 3, f.driver_of, NULL};
    pt_attribution *at;
    size_t n;
    pt_error err = {0};
    assert_int_equal(pt_attribute(a, &in, &at, &n, &err), PT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(at[0].candidate_count, 0);
    pt_tagset_free(set);
}

/* WinDivert64.sys frees its tag at lower offsets than it allocates it: the
 * evidence shown first must still be an allocation, the stronger proof of
 * who holds the pool, and then the frees, each group by offset. */
static void allocations_come_before_frees_whatever_their_offsets(void **state)
{
    pt_arena *a = *state;
    fixture_scan f;
    make_scan(&f);
    pt_driver *d = &f.drivers[0];
    d->pe.pool_imports |= PT_IMP_EXFREEPOOLWITHTAG;
    d->pe.pool_iat_rva[4] = IAT_FREE;
    uint64_t offs[4] = {0x440, 0x480, 0x500, 0x600};
    pt_hit_window wins[4] = {free_window(0x440, "MFeS"), free_window(0x480, "MFeS"),
                             call_window(0x500, "MFeS", false), call_window(0x600, "MFeS", false)};
    assert_string_equal(pt_attribute_classify(d, &wins[0], 0x440).detail,
                        "mov edx, imm32; call ExFreePoolWithTag");
    f.hits[0] = (pt_file_tags){0, 4, offs, wins, 4};
    f.files[1].hit_count = 0;
    const char tags[1][5] = {"MFeS"};
    pt_tagset *set = pt_tagset_new(tags, 1);
    pt_suspect s = suspect("MFeS", NULL);
    pt_attribute_input in = {&s, 1, set, &f.scan, f.drivers, 3, f.driver_of, NULL};
    pt_attribution *at;
    size_t n;
    pt_error err = {0};
    assert_int_equal(pt_attribute(a, &in, &at, &n, &err), PT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(at[0].candidate_count, 1);
    const pt_candidate *c = &at[0].candidates[0];
    assert_int_equal(c->evidence_count, 4);
    const uint64_t want_off[4] = {0x500, 0x600, 0x440, 0x480};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(c->evidence[i].kind, PT_EV_IMMEDIATE);
        assert_int_equal(c->evidence[i].offset, want_off[i]);
        assert_string_equal(c->evidence[i].detail,
                            i < 2 ? "mov r8d, imm32; call ExAllocatePoolWithTag"
                                  : "mov edx, imm32; call ExFreePoolWithTag");
    }
    pt_tagset_free(set);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, test_arena_setup, test_arena_teardown)
    const struct CMUnitTest tests[] = {
        T(a_tag_loaded_for_a_pool_call_is_immediate_evidence),
        T(missing_bytes_or_facts_weaken_the_evidence),
        T(select_marks_holders_kmdf_names_and_hinted_files),
        T(candidates_are_ranked_from_hits_and_hints_without_any_file),
        T(a_tag_no_file_holds_has_no_candidates),
        T(allocations_come_before_frees_whatever_their_offsets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
