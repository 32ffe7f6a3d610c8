/*
 * rules_child.c - the judge stage, inside the child process of one rule
 * run: loads the rule, calls evaluate(ctx) over the facts of
 * rules_facts.c, and sends the parent what came back as JSON.  It judges
 * nothing: each finding goes back as the rule wrote it (its fields turned
 * into JSON values) and the parent checks it (findings.c), so a finding is
 * checked in one place only.
 */
#include "pooltriage/pooltriage.h"
#include "judge_int.h"
#include "pt_json.h"
#include "pooltriage/limits.h"
#include "pt_lua.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

/* The fields of a finding the parent reads (findings.c). */
static const char *const finding_fields[] = {
    "level", "title", "explanation", "action", "range_id", "kind", "kb_outside_range",
    "tag", "pool", "bytes", "share", "tags", "driver", "kb", NULL};

/* A value the parent will refuse whatever field it is in: {"type": "..."}. */
static cJSON *refused_value(lua_State *L, int idx)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", luaL_typename(L, idx));
    return o;
}

/* The Lua value at idx as JSON: a string (its bytes as they are, so that
 * the parent cleans them as it cleans all text; one longer than
 * PT_MAX_FINDING_TEXT bytes as {"too_long": its length}), a
 * number, a boolean; with_id: a table or proxy (a driver, a KB entry) as
 * its `id`.  Anything else is refused_value. */
static cJSON *value_json(lua_State *L, int idx, bool with_id)
{
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        if (len > PT_MAX_FINDING_TEXT) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "too_long", (double)len);
            return o;
        }
        return cJSON_CreateString(s);
    }
    case LUA_TNUMBER:
        return lua_isinteger(L, idx) ? pt_json_int(lua_tointeger(L, idx))
                                     : cJSON_CreateNumber(lua_tonumber(L, idx));
    case LUA_TBOOLEAN:
        return cJSON_CreateBool(lua_toboolean(L, idx));
    case LUA_TTABLE:
    case LUA_TUSERDATA:
        if (with_id) {
            lua_getfield(L, idx, "id");   /* a proxy answers through its metatable */
            cJSON *v = lua_type(L, -1) == LUA_TSTRING || lua_isinteger(L, -1)
                           ? value_json(L, -1, false) : refused_value(L, -1);
            lua_pop(L, 1);
            return v;
        }
        return refused_value(L, idx);
    default:
        return refused_value(L, idx);
    }
}

/* The finding table at idx as a JSON object of its fields, read raw (the
 * rule's table cannot run a metamethod here); tags as an array of at most
 * PT_MAX_FINDING_TAGS values. */
static cJSON *finding_json(lua_State *L, int idx)
{
    cJSON *o = cJSON_CreateObject();
    for (const char *const *k = finding_fields; *k; k++) {
        lua_pushstring(L, *k);
        int t = lua_rawget(L, idx);
        cJSON *v = NULL;
        if (t == LUA_TNIL) {
            v = NULL;
        } else if (strcmp(*k, "tags") == 0 && t == LUA_TTABLE) {
            v = cJSON_CreateArray();
            for (lua_Integer i = 1; i <= PT_MAX_FINDING_TAGS; i++) {
                if (lua_rawgeti(L, -1, i) == LUA_TNIL) {
                    lua_pop(L, 1);
                    break;
                }
                cJSON_AddItemToArray(v, value_json(L, -1, false));
                lua_pop(L, 1);
            }
        } else if (strcmp(*k, "driver") == 0) {   /* a driver proxy, nothing else */
            v = t == LUA_TTABLE || t == LUA_TUSERDATA ? value_json(L, -1, true)
                                                      : refused_value(L, -1);
        } else {
            v = value_json(L, -1, strcmp(*k, "kb") == 0);
        }
        lua_pop(L, 1);
        if (v)
            cJSON_AddItemToObject(o, *k, v);
    }
    return o;
}

typedef struct rule_run {
    pt_judge *j;
    const pt_rule_source *src;
    pt_wire facts;               /* the facts' bytes, read in rule_body */
    pt_rule_meta meta;
    cJSON *findings, *errors;
    bool loaded;   /* the file ran and declared an id, a title and evaluate */
} rule_run;

static void record(rule_run *rr, const char *where, const char *msg)
{
    char first[512];
    snprintf(first, sizeof first, "%.*s", (int)strcspn(msg, "\n"), msg);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddItemToObject(e, "rule", pt_json_str(rr->meta.id ? rr->meta.id : rr->src->name));
    cJSON_AddItemToObject(e, "where", pt_json_str(where));
    cJSON_AddItemToObject(e, "message", pt_json_str(first));
    cJSON_AddItemToArray(rr->errors, e);
}

/* Everything a rule run touches in Lua, run under protection: loading,
 * building the facts, evaluate(), and turning what it returned into JSON. */
static int rule_body(lua_State *L)
{
    rule_run *rr = lua_touserdata(L, 1);
    lua_settop(L, 0);
    pt_rule_error rerr = {0};
    if (pt_rule_load(L, rr->j->arena, rr->src, &rr->meta, &rerr) != PT_OK) {
        record(rr, rerr.where, rerr.message);
        return 0;
    }
    rr->loaded = true;
    lua_getfield(L, -1, "evaluate");
    const char *why;
    if (!pt_facts_decode(L, &rr->facts, &why)) {
        char msg[200];
        snprintf(msg, sizeof msg, "the facts sent to the rule's process are damaged at "
                 "byte %zu: %s", rr->facts.off, why);
        record(rr, rr->src->name, msg);
        return 0;
    }
    pt_facts_bind(L, rr->j);
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
    for (lua_Integer i = 1; lua_istable(L, list); i++) {
        if (lua_rawgeti(L, list, i) == LUA_TNIL)
            break;
        if (i > PT_MAX_FINDINGS_PER_RULE) {
            lua_pop(L, 1);
            record(rr, rr->src->name, "more than " PT_STR(PT_MAX_FINDINGS_PER_RULE)
                   " findings: the rest are ignored");
            break;
        }
        cJSON_AddItemToArray(rr->findings, lua_istable(L, -1) ? finding_json(L, lua_gettop(L))
                                                              : cJSON_CreateNull());
        lua_pop(L, 1);
    }
    return 0;
}

void pt_rule_child_input(pt_buf *in, const pt_rule_source *src, const char *kb_path,
                         const pt_buf *facts)
{
    pt_wire_put_source(in, src);
    pt_wire_put_str(in, kb_path, strlen(kb_path));
    pt_buf_append(in, facts->data ? facts->data : "", facts->len);
    in->failed |= facts->failed;
}

void pt_rule_child_run(const uint8_t *in, size_t len, pt_buf *out)
{
    pt_wire w = {in, len, 0};
    pt_rule_source src;
    const char *kb_path;
    size_t kb_len;
    pt_arena *arena = pt_arena_new();
    if (arena == NULL || !pt_wire_get_source(&w, arena, &src) ||
        !pt_wire_get_str(&w, &kb_path, &kb_len)) {
        pt_arena_free(arena);
        out->failed = true;
        return;
    }
    const char *kb_file = pt_arena_strndup(arena, kb_path, kb_len);
    pt_error err = {0}, kb_failure = {0};
    pt_kb *kb = NULL;
    pt_judge j = {arena, NULL, NULL, &kb_failure};
    cJSON *root = cJSON_CreateObject();
    rule_run rr = {&j, &src, {in + w.off, len - w.off, 0}, {0}, cJSON_CreateArray(),
                   cJSON_CreateArray(), false};
    bool ok = root && rr.findings && rr.errors && kb_file;
    if (ok && pt_kb_open(kb_file, &kb, &err) == PT_OK) {
        j.kb = kb;
        lua_State *L = pt_lua_open(NULL);
        int status = L ? pt_lua_cpcall(L, rule_body, &rr) : LUA_ERRMEM;
        if (status != LUA_OK && L) {
            char where[512];
            const char *rest;
            pt_lua_first_line(pt_lua_error_text(L, status), where, sizeof where, &rest);
            record(&rr, where[0] ? where : src.name, rest);
        }
        ok = L != NULL;   /* a rule over its memory cap is the rule's error */
        pt_lua_close(L);
    } else if (ok) {
        pt_judge_kb_failed(&j, &err);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToObject(e, "rule", pt_json_str(src.name));
        cJSON_AddItemToObject(e, "where", pt_json_str(err.where));
        cJSON_AddItemToObject(e, "message", pt_json_str(err.message));
        cJSON_AddItemToArray(rr.errors, e);
    }
    if (root == NULL) {
        cJSON_Delete(rr.findings);
        cJSON_Delete(rr.errors);
        out->failed = true;
        pt_kb_close(kb);
        pt_arena_free(arena);
        return;
    }
    cJSON_AddBoolToObject(root, "loaded", rr.loaded);
    cJSON_AddItemToObject(root, "id", pt_json_str(rr.loaded ? rr.meta.id : NULL));
    cJSON_AddBoolToObject(root, "ok", ok);
    cJSON_AddItemToObject(root, "findings", rr.findings ? rr.findings : cJSON_CreateArray());
    cJSON_AddItemToObject(root, "errors", rr.errors ? rr.errors : cJSON_CreateArray());
    if (kb_failure.code != PT_OK) { /* the KB, not the rule, is broken */
        cJSON *e = cJSON_AddObjectToObject(root, "kb_error");
        cJSON_AddItemToObject(e, "where", pt_json_str(kb_failure.where));
        cJSON_AddItemToObject(e, "message", pt_json_str(kb_failure.message));
    }
    pt_json_send(root, out);
    pt_kb_close(kb);
    pt_arena_free(arena);
}
