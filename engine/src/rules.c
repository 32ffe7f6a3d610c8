/*
 * rules.c - the judge stage: runs each Lua rule in its own sandboxed state
 * over read-only facts (host, captures, suspects, drivers, attributions)
 * with KB lookups, and turns what the rules return into findings.  A rule
 * that fails becomes a rule error; the others still run.
 */
#include "pt_internal.h"
#include "pt_lua.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned rule_time_ms;
static const char *json_str(const cJSON *o, const char *key);

/* ---- read-only facts ---- */

/* Stands for a fact that is known but null, so that reading an unknown
 * key can be told apart from reading a null one. */
static const char null_key = 0;
#define PUSH_NULL(L) lua_pushlightuserdata((L), (void *)&null_key)

static bool is_null(lua_State *L, int idx)
{
    return lua_islightuserdata(L, idx) && lua_touserdata(L, idx) == &null_key;
}

static int ro_index(lua_State *L)
{
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(1));
    if (is_null(L, -1)) {
        lua_pushnil(L);
        return 1;
    }
    if (lua_isnil(L, -1) && lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "unknown fact '%s'", lua_tostring(L, 2));
    return 1;
}

static int ro_newindex(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "facts are read-only: cannot set '%s'", lua_tostring(L, 2));
    return luaL_error(L, "facts are read-only");
}

static int ro_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
    return 1;
}

static int ro_next(lua_State *L)
{
    lua_settop(L, 2);
    if (lua_next(L, lua_upvalueindex(1)) == 0)
        return 0;
    if (is_null(L, -1)) {
        lua_pop(L, 1);
        lua_pushnil(L);
    }
    return 2;
}

static int ro_pairs(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__next");
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* Replaces the table at the top of the stack by a read-only proxy of it. */
static void seal(lua_State *L)
{
    int real = lua_gettop(L);
    lua_newtable(L);                       /* proxy */
    lua_createtable(L, 0, 6);              /* metatable */
    lua_pushvalue(L, real);
    lua_pushcclosure(L, ro_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, ro_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, real);
    lua_pushcclosure(L, ro_len, 1);
    lua_setfield(L, -2, "__len");
    lua_pushvalue(L, real);
    lua_pushcclosure(L, ro_next, 1);
    lua_setfield(L, -2, "__next");
    lua_pushcfunction(L, ro_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_replace(L, real);
}

static void set_str(lua_State *L, const char *key, const char *v)
{
    if (v)
        lua_pushstring(L, v);
    else
        PUSH_NULL(L);
    lua_setfield(L, -2, key);
}

static void set_int(lua_State *L, const char *key, int64_t v, bool known)
{
    if (known)
        lua_pushinteger(L, (lua_Integer)v);
    else
        PUSH_NULL(L);
    lua_setfield(L, -2, key);
}

static void set_num(lua_State *L, const char *key, double v, bool known)
{
    if (known)
        lua_pushnumber(L, v);
    else
        PUSH_NULL(L);
    lua_setfield(L, -2, key);
}

static void set_bool(lua_State *L, const char *key, bool v)
{
    lua_pushboolean(L, v);
    lua_setfield(L, -2, key);
}

/* A sealed list of strings. */
static void push_strings(lua_State *L, const char *const *v, size_t count)
{
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        lua_pushstring(L, v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    seal(L);
}

static void push_host(lua_State *L, const pt_host *h)
{
    lua_newtable(L);
    set_str(L, "name", h->name);
    lua_newtable(L);
    set_str(L, "version", h->os_version);
    set_int(L, "build", h->os_build, h->os_build != PT_UNKNOWN);
    push_strings(L, h->os_names, h->os_name_count);
    lua_setfield(L, -2, "names");
    set_str(L, "source", h->os_source);
    seal(L);
    lua_setfield(L, -2, "os");
    seal(L);
}

static void push_captures(lua_State *L, const pt_verdict *v)
{
    lua_createtable(L, (int)v->snapshot_count, 0);
    for (size_t i = 0; i < v->snapshot_count; i++) {
        const pt_snapshot *s = &v->snapshots[i];
        lua_newtable(L);
        set_str(L, "source", s->source);
        set_str(L, "format", pt_capture_format_name(s->format));
        set_int(L, "time", s->time, s->time != PT_UNKNOWN);
        set_str(L, "time_source", pt_time_source_name(s->time_source));
        set_int(L, "nonpaged_bytes", s->nonpaged_kb * 1024, s->nonpaged_kb != PT_UNKNOWN);
        set_int(L, "paged_bytes", s->paged_kb * 1024, s->paged_kb != PT_UNKNOWN);
        set_int(L, "rows", (int64_t)s->row_count, true);
        seal(L);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    seal(L);
}

static void push_suspects(lua_State *L, const pt_verdict *v)
{
    lua_createtable(L, (int)v->suspect_count, 0);
    for (size_t i = 0; i < v->suspect_count; i++) {
        const pt_suspect *s = &v->suspects[i];
        lua_newtable(L);
        set_str(L, "tag", s->tag);
        set_str(L, "pool", pt_pool_type_name(s->pool));
        set_int(L, "bytes", (int64_t)s->bytes, true);
        set_num(L, "share", s->share, true);
        set_num(L, "growth_bytes_per_hour", s->growth_bytes_per_hour, s->has_growth);
        set_bool(L, "generic", s->generic);
        set_str(L, "mapped_driver", s->mapped_driver);
        set_int(L, "allocs", (int64_t)s->allocs, true);
        set_int(L, "frees", (int64_t)s->frees, true);
        set_int(L, "diff", s->diff, true);
        set_num(L, "score", s->score, true);
        set_bool(L, "steady", s->steady);
        set_int(L, "delta_bytes", s->delta_bytes, s->has_growth);
        set_num(L, "growth_percent", s->growth_percent,
                s->has_growth && isfinite(s->growth_percent));
        set_int(L, "outstanding_delta", s->outstanding_delta, s->has_growth);
        set_num(L, "limit_share", s->limit_share, s->limit_share >= 0);
        seal(L);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    seal(L);
}

/* The numeric file version of a driver ("18.10.0.189"), or NULL. */
const char *pt_driver_numeric_version(pt_arena *arena, const pt_driver *d)
{
    if (!d->pe_read || !d->pe.has_version)
        return NULL;
    const uint16_t *f = d->pe.file_version;
    return pt_arena_printf(arena, "%u.%u.%u.%u", f[0], f[1], f[2], f[3]);
}

static void push_driver(lua_State *L, pt_arena *arena, const pt_driver *d, size_t index)
{
    lua_newtable(L);
    set_int(L, "id", (int64_t)index + 1, true);
    set_str(L, "name", d->name);
    set_str(L, "path", d->path);
    set_int(L, "size", (int64_t)d->size, true);
    set_str(L, "sha256", d->sha256[0] ? d->sha256 : NULL);
    const pt_pe_info *pe = d->pe_read ? &d->pe : NULL;
    set_str(L, "machine", pe ? pt_pe_machine_name(pe->machine) : NULL);
    set_str(L, "file_version", pe ? pt_pe_file_version(pe) : NULL);
    set_str(L, "file_version_numeric", pt_driver_numeric_version(arena, d));
    set_str(L, "product_version", pe ? pt_pe_product_version(pe) : NULL);
    set_str(L, "company", pe ? pt_pe_company(pe) : NULL);
    set_str(L, "product", pe ? pt_pe_product_name(pe) : NULL);
    set_str(L, "description", pe ? pt_pe_description(pe) : NULL);
    set_bool(L, "imports_pool_tag_api", pe && (pe->pool_imports & PT_IMP_TAGGED));
    if (d->signer) {
        lua_newtable(L);
        set_str(L, "status", d->signer->status);
        set_str(L, "subject", d->signer->subject);
        set_str(L, "issuer", d->signer->issuer);
        set_str(L, "signing_time", d->signer->signing_time);
        seal(L);
        lua_setfield(L, -2, "signer");
    } else {
        set_str(L, "signer", NULL);
    }
    set_str(L, "error", d->error);
    seal(L);
}

/* ctx.drivers, and a registry list to find a driver table by index. */
static void push_drivers(lua_State *L, pt_arena *arena, const pt_verdict *v)
{
    lua_createtable(L, (int)v->driver_count, 0);
    for (size_t i = 0; i < v->driver_count; i++) {
        push_driver(L, arena, &v->drivers[i], i);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, "pooltriage.drivers");
    seal(L);
}

static void push_candidate(lua_State *L, const pt_verdict *v, const pt_candidate *c)
{
    lua_newtable(L);
    lua_getfield(L, LUA_REGISTRYINDEX, "pooltriage.drivers");
    lua_rawgeti(L, -1, (lua_Integer)(c->driver - v->drivers) + 1);
    lua_setfield(L, -3, "driver");
    lua_pop(L, 1);
    set_num(L, "confidence", c->confidence, true);
    set_str(L, "best", pt_evidence_kind_name(c->best));
    lua_createtable(L, (int)c->evidence_count, 0);
    for (size_t e = 0; e < c->evidence_count; e++) {
        const pt_evidence *ev = &c->evidence[e];
        lua_newtable(L);
        set_str(L, "kind", pt_evidence_kind_name(ev->kind));
        set_int(L, "offset", (int64_t)ev->offset, ev->kind != PT_EV_HINT);
        set_str(L, "section", ev->section);
        set_str(L, "detail", ev->detail);
        seal(L);
        lua_rawseti(L, -2, (lua_Integer)e + 1);
    }
    seal(L);
    lua_setfield(L, -2, "evidence");
    seal(L);
}

/* ctx.candidates(tag): the drivers holding a tag, best first. */
static int ctx_candidates(lua_State *L)
{
    const char *tag = luaL_checkstring(L, 1);
    lua_pushstring(L, tag);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNIL) {
        lua_newtable(L);
        seal(L);
    }
    return 1;
}

static void push_attributions(lua_State *L, const pt_verdict *v)
{
    lua_newtable(L); /* tag -> candidates, for ctx.candidates */
    lua_createtable(L, (int)v->attribution_count, 0);
    for (size_t i = 0; i < v->attribution_count; i++) {
        const pt_attribution *a = &v->attributions[i];
        lua_newtable(L);
        set_str(L, "tag", a->tag);
        lua_createtable(L, (int)a->candidate_count, 0);
        for (size_t c = 0; c < a->candidate_count; c++) {
            push_candidate(L, v, &a->candidates[c]);
            lua_rawseti(L, -2, (lua_Integer)c + 1);
        }
        seal(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -5, a->tag);
        lua_setfield(L, -2, "candidates");
        seal(L);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    seal(L);
    lua_insert(L, -2);
    lua_pushcclosure(L, ctx_candidates, 1);
}

/* ---- KB lookups from Lua ---- */

typedef struct judge {
    pt_arena *arena;
    pt_kb *kb;
    const pt_verdict *verdict;
} judge;

static void push_tristate(lua_State *L, const char *key, int v)
{
    if (v < 0)
        PUSH_NULL(L);
    else
        lua_pushboolean(L, v);
    lua_setfield(L, -2, key);
}

static void push_kb_entry(lua_State *L, const pt_kb_entry *e, const pt_kb_match *m)
{
    lua_newtable(L);
    set_str(L, "id", e->id);
    set_str(L, "title", e->title);
    set_str(L, "vendor", e->vendor);
    set_str(L, "product", e->product);
    set_str(L, "severity", e->severity);
    set_str(L, "fixed_in", e->fixed_in);
    set_str(L, "workaround", e->workaround);
    set_str(L, "notes", e->notes);
    set_bool(L, "tag_match", m->tag_match);
    set_bool(L, "driver_match", m->driver_match);
    push_tristate(L, "version_match", m->version_match);
    push_tristate(L, "os_match", m->os_match);
    set_str(L, "range_id", m->range_id);
    push_strings(L, e->tags, e->tag_count);
    lua_setfield(L, -2, "tags");
    push_strings(L, e->drivers, e->driver_count);
    lua_setfield(L, -2, "drivers");
    lua_createtable(L, (int)e->ref_count, 0);
    for (size_t r = 0; r < e->ref_count; r++) {
        lua_newtable(L);
        set_str(L, "kind", e->refs[r].kind);
        set_str(L, "title", e->refs[r].title);
        set_str(L, "url", e->refs[r].url);
        set_str(L, "archived_url", e->refs[r].archived_url);
        seal(L);
        lua_rawseti(L, -2, (lua_Integer)r + 1);
    }
    seal(L);
    lua_setfield(L, -2, "references");
    seal(L);
}

static const char *opt_field(lua_State *L, const char *key)
{
    lua_getfield(L, 1, key);
    const char *s = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return s;
}

/* kb.lookup{tag=, driver=, version=, build=} -> list of matching entries. */
static int kb_lookup(lua_State *L)
{
    judge *j = lua_touserdata(L, lua_upvalueindex(1));
    luaL_checktype(L, 1, LUA_TTABLE);
    pt_kb_query q = {opt_field(L, "tag"), opt_field(L, "driver"),
                     opt_field(L, "version"), PT_UNKNOWN};
    lua_getfield(L, 1, "build");
    if (lua_isinteger(L, -1))
        q.build = (int64_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    pt_kb_match *m;
    size_t count;
    pt_error err = {0};
    if (pt_kb_lookup(j->arena, j->kb, &q, &m, &count, &err) != PT_OK)
        return luaL_error(L, "kb.lookup: %s", err.message);
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        pt_kb_entry e;
        if (pt_kb_get(j->arena, j->kb, m[i].id, &e, &err) != PT_OK)
            return luaL_error(L, "kb.lookup: %s", err.message);
        push_kb_entry(L, &e, &m[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    seal(L);
    return 1;
}

/* ctx.pool(tag) -> the rows of a tag in the latest capture, as
 * {tag, pool, bytes, share}; empty when the tag is not there. */
static int ctx_pool(lua_State *L)
{
    judge *j = lua_touserdata(L, lua_upvalueindex(1));
    const char *tag = luaL_checkstring(L, 1);
    char key[5];
    snprintf(key, sizeof key, "%-4.4s", tag);
    const pt_verdict *v = j->verdict;
    lua_newtable(L);
    if (v->snapshot_count == 0) {
        seal(L);
        return 1;
    }
    const pt_snapshot *last = &v->snapshots[v->snapshot_count - 1];
    lua_Integer n = 0;
    for (size_t r = 0; r < last->row_count; r++) {
        const pt_pool_row *row = &last->rows[r];
        if (memcmp(row->tag, key, 4) != 0)
            continue;
        uint64_t total = pt_snapshot_pool_bytes(last, row->pool);
        lua_newtable(L);
        set_str(L, "tag", row->tag);
        set_str(L, "pool", pt_pool_type_name(row->pool));
        set_int(L, "bytes", (int64_t)row->bytes, true);
        set_num(L, "share", total ? (double)row->bytes / (double)total : 0.0, true);
        seal(L);
        lua_rawseti(L, -2, ++n);
    }
    seal(L);
    return 1;
}

/* kb.tag_facts(tag) -> what kb/tags says about a tag: a list of
 * {set, kind, tag, vendor, note, drivers, leaks_through}. */
static int kb_tag_facts(lua_State *L)
{
    judge *j = lua_touserdata(L, lua_upvalueindex(1));
    const char *tag = luaL_checkstring(L, 1);
    char key[5];
    snprintf(key, sizeof key, "%-4.4s", tag);
    pt_tag_fact *f;
    size_t n;
    pt_error err = {0};
    if (pt_kb_tag_facts(j->arena, j->kb, key, &f, &n, &err) != PT_OK)
        return luaL_error(L, "kb.tag_facts: %s", err.message);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_newtable(L);
        set_str(L, "set", f[i].set_id);
        set_str(L, "kind", f[i].kind);
        set_str(L, "tag", f[i].tag);
        set_str(L, "vendor", f[i].vendor);
        set_str(L, "note", f[i].note);
        push_strings(L, f[i].drivers, f[i].driver_count);
        lua_setfield(L, -2, "drivers");
        push_strings(L, f[i].leaks_through, f[i].leak_count);
        lua_setfield(L, -2, "leaks_through");
        seal(L);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    seal(L);
    return 1;
}

static void push_driver_files(lua_State *L, const pt_verdict *v)
{
    lua_createtable(L, (int)v->driver_file_count, 0);
    for (size_t i = 0; i < v->driver_file_count; i++) {
        lua_newtable(L);
        set_str(L, "name", v->driver_files[i].name);
        set_str(L, "path", v->driver_files[i].path);
        seal(L);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    seal(L);
}

/* version_cmp(a, b) -> -1, 0, 1 (four-part numeric, strings allowed). */
static int version_cmp(lua_State *L)
{
    pt_version a, b;
    pt_version_parse(luaL_checkstring(L, 1), &a);
    pt_version_parse(luaL_checkstring(L, 2), &b);
    int c = pt_version_cmp(&a, &b);
    lua_pushinteger(L, c < 0 ? -1 : c > 0);
    return 1;
}

/* Leaves the sealed ctx table on the stack. */
static void push_ctx(lua_State *L, judge *j)
{
    const pt_verdict *v = j->verdict;
    lua_newtable(L);
    push_host(L, &v->host);
    lua_setfield(L, -2, "host");
    push_captures(L, v);
    lua_setfield(L, -2, "captures");
    push_suspects(L, v);
    lua_setfield(L, -2, "suspects");
    push_drivers(L, j->arena, v);
    lua_setfield(L, -2, "drivers");
    push_attributions(L, v);
    lua_setfield(L, -3, "candidates");
    lua_setfield(L, -2, "attributions");
    push_strings(L, v->searched, v->searched_count);
    lua_setfield(L, -2, "searched");
    push_driver_files(L, v);
    lua_setfield(L, -2, "driver_files");
    lua_newtable(L);
    lua_pushlightuserdata(L, j);
    lua_pushcclosure(L, kb_lookup, 1);
    lua_setfield(L, -2, "lookup");
    lua_pushlightuserdata(L, j);
    lua_pushcclosure(L, kb_tag_facts, 1);
    lua_setfield(L, -2, "tag_facts");
    set_str(L, "version", v->kb_version);
    seal(L);
    lua_setfield(L, -2, "kb");
    lua_pushcfunction(L, version_cmp);
    lua_setfield(L, -2, "version_cmp");
    lua_pushlightuserdata(L, j);
    lua_pushcclosure(L, ctx_pool, 1);
    lua_setfield(L, -2, "pool");
    seal(L);
}

/* ---- loading a rule ---- */

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
    char *text = cJSON_PrintUnformatted(root);
    if (text)
        pt_buf_puts(out, text);
    else
        out->failed = true;
    pt_free(text);
    cJSON_Delete(root);
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
    pt_code rc = pt_platform_run_isolated(meta_child, &m, rule_time_ms, &buf, &ierr);
    cJSON *root = rc == PT_OK && !buf.failed ? cJSON_ParseWithLength(buf.data ? buf.data : "", buf.len) : NULL;
    pt_buf_free(&buf);
    if (root == NULL) {
        return pt_error_set(err, PT_ERULE, name, "%s", rc == PT_ELIMIT
                            ? "time limit exceeded while loading the rule" : ierr.message);
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

static const char *field_str(lua_State *L, int idx, const char *key)
{
    lua_getfield(L, idx, key);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return s;
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

/* Reads the finding table at `idx` into *f; NULL or why it is invalid. */
static const char *read_finding(lua_State *L, int idx, judge *j, const char *rule_id,
                                pt_finding *f)
{
    pt_arena *a = j->arena;
    memset(f, 0, sizeof *f);
    f->rule = rule_id;
    const char *level = field_str(L, idx, "level");
    if (level == NULL || !pt_level_parse(level, &f->level) || f->level == PT_LEVEL_CLEAN)
        return "field 'level' must be \"info\", \"suspect\", \"likely\" or \"known\"";
    if ((f->title = pt_arena_strdup(a, field_str(L, idx, "title"))) == NULL)
        return "field 'title' must be a string";
    f->explanation = pt_arena_strdup(a, field_str(L, idx, "explanation"));
    f->action = pt_arena_strdup(a, field_str(L, idx, "action"));
    f->range_id = pt_arena_strdup(a, field_str(L, idx, "range_id"));
    const char *tag = field_str(L, idx, "tag");
    if (tag) {
        snprintf(f->tag, sizeof f->tag, "%-4.4s", tag);
    }
    const char *pool = field_str(L, idx, "pool");
    if (pool) {
        if (strcmp(pool, "nonpaged") && strcmp(pool, "paged"))
            return "field 'pool' must be \"nonpaged\" or \"paged\"";
        f->has_pool = true;
        f->pool = strcmp(pool, "paged") == 0 ? PT_POOL_PAGED : PT_POOL_NONPAGED;
    }
    lua_getfield(L, idx, "bytes");
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0)
        f->bytes = (uint64_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, idx, "share");
    if (lua_isnumber(L, -1))
        f->share = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, idx, "tags") == LUA_TTABLE) {
        lua_Integer n = (lua_Integer)luaL_len(L, -1);
        if (n > 64)
            n = 64;
        f->tags = pt_arena_alloc(a, (size_t)(n + 1) * sizeof *f->tags);
        for (lua_Integer i = 1; f->tags && i <= n; i++) {
            lua_geti(L, -1, i);
            if (lua_type(L, -1) == LUA_TSTRING)
                f->tags[f->tag_count++] = pt_arena_printf(a, "%-4.4s", lua_tostring(L, -1));
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    if (lua_getfield(L, idx, "driver") != LUA_TNIL) {
        lua_getfield(L, -1, "id");
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
    int t = lua_getfield(L, idx, "kb");
    if (t == LUA_TSTRING)
        kb_id = lua_tostring(L, -1);
    else if (t != LUA_TNIL)
        kb_id = field_str(L, lua_gettop(L), "id");
    if (kb_id) {
        pt_kb_entry *e = pt_arena_alloc(a, sizeof *e);
        pt_error err = {0};
        if (e == NULL || pt_kb_get(a, j->kb, kb_id, e, &err) != PT_OK) {
            lua_pop(L, 1);
            return "field 'kb' names no entry of the knowledge base";
        }
        f->kb = e;
    }
    lua_pop(L, 1);
    return NULL;
}

void pt_finding_fingerprint(pt_arena *arena, pt_finding *f)
{
    const char *range = f->range_id;
    if (range == NULL && f->driver)
        range = pt_driver_numeric_version(arena, f->driver);
    pt_fingerprint(f->rule, f->kb ? f->kb->id : NULL, f->tag,
                   f->driver ? f->driver->name : NULL, range, f->fingerprint);
}

void pt_fingerprint(const char *rule, const char *kb_id, const char *tag,
                    const char *driver_name, const char *range_or_version, char out[65])
{
    pt_buf b = {0};
    pt_buf_printf(&b, "%s|%s|", rule ? rule : "", kb_id ? kb_id : (tag ? tag : ""));
    for (const char *p = driver_name ? driver_name : ""; *p; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
        pt_buf_append(&b, &c, 1);
    }
    pt_buf_printf(&b, "|%s", range_or_version ? range_or_version : "");
    pt_sha256_hex(b.data ? b.data : "", b.len, out);
    pt_buf_free(&b);
}

typedef struct results {
    pt_finding *findings;
    size_t count, cap;
    pt_rule_error *errors;
    size_t error_count, error_cap;
} results;

static bool add_rule_error(results *r, pt_arena *a, const char *rule, const char *where,
                           const char *msg)
{
    pt_rule_error e = {pt_arena_strdup(a, rule), pt_arena_strdup(a, where),
                       pt_arena_strdup(a, msg)};
    return PT_PUSH(r->errors, r->error_count, r->error_cap, e);
}

/* One problem is one finding: a second finding with the same fingerprint
 * only raises the level of the first. */
static bool add_finding(results *r, const pt_finding *f)
{
    for (size_t i = 0; i < r->count; i++) {
        if (strcmp(r->findings[i].fingerprint, f->fingerprint) == 0) {
            if (f->level > r->findings[i].level)
                r->findings[i] = *f;
            return true;
        }
    }
    return PT_PUSH(r->findings, r->count, r->cap, *f);
}

typedef struct rule_run {
    judge *j;
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
    push_ctx(L, rr->j);
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
        if (lua_geti(L, list, i) == LUA_TNIL)
            break;
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
static bool run_rule(judge *j, const pt_rule_source *src, results *r, bool *loaded)
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
    pt_lua_close(L);
    return !rr.oom;
}

/* ---- isolation: each rule runs in a child process ---- */

static unsigned rule_time_ms = PT_RULE_TIME_MS;

void pt_rules_set_time_limit(unsigned ms) { rule_time_ms = ms ? ms : PT_RULE_TIME_MS; }

static cJSON *opt_json_str(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

static cJSON *finding_to_json(const pt_finding *f, const pt_verdict *v)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "rule", opt_json_str(f->rule));
    cJSON_AddNumberToObject(o, "level", f->level);
    cJSON_AddItemToObject(o, "title", opt_json_str(f->title));
    cJSON_AddItemToObject(o, "explanation", opt_json_str(f->explanation));
    cJSON_AddStringToObject(o, "tag", f->tag);
    cJSON_AddItemToObject(o, "tags", cJSON_CreateStringArray(f->tags, (int)f->tag_count));
    cJSON_AddNumberToObject(o, "pool", f->has_pool ? (double)f->pool : -1);
    cJSON_AddNumberToObject(o, "bytes", (double)f->bytes);
    cJSON_AddNumberToObject(o, "share", f->share);
    cJSON_AddNumberToObject(o, "driver", f->driver ? (double)(f->driver - v->drivers) : -1);
    cJSON_AddItemToObject(o, "kb", opt_json_str(f->kb ? f->kb->id : NULL));
    cJSON_AddItemToObject(o, "range_id", opt_json_str(f->range_id));
    cJSON_AddItemToObject(o, "action", opt_json_str(f->action));
    return o;
}

typedef struct child_job {
    judge *j;
    const pt_rule_source *src;
} child_job;

/* In the child: run the rule and write what it found as JSON. */
static void child_run(void *ctx, pt_buf *out)
{
    child_job *cj = ctx;
    judge j = *cj->j;
    pt_error err = {0};
    pt_kb *kb = NULL;
    results r = {0};
    bool loaded = false, ok = false;
    /* a connection of its own: SQLite handles must not cross a fork */
    if (pt_kb_open(pt_kb_path(cj->j->kb), &kb, &err) == PT_OK) {
        j.kb = kb;
        ok = run_rule(&j, cj->src, &r, &loaded);
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddBoolToObject(root, "loaded", loaded);
    cJSON_AddBoolToObject(root, "ok", ok);
    cJSON *fs = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < r.count; i++)
        cJSON_AddItemToArray(fs, finding_to_json(&r.findings[i], j.verdict));
    cJSON *es = cJSON_AddArrayToObject(root, "errors");
    for (size_t i = 0; i < r.error_count; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToObject(e, "rule", opt_json_str(r.errors[i].rule));
        cJSON_AddItemToObject(e, "where", opt_json_str(r.errors[i].where));
        cJSON_AddItemToObject(e, "message", opt_json_str(r.errors[i].message));
        cJSON_AddItemToArray(es, e);
    }
    if (kb == NULL) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToObject(e, "rule", opt_json_str(cj->src->name));
        cJSON_AddItemToObject(e, "where", opt_json_str(err.where));
        cJSON_AddItemToObject(e, "message", opt_json_str(err.message));
        cJSON_AddItemToArray(es, e);
    }
    char *text = cJSON_PrintUnformatted(root);
    if (text)
        pt_buf_puts(out, text);
    else
        out->failed = true;
    pt_free(text);
    cJSON_Delete(root);
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
static bool finding_from_json(judge *j, const cJSON *o, pt_finding *f)
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
        if (e == NULL || pt_kb_get(a, j->kb, kb_id, e, &err) != PT_OK)
            return false;
        f->kb = e;
    }
    f->range_id = pt_arena_strdup(a, json_str(o, "range_id"));
    f->action = pt_arena_strdup(a, json_str(o, "action"));
    pt_finding_fingerprint(a, f);
    return true;
}

/* Runs one rule in a child process and merges what it found.  false only
 * when the engine itself runs out of memory. */
static bool run_isolated(judge *j, const pt_rule_source *src, results *r, bool *loaded)
{
    child_job cj = {j, src};
    pt_buf out = {0};
    pt_error err = {0};
    pt_code rc = pt_platform_run_isolated(child_run, &cj, rule_time_ms, &out, &err);
    bool ok = true;
    cJSON *root = rc == PT_OK && !out.failed ? cJSON_ParseWithLength(out.data ? out.data : "", out.len) : NULL;
    if (root == NULL) {
        const char *why = rc == PT_ELIMIT ? "time limit exceeded: the rule ran longer than allowed "
                                            "(a string function or pattern too slow?)"
                          : rc == PT_OK ? "the rule's process returned no result"
                                        : err.message;
        char msg[600];
        snprintf(msg, sizeof msg, "%s", why);
        if (rc == PT_ELIMIT)
            snprintf(msg, sizeof msg, "%s (%u ms)", why, rule_time_ms);
        ok = add_rule_error(r, j->arena, src->name, src->name, msg);
        pt_buf_free(&out);
        return ok;
    }
    *loaded |= cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "loaded"));
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

/* One problem is one finding: findings of different rules about the same
 * tag and driver fold into the most severe one, which keeps every tag. */
static void fold_by_tag(results *r)
{
    size_t kept = 0;
    for (size_t i = 0; i < r->count; i++) {
        pt_finding *f = &r->findings[i];
        size_t k = 0;
        for (; f->tag[0] && k < kept; k++) {
            pt_finding *g = &r->findings[k];
            if (strcmp(g->tag, f->tag) == 0 && (g->driver == f->driver || !g->driver || !f->driver))
                break;
        }
        if (!f->tag[0] || k == kept) {
            r->findings[kept++] = *f;
            continue;
        }
        if (f->level > r->findings[k].level ||
            (f->level == r->findings[k].level && f->kb && !r->findings[k].kb))
            r->findings[k] = *f;
    }
    r->count = kept;
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
    judge j = {arena, kb, v};
    results r = {0};
    bool any_loaded = false, ok = true;
    for (size_t i = 0; i < rule_count && ok; i++)
        ok = run_isolated(&j, &rules[i], &r, &any_loaded);
    fold_by_tag(&r);
    bool adopted = pt_arena_adopt(arena, r.findings) & pt_arena_adopt(arena, r.errors);
    if (!ok || !adopted)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
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
        const char *name = strrchr(files[i], '/') ? strrchr(files[i], '/') + 1 : files[i];
        if (rc == PT_OK && pt_ends_with_ci(name, ".lua")) {
            uint8_t *text;
            size_t len;
            pt_rule_source s = {pt_arena_strdup(arena, name), NULL, 0};
            rc = pt_file_read(arena, files[i], PT_MAX_RULE_BYTES, &text, &len, err);
            if (rc != PT_OK && rc != PT_ENOMEM)
                rc = PT_ERULE;
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
