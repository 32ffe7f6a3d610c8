/*
 * links.c - `pooltriage kb links`: reads every reference of the KB sources,
 * checks each URL (HEAD, then GET) and asks the Wayback Machine
 * availability API for references without an archived copy.  Polite: a
 * few transfers at once, one per host, a delay between requests to a
 * host, and a cache of recent answers.  Each handle is set up by the
 * transport (transport.c), and a failure worth another try (a refused
 * connection, a timeout, 429, 5xx) is tried again after the transport's
 * back-off or the server's Retry-After, as the same policy says.
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"
#include "transport.h"
#include "pooltriage/platform.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A body read past this proves a link alive; the Wayback answer is tiny. */
#define LINK_BODY_MAX (64u * 1024u)
/* Tries after the first of one check, and the first back-off (ms). */
#define LINK_RETRIES 2
#define LINK_RETRY_DELAY_MS 2000L

/* ---- reading the references ---- */

/* Checks every issue file, then lists its references as links. */
static pt_code read_refs(pt_arena *arena, const char *dir, pt_link **out, size_t *out_count,
                         pt_error *err)
{
    pt_kb_source_ref *refs = NULL;
    size_t count = 0;
    *out = NULL;
    *out_count = 0;
    pt_code rc = pt_kb_source_refs(arena, dir, &refs, &count, err);
    if (rc != PT_OK || count == 0)
        return rc;
    pt_link *links = pt_arena_alloc(arena, count * sizeof *links);
    if (links == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    for (size_t i = 0; i < count; i++) {
        pt_link l = {0};
        l.file = refs[i].file;
        l.issue = refs[i].issue;
        l.date = refs[i].date;
        l.seq = refs[i].seq;
        l.url = refs[i].url;
        l.archived_url = refs[i].archived_url;
        l.archive = l.archived_url ? PT_ARCHIVE_RECORDED : PT_ARCHIVE_NONE;
        l.status = l.url ? PT_LINK_ALIVE : PT_LINK_DEAD;
        links[i] = l;
    }
    *out = links;
    *out_count = count;
    return PT_OK;
}

/* ---- the cache: "kind\tkey\ttime\tvalue\tcode" lines ---- */

typedef struct cache_entry {
    char kind;          /* 'l' link, 'w' wayback */
    char *key, *value;
    long code;
    int64_t time;
} cache_entry;

typedef struct cache {
    cache_entry *e;
    size_t count, cap;
} cache;

static void cache_put(pt_arena *arena, cache *c, char kind, const char *key, const char *value,
                      long code, int64_t when)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->e[i].kind == kind && strcmp(c->e[i].key, key) == 0) {
            c->e[i].value = pt_arena_strdup(arena, value);
            c->e[i].code = code;
            c->e[i].time = when;
            return;
        }
    cache_entry e = {kind, pt_arena_strdup(arena, key), pt_arena_strdup(arena, value), code, when};
    if (e.key && e.value)
        PT_PUSH(c->e, c->count, c->cap, e);
}

static const cache_entry *cache_get(const cache *c, char kind, const char *key, int64_t min_time)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->e[i].kind == kind && strcmp(c->e[i].key, key) == 0 && c->e[i].time >= min_time)
            return &c->e[i];
    return NULL;
}

static void cache_load(pt_arena *arena, cache *c, const char *path)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    if (f == NULL)
        return;
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *kind = strtok(line, "\t"), *key = strtok(NULL, "\t"), *t = strtok(NULL, "\t");
        char *value = strtok(NULL, "\t"), *code = strtok(NULL, "\t");
        if (kind && key && t && value && code && (kind[0] == 'l' || kind[0] == 'w'))
            cache_put(arena, c, kind[0], key, value, strtol(code, NULL, 10), strtoll(t, NULL, 10));
    }
    fclose(f);
}

static void cache_save(const cache *c, const char *path)
{
    if (path == NULL)
        return;
    char tmp[PATH_MAX];
    pt_platform_mkdir_parent(path, NULL);
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)pt_platform_pid());
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return;
    for (size_t i = 0; i < c->count; i++)
        fprintf(f, "%s\t%s\t%lld\t%s\t%ld\n", c->e[i].kind == 'l' ? "link" : "wayback",
                c->e[i].key, (long long)c->e[i].time, c->e[i].value, c->e[i].code);
    if (fclose(f) != 0 || pt_platform_rename(tmp, path) != 0)
        pt_platform_remove(tmp);
}

/* ---- the polite scheduler ---- */

typedef enum { JOB_HEAD, JOB_GET, JOB_WAYBACK } job_kind;

typedef struct job {
    pt_link *link;
    job_kind kind;
    char host[256];
    char *url;          /* what is fetched */
    bool queued, running;
    CURL *easy;
    pt_buf body;
    pt_net_result res;
    int tries;          /* of the current kind */
} job;

typedef struct host_slot {
    char name[256];
    bool busy;
    double next;        /* earliest start, seconds */
} host_slot;

typedef struct sched {
    const pt_links_opts *opts;
    pt_net_opts net;
    CURLM *multi;
    job *jobs;
    size_t job_count, job_cap;
    host_slot *hosts;
    size_t host_count, host_cap;
    int running;
    pt_arena *arena;
    cache *cache;
    bool wayback_failed;
} sched;

static double now_s(void)
{
    return (double)pt_platform_now_ms() / 1e3;
}

static host_slot *host_of(sched *s, const char *name)
{
    for (size_t i = 0; i < s->host_count; i++)
        if (strcmp(s->hosts[i].name, name) == 0)
            return &s->hosts[i];
    host_slot h = {{0}, false, 0};
    snprintf(h.name, sizeof h.name, "%s", name);
    return PT_PUSH(s->hosts, s->host_count, s->host_cap, h) ? &s->hosts[s->host_count - 1] : NULL;
}

static void url_host(const char *url, char *out, size_t len)
{
    CURLU *u = curl_url();
    char *h = NULL;
    out[0] = '\0';
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
        snprintf(out, len, "%s", h);
    curl_free(h);
    curl_url_cleanup(u);
}

static bool add_job(sched *s, pt_link *l, job_kind kind, const char *url)
{
    job j = {0};
    j.link = l;
    j.kind = kind;
    j.url = pt_arena_strdup(s->arena, url);
    j.queued = true;
    url_host(url, j.host, sizeof j.host);
    return j.url && host_of(s, j.host) && PT_PUSH(s->jobs, s->job_count, s->job_cap, j);
}

static void start(sched *s, job *j)
{
    CURL *c = curl_easy_init();
    if (c == NULL)
        return;
    j->easy = c;
    j->body.len = 0;
    j->res.mem = &j->body;
    pt_net_setup(c, &s->net, j->url, &j->res);
    curl_easy_setopt(c, CURLOPT_NOBODY, j->kind == JOB_HEAD ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_PRIVATE, j);
    curl_multi_add_handle(s->multi, c);
    j->queued = false;
    j->running = true;
    host_of(s, j->host)->busy = true;
    s->running++;
}

/* Starts what the limits allow: `concurrency` at once, one per host,
 * `delay_ms` between two requests to a host. */
static void start_ready(sched *s)
{
    double t = now_s();
    for (size_t i = 0; i < s->job_count && s->running < s->opts->concurrency; i++) {
        job *j = &s->jobs[i];
        host_slot *h = j->queued ? host_of(s, j->host) : NULL;
        if (h && !h->busy && h->next <= t)
            start(s, j);
    }
}

/* Reads a Wayback availability answer into the link. */
static void wayback_result(sched *s, job *j, long code, CURLcode cc)
{
    pt_link *l = j->link;
    char *found = NULL;
    cJSON *root = cc == CURLE_OK && code == 200 && !j->body.failed
                      ? cJSON_ParseWithLength(j->body.data ? j->body.data : "", j->body.len)
                      : NULL;
    cJSON *closest = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "archived_snapshots"), "closest");
    cJSON *avail = cJSON_GetObjectItemCaseSensitive(closest, "available");
    cJSON *url = cJSON_GetObjectItemCaseSensitive(closest, "url");
    if (cJSON_IsTrue(avail) && cJSON_IsString(url)) {
        const char *u = url->valuestring;
        found = strncmp(u, "http://", 7) == 0 ? pt_arena_printf(s->arena, "https://%s", u + 7)
                                              : pt_arena_strdup(s->arena, u);
    }
    if (root == NULL) {
        l->archive = PT_ARCHIVE_ERROR;
        s->wayback_failed = true;
    } else if (found && strncmp(found, "https://", 8) == 0) {
        l->archive = PT_ARCHIVE_FOUND;
        l->archived_url = found;
        cache_put(s->arena, s->cache, 'w', j->url, found, 0, (int64_t)time(NULL));
    } else {
        cache_put(s->arena, s->cache, 'w', j->url, "-", 0, (int64_t)time(NULL));
    }
    cJSON_Delete(root);
}

static void finish(sched *s, job *j, CURLcode cc)
{
    long code = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
    host_slot *h = host_of(s, j->host);
    h->busy = false;
    h->next = now_s() + (double)s->opts->delay_ms / 1000.0;
    curl_multi_remove_handle(s->multi, j->easy);
    curl_easy_cleanup(j->easy);
    j->easy = NULL;
    j->running = false;
    s->running--;
    pt_link *l = j->link;
    /* a body past the cap is enough: the server answered */
    if (j->res.too_big || cc == CURLE_FILESIZE_EXCEEDED)
        cc = CURLE_OK;
    bool ok = cc == CURLE_OK && code >= 200 && code < 300;
    if (!ok && j->kind == JOB_HEAD) { /* many servers refuse HEAD: try GET */
        j->kind = JOB_GET;
        j->tries = 0;
        j->queued = true;
        return;
    }
    long wait_ms = 0;
    if (!ok && pt_net_retry_decide(&s->net, true, cc, code, j->res.retry_after, ++j->tries,
                                   &wait_ms) == PT_NET_RETRY) {
        double at = now_s() + (double)wait_ms / 1000.0;
        h->next = at > h->next ? at : h->next;
        j->queued = true;
        return;
    }
    if (j->kind == JOB_WAYBACK) {
        wayback_result(s, j, code, cc);
        return;
    }
    l->status = ok ? PT_LINK_ALIVE : PT_LINK_DEAD;
    l->http_status = code;
    l->error = ok || cc == CURLE_OK ? NULL : pt_arena_strdup(s->arena, curl_easy_strerror(cc));
    cache_put(s->arena, s->cache, 'l', l->url, ok ? "alive" : "dead", code, (int64_t)time(NULL));
}

static void run(sched *s)
{
    for (;;) {
        start_ready(s);
        bool queued = false;
        for (size_t i = 0; i < s->job_count; i++)
            queued |= s->jobs[i].queued;
        if (s->running == 0 && !queued)
            break;
        int still;
        curl_multi_perform(s->multi, &still);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(s->multi, &left)) != NULL)
            if (m->msg == CURLMSG_DONE) {
                job *j = NULL;
                CURLcode cc = m->data.result;
                curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
                finish(s, j, cc);
            }
        curl_multi_poll(s->multi, NULL, 0, 50, NULL);
    }
}

/* The snapshot timestamp: the issue's date as YYYYMMDD. */
static void stamp(const char *date, char out[9])
{
    size_t k = 0;
    for (const char *p = date ? date : ""; *p && k < 8; p++)
        if (*p >= '0' && *p <= '9')
            out[k++] = *p;
    out[k] = '\0';
}

/* Queues the checks and lookups the cache cannot answer. */
static pt_code plan(sched *s, pt_link *links, size_t count, pt_error *err)
{
    int64_t fresh = (int64_t)time(NULL) - s->opts->max_age;
    CURL *esc = curl_easy_init();
    pt_code rc = esc ? PT_OK : pt_error_set(err, PT_ENOMEM, "", "out of memory");
    for (size_t i = 0; rc == PT_OK && i < count; i++) {
        pt_link *l = &links[i];
        if (l->url == NULL)
            continue;
        const cache_entry *e = cache_get(s->cache, 'l', l->url, fresh);
        if (e) {
            l->status = strcmp(e->value, "alive") == 0 ? PT_LINK_ALIVE : PT_LINK_DEAD;
            l->http_status = e->code;
            l->cached = true;
        } else if (!add_job(s, l, JOB_HEAD, l->url)) {
            rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
        }
        if (rc != PT_OK || l->archived_url)
            continue;
        char ts[9], *q = curl_easy_escape(esc, l->url, 0);
        stamp(l->date, ts);
        char *wurl = q ? pt_arena_printf(s->arena, "%s?url=%s&timestamp=%s", s->opts->wayback,
                                         q, ts) : NULL;
        curl_free(q);
        if (wurl == NULL)
            rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
        else if ((e = cache_get(s->cache, 'w', wurl, fresh)) != NULL) {
            if (strcmp(e->value, "-") != 0) {
                l->archive = PT_ARCHIVE_FOUND;
                l->archived_url = e->value;
            }
        } else if (!add_job(s, l, JOB_WAYBACK, wurl)) {
            rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
        }
    }
    curl_easy_cleanup(esc);
    return rc;
}

pt_code pt_links_check(pt_arena *arena, const pt_links_opts *opts, pt_link **out,
                       size_t *out_count, pt_error *err)
{
    pt_code rc = read_refs(arena, opts->issues_dir, out, out_count, err);
    if (rc != PT_OK)
        return rc;
    cache c = {0};
    sched s = {0};
    s.opts = opts;
    s.arena = arena;
    s.cache = &c;
    s.net = (pt_net_opts){
        .allow = PT_NET_HTTP_ANY,          /* old references are often http:// */
        .redirects = PT_NET_REDIRECT_CURL,
        .connect_timeout = opts->timeout,
        .timeout = opts->timeout,
        .max_size = LINK_BODY_MAX,
        .agent_note = "kb links",
        .ca_file = opts->ca_file,
        .retries = LINK_RETRIES,
        .retry_delay_ms = LINK_RETRY_DELAY_MS,
        .max_retry_after = PT_NET_DEFAULT_MAX_RETRY_AFTER,
    };
    cache_load(arena, &c, opts->cache_path);
    pt_net_global_init();
    s.multi = curl_multi_init();
    if (s.multi == NULL)
        rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
    if (rc == PT_OK)
        rc = plan(&s, *out, *out_count, err);
    if (rc == PT_OK)
        run(&s);
    cache_save(&c, opts->cache_path);
    for (size_t i = 0; i < s.job_count; i++)
        pt_buf_free(&s.jobs[i].body);
    curl_multi_cleanup(s.multi);
    pt_free(s.jobs);
    pt_free(s.hosts);
    pt_free(c.e);
    if (rc == PT_OK && s.wayback_failed)
        rc = pt_error_set(err, PT_ENET, opts->wayback, "the Wayback availability API did not "
                          "answer for some links; run again later (the others are listed)");
    return rc;
}
