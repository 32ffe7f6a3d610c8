/* fuzz_rule_case.c - libFuzzer target for the rule test case reader
 * (rules_case.c, lua_sandbox.c): pt_rule_case_run with no rule, which only
 * loads and checks the case file.  The KB comes from $POOLTRIAGE_FUZZ_KB,
 * else it is built once from kb/issues and rules (run from the repository
 * root, as scripts/fuzz.sh does).  Seeds: rules/tests, tests/fixtures/rules. */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pt_kb *kb;
static char built[64];

static void cleanup(void) { pt_kb_close(kb); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    pt_error err = {0};
    const char *path = getenv("POOLTRIAGE_FUZZ_KB");
    if (path == NULL || path[0] == '\0') {
        snprintf(built, sizeof built, "/tmp/fuzz_rule_case_kb_%ld.sqlite", (long)pt_platform_pid());
        if (pt_kb_build("kb/issues", "rules", built, &err) != PT_OK) {
            fprintf(stderr, "fuzz_rule_case: %s: %s (run from the repository root or set "
                    "POOLTRIAGE_FUZZ_KB)\n", err.where, err.message);
            abort();
        }
        path = built;
    }
    pt_code rc = pt_kb_open(path, &kb, &err);
    if (built[0])
        pt_platform_remove(built); /* the open handle keeps it; nothing is left after a crash */
    if (rc != PT_OK) {
        fprintf(stderr, "fuzz_rule_case: %s: %s\n", err.where, err.message);
        abort();
    }
    atexit(cleanup);
    return 0;
}

static void check(const pt_verdict *v)
{
    for (size_t i = 0; i < v->snapshot_count; i++) {
        const pt_snapshot *s = &v->snapshots[i];
        for (size_t k = 0; k < s->row_count; k++)
            if (strlen(s->rows[k].tag) != 4)
                abort();
    }
    for (size_t i = 0; i < v->suspect_count; i++)
        if (strlen(v->suspects[i].tag) != 4)
            abort();
    for (size_t i = 0; i < v->attribution_count; i++)
        for (size_t k = 0; k < v->attributions[i].candidate_count; k++) {
            const pt_driver *d = v->attributions[i].candidates[k].driver;
            if (d < v->drivers || d >= v->drivers + v->driver_count)
                abort();
        }
    for (size_t i = 0; i < v->driver_file_count; i++)
        if (v->driver_files[i].name == NULL || v->driver_files[i].path == NULL)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    pt_arena *arena = pt_arena_new();
    if (arena == NULL)
        return 0;
    pt_verdict v;
    const char *failure = NULL;
    pt_error err = {0};
    pt_code rc = pt_rule_case_run(arena, kb, NULL, "case.lua", (const char *)data, len, &v,
                                  &failure, &err);
    if (rc == PT_OK)
        check(&v);
    else if (rc != PT_ERULE || err.message[0] == '\0')
        abort(); /* a bad case file is PT_ERULE, explained */
    if (failure != NULL)
        abort(); /* with no rule nothing is compared */
    pt_arena_free(arena);
    return 0;
}
