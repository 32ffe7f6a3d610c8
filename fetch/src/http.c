/*
 * http.c - one download for the update stage, with the transport policy:
 * https://, file://, and http:// to loopback only; proxies from the
 * environment; connect and total timeouts; a size cap; conditional
 * requests (ETag, Last-Modified); bounded retries with back-off; and
 * redirects followed by hand so each hop is checked and a loop ends.
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"
#include "pooltriage/platform.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* A dotted IPv4 address in 127.0.0.0/8: four decimal parts of 0-255. */
static bool is_ipv4_loopback(const char *host)
{
    unsigned part[4];
    const char *p = host;
    for (int i = 0; i < 4; i++) {
        if (*p < '0' || *p > '9')
            return false;
        unsigned v = 0, digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(*p++ - '0');
            digits++;
        }
        if (v > 255 || digits > 3 || (i < 3 && *p++ != '.'))
            return false;
        part[i] = v;
    }
    return *p == '\0' && part[0] == 127;
}

static bool is_loopback(const char *host)
{
    if (pt_strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
        strcmp(host, "::1") == 0)
        return true;
    return is_ipv4_loopback(host);
}

/* Scheme and host of a URL (host empty for file://); false if it won't parse. */
static bool url_parts(const char *url, char *scheme, size_t slen, char *host, size_t hlen)
{
    CURLU *u = curl_url();
    char *s = NULL, *h = NULL;
    bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK;
    if (ok && curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK)
        h = NULL;
    if (ok) {
        snprintf(scheme, slen, "%s", s);
        snprintf(host, hlen, "%s", h ? h : "");
    }
    curl_free(s);
    curl_free(h);
    curl_url_cleanup(u);
    return ok;
}

static pt_code url_check(const char *url, bool redirect, pt_error *err)
{
    char scheme[16], host[512];
    if (!url_parts(url, scheme, sizeof scheme, host, sizeof host))
        return pt_error_set(err, PT_ENET, url, "not a URL; give the feed as https://HOST/PATH");
    if (strcmp(scheme, "https") == 0 || (strcmp(scheme, "file") == 0 && !redirect))
        return PT_OK;
    if (strcmp(scheme, "http") == 0 && is_loopback(host))
        return PT_OK;
    if (strcmp(scheme, "http") == 0)
        return pt_error_set(err, PT_ENET, url, "refusing plain http:// to '%s': use https:// "
                            "(http:// is allowed only to 127.0.0.0/8, ::1 and localhost)", host);
    return pt_error_set(err, PT_ENET, url, "refusing the '%s' scheme%s: use https://", scheme,
                        redirect ? " in a redirect" : "");
}

pt_code pt_http_url_allowed(const char *url, pt_error *err) { return url_check(url, false, err); }

/* ---- one transfer ---- */

typedef struct sink {
    FILE *f;
    pt_buf *mem;
    uint64_t max, got;
    bool too_big, write_failed;
    int werrno;
    pt_http_result *res;
} sink;

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    sink *s = ud;
    size_t len = size * n;
    if (s->got + len > s->max) {
        s->too_big = true;
        return 0;
    }
    if (s->f) {
        if ((pt_update_fault_hook && pt_update_fault_hook("write")) ||
            fwrite(p, 1, len, s->f) != len) {
            s->write_failed = true;
            s->werrno = errno ? errno : EIO;
            return 0;
        }
    } else {
        pt_buf_append(s->mem, p, len);
        if (s->mem->failed) {
            s->write_failed = true;
            s->werrno = ENOMEM;
            return 0;
        }
    }
    s->got += len;
    return len;
}

/* Copies the value of header `name` from a header line. */
static void header_value(const char *line, size_t len, const char *name, char *out, size_t olen)
{
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(line, name, nl) != 0)
        return;
    const char *v = line + nl;
    size_t vl = len - nl;
    while (vl && (*v == ' ' || *v == '\t')) {
        v++;
        vl--;
    }
    while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
        vl--;
    if (vl < olen) {
        memcpy(out, v, vl);
        out[vl] = '\0';
    }
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    sink *s = ud;
    size_t len = size * n;
    if (len > 5 && strncmp(p, "HTTP/", 5) == 0) { /* a new response: forget the last one's */
        s->res->etag[0] = '\0';
        s->res->last_modified[0] = '\0';
    }
    header_value(p, len, "etag:", s->res->etag, sizeof s->res->etag);
    header_value(p, len, "last-modified:", s->res->last_modified, sizeof s->res->last_modified);
    return len;
}

static bool sink_reset(sink *s)
{
    s->got = 0;
    s->too_big = s->write_failed = false;
    if (s->mem) {
        s->mem->len = 0;
        return true;
    }
    return fflush(s->f) == 0 && pt_platform_truncate(fileno(s->f), 0) == 0 && fseek(s->f, 0, SEEK_SET) == 0;
}

static struct curl_slist *conditions(const char *etag, const char *last_modified)
{
    struct curl_slist *h = NULL, *t;
    char line[512];
    if (etag && etag[0]) {
        snprintf(line, sizeof line, "If-None-Match: %s", etag);
        if ((t = curl_slist_append(h, line)) != NULL)
            h = t;
    }
    if (last_modified && last_modified[0]) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", last_modified);
        if ((t = curl_slist_append(h, line)) != NULL)
            h = t;
    }
    return h;
}

static void setup(CURL *c, const pt_fetch_config *cfg, const char *url, sink *s,
                  struct curl_slist *hdrs, char *errbuf)
{
    char scheme[16], host[512];
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, cfg->connect_timeout);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, cfg->timeout);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s->max);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "pooltriage/" PT_VERSION);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    if (cfg->ca_file[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
    /* proxies come from the environment (libcurl's default), except for
     * loopback, which a proxy could not reach anyway */
    if (url_parts(url, scheme, sizeof scheme, host, sizeof host) && is_loopback(host))
        curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
}

static void sleep_ms(long ms)
{
    pt_platform_sleep_ms(ms > 0 ? (unsigned)ms : 0);
}

static bool retryable(CURLcode cc, long status)
{
    return cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_COULDNT_CONNECT ||
           cc == CURLE_PARTIAL_FILE || cc == CURLE_RECV_ERROR || cc == CURLE_GOT_NOTHING ||
           (cc == CURLE_OK && status >= 500);
}

/* Turns the last try's outcome into PT_OK or a message. */
static pt_code outcome(const pt_fetch_config *cfg, const char *url, CURLcode cc, long status,
                       const sink *s, int tries, const char *errbuf, pt_error *err)
{
    if (s->write_failed)
        return pt_error_set(err, PT_ENET, url, "cannot write the download: %s; the KB was "
                            "not changed", strerror(s->werrno));
    if (s->too_big || cc == CURLE_FILESIZE_EXCEEDED)
        return pt_error_set(err, PT_ENET, url, "download is larger than the limit of %llu "
                            "bytes; raise 'max_size' in the config if the feed is genuine",
                            (unsigned long long)s->max);
    if (cc == CURLE_OPERATION_TIMEDOUT)
        return pt_error_set(err, PT_ENET, url, "download timed out after %ld s (tries: %d); "
                            "check the network or raise 'timeout' in the config",
                            cfg->timeout, tries);
    if (cc == CURLE_PARTIAL_FILE)
        return pt_error_set(err, PT_ENET, url, "download was cut short after %llu bytes "
                            "(tries: %d); try again later", (unsigned long long)s->got, tries);
    if (cc != CURLE_OK)
        return pt_error_set(err, PT_ENET, url, "download failed: %s; check the network and "
                            "the feed URL", errbuf[0] ? errbuf : curl_easy_strerror(cc));
    if (status >= 500)
        return pt_error_set(err, PT_ENET, url, "HTTP %ld from the server (tries: %d); try "
                            "again later", status, tries);
    if (status >= 400)
        return pt_error_set(err, PT_ENET, url, "HTTP %ld from the server; check 'feed' in "
                            "the config or --feed", status);
    return PT_OK;
}

/* One URL with retries; *status gets the final HTTP status. */
static pt_code get_one(CURL *c, const pt_fetch_config *cfg, const char *url, sink *s,
                       struct curl_slist *hdrs, long *status, pt_error *err)
{
    char errbuf[CURL_ERROR_SIZE];
    CURLcode cc = CURLE_OK;
    int tries = 0;
    for (;;) {
        errbuf[0] = '\0';
        *status = 0;
        if (!sink_reset(s))
            return pt_error_set(err, PT_ENET, url, "cannot write the download: %s",
                                strerror(errno));
        curl_easy_reset(c);
        setup(c, cfg, url, s, hdrs, errbuf);
        cc = curl_easy_perform(c);
        tries++;
        s->res->tries = tries;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
        if (s->too_big || s->write_failed || !retryable(cc, *status) || tries > cfg->retries)
            break;
        sleep_ms(cfg->retry_delay_ms << (tries - 1)); /* back-off: d, 2d, 4d... */
    }
    return outcome(cfg, url, cc, *status, s, tries, errbuf, err);
}

pt_code pt_http_get(const pt_fetch_config *cfg, const char *url, const char *path,
                    pt_buf *mem, uint64_t max, const char *etag, const char *last_modified,
                    pt_http_result *out, pt_error *err)
{
    memset(out, 0, sizeof *out);
    pt_code rc = url_check(url, false, err);
    if (rc != PT_OK)
        return rc;
    sink s = {NULL, mem, max, 0, false, false, 0, out};
    if (path && (s.f = fopen(path, "wb")) == NULL)
        return pt_error_set(err, PT_ENET, path, "cannot write the download: %s",
                            strerror(errno));
    CURL *c = curl_easy_init();
    struct curl_slist *hdrs = conditions(etag, last_modified);
    char *cur = pt_malloc(strlen(url) + 1);
    if (c == NULL || cur == NULL) {
        rc = pt_error_set(err, PT_ENOMEM, url, "out of memory");
        goto done;
    }
    strcpy(cur, url);
    for (int hops = 0;; hops++) {
        long status = 0;
        if ((rc = get_one(c, cfg, cur, &s, hdrs, &status, err)) != PT_OK)
            break;
        out->status = status;
        char *next = NULL;
        if (status < 300 || status >= 400 || status == 304 ||
            curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &next) != CURLE_OK || next == NULL)
            break;
        if (hops >= PT_FETCH_MAX_REDIRECTS) {
            rc = pt_error_set(err, PT_ENET, url, "more than %d redirects (a redirect loop?); "
                              "check the feed URL", PT_FETCH_MAX_REDIRECTS);
            break;
        }
        if ((rc = url_check(next, true, err)) != PT_OK)
            break;
        char *n2 = pt_realloc(cur, strlen(next) + 1);
        if (n2 == NULL) {
            rc = pt_error_set(err, PT_ENOMEM, url, "out of memory");
            break;
        }
        cur = n2;
        strcpy(cur, next);
    }
    out->not_modified = rc == PT_OK && out->status == 304;
    out->bytes = s.got;
    if (rc == PT_OK && out->status >= 300 && out->status < 400 && !out->not_modified)
        rc = pt_error_set(err, PT_ENET, url, "HTTP %ld without a Location; check the feed URL",
                          out->status);
done:
    if (s.f && fclose(s.f) != 0 && rc == PT_OK)
        rc = pt_error_set(err, PT_ENET, path, "cannot write the download: %s", strerror(errno));
    pt_free(cur);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return rc;
}
