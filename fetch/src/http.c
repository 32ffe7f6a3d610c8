/*
 * http.c - one download for the update stage: https://, file://, and
 * http:// to loopback only; conditional requests (ETag, Last-Modified);
 * redirects followed by the transport, each hop checked.  Timeouts,
 * proxies, the size cap and the retries are the transport's (transport.c).
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"
#include "transport.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define UPDATE_ALLOW (PT_NET_HTTP_LOOPBACK | PT_NET_FILE)

pt_code pt_http_url_allowed(const char *url, pt_error *err)
{
    return pt_net_url_check(url, UPDATE_ALLOW, false, err);
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

pt_code pt_http_get(const pt_fetch_config *cfg, const char *url, const char *path,
                    pt_buf *mem, uint64_t max, const char *etag, const char *last_modified,
                    pt_http_result *out, pt_error *err)
{
    const pt_net_opts o = {
        .allow = UPDATE_ALLOW,
        .redirects = PT_NET_REDIRECT_CHECKED,
        .connect_timeout = cfg->connect_timeout,
        .timeout = cfg->timeout,
        .max_size = max,
        .ca_file = cfg->ca_file,
        .retries = cfg->retries,
        .retry_delay_ms = cfg->retry_delay_ms,
        .max_retry_after = PT_NET_DEFAULT_MAX_RETRY_AFTER,
        .noun = "download",
        .body_noun = "download",
        .url_hint = "the feed URL",
        .timeout_hint = "check the network or raise 'timeout' in the config",
        .size_hint = "raise 'max_size' in the config if the feed is genuine",
        .write_note = "the KB was not changed",
        .ca_hint = "'ca_file' in the config",
    };
    memset(out, 0, sizeof *out);
    pt_code rc = pt_http_url_allowed(url, err);
    if (rc != PT_OK)
        return rc;
    pt_net_result r = {0};
    r.mem = mem;
    if (path && (r.file = fopen(path, "wb")) == NULL)
        return pt_error_set(err, PT_ENET, path, "cannot write the download: %s",
                            strerror(errno));
    struct curl_slist *hdrs = conditions(etag, last_modified);
    const pt_net_request req = {.url = url, .headers = hdrs};
    rc = pt_net_perform(&o, &req, &r, err);
    out->status = r.status;
    out->tries = r.tries;
    out->bytes = r.got;
    snprintf(out->etag, sizeof out->etag, "%s", r.etag);
    snprintf(out->last_modified, sizeof out->last_modified, "%s", r.last_modified);
    out->not_modified = rc == PT_OK && r.status == 304;
    if (rc == PT_OK && r.status >= 300 && r.status < 400 && !out->not_modified)
        rc = pt_error_set(err, PT_ENET, r.where, "HTTP %ld without a Location; check the "
                          "feed URL", r.status);
    else if (rc == PT_OK && r.status >= 400)
        rc = pt_net_status_error(&r, "check 'feed' in the config or --feed", err);
    if (r.file && fclose(r.file) != 0 && rc == PT_OK)
        rc = pt_error_set(err, PT_ENET, path, "cannot write the download: %s", strerror(errno));
    curl_slist_free_all(hdrs);
    return rc;
}
