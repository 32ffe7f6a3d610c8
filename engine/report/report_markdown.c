/*
 * report_markdown.c - the report stage for tickets: the verdict as a
 * Markdown body (a summary, then per finding the evidence table, the links,
 * what to do and the fixed version; then the raw top-10 pool table).  Text
 * from inputs is escaped, so a crafted title can't add links or HTML.
 */
#include "pooltriage/pooltriage.h"
#include "pt_report.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const level_words[] = {"CLEAN", "INFO", "SUSPECT", "LIKELY LEAK",
                                          "KNOWN LEAK"};

void pt_md_reference(pt_buf *out, const char *title, const char *url,
                     const char *archived_url)
{
    pt_md_link(out, title, url);
    if (archived_url) {
        pt_buf_puts(out, " (");
        pt_md_link(out, "archived", archived_url);
        pt_buf_puts(out, ")");
    }
    pt_buf_puts(out, "\n");
}

void pt_md_text(pt_buf *out, const char *s)
{
    pt_buf flat = {0}, clean = {0};
    for (const char *p = s ? s : ""; *p; p++)   /* line breaks become spaces */
        pt_buf_append(&flat, (*p == '\n' || *p == '\r' || *p == '\t') ? " " : p, 1);
    pt_term_append(&clean, flat.data ? flat.data : "", flat.len);
    out->failed |= flat.failed || clean.failed;
    for (const char *p = clean.data ? clean.data : ""; *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t')
            pt_buf_puts(out, " ");
        else if (strchr("\\`*_[]<>|#!", *p))
            pt_buf_printf(out, "\\%c", *p);
        else if (*p == '&' && (isalnum((unsigned char)p[1]) || p[1] == '#'))
            pt_buf_puts(out, "\\&");   /* "&amp;" stays text, not an entity */
        else
            pt_buf_append(out, p, 1);
    }
    pt_buf_free(&flat);
    pt_buf_free(&clean);
}

void pt_md_code(pt_buf *out, const char *s)
{
    if (s == NULL || strpbrk(s, "`\n\r|") != NULL || !pt_term_is_clean(s, strlen(s))) {
        pt_md_text(out, s);
        return;
    }
    pt_buf_printf(out, "`%s`", s);
}

static bool web_url(const char *url)
{
    return url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) &&
           strpbrk(url, " <>\n\r\t") == NULL && pt_term_is_clean(url, strlen(url));
}

void pt_md_link(pt_buf *out, const char *title, const char *url)
{
    if (!web_url(url)) {
        pt_md_text(out, title);
        if (url) {
            pt_buf_puts(out, title ? " " : "");
            pt_md_code(out, url);
        }
        return;
    }
    pt_buf_puts(out, "[");
    pt_md_text(out, title ? title : url);
    pt_buf_printf(out, "](<%s>)", url);
}

/* ---- summary ---- */

static void os_phrase(pt_buf *out, const pt_host *h)
{
    if (h->os_version == NULL) {
        pt_buf_puts(out, "not known");
        return;
    }
    pt_md_text(out, h->os_version);
    for (size_t i = 0; i < h->os_name_count; i++) {
        pt_buf_puts(out, i ? " or " : " (");
        pt_md_text(out, h->os_names[i]);
    }
    if (h->os_name_count)
        pt_buf_puts(out, ")");
    if (h->os_source) {
        pt_buf_puts(out, ", from ");
        pt_md_text(out, h->os_source);
    }
}

static void summary_line(pt_buf *out, const pt_finding *f)
{
    if (f->tag[0] && f->bytes) {
        char b[40];
        pt_report_commas(f->bytes, b, sizeof b);
        pt_md_code(out, f->tag);
        pt_buf_printf(out, " holds %s bytes of %s pool", b,
                      f->has_pool && f->pool == PT_POOL_PAGED ? "paged" : "non-paged");
        if (f->share > 0)
            pt_buf_printf(out, " (%.1f%%)", f->share * 100.0);
        if (f->driver) {
            pt_buf_puts(out, "; the tag is in ");
            pt_md_code(out, f->driver->name);
        }
        pt_buf_puts(out, ". ");
    }
    if (f->kb && f->level == PT_LEVEL_KNOWN) {
        pt_buf_puts(out, "Known issue ");
        pt_md_text(out, f->kb->id);
        pt_buf_puts(out, ": ");
        pt_md_text(out, f->kb->title);
    } else {
        pt_md_text(out, f->title);
    }
    if (f->kb && f->level == PT_LEVEL_KNOWN && f->has_growth && f->growth_bytes_per_hour > 0) {
        pt_buf_printf(out, ". Growing %.1f MiB/h%s", f->growth_bytes_per_hour / 1048576.0,
                      f->steady ? " steadily" : "");
        if (f->time_to_limit_hours >= 0)
            pt_buf_printf(out, "; the %s pool limit (%s) is reached in about %.*f h",
                          f->pool == PT_POOL_PAGED ? "paged" : "non-paged",
                          pt_limit_source_name(f->limit_source), f->time_to_limit_hours < 10 ? 1 : 0, f->time_to_limit_hours);
    }
    pt_buf_puts(out, "\n");
}

static void captures_cell(pt_buf *out, const pt_verdict *v)
{
    if (v->snapshot_count == 0)
        pt_buf_puts(out, "none");
    for (size_t i = 0; i < v->snapshot_count; i++) {
        const pt_snapshot *s = &v->snapshots[i];
        char t[40] = "time not known";
        if (s->time != PT_UNKNOWN)
            pt_time_format(s->time, t, sizeof t);
        /* a time from the file's mtime is the time of the last copy */
        pt_buf_printf(out, "%s%s%s, ", i ? "<br>" : "", t,
                      s->time != PT_UNKNOWN && s->time_source == PT_TIME_MTIME
                          ? " (file time)" : "");
        pt_md_code(out, s->source);
        pt_buf_printf(out, " (%s)", pt_capture_format_name(s->format));
    }
}

static void summary(pt_buf *out, const pt_verdict *v)
{
    const pt_finding *top = v->finding_count ? &v->findings[0] : NULL;
    pt_buf_printf(out, "# %s on ", level_words[v->level]);
    pt_md_text(out, v->host.name ? v->host.name : "an unnamed host");
    if (top && top->level >= PT_LEVEL_SUSPECT) {
        pt_buf_puts(out, ": ");
        pt_md_text(out, top->kb ? top->kb->title : top->title);
    }
    pt_buf_puts(out, "\n\n## Summary\n\n");
    if (top && top->level >= PT_LEVEL_SUSPECT)
        summary_line(out, top);
    else
        pt_buf_puts(out, "No known or likely pool leak was found.\n");
    pt_buf_puts(out, "\n| | |\n|---|---|\n| Host | ");
    pt_md_text(out, v->host.name ? v->host.name : "not known");
    pt_buf_puts(out, " |\n| OS | ");
    os_phrase(out, &v->host);
    pt_buf_printf(out, " |\n| Verdict | %s |\n| Findings | %zu |\n| Captures | ",
                  pt_level_name(v->level), v->finding_count);
    captures_cell(out, v);
    pt_buf_puts(out, " |\n| pooltriage | ");
    pt_md_text(out, v->tool_version);
    pt_buf_puts(out, ", KB ");
    pt_md_text(out, v->kb_version ? v->kb_version : "not known");
    pt_buf_puts(out, " |\n");
}

/* ---- one finding ---- */

static void row_start(pt_buf *out, const char *name)
{
    pt_buf_printf(out, "| %s | ", name);
}

static void pool_rows(pt_buf *out, const pt_finding *f)
{
    if (!f->tag[0])
        return;
    row_start(out, "Pool tag");
    pt_md_code(out, f->tag);
    size_t n = 0;
    for (size_t i = 0; i < f->tag_count; i++) {
        if (memcmp(f->tags[i], f->tag, 4) == 0)
            continue;
        pt_buf_puts(out, n++ ? ", " : " (same issue, also ");
        pt_md_code(out, f->tags[i]);
    }
    if (n)
        pt_buf_puts(out, ")");
    char b[40];
    pt_report_commas(f->bytes, b, sizeof b);
    pt_buf_printf(out, " |\n| Pool | %s, %s bytes", f->has_pool ? pt_pool_type_name(f->pool) : "-", b);
    if (f->share > 0)
        pt_buf_printf(out, ", %.1f%% of the pool", f->share * 100.0);
    pt_buf_puts(out, " |\n");
    if (f->kind && strcmp(f->kind, "leak") != 0)
        return;
    pt_arena *a = pt_arena_new();
    const char *growth = a ? pt_report_growth_phrase(a, f) : NULL;
    const char *limit = a ? pt_report_limit_phrase(a, f) : NULL;
    if (growth) {
        row_start(out, "Growth");
        pt_md_text(out, growth);
        pt_buf_puts(out, " |\n");
    }
    if (limit) {
        row_start(out, "Time to limit");
        pt_md_text(out, limit);
        pt_buf_puts(out, " |\n");
    }
    pt_arena_free(a);
}

static void attribution_row(pt_buf *out, const pt_candidate *c)
{
    if (c == NULL || c->evidence_count == 0)
        return;
    const pt_evidence *e = &c->evidence[0];
    row_start(out, "Attribution");
    pt_buf_printf(out, "%s evidence", pt_evidence_kind_name(e->kind));
    if (e->detail) {
        pt_buf_puts(out, ": ");
        pt_md_text(out, e->detail);
    }
    if (e->kind != PT_EV_HINT)
        pt_buf_printf(out, " at offset 0x%llx", (unsigned long long)e->offset);
    if (e->section) {
        pt_buf_puts(out, " in ");
        pt_md_text(out, e->section);
    }
    pt_buf_printf(out, "; confidence %.2f |\n", c->confidence);
}

static void driver_rows(pt_buf *out, pt_arena *arena, const pt_finding *f)
{
    const pt_driver *d = f->driver;
    if (d == NULL)
        return;
    row_start(out, "Driver");
    pt_md_code(out, d->name);
    pt_buf_puts(out, " at ");
    pt_md_code(out, d->path);
    pt_buf_puts(out, " |\n");
    attribution_row(out, f->candidate);
    const pt_pe_info *pe = d->pe_read ? &d->pe : NULL;
    const char *num = pt_driver_numeric_version(arena, d);
    row_start(out, "Version");
    pt_md_text(out, pe && pt_pe_file_version(pe) ? pt_pe_file_version(pe) : "not known");
    if (num) {
        pt_buf_puts(out, " (numeric ");
        pt_md_text(out, num);
        pt_buf_puts(out, ")");
    }
    pt_buf_puts(out, " |\n");
    /* who signed it, right under the version: the step that names a vendor */
    row_start(out, "Signer");
    pt_md_text(out, pt_report_signer_phrase(arena, d));
    pt_buf_puts(out, " |\n");
    if (pe && (pt_pe_company(pe) || pt_pe_product_name(pe) || pt_pe_description(pe))) {
        row_start(out, "Company, product");
        pt_md_text(out, pt_pe_company(pe) ? pt_pe_company(pe) : "-");
        pt_buf_puts(out, ", ");
        pt_md_text(out, pt_pe_product_name(pe) ? pt_pe_product_name(pe) : "-");
        if (pt_pe_description(pe)) {
            pt_buf_puts(out, ", \"");
            pt_md_text(out, pt_pe_description(pe));
            pt_buf_puts(out, "\"");
        }
        pt_buf_puts(out, " |\n");
    }
    if (d->sha256[0])
        pt_buf_printf(out, "| SHA-256 | `%s` |\n", d->sha256);
}

static void kb_row(pt_buf *out, const pt_finding *f)
{
    if (f->kb == NULL)
        return;
    row_start(out, "Known issue");
    pt_md_text(out, f->kb->id);
    if (f->kb->severity) {
        pt_buf_puts(out, ", severity ");
        pt_md_text(out, f->kb->severity);
    }
    if (f->range_id && !f->kb_outside_range) {
        pt_buf_puts(out, ", affected range ");
        pt_md_text(out, f->range_id);
    }
    if (f->kb_outside_range)
        pt_buf_puts(out, ", the driver's version is outside every affected range");
    pt_buf_puts(out, " |\n");
}

static void evidence_table(pt_buf *out, pt_arena *arena, const pt_finding *f)
{
    pt_buf_puts(out, "\n### Evidence\n\n| | |\n|---|---|\n");
    pt_buf_printf(out, "| Level | %s |\n| Rule | ", pt_level_name(f->level));
    pt_md_text(out, f->rule);
    pt_buf_puts(out, " |\n");
    pool_rows(out, f);
    driver_rows(out, arena, f);
    kb_row(out, f);
    pt_buf_printf(out, "| Fingerprint | `%s` (%s) |\n", f->fingerprint, f->kind ? f->kind : "leak");
    if (f->explanation) {
        pt_buf_puts(out, "\n**Why:** ");
        pt_md_text(out, f->explanation);
        pt_buf_puts(out, "\n");
    }
    if (f->reason_count > 1) {
        pt_buf_puts(out, "\n**Found by:**\n\n");
        for (size_t i = 0; i < f->reason_count; i++) {
            pt_buf_printf(out, "- %s (", pt_level_name(f->reasons[i].level));
            pt_md_code(out, f->reasons[i].rule);
            pt_buf_puts(out, "): ");
            pt_md_text(out, f->reasons[i].title);
            pt_buf_puts(out, "\n");
        }
    }
}

static const char *kind_label(const char *kind)
{
    static const char *const map[][2] = {
        {"vendor-kb", "Vendor KB"}, {"forum", "Forum"}, {"advisory", "Advisory"},
        {"changelog", "Changelog"}, {"issue", "Issue"}, {"blog", "Blog"},
    };
    for (size_t i = 0; kind && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(kind, map[i][0]) == 0)
            return map[i][1];
    return "Reference";
}

static void links(pt_buf *out, const pt_kb_entry *kb)
{
    if (kb == NULL || kb->ref_count == 0)
        return;
    pt_buf_puts(out, "\n### Links\n\n");
    for (size_t i = 0; i < kb->ref_count; i++) {
        const pt_kb_ref *r = &kb->refs[i];
        pt_buf_printf(out, "- %s: ", kind_label(r->kind));
        pt_md_reference(out, r->title, r->url, r->archived_url);
    }
}

static void what_to_do(pt_buf *out, const pt_finding *f)
{
    const char *todo = f->action ? f->action : f->kb ? f->kb->workaround : NULL;
    if (todo == NULL && f->kb == NULL)
        return;
    pt_buf_puts(out, "\n### What to do\n\n");
    if (todo) {
        pt_md_text(out, todo);
        pt_buf_puts(out, "\n\n");
    }
    if (f->kb) {
        pt_buf_puts(out, "**Fixed in:** ");
        pt_md_text(out, f->kb->fixed_in ? f->kb->fixed_in : "not known");
        pt_buf_puts(out, "\n");
    }
}

static void finding(pt_buf *out, pt_arena *arena, const pt_finding *f, size_t n)
{
    pt_buf_printf(out, "\n## Finding %zu: %s: ", n, level_words[f->level]);
    pt_md_text(out, f->title);
    pt_buf_puts(out, "\n");
    evidence_table(out, arena, f);
    links(out, f->kb);
    what_to_do(out, f);
}

/* ---- raw pool table ---- */

static const char *suspect_driver(const pt_verdict *v, const pt_suspect *s)
{
    for (size_t a = 0; a < v->attribution_count; a++)
        if (memcmp(v->attributions[a].tag, s->tag, 4) == 0 &&
            v->attributions[a].candidate_count)
            return v->attributions[a].candidates[0].driver->name;
    return s->mapped_driver;
}

static void pool_table(pt_buf *out, const pt_verdict *v)
{
    pt_buf_puts(out, "\n## Top pool tags\n\n");
    if (v->suspect_count == 0) {
        pt_buf_puts(out, "No pool tags were ranked.\n");
        return;
    }
    pt_buf_puts(out, "| # | Tag | Pool | Bytes | Share | Growth (bytes/h) | Driver |\n"
                     "|---:|---|---|---:|---:|---:|---|\n");
    for (size_t i = 0; i < v->suspect_count && i < 10; i++) {
        const pt_suspect *s = &v->suspects[i];
        char b[40];
        pt_report_commas(s->bytes, b, sizeof b);
        pt_buf_printf(out, "| %zu | ", i + 1);
        pt_md_code(out, s->tag);
        pt_buf_printf(out, " | %s | %s | %.1f%% | ", pt_pool_type_name(s->pool), b,
                      s->share * 100.0);
        if (s->has_growth)
            pt_buf_printf(out, "%.0f", s->growth_bytes_per_hour);
        else
            pt_buf_puts(out, "-");
        pt_buf_puts(out, " | ");
        const char *drv = suspect_driver(v, s);
        if (drv)
            pt_md_code(out, drv);
        else
            pt_buf_puts(out, "-");
        pt_buf_puts(out, s->generic ? " (generic kernel tag) |\n" : " |\n");
    }
}

/* The problems that did not stop the run: a ticket body is read without
 * the terminal's stderr, so it says them itself (the first 20). */
static void warnings(pt_buf *out, const pt_verdict *v)
{
    enum { SHOWN = 20 };
    size_t total = v->error_count + v->rule_error_count, shown = 0;
    if (total == 0)
        return;
    pt_buf_puts(out, "\n## Warnings\n\n");
    for (size_t i = 0; i < v->error_count && shown < SHOWN; i++, shown++) {
        pt_buf_puts(out, "- ");
        if (v->errors[i].source && v->errors[i].source[0]) {
            pt_md_code(out, v->errors[i].source);
            if (v->errors[i].where && v->errors[i].where[0]) {
                pt_buf_puts(out, " ");
                pt_md_text(out, v->errors[i].where);
            }
            pt_buf_puts(out, ": ");
        }
        pt_md_text(out, v->errors[i].message ? v->errors[i].message : "");
        pt_buf_puts(out, "\n");
    }
    for (size_t i = 0; i < v->rule_error_count && shown < SHOWN; i++, shown++) {
        pt_buf_puts(out, "- rule ");
        pt_md_code(out, v->rule_errors[i].rule ? v->rule_errors[i].rule : "?");
        if (v->rule_errors[i].where && v->rule_errors[i].where[0]) {
            pt_buf_puts(out, " (");
            pt_md_text(out, v->rule_errors[i].where);
            pt_buf_puts(out, ")");
        }
        pt_buf_puts(out, ": ");
        pt_md_text(out, v->rule_errors[i].message ? v->rule_errors[i].message : "");
        pt_buf_puts(out, "\n");
    }
    if (total > shown)
        pt_buf_printf(out, "- ... and %zu more (the JSON report lists them all)\n", total - shown);
}

void pt_report_markdown(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out)
{
    (void)opts;
    pt_arena *arena = pt_arena_new();
    if (arena == NULL) {
        out->failed = true;
        return;
    }
    summary(out, v);
    for (size_t i = 0; i < v->finding_count; i++)
        finding(out, arena, &v->findings[i], i + 1);
    pool_table(out, v);
    warnings(out, v);
    pt_buf_puts(out, "\n---\n_Generated by pooltriage ");
    pt_md_text(out, v->tool_version);
    pt_buf_puts(out, "._\n");
    pt_arena_free(arena);
}
