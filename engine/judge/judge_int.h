/*
 * judge_int.h - shared inside the judge stage (rules.c, rules_facts.c,
 * rules_case.c, kb*.c): the facts of one rule run.
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
} pt_judge;

struct lua_State;
/* Pushes the sealed, read-only `ctx` table of a rule run. */
void pt_rules_push_ctx(struct lua_State *L, pt_judge *j);


#endif /* PT_JUDGE_INT_H */
