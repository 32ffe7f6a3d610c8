/*
 * rules_facts.c - the facts a rule sees: host, captures, suspects, drivers,
 * attributions and KB lookups.  The parent builds them once per triage as
 * plain Lua tables (pt_facts_push), they travel to each rule's process as
 * bytes (facts_wire.c), and there they go behind read-only proxies
 * (pt_facts_bind: writing a fact, or reading an unknown one, is an error
 * that names the key).  Part of the judge stage (rules.c runs them).
 */
#include "pooltriage/pooltriage.h"
#include "judge_int.h"
#include "pt_lua.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- read-only facts ---- */

/* Stands for a fact that is known but null, so that reading an unknown
 * key can be told apart from reading a null one. */
static const char null_key = 0;
#define PUSH_NULL(L) lua_pushlightuserdata((L), (void *)&null_key)

static bool is_null(lua_State *L, int idx)
{
    return lua_islightuserdata(L, idx) && lua_touserdata(L, idx) == &null_key;
}

void pt_facts_push_null(lua_State *L) { PUSH_NULL(L); }
bool pt_facts_is_null(lua_State *L, int idx) { return is_null(L, idx); }

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

static void seal_tree(lua_State *L, int memo);

/* Replaces every table value of the table at t by its sealed proxy. */
static void seal_values(lua_State *L, int t, int memo)
{
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_istable(L, -1)) {
            seal_tree(L, memo);
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, t);   /* an existing field: allowed while traversing */
        } else {
            lua_pop(L, 1);
        }
    }
}

/* Seals the table at the top of the stack and every table in it, each
 * once: a table reached twice (a candidate's driver, also in ctx.drivers)
 * becomes the same proxy.  memo (a stack index): raw table -> proxy. */
static void seal_tree(lua_State *L, int memo)
{
    int t = lua_gettop(L);
    lua_pushvalue(L, t);
    if (lua_rawget(L, memo) != LUA_TNIL) {
        lua_replace(L, t);
        return;
    }
    lua_pop(L, 1);
    luaL_checkstack(L, 8, "facts nested too deep");
    seal_values(L, t, memo);
    lua_pushvalue(L, t);
    seal(L);
    lua_pushvalue(L, t);
    lua_pushvalue(L, -2);
    lua_rawset(L, memo);
    lua_replace(L, t);
}

/* seal_tree with a memo of its own. */
static void seal_all(lua_State *L)
{
    lua_newtable(L);
    lua_insert(L, -2);
    seal_tree(L, lua_gettop(L) - 1);
    lua_remove(L, -2);
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
    lua_setfield(L, -2, "os");
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
        uint64_t np = 0, pg = 0;
        bool has_np = pt_snapshot_pool_total(s, PT_POOL_NONPAGED, &np);
        bool has_pg = pt_snapshot_pool_total(s, PT_POOL_PAGED, &pg);
        set_int(L, "nonpaged_bytes", (int64_t)np, has_np && np <= INT64_MAX);
        set_int(L, "paged_bytes", (int64_t)pg, has_pg && pg <= INT64_MAX);
        set_int(L, "rows", (int64_t)s->row_count, true);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* Does the capture's own mapping (!poolused "Binary: nt!cm", poolmon /g
 * from pooltag.txt) name the kernel as the tag's owner? */
static bool kernel_mapped(const char *mapped)
{
    if (mapped == NULL)
        return false;
    if (strncmp(mapped, "nt!", 3) == 0)
        return true;
    for (const char *p = mapped; *p; p++)
        if (strncasecmp(p, "ntoskrnl", 8) == 0)
            return true;
    return false;
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
        set_bool(L, "kernel_mapped", kernel_mapped(s->mapped_driver));
        set_int(L, "delta_bytes", s->delta_bytes, s->has_growth);
        set_num(L, "growth_percent", s->growth_percent,
                s->has_growth && isfinite(s->growth_percent));
        set_int(L, "outstanding_delta", s->outstanding_delta, s->has_growth);
        set_num(L, "limit_share", s->limit_share, s->limit_share >= 0);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* The numeric file version of a driver ("18.10.0.189"), or NULL. */
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
        set_str(L, "status", pt_sig_status_name(d->signer->status));
        set_str(L, "subject", d->signer->subject);
        set_str(L, "issuer", d->signer->issuer);
        set_str(L, "signing_time", d->signer->signing_time);
        set_str(L, "trust", d->signer->trust);
        set_str(L, "root", d->signer->trust_root);
        lua_setfield(L, -2, "signer");
    } else {
        set_str(L, "signer", NULL);
    }
    set_str(L, "error", d->error);
}

/* ctx.drivers. */
static void push_drivers(lua_State *L, pt_arena *arena, const pt_verdict *v)
{
    lua_createtable(L, (int)v->driver_count, 0);
    for (size_t i = 0; i < v->driver_count; i++) {
        push_driver(L, arena, &v->drivers[i], i);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* A candidate; its `driver` is the very table of ctx.drivers (at index
 * `drivers`), so that a rule can compare them. */
static void push_candidate(lua_State *L, int drivers, const pt_verdict *v,
                           const pt_candidate *c)
{
    lua_newtable(L);
    lua_rawgeti(L, drivers, (lua_Integer)(c->driver - v->drivers) + 1);
    lua_setfield(L, -2, "driver");
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
        lua_rawseti(L, -2, (lua_Integer)e + 1);
    }
    lua_setfield(L, -2, "evidence");
}

/* ctx.candidates(tag): the drivers holding a tag, best first. */
static int ctx_candidates(lua_State *L)
{
    lua_pushstring(L, luaL_checkstring(L, 1));
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNIL) {
        lua_newtable(L);
        seal(L);
    }
    return 1;
}

/* Sets facts.attributions and facts.candidates (tag -> the same
 * candidate lists) in the facts table at `facts`. */
static void push_attributions(lua_State *L, int facts, const pt_verdict *v)
{
    lua_getfield(L, facts, "drivers");
    int drivers = lua_gettop(L);
    lua_newtable(L); /* tag -> candidates, for ctx.candidates */
    lua_createtable(L, (int)v->attribution_count, 0);
    for (size_t i = 0; i < v->attribution_count; i++) {
        const pt_attribution *a = &v->attributions[i];
        lua_newtable(L);
        set_str(L, "tag", a->tag);
        lua_createtable(L, (int)a->candidate_count, 0);
        for (size_t c = 0; c < a->candidate_count; c++) {
            push_candidate(L, drivers, v, &a->candidates[c]);
            lua_rawseti(L, -2, (lua_Integer)c + 1);
        }
        lua_pushvalue(L, -1);
        lua_setfield(L, -5, a->tag);
        lua_setfield(L, -2, "candidates");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, facts, "attributions");
    lua_setfield(L, facts, "candidates");
    lua_pop(L, 1);
}

/* facts.pool: padded tag -> its rows in the latest capture, as
 * {tag, pool, bytes, share}. */
static void push_pool(lua_State *L, const pt_verdict *v)
{
    lua_newtable(L);
    if (v->snapshot_count == 0)
        return;
    const pt_snapshot *last = &v->snapshots[v->snapshot_count - 1];
    for (size_t r = 0; r < last->row_count; r++) {
        const pt_pool_row *row = &last->rows[r];
        char key[5];
        snprintf(key, sizeof key, "%-4.4s", row->tag);
        if (lua_getfield(L, -1, key) == LUA_TNIL) {
            lua_pop(L, 1);
            lua_newtable(L);
            lua_pushvalue(L, -1);
            lua_setfield(L, -3, key);
        }
        uint64_t total = pt_snapshot_pool_bytes(last, row->pool);
        lua_newtable(L);
        set_str(L, "tag", row->tag);
        set_str(L, "pool", pt_pool_type_name(row->pool));
        set_int(L, "bytes", (int64_t)row->bytes, true);
        set_num(L, "share", total ? (double)row->bytes / (double)total : 0.0, true);
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
        lua_pop(L, 1);
    }
}

/* ---- KB lookups from Lua ---- */


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
    push_tristate(L, "fixed", m->fixed);
    set_str(L, "version_field", m->version_field);
    set_str(L, "versions", e->version_field);
    set_str(L, "version_scheme", e->version_scheme);
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
        lua_rawseti(L, -2, (lua_Integer)r + 1);
    }
    lua_setfield(L, -2, "references");
}

/* A string field of the query table, read raw (no metamethod can run) and
 * copied out before it is popped: the collector may free the Lua string. */
static const char *opt_field(lua_State *L, pt_arena *arena, const char *key)
{
    lua_pushstring(L, key);
    lua_rawget(L, 1);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    char *copy = s ? pt_arena_strdup(arena, s) : NULL;
    lua_pop(L, 1);
    if (s && copy == NULL)
        luaL_error(L, "kb.lookup: out of memory");
    return copy;
}

bool pt_judge_kb_failed(pt_judge *j, const pt_error *err)
{
    if (err->code != PT_EKB)
        return false;
    if (j->kb_failure && j->kb_failure->code == PT_OK)
        *j->kb_failure = *err;
    return true;
}

/* kb.lookup{tag=, driver=, version=, build=} -> list of matching entries. */
static int kb_lookup(lua_State *L)
{
    pt_judge *j = lua_touserdata(L, lua_upvalueindex(1));
    luaL_checktype(L, 1, LUA_TTABLE);
    pt_kb_query q = {.tag = opt_field(L, j->arena, "tag"),
                     .driver = opt_field(L, j->arena, "driver"),
                     .version = opt_field(L, j->arena, "version"),
                     .build = PT_UNKNOWN,
                     .file_version = opt_field(L, j->arena, "file_version"),
                     .product_version = opt_field(L, j->arena, "product_version"),
                     .numeric = opt_field(L, j->arena, "file_version_numeric")};
    lua_pushstring(L, "build");
    lua_rawget(L, 1);
    if (lua_isinteger(L, -1))
        q.build = (int64_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    pt_kb_match *m;
    size_t count;
    pt_error err = {0};
    if (pt_kb_lookup(j->arena, j->kb, &q, &m, &count, &err) != PT_OK) {
        pt_judge_kb_failed(j, &err);
        return luaL_error(L, "kb.lookup: %s", err.message);
    }
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        pt_kb_entry e;
        if (pt_kb_get(j->arena, j->kb, m[i].id, &e, &err) != PT_OK) {
            if (err.code == PT_EFORMAT) /* the KB lists an issue it does not hold */
                pt_error_set(&err, PT_EKB, pt_kb_path(j->kb), "the knowledge base is "
                             "damaged: issue '%s' is listed but missing; reinstall or "
                             "rebuild it", m[i].id);
            pt_judge_kb_failed(j, &err);
            return luaL_error(L, "kb.lookup: %s", err.message);
        }
        push_kb_entry(L, &e, &m[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    seal_all(L);
    return 1;
}

/* ctx.pool(tag) -> the rows of a tag in the latest capture, as
 * {tag, pool, bytes, share}; empty when the tag is not there. */
static int ctx_pool(lua_State *L)
{
    char key[5];
    snprintf(key, sizeof key, "%-4.4s", luaL_checkstring(L, 1));
    lua_pushstring(L, key);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNIL) {
        lua_newtable(L);
        seal(L);
    }
    return 1;
}

/* kb.tag_facts(tag) -> what kb/tags says about a tag: a list of
 * {set, kind, tag, vendor, note, drivers, leaks_through}. */
static int kb_tag_facts(lua_State *L)
{
    pt_judge *j = lua_touserdata(L, lua_upvalueindex(1));
    const char *tag = luaL_checkstring(L, 1);
    char key[5];
    snprintf(key, sizeof key, "%-4.4s", tag);
    pt_tag_fact *f;
    size_t n;
    pt_error err = {0};
    if (pt_kb_tag_facts(j->arena, j->kb, key, &f, &n, &err) != PT_OK) {
        pt_judge_kb_failed(j, &err);
        return luaL_error(L, "kb.tag_facts: %s", err.message);
    }
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
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    seal_all(L);
    return 1;
}

static void push_driver_files(lua_State *L, const pt_verdict *v)
{
    lua_createtable(L, (int)v->driver_file_count, 0);
    for (size_t i = 0; i < v->driver_file_count; i++) {
        lua_newtable(L);
        set_str(L, "name", v->driver_files[i].name);
        set_str(L, "path", v->driver_files[i].path);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
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

void pt_facts_push(lua_State *L, pt_arena *arena, const pt_verdict *v)
{
    lua_newtable(L);
    int facts = lua_gettop(L);
    push_host(L, &v->host);
    lua_setfield(L, facts, "host");
    push_captures(L, v);
    lua_setfield(L, facts, "captures");
    push_suspects(L, v);
    lua_setfield(L, facts, "suspects");
    push_drivers(L, arena, v);
    lua_setfield(L, facts, "drivers");
    push_attributions(L, facts, v);
    push_strings(L, v->searched, v->searched_count);
    lua_setfield(L, facts, "searched");
    push_driver_files(L, v);
    lua_setfield(L, facts, "driver_files");
    push_pool(L, v);
    lua_setfield(L, facts, "pool");
    set_str(L, "kb_version", v->kb_version);
}

/* Moves facts[key], sealed through memo, into the table at the top. */
static void move_sealed(lua_State *L, int facts, int memo, const char *key)
{
    lua_getfield(L, facts, key);
    if (lua_istable(L, -1))
        seal_tree(L, memo);
    lua_setfield(L, -2, key);
}

/* A map's values sealed through memo, the map itself left raw: the
 * closure that reads it is the only way in. */
static void push_map_sealed(lua_State *L, int facts, int memo, const char *key)
{
    lua_getfield(L, facts, key);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        return;
    }
    seal_values(L, lua_gettop(L), memo);
}

void pt_facts_bind(lua_State *L, pt_judge *j)
{
    int facts = lua_gettop(L);
    lua_newtable(L);
    int memo = lua_gettop(L);
    lua_newtable(L);   /* ctx */
    move_sealed(L, facts, memo, "host");
    move_sealed(L, facts, memo, "captures");
    move_sealed(L, facts, memo, "suspects");
    move_sealed(L, facts, memo, "drivers");
    move_sealed(L, facts, memo, "attributions");
    move_sealed(L, facts, memo, "searched");
    move_sealed(L, facts, memo, "driver_files");
    push_map_sealed(L, facts, memo, "candidates");
    lua_pushcclosure(L, ctx_candidates, 1);
    lua_setfield(L, -2, "candidates");
    push_map_sealed(L, facts, memo, "pool");
    lua_pushcclosure(L, ctx_pool, 1);
    lua_setfield(L, -2, "pool");
    lua_pushcfunction(L, version_cmp);
    lua_setfield(L, -2, "version_cmp");
    lua_newtable(L);
    lua_pushlightuserdata(L, j);
    lua_pushcclosure(L, kb_lookup, 1);
    lua_setfield(L, -2, "lookup");
    lua_pushlightuserdata(L, j);
    lua_pushcclosure(L, kb_tag_facts, 1);
    lua_setfield(L, -2, "tag_facts");
    lua_getfield(L, facts, "kb_version");
    lua_setfield(L, -2, "version");
    seal(L);
    lua_setfield(L, -2, "kb");
    seal(L);
    lua_replace(L, facts);
    lua_settop(L, facts);
}
