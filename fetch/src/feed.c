/*
 * feed.c - the update stage's rules about a feed: the signed trusted
 * comment (version and expiry), the anti-rollback and anti-freeze policy,
 * and the `key = value` config file with the feed URL and pinned keys.
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char feed_prefix[] = "pooltriage-feed ";

pt_code pt_feed_comment_parse(const char *comment, pt_feed_meta *out, pt_error *err)
{
    memset(out, 0, sizeof *out);
    const char *p = comment;
    if (strncmp(p, feed_prefix, sizeof feed_prefix - 1) != 0)
        goto bad;
    p += sizeof feed_prefix - 1;
    if (strncmp(p, "version=", 8) != 0)
        goto bad;
    p += 8;
    if (*p < '1' || *p > '9')
        goto bad;
    char *e;
    errno = 0;
    long long v = strtoll(p, &e, 10);
    if (errno || *e != ' ' || strncmp(e + 1, "expires=", 8) != 0)
        goto bad;
    const char *exp = e + 9;
    if (strlen(exp) != 20 || exp[19] != 'Z' || !pt_time_parse(exp, true, &out->expires))
        goto bad;
    out->version = v;
    return PT_OK;
bad:
    return pt_error_set(err, PT_ENET, "", "the signed trusted comment '%.200s' is not "
                        "'pooltriage-feed version=N expires=YYYY-MM-DDTHH:MM:SSZ'; the "
                        "feed was not signed for pooltriage", comment);
}

void pt_feed_comment_format(const pt_feed_meta *m, char *buf, size_t len)
{
    char when[32];
    pt_time_format(m->expires, when, sizeof when);
    snprintf(buf, len, "%sversion=%" PRId64 " expires=%s", feed_prefix, m->version, when);
}

bool pt_feed_time_parse(const char *text, int64_t *out) { return pt_time_parse(text, true, out); }

void pt_feed_time_format(int64_t t, char *buf, size_t len) { pt_time_format(t, buf, len); }

pt_code pt_feed_check(const pt_feed_meta *m, int64_t installed, int64_t now,
                      const char *where, pt_error *err)
{
    char when[32];
    pt_time_format(m->expires, when, sizeof when);
    if (m->expires <= now)
        return pt_error_set(err, PT_ENET, where, "feed version %" PRId64 " expired on %s; "
                            "refusing a stale feed: ask its maintainer to publish a fresh "
                            "signature", m->version, when);
    if (m->version < installed)
        return pt_error_set(err, PT_ENET, where, "feed version %" PRId64 " is older than the "
                            "installed version %" PRId64 "; refusing a rollback (use "
                            "'pooltriage update --rollback' to go back on purpose)",
                            m->version, installed);
    return PT_OK;
}

/* ---- config ---- */

void pt_fetch_config_init(pt_fetch_config *out)
{
    memset(out, 0, sizeof *out);
    out->timeout = PT_FETCH_DEFAULT_TIMEOUT;
    out->connect_timeout = PT_FETCH_DEFAULT_CONNECT_TIMEOUT;
    out->max_size = PT_FETCH_DEFAULT_MAX_BYTES;
    out->retries = PT_FETCH_DEFAULT_RETRIES;
    out->retry_delay_ms = PT_FETCH_DEFAULT_RETRY_DELAY_MS;
}

static void xdg_path(const char *var, const char *fallback, const char *leaf, char *buf,
                     size_t len)
{
    (void)fallback;
    pt_user_dir kind = strcmp(var, "XDG_CONFIG_HOME") == 0 ? PT_DIR_CONFIG
                       : strcmp(var, "XDG_STATE_HOME") == 0 ? PT_DIR_STATE
                       : strcmp(var, "XDG_CACHE_HOME") == 0 ? PT_DIR_CACHE : PT_DIR_DATA;
    char *dir = pt_platform_user_dir(kind);
    const char *d = dir ? dir : ".";
    if (leaf[0] == '\0')
        snprintf(buf, len, "%s", d);
    else if (!pt_path_join_buf(buf, len, d, leaf + 1))
        buf[0] = '\0';
    pt_free(dir);
}

void pt_fetch_config_path(char *buf, size_t len)
{
    xdg_path("XDG_CONFIG_HOME", ".config", "/config", buf, len);
}

void pt_fetch_data_dir(char *buf, size_t len)
{
    xdg_path("XDG_DATA_HOME", ".local/share", "", buf, len);
}

static bool parse_long(const char *v, long long lo, long long hi, long long *out)
{
    char *e;
    errno = 0;
    long long n = strtoll(v, &e, 10);
    if (errno || e == v || *e || n < lo || n > hi)
        return false;
    *out = n;
    return true;
}

/* Applies one `key = value` setting. */
static pt_code config_set(pt_fetch_config *c, const char *k, const char *v, const char *where,
                          pt_error *err)
{
    long long n;
    if (strcmp(k, "feed") == 0 && strlen(v) < sizeof c->feed) {
        snprintf(c->feed, sizeof c->feed, "%s", v);
    } else if (strcmp(k, "key") == 0) {
        if (c->key_count >= PT_FETCH_MAX_KEYS)
            return pt_error_set(err, PT_EUSAGE, where, "more than %u pinned keys",
                                PT_FETCH_MAX_KEYS);
        pt_code rc = pt_minisign_key_parse(v, where, &c->keys[c->key_count], err);
        if (rc != PT_OK)
            return pt_error_set(err, PT_EUSAGE, where, "%s", err->message);
        c->key_count++;
    } else if (strcmp(k, "ca_file") == 0 && strlen(v) < sizeof c->ca_file) {
        snprintf(c->ca_file, sizeof c->ca_file, "%s", v);
    } else if (strcmp(k, "timeout") == 0 && parse_long(v, 1, 86400, &n)) {
        c->timeout = n;
    } else if (strcmp(k, "connect_timeout") == 0 && parse_long(v, 1, 3600, &n)) {
        c->connect_timeout = n;
    } else if (strcmp(k, "max_size") == 0 && parse_long(v, 1024, 1LL << 40, &n)) {
        c->max_size = (uint64_t)n;
    } else if (strcmp(k, "retries") == 0 && parse_long(v, 0, 10, &n)) {
        c->retries = (int)n;
    } else if (strcmp(k, "retry_delay_ms") == 0 && parse_long(v, 0, 600000, &n)) {
        c->retry_delay_ms = n;
    } else if (strcmp(k, "ticket_allow_http") == 0 &&
               (strcmp(v, "true") == 0 || strcmp(v, "false") == 0)) {
        c->ticket_allow_http = strcmp(v, "true") == 0;
    } else {
        return pt_error_set(err, PT_EUSAGE, where, "bad setting '%s = %.100s': see "
                            "docs/update.md for the settings and their ranges", k, v);
    }
    return PT_OK;
}

pt_code pt_fetch_line_whole(const char *line, size_t cap, FILE *f, const char *where,
                            pt_error *err)
{
    size_t n = strlen(line);
    if ((n > 0 && line[n - 1] == '\n') || feof(f))
        return PT_OK;
    if (n + 1 >= cap)
        return pt_error_set(err, PT_EUSAGE, where, "line longer than %zu bytes", cap - 2);
    return pt_error_set(err, PT_EUSAGE, where, "a NUL byte: the file must be UTF-8 or ASCII "
                        "text (not UTF-16)");
}

pt_code pt_fetch_config_read(const char *path, pt_fetch_config *out, pt_error *err)
{
    FILE *f;
    pt_error oerr = {0};
    if (pt_platform_fopen_input(path, &f, &oerr) != PT_OK) {
        if (errno == ENOENT)
            return PT_OK;
        if (errno == 0) /* a FIFO or a device: never read, never waited on */
            return pt_error_set(err, PT_EIO, path, "not a regular file");
        return pt_error_set(err, PT_EUSAGE, path, "cannot read the config: %s",
                            strerror(errno));
    }
    char line[4096], where[1100];
    pt_code rc = PT_OK;
    for (unsigned no = 1; rc == PT_OK && fgets(line, sizeof line, f); no++) {
        snprintf(where, sizeof where, "%s:%u", path, no);
        if ((rc = pt_fetch_line_whole(line, sizeof line, f, where, err)) != PT_OK)
            break;
        char *s = line, *e = line + strlen(line);
        if (no == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3;   /* a UTF-8 BOM (Notepad) */
        while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            rc = pt_error_set(err, PT_EUSAGE, where, "expected 'key = value'");
            break;
        }
        char *ke = eq;
        while (ke > s && (ke[-1] == ' ' || ke[-1] == '\t'))
            ke--;
        *ke = '\0';
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        rc = config_set(out, s, v, where, err);
    }
    fclose(f);
    return rc;
}
