/*
 * update.c - `pooltriage update`, the update stage in order: download the
 * bundle and its .minisig, verify the signature before anything else,
 * refuse stale and older feeds, validate the KB as untrusted, install it
 * atomically and record the feed state.  One updater at a time (flock).
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"
#include "pooltriage/platform.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* mkdir -p */
static bool make_dirs(const char *dir)
{
    return pt_platform_mkdir_p(dir, NULL) == PT_OK;
}

/* Removes what a killed update left behind (we hold the lock). */
static void clean_stale(const char *dir)
{
    char **names;
    size_t count;
    if (pt_platform_names(dir, &names, &count, NULL) != PT_OK)
        return;
    for (size_t i = 0; i < count; i++)
        if (strncmp(names[i], "kb.sqlite.part-", 15) == 0 ||
            strncmp(names[i], "kb.sqlite.undo-", 15) == 0 ||
            strstr(names[i], ".link-") || strstr(names[i], ".state.tmp-")) {
            char *path = pt_path_join(dir, names[i]);
            if (path)
                pt_platform_remove(path);
            pt_free(path);
        }
    pt_platform_names_free(names, count);
}

pt_code pt_update_lock(const char *dir, int *fd, pt_error *err)
{
    char path[PATH_MAX];
    if (!make_dirs(dir))
        return pt_error_set(err, PT_ENET, dir, "cannot create the KB folder: %s",
                            strerror(errno));
    pt_path_join_buf(path, sizeof path, dir, "kb.sqlite.lock");
    *fd = pt_platform_open(path, PT_OPEN_RW);
    if (*fd < 0)
        return pt_error_set(err, PT_ENET, path, "cannot open the update lock: %s",
                            strerror(errno));
    if (pt_platform_lock(*fd, false) != 0) {
        pt_platform_close(*fd);
        *fd = -1;
        return pt_error_set(err, PT_ENET, path, "another update is running; try again "
                            "when it has finished");
    }
    clean_stale(dir);
    return PT_OK;
}

static pt_code at(pt_error *err, pt_code rc, const char *where)
{
    if (rc != PT_OK && err && err->where[0] == '\0')
        snprintf(err->where, sizeof err->where, "%.500s", where);
    return rc;
}

/* Downloads and verifies the signature of `part`; fills meta and key id. */
static pt_code fetch_verified(const pt_fetch_config *cfg, const char *feed, const char *part,
                              pt_feed_meta *meta, char key_id[17], pt_error *err)
{
    char sig_url[2100];
    snprintf(sig_url, sizeof sig_url, "%s.minisig", feed);
    pt_buf sig_text = {0};
    pt_http_result res;
    pt_minisign_sig sig;
    const pt_minisign_key *key = NULL;
    pt_code rc = pt_http_get(cfg, sig_url, NULL, &sig_text, PT_FETCH_MAX_SIG_BYTES, NULL, NULL,
                             &res, err);
    if (rc == PT_OK)
        rc = at(err, pt_minisign_sig_parse(sig_text.data ? sig_text.data : "", sig_text.len,
                                           sig_url, &sig, err), sig_url);
    if (rc == PT_OK)
        rc = at(err, pt_minisign_verify_file(&sig, cfg->keys, cfg->key_count, part,
                                             cfg->max_size, &key, err), feed);
    if (rc == PT_OK)
        rc = at(err, pt_feed_comment_parse(sig.trusted_comment, meta, err), sig_url);
    if (rc == PT_OK)
        pt_minisign_key_id_hex(key->id, key_id);
    pt_buf_free(&sig_text);
    return rc;
}

static void now_iso(char *buf, size_t len)
{
    pt_time_format((int64_t)time(NULL), buf, len);
}

/* The feed offers the installed version (perhaps re-signed with a later
 * expiry): keep the KB and its .prev, refresh the state. */
static pt_code same_version(const char *feed, const pt_http_result *res,
                            const pt_update_state *old, pt_update_report *out)
{
    pt_update_state st = *old;
    snprintf(st.feed, sizeof st.feed, "%s", feed);
    if (res->etag[0] || res->last_modified[0]) { /* a 304 need not repeat them */
        snprintf(st.etag, sizeof st.etag, "%s", res->etag);
        snprintf(st.last_modified, sizeof st.last_modified, "%s", res->last_modified);
    }
    snprintf(st.key_id, sizeof st.key_id, "%s", out->key_id);
    st.version = out->meta.version;
    st.expires = out->meta.expires;
    pt_kb_counts_read(out->kb_path, &out->counts, NULL);
    pt_error ignored;
    pt_update_state_write(out->kb_path, &st, &ignored);
    return PT_OK;
}

/* 304: the installed KB is the feed's bundle byte for byte, so its
 * (perhaps re-signed) signature must verify against it; a feed that
 * stopped being re-signed is refused once it expires (a freeze). */
static pt_code not_modified(const pt_fetch_config *cfg, const char *feed,
                            const pt_http_result *res, const pt_update_state *old,
                            pt_update_report *out, pt_error *err)
{
    out->not_modified = true;
    pt_code rc = fetch_verified(cfg, feed, out->kb_path, &out->meta, out->key_id, err);
    if (rc == PT_OK)
        rc = pt_feed_check(&out->meta, out->previous_version, (int64_t)time(NULL), feed, err);
    if (rc == PT_OK && out->meta.version != out->previous_version)
        rc = pt_error_set(err, PT_ENET, feed, "the server says not modified but its signature "
                          "is for version %lld, not the installed %lld; try again later",
                          (long long)out->meta.version, (long long)out->previous_version);
    return rc == PT_OK ? same_version(feed, res, old, out) : rc;
}

/* Everything after the download: policy, validation, install, state. */
static pt_code apply(const pt_fetch_config *cfg, const char *feed, const char *part,
                     const pt_http_result *res, const pt_update_state *old,
                     pt_update_report *out, pt_error *err)
{
    pt_code rc = fetch_verified(cfg, feed, part, &out->meta, out->key_id, err);
    if (rc == PT_OK)
        rc = pt_feed_check(&out->meta, out->previous_version, (int64_t)time(NULL), feed, err);
    if (rc == PT_OK && out->had_previous && out->meta.version == out->previous_version)
        return same_version(feed, res, old, out);
    if (rc == PT_OK && (rc = pt_kb_verify_file(part, &out->counts, err)) != PT_OK) {
        char why[sizeof err->message];
        snprintf(why, sizeof why, "%s", err->message);
        rc = pt_error_set(err, PT_ENET, feed, "the signed bundle is not a valid KB: %.300s", why);
    }
    if (rc == PT_OK && out->counts.feed_version != out->meta.version)
        rc = pt_error_set(err, PT_ENET, feed, "the bundle says version %lld but its signature "
                          "says %lld; the KB was not changed",
                          (long long)out->counts.feed_version, (long long)out->meta.version);
    if (rc == PT_OK)
        rc = pt_update_install(part, out->kb_path, err);
    if (rc != PT_OK)
        return rc;
    out->changed = true;
    char prev[1100];
    snprintf(prev, sizeof prev, "%s.prev", out->kb_path);
    pt_error ignored;
    pt_update_state_write(prev, old, &ignored); /* the state of kb.sqlite.prev */
    pt_update_state st = {0};
    snprintf(st.feed, sizeof st.feed, "%s", feed);
    snprintf(st.etag, sizeof st.etag, "%s", res->etag);
    snprintf(st.last_modified, sizeof st.last_modified, "%s", res->last_modified);
    snprintf(st.key_id, sizeof st.key_id, "%s", out->key_id);
    now_iso(st.updated, sizeof st.updated);
    st.version = out->meta.version;
    st.expires = out->meta.expires;
    pt_update_state_write(out->kb_path, &st, &ignored); /* only the ETag would be lost */
    return PT_OK;
}

pt_code pt_update_run(const pt_fetch_config *cfg, const char *feed, const char *data_dir,
                      pt_update_report *out, pt_error *err)
{
    memset(out, 0, sizeof *out);
    if (feed == NULL || feed[0] == '\0')
        return pt_error_set(err, PT_EUSAGE, "", "no feed: set 'feed = URL' in the config or "
                            "pass --feed URL");
    if (cfg->key_count == 0)
        return pt_error_set(err, PT_ENET, "", "no public key is pinned: add 'key = RW...' "
                            "(the feed's minisign public key) to the config");
    int lock = -1;
    pt_code rc = pt_update_lock(data_dir, &lock, err);
    if (rc != PT_OK)
        return rc;
    pt_path_join_buf(out->kb_path, sizeof out->kb_path, data_dir, "kb.sqlite");
    char part[PATH_MAX];
    char leaf[64];
    snprintf(leaf, sizeof leaf, "kb.sqlite.part-%ld", (long)pt_platform_pid());
    pt_path_join_buf(part, sizeof part, data_dir, leaf);
    pt_update_state st;
    pt_update_state_read(out->kb_path, &st, NULL);
    pt_kb_counts now;
    bool installed = pt_platform_is_file(out->kb_path) &&
                     pt_kb_counts_read(out->kb_path, &now, NULL) == PT_OK;
    out->previous_version = installed ? now.feed_version : 0;
    out->had_previous = installed;
    bool same = installed && strcmp(st.feed, feed) == 0;
    pt_http_result res;
    rc = pt_http_get(cfg, feed, part, NULL, cfg->max_size, same ? st.etag : NULL,
                     same ? st.last_modified : NULL, &res, err);
    if (rc == PT_OK && res.not_modified)
        rc = not_modified(cfg, feed, &res, &st, out, err);
    else if (rc == PT_OK)
        rc = apply(cfg, feed, part, &res, &st, out, err);
    pt_platform_remove(part);
    pt_platform_close(lock);
    return rc;
}
