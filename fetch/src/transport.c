/*
 * transport.c - the one libcurl transport of fetch/: global init, the URL
 * policy, the setup of every easy handle, the retry policy, the retry loop
 * and its error text.  See transport.h.
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"
#include "transport.h"
#include "pooltriage/platform.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *pt_fetch_backend(void) { return curl_version(); }

void pt_net_global_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    atexit(curl_global_cleanup);
}

/* ---- the URL policy ---- */

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

bool pt_net_is_loopback(const char *host)
{
    if (pt_strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
        strcmp(host, "::1") == 0)
        return true;
    return is_ipv4_loopback(host);
}

void pt_net_url_safe(const char *url, char *out, size_t len)
{
    const char *sep = strstr(url, "://");
    const char *auth = sep ? sep + 3 : NULL;
    const char *at = NULL;
    if (auth)
        for (const char *p = auth; *p && !strchr("/?#", *p); p++)
            if (*p == '@')
                at = p;
    if (at == NULL)
        snprintf(out, len, "%s", url);
    else
        snprintf(out, len, "%.*s%s", (int)(auth - url), url, at + 1);
}

/* Scheme and host of a URL (host empty for file://); *userinfo when it
 * carries a user name.  False if it won't parse. */
static bool url_parts(const char *url, char *scheme, size_t slen, char *host, size_t hlen,
                      bool *userinfo)
{
    CURLU *u = curl_url();
    char *s = NULL, *h = NULL, *user = NULL;
    bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK;
    if (ok && curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK)
        h = NULL;
    if (ok && curl_url_get(u, CURLUPART_USER, &user, 0) != CURLUE_OK)
        user = NULL;
    if (ok) {
        snprintf(scheme, slen, "%s", s);
        snprintf(host, hlen, "%s", h ? h : "");
        if (userinfo)
            *userinfo = user != NULL;
    }
    curl_free(s);
    curl_free(h);
    curl_free(user);
    curl_url_cleanup(u);
    return ok;
}

pt_code pt_net_url_check(const char *url, unsigned allow, bool redirect, pt_error *err)
{
    char scheme[16], host[512], where[512];
    bool userinfo = false;
    pt_net_url_safe(url, where, sizeof where);
    if (!url_parts(url, scheme, sizeof scheme, host, sizeof host, &userinfo))
        return pt_error_set(err, PT_ENET, where, "not a URL; give it as https://HOST/PATH");
    if (strcmp(scheme, "https") == 0 ||
        (strcmp(scheme, "file") == 0 && (allow & PT_NET_FILE) && !redirect))
        return PT_OK;
    bool http = strcmp(scheme, "http") == 0;
    if (http && pt_net_is_loopback(host) && (allow & (PT_NET_HTTP_LOOPBACK | PT_NET_HTTP_ANY)))
        return PT_OK;
    if (http && (allow & PT_NET_HTTP_ANY) && userinfo)
        return pt_error_set(err, PT_ENET, where, "refusing a user name or password in a plain "
                            "http:// URL: use https://");
    if (http && (allow & PT_NET_HTTP_ANY))
        return PT_OK;
    if (http)
        return pt_error_set(err, PT_ENET, where, "refusing plain http:// to '%s': use https:// "
                            "(http:// is allowed only to 127.0.0.0/8, ::1 and localhost)", host);
    return pt_error_set(err, PT_ENET, where, "refusing the '%s' scheme%s: use https://", scheme,
                        redirect ? " in a redirect" : "");
}

/* ---- the setup of every handle ---- */

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    pt_net_result *r = ud;
    size_t len = size * n;
    uint64_t max = r->opts ? r->opts->max_size : 0;
    if (max && r->got + len > max) {
        r->too_big = true;
        return 0;
    }
    if (r->file) {
        if ((pt_update_fault_hook && pt_update_fault_hook("write")) ||
            fwrite(p, 1, len, r->file) != len) {
            r->write_failed = true;
            r->werrno = errno ? errno : EIO;
            return 0;
        }
    } else if (r->mem) {
        pt_buf_append(r->mem, p, len);
        if (r->mem->failed) {
            r->write_failed = true;
            r->werrno = ENOMEM;
            return 0;
        }
    }
    r->got += len;
    return len;
}

/* Copies the value of header `name` ("etag:") from a header line; false
 * when the line is another header. */
static bool header_value(const char *line, size_t len, const char *name, char *out, size_t olen)
{
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(line, name, nl) != 0)
        return false;
    const char *v = line + nl;
    size_t vl = len - nl;
    while (vl && (*v == ' ' || *v == '\t')) {
        v++;
        vl--;
    }
    while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' ' ||
                  v[vl - 1] == '\t'))
        vl--;
    if (vl < olen) {
        memcpy(out, v, vl);
        out[vl] = '\0';
    }
    return true;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    pt_net_result *r = ud;
    size_t len = size * n;
    char ra[128] = "";
    if (len > 5 && strncmp(p, "HTTP/", 5) == 0) { /* a new response: forget the last one's */
        r->etag[0] = '\0';
        r->last_modified[0] = '\0';
        r->retry_after = -1;
    }
    header_value(p, len, "etag:", r->etag, sizeof r->etag);
    header_value(p, len, "last-modified:", r->last_modified, sizeof r->last_modified);
    if (header_value(p, len, "retry-after:", ra, sizeof ra))
        r->retry_after = pt_net_retry_after_parse(ra, time(NULL));
    return len;
}

void pt_net_setup(CURL *c, const pt_net_opts *o, const char *url, pt_net_result *r)
{
    char protos[32], agent[128], scheme[16], host[512];
    bool http = (o->allow & (PT_NET_HTTP_LOOPBACK | PT_NET_HTTP_ANY)) != 0;
    r->got = 0;
    r->too_big = r->write_failed = false;
    r->werrno = 0;
    r->cc = CURLE_OK;
    r->status = 0;
    r->retry_after = -1;
    r->etag[0] = r->last_modified[0] = r->errbuf[0] = '\0';
    r->opts = o;
    pt_net_url_safe(url, r->where, sizeof r->where);

    pt_net_global_init();
    snprintf(protos, sizeof protos, "https%s%s", http ? ",http" : "",
             (o->allow & PT_NET_FILE) ? ",file" : "");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protos);
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, http ? "https,http" : "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, o->redirects == PT_NET_REDIRECT_CURL ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)PT_NET_MAX_REDIRECTS);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (o->connect_timeout > 0)
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
    if (o->timeout > 0)
        curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, PT_NET_LOW_SPEED_BYTES);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, PT_NET_LOW_SPEED_TIME);
    if (o->max_size)
        curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
    snprintf(agent, sizeof agent, "pooltriage/%s%s%s%s", PT_VERSION,
             o->agent_note ? " (" : "", o->agent_note ? o->agent_note : "",
             o->agent_note ? ")" : "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, agent);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (o->ca_file && o->ca_file[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->errbuf);
    /* proxies come from the environment (libcurl's default), except for
     * loopback, which a proxy could not reach anyway */
    if (url_parts(url, scheme, sizeof scheme, host, sizeof host, NULL) &&
        pt_net_is_loopback(host))
        curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
}

/* ---- the retry policy ---- */

bool pt_net_retryable(CURLcode cc, long status, bool idempotent)
{
    switch (cc) {
    case CURLE_OK:
        return status == 408 || status == 429 || (status >= 500 && status <= 599);
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
        return idempotent;
    default: /* TLS verification, size caps, bad URLs, write errors... */
        return false;
    }
}

long pt_net_backoff_ms(long first_ms, int n)
{
    if (first_ms <= 0)
        return 0;
    long cap = first_ms > PT_NET_MAX_BACKOFF_MS ? first_ms : PT_NET_MAX_BACKOFF_MS;
    long w = first_ms;
    for (int i = 0; i < n && w < cap; i++)
        w = w > cap / 2 ? cap : w * 2;
    return w < cap ? w : cap;
}

long pt_net_retry_after_parse(const char *value, time_t now)
{
    while (*value == ' ' || *value == '\t')
        value++;
    size_t digits = strspn(value, "0123456789");
    if (digits > 0 && value[digits + strspn(value + digits, " \t\r\n")] == '\0') {
        long secs = 0;
        for (size_t i = 0; i < digits; i++)
            secs = secs > (LONG_MAX - 9) / 10 ? LONG_MAX : secs * 10 + (value[i] - '0');
        return secs;
    }
    if (digits > 0 || value[0] == '\0' || value[0] == '-')
        return -1;
    time_t when = curl_getdate(value, NULL);
    if (when == (time_t)-1)
        return -1;
    return when > now ? (long)(when - now) : 0;
}

pt_net_verdict pt_net_retry_decide(const pt_net_opts *o, bool idempotent, CURLcode cc,
                                   long status, long retry_after, int tries, long *wait_ms)
{
    *wait_ms = 0;
    if (!pt_net_retryable(cc, status, idempotent))
        return PT_NET_DONE;
    bool asked = cc == CURLE_OK && retry_after >= 0;
    if (asked && (retry_after > o->max_retry_after || retry_after > LONG_MAX / 1000)) {
        *wait_ms = retry_after > LONG_MAX / 1000 ? LONG_MAX : retry_after * 1000;
        return PT_NET_WAIT_TOO_LONG;
    }
    if (tries > o->retries)
        return PT_NET_EXHAUSTED;
    *wait_ms = asked ? retry_after * 1000 : pt_net_backoff_ms(o->retry_delay_ms, tries - 1);
    return PT_NET_RETRY;
}

/* ---- the retry loop ---- */

#define WORD(o, field, dflt) ((o)->field ? (o)->field : (dflt))

static bool body_reset(pt_net_result *r)
{
    if (r->mem)
        r->mem->len = 0;
    if (r->file == NULL)
        return true;
    return fflush(r->file) == 0 && pt_platform_truncate(fileno(r->file), 0) == 0 &&
           fseek(r->file, 0, SEEK_SET) == 0;
}

static void request_setup(CURL *c, const pt_net_request *req)
{
    const char *m = req->method;
    if (m && strcmp(m, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (m == NULL || strcmp(m, "GET") == 0) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    }
    if (req->headers)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, req->headers);
    if (req->user && req->user[0]) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, req->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, req->password ? req->password : "");
    }
}

static bool tls_refused(CURLcode cc)
{
    return cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE ||
           cc == CURLE_SSL_CERTPROBLEM || cc == CURLE_SSL_ISSUER_ERROR ||
           cc == CURLE_SSL_PINNEDPUBKEYNOTMATCH || cc == CURLE_SSL_CRL_BADFILE;
}

/* The message for a try that got no usable answer (PT_OK when it did). */
static pt_code transfer_error(const pt_net_opts *o, CURL *c, const pt_net_result *r,
                              pt_error *err)
{
    const char *noun = WORD(o, noun, "request"), *url_hint = WORD(o, url_hint, "the URL");
    const char *what = r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->cc);
    const char *note = o->write_note;
    if (r->write_failed)
        return pt_error_set(err, PT_ENET, r->where, "cannot write the %s: %s%s%s", noun,
                            strerror(r->werrno), note ? "; " : "", note ? note : "");
    if (r->too_big || r->cc == CURLE_FILESIZE_EXCEEDED)
        return pt_error_set(err, PT_ENET, r->where, "%s is larger than the limit of %llu "
                            "bytes; %s", WORD(o, body_noun, "the answer"),
                            (unsigned long long)o->max_size,
                            WORD(o, size_hint, "check the URL"));
    if (r->cc == CURLE_OPERATION_TIMEDOUT) {
        curl_off_t us = 0;
        curl_easy_getinfo(c, CURLINFO_TOTAL_TIME_T, &us);
        const char *hint = WORD(o, timeout_hint, "check the network, then try again");
        if (strstr(r->errbuf, "too slow"))
            return pt_error_set(err, PT_ENET, r->where, "%s stalled (under %ld bytes/s for "
                                "%ld s; tries: %d); %s", noun, PT_NET_LOW_SPEED_BYTES,
                                PT_NET_LOW_SPEED_TIME, r->tries, hint);
        if (o->timeout <= 0 || us + 200000 >= (curl_off_t)o->timeout * 1000000)
            return pt_error_set(err, PT_ENET, r->where, "%s timed out after %ld s (tries: %d); "
                                "%s", noun, o->timeout, r->tries, hint);
        return pt_error_set(err, PT_ENET, r->where, "could not connect within %ld s (tries: "
                            "%d); check the network and %s", o->connect_timeout, r->tries,
                            url_hint);
    }
    if (r->cc == CURLE_PARTIAL_FILE)
        return pt_error_set(err, PT_ENET, r->where, "%s was cut short after %llu bytes "
                            "(tries: %d); try again later", noun, (unsigned long long)r->got,
                            r->tries);
    if (tls_refused(r->cc))
        return pt_error_set(err, PT_ENET, r->where, "%s failed: %s; the server's certificate "
                            "is not trusted: check %s, or name the CA that signs it with %s",
                            noun, what, url_hint, WORD(o, ca_hint, "a CA file"));
    if (r->cc != CURLE_OK)
        return pt_error_set(err, PT_ENET, r->where, "%s failed: %s; check the network and %s",
                            noun, what, url_hint);
    return PT_OK;
}

pt_code pt_net_perform(const pt_net_opts *o, const pt_net_request *req, pt_net_result *r,
                       pt_error *err)
{
    pt_code rc = pt_net_url_check(req->url, o->allow, false, err);
    if (rc != PT_OK)
        return rc;
    pt_net_global_init();
    bool idempotent = req->method == NULL || strcmp(req->method, "GET") == 0 ||
                      strcmp(req->method, "HEAD") == 0;
    char first[512];
    pt_net_url_safe(req->url, first, sizeof first);
    CURL *c = curl_easy_init();
    char *cur = pt_malloc(strlen(req->url) + 1);
    if (c == NULL || cur == NULL) {
        rc = pt_error_set(err, PT_ENOMEM, first, "out of memory");
        goto done;
    }
    strcpy(cur, req->url);
    r->tries = 0;
    for (int hops = 0;;) {
        if (!body_reset(r)) {
            rc = pt_error_set(err, PT_ENET, first, "cannot write the %s: %s",
                              WORD(o, noun, "request"), strerror(errno));
            break;
        }
        curl_easy_reset(c);
        pt_net_setup(c, o, cur, r);
        request_setup(c, req);
        r->cc = curl_easy_perform(c);
        r->tries++;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
        if (r->too_big || r->write_failed)
            break;
        char *next = NULL;
        if (o->redirects == PT_NET_REDIRECT_CHECKED && r->cc == CURLE_OK &&
            r->status >= 300 && r->status < 400 && r->status != 304 &&
            curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &next) == CURLE_OK && next) {
            if (hops >= PT_NET_MAX_REDIRECTS) {
                rc = pt_error_set(err, PT_ENET, first, "more than %d redirects (a redirect "
                                  "loop?); check %s", PT_NET_MAX_REDIRECTS,
                                  WORD(o, url_hint, "the URL"));
                break;
            }
            if ((rc = pt_net_url_check(next, o->allow, true, err)) != PT_OK)
                break;
            char *n2 = pt_realloc(cur, strlen(next) + 1);
            if (n2 == NULL) {
                rc = pt_error_set(err, PT_ENOMEM, first, "out of memory");
                break;
            }
            cur = n2;
            strcpy(cur, next);
            hops++;
            r->tries = 0; /* each hop gets the whole retry budget */
            continue;
        }
        long wait_ms = 0;
        pt_net_verdict v = pt_net_retry_decide(o, idempotent, r->cc, r->status,
                                               r->retry_after, r->tries, &wait_ms);
        if (v == PT_NET_WAIT_TOO_LONG) {
            rc = pt_error_set(err, PT_ENET, r->where, "HTTP %ld: the server asks to wait %ld s, "
                              "more than %ld s; run again later", r->status, r->retry_after,
                              o->max_retry_after);
            break;
        }
        if (v != PT_NET_RETRY)
            break;
        pt_platform_sleep_ms(wait_ms > (long)UINT_MAX ? UINT_MAX : (unsigned)wait_ms);
    }
    if (rc == PT_OK)
        rc = transfer_error(o, c, r, err);
done:
    pt_free(cur);
    curl_easy_cleanup(c);
    return rc;
}

pt_code pt_net_status_error(const pt_net_result *r, const char *hint, pt_error *err)
{
    if (pt_net_retryable(CURLE_OK, r->status, true))
        return pt_error_set(err, PT_ENET, r->where, "HTTP %ld from the server (tries: %d); try "
                            "again later", r->status, r->tries);
    return pt_error_set(err, PT_ENET, r->where, "HTTP %ld from the server; %s", r->status,
                        hint ? hint : "check the URL");
}
