/*
 * rules_load.c - the judge stage: a rule's source files (--rules DIR, the
 * KB's shipped rules) and loading one rule: its chunk runs in a sandboxed
 * state and must return a table with an id, a title and evaluate.  Reading
 * a rule's metadata alone runs in a child process, like a rule run.
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
#include <string.h>

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

pt_code pt_rule_load(struct lua_State *L, pt_arena *arena, const pt_rule_source *src,
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
    m->rc = pt_rule_load(L, m->arena, m->src, m->meta, &m->rerr);
    return 0;
}

/* In a child: load the rule and write its metadata or its error as JSON. */
static void meta_child(const uint8_t *in, size_t len, pt_buf *out)
{
    pt_wire w = {in, len, 0};
    pt_rule_source src;
    pt_arena *arena = pt_arena_new();
    if (arena == NULL || !pt_wire_get_source(&w, arena, &src)) {
        pt_arena_free(arena);
        out->failed = true;
        return;
    }
    pt_rule_meta meta = {0};
    meta_run run = {arena, &src, &meta, {0}, PT_OK}, *m = &run;
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
    pt_json_send(root, out);
    pt_lua_close(L);
    pt_arena_free(arena);
}

pt_code pt_rule_meta_read_within(pt_arena *arena, const char *name, const char *text,
                                 size_t len, unsigned limit_ms, pt_rule_meta *out,
                                 pt_error *err)
{
    memset(out, 0, sizeof *out);
    pt_buf in = {0}, buf = {0};
    pt_wire_put_source(&in, &(pt_rule_source){name, text, len});
    pt_error ierr = {0};
    pt_code rc = in.failed ? pt_error_set(&ierr, PT_ENOMEM, "", "out of memory")
                           : pt_platform_run_isolated(meta_child, in.data, in.len, limit_ms,
                                                      PT_MAX_RULE_OUTPUT, &buf, &ierr);
    pt_buf_free(&in);
    cJSON *root = rc == PT_OK && !buf.failed ? cJSON_ParseWithLength(buf.data ? buf.data : "", buf.len) : NULL;
    pt_buf_free(&buf);
    if (root == NULL) {
        return pt_error_set(err, PT_ERULE, name, "%s%s",
                            rc == PT_ELIMIT ? "limit exceeded while loading the rule: "
                                            : "the rule's process failed: ",
                            rc == PT_OK ? "no result" : ierr.message);
    }
    if (pt_json_get_str(root, "message")) {
        rc = pt_error_set(err, PT_ERULE, pt_json_get_str(root, "where"), "%s", pt_json_get_str(root, "message"));
    } else {
        out->id = pt_arena_strdup(arena, pt_json_get_str(root, "id"));
        out->title = pt_arena_strdup(arena, pt_json_get_str(root, "title"));
        out->author = pt_arena_strdup(arena, pt_json_get_str(root, "author"));
        rc = out->id && out->title ? PT_OK : pt_error_set(err, PT_ENOMEM, name, "out of memory");
    }
    cJSON_Delete(root);
    return rc;
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
