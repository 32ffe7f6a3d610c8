/*
 * rules.c - the judge stage: runs each Lua rule in a child process and its
 * own sandboxed state over the facts of rules_facts.c, and turns what the
 * rules return into findings (one per problem).  A rule that fails becomes
 * a rule error; the others still run.
 */
#include "pooltriage/pooltriage.h"
#include "judge_int.h"
#include "pt_json.h"
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"
#include "pt_lua.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned rule_time_ms;
static const char *json_str(const cJSON *o, const char *key);

/* In a child: what it sends back to the parent, as one JSON text; frees root. */
static void send_json(cJSON *root, pt_buf *out)
{
    char *text = cJSON_PrintUnformatted(root);
    if (text)
        pt_buf_puts(out, text);
    else
        out->failed = true;
    pt_free(text);
    cJSON_Delete(root);
}

/* ---- loading a rule ---- */

/* A rule id names files (rules/tests/<id>/) and appears in reports. */
static bool valid_rule_id(const char *id)
{
    size_t n = strlen(id);
    if (n < 1 || n > 64 || id[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

/* Runs the rule chunk; leaves its table on the stack.  Fills meta. */
static pt_code load_rule(lua_State *L, pt_arena *arena, const pt_rule_source *src,
                         pt_rule_meta *meta, pt_rule_error *rerr)
{
    memset(meta, 0, sizeof *meta);
    const char *problem = NULL;
    if (pt_lua_load(L, src->text, src->len, src->name, false) != LUA_OK ||
        pt_lua_pcall(L, 0, 1) != LUA_OK) {
        problem = lua_tostring(L, -1) ? lua_tostring(L, -1) : "error object is not a string";
    } else if (!lua_istable(L, -1)) {
        problem = "the rule file must return a table with id, title and evaluate";
    } else {
        lua_getfield(L, -1, "id");
        lua_getfield(L, -2, "title");
        lua_getfield(L, -3, "author");
        lua_getfield(L, -4, "evaluate");
        if (lua_type(L, -4) != LUA_TSTRING)
            problem = "the rule has no string 'id'";
        else if (!valid_rule_id(lua_tostring(L, -4)))
            problem = "the rule's id must be 1 to 64 letters, digits, '-', '_' or '.'";
        else if (lua_type(L, -3) != LUA_TSTRING)
            problem = "the rule has no string 'title'";
        else if (lua_type(L, -1) != LUA_TFUNCTION)
            problem = "the rule has no function 'evaluate'";
        meta->id = pt_arena_strdup(arena, lua_tostring(L, -4));
        meta->title = pt_arena_strdup(arena, lua_tostring(L, -3));
        meta->author = pt_arena_strdup(arena, lua_tostring(L, -2));
        lua_pop(L, 4);
    }
    if (problem == NULL)
        return PT_OK;
    char where[512];
    const char *rest;
    pt_lua_first_line(problem, where, sizeof where, &rest);
    rerr->rule = meta->id ? meta->id : pt_arena_strdup(arena, src->name);
    rerr->where = pt_arena_strdup(arena, where[0] ? where : src->name);
    rerr->message = pt_arena_strndup(arena, rest, strcspn(rest, "\n"));
    return PT_ERULE;
}

typedef struct meta_run {
    pt_arena *arena;
    const pt_rule_source *src;
    pt_rule_meta *meta;
    pt_rule_error rerr;
    pt_code rc;
} meta_run;

static int meta_body(lua_State *L)
{
    meta_run *m = lua_touserdata(L, 1);
    lua_settop(L, 0);
    m->rc = load_rule(L, m->arena, m->src, m->meta, &m->rerr);
    return 0;
}

/* In a child: load the rule and write its metadata or its error as JSON. */
static void meta_child(void *ctx, pt_buf *out)
{
    meta_run *m = ctx;
    lua_State *L = pt_lua_open(NULL);
    cJSON *root = cJSON_CreateObject();
    int status = L ? pt_lua_cpcall(L, meta_body, m) : LUA_ERRMEM;
    if (status != LUA_OK) {
        cJSON_AddStringToObject(root, "where", m->src->name);
        cJSON_AddStringToObject(root, "message", L ? pt_lua_error_text(L, status) : "out of memory");
    } else if (m->rc != PT_OK) {
        cJSON_AddStringToObject(root, "where", m->rerr.where ? m->rerr.where : m->src->name);
        cJSON_AddStringToObject(root, "message", m->rerr.message ? m->rerr.message : "error");
    } else {
        cJSON_AddStringToObject(root, "id", m->meta->id);
        cJSON_AddStringToObject(root, "title", m->meta->title);
        if (m->meta->author)
            cJSON_AddStringToObject(root, "author", m->meta->author);
    }
    send_json(root, out);
    pt_lua_close(L);
}

pt_code pt_rule_meta_read(pt_arena *arena, const char *name, const char *text,
                          size_t len, pt_rule_meta *out, pt_error *err)
{
    pt_rule_source src = {name, text, len};
    memset(out, 0, sizeof *out);
    meta_run m = {arena, &src, out, {0}, PT_OK};
    pt_buf buf = {0};
    pt_error ierr = {0};
    pt_code rc = pt_platform_run_isolated(meta_child, &m, rule_time_ms, PT_MAX_RULE_OUTPUT,
                                          &buf, &ierr);
    cJSON *root = rc == PT_OK && !buf.failed ? cJSON_ParseWithLength(buf.data ? buf.data : "", buf.len) : NULL;
    pt_buf_free(&buf);
    if (root == NULL) {
        return pt_error_set(err, PT_ERULE, name, "%s%s",
                            rc == PT_ELIMIT ? "limit exceeded while loading the rule: "
                                            : "the rule's process failed: ",
                            rc == PT_OK ? "no result" : ierr.message);
    }
    if (json_str(root, "message")) {
        rc = pt_error_set(err, PT_ERULE, json_str(root, "where"), "%s", json_str(root, "message"));
    } else {
        out->id = pt_arena_strdup(arena, json_str(root, "id"));
        out->title = pt_arena_strdup(arena, json_str(root, "title"));
        out->author = pt_arena_strdup(arena, json_str(root, "author"));
        rc = out->id && out->title ? PT_OK : pt_error_set(err, PT_ENOMEM, name, "out of memory");
    }
    cJSON_Delete(root);
    return rc;
}

/* ---- findings ---- */

/* A field of a finding table, read raw: a rule's table cannot run a
 * metamethod here. */
static int field_raw(lua_State *L, int idx, const char *key)
{
    lua_pushstring(L, key);
    return lua_rawget(L, idx < 0 ? idx - 1 : idx);
}

static const char *field_str(lua_State *L, int idx, const char *key)
{
    field_raw(L, idx, key);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1); /* s stays valid until the next allocation in L */
    return s;
}

/* Text of a finding: at most PT_MAX_FINDING_TEXT bytes, cleaned of control
 * characters and broken UTF-8.  *bad is set when it is too long. */
static const char *field_text(lua_State *L, int idx, const char *key, pt_arena *a, bool *bad)
{
    field_raw(L, idx, key);
    size_t len = 0;
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    const char *copy = NULL;
    if (s && len > PT_MAX_FINDING_TEXT)
        *bad = true;
    else if (s)
        copy = pt_arena_clean_text(a, s, len);
    lua_pop(L, 1);
    return copy;
}

/* A tag as poolmon shows it: 1 to 4 printable ASCII characters, padded. */
static bool valid_tag(const char *s, char out[5])
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 4)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
            return false;
    snprintf(out, 5, "%-4.4s", s);
    return true;
}


/* The candidate entry behind a finding's driver, for its evidence. */
static const pt_candidate *candidate_of(const pt_verdict *v, const pt_finding *f)
{
    const pt_candidate *any = NULL;
    for (size_t a = 0; f->driver && a < v->attribution_count; a++) {
        bool same_tag = f->tag[0] && memcmp(v->attributions[a].tag, f->tag, 4) == 0;
        for (size_t c = 0; c < v->attributions[a].candidate_count; c++) {
            if (v->attributions[a].candidates[c].driver != f->driver)
                continue;
            if (same_tag)
                return &v->attributions[a].candidates[c];
            if (any == NULL)
                any = &v->attributions[a].candidates[c];
        }
    }
    return any;
}

/* A problem kind names a class of problem in fingerprints and reports. */
static bool valid_kind(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
            return false;
    return true;
}

/* Reads the finding table at `idx` into *f; NULL or why it is invalid. */
static const char *read_finding(lua_State *L, int idx, pt_judge *j, const char *rule_id,
                                pt_finding *f)
{
    pt_arena *a = j->arena;
    memset(f, 0, sizeof *f);
    f->rule = rule_id;
    const char *level = field_str(L, idx, "level");
    if (level == NULL || !pt_level_parse(level, &f->level) || f->level == PT_LEVEL_CLEAN)
        return "field 'level' must be \"info\", \"suspect\", \"likely\" or \"known\"";
    bool too_long = false;
    f->title = field_text(L, idx, "title", a, &too_long);
    f->explanation = field_text(L, idx, "explanation", a, &too_long);
    f->action = field_text(L, idx, "action", a, &too_long);
    f->range_id = field_text(L, idx, "range_id", a, &too_long);
    const char *kind = field_str(L, idx, "kind");
    if (kind && !valid_kind(kind))
        return "field 'kind' must be 1 to 32 lower-case letters or '-' (\"leak\", \"signature\")";
    f->kind = kind ? pt_arena_strdup(a, kind) : pt_finding_kind_of_rule(rule_id);
    if (field_raw(L, idx, "kb_outside_range") == LUA_TBOOLEAN)
        f->kb_outside_range = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (too_long)
        return "a text field is longer than " PT_STR(PT_MAX_FINDING_TEXT) " bytes";
    if (f->title == NULL)
        return "field 'title' must be a string";
    field_raw(L, idx, "tag");
    bool tag_ok = lua_isnil(L, -1) ||
                  (lua_type(L, -1) == LUA_TSTRING && valid_tag(lua_tostring(L, -1), f->tag));
    lua_pop(L, 1);
    if (!tag_ok)
        return "field 'tag' must be 1 to 4 printable ASCII characters";
    const char *pool = field_str(L, idx, "pool");
    if (pool) {
        if (strcmp(pool, "nonpaged") && strcmp(pool, "paged"))
            return "field 'pool' must be \"nonpaged\" or \"paged\"";
        f->has_pool = true;
        f->pool = strcmp(pool, "paged") == 0 ? PT_POOL_PAGED : PT_POOL_NONPAGED;
    }
    field_raw(L, idx, "bytes");
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0)
        f->bytes = (uint64_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    field_raw(L, idx, "share");
    if (lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) >= 0 && lua_tonumber(L, -1) <= 1)
        f->share = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (field_raw(L, idx, "tags") == LUA_TTABLE) {
        f->tags = pt_arena_alloc(a, (PT_MAX_FINDING_TAGS + 1) * sizeof *f->tags);
        for (lua_Integer i = 1; f->tags && i <= PT_MAX_FINDING_TAGS; i++) {
            char t[5];
            if (lua_rawgeti(L, -1, i) == LUA_TNIL) {
                lua_pop(L, 1);
                break;
            }
            bool ok = lua_type(L, -1) == LUA_TSTRING && valid_tag(lua_tostring(L, -1), t);
            lua_pop(L, 1);
            if (!ok) {
                lua_pop(L, 1);
                return "field 'tags' must list tags of 1 to 4 printable ASCII characters";
            }
            f->tags[f->tag_count++] = pt_arena_strdup(a, t);
        }
    }
    lua_pop(L, 1);
    if (field_raw(L, idx, "driver") != LUA_TNIL) {
        lua_getfield(L, -1, "id"); /* a driver proxy answers through its metatable */
        lua_Integer id = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
        lua_pop(L, 1);
        if (id < 1 || (size_t)id > j->verdict->driver_count) {
            lua_pop(L, 1);
            return "field 'driver' must be a driver from ctx.drivers";
        }
        f->driver = &j->verdict->drivers[id - 1];
        f->candidate = candidate_of(j->verdict, f);
    }
    lua_pop(L, 1);
    const char *kb_id = NULL;
    int t = field_raw(L, idx, "kb");
    if (t == LUA_TSTRING)
        kb_id = pt_arena_strdup(a, lua_tostring(L, -1));
    else if (t != LUA_TNIL) {
        lua_getfield(L, -1, "id"); /* a KB entry proxy */
        if (lua_type(L, -1) == LUA_TSTRING)
            kb_id = pt_arena_strdup(a, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (kb_id) {
        pt_kb_entry *e = pt_arena_alloc(a, sizeof *e);
        pt_error err = {0};
        if (e == NULL || pt_kb_get(a, j->kb, kb_id, e, &err) != PT_OK) {
            pt_judge_kb_failed(j, &err);
            return "field 'kb' names no entry of the knowledge base";
        }
        f->kb = e;
    }
    return NULL;
}

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

typedef struct rule_run {
    pt_judge *j;
    const pt_rule_source *src;
    results *r;
    pt_rule_meta meta;
    bool loaded;   /* the file ran and declared an id, a title and evaluate */
    bool oom;      /* the engine (not the rule) ran out of memory */
} rule_run;

static void record(rule_run *rr, const char *where, const char *msg)
{
    char first[512];
    snprintf(first, sizeof first, "%.*s", (int)strcspn(msg, "\n"), msg);
    const char *id = rr->meta.id ? rr->meta.id : rr->src->name;
    if (!add_rule_error(rr->r, rr->j->arena, id, where, first))
        rr->oom = true;
}

/* Everything a rule run touches in Lua, run under protection: loading,
 * building the facts, evaluate(), and reading the findings back. */
static int rule_body(lua_State *L)
{
    rule_run *rr = lua_touserdata(L, 1);
    lua_settop(L, 0);
    pt_arena *a = rr->j->arena;
    pt_rule_error rerr = {0};
    if (load_rule(L, a, rr->src, &rr->meta, &rerr) != PT_OK) {
        if (!PT_PUSH(rr->r->errors, rr->r->error_count, rr->r->error_cap, rerr))
            rr->oom = true;
        return 0;
    }
    rr->loaded = true;
    lua_getfield(L, -1, "evaluate");
    pt_rules_push_ctx(L, rr->j);
    int status = pt_lua_pcall(L, 1, 1);
    if (status != LUA_OK) {
        char where[512];
        const char *rest;
        pt_lua_first_line(pt_lua_error_text(L, status), where, sizeof where, &rest);
        record(rr, where[0] ? where : rr->src->name, rest);
        return 0;
    }
    if (!lua_istable(L, -1) && !lua_isnil(L, -1)) {
        record(rr, rr->src->name, "evaluate must return a list of findings (or nothing)");
        return 0;
    }
    int list = lua_gettop(L);
    for (lua_Integer i = 1; !rr->oom && lua_istable(L, list); i++) {
        if (lua_rawgeti(L, list, i) == LUA_TNIL)
            break;
        if (i > PT_MAX_FINDINGS_PER_RULE) {
            lua_pop(L, 1);
            record(rr, rr->src->name, "more than " PT_STR(PT_MAX_FINDINGS_PER_RULE)
                   " findings: the rest are ignored");
            break;
        }
        pt_finding f;
        const char *why = lua_istable(L, -1)
                              ? read_finding(L, lua_gettop(L), rr->j, rr->meta.id, &f)
                              : "a finding must be a table";
        if (why) {
            char msg[512];
            snprintf(msg, sizeof msg, "finding %lld: %s", (long long)i, why);
            record(rr, rr->src->name, msg);
        } else {
            pt_finding_fingerprint(a, &f);
            if (!add_finding(rr->r, &f))
                rr->oom = true;
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* Runs one rule; problems become rule errors. false only on out of memory. */
static bool run_rule(pt_judge *j, const pt_rule_source *src, results *r, bool *loaded,
                     const char **id)
{
    lua_State *L = pt_lua_open(NULL);
    if (L == NULL)
        return false;
    rule_run rr = {j, src, r, {0}, false, false};
    int status = pt_lua_cpcall(L, rule_body, &rr);
    if (status != LUA_OK) {
        char where[512];
        const char *rest;
        pt_lua_first_line(pt_lua_error_text(L, status), where, sizeof where, &rest);
        record(&rr, where[0] ? where : src->name, rest);
    }
    *loaded |= rr.loaded;
    *id = rr.loaded ? rr.meta.id : NULL;
    pt_lua_close(L);
    return !rr.oom;
}

/* ---- isolation: each rule runs in a child process ---- */

static unsigned rule_time_ms = PT_RULE_TIME_MS;

void pt_rules_set_time_limit(unsigned ms) { rule_time_ms = ms ? ms : PT_RULE_TIME_MS; }

static unsigned rules_budget_ms = PT_RULES_TIME_BUDGET_MS;

void pt_rules_set_time_budget(unsigned ms)
{
    rules_budget_ms = ms ? ms : PT_RULES_TIME_BUDGET_MS;
}

static cJSON *finding_to_json(const pt_finding *f, const pt_verdict *v)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "rule", pt_json_str(f->rule));
    cJSON_AddNumberToObject(o, "level", f->level);
    cJSON_AddItemToObject(o, "title", pt_json_str(f->title));
    cJSON_AddItemToObject(o, "explanation", pt_json_str(f->explanation));
    cJSON_AddStringToObject(o, "tag", f->tag);
    cJSON_AddItemToObject(o, "tags", cJSON_CreateStringArray(f->tags, (int)f->tag_count));
    cJSON_AddNumberToObject(o, "pool", f->has_pool ? (double)f->pool : -1);
    cJSON_AddNumberToObject(o, "bytes", (double)f->bytes);
    cJSON_AddNumberToObject(o, "share", f->share);
    cJSON_AddNumberToObject(o, "driver", f->driver ? (double)(f->driver - v->drivers) : -1);
    cJSON_AddItemToObject(o, "kb", pt_json_str(f->kb ? f->kb->id : NULL));
    cJSON_AddItemToObject(o, "range_id", pt_json_str(f->range_id));
    cJSON_AddItemToObject(o, "action", pt_json_str(f->action));
    cJSON_AddItemToObject(o, "kind", pt_json_str(f->kind));
    cJSON_AddBoolToObject(o, "kb_outside_range", f->kb_outside_range);
    return o;
}

typedef struct child_job {
    pt_judge *j;
    const pt_rule_source *src;
} child_job;

/* In the child: run the rule and write what it found as JSON. */
static void child_run(void *ctx, pt_buf *out)
{
    child_job *cj = ctx;
    pt_judge j = *cj->j;
    pt_error err = {0}, kb_failure = {0};
    pt_kb *kb = NULL;
    results r = {0};
    bool loaded = false, ok = false;
    const char *id = NULL;
    j.kb_failure = &kb_failure;
    /* a connection of its own: SQLite handles must not cross a fork */
    if (pt_kb_open(pt_kb_path(cj->j->kb), &kb, &err) == PT_OK) {
        j.kb = kb;
        ok = run_rule(&j, cj->src, &r, &loaded, &id);
    } else {
        pt_judge_kb_failed(&j, &err);
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddBoolToObject(root, "loaded", loaded);
    cJSON_AddItemToObject(root, "id", pt_json_str(id));
    cJSON_AddBoolToObject(root, "ok", ok);
    cJSON *fs = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < r.count; i++)
        cJSON_AddItemToArray(fs, finding_to_json(&r.findings[i], j.verdict));
    cJSON *es = cJSON_AddArrayToObject(root, "errors");
    for (size_t i = 0; i < r.error_count; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToObject(e, "rule", pt_json_str(r.errors[i].rule));
        cJSON_AddItemToObject(e, "where", pt_json_str(r.errors[i].where));
        cJSON_AddItemToObject(e, "message", pt_json_str(r.errors[i].message));
        cJSON_AddItemToArray(es, e);
    }
    if (kb == NULL) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToObject(e, "rule", pt_json_str(cj->src->name));
        cJSON_AddItemToObject(e, "where", pt_json_str(err.where));
        cJSON_AddItemToObject(e, "message", pt_json_str(err.message));
        cJSON_AddItemToArray(es, e);
    }
    if (kb_failure.code != PT_OK) { /* the KB, not the rule, is broken */
        cJSON *e = cJSON_AddObjectToObject(root, "kb_error");
        cJSON_AddItemToObject(e, "where", pt_json_str(kb_failure.where));
        cJSON_AddItemToObject(e, "message", pt_json_str(kb_failure.message));
    }
    send_json(root, out);
    pt_kb_close(kb);
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double json_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* In the parent: a finding back from its JSON, pointing into this verdict. */
static bool finding_from_json(pt_judge *j, const cJSON *o, pt_finding *f)
{
    pt_arena *a = j->arena;
    memset(f, 0, sizeof *f);
    f->rule = pt_arena_strdup(a, json_str(o, "rule"));
    double level = json_num(o, "level");
    if (f->rule == NULL || level < PT_LEVEL_INFO || level > PT_LEVEL_KNOWN)
        return false;
    f->level = (pt_level)level;
    f->title = pt_arena_strdup(a, json_str(o, "title"));
    f->explanation = pt_arena_strdup(a, json_str(o, "explanation"));
    snprintf(f->tag, sizeof f->tag, "%s", json_str(o, "tag") ? json_str(o, "tag") : "");
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(o, "tags");
    int n = cJSON_GetArraySize(tags);
    f->tags = pt_arena_alloc(a, (size_t)(n + 1) * sizeof *f->tags);
    if (f->title == NULL || f->tags == NULL)
        return false;
    for (int i = 0; i < n; i++) {
        const cJSON *t = cJSON_GetArrayItem(tags, i);
        if (cJSON_IsString(t))
            f->tags[f->tag_count++] = pt_arena_strdup(a, t->valuestring);
    }
    double pool = json_num(o, "pool");
    f->has_pool = pool >= 0;
    f->pool = pool == PT_POOL_PAGED ? PT_POOL_PAGED : PT_POOL_NONPAGED;
    f->bytes = json_num(o, "bytes") > 0 ? (uint64_t)json_num(o, "bytes") : 0;
    f->share = json_num(o, "share") > 0 ? json_num(o, "share") : 0;
    double d = json_num(o, "driver");
    if (d >= 0 && (size_t)d < j->verdict->driver_count) {
        f->driver = &j->verdict->drivers[(size_t)d];
        f->candidate = candidate_of(j->verdict, f);
    }
    const char *kb_id = json_str(o, "kb");
    if (kb_id) {
        pt_kb_entry *e = pt_arena_alloc(a, sizeof *e);
        pt_error err = {0};
        if (e == NULL || pt_kb_get(a, j->kb, kb_id, e, &err) != PT_OK) {
            pt_judge_kb_failed(j, &err);
            return false;
        }
        f->kb = e;
    }
    f->range_id = pt_arena_strdup(a, json_str(o, "range_id"));
    f->action = pt_arena_strdup(a, json_str(o, "action"));
    const char *kind = json_str(o, "kind");
    f->kind = kind ? pt_arena_strdup(a, kind) : pt_finding_kind_of_rule(f->rule);
    f->kb_outside_range = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "kb_outside_range"));
    pt_finding_fingerprint(a, f);
    return true;
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

/* Runs one rule in a child process and merges what it found.  false only
 * when the engine itself runs out of memory. */
static bool run_isolated(pt_judge *j, const pt_rule_source *src, results *r, bool *loaded,
                         unsigned limit_ms)
{
    child_job cj = {j, src};
    pt_buf out = {0};
    pt_error err = {0};
    pt_code rc = pt_platform_run_isolated(child_run, &cj, limit_ms,
                                          PT_MAX_RULE_OUTPUT, &out, &err);
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
        unsigned saved = rule_time_ms;
        rule_time_ms = saved < PT_RULE_LOAD_CHECK_MS ? saved : PT_RULE_LOAD_CHECK_MS;
        if (ok && pt_rule_meta_read(j->arena, src->name, src->text, src->len, &meta, NULL) ==
                      PT_OK)
            *loaded = true;
        rule_time_ms = saved;
        return ok;
    }
    *loaded |= cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "loaded"));
    const cJSON *kb_error = cJSON_GetObjectItemCaseSensitive(root, "kb_error");
    if (cJSON_IsObject(kb_error)) {
        pt_error kerr = {0};
        pt_error_set(&kerr, PT_EKB, json_str(kb_error, "where"), "%s",
                     json_str(kb_error, "message") ? json_str(kb_error, "message") : "");
        pt_judge_kb_failed(j, &kerr);
    }
    const char *id = json_str(root, "id");
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
            ok = add_rule_error(r, j->arena, json_str(e, "rule"), json_str(e, "where"),
                                json_str(e, "message"));
    }
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "findings")) {
        pt_finding f;
        if (ok && finding_from_json(j, e, &f))
            ok = add_finding(r, &f);
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

pt_code pt_rules_run(pt_arena *arena, pt_kb *kb, const pt_rule_source *rules,
                     size_t rule_count, pt_verdict *v, pt_error *err)
{
    pt_error kb_failure = {0};
    pt_judge j = {arena, kb, v, &kb_failure};
    results r = {0};
    bool any_loaded = false, ok = true;
    int64_t deadline = pt_platform_now_ms() + rules_budget_ms;
    for (size_t i = 0; i < rule_count && ok && kb_failure.code == PT_OK; i++) {
        int64_t left = deadline - pt_platform_now_ms();
        if (left <= 0) {      /* the budget is spent: say so for each rule left */
            char msg[160];
            snprintf(msg, sizeof msg, "not run: the rules' time budget of %u ms for one run "
                     "is spent", rules_budget_ms);
            ok = add_rule_error(&r, arena, rules[i].name, rules[i].name, msg);
            continue;
        }
        unsigned limit = left < (int64_t)rule_time_ms ? (unsigned)left : rule_time_ms;
        ok = run_isolated(&j, &rules[i], &r, &any_loaded, limit);
    }
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

/* ---- rule sources ---- */


pt_code pt_rules_from_dir(pt_arena *arena, const char *dir, pt_rule_source **out,
                          size_t *out_count, pt_error *err)
{
    *out = NULL;
    *out_count = 0;
    char **files;
    size_t count;
    pt_code rc = pt_platform_list(dir, &files, &count, err);
    if (rc != PT_OK)
        return rc == PT_ENOMEM ? rc : pt_error_set(err, PT_ERULE, dir,
                                                   "cannot read the rules folder");
    pt_rule_source *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < count; i++) {
        const char *name = pt_path_base(files[i]);
        if (rc == PT_OK && pt_ends_with_ci(name, ".lua")) {
            uint8_t *text;
            size_t len;
            pt_rule_source s = {pt_arena_strdup(arena, name), NULL, 0};
            rc = pt_file_read(arena, files[i], PT_MAX_RULE_BYTES, &text, &len, err);
            if (rc != PT_OK && rc != PT_ENOMEM)
                rc = pt_error_recode(err, PT_ERULE);
            s.text = (const char *)text;
            s.len = len;
            if (rc == PT_OK && (s.name == NULL || !PT_PUSH(v, n, cap, s)))
                rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
        }
        pt_free(files[i]);
    }
    pt_free(files);
    if (!pt_arena_adopt(arena, v) && rc == PT_OK)
        rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
    if (rc == PT_OK) {
        *out = v;
        *out_count = n;
    }
    return rc;
}
