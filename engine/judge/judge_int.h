/*
 * judge_int.h - shared inside the judge stage (rules.c, rules_facts.c,
 * rules_case.c, kb*.c, findings.c): the facts of one rule run, and the
 * folding of findings into problems.
 */
#ifndef PT_JUDGE_INT_H
#define PT_JUDGE_INT_H

#include "pooltriage/pooltriage.h"
#include "pooltriage/limits.h"

struct sqlite3;

/* The KB's database handle, for the judge stage's own queries only. */
struct sqlite3 *kb_db(pt_kb *kb);

/* pt_kb_check_file that also inserts the entry into db (kb build). */
pt_code pt_kb_check_file_into(pt_arena *arena, const char *path, const char *shown,
                              struct sqlite3 *db, pt_error *err);


/* What one rule run judges: the verdict's facts and the KB. */
typedef struct pt_judge {
    pt_arena *arena;
    pt_kb *kb;
    const pt_verdict *verdict;
    pt_error *kb_failure;        /* the first KB query that failed (a damaged
                                    KB ends the whole run, exit 4); may be NULL */
} pt_judge;

/* Records err as the run's KB failure (the first one wins) when it is one:
 * PT_EKB from a KB query.  Returns whether it was. */
bool pt_judge_kb_failed(pt_judge *j, const pt_error *err);

struct lua_State;
/* Pushes the sealed, read-only `ctx` table of a rule run. */
void pt_rules_push_ctx(struct lua_State *L, pt_judge *j);

/* One problem is one finding: folds findings[0..*count) in place so that
 * findings about the same tag and driver become one, which keeps every tag
 * and every rule as a reason, the strongest leading; then recomputes each
 * fingerprint. */
void pt_findings_fold(pt_arena *arena, pt_finding *findings, size_t *count);

#endif /* PT_JUDGE_INT_H */
