/*
 * report_fleet_html.c - the report stage for a fleet as one self-contained
 * HTML page: the problems, most severe first, each with its hosts, driver
 * versions and OS builds, its links, and a bar chart of hosts per problem.
 * Every piece of text from the reports is escaped.
 */
#include "pt_report.h"

#include <stdio.h>
#include <string.h>

static const char *const level_words[] = {"CLEAN", "INFO", "SUSPECT", "LIKELY LEAK",
                                          "KNOWN LEAK"};

enum { MAX_BARS = 12 };

static const char *headline(const pt_fleet_problem *p)
{
    return p->kb_title ? p->kb_title : p->title ? p->title : p->rule;
}

static void list(pt_buf *out, const char *label, const char *const *items, size_t n,
                 const char *none)
{
    pt_buf_printf(out, "<li><b>%s:</b> ", label);
    for (size_t i = 0; i < n; i++) {
        pt_buf_puts(out, i ? ", " : "");
        pt_html_text(out, items[i]);
    }
    if (n == 0)
        pt_html_text(out, none);
    pt_buf_puts(out, "</li>\n");
}

static void problem(pt_buf *out, const pt_fleet_problem *p, size_t n)
{
    pt_buf_printf(out, "<section class=\"card problem\" id=\"problem-%zu\" data-level=\"%s\" "
                  "data-fingerprint=\"%s\" data-hosts=\"%zu\">\n<h2>%s: ", n,
                  pt_level_name(p->level), p->fingerprint, p->host_count,
                  level_words[p->level]);
    if (p->kb_id) {
        pt_html_text(out, p->kb_id);
        pt_buf_puts(out, " ");
    }
    pt_html_text(out, headline(p));
    pt_buf_puts(out, "</h2>\n<ul>\n");
    pt_buf_printf(out, "<li><b>hosts:</b> %s%zu affected: <span class=\"hosts\">",
                  p->host_count_approx ? "about " : "", p->host_count);
    for (size_t i = 0; i < p->host_name_count; i++) {
        pt_buf_puts(out, i ? ", " : "");
        pt_html_text(out, p->hosts[i]);
    }
    if (p->host_count > p->host_name_count)
        pt_buf_printf(out, " and %zu more", p->host_count - p->host_name_count);
    pt_buf_puts(out, "</span></li>\n");
    if (p->driver) {
        pt_buf_puts(out, "<li><b>driver:</b> ");
        pt_html_text(out, p->driver);
        pt_buf_puts(out, "</li>\n");
    }
    list(out, "driver versions", p->versions, p->version_count, "not known");
    list(out, "OS builds", p->os_versions, p->os_count, "not known");
    if (p->tag) {
        char lo[40] = "?", hi[40] = "?";
        if (p->bytes_min >= 0)
            pt_report_commas((uint64_t)p->bytes_min, lo, sizeof lo);
        if (p->bytes_max >= 0)
            pt_report_commas((uint64_t)p->bytes_max, hi, sizeof hi);
        pt_buf_puts(out, "<li><b>pool:</b> <span class=\"tag\">");
        pt_html_text(out, p->tag);
        pt_buf_printf(out, "</span> %s, %s to %s bytes</li>\n", p->pool ? p->pool : "", lo, hi);
    }
    if (p->growth_max > 0)
        pt_buf_printf(out, "<li><b>growth:</b> up to %.1f MiB/h</li>\n",
                      p->growth_max / 1048576.0);
    if (p->hours_min >= 0) {
        pt_buf_puts(out, "<li><b>time left:</b> ");
        pt_html_text(out, p->hours_min_host);
        pt_buf_printf(out, " reaches its pool limit first, in about %.1f h</li>\n", p->hours_min);
    }
    list(out, "found by", p->rules, p->rule_count, "?");
    pt_buf_puts(out, "</ul>\n");
    if (p->ref_count) {
        pt_buf_puts(out, "<h3>References</h3>\n<ul class=\"references\">\n");
        for (size_t i = 0; i < p->ref_count; i++) {
            const pt_fleet_ref *r = &p->refs[i];
            pt_buf_puts(out, "<li>[");
            pt_html_text(out, r->kind ? r->kind : "link");
            pt_buf_puts(out, "] ");
            pt_html_link(out, r->title, r->url);
            if (r->archived_url) {
                pt_buf_puts(out, " (");
                pt_html_link(out, "archived", r->archived_url);
                pt_buf_puts(out, ")");
            }
            pt_buf_puts(out, "</li>\n");
        }
        pt_buf_puts(out, "</ul>\n");
    }
    if (p->action) {
        pt_buf_puts(out, "<h3>What to do</h3>\n<p>");
        pt_html_text(out, p->action);
        pt_buf_puts(out, "</p>\n");
    }
    pt_buf_printf(out, "<p class=\"fp\">Fingerprint %s (", p->fingerprint);
    pt_html_text(out, p->kind ? p->kind : "leak");
    pt_buf_puts(out, ")</p>\n</section>\n");
}

static const char *pt_html_hosts(char *buf, size_t len, size_t count)
{
    snprintf(buf, len, "%zu host%s", count, count == 1 ? "" : "s");
    return buf;
}

void pt_fleet_report_html(pt_fleet *f, const pt_report_opts *opts, pt_buf *out)
{
    (void)opts;
    pt_fleet_stats st;
    pt_fleet_stats_get(f, &st);
    size_t count = pt_fleet_count(f);
    pt_level level = pt_fleet_level(f);
    char title[200];
    snprintf(title, sizeof title, "pooltriage fleet: %zu problem%s on %zu host%s", count,
             count == 1 ? "" : "s", st.hosts, st.hosts == 1 ? "" : "s");
    pt_html_page_start(out, title);
    pt_buf_printf(out, "<header class=\"verdict lvl-%s\"><h1 id=\"verdict\">%s: %zu problem%s "
                  "on %s%zu host%s</h1></header>\n", pt_level_name(level), level_words[level],
                  count, count == 1 ? "" : "s", st.hosts_approx ? "about " : "", st.hosts,
                  st.hosts == 1 ? "" : "s");
    pt_buf_printf(out, "<p class=\"facts\">%zu reports read, %zu skipped, %zu with no finding"
                  "</p>\n", st.reports, st.skipped, st.clean);
    if (count) {
        pt_html_bar bars[MAX_BARS];
        char hosts[MAX_BARS][32], notes[MAX_BARS][200];
        size_t n = 0;
        for (size_t i = 0; i < count && n < MAX_BARS; i++) {
            const pt_fleet_problem *p = pt_fleet_problem_at(f, i);
            /* the driver and the versions affected, next to the bar */
            snprintf(notes[n], sizeof notes[n], "%s%s%s%s", p->driver ? p->driver : "",
                     p->version_count ? " " : "", p->version_count ? p->versions[0] : "",
                     p->version_count > 1 ? " and other versions" : "");
            pt_html_bar b = {p->kb_id ? p->kb_id : p->tag ? p->tag : p->rule,
                             st.hosts ? (double)p->host_count / (double)st.hosts : 0,
                             p->host_count, p->level >= PT_LEVEL_LIKELY,
                             p->driver ? notes[n] : NULL,
                             pt_html_hosts(hosts[n], sizeof hosts[n], p->host_count)};
            bars[n++] = b;
        }
        pt_buf_puts(out, "<section class=\"card\" id=\"chart\"><h2>Hosts per problem</h2>\n");
        pt_html_share_chart(out, "hosts-chart", "Share of the hosts that have each problem",
                            bars, n);
        pt_buf_puts(out, "</section>\n");
    }
    for (size_t i = 0; i < count; i++)
        problem(out, pt_fleet_problem_at(f, i), i + 1);
    pt_html_page_end(out, "pooltriage " PT_VERSION);
}
