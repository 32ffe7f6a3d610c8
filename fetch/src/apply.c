/*
 * apply.c - the update stage's last step: validate a downloaded (already
 * signature-checked) KB as untrusted, swap it in atomically keeping the
 * previous one as kb.sqlite.prev, roll back, and keep the feed state
 * (version, key, ETag) in kb.sqlite.state beside it.
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"
#include "pooltriage/platform.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- the atomic swap ---- */

static pt_code io_fail(const char *path, const char *what, pt_error *err)
{
    return pt_error_set(err, PT_ENET, path, "%s: %s; the KB was not changed", what,
                        strerror(errno));
}

static bool fsync_path(const char *path, bool dir)
{
    return pt_platform_sync_path(path, dir);
}

static void dir_of(const char *path, char *buf, size_t len)
{
    snprintf(buf, len, "%s", path);
    size_t base = (size_t)(pt_path_base(buf) - buf);
    char *slash = base > 0 ? buf + base - 1 : NULL;
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
    int n = snprintf(tmp, sizeof tmp, "%s.link-%ld", to, (long)pt_platform_pid());
    if (n < 0 || (size_t)n >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return false;
    }
    pt_platform_remove(tmp);
    if (pt_platform_link(from, tmp) != 0)
        return false;
    if (pt_platform_rename(tmp, to) != 0) {
        int e = errno;
        pt_platform_remove(tmp);
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
    if (fault("rename") || pt_platform_rename(fresh, kb_path) != 0)
        return io_fail(kb_path, "cannot rename the new KB into place", err);
    if (fault("fsync-dir") || !fsync_path(dir, true)) {
        int e = errno;
        /* put the previous KB back, so a failure leaves it in place */
        if (had)
            link_over(prev, kb_path);
        else
            pt_platform_remove(kb_path);
        errno = e;
        return io_fail(dir, "cannot flush the KB folder to disk", err);
    }
    return PT_OK;
}

pt_code pt_update_rollback(const char *kb_path, pt_error *err)
{
    char prev[PATH_MAX], undo[PATH_MAX], dir[PATH_MAX];
    snprintf(prev, sizeof prev, "%s.prev", kb_path);
    snprintf(undo, sizeof undo, "%s.undo-%ld", kb_path, (long)pt_platform_pid());
    dir_of(kb_path, dir, sizeof dir);
    if (!pt_platform_is_file(prev))
        return pt_error_set(err, PT_ENET, prev, "no previous KB to roll back to (it is kept "
                            "only after an update)");
    bool had = pt_platform_is_file(kb_path);
    pt_platform_remove(undo);
    if (had && (fault("link-prev") || pt_platform_link(kb_path, undo) != 0))
        return io_fail(kb_path, "cannot keep the current KB", err);
    if (fault("rename") || !link_over(prev, kb_path)) {
        int e = errno;
        pt_platform_remove(undo);
        errno = e;
        return io_fail(kb_path, "cannot put the previous KB in place", err);
    }
    if (had && pt_platform_rename(undo, prev) != 0)
        pt_platform_remove(undo);
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
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)pt_platform_pid());
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return io_fail(tmp, "cannot write the update state", err);
    fprintf(f, "# written by 'pooltriage update'; do not edit\n"
               "feed = %s\netag = %s\nlast_modified = %s\nkey_id = %s\nupdated = %s\n"
               "version = %" PRId64 "\nexpires = %" PRId64 "\n",
            st->feed, st->etag, st->last_modified, st->key_id, st->updated, st->version,
            st->expires);
    bool ok = fflush(f) == 0 && !fault("state") && pt_platform_sync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || pt_platform_rename(tmp, path) != 0) {
        int e = errno;
        pt_platform_remove(tmp);
        errno = e;
        return pt_error_set(err, PT_ENET, path, "cannot write the update state: %s",
                            strerror(errno));
    }
    return PT_OK;
}
