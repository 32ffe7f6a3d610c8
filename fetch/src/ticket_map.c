/*
 * ticket_map.c - the local map fingerprint -> ticket of `pooltriage ticket`
 * (SQLite under $XDG_STATE_HOME/pooltriage): which problem was filed where,
 * at what level, and for which hosts, so a re-run updates or skips.
 */
#include "pooltriage/pooltriage.h"
#include "pt_ticket.h"
#include "pooltriage/platform.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pt_ticket_map {
    sqlite3 *db;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS tickets ("
    " system TEXT NOT NULL, endpoint TEXT NOT NULL, fingerprint TEXT NOT NULL,"
    " ticket_id TEXT NOT NULL, ticket_key TEXT NOT NULL, ticket_url TEXT NOT NULL,"
    " level TEXT NOT NULL, host_count INTEGER NOT NULL,"
    " created TEXT NOT NULL, updated TEXT NOT NULL,"
    " PRIMARY KEY (system, endpoint, fingerprint));"
    "CREATE TABLE IF NOT EXISTS ticket_hosts ("
    " system TEXT NOT NULL, endpoint TEXT NOT NULL, fingerprint TEXT NOT NULL,"
    " host TEXT NOT NULL COLLATE NOCASE,"
    " PRIMARY KEY (system, endpoint, fingerprint, host));";

void pt_ticket_map_default_path(char *buf, size_t len)
{
    char *dir = pt_platform_user_dir(PT_DIR_STATE);
    if (!pt_path_join_buf(buf, len, dir ? dir : ".", "tickets.sqlite"))
        snprintf(buf, len, "tickets.sqlite");
    pt_free(dir);
}

/* mkdir -p of the folder holding path. */
static pt_code make_parent(const char *path, pt_error *err)
{
    return pt_platform_mkdir_parent(path, err);
}

pt_code pt_ticket_map_open(const char *path, bool readonly, pt_ticket_map **out,
                           pt_error *err)
{
    *out = NULL;
    pt_file_info st;
    if (readonly && !pt_platform_stat(path, &st))
        return PT_OK;
    pt_code rc = readonly ? PT_OK : make_parent(path, err);
    if (rc != PT_OK)
        return rc;
    pt_ticket_map *m = pt_calloc(1, sizeof *m);
    if (m == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &m->db, flags, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(m->db, 5000) != SQLITE_OK ||
        (!readonly && sqlite3_exec(m->db, schema, NULL, NULL, NULL) != SQLITE_OK)) {
        rc = pt_error_set(err, PT_EIO, path, "cannot open the ticket map: %s; check the "
                          "file or give another with --map", sqlite3_errmsg(m->db));
        pt_ticket_map_close(m);
        return rc;
    }
    *out = m;
    return PT_OK;
}

void pt_ticket_map_close(pt_ticket_map *m)
{
    if (m == NULL)
        return;
    sqlite3_close(m->db);
    pt_free(m);
}

static pt_code db_fail(pt_ticket_map *m, pt_error *err)
{
    const char *path = sqlite3_db_filename(m->db, "main"); /* the file, in the message */
    return pt_error_set(err, PT_EIO, path ? path : "", "ticket map: %s; check the file or "
                        "give another with --map", sqlite3_errmsg(m->db));
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t len)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    snprintf(dst, len, "%s", s ? (const char *)s : "");
}

pt_code pt_ticket_map_get(pt_ticket_map *m, pt_ticket_kind kind, const char *endpoint,
                          const char *fingerprint, pt_ticket_rec *out, bool *found,
                          pt_error *err)
{
    *found = false;
    memset(out, 0, sizeof *out);
    if (m == NULL)
        return PT_OK;
    sqlite3_stmt *st = NULL;
    pt_code rc = PT_OK;
    if (sqlite3_prepare_v2(m->db, "SELECT ticket_id, ticket_key, ticket_url, level, host_count "
                           "FROM tickets WHERE system = ?1 AND endpoint = ?2 AND "
                           "fingerprint = ?3", -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(m, err);
        goto done;
    }
    sqlite3_bind_text(st, 1, pt_ticket_kind_name(kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, endpoint, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, fingerprint, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        copy_col(st, 0, out->id, sizeof out->id);
        copy_col(st, 1, out->key, sizeof out->key);
        copy_col(st, 2, out->url, sizeof out->url);
        const unsigned char *lvl = sqlite3_column_text(st, 3);
        if (!lvl || !pt_level_parse((const char *)lvl, &out->level))
            out->level = PT_LEVEL_INFO;
        out->host_count = sqlite3_column_int64(st, 4);
        *found = true;
    } else if (step != SQLITE_DONE) {
        rc = db_fail(m, err);
    }
done:
    sqlite3_finalize(st);
    return rc;
}

bool pt_ticket_map_has_host(pt_ticket_map *m, pt_ticket_kind kind, const char *endpoint,
                            const char *fingerprint, const char *host)
{
    sqlite3_stmt *st = NULL;
    if (m == NULL || sqlite3_prepare_v2(m->db, "SELECT 1 FROM ticket_hosts WHERE system = ?1 "
                                        "AND endpoint = ?2 AND fingerprint = ?3 AND host = ?4",
                                        -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(st, 1, pt_ticket_kind_name(kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, endpoint, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, fingerprint, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, host, -1, SQLITE_STATIC);
    bool has = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return has;
}

static bool put_ticket(pt_ticket_map *m, const char *sys, const char *endpoint,
                       const char *fp, const pt_ticket_rec *rec, const char *now)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(
                  m->db, "INSERT INTO tickets VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) "
                  "ON CONFLICT (system, endpoint, fingerprint) DO UPDATE SET "
                  "ticket_id = ?4, ticket_key = ?5, ticket_url = ?6, level = ?7, "
                  "host_count = ?8, updated = ?9", -1, &st, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_text(st, 1, sys, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, endpoint, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, fp, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, rec->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, rec->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, rec->url, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, pt_level_name(rec->level), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 8, rec->host_count);
        sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE;
    }
    sqlite3_finalize(st);
    return ok;
}

static bool put_hosts(pt_ticket_map *m, const char *sys, const char *endpoint, const char *fp,
                      const char *const *hosts, size_t count)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(m->db, "INSERT OR IGNORE INTO ticket_hosts VALUES "
                                 "(?1, ?2, ?3, ?4)", -1, &st, NULL) == SQLITE_OK;
    for (size_t i = 0; ok && i < count; i++) {
        sqlite3_bind_text(st, 1, sys, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, endpoint, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, fp, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, hosts[i], -1, SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_reset(st) == SQLITE_OK;
    }
    sqlite3_finalize(st);
    return ok;
}

pt_code pt_ticket_map_put(pt_ticket_map *m, pt_ticket_kind kind, const char *endpoint,
                          const char *fingerprint, const pt_ticket_rec *rec,
                          const char *const *hosts, size_t host_count, pt_error *err)
{
    char now[40];
    pt_time_format((int64_t)time(NULL), now, sizeof now);
    const char *sys = pt_ticket_kind_name(kind);
    if (sqlite3_exec(m->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(m, err);
    if (!put_ticket(m, sys, endpoint, fingerprint, rec, now) ||
        !put_hosts(m, sys, endpoint, fingerprint, hosts, host_count) ||
        sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        pt_code rc = db_fail(m, err);
        sqlite3_exec(m->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return PT_OK;
}
