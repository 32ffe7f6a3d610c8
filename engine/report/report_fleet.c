/*
 * report_fleet.c - the report stage for a fleet: the problems of
 * a pt_fleet as text, Markdown, one line of JSON (pooltriage.fleet/1) or
 * CSV, and one problem as a ticket body or a JSON object for the payloads.
 */
#include "pooltriage/pooltriage.h"
#include "pt_json.h"
#include "pt_report.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

#define PT_FLEET_SCHEMA "pooltriage.fleet/1"
/* Host names printed per problem in text; the rest are in the other formats. */
#define TEXT_HOSTS 10

static const char *const level_words[] = {"CLEAN", "INFO", "SUSPECT", "LIKELY LEAK",
                                          "KNOWN LEAK"};

static void time_or(char *buf, size_t len, int64_t t, const char *none)
{
    if (t == PT_UNKNOWN)
        snprintf(buf, len, "%s", none);
    else
        pt_time_format(t, buf, len);
}

static void bytes_range(pt_buf *out, const pt_fleet_problem *p)
{
    char lo[40], hi[40];
    if (p->bytes_min == PT_UNKNOWN) {
        pt_buf_puts(out, "not known");
        return;
    }
    pt_report_commas((uint64_t)p->bytes_min, lo, sizeof lo);
    pt_report_commas((uint64_t)p->bytes_max, hi, sizeof hi);
    if (p->bytes_min == p->bytes_max)
        pt_term_printf(out, "%s bytes", lo);
    else
        pt_term_printf(out, "%s to %s bytes", lo, hi);
}

static const char *headline(const pt_fleet_problem *p)
{
    return p->kb_title ? p->kb_title : p->title ? p->title : p->rule;
}

static void fleet_summary(pt_fleet *f, pt_buf *out)
{
    pt_fleet_stats st;
    pt_fleet_stats_get(f, &st);
    size_t n = pt_fleet_count(f);
    pt_term_printf(out, "%zu problem%s on %s%zu host%s (%zu report%s read, %zu skipped, "
                  "%zu with no finding)", n, n == 1 ? "" : "s", st.hosts_approx ? "about " : "",
                  st.hosts, st.hosts == 1 ? "" : "s", st.reports, st.reports == 1 ? "" : "s",
                  st.skipped, st.clean);
}

/* ---- text ---- */

static void text_level(pt_buf *out, pt_level level, const pt_report_opts *o)
{
    static const char *const colours[] = {"32", "36", "33", "31", "1;31"};
    if (o && o->color)
        pt_term_printf(out, "\033[%sm%s\033[0m", colours[level], level_words[level]);
    else
        pt_buf_puts(out, level_words[level]);
}

static void text_hosts(pt_buf *out, const pt_fleet_problem *p)
{
    pt_term_printf(out, "  hosts:       %s%zu affected:", p->host_count_approx ? "about " : "",
                  p->host_count);
    size_t shown = p->host_name_count < TEXT_HOSTS ? p->host_name_count : TEXT_HOSTS;
    for (size_t i = 0; i < shown; i++)
        pt_term_printf(out, "%s %s", i ? "," : "", p->hosts[i]);
    if (p->host_count > shown)
        pt_term_printf(out, " and %zu more", p->host_count - shown);
    pt_buf_puts(out, "\n");
}

static void text_problem(pt_buf *out, const pt_fleet_problem *p, const pt_report_opts *o)
{
    char first[40], last[40];
    text_level(out, p->level, o);
    pt_buf_puts(out, ": ");
    if (p->kb_id)
        pt_term_printf(out, "%s ", p->kb_id);
    pt_term_printf(out, "%s\n", headline(p));
    text_hosts(out, p);
    if (p->driver) {
        pt_term_printf(out, "  driver:      %s", p->driver);
        for (size_t i = 0; i < p->version_count; i++)
            pt_term_printf(out, "%s%s", i ? ", " : ", version ", p->versions[i]);
        pt_buf_puts(out, "\n");
    }
    pt_term_printf(out, "  pool bytes:  %s%s%s", p->tag ? p->tag : "", p->tag ? " " : "",
                  p->pool ? p->pool : "");
    pt_buf_puts(out, p->tag || p->pool ? ", " : "");
    bytes_range(out, p);
    time_or(first, sizeof first, p->first_seen, "not known");
    time_or(last, sizeof last, p->last_seen, "not known");
    pt_term_printf(out, "\n  first seen:  %s\n  last seen:   %s (%zu report%s)\n", first, last,
                  p->report_count, p->report_count == 1 ? "" : "s");
    if (p->os_count) {
        pt_buf_puts(out, "  OS builds:  ");
        for (size_t i = 0; i < p->os_count; i++)
            pt_term_printf(out, "%s %s", i ? "," : "", p->os_versions[i]);
        pt_buf_puts(out, "\n");
    }
    if (p->growth_max > 0)
        pt_term_printf(out, "  growth:      up to %.1f MiB/h\n", p->growth_max / 1048576.0);
    if (p->hours_min >= 0)
        pt_term_printf(out, "  time left:   %s reaches its pool limit first, in about %.0f h\n",
                      p->hours_min_host ? p->hours_min_host : "a host", p->hours_min);
    for (size_t i = 0; i < p->ref_count; i++) {
        const pt_fleet_ref *r = &p->refs[i];
        pt_term_printf(out, "  [%s] %s\n", r->kind ? r->kind : "link", r->title ? r->title : "");
        if (r->url)
            pt_term_printf(out, "      %s\n", r->url);
        if (r->archived_url)
            pt_term_printf(out, "      archived: %s\n", r->archived_url);
    }
    if (p->fixed_in)
        pt_term_printf(out, "  fixed in:    %s\n", p->fixed_in);
    if (p->action)
        pt_term_printf(out, "  What to do: %s\n", p->action);
    pt_term_printf(out, "  Fingerprint: %s (%s; rule", p->fingerprint, p->kind ? p->kind : "leak");
    for (size_t i = 0; i < p->rule_count; i++)
        pt_term_printf(out, "%s %s", i ? "," : "", p->rules[i]);
    pt_buf_puts(out, p->rule_count ? ")\n" : " ?)\n");
}

void pt_fleet_report_text(pt_fleet *f, const pt_report_opts *opts, pt_buf *out)
{
    fleet_summary(f, out);
    pt_buf_puts(out, "\n");
    for (size_t i = 0; i < pt_fleet_count(f); i++) {
        pt_buf_puts(out, "\n");
        text_problem(out, pt_fleet_problem_at(f, i), opts);
    }
    if (pt_fleet_count(f) && pt_fleet_level(f) < PT_LEVEL_LIKELY)
        pt_buf_puts(out, "\nNo problem is at level likely or known.\n");
}

/* ---- Markdown ---- */

static void md_row_text(pt_buf *out, const char *name, const char *value)
{
    pt_buf_printf(out, "| %s | ", name);
    pt_md_text(out, value ? value : "not known");
    pt_buf_puts(out, " |\n");
}

static void md_facts(pt_buf *out, const pt_fleet_problem *p)
{
    char first[40], last[40];
    pt_buf_puts(out, "| | |\n|---|---|\n");
    pt_buf_printf(out, "| Level | %s |\n", pt_level_name(p->level));
    md_row_text(out, "Rule", p->rule);
    md_row_text(out, "Kind", p->kind);
    if (p->rule_count) {
        pt_buf_puts(out, "| Found by | ");
        for (size_t i = 0; i < p->rule_count; i++) {
            pt_buf_puts(out, i ? ", " : "");
            pt_md_code(out, p->rules[i]);
        }
        pt_buf_puts(out, " |\n");
    }
    if (p->os_count) {
        pt_buf_puts(out, "| OS builds | ");
        for (size_t i = 0; i < p->os_count; i++) {
            pt_buf_puts(out, i ? ", " : "");
            pt_md_text(out, p->os_versions[i]);
        }
        pt_buf_puts(out, " |\n");
    }
    if (p->hours_min >= 0) {
        pt_buf_printf(out, "| Time to limit | about %.0f h, on ", p->hours_min);
        pt_md_text(out, p->hours_min_host);
        pt_buf_puts(out, " |\n");
    }
    if (p->kb_id) {
        pt_buf_puts(out, "| Known issue | ");
        pt_md_text(out, p->kb_id);
        pt_buf_puts(out, ": ");
        pt_md_text(out, p->kb_title);
        pt_buf_puts(out, " |\n");
    }
    if (p->driver) {
        pt_buf_puts(out, "| Driver | ");
        pt_md_code(out, p->driver);
        for (size_t i = 0; i < p->version_count; i++) {
            pt_buf_puts(out, i ? ", " : ", version ");
            pt_md_text(out, p->versions[i]);
        }
        pt_buf_puts(out, " |\n");
    }
    if (p->tag) {
        pt_buf_puts(out, "| Pool tag | ");
        pt_md_code(out, p->tag);
        pt_buf_puts(out, " ");
        pt_md_text(out, p->pool ? p->pool : "");   /* read from a report: untrusted */
        pt_buf_puts(out, " |\n");
    }
    pt_buf_puts(out, "| Pool bytes | ");
    bytes_range(out, p);
    pt_buf_printf(out, " |\n| Hosts affected | %s%zu |\n| Reports | %zu |\n",
                  p->host_count_approx ? "about " : "", p->host_count, p->report_count);
    time_or(first, sizeof first, p->first_seen, "not known");
    time_or(last, sizeof last, p->last_seen, "not known");
    pt_buf_printf(out, "| First seen | %s |\n| Last seen | %s |\n", first, last);
    if (p->kb_id)
        md_row_text(out, "Fixed in", p->fixed_in);
    pt_buf_puts(out, "| Fingerprint | ");
    pt_md_code(out, p->fingerprint);
    pt_buf_puts(out, " |\n");
}

static void md_links(pt_buf *out, const pt_fleet_problem *p)
{
    if (p->ref_count == 0)
        return;
    pt_buf_puts(out, "\n### Links\n\n");
    for (size_t i = 0; i < p->ref_count; i++) {
        const pt_fleet_ref *r = &p->refs[i];
        pt_buf_puts(out, "- ");
        pt_md_text(out, r->kind ? r->kind : "link");
        pt_buf_puts(out, ": ");
        pt_md_reference(out, r->title, r->url, r->archived_url);
    }
}

static void md_hosts(pt_buf *out, const pt_fleet_problem *p)
{
    pt_buf_printf(out, "\n### Hosts (%s%zu)\n\n", p->host_count_approx ? "about " : "",
                  p->host_count);
    for (size_t i = 0; i < p->host_name_count; i++) {
        pt_buf_puts(out, i ? ", " : "");
        pt_md_text(out, p->hosts[i]);
    }
    pt_buf_puts(out, "\n");
    if (p->host_count > p->host_name_count)
        pt_buf_printf(out, "\nThe first %zu host names are listed; %zu more are only counted.\n",
                      p->host_name_count, p->host_count - p->host_name_count);
}

void pt_fleet_problem_markdown(const pt_fleet_problem *p, pt_buf *out)
{
    pt_buf_printf(out, "**%s** on **%s%zu host%s**: ", level_words[p->level],
                  p->host_count_approx ? "about " : "", p->host_count,
                  p->host_count == 1 ? "" : "s");
    pt_md_text(out, headline(p));
    pt_buf_puts(out, "\n\n");
    md_facts(out, p);
    md_links(out, p);
    if (p->action) {
        pt_buf_puts(out, "\n### What to do\n\n");
        pt_md_text(out, p->action);
        pt_buf_puts(out, "\n");
    }
    md_hosts(out, p);
}

void pt_fleet_report_markdown(pt_fleet *f, const pt_report_opts *opts, pt_buf *out)
{
    (void)opts;
    size_t n = pt_fleet_count(f);
    pt_buf_puts(out, "# pooltriage fleet report\n\n");
    fleet_summary(f, out);
    pt_buf_puts(out, ".\n");
    if (n) {
        pt_buf_puts(out, "\n| Level | Problem | Hosts | First seen | Last seen | Pool bytes |\n"
                         "|---|---|---:|---|---|---|\n");
    }
    for (size_t i = 0; i < n; i++) {
        const pt_fleet_problem *p = pt_fleet_problem_at(f, i);
        char first[40], last[40];
        time_or(first, sizeof first, p->first_seen, "-");
        time_or(last, sizeof last, p->last_seen, "-");
        pt_buf_printf(out, "| %s | ", pt_level_name(p->level));
        pt_md_text(out, headline(p));
        pt_buf_printf(out, " | %zu | %s | %s | ", p->host_count, first, last);
        bytes_range(out, p);
        pt_buf_puts(out, " |\n");
    }
    for (size_t i = 0; i < n; i++) {
        const pt_fleet_problem *p = pt_fleet_problem_at(f, i);
        pt_buf_printf(out, "\n## %zu. %s: ", i + 1, level_words[p->level]);
        pt_md_text(out, headline(p));
        pt_buf_puts(out, "\n\n");
        pt_fleet_problem_markdown(p, out);
    }
}

/* ---- JSON ---- */

static cJSON *int_or_null(int64_t v)
{
    return v == PT_UNKNOWN ? cJSON_CreateNull() : pt_json_int(v);
}

static cJSON *time_or_null(int64_t t)
{
    char b[40];
    if (t == PT_UNKNOWN)
        return cJSON_CreateNull();
    pt_time_format(t, b, sizeof b);
    return cJSON_CreateString(b);
}

static cJSON *problem_kb(const pt_fleet_problem *p)
{
    if (p->kb_id == NULL)
        return cJSON_CreateNull();
    cJSON *kb = cJSON_CreateObject();
    cJSON_AddItemToObject(kb, "id", pt_json_str(p->kb_id));
    cJSON_AddItemToObject(kb, "title", pt_json_str(p->kb_title));
    cJSON_AddItemToObject(kb, "fixed_in", pt_json_str(p->fixed_in));
    return kb;
}

static cJSON *problem_driver(const pt_fleet_problem *p)
{
    if (p->driver == NULL)
        return cJSON_CreateNull();
    cJSON *d = cJSON_CreateObject();
    cJSON_AddItemToObject(d, "name", cJSON_CreateString(p->driver));
    cJSON *v = cJSON_AddArrayToObject(d, "versions");
    for (size_t i = 0; i < p->version_count; i++)
        cJSON_AddItemToArray(v, cJSON_CreateString(p->versions[i]));
    return d;
}

static cJSON *problem_refs(const pt_fleet_problem *p)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < p->ref_count; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddItemToObject(r, "kind", pt_json_str(p->refs[i].kind));
        cJSON_AddItemToObject(r, "title", pt_json_str(p->refs[i].title));
        cJSON_AddItemToObject(r, "url", pt_json_str(p->refs[i].url));
        cJSON_AddItemToObject(r, "archived_url", pt_json_str(p->refs[i].archived_url));
        cJSON_AddItemToArray(arr, r);
    }
    return arr;
}

static cJSON *problem_hosts(const pt_fleet_problem *p)
{
    cJSON *h = cJSON_CreateObject();
    cJSON_AddNumberToObject(h, "count", (double)p->host_count);
    cJSON_AddBoolToObject(h, "count_approximate", p->host_count_approx);
    cJSON *names = cJSON_AddArrayToObject(h, "names");
    for (size_t i = 0; i < p->host_name_count; i++)
        cJSON_AddItemToArray(names, cJSON_CreateString(p->hosts[i]));
    cJSON_AddBoolToObject(h, "names_truncated", p->host_count > p->host_name_count);
    return h;
}

static cJSON *problem_json(const pt_fleet_problem *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "fingerprint", cJSON_CreateString(p->fingerprint));
    cJSON_AddItemToObject(o, "rule", pt_json_str(p->rule));
    cJSON_AddItemToObject(o, "level", cJSON_CreateString(pt_level_name(p->level)));
    cJSON_AddItemToObject(o, "title", pt_json_str(p->title));
    cJSON_AddItemToObject(o, "kb", problem_kb(p));
    cJSON_AddItemToObject(o, "tag", pt_json_str(p->tag));
    cJSON_AddItemToObject(o, "pool", pt_json_str(p->pool));
    cJSON_AddItemToObject(o, "driver", problem_driver(p));
    cJSON_AddItemToObject(o, "hosts", problem_hosts(p));
    cJSON_AddNumberToObject(o, "reports", (double)p->report_count);
    cJSON_AddItemToObject(o, "first_seen", time_or_null(p->first_seen));
    cJSON_AddItemToObject(o, "last_seen", time_or_null(p->last_seen));
    cJSON *b = cJSON_AddObjectToObject(o, "bytes");
    cJSON_AddItemToObject(b, "min", int_or_null(p->bytes_min));
    cJSON_AddItemToObject(b, "max", int_or_null(p->bytes_max));
    cJSON_AddItemToObject(o, "references", problem_refs(p));
    cJSON_AddItemToObject(o, "action", pt_json_str(p->action));
    cJSON_AddItemToObject(o, "kind", pt_json_str(p->kind));
    cJSON *rules = cJSON_AddArrayToObject(o, "rules");
    for (size_t i = 0; i < p->rule_count; i++)
        cJSON_AddItemToArray(rules, cJSON_CreateString(p->rules[i]));
    cJSON *os = cJSON_AddArrayToObject(o, "os_versions");
    for (size_t i = 0; i < p->os_count; i++)
        cJSON_AddItemToArray(os, cJSON_CreateString(p->os_versions[i]));
    cJSON_AddItemToObject(o, "growth_max_bytes_per_hour",
                          p->growth_max >= 0 ? cJSON_CreateNumber((double)(int64_t)p->growth_max)
                                             : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "time_to_limit_hours_min",
                          p->hours_min >= 0 ? cJSON_CreateNumber((double)(int64_t)(p->hours_min * 10 + 0.5) / 10)
                                            : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "time_to_limit_host", pt_json_str(p->hours_min_host));
    return o;
}

static void print_json(cJSON *root, bool pretty, bool newline, pt_buf *out)
{
    char *text = root ? (pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root)) : NULL;
    if (text == NULL) {
        out->failed = true;
    } else {
        pt_buf_puts(out, text);
        pt_buf_puts(out, newline ? "\n" : "");
    }
    pt_free(text);
    cJSON_Delete(root);
}

void pt_fleet_problem_json(const pt_fleet_problem *p, pt_buf *out)
{
    print_json(problem_json(p), false, false, out);
}

void pt_fleet_report_json(pt_fleet *f, const pt_report_opts *opts, pt_buf *out)
{
    pt_fleet_stats st;
    pt_fleet_stats_get(f, &st);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", PT_FLEET_SCHEMA);
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    cJSON_AddStringToObject(tool, "version", PT_VERSION);
    cJSON_AddNumberToObject(root, "reports", (double)st.reports);
    cJSON_AddNumberToObject(root, "skipped", (double)st.skipped);
    cJSON_AddNumberToObject(root, "clean", (double)st.clean);
    cJSON_AddNumberToObject(root, "hosts", (double)st.hosts);
    cJSON_AddBoolToObject(root, "hosts_approximate", st.hosts_approx);
    cJSON_AddStringToObject(root, "level", pt_level_name(pt_fleet_level(f)));
    cJSON *arr = cJSON_AddArrayToObject(root, "problems");
    for (size_t i = 0; i < pt_fleet_count(f); i++)
        cJSON_AddItemToArray(arr, problem_json(pt_fleet_problem_at(f, i)));
    print_json(root, opts && opts->pretty, true, out);
}

/* ---- CSV ---- */

static const char *const csv_columns[] = {
    "fingerprint", "level", "rule", "title", "kb_id", "kb_title", "fixed_in", "tag",
    "pool", "driver", "versions", "host_count", "hosts", "hosts_listed", "reports",
    "first_seen", "last_seen", "bytes_min", "bytes_max", "vendor_kb_url", "forum_url",
    "archived_urls", "action", "kind", "rules", "os_versions", "growth_max_bytes_per_hour",
    "time_to_limit_hours_min", "time_to_limit_host",
};

static const char *ref_url(const pt_fleet_problem *p, const char *kind)
{
    for (size_t i = 0; i < p->ref_count; i++)
        if (p->refs[i].kind && strcmp(p->refs[i].kind, kind) == 0 && p->refs[i].url)
            return p->refs[i].url;
    return NULL;
}

static void csv_lists(const pt_fleet_problem *p, pt_buf *versions, pt_buf *hosts,
                      pt_buf *archived)
{
    for (size_t i = 0; i < p->version_count; i++)
        pt_buf_printf(versions, "%s%s", i ? ";" : "", p->versions[i]);
    for (size_t i = 0; i < p->host_name_count; i++)
        pt_buf_printf(hosts, "%s%s", i ? ";" : "", p->hosts[i]);
    for (size_t i = 0; i < p->ref_count; i++)
        if (p->refs[i].archived_url)
            pt_buf_printf(archived, "%s%s", archived->len ? " " : "", p->refs[i].archived_url);
}

static void csv_problem(pt_buf *out, const pt_fleet_problem *p)
{
    pt_buf versions = {0}, hosts = {0}, archived = {0};
    char first[40], last[40];
    csv_lists(p, &versions, &hosts, &archived);
    time_or(first, sizeof first, p->first_seen, "");
    time_or(last, sizeof last, p->last_seen, "");
    pt_csv_cell(out, p->fingerprint, false);
    pt_csv_cell(out, pt_level_name(p->level), false);
    pt_csv_cell(out, p->rule, false);
    pt_csv_cell(out, p->title, false);
    pt_csv_cell(out, p->kb_id, false);
    pt_csv_cell(out, p->kb_title, false);
    pt_csv_cell(out, p->fixed_in, false);
    pt_csv_cell(out, p->tag, false);
    pt_csv_cell(out, p->pool, false);
    pt_csv_cell(out, p->driver, false);
    pt_csv_cell(out, versions.data, false);
    pt_csv_int(out, (int64_t)p->host_count, false);
    pt_csv_cell(out, hosts.data, false);
    pt_csv_int(out, (int64_t)p->host_name_count, false);
    pt_csv_int(out, (int64_t)p->report_count, false);
    pt_csv_cell(out, first, false);
    pt_csv_cell(out, last, false);
    pt_csv_int(out, p->bytes_min, false);
    pt_csv_int(out, p->bytes_max, false);
    pt_csv_cell(out, ref_url(p, "vendor-kb"), false);
    pt_csv_cell(out, ref_url(p, "forum"), false);
    pt_csv_cell(out, archived.data, false);
    pt_csv_cell(out, p->action, false);
    /* the problem-level columns (verdict/2): every rule that found it on
     * some host, the OS builds, the fastest growth and the first host to
     * run out */
    pt_buf rules = {0}, os = {0};
    for (size_t i = 0; i < p->rule_count; i++)
        pt_buf_printf(&rules, "%s%s", i ? ";" : "", p->rules[i]);
    for (size_t i = 0; i < p->os_count; i++)
        pt_buf_printf(&os, "%s%s", i ? ";" : "", p->os_versions[i]);
    char rate[32] = "", hours[32] = "";
    if (p->growth_max >= 0)
        snprintf(rate, sizeof rate, "%.0f", p->growth_max);
    if (p->hours_min >= 0)
        snprintf(hours, sizeof hours, "%.1f", p->hours_min);
    pt_csv_cell(out, p->kind ? p->kind : "leak", false);
    pt_csv_cell(out, rules.data, false);
    pt_csv_cell(out, os.data, false);
    pt_csv_cell(out, rate, false);
    pt_csv_cell(out, hours, false);
    pt_csv_cell(out, p->hours_min >= 0 ? p->hours_min_host : NULL, true);
    out->failed |= versions.failed || hosts.failed || archived.failed || rules.failed ||
                   os.failed;
    pt_buf_free(&versions);
    pt_buf_free(&hosts);
    pt_buf_free(&archived);
    pt_buf_free(&rules);
    pt_buf_free(&os);
}

void pt_fleet_report_csv(pt_fleet *f, const pt_report_opts *opts, pt_buf *out)
{
    (void)opts;
    size_t n = sizeof csv_columns / sizeof csv_columns[0];
    for (size_t i = 0; i < n; i++)
        pt_csv_cell(out, csv_columns[i], i + 1 == n);
    for (size_t i = 0; i < pt_fleet_count(f); i++)
        csv_problem(out, pt_fleet_problem_at(f, i));
}
