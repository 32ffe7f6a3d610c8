/*
 * ticket_payload.c - the bodies `pooltriage ticket` sends: the generic
 * webhook JSON, the Jira create-issue payload (description in Atlassian
 * Document Format) and comment, and the ServiceNow incident and its work
 * note.  No network here; docs/fleet.md shows every shape.
 */
#include "pooltriage/pooltriage.h"
#include "pt_ticket.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

static const char *const level_words[] = {"CLEAN", "INFO", "SUSPECT", "LIKELY LEAK",
                                          "KNOWN LEAK"};

const char *pt_ticket_kind_name(pt_ticket_kind kind)
{
    return kind == PT_TICKET_JIRA ? "jira" : kind == PT_TICKET_SERVICENOW ? "servicenow"
                                                                          : "webhook";
}

bool pt_ticket_kind_parse(const char *name, pt_ticket_kind *out)
{
    for (int k = PT_TICKET_WEBHOOK; k <= PT_TICKET_SERVICENOW; k++)
        if (strcmp(name, pt_ticket_kind_name((pt_ticket_kind)k)) == 0) {
            *out = (pt_ticket_kind)k;
            return true;
        }
    return false;
}

void pt_ticket_opts_init(pt_ticket_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_level = PT_LEVEL_LIKELY;
    o->timeout = PT_TICKET_DEFAULT_TIMEOUT;
    o->connect_timeout = PT_TICKET_DEFAULT_CONNECT_TIMEOUT;
    o->retries = PT_TICKET_DEFAULT_RETRIES;
    o->retry_delay_ms = PT_TICKET_DEFAULT_RETRY_DELAY_MS;
    o->max_retry_after = PT_TICKET_DEFAULT_MAX_RETRY_AFTER;
}

/* ---- text ---- */

static const char *headline(const pt_fleet_problem *p)
{
    return p->kb_title ? p->kb_title : p->title ? p->title : p->rule;
}

/* "[pooltriage] KNOWN LEAK: PT-0001 title", cut at a UTF-8 boundary. */
static void summary(const pt_fleet_problem *p, size_t max, pt_buf *out)
{
    pt_buf s = {0};
    pt_buf_printf(&s, "[pooltriage] %s: %s%s%s", level_words[p->level],
                  p->kb_id ? p->kb_id : "", p->kb_id ? " " : "", headline(p));
    size_t n = s.len;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s.data[n] & 0xC0) == 0x80)
            n--;
    }
    if (s.data)
        pt_buf_append(out, s.data, n);
    out->failed |= s.failed;
    pt_buf_free(&s);
}

static void time_or(char *buf, size_t len, int64_t t)
{
    if (t == PT_UNKNOWN)
        snprintf(buf, len, "not known");
    else
        pt_time_format(t, buf, len);
}

static void bytes_line(pt_buf *out, const pt_fleet_problem *p)
{
    pt_buf_printf(out, "Pool: %s%s%s", p->tag ? p->tag : "", p->tag && p->pool ? " " : "",
                  p->pool ? p->pool : "");
    if (p->bytes_min == PT_UNKNOWN)
        pt_buf_puts(out, ", bytes not known\n");
    else
        pt_buf_printf(out, ", %lld to %lld bytes\n", (long long)p->bytes_min,
                      (long long)p->bytes_max);
}

static void hosts_line(pt_buf *out, const pt_fleet_problem *p)
{
    pt_buf_printf(out, "Hosts affected: %zu:", p->host_count);
    for (size_t i = 0; i < p->host_name_count; i++)
        pt_buf_printf(out, "%s %s", i ? "," : "", p->hosts[i]);
    if (p->host_count > p->host_name_count)
        pt_buf_printf(out, " (the first %zu are listed)", p->host_name_count);
    pt_buf_puts(out, "\n");
}

/* The plain-text description (ServiceNow; Jira turns each line into a
 * paragraph). */
static void description(const pt_fleet_problem *p, pt_buf *out)
{
    char first[40], last[40];
    pt_buf_printf(out, "%s on %zu host%s: %s%s%s\n", level_words[p->level], p->host_count,
                  p->host_count == 1 ? "" : "s", p->kb_id ? p->kb_id : "",
                  p->kb_id ? " " : "", headline(p));
    hosts_line(out, p);
    if (p->driver) {
        pt_buf_printf(out, "Driver: %s", p->driver);
        for (size_t i = 0; i < p->version_count; i++)
            pt_buf_printf(out, "%s%s", i ? ", " : ", version ", p->versions[i]);
        pt_buf_puts(out, "\n");
    }
    bytes_line(out, p);
    time_or(first, sizeof first, p->first_seen);
    time_or(last, sizeof last, p->last_seen);
    pt_buf_printf(out, "First seen: %s; last seen: %s (%zu report%s)\n", first, last,
                  p->report_count, p->report_count == 1 ? "" : "s");
    if (p->kb_id)
        pt_buf_printf(out, "Fixed in: %s\n", p->fixed_in ? p->fixed_in : "not known");
    if (p->action)
        pt_buf_printf(out, "What to do: %s\n", p->action);
    for (size_t i = 0; i < p->ref_count; i++) {
        const pt_fleet_ref *r = &p->refs[i];
        pt_buf_printf(out, "Link (%s): %s%s%s\n", r->kind ? r->kind : "link",
                      r->title ? r->title : "", r->title && r->url ? " " : "",
                      r->url ? r->url : "");
        if (r->archived_url)
            pt_buf_printf(out, "Archived: %s\n", r->archived_url);
    }
    pt_buf_printf(out, "Fingerprint: %s (rule %s)\n", p->fingerprint, p->rule);
}

/* The note added to an existing ticket. */
static void update_note(const pt_fleet_problem *p, const char *const *hosts, size_t count,
                        pt_buf *out)
{
    char last[40];
    time_or(last, sizeof last, p->last_seen);
    pt_buf_printf(out, "pooltriage: now %s on %zu host%s (last seen %s).", level_words[p->level],
                  p->host_count, p->host_count == 1 ? "" : "s", last);
    if (count) {
        pt_buf_printf(out, " New host%s:", count == 1 ? "" : "s");
        for (size_t i = 0; i < count; i++)
            pt_buf_printf(out, "%s %s", i ? "," : "", hosts[i]);
        pt_buf_puts(out, ".");
    }
    pt_buf_printf(out, " Fingerprint: %s", p->fingerprint);
}

/* ---- JSON helpers ---- */

static bool print_into(cJSON *root, pt_buf *out)
{
    char *text = root ? cJSON_PrintUnformatted(root) : NULL;
    if (text)
        pt_buf_puts(out, text);
    pt_free(text);
    cJSON_Delete(root);
    return text != NULL && !out->failed;
}

static cJSON *text_of(void (*fn)(const pt_fleet_problem *, pt_buf *), const pt_fleet_problem *p)
{
    pt_buf b = {0};
    fn(p, &b);
    cJSON *s = b.failed ? NULL : cJSON_CreateString(b.data ? b.data : "");
    pt_buf_free(&b);
    return s;
}

static cJSON *summary_json(const pt_fleet_problem *p, size_t max)
{
    pt_buf b = {0};
    summary(p, max, &b);
    cJSON *s = b.failed ? NULL : cJSON_CreateString(b.data ? b.data : "");
    pt_buf_free(&b);
    return s;
}

/* ---- Atlassian Document Format: one paragraph per line, URLs linked ---- */

static void adf_add_text(cJSON *content, const char *s, size_t len, const char *href)
{
    if (len == 0)
        return;
    char *copy = pt_malloc(len + 1);
    if (copy == NULL)
        return;
    memcpy(copy, s, len);
    copy[len] = '\0';
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "type", "text");
    cJSON_AddStringToObject(t, "text", copy);
    if (href) {
        cJSON *mark = cJSON_CreateObject();
        cJSON_AddStringToObject(mark, "type", "link");
        cJSON *attrs = cJSON_AddObjectToObject(mark, "attrs");
        cJSON_AddStringToObject(attrs, "href", copy);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(t, "marks"), mark);
    }
    cJSON_AddItemToArray(content, t);
    pt_free(copy);
}

static cJSON *adf_paragraph(const char *line, size_t len)
{
    cJSON *para = cJSON_CreateObject();
    cJSON_AddStringToObject(para, "type", "paragraph");
    cJSON *content = cJSON_AddArrayToObject(para, "content");
    const char *p = line, *end = line + len;
    while (p < end) {
        const char *u = NULL;
        for (const char *q = p; q + 8 <= end && !u; q++)
            if (strncmp(q, "https://", 8) == 0 || strncmp(q, "http://", 7) == 0)
                u = q;
        if (u == NULL) {
            adf_add_text(content, p, (size_t)(end - p), NULL);
            break;
        }
        adf_add_text(content, p, (size_t)(u - p), NULL);
        const char *ue = u;
        while (ue < end && *ue != ' ')
            ue++;
        char href[2048];
        snprintf(href, sizeof href, "%.*s", (int)(ue - u), u);
        adf_add_text(content, u, (size_t)(ue - u), href);
        p = ue;
    }
    return para;
}

static cJSON *adf_doc(const char *text)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "type", "doc");
    cJSON_AddNumberToObject(doc, "version", 1);
    cJSON *content = cJSON_AddArrayToObject(doc, "content");
    for (const char *p = text; p && *p;) {
        size_t len = strcspn(p, "\n");
        if (len)
            cJSON_AddItemToArray(content, adf_paragraph(p, len));
        p += len + (p[len] == '\n');
    }
    return doc;
}

/* ---- the three systems ---- */

static cJSON *hosts_array(const char *const *hosts, size_t count)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < count; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(hosts[i]));
    return arr;
}

static pt_code webhook(const pt_ticket_opts *o, const pt_fleet_problem *p,
                       const pt_ticket_rec *existing, const char *const *hosts, size_t count,
                       pt_ticket_request *out)
{
    pt_buf problem = {0};
    pt_fleet_problem_json(p, &problem);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "pooltriage.ticket/1");
    cJSON_AddStringToObject(root, "event", existing ? "update" : "create");
    cJSON_AddItemToObject(root, "ticket_id", existing ? cJSON_CreateString(existing->id)
                                                      : cJSON_CreateNull());
    cJSON_AddStringToObject(root, "fingerprint", p->fingerprint);
    cJSON_AddItemToObject(root, "summary", summary_json(p, PT_TICKET_JIRA_SUMMARY_MAX));
    cJSON_AddItemToObject(root, "description", text_of(pt_fleet_problem_markdown, p));
    cJSON_AddItemToObject(root, "new_hosts", hosts_array(hosts, count));
    cJSON_AddItemToObject(root, "problem", problem.failed ? NULL : cJSON_Parse(problem.data));
    pt_buf_free(&problem);
    out->method = "POST";
    snprintf(out->url, sizeof out->url, "%s", o->url);
    return print_into(root, &out->body) ? PT_OK : PT_ENOMEM;
}

static pt_code jira(const pt_ticket_opts *o, const pt_fleet_problem *p,
                    const pt_ticket_rec *existing, const char *const *hosts, size_t count,
                    pt_ticket_request *out)
{
    pt_buf text = {0};
    cJSON *root = cJSON_CreateObject();
    out->method = "POST";
    if (existing) {
        update_note(p, hosts, count, &text);
        snprintf(out->url, sizeof out->url, "%s/rest/api/3/issue/%s/comment", o->url,
                 existing->id);
        cJSON_AddItemToObject(root, "body", adf_doc(text.data));
    } else {
        description(p, &text);
        snprintf(out->url, sizeof out->url, "%s/rest/api/3/issue", o->url);
        cJSON *fields = cJSON_AddObjectToObject(root, "fields");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(fields, "project"), "key", o->project);
        cJSON_AddItemToObject(fields, "summary", summary_json(p, PT_TICKET_JIRA_SUMMARY_MAX));
        cJSON_AddItemToObject(fields, "description", adf_doc(text.data));
        cJSON *labels = cJSON_AddArrayToObject(fields, "labels");
        cJSON_AddItemToArray(labels, cJSON_CreateString("pooltriage"));
        cJSON_AddItemToArray(labels, cJSON_CreateString(p->fingerprint));
        cJSON_AddStringToObject(cJSON_AddObjectToObject(fields, "issuetype"), "name",
                                o->issue_type ? o->issue_type : "Bug");
    }
    bool ok = !text.failed && print_into(root, &out->body);
    pt_buf_free(&text);
    return ok ? PT_OK : PT_ENOMEM;
}

static pt_code servicenow(const pt_ticket_opts *o, const pt_fleet_problem *p,
                          const pt_ticket_rec *existing, const char *const *hosts,
                          size_t count, pt_ticket_request *out)
{
    pt_buf text = {0};
    cJSON *root = cJSON_CreateObject();
    if (existing) {
        update_note(p, hosts, count, &text);
        out->method = "PATCH";
        snprintf(out->url, sizeof out->url, "%s/api/now/table/incident/%s", o->url,
                 existing->id);
        cJSON_AddStringToObject(root, "work_notes", text.data ? text.data : "");
    } else {
        description(p, &text);
        out->method = "POST";
        snprintf(out->url, sizeof out->url, "%s/api/now/table/incident", o->url);
        cJSON_AddItemToObject(root, "short_description",
                              summary_json(p, PT_TICKET_SNOW_SUMMARY_MAX));
        cJSON_AddStringToObject(root, "description", text.data ? text.data : "");
        cJSON_AddStringToObject(root, "correlation_id", p->fingerprint);
        cJSON_AddStringToObject(root, "correlation_display", "pooltriage");
    }
    bool ok = !text.failed && print_into(root, &out->body);
    pt_buf_free(&text);
    return ok ? PT_OK : PT_ENOMEM;
}

pt_code pt_ticket_payload(const pt_ticket_opts *o, const pt_fleet_problem *p,
                          const pt_ticket_rec *existing, const char *const *new_hosts,
                          size_t new_count, pt_ticket_request *out, pt_error *err)
{
    memset(out, 0, sizeof *out);
    out->update = existing != NULL;
    if (o->kind == PT_TICKET_JIRA && (o->project == NULL || o->project[0] == '\0'))
        return pt_error_set(err, PT_EUSAGE, "", "a Jira ticket needs a project key: set "
                            "POOLTRIAGE_JIRA_PROJECT or give --project KEY");
    pt_code rc = o->kind == PT_TICKET_JIRA ? jira(o, p, existing, new_hosts, new_count, out)
                 : o->kind == PT_TICKET_SERVICENOW
                     ? servicenow(o, p, existing, new_hosts, new_count, out)
                     : webhook(o, p, existing, new_hosts, new_count, out);
    if (rc != PT_OK) {
        pt_buf_free(&out->body);
        return pt_error_set(err, rc, "", "out of memory");
    }
    return PT_OK;
}
