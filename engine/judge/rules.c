/*
 * rules.c - the judge stage: runs each Lua rule in a child process (the
 * child's side is rules_child.c; loading a rule is rules_load.c) within
 * the time limits, checks what each returns (findings.c), and gathers the
 * findings of all of them.  A rule that fails becomes a rule error; the
 * others still run.
 */
#include "pooltriage/pooltriage.h"
#include "judge_int.h"
#include "pt_json.h"
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"
#include "pt_lua.h"

#include <cJSON.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- limits ---- */

static unsigned rule_time_ms = PT_RULE_TIME_MS;

void pt_rules_set_time_limit(unsigned ms) { rule_time_ms = ms ? ms : PT_RULE_TIME_MS; }

pt_code pt_rule_meta_read(pt_arena *arena, const char *name, const char *text,
                          size_t len, pt_rule_meta *out, pt_error *err)
{
    return pt_rule_meta_read_within(arena, name, text, len, rule_time_ms, out, err);
}

static unsigned rules_budget_ms = PT_RULES_TIME_BUDGET_MS;
static unsigned rule_workers;   /* 0: as many as the platform allows */

void pt_rules_set_workers(unsigned n) { rule_workers = n; }

void pt_rules_set_time_budget(unsigned ms)
{
    rules_budget_ms = ms ? ms : PT_RULES_TIME_BUDGET_MS;
}

/* ---- results of the rules run so far ---- */

typedef struct results {
    pt_finding *findings;
    size_t count, cap;
    pt_rule_error *errors;
    size_t error_count, error_cap;
    const char **ids, **id_files;  /* the ids run so far and their files (arena) */
    size_t id_count, id_cap;
} results;

static bool add_rule_error(results *r, pt_arena *a, const char *rule, const char *where,
                           const char *msg)
{
    pt_rule_error e = {pt_arena_strdup(a, rule), pt_arena_strdup(a, where),
                       pt_arena_strdup(a, msg)};
    return PT_PUSH(r->errors, r->error_count, r->error_cap, e);
}

/* A rule that says the same thing twice: a second finding of the same rule
 * with the same fingerprint only raises the level of the first.  Findings
 * of different rules are folded later, keeping each as a reason. */
static bool add_finding(results *r, const pt_finding *f)
{
    for (size_t i = 0; i < r->count; i++) {
        if (strcmp(r->findings[i].fingerprint, f->fingerprint) == 0 &&
            strcmp(r->findings[i].rule, f->rule) == 0) {
            if (f->level > r->findings[i].level)
                r->findings[i] = *f;
            return true;
        }
    }
    return PT_PUSH(r->findings, r->count, r->cap, *f);
}

/* Why a rule's id is refused, or NULL: an id that another rule of this run
 * already took, or a shipped rule's id from a file other than the shipped
 * one (a rule from --rules DIR would report as that rule).  A changed copy
 * of a shipped rule under its own file name may replace it. */
static const char *id_refused(pt_judge *j, results *r, const pt_rule_source *src,
                              const char *id, char *why, size_t len)
{
    const char *file = pt_path_base(src->name);
    for (size_t i = 0; i < r->id_count; i++)
        if (strcmp(r->ids[i], id) == 0) {
            snprintf(why, len, "rule id '%s' is also used by %s: refused, its findings "
                     "would pass for that rule's", id, r->ids[i] ? r->id_files[i] : "?");
            return why;
        }
    const char *shipped = NULL;
    pt_error err = {0};
    if (pt_kb_rule_file(j->arena, j->kb, id, &shipped, &err) != PT_OK) {
        pt_judge_kb_failed(j, &err);
        snprintf(why, len, "%s", err.message);
        return why;
    }
    if (shipped && strcmp(shipped, file) != 0) {
        snprintf(why, len, "rule id '%s' belongs to the shipped rule %s: refused, its "
                 "findings would pass for that rule's; give the rule an id of its own", id,
                 shipped);
        return why;
    }
    return NULL;
}

static bool keep_id(pt_judge *j, results *r, const pt_rule_source *src, const char *id)
{
    const char *copy = pt_arena_strdup(j->arena, id);
    const char *file = pt_arena_strdup(j->arena, pt_path_base(src->name));
    size_t cap = r->id_cap;
    if (copy == NULL || file == NULL || !PT_PUSH(r->ids, r->id_count, r->id_cap, copy))
        return false;
    if (r->id_cap != cap) {
        const char **files = pt_realloc(r->id_files, r->id_cap * sizeof *files);
        if (files == NULL)
            return false;
        r->id_files = files;
    }
    r->id_files[r->id_count - 1] = file;
    return true;
}

/* ---- each rule in a child process ---- */

/* One rule's run in its child process, as a worker left it. */
typedef struct rule_slot {
    bool started;        /* false: the budget was spent before its turn */
    unsigned limit_ms;
    pt_code rc;
    pt_error err;
    pt_buf out;
} rule_slot;

typedef struct rules_job {
    const pt_rule_source *rules;
    size_t count;
    const char *kb_path;
    const pt_buf *facts;
    int64_t deadline;
    rule_slot *slots;
    atomic_size_t next;
} rules_job;

/* Takes the next rule and runs it in a child process under what is left
 * of the budget, until none is left; several run at once. */
static void rules_worker(void *ctx, unsigned worker)
{
    (void)worker;
    rules_job *job = ctx;
    for (;;) {
        size_t i = atomic_fetch_add(&job->next, 1);
        if (i >= job->count)
            return;
        rule_slot *s = &job->slots[i];
        int64_t left = job->deadline - pt_platform_now_ms();
        if (left <= 0)
            continue;
        s->started = true;
        s->limit_ms = left < (int64_t)rule_time_ms ? (unsigned)left : rule_time_ms;
        pt_buf in = {0};
        pt_rule_child_input(&in, &job->rules[i], job->kb_path, job->facts);
        s->rc = in.failed ? pt_error_set(&s->err, PT_ENOMEM, "", "out of memory")
                          : pt_platform_run_isolated(pt_rule_child_run, in.data, in.len,
                                                     s->limit_ms, PT_MAX_RULE_OUTPUT, &s->out,
                                                     &s->err);
        pt_buf_free(&in);
    }
}

/* Merges what one rule's process sent, each finding checked here.  false
 * only when the engine itself runs out of memory. */
static bool merge_rule(pt_judge *j, const pt_rule_source *src, rule_slot *slot, results *r,
                       bool *loaded)
{
    pt_buf out = slot->out;   /* freed here, whatever happens */
    memset(&slot->out, 0, sizeof slot->out);
    pt_error err = slot->err;
    pt_code rc = slot->rc;
    unsigned limit_ms = slot->limit_ms;
    if (rc == PT_ENOMEM) {
        pt_buf_free(&out);
        return false;
    }
    bool ok = true;
    cJSON *root = rc == PT_OK && !out.failed ? cJSON_ParseWithLength(out.data ? out.data : "", out.len) : NULL;
    if (root == NULL) {
        char msg[600];
        if (rc == PT_ELIMIT && strncmp(err.message, "time", 4) == 0)
            snprintf(msg, sizeof msg, "time limit exceeded: the rule ran longer than allowed "
                     "(a string function or pattern too slow?) (%u ms%s)", limit_ms,
                     limit_ms < rule_time_ms ? ", what was left of the rules' budget" : "");
        else if (rc == PT_ELIMIT)
            snprintf(msg, sizeof msg, "the rule's answer is too large: %s", err.message);
        else if (rc == PT_OK)
            snprintf(msg, sizeof msg, "the rule's process returned no result");
        else
            snprintf(msg, sizeof msg, "the rule's process failed: %s", err.message);
        ok = add_rule_error(r, j->arena, src->name, src->name, msg);
        pt_buf_free(&out);
        /* A rule that loads and then fails in evaluate() (a time-out, a
         * crash) is one rule that errors, as an error() there is, not a rule
         * that could not load: the child died before saying which, so ask
         * the loader alone. */
        pt_rule_meta meta;
        unsigned check_ms = rule_time_ms < PT_RULE_LOAD_CHECK_MS ? rule_time_ms
                                                                 : PT_RULE_LOAD_CHECK_MS;
        if (ok && pt_rule_meta_read_within(j->arena, src->name, src->text, src->len, check_ms,
                                           &meta, NULL) == PT_OK)
            *loaded = true;
        return ok;
    }
    *loaded |= cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "loaded"));
    const cJSON *kb_error = cJSON_GetObjectItemCaseSensitive(root, "kb_error");
    if (cJSON_IsObject(kb_error)) {
        pt_error kerr = {0};
        pt_error_set(&kerr, PT_EKB, pt_json_get_str(kb_error, "where"), "%s",
                     pt_json_get_str(kb_error, "message") ? pt_json_get_str(kb_error, "message") : "");
        pt_judge_kb_failed(j, &kerr);
    }
    const char *id = pt_json_get_str(root, "id");
    char why[512];
    if (id && id_refused(j, r, src, id, why, sizeof why)) {
        ok = add_rule_error(r, j->arena, id, src->name, why);
        cJSON_Delete(root);
        pt_buf_free(&out);
        return ok;
    }
    if (id && !keep_id(j, r, src, id)) {
        cJSON_Delete(root);
        pt_buf_free(&out);
        return false;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "errors")) {
        if (ok)
            ok = add_rule_error(r, j->arena, pt_json_get_str(e, "rule"), pt_json_get_str(e, "where"),
                                pt_json_get_str(e, "message"));
    }
    const char *rule = pt_arena_strdup(j->arena, id ? id : src->name);
    int i = 0;
    ok = ok && rule != NULL;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "findings")) {
        if (!ok)
            break;
        pt_finding f;
        const char *refused = pt_finding_check(j, e, rule, &f);
        if (refused) {
            char msg[512];
            snprintf(msg, sizeof msg, "finding %d: %s", ++i, refused);
            ok = add_rule_error(r, j->arena, rule, src->name, msg);
        } else {
            ++i;
            ok = add_finding(r, &f);
        }
    }
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "ok")) && ok)
        ok = add_rule_error(r, j->arena, src->name, src->name, "the rule engine ran out of memory");
    cJSON_Delete(root);
    pt_buf_free(&out);
    return ok;
}

static int by_level(const void *x, const void *y)
{
    const pt_finding *a = x, *b = y;
    if (a->level != b->level)
        return (int)b->level - (int)a->level;
    if (a->bytes != b->bytes)
        return a->bytes < b->bytes ? 1 : -1;
    return strcmp(a->fingerprint, b->fingerprint);
}

typedef struct facts_job {
    pt_arena *arena;
    const pt_verdict *v;
    pt_buf *out;
} facts_job;

static int push_facts(lua_State *L)
{
    facts_job *f = lua_touserdata(L, 1);
    pt_facts_push(L, f->arena, f->v);
    if (!pt_facts_encode(L, -1, f->out))
        f->out->failed = true;
    return 0;
}

/* The verdict's facts as the bytes each rule's process reads (facts_wire.c):
 * built once, in a Lua state of their own.  false when out of memory. */
static bool facts_bytes(pt_arena *arena, const pt_verdict *v, pt_buf *out)
{
    lua_State *L = pt_lua_open(&(pt_lua_opts){.no_libs = true});
    bool ok = L && pt_lua_cpcall(L, push_facts, &(facts_job){arena, v, out}) == LUA_OK;
    pt_lua_close(L);
    return ok && !out->failed;
}

pt_code pt_rules_run(pt_arena *arena, pt_kb *kb, const pt_rule_source *rules,
                     size_t rule_count, pt_verdict *v, pt_error *err)
{
    pt_error kb_failure = {0};
    pt_judge j = {arena, kb, v, &kb_failure};
    results r = {0};
    pt_buf facts = {0};
    bool any_loaded = false, ok = rule_count == 0 || facts_bytes(arena, v, &facts);
    rule_slot *slots = pt_calloc(rule_count + 1, sizeof *slots);
    ok = ok && slots != NULL;
    if (ok && rule_count > 0) {   /* the runs, several at once */
        rules_job job = {rules, rule_count, pt_kb_path(kb), &facts,
                         pt_platform_now_ms() + rules_budget_ms, slots, 0};
        unsigned most = pt_platform_isolated_at_once(PT_RULE_WORKERS);
        unsigned n = rule_workers && rule_workers < most ? rule_workers : most;
        if (n > rule_count)
            n = (unsigned)rule_count;
        pt_parallel_run(n ? n : 1, rules_worker, &job);
    }
    for (size_t i = 0; i < rule_count && ok; i++) {   /* their results, in rule order */
        if (kb_failure.code != PT_OK) {
            pt_buf_free(&slots[i].out);
        } else if (!slots[i].started) {   /* the budget was spent: say so */
            char msg[160];
            snprintf(msg, sizeof msg, "not run: the rules' time budget of %u ms for one run "
                     "is spent", rules_budget_ms);
            ok = add_rule_error(&r, arena, rules[i].name, rules[i].name, msg);
        } else {
            ok = merge_rule(&j, &rules[i], &slots[i], &r, &any_loaded);
        }
    }
    for (size_t i = 0; slots && !ok && i < rule_count; i++)
        pt_buf_free(&slots[i].out);
    pt_free(slots);
    pt_buf_free(&facts);
    pt_findings_fold(arena, r.findings, &r.count);
    pt_free(r.ids);
    pt_free(r.id_files);
    bool adopted = pt_arena_adopt(arena, r.findings) & pt_arena_adopt(arena, r.errors);
    if (!ok || !adopted)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    if (kb_failure.code != PT_OK) { /* a damaged KB: no verdict from half of it */
        if (err)
            *err = kb_failure;
        return PT_EKB;
    }
    if (r.count > 1)
        qsort(r.findings, r.count, sizeof *r.findings, by_level);
    v->findings = r.findings;
    v->finding_count = r.count;
    v->rule_errors = r.errors;
    v->rule_error_count = r.error_count;
    v->level = PT_LEVEL_CLEAN;
    for (size_t i = 0; i < r.count; i++)
        if (r.findings[i].level > v->level)
            v->level = r.findings[i].level;
    if (rule_count == 0)
        return pt_error_set(err, PT_ERULE, "", "no rules to run: the knowledge base holds "
                            "none and no --rules folder was given");
    if (!any_loaded)
        return pt_error_set(err, PT_ERULE, r.error_count ? r.errors[0].where : "",
                            "no rule could load: %s",
                            r.error_count ? r.errors[0].message : "unknown error");
    return PT_OK;
}
