/*
 * report_html.c - the report stage as one self-contained HTML page: the
 * verdict line, each finding's chain of evidence with its references and
 * archived links, and SVG charts (bytes over time per tag for a series,
 * each tag's share of its pool for one capture).  Also the page of `pool`.
 * Every piece of text from inputs, the KB or the rules is escaped.
 */
#include "pt_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const level_words[] = {"CLEAN", "INFO", "SUSPECT", "LIKELY LEAK",
                                          "KNOWN LEAK"};

/* ---- charts from captures ---- */

enum { MAX_SERIES = 6, MAX_BARS = 8 };

typedef struct chart_tag {
    char tag[5];
    pt_pool_type pool;
    bool leak;
} chart_tag;

static bool has_tag(const chart_tag *t, size_t n, const char *tag, pt_pool_type pool)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(t[i].tag, tag, 4) == 0 && t[i].pool == pool)
            return true;
    return false;
}

static uint64_t row_bytes(const pt_snapshot *s, const char *tag, pt_pool_type pool)
{
    for (size_t i = 0; i < s->row_count; i++)
        if (memcmp(s->rows[i].tag, tag, 4) == 0 && s->rows[i].pool == pool)
            return s->rows[i].bytes;
    return 0;
}

/* The tags to draw: the leaking ones first, then the largest of the latest
 * capture, at most MAX_SERIES. */
static size_t pick_tags(const pt_snapshot *last, const chart_tag *leaks, size_t leak_count,
                        chart_tag *out)
{
    size_t n = 0;
    for (size_t i = 0; i < leak_count && n < MAX_SERIES; i++)
        if (!has_tag(out, n, leaks[i].tag, leaks[i].pool))
            out[n++] = leaks[i];
    while (n < MAX_SERIES) {
        const pt_pool_row *best = NULL;
        for (size_t r = 0; r < last->row_count; r++) {
            const pt_pool_row *row = &last->rows[r];
            if (!has_tag(out, n, row->tag, row->pool) && (best == NULL || row->bytes > best->bytes))
                best = row;
        }
        if (best == NULL || best->bytes == 0)
            break;
        chart_tag t = {{0}, best->pool, false};
        memcpy(t.tag, best->tag, 5);
        out[n++] = t;
    }
    return n;
}

/* The line chart of a series of captures (in time order). */
static void series_chart(pt_buf *out, pt_arena *a, const pt_snapshot *snaps, size_t count,
                         const chart_tag *leaks, size_t leak_count, const pt_html_limit *limit)
{
    chart_tag tags[MAX_SERIES];
    size_t n = pick_tags(&snaps[count - 1], leaks, leak_count, tags);
    double *xs = pt_arena_alloc(a, count * sizeof *xs);
    const char **labels = pt_arena_alloc(a, count * sizeof *labels);
    pt_html_series *series = pt_arena_alloc(a, (n + 1) * sizeof *series);
    if (xs == NULL || labels == NULL || series == NULL || n == 0)
        return;
    bool timed = true;
    for (size_t i = 0; i < count; i++)
        timed &= snaps[i].time != PT_UNKNOWN;
    timed &= !pt_capture_order_unknown(snaps, count);
    for (size_t i = 0; i < count; i++) {
        char t[40];
        if (timed) {
            xs[i] = (double)(snaps[i].time - snaps[0].time) / 3600.0;
            pt_time_format(snaps[i].time, t, sizeof t);
            labels[i] = pt_arena_printf(a, "%.5s %.5s", t + 5, t + 11);
        } else {
            xs[i] = (double)i;
            labels[i] = pt_arena_printf(a, "capture %zu", i + 1);
        }
    }
    for (size_t k = 0; k < n; k++) {
        double *b = pt_arena_alloc(a, count * sizeof *b);
        if (b == NULL)
            return;
        for (size_t i = 0; i < count; i++)
            b[i] = (double)row_bytes(&snaps[i], tags[k].tag, tags[k].pool);
        pt_html_series s = {pt_arena_strdup(a, tags[k].tag), pt_pool_type_name(tags[k].pool), b,
                            tags[k].leak};
        series[k] = s;
    }
    pt_buf_puts(out, "<section class=\"card\" id=\"chart\"><h2>Pool bytes over time</h2>\n");
    if (!timed)
        pt_buf_puts(out, "<p>The captures' times are not known: they are drawn in the order "
                         "given, one step apart.</p>\n");
    pt_html_series_chart(out, series, n, xs, labels, count, timed ? limit : NULL);
    pt_buf_puts(out, "</section>\n");
}

/* Bar charts of the latest capture: the largest tags' share of each pool. */
static void share_charts(pt_buf *out, const pt_snapshot *last, const chart_tag *leaks,
                         size_t leak_count)
{
    pt_buf_puts(out, "<section class=\"card\" id=\"chart\"><h2>Share of each pool, largest tags"
                     "</h2>\n");
    for (int p = PT_POOL_NONPAGED; p <= PT_POOL_PAGED; p++) {
        pt_html_bar bars[MAX_BARS];
        chart_tag seen[MAX_BARS];
        size_t n = 0;
        uint64_t total = pt_snapshot_pool_bytes(last, (pt_pool_type)p);
        while (n < MAX_BARS) {
            const pt_pool_row *best = NULL;
            for (size_t r = 0; r < last->row_count; r++) {
                const pt_pool_row *row = &last->rows[r];
                if (row->pool == (pt_pool_type)p && !has_tag(seen, n, row->tag, row->pool) &&
                    (best == NULL || row->bytes > best->bytes))
                    best = row;
            }
            if (best == NULL || best->bytes == 0)
                break;
            memcpy(seen[n].tag, best->tag, 5);
            seen[n].pool = best->pool;
            pt_html_bar b = {best->tag, total ? (double)best->bytes / (double)total : 0,
                             best->bytes, has_tag(leaks, leak_count, best->tag, best->pool),
                             best->mapped_driver, NULL};
            bars[n++] = b;
        }
        if (n == 0)
            continue;
        pt_buf_printf(out, "<h3>%s pool</h3>\n", p == PT_POOL_PAGED ? "Paged" : "Non-paged");
        pt_html_share_chart(out, p == PT_POOL_PAGED ? "share-paged" : "share-nonpaged",
                            p == PT_POOL_PAGED ? "Paged pool: share of the largest tags"
                                               : "Non-paged pool: share of the largest tags",
                            bars, n);
    }
    pt_buf_puts(out, "<p>One capture cannot show growth: take a series (<code>poolmon -n</code> "
                     "at intervals, or <code>pooltriage pool --live --every SECONDS</code> on "
                     "Windows) and run again.</p>\n</section>\n");
}

/* ---- the verdict ---- */

static bool is_leak(const pt_finding *f)
{
    return f->kind == NULL || strcmp(f->kind, "leak") == 0;
}

/* The verdict line exactly as the text report words it. */
static const char *verdict_line(pt_arena *a, const pt_verdict *v)
{
    pt_buf text = {0};
    pt_report_opts plain = {false, false};
    pt_report_text(v, &plain, &text);
    const char *line = text.data ? pt_arena_strndup(a, text.data, strcspn(text.data, "\n")) : NULL;
    pt_buf_free(&text);
    return line ? line : "";
}

static void facts(pt_buf *out, const pt_verdict *v)
{
    pt_buf_puts(out, "<p class=\"facts\">Host <b id=\"host\">");
    pt_html_text(out, v->host.name ? v->host.name : "not named");
    pt_buf_puts(out, "</b>; OS ");
    pt_html_text(out, v->host.os_version ? v->host.os_version : "not known");
    for (size_t i = 0; i < v->host.os_name_count; i++) {
        pt_buf_puts(out, i ? " or " : " (");
        pt_html_text(out, v->host.os_names[i]);
    }
    pt_buf_printf(out, "%s; %zu capture%s", v->host.os_name_count ? ")" : "",
                  v->snapshot_count, v->snapshot_count == 1 ? "" : "s");
    if (v->snapshot_count) {
        char t0[40] = "time not known", t1[40] = "time not known";
        if (v->snapshots[0].time != PT_UNKNOWN)
            pt_time_format(v->snapshots[0].time, t0, sizeof t0);
        if (v->snapshots[v->snapshot_count - 1].time != PT_UNKNOWN)
            pt_time_format(v->snapshots[v->snapshot_count - 1].time, t1, sizeof t1);
        pt_buf_printf(out, v->snapshot_count > 1 ? " from %s to %s" : " at %s%.0s", t0, t1);
    }
    pt_buf_puts(out, "</p>\n");
}

enum { WARNINGS_SHOWN = 20 };

/* One warning: "source line 12: message", escaped. */
static void warning_item(pt_buf *out, const char *source, const char *where, const char *message)
{
    pt_buf_puts(out, "<li>");
    if (source && source[0]) {
        pt_buf_puts(out, "<span class=\"source\">");
        pt_html_text(out, source);
        pt_buf_puts(out, "</span>");
    }
    if (where && where[0]) {
        pt_buf_puts(out, " ");
        pt_html_text(out, where);
    }
    pt_buf_puts(out, source && source[0] ? ": " : "");
    pt_html_text(out, message ? message : "");
    pt_buf_puts(out, "</li>\n");
}

/* The problems that did not stop the run (a capture whose rows pass its
 * header's total, skipped rows, unreadable drivers, rule errors): the page
 * is read without the terminal's stderr, so it says them itself. */
static void warnings(pt_buf *out, const pt_verdict *v)
{
    size_t total = v->error_count + v->rule_error_count, shown = 0;
    if (total == 0)
        return;
    pt_buf_printf(out, "<section class=\"card\" id=\"warnings\"><h2>Warnings (%zu)</h2>\n"
                  "<ul class=\"warnings\">\n", total);
    for (size_t i = 0; i < v->error_count && shown < WARNINGS_SHOWN; i++, shown++)
        warning_item(out, v->errors[i].source, v->errors[i].where, v->errors[i].message);
    for (size_t i = 0; i < v->rule_error_count && shown < WARNINGS_SHOWN; i++, shown++) {
        pt_buf_puts(out, "<li>rule ");
        pt_html_text(out, v->rule_errors[i].rule ? v->rule_errors[i].rule : "?");
        if (v->rule_errors[i].where && v->rule_errors[i].where[0]) {
            pt_buf_puts(out, " (");
            pt_html_text(out, v->rule_errors[i].where);
            pt_buf_puts(out, ")");
        }
        pt_buf_puts(out, ": ");
        pt_html_text(out, v->rule_errors[i].message ? v->rule_errors[i].message : "");
        pt_buf_puts(out, "</li>\n");
    }
    if (total > shown)
        pt_buf_printf(out, "<li>... and %zu more (the JSON report lists them all)</li>\n",
                      total - shown);
    pt_buf_puts(out, "</ul>\n</section>\n");
}

static void evidence(pt_buf *out, pt_arena *a, const pt_verdict *v, const pt_finding *f)
{
    pt_buf_puts(out, "<h3>Evidence</h3>\n<ol class=\"chain\">\n");
    if (f->tag[0]) {
        char b[40];
        pt_report_commas(f->bytes, b, sizeof b);
        pt_buf_puts(out, "<li><b>pool:</b> <span class=\"tag\">");
        pt_html_text(out, f->tag);
        pt_buf_printf(out, "</span> %s bytes", b);
        if (f->share > 0)
            pt_buf_printf(out, " = %.1f%% of %s pool", f->share * 100,
                          f->pool == PT_POOL_PAGED ? "paged" : "non-paged");
        if (v->snapshot_count) {
            const pt_snapshot *last = &v->snapshots[v->snapshot_count - 1];
            pt_buf_puts(out, " in <span class=\"source\">");
            pt_html_text(out, last->source);
            pt_buf_printf(out, "</span> (%s)", pt_capture_format_name(last->format));
        }
        for (size_t i = 0, n = 0; i < f->tag_count; i++)
            if (memcmp(f->tags[i], f->tag, 4) != 0) {
                pt_buf_puts(out, n++ ? " " : "; same issue, also ");
                pt_buf_puts(out, "<span class=\"tag\">");
                pt_html_text(out, f->tags[i]);
                pt_buf_puts(out, "</span>");
            }
        pt_buf_puts(out, "</li>\n");
        if (is_leak(f)) {
            pt_buf_puts(out, "<li class=\"growth\"><b>growth:</b> ");
            pt_html_text(out, pt_report_growth_phrase(a, f));
            pt_buf_puts(out, "</li>\n");
            const char *limit = pt_report_limit_phrase(a, f);
            if (limit) {
                pt_buf_printf(out, "<li class=\"time\" data-hours=\"%.1f\"><b>time:</b> ",
                              f->time_to_limit_hours);
                pt_html_text(out, limit);
                pt_buf_puts(out, "</li>\n");
            }
        }
    }
    if (f->driver) {
        const pt_driver *d = f->driver;
        pt_buf_puts(out, "<li><b>driver:</b> ");
        pt_html_text(out, d->path);
        const pt_evidence *e = pt_report_best_evidence(f->candidate);
        if (e) {
            pt_buf_printf(out, " (%s evidence: ", pt_evidence_kind_name(e->kind));
            pt_html_text(out, e->detail);
            pt_buf_printf(out, " at offset 0x%llx", (unsigned long long)e->offset);
            if (e->section) {
                pt_buf_puts(out, " in ");
                pt_html_text(out, e->section);
            }
            pt_buf_printf(out, "; confidence %.2f)", f->candidate->confidence);
        }
        pt_buf_puts(out, "</li>\n<li class=\"signer\"><b>version:</b> ");
        const char *fv = d->pe_read ? pt_pe_file_version(&d->pe) : NULL;
        pt_html_text(out, fv ? fv : "not known");
        const char *company = d->pe_read ? pt_pe_company(&d->pe) : NULL;
        if (company) {
            pt_buf_puts(out, ", ");
            pt_html_text(out, company);
        }
        pt_buf_puts(out, "; ");
        pt_html_text(out, pt_report_signer_phrase(a, d));
        if (d->sha256[0])
            pt_buf_printf(out, "<br><span class=\"fp\">sha256 %s</span>", d->sha256);
        pt_buf_puts(out, "</li>\n");
    }
    if (v->host.os_version) {
        pt_buf_puts(out, "<li><b>os:</b> ");
        pt_html_text(out, v->host.os_version);
        pt_buf_puts(out, " from ");
        pt_html_text(out, v->host.os_source);
        pt_buf_puts(out, "</li>\n");
    }
    if (f->kb) {
        pt_buf_puts(out, "<li class=\"kb\"><b>known issue:</b> ");
        pt_html_text(out, f->kb->id);
        pt_buf_puts(out, ", ");
        pt_html_text(out, f->kb->title);
        if (f->range_id && !f->kb_outside_range) {
            pt_buf_puts(out, "; affected range ");
            pt_html_text(out, f->range_id);
        }
        if (f->kb_outside_range)
            pt_buf_puts(out, "; the driver's version is outside every affected range");
        pt_buf_puts(out, "; fixed in ");
        pt_html_text(out, f->kb->fixed_in ? f->kb->fixed_in : "not known");
        pt_buf_puts(out, "</li>\n");
    }
    pt_buf_puts(out, "</ol>\n");
}

static void reasons(pt_buf *out, const pt_finding *f)
{
    pt_buf_puts(out, "<h3>Found by</h3>\n<ul class=\"reasons\">\n");
    for (size_t i = 0; i < f->reason_count; i++) {
        pt_buf_printf(out, "<li data-rule=\"");
        pt_html_text(out, f->reasons[i].rule);
        pt_buf_printf(out, "\"><b>%s</b> (", pt_level_name(f->reasons[i].level));
        pt_html_text(out, f->reasons[i].rule);
        pt_buf_puts(out, "): ");
        pt_html_text(out, f->reasons[i].title);
        pt_buf_puts(out, "</li>\n");
    }
    pt_buf_puts(out, "</ul>\n");
}

static void references(pt_buf *out, const pt_kb_entry *e)
{
    if (e == NULL || e->ref_count == 0)
        return;
    pt_buf_puts(out, "<h3>References</h3>\n<ul class=\"references\">\n");
    for (size_t i = 0; i < e->ref_count; i++) {
        const pt_kb_ref *r = &e->refs[i];
        pt_buf_puts(out, "<li>[");
        pt_html_text(out, r->kind);
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

static void finding(pt_buf *out, pt_arena *a, const pt_verdict *v, const pt_finding *f,
                    size_t n)
{
    pt_buf_printf(out, "<section class=\"card finding\" id=\"finding-%zu\" data-level=\"%s\" "
                  "data-fingerprint=\"%s\">\n<h2>%s: ", n, pt_level_name(f->level),
                  f->fingerprint, level_words[f->level]);
    pt_html_text(out, f->title);
    pt_buf_puts(out, "</h2>\n");
    evidence(out, a, v, f);
    if (f->explanation) {
        pt_buf_puts(out, "<p><b>Why:</b> ");
        pt_html_text(out, f->explanation);
        pt_buf_puts(out, "</p>\n");
    }
    reasons(out, f);
    references(out, f->kb);
    const char *todo = f->action ? f->action : f->kb ? f->kb->workaround : NULL;
    if (todo) {
        pt_buf_puts(out, "<h3>What to do</h3>\n<p>");
        pt_html_text(out, todo);
        pt_buf_puts(out, "</p>\n");
    }
    pt_buf_printf(out, "<p class=\"fp\">Fingerprint %s (%s)</p>\n</section>\n", f->fingerprint,
                  f->kind ? f->kind : "leak");
}

static void suspects_table(pt_buf *out, const pt_verdict *v)
{
    if (v->suspect_count == 0)
        return;
    pt_buf_puts(out, "<section class=\"card\" id=\"suspects\"><h2>Suspects, highest score first"
                     "</h2>\n<table><tr><th>Tag</th><th>Pool</th><th class=\"num\">Bytes</th>"
                     "<th class=\"num\">Share</th><th class=\"num\">Growth per hour</th>"
                     "<th>Driver</th></tr>\n");
    for (size_t i = 0; i < v->suspect_count && i < 10; i++) {
        const pt_suspect *s = &v->suspects[i];
        char b[40], g[40] = "-";
        pt_report_commas(s->bytes, b, sizeof b);
        if (s->has_growth)
            pt_html_bytes(g, sizeof g, s->growth_bytes_per_hour);
        const char *drv = NULL;
        for (size_t k = 0; k < v->attribution_count && drv == NULL; k++)
            if (memcmp(v->attributions[k].tag, s->tag, 4) == 0 &&
                v->attributions[k].candidate_count)
                drv = v->attributions[k].candidates[0].driver->name;
        pt_buf_puts(out, "<tr><td><span class=\"tag\">");
        pt_html_text(out, s->tag);
        pt_buf_printf(out, "</span></td><td>%s</td><td class=\"num\">%s</td>"
                      "<td class=\"num\">%.1f%%</td><td class=\"num\">%s</td><td>",
                      pt_pool_type_name(s->pool), b, s->share * 100, g);
        pt_html_text(out, drv ? drv : "-");
        pt_buf_puts(out, s->generic ? " (generic kernel tag)</td></tr>\n" : "</td></tr>\n");
    }
    pt_buf_puts(out, "</table>\n</section>\n");
}

/* The leaking tags of the findings, and the limit line of the lead one. */
static size_t leak_tags(const pt_verdict *v, chart_tag *out, pt_html_limit *limit, pt_arena *a)
{
    size_t n = 0;
    limit->level = 0;
    limit->hours = -1;
    for (size_t i = 0; i < v->finding_count && n < MAX_SERIES; i++) {
        const pt_finding *f = &v->findings[i];
        if (!is_leak(f) || f->level < PT_LEVEL_SUSPECT || f->tag[0] == '\0' || !f->has_pool)
            continue;
        chart_tag t = {{0}, f->pool, true};
        memcpy(t.tag, f->tag, 5);
        if (!has_tag(out, n, t.tag, t.pool))
            out[n++] = t;
        if (limit->level == 0 && f->limit_source != PT_LIMIT_NONE) {
            double room = f->limit_bytes > f->limit_used_bytes
                              ? (double)(f->limit_bytes - f->limit_used_bytes) : 0;
            limit->level = (double)f->bytes + room;
            limit->hours = f->time_to_limit_hours;
            limit->label = f->time_to_limit_hours >= 0
                               ? pt_arena_printf(a, "%s, reached in about %.1f h",
                                                 pt_limit_source_name(f->limit_source),
                                                 f->time_to_limit_hours)
                               : pt_limit_source_name(f->limit_source);
        }
    }
    return n;
}

void pt_report_html(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out)
{
    (void)opts;
    pt_arena *a = pt_arena_new();
    if (a == NULL) {
        out->failed = true;
        return;
    }
    const char *line = verdict_line(a, v);
    pt_html_page_start(out, pt_arena_printf(a, "pooltriage: %s on %s", level_words[v->level],
                                            v->host.name ? v->host.name : "an unnamed host"));
    pt_buf_printf(out, "<header class=\"verdict lvl-%s\"><h1 id=\"verdict\">",
                  pt_level_name(v->level));
    pt_html_text(out, line);
    pt_buf_puts(out, "</h1></header>\n");
    facts(out, v);
    warnings(out, v);
    chart_tag leaks[MAX_SERIES];
    pt_html_limit limit;
    size_t leak_count = leak_tags(v, leaks, &limit, a);
    if (v->snapshot_count >= 2)
        series_chart(out, a, v->snapshots, v->snapshot_count, leaks, leak_count,
                     limit.level > 0 ? &limit : NULL);
    else if (v->snapshot_count == 1)
        share_charts(out, &v->snapshots[0], leaks, leak_count);
    for (size_t i = 0; i < v->finding_count; i++)
        finding(out, a, v, &v->findings[i], i + 1);
    suspects_table(out, v);
    pt_html_page_end(out, pt_arena_printf(a, "pooltriage %s, KB %s; verdict schema %s",
                                          v->tool_version, v->kb_version ? v->kb_version : "?",
                                          PT_VERDICT_SCHEMA));
    pt_arena_free(a);
}

/* ---- pool ---- */

/* The limit the steadily growing tag runs into, from the latest capture, as
 * a triage finds it (pt_capture_limit): drawn on the pool page's chart. */
static void pool_limit(pt_arena *a, const pt_snapshot *last, const pt_series *series,
                       const chart_tag *tag, pt_html_limit *out)
{
    uint64_t bytes = 0, used = 0;
    pt_limit_source src = pt_capture_limit(last, tag->pool, &bytes, &used);
    const pt_tag_series *ts = pt_series_find(series, tag->tag, tag->pool);
    if (src == PT_LIMIT_NONE || ts == NULL)
        return;
    double room = bytes > used ? (double)(bytes - used) : 0;
    out->level = (double)row_bytes(last, tag->tag, tag->pool) + room;
    out->hours = ts->has_rate && ts->bytes_per_hour > 0 ? room / ts->bytes_per_hour : -1;
    out->label = out->hours >= 0 ? pt_arena_printf(a, "%s, reached in about %.1f h",
                                                   pt_limit_source_name(src), out->hours)
                                 : pt_limit_source_name(src);
}

/* A pool page's warnings: skipped rows and rows past the header's total. */
static void pool_warnings(pt_buf *out, pt_arena *a, const pt_snapshot *snaps, size_t count)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        for (size_t k = 0; k < snaps[i].skipped_count; k++, n++) {
            if (n == 0)
                pt_buf_puts(out, "<section class=\"card\" id=\"warnings\"><h2>Warnings</h2>\n"
                                 "<ul class=\"warnings\">\n");
            if (n < WARNINGS_SHOWN)
                warning_item(out, snaps[i].source,
                             pt_arena_printf(a, "line %u", (unsigned)snaps[i].skipped[k].line),
                             snaps[i].skipped[k].message);
        }
        for (int p = PT_POOL_NONPAGED; p <= PT_POOL_PAGED; p++) {
            bool oom = false;
            const char *m = pt_snapshot_over_total(a, &snaps[i], (pt_pool_type)p, &oom);
            out->failed |= oom;
            if (m == NULL)
                continue;
            if (n == 0)
                pt_buf_puts(out, "<section class=\"card\" id=\"warnings\"><h2>Warnings</h2>\n"
                                 "<ul class=\"warnings\">\n");
            if (n++ < WARNINGS_SHOWN)
                warning_item(out, snaps[i].source, NULL, m);
        }
    }
    if (n > WARNINGS_SHOWN)
        pt_buf_printf(out, "<li>... and %zu more (the JSON report lists them all)</li>\n",
                      n - WARNINGS_SHOWN);
    if (n)
        pt_buf_puts(out, "</ul>\n</section>\n");
}

void pt_report_pool_html(const pt_snapshot *snaps, size_t count, pt_buf *out)
{
    pt_arena *a = pt_arena_new();
    if (a == NULL || count == 0) {
        out->failed |= a == NULL;
        pt_arena_free(a);
        return;
    }
    const pt_snapshot *last = &snaps[count - 1];
    pt_html_page_start(out, pt_arena_printf(a, "pooltriage pool: %zu capture%s", count,
                                            count == 1 ? "" : "s"));
    pt_buf_printf(out, "<header class=\"verdict\"><h1 id=\"verdict\">%zu capture%s of pool "
                  "usage</h1></header>\n<p class=\"facts\">", count, count == 1 ? "" : "s");
    for (size_t i = 0; i < count; i++) {
        char t[40] = "time not known";
        if (snaps[i].time != PT_UNKNOWN)
            pt_time_format(snaps[i].time, t, sizeof t);
        pt_buf_puts(out, i ? "<br>" : "");
        pt_html_text(out, snaps[i].source);
        pt_buf_printf(out, " (%s, %s)", pt_capture_format_name(snaps[i].format), t);
    }
    pt_buf_puts(out, "</p>\n");
    pool_warnings(out, a, snaps, count);
    pt_series series;
    pt_error err = {0};
    bool have_series = count >= 2 && pt_series_build(a, snaps, count, NULL, &series, &err) == PT_OK;
    chart_tag growing[MAX_SERIES];
    size_t grow_count = 0;
    for (size_t i = 0; have_series && i < series.tag_count && grow_count < 2; i++)
        if (series.tags[i].steady) {
            chart_tag t = {{0}, series.tags[i].pool, true};
            memcpy(t.tag, series.tags[i].tag, 5);
            growing[grow_count++] = t;
        }
    pt_html_limit limit = {0, -1, NULL};
    if (grow_count)
        pool_limit(a, last, &series, &growing[0], &limit);
    if (count >= 2)
        series_chart(out, a, snaps, count, growing, grow_count, limit.level > 0 ? &limit : NULL);
    else
        share_charts(out, last, NULL, 0);
    pt_buf_puts(out, "<section class=\"card\" id=\"table\"><h2>Tags of the latest capture, "
                     "largest first</h2>\n<table><tr><th>Tag</th><th>Pool</th>"
                     "<th class=\"num\">Bytes</th><th class=\"num\">Share</th>"
                     "<th class=\"num\">Per hour</th><th>Steady</th><th>Mapped driver</th></tr>\n");
    chart_tag shown[20];
    for (size_t n = 0; n < 20; n++) {
        const pt_pool_row *best = NULL;
        for (size_t r = 0; r < last->row_count; r++)
            if (!has_tag(shown, n, last->rows[r].tag, last->rows[r].pool) &&
                (best == NULL || last->rows[r].bytes > best->bytes))
                best = &last->rows[r];
        if (best == NULL)
            break;
        memcpy(shown[n].tag, best->tag, 5);
        shown[n].pool = best->pool;
        uint64_t total = pt_snapshot_pool_bytes(last, best->pool);
        const pt_tag_series *ts = have_series ? pt_series_find(&series, best->tag, best->pool)
                                              : NULL;
        char b[40], g[40] = "-";
        pt_report_commas(best->bytes, b, sizeof b);
        if (ts && ts->has_rate)
            pt_html_bytes(g, sizeof g, ts->bytes_per_hour);
        pt_buf_puts(out, "<tr><td><span class=\"tag\">");
        pt_html_text(out, best->tag);
        pt_buf_printf(out, "</span></td><td>%s</td><td class=\"num\">%s</td>"
                      "<td class=\"num\">%.1f%%</td><td class=\"num\">%s</td><td>%s</td><td>",
                      pt_pool_type_name(best->pool), b,
                      total ? 100.0 * (double)best->bytes / (double)total : 0.0, g,
                      ts && ts->has_rate ? (ts->steady ? "yes" : "no") : "-");
        pt_html_text(out, best->mapped_driver ? best->mapped_driver : "-");
        pt_buf_puts(out, "</td></tr>\n");
    }
    pt_buf_puts(out, "</table>\n</section>\n");
    pt_html_page_end(out, "pooltriage " PT_VERSION);
    pt_arena_free(a);
}
