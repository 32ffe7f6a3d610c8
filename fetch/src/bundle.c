/*
 * bundle.c - the maintainer side of a feed: a bundle is a KB built by
 * pt_kb_build plus the feed version and expiry in its meta table, which
 * `kb sign` (or minisign -S -t) repeats in the signed trusted comment.
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"
#include "pooltriage/platform.h"

#include <inttypes.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>

static pt_code put_meta(sqlite3 *db, const char *key, int64_t value)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta VALUES(?1, ?2)", -1, &st, NULL) !=
        SQLITE_OK)
        return PT_EKB;
    char v[32];
    snprintf(v, sizeof v, "%" PRId64, value);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, v, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? PT_OK : PT_EKB;
}

pt_code pt_bundle_build(const char *issues_dir, const char *rules_dir, const char *out_path,
                        const pt_feed_meta *meta, pt_error *err)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.bundle-%ld", out_path, (long)pt_platform_pid());
    pt_code rc = pt_kb_build(issues_dir, rules_dir, tmp, err);
    if (rc != PT_OK)
        return rc;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA journal_mode=OFF; BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        put_meta(db, "feed_version", meta->version) != PT_OK ||
        put_meta(db, "feed_expires", meta->expires) != PT_OK ||
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = pt_error_set(err, PT_EKB, tmp, "cannot record the feed version: %s",
                          db ? sqlite3_errmsg(db) : "out of memory");
    if (sqlite3_close(db) != SQLITE_OK && rc == PT_OK)
        rc = pt_error_set(err, PT_EIO, tmp, "cannot close the bundle");
    if (rc == PT_OK && pt_platform_rename(tmp, out_path) != 0)
        rc = pt_error_set(err, PT_EIO, out_path, "cannot rename the bundle into place");
    if (rc != PT_OK)
        pt_platform_remove(tmp);
    return rc;
}
