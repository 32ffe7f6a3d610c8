/*
 * ticket.c - `pooltriage ticket`: the network half.  Loads credentials from
 * the environment, sends each payload with libcurl under the transport
 * policy (https, or http to loopback; timeouts; bounded retries, Retry-After)
 * and records every confirmed ticket in the map at once.
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"
#include "pt_ticket.h"
#include "pooltriage/platform.h"

#include <cJSON.h>
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- credentials ---- */

static pt_code set_secret(char *dst, size_t len, const char *value, const char *name,
                          pt_error *err)
{
    if (strlen(value) >= len)
        return pt_error_set(err, PT_EUSAGE, name, "longer than %zu bytes; check the value",
                            len - 1);
    snprintf(dst, len, "%s", value);
    return PT_OK;
}

static pt_code creds_line(pt_ticket_creds *c, char *line, const char *where, pt_error *err)
{
    char *eq = strchr(line, '=');
    line[strcspn(line, "\r\n")] = '\0';
    char *key = line;
    while (*key == ' ' || *key == '\t')
        key++;
    if (*key == '#' || *key == '\0')
        return PT_OK;
    if (eq == NULL)
        return pt_error_set(err, PT_EUSAGE, where, "expected 'key = value' (user, token or "
                            "password)");
    char *val = eq + 1, *kend = eq;
    while (kend > key && (kend[-1] == ' ' || kend[-1] == '\t'))
        *--kend = '\0';
    *eq = '\0';
    while (*val == ' ' || *val == '\t')
        val++;
    size_t vl = strlen(val);
    while (vl && (val[vl - 1] == ' ' || val[vl - 1] == '\t'))
        val[--vl] = '\0';
    char *dst = strcmp(key, "user") == 0 ? c->user : strcmp(key, "token") == 0 ? c->token
              : strcmp(key, "password") == 0 ? c->password : NULL;
    size_t len = dst == c->user ? sizeof c->user : sizeof c->token;
    if (dst == NULL)
        return pt_error_set(err, PT_EUSAGE, where, "unknown key '%s' (user, token or "
                            "password)", key);
    return dst[0] ? PT_OK : set_secret(dst, len, val, where, err);
}

static pt_code creds_file(pt_ticket_creds *c, const char *path, pt_error *err)
{
    FILE *f;
    pt_error oerr = {0};
    if (pt_platform_fopen_input(path, &f, &oerr) != PT_OK) {
        if (errno == 0) /* a FIFO or a device: never read, never waited on */
            return pt_error_set(err, PT_EIO, path, "not a regular file");
        return pt_error_set(err, PT_EUSAGE, path, "cannot read the credentials file: %s",
                            strerror(errno));
    }
    pt_code rc = PT_OK;
    if (!pt_platform_owner_only(fileno(f))) {
        rc = pt_error_set(err, PT_EUSAGE, path, "the credentials file is readable by others; "
                          "run 'chmod 600' on it");
        goto done;
    }
    char line[PT_TICKET_MAX_SECRET + 64], where[4200];
    for (unsigned no = 1; rc == PT_OK && fgets(line, sizeof line, f); no++) {
        snprintf(where, sizeof where, "%s:%u", path, no);
        rc = pt_fetch_line_whole(line, sizeof line, f, where, err);
        if (rc == PT_OK)
            rc = creds_line(c, line, where, err);
    }
done:
    fclose(f);
    return rc;
}

pt_code pt_ticket_creds_load(pt_ticket_creds *out, pt_error *err)
{
    static const struct { const char *env; size_t off, len; } vars[] = {
        {"POOLTRIAGE_TICKET_USER", offsetof(pt_ticket_creds, user), sizeof out->user},
        {"POOLTRIAGE_TICKET_TOKEN", offsetof(pt_ticket_creds, token), sizeof out->token},
        {"POOLTRIAGE_TICKET_PASSWORD", offsetof(pt_ticket_creds, password),
         sizeof out->password},
    };
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i].env);
        pt_code rc = v ? set_secret((char *)out + vars[i].off, vars[i].len, v, vars[i].env, err)
                       : PT_OK;
        if (rc != PT_OK)
            return rc;
    }
    const char *file = getenv("POOLTRIAGE_TICKET_CREDENTIALS");
    return file && file[0] ? creds_file(out, file, err) : PT_OK;
}

/* ---- one HTTP exchange ---- */

typedef struct exchange {
    pt_buf body;
    bool too_big;
    long retry_after;            /* seconds, -1 when absent */
} exchange;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    exchange *x = ud;
    size_t len = size * n;
    if (x->body.len + len > PT_TICKET_MAX_RESPONSE) {
        x->too_big = true;
        return len;              /* keep reading, keep nothing more */
    }
    pt_buf_append(&x->body, p, len);
    return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    exchange *x = ud;
    size_t len = size * n;
    static const char name[] = "retry-after:";
    if (len > sizeof name && strncasecmp(p, name, sizeof name - 1) == 0) {
        char val[128];
        snprintf(val, sizeof val, "%.*s", (int)(len - (sizeof name - 1)), p + sizeof name - 1);
        val[strcspn(val, "\r\n")] = '\0';
        char *end;
        long secs = strtol(val, &end, 10);
        if (end != val && secs >= 0) {
            x->retry_after = secs;
        } else {
            time_t when = curl_getdate(val, NULL);
            x->retry_after = when > 0 ? (long)(when - time(NULL)) : -1;
            if (x->retry_after < 0 && when > 0)
                x->retry_after = 0;
        }
    }
    return len;
}

static struct curl_slist *headers(const pt_ticket_opts *o)
{
    struct curl_slist *h = NULL, *t;
    h = curl_slist_append(h, "Content-Type: application/json");
    h = h ? curl_slist_append(h, "Accept: application/json") : NULL;
    h = h ? curl_slist_append(h, "Expect:") : NULL;
    if (h && o->creds.token[0] && !o->creds.user[0]) {
        char auth[PT_TICKET_MAX_SECRET + 32];
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", o->creds.token);
        t = curl_slist_append(h, auth);
        if (t == NULL)
            curl_slist_free_all(h);
        h = t;
    }
    return h;
}

static CURL *easy(const pt_ticket_opts *o, const pt_ticket_request *req, exchange *x,
                  struct curl_slist *hdr)
{
    CURL *c = curl_easy_init();
    if (c == NULL)
        return NULL;
    curl_easy_setopt(c, CURLOPT_URL, req->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (strcmp(req->method, "GET") == 0) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body.data ? req->body.data : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)req->body.len);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "pooltriage/" PT_VERSION);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
    if (o->ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
    if (o->creds.user[0]) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, o->creds.user);
        curl_easy_setopt(c, CURLOPT_PASSWORD,
                         o->creds.password[0] ? o->creds.password : o->creds.token);
    }
    return c;
}

static void sleep_ms(long ms)
{
    pt_platform_sleep_ms(ms > 0 ? (unsigned)ms : 0);
}

/* ---- reading the answer ---- */

static const char *json_text(const cJSON *o, const char *key, char *buf, size_t len)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v))
        snprintf(buf, len, "%s", v->valuestring);
    else if (cJSON_IsNumber(v))
        snprintf(buf, len, "%.0f", v->valuedouble);
    else
        return NULL;
    return buf;
}

/* Copies what a server sent with every form of our credentials it could
 * echo removed: the token and password as given, the Bearer header's
 * value and the Basic one (base64 of "user:secret"). */
static void redact(const pt_ticket_opts *o, const char *s, size_t len, pt_buf *out)
{
    const pt_ticket_creds *c = &o->creds;
    const char *secret = c->password[0] ? c->password : c->token;
    char plain[sizeof c->user + PT_TICKET_MAX_SECRET + 2];
    unsigned char basic[4 * ((sizeof plain + 2) / 3) + 1] = "";
    int n = snprintf(plain, sizeof plain, "%s:%s", c->user, secret);
    if (c->user[0] && secret[0] && n > 0 && (size_t)n < sizeof plain)
        EVP_EncodeBlock(basic, (const unsigned char *)plain, n);
    const char *secrets[] = {(const char *)basic, c->token, c->password};
    pt_text_redact(out, s, len, secrets, 3);
    OPENSSL_cleanse(plain, sizeof plain);
    OPENSSL_cleanse(basic, sizeof basic);
}

/* Copies a field of the answer, with our credentials removed. */
static void redact_field(const pt_ticket_opts *o, char *field, size_t cap)
{
    pt_buf b = {0};
    redact(o, field, strlen(field), &b);
    if (!b.failed && b.data)
        snprintf(field, cap, "%s", b.data);
    else if (b.failed)
        field[0] = '\0';
    pt_buf_free(&b);
}

static void read_answer(const pt_ticket_opts *o, const pt_buf *body, pt_ticket_response *out)
{
    pt_ticket_rec *rec = &out->rec;
    cJSON *root = body->data ? cJSON_ParseWithLength(body->data, body->len) : NULL;
    if (o->kind == PT_TICKET_JIRA)
        json_text(root, "deploymentType", out->deployment_type, sizeof out->deployment_type);
    const cJSON *res = o->kind == PT_TICKET_SERVICENOW
                           ? cJSON_GetObjectItemCaseSensitive(root, "result") : root;
    if (o->kind == PT_TICKET_JIRA && json_text(res, "key", rec->id, sizeof rec->id)) {
        snprintf(rec->key, sizeof rec->key, "%s", rec->id);
        snprintf(rec->url, sizeof rec->url, "%s/browse/%s", o->url, rec->id);
    } else if (o->kind == PT_TICKET_SERVICENOW &&
               json_text(res, "sys_id", rec->id, sizeof rec->id)) {
        if (!json_text(res, "number", rec->key, sizeof rec->key))
            snprintf(rec->key, sizeof rec->key, "%s", rec->id);
        snprintf(rec->url, sizeof rec->url, "%s/nav_to.do?uri=incident.do%%3Fsys_id%%3D%s",
                 o->url, rec->id);
    } else if (o->kind == PT_TICKET_WEBHOOK) {
        if (json_text(res, "id", rec->id, sizeof rec->id) ||
            json_text(res, "key", rec->id, sizeof rec->id))
            snprintf(rec->key, sizeof rec->key, "%s", rec->id);
        json_text(res, "url", rec->url, sizeof rec->url);
    }
    redact_field(o, rec->id, sizeof rec->id);
    redact_field(o, rec->key, sizeof rec->key);
    redact_field(o, rec->url, sizeof rec->url);
    cJSON_Delete(root);
}

/* ---- send with retries ---- */

static pt_code refuse_url(const char *url, bool allow_http, pt_error *err)
{
    if (strncasecmp(url, "https://", 8) != 0 && strncasecmp(url, "http://", 7) != 0)
        return pt_error_set(err, PT_ENET, url, "not an http(s) URL; give --url https://HOST");
    pt_code rc = pt_http_url_allowed(url, err);
    if (rc != PT_OK && allow_http && strncasecmp(url, "http://", 7) == 0 &&
        strchr(url + 7, '@') == NULL && url[7] != '\0')
        return PT_OK;  /* the admin allowed plain http (--allow-http, ticket_allow_http) */
    return rc;
}

pt_code pt_ticket_url_check(const char *url, bool allow_http, pt_error *err)
{
    pt_error why = {0};
    if (refuse_url(url, allow_http, &why) == PT_OK)
        return PT_OK;
    return pt_error_set(err, PT_EUSAGE, "--url", "%s%s", why.message,
                        strncasecmp(url, "http://", 7) == 0
                            ? "; an internal plain-http webhook needs --allow-http (or "
                              "ticket_allow_http = true in the config)" : "");
}

typedef enum verdict { DONE, RETRY, FAIL } verdict;

/* What to do after one try; *wait_ms is the pause before the next. */
static verdict judge(const pt_ticket_opts *o, CURLcode cc, long status, const exchange *x,
                     int attempt, long *wait_ms, const char *url, pt_error *err)
{
    long backoff = o->retry_delay_ms << (attempt < 16 ? attempt : 16);
    *wait_ms = backoff < PT_TICKET_MAX_BACKOFF_MS ? backoff : PT_TICKET_MAX_BACKOFF_MS;
    if (cc == CURLE_OPERATION_TIMEDOUT) {
        pt_error_set(err, PT_ENET, url, "no answer within %ld s (not retried: the server may "
                     "have filed it); check the ticket system, then run again", o->timeout);
        return FAIL;
    }
    if (cc != CURLE_OK) {
        pt_error_set(err, PT_ENET, url, "%s; check the URL and the network",
                     curl_easy_strerror(cc));
        return cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
               cc == CURLE_GOT_NOTHING || cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR
                   ? RETRY : FAIL;
    }
    if (status >= 200 && status < 300)
        return DONE;
    if (status == 401 || status == 403) {
        pt_error_set(err, PT_ENET, url, "HTTP %ld: the credentials were refused; check "
                     "POOLTRIAGE_TICKET_USER, POOLTRIAGE_TICKET_TOKEN or "
                     "POOLTRIAGE_TICKET_PASSWORD", status);
        return FAIL;
    }
    if (status == 429) {
        long ra = x->retry_after >= 0 ? x->retry_after : *wait_ms / 1000;
        if (ra > o->max_retry_after) {
            pt_error_set(err, PT_ENET, url, "HTTP 429: the server asks to wait %ld s, more "
                         "than %ld s; run again later", ra, o->max_retry_after);
            return FAIL;
        }
        *wait_ms = x->retry_after >= 0 ? ra * 1000 : *wait_ms;
        pt_error_set(err, PT_ENET, url, "HTTP 429: too many requests; run again later");
        return RETRY;
    }
    pt_buf safe = {0};
    if (x->body.data)
        redact(o, x->body.data, x->body.len, &safe);
    pt_error_set(err, PT_ENET, url, "HTTP %ld: %.200s", status,
                 safe.data ? safe.data : x->body.data ? "(out of memory)" : "no body");
    pt_buf_free(&safe);
    return status >= 500 ? RETRY : FAIL;
}

pt_code pt_ticket_send(const pt_ticket_opts *o, const pt_ticket_request *req,
                       pt_ticket_response *out, pt_error *err)
{
    memset(out, 0, sizeof *out);
    pt_code rc = refuse_url(req->url, o->allow_http, err);
    if (rc != PT_OK)
        return rc;
    struct curl_slist *hdr = headers(o);
    if (hdr == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    for (int attempt = 0;; attempt++) {
        exchange x = {.retry_after = -1};
        CURL *c = easy(o, req, &x, hdr);
        if (c == NULL) {
            rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
            pt_buf_free(&x.body);
            break;
        }
        CURLcode cc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
        curl_easy_cleanup(c);
        out->tries = attempt + 1;
        long wait_ms = 0;
        verdict v = judge(o, cc, out->status, &x, attempt, &wait_ms, req->url, err);
        if (v == DONE)
            read_answer(o, &x.body, out);
        pt_buf_free(&x.body);
        if (v == DONE || v == FAIL || attempt >= o->retries) {
            rc = v == DONE ? PT_OK : PT_ENET;
            break;
        }
        sleep_ms(wait_ms);
    }
    curl_slist_free_all(hdr);
    return rc;
}

pt_code pt_ticket_jira_detect(const pt_ticket_opts *o, int *out, pt_error *err)
{
    pt_ticket_request req = {.method = "GET"};
    pt_ticket_response resp;
    snprintf(req.url, sizeof req.url, "%s/rest/api/2/serverInfo", o->url);
    pt_code rc = pt_ticket_send(o, &req, &resp, err);
    if (rc != PT_OK)
        return pt_error_set(err, rc, err->where, "%s; cannot tell which Jira REST API the "
                            "server has: give --jira-api 2 (Server, Data Center) or 3 (Cloud)",
                            err->message);
    if (strcasecmp(resp.deployment_type, "Cloud") == 0)
        *out = 3;
    else if (strcasecmp(resp.deployment_type, "Server") == 0 ||
             strcasecmp(resp.deployment_type, "DataCenter") == 0)
        *out = 2;
    else
        return pt_error_set(err, PT_ENET, req.url, "the answer names no known deploymentType "
                            "('%s'); give --jira-api 2 (Server, Data Center) or 3 (Cloud)",
                            resp.deployment_type);
    return PT_OK;
}
