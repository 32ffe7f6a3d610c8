/*
 * judge_int.h - shared inside the judge stage (rules.c, rules_load.c,
 * rules_child.c, rules_facts.c, rules_case.c, kb*.c, findings.c): the facts
 * of one rule run, the child's side of it, the one check of a finding, and
 * the folding of findings into problems.
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
/* The facts of a verdict as plain Lua tables (rules_facts.c): host,
 * captures, suspects, drivers, attributions, candidates, searched,
 * driver_files, pool and kb_version.  They cross into a rule's process as
 * bytes (facts_wire.c); there pt_facts_bind turns the facts table at the
 * top of the stack into the sealed, read-only `ctx` a rule sees, with its
 * functions (kb.lookup and kb.tag_facts over j->kb). */
void pt_facts_push(struct lua_State *L, pt_arena *arena, const pt_verdict *v);
void pt_facts_bind(struct lua_State *L, pt_judge *j);
/* The value that stands for a known but null fact. */
void pt_facts_push_null(struct lua_State *L);
bool pt_facts_is_null(struct lua_State *L, int idx);

/* Reading the bytes of facts_wire.c. */
typedef struct pt_wire {
    const uint8_t *data;
    size_t len, off;
} pt_wire;
void pt_wire_put_str(pt_buf *b, const char *s, size_t len);
/* A length-prefixed string, pointing into w's data; false (w unchanged)
 * when the input is cut short. */
bool pt_wire_get_str(pt_wire *w, const char **s, size_t *len);
/* A rule's name and text as two wire strings, and back: the name copied
 * into the arena (NUL-terminated), the text pointing into w's data; false
 * when cut short or out of memory. */
void pt_wire_put_source(pt_buf *b, const pt_rule_source *src);
bool pt_wire_get_source(pt_wire *w, pt_arena *arena, pt_rule_source *out);
/* Appends the value at idx; false when it holds what the wire cannot
 * carry (a function, a userdata, tables nested past 32). */
bool pt_facts_encode(struct lua_State *L, int idx, pt_buf *out);
/* Pushes the facts table that is all of w's remaining bytes; false with
 * *why (and nothing pushed) when they are not one.  May raise a Lua memory
 * error: call it protected. */
bool pt_facts_decode(struct lua_State *L, pt_wire *w, const char **why);

/* Runs the rule chunk in L (rules_load.c); leaves its table on the stack
 * and fills meta.  PT_ERULE with *rerr filled when it is not a rule. */
pt_code pt_rule_load(struct lua_State *L, pt_arena *arena, const pt_rule_source *src,
                     pt_rule_meta *meta, pt_rule_error *rerr);
/* pt_rule_meta_read within limit_ms of the child's time. */
pt_code pt_rule_meta_read_within(pt_arena *arena, const char *name, const char *text,
                                 size_t len, unsigned limit_ms, pt_rule_meta *out,
                                 pt_error *err);

/* One rule run in a child process (rules_child.c).  Its input, from
 * pt_rule_child_input: the rule's name and text and the KB's path (wire
 * strings), then the facts.  The child writes {"loaded", "id", "ok",
 * "findings": [each as the rule wrote it], "errors": [...], "kb_error"}. */
void pt_rule_child_input(pt_buf *in, const pt_rule_source *src, const char *kb_path,
                         const pt_buf *facts);
void pt_rule_child_run(const uint8_t *in, size_t len, pt_buf *out);

struct cJSON;
/* Checks one finding the child sent (findings.c), in the parent: fills *f,
 * pointing into j's verdict and KB, with its fingerprint.  NULL, or why the
 * finding is refused (the rule error's message). */
const char *pt_finding_check(pt_judge *j, const struct cJSON *o, const char *rule_id,
                             pt_finding *f);

/* One problem is one finding: folds findings[0..*count) in place so that
 * findings about the same tag and driver become one, which keeps every tag
 * and every rule as a reason, the strongest leading; then recomputes each
 * fingerprint. */
void pt_findings_fold(pt_arena *arena, pt_finding *findings, size_t *count);

#endif /* PT_JUDGE_INT_H */
