/*
 * kb_verify.c - judge stage: checks a KB file that came from outside (an
 * update bundle) before anything trusts it: SQLite's quick_check, the exact
 * schema kb build writes, every entry read back, every rule's metadata.
 */
#include "pooltriage/pooltriage.h"
#include "judge_int.h"
#include "kb_schema.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static pt_code db_fail(sqlite3 *db, const char *path, const char *what, pt_error *err)
{
    return pt_error_set(err, PT_EKB, path, "%s: %s; the KB was not changed", what,
                        db ? sqlite3_errmsg(db) : "out of memory");
}

/* The schema rows (type, name, sql) of a database, one string. */
static pt_code schema_text(sqlite3 *db, pt_buf *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                           "ORDER BY type, name", -1, &st, NULL) != SQLITE_OK)
        return PT_EKB;
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int i = 0; i < 4; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            pt_buf_puts(out, t ? (const char *)t : "(null)");
            pt_buf_append(out, "\n", 1);
        }
    return sqlite3_finalize(st) == SQLITE_OK && !out->failed ? PT_OK : PT_EKB;
}

/* The candidate must have exactly the schema kb_build.c creates: no
 * extra table, view, trigger or index whose SQL could run. */
static pt_code check_schema(sqlite3 *db, const char *path, pt_error *err)
{
    sqlite3 *ref = NULL;
    pt_buf want = {0}, got = {0};
    pt_code rc = PT_OK;
    if (sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(ref, pt_kb_schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
        schema_text(ref, &want) != PT_OK)
        rc = pt_error_set(err, PT_ENOMEM, path, "cannot build the reference schema");
    else if (schema_text(db, &got) != PT_OK)
        rc = db_fail(db, path, "cannot read the schema of the new KB", err);
    else if (got.len != want.len || memcmp(got.data, want.data, got.len) != 0)
        rc = pt_error_set(err, PT_EKB, path, "the new KB's schema differs from schema "
                          "version %s (extra or changed tables, views or triggers); the KB "
                          "was not changed", PT_KB_SCHEMA_VERSION);
    sqlite3_close(ref);
    pt_buf_free(&want);
    pt_buf_free(&got);
    return rc;
}

static int64_t meta_int(sqlite3 *db, const char *key)
{
    sqlite3_stmt *st;
    int64_t n = 0;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

static void fill_counts(pt_kb *kb, pt_kb_counts *out)
{
    sqlite3 *db = kb_db(kb);
    memset(out, 0, sizeof *out);
    pt_kb_stats n = {0};
    pt_kb_stats_read(kb, &n, NULL);
    out->issues = (int64_t)n.issues;
    out->rules = (int64_t)n.rules;
    out->feed_version = meta_int(db, "feed_version");
    out->feed_expires = meta_int(db, "feed_expires");
    snprintf(out->kb_version, sizeof out->kb_version, "%s", pt_kb_version(kb));
}

/* Opens untrusted and runs quick_check and the schema comparison. */
static pt_code check_raw(const char *path, pt_error *err)
{
    sqlite3 *db = NULL;
    pt_code rc = PT_OK;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = db_fail(db, path, "the new KB is not a SQLite database", err);
        goto done;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_stmt *st = NULL;
    if (sqlite3_exec(db, "PRAGMA trusted_schema=OFF", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, path, "the new KB is not a SQLite database", err);
        goto done;
    }
    const unsigned char *t = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    if (t == NULL || strcmp((const char *)t, "ok") != 0)
        rc = pt_error_set(err, PT_EKB, path, "the new KB fails SQLite's quick_check (%.100s); "
                          "the KB was not changed", t ? (const char *)t : sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (rc == PT_OK)
        rc = check_schema(db, path, err);
done:
    sqlite3_close(db);
    return rc;
}

/* Reads every issue back and checks every rule's metadata. */
static pt_code check_entries(pt_kb *kb, const char *path, pt_error *err)
{
    pt_arena *arena = pt_arena_new();
    sqlite3_stmt *st = NULL;
    pt_code rc = PT_OK;
    if (arena == NULL)
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    if (sqlite3_prepare_v2(kb_db(kb), "SELECT id FROM issues ORDER BY id", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = db_fail(kb_db(kb), path, "cannot list the new KB's issues", err);
        goto done;
    }
    while (rc == PT_OK && sqlite3_step(st) == SQLITE_ROW) {
        pt_kb_entry e;
        rc = pt_kb_get(arena, kb, (const char *)sqlite3_column_text(st, 0), &e, err);
        if (rc == PT_EFORMAT)   /* listed, yet not readable: a broken KB */
            rc = PT_EKB;
    }
    if (rc == PT_OK)
        rc = pt_kb_check_db(kb, err);
    pt_rule_source *rules = NULL;
    size_t count = 0;
    if (rc == PT_OK)
        rc = pt_rules_from_kb(arena, kb, &rules, &count, err);
    for (size_t i = 0; rc == PT_OK && i < count; i++) {
        pt_rule_meta meta;
        rc = pt_rule_meta_read(arena, rules[i].name, rules[i].text, rules[i].len, &meta, err);
    }
    if (rc == PT_OK && count == 0)
        rc = pt_error_set(err, PT_EKB, path, "the new KB has no rules");
    if (rc != PT_OK && rc != PT_ENOMEM) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err->message);
        rc = pt_error_set(err, PT_EKB, err->where[0] ? err->where : path,
                          "%.400s; the KB was not changed", msg);
    }
done:
    sqlite3_finalize(st);
    pt_arena_free(arena);
    return rc;
}

pt_code pt_kb_verify_file(const char *path, pt_kb_counts *out, pt_error *err)
{
    pt_code rc = check_raw(path, err);
    if (rc != PT_OK)
        return rc;
    pt_kb *kb = NULL;
    if ((rc = pt_kb_open(path, &kb, err)) != PT_OK)
        return rc;
    rc = check_entries(kb, path, err);
    if (rc == PT_OK && out)
        fill_counts(kb, out);
    pt_kb_close(kb);
    return rc;
}

pt_code pt_kb_counts_read(const char *path, pt_kb_counts *out, pt_error *err)
{
    pt_kb *kb = NULL;
    pt_code rc = pt_kb_open(path, &kb, err);
    if (rc == PT_OK)
        fill_counts(kb, out);
    pt_kb_close(kb);
    return rc;
}
