/*
 * ticket_payload.c - the bodies `pooltriage ticket` sends: the generic
 * webhook JSON, the Jira create-issue payload (description in Atlassian
 * Document Format for REST API 3, wiki markup for 2) and comment, the
 * ServiceNow incident and its work note, and the Slack and Teams incoming
 * webhook messages.  No network here; docs/fleet.md shows every shape.
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
    switch (kind) {
    case PT_TICKET_JIRA: return "jira";
    case PT_TICKET_SERVICENOW: return "servicenow";
    case PT_TICKET_SLACK: return "slack";
    case PT_TICKET_TEAMS: return "teams";
    case PT_TICKET_WEBHOOK: break;
    }
    return "webhook";
}

bool pt_ticket_kind_parse(const char *name, pt_ticket_kind *out)
{
    for (int k = PT_TICKET_WEBHOOK; k <= PT_TICKET_TEAMS; k++)
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

/* How the description is marked up: plain text (ServiceNow, and Jira's ADF
 * paragraphs), Jira wiki markup (REST API 2) or Slack mrkdwn.  Text from
 * reports and the KB goes through `text`, so it cannot add markup of its
 * own; labels are bold where the flavour has bold. */
typedef struct flavour {
    void (*text)(pt_buf *out, const char *s);
    const char *bold, *unbold;
    void (*link)(pt_buf *out, const char *title, const char *url);
} flavour;

static void plain_text(pt_buf *out, const char *s) { pt_buf_puts(out, s ? s : ""); }

static void plain_link(pt_buf *out, const char *title, const char *url)
{
    pt_buf_printf(out, "%s%s%s", title ? title : "", title && url ? " " : "", url ? url : "");
}

/* A URL that may sit inside link markup: http(s), and none of the
 * characters that end a link in wiki markup or mrkdwn. */
static bool plain_url(const char *url)
{
    if (url == NULL || (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0))
        return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= ' ' || strchr("|[]<>{}\"'", *p))
            return false;
    return true;
}

/* Jira wiki markup: a backslash before each character that starts markup
 * (bold, italics, links, images, macros, tables, lists, headings). */
static void wiki_text(pt_buf *out, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("\\*_{}[]|^~+?!#-", *s))
            pt_buf_puts(out, "\\");
        pt_buf_append(out, s, 1);
    }
}

static void wiki_link(pt_buf *out, const char *title, const char *url)
{
    if (!plain_url(url)) {
        wiki_text(out, title);
        pt_buf_puts(out, title && url ? " " : "");
        wiki_text(out, url);
        return;
    }
    if (title == NULL) {
        pt_buf_printf(out, "[%s]", url);
        return;
    }
    pt_buf_puts(out, "[");
    wiki_text(out, title);
    pt_buf_printf(out, "|%s]", url);
}

/* Slack mrkdwn: &, < and > are the only characters Slack asks to escape. */
static void slack_text(pt_buf *out, const char *s)
{
    for (; s && *s; s++)
        pt_buf_puts(out, *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                         : (char[2]){*s, '\0'});
}

static void slack_link(pt_buf *out, const char *title, const char *url)
{
    if (!plain_url(url)) {
        slack_text(out, title);
        pt_buf_puts(out, title && url ? " " : "");
        slack_text(out, url);
        return;
    }
    pt_buf_printf(out, "<%s|", url);
    slack_text(out, title ? title : url);
    pt_buf_puts(out, ">");
}

static const flavour PLAIN = {plain_text, "", "", plain_link};
static const flavour WIKI = {wiki_text, "*", "*", wiki_link};
static const flavour SLACK = {slack_text, "*", "*", slack_link};

static void label(pt_buf *out, const flavour *f, const char *name)
{
    pt_buf_printf(out, "%s%s:%s ", f->bold, name, f->unbold);
}

static void bytes_line(pt_buf *out, const flavour *f, const pt_fleet_problem *p)
{
    label(out, f, "Pool");
    f->text(out, p->tag);
    pt_buf_puts(out, p->tag && p->pool ? " " : "");
    f->text(out, p->pool);
    if (p->bytes_min == PT_UNKNOWN)
        pt_buf_puts(out, ", bytes not known\n");
    else
        pt_buf_printf(out, ", %lld to %lld bytes\n", (long long)p->bytes_min,
                      (long long)p->bytes_max);
}

static void hosts_line(pt_buf *out, const flavour *f, const pt_fleet_problem *p)
{
    label(out, f, "Hosts affected");
    pt_buf_printf(out, "%zu:", p->host_count);
    for (size_t i = 0; i < p->host_name_count; i++) {
        pt_buf_puts(out, i ? ", " : " ");
        f->text(out, p->hosts[i]);
    }
    if (p->host_count > p->host_name_count)
        pt_buf_printf(out, " (the first %zu are listed)", p->host_name_count);
    pt_buf_puts(out, "\n");
}

/* The first line: "KNOWN LEAK on 3 hosts: PT-0001 title". */
static void headline_line(pt_buf *out, const flavour *f, const pt_fleet_problem *p)
{
    pt_buf_printf(out, "%s%s on %zu host%s:%s ", f->bold, level_words[p->level], p->host_count,
                  p->host_count == 1 ? "" : "s", f->unbold);
    if (p->kb_id) {
        f->text(out, p->kb_id);
        pt_buf_puts(out, " ");
    }
    f->text(out, headline(p));
    pt_buf_puts(out, "\n");
}

/* The description, one fact a line, in the given markup. */
static void describe_in(const pt_fleet_problem *p, const flavour *f, pt_buf *out)
{
    char first[40], last[40];
    headline_line(out, f, p);
    hosts_line(out, f, p);
    if (p->driver) {
        label(out, f, "Driver");
        f->text(out, p->driver);
        for (size_t i = 0; i < p->version_count; i++) {
            pt_buf_puts(out, i ? ", " : ", version ");
            f->text(out, p->versions[i]);
        }
        pt_buf_puts(out, "\n");
    }
    bytes_line(out, f, p);
    time_or(first, sizeof first, p->first_seen);
    time_or(last, sizeof last, p->last_seen);
    label(out, f, "First seen");
    f->text(out, first);
    pt_buf_puts(out, "; last seen: ");
    f->text(out, last);
    pt_buf_printf(out, " (%zu report%s)\n", p->report_count, p->report_count == 1 ? "" : "s");
    if (p->kb_id) {
        label(out, f, "Fixed in");
        f->text(out, p->fixed_in ? p->fixed_in : "not known");
        pt_buf_puts(out, "\n");
    }
    if (p->action) {
        label(out, f, "What to do");
        f->text(out, p->action);
        pt_buf_puts(out, "\n");
    }
    for (size_t i = 0; i < p->ref_count; i++) {
        const pt_fleet_ref *r = &p->refs[i];
        pt_buf_printf(out, "%sLink (", f->bold);
        f->text(out, r->kind ? r->kind : "link");
        pt_buf_printf(out, "):%s ", f->unbold);
        f->link(out, r->title, r->url);
        pt_buf_puts(out, "\n");
        if (r->archived_url) {
            label(out, f, "Archived");
            f->link(out, NULL, r->archived_url);
            pt_buf_puts(out, "\n");
        }
    }
    label(out, f, "Fingerprint");
    pt_buf_printf(out, "%s (rule ", p->fingerprint);
    f->text(out, p->rule);
    pt_buf_puts(out, ")\n");
}

/* The plain-text description (ServiceNow; Jira turns each line into a
 * paragraph). */
static void description(const pt_fleet_problem *p, pt_buf *out)
{
    describe_in(p, &PLAIN, out);
}

/* The note added to an existing ticket. */
static void update_in(const pt_fleet_problem *p, const char *const *hosts, size_t count,
                      const flavour *f, pt_buf *out)
{
    char last[40];
    time_or(last, sizeof last, p->last_seen);
    pt_buf_printf(out, "pooltriage: now %s on %zu host%s (last seen ", level_words[p->level],
                  p->host_count, p->host_count == 1 ? "" : "s");
    f->text(out, last);
    pt_buf_puts(out, ").");
    if (count) {
        pt_buf_printf(out, " New host%s:", count == 1 ? "" : "s");
        for (size_t i = 0; i < count; i++) {
            pt_buf_puts(out, i ? ", " : " ");
            f->text(out, hosts[i]);
        }
        pt_buf_puts(out, ".");
    }
    pt_buf_printf(out, " Fingerprint: %s", p->fingerprint);
}

static void update_note(const pt_fleet_problem *p, const char *const *hosts, size_t count,
                        pt_buf *out)
{
    update_in(p, hosts, count, &PLAIN, out);
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

/* Jira: REST API 3 (Cloud) takes Atlassian Document Format, REST API 2
 * (Server and Data Center) a string in wiki markup. */
static pt_code jira(const pt_ticket_opts *o, const pt_fleet_problem *p,
                    const pt_ticket_rec *existing, const char *const *hosts, size_t count,
                    pt_ticket_request *out)
{
    pt_buf text = {0};
    cJSON *root = cJSON_CreateObject();
    int api = o->jira_api == 2 ? 2 : 3;
    out->method = "POST";
    if (existing) {
        update_in(p, hosts, count, api == 2 ? &WIKI : &PLAIN, &text);
        snprintf(out->url, sizeof out->url, "%s/rest/api/%d/issue/%s/comment", o->url, api,
                 existing->id);
        cJSON_AddItemToObject(root, "body", api == 2 ? cJSON_CreateString(text.data ? text.data
                                                                                    : "")
                                                     : adf_doc(text.data));
    } else {
        describe_in(p, api == 2 ? &WIKI : &PLAIN, &text);
        snprintf(out->url, sizeof out->url, "%s/rest/api/%d/issue", o->url, api);
        cJSON *fields = cJSON_AddObjectToObject(root, "fields");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(fields, "project"), "key", o->project);
        cJSON_AddItemToObject(fields, "summary", summary_json(p, PT_TICKET_JIRA_SUMMARY_MAX));
        cJSON_AddItemToObject(fields, "description",
                              api == 2 ? cJSON_CreateString(text.data ? text.data : "")
                                       : adf_doc(text.data));
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

/* Slack incoming webhook: "text" is the notification fallback, "blocks"
 * the message (a header and one mrkdwn section).  Incoming webhooks cannot
 * edit a message, so an update is a second message naming the new hosts. */
static pt_code slack(const pt_ticket_opts *o, const pt_fleet_problem *p,
                     const pt_ticket_rec *existing, const char *const *hosts, size_t count,
                     pt_ticket_request *out)
{
    pt_buf text = {0};
    cJSON *root = cJSON_CreateObject();
    cJSON *blocks = cJSON_CreateArray();
    out->method = "POST";
    snprintf(out->url, sizeof out->url, "%s", o->url);
    cJSON_AddItemToObject(root, "text", summary_json(p, PT_TICKET_SLACK_TEXT_MAX));
    cJSON *header = cJSON_CreateObject();
    cJSON_AddStringToObject(header, "type", "header");
    cJSON *htext = cJSON_AddObjectToObject(header, "text");
    cJSON_AddStringToObject(htext, "type", "plain_text");
    cJSON_AddItemToObject(htext, "text", summary_json(p, PT_TICKET_SLACK_HEADER_MAX));
    cJSON_AddItemToArray(blocks, header);
    if (existing)
        update_in(p, hosts, count, &SLACK, &text);
    else
        describe_in(p, &SLACK, &text);
    /* a section's text holds at most 3,000 characters */
    if (text.len > PT_TICKET_SLACK_SECTION_MAX) {
        size_t n = PT_TICKET_SLACK_SECTION_MAX;
        while (n > 0 && ((unsigned char)text.data[n] & 0xC0) == 0x80)
            n--;
        text.len = n;
        text.data[n] = '\0';
    }
    cJSON *section = cJSON_CreateObject();
    cJSON_AddStringToObject(section, "type", "section");
    cJSON *stext = cJSON_AddObjectToObject(section, "text");
    cJSON_AddStringToObject(stext, "type", "mrkdwn");
    cJSON_AddStringToObject(stext, "text", text.data ? text.data : "");
    cJSON_AddItemToArray(blocks, section);
    cJSON_AddItemToObject(root, "blocks", blocks);
    bool ok = !text.failed && print_into(root, &out->body);
    pt_buf_free(&text);
    return ok ? PT_OK : PT_ENOMEM;
}

/* Teams: a Workflows "post to a channel when a webhook request is
 * received" flow takes a message with one Adaptive Card attachment.  Text
 * blocks are plain (markdown off is not an option in cards, so the few
 * characters that start markdown are escaped); links are OpenUrl actions. */
static void teams_text(pt_buf *out, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("\\*_[]()#>~`", *s))
            pt_buf_puts(out, "\\");
        pt_buf_append(out, s, 1);
    }
}

static cJSON *teams_block(const char *text, bool title)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "type", "TextBlock");
    cJSON_AddStringToObject(b, "text", text ? text : "");
    cJSON_AddBoolToObject(b, "wrap", 1);
    if (title) {
        cJSON_AddStringToObject(b, "size", "Medium");
        cJSON_AddStringToObject(b, "weight", "Bolder");
    }
    return b;
}

static pt_code teams(const pt_ticket_opts *o, const pt_fleet_problem *p,
                     const pt_ticket_rec *existing, const char *const *hosts, size_t count,
                     pt_ticket_request *out)
{
    static const flavour TEAMS = {teams_text, "**", "**", plain_link};
    pt_buf title = {0}, text = {0}, escaped = {0};
    out->method = "POST";
    snprintf(out->url, sizeof out->url, "%s", o->url);
    summary(p, PT_TICKET_JIRA_SUMMARY_MAX, &title);
    teams_text(&escaped, title.data);
    if (existing)
        update_in(p, hosts, count, &TEAMS, &text);
    else
        describe_in(p, &TEAMS, &text);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "type", "message");
    cJSON *att = cJSON_CreateObject();
    cJSON_AddStringToObject(att, "contentType", "application/vnd.microsoft.card.adaptive");
    cJSON_AddNullToObject(att, "contentUrl");
    cJSON *card = cJSON_AddObjectToObject(att, "content");
    cJSON_AddStringToObject(card, "$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    cJSON_AddStringToObject(card, "type", "AdaptiveCard");
    cJSON_AddStringToObject(card, "version", "1.4");
    cJSON *body = cJSON_AddArrayToObject(card, "body");
    cJSON_AddItemToArray(body, teams_block(escaped.data, true));
    /* one block per line: Teams drops single line breaks inside a block */
    for (const char *q = text.data; q && *q;) {
        size_t len = strcspn(q, "\n");
        pt_buf line = {0};
        pt_buf_append(&line, q, len);
        if (len)
            cJSON_AddItemToArray(body, teams_block(line.data, false));
        pt_buf_free(&line);
        q += len + (q[len] == '\n');
    }
    cJSON *actions = cJSON_AddArrayToObject(card, "actions");
    for (size_t i = 0; !existing && i < p->ref_count && i < PT_TICKET_TEAMS_MAX_ACTIONS; i++) {
        if (!plain_url(p->refs[i].url))
            continue;
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "type", "Action.OpenUrl");
        cJSON_AddStringToObject(a, "title", p->refs[i].title ? p->refs[i].title
                                                             : p->refs[i].url);
        cJSON_AddStringToObject(a, "url", p->refs[i].url);
        cJSON_AddItemToArray(actions, a);
    }
    cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "attachments"), att);
    bool ok = !title.failed && !text.failed && !escaped.failed && print_into(root, &out->body);
    pt_buf_free(&title);
    pt_buf_free(&text);
    pt_buf_free(&escaped);
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
    pt_code rc;
    switch (o->kind) {
    case PT_TICKET_JIRA: rc = jira(o, p, existing, new_hosts, new_count, out); break;
    case PT_TICKET_SERVICENOW:
        rc = servicenow(o, p, existing, new_hosts, new_count, out);
        break;
    case PT_TICKET_SLACK: rc = slack(o, p, existing, new_hosts, new_count, out); break;
    case PT_TICKET_TEAMS: rc = teams(o, p, existing, new_hosts, new_count, out); break;
    default: rc = webhook(o, p, existing, new_hosts, new_count, out); break;
    }
    if (rc != PT_OK) {
        pt_buf_free(&out->body);
        return pt_error_set(err, rc, "", "out of memory");
    }
    return PT_OK;
}
