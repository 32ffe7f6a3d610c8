/*
 * ticket.c - `pooltriage ticket`: the network half.  Loads credentials from
 * the environment and sends each payload through the transport
 * (transport.c: https, or http to loopback; timeouts; bounded retries,
 * Retry-After), reading the ticket out of the answer.
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"
#include "pt_ticket.h"
#include "transport.h"
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
                          "%s", pt_platform_private_hint());
        goto done;
    }
    char line[PT_TICKET_MAX_SECRET + 64], where[4200];
    for (unsigned no = 1; rc == PT_OK && fgets(line, sizeof line, f); no++) {
        snprintf(where, sizeof where, "%s:%u", path, no);
        rc = pt_fetch_line_whole(line, sizeof line, f, where, err);
        if (rc == PT_OK)   /* past a UTF-8 BOM (Notepad) on the first line */
            rc = creds_line(c, line + (no == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0),
                            where, err);
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

/* https://, or http:// to loopback, or to any host when the admin allowed
 * it (--allow-http, ticket_allow_http). */
static pt_code refuse_url(const char *url, bool allow_http, pt_error *err)
{
    char where[512];
    pt_net_url_safe(url, where, sizeof where);
    if (strncasecmp(url, "https://", 8) != 0 && strncasecmp(url, "http://", 7) != 0)
        return pt_error_set(err, PT_ENET, where, "not an http(s) URL; give --url https://HOST");
    return pt_net_url_check(url, allow_http ? PT_NET_HTTP_ANY : PT_NET_HTTP_LOOPBACK, false,
                            err);
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

/* The transport's options for a ticket system. */
static void net_opts(const pt_ticket_opts *o, pt_net_opts *n)
{
    memset(n, 0, sizeof *n);
    n->allow = o->allow_http ? PT_NET_HTTP_ANY : PT_NET_HTTP_LOOPBACK;
    n->redirects = PT_NET_REDIRECT_NONE;
    n->connect_timeout = o->connect_timeout;
    n->timeout = o->timeout;
    n->max_size = PT_TICKET_MAX_RESPONSE;
    n->ca_file = o->ca_file;
    n->retries = o->retries;
    n->retry_delay_ms = o->retry_delay_ms;
    n->max_retry_after = o->max_retry_after;
    n->noun = "request";
    n->body_noun = "the answer";
    n->url_hint = "the URL";
    n->timeout_hint = "check the ticket system, then run again";
    n->size_hint = "a ticket system answers in a few hundred bytes: check --url";
    n->ca_hint = "--ca-file";
}

/* The message for an answer that is not a success. */
static pt_code refused(const pt_ticket_opts *o, const pt_net_result *r, const pt_buf *body,
                       pt_error *err)
{
    if (r->status == 401 || r->status == 403)
        return pt_error_set(err, PT_ENET, r->where, "HTTP %ld: the credentials were refused; "
                            "check POOLTRIAGE_TICKET_USER, POOLTRIAGE_TICKET_TOKEN or "
                            "POOLTRIAGE_TICKET_PASSWORD", r->status);
    if (r->status == 429)
        return pt_error_set(err, PT_ENET, r->where, "HTTP 429: too many requests (tries: %d); "
                            "run again later", r->tries);
    pt_buf safe = {0};
    if (body->data)
        redact(o, body->data, body->len, &safe);
    pt_error_set(err, PT_ENET, r->where, "HTTP %ld: %.200s", r->status,
                 safe.data ? safe.data : body->data ? "(out of memory)" : "no body");
    pt_buf_free(&safe);
    return PT_ENET;
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
    pt_net_opts n;
    net_opts(o, &n);
    const pt_ticket_creds *c = &o->creds;
    const pt_net_request q = {
        .url = req->url,
        .method = req->method,
        .body = req->body.data,
        .body_len = req->body.len,
        .headers = hdr,
        .user = c->user[0] ? c->user : NULL,
        .password = c->password[0] ? c->password : c->token,
    };
    pt_buf body = {0};
    pt_net_result r = {0};
    r.mem = &body;
    rc = pt_net_perform(&n, &q, &r, err);
    out->status = r.status;
    out->tries = r.tries;
    bool idempotent = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
    if (rc != PT_OK && r.cc == CURLE_OPERATION_TIMEDOUT && !idempotent)
        rc = pt_error_set(err, PT_ENET, r.where, "no answer within %ld s (not retried: the "
                          "server may have filed it); check the ticket system, then run "
                          "again", o->timeout);
    else if (rc == PT_OK && r.status >= 200 && r.status < 300)
        read_answer(o, &body, out);
    else if (rc == PT_OK)
        rc = refused(o, &r, &body, err);
    pt_buf_free(&body);
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
