/*
 * rules_case.c - `rules test`: runs one rule on the facts of a test case
 * (a Lua table file: facts in, expected findings out) and says whether the
 * findings are exactly the expected ones.  Case files are data: they load
 * text-only with no library, and everything that reads them is protected.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/limits.h"
#include "pt_lua.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct expected {
    pt_level level;
    const char *tag, *kb, *driver, *title;
} expected;

typedef struct case_run {
    pt_arena *arena;
    const char *name;
    const char *text;
    size_t len;
    pt_verdict *v;
    expected *want;
    size_t want_count;
    pt_error *err;
    pt_code rc;
    size_t items;        /* list items read so far, in all lists */
} case_run;


/* ---- reading the case table (raises Lua errors with the path of the field) ---- */

static const char *opt_str(lua_State *L, int idx, const char *key, const char *path, case_run *c)
{
    int t = lua_getfield(L, idx, key);
    const char *s = NULL;
    if (t == LUA_TSTRING)
        s = pt_arena_strdup(c->arena, lua_tostring(L, -1));
    else if (t != LUA_TNIL)
        luaL_error(L, "%s.%s must be a string", path, key);
    lua_pop(L, 1);
    return s;
}

static double opt_num(lua_State *L, int idx, const char *key, double dflt, const char *path)
{
    int t = lua_getfield(L, idx, key);
    double v = dflt;
    if (t == LUA_TNUMBER)
        v = lua_tonumber(L, -1);
    else if (t != LUA_TNIL)
        luaL_error(L, "%s.%s must be a number", path, key);
    lua_pop(L, 1);
    return v;
}

/* A count or size from a case file: NaN, negative or huge become 0 or the
 * largest value instead of undefined behaviour. */
static uint64_t as_u64(double v)
{
    if (!(v > 0))
        return 0;
    return v >= 1.8e19 ? UINT64_MAX : (uint64_t)v;
}

static bool opt_bool(lua_State *L, int idx, const char *key, bool dflt, const char *path)
{
    int t = lua_getfield(L, idx, key);
    bool v = dflt;
    if (t == LUA_TBOOLEAN)
        v = lua_toboolean(L, -1);
    else if (t != LUA_TNIL)
        luaL_error(L, "%s.%s must be true or false", path, key);
    lua_pop(L, 1);
    return v;
}

/* Pushes list field `key` of the table at idx (or nil when absent: the
 * caller pops either) and returns its length. */
static size_t open_list(lua_State *L, int idx, const char *key, const char *path)
{
    int t = lua_getfield(L, idx, key);
    if (t == LUA_TNIL)
        return 0;
    if (t != LUA_TTABLE)
        luaL_error(L, "%s.%s must be a list", path, key);
    lua_Integer n = luaL_len(L, -1);
    if (n < 0 || n > 100000)
        luaL_error(L, "%s.%s is too long", path, key);
    return (size_t)n;
}

static void *alloc_n(lua_State *L, case_run *c, size_t n, size_t size)
{
    c->items += n;
    if (c->items > PT_MAX_CASE_ITEMS)
        luaL_error(L, "the case file lists more than %d items in all; a test case "
                   "needs a few captures, rows and drivers", (int)PT_MAX_CASE_ITEMS);
    void *p = pt_arena_alloc(c->arena, (n + 1) * size);
    if (p == NULL)
        luaL_error(L, "out of memory");
    return p;
}

static void pad_tag(lua_State *L, const char *tag, char out[5], const char *path)
{
    if (tag == NULL || !pt_tag_normalize(tag, strlen(tag), out))
        luaL_error(L, "%s: a tag has " PT_TAG_RULE, path);
}

static pt_pool_type pool_of(lua_State *L, const char *pool, const char *path)
{
    if (pool == NULL || strcmp(pool, "nonpaged") == 0)
        return PT_POOL_NONPAGED;
    if (strcmp(pool, "paged") == 0)
        return PT_POOL_PAGED;
    return (pt_pool_type)luaL_error(L, "%s.pool must be \"nonpaged\" or \"paged\"", path);
}

static void read_host(lua_State *L, case_run *c)
{
    if (lua_getfield(L, -1, "host") == LUA_TTABLE) {
        c->v->host.name = opt_str(L, -1, "name", "facts.host", c);
        const char *os = opt_str(L, -1, "os", "facts.host", c);
        pt_error err = {0};
        if (os && pt_host_set_os(c->arena, &c->v->host, os, "--os", &err) != PT_OK)
            luaL_error(L, "facts.host.os: %s", err.message);
    }
    lua_pop(L, 1);
}

static void read_rows(lua_State *L, case_run *c, pt_snapshot *s, const char *path)
{
    size_t n = open_list(L, -1, "rows", path);
    s->rows = alloc_n(L, c, n, sizeof *s->rows);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        pt_pool_row *r = &s->rows[s->row_count++];
        pad_tag(L, opt_str(L, -1, "tag", path, c), r->tag, path);
        r->pool = pool_of(L, opt_str(L, -1, "pool", path, c), path);
        r->bytes = as_u64(opt_num(L, -1, "bytes", 0, path));
        r->allocs = as_u64(opt_num(L, -1, "allocs", 0, path));
        r->frees = as_u64(opt_num(L, -1, "frees", 0, path));
        r->diff = (int64_t)(r->allocs - r->frees);
        r->mapped_driver = opt_str(L, -1, "mapped_driver", path, c);
        r->line = (uint32_t)i + 1;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void read_captures(lua_State *L, case_run *c)
{
    size_t n = open_list(L, -1, "captures", "facts");
    c->v->snapshots = alloc_n(L, c, n, sizeof *c->v->snapshots);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        pt_snapshot *s = &c->v->snapshots[c->v->snapshot_count++];
        s->source = opt_str(L, -1, "source", "facts.captures", c);
        if (s->source == NULL)
            s->source = "case";
        s->format = PT_FMT_POOLMON_CONSOLE;
        s->memory_kb = s->avail_kb = s->commit_kb = s->limit_kb = s->peak_kb = PT_UNKNOWN;
        s->nonpaged_max_kb = PT_UNKNOWN;
        double np = opt_num(L, -1, "nonpaged_bytes", -1, "facts.captures");
        double pg = opt_num(L, -1, "paged_bytes", -1, "facts.captures");
        s->nonpaged_kb = np < 0 ? PT_UNKNOWN : (int64_t)(as_u64(np) / 1024);
        s->paged_kb = pg < 0 ? PT_UNKNOWN : (int64_t)(as_u64(pg) / 1024);
        s->nonpaged_bytes = np < 0 || as_u64(np) > INT64_MAX ? PT_UNKNOWN : (int64_t)as_u64(np);
        s->paged_bytes = pg < 0 || as_u64(pg) > INT64_MAX ? PT_UNKNOWN : (int64_t)as_u64(pg);
        const char *t = opt_str(L, -1, "time", "facts.captures", c);
        s->time = PT_UNKNOWN;
        if (t && !pt_time_parse(t, true, &s->time))
            luaL_error(L, "facts.captures[%d].time: use ISO-8601 such as 2026-11-20T08:00:00Z",
                       (int)i + 1);
        s->time_source = t ? PT_TIME_AT : PT_TIME_NONE;
        read_rows(L, c, s, "facts.captures.rows");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void read_suspects(lua_State *L, case_run *c)
{
    size_t n = open_list(L, -1, "suspects", "facts");
    pt_verdict *v = c->v;
    if (n == 0) {
        lua_pop(L, 1);
        pt_error err = {0};
        if (pt_rank(c->arena, v->snapshots, v->snapshot_count, NULL, &v->suspects,
                    &v->suspect_count, &err) != PT_OK)
            luaL_error(L, "ranking the captures: %s", err.message);
        return;
    }
    v->suspects = alloc_n(L, c, n, sizeof *v->suspects);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        pt_suspect *s = &v->suspects[v->suspect_count++];
        pad_tag(L, opt_str(L, -1, "tag", "facts.suspects", c), s->tag, "facts.suspects");
        s->pool = pool_of(L, opt_str(L, -1, "pool", "facts.suspects", c), "facts.suspects");
        s->bytes = as_u64(opt_num(L, -1, "bytes", 0, "facts.suspects"));
        s->share = opt_num(L, -1, "share", 0, "facts.suspects");
        double g = opt_num(L, -1, "growth_bytes_per_hour", NAN, "facts.suspects");
        s->has_growth = !isnan(g);
        s->growth_bytes_per_hour = s->has_growth ? g : 0;
        s->steady = opt_bool(L, -1, "steady", false, "facts.suspects");
        s->generic = opt_bool(L, -1, "generic", pt_tag_is_generic(s->tag), "facts.suspects");
        s->mapped_driver = opt_str(L, -1, "mapped_driver", "facts.suspects", c);
        s->limit_share = -1;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static uint16_t machine_of(const char *m)
{
    if (m && strcmp(m, "x86") == 0)
        return 0x14c;
    if (m && strcmp(m, "ARM64") == 0)
        return 0xAA64;
    return 0x8664;
}

static void read_signer(lua_State *L, case_run *c, pt_driver *d)
{
    if (lua_getfield(L, -1, "signer") == LUA_TTABLE) {
        pt_signer *s = alloc_n(L, c, 1, sizeof *s);
        const char *status = opt_str(L, -1, "status", "facts.drivers.signer", c);
        s->subject = opt_str(L, -1, "subject", "facts.drivers.signer", c);
        s->issuer = opt_str(L, -1, "issuer", "facts.drivers.signer", c);
        s->signing_time = opt_str(L, -1, "signing_time", "facts.drivers.signer", c);
        if (!pt_sig_status_parse(status, &s->status))
            luaL_error(L, "facts.drivers.signer.status must be signed, invalid or unsigned");
        d->signer = s;
    }
    lua_pop(L, 1);
}

static void read_driver(lua_State *L, case_run *c, pt_driver *d)
{
    const char *p = "facts.drivers";
    d->name = opt_str(L, -1, "name", p, c);
    if (d->name == NULL)
        luaL_error(L, "facts.drivers: every driver needs a name");
    d->path = opt_str(L, -1, "path", p, c);
    if (d->path == NULL)
        d->path = pt_arena_printf(c->arena, "drivers/%s", d->name);
    snprintf(d->sha256, sizeof d->sha256, "%s", opt_str(L, -1, "sha256", p, c) ? opt_str(L, -1, "sha256", p, c) : "");
    d->pe_read = true;
    d->pe.machine = machine_of(opt_str(L, -1, "machine", p, c));
    d->pe.subsystem = 1;
    pt_string_table *t = alloc_n(L, c, 1, sizeof *t);
    snprintf(t->key, sizeof t->key, "040904B0");
    t->company_name = opt_str(L, -1, "company", p, c);
    t->file_description = opt_str(L, -1, "description", p, c);
    t->file_version = opt_str(L, -1, "file_version", p, c);
    t->product_name = opt_str(L, -1, "product", p, c);
    t->product_version = opt_str(L, -1, "product_version", p, c);
    d->pe.string_tables = t;
    d->pe.string_table_count = 1;
    pt_version ver;
    if (pt_version_parse(opt_str(L, -1, "file_version_numeric", p, c), &ver)) {
        d->pe.has_version = true;
        for (int i = 0; i < 4; i++)
            d->pe.file_version[i] = (uint16_t)ver.part[i];
    }
    if (opt_bool(L, -1, "imports_pool_tag_api", true, p))
        d->pe.pool_imports = PT_IMP_EXALLOCATEPOOLWITHTAG | PT_IMP_EXFREEPOOLWITHTAG;
    read_signer(L, c, d);
}

static void read_drivers(lua_State *L, case_run *c)
{
    size_t n = open_list(L, -1, "drivers", "facts");
    pt_verdict *v = c->v;
    v->drivers = alloc_n(L, c, n, sizeof *v->drivers);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        read_driver(L, c, &v->drivers[v->driver_count++]);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void read_candidates(lua_State *L, case_run *c, pt_attribution *a)
{
    const char *p = "facts.attributions.candidates";
    size_t n = open_list(L, -1, "candidates", "facts.attributions");
    a->candidates = alloc_n(L, c, n, sizeof *a->candidates);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        pt_candidate *cd = &a->candidates[a->candidate_count++];
        double d = opt_num(L, -1, "driver", 0, p);
        if (!(d >= 1 && d <= (double)c->v->driver_count)) /* NaN too */
            luaL_error(L, "%s.driver must be the index of a driver in facts.drivers", p);
        cd->driver = &c->v->drivers[(size_t)d - 1];
        cd->confidence = opt_num(L, -1, "confidence", 0.9, p);
        const char *best = opt_str(L, -1, "best", p, c);
        cd->best = PT_EV_IMMEDIATE;
        for (int k = PT_EV_IMMEDIATE; best && k <= PT_EV_HINT; k++)
            if (strcmp(best, pt_evidence_kind_name((pt_evidence_kind)k)) == 0)
                cd->best = (pt_evidence_kind)k;
        cd->evidence = alloc_n(L, c, 1, sizeof *cd->evidence);
        cd->evidence[0].kind = cd->best;
        cd->evidence_count = 1;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void read_attributions(lua_State *L, case_run *c)
{
    size_t n = open_list(L, -1, "attributions", "facts");
    pt_verdict *v = c->v;
    v->attributions = alloc_n(L, c, n, sizeof *v->attributions);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        pt_attribution *a = &v->attributions[v->attribution_count++];
        pad_tag(L, opt_str(L, -1, "tag", "facts.attributions", c), a->tag, "facts.attributions");
        read_candidates(L, c, a);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* driver_files: names (or {name, path}); default: the drivers' files. */
static void read_files(lua_State *L, case_run *c)
{
    pt_verdict *v = c->v;
    size_t n = open_list(L, -1, "driver_files", "facts");
    size_t total = n + v->driver_count;
    v->driver_files = alloc_n(L, c, total, sizeof *v->driver_files);
    for (size_t i = 0; i < n; i++) {
        pt_file_ref *f = &v->driver_files[v->driver_file_count++];
        if (lua_geti(L, -1, (lua_Integer)i + 1) == LUA_TSTRING) {
            f->name = pt_arena_strdup(c->arena, lua_tostring(L, -1));
        } else if (lua_istable(L, -1)) {
            f->name = opt_str(L, -1, "name", "facts.driver_files", c);
            f->path = opt_str(L, -1, "path", "facts.driver_files", c);
        }
        if (f->name == NULL)
            luaL_error(L, "facts.driver_files: give names or {name =, path =}");
        if (f->path == NULL)
            f->path = pt_arena_printf(c->arena, "drivers/%s", f->name);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    for (size_t i = 0; n == 0 && i < v->driver_count; i++) {
        pt_file_ref r = {v->drivers[i].name, v->drivers[i].path};
        v->driver_files[v->driver_file_count++] = r;
    }
    n = open_list(L, -1, "searched", "facts");
    v->searched = alloc_n(L, c, n, sizeof *v->searched);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        v->searched[v->searched_count++] = pt_arena_strdup(c->arena, luaL_checkstring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void read_expect(lua_State *L, case_run *c)
{
    size_t n = open_list(L, -1, "expect", "case");
    c->want = alloc_n(L, c, n, sizeof *c->want);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        expected *e = &c->want[c->want_count++];
        const char *level = opt_str(L, -1, "level", "expect", c);
        if (level == NULL || !pt_level_parse(level, &e->level))
            luaL_error(L, "expect[%d].level must be known, likely, suspect or info", (int)i + 1);
        e->tag = opt_str(L, -1, "tag", "expect", c);
        e->kb = opt_str(L, -1, "kb", "expect", c);
        e->driver = opt_str(L, -1, "driver", "expect", c);
        e->title = opt_str(L, -1, "title", "expect", c);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static int case_body(lua_State *L)
{
    case_run *c = lua_touserdata(L, 1);
    lua_settop(L, 0);
    if (pt_lua_load(L, c->text, c->len, c->name, true) != LUA_OK)
        return lua_error(L);
    lua_call(L, 0, 1);
    if (!lua_istable(L, -1))
        return luaL_error(L, "a rule case must return a table with facts and expect");
    if (lua_getfield(L, -1, "facts") != LUA_TTABLE)
        return luaL_error(L, "a rule case needs a table 'facts'");
    read_host(L, c);
    read_captures(L, c);
    read_suspects(L, c);
    read_drivers(L, c);
    read_attributions(L, c);
    read_files(L, c);
    lua_pop(L, 1);
    if (lua_getfield(L, -1, "expect") != LUA_TTABLE)
        return luaL_error(L, "a rule case needs a list 'expect' (empty when nothing should be found)");
    lua_pop(L, 1);
    read_expect(L, c);
    return 0;
}

/* ---- comparing ---- */

static bool matches(const expected *e, const pt_finding *f)
{
    if (e->level != f->level)
        return false;
    if (e->tag) {
        char t[5];
        snprintf(t, sizeof t, "%-4.4s", e->tag);
        if (strcmp(t, f->tag) != 0)
            return false;
    }
    if (e->kb && (f->kb == NULL || strcmp(e->kb, f->kb->id) != 0))
        return false;
    if (e->driver && (f->driver == NULL || pt_strcasecmp(e->driver, f->driver->name) != 0))
        return false;
    if (e->title && (f->title == NULL || strstr(f->title, e->title) == NULL))
        return false;
    return true;
}

static void describe_found(pt_buf *b, const pt_verdict *v)
{
    for (size_t i = 0; i < v->finding_count; i++) {
        const pt_finding *f = &v->findings[i];
        pt_buf_printf(b, "%s{%s %s%s%s%s%s}", i ? ", " : "", pt_level_name(f->level), f->tag,
                      f->kb ? " " : "", f->kb ? f->kb->id : "", f->driver ? " " : "",
                      f->driver ? f->driver->name : "");
    }
    for (size_t i = 0; i < v->rule_error_count; i++)
        pt_buf_printf(b, "; rule error at %s: %s", v->rule_errors[i].where,
                      v->rule_errors[i].message);
}

/* Every expectation matched by a distinct finding, and nothing else found. */
static const char *compare(pt_arena *a, const case_run *c)
{
    const pt_verdict *v = c->v;
    bool *used = pt_arena_alloc(a, v->finding_count + 1);
    if (used == NULL)
        return "out of memory";
    for (size_t i = 0; i < c->want_count; i++) {
        size_t k = 0;
        while (k < v->finding_count && (used[k] || !matches(&c->want[i], &v->findings[k])))
            k++;
        if (k == v->finding_count) {
            pt_buf b = {0};
            pt_buf_printf(&b, "no finding matches expect[%zu] (%s%s%s); found: ", i + 1,
                          pt_level_name(c->want[i].level), c->want[i].tag ? " " : "",
                          c->want[i].tag ? c->want[i].tag : "");
            describe_found(&b, v);
            char *msg = pt_arena_strdup(a, b.data ? b.data : "");
            pt_buf_free(&b);
            return msg ? msg : "out of memory";
        }
        used[k] = true;
    }
    if (v->finding_count != c->want_count || v->rule_error_count) {
        pt_buf b = {0};
        pt_buf_printf(&b, "expected %zu finding%s, found %zu: ", c->want_count,
                      c->want_count == 1 ? "" : "s", v->finding_count);
        describe_found(&b, v);
        char *msg = pt_arena_strdup(a, b.data ? b.data : "");
        pt_buf_free(&b);
        return msg ? msg : "out of memory";
    }
    return NULL;
}

pt_code pt_rule_case_run(pt_arena *arena, pt_kb *kb, const pt_rule_source *rule,
                         const char *case_name, const char *text, size_t len,
                         pt_verdict *out, const char **failure, pt_error *err)
{
    memset(out, 0, sizeof *out);
    out->tool_version = PT_VERSION;
    out->host.os_build = PT_UNKNOWN;
    out->kb_version = pt_kb_version(kb);
    *failure = NULL;
    case_run c = {arena, case_name, text, len, out, NULL, 0, err, PT_OK, 0};
    static const pt_lua_opts data_opts = {16u * 1024u * 1024u, 10000000L, true};
    lua_State *L = pt_lua_open(&data_opts);
    if (L == NULL)
        return pt_error_set(err, PT_ENOMEM, case_name, "out of memory");
    int status = pt_lua_cpcall(L, case_body, &c);
    if (status != LUA_OK) {
        char where[512];
        const char *rest;
        pt_lua_first_line(pt_lua_error_text(L, status), where, sizeof where, &rest);
        pt_error_set(err, PT_ERULE, where[0] ? where : case_name, "%.*s",
                     (int)strcspn(rest, "\n"), rest);
        pt_lua_close(L);
        return PT_ERULE;
    }
    pt_lua_close(L);
    if (rule == NULL)
        return PT_OK; /* only checking the case file */
    pt_code rc = pt_rules_run(arena, kb, rule, 1, out, err);
    if (rc == PT_ENOMEM)
        return rc;
    if (rc != PT_OK) {
        *failure = pt_arena_printf(arena, "the rule did not load: %s", err->message);
        return PT_OK;
    }
    *failure = compare(arena, &c);
    return PT_OK;
}

