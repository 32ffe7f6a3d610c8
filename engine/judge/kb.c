/*
 * kb.c - reading a compiled knowledge base: open it read-only and
 * untrusted, read entries with their references, and answer the lookups
 * the rules make (by tag, driver, file version and OS build).
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"
#include "kb_schema.h"

#include <sqlite3.h>
#include <string.h>

struct pt_kb {
    sqlite3 *db;
    char *version;
    char *path;
};

/* A KB another process keeps locked past PT_KB_BUSY_MS: said as such,
 * never as damage. */
static bool locked(sqlite3 *db)
{
    int code = db ? sqlite3_errcode(db) & 0xff : SQLITE_OK;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

static pt_code locked_error(sqlite3 *db, const char *path, pt_error *err)
{
    return pt_error_set(err, PT_EKB, path, "the knowledge base stayed locked by another "
                        "process for %u ms: %s; run again", PT_KB_BUSY_MS,
                        sqlite3_errmsg(db));
}

static pt_code kb_fail(pt_kb *kb, const char *path, pt_error *err, const char *what)
{
    if (locked(kb->db))
        locked_error(kb->db, path, err);
    else
        pt_error_set(err, PT_EKB, path, "%s: %s", what, kb->db ? sqlite3_errmsg(kb->db) : "");
    pt_kb_close(kb);
    return PT_EKB;
}

pt_code pt_kb_open(const char *path, pt_kb **out, pt_error *err)
{
    *out = NULL;
    pt_file_info fi;
    if (pt_platform_stat(path, &fi) && !fi.is_file) /* a folder, a FIFO: never opened */
        return pt_error_set(err, PT_EKB, path, "not a regular file: a knowledge base is a "
                            "file (kb.sqlite)");
    if (!pt_platform_is_file(path))
        return pt_error_set(err, PT_EKB, path, "no knowledge base here: build it with "
                            "'pooltriage kb build' or pass --kb FILE");
    pt_kb *kb = pt_calloc(1, sizeof *kb);
    if (kb == NULL || (kb->path = pt_malloc(strlen(path) + 1)) == NULL) {
        pt_free(kb);
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    }
    strcpy(kb->path, path);
    if (sqlite3_open_v2(path, &kb->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return kb_fail(kb, path, err, "cannot open the knowledge base");
    /* readers wait for a lock (another process reading, a scanner, Wine's
     * lock emulation) instead of failing at once */
    sqlite3_busy_timeout(kb->db, PT_KB_BUSY_MS);
    /* the file may come from a feed: never run its schema's code */
    sqlite3_db_config(kb->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(kb->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(kb->db, "SELECT key, value FROM meta", -1, &st, NULL) != SQLITE_OK)
        return kb_fail(kb, path, err, "not a pooltriage knowledge base");
    const char *schema = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (k && v && strcmp(k, "schema_version") == 0)
            schema = strcmp(v, PT_KB_SCHEMA_VERSION) == 0 ? "ok" : "other";
        if (k && v && strcmp(k, "kb_version") == 0 && kb->version == NULL) {
            kb->version = pt_malloc(strlen(v) + 1);
            if (kb->version)
                strcpy(kb->version, v);
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return kb_fail(kb, path, err, "cannot read the knowledge base");
    if (schema == NULL || strcmp(schema, "ok") != 0 || kb->version == NULL) {
        pt_kb_close(kb);
        return pt_error_set(err, PT_EKB, path, "knowledge base schema is not version %s; "
                            "rebuild it with 'pooltriage kb build'", PT_KB_SCHEMA_VERSION);
    }
    *out = kb;
    return PT_OK;
}

void pt_kb_close(pt_kb *kb)
{
    if (kb == NULL)
        return;
    sqlite3_close(kb->db);
    pt_free(kb->version);
    pt_free(kb->path);
    pt_free(kb);
}

const char *pt_kb_version(const pt_kb *kb) { return kb->version; }

struct sqlite3 *kb_db(pt_kb *kb) { return kb->db; }

const char *pt_kb_path(const pt_kb *kb) { return kb->path; }

/* A query that failed on an open KB: the file is damaged (or vanished); the
 * error names the file, and it is PT_EKB (exit 4), never "not found". */
static pt_code kb_damaged(pt_kb *kb, pt_error *err)
{
    if (locked(kb->db))
        return locked_error(kb->db, kb->path, err);
    return pt_error_set(err, PT_EKB, kb->path, "the knowledge base is damaged: %s; "
                        "reinstall or rebuild it", sqlite3_errmsg(kb->db));
}

static char *col(pt_arena *arena, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? pt_arena_strdup(arena, (const char *)t) : NULL;
}


/* Fills one item from the current row; false on out of memory. */
typedef bool (*row_fn)(pt_arena *arena, pt_kb *kb, sqlite3_stmt *st, void *item);

/* Runs `sql` with one parameter (`text`, or `num` when text is NULL) and
 * gathers an item of item_len bytes per row, via `row`, into an array the
 * arena owns. */
static pt_code query_rows(pt_arena *arena, pt_kb *kb, const char *sql, const char *text,
                          sqlite3_int64 num, size_t item_len, row_fn row, void **out,
                          size_t *out_count, pt_error *err)
{
    *out = NULL;
    *out_count = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(kb->db, sql, -1, &st, NULL) != SQLITE_OK)
        return kb_damaged(kb, err);
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, num);
    char *items = NULL;
    size_t count = 0, cap = 0;
    pt_code rc = PT_OK;
    int step;
    while (rc == PT_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!pt_grow((void **)&items, &cap, count + 1, item_len)) {
            rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
            break;
        }
        void *item = items + count * item_len;
        memset(item, 0, item_len);
        if (!row(arena, kb, st, item))
            rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
        else
            count++;
    }
    if (rc == PT_OK && step != SQLITE_DONE) /* a corrupt KB answers in part: say so */
        rc = kb_damaged(kb, err);
    sqlite3_finalize(st);
    if (!pt_arena_adopt(arena, items) && rc == PT_OK)
        rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
    if (rc == PT_OK) {
        *out = items;
        *out_count = count;
    }
    return rc;
}

static bool string_row(pt_arena *arena, pt_kb *kb, sqlite3_stmt *st, void *item)
{
    (void)kb;
    return (*(const char **)item = col(arena, st, 0)) != NULL;
}

static bool ref_row(pt_arena *arena, pt_kb *kb, sqlite3_stmt *st, void *item)
{
    (void)kb;
    pt_kb_ref r = {col(arena, st, 0), col(arena, st, 1), col(arena, st, 2), col(arena, st, 3)};
    *(pt_kb_ref *)item = r;
    return r.kind && r.title;
}

static bool range_row(pt_arena *arena, pt_kb *kb, sqlite3_stmt *st, void *item)
{
    (void)kb;
    pt_kb_range r = {col(arena, st, 0), col(arena, st, 1), col(arena, st, 2), col(arena, st, 3)};
    *(pt_kb_range *)item = r;
    return r.id != NULL;
}

static int64_t opt_int(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? PT_UNKNOWN : sqlite3_column_int64(st, i);
}

static bool os_row(pt_arena *arena, pt_kb *kb, sqlite3_stmt *st, void *item)
{
    (void)kb;
    pt_kb_os o = {col(arena, st, 0), opt_int(st, 1), opt_int(st, 2), col(arena, st, 3)};
    *(pt_kb_os *)item = o;
    return true;
}

static bool source_row(pt_arena *arena, pt_kb *kb, sqlite3_stmt *st, void *item)
{
    (void)kb;
    pt_rule_source *r = item;
    r->name = col(arena, st, 0);
    const char *text = (const char *)sqlite3_column_text(st, 1); /* before its length */
    r->len = text ? (size_t)sqlite3_column_bytes(st, 1) : 0;
    r->text = pt_arena_strndup(arena, text ? text : "", r->len); /* empty: fails to load */
    return r->name && r->text;
}

#define QUERY(arena, kb, sql, text, num, row, out, count, err)                                \
    query_rows((arena), (kb), (sql), (text), (num), sizeof **(out), (row), (void **)(out),    \
               (count), (err))

pt_code pt_rules_from_kb(pt_arena *arena, pt_kb *kb, pt_rule_source **out,
                         size_t *out_count, pt_error *err)
{
    /* no parameter: the helper's bind of ?1 is a harmless SQLITE_RANGE */
    return QUERY(arena, kb, "SELECT file, source FROM rules ORDER BY id", NULL, 0, source_row,
                 out, out_count, err);
}

pt_code pt_kb_rule_file(pt_arena *arena, pt_kb *kb, const char *id, const char **out,
                        pt_error *err)
{
    const char **files;
    size_t count;
    *out = NULL;
    pt_code rc = QUERY(arena, kb, "SELECT file FROM rules WHERE id = ?1", id, 0, string_row,
                       &files, &count, err);
    if (rc == PT_OK && count)
        *out = files[0];
    return rc;
}

pt_code pt_rule_cases_from_kb(pt_arena *arena, pt_kb *kb, const char *rule_id,
                              pt_rule_source **out, size_t *out_count, pt_error *err)
{
    return QUERY(arena, kb, "SELECT name, source FROM rule_cases WHERE rule_id = ?1 ORDER BY name",
                 rule_id, 0, source_row, out, out_count, err);
}

pt_code pt_kb_search(pt_arena *arena, pt_kb *kb, const char *term,
                     const char ***out, size_t *out_count, pt_error *err)
{
    /* the term is bound, never spliced; an empty term matches everything */
    static const char sql[] =
        "SELECT id FROM issues WHERE ?1 = '' OR "
        "instr(lower(id || ' ' || title || ' ' || vendor || ' ' || ifnull(product, '') || ' ' "
        "|| ifnull(symptoms, '') || ' ' || ifnull(notes, '')), lower(?1)) > 0 "
        "OR id IN (SELECT issue_id FROM issue_drivers WHERE instr(lower(driver), lower(?1)) > 0) "
        "OR id IN (SELECT issue_id FROM issue_tags WHERE instr(lower(tag), lower(?1)) > 0) "
        "ORDER BY id";
    return QUERY(arena, kb, sql, term ? term : "", 0, string_row, out, out_count, err);
}

static bool tag_hit_row(pt_arena *arena, pt_kb *kb, sqlite3_stmt *st, void *item)
{
    (void)kb;
    pt_kb_tag_hit *h = item;
    h->set_id = col(arena, st, 0);
    h->kind = col(arena, st, 1);
    h->tag = col(arena, st, 2);
    h->vendor = col(arena, st, 3);
    h->note = col(arena, st, 4);
    h->drivers = col(arena, st, 5);
    return h->set_id && h->tag;
}

pt_code pt_kb_search_tags(pt_arena *arena, pt_kb *kb, const char *term,
                          pt_kb_tag_hit **out, size_t *out_count, pt_error *err)
{
    /* a tag matches whole, ignoring trailing spaces, and ignoring case only
     * when no tag has the exact spelling ("mdl" finds "Mdl ", "NpCD" does
     * not find "NpcD"); the other columns match as substrings, for a term
     * longer than a tag or a 4-character word that is no tag ("KMDF") */
    static const char sql[] =
        "SELECT f.set_id, s.kind, f.tag, f.vendor, f.note, "
        "(SELECT group_concat(pattern, ', ') FROM tag_fact_drivers d WHERE d.fact_id = f.fact_id) "
        "FROM tag_facts f JOIN tag_sets s ON s.id = f.set_id WHERE "
        "rtrim(f.tag) = rtrim(?1) OR (lower(rtrim(f.tag)) = lower(rtrim(?1)) AND NOT EXISTS "
        "(SELECT 1 FROM tag_facts x WHERE rtrim(x.tag) = rtrim(?1))) OR ((length(?1) > 4 OR "
        "(length(?1) = 4 AND NOT EXISTS (SELECT 1 FROM tag_facts y WHERE "
        "lower(rtrim(y.tag)) = lower(rtrim(?1))))) AND "
        "instr(lower(f.set_id || ' ' || s.title || ' ' || ifnull(f.vendor, '') || ' ' || "
        "ifnull(f.note, '')), lower(?1)) > 0) OR f.fact_id IN (SELECT fact_id FROM "
        "tag_fact_drivers WHERE instr(lower(pattern), lower(?1)) > 0) "
        "ORDER BY f.set_id, f.fact_id";
    return QUERY(arena, kb, sql, term ? term : "", 0, tag_hit_row, out, out_count, err);
}

static size_t count_rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    size_t n = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

pt_code pt_kb_stats_read(pt_kb *kb, pt_kb_stats *out, pt_error *err)
{
    (void)err;
    out->issues = count_rows(kb->db, "SELECT count(*) FROM issues");
    out->tag_sets = count_rows(kb->db, "SELECT count(*) FROM tag_sets");
    out->tag_facts = count_rows(kb->db, "SELECT count(*) FROM tag_facts");
    out->rules = count_rows(kb->db, "SELECT count(*) FROM rules");
    out->rule_cases = count_rows(kb->db, "SELECT count(*) FROM rule_cases");
    return PT_OK;
}

pt_code pt_kb_get(pt_arena *arena, pt_kb *kb, const char *id, pt_kb_entry *out,
                  pt_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(kb->db, "SELECT id, title, vendor, product, severity, fixed_in, "
                           "workaround, symptoms, notes, pool, confidence, author, date, "
                           "version_field, version_scheme, version_numeric "
                           "FROM issues WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return kb_damaged(kb, err);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    pt_code rc = PT_OK;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->id = col(arena, st, 0);
        out->title = col(arena, st, 1);
        out->vendor = col(arena, st, 2);
        out->product = col(arena, st, 3);
        out->severity = col(arena, st, 4);
        out->fixed_in = col(arena, st, 5);
        out->workaround = col(arena, st, 6);
        out->symptoms = col(arena, st, 7);
        out->notes = col(arena, st, 8);
        out->pool = col(arena, st, 9);
        out->confidence = col(arena, st, 10);
        out->author = col(arena, st, 11);
        out->date = col(arena, st, 12);
        out->version_field = col(arena, st, 13);
        out->version_scheme = col(arena, st, 14);
        out->version_numeric = col(arena, st, 15);
    } else if (step == SQLITE_DONE) {
        rc = pt_error_set(err, PT_EFORMAT, "", "no known issue '%s' in the knowledge base", id);
    } else {
        rc = kb_damaged(kb, err);
    }
    sqlite3_finalize(st);
    if (rc == PT_OK)
        rc = QUERY(arena, kb, "SELECT kind, title, url, archived_url FROM refs "
                   "WHERE issue_id = ?1 ORDER BY seq", out->id, 0, ref_row, &out->refs,
                   &out->ref_count, err);
    if (rc == PT_OK)
        rc = QUERY(arena, kb, "SELECT tag FROM issue_tags WHERE issue_id = ?1 ORDER BY rowid",
                   out->id, 0, string_row, &out->tags, &out->tag_count, err);
    if (rc == PT_OK)
        rc = QUERY(arena, kb, "SELECT driver FROM issue_drivers WHERE issue_id = ?1 "
                   "ORDER BY rowid", out->id, 0, string_row, &out->drivers, &out->driver_count,
                   err);
    if (rc == PT_OK)
        rc = QUERY(arena, kb, "SELECT range_id, min_version, max_version, note FROM affected "
                   "WHERE issue_id = ?1 ORDER BY rowid", out->id, 0, range_row, &out->ranges,
                   &out->range_count, err);
    if (rc == PT_OK)
        rc = QUERY(arena, kb, "SELECT nt, build_min, build_max, name FROM os_builds "
                   "WHERE issue_id = ?1 ORDER BY rowid", out->id, 0, os_row, &out->os,
                   &out->os_count, err);
    return rc;
}

/* ---- lookups ---- */

/* The lookups below keep in bad[BAD_LEN] SQLite's message of the first
 * query that fails (a damaged KB); "" while all is well. */
enum { BAD_LEN = 256 };

static void set_bad(sqlite3 *db, char *bad)
{
    if (bad[0] == '\0')
        snprintf(bad, BAD_LEN, "%s", sqlite3_errmsg(db));
}
static int exists(sqlite3 *db, const char *sql, const char *id, const char *v, char *bad)
{
    if (v == NULL)
        return 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        set_bad(db, bad);
        return 0;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, v, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        set_bad(db, bad);
    sqlite3_finalize(st);
    return step == SQLITE_ROW;
}

/* Which affected range holds the version: 1 and *range_id, 0, or -1
 * when the entry lists no range or the version is unknown. */
static int match_version(pt_arena *arena, sqlite3 *db, const char *id,
                         const pt_version *v, const char **range_id, char *bad)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT range_id, min_version, max_version FROM affected "
                           "WHERE issue_id = ?1 ORDER BY rowid", -1, &st, NULL) != SQLITE_OK) {
        set_bad(db, bad);
        return -1;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int result = -1, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (v == NULL)
            break;
        result = 0;
        pt_version lo, hi;
        bool has_lo = pt_version_parse_strict((const char *)sqlite3_column_text(st, 1), &lo);
        bool has_hi = pt_version_parse_strict((const char *)sqlite3_column_text(st, 2), &hi);
        if ((!has_lo || pt_version_cmp(v, &lo) >= 0) &&
            (!has_hi || pt_version_cmp(v, &hi) <= 0)) {
            *range_id = col(arena, st, 0);
            result = 1;
            break;
        }
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        set_bad(db, bad);
    sqlite3_finalize(st);
    return result;
}

/* How an entry compares versions (issues.version_*). */
typedef struct space {
    const char *field;     /* file_version, product_version or numeric */
    const char *scheme;    /* or NULL */
    const char *numeric;   /* release -> numeric pattern, or NULL */
    const char *fixed_in;  /* or NULL */
} space;

/* The driver's version in the entry's space, with a label saying which
 * field it came from; false when the driver carries none there. */
static bool driver_version(pt_arena *arena, const pt_kb_query *q, const space *sp,
                           pt_version *out, const char **label)
{
    const char *s = NULL, *name = NULL;
    pt_version n;
    if (strcmp(sp->field, "file_version") == 0) {
        s = q->file_version;
        name = "FileVersion string";
    } else if (strcmp(sp->field, "product_version") == 0) {
        s = q->product_version;
        name = "ProductVersion string";
    }
    if (name) {
        if (s && pt_version_parse(s, out)) {
            *label = pt_arena_printf(arena, "%s %s", name, s);
            return true;
        }
        if (sp->numeric && q->numeric && pt_version_parse(q->numeric, &n) &&
            pt_version_from_pattern(sp->numeric, &n, out)) {
            char rel[48];
            pt_version_format(out, rel, sizeof rel);
            *label = pt_arena_printf(arena, "numeric file version %s (%s %s)", q->numeric,
                                     sp->scheme ? sp->scheme : "release", rel);
            return true;
        }
        return false;
    }
    if (q->numeric && pt_version_parse(q->numeric, out)) {
        *label = pt_arena_printf(arena, "numeric file version %s", q->numeric);
        return true;
    }
    if (q->file_version && pt_version_parse(q->file_version, out)) {
        *label = pt_arena_printf(arena, "FileVersion string %s (no numeric version)",
                                 q->file_version);
        return true;
    }
    return false;
}

static bool read_space(pt_arena *arena, sqlite3 *db, const char *id, space *out)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    out->field = "numeric";
    if (sqlite3_prepare_v2(db, "SELECT version_field, version_scheme, version_numeric, "
                           "fixed_in FROM issues WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) != SQLITE_NULL)
            out->field = col(arena, st, 0);
        out->scheme = col(arena, st, 1);
        out->numeric = col(arena, st, 2);
        out->fixed_in = col(arena, st, 3);
    }
    sqlite3_finalize(st);
    return out->field != NULL;
}

static int match_os(sqlite3 *db, const char *id, int64_t build, char *bad)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT build_min, build_max FROM os_builds WHERE issue_id = ?1",
                           -1, &st, NULL) != SQLITE_OK) {
        set_bad(db, bad);
        return -1;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int result = -1, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (build == PT_UNKNOWN)
            break;
        result = 0;
        bool lo = sqlite3_column_type(st, 0) == SQLITE_NULL || build >= sqlite3_column_int64(st, 0);
        bool hi = sqlite3_column_type(st, 1) == SQLITE_NULL || build <= sqlite3_column_int64(st, 1);
        if (lo && hi) {
            result = 1;
            break;
        }
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        set_bad(db, bad);
    sqlite3_finalize(st);
    return result;
}

pt_code pt_kb_lookup(pt_arena *arena, pt_kb *kb, const pt_kb_query *q,
                     pt_kb_match **out, size_t *out_count, pt_error *err)
{
    *out = NULL;
    *out_count = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(kb->db, "SELECT issue_id FROM issue_tags WHERE tag = ?1 UNION "
                           "SELECT issue_id FROM issue_drivers WHERE driver = ?2 ORDER BY 1",
                           -1, &st, NULL) != SQLITE_OK)
        return kb_damaged(kb, err);
    if (q->tag)
        sqlite3_bind_text(st, 1, q->tag, -1, SQLITE_STATIC);
    if (q->driver)
        sqlite3_bind_text(st, 2, q->driver, -1, SQLITE_STATIC);
    pt_kb_query dq = *q; /* a version of unknown kind stands for both */
    if (dq.version && dq.numeric == NULL && dq.file_version == NULL) {
        dq.numeric = dq.version;
        dq.file_version = dq.version;
    }
    pt_kb_match *m = NULL;
    size_t count = 0, cap = 0;
    pt_code rc = PT_OK;
    char bad[BAD_LEN] = "";
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && bad[0] == '\0') {
        pt_kb_match one = {0};
        one.id = col(arena, st, 0);
        if (one.id == NULL) {
            rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
            break;
        }
        one.tag_match = exists(kb->db, "SELECT 1 FROM issue_tags WHERE issue_id=?1 AND tag=?2",
                               one.id, q->tag, bad);
        one.driver_match = exists(kb->db, "SELECT 1 FROM issue_drivers WHERE issue_id=?1 "
                                  "AND driver=?2", one.id, q->driver, bad);
        space sp;
        pt_version v, fix;
        bool has_v = read_space(arena, kb->db, one.id, &sp) &&
                     driver_version(arena, &dq, &sp, &v, &one.version_field);
        one.version_match = match_version(arena, kb->db, one.id, has_v ? &v : NULL,
                                          &one.range_id, bad);
        one.fixed = -1;
        if (has_v && pt_version_parse_strict(sp.fixed_in, &fix))
            one.fixed = pt_version_cmp(&v, &fix) >= 0;
        one.os_match = match_os(kb->db, one.id, q->build, bad);
        if (!PT_PUSH(m, count, cap, one)) {
            rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
            break;
        }
    }
    if (rc == PT_OK && bad[0])
        rc = pt_error_set(err, PT_EKB, kb->path, "the knowledge base is damaged: %s; "
                          "reinstall or rebuild it", bad);
    else if (rc == PT_OK && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = kb_damaged(kb, err);
    sqlite3_finalize(st);
    if (!pt_arena_adopt(arena, m) && rc == PT_OK)
        rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
    if (rc == PT_OK) {
        *out = m;
        *out_count = count;
    }
    return rc;
}

static bool fact_row(pt_arena *arena, pt_kb *kb, sqlite3_stmt *st, void *item)
{
    pt_tag_fact *f = item;
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    f->set_id = col(arena, st, 1);
    f->kind = col(arena, st, 2);
    f->tag = col(arena, st, 3);
    f->vendor = col(arena, st, 4);
    f->note = col(arena, st, 5);
    pt_error err = {0};
    return QUERY(arena, kb, "SELECT pattern FROM tag_fact_drivers WHERE fact_id = ?1 ORDER BY rowid",
                 NULL, id, string_row, &f->drivers, &f->driver_count, &err) == PT_OK &&
           QUERY(arena, kb, "SELECT issue_id FROM tag_fact_leaks WHERE fact_id = ?1 ORDER BY rowid",
                 NULL, id, string_row, &f->leaks_through, &f->leak_count, &err) == PT_OK;
}

pt_code pt_kb_tag_facts(pt_arena *arena, pt_kb *kb, const char *tag,
                        pt_tag_fact **out, size_t *out_count, pt_error *err)
{
    return QUERY(arena, kb, "SELECT f.fact_id, f.set_id, s.kind, f.tag, f.vendor, f.note "
                 "FROM tag_facts f JOIN tag_sets s ON s.id = f.set_id "
                 "WHERE f.tag = ?1 ORDER BY f.fact_id", tag, 0, fact_row, out, out_count, err);
}

/* Each query returns the first row that breaks a rule of the source schema
 * (kb_build.c checks the same on the sources): the offending value, and
 * what was expected. */
static const struct { const char *sql, *expected; } row_checks[] = {
    {"SELECT id FROM issues WHERE severity NOT IN ('low','medium','high','critical')",
     "severity low, medium, high or critical"},
    {"SELECT id FROM issues WHERE pool IS NOT NULL AND pool NOT IN ('nonpaged','paged')",
     "pool nonpaged or paged"},
    {"SELECT id FROM issues WHERE confidence IS NOT NULL AND confidence NOT IN ('low','medium','high')",
     "confidence low, medium or high"},
    {"SELECT id FROM issues WHERE version_field NOT IN ('file_version','product_version','numeric')",
     "versions field file_version, product_version or numeric"},
    {"SELECT id FROM issues WHERE date NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'",
     "a date YYYY-MM-DD"},
    {"SELECT issue_id FROM issue_tags WHERE length(tag) <> 4", "tags of 4 characters"},
    {"SELECT issue_id FROM refs WHERE kind NOT IN ('vendor-kb','forum','advisory','changelog','issue','blog')",
     "reference kinds vendor-kb, forum, advisory, changelog, issue or blog"},
    {"SELECT issue_id FROM refs WHERE (url IS NOT NULL AND url NOT LIKE 'http://%' AND url NOT LIKE 'https://%') "
     "OR (archived_url IS NOT NULL AND archived_url NOT LIKE 'https://%')", "http(s) reference URLs"},
    {"SELECT issue_id FROM issue_drivers WHERE issue_id NOT IN (SELECT id FROM issues) "
     "UNION SELECT issue_id FROM refs WHERE issue_id NOT IN (SELECT id FROM issues)",
     "rows that belong to an issue"},
    {"SELECT id FROM tag_sets WHERE kind NOT IN ('vendor','generic')", "tag set kind vendor or generic"},
    {"SELECT l.issue_id FROM tag_fact_leaks l WHERE l.issue_id NOT IN (SELECT id FROM issues)",
     "leaks_through ids that exist"},
    {"SELECT id FROM issues WHERE id NOT IN (SELECT issue_id FROM refs)", "at least one reference"},
};

pt_code pt_kb_check_db(pt_kb *kb, pt_error *err)
{
    for (size_t i = 0; i < sizeof row_checks / sizeof row_checks[0]; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(kb->db, row_checks[i].sql, -1, &st, NULL) != SQLITE_OK)
            return pt_error_set(err, PT_EKB, kb->path, "the KB is not in schema %s: %s",
                                PT_KB_SCHEMA_VERSION, sqlite3_errmsg(kb->db));
        pt_code rc = PT_OK;
        if (sqlite3_step(st) == SQLITE_ROW) {
            const unsigned char *id = sqlite3_column_text(st, 0);
            rc = pt_error_set(err, PT_EKB, kb->path, "entry '%s' breaks the schema: expected %s",
                              id ? (const char *)id : "?", row_checks[i].expected);
        }
        sqlite3_finalize(st);
        if (rc != PT_OK)
            return rc;
    }
    return PT_OK;
}
