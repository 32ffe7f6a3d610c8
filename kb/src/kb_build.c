/*
 * kb_build.c - compiles the reviewed KB sources (one Lua table file per
 * known issue under kb/issues) and the rule sources (rules/) into a SQLite
 * knowledge base.  Every file is checked against the schema first; the
 * output is written to a temporary file and renamed, and is reproducible.
 */
#include "pt_internal.h"
#include "pt_lua.h"
#include "kb_schema.h"

#include <lauxlib.h>
#include <limits.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef enum { F_STRING, F_STRINGS, F_TABLES, F_INT } field_type;

typedef struct field {
    const char *name;
    field_type type;
    bool required;
} field;

static const field issue_fields[] = {
    {"id", F_STRING, true},          {"title", F_STRING, true},
    {"vendor", F_STRING, true},      {"product", F_STRING, false},
    {"drivers", F_STRINGS, true},    {"tags", F_STRINGS, false},
    {"pool", F_STRING, false},       {"affected", F_TABLES, false},
    {"fixed_in", F_STRING, false},   {"os", F_TABLES, false},
    {"severity", F_STRING, true},    {"symptoms", F_STRING, false},
    {"workaround", F_STRING, false}, {"confidence", F_STRING, false},
    {"notes", F_STRING, false},      {"references", F_TABLES, true},
    {"author", F_STRING, true},      {"date", F_STRING, true},
    {NULL, F_STRING, false},
};
static const field affected_fields[] = {
    {"id", F_STRING, true}, {"min", F_STRING, false}, {"max", F_STRING, false},
    {"note", F_STRING, false}, {NULL, F_STRING, false},
};
static const field os_fields[] = {
    {"nt", F_STRING, false}, {"build_min", F_INT, false}, {"build_max", F_INT, false},
    {"name", F_STRING, false}, {NULL, F_STRING, false},
};
static const field ref_fields[] = {
    {"kind", F_STRING, true}, {"title", F_STRING, true}, {"url", F_STRING, false},
    {"archived_url", F_STRING, false}, {NULL, F_STRING, false},
};

static const char *const pools[] = {"nonpaged", "paged", NULL};
static const char *const severities[] = {"low", "medium", "high", "critical", NULL};
static const char *const ref_kinds[] = {"vendor-kb", "forum", "advisory", "changelog",
                                        "issue", "blog", NULL};
static const char *const confidences[] = {"low", "medium", "high", NULL};

typedef struct ctx {
    const char *file;     /* shown in messages */
    const char *text;     /* the source, to find a key's line */
    pt_error *err;
} ctx;

/* The 1-based line of the first "key =" in the source, or 0. */
static unsigned line_of(const char *text, const char *key)
{
    size_t kl = strlen(key);
    unsigned line = 1;
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            line++;
        else if (strncmp(p, key, kl) == 0 && (p == text || !(p[-1] == '_' ||
                 (p[-1] >= 'a' && p[-1] <= 'z')))) {
            const char *q = p + kl;
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q == '=' && q[1] != '=')
                return line;
        }
    }
    return 0;
}

static pt_code bad(ctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static pt_code bad(ctx *c, const char *key, const char *fmt, ...)
{
    char where[600];
    unsigned line = key ? line_of(c->text, key) : 0;
    if (line)
        snprintf(where, sizeof where, "%s:%u", c->file, line);
    else
        snprintf(where, sizeof where, "%s", c->file);
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pt_error_set(c->err, PT_EKB, where, "%s", msg);
}

static bool one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

/* Checks the table at the top of the stack against `fields`. */
static pt_code check_fields(lua_State *L, ctx *c, const field *fields, const char *what)
{
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 2);
            return bad(c, NULL, "%s: keys must be names", what);
        }
        const char *k = lua_tostring(L, -2);
        const field *f = fields;
        while (f->name && strcmp(f->name, k) != 0)
            f++;
        if (f->name == NULL) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s: unknown field '%s'", what, k);
            lua_pop(L, 2);
            return bad(c, k, "%s", msg);
        }
        int t = lua_type(L, -1);
        bool ok = (f->type == F_STRING && t == LUA_TSTRING) ||
                  (f->type == F_INT && lua_isinteger(L, -1)) ||
                  ((f->type == F_STRINGS || f->type == F_TABLES) && t == LUA_TTABLE);
        for (lua_Integer i = 1; ok && t == LUA_TTABLE; i++) {
            int et = lua_geti(L, -1, i);
            lua_pop(L, 1);
            if (et == LUA_TNIL)
                break;
            ok = et == (f->type == F_STRINGS ? LUA_TSTRING : LUA_TTABLE);
        }
        if (!ok) {
            static const char *const tn[] = {"a string", "a list of strings",
                                             "a list of tables", "an integer"};
            char msg[200];
            snprintf(msg, sizeof msg, "field '%s' must be %s", k, tn[f->type]);
            lua_pop(L, 2);
            return bad(c, k, "%s", msg);
        }
        lua_pop(L, 1);
    }
    for (const field *f = fields; f->name; f++) {
        if (!f->required)
            continue;
        int t = lua_getfield(L, -1, f->name);
        lua_pop(L, 1);
        if (t == LUA_TNIL) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s: required field '%s' is missing", what, f->name);
            return bad(c, NULL, "%s", msg);
        }
    }
    return PT_OK;
}

static const char *opt_string(lua_State *L, int idx, const char *key)
{
    lua_getfield(L, idx, key);
    const char *s = lua_tostring(L, -1); /* stays valid: the table holds it */
    lua_pop(L, 1);
    return s;
}

/* Checks each table of list field `key` (on the issue at -1) with `fields`. */
static pt_code check_list(lua_State *L, ctx *c, const char *key, const field *fields)
{
    pt_code rc = PT_OK;
    if (lua_getfield(L, -1, key) == LUA_TTABLE) {
        for (lua_Integer i = 1; rc == PT_OK && lua_geti(L, -1, i) == LUA_TTABLE; i++) {
            rc = check_fields(L, c, fields, key);
            if (rc == PT_OK && strcmp(key, "references") == 0) {
                const char *kind = opt_string(L, -1, "kind");
                const char *url = opt_string(L, -1, "url");
                const char *arch = opt_string(L, -1, "archived_url");
                if (!one_of(kind, ref_kinds))
                    rc = bad(c, "kind", "reference kind '%s' is not one of vendor-kb, "
                             "forum, advisory, changelog, issue, blog", kind);
                else if ((url && strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) ||
                         (arch && strncmp(arch, "https://", 8)))
                    rc = bad(c, "url", "reference '%s' needs http(s) URLs", opt_string(L, -1, "title"));
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return rc;
}

static pt_code check_issue(lua_State *L, ctx *c)
{
    pt_code rc = check_fields(L, c, issue_fields, "issue");
    if (rc != PT_OK)
        return rc;
    const char *pool = opt_string(L, -1, "pool");
    if (pool && !one_of(pool, pools))
        return bad(c, "pool", "pool '%s' must be nonpaged or paged", pool);
    const char *sev = opt_string(L, -1, "severity");
    if (!one_of(sev, severities))
        return bad(c, "severity", "severity '%s' must be low, medium, high or critical", sev);
    const char *conf = opt_string(L, -1, "confidence");
    if (conf && !one_of(conf, confidences))
        return bad(c, "confidence", "confidence '%s' must be low, medium or high", conf);
    const char *date = opt_string(L, -1, "date");
    if (strlen(date) != 10 || date[4] != '-' || date[7] != '-')
        return bad(c, "date", "date '%s' must be YYYY-MM-DD", date);
    if (lua_getfield(L, -1, "tags") == LUA_TTABLE) {
        for (lua_Integer i = 1; lua_geti(L, -1, i) == LUA_TSTRING; i++) {
            size_t tl;
            const char *tag = lua_tolstring(L, -1, &tl);
            lua_pop(L, 1);
            if (tl < 1 || tl > 4) {
                lua_pop(L, 2);
                return bad(c, "tags", "tag '%s' must have 1 to 4 characters", tag);
            }
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if ((rc = check_list(L, c, "affected", affected_fields)) != PT_OK ||
        (rc = check_list(L, c, "os", os_fields)) != PT_OK ||
        (rc = check_list(L, c, "references", ref_fields)) != PT_OK)
        return rc;
    return PT_OK;
}

/* ---- SQLite output ---- */

static pt_code sql_fail(sqlite3 *db, const char *path, pt_error *err)
{
    return pt_error_set(err, PT_EKB, path, "sqlite: %s", sqlite3_errmsg(db));
}

/* Runs one INSERT with text/int/NULL parameters described by `types`
 * ('s' string from the table at -1 by key, 'S' literal string, 'i' int). */
static int insert(sqlite3 *db, const char *sql, int n, const char **vals,
                  const long long *ints)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return SQLITE_ERROR;
    for (int i = 0; i < n; i++) {
        if (ints && ints[i] != LLONG_MIN)
            sqlite3_bind_int64(st, i + 1, ints[i]);
        else if (vals[i])
            sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, i + 1);
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int store_list(sqlite3 *db, lua_State *L, const char *id, const char *key)
{
    int rc = SQLITE_OK;
    if (lua_getfield(L, -1, key) != LUA_TTABLE) {
        lua_pop(L, 1);
        return rc;
    }
    for (lua_Integer i = 1; rc == SQLITE_OK; i++) {
        if (lua_geti(L, -1, i) == LUA_TNIL) {
            lua_pop(L, 1);
            break;
        }
        if (strcmp(key, "drivers") == 0 || strcmp(key, "tags") == 0) {
            char tag[5] = "    ";
            const char *v = lua_tostring(L, -1);
            if (key[0] == 't') { /* tags are 4 characters; "ICE" is "ICE " */
                memcpy(tag, v, strlen(v) < 4 ? strlen(v) : 4);
                v = tag;
            }
            const char *vals[] = {id, v};
            rc = insert(db, key[0] == 't' ? "INSERT INTO issue_tags VALUES(?,?)"
                                          : "INSERT INTO issue_drivers VALUES(?,?)",
                        2, vals, NULL);
        } else if (strcmp(key, "affected") == 0) {
            const char *vals[] = {id, opt_string(L, -1, "id"), opt_string(L, -1, "min"),
                                  opt_string(L, -1, "max"), opt_string(L, -1, "note")};
            rc = insert(db, "INSERT INTO affected VALUES(?,?,?,?,?)", 5, vals, NULL);
        } else if (strcmp(key, "os") == 0) {
            long long ints[5] = {LLONG_MIN, LLONG_MIN, LLONG_MIN, LLONG_MIN, LLONG_MIN};
            const char *vals[] = {id, opt_string(L, -1, "nt"), NULL, NULL,
                                  opt_string(L, -1, "name")};
            if (lua_getfield(L, -1, "build_min") == LUA_TNUMBER)
                ints[2] = lua_tointeger(L, -1);
            lua_pop(L, 1);
            if (lua_getfield(L, -1, "build_max") == LUA_TNUMBER)
                ints[3] = lua_tointeger(L, -1);
            lua_pop(L, 1);
            rc = insert(db, "INSERT INTO os_builds VALUES(?,?,?,?,?)", 5, vals, ints);
        } else {
            long long ints[6] = {LLONG_MIN, i, LLONG_MIN, LLONG_MIN, LLONG_MIN, LLONG_MIN};
            const char *vals[] = {id, NULL, opt_string(L, -1, "kind"),
                                  opt_string(L, -1, "title"), opt_string(L, -1, "url"),
                                  opt_string(L, -1, "archived_url")};
            rc = insert(db, "INSERT INTO refs VALUES(?,?,?,?,?,?)", 6, vals, ints);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return rc;
}

static int store_issue(sqlite3 *db, lua_State *L, const char *file)
{
    static const char *const cols[] = {"id", "title", "vendor", "product", "pool",
                                       "severity", "fixed_in", "symptoms", "workaround",
                                       "notes", "confidence", "author", "date"};
    const char *vals[14];
    for (int i = 0; i < 13; i++)
        vals[i] = opt_string(L, -1, cols[i]);
    vals[13] = file;
    int rc = insert(db, "INSERT INTO issues VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", 14,
                    vals, NULL);
    const char *id = vals[0];
    static const char *const lists[] = {"drivers", "tags", "affected", "os", "references"};
    for (int i = 0; i < 5 && rc == SQLITE_OK; i++)
        rc = store_list(db, L, id, lists[i]);
    return rc;
}

/* Loads one KB file into a table on top of a fresh no-library state. */
static pt_code load_issue(lua_State *L, ctx *c, size_t len)
{
    if (pt_lua_load(L, c->text, len, c->file, true) != LUA_OK ||
        pt_lua_pcall(L, 0, 1) != LUA_OK) {
        char where[512];
        const char *rest;
        pt_lua_first_line(lua_tostring(L, -1) ? lua_tostring(L, -1) : "error", where,
                          sizeof where, &rest);
        char msg[400];
        snprintf(msg, sizeof msg, "%.*s", (int)strcspn(rest, "\n"), rest);
        return pt_error_set(c->err, PT_EKB, where[0] ? where : c->file, "%s", msg);
    }
    if (!lua_istable(L, -1))
        return bad(c, NULL, "%s", "the file must return a table (return { id = ..., ... })");
    return PT_OK;
}

/* Data files are small and run with a tight budget and no library. */
static const pt_lua_opts kb_file_opts = {4u * 1024u * 1024u, 1000000L, true};

typedef struct check_run {
    ctx *c;
    size_t len;
    struct sqlite3 *db;
    pt_code rc;
} check_run;

/* Loading, checking and storing touch Lua: all of it runs protected. */
static int check_body(lua_State *L)
{
    check_run *cr = lua_touserdata(L, 1);
    lua_settop(L, 0);
    ctx *c = cr->c;
    cr->rc = load_issue(L, c, cr->len);
    if (cr->rc == PT_OK)
        cr->rc = check_issue(L, c);
    if (cr->rc == PT_OK && cr->db && store_issue(cr->db, L, c->file) != SQLITE_OK) {
        if (sqlite3_extended_errcode(cr->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
            cr->rc = bad(c, "id", "id '%s' is used by another file", opt_string(L, -1, "id"));
        else
            cr->rc = sql_fail(cr->db, c->file, c->err);
    }
    return 0;
}

pt_code pt_kb_check_file(pt_arena *arena, const char *path, const char *shown,
                         struct sqlite3 *db, pt_error *err)
{
    uint8_t *text;
    size_t len;
    pt_code rc = pt_file_read(arena, path, PT_MAX_RULE_BYTES, &text, &len, err);
    if (rc != PT_OK)
        return rc == PT_ENOMEM ? rc : PT_EKB;
    ctx c = {shown, (const char *)text, err};
    lua_State *L = pt_lua_open(&kb_file_opts);
    if (L == NULL)
        return pt_error_set(err, PT_ENOMEM, shown, "out of memory");
    check_run cr = {&c, len, db, PT_OK};
    int status = pt_lua_cpcall(L, check_body, &cr);
    rc = status == LUA_OK ? cr.rc
                          : pt_error_set(err, PT_EKB, shown, "%s", pt_lua_error_text(L, status));
    pt_lua_close(L);
    return rc;
}

/* A rule file must compile as text and declare a string id. */
static pt_code add_rule(pt_arena *arena, sqlite3 *db, const char *path,
                        const char *name, pt_error *err)
{
    uint8_t *text;
    size_t len;
    pt_code rc = pt_file_read(arena, path, PT_MAX_RULE_BYTES, &text, &len, err);
    if (rc != PT_OK)
        return rc == PT_ENOMEM ? rc : PT_EKB;
    pt_rule_meta meta;
    if ((rc = pt_rule_meta_read(arena, name, (const char *)text, len, &meta, err)) != PT_OK)
        return rc;
    const char *vals[] = {meta.id, name, (const char *)text};
    if (insert(db, "INSERT INTO rules VALUES(?,?,?)", 3, vals, NULL) != SQLITE_OK)
        return pt_error_set(err, PT_EKB, name, "rule id '%s' is used twice or the "
                            "database failed: %s", meta.id, sqlite3_errmsg(db));
    return PT_OK;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Adds every *.lua under dir through `add`; a content hash goes to `hash`. */
static pt_code add_dir(pt_arena *arena, sqlite3 *db, const char *dir, bool rules,
                       pt_buf *hash, pt_error *err)
{
    char **files;
    size_t count;
    pt_code rc = pt_platform_list(dir, &files, &count, err);
    if (rc != PT_OK)
        return rc == PT_ENOMEM ? rc : PT_EKB;
    for (size_t i = 0; i < count; i++) {
        const char *name = base_name(files[i]);
        if (rc != PT_OK || !pt_ends_with_ci(name, ".lua"))
            continue;
        char shown[600];
        snprintf(shown, sizeof shown, "%s/%s", rules ? "rules" : "kb/issues", name);
        rc = rules ? add_rule(arena, db, files[i], name, err)
                   : pt_kb_check_file(arena, files[i], shown, db, err);
        uint8_t *text;
        size_t len;
        if (rc == PT_OK &&
            (rc = pt_file_read(arena, files[i], PT_MAX_RULE_BYTES, &text, &len, err)) == PT_OK) {
            pt_buf_puts(hash, shown);
            pt_buf_append(hash, "", 1);
            pt_buf_append(hash, (const char *)text, len);
        }
    }
    for (size_t i = 0; i < count; i++)
        pt_free(files[i]);
    pt_free(files);
    return rc;
}

static pt_code write_meta(sqlite3 *db, const pt_buf *hash, const char *path, pt_error *err)
{
    if (hash->failed)
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    char hex[65];
    pt_sha256_hex(hash->data ? hash->data : "", hash->len, hex);
    char version[32];
    snprintf(version, sizeof version, "%s+%.12s", PT_KB_SCHEMA_VERSION, hex);
    const char *a[] = {"schema_version", PT_KB_SCHEMA_VERSION};
    const char *b[] = {"kb_version", version};
    if (insert(db, "INSERT INTO meta VALUES(?,?)", 2, a, NULL) != SQLITE_OK ||
        insert(db, "INSERT INTO meta VALUES(?,?)", 2, b, NULL) != SQLITE_OK)
        return sql_fail(db, path, err);
    return PT_OK;
}

pt_code pt_kb_build(const char *issues_dir, const char *rules_dir,
                    const char *out_path, pt_error *err)
{
    pt_arena *arena = pt_arena_new();
    char *tmp = arena ? pt_arena_printf(arena, "%s.tmp.%ld", out_path, (long)getpid()) : NULL;
    if (tmp == NULL) {
        pt_arena_free(arena);
        return pt_error_set(err, PT_ENOMEM, out_path, "out of memory");
    }
    unlink(tmp);
    sqlite3 *db = NULL;
    pt_buf hash = {0};
    pt_code rc = PT_OK;
    if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = pt_error_set(err, PT_EIO, tmp, "cannot create: %s", db ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    if (sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA page_size=4096; BEGIN;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, pt_kb_schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = sql_fail(db, tmp, err);
        goto done;
    }
    if ((rc = add_dir(arena, db, issues_dir, false, &hash, err)) != PT_OK ||
        (rules_dir && (rc = add_dir(arena, db, rules_dir, true, &hash, err)) != PT_OK) ||
        (rc = write_meta(db, &hash, tmp, err)) != PT_OK)
        goto done;
    if (sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
        rc = sql_fail(db, tmp, err);
        goto done;
    }
    if (sqlite3_close(db) != SQLITE_OK) {
        rc = pt_error_set(err, PT_EIO, tmp, "cannot close the database");
        db = NULL;
        goto done;
    }
    db = NULL;
    if (rename(tmp, out_path) != 0)
        rc = pt_error_set(err, PT_EIO, out_path, "cannot rename the new KB into place");
done:
    sqlite3_close(db);
    if (rc != PT_OK)
        unlink(tmp);
    pt_buf_free(&hash);
    pt_arena_free(arena);
    return rc;
}
