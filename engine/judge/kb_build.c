/*
 * kb_build.c - judge stage: compiles the reviewed KB sources (one Lua table
 * file per known issue under kb/issues, tag facts under kb/tags) and the
 * rule sources (rules/) into a SQLite knowledge base.  Every file is checked
 * against the schema first, and every problem is reported (file:line, with
 * a "did you mean" for misspelt names); the output is written to a
 * temporary file and renamed, and is reproducible.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"
#include "pt_lua.h"
#include "kb_schema.h"

#include <lauxlib.h>
#include <limits.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

typedef enum { F_STRING, F_STRINGS, F_TABLES, F_INT, F_TABLE } field_type;

typedef struct field {
    const char *name;
    field_type type;
    bool required;
} field;

static const field issue_fields[] = {
    {"id", F_STRING, true},          {"title", F_STRING, true},
    {"vendor", F_STRING, true},      {"product", F_STRING, false},
    {"drivers", F_STRINGS, true},    {"tags", F_STRINGS, false},
    {"pool", F_STRING, false},       {"versions", F_TABLE, false},
    {"affected", F_TABLES, false},
    {"fixed_in", F_STRING, false},   {"os", F_TABLES, false},
    {"severity", F_STRING, true},    {"symptoms", F_STRING, false},
    {"workaround", F_STRING, false}, {"confidence", F_STRING, false},
    {"notes", F_STRING, false},      {"references", F_TABLES, true},
    {"author", F_STRING, true},      {"date", F_STRING, true},
    {NULL, F_STRING, false},
};
static const field versions_fields[] = {
    {"field", F_STRING, true}, {"scheme", F_STRING, false}, {"numeric", F_STRING, false},
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

static const field tagset_fields[] = {
    {"id", F_STRING, true},       {"title", F_STRING, true},
    {"kind", F_STRING, true},     {"references", F_TABLES, true},
    {"tags", F_TABLES, true},     {"author", F_STRING, true},
    {"date", F_STRING, true},     {NULL, F_STRING, false},
};
static const field tagfact_fields[] = {
    {"tag", F_STRING, true},      {"drivers", F_STRINGS, false},
    {"vendor", F_STRING, false},  {"note", F_STRING, false},
    {"leaks_through", F_STRINGS, false}, {NULL, F_STRING, false},
};

static const char *const pools[] = {"nonpaged", "paged", NULL};
static const char *const severities[] = {"low", "medium", "high", "critical", NULL};
static const char *const ref_kinds[] = {"vendor-kb", "forum", "advisory", "changelog",
                                        "issue", "blog", NULL};
static const char *const confidences[] = {"low", "medium", "high", NULL};
static const char *const tagset_kinds[] = {"vendor", "generic", NULL};
static const char *const version_fields[] = {"file_version", "product_version", "numeric",
                                             NULL};

/* What a source file under kb/ describes. */
typedef enum { SRC_ISSUE, SRC_TAGSET, SRC_RULE, SRC_CASE } source_kind;

/* Every problem of a run: the first goes to err, each to the callback. */
typedef struct problems {
    const pt_kb_sources *src;   /* may be NULL */
    pt_error *err;
    size_t count;
} problems;

typedef struct ctx {
    source_kind kind;
    const char *file;     /* shown in messages */
    const char *text;     /* the source, to find a key's line */
    pt_error *err;
    problems *probs;      /* NULL: stop at the first problem (no run) */
    size_t found;         /* problems in this file */
    unsigned anchor;      /* the line of the list item being checked, or 0 */
} ctx;

static bool is_name_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The 1-based line of the "key =" in the source (whose value starts with
 * "value", when value is given) nearest to line `near` (the first when near
 * is 0), or 0. */
static unsigned line_near(const char *text, const char *key, const char *value, unsigned near)
{
    size_t kl = strlen(key);
    unsigned line = 1, best = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            line++;
            continue;
        }
        if (strncmp(p, key, kl) != 0 || (p > text && is_name_char(p[-1])) ||
            is_name_char(p[kl]))
            continue;
        const char *q = p + kl;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q != '=' || q[1] == '=')
            continue;
        bool hit = value == NULL;
        if (!hit) {
            q++;
            while (*q == ' ' || *q == '\t')
                q++;
            hit = (*q == '"' || *q == '\'') && strncmp(q + 1, value, strlen(value)) == 0;
        }
        if (!hit)
            continue;
        if (near == 0)
            return line;
        unsigned d = line > near ? line - near : near - line;
        unsigned bd = best > near ? best - near : near - best;
        if (best == 0 || d < bd)
            best = line;
    }
    return best;
}

static unsigned line_of(const char *text, const char *key, const char *value)
{
    return line_near(text, key, value, 0);
}

static void report(ctx *c, unsigned line, const char *msg)
{
    char where[600];
    if (line)
        snprintf(where, sizeof where, "%s:%u", c->file, line);
    else
        snprintf(where, sizeof where, "%s", c->file);
    c->found++;
    problems *p = c->probs;
    bool first = p ? p->count++ == 0 : c->found == 1;
    if (first)
        pt_error_set(c->err, PT_EKB, where, "%s", msg);
    if (p && p->src && p->src->problem)
        p->src->problem(p->src->problem_arg, where, msg);
}

/* A problem at the line of `key` (with `value`, when given). */
static pt_code bad(ctx *c, const char *key, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static pt_code bad(ctx *c, const char *key, const char *value, const char *fmt, ...)
{
    unsigned line = 0;
    if (key)
        line = line_near(c->text, key, value, c->anchor);
    if (key && value && line == 0)
        line = line_near(c->text, key, NULL, c->anchor);
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    report(c, line, msg);
    return PT_EKB;
}

/* A problem at a given line (0: none). */
static void report_at(ctx *c, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report_at(ctx *c, unsigned line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    report(c, line, msg);
}

/* The line where the table being checked starts: the list item's, the
 * "versions =" of a nested table, else the file's first "return". */
static unsigned table_line(const ctx *c, const char *what)
{
    if (c->anchor)
        return c->anchor;
    unsigned line = line_of(c->text, what, NULL);
    if (line)
        return line;
    line = 1;
    for (const char *p = c->text; *p; p++) {
        if (strncmp(p, "return", 6) == 0 && (p == c->text || !is_name_char(p[-1])) &&
            !is_name_char(p[6]))
            return line;
        if (*p == '\n')
            line++;
    }
    return 0;
}

/* Edit distance with transpositions (optimal string alignment), capped. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

/* The closest of `names` to `s` when it is close enough to be a typo (or
 * `s` starts one of them: "vendor" for "vendor-kb"), else NULL. */
static const char *closest(const char *s, const char *const *names, size_t stride)
{
    const char *best = NULL;
    size_t best_d = 99, sl = strlen(s);
    for (const char *const *n = names; *n; n = (const char *const *)((const char *)n + stride)) {
        size_t dd = distance(s, *n);
        if (sl >= 3 && strncmp(*n, s, sl) == 0 && dd > 1)
            dd = 1;
        if (dd < best_d) {
            best_d = dd;
            best = *n;
        }
    }
    size_t limit = sl <= 4 ? 1 : sl <= 8 ? 2 : 3;
    return best_d <= limit && best_d > 0 ? best : NULL;
}

/* ", did you mean 'x'?" or "". */
static const char *hint(char *buf, size_t len, const char *s, const char *const *names,
                        size_t stride)
{
    const char *m = s ? closest(s, names, stride) : NULL;
    if (m == NULL)
        return "";
    snprintf(buf, len, "; did you mean '%s'?", m);
    return buf;
}

static bool one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

/* "a, b or c" of an enum. */
static const char *list_text(char *buf, size_t len, const char *const *set)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; set[i] && o < len; i++) {
        const char *sep = i == 0 ? "" : set[i + 1] ? ", " : " or ";
        int w = snprintf(buf + o, len - o, "%s%s", sep, set[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return buf;
}

/* A string-valued enum field: a problem (with a suggestion) unless the
 * value is one of `set`.  Missing values are left to the field checks. */
static void check_enum(ctx *c, const char *key, const char *what, const char *value,
                       const char *const *set)
{
    if (value == NULL || one_of(value, set))
        return;
    char list[200], h[120];
    bad(c, key, value, "%s '%s' must be %s%s", what, value, list_text(list, sizeof list, set),
        hint(h, sizeof h, value, set, sizeof *set));
}

/* Checks the table at the top of the stack against `fields`: unknown
 * fields, types and required fields, each a problem of its own. */
static void check_fields(lua_State *L, ctx *c, const field *fields, const char *what)
{
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 1);
            bad(c, NULL, NULL, "%s: keys must be names", what);
            continue;
        }
        const char *k = lua_tostring(L, -2);
        const field *f = fields;
        while (f->name && strcmp(f->name, k) != 0)
            f++;
        if (f->name == NULL) {
            char h[120];
            bad(c, k, NULL, "%s: unknown field '%s'%s", what, k,
                hint(h, sizeof h, k, &fields[0].name, sizeof *fields));
            lua_pop(L, 1);
            continue;
        }
        int t = lua_type(L, -1);
        bool ok = (f->type == F_STRING && t == LUA_TSTRING) ||
                  (f->type == F_INT && lua_isinteger(L, -1)) ||
                  ((f->type == F_STRINGS || f->type == F_TABLES || f->type == F_TABLE) &&
                   t == LUA_TTABLE);
        for (lua_Integer i = 1; ok && t == LUA_TTABLE && f->type != F_TABLE; i++) {
            int et = lua_geti(L, -1, i);
            lua_pop(L, 1);
            if (et == LUA_TNIL)
                break;
            ok = et == (f->type == F_STRINGS ? LUA_TSTRING : LUA_TTABLE);
        }
        if (!ok) {
            static const char *const tn[] = {"a string", "a list of strings",
                                             "a list of tables", "an integer", "a table"};
            bad(c, k, NULL, "field '%s' must be %s", k, tn[f->type]);
        } else if (t == LUA_TSTRING && strncmp(lua_tostring(L, -1), "TODO", 4) == 0) {
            bad(c, k, "TODO", "field '%s' still holds the scaffold's TODO: fill it in "
                "or remove the field", k);
        }
        lua_pop(L, 1);
    }
    for (const field *f = fields; f->name; f++) {
        if (!f->required)
            continue;
        int t = lua_getfield(L, -1, f->name);
        lua_pop(L, 1);
        if (t == LUA_TNIL)
            report_at(c, table_line(c, what), "%s: required field '%s' is missing", what,
                      f->name);
    }
}

/* A string field of the table at idx, or NULL (absent or not a string). */
static const char *opt_string(lua_State *L, int idx, const char *key)
{
    const char *s = NULL;
    if (lua_getfield(L, idx, key) == LUA_TSTRING)
        s = lua_tostring(L, -1); /* stays valid: the table holds it */
    lua_pop(L, 1);
    return s;
}

static void check_reference(lua_State *L, ctx *c)
{
    const char *kind = opt_string(L, -1, "kind");
    const char *url = opt_string(L, -1, "url");
    const char *arch = opt_string(L, -1, "archived_url");
    check_enum(c, "kind", "reference kind", kind, ref_kinds);
    if (url && strncmp(url, "TODO", 4) && strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
        bad(c, "url", url, "reference url '%s' must start with http:// or https://", url);
    if (arch && strncmp(arch, "https://", 8))
        bad(c, "archived_url", arch, "archived_url '%s' must start with https://", arch);
}

/* Checks each table of list field `key` (of the table at -1) with `fields`,
 * then with `each` when given. */
/* The line of a list item, found by one of its string values. */
static unsigned item_line(lua_State *L, ctx *c)
{
    static const char *const keys[] = {"url", "title", "id", "tag", "name", "min", "max", NULL};
    for (const char *const *k = keys; *k; k++) {
        const char *v = NULL;
        if (lua_getfield(L, -1, *k) == LUA_TSTRING)
            v = lua_tostring(L, -1);
        unsigned line = v && *v ? line_of(c->text, *k, v) : 0;
        lua_pop(L, 1);
        if (line)
            return line;
    }
    return 0;
}

static void check_list(lua_State *L, ctx *c, const char *key, const field *fields,
                       void (*each)(lua_State *, ctx *))
{
    if (lua_getfield(L, -1, key) == LUA_TTABLE) {
        for (lua_Integer i = 1; lua_geti(L, -1, i) != LUA_TNIL; i++) {
            if (lua_type(L, -1) == LUA_TTABLE) {
                c->anchor = item_line(L, c);
                check_fields(L, c, fields, key);
                if (each)
                    each(L, c);
                c->anchor = 0;
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* The date field is YYYY-MM-DD. */
static void check_date(lua_State *L, ctx *c)
{
    const char *date = opt_string(L, -1, "date");
    if (date == NULL)
        return;
    bool ok = strlen(date) == 10 && date[4] == '-' && date[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        ok = i == 4 || i == 7 || (date[i] >= '0' && date[i] <= '9');
    if (!ok)
        bad(c, "date", date, "date '%s' must be YYYY-MM-DD", date);
}

static void check_tag(ctx *c, const char *key, const char *tag, size_t len)
{
    char norm[5];
    if (!pt_tag_normalize(tag, len, norm))
        bad(c, key, NULL, "tag '%s' must have " PT_TAG_RULE, tag);
}

static void check_tagfact(lua_State *L, ctx *c)
{
    size_t tl;
    if (lua_getfield(L, -1, "tag") == LUA_TSTRING) {
        const char *tag = lua_tolstring(L, -1, &tl);
        check_tag(c, "tag", tag, tl);
    }
    lua_pop(L, 1);
}

static void check_tagset(lua_State *L, ctx *c)
{
    check_fields(L, c, tagset_fields, "tag set");
    const char *id = opt_string(L, -1, "id");
    if (id && strncmp(id, "TAGS-", 5) != 0)
        bad(c, "id", id, "tag set id '%s' must start with TAGS-", id);
    check_enum(c, "kind", "tag set kind", opt_string(L, -1, "kind"), tagset_kinds);
    check_date(L, c);
    check_list(L, c, "references", ref_fields, check_reference);
    check_list(L, c, "tags", tagfact_fields, check_tagfact);
}

/* The version space of an issue: versions.field, or "numeric". */
static const char *issue_field(lua_State *L)
{
    const char *f = NULL;
    if (lua_getfield(L, -1, "versions") == LUA_TTABLE)
        f = opt_string(L, -1, "field");
    lua_pop(L, 1);
    return f ? f : "numeric";
}

/* A version the KB compares: strict syntax; in the numeric space each
 * part fits VS_FIXEDFILEINFO's 16 bits. */
static void check_version(ctx *c, const char *key, const char *v, const char *space)
{
    if (v == NULL || strncmp(v, "TODO", 4) == 0) /* the scaffold's: reported once */
        return;
    pt_version pv;
    if (!pt_version_parse_strict(v, &pv)) {
        bad(c, key, v, "%s '%s' is not a version: write 1 to 4 dot-separated numbers, "
            "optionally after a prefix such as 'SYSCORE.' (\"18.10.0.189\", \"0.9995\")", key, v);
        return;
    }
    if (strcmp(space, "numeric") == 0)
        for (int i = 0; i < pv.count; i++)
            if (pv.part[i] > 65535) {
                bad(c, key, v, "%s '%s': part %u is over 65535, so it cannot be a numeric "
                    "file version; compare a string instead (versions = { field = "
                    "\"file_version\" })", key, v, (unsigned)pv.part[i]);
                return;
            }
}

static void check_versions(lua_State *L, ctx *c)
{
    if (lua_getfield(L, -1, "versions") == LUA_TTABLE) {
        check_fields(L, c, versions_fields, "versions");
        const char *fname = opt_string(L, -1, "field");
        check_enum(c, "field", "versions field", fname, version_fields);
        const char *pattern = opt_string(L, -1, "numeric");
        if (pattern && !pt_version_pattern_check(pattern))
            bad(c, "numeric", pattern, "versions numeric '%s' must be four dot-separated "
                "parts, each a number, {n} (part n of the release) or *, such as "
                "\"5.{1}.{2}.*\"", pattern);
        else if (pattern && fname && strcmp(fname, "numeric") == 0)
            bad(c, "numeric", pattern, "versions numeric maps a release string to the "
                "numeric version: use it with field file_version or product_version");
    }
    lua_pop(L, 1);
    const char *space = issue_field(L);
    check_version(c, "fixed_in", opt_string(L, -1, "fixed_in"), space);
    if (lua_getfield(L, -1, "affected") == LUA_TTABLE) {
        for (lua_Integer i = 1; lua_geti(L, -1, i) != LUA_TNIL; i++) {
            if (lua_type(L, -1) == LUA_TTABLE) {
                c->anchor = item_line(L, c);
                const char *lo = opt_string(L, -1, "min"), *hi = opt_string(L, -1, "max");
                check_version(c, "min", lo, space);
                check_version(c, "max", hi, space);
                pt_version vlo, vhi;   /* a range no version can fall in */
                if (lo && hi && pt_version_parse_strict(lo, &vlo) &&
                    pt_version_parse_strict(hi, &vhi) && pt_version_cmp(&vlo, &vhi) > 0)
                    bad(c, "max", hi, "max '%s' is below min '%s', so no version is in "
                        "the range; swap them", hi, lo);
                c->anchor = 0;
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void check_issue(lua_State *L, ctx *c)
{
    check_fields(L, c, issue_fields, "issue");
    check_enum(c, "pool", "pool", opt_string(L, -1, "pool"), pools);
    check_enum(c, "severity", "severity", opt_string(L, -1, "severity"), severities);
    check_enum(c, "confidence", "confidence", opt_string(L, -1, "confidence"), confidences);
    check_date(L, c);
    if (lua_getfield(L, -1, "tags") == LUA_TTABLE) {
        for (lua_Integer i = 1; lua_geti(L, -1, i) != LUA_TNIL; i++) {
            size_t tl;
            if (lua_type(L, -1) == LUA_TSTRING) {
                const char *tag = lua_tolstring(L, -1, &tl);
                check_tag(c, "tags", tag, tl);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    check_list(L, c, "affected", affected_fields, NULL);
    check_list(L, c, "os", os_fields, NULL);
    check_list(L, c, "references", ref_fields, check_reference);
    check_versions(L, c);
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
            if (key[0] == 't') { /* checked already; "ICE" is "ICE " */
                pt_tag_normalize(v, strlen(v), tag);
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
    const char *vals[17];
    for (int i = 0; i < 13; i++)
        vals[i] = opt_string(L, -1, cols[i]);
    vals[13] = "numeric";
    vals[14] = vals[15] = NULL;
    if (lua_getfield(L, -1, "versions") == LUA_TTABLE) {
        vals[13] = opt_string(L, -1, "field");
        vals[14] = opt_string(L, -1, "scheme");
        vals[15] = opt_string(L, -1, "numeric");
    }
    lua_pop(L, 1); /* the strings stay valid: the issue table holds them */
    vals[16] = file;
    int rc = insert(db, "INSERT INTO issues VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", 17,
                    vals, NULL);
    const char *id = vals[0];
    static const char *const lists[] = {"drivers", "tags", "affected", "os", "references"};
    for (int i = 0; i < 5 && rc == SQLITE_OK; i++)
        rc = store_list(db, L, id, lists[i]);
    return rc;
}

/* Inserts the strings of list field `key` of the table at -1, one row each. */
static int store_strings(sqlite3 *db, lua_State *L, const char *key, const char *sql,
                         sqlite3_int64 fact_id)
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
        sqlite3_stmt *st;
        rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, fact_id);
            sqlite3_bind_text(st, 2, lua_tostring(L, -1), -1, SQLITE_TRANSIENT);
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            sqlite3_finalize(st);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return rc;
}

static int store_tagset(sqlite3 *db, lua_State *L, const char *file)
{
    const char *vals[] = {opt_string(L, -1, "id"), opt_string(L, -1, "title"),
                          opt_string(L, -1, "kind"), opt_string(L, -1, "author"),
                          opt_string(L, -1, "date"), file};
    int rc = insert(db, "INSERT INTO tag_sets VALUES(?,?,?,?,?,?)", 6, vals, NULL);
    const char *id = vals[0];
    lua_getfield(L, -1, "references");
    for (lua_Integer i = 1; rc == SQLITE_OK && lua_geti(L, -1, i) == LUA_TTABLE; i++) {
        long long ints[6] = {LLONG_MIN, i, LLONG_MIN, LLONG_MIN, LLONG_MIN, LLONG_MIN};
        const char *r[] = {id, NULL, opt_string(L, -1, "kind"), opt_string(L, -1, "title"),
                           opt_string(L, -1, "url"), opt_string(L, -1, "archived_url")};
        rc = insert(db, "INSERT INTO tag_set_refs VALUES(?,?,?,?,?,?)", 6, r, ints);
        lua_pop(L, 1);
    }
    lua_pop(L, rc == SQLITE_OK ? 2 : 1);
    lua_getfield(L, -1, "tags");
    for (lua_Integer i = 1; rc == SQLITE_OK && lua_geti(L, -1, i) == LUA_TTABLE; i++) {
        char tag[5] = "    ";
        const char *t = opt_string(L, -1, "tag");
        pt_tag_normalize(t, strlen(t), tag);   /* checked already */
        const char *f[] = {NULL, id, tag, opt_string(L, -1, "vendor"), opt_string(L, -1, "note")};
        rc = insert(db, "INSERT INTO tag_facts VALUES(?,?,?,?,?)", 5, f, NULL);
        sqlite3_int64 fact = sqlite3_last_insert_rowid(db);
        if (rc == SQLITE_OK)
            rc = store_strings(db, L, "drivers", "INSERT INTO tag_fact_drivers VALUES(?,?)", fact);
        if (rc == SQLITE_OK)
            rc = store_strings(db, L, "leaks_through", "INSERT INTO tag_fact_leaks VALUES(?,?)",
                               fact);
        lua_pop(L, 1);
    }
    lua_pop(L, rc == SQLITE_OK ? 2 : 1);
    return rc;
}

/* A rule test case: a table with `facts` and `expect`; the rest is checked
 * when `rules test` runs it. */
static pt_code check_case(lua_State *L, ctx *c)
{
    int f = lua_getfield(L, -1, "facts");
    int e = lua_getfield(L, -2, "expect");
    lua_pop(L, 2);
    if (f != LUA_TTABLE || e != LUA_TTABLE)
        return bad(c, NULL, NULL, "%s", "a rule case must have tables 'facts' and 'expect'");
    return PT_OK;
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
        const char *colon = strrchr(where, ':');
        report(c, colon ? (unsigned)strtoul(colon + 1, NULL, 10) : 0, msg);
        return PT_EKB;
    }
    if (!lua_istable(L, -1))
        return bad(c, NULL, NULL, "%s", "the file must return a table (return { id = ..., ... })");
    return PT_OK;
}

/* Data files are small and run with a tight budget and no library. */
static const pt_lua_opts kb_file_opts = {4u * 1024u * 1024u, 1000000L, true};

/* An id a file of this run defines, to blame a duplicate on the newer file. */
typedef struct seen_id {
    const char *id, *shown, *path;
    unsigned line;
} seen_id;

typedef struct seen_ids {
    pt_arena *arena;
    seen_id *items;
    size_t count, cap;
} seen_ids;

typedef struct check_run {
    ctx *c;
    const char *path;
    const char *logical; /* the name stored in the KB ("kb/issues/x.lua") */
    size_t len;
    struct sqlite3 *db;
    seen_ids *seen;     /* NULL: one file alone */
    pt_code rc;
} check_run;

/* False (and a problem on the newer of the two files) when another file
 * of the run already defines the id. */
static bool unique_id(lua_State *L, check_run *cr, const char *id)
{
    ctx *c = cr->c;
    seen_ids *s = cr->seen;
    if (s == NULL || id == NULL)
        return true;
    unsigned line = line_of(c->text, "id", id);
    for (size_t i = 0; i < s->count; i++) {
        seen_id *o = &s->items[i];
        if (strcmp(o->id, id) != 0)
            continue;
        if (pt_platform_mtime(o->path) > pt_platform_mtime(cr->path)) {
            ctx older = *c;
            older.file = o->shown;
            char msg[512];
            snprintf(msg, sizeof msg, "id '%s' is already used by %s, which is older: give "
                     "this file another id", id, c->file);
            report(&older, o->line, msg);
            c->found++;
        } else {
            bad(c, "id", id, "id '%s' is already used by %s: give this file another id", id,
                o->shown);
        }
        return false;
    }
    seen_id n = {pt_arena_strdup(s->arena, id), pt_arena_strdup(s->arena, c->file),
                 pt_arena_strdup(s->arena, cr->path), line};
    if (n.id && n.shown && n.path && PT_PUSH(s->items, s->count, s->cap, n))
        return true;
    luaL_error(L, "out of memory");
    return true;
}

/* Loading, checking and storing touch Lua: all of it runs protected. */
static int check_body(lua_State *L)
{
    check_run *cr = lua_touserdata(L, 1);
    lua_settop(L, 0);
    ctx *c = cr->c;
    cr->rc = load_issue(L, c, cr->len);
    if (cr->rc != PT_OK)
        return 0;
    if (c->kind == SRC_TAGSET)
        check_tagset(L, c);
    else if (c->kind == SRC_CASE)
        check_case(L, c);
    else
        check_issue(L, c);
    if (c->kind != SRC_CASE)
        unique_id(L, cr, opt_string(L, -1, "id"));
    if (c->found)
        cr->rc = PT_EKB;
    if (cr->rc != PT_OK || cr->db == NULL || c->kind == SRC_CASE)
        return 0;
    int st = c->kind == SRC_TAGSET ? store_tagset(cr->db, L, cr->logical)
                                   : store_issue(cr->db, L, cr->logical);
    if (st != SQLITE_OK)
        cr->rc = sql_fail(cr->db, c->file, c->err);
    return 0;
}

/* `shown` names the file in messages (the path it was read from); `logical`
 * is the name the KB stores, the same wherever the checkout lives. */
static pt_code check_file(pt_arena *arena, source_kind kind, const char *path,
                          const char *shown, const char *logical, struct sqlite3 *db,
                          problems *probs, seen_ids *seen, pt_error *err)
{
    uint8_t *text;
    size_t len;
    pt_code rc = pt_file_read(arena, path, PT_MAX_RULE_BYTES, &text, &len, err);
    if (rc != PT_OK)
        return rc == PT_ENOMEM ? rc : pt_error_recode(err, PT_EKB);
    ctx c = {kind, shown, (const char *)text, err, probs, 0, 0};
    lua_State *L = pt_lua_open(&kb_file_opts);
    if (L == NULL)
        return pt_error_set(err, PT_ENOMEM, shown, "out of memory");
    check_run cr = {&c, path, logical, len, db, seen, PT_OK};
    int status = pt_lua_cpcall(L, check_body, &cr);
    rc = status == LUA_OK ? cr.rc
                          : pt_error_set(err, PT_EKB, shown, "%s", pt_lua_error_text(L, status));
    pt_lua_close(L);
    return rc;
}

pt_code pt_kb_check_file_into(pt_arena *arena, const char *path, const char *shown,
                              struct sqlite3 *db, pt_error *err)
{
    bool tags = strstr(shown, "tags/") != NULL;
    return check_file(arena, tags ? SRC_TAGSET : SRC_ISSUE, path, shown, shown, db, NULL, NULL,
                      err);
}

/* A rule file must compile as text and declare a string id. */
static pt_code add_rule(pt_arena *arena, sqlite3 *db, const char *path,
                        const char *name, pt_error *err)
{
    uint8_t *text;
    size_t len;
    pt_code rc = pt_file_read(arena, path, PT_MAX_RULE_BYTES, &text, &len, err);
    if (rc != PT_OK)
        return rc == PT_ENOMEM ? rc : pt_error_recode(err, PT_EKB);
    pt_rule_meta meta;
    /* messages name the path it was read from; the KB stores the file name */
    if ((rc = pt_rule_meta_read(arena, path, (const char *)text, len, &meta, err)) != PT_OK)
        return rc;
    const char *vals[] = {meta.id, name, (const char *)text};
    if (insert(db, "INSERT INTO rules VALUES(?,?,?)", 3, vals, NULL) != SQLITE_OK)
        return pt_error_set(err, PT_EKB, path, "rule id '%s' is used twice or the "
                            "database failed: %s", meta.id, sqlite3_errmsg(db));
    return PT_OK;
}

static const char *base_name(const char *path)
{
    return pt_path_base(path);
}

typedef struct build {
    pt_arena *arena;
    sqlite3 *db;
    pt_buf hash;          /* every input's name and bytes, for kb_version */
    pt_error *err;        /* the first problem, or the hard error */
    problems probs;
    seen_ids seen;
} build;

/* Checks and stores one source file, and adds it to the content hash under
 * its logical name, so the KB does not depend on where the checkout is. */
static pt_code add_file_to(build *b, source_kind kind, const char *path, const char *logical,
                           const char *rule_id, pt_error *err)
{
    uint8_t *text;
    size_t len;
    pt_code rc = pt_file_read(b->arena, path, PT_MAX_RULE_BYTES, &text, &len, err);
    if (rc != PT_OK)
        return rc == PT_ENOMEM ? rc : pt_error_recode(err, PT_EKB);
    const char *name = base_name(path);
    if (kind == SRC_RULE) {
        rc = add_rule(b->arena, b->db, path, name, err);
    } else {
        rc = check_file(b->arena, kind, path, path, logical, b->db, &b->probs, &b->seen, err);
        const char *vals[] = {rule_id, name, (const char *)text};
        if (rc == PT_OK && kind == SRC_CASE &&
            insert(b->db, "INSERT INTO rule_cases VALUES(?,?,?)", 3, vals, NULL) != SQLITE_OK)
            rc = sql_fail(b->db, path, err);
    }
    if (rc == PT_OK) {
        pt_buf_puts(&b->hash, logical);
        pt_buf_append(&b->hash, "", 1);
        pt_buf_append(&b->hash, (const char *)text, len);
    }
    return rc;
}

/* A problem not found by the schema checks (a rule that does not load, a
 * file that cannot be read): reported like the others. */
static void problem(build *b, const pt_error *e)
{
    if (b->probs.count++ == 0)
        *b->err = *e;
    if (b->probs.src && b->probs.src->problem)
        b->probs.src->problem(b->probs.src->problem_arg, e->where, e->message);
}

/* add_file_to that goes on after a bad file: PT_OK unless the run cannot
 * go on (out of memory, a database failure). */
static pt_code add_file(build *b, source_kind kind, const char *path, const char *logical,
                        const char *rule_id)
{
    size_t before = b->probs.count;
    pt_error e = {0};
    pt_code rc = add_file_to(b, kind, path, logical, rule_id, &e);
    if (rc == PT_OK)
        return PT_OK;
    if (rc != PT_EKB && rc != PT_ERULE && rc != PT_EIO) {
        *b->err = e;
        return rc;
    }
    if (b->probs.count == before)
        problem(b, &e);
    else if (before == 0)
        *b->err = e;
    return PT_OK;
}

/* Adds every *.lua directly in `dir`, in name order (hidden files, such as
 * an editor's lock files, are left out).  Messages name each file by the
 * path it was read from; `logical_dir` ("kb/issues") prefixes the name the
 * KB stores and hashes.  A *.lua that is not a regular file (a FIFO, a
 * device, a folder) is a problem rather than a silent gap, and so is a
 * folder of issues or rules that holds no *.lua at all. */
static pt_code add_dir(build *b, source_kind kind, const char *dir, const char *logical_dir,
                       const char *rule_id)
{
    char **names;
    size_t count, sources = 0;
    pt_code rc = pt_platform_names(dir, &names, &count, b->err);
    if (rc != PT_OK)
        return rc == PT_ENOMEM ? rc : pt_error_recode(b->err, PT_EKB);
    for (size_t i = 0; i < count && rc == PT_OK; i++) {
        const char *name = names[i];
        if (name[0] == '.' || !pt_ends_with_ci(name, ".lua"))
            continue;
        char *path = pt_path_join_arena(b->arena, dir, name);
        if (path == NULL) {
            rc = pt_error_set(b->err, PT_ENOMEM, dir, "out of memory");
            break;
        }
        if (!pt_platform_is_file(path)) {
            pt_error e = {0};
            pt_error_set(&e, PT_EKB, path, "not a regular file (a FIFO, device, socket or "
                         "folder): a KB source must be a file");
            problem(b, &e);
            continue;
        }
        sources++;
        char logical[600];
        snprintf(logical, sizeof logical, "%s/%s", logical_dir, name); /* not a file path */
        rc = add_file(b, kind, path, logical, rule_id);
    }
    pt_platform_names_free(names, count);
    if (rc == PT_OK && sources == 0 && (kind == SRC_ISSUE || kind == SRC_RULE)) {
        pt_error e = {0};
        pt_error_set(&e, PT_EKB, dir, "no %s file (*.lua) here: nothing to check or build",
                     kind == SRC_ISSUE ? "KB issue" : "rule");
        problem(b, &e);
    }
    return rc;
}

/* rules/tests/<rule-id>/<case>.lua: each rule's test cases. */
static pt_code add_cases(build *b, const char *rules_dir)
{
    char *tests = pt_path_join_arena(b->arena, rules_dir, "tests");
    if (tests == NULL)
        return pt_error_set(b->err, PT_ENOMEM, rules_dir, "out of memory");
    if (!pt_platform_is_dir(tests))
        return PT_OK;
    char **names;
    size_t name_count;
    if (pt_platform_names(tests, &names, &name_count, NULL) != PT_OK)
        return pt_error_set(b->err, PT_EKB, tests, "cannot open the rule cases folder");
    /* sorted (by pt_platform_names), so the build is reproducible */
    const char **ids = NULL;
    size_t count = 0, cap = 0;
    pt_code rc = PT_OK;
    for (size_t n = 0; rc == PT_OK && n < name_count; n++) {
        const char *id = pt_arena_strdup(b->arena, names[n]);
        if (names[n][0] == '.')
            continue;
        if (id == NULL || !PT_PUSH(ids, count, cap, id))
            rc = pt_error_set(b->err, PT_ENOMEM, tests, "out of memory");
    }
    pt_platform_names_free(names, name_count);
    for (size_t i = 0; i < count && rc == PT_OK; i++) {
        char *dir = pt_path_join_arena(b->arena, tests, ids[i]);
        char *shown = pt_arena_printf(b->arena, "rules/tests/%s", ids[i]);
        if (dir == NULL || shown == NULL)
            rc = pt_error_set(b->err, PT_ENOMEM, tests, "out of memory");
        else if (pt_platform_is_dir(dir))
            rc = add_dir(b, SRC_CASE, dir, shown, ids[i]);
    }
    pt_free(ids);
    return rc;
}

/* Every KB id a tag fact names in leaks_through must be defined by a file
 * of kb/issues (a broken one counts: it has its own problem). */
static pt_code check_leak_ids(build *b)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(b->db, "SELECT l.issue_id, s.source_file FROM tag_fact_leaks l "
                           "JOIN tag_facts f ON f.fact_id = l.fact_id "
                           "JOIN tag_sets s ON s.id = f.set_id ORDER BY s.source_file, f.fact_id",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_fail(b->db, "kb/tags", b->err);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        bool known = false;
        for (size_t i = 0; i < b->seen.count && !known; i++)
            known = strcmp(b->seen.items[i].id, id) == 0;
        if (!known) {
            /* the file as it was read, not the name the KB stores */
            const char *stored = (const char *)sqlite3_column_text(st, 1);
            const char *tags_dir = b->probs.src ? b->probs.src->tags_dir : NULL;
            char *file = tags_dir ? pt_path_join_arena(b->arena, tags_dir, pt_path_base(stored))
                                  : NULL;
            pt_error e = {0};
            pt_error_set(&e, PT_EKB, file ? file : stored,
                         "leaks_through names '%s', which no file in %s defines", id,
                         b->probs.src && b->probs.src->issues_dir ? b->probs.src->issues_dir
                                                                  : "kb/issues");
            problem(b, &e);
        }
    }
    sqlite3_finalize(st);
    return PT_OK;
}

/* Every issue has rule cases: a case under rules/tests that expects it
 * (kb = "PT-0042") or is named after it (pt-0042-*.lua), as kb new writes
 * them.  (unit.test_kb_cases checks the shipped cases more closely.) */
static pt_code check_case_coverage(build *b)
{
    sqlite3_stmt *is, *cs;
    if (sqlite3_prepare_v2(b->db, "SELECT 1 FROM issues WHERE id = ?1", -1, &is, NULL) != SQLITE_OK)
        return sql_fail(b->db, "kb/issues", b->err);
    if (sqlite3_prepare_v2(b->db, "SELECT 1 FROM rule_cases WHERE instr(source, ?1) > 0 "
                           "OR name LIKE ?2", -1, &cs, NULL) != SQLITE_OK) {
        sqlite3_finalize(is);
        return sql_fail(b->db, "rules/tests", b->err);
    }
    for (size_t i = 0; i < b->seen.count; i++) {
        const seen_id *o = &b->seen.items[i];
        sqlite3_reset(is);
        sqlite3_bind_text(is, 1, o->id, -1, SQLITE_STATIC);
        if (sqlite3_step(is) != SQLITE_ROW || strlen(o->id) < 4)
            continue;
        char quoted[160], named[160];
        snprintf(quoted, sizeof quoted, "\"%s\"", o->id);
        snprintf(named, sizeof named, "pt-%s-%%", o->id + 3);
        sqlite3_reset(cs);
        sqlite3_bind_text(cs, 1, quoted, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 2, named, -1, SQLITE_STATIC);
        if (sqlite3_step(cs) == SQLITE_ROW)
            continue;
        pt_error e = {0};
        pt_error_set(&e, PT_EKB, o->shown, "%s has no rule case: no file in rules/tests expects "
                     "kb = \"%s\" or is named pt-%s-*.lua; 'pooltriage kb new' writes the two an "
                     "entry needs (kb/SCHEMA.md)", o->id, o->id, o->id + 3);
        if (o->line)
            snprintf(e.where, sizeof e.where, "%s:%u", o->shown, o->line);
        problem(b, &e);
    }
    sqlite3_finalize(is);
    sqlite3_finalize(cs);
    return PT_OK;
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

pt_code pt_kb_build_from(const pt_kb_sources *src, const char *out_path, pt_error *err)
{
    pt_arena *arena = pt_arena_new();
    char *tmp = arena ? pt_arena_printf(arena, "%s.tmp.%ld", out_path, (long)pt_platform_pid()) : NULL;
    if (tmp == NULL) {
        pt_arena_free(arena);
        return pt_error_set(err, PT_ENOMEM, out_path, "out of memory");
    }
    pt_platform_remove(tmp);
    build b = {arena, NULL, {0}, err, {src, err, 0}, {arena, NULL, 0, 0}};
    pt_code rc = PT_OK;
    if (sqlite3_open_v2(tmp, &b.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = pt_error_set(err, PT_EIO, tmp, "cannot create: %s",
                          b.db ? sqlite3_errmsg(b.db) : "out of memory");
        goto done;
    }
    if (sqlite3_exec(b.db, "PRAGMA journal_mode=OFF; PRAGMA page_size=4096; BEGIN;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(b.db, pt_kb_schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = sql_fail(b.db, tmp, err);
        goto done;
    }
    if ((rc = add_dir(&b, SRC_ISSUE, src->issues_dir, "kb/issues", NULL)) != PT_OK ||
        (src->tags_dir && (rc = add_dir(&b, SRC_TAGSET, src->tags_dir, "kb/tags", NULL)) != PT_OK) ||
        (src->rules_dir && (rc = add_dir(&b, SRC_RULE, src->rules_dir, "rules", NULL)) != PT_OK) ||
        (src->rules_dir && (rc = add_cases(&b, src->rules_dir)) != PT_OK) ||
        (rc = check_leak_ids(&b)) != PT_OK ||
        (src->rules_dir && src->require_cases && (rc = check_case_coverage(&b)) != PT_OK))
        goto done;
    if (b.probs.count > 0) { /* err holds the first; the callback had them all */
        rc = PT_EKB;
        goto done;
    }
    if ((rc = write_meta(b.db, &b.hash, tmp, err)) != PT_OK)
        goto done;
    if (sqlite3_exec(b.db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
        rc = sql_fail(b.db, tmp, err);
        goto done;
    }
    if (sqlite3_close(b.db) != SQLITE_OK) {
        rc = pt_error_set(err, PT_EIO, tmp, "cannot close the database");
        b.db = NULL;
        goto done;
    }
    b.db = NULL;
    if (pt_platform_rename(tmp, out_path) != 0)
        rc = pt_error_set(err, PT_EIO, out_path, "cannot rename the new KB into place");
done:
    sqlite3_close(b.db);
    if (rc != PT_OK)
        pt_platform_remove(tmp);
    pt_free(b.seen.items);
    pt_buf_free(&b.hash);
    pt_arena_free(arena);
    return rc;
}

pt_code pt_kb_build(const char *issues_dir, const char *rules_dir,
                    const char *out_path, pt_error *err)
{
    /* the tag facts live beside the issues: kb/issues -> kb/tags */
    char tags[4096], up[4096];
    if (!pt_path_join_buf(up, sizeof up, issues_dir, "..") ||
        !pt_path_join_buf(tags, sizeof tags, up, "tags"))
        tags[0] = '\0';
    pt_kb_sources src = {.issues_dir = issues_dir,
                         .tags_dir = pt_platform_is_dir(tags) ? tags : NULL,
                         .rules_dir = rules_dir};
    return pt_kb_build_from(&src, out_path, err);
}

pt_code pt_kb_check_file(pt_arena *arena, const char *path, const char *shown,
                         pt_error *err)
{
    return pt_kb_check_file_into(arena, path, shown, NULL, err);
}

pt_code pt_kb_source_refs(pt_arena *arena, const char *dir, pt_kb_source_ref **out,
                          size_t *out_count, pt_error *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char **files = NULL;
    size_t nfiles = 0, count = 0, cap = 0;
    pt_kb_source_ref *refs = NULL;
    *out = NULL;
    *out_count = 0;
    pt_code rc = pt_platform_list(dir, &files, &nfiles, err);
    if (rc != PT_OK)
        return rc == PT_ENOMEM ? rc : PT_EKB;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(db, pt_kb_schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
        goto done;
    }
    for (size_t i = 0; rc == PT_OK && i < nfiles; i++)
        if (pt_ends_with_ci(base_name(files[i]), ".lua"))
            rc = pt_kb_check_file_into(arena, files[i], files[i], db, err);
    if (rc == PT_OK &&
        sqlite3_prepare_v2(db, "SELECT i.source_file, i.id, i.date, r.seq, r.url, "
                           "r.archived_url FROM refs r JOIN issues i ON i.id = r.issue_id "
                           "ORDER BY i.source_file, r.seq", -1, &st, NULL) != SQLITE_OK)
        rc = pt_error_set(err, PT_EKB, "", "sqlite: %s", sqlite3_errmsg(db));
    while (rc == PT_OK && sqlite3_step(st) == SQLITE_ROW) {
        pt_kb_source_ref r = {0};
        r.file = pt_arena_strdup(arena, (const char *)sqlite3_column_text(st, 0));
        r.issue = pt_arena_strdup(arena, (const char *)sqlite3_column_text(st, 1));
        r.date = pt_arena_strdup(arena, (const char *)sqlite3_column_text(st, 2));
        r.seq = sqlite3_column_int(st, 3);
        r.url = pt_arena_strdup(arena, (const char *)sqlite3_column_text(st, 4));
        r.archived_url = pt_arena_strdup(arena, (const char *)sqlite3_column_text(st, 5));
        if (!PT_PUSH(refs, count, cap, r))
            rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
    }
    if (rc == PT_OK && refs != NULL) {
        pt_kb_source_ref *kept = pt_arena_alloc(arena, count * sizeof *kept);
        if (kept == NULL)
            rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
        else {
            memcpy(kept, refs, count * sizeof *kept);
            *out = kept;
            *out_count = count;
        }
    }
done:
    sqlite3_finalize(st);
    sqlite3_close(db);
    for (size_t i = 0; i < nfiles; i++)
        pt_free(files[i]);
    pt_free(files);
    pt_free(refs);
    return rc;
}
