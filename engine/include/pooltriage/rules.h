/*
 * pooltriage/rules.h - judge: Lua rules, findings and fingerprints.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_RULES_H
#define POOLTRIAGE_RULES_H

#include "kb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* judge: rules                                                        */
/* ------------------------------------------------------------------ */

typedef enum pt_level {
    PT_LEVEL_CLEAN = 0,
    PT_LEVEL_INFO = 1,
    PT_LEVEL_SUSPECT = 2,
    PT_LEVEL_LIKELY = 3,
    PT_LEVEL_KNOWN = 4
} pt_level;

/* "clean", "info", "suspect", "likely", "known". */
const char *pt_level_name(pt_level level);
/* Parses a level name; false when unknown. */
bool pt_level_parse(const char *name, pt_level *out);

typedef struct pt_rule_source {
    const char *name;     /* file name, used in messages ("known-issue.lua") */
    const char *text;
    size_t len;
} pt_rule_source;

/* What a rule file declares about itself. */
typedef struct pt_rule_meta {
    const char *id;
    const char *title;
    const char *author;
} pt_rule_meta;

/* Loads a rule file in the sandbox, in a child process, and reads its
 * metadata.  PT_ERULE (err->where "file:line") when the file does not
 * compile or lacks an id, a title or an evaluate function. */
pt_code pt_rule_meta_read(pt_arena *arena, const char *name, const char *text,
                          size_t len, pt_rule_meta *out, pt_error *err);
/* The rule sources stored in a KB, by id. */
pt_code pt_rules_from_kb(pt_arena *arena, pt_kb *kb, pt_rule_source **out,
                         size_t *out_count, pt_error *err);
/* The *.lua files of a folder, by name. */
pt_code pt_rules_from_dir(pt_arena *arena, const char *dir, pt_rule_source **out,
                          size_t *out_count, pt_error *err);
/* The test cases a KB stores for one rule, by name. */
pt_code pt_rule_cases_from_kb(pt_arena *arena, pt_kb *kb, const char *rule_id,
                              pt_rule_source **out, size_t *out_count, pt_error *err);

typedef struct pt_verdict pt_verdict;

/* Runs one rule on the facts of a test case file (rules/tests/ID/NAME.lua):
 * out gets what the rule found, *failure is NULL when the findings are
 * exactly the expected ones, else says why not.  With rule NULL it only
 * reads and checks the case file.  PT_ERULE (err) when the case file is
 * broken; PT_ENOMEM. */
pt_code pt_rule_case_run(pt_arena *arena, pt_kb *kb, const pt_rule_source *rule,
                         const char *case_name, const char *text, size_t len,
                         pt_verdict *out, const char **failure, pt_error *err);

/* One rule's word on a problem: a finding folds the findings of every
 * rule that points at the same tag and driver, and keeps each as a reason. */
typedef struct pt_reason {
    const char *rule;
    pt_level level;
    const char *title;           /* the rule's own sentence */
    const char *explanation;     /* or NULL */
} pt_reason;

/* Where the limit a growing pool runs into comes from, best first. */
typedef enum pt_limit_source {
    PT_LIMIT_NONE = 0,
    PT_LIMIT_VM_NONPAGED_MAX,    /* !vm NonPagedPool Max */
    PT_LIMIT_AVAILABLE,          /* the capture's available memory (poolmon Avail) */
    PT_LIMIT_COMMIT              /* the commit limit (poolmon Commit/Limit) */
} pt_limit_source;

/* "!vm NonPagedPool Max", "available memory", "commit limit", or NULL. */
const char *pt_limit_source_name(pt_limit_source src);

/* The best limit a capture (the latest of a series) gives for a pool: !vm
 * NonPagedPool Max against the non-paged pool in use, else the available
 * memory (all of it headroom: *used is 0), else the commit limit against
 * the commit charge; paged pool can be paged out, so only the commit limit
 * bounds it.  PT_LIMIT_NONE, *bytes and *used untouched, when the capture
 * gives none.  Findings and the pool page use it alike. */
pt_limit_source pt_capture_limit(const pt_snapshot *last, pt_pool_type pool, uint64_t *bytes,
                                 uint64_t *used);

typedef struct pt_finding {
    const char *rule;            /* the rule of the strongest reason */
    pt_level level;
    const char *title;
    const char *explanation;
    char tag[5];                 /* "" when none */
    const char **tags;
    size_t tag_count;
    bool has_pool;
    pt_pool_type pool;
    uint64_t bytes;
    double share;
    const pt_driver *driver;     /* or NULL */
    const pt_candidate *candidate; /* the attribution behind driver, or NULL */
    const pt_kb_entry *kb;       /* or NULL */
    const char *range_id;        /* the KB's affected-range id, or NULL */
    const char *action;          /* what to do next, or NULL */
    char fingerprint[65];
    /* Added by verdict/2. */
    const char *kind;            /* the problem kind: "leak", "signature", ... */
    pt_reason *reasons;          /* every rule that points at it, strongest first */
    size_t reason_count;
    bool kb_outside_range;       /* the KB entry lists the tag, the driver is outside its ranges */
    /* Growth of `tag` in the series (has_growth false with one capture or
     * an unknown order). */
    bool has_growth;
    double growth_bytes_per_hour;
    bool steady;
    int64_t delta_bytes;
    size_t capture_count;        /* captures the verdict read */
    double series_hours;         /* first to last capture */
    /* The limit the pool runs into, and at the growth rate when it is
     * reached (time_to_limit_hours < 0: not known or not growing). */
    pt_limit_source limit_source;
    uint64_t limit_bytes;        /* the limit itself */
    uint64_t limit_used_bytes;   /* what counts against it in the latest capture */
    double time_to_limit_hours;
} pt_finding;

typedef struct pt_rule_error {
    const char *rule;
    const char *where;
    const char *message;
} pt_rule_error;



/* The stable fingerprint of a problem (verdict/2): sha256 hex of
 * "kind|kb id or tag|driver name lower case|range id or numeric version".
 * `kind` is the problem kind ("leak", "signature"), never the rule, so
 * the same problem found by different rules has one fingerprint. */
void pt_fingerprint(const char *kind, const char *kb_id, const char *tag,
                    const char *driver_name, const char *range_or_version,
                    char out[65]);
/* The problem kind of a verdict/1 finding, recomputed from its rule id:
 * "signature" for unsigned-driver, else "leak". */
const char *pt_finding_kind_of_rule(const char *rule);

/* Runs every rule over the verdict's facts; fills v->findings (most severe
 * first), v->rule_errors and v->level.  PT_ERULE when no rule could load. */
pt_code pt_rules_run(pt_arena *arena, pt_kb *kb, const pt_rule_source *rules,
                     size_t rule_count, pt_verdict *v, pt_error *err);
/* The wall-clock limit of one rule run in ms (tests shorten it); 0 resets. */
void pt_rules_set_time_limit(unsigned ms);
/* The wall-clock budget of one pt_rules_run, all rules together, in ms
 * (PT_RULES_TIME_BUDGET_MS; tests shorten it); 0 resets. */
void pt_rules_set_time_budget(unsigned ms);
/* How many rules run at once, each in its own process: at most what
 * pt_platform_isolated_at_once allows (1 on POSIX; on Windows one per CPU,
 * at most PT_RULE_WORKERS), the default; tests set fewer.  0 resets. */
void pt_rules_set_workers(unsigned n);
/* Computes f->fingerprint (CONTRACT.md). */
void pt_finding_fingerprint(pt_arena *arena, pt_finding *f);

#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_RULES_H */
