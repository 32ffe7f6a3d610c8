/*
 * apply.c - the update stage's last step: validate a downloaded (already
 * signature-checked) KB as untrusted, swap it in atomically keeping the
 * previous one as kb.sqlite.prev, roll back, and keep the feed state
 * (version, key, ETag) in kb.sqlite.state beside it.
 */
#include "../include/pt_fetch.h"
#include "pt_internal.h"
#include "kb_schema.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int (*pt_update_fault_hook)(const char *step);

/* Runs the test hook for `step`; true when the step must fail. */
static bool fault(const char *step)
{
    if (pt_update_fault_hook && pt_update_fault_hook(step)) {
        errno = EIO;
        return true;
    }
    return false;
}

/* ---- validation ---- */

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
    sqlite3 *db = pt_kb_db(kb);
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
    if (sqlite3_prepare_v2(pt_kb_db(kb), "SELECT id FROM issues ORDER BY id", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = db_fail(pt_kb_db(kb), path, "cannot list the new KB's issues", err);
        goto done;
    }
    while (rc == PT_OK && sqlite3_step(st) == SQLITE_ROW) {
        pt_kb_entry e;
        rc = pt_kb_get(arena, kb, (const char *)sqlite3_column_text(st, 0), &e, err);
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

pt_code pt_update_validate(const char *path, pt_kb_counts *out, pt_error *err)
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

/* ---- the atomic swap ---- */

static pt_code io_fail(const char *path, const char *what, pt_error *err)
{
    return pt_error_set(err, PT_ENET, path, "%s: %s; the KB was not changed", what,
                        strerror(errno));
}

static bool fsync_path(const char *path, bool dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    return close(fd) == 0 && ok;
}

static void dir_of(const char *path, char *buf, size_t len)
{
    snprintf(buf, len, "%s", path);
    char *slash = strrchr(buf, '/');
    if (slash == NULL)
        snprintf(buf, len, ".");
    else if (slash == buf)
        buf[1] = '\0';
    else
        *slash = '\0';
}

/* Makes `to` a hard link of `from`, atomically replacing it. */
static bool link_over(const char *from, const char *to)
{
    char tmp[PATH_MAX];
    int n = snprintf(tmp, sizeof tmp, "%s.link-%ld", to, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return false;
    }
    unlink(tmp);
    if (link(from, tmp) != 0)
        return false;
    if (rename(tmp, to) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return false;
    }
    return true;
}

pt_code pt_update_install(const char *fresh, const char *kb_path, pt_error *err)
{
    char prev[PATH_MAX], dir[PATH_MAX];
    snprintf(prev, sizeof prev, "%s.prev", kb_path);
    dir_of(kb_path, dir, sizeof dir);
    bool had = pt_platform_is_file(kb_path);
    if (fault("fsync") || !fsync_path(fresh, false))
        return io_fail(fresh, "cannot flush the new KB to disk", err);
    if (had && (fault("link-prev") || !link_over(kb_path, prev)))
        return io_fail(prev, "cannot keep the previous KB", err);
    if (fault("rename") || rename(fresh, kb_path) != 0)
        return io_fail(kb_path, "cannot rename the new KB into place", err);
    if (fault("fsync-dir") || !fsync_path(dir, true)) {
        int e = errno;
        /* put the previous KB back, so a failure leaves it in place */
        if (had)
            link_over(prev, kb_path);
        else
            unlink(kb_path);
        errno = e;
        return io_fail(dir, "cannot flush the KB folder to disk", err);
    }
    return PT_OK;
}

pt_code pt_update_rollback(const char *kb_path, pt_error *err)
{
    char prev[PATH_MAX], undo[PATH_MAX], dir[PATH_MAX];
    snprintf(prev, sizeof prev, "%s.prev", kb_path);
    snprintf(undo, sizeof undo, "%s.undo-%ld", kb_path, (long)getpid());
    dir_of(kb_path, dir, sizeof dir);
    if (!pt_platform_is_file(prev))
        return pt_error_set(err, PT_ENET, prev, "no previous KB to roll back to (it is kept "
                            "only after an update)");
    bool had = pt_platform_is_file(kb_path);
    unlink(undo);
    if (had && (fault("link-prev") || link(kb_path, undo) != 0))
        return io_fail(kb_path, "cannot keep the current KB", err);
    if (fault("rename") || !link_over(prev, kb_path)) {
        int e = errno;
        unlink(undo);
        errno = e;
        return io_fail(kb_path, "cannot put the previous KB in place", err);
    }
    if (had && rename(undo, prev) != 0)
        unlink(undo);
    if (fault("fsync-dir") || !fsync_path(dir, true))
        return pt_error_set(err, PT_ENET, dir, "the previous KB is in place but the folder "
                            "could not be flushed to disk: %s", strerror(errno));
    return PT_OK;
}

/* ---- state beside the KB ---- */

pt_code pt_update_state_read(const char *kb_path, pt_update_state *out, pt_error *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s.state", kb_path);
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return errno == ENOENT ? PT_OK
                               : pt_error_set(err, PT_ENET, path, "cannot read: %s",
                                              strerror(errno));
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strstr(line, " = ");
        if (eq == NULL)
            continue;
        *eq = '\0';
        const char *k = line, *v = eq + 3;
        if (strcmp(k, "feed") == 0) snprintf(out->feed, sizeof out->feed, "%s", v);
        else if (strcmp(k, "etag") == 0) snprintf(out->etag, sizeof out->etag, "%s", v);
        else if (strcmp(k, "last_modified") == 0)
            snprintf(out->last_modified, sizeof out->last_modified, "%s", v);
        else if (strcmp(k, "key_id") == 0) snprintf(out->key_id, sizeof out->key_id, "%s", v);
        else if (strcmp(k, "updated") == 0) snprintf(out->updated, sizeof out->updated, "%s", v);
        else if (strcmp(k, "version") == 0) out->version = strtoll(v, NULL, 10);
        else if (strcmp(k, "expires") == 0) out->expires = strtoll(v, NULL, 10);
    }
    fclose(f);
    return PT_OK;
}

pt_code pt_update_state_write(const char *kb_path, const pt_update_state *st, pt_error *err)
{
    char path[PATH_MAX], tmp[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s.state", kb_path);
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return io_fail(tmp, "cannot write the update state", err);
    fprintf(f, "# written by 'pooltriage update'; do not edit\n"
               "feed = %s\netag = %s\nlast_modified = %s\nkey_id = %s\nupdated = %s\n"
               "version = %" PRId64 "\nexpires = %" PRId64 "\n",
            st->feed, st->etag, st->last_modified, st->key_id, st->updated, st->version,
            st->expires);
    bool ok = fflush(f) == 0 && !fault("state") && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return pt_error_set(err, PT_ENET, path, "cannot write the update state: %s",
                            strerror(errno));
    }
    return PT_OK;
}
