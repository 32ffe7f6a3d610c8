/* test_support.h - helpers shared by the cmocka unit tests. */
#ifndef PT_TEST_SUPPORT_H
#define PT_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pooltriage/pooltriage.h"

/* The stage-private headers some unit tests reach into (the text toolkit,
 * the tag scanner's internals, the judge's facts); nothing else in tests/
 * includes an engine header that is not public. */
#include "collect_int.h"
#include "judge_int.h"
#include "pt_json.h"
#include "pt_report.h"
#include "scan_int.h"

/* rm -rf of path through the platform layer (no shell, so it works on
 * Windows too); 0, or -1 when something could not be removed. */
int test_remove_tree(const char *path);
/* dir + the system's separator + name, in a static buffer that the next
 * call overwrites. */
const char *test_join(const char *dir, const char *name);

/* Path of a file under tests/fixtures, in a static buffer that the next
 * call overwrites. */
const char *fixture(const char *rel);
/* A capture fixture (tests/fixtures/REL), or a capture's text (as
 * "mem.txt"), parsed in the test's arena (*state), the format detected;
 * the test fails when it does not parse. */
pt_snapshot test_capture(void **state, const char *rel);
pt_snapshot test_capture_text(void **state, const char *text);
/* The row of `tag` in `pool`; the test fails when there is none. */
const pt_pool_row *test_row(const pt_snapshot *s, const char *tag, pt_pool_type pool);
/* Reads a fixture whole into arena memory; fails the test if it can't. */
char *fixture_text(pt_arena *arena, const char *rel, size_t *len);

/* Per-test setup and teardown giving each test a fresh pt_arena in *state;
 * the teardown also turns allocation fault injection off. */
int test_arena_setup(void **state);
int test_arena_teardown(void **state);

/* A fixture PE file with its PE facts and Authenticode signer. */
typedef struct test_signed {
    uint8_t *data;
    size_t len;
    pt_pe_info pe;
    pt_signer sig;
} test_signed;
void test_load_signed(pt_arena *arena, const char *rel, test_signed *out);

/* Builds the shipped KB (kb/issues, kb/tags, rules) into a temporary file
 * once per test program; returns its path (NULL on failure). */
const char *test_kb_path(void);
/* Removes that file (call from the group teardown). */
void test_kb_remove(void);
/* That KB, built and opened once; closed and removed by test_kb_teardown. */
pt_kb *test_kb(void);
/* Group setup and teardown that build (and open) and remove it. */
int test_kb_setup(void **state);
int test_kb_teardown(void **state);

#endif
